//! The one table of error codes: each code's stable name and HTTP status. Clients match on the
//! name; it never changes once released. docs/API.md lists the same table.

/// A stable, machine-readable reason for a refused request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The body is not valid JSON or the request is malformed (400).
    MalformedRequest,
    /// A field is missing or has a bad value; the error names the field (422).
    ValidationFailed,
    /// No valid session or token was presented (401).
    Unauthenticated,
    /// Login or password is wrong (401).
    InvalidCredentials,
    /// Authenticated, but this caller may not do this (403).
    Forbidden,
    /// A cookie-authenticated write without the session's CSRF token (403).
    CsrfTokenInvalid,
    /// No such object, or no such route (404).
    NotFound,
    /// The route exists, but not with this method (405).
    MethodNotAllowed,
    /// The e-mail address is already registered (409).
    EmailTaken,
    /// The phone number is already registered (409).
    PhoneTaken,
    /// The object already exists or the change conflicts with the current state (409).
    Conflict,
    /// A request with this idempotency key is still running (409).
    IdempotencyKeyInFlight,
    /// The idempotency key was used before with a different request (422).
    IdempotencyKeyReused,
    /// The body is larger than allowed (413).
    PayloadTooLarge,
    /// The request's media type is not JSON (415).
    UnsupportedMediaType,
    /// Too many attempts; retry after the `Retry-After` seconds (429).
    RateLimited,
    /// The deal is not on sale now (not started, ended or stopped) (409).
    NotOnSale,
    /// Not enough stock left for this quantity (409).
    SoldOut,
    /// The buyer would exceed the deal's per-person limit (409).
    PurchaseLimitReached,
    /// The order is already paid, or was cancelled for not being paid in time (409).
    OrderNotPayable,
    /// A payment webhook's signature or timestamp is wrong (400).
    WebhookSignatureInvalid,
    /// This payment webhook event was processed before (409).
    WebhookReplayed,
    /// The voucher cannot be used before its validity starts (409).
    VoucherNotYetValid,
    /// The voucher's validity has ended (409).
    VoucherExpired,
    /// The voucher has fewer uses left than asked for (409).
    VoucherUsedUp,
    /// The voucher was refunded (409).
    VoucherRefunded,
    /// The voucher's deal is not valid at this store (409).
    VoucherWrongStore,
    /// A usage rule (weekdays, hours) refuses the voucher now (409).
    VoucherRuleRefused,
    /// The redemption is older than the undo window, or already undone (409).
    UndoWindowClosed,
    /// The voucher is used, expired, already refunded, or its deal is not refundable (409).
    NotRefundable,
    /// The store is closed now, or at the chosen time (409).
    StoreClosed,
    /// The store does not offer this way of ordering (delivery, pickup, dine-in) (422).
    ModeNotOffered,
    /// The address is outside the store's delivery area (422).
    OutsideDeliveryArea,
    /// The cart is below the store's minimum for delivery (422).
    BelowMinimumOrder,
    /// An item is sold out, out of stock or not on this store's menu (409).
    ItemUnavailable,
    /// The quote is too old: ask for a new one (409).
    QuoteExpired,
    /// Prices or availability changed since the quote: ask for a new one (409).
    QuoteChanged,
    /// The order (or delivery task) is not in a state where this can happen (409).
    OrderStateConflict,
    /// The consumer's delivery or pickup code does not match (422).
    DeliveryCodeInvalid,
    /// The rider is not on shift (409).
    NotOnShift,
    /// A rider's reported position is outside the city or too far from the last one for the time
    /// between them (422).
    PositionImplausible,
    /// No payment provider is configured on this server (409).
    PaymentsUnavailable,
    /// The coupon cannot be claimed now (not started, ended or stopped) (409).
    NotClaimable,
    /// Every coupon of this batch has been claimed (409).
    CouponsGone,
    /// The consumer already holds as many of these coupons as allowed (409).
    ClaimLimitReached,
    /// This cannot be reviewed: not consumed yet, not the caller's, or more than 30 days ago (409).
    NotReviewable,
    /// This consumption already has its review (or the reply, follow-up, vote or report exists) (409).
    AlreadyReviewed,
    /// The membership card holds less stored value or fewer points than asked for (409).
    InsufficientBalance,
    /// Something failed on our side; details are in the server log under the request id (500).
    Internal,
    /// A dependency (the database) is unavailable (503).
    Unavailable,
}

impl ErrorCode {
    /// Every code, for documentation and tests.
    pub const ALL: [ErrorCode; 50] = [
        ErrorCode::MalformedRequest,
        ErrorCode::ValidationFailed,
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidCredentials,
        ErrorCode::Forbidden,
        ErrorCode::CsrfTokenInvalid,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::EmailTaken,
        ErrorCode::PhoneTaken,
        ErrorCode::Conflict,
        ErrorCode::IdempotencyKeyInFlight,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::RateLimited,
        ErrorCode::NotOnSale,
        ErrorCode::SoldOut,
        ErrorCode::PurchaseLimitReached,
        ErrorCode::OrderNotPayable,
        ErrorCode::WebhookSignatureInvalid,
        ErrorCode::WebhookReplayed,
        ErrorCode::VoucherNotYetValid,
        ErrorCode::VoucherExpired,
        ErrorCode::VoucherUsedUp,
        ErrorCode::VoucherRefunded,
        ErrorCode::VoucherWrongStore,
        ErrorCode::VoucherRuleRefused,
        ErrorCode::UndoWindowClosed,
        ErrorCode::NotRefundable,
        ErrorCode::StoreClosed,
        ErrorCode::ModeNotOffered,
        ErrorCode::OutsideDeliveryArea,
        ErrorCode::BelowMinimumOrder,
        ErrorCode::ItemUnavailable,
        ErrorCode::QuoteExpired,
        ErrorCode::QuoteChanged,
        ErrorCode::OrderStateConflict,
        ErrorCode::DeliveryCodeInvalid,
        ErrorCode::NotOnShift,
        ErrorCode::PositionImplausible,
        ErrorCode::PaymentsUnavailable,
        ErrorCode::NotClaimable,
        ErrorCode::CouponsGone,
        ErrorCode::ClaimLimitReached,
        ErrorCode::NotReviewable,
        ErrorCode::AlreadyReviewed,
        ErrorCode::InsufficientBalance,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
    ];

    /// The stable snake_case name and the HTTP status.
    pub const fn info(self) -> (&'static str, u16) {
        match self {
            ErrorCode::MalformedRequest => ("malformed_request", 400),
            ErrorCode::ValidationFailed => ("validation_failed", 422),
            ErrorCode::Unauthenticated => ("unauthenticated", 401),
            ErrorCode::InvalidCredentials => ("invalid_credentials", 401),
            ErrorCode::Forbidden => ("forbidden", 403),
            ErrorCode::CsrfTokenInvalid => ("csrf_token_invalid", 403),
            ErrorCode::NotFound => ("not_found", 404),
            ErrorCode::MethodNotAllowed => ("method_not_allowed", 405),
            ErrorCode::EmailTaken => ("email_taken", 409),
            ErrorCode::PhoneTaken => ("phone_taken", 409),
            ErrorCode::Conflict => ("conflict", 409),
            ErrorCode::IdempotencyKeyInFlight => ("idempotency_key_in_flight", 409),
            ErrorCode::IdempotencyKeyReused => ("idempotency_key_reused", 422),
            ErrorCode::PayloadTooLarge => ("payload_too_large", 413),
            ErrorCode::UnsupportedMediaType => ("unsupported_media_type", 415),
            ErrorCode::RateLimited => ("rate_limited", 429),
            ErrorCode::NotOnSale => ("not_on_sale", 409),
            ErrorCode::SoldOut => ("sold_out", 409),
            ErrorCode::PurchaseLimitReached => ("purchase_limit_reached", 409),
            ErrorCode::OrderNotPayable => ("order_not_payable", 409),
            ErrorCode::WebhookSignatureInvalid => ("webhook_signature_invalid", 400),
            ErrorCode::WebhookReplayed => ("webhook_replayed", 409),
            ErrorCode::VoucherNotYetValid => ("voucher_not_yet_valid", 409),
            ErrorCode::VoucherExpired => ("voucher_expired", 409),
            ErrorCode::VoucherUsedUp => ("voucher_used_up", 409),
            ErrorCode::VoucherRefunded => ("voucher_refunded", 409),
            ErrorCode::VoucherWrongStore => ("voucher_wrong_store", 409),
            ErrorCode::VoucherRuleRefused => ("voucher_rule_refused", 409),
            ErrorCode::UndoWindowClosed => ("undo_window_closed", 409),
            ErrorCode::NotRefundable => ("not_refundable", 409),
            ErrorCode::StoreClosed => ("store_closed", 409),
            ErrorCode::ModeNotOffered => ("mode_not_offered", 422),
            ErrorCode::OutsideDeliveryArea => ("outside_delivery_area", 422),
            ErrorCode::BelowMinimumOrder => ("below_minimum_order", 422),
            ErrorCode::ItemUnavailable => ("item_unavailable", 409),
            ErrorCode::QuoteExpired => ("quote_expired", 409),
            ErrorCode::QuoteChanged => ("quote_changed", 409),
            ErrorCode::OrderStateConflict => ("order_state_conflict", 409),
            ErrorCode::DeliveryCodeInvalid => ("delivery_code_invalid", 422),
            ErrorCode::NotOnShift => ("not_on_shift", 409),
            ErrorCode::PositionImplausible => ("position_implausible", 422),
            ErrorCode::PaymentsUnavailable => ("payments_unavailable", 409),
            ErrorCode::NotClaimable => ("not_claimable", 409),
            ErrorCode::CouponsGone => ("coupons_gone", 409),
            ErrorCode::ClaimLimitReached => ("claim_limit_reached", 409),
            ErrorCode::InsufficientBalance => ("insufficient_balance", 409),
            ErrorCode::NotReviewable => ("not_reviewable", 409),
            ErrorCode::AlreadyReviewed => ("already_reviewed", 409),
            ErrorCode::Internal => ("internal", 500),
            ErrorCode::Unavailable => ("unavailable", 503),
        }
    }

    /// The stable name.
    pub const fn as_str(self) -> &'static str {
        self.info().0
    }

    /// The HTTP status.
    pub const fn status(self) -> u16 {
        self.info().1
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_names() {
        let names: HashSet<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        assert!(names.iter().all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
    }
}
