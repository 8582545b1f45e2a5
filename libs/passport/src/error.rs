//! Why a PASSporT was refused, split by cause. `Display` names what failed and never echoes more than a
//! short excerpt of what a peer sent (no MXIDs or tokens in logs, ML-123619).

use tiwire_pki::PathError;

/// The segment of a token an error concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Part {
    /// The protected header.
    Header,
    /// The claims (payload).
    Claims,
    /// The signature.
    Signature,
}

impl core::fmt::Display for Part {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Part::Header => "header",
            Part::Claims => "claims",
            Part::Signature => "signature",
        })
    }
}

/// The token is not a well-formed PASSporT.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Malformed {
    /// Longer than [`crate::MAX_TOKEN_LEN`].
    #[error("token of {len} bytes exceeds {max}")]
    TooLong {
        /// Length.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// Not three dot-separated segments.
    #[error("{found} segments, expected 3")]
    Segments {
        /// How many.
        found: usize,
    },
    /// The compact form with an empty claims segment (`header..signature`), which TI-M cannot rebuild.
    #[error("detached claims (compact `..` form) are not accepted")]
    Detached,
    /// Not canonical base64url without padding (padding, white space, `+`/`/`, non-zero trailing bits).
    #[error("{0} is not unpadded canonical base64url")]
    Base64(Part),
    /// Not UTF-8.
    #[error("{0} is not UTF-8")]
    Utf8(Part),
    /// Not JSON.
    #[error("{0} is not JSON")]
    Json(Part),
    /// An object repeats a member name.
    #[error("{0} repeats a member name")]
    DuplicateMember(Part),
    /// Not a JSON object.
    #[error("{0} is not a JSON object")]
    NotAnObject(Part),
    /// A required member is missing.
    #[error("{part} lacks `{name}`")]
    Missing {
        /// Where.
        part: Part,
        /// Which.
        name: &'static str,
    },
    /// A member has the wrong JSON type (e.g. a fractional or negative `iat`).
    #[error("{part} member `{name}` has the wrong type")]
    WrongType {
        /// Where.
        part: Part,
        /// Which.
        name: &'static str,
    },
    /// `orig` or `dest` is not an RFC 8225 identity.
    #[error("`{0}` is not a valid RFC 8225 identity")]
    Identity(&'static str),
    /// The signature is not 64 bytes of r‖s (e.g. DER).
    #[error("signature of {0} bytes, expected 64 (r||s)")]
    SignatureLength(usize),
    /// Strict mode: header or claims are not in RFC 8225 §9 canonical form.
    #[error("{0} is not canonical JSON (RFC 8225 §9)")]
    NotCanonical(Part),
}

/// The token uses something this implementation does not accept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unsupported {
    /// `typ` is not `passport`.
    #[error("typ {0:?} is not passport")]
    Type(String),
    /// `alg` is not `ES256`.
    #[error("alg {0:?} is not ES256")]
    Algorithm(String),
    /// `ppt` (PASSporT extensions) — none are understood.
    #[error("ppt extensions are not supported")]
    Ppt,
    /// `crit` — no critical header parameters are understood.
    #[error("crit header parameters are not supported")]
    Crit,
}

/// The signer's certificate is not acceptable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateProblem {
    /// Not a valid C.FD.SIG (role oid_tim, digitalSignature) path now.
    #[error("{0}")]
    Path(PathError),
    /// The validated signer's path is not valid at `now` any more.
    #[error("signer path expired or not yet valid")]
    Expired,
    /// The signer's path was not valid at the token's `iat`.
    #[error("signer path not valid at iat")]
    NotValidAtIssue,
    /// The key is not on P-256, so it cannot have made an ES256 signature.
    #[error("signer key is not P-256")]
    NotP256,
}

/// How a verified PASSporT fails to authorize an invite (the MXIDs are not repeated here).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PartyMismatch {
    /// `orig` is not a `matrix:u/` URI.
    #[error("orig is not a Matrix user URI")]
    OrigNotMatrixUser,
    /// `orig` names someone other than the inviter.
    #[error("orig is not the inviter")]
    NotTheInviter,
    /// No `dest` URI names the invitee.
    #[error("dest does not name the invitee")]
    NotTheInvitee,
}

/// Why a PASSporT was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PassportError {
    /// Not a well-formed PASSporT.
    #[error("malformed PASSporT: {0}")]
    Malformed(#[from] Malformed),
    /// Uses an algorithm, type or extension we do not accept.
    #[error("unsupported PASSporT: {0}")]
    Unsupported(#[from] Unsupported),
    /// The `x5u` is refused by policy before anything is fetched.
    #[error("x5u refused: {0}")]
    X5uRefused(&'static str),
    /// The signer's certificate is not trusted.
    #[error("PASSporT certificate not trusted: {0}")]
    UntrustedCertificate(#[from] CertificateProblem),
    /// The ES256 signature does not verify.
    #[error("PASSporT signature does not verify")]
    BadSignature,
    /// `iat` lies further in the past than the policy allows.
    #[error("PASSporT issued at {iat}, more than {max_age} s before now ({now})")]
    Stale {
        /// The token's iat.
        iat: u64,
        /// Now.
        now: u64,
        /// The allowed age.
        max_age: u64,
    },
    /// `iat` lies further in the future than the policy allows.
    #[error("PASSporT issued at {iat}, more than {max_future} s after now ({now})")]
    Future {
        /// The token's iat.
        iat: u64,
        /// Now.
        now: u64,
        /// The allowed lead.
        max_future: u64,
    },
    /// Valid, but not for this inviter and invitee.
    #[error("PASSporT not for this invite: {0}")]
    WrongParties(#[from] PartyMismatch),
}

/// At most 16 characters of a peer's string, for error messages that end up in logs (ML-123619): the JWS
/// header values tiwire-passport and tiwire-fedlist refuse are quoted this way.
pub fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(16).collect();
    if s.chars().count() > 16 {
        out.push('…');
    }
    out
}
