//! WeChat Pay's trade bill (交易账单, `GET /v3/bill/tradebill` then its `download_url`), both
//! sides: reading one and writing one (the tests' fake provider). WeChat Pay makes a day's bill
//! after 10:00 the next day (Beijing time); amounts are yuan with two decimals, fees with five.
//! The file is a header line, one line per trade — each field led by a backtick, fields
//! separated by commas — then a totals header and a totals line. Columns are found by their
//! header names, not their positions, so a column WeChat Pay adds does not shift the rest. The
//! download is not signed: its SHA1 (`hash_value` of the first answer) is checked instead.

use sha1::Digest;

/// The columns Lokal reads.
pub mod columns {
    /// 交易时间.
    pub const TIME: &str = "交易时间";
    /// 微信订单号: WeChat Pay's id of the payment.
    pub const TRANSACTION_ID: &str = "微信订单号";
    /// 商户订单号: our `out_trade_no`.
    pub const OUT_TRADE_NO: &str = "商户订单号";
    /// 交易状态: `SUCCESS`, `REFUND` (a refund line), `REVOKED`.
    pub const TRADE_STATE: &str = "交易状态";
    /// 订单金额 (yuan).
    pub const ORDER_AMOUNT: &str = "订单金额";
    /// 微信退款单号.
    pub const REFUND_ID: &str = "微信退款单号";
    /// 商户退款单号: our refund id.
    pub const OUT_REFUND_NO: &str = "商户退款单号";
    /// 申请退款金额 (yuan).
    pub const REFUND_AMOUNT: &str = "申请退款金额";
    /// 退款状态: `SUCCESS`, `PROCESSING`, …
    pub const REFUND_STATUS: &str = "退款状态";
    /// 手续费 (yuan, five decimals; negative on a refund line: the fee given back).
    pub const FEE: &str = "手续费";
    /// The first column of the totals' header.
    pub const TOTALS: &str = "总交易单数";
}

/// The header WeChat Pay's `ALL` bill has (普通商户).
pub const HEADER: &[&str] = &[
    "交易时间",
    "公众账号ID",
    "商户号",
    "特约商户号",
    "设备号",
    "微信订单号",
    "商户订单号",
    "用户标识",
    "交易类型",
    "交易状态",
    "付款银行",
    "货币种类",
    "应结订单金额",
    "代金券金额",
    "微信退款单号",
    "商户退款单号",
    "退款金额",
    "充值券退款金额",
    "退款类型",
    "退款状态",
    "商品名称",
    "商户数据包",
    "手续费",
    "费率",
    "订单金额",
    "申请退款金额",
    "费率备注",
];

/// One trade line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// `yyyy-MM-dd HH:mm:ss`, Beijing time.
    pub time: String,
    /// WeChat Pay's id of the payment.
    pub transaction_id: String,
    /// Our reference.
    pub out_trade_no: String,
    /// `SUCCESS`, `REFUND` or `REVOKED`.
    pub trade_state: String,
    /// The order's amount, fen.
    pub order_amount: i64,
    /// Refund lines: WeChat Pay's refund id, ours, the amount (fen) and the status.
    pub refund_id: String,
    /// Our refund id.
    pub out_refund_no: String,
    /// Fen.
    pub refund_amount: i64,
    /// `SUCCESS`, `PROCESSING`, …
    pub refund_status: String,
    /// Hundred-thousandths of a yuan.
    pub fee_e5: i64,
}

/// A bill that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A column Lokal needs is not in the header.
    #[error("the bill has no column {0}")]
    MissingColumn(&'static str),
    /// A line or value that does not read.
    #[error("the bill's line {0} does not read")]
    BadLine(usize),
    /// The file is not what its hash says.
    #[error("the bill's SHA1 is not the one WeChat Pay announced")]
    Hash,
}

/// Yuan text (`12.34`, `-0.00600`, with up to `decimals` decimals) in units of 10^-decimals.
pub fn units(text: &str, decimals: u32) -> Option<i64> {
    let t = text.trim();
    let (neg, t) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || frac.len() > decimals as usize
        || !(whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let scale = 10i64.checked_pow(decimals)?;
    let frac_units: i64 =
        if frac.is_empty() { 0 } else { frac.parse::<i64>().ok()? * 10i64.pow(decimals - frac.len() as u32) };
    let v = whole.parse::<i64>().ok()?.checked_mul(scale)?.checked_add(frac_units)?;
    Some(if neg { -v } else { v })
}

/// `units` as text with `decimals` decimals.
pub fn yuan(units: i64, decimals: u32) -> String {
    let scale = 10i64.pow(decimals);
    let sign = if units < 0 { "-" } else { "" };
    let a = units.unsigned_abs();
    format!("{sign}{}.{:0width$}", a / scale.unsigned_abs(), a % scale.unsigned_abs(), width = decimals as usize)
}

/// The lowercase hex SHA1 of `bytes` (the bill's `hash_value`).
pub fn sha1_hex(bytes: &[u8]) -> String {
    let digest = sha1::Sha1::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the downloaded file against the announced hash (case-insensitive hex).
pub fn check_hash(bytes: &[u8], announced: &str) -> Result<(), Error> {
    if sha1_hex(bytes).eq_ignore_ascii_case(announced.trim()) { Ok(()) } else { Err(Error::Hash) }
}

fn fields(line: &str) -> Vec<String> {
    let line = line.trim_end_matches(['\r', '\n']);
    let line = line.strip_prefix('`').unwrap_or(line);
    line.split(",`").map(|f| f.trim().to_owned()).collect()
}

/// Reads a bill's trade lines.
pub fn parse(text: &str) -> Result<Vec<Row>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else { return Ok(Vec::new()) };
    let header: Vec<&str> = header.split(',').map(|h| h.trim().trim_start_matches('`')).collect();
    let col = |name: &'static str| header.iter().position(|h| *h == name).ok_or(Error::MissingColumn(name));
    let (time, txn, trade_no, state, amount) = (
        col(columns::TIME)?,
        col(columns::TRANSACTION_ID)?,
        col(columns::OUT_TRADE_NO)?,
        col(columns::TRADE_STATE)?,
        col(columns::ORDER_AMOUNT)?,
    );
    let (refund_id, refund_no, refund_amount, refund_status, fee) = (
        col(columns::REFUND_ID)?,
        col(columns::OUT_REFUND_NO)?,
        col(columns::REFUND_AMOUNT)?,
        col(columns::REFUND_STATUS)?,
        col(columns::FEE)?,
    );
    let mut rows = Vec::new();
    for (n, line) in lines {
        if line.trim_start().starts_with(columns::TOTALS) {
            break;
        }
        let f = fields(line);
        let get = |i: usize| f.get(i).map(String::as_str).ok_or(Error::BadLine(n + 1));
        let money = |i: usize, d: u32| {
            get(i).and_then(|v| if v.is_empty() { Ok(0) } else { units(v, d).ok_or(Error::BadLine(n + 1)) })
        };
        rows.push(Row {
            time: get(time)?.to_owned(),
            transaction_id: get(txn)?.to_owned(),
            out_trade_no: get(trade_no)?.to_owned(),
            trade_state: get(state)?.to_owned(),
            order_amount: money(amount, 2)?,
            refund_id: get(refund_id)?.to_owned(),
            out_refund_no: get(refund_no)?.to_owned(),
            refund_amount: money(refund_amount, 2)?,
            refund_status: get(refund_status)?.to_owned(),
            fee_e5: money(fee, 5)?,
        });
    }
    Ok(rows)
}

/// Writes a bill of `rows` for merchant `mchid` and app `appid`, as WeChat Pay does.
pub fn render(rows: &[Row], mchid: &str, appid: &str) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for r in rows {
        let refund = r.trade_state == "REFUND";
        let values: Vec<String> = HEADER
            .iter()
            .map(|h| match *h {
                "交易时间" => r.time.clone(),
                "公众账号ID" => appid.to_owned(),
                "商户号" => mchid.to_owned(),
                "特约商户号" => "0".to_owned(),
                "微信订单号" => r.transaction_id.clone(),
                "商户订单号" => r.out_trade_no.clone(),
                "交易类型" => "NATIVE".to_owned(),
                "交易状态" => r.trade_state.clone(),
                "付款银行" => "OTHERS".to_owned(),
                "货币种类" => "CNY".to_owned(),
                "应结订单金额" | "订单金额" => yuan(if refund { 0 } else { r.order_amount }, 2),
                "代金券金额" | "充值券退款金额" => yuan(0, 2),
                "微信退款单号" => r.refund_id.clone(),
                "商户退款单号" => r.out_refund_no.clone(),
                "退款金额" | "申请退款金额" => yuan(r.refund_amount, 2),
                "退款类型" => {
                    if refund {
                        "ORIGINAL".to_owned()
                    } else {
                        String::new()
                    }
                }
                "退款状态" => r.refund_status.clone(),
                "手续费" => yuan(r.fee_e5, 5),
                "费率" => "0.60%".to_owned(),
                _ => String::new(),
            })
            .collect();
        out.push('`');
        out.push_str(&values.join(",`"));
        out.push_str("\r\n");
    }
    let paid: i64 = rows.iter().filter(|r| r.trade_state != "REFUND").map(|r| r.order_amount).sum();
    let refunded: i64 = rows.iter().map(|r| r.refund_amount).sum();
    let fees: i64 = rows.iter().map(|r| r.fee_e5).sum();
    out.push_str("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n");
    out.push_str(&format!(
        "`{},`{},`{},`0.00,`{},`{},`{}\r\n",
        rows.len(),
        yuan(paid, 2),
        yuan(refunded, 2),
        yuan(fees, 5),
        yuan(paid, 2),
        yuan(refunded, 2)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_text_reads_exactly_in_either_direction() {
        assert_eq!(units("12.34", 2), Some(1234));
        assert_eq!(units("0.01", 2), Some(1));
        assert_eq!(units("-0.00600", 5), Some(-600));
        assert_eq!(units("7", 2), Some(700));
        assert_eq!(units("1.234", 2), None, "too many decimals");
        assert_eq!(units("1,00", 2), None);
        assert_eq!(units("", 2), None);
        for v in [0, 1, 99, 100, 123_456, -600] {
            assert_eq!(units(&yuan(v, 5), 5), Some(v));
        }
    }

    #[test]
    fn a_written_bill_reads_back_and_its_hash_is_checked() {
        let rows = vec![
            Row {
                time: "2026-12-07 10:00:00".into(),
                transaction_id: "4200000001".into(),
                out_trade_no: "a1b2c3".into(),
                trade_state: "SUCCESS".into(),
                order_amount: 1800,
                fee_e5: 1080,
                ..Row::default()
            },
            Row {
                time: "2026-12-07 11:00:00".into(),
                transaction_id: "4200000001".into(),
                out_trade_no: "a1b2c3".into(),
                trade_state: "REFUND".into(),
                refund_id: "50000001".into(),
                out_refund_no: "rf_1".into(),
                refund_amount: 900,
                refund_status: "SUCCESS".into(),
                fee_e5: -540,
                ..Row::default()
            },
        ];
        let text = render(&rows, "1900000109", "wx1");
        let read = parse(&text).expect("reads");
        assert_eq!(read[0], Row { order_amount: 1800, ..rows[0].clone() });
        assert_eq!((read[1].out_refund_no.as_str(), read[1].refund_amount, read[1].fee_e5), ("rf_1", 900, -540));
        check_hash(text.as_bytes(), &sha1_hex(text.as_bytes()).to_uppercase()).expect("hash");
        assert_eq!(check_hash(b"other", &sha1_hex(text.as_bytes())), Err(Error::Hash));
        assert_eq!(parse("交易时间,商户订单号\r\n"), Err(Error::MissingColumn("微信订单号")));
    }
}
