//! The `Authorization: X-Matrix …` header value: strict parser and canonical writer (spec §"Request
//! Authentication", RFC 9110 §11.4 credentials).

use std::fmt;

use base64ct::{Base64, Base64Unpadded, Encoding};
use ruma_common::{OwnedServerName, ServerName};

use super::XMatrixError;

/// Longest `Authorization` header value accepted (a real one is about 250 bytes).
pub const MAX_HEADER_LEN: usize = 4096;
/// Most list elements (parameters, including unknown and empty ones) accepted in one header.
pub const MAX_PARAMS: usize = 8;
/// Longest key version after `ed25519:`.
pub const MAX_KEY_VERSION_LEN: usize = 255;

const SCHEME: &str = "X-Matrix";

/// What is wrong in a malformed header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderErrorKind {
    /// Longer than [`MAX_HEADER_LEN`].
    TooLong,
    /// A byte outside visible ASCII, space and tab.
    BadCharacter,
    /// The scheme is not `X-Matrix`, or no space follows it.
    NotXMatrix,
    /// A parameter name, `=`, value or `,` was expected here.
    Syntax,
    /// A quoted string does not end.
    UnterminatedQuote,
    /// More than [`MAX_PARAMS`] list elements.
    TooManyParams,
    /// A parameter appears twice (names compare case-insensitively).
    DuplicateParam(Param),
    /// A required parameter is missing.
    MissingParam(Param),
    /// `origin` or `destination` is not a valid Matrix server name.
    BadServerName(Param),
    /// `key` is not `ed25519:<version>` with a version of `[A-Za-z0-9_]`.
    BadKeyId,
    /// `sig` is not standard base64 of 64 bytes.
    BadSignatureEncoding,
}

/// The X-Matrix parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `origin`.
    Origin,
    /// `destination`.
    Destination,
    /// `key`.
    Key,
    /// `sig`.
    Sig,
}

impl Param {
    const ALL: [Param; 4] = [Param::Origin, Param::Destination, Param::Key, Param::Sig];

    /// The parameter name as sent.
    pub fn name(self) -> &'static str {
        match self {
            Param::Origin => "origin",
            Param::Destination => "destination",
            Param::Key => "key",
            Param::Sig => "sig",
        }
    }
}

impl fmt::Display for HeaderErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderErrorKind::TooLong => write!(f, "longer than {MAX_HEADER_LEN} bytes"),
            HeaderErrorKind::BadCharacter => f.write_str("byte outside visible ASCII"),
            HeaderErrorKind::NotXMatrix => f.write_str("scheme is not X-Matrix"),
            HeaderErrorKind::Syntax => f.write_str("syntax error"),
            HeaderErrorKind::UnterminatedQuote => f.write_str("unterminated quoted string"),
            HeaderErrorKind::TooManyParams => write!(f, "more than {MAX_PARAMS} parameters"),
            HeaderErrorKind::DuplicateParam(p) => write!(f, "duplicate parameter {}", p.name()),
            HeaderErrorKind::MissingParam(p) => write!(f, "missing parameter {}", p.name()),
            HeaderErrorKind::BadServerName(p) => write!(f, "{} is not a server name", p.name()),
            HeaderErrorKind::BadKeyId => f.write_str("key is not an ed25519 key id"),
            HeaderErrorKind::BadSignatureEncoding => f.write_str("sig is not base64 of an ed25519 signature"),
        }
    }
}

/// A signing key id `ed25519:<version>`, the version of `[A-Za-z0-9_]` (spec: "Key IDs").
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(String);

/// A string that is not an `ed25519:<version>` key id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an ed25519 key id")]
pub struct InvalidKeyId;

impl KeyId {
    /// Parses `ed25519:<version>`.
    pub fn parse(s: &str) -> Result<KeyId, InvalidKeyId> {
        let version = s.strip_prefix("ed25519:").ok_or(InvalidKeyId)?;
        let ok = (1..=MAX_KEY_VERSION_LEN).contains(&version.len())
            && version.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if ok { Ok(KeyId(s.to_owned())) } else { Err(InvalidKeyId) }
    }

    /// The whole id, `ed25519:<version>`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The version after `ed25519:`.
    pub fn version(&self) -> &str {
        self.0.get("ed25519:".len()..).unwrap_or_default()
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.0)
    }
}

/// A parsed X-Matrix header: untrusted until [`verify_request`](super::verify_request) says otherwise. `Display`
/// writes the header value in the form Synapse sends (all values quoted, lower-case names, unpadded base64).
#[derive(Clone, PartialEq, Eq)]
pub struct XMatrix {
    origin: OwnedServerName,
    destination: OwnedServerName,
    key: KeyId,
    sig: [u8; 64],
}

impl XMatrix {
    /// Builds a header from its parts.
    pub fn new(origin: OwnedServerName, destination: OwnedServerName, key: KeyId, sig: [u8; 64]) -> XMatrix {
        XMatrix {
            origin,
            destination,
            key,
            sig,
        }
    }

    /// Parses an `Authorization` header value, strictly: scheme `X-Matrix` (any case) and one or more spaces,
    /// then `name=value` pairs separated by commas with optional spaces and tabs around them (RFC 9110 §11.4);
    /// names in any case and order; values as tokens (colons allowed, as the spec asks for old servers) or
    /// quoted strings with backslash escapes. Unknown parameters are skipped, duplicates refused, and
    /// `destination` is required (MSC3383).
    pub fn parse(header_value: &str) -> Result<XMatrix, XMatrixError> {
        let bad = |kind, at| XMatrixError::MalformedHeader { kind, at };
        if header_value.len() > MAX_HEADER_LEN {
            return Err(bad(HeaderErrorKind::TooLong, MAX_HEADER_LEN));
        }
        let bytes = header_value.as_bytes();
        if let Some(at) = bytes.iter().position(|&b| b != b'\t' && !(b' '..=b'~').contains(&b)) {
            return Err(bad(HeaderErrorKind::BadCharacter, at));
        }
        let mut p = Cursor { b: bytes, pos: 0 };
        p.skip_ows();
        let scheme_at = p.pos;
        if !p.token(false).eq_ignore_ascii_case(SCHEME) || p.peek() != Some(b' ') {
            return Err(bad(HeaderErrorKind::NotXMatrix, scheme_at));
        }
        let mut found: [Option<(String, usize)>; 4] = Default::default();
        let mut elements = 0;
        loop {
            p.skip_ows();
            if p.peek().is_none() {
                break;
            }
            elements += 1;
            if elements > MAX_PARAMS {
                return Err(bad(HeaderErrorKind::TooManyParams, p.pos));
            }
            if p.eat(b',') {
                continue; // an empty list element (RFC 9110 §5.6.1.2)
            }
            let name_at = p.pos;
            let name = p.token(false);
            p.skip_ows();
            if name.is_empty() || !p.eat(b'=') {
                return Err(bad(HeaderErrorKind::Syntax, p.pos));
            }
            p.skip_ows();
            let value_at = p.pos;
            let value = if p.eat(b'"') {
                p.quoted().ok_or(bad(HeaderErrorKind::UnterminatedQuote, value_at))?
            } else {
                p.token(true).to_owned()
            };
            if value.is_empty() {
                return Err(bad(HeaderErrorKind::Syntax, value_at));
            }
            if let Some(i) = Param::ALL
                .iter()
                .position(|param| param.name().eq_ignore_ascii_case(name))
            {
                let slot = found.get_mut(i).ok_or(bad(HeaderErrorKind::Syntax, name_at))?;
                if slot.is_some() {
                    return Err(bad(HeaderErrorKind::DuplicateParam(Param::ALL[i]), name_at));
                }
                *slot = Some((value, value_at));
            }
            p.skip_ows();
            if p.peek().is_some() && !p.eat(b',') {
                return Err(bad(HeaderErrorKind::Syntax, p.pos));
            }
        }
        let [origin, destination, key, sig] = found;
        let end = bytes.len();
        let (origin, at) = origin.ok_or(bad(HeaderErrorKind::MissingParam(Param::Origin), end))?;
        let origin = server_name(origin).ok_or(bad(HeaderErrorKind::BadServerName(Param::Origin), at))?;
        let (key, at) = key.ok_or(bad(HeaderErrorKind::MissingParam(Param::Key), end))?;
        let key = KeyId::parse(&key).map_err(|_| bad(HeaderErrorKind::BadKeyId, at))?;
        let (sig, at) = sig.ok_or(bad(HeaderErrorKind::MissingParam(Param::Sig), end))?;
        let sig = decode_signature(&sig).ok_or(bad(HeaderErrorKind::BadSignatureEncoding, at))?;
        let (destination, at) = destination.ok_or(XMatrixError::MissingDestination)?;
        let destination =
            server_name(destination).ok_or(bad(HeaderErrorKind::BadServerName(Param::Destination), at))?;
        Ok(XMatrix {
            origin,
            destination,
            key,
            sig,
        })
    }

    /// The sending server, as claimed.
    pub fn origin(&self) -> &ServerName {
        &self.origin
    }

    /// The receiving server, as claimed.
    pub fn destination(&self) -> &ServerName {
        &self.destination
    }

    /// The id of the key the request claims to be signed with.
    pub fn key_id(&self) -> &KeyId {
        &self.key
    }

    /// The raw ed25519 signature.
    pub fn signature(&self) -> &[u8; 64] {
        &self.sig
    }
}

impl fmt::Display for XMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Server names, key ids and base64 never contain `"` or `\`, so quoting needs no escapes.
        write!(
            f,
            r#"{SCHEME} origin="{}",destination="{}",key="{}",sig="{}""#,
            self.origin,
            self.destination,
            self.key,
            Base64Unpadded::encode_string(&self.sig)
        )
    }
}

impl fmt::Debug for XMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XMatrix")
            .field("origin", &self.origin)
            .field("destination", &self.destination)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.peek() == Some(byte);
        self.pos += usize::from(hit);
        hit
    }

    fn skip_ows(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// RFC 9110 `token` (tchar*), plus `:` when `colon`.
    fn token(&mut self, colon: bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(|b| is_tchar(b) || (colon && b == b':')) {
            self.pos += 1;
        }
        // Only ASCII was consumed, so the slice is on char boundaries.
        std::str::from_utf8(self.b.get(start..self.pos).unwrap_or_default()).unwrap_or_default()
    }

    /// The rest of a quoted string after its opening quote, unescaped; `None` if it does not end.
    fn quoted(&mut self) -> Option<String> {
        let mut out = String::new();
        loop {
            let byte = self.peek()?;
            self.pos += 1;
            match byte {
                b'"' => return Some(out),
                b'\\' => {
                    out.push(char::from(self.peek()?));
                    self.pos += 1;
                }
                _ => out.push(char::from(byte)),
            }
        }
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A Matrix server name (ruma's grammar), with the port, if any, of digits only (ruma also takes `+80`).
fn server_name(s: String) -> Option<OwnedServerName> {
    let name = OwnedServerName::try_from(s).ok()?;
    let port_ok = match name.as_str().get(name.host().len()..) {
        Some("") => true,
        Some(rest) => rest
            .strip_prefix(':')
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    };
    port_ok.then_some(name)
}

/// Unpadded standard base64 as the spec sends it; padded accepted too. Strict: canonical trailing bits.
fn decode_signature(s: &str) -> Option<[u8; 64]> {
    let bytes = if s.ends_with('=') {
        Base64::decode_vec(s)
    } else {
        Base64Unpadded::decode_vec(s)
    };
    bytes.ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_and_server_names() {
        assert!(server_name("a.example:8448".into()).is_some());
        assert!(server_name("a.example:+80".into()).is_none());
        assert!(server_name("[::1]:80".into()).is_some());
        assert!(server_name("a b".into()).is_none());
        let mut c = Cursor {
            b: br#"ab\"c\\" rest"#,
            pos: 0,
        };
        assert_eq!(c.quoted().as_deref(), Some(r#"ab"c\"#));
        assert_eq!(c.pos, 8);
        assert!(Cursor { b: br#"abc\"#, pos: 0 }.quoted().is_none());
    }
}
