//! Known-answer tests: Lokal's WeChat Pay signer and decrypter against outputs of independent
//! implementations (OpenSSL's `dgst -sha256 -sign`, Python's `cryptography` AES-GCM), for the
//! signature string of WeChat Pay's worked example. How each vector was made: tests/data/README.md.

use lokal_pay::wechatpay::{ApiV3Key, PrivateKey, PublicKey, request_message};

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
