//! X-Matrix request authentication for the Messenger-Proxy, sans I/O.
//!
//! Implements the Matrix Server-Server API §"Request Authentication" (v1.x): the header
//! `Authorization: X-Matrix origin="…",destination="…",key="ed25519:…",sig="…"` and the ed25519 signature over the
//! canonical JSON of `{"method", "uri", "origin", "destination", "content"?}`. On top of the spec:
//!
//! - **MSC3383 / gemSpec TI-Messenger-FD §5.2.1.2**: `destination` is required (older servers may omit it; we
//!   refuse with [`XMatrixError::MissingDestination`]) and must name this server.
//! - **§5.2.1.2**: "Sobald der Homeserver damit authentisiert wurde, MUSS validiert werden, dass der Homeserver an
//!   der Föderation teilnimmt": [`authorize`] admits inbound traffic only from origins in the federation list,
//!   and [`authorize_outbound`] lets our homeserver's outbound requests through only to listed destinations.
//!   [`authorize`] checks the list *before* looking up keys, so an unlisted origin never makes the daemon fetch
//!   keys from it; a request is admitted only when both checks pass.
//!
//! What it does not do: fetch or cache keys (`/_matrix/key/v2/server` is the daemon's job: [`verify_request`]
//! returns [`Verification::NeedKeys`], quinn-`Incoming` style), parse key server responses, read a clock, or
//! answer the peer (map a refusal with [`XMatrixError::matrix_error`]). Messages never contain peer data
//! (ML-123619).
//!
//! Dependencies: ruma's own X-Matrix type lives in `ruma-federation-api` 0.16 (which pulls in `ruma-events`,
//! `ruma-signatures`, `http`, `http-auth`, `tracing`) and its parser is lenient (destination optional, no length
//! limit, unknown credentials skipped); `ruma-server-util` 0.5 still depends on `ruma-common` 0.15. So the
//! header grammar is ours, server names are `ruma_common::ServerName`, canonical JSON is ruma-common's
//! [`CanonicalJsonObject`] (sorted keys, integers only) serialized compactly, and signatures are `ed25519-dalek`
//! 3 (`verify_strict`: no small-order keys, no malleable signatures), the same crate `ruma-signatures` uses.
//!
//! ```
//! use ruma_common::ServerName;
//! use tiwire_fedlist::xmatrix::*;
//! use tiwire_pki::UnixTime;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let now = UnixTime::from_secs(1_750_000_000);
//! let remote = <&ServerName>::try_from("remote.example")?;
//! let ours = <&ServerName>::try_from("tim.example")?;
//! let key = ServerSigningKey::from_seed(KeyId::parse("ed25519:a_1")?, &[7; 32]);
//! // The peer signs:
//! let head = RequestHead::new("PUT", "/_matrix/federation/v1/send/1").with_body(br#"{"pdus":[]}"#);
//! let header = sign_request(&head, remote, ours, &key)?.to_string();
//! // We verify with the key the daemon fetched from the peer:
//! let mut keys = KeyRing::new();
//! keys.insert(remote.to_owned(), key.key_id().clone(), PublishedKey::new(key.verify_key(), u64::MAX, now));
//! let policy = XMatrixPolicy::new(ours.to_owned());
//! match verify_request(&head, &XMatrix::parse(&header)?, &policy, &keys, now)? {
//!     Verification::Verified(v) => assert_eq!(v.origin(), remote),
//!     Verification::NeedKeys(_) => unreachable!("the key is in the ring"),
//! }
//! # Ok(())
//! # }
//! ```

mod header;

pub use header::{
    HeaderErrorKind, InvalidKeyId, KeyId, MAX_HEADER_LEN, MAX_KEY_VERSION_LEN, MAX_PARAMS, Param, XMatrix,
};

use std::collections::BTreeMap;
use std::fmt;

use base64ct::{Base64Unpadded, Encoding};
use ed25519_dalek::ed25519::signature::Signer;
use ed25519_dalek::{Signature, VerifyingKey};
use ruma_common::{CanonicalJsonObject, CanonicalJsonValue, OwnedServerName, ServerName};
use serde::Serialize;
use tiwire_pki::UnixTime;

use crate::{FederationState, Membership};

/// Default for [`XMatrixPolicy::max_body`]: 1 MiB.
pub const DEFAULT_MAX_BODY: usize = 1 << 20;
/// Spec, `valid_until_ts`: "Servers MUST use the lesser of this field and 7 days into the future when
/// determining if a key is valid", counted from when the key was fetched.
pub const MAX_KEY_VALIDITY_MS: u64 = 7 * 24 * 3600 * 1000;

/// Why a request was refused. `Display` never repeats what the peer sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XMatrixError {
    /// A federation request without an `Authorization` header (for the daemon to report).
    #[error("no X-Matrix Authorization header")]
    MissingHeader,
    /// The header does not follow the grammar or holds an invalid value.
    #[error("malformed X-Matrix header: {kind} at byte {at}")]
    MalformedHeader {
        /// What is wrong.
        kind: HeaderErrorKind,
        /// Byte offset in the header value.
        at: usize,
    },
    /// The header has no `destination` (allowed for old servers by the spec, required by MSC3383).
    #[error("X-Matrix header without destination (MSC3383)")]
    MissingDestination,
    /// `destination` is not this server.
    #[error("X-Matrix destination is not this server")]
    WrongDestination,
    /// Outbound: `origin` is not this server.
    #[error("X-Matrix origin of an outbound request is not this server")]
    OriginNotUs,
    /// The origin's key is still unknown after the daemon fetched its keys ([`KeyRequest::refuse`]).
    #[error("signing key of the origin is unknown")]
    UnknownKey,
    /// The key's validity ([`PublishedKey::expires_at_ms`]) ended before `now`.
    #[error("signing key of the origin has expired")]
    KeyExpired,
    /// Published key bytes are not an ed25519 public key.
    #[error("published verify key is not an ed25519 public key")]
    BadVerifyKey,
    /// The signature does not verify for this request under the origin's key.
    #[error("X-Matrix signature does not verify")]
    BadSignature,
    /// The body is larger than [`XMatrixPolicy::max_body`].
    #[error("request body of {len} bytes exceeds {max}")]
    BodyTooLarge {
        /// Body length.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// The body is not a JSON object in canonical JSON's value range (no floats, integers within ±2^53).
    #[error("request body is not a canonical JSON object")]
    BodyNotJson,
    /// The server is not in the federation list (gemSpec TI-Messenger-FD §5.2.1.2).
    #[error("server is not in the federation list")]
    NotListed,
    /// The federation list is older than its maximum age; nobody is admitted.
    #[error("federation list is stale ({age_secs} s since confirmation)")]
    ListStale {
        /// Seconds since the list was last confirmed.
        age_secs: u64,
    },
    /// No federation list has been loaded; nobody is admitted.
    #[error("no federation list loaded")]
    NoList,
}

/// The answer to the peer: HTTP status and the Matrix standard error response `{"errcode", "error"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixErrorReply {
    /// HTTP status code.
    pub status: u16,
    /// Matrix `errcode`.
    pub errcode: &'static str,
    /// Human-readable `error`; fixed text without peer data.
    pub error: &'static str,
}

impl XMatrixError {
    /// The one mapping of a refusal to the wire. Signature and header problems are `401 M_UNAUTHORIZED`,
    /// including a wrong destination (the spec: "must deny the request with … 401 Unauthorized"); policy
    /// refusals (federation list, outbound origin) are `403 M_FORBIDDEN`; body problems are the spec's
    /// `413 M_TOO_LARGE` and `400 M_NOT_JSON`.
    pub fn matrix_error(&self) -> MatrixErrorReply {
        let (status, errcode, error) = match self {
            XMatrixError::MissingHeader => (401, "M_UNAUTHORIZED", "Missing X-Matrix authorization"),
            XMatrixError::MalformedHeader { .. } => (401, "M_UNAUTHORIZED", "Malformed X-Matrix authorization"),
            XMatrixError::MissingDestination => (401, "M_UNAUTHORIZED", "X-Matrix destination required"),
            XMatrixError::WrongDestination => (401, "M_UNAUTHORIZED", "Wrong X-Matrix destination"),
            XMatrixError::UnknownKey | XMatrixError::KeyExpired | XMatrixError::BadVerifyKey => {
                (401, "M_UNAUTHORIZED", "No valid signing key")
            }
            XMatrixError::BadSignature => (401, "M_UNAUTHORIZED", "Invalid signature"),
            XMatrixError::BodyTooLarge { .. } => (413, "M_TOO_LARGE", "Request body too large"),
            XMatrixError::BodyNotJson => (400, "M_NOT_JSON", "Request body is not a JSON object"),
            XMatrixError::OriginNotUs => (403, "M_FORBIDDEN", "Origin is not this server"),
            XMatrixError::NotListed => (403, "M_FORBIDDEN", "Server is not part of the federation"),
            XMatrixError::ListStale { .. } | XMatrixError::NoList => {
                (403, "M_FORBIDDEN", "Federation list unavailable")
            }
        };
        MatrixErrorReply { status, errcode, error }
    }
}

/// An origin's ed25519 verify key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyKey(VerifyingKey);

impl VerifyKey {
    /// From the 32 public key bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<VerifyKey, XMatrixError> {
        VerifyingKey::from_bytes(bytes)
            .map(VerifyKey)
            .map_err(|_| XMatrixError::BadVerifyKey)
    }

    /// From unpadded base64, as `verify_keys.*.key` in a `/_matrix/key/v2/server` response.
    pub fn from_base64(s: &str) -> Result<VerifyKey, XMatrixError> {
        let bytes: [u8; 32] = Base64Unpadded::decode_vec(s)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or(XMatrixError::BadVerifyKey)?;
        VerifyKey::from_bytes(&bytes)
    }

    /// The 32 public key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Unpadded base64, as published.
    pub fn to_base64(&self) -> String {
        Base64Unpadded::encode_string(self.0.as_bytes())
    }
}

/// A verify key as the origin published it in `verify_keys` (not `old_verify_keys`: those never authenticate a
/// request), with its `valid_until_ts` and when the daemon fetched it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublishedKey {
    key: VerifyKey,
    valid_until_ts: u64,
    fetched_at: UnixTime,
}

impl PublishedKey {
    /// `valid_until_ts` in milliseconds since the epoch, as published.
    pub fn new(key: VerifyKey, valid_until_ts: u64, fetched_at: UnixTime) -> PublishedKey {
        PublishedKey {
            key,
            valid_until_ts,
            fetched_at,
        }
    }

    /// The key.
    pub fn key(&self) -> VerifyKey {
        self.key
    }

    /// End of validity in ms: the lesser of `valid_until_ts` and fetch time plus [`MAX_KEY_VALIDITY_MS`]. Key
    /// caches should refetch keys past this point before calling [`verify_request`].
    pub fn expires_at_ms(&self) -> u64 {
        let cap = self
            .fetched_at
            .as_secs()
            .saturating_mul(1000)
            .saturating_add(MAX_KEY_VALIDITY_MS);
        self.valid_until_ts.min(cap)
    }

    /// Whether the key may verify a request at `now`.
    pub fn is_valid_at(&self, now: UnixTime) -> bool {
        now.as_secs().saturating_mul(1000) < self.expires_at_ms()
    }
}

/// Where [`verify_request`] finds an origin's keys; the daemon's key cache implements it.
pub trait OriginKeys {
    /// The key `key_id` from `origin`'s `verify_keys`, if the cache has it.
    fn verify_key(&self, origin: &ServerName, key_id: &KeyId) -> Option<PublishedKey>;
}

/// A simple in-memory [`OriginKeys`].
#[derive(Clone, Debug, Default)]
pub struct KeyRing {
    keys: BTreeMap<OwnedServerName, BTreeMap<KeyId, PublishedKey>>,
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> KeyRing {
        KeyRing::default()
    }

    /// Adds or replaces `origin`'s key `key_id`; returns the key it replaced.
    pub fn insert(&mut self, origin: OwnedServerName, key_id: KeyId, key: PublishedKey) -> Option<PublishedKey> {
        self.keys.entry(origin).or_default().insert(key_id, key)
    }
}

impl OriginKeys for KeyRing {
    fn verify_key(&self, origin: &ServerName, key_id: &KeyId) -> Option<PublishedKey> {
        self.keys.get(origin)?.get(key_id).copied()
    }
}

/// An ed25519 signing key with its id, for the outbound path and tests. `Debug` hides the secret.
pub struct ServerSigningKey {
    key_id: KeyId,
    key: ed25519_dalek::SigningKey,
}

impl ServerSigningKey {
    /// From the 32-byte seed (Synapse's signing key file holds it in base64 after the key id).
    pub fn from_seed(key_id: KeyId, seed: &[u8; 32]) -> ServerSigningKey {
        ServerSigningKey {
            key_id,
            key: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// The key id.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// The public half.
    pub fn verify_key(&self) -> VerifyKey {
        VerifyKey(self.key.verifying_key())
    }
}

impl fmt::Debug for ServerSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerSigningKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// The parts of an HTTP request that the signature covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestHead<'a> {
    /// HTTP method, as sent (`PUT`).
    pub method: &'a str,
    /// Path and query exactly as in the request line, percent-encoding untouched.
    pub uri: &'a str,
    /// The body; `None` and `Some(b"")` both mean no body, so `content` is left out of the signed object.
    pub body: Option<&'a [u8]>,
}

impl<'a> RequestHead<'a> {
    /// A request without body.
    pub fn new(method: &'a str, uri: &'a str) -> RequestHead<'a> {
        RequestHead {
            method,
            uri,
            body: None,
        }
    }

    /// The same request with `body`.
    pub fn with_body(self, body: &'a [u8]) -> RequestHead<'a> {
        RequestHead {
            body: Some(body),
            ..self
        }
    }

    /// The canonical JSON that `origin` signs for `destination` (no body size limit).
    pub fn signing_json(&self, origin: &ServerName, destination: &ServerName) -> Result<String, XMatrixError> {
        let content = parse_content(self.body, usize::MAX)?;
        let bytes = signing_bytes(self, origin, destination, content.as_ref())?;
        String::from_utf8(bytes).map_err(|_| XMatrixError::BodyNotJson)
    }
}

/// The signed object; fields in canonical (sorted) order, `content` only with a body.
#[derive(Serialize)]
struct SigningObject<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a CanonicalJsonObject>,
    destination: &'a str,
    method: &'a str,
    origin: &'a str,
    uri: &'a str,
}

fn signing_bytes(
    head: &RequestHead<'_>,
    origin: &ServerName,
    destination: &ServerName,
    content: Option<&CanonicalJsonObject>,
) -> Result<Vec<u8>, XMatrixError> {
    let object = SigningObject {
        content,
        destination: destination.as_str(),
        method: head.method,
        origin: origin.as_str(),
        uri: head.uri,
    };
    serde_json::to_vec(&object).map_err(|_| XMatrixError::BodyNotJson)
}

fn parse_content(body: Option<&[u8]>, max: usize) -> Result<Option<CanonicalJsonObject>, XMatrixError> {
    let Some(body) = body.filter(|b| !b.is_empty()) else {
        return Ok(None);
    };
    if body.len() > max {
        return Err(XMatrixError::BodyTooLarge { len: body.len(), max });
    }
    // Strictly first: with a member given twice, the proxy's parse and the homeserver's could disagree on
    // which one counts (serde_json keeps the last, others the first).
    let value = tiwire_passport::json::parse_strict(body).map_err(|_| XMatrixError::BodyNotJson)?;
    match CanonicalJsonValue::try_from(value) {
        Ok(CanonicalJsonValue::Object(object)) => Ok(Some(object)),
        _ => Err(XMatrixError::BodyNotJson),
    }
}

/// Signs a request as `origin` for `destination`; `to_string()` on the result is the `Authorization` value.
pub fn sign_request(
    head: &RequestHead<'_>,
    origin: &ServerName,
    destination: &ServerName,
    key: &ServerSigningKey,
) -> Result<XMatrix, XMatrixError> {
    let content = parse_content(head.body, usize::MAX)?;
    let bytes = signing_bytes(head, origin, destination, content.as_ref())?;
    let sig: Signature = key.key.sign(&bytes);
    Ok(XMatrix::new(
        origin.to_owned(),
        destination.to_owned(),
        key.key_id.clone(),
        sig.to_bytes(),
    ))
}

/// The receiving side's configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XMatrixPolicy {
    our_server_name: OwnedServerName,
    max_body: usize,
}

impl XMatrixPolicy {
    /// For this server's name, with a body limit of [`DEFAULT_MAX_BODY`].
    pub fn new(our_server_name: OwnedServerName) -> XMatrixPolicy {
        XMatrixPolicy {
            our_server_name,
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// Sets the largest body parsed for signature checks; larger ones are refused before parsing.
    pub fn with_max_body(self, max_body: usize) -> XMatrixPolicy {
        XMatrixPolicy { max_body, ..self }
    }

    /// This server's name.
    pub fn our_server_name(&self) -> &ServerName {
        &self.our_server_name
    }

    /// The body limit.
    pub fn max_body(&self) -> usize {
        self.max_body
    }
}

/// The outcome of a verification that did not fail: the daemon must handle both.
#[must_use]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// The signature verified.
    Verified(VerifiedOrigin),
    /// The key is not in the cache: fetch the origin's keys, then call again, or [`KeyRequest::refuse`].
    NeedKeys(KeyRequest),
}

/// A request that verified: the origin is authenticated and the body is the parsed, signed content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedOrigin {
    origin: OwnedServerName,
    key_id: KeyId,
    content: Option<CanonicalJsonObject>,
}

impl VerifiedOrigin {
    /// The authenticated sending server.
    pub fn origin(&self) -> &ServerName {
        &self.origin
    }

    /// The key that verified.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// The signed body, if the request had one.
    pub fn content(&self) -> Option<&CanonicalJsonObject> {
        self.content.as_ref()
    }

    /// The signed body, by value.
    pub fn into_content(self) -> Option<CanonicalJsonObject> {
        self.content
    }
}

/// The daemon must fetch `origin`'s keys (`GET /_matrix/key/v2/server`, or a notary) and retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRequest {
    origin: OwnedServerName,
    key_id: KeyId,
}

impl KeyRequest {
    /// Whose keys to fetch.
    pub fn origin(&self) -> &ServerName {
        &self.origin
    }

    /// The key id the request names.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// Gives up (the fetch failed or did not yield the key): the refusal to answer with.
    pub fn refuse(self) -> XMatrixError {
        XMatrixError::UnknownKey
    }
}

/// Server names compare with the host case-insensitively and the port exactly (absent is not 8448).
fn same_server(a: &ServerName, b: &ServerName) -> bool {
    a.host().eq_ignore_ascii_case(b.host()) && a.port() == b.port()
}

/// Verifies an inbound request's X-Matrix signature (spec §"Request Authentication"): `destination` is this
/// server (MSC3383), the body fits and is a JSON object, the key is known and valid at `now`, and the signature
/// over the canonical request object verifies. The signed object uses the names exactly as in the header.
pub fn verify_request(
    head: &RequestHead<'_>,
    header: &XMatrix,
    policy: &XMatrixPolicy,
    keys: &dyn OriginKeys,
    now: UnixTime,
) -> Result<Verification, XMatrixError> {
    if !same_server(header.destination(), &policy.our_server_name) {
        return Err(XMatrixError::WrongDestination);
    }
    let content = parse_content(head.body, policy.max_body)?;
    let Some(published) = keys.verify_key(header.origin(), header.key_id()) else {
        return Ok(Verification::NeedKeys(KeyRequest {
            origin: header.origin().to_owned(),
            key_id: header.key_id().clone(),
        }));
    };
    if !published.is_valid_at(now) {
        return Err(XMatrixError::KeyExpired);
    }
    let bytes = signing_bytes(head, header.origin(), header.destination(), content.as_ref())?;
    published
        .key
        .0
        .verify_strict(&bytes, &Signature::from_bytes(header.signature()))
        .map_err(|_| XMatrixError::BadSignature)?;
    Ok(Verification::Verified(VerifiedOrigin {
        origin: header.origin().to_owned(),
        key_id: header.key_id().clone(),
        content,
    }))
}

/// Admits an inbound federation request (gemSpec TI-Messenger-FD §5.2.1.2): `destination` is this server, the
/// origin is in a fresh federation list, then [`verify_request`]. The list is checked before any key lookup so
/// that unlisted servers never cause a key fetch; either way a request passes only when both checks pass.
pub fn authorize(
    head: &RequestHead<'_>,
    header: &XMatrix,
    policy: &XMatrixPolicy,
    keys: &dyn OriginKeys,
    federation: &FederationState,
    now: UnixTime,
) -> Result<Verification, XMatrixError> {
    if !same_server(header.destination(), &policy.our_server_name) {
        return Err(XMatrixError::WrongDestination);
    }
    admit(federation, header.origin(), now)?;
    verify_request(head, header, policy, keys, now)
}

/// Lets our homeserver's outbound federation request through (§5.2.1.2: "ob der Zielhomeserver der Anfrage Teil
/// der Föderation ist … MSC3383 … destination-Feld … prüfen"): `origin` is this server and `destination` is in a
/// fresh federation list. The signature is our homeserver's own and is not checked here.
pub fn authorize_outbound(
    header: &XMatrix,
    policy: &XMatrixPolicy,
    federation: &FederationState,
    now: UnixTime,
) -> Result<(), XMatrixError> {
    if !same_server(header.origin(), &policy.our_server_name) {
        return Err(XMatrixError::OriginNotUs);
    }
    admit(federation, header.destination(), now)
}

fn admit(federation: &FederationState, server: &ServerName, now: UnixTime) -> Result<(), XMatrixError> {
    match federation.check(server.as_str(), now) {
        Membership::Listed => Ok(()),
        Membership::NotListed => Err(XMatrixError::NotListed),
        Membership::Stale { age_secs } => Err(XMatrixError::ListStale { age_secs }),
        Membership::NoList => Err(XMatrixError::NoList),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> OwnedServerName {
        OwnedServerName::try_from(s).unwrap()
    }

    #[test]
    fn same_server_is_host_case_insensitive_and_port_exact() {
        assert!(same_server(&name("TIM.Example"), &name("tim.example")));
        assert!(!same_server(&name("tim.example:8448"), &name("tim.example")));
        assert!(same_server(&name("tim.example:08448"), &name("tim.example:8448")));
        assert!(!same_server(&name("tim.example.org"), &name("tim.example")));
    }

    #[test]
    fn key_validity_is_capped_at_seven_days_after_fetch() {
        let key = ServerSigningKey::from_seed(KeyId::parse("ed25519:x").unwrap(), &[1; 32]).verify_key();
        let fetched = UnixTime::from_secs(1_000);
        let k = PublishedKey::new(key, u64::MAX, fetched);
        assert_eq!(k.expires_at_ms(), 1_000_000 + MAX_KEY_VALIDITY_MS);
        assert!(k.is_valid_at(fetched.plus(7 * 24 * 3600 - 1)));
        assert!(!k.is_valid_at(fetched.plus(7 * 24 * 3600)));
        let k = PublishedKey::new(key, 5_000, fetched);
        assert!(k.is_valid_at(UnixTime::from_secs(4)));
        assert!(!k.is_valid_at(UnixTime::from_secs(5)));
    }

    #[test]
    fn every_refusal_maps_to_401_403_or_a_body_status() {
        for e in [
            XMatrixError::MissingHeader,
            XMatrixError::WrongDestination,
            XMatrixError::BadSignature,
        ] {
            assert_eq!(e.matrix_error().status, 401);
            assert_eq!(e.matrix_error().errcode, "M_UNAUTHORIZED");
        }
        for e in [
            XMatrixError::NotListed,
            XMatrixError::NoList,
            XMatrixError::ListStale { age_secs: 1 },
        ] {
            assert_eq!(e.matrix_error().status, 403);
            assert_eq!(e.matrix_error().errcode, "M_FORBIDDEN");
        }
        assert_eq!(
            XMatrixError::BodyTooLarge { len: 2, max: 1 }.matrix_error().errcode,
            "M_TOO_LARGE"
        );
    }
}
