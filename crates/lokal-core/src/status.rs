//! Enums stored and sent as text: every `status` column and its JSON field. Each is declared
//! once with [`named_enum!`], which gives it its stored name (`as_str`), `FromStr` (an unknown
//! name is an error, never a default), `Display` and serde under the same name. The store decodes
//! a row's status once, at the row boundary, so a bad value in the database surfaces as a corrupt
//! row instead of becoming a real state.
//!
//! The statuses shared by several aggregates live here; the others with their aggregate
//! ([`crate::voucher::VoucherStatus`], [`crate::fulfil::OrderStatus`], …).

/// A name that no variant of the enum has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {name:?}")]
pub struct UnknownName {
    /// The enum, e.g. `VoucherStatus`.
    pub kind: &'static str,
    /// What was read.
    pub name: String,
}

/// Declares a `Copy` enum whose variants have stored names:
///
/// ```
/// lokal_core::named_enum! {
///     /// Whether a light is on.
///     pub enum Light {
///         /// It is on.
///         On = "on",
///         /// It is off.
///         Off = "off",
///     }
/// }
/// assert_eq!("on".parse::<Light>(), Ok(Light::On));
/// assert_eq!(Light::Off.to_string(), "off");
/// assert!("dim".parse::<Light>().is_err());
/// ```
#[macro_export]
macro_rules! named_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:tt,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The stored name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Parses what a client sent in `field`; the error lists the names.
            pub fn parse_field(field: &str, s: &str) -> Result<Self, $crate::FieldError> {
                s.parse().map_err(|_| {
                    let choices = Self::ALL.map(Self::as_str).join(", ");
                    $crate::FieldError::new(field, $crate::Msg::new("field-one-of").with("choices", choices))
                })
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::status::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::status::UnknownName { kind: stringify!($name), name: s.to_owned() }),
                }
            }
        }

        impl From<$name> for $crate::MsgArg {
            fn from(v: $name) -> Self {
                $crate::MsgArg::Text(v.as_str().to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// Something a merchant runs until it stops it: a deal, a promotion, a campaign.
    pub enum RunStatus {
        /// Running (within its own dates).
        Active = "active",
        /// Stopped by its owner.
        Stopped = "stopped",
    }
}

named_enum! {
    /// A request an operator decides: a merchant application, a rider's sign-up.
    pub enum ApprovalStatus {
        /// Waiting for an operator.
        Pending = "pending",
        /// Accepted.
        Approved = "approved",
        /// Refused (with a reason).
        Rejected = "rejected",
    }
}

named_enum! {
    /// A payment attempt with the gateway (deal and menu orders, card recharges).
    pub enum PaymentStatus {
        /// Created; the gateway has not confirmed it.
        Pending = "pending",
        /// Confirmed: the money is the platform's to hold.
        Succeeded = "succeeded",
        /// The gateway refused it (a later confirmation may still succeed it).
        Failed = "failed",
        /// Paid back in full.
        Refunded = "refunded",
    }
}

named_enum! {
    /// A refund on its way back to the payer. The ledger records it once it is `succeeded`.
    pub enum RefundStatus {
        /// Written; the provider has not accepted it yet (the worker sends it, with retries).
        Pending = "pending",
        /// The provider accepted it and has not finished (its notification or a query tells).
        Processing = "processing",
        /// The money is back with the payer.
        Succeeded = "succeeded",
        /// The provider refused it for good: an operator returns the money another way.
        Failed = "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy
            + PartialEq
            + std::fmt::Debug
            + std::fmt::Display
            + std::str::FromStr
            + serde::Serialize
            + utoipa::PartialSchema,
    {
        for v in all {
            assert_eq!(v.to_string().parse::<T>().ok(), Some(*v));
            assert_eq!(serde_json::to_string(v).expect("serializes"), format!("\"{v}\""));
        }
        // The OpenAPI document lists the same names (clients and the fuzzer build requests from it).
        let schema = serde_json::to_value(T::schema()).expect("schema");
        let names: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert_eq!(schema["enum"], serde_json::json!(names), "{schema}");
    }

    #[test]
    fn every_status_reads_back_from_its_name_and_serializes_as_it() {
        round_trips(&RunStatus::ALL);
        round_trips(&ApprovalStatus::ALL);
        round_trips(&PaymentStatus::ALL);
        round_trips(&RefundStatus::ALL);
        round_trips(&crate::voucher::VoucherStatus::ALL);
        round_trips(&crate::fulfil::OrderStatus::ALL);
        round_trips(&crate::fulfil::TaskStatus::ALL);
        round_trips(&crate::fulfil::RiderStatus::ALL);
        round_trips(&crate::coupon::BatchStatus::ALL);
        round_trips(&crate::coupon::CouponStatus::ALL);
        round_trips(&crate::review::ReviewVisibility::ALL);
        round_trips(&crate::access::InvitationStatus::ALL);
        round_trips(&crate::fulfil::Mode::ALL);
        round_trips(&crate::campaign::ChannelKind::ALL);
        round_trips(&crate::campaign::EventKind::ALL);
        round_trips(&crate::campaign::Model::ALL);
        round_trips(&crate::customers::Segment::ALL);
        round_trips(&crate::membership::Level::ALL);
        round_trips(&crate::analytics::Granularity::ALL);
        round_trips(&crate::notice::MessageKind::ALL);
        round_trips(&crate::notice::Channel::ALL);
    }

    #[test]
    fn an_unknown_name_is_an_error_not_a_default() {
        let e = "paid".parse::<PaymentStatus>().expect_err("not a payment status");
        assert_eq!(e, UnknownName { kind: "PaymentStatus", name: "paid".into() });
        assert!("Active".parse::<RunStatus>().is_err(), "names are exact");
        let e = ApprovalStatus::parse_field("status", "maybe").expect_err("not a status");
        assert_eq!(e.field, "status");
        assert_eq!(e.msg, crate::Msg::new("field-one-of").with("choices", "pending, approved, rejected"));
    }
}
