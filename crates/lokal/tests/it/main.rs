//! The integration suite: every test starts the real server on port 0 with a fresh database.
//! On SQLite always; on PostgreSQL when `LOKAL_TEST_DATABASE_URL` names a server (each test then
//! creates and drops its own database there).

mod abuse;
mod access;
mod accounts;
mod addresses;
mod analytics;
mod applications;
mod authz;
mod campaigns;
mod catalog;
mod chats;
mod cli;
mod commerce;
mod coupons;
mod crash;
mod customers;
mod delivery;
mod discovery;
mod durable;
mod errors;
mod fake_wechatpay;
mod harness;
mod idempotency;
mod kitchen;
mod language;
mod loyalty;
mod membership;
mod money;
mod notifications;
mod operations;
mod outbound;
mod reconcile;
mod reviews;
mod search;
mod search_city;
mod security;
mod snapshots;
mod storage;
mod takeout;
mod uploads;
mod vouchers;
mod web;
mod wechatpay;
