//! Persistence for Lokal: one SQL code path for SQLite and PostgreSQL.
//!
//! Every query goes through `sqlx::Any` with `$n` placeholders and a portable column subset
//! (TEXT ids, BIGINT times, flags and money). Only the DDL differs per backend, so each backend
//! has its own migrations folder and this crate has no dialect branches in its queries. The
//! conformance proof is the integration suite, which runs every test on both databases.
//!
//! Layout: [`db`] (connecting, migrating, transactions), [`error`] (constraint violations by
//! name), then one module per aggregate with free functions generic over any executor (the pool
//! or an open transaction).

pub mod addresses;
pub mod applications;
pub mod audit;
pub mod campaigns;
pub mod catalog;
pub mod chats;
pub mod coupons;
pub mod customers;
pub mod db;
pub mod deals;
pub mod deliveries;
pub mod error;
pub mod grants;
pub mod idempotency;
pub mod invitations;
pub mod ledger;
pub mod loyalty;
pub mod media;
pub mod membership;
pub mod merchants;
pub mod orders;
pub mod outbox;
pub mod promotions;
pub mod rate_limits;
pub mod reconciliations;
pub mod reviews;
pub mod riders;
pub mod rollups;
mod row;
pub mod sandbox;
pub mod sends;
pub mod sessions;
pub mod stores;
pub mod takeout;
pub mod users;
pub mod vouchers;

pub use db::{Backend, Db, Tx};
pub use error::StoreError;
