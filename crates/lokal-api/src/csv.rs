//! CSV for spreadsheets: RFC 4180 quoting, and text that a spreadsheet would run as a formula
//! defused with a `'` — wherever a cell may begin: at the start of the field, and after a `;`,
//! a tab or a line break (spreadsheets set to another separator split the field there), leading
//! spaces skipped. Exported names, notes and titles cannot execute.

/// One field.
pub fn field(s: &str) -> String {
    let s = defuse(s);
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// `s` with a `'` before every `=`, `+`, `-`, `@`, tab or carriage return that begins a cell.
fn defuse(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut cell_starts = true;
    for c in s.chars() {
        if cell_starts && c != ' ' {
            if matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r') {
                out.push('\'');
            }
            cell_starts = false;
        }
        out.push(c);
        if matches!(c, ';' | '\t' | '\n' | '\r') {
            cell_starts = true;
        }
    }
    out
}

/// Minor units as a decimal amount (`12.30`, `-0.05`).
pub fn amount(minor: i64) -> String {
    lokal_core::money::decimal(minor)
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::amount(-5), "-0.05");
    }

    #[test]
    fn formulas_are_defused_wherever_a_cell_may_begin() {
        assert_eq!(field("Li;=1+1"), "Li;'=1+1", "after a semicolon");
        assert_eq!(field("Li\t+cmd"), "Li\t'+cmd", "after a tab");
        assert_eq!(field("Li;  -2+3"), "Li;  '-2+3", "after spaces");
        assert_eq!(field("  @SUM(A1)"), "  '@SUM(A1)", "leading spaces");
        assert_eq!(field("a\n=1"), "\"a\n'=1\"", "on a new line");
        assert_eq!(field("\t=1"), "'\t'=1", "a tab first, then a formula");
        assert_eq!(field("1-2=3;ok"), "1-2=3;ok", "inside a cell nothing begins");
        assert_eq!(field("王;老吉"), "王;老吉");
    }
}
