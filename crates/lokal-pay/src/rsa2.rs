//! SHA256-with-RSA (RSASSA-PKCS1-v1_5), base64: the signature both WeChat Pay API v3 and
//! Alipay's RSA2 use. Keys come as PEM or, as Alipay's tools show them, bare base64.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::{Keypair, SignatureEncoding, Signer as _, Verifier as _};
use rsa::{PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};
use sha2::Sha256;
use std::fmt;

/// What can go wrong with a key or a signature; none of it shows a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A key's text does not hold an RSA key of the expected kind.
    #[error("the {0} is not a PEM-encoded RSA key")]
    Key(&'static str),
    /// A value is missing or malformed.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The signature does not match the message.
    #[error("the signature does not verify")]
    BadSignature,
}

/// Bare base64 as PEM with `label`, so one parser reads both.
fn pem_of(text: &str, label: &str) -> String {
    if text.contains("-----BEGIN") {
        return text.to_owned();
    }
    let body: String = text.split_whitespace().collect();
    let lines: Vec<&str> = body.as_bytes().chunks(64).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

/// A private key that signs.
#[derive(Clone)]
pub struct Signer(SigningKey<Sha256>);

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer(…)")
    }
}

impl Signer {
    /// Reads a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM key, or bare
    /// base64 PKCS#8.
    pub fn from_text(text: &str) -> Result<Self, Error> {
        let pem = pem_of(text.trim(), "PRIVATE KEY");
        RsaPrivateKey::from_pkcs8_pem(&pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(&pem))
            .map(|k| Self(SigningKey::new(k)))
            .map_err(|_| Error::Key("private key"))
    }

    /// The base64 signature of `message`.
    pub fn sign(&self, message: &str) -> String {
        BASE64.encode(self.0.sign(message.as_bytes()).to_bytes())
    }

    /// Its public half.
    pub fn verifier(&self) -> Verifier {
        Verifier(self.0.verifying_key())
    }
}

/// A public key that verifies.
#[derive(Debug, Clone)]
pub struct Verifier(VerifyingKey<Sha256>);

impl Verifier {
    /// Reads an SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`) PEM key, or bare
    /// base64 SPKI.
    pub fn from_text(text: &str) -> Result<Self, Error> {
        let pem = pem_of(text.trim(), "PUBLIC KEY");
        RsaPublicKey::from_public_key_pem(&pem)
            .or_else(|_| RsaPublicKey::from_pkcs1_pem(&pem))
            .map(|k| Self(VerifyingKey::new(k)))
            .map_err(|_| Error::Key("public key"))
    }

    /// Whether `signature` (base64) is this key's signature of `message`.
    pub fn verify(&self, message: &str, signature: &str) -> Result<(), Error> {
        let raw = BASE64.decode(signature.trim()).map_err(|_| Error::Malformed("signature"))?;
        let signature = Signature::try_from(raw.as_slice()).map_err(|_| Error::BadSignature)?;
        self.0.verify(message.as_bytes(), &signature).map_err(|_| Error::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_base64_keys_read_as_their_pem() {
        let pem = include_str!("../tests/data/merchant_key.pem");
        let bare: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let (a, b) = (Signer::from_text(pem).expect("pem"), Signer::from_text(&bare).expect("bare"));
        assert_eq!(a.sign("x"), b.sign("x"));
        let public = include_str!("../tests/data/merchant_pub.pem");
        let bare: String = public.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(Verifier::from_text(&bare).expect("bare").verify("x", &a.sign("x")), Ok(()));
        assert_eq!(a.verifier().verify("x", &a.sign("x")), Ok(()));
        assert_eq!(Signer::from_text("not a key").err(), Some(Error::Key("private key")));
        assert_eq!(Verifier::from_text(pem).err(), Some(Error::Key("public key")));
    }
}
