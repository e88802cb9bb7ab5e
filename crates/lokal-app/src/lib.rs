//! Lokal's use cases, shared by the JSON API and the web pages.
//!
//! An [`App`] holds the database, the clock, the settings and the ports. Every use case is a
//! method on `App`; every method that acts on someone's object takes the caller's
//! [`Principal`](lokal_core::Principal) and checks it before doing anything. A use case reads,
//! asks lokal-core's rules, writes in one transaction, and publishes after commit. Errors are
//! [`AppError`]s that already carry their stable API code.
//!
//! **Where a method is.** `App::x` is in the module of its capability, named as in the list
//! below (`App::redeem` in `vouchers`, `App::order_from_quote` in `takeout`); what several
//! capabilities share is a module of its own (`timeline`, `attribution`, `ledger::post`, `audit`).
//! The list is every module:
//!
//! - Accounts and people: [`accounts`] (register, log in and out, sessions), [`admin`]
//!   (operators' roles, users, suspensions), `audit` (the audit log), [`addresses`] (address
//!   books), [`secret`] (tokens, hashes, passwords), [`ratelimit`], [`idempotency`].
//! - Merchants and stores: [`applications`] (joining the platform), [`merchants`] (merchants,
//!   staff, invitations), [`stores`] (profiles), [`catalog`] (items, store overrides, menus),
//!   [`media`] (photos), [`discovery`] (the geo and text indexes: nearby, search).
//! - Deals and vouchers: [`deals`], [`orders`] (ordering and paying a deal, refunds),
//!   [`payments`] (the gateway port, the sandbox), [`reconciliation`] (against the providers'
//!   bills), [`refunds`] (the refund worker: refunds
//!   carried out outside transactions), [`wechatpay`] (WeChat Pay API v3 behind the port),
//!   [`vouchers`] (redemption, undo, expiry),
//!   [`ledger`] (posting, the check).
//! - Menu orders and bills: [`takeout`] (ordering settings, quotes, orders), [`fulfil`] (the
//!   store's side), [`settlement`] (codes, refunds, settling), [`bills`] (pay-at-store),
//!   `timeline` (an order's steps), [`tracking`], [`delivery_settings`] (`[delivery]`).
//! - Riders and dispatch: [`riders`] (applications, shifts, tasks), [`dispatch`] (the
//!   dispatcher loop, the board).
//! - Promotion: [`coupons`] (batches, claims), [`discounts`] (coupons and promotions at
//!   checkout), [`campaigns`] (campaigns, channels, reports), `attribution` (crediting actions to
//!   touches), [`analytics`] (dashboards, rollups).
//! - Feedback and retention: [`reviews`], [`customers`] (customer lists), [`membership`] (cards),
//!   [`loyalty`] (points, stored value), [`messages`] (to members), [`chats`] (consultation).
//! - Messages and live pages: [`notify`] (the notifier port, the outbox), [`outbound`] (sends
//!   by SMS, e-mail and webhook: the message gateway port, the delivery worker), [`email`]
//!   (SMTP), [`sms`] (Alibaba Cloud SMS), [`live`] (the
//!   live bus).
//! - The frame: [`error`], [`clock`], [`page`] (cursor pagination), [`site`] (`[site]`),
//!   [`jobs`] (housekeeping, commerce and payments ticks).

pub mod accounts;
pub mod addresses;
pub mod admin;
pub mod analytics;
pub mod applications;
mod attribution;
mod audit;
pub mod bills;
pub mod campaigns;
pub mod catalog;
pub mod chats;
pub mod clock;
pub mod coupons;
pub mod customers;
pub mod deals;
pub mod delivery_settings;
pub mod discounts;
pub mod discovery;
pub mod dispatch;
pub mod email;
pub mod error;
pub mod fulfil;
pub mod idempotency;
pub mod jobs;
pub mod ledger;
pub mod live;
pub mod loyalty;
pub mod media;
pub mod membership;
pub mod merchants;
pub mod messages;
pub mod notify;
pub mod orders;
pub mod outbound;
pub mod page;
pub mod payments;
pub mod ratelimit;
pub mod reconciliation;
pub mod refunds;
pub mod reviews;
pub mod riders;
pub mod secret;
pub mod settlement;
pub mod site;
pub mod sms;
pub mod stores;
pub mod takeout;
mod timeline;
pub mod tracking;
pub mod vouchers;
pub mod wechatpay;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::AppError;

use lokal_store::Db;
use std::sync::Arc;

/// Tunable rules of the application (the `[auth]` section of the configuration).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// How long a login lasts, in hours.
    pub session_ttl_hours: i64,
    /// Login attempts per account within one window that go ahead without delay; after them one
    /// at a time, each after a doubling delay.
    pub max_failed_logins_per_account: i64,
    /// Longest delay between two login attempts on one account, in seconds.
    pub login_delay_cap_secs: i64,
    /// Sign-ups allowed per client address within one hour.
    pub max_signups_per_ip: i64,
    /// Sign-ups allowed per browser (its device cookie) within one day.
    pub max_signups_per_device: i64,
    /// Login attempts allowed per client address within one window.
    pub max_logins_per_ip: i64,
    /// The rate-limit window, in seconds.
    pub login_window_secs: i64,
    /// Use the last address of `X-Forwarded-For` as the client address (only behind a proxy you run).
    pub trust_forwarded_for: bool,
    /// Mark cookies `Secure` (send them over HTTPS only). Turn on when serving over HTTPS.
    pub secure_cookies: bool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            session_ttl_hours: 24 * 30,
            max_failed_logins_per_account: 10,
            login_delay_cap_secs: 60,
            max_signups_per_ip: 20,
            max_signups_per_device: 3,
            max_logins_per_ip: 100,
            login_window_secs: 15 * 60,
            trust_forwarded_for: false,
            secure_cookies: false,
        }
    }
}

/// The application: everything a use case needs. Cheap to clone.
#[derive(Clone)]
pub struct App {
    db: Db,
    clock: Arc<dyn Clock>,
    auth: Arc<AuthSettings>,
    index: Arc<std::sync::RwLock<discovery::Discovery>>,
    payments: Arc<payments::PaymentSettings>,
    /// The payment providers; the first is the one new payments use unless one is asked for.
    gateways: Arc<Vec<Arc<dyn payments::PaymentGateway>>>,
    notifier: Arc<dyn notify::Notifier>,
    messages: Arc<outbound::MessageSettings>,
    message_gateways: Arc<Vec<Arc<dyn outbound::MessageGateway>>>,
    sender_wake: Arc<tokio::sync::Notify>,
    sandbox: Arc<payments::Sandbox>,
    delivery: Arc<delivery_settings::DeliverySettings>,
    site: Arc<site::Site>,
    media: Arc<dyn lokal_media::MediaStore>,
    bus: live::Bus,
    dispatch_wake: Arc<tokio::sync::Notify>,
    /// Deals seen sold out, and when: orders for them are refused without a transaction for a
    /// moment (a flash sale's late crowd never reaches the database's write lock).
    sold_out: Arc<std::sync::Mutex<std::collections::HashMap<lokal_core::DealId, std::time::Instant>>>,
    /// Store page views counted in memory and written in one go by the next rollup refresh (a
    /// page view never waits for the database's write lock).
    views: Arc<std::sync::Mutex<analytics::PendingViews>>,
}

impl App {
    /// Assembles the application over an open, migrated database.
    pub fn new(db: Db, clock: Arc<dyn Clock>, auth: AuthSettings) -> Self {
        let app = Self {
            db,
            clock,
            auth: Arc::new(auth),
            index: Arc::default(),
            payments: Arc::default(),
            gateways: Arc::new(Vec::new()),
            notifier: Arc::new(notify::OutboxNotifier),
            messages: Arc::default(),
            message_gateways: Arc::default(),
            sender_wake: Arc::default(),
            sandbox: Arc::new(payments::Sandbox::new(b"", 0, None)),
            delivery: Arc::default(),
            site: Arc::default(),
            media: Arc::new(lokal_media::LocalDir::new("./lokal-data/media")),
            bus: live::Bus::default(),
            dispatch_wake: Arc::default(),
            sold_out: Arc::default(),
            views: Arc::default(),
        };
        app.with_payments(payments::PaymentSettings { provider: "sandbox".into(), ..Default::default() })
    }

    /// The same app with these payment settings. The sandbox gateway, when it is the provider,
    /// signs with the configured secret, or with a random one when none is set.
    pub fn with_payments(mut self, settings: payments::PaymentSettings) -> Self {
        let secret = if settings.sandbox_secret.is_empty() {
            // getrandom does not fail on supported systems; should it, two UUIDv7s still carry
            // 148 random bits.
            secret::random_token()
                .unwrap_or_else(|_| format!("{}{}", uuid::Uuid::now_v7().simple(), uuid::Uuid::now_v7().simple()))
        } else {
            settings.sandbox_secret.clone()
        };
        let sandbox =
            Arc::new(payments::Sandbox::new(secret.as_bytes(), settings.webhook_tolerance_secs, Some(self.db.clone())));
        let mut gateways: Vec<Arc<dyn payments::PaymentGateway>> =
            self.gateways.iter().filter(|g| g.name() != "sandbox").cloned().collect();
        if settings.provider == "sandbox" {
            gateways.insert(0, sandbox.clone());
        }
        self.gateways = Arc::new(gateways);
        self.sandbox = sandbox;
        self.payments = Arc::new(settings);
        self
    }

    /// The same app with these delivery settings.
    pub fn with_delivery(mut self, settings: delivery_settings::DeliverySettings) -> Self {
        self.delivery = Arc::new(settings);
        self
    }

    /// The same app in this place (default language, time zone).
    pub fn with_site(mut self, site: site::Site) -> Self {
        self.site = Arc::new(site);
        self
    }

    /// The platform's default language and time zone.
    pub fn site(&self) -> &site::Site {
        &self.site
    }

    /// The delivery settings.
    pub fn delivery_settings(&self) -> &delivery_settings::DeliverySettings {
        &self.delivery
    }

    /// Asks the dispatch loop to decide now rather than at its next tick.
    pub fn wake_dispatcher(&self) {
        self.dispatch_wake.notify_one();
    }

    /// Resolves when someone asked the dispatch loop to decide now.
    pub async fn dispatcher_woken(&self) {
        self.dispatch_wake.notified().await;
    }

    /// The live event bus.
    pub fn bus(&self) -> &live::Bus {
        &self.bus
    }

    /// The payment settings.
    pub fn payment_settings(&self) -> &payments::PaymentSettings {
        &self.payments
    }

    /// The payment gateway in use.
    pub fn gateway(&self) -> &dyn payments::PaymentGateway {
        self.gateways.first().map_or(&payments::NoGateway, |g| g.as_ref())
    }

    /// The same app taking payments through `gateway` first (others configured stay available
    /// for the payments made through them).
    pub fn with_gateway(mut self, gateway: Arc<dyn payments::PaymentGateway>) -> Self {
        let mut gateways: Vec<_> = self.gateways.iter().filter(|g| g.name() != gateway.name()).cloned().collect();
        gateways.insert(0, gateway);
        self.gateways = Arc::new(gateways);
        self
    }

    /// The same app paying new payments through the gateway called `name` (if it is configured;
    /// otherwise unchanged).
    pub fn with_default_gateway(mut self, name: &str) -> Self {
        if let Some(i) = self.gateways.iter().position(|g| g.name() == name) {
            let mut gateways: Vec<_> = self.gateways.iter().cloned().collect();
            let g = gateways.remove(i);
            gateways.insert(0, g);
            self.gateways = Arc::new(gateways);
        }
        self
    }

    /// The configured gateways' names, the default first.
    pub fn gateway_names(&self) -> Vec<&'static str> {
        self.gateways.iter().map(|g| g.name()).collect()
    }

    /// The gateway called `name`, if configured.
    pub fn gateway_named(&self, name: &str) -> Option<&dyn payments::PaymentGateway> {
        self.gateways.iter().find(|g| g.name() == name).map(|g| g.as_ref())
    }

    /// The same app sending messages through `notifier`.
    pub fn with_notifier(mut self, notifier: Arc<dyn notify::Notifier>) -> Self {
        self.notifier = notifier;
        self
    }

    /// The same app sending messages as `settings` say through `gateways` (the outbox and the
    /// message centre always).
    pub fn with_messages(
        mut self,
        settings: outbound::MessageSettings,
        gateways: Vec<Arc<dyn outbound::MessageGateway>>,
    ) -> Self {
        self.messages = Arc::new(settings);
        self.message_gateways = Arc::new(gateways);
        self
    }

    /// The message settings.
    pub fn message_settings(&self) -> &outbound::MessageSettings {
        &self.messages
    }

    /// The gateway of `channel`, if one is configured.
    pub fn message_gateway(&self, channel: lokal_core::notice::Channel) -> Option<&dyn outbound::MessageGateway> {
        self.message_gateways.iter().find(|g| g.channel() == channel).map(|g| g.as_ref())
    }

    /// Wakes the delivery worker (a message was recorded).
    pub(crate) fn wake_sender(&self) {
        self.sender_wake.notify_one();
    }

    /// Resolves when a message was recorded since the last call (the delivery worker waits on it).
    pub async fn sender_woken(&self) {
        self.sender_wake.notified().await;
    }

    /// The notifier in use.
    pub fn notifier(&self) -> &dyn notify::Notifier {
        self.notifier.as_ref()
    }

    /// Whether the sandbox is the payment gateway (demo mode, or `[payments] provider =
    /// "sandbox"`); otherwise its pages and endpoints do not exist.
    pub fn sandbox_enabled(&self) -> bool {
        self.gateway_named("sandbox").is_some()
    }

    /// The sandbox gateway (its hosted pay page and signed events).
    pub fn sandbox(&self) -> &payments::Sandbox {
        &self.sandbox
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The authentication settings.
    pub fn auth_settings(&self) -> &AuthSettings {
        &self.auth
    }

    /// The current time from the application's clock.
    pub fn now(&self) -> lokal_core::Timestamp {
        self.clock.now()
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ready(&self) -> bool {
        self.db.ping().await.is_ok()
    }
}
