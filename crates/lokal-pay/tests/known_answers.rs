//! Known-answer tests: Lokal's WeChat Pay signer and decrypter and its Alipay RSA2 signer against
//! outputs of independent implementations (OpenSSL's `dgst -sha256 -sign`, Python's
//! `cryptography` AES-GCM), for the providers' own worked examples. How each vector was made: tests/data/README.md.

use lokal_pay::alipay::{AlipayKey, AppKey, notification_content};
use lokal_pay::wechatpay::{ApiV3Key, PrivateKey, PublicKey, request_message};
use std::collections::BTreeMap;

const MERCHANT_KEY: &str = include_str!("data/merchant_key.pem");
const MERCHANT_PUB: &str = include_str!("data/merchant_pub.pem");

#[test]
fn the_signature_of_the_documented_example_is_the_one_openssl_makes() {
    let message = request_message("GET", "/v3/certificates", 1_554_208_460, "593BEC0C930BF1AFEB40B4A08C8FB242", "");
    assert_eq!(message, include_str!("data/msg.txt"), "the signature string, byte for byte");
    let key = PrivateKey::from_pem(MERCHANT_KEY, "SERIAL").expect("merchant key");
    let expected = include_str!("data/expected_sig.b64").trim();
    assert_eq!(key.sign(&message), expected);
    let public = PublicKey::from_pem(MERCHANT_PUB, "SERIAL").expect("public key");
    assert_eq!(public.verify(&message, expected), Ok(()));
    assert!(public.verify(&message.replace("GET", "PUT"), expected).is_err());
}

#[test]
fn a_resource_sealed_by_another_implementation_opens() {
    let v: serde_json::Value = serde_json::from_str(include_str!("data/aes_gcm_vector.json")).expect("vector");
    let s = |k: &str| v[k].as_str().expect(k);
    let key = ApiV3Key::new(s("api_v3_key").as_bytes()).expect("key");
    let plain = key.decrypt(s("ciphertext"), s("nonce"), s("associated_data")).expect("opens");
    assert_eq!(String::from_utf8(plain).expect("utf-8"), s("plaintext"));
    // Sealing is deterministic for a given nonce: the same bytes as the other implementation.
    assert_eq!(
        key.encrypt(s("plaintext").as_bytes(), s("nonce"), s("associated_data")).expect("seals"),
        s("ciphertext")
    );
}

/// Alipay's documented notification example, as the form fields it posts (URL-decoded).
fn alipay_example() -> BTreeMap<String, String> {
    [
        ("total_amount", "2.00"),
        ("buyer_id", "2088102116773037"),
        ("body", "大乐透2.1"),
        ("trade_no", "2016071921001003030200089909"),
        ("refund_fee", "0.00"),
        ("notify_time", "2016-07-19 14:10:49"),
        ("subject", "大乐透2.1"),
        ("sign_type", "RSA2"),
        ("charset", "utf-8"),
        ("notify_type", "trade_status_sync"),
        ("out_trade_no", "0719141034-6418"),
        ("gmt_close", "2016-07-19 14:10:46"),
        ("gmt_payment", "2016-07-19 14:10:47"),
        ("trade_status", "TRADE_SUCCESS"),
        ("version", "1.0"),
        ("gmt_create", "2016-07-19 14:10:44"),
        ("app_id", "2015102700040153"),
        ("seller_id", "2088102119685838"),
        ("notify_id", "4a91b7a78a503640467525113fb7d8bg8e"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[test]
fn alipays_documented_notification_reads_as_its_documented_string_and_openssls_signature_verifies() {
    let mut n = alipay_example();
    // (The documentation's own string leaves out gmt_create, which its example does carry; the
    // rule — every parameter but sign and sign_type — includes it.)
    let expected = include_str!("data/alipay_notify_content.txt");
    let mut without_created = n.clone();
    without_created.remove("gmt_create");
    assert_eq!(notification_content(&without_created), expected);
    // A signature made by OpenSSL over that string verifies; ours is the same bytes.
    let openssl = include_str!("data/alipay_notify_sig.b64").trim().to_owned();
    without_created.insert("sign".into(), openssl.clone());
    let alipay = AlipayKey::from_text(include_str!("data/platform_pub.pem")).expect("public key");
    assert_eq!(alipay.verify_notification(&without_created), Ok(()));
    let ours = AppKey::from_text(include_str!("data/platform_key.pem")).expect("key");
    let mut signed = without_created.clone();
    ours.sign_notification(&mut signed);
    assert_eq!(signed.get("sign"), Some(&openssl));
    // Any other value, or the field the string left out, breaks it.
    n.insert("sign".into(), openssl);
    assert!(alipay.verify_notification(&n).is_err(), "gmt_create is covered");
}
