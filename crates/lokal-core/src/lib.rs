//! The pure domain of Lokal.
//!
//! Nothing here does IO, reads a clock or draws random numbers: the current time and any
//! randomness are arguments. Everything above (storage, use cases, HTTP) turns raw input into
//! these types once, at the edge, and works with them from then on.
//!
//! Layout:
//! - [`ids`]: typed identifiers (`UserId`, `MerchantId`, `StoreId`, …).
//! - [`money`]: exact amounts in integer minor units.
//! - [`time`]: UTC timestamps as epoch milliseconds, shown as RFC 3339.
//! - [`account`]: e-mail, phone, password and display-name rules.
//! - [`catalog`]: items, option groups and store overrides.
//! - [`access`]: roles, grants and the one authorisation check every handler uses.
//! - [`error_code`]: the one table of API error codes and their HTTP statuses.
//! - [`field`]: the validation error that names the offending field.
//! - [`msg`]: a message for people as a catalogue key and arguments, rendered at the edge.
//! - [`geo`]: validated coordinates and distances.
//! - [`hours`]: opening hours with exceptions and "open now".
//! - [`photo`]: references to uploaded photos (by id) and to photos on the web.
//! - [`store`]: store categories and the checked public profile of a store.
//! - [`fulfil`]: the state machines of menu orders and delivery tasks.
//! - [`takeout`]: menu orders' money rules (fees, options, pay-at-store discounts, rider pay).
//! - [`promo`]: the pricing engine of promotions and coupons, and the best combination at checkout.
//! - [`coupon`]: coupon batches as issued (checks, validity).
//! - [`status`]: enums stored as text ([`named_enum!`]) and the statuses several aggregates share.

pub mod access;
pub mod account;
pub mod address;
pub mod analytics;
pub mod campaign;
pub mod catalog;
pub mod coupon;
pub mod customers;
pub mod deal;
pub mod error_code;
pub mod field;
pub mod fulfil;
pub mod geo;
pub mod hours;
pub mod ids;
pub mod ledger;
pub mod loyalty;
pub mod membership;
pub mod money;
pub mod msg;
pub mod notice;
pub mod photo;
pub mod promo;
pub mod reconcile;
pub mod retry;
pub mod review;
pub mod status;
pub mod store;
pub mod takeout;
pub mod time;
pub mod voucher;

pub use access::{Denied, Grant, Principal, Role, Scope, StaffRole, StoreScope};
pub use error_code::ErrorCode;
pub use field::FieldError;
pub use ids::{
    CampaignId, ChannelId, CouponId, CouponTemplateId, DealId, DeliveryId, EntryId, GrantId, ItemId, MerchantId,
    OrderId, PaymentId, PromotionId, QuoteId, RedemptionId, ShiftId, StoreId, UserId, VoucherId,
};
pub use money::{Currency, Money};
pub use msg::{Msg, MsgArg};
pub use status::{ApprovalStatus, PaymentStatus, RefundStatus, RunStatus, UnknownName};
pub use time::Timestamp;
