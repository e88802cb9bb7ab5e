//! How stores, menu items, deals and reviews refer to photos: by an uploaded photo's id (as
//! `POST /api/v1/uploads` answers it) or its path, or by the URL of a photo elsewhere on the web.
//! Every reference is kept in one form: `/media/<id>/w800.jpg` for an uploaded photo, the URL
//! otherwise, so pages need not know which it was.

use crate::FieldError;

/// The longest reference kept, characters.
pub const MAX_LEN: usize = 500;

/// Whether `s` is an uploaded photo's id: a UUID in its hyphenated form.
fn is_id(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// The id of an uploaded photo's path (`/media/<id>/w200.jpg` or `w800.jpg`), if `s` is one.
pub fn uploaded_id(s: &str) -> Option<&str> {
    let (id, file) = s.strip_prefix("/media/")?.split_once('/')?;
    (is_id(id) && matches!(file, "w200.jpg" | "w800.jpg")).then_some(id)
}

/// The path of an uploaded photo's 800-pixel variant.
pub fn large(id: &str) -> String {
    format!("/media/{}/w800.jpg", id.to_ascii_lowercase())
}

/// The thumbnail of a photo: an uploaded photo's 200-pixel variant; another as it is.
pub fn thumbnail(url: &str) -> String {
    match uploaded_id(url) {
        Some(id) => format!("/media/{id}/w200.jpg"),
        None => url.to_owned(),
    }
}

/// Checks one reference and keeps it in its one form. `http://` URLs are accepted only when
/// `plain_http` (a store's older photos); whitespace, quotes and angle brackets never.
pub fn parse_ref(field: &str, s: &str, plain_http: bool) -> Result<String, FieldError> {
    let s = s.trim();
    if is_id(s) {
        return Ok(large(s));
    }
    if let Some(id) = uploaded_id(s) {
        return Ok(large(id));
    }
    let web = s.strip_prefix("https://").or_else(|| if plain_http { s.strip_prefix("http://") } else { None });
    let ok = web.is_some_and(|rest| !rest.is_empty())
        && s.chars().count() <= MAX_LEN
        && !s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>'));
    if ok { Ok(s.to_owned()) } else { Err(FieldError::new(field, crate::Msg::new("field-photo").with("max", MAX_LEN))) }
}

/// Checks a list of at most `max` references (`field[i]` names a bad one); repeats are dropped.
pub fn parse_list(field: &str, items: &[String], max: usize, plain_http: bool) -> Result<Vec<String>, FieldError> {
    if items.len() > max {
        return Err(FieldError::new(field, crate::Msg::new("field-too-many").with("max", max)));
    }
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for (i, s) in items.iter().enumerate() {
        let p = parse_ref(&format!("{field}[{i}]"), s, plain_http)?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0190f3a2-7b1c-7def-8a00-0123456789ab";

    #[test]
    fn ids_and_paths_of_uploads_become_one_form() {
        assert_eq!(parse_ref("p", ID, false).expect("accepted"), format!("/media/{ID}/w800.jpg"));
        assert_eq!(parse_ref("p", &ID.to_uppercase(), false).expect("accepted"), format!("/media/{ID}/w800.jpg"));
        assert_eq!(
            parse_ref("p", &format!("/media/{ID}/w200.jpg"), false).expect("accepted"),
            format!("/media/{ID}/w800.jpg")
        );
        assert_eq!(
            parse_ref("p", " https://img.example/a.jpg ", false).expect("accepted"),
            "https://img.example/a.jpg"
        );
        assert_eq!(thumbnail(&large(ID)), format!("/media/{ID}/w200.jpg"));
        assert_eq!(thumbnail("https://img.example/a.jpg"), "https://img.example/a.jpg");
    }

    #[test]
    fn anything_else_is_refused_naming_the_field() {
        for bad in [
            "",
            "https://",
            "javascript:alert(1)",
            "http://tracker.example/p.gif",
            "https://a.example/x\" onerror=\"y",
            "/media/../secret/w800.jpg",
            "/media/0190f3a2/w800.jpg",
            &format!("/media/{ID}/original.png"),
            &format!("https://a.example/{}", "x".repeat(MAX_LEN)),
        ] {
            assert_eq!(parse_ref("photo", bad, false).expect_err("refused").field, "photo", "{bad}");
        }
        assert!(parse_ref("p", "http://img.example/a.jpg", true).is_ok());
        let many: Vec<String> = (0..10).map(|i| format!("https://img.example/{i}.jpg")).collect();
        assert_eq!(parse_list("photos", &many, 9, false).expect_err("refused").field, "photos");
        let bad = vec![ID.to_owned(), "nope".to_owned()];
        assert_eq!(parse_list("photos", &bad, 9, false).expect_err("refused").field, "photos[1]");
        assert_eq!(parse_list("photos", &[ID.to_owned(), large(ID)], 9, false).expect("accepted").len(), 1);
    }
}
