//! Wire names: the serde types of `lokal_pay::wechatpay_api` against the JSON examples of WeChat Pay API v3's own
//! documentation for ordinary merchants (直连商户) on pay.weixin.qq.com. Each documented example must read into our
//! type (the fields Lokal does not use are ignored), and what we write must use only names the example has, with
//! the example's values. Lokal's gateway and the tests' fake WeChat Pay share these types, so a misnamed field
//! would pass every other test: only the documentation can catch it.
//!
//! The pages (each example below names its own):
//! - Native下单: <https://pay.weixin.qq.com/doc/v3/merchant/4012791877>
//! - JSAPI/小程序下单: <https://pay.weixin.qq.com/doc/v3/merchant/4012791856>
//! - H5下单: <https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_3_1.shtml>,
//!   <https://pay.weixin.qq.com/doc/v3/merchant/4012525153>
//! - 商户订单号查询订单: <https://pay.weixin.qq.com/docs/merchant/apis/native-payment/query-by-out-trade-no.html>
//! - 申请退款: <https://pay.weixin.qq.com/docs/merchant/products/refund/apilist.html>
//! - 支付成功回调通知: <https://pay.weixin.qq.com/docs/merchant/apis/h5-payment/payment-notice.html>,
//!   <https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_5.shtml>
//! - 退款结果回调通知: <https://pay.weixin.qq.com/doc/v3/merchant/4012791865>
//! - 基本规则 (error bodies): <https://pay.weixin.qq.com/docs/merchant/development/interface-rules/basic-rules.html>
//!
//! How each example was copied: tests/data/README.md.

use lokal_pay::wechatpay_api::{
    Amount, ApiError, H5Info, Notification, Payer, Prepay, PrepayAnswer, Refund, RefundAmount, RefundCreate,
    RefundedAmount, SceneInfo, Transaction, TransactionAmount, callback_failure,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

// Native下单, 请求示例 (the body of its curl example):
// https://pay.weixin.qq.com/doc/v3/merchant/4012791877
const NATIVE_PREPAY: &str = r#"{
  "appid" : "wxd678efh567hg6787",
  "mchid" : "1230000109",
  "description" : "Image形象店-深圳腾大-QQ公仔",
  "out_trade_no" : "1217752501201407033233368018",
  "time_expire" : "2018-06-08T10:34:56+08:00",
  "attach" : "自定义数据说明",
  "notify_url" : " https://www.weixin.qq.com/wxpay/pay.php",
  "goods_tag" : "WXG",
  "support_fapiao" : false,
  "amount" : {
    "total" : 100,
    "currency" : "CNY"
  },
  "detail" : {
    "cost_price" : 608800,
    "invoice_id" : "微信123",
    "goods_detail" : [
      {
        "merchant_goods_id" : "1246464644",
        "wechatpay_goods_id" : "1001",
        "goods_name" : "iPhoneX 256G",
        "quantity" : 1,
        "unit_price" : 528800
      }
    ]
  },
  "scene_info" : {
    "payer_client_ip" : "14.23.150.211",
    "device_id" : "013467007045764",
    "store_info" : {
      "id" : "0001",
      "name" : "腾讯大厦分店",
      "area_code" : "440305",
      "address" : "广东省深圳市南山区科技中一道10000号"
    }
  },
  "settle_info" : {
    "profit_sharing" : false
  }
}"#;

// Native下单, 应答示例: https://pay.weixin.qq.com/doc/v3/merchant/4012791877
const NATIVE_ANSWER: &str = r#"{
  "code_url" : "weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00"
}"#;

// JSAPI/小程序下单, 请求示例 (the body of its curl example):
// https://pay.weixin.qq.com/doc/v3/merchant/4012791856
const JSAPI_PREPAY: &str = r#"{
  "appid" : "wxd678efh567hg6787",
  "mchid" : "1230000109",
  "description" : "Image形象店-深圳腾大-QQ公仔",
  "out_trade_no" : "1217752501201407033233368018",
  "time_expire" : "2018-06-08T10:34:56+08:00",
  "attach" : "自定义数据说明",
  "notify_url" : " https://www.weixin.qq.com/wxpay/pay.php",
  "goods_tag" : "WXG",
  "support_fapiao" : false,
  "amount" : {
    "total" : 100,
    "currency" : "CNY"
  },
  "payer" : {
    "openid" : "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
  },
  "detail" : {
    "cost_price" : 608800,
    "invoice_id" : "微信123",
    "goods_detail" : [
      {
        "merchant_goods_id" : "1246464644",
        "wechatpay_goods_id" : "1001",
        "goods_name" : "iPhoneX 256G",
        "quantity" : 1,
        "unit_price" : 528800
      }
    ]
  },
  "scene_info" : {
    "payer_client_ip" : "14.23.150.211",
    "device_id" : "013467007045764",
    "store_info" : {
      "id" : "0001",
      "name" : "腾讯大厦分店",
      "area_code" : "440305",
      "address" : "广东省深圳市南山区科技中一道10000号"
    }
  },
  "settle_info" : {
    "profit_sharing" : false
  }
}"#;

// JSAPI/小程序下单, 应答示例: https://pay.weixin.qq.com/doc/v3/merchant/4012791856
const JSAPI_ANSWER: &str = r#"{
  "prepay_id" : "wx201410272009395522657a690389285100"
}"#;

// H5下单API, 请求示例 (2020.05.26 edition): https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_3_1.shtml
const H5_PREPAY: &str = r#"{
    "mchid": "1900006XXX",
    "out_trade_no": "H51217752501201407033233368018",
    "appid": "wxdace645e0bc2cXXX",
    "description": "Image形象店-深圳腾大-QQ公仔",
    "notify_url": "https://weixin.qq.com/",
    "amount": {
        "total": 1,
        "currency": "CNY"
    },
    "scene_info": {
        "payer_client_ip": "127.0.0.1",
        "h5_info": {
            "type": "Wap"
        }
    }
}"#;

// H5下单API, 返回示例: https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_3_1.shtml
// (The one line is longer than this file's lines: it is split here, not in the JSON.)
const H5_ANSWER: &str = concat!(
    r#"{"h5_url": "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?"#,
    r#"prepay_id=wx2916263004719461949c84457c735b0000&package=2150917749"}"#
);

// 商户订单号查询订单, 应答示例 (`"\t"` is the example's own, a JSON escape):
// https://pay.weixin.qq.com/docs/merchant/apis/native-payment/query-by-out-trade-no.html
const QUERY_ANSWER: &str = r#"{
  "appid" : "wxd678efh567hg6787",
  "mchid" : "1230000109",
  "out_trade_no" : "1217752501201407033233368018",
  "transaction_id" : "1217752501201407033233368018",
  "trade_type" : "APP",
  "trade_state" : "SUCCESS",
  "trade_state_desc" : "支付成功",
  "bank_type" : "CMC",
  "attach" : "自定义数据",
  "success_time" : "2018-06-08T10:34:56+08:00",
  "payer" : {
    "openid" : "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o\t"
  },
  "amount" : {
    "total" : 100,
    "payer_total" : 90,
    "currency" : "CNY",
    "payer_currency" : "CNY"
  },
  "scene_info" : {
    "device_id" : "013467007045764"
  },
  "promotion_detail" : [
    {
      "coupon_id" : "109519",
      "name" : "单品惠-6",
      "scope" : "SINGLE",
      "type" : "CASH",
      "amount" : 10,
      "stock_id" : "931386",
      "wechatpay_contribute" : 0,
      "merchant_contribute" : 10,
      "other_contribute" : 0,
      "currency" : "CNY",
      "goods_detail" : [
        {
          "goods_id" : "M1006",
          "quantity" : 1,
          "unit_price" : 100,
          "discount_amount" : 10,
          "goods_remark" : "商品备注信息"
        }
      ]
    }
  ]
}"#;

// 申请退款 (POST /v3/refund/domestic/refunds), 请求示例 (the body of its curl example):
// https://pay.weixin.qq.com/docs/merchant/products/refund/apilist.html
const REFUND_REQUEST: &str = r#"{
  "transaction_id" : "1217752501201407033233368018",
  "out_trade_no" : "1217752501201407033233368018",
  "out_refund_no" : "1217752501201407033233368018",
  "reason" : "商品已售完",
  "notify_url" : "https://weixin.qq.com",
  "funds_account" : "AVAILABLE",
  "amount" : {
    "refund" : 888,
    "from" : [
      {
        "account" : "AVAILABLE",
        "amount" : 444
      }
    ],
    "total" : 888,
    "currency" : "CNY"
  },
  "goods_detail" : [
    {
      "merchant_goods_id" : "1217752501201407033233368018",
      "wechatpay_goods_id" : "1001",
      "goods_name" : "iPhone6s 16G",
      "unit_price" : 528800,
      "refund_amount" : 528800,
      "refund_quantity" : 1
    }
  ]
}"#;

// 申请退款, 应答示例: https://pay.weixin.qq.com/docs/merchant/products/refund/apilist.html
const REFUND_ANSWER: &str = r#"{
  "refund_id" : "50000000382019052709732678859",
  "out_refund_no" : "1217752501201407033233368018",
  "transaction_id" : "1217752501201407033233368018",
  "out_trade_no" : "1217752501201407033233368018",
  "channel" : "ORIGINAL",
  "user_received_account" : "招商银行信用卡0403",
  "success_time" : "2020-12-01T16:18:12+08:00",
  "create_time" : "2020-12-01T16:18:12+08:00",
  "status" : "SUCCESS",
  "funds_account" : "UNSETTLED",
  "amount" : {
    "total" : 100,
    "refund" : 100,
    "from" : [
      {
        "account" : "AVAILABLE",
        "amount" : 444
      }
    ],
    "payer_total" : 90,
    "payer_refund" : 90,
    "settlement_refund" : 100,
    "settlement_total" : 100,
    "discount_refund" : 10,
    "currency" : "CNY",
    "refund_fee" : 100
  },
  "promotion_detail" : [
    {
      "promotion_id" : "109519",
      "scope" : "GLOBAL",
      "type" : "COUPON",
      "amount" : 5,
      "refund_amount" : 100,
      "goods_detail" : [
        {
          "merchant_goods_id" : "1217752501201407033233368018",
          "wechatpay_goods_id" : "1001",
          "goods_name" : "iPhone6s 16G",
          "unit_price" : 528800,
          "refund_amount" : 528800,
          "refund_quantity" : 1
        }
      ]
    }
  ]
}"#;

// 支付成功回调通知, 支付成功结果通知: https://pay.weixin.qq.com/docs/merchant/apis/h5-payment/payment-notice.html
const PAYMENT_NOTIFICATION: &str = r#"{
    "id": "EV-2018022511223320873",
    "create_time": "2015-05-20T13:29:35+08:00",
    "resource_type": "encrypt-resource",
    "event_type": "TRANSACTION.SUCCESS",
    "summary": "支付成功",
    "resource": {
        "original_type": "transaction",
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": "",
        "associated_data": "",
        "nonce": ""
    }
}"#;

// 支付通知API, 商户对resource对象进行解密后，得到的资源对象示例:
// https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_5.shtml
const PAYMENT_RESOURCE: &str = r#"{
    "transaction_id":"1217752501201407033233368018",
    "amount":{
        "payer_total":100,
        "total":100,
        "currency":"CNY",
        "payer_currency":"CNY"
    },
    "mchid":"1230000109",
    "trade_state":"SUCCESS",
    "bank_type":"CMC",
    "promotion_detail":[
        {
            "amount":100,
            "wechatpay_contribute":0,
            "coupon_id":"109519",
            "scope":"GLOBAL",
            "merchant_contribute":0,
            "name":"单品惠-6",
            "other_contribute":0,
            "currency":"CNY",
            "stock_id":"931386",
            "goods_detail":[
                {
                    "goods_remark":"商品备注信息",
                    "quantity":1,
                    "discount_amount":1,
                    "goods_id":"M1006",
                    "unit_price":100
                },
                {
                    "goods_remark":"商品备注信息",
                    "quantity":1,
                    "discount_amount":1,
                    "goods_id":"M1006",
                    "unit_price":100
                }
            ]
        },
        {
            "amount":100,
            "wechatpay_contribute":0,
            "coupon_id":"109519",
            "scope":"GLOBAL",
            "merchant_contribute":0,
            "name":"单品惠-6",
            "other_contribute":0,
            "currency":"CNY",
            "stock_id":"931386",
            "goods_detail":[
                {
                    "goods_remark":"商品备注信息",
                    "quantity":1,
                    "discount_amount":1,
                    "goods_id":"M1006",
                    "unit_price":100
                },
                {
                    "goods_remark":"商品备注信息",
                    "quantity":1,
                    "discount_amount":1,
                    "goods_id":"M1006",
                    "unit_price":100
                }
            ]
        }
    ],
    "success_time":"2018-06-08T10:34:56+08:00",
    "payer":{
        "openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    },
    "out_trade_no":"1217752501201407033233368018",
    "appid":"wxd678efh567hg6787",
    "trade_state_desc":"支付成功",
    "trade_type":"MICROPAY",
    "attach":"自定义数据",
    "scene_info":{
        "device_id":"013467007045764"
    }
}"#;

// 退款结果回调通知, 回调报文: https://pay.weixin.qq.com/doc/v3/merchant/4012791865
const REFUND_NOTIFICATION: &str = r#"{
    "id": "EV-2018022511223320873",
    "create_time": "2018-06-08T10:34:56+08:00",
    "resource_type": "encrypt-resource",
    "event_type": "REFUND.SUCCESS",
    "summary": "退款成功",
    "resource": {
        "algorithm": "AEAD_AES_256_GCM",
        "original_type": "refund",
        "ciphertext": "...",
        "nonce": "...",
        "associated_data": ""
    }
}"#;

// 退款结果回调通知, 解密后的退款详情: https://pay.weixin.qq.com/doc/v3/merchant/4012791865
const REFUND_RESOURCE: &str = r#"{
    "mchid": "1900000100",
    "transaction_id": "1008450740201411110005820873",
    "out_trade_no": "20150806125346",
    "refund_id": "50200207182018070300011301001",
    "out_refund_no": "7752501201407033233368018",
    "refund_status": "SUCCESS",
    "success_time": "2018-06-08T10:34:56+08:00",
    "user_received_account": "招商银行信用卡0403",
    "amount": {
        "total": 999,
        "refund": 999,
        "payer_total": 999,
        "payer_refund": 999
    }
}"#;

// 退款结果回调通知, 验签不通过时的应答报文: https://pay.weixin.qq.com/doc/v3/merchant/4012791865
const CALLBACK_FAILURE: &str = r#"{"code": "FAIL", "message": "失败"}"#;

// 基本规则, 错误信息, detail返回示例:
// https://pay.weixin.qq.com/docs/merchant/development/interface-rules/basic-rules.html
const PARAM_ERROR: &str = r#"{
  "code": "PARAM_ERROR",
  "message": "参数错误",
  "detail": {
    "field": "/amount/currency",
    "value": "XYZ",
    "issue": "Currency code is invalid",
    "location" :"body"
  }
}"#;

/// A documented example read into one of our types.
fn read<T: DeserializeOwned>(example: &str, what: &str) -> T {
    match serde_json::from_str(example) {
        Ok(value) => value,
        Err(error) => panic!("the documented {what} example does not read into our type: {error}"),
    }
}

/// A documented example as plain JSON.
fn json(example: &str) -> Value {
    serde_json::from_str(example).expect("every documented example is JSON")
}

/// What we write, as plain JSON.
fn written<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("our types serialize")
}

/// The dotted names of every field a JSON value has, sorted: `amount.currency`, `amount.total`, `appid`, ….
fn names(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: &str, out: &mut Vec<String>) {
        match value {
            Value::Object(fields) => {
                for (key, inner) in fields {
                    let name = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                    walk(inner, &name, out);
                }
            }
            _ => out.push(at.to_owned()),
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out.sort();
    out
}

/// Every field `ours` writes is one the documented example has, with the example's value.
fn assert_within(ours: &Value, documented: &Value, at: &str) {
    if let (Value::Object(ours), Value::Object(documented)) = (ours, documented) {
        for (key, value) in ours {
            let name = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
            let Some(theirs) = documented.get(key) else {
                panic!("we write `{name}`, which the documented example does not have");
            };
            assert_within(value, theirs, &name);
        }
    } else {
        assert_eq!(ours, documented, "`{at}`: what we write against what the documentation shows");
    }
}

/// A Native request as Lokal's gateway builds one (no `payer`, no `scene_info`), with the example's values.
fn native_request() -> Prepay {
    Prepay {
        appid: "wxd678efh567hg6787".into(),
        mchid: "1230000109".into(),
        description: "Image形象店-深圳腾大-QQ公仔".into(),
        out_trade_no: "1217752501201407033233368018".into(),
        time_expire: Some("2018-06-08T10:34:56+08:00".into()),
        notify_url: " https://www.weixin.qq.com/wxpay/pay.php".into(),
        amount: Amount { total: 100, currency: "CNY".into() },
        payer: None,
        scene_info: None,
    }
}

#[test]
fn the_native_prepay_example_reads_and_our_request_writes_the_documented_names() {
    let example: Prepay = read(NATIVE_PREPAY, "Native prepay");
    assert_eq!(example.appid, "wxd678efh567hg6787", "appid");
    assert_eq!(example.mchid, "1230000109", "mchid");
    assert_eq!(example.description, "Image形象店-深圳腾大-QQ公仔", "description");
    assert_eq!(example.out_trade_no, "1217752501201407033233368018", "out_trade_no");
    assert_eq!(example.time_expire.as_deref(), Some("2018-06-08T10:34:56+08:00"), "time_expire");
    assert_eq!(example.notify_url, " https://www.weixin.qq.com/wxpay/pay.php", "notify_url, leading space and all");
    assert_eq!(example.amount, Amount { total: 100, currency: "CNY".into() }, "amount.total and amount.currency");
    assert_eq!(example.payer, None, "a Native request has no payer");
    let scene = example.scene_info.expect("the Native example carries a scene_info");
    assert_eq!(scene.payer_client_ip, "14.23.150.211", "scene_info.payer_client_ip");
    assert_eq!(scene.h5_info, None, "a Native scene_info has no h5_info");

    let ours = written(&native_request());
    assert_eq!(
        names(&ours),
        [
            "amount.currency",
            "amount.total",
            "appid",
            "description",
            "mchid",
            "notify_url",
            "out_trade_no",
            "time_expire",
        ],
        "the names a Native request of ours writes"
    );
    assert_within(&ours, &json(NATIVE_PREPAY), "");
}

#[test]
fn the_jsapi_prepay_example_reads_and_our_request_writes_payer_openid() {
    let example: Prepay = read(JSAPI_PREPAY, "JSAPI prepay");
    assert_eq!(example.payer, Some(Payer { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into() }), "payer.openid");
    assert_eq!(example.amount, Amount { total: 100, currency: "CNY".into() }, "amount.total and amount.currency");
    assert_eq!(example.out_trade_no, "1217752501201407033233368018", "out_trade_no");

    let ours = Prepay { payer: Some(Payer { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into() }), ..native_request() };
    let ours = written(&ours);
    assert_eq!(
        names(&ours),
        [
            "amount.currency",
            "amount.total",
            "appid",
            "description",
            "mchid",
            "notify_url",
            "out_trade_no",
            "payer.openid",
            "time_expire",
        ],
        "the names a JSAPI request of ours writes"
    );
    assert_within(&ours, &json(JSAPI_PREPAY), "");
}

#[test]
fn the_h5_prepay_example_reads_and_our_request_writes_scene_info_payer_client_ip_and_h5_info_type() {
    let example: Prepay = read(H5_PREPAY, "H5 prepay");
    let h5 = SceneInfo { payer_client_ip: "127.0.0.1".into(), h5_info: Some(H5Info { kind: "Wap".into() }) };
    assert_eq!(example.scene_info, Some(h5.clone()), "scene_info.payer_client_ip and scene_info.h5_info.type");
    assert_eq!(example.time_expire, None, "this example sets no time_expire");
    assert_eq!(example.amount, Amount { total: 1, currency: "CNY".into() }, "amount.total and amount.currency");

    let ours = Prepay {
        appid: "wxdace645e0bc2cXXX".into(),
        mchid: "1900006XXX".into(),
        description: "Image形象店-深圳腾大-QQ公仔".into(),
        out_trade_no: "H51217752501201407033233368018".into(),
        time_expire: None,
        notify_url: "https://weixin.qq.com/".into(),
        amount: Amount { total: 1, currency: "CNY".into() },
        payer: None,
        scene_info: Some(h5),
    };
    let ours = written(&ours);
    assert_eq!(
        names(&ours),
        [
            "amount.currency",
            "amount.total",
            "appid",
            "description",
            "mchid",
            "notify_url",
            "out_trade_no",
            "scene_info.h5_info.type",
            "scene_info.payer_client_ip",
        ],
        "the names an H5 request of ours writes (`type`, not the Rust field's name)"
    );
    assert_within(&ours, &json(H5_PREPAY), "");
}

#[test]
fn the_prepay_answers_read_as_code_url_prepay_id_and_h5_url_and_we_write_them_as_documented() {
    let native: PrepayAnswer = read(NATIVE_ANSWER, "Native answer");
    let code_url = "weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00";
    assert_eq!(native, PrepayAnswer { code_url: Some(code_url.into()), ..PrepayAnswer::default() }, "code_url");
    assert_eq!(written(&native), json(NATIVE_ANSWER), "the Native answer, as the fake WeChat Pay writes it");

    let jsapi: PrepayAnswer = read(JSAPI_ANSWER, "JSAPI answer");
    let prepay_id = "wx201410272009395522657a690389285100";
    assert_eq!(jsapi, PrepayAnswer { prepay_id: Some(prepay_id.into()), ..PrepayAnswer::default() }, "prepay_id");
    assert_eq!(written(&jsapi), json(JSAPI_ANSWER), "the JSAPI answer, as the fake WeChat Pay writes it");

    let h5: PrepayAnswer = read(H5_ANSWER, "H5 answer");
    let h5_url = "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?\
                  prepay_id=wx2916263004719461949c84457c735b0000&package=2150917749";
    assert_eq!(h5, PrepayAnswer { h5_url: Some(h5_url.into()), ..PrepayAnswer::default() }, "h5_url");
    assert_eq!(written(&h5), json(H5_ANSWER), "the H5 answer, as the fake WeChat Pay writes it");
}

#[test]
fn the_query_by_out_trade_no_answer_reads_as_a_transaction_ignoring_the_fields_lokal_does_not_use() {
    let transaction: Transaction = read(QUERY_ANSWER, "query by out_trade_no answer");
    assert_eq!(transaction.appid, "wxd678efh567hg6787", "appid");
    assert_eq!(transaction.mchid, "1230000109", "mchid");
    assert_eq!(transaction.out_trade_no, "1217752501201407033233368018", "out_trade_no");
    assert_eq!(transaction.transaction_id.as_deref(), Some("1217752501201407033233368018"), "transaction_id");
    assert_eq!(transaction.trade_state, "SUCCESS", "trade_state");
    assert_eq!(transaction.trade_state_desc, "支付成功", "trade_state_desc");
    assert_eq!(transaction.success_time.as_deref(), Some("2018-06-08T10:34:56+08:00"), "success_time");
    assert_eq!(
        transaction.amount,
        Some(TransactionAmount { total: 100, payer_total: Some(90), currency: "CNY".into() }),
        "amount.total, amount.payer_total and amount.currency"
    );
    // The fake WeChat Pay answers queries with this type: it writes only documented names.
    assert_within(&written(&transaction), &json(QUERY_ANSWER), "");
}

#[test]
fn the_refund_request_example_reads_and_our_refund_request_writes_the_documented_names() {
    let example: RefundCreate = read(REFUND_REQUEST, "refund request");
    let amount = RefundAmount { refund: 888, total: 888, currency: "CNY".into() };
    let expected = RefundCreate {
        out_trade_no: "1217752501201407033233368018".into(),
        out_refund_no: "1217752501201407033233368018".into(),
        reason: Some("商品已售完".into()),
        notify_url: Some("https://weixin.qq.com".into()),
        amount,
    };
    assert_eq!(example, expected, "out_trade_no, out_refund_no, reason, notify_url, amount.refund/total/currency");

    let ours = written(&expected);
    assert_eq!(
        names(&ours),
        ["amount.currency", "amount.refund", "amount.total", "notify_url", "out_refund_no", "out_trade_no", "reason"],
        "the names a refund request of ours writes"
    );
    assert_within(&ours, &json(REFUND_REQUEST), "");
}

#[test]
fn the_refund_answer_example_reads_as_a_refund_whose_state_is_its_status() {
    let refund: Refund = read(REFUND_ANSWER, "refund answer");
    assert_eq!(refund.refund_id, "50000000382019052709732678859", "refund_id");
    assert_eq!(refund.out_refund_no, "1217752501201407033233368018", "out_refund_no");
    assert_eq!(refund.out_trade_no, "1217752501201407033233368018", "out_trade_no");
    assert_eq!(refund.transaction_id, "1217752501201407033233368018", "transaction_id");
    assert_eq!(refund.status.as_deref(), Some("SUCCESS"), "status");
    assert_eq!(refund.refund_status, None, "an answer has status, not refund_status");
    assert_eq!(refund.state(), "SUCCESS", "Refund::state() of an answer");
    assert_eq!(
        refund.amount,
        RefundedAmount { total: 100, refund: 100, currency: "CNY".into() },
        "amount.total, amount.refund and amount.currency"
    );
    // The fake WeChat Pay answers refunds with this type: it writes only documented names.
    assert_within(&written(&refund), &json(REFUND_ANSWER), "");
}

#[test]
fn the_payment_success_callback_example_reads_as_a_notification() {
    let notification: Notification = read(PAYMENT_NOTIFICATION, "payment success callback");
    assert_eq!(notification.id, "EV-2018022511223320873", "id");
    assert_eq!(notification.create_time, "2015-05-20T13:29:35+08:00", "create_time");
    assert_eq!(notification.event_type, "TRANSACTION.SUCCESS", "event_type");
    assert_eq!(notification.resource_type, "encrypt-resource", "resource_type");
    assert_eq!(notification.summary, "支付成功", "summary");
    assert_eq!(notification.resource.algorithm, "AEAD_AES_256_GCM", "resource.algorithm");
    assert_eq!(notification.resource.ciphertext, "", "resource.ciphertext (empty in the example)");
    assert_eq!(notification.resource.associated_data, "", "resource.associated_data (empty in the example)");
    assert_eq!(notification.resource.original_type, "transaction", "resource.original_type");
    assert_eq!(notification.resource.nonce, "", "resource.nonce (empty in the example)");
    // The fake WeChat Pay sends callbacks of this type: with exactly the documented names.
    let ours = written(&notification);
    assert_eq!(names(&ours), names(&json(PAYMENT_NOTIFICATION)), "the names a callback of ours writes");
    assert_within(&ours, &json(PAYMENT_NOTIFICATION), "");
}

#[test]
fn the_decrypted_payment_resource_example_reads_as_a_transaction() {
    let transaction: Transaction = read(PAYMENT_RESOURCE, "decrypted payment resource");
    assert_eq!(transaction.appid, "wxd678efh567hg6787", "appid");
    assert_eq!(transaction.mchid, "1230000109", "mchid");
    assert_eq!(transaction.out_trade_no, "1217752501201407033233368018", "out_trade_no");
    assert_eq!(transaction.transaction_id.as_deref(), Some("1217752501201407033233368018"), "transaction_id");
    assert_eq!(transaction.trade_state, "SUCCESS", "trade_state");
    assert_eq!(transaction.trade_state_desc, "支付成功", "trade_state_desc");
    assert_eq!(transaction.success_time.as_deref(), Some("2018-06-08T10:34:56+08:00"), "success_time");
    assert_eq!(
        transaction.amount,
        Some(TransactionAmount { total: 100, payer_total: Some(100), currency: "CNY".into() }),
        "amount.total, amount.payer_total and amount.currency"
    );
    // The fake WeChat Pay seals resources of this type: it writes only documented names.
    assert_within(&written(&transaction), &json(PAYMENT_RESOURCE), "");
}

#[test]
fn the_refund_callback_and_its_decrypted_resource_read_and_the_refunds_state_is_its_refund_status() {
    let notification: Notification = read(REFUND_NOTIFICATION, "refund callback");
    assert_eq!(notification.event_type, "REFUND.SUCCESS", "event_type");
    assert_eq!(notification.resource_type, "encrypt-resource", "resource_type");
    assert_eq!(notification.resource.algorithm, "AEAD_AES_256_GCM", "resource.algorithm");
    assert_eq!(notification.resource.original_type, "refund", "resource.original_type");
    assert_eq!(notification.resource.associated_data, "", "resource.associated_data");

    let refund: Refund = read(REFUND_RESOURCE, "decrypted refund resource");
    assert_eq!(refund.refund_id, "50200207182018070300011301001", "refund_id");
    assert_eq!(refund.out_refund_no, "7752501201407033233368018", "out_refund_no");
    assert_eq!(refund.out_trade_no, "20150806125346", "out_trade_no");
    assert_eq!(refund.transaction_id, "1008450740201411110005820873", "transaction_id");
    assert_eq!(refund.refund_status.as_deref(), Some("SUCCESS"), "refund_status");
    assert_eq!(refund.status, None, "a callback's resource has refund_status, not status");
    assert_eq!(refund.state(), "SUCCESS", "Refund::state() of a callback's resource is its refund_status");
    assert_eq!(
        refund.amount,
        RefundedAmount { total: 999, refund: 999, currency: String::new() },
        "amount.total and amount.refund (this example has no currency)"
    );
}

#[test]
fn the_error_body_example_reads_as_an_api_error_and_a_failed_callback_answers_as_documented() {
    let error: ApiError = read(PARAM_ERROR, "error body");
    assert_eq!(error, ApiError { code: "PARAM_ERROR".into(), message: "参数错误".into() }, "code and message");
    assert_within(&written(&error), &json(PARAM_ERROR), "");

    assert_eq!(written(&callback_failure("失败")), json(CALLBACK_FAILURE), "what a receiver answers when it failed");
}
