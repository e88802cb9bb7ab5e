//! The catalog: items with option groups, and what a store may change about them.

use crate::FieldError;
use crate::account::DisplayName;

/// One choice in an option group (a size, a spice level, an add-on).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceJson {
    /// What the customer sees.
    pub name: String,
    /// Added to the item's price, minor units (may be 0).
    #[serde(default)]
    pub price_delta: i64,
}

/// A group of choices.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionGroupJson {
    /// The group's name (`Size`, `Spice`, `Add-ons`).
    pub name: String,
    /// The customer must choose at least one.
    #[serde(default)]
    pub required: bool,
    /// At most this many choices (1 for "pick one").
    pub max_choices: u32,
    /// The choices.
    pub choices: Vec<ChoiceJson>,
}

/// An item as a merchant sends it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemJson {
    /// The item's name, 1 to 64 characters.
    #[schema(example = "毛肚 Beef tripe")]
    pub name: String,
    /// The menu section (default `Menu`).
    pub section: Option<String>,
    /// Up to 500 characters.
    pub description: Option<String>,
    /// Brand price in minor units (0 to 10,000,000).
    pub price: i64,
    /// Option groups (at most 10, each with 1 to 30 choices).
    #[serde(default)]
    pub options: Vec<OptionGroupJson>,
    /// Its photo: an uploaded photo's id (`POST /api/v1/uploads`) or an https URL; none when
    /// left out or empty.
    pub photo: Option<String>,
}

/// A checked item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemContent {
    /// Name.
    pub name: String,
    /// Menu section.
    pub section: String,
    /// Description.
    pub description: String,
    /// Brand price, minor units.
    pub price: i64,
    /// Option groups.
    pub options: Vec<OptionGroupJson>,
    /// Its photo (`/media/<id>/w800.jpg` or a URL), or empty.
    pub photo: String,
}

const MAX_PRICE: i64 = 10_000_000;

impl ItemContent {
    /// Checks an item; the error names the first bad field (`options[1].choices[0].price_delta`).
    pub fn parse(j: ItemJson) -> Result<Self, FieldError> {
        let name = DisplayName::parse("name", &j.name)?.as_str().to_owned();
        let section = DisplayName::parse("section", j.section.as_deref().unwrap_or("Menu"))?.as_str().to_owned();
        let description = j.description.unwrap_or_default().trim().to_owned();
        if description.chars().count() > 500 {
            return Err(FieldError::new("description", crate::Msg::new("field-too-long").with("max", 500)));
        }
        if !(0..=MAX_PRICE).contains(&j.price) {
            return Err(FieldError::new("price", crate::field::amount_between(0, MAX_PRICE)));
        }
        if j.options.len() > 10 {
            return Err(FieldError::new("options", crate::Msg::new("field-too-many").with("max", 10)));
        }
        let mut options = Vec::with_capacity(j.options.len());
        for (g, group) in j.options.into_iter().enumerate() {
            let field = |f: &str| format!("options[{g}].{f}");
            let name = DisplayName::parse(&field("name"), &group.name)?.as_str().to_owned();
            if group.choices.is_empty() || group.choices.len() > 30 {
                return Err(FieldError::new(
                    field("choices"),
                    crate::Msg::new("field-entries").with("min", 1).with("max", 30),
                ));
            }
            if group.max_choices == 0 || group.max_choices as usize > group.choices.len() {
                return Err(FieldError::new(field("max_choices"), "field-max-choices"));
            }
            let mut choices = Vec::with_capacity(group.choices.len());
            for (c, choice) in group.choices.into_iter().enumerate() {
                let cname =
                    DisplayName::parse(&field(&format!("choices[{c}].name")), &choice.name)?.as_str().to_owned();
                if !(-MAX_PRICE..=MAX_PRICE).contains(&choice.price_delta) {
                    return Err(FieldError::new(
                        field(&format!("choices[{c}].price_delta")),
                        crate::field::amount_between(-MAX_PRICE, MAX_PRICE),
                    ));
                }
                choices.push(ChoiceJson { name: cname, price_delta: choice.price_delta });
            }
            options.push(OptionGroupJson { name, required: group.required, max_choices: group.max_choices, choices });
        }
        let photo = match j.photo.as_deref().map(str::trim) {
            None | Some("") => String::new(),
            Some(p) => crate::photo::parse_ref("photo", p, false)?,
        };
        Ok(Self { name, section, description, price: j.price, options, photo })
    }
}

/// What a store may change about an item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreItemJson {
    /// The store's own price (minor units); the brand price when absent.
    pub price: Option<i64>,
    /// Units left; unlimited when absent.
    pub stock: Option<i64>,
    /// Switched off for now.
    #[serde(default)]
    pub sold_out: bool,
}

impl StoreItemJson {
    /// Checks the override.
    pub fn check(&self) -> Result<(), FieldError> {
        if self.price.is_some_and(|p| !(0..=MAX_PRICE).contains(&p)) {
            return Err(FieldError::new("price", crate::field::amount_between(0, MAX_PRICE)));
        }
        if self.stock.is_some_and(|s| !(0..=1_000_000).contains(&s)) {
            return Err(FieldError::new("stock", crate::field::between(0, 1_000_000)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> ItemJson {
        ItemJson {
            name: "毛肚".into(),
            price: 3800,
            options: vec![OptionGroupJson {
                name: "Spice".into(),
                required: true,
                max_choices: 1,
                choices: vec![
                    ChoiceJson { name: "Mild".into(), price_delta: 0 },
                    ChoiceJson { name: "Numbing".into(), price_delta: 200 },
                ],
            }],
            ..ItemJson::default()
        }
    }

    #[test]
    fn a_good_item_keeps_its_options_and_defaults_its_section() {
        let i = ItemContent::parse(item()).expect("valid");
        assert_eq!((i.section.as_str(), i.options[0].choices.len()), ("Menu", 2));
    }

    #[test]
    fn bad_parts_are_named() {
        let mut j = item();
        j.price = -1;
        assert_eq!(ItemContent::parse(j).expect_err("price").field, "price");
        let mut j = item();
        j.options[0].max_choices = 3;
        assert_eq!(ItemContent::parse(j).expect_err("max").field, "options[0].max_choices");
        let mut j = item();
        j.options[0].choices[1].name = " ".into();
        assert_eq!(ItemContent::parse(j).expect_err("choice").field, "options[0].choices[1].name");
        assert_eq!(
            StoreItemJson { stock: Some(-1), ..StoreItemJson::default() }.check().expect_err("stock").field,
            "stock"
        );
    }
}
