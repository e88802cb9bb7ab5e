//! CSV for spreadsheets: RFC 4180 quoting, and text that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@` first) prefixed with `'` so exported names cannot execute.

/// One field.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// Minor units as a decimal amount (`12.30`, `-0.05`).
pub fn amount(minor: i64) -> String {
    lokal_core::money::decimal(minor)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(super::field("plain"), "plain");
        assert_eq!(super::field("a,b"), "\"a,b\"");
        assert_eq!(super::field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(super::field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::amount(-5), "-0.05");
    }
}
