//! Why a federation list or a server name was refused, split by cause. Messages name what failed and never
//! repeat domains, Telematik-IDs or server names a peer sent (ML-123619).

use tiwire_pki::{KeyAlgorithm, PathError};

/// The list document is not a well-formed federation list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Malformed {
    /// Bigger than the configured [`crate::Limits::max_bytes`].
    #[error("list of {len} bytes exceeds {max}")]
    TooBig {
        /// Length.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// More entries than [`crate::Limits::max_domains`].
    #[error("more than {max} domain entries")]
    TooManyDomains {
        /// Limit.
        max: usize,
    },
    /// The JWS compact serialization is broken (segments, base64url, header JSON).
    #[error("JWS: {0}")]
    Jws(#[from] tiwire_passport::Malformed),
    /// The document is not UTF-8.
    #[error("list is not UTF-8")]
    Utf8,
    /// The payload is not JSON.
    #[error("payload is not JSON (line {line}, column {column})")]
    Json {
        /// Line of the first error.
        line: usize,
        /// Column of the first error.
        column: usize,
    },
    /// The payload is JSON but not a FederationList (`version`, `domainList`, entry members and their types,
    /// a member given twice).
    #[error("payload is not a FederationList (line {line}, column {column})")]
    Schema {
        /// Line of the first error.
        line: usize,
        /// Column of the first error.
        column: usize,
    },
    /// `hashAlgorithm` names something other than `SHA-256`.
    #[error("hashAlgorithm is not SHA-256")]
    HashAlgorithm,
    /// A hashed list holds a value that is not 64 hex digits, or a list mixes hashed and clear entries.
    #[error("domain entry {index} is not a SHA-256 hash in hex")]
    NotAHash {
        /// Position in `domainList`.
        index: usize,
    },
    /// A JWS header member is missing or has the wrong type.
    #[error("JWS header member `{0}` missing or of the wrong type")]
    Header(&'static str),
    /// An `x5c` entry is not base64 DER of an X.509 certificate.
    #[error("x5c[{index}] is not a certificate")]
    X5c {
        /// Position in `x5c`.
        index: usize,
    },
    /// The signature is not 64 bytes of r‖s.
    #[error("signature of {0} bytes, expected 64 (r||s)")]
    SignatureLength(usize),
}

/// The list uses something this implementation does not accept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unsupported {
    /// `alg` other than `BP256R1` and `ES256`.
    #[error("alg {0:?} is not BP256R1 or ES256")]
    Algorithm(String),
    /// `alg` names another curve than the signer's key has (the 2023 lists said ES256 over a brainpool key).
    #[error("alg {alg} does not fit a {key:?} key")]
    AlgorithmKeyMismatch {
        /// The header's `alg`.
        alg: &'static str,
        /// The signer's key.
        key: KeyAlgorithm,
    },
    /// `typ` other than `JWT`.
    #[error("typ {0:?} is not JWT")]
    Type(String),
    /// `crit`: no critical header parameters are understood.
    #[error("crit header parameters are not supported")]
    Crit,
    /// The signer is given by `jwk`, `x5u` or `kid` instead of `x5c`.
    #[error("the signer must be given by x5c")]
    NoX5c,
}

/// The signer is not trusted for federation lists.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Untrusted {
    /// The chain does not validate as C.FD.SIG with role oid_vzd_ti against the configured anchors.
    #[error("{0}")]
    Path(PathError),
    /// The signer is not one of the pinned signer certificates.
    #[error("signer is not a pinned federation-list signer")]
    NotPinned,
    /// The pinned signer is expired or not yet valid at `now`.
    #[error("pinned signer not valid now")]
    PinnedExpired,
    /// The pinned signer is not a C.FD.SIG with role oid_vzd_ti and digitalSignature.
    #[error("pinned signer is not a C.FD.SIG of the VZD ({0})")]
    PinnedProfile(&'static str),
}

/// Why a federation list was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListError {
    /// Not a well-formed list.
    #[error("malformed federation list: {0}")]
    Malformed(#[from] Malformed),
    /// Uses an algorithm or header parameter we do not accept.
    #[error("unsupported federation list: {0}")]
    Unsupported(#[from] Unsupported),
    /// The signer is not trusted.
    #[error("federation list signer not trusted: {0}")]
    Untrusted(#[from] Untrusted),
    /// The signature does not verify.
    #[error("federation list signature does not verify")]
    BadSignature,
}

/// Why a Matrix server name cannot be looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerNameError {
    /// Contains non-ASCII characters: internationalized names must arrive as IDNA A-labels (`xn--…`), as the
    /// Matrix grammar and DNS require; no IDNA mapping is done here.
    #[error("server name is not ASCII (IDNA A-labels only)")]
    NotAscii,
    /// Not a Matrix server name (`host[:port]`, Matrix spec appendix "Server Name").
    #[error("not a Matrix server name")]
    Invalid,
}

/// Refused to replace the current list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("federation list version {offered} is older than the current {current}")]
pub struct VersionRegression {
    /// The version held.
    pub current: u64,
    /// The version offered.
    pub offered: u64,
}
