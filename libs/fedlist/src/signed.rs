//! The signed federation list: a JWS (compact) with `alg` BP256R1 or ES256 and the signer's chain in `x5c`
//! (gemSpec_VZD_FHIR_Directory §5.2.3, `I_VZD_TIM_Provider_Services` 1.3.5+ `sigAlg`).

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use serde_json::{Value, json};
use tiwire_passport::{CompactJws, excerpt};
use tiwire_pki::crypto::CryptoProvider;
use tiwire_pki::path::{TrustAnchors, ValidationPolicy};
use tiwire_pki::{
    CertType, Certificate, KeyAlgorithm, KeyError, KeyUsages, PrivateKey, Role, SignatureAlgorithm, UnixTime,
};

use crate::error::{ListError, Malformed, Unsupported, Untrusted};
use crate::list::{FederationList, Limits};

/// Most certificates accepted in `x5c`.
pub const MAX_X5C: usize = 4;

/// Whom to trust as the signer of federation lists.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum SignerTrust {
    /// Component CA certificates (GEM.KOMP-CA from the TSL): the `x5c` chain must validate at `now` as a
    /// C.FD.SIG (`oid_fd_sig`) with role `oid_vzd_ti` and digitalSignature.
    Anchors(TrustAnchors),
    /// The signer certificates themselves, as the VZD publishes them (gematik's test signer is issued by a
    /// CA that is not public): `x5c[0]` must be one of them byte for byte, valid at `now`, and carry the same
    /// profile as above.
    Pinned(Vec<Certificate>),
}

impl SignerTrust {
    /// The path policy for a federation-list signer.
    pub fn policy() -> ValidationPolicy {
        ValidationPolicy::for_type(CertType::FdSig)
            .with_profession(Role::VzdTi.oid())
            .with_key_usage(KeyUsages::DigitalSignature)
    }

    fn check(&self, chain: &[Certificate], now: UnixTime, provider: &dyn CryptoProvider) -> Result<(), Untrusted> {
        match self {
            SignerTrust::Anchors(anchors) => anchors
                .validate(chain, now, &Self::policy(), provider)
                .map(|_| ())
                .map_err(Untrusted::Path),
            SignerTrust::Pinned(pinned) => {
                let signer = chain.first().ok_or(Untrusted::NotPinned)?;
                let pin = pinned
                    .iter()
                    .find(|p| p.der() == signer.der())
                    .ok_or(Untrusted::NotPinned)?;
                if !pin.is_valid_at(now) {
                    return Err(Untrusted::PinnedExpired);
                }
                if !pin.has_type(CertType::FdSig) {
                    return Err(Untrusted::PinnedProfile("type is not oid_fd_sig"));
                }
                if !pin.roles().contains(&Role::VzdTi) {
                    return Err(Untrusted::PinnedProfile("role is not oid_vzd_ti"));
                }
                if !pin.has_key_usage(KeyUsages::DigitalSignature) {
                    return Err(Untrusted::PinnedProfile("no digitalSignature"));
                }
                Ok(())
            }
        }
    }
}

/// The verified signer of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signer {
    /// The JWS `alg`.
    pub algorithm: &'static str,
    /// The signer's certificate (`x5c[0]`).
    pub certificate: Certificate,
}

fn jws_alg(key: KeyAlgorithm) -> Option<&'static str> {
    match key {
        KeyAlgorithm::EcBrainpoolP256r1 => Some("BP256R1"),
        KeyAlgorithm::EcP256 => Some("ES256"),
        _ => None,
    }
}

fn header_str<'a>(jws: &'a CompactJws, name: &'static str) -> Result<Option<&'a str>, Malformed> {
    match jws.header().get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Malformed::Header(name)),
    }
}

fn x5c(jws: &CompactJws) -> Result<Vec<Certificate>, ListError> {
    let Some(value) = jws.header().get("x5c") else {
        return Err(Unsupported::NoX5c.into());
    };
    let Value::Array(items) = value else {
        return Err(Malformed::Header("x5c").into());
    };
    if items.is_empty() || items.len() > MAX_X5C {
        return Err(Malformed::Header("x5c").into());
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let der = item
                .as_str()
                .and_then(|b64| Base64::decode_vec(b64).ok())
                .ok_or(Malformed::X5c { index })?;
            Certificate::from_der(&der).map_err(|_| Malformed::X5c { index }.into())
        })
        .collect()
}

impl FederationList {
    /// Reads and verifies a signed list: the JWS structure, `alg` against the signer's key, `x5c` against
    /// `trust` at `now`, the signature over the received signing input, then the payload.
    pub fn from_jws(
        document: &[u8],
        trust: &SignerTrust,
        now: UnixTime,
        limits: &Limits,
        provider: &dyn CryptoProvider,
    ) -> Result<Self, ListError> {
        limits.admit(document.len())?;
        let text = core::str::from_utf8(document).map_err(|_| Malformed::Utf8)?;
        let jws = CompactJws::parse_limited(text.trim_ascii(), limits.max_bytes).map_err(Malformed::Jws)?;
        if jws.header().contains_key("crit") {
            return Err(Unsupported::Crit.into());
        }
        match header_str(&jws, "typ")? {
            None | Some("JWT") => {}
            Some(other) => return Err(Unsupported::Type(excerpt(other)).into()),
        }
        let alg = header_str(&jws, "alg")?.ok_or(Malformed::Header("alg"))?;
        if alg != "BP256R1" && alg != "ES256" {
            return Err(Unsupported::Algorithm(excerpt(alg)).into());
        }
        let chain = x5c(&jws)?;
        let signer = &chain[0];
        let key = signer.public_key().map_err(|_| Malformed::X5c { index: 0 })?;
        let expected = jws_alg(key.algorithm).filter(|a| *a == alg).ok_or_else(|| {
            let alg = if alg == "ES256" { "ES256" } else { "BP256R1" };
            Unsupported::AlgorithmKeyMismatch {
                alg,
                key: key.algorithm,
            }
        })?;
        trust.check(&chain, now, provider)?;
        if jws.signature().len() != 64 {
            return Err(Malformed::SignatureLength(jws.signature().len()).into());
        }
        provider
            .verify(
                SignatureAlgorithm::EcdsaSha256Fixed,
                key,
                jws.signing_input().as_bytes(),
                jws.signature(),
            )
            .map_err(|_| ListError::BadSignature)?;
        let list = FederationList::from_payload(jws.payload(), limits)?;
        Ok(list.with_signer(Signer {
            algorithm: expected,
            certificate: signer.clone(),
        }))
    }

    /// Signs the list as the VZD does: `{"alg":…,"x5c":[…],"typ":"JWT"}` with the payload JSON, ECDSA r‖s
    /// (deterministic, RFC 6979). `alg` follows the key: BP256R1 for brainpoolP256r1, ES256 for P-256.
    /// `chain` starts with the signer's certificate. For VZD stand-ins, tests and tools.
    pub fn sign_jws(&self, key: &PrivateKey, chain: &[Certificate]) -> Result<String, KeyError> {
        let alg = jws_alg(key.algorithm()).ok_or(KeyError::KeyMismatch {
            algorithm: SignatureAlgorithm::EcdsaSha256Fixed,
            key: key.algorithm(),
        })?;
        let x5c: Vec<String> = chain.iter().map(|c| Base64::encode_string(c.der())).collect();
        let header = json!({ "alg": alg, "x5c": x5c, "typ": "JWT" }).to_string();
        let signing_input = format!(
            "{}.{}",
            Base64UrlUnpadded::encode_string(header.as_bytes()),
            Base64UrlUnpadded::encode_string(&self.to_payload_json())
        );
        let signature = key.sign_deterministic(SignatureAlgorithm::EcdsaSha256Fixed, signing_input.as_bytes())?;
        Ok(format!(
            "{signing_input}.{}",
            Base64UrlUnpadded::encode_string(&signature)
        ))
    }
}
