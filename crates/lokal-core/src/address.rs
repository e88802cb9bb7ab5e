//! A delivery address as people keep them in an address book (收货地址): a label (家, 公司), who
//! receives it and their phone, the address as a rider reads it, the door or room, and the pin
//! they placed on a map. Orders keep a snapshot, so changing or deleting an address never
//! changes an order.

use crate::account::Phone;
use crate::field::line_of_text;
use crate::geo::LatLng;
use crate::store::LatLngJson;
use crate::{FieldError, Msg};

/// An address as a client sends it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    /// A short name: `家`, `公司`, `Home` (up to 20 characters; may be empty).
    #[serde(default)]
    pub label: String,
    /// Who receives the order (1 to 40 characters).
    pub contact_name: String,
    /// Their phone (Chinese mobile numbers may omit +86).
    pub contact_phone: String,
    /// The address as a rider reads it: street, number, building (1 to 200 characters).
    pub address: String,
    /// The door, floor or room (up to 60 characters).
    #[serde(default)]
    pub door: String,
    /// The pin placed on the map.
    pub location: LatLngJson,
}

/// A checked address.
#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    /// Label.
    pub label: String,
    /// Who receives.
    pub contact_name: String,
    /// Their phone, E.164.
    pub contact_phone: Phone,
    /// The address.
    pub address: String,
    /// Door, floor or room.
    pub door: String,
    /// The pin.
    pub location: LatLng,
}

impl AddressInput {
    /// Checks every field, naming the first that is wrong.
    pub fn parse(&self) -> Result<Address, FieldError> {
        Ok(Address {
            label: line_of_text("label", &self.label, 20, false)?,
            contact_name: line_of_text("contact_name", &self.contact_name, 40, true)?,
            contact_phone: Phone::parse("contact_phone", &self.contact_phone)?,
            address: line_of_text("address", &self.address, 200, true)?,
            door: line_of_text("door", &self.door, 60, false)?,
            location: LatLng::new(self.location.lat, self.location.lng).map_err(|e| e.under("location"))?,
        })
    }
}

impl Address {
    /// The address and the door as one line for a rider: `人民大道 200 号 3 号楼 1201 室`.
    pub fn line(&self) -> String {
        if self.door.is_empty() { self.address.clone() } else { format!("{} {}", self.address, self.door) }
    }
}

/// At most this many addresses per person.
pub const MAX_ADDRESSES: usize = 50;

/// The refusal of one address too many.
pub fn too_many() -> FieldError {
    FieldError::new("address", Msg::new("address-book-full").with("max", MAX_ADDRESSES))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AddressInput {
        AddressInput {
            label: " 家 ".into(),
            contact_name: "小明".into(),
            contact_phone: "138 0013 8000".into(),
            address: "人民大道 200 号".into(),
            door: "3 号楼 1201".into(),
            location: LatLngJson { lat: 31.2304, lng: 121.4737 },
        }
    }

    #[test]
    fn an_address_is_checked_field_by_field() {
        let a = input().parse().expect("valid");
        assert_eq!(a.label, "家");
        assert_eq!(a.contact_phone.as_str(), "+8613800138000");
        assert_eq!(a.line(), "人民大道 200 号 3 号楼 1201");
        for (bad, field) in [
            (AddressInput { contact_name: " ".into(), ..input() }, "contact_name"),
            (AddressInput { contact_phone: "12".into(), ..input() }, "contact_phone"),
            (AddressInput { address: String::new(), ..input() }, "address"),
            (AddressInput { label: "x".repeat(21), ..input() }, "label"),
            (AddressInput { door: "a\u{0}b".into(), ..input() }, "door"),
            (AddressInput { location: LatLngJson { lat: 95.0, lng: 0.0 }, ..input() }, "location.lat"),
        ] {
            assert_eq!(bad.parse().map_err(|e| e.field), Err(field.into()));
        }
    }
}
