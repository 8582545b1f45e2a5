//! Parsing: JWS Compact Serialization (RFC 7515 §7.1) and the RFC 8225 header and claims.

use std::collections::BTreeMap;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value};
use tiwire_pki::crypto::CryptoProvider;
use tiwire_pki::{PublicKeyRef, SignatureAlgorithm};

use crate::error::{Malformed, Part, PassportError, Unsupported, excerpt};
use crate::json::{self, JsonError};

/// Longest token accepted. TI-M PASSporTs are about 500 bytes.
pub const MAX_TOKEN_LEN: usize = 8 * 1024;
/// Most `dest` identities accepted.
pub const MAX_DEST: usize = 32;
/// Longest identity value accepted.
pub const MAX_IDENTITY_LEN: usize = 2048;

/// A JWS in compact serialization, decoded but not verified: the received signing input, the decoded
/// header and payload bytes, and the signature bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompactJws {
    signing_input: String,
    header: Map<String, Value>,
    header_json: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

/// Unpadded base64url, one canonical encoding only: base64ct refuses padding, white space, other alphabets
/// and non-zero trailing bits.
fn b64(segment: &str, part: Part) -> Result<Vec<u8>, Malformed> {
    Base64UrlUnpadded::decode_vec(segment).map_err(|_| Malformed::Base64(part))
}

fn object(bytes: &[u8], part: Part) -> Result<Map<String, Value>, Malformed> {
    core::str::from_utf8(bytes).map_err(|_| Malformed::Utf8(part))?;
    match json::parse_strict(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Malformed::NotAnObject(part)),
        Err(JsonError::Duplicate) => Err(Malformed::DuplicateMember(part)),
        Err(JsonError::Syntax) => Err(Malformed::Json(part)),
    }
}

impl CompactJws {
    /// Splits and decodes `header.payload.signature` of at most [`MAX_TOKEN_LEN`] bytes. The header must be a
    /// JSON object; the payload is kept as bytes.
    pub fn parse(token: &str) -> Result<Self, Malformed> {
        Self::parse_limited(token, MAX_TOKEN_LEN)
    }

    /// [`CompactJws::parse`] with another length limit, for JWS documents bigger than a PASSporT (the
    /// signed federation list of tiwire-fedlist is megabytes long). This is the workspace's one JWS codec.
    pub fn parse_limited(token: &str, max_len: usize) -> Result<Self, Malformed> {
        if token.len() > max_len {
            return Err(Malformed::TooLong {
                len: token.len(),
                max: max_len,
            });
        }
        let mut parts = token.splitn(4, '.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Malformed::Segments {
                found: token.split('.').count(),
            });
        };
        if payload.is_empty() {
            return Err(Malformed::Detached);
        }
        let header_json = b64(header, Part::Header)?;
        let header_map = object(&header_json, Part::Header)?;
        let payload_bytes = b64(payload, Part::Claims)?;
        let signature = b64(signature, Part::Signature)?;
        Ok(CompactJws {
            signing_input: format!("{header}.{payload}"),
            header: header_map,
            header_json,
            payload: payload_bytes,
            signature,
        })
    }

    /// The signing input exactly as received: `BASE64URL(header) || '.' || BASE64URL(payload)`.
    pub fn signing_input(&self) -> &str {
        &self.signing_input
    }

    /// The decoded header.
    pub fn header(&self) -> &Map<String, Value> {
        &self.header
    }

    /// The decoded payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Verifies an ES256 signature (RFC 7518 §3.4: exactly 64 bytes r‖s, over the received signing input)
    /// with `key`, which must be a P-256 key.
    pub fn verify_es256(&self, key: PublicKeyRef<'_>, provider: &dyn CryptoProvider) -> Result<(), PassportError> {
        if self.signature.len() != 64 {
            return Err(Malformed::SignatureLength(self.signature.len()).into());
        }
        if key.algorithm != tiwire_pki::KeyAlgorithm::EcP256 {
            return Err(crate::error::CertificateProblem::NotP256.into());
        }
        provider
            .verify(
                SignatureAlgorithm::EcdsaSha256Fixed,
                key,
                self.signing_input.as_bytes(),
                &self.signature,
            )
            .map_err(|_| PassportError::BadSignature)
    }
}

/// An RFC 8225 identity (§5.2): a telephone number or a URI.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Identity {
    /// `tn`: a canonical telephone number (digits only, RFC 8224 §8.3).
    Tn(String),
    /// `uri`: an absolute URI (RFC 3986 scheme and a non-empty rest).
    Uri(String),
}

impl Identity {
    /// A telephone-number identity, checked.
    pub fn tn(number: &str) -> Result<Self, Malformed> {
        let ok = (1..=32).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
        if ok {
            Ok(Identity::Tn(number.to_owned()))
        } else {
            Err(Malformed::Identity("tn"))
        }
    }

    /// A URI identity, checked for an RFC 3986 scheme and no white space or controls.
    pub fn uri(uri: &str) -> Result<Self, Malformed> {
        let Some((scheme, rest)) = uri.split_once(':') else {
            return Err(Malformed::Identity("uri"));
        };
        let scheme_ok = scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
        let rest_ok = !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control());
        if scheme_ok && rest_ok && uri.len() <= MAX_IDENTITY_LEN {
            Ok(Identity::Uri(uri.to_owned()))
        } else {
            Err(Malformed::Identity("uri"))
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Identity::Tn(_) => "tn",
            Identity::Uri(_) => "uri",
        }
    }

    fn value(&self) -> &str {
        match self {
            Identity::Tn(v) | Identity::Uri(v) => v,
        }
    }
}

/// The PASSporT claims (RFC 8225 §5). Claims this crate does not know are kept in `extra`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    /// `iat`: issued at, seconds since the epoch.
    pub iat: u64,
    /// `orig`: exactly one originator identity.
    pub orig: Identity,
    /// `dest`: one or more destination identities.
    pub dest: Vec<Identity>,
    /// Every other claim, as received.
    pub extra: BTreeMap<String, Value>,
}

impl Claims {
    /// The claims as a JSON object (`dest` values as arrays per type, RFC 8225 §5.2).
    pub fn to_json(&self) -> Value {
        let mut map: Map<String, Value> = self.extra.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        map.insert("iat".into(), Value::from(self.iat));
        let mut orig = Map::new();
        orig.insert(self.orig.key().into(), Value::String(self.orig.value().into()));
        map.insert("orig".into(), Value::Object(orig));
        let mut dest = Map::new();
        for d in &self.dest {
            let entry = dest.entry(d.key()).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = entry {
                items.push(Value::String(d.value().into()));
            }
        }
        map.insert("dest".into(), Value::Object(dest));
        Value::Object(map)
    }

    fn from_json(mut map: Map<String, Value>) -> Result<Self, Malformed> {
        let part = Part::Claims;
        let iat = match map.remove("iat") {
            None => return Err(Malformed::Missing { part, name: "iat" }),
            // NumericDate as an integer (RFC 8225 §5.1.1); fractions, negatives and overflow are refused.
            Some(Value::Number(n)) => n.as_u64().ok_or(Malformed::WrongType { part, name: "iat" })?,
            Some(_) => return Err(Malformed::WrongType { part, name: "iat" }),
        };
        let orig = match map.remove("orig") {
            None => return Err(Malformed::Missing { part, name: "orig" }),
            Some(Value::Object(o)) => {
                let mut members = o.into_iter();
                match (members.next(), members.next()) {
                    (Some((k, Value::String(v))), None) if k == "tn" => Identity::tn(&v)?,
                    (Some((k, Value::String(v))), None) if k == "uri" => Identity::uri(&v)?,
                    _ => return Err(Malformed::Identity("orig")),
                }
            }
            Some(_) => return Err(Malformed::WrongType { part, name: "orig" }),
        };
        let dest = match map.remove("dest") {
            None => return Err(Malformed::Missing { part, name: "dest" }),
            Some(Value::Object(d)) => {
                let mut out = Vec::new();
                for (k, v) in d {
                    let make: fn(&str) -> Result<Identity, Malformed> = match k.as_str() {
                        "tn" => Identity::tn,
                        "uri" => Identity::uri,
                        _ => return Err(Malformed::Identity("dest")),
                    };
                    let Value::Array(items) = v else {
                        return Err(Malformed::Identity("dest"));
                    };
                    for item in items {
                        let Value::String(s) = item else {
                            return Err(Malformed::Identity("dest"));
                        };
                        out.push(make(&s)?);
                        if out.len() > MAX_DEST {
                            return Err(Malformed::Identity("dest"));
                        }
                    }
                }
                if out.is_empty() {
                    return Err(Malformed::Identity("dest"));
                }
                out
            }
            Some(_) => return Err(Malformed::WrongType { part, name: "dest" }),
        };
        Ok(Claims {
            iat,
            orig,
            dest,
            extra: map.into_iter().collect(),
        })
    }
}

/// The PASSporT header (RFC 8225 §4). Parameters this crate does not know (other than `ppt`/`crit`) are
/// kept in `extra`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// `x5u`: where the signer's certificate is.
    pub x5u: String,
    /// Other parameters, as received.
    pub extra: BTreeMap<String, Value>,
}

impl Header {
    fn from_json(mut map: Map<String, Value>) -> Result<Self, PassportError> {
        let part = Part::Header;
        let text = |v: Option<Value>, name: &'static str| match v {
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(Malformed::WrongType { part, name }),
            None => Err(Malformed::Missing { part, name }),
        };
        // RFC 7515 §4.1.9: typ is compared case-insensitively.
        let typ = text(map.remove("typ"), "typ")?;
        if !typ.eq_ignore_ascii_case("passport") {
            return Err(Unsupported::Type(excerpt(&typ)).into());
        }
        let alg = text(map.remove("alg"), "alg")?;
        if alg != "ES256" {
            return Err(Unsupported::Algorithm(excerpt(&alg)).into());
        }
        if map.contains_key("ppt") {
            return Err(Unsupported::Ppt.into());
        }
        if map.contains_key("crit") {
            return Err(Unsupported::Crit.into());
        }
        let x5u = text(map.remove("x5u"), "x5u")?;
        Ok(Header {
            x5u,
            extra: map.into_iter().collect(),
        })
    }

    /// The header as issued: `alg`, `typ`, `x5u` and any extra parameters.
    pub fn to_json(&self) -> Value {
        let mut map: Map<String, Value> = self.extra.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        map.insert("alg".into(), Value::String("ES256".into()));
        map.insert("typ".into(), Value::String("passport".into()));
        map.insert("x5u".into(), Value::String(self.x5u.clone()));
        Value::Object(map)
    }
}

/// A decoded PASSporT whose signature and certificate are not checked yet. Only
/// [`Passport::verify`](crate::Passport::verify) turns it into a [`VerifiedPassport`](crate::VerifiedPassport).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passport {
    pub(crate) jws: CompactJws,
    pub(crate) header: Header,
    pub(crate) claims: Claims,
}

impl Passport {
    /// Parses a token: JWS compact full form, `typ` passport, `alg` ES256, `x5u`, no `ppt`/`crit`, claims
    /// with integer `iat`, one `orig`, one or more `dest`; 64-byte signature.
    pub fn parse(token: &str) -> Result<Self, PassportError> {
        let jws = CompactJws::parse(token)?;
        let header = Header::from_json(jws.header.clone())?;
        let claims = Claims::from_json(object(&jws.payload, Part::Claims)?)?;
        if jws.signature.len() != 64 {
            return Err(Malformed::SignatureLength(jws.signature.len()).into());
        }
        Ok(Passport { jws, header, claims })
    }

    /// The header (unverified).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The claims (unverified).
    pub fn claims(&self) -> &Claims {
        &self.claims
    }

    /// The signing input as received. A replay or seen-cache must key on this, not on the signature: ECDSA
    /// signatures are malleable (s and n−s both verify), the signing input is not.
    pub fn signing_input(&self) -> &str {
        self.jws.signing_input()
    }

    /// Whether header and claims are in RFC 8225 §9 canonical form as received.
    pub fn is_canonical(&self) -> Result<(), Malformed> {
        let header = json::parse_strict(&self.jws.header_json).map_err(|_| Malformed::Json(Part::Header))?;
        if json::canonical(&header).as_bytes() != self.jws.header_json.as_slice() {
            return Err(Malformed::NotCanonical(Part::Header));
        }
        let claims = json::parse_strict(&self.jws.payload).map_err(|_| Malformed::Json(Part::Claims))?;
        if json::canonical(&claims).as_bytes() != self.jws.payload.as_slice() {
            return Err(Malformed::NotCanonical(Part::Claims));
        }
        Ok(())
    }
}
