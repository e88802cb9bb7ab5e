//! Reconciliation: a provider's bill for a day against what Lokal recorded. Each side is a list
//! of [`Line`]s — payments by our reference (`out_trade_no`) and refunds by our refund id
//! (`out_refund_no`) — and [`compare`] lists every difference: on one side only, another amount,
//! another status.

/// What a line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LineKind {
    /// A payment collected.
    Payment,
    /// A refund paid back.
    Refund,
}

impl LineKind {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            LineKind::Payment => "payment",
            LineKind::Refund => "refund",
        }
    }

    /// The kind of a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "payment" => Some(LineKind::Payment),
            "refund" => Some(LineKind::Refund),
            _ => None,
        }
    }
}

/// A line of a bill, or of our books in the same shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Payment or refund.
    pub kind: LineKind,
    /// Our reference: the payment's `out_trade_no`, the refund's id.
    pub reference: String,
    /// Minor units.
    pub amount: i64,
    /// `succeeded` (paid, or refunded to the payer), `processing`, `failed`, `pending`.
    pub status: String,
    /// The provider's fee on this line, in hundred-thousandths of a yuan (WeChat Pay's bills
    /// give fees to five decimals; a refund's fee is negative, the fee given back).
    pub fee_e5: i64,
    /// The provider's own id, if it gave one.
    pub provider_txn: String,
}

/// How the two sides differ about one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The provider has it; Lokal has no such payment or refund.
    MissingInLokal,
    /// Lokal has it as done; the provider's bill does not.
    MissingAtProvider,
    /// Both have it, with other amounts.
    Amount {
        /// Ours, minor units.
        ours: i64,
        /// The provider's.
        theirs: i64,
    },
    /// Both have it, in another state.
    Status {
        /// Ours.
        ours: String,
        /// The provider's.
        theirs: String,
    },
}

impl Difference {
    /// The stored name of the difference's kind.
    pub const fn kind(&self) -> &'static str {
        match self {
            Difference::MissingInLokal => "missing_in_lokal",
            Difference::MissingAtProvider => "missing_at_provider",
            Difference::Amount { .. } => "amount_mismatch",
            Difference::Status { .. } => "status_mismatch",
        }
    }
}

/// The outcome of comparing the two sides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// References on both sides that agree.
    pub matched: usize,
    /// The differences, by kind and then reference.
    pub differences: Vec<(LineKind, String, Difference)>,
}

/// Compares the provider's lines with ours. `elsewhere` answers for a provider line missing
/// from `ours`: our record of it if we have one outside the day (a payment settled just before
/// midnight on one side and just after on the other is not a difference), in the same shape.
pub fn compare(ours: &[Line], theirs: &[Line], mut elsewhere: impl FnMut(&Line) -> Option<Line>) -> Comparison {
    use std::collections::BTreeMap;
    let key = |l: &Line| (l.kind, l.reference.clone());
    let mut mine: BTreeMap<(LineKind, String), &Line> = ours.iter().map(|l| (key(l), l)).collect();
    let mut out = Comparison::default();
    let mut seen = std::collections::BTreeSet::new();
    for t in theirs {
        if !seen.insert(key(t)) {
            continue;
        }
        let found = mine.remove(&key(t)).cloned().or_else(|| elsewhere(t));
        let Some(o) = found else {
            out.differences.push((t.kind, t.reference.clone(), Difference::MissingInLokal));
            continue;
        };
        if o.status != t.status {
            let d = Difference::Status { ours: o.status.clone(), theirs: t.status.clone() };
            out.differences.push((t.kind, t.reference.clone(), d));
        } else if o.amount != t.amount {
            out.differences.push((
                t.kind,
                t.reference.clone(),
                Difference::Amount { ours: o.amount, theirs: t.amount },
            ));
        } else {
            out.matched += 1;
        }
    }
    for ((kind, reference), o) in mine {
        // What is not done on our side is not expected on the bill.
        if o.status == "succeeded" {
            out.differences.push((kind, reference, Difference::MissingAtProvider));
        }
    }
    out.differences.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    out
}

/// The instants `[from, to)` of a provider's day `YYYY-MM-DD` in Beijing time (UTC+8, the day
/// WeChat Pay's and Alipay's bills are cut by); `None` if `date` is not such a date.
pub fn beijing_day(date: &str) -> Option<(crate::Timestamp, crate::Timestamp)> {
    let b = date.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    if !shape || !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return None;
    }
    let from = crate::Timestamp::parse_rfc3339(&format!("{date}T00:00:00+08:00"))?;
    Some((from, from.plus_secs(86_400)))
}

/// The fees of `lines` in minor units (fen), rounded half away from zero once for the total.
pub fn fees_minor(lines: &[Line]) -> i64 {
    let e5: i64 = lines.iter().map(|l| l.fee_e5).sum();
    let (q, r) = (e5 / 1000, e5 % 1000);
    if r.abs() >= 500 { q + r.signum() } else { q }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: LineKind, reference: &str, amount: i64, status: &str) -> Line {
        Line {
            kind,
            reference: reference.into(),
            amount,
            status: status.into(),
            fee_e5: 0,
            provider_txn: String::new(),
        }
    }

    #[test]
    fn each_kind_of_difference_is_found_and_agreement_is_counted() {
        use LineKind::{Payment, Refund};
        let ours = vec![
            line(Payment, "a", 100, "succeeded"),
            line(Payment, "b", 200, "succeeded"),
            line(Payment, "c", 300, "pending"),
            line(Payment, "d", 400, "succeeded"),
            line(Refund, "r1", 50, "succeeded"),
            line(Payment, "e", 500, "failed"),
        ];
        let theirs = vec![
            line(Payment, "a", 100, "succeeded"),
            line(Payment, "b", 201, "succeeded"),
            line(Payment, "c", 300, "succeeded"),
            line(Payment, "x", 900, "succeeded"),
            line(Refund, "r1", 50, "succeeded"),
            line(Payment, "a", 100, "succeeded"),
        ];
        let c = compare(&ours, &theirs, |_| None);
        assert_eq!(c.matched, 2);
        let kinds: Vec<(&str, &str)> = c.differences.iter().map(|(_, r, d)| (r.as_str(), d.kind())).collect();
        assert_eq!(
            kinds,
            [
                ("b", "amount_mismatch"),
                ("c", "status_mismatch"),
                ("d", "missing_at_provider"),
                ("x", "missing_in_lokal")
            ]
        );
    }

    #[test]
    fn a_line_recorded_on_another_day_is_not_a_difference() {
        let theirs = vec![line(LineKind::Payment, "late", 100, "succeeded")];
        let c = compare(&[], &theirs, |l| Some(l.clone()));
        assert_eq!((c.matched, c.differences.len()), (1, 0));
    }

    #[test]
    fn a_day_is_cut_in_beijing_time() {
        let (from, to) = beijing_day("2026-12-07").expect("day");
        assert_eq!(from.to_rfc3339(), "2026-12-06T16:00:00.000Z");
        assert_eq!(to.to_rfc3339(), "2026-12-07T16:00:00.000Z");
        for bad in ["2026-13-01", "2026-12-7", "yesterday", "2026/12/07", ""] {
            assert_eq!(beijing_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn fees_are_summed_exactly_and_rounded_once() {
        let mut a = line(LineKind::Payment, "a", 1, "succeeded");
        a.fee_e5 = 600; // ¥0.00600
        let mut b = a.clone();
        b.fee_e5 = 600;
        let mut r = a.clone();
        r.fee_e5 = -100;
        assert_eq!(fees_minor(&[a.clone(), b]), 1, "¥0.012 is 1 fen");
        assert_eq!(fees_minor(&[a.clone(), a.clone(), a.clone()]), 2, "¥0.018 is 2 fen");
        assert_eq!(fees_minor(&[r]), 0);
    }
}
