//! Typed errors, split by cause: malformed input ([`ParseError`]), signatures ([`SignatureError`]),
//! untrusted paths ([`PathError`]), OCSP ([`OcspError`]) and keys ([`KeyError`]).

use der::asn1::ObjectIdentifier;

use crate::UnixTime;
use crate::crypto::{KeyAlgorithm, SignatureAlgorithm};
use crate::oid::CertType;

/// Malformed or oversized certificate input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The input exceeds a size limit.
    #[error("input of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Input length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// DER decoding failed (what and where).
    #[error("malformed DER: {0}")]
    Der(#[from] der::Error),
    /// PEM armour is malformed or carries another label.
    #[error("malformed PEM: {0}")]
    Pem(String),
    /// No certificate was found in the input.
    #[error("no certificate in the input")]
    Empty,
    /// More certificates than allowed in one input.
    #[error("more than {max} certificates in one input")]
    TooMany {
        /// The limit.
        max: usize,
    },
    /// Only X.509 v3 certificates are accepted.
    #[error("not an X.509 v3 certificate")]
    Version,
    /// `signatureAlgorithm` differs from the `signature` field inside `tbsCertificate` (RFC 5280 §4.1.1.2).
    #[error("outer and inner signature algorithm differ")]
    SignatureAlgorithmMismatch,
    /// An extension appears more than once (RFC 5280 §4.2).
    #[error("extension {0} appears more than once")]
    DuplicateExtension(ObjectIdentifier),
    /// A known extension could not be decoded.
    #[error("extension {oid} is malformed: {source}")]
    Extension {
        /// The extension.
        oid: ObjectIdentifier,
        /// The decoding error.
        source: der::Error,
    },
}

/// A signature that could not be checked or did not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature algorithm is not one of ours.
    #[error("unsupported signature algorithm {0}")]
    UnsupportedSignatureAlgorithm(ObjectIdentifier),
    /// The public key algorithm is not one of ours.
    #[error("unsupported public key algorithm {0}")]
    UnsupportedKeyAlgorithm(ObjectIdentifier),
    /// The elliptic curve is not P-256 or brainpoolP256r1.
    #[error("unsupported elliptic curve {0}")]
    UnsupportedCurve(ObjectIdentifier),
    /// RSASSA-PSS with parameters other than SHA-256, MGF1-SHA-256, salt length 32.
    #[error("RSASSA-PSS parameters other than SHA-256, MGF1-SHA-256, salt length 32")]
    UnsupportedPssParameters,
    /// Algorithm parameters present where they must be absent, or malformed.
    #[error("malformed signature algorithm parameters")]
    MalformedAlgorithmParameters,
    /// The algorithm does not fit the key.
    #[error("{algorithm} cannot be made with an {key} key")]
    KeyMismatch {
        /// The signature algorithm.
        algorithm: SignatureAlgorithm,
        /// The key's algorithm.
        key: KeyAlgorithm,
    },
    /// The public key is malformed (not on the curve, bad encoding).
    #[error("malformed public key")]
    MalformedKey,
    /// An RSA key outside the accepted sizes.
    #[error("RSA key of {bits} bits is outside 2048..=4096 bits")]
    KeySize {
        /// Modulus size.
        bits: usize,
    },
    /// The signature is malformed for its algorithm (e.g. DER where r‖s is required, or the reverse).
    #[error("malformed signature value")]
    MalformedSignature,
    /// The signature does not verify.
    #[error("signature does not verify")]
    Invalid,
    /// The algorithm has no X.509 `AlgorithmIdentifier` (fixed-size ECDSA).
    #[error("this signature encoding has no X.509 algorithm identifier")]
    NoX509Encoding,
}

/// Why a certificate path is not valid. `depth` counts from the end-entity (0) towards the anchor.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// No certificate was given.
    #[error("empty chain")]
    Empty,
    /// The path is longer than the policy allows.
    #[error("path longer than {max} certificates")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Neither a supplied certificate nor a trust anchor issued the certificate at `depth`.
    #[error("no issuer of the certificate at depth {depth} among the supplied certificates and trust anchors")]
    NoIssuer {
        /// Depth of the orphan.
        depth: usize,
    },
    /// A signature in the path does not verify.
    #[error("signature of the certificate at depth {depth}: {source}")]
    Signature {
        /// Depth of the signed certificate.
        depth: usize,
        /// Why.
        source: SignatureError,
    },
    /// `now` is before `notBefore`.
    #[error("certificate at depth {depth} is not valid before {not_before}")]
    NotYetValid {
        /// Depth.
        depth: usize,
        /// Its notBefore.
        not_before: UnixTime,
    },
    /// `now` is after `notAfter`.
    #[error("certificate at depth {depth} expired at {not_after}")]
    Expired {
        /// Depth.
        depth: usize,
        /// Its notAfter.
        not_after: UnixTime,
    },
    /// An issuer is not a CA (basicConstraints).
    #[error("issuer at depth {depth} is not a CA")]
    NotCa {
        /// Depth of the issuer.
        depth: usize,
    },
    /// An issuer's pathLenConstraint is exceeded.
    #[error("path length constraint of the CA at depth {depth} is exceeded")]
    PathLength {
        /// Depth of the CA.
        depth: usize,
    },
    /// A key usage bit is missing.
    #[error("certificate at depth {depth} lacks key usage {missing}")]
    KeyUsage {
        /// Depth.
        depth: usize,
        /// The missing usage.
        missing: &'static str,
    },
    /// The end-entity lacks a required extended key usage.
    #[error("end-entity certificate lacks extended key usage {0}")]
    ExtendedKeyUsage(ObjectIdentifier),
    /// A critical extension we do not process.
    #[error("certificate at depth {depth} has unknown critical extension {oid}")]
    UnknownCriticalExtension {
        /// Depth.
        depth: usize,
        /// The extension.
        oid: ObjectIdentifier,
    },
    /// The end-entity has none of the expected certificate types.
    #[error("certificate type is {found}, expected {expected}")]
    WrongType {
        /// What the policy asks for.
        expected: TypeList,
        /// What the certificate carries.
        found: TypeList,
    },
    /// The end-entity lacks the expected profession/role OID in its admission extension.
    #[error("admission extension lacks profession OID {0}")]
    WrongRole(ObjectIdentifier),
}

/// A list of certificate types, for messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeList(pub Vec<CertType>);

impl core::fmt::Display for TypeList {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(no TI type)");
        }
        for (i, t) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            f.write_str(t.label())?;
        }
        Ok(())
    }
}

/// An OCSP request that could not be built, or a response that is malformed, untrusted or stale.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OcspError {
    /// The response exceeds the size limit.
    #[error("OCSP response of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Length.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// DER decoding failed.
    #[error("malformed OCSP message: {0}")]
    Der(#[from] der::Error),
    /// The responder answered with an error status (RFC 6960 §4.2.1).
    #[error("OCSP responder answered {0}")]
    Status(crate::ocsp::ResponseStatus),
    /// The response type is not `id-pkix-ocsp-basic`.
    #[error("unsupported OCSP response type {0}")]
    ResponseType(ObjectIdentifier),
    /// An embedded responder certificate is malformed.
    #[error("embedded responder certificate: {0}")]
    Certificate(#[from] ParseError),
    /// No single response for the certificate asked about.
    #[error("the response has no status for the certificate asked about")]
    NoMatchingResponse,
    /// The signer is neither the issuing CA, nor delegated by it, nor a configured responder.
    #[error("the OCSP response is signed by an unauthorized responder")]
    UnauthorizedResponder,
    /// The responder certificate (delegated or configured) is not valid now.
    #[error("the responder certificate is not valid now")]
    ResponderExpired,
    /// The request's certificate was not issued by the CA the response is checked against.
    #[error("the request is about a certificate of another issuer")]
    IssuerMismatch,
    /// A critical extension that is not understood (RFC 6960 §4.4).
    #[error("OCSP message or responder certificate has unknown critical extension {0}")]
    UnknownCriticalExtension(ObjectIdentifier),
    /// `nextUpdate` lies before `thisUpdate`.
    #[error("OCSP nextUpdate lies before thisUpdate")]
    InconsistentTimes,
    /// A `successful` response without `responseBytes`.
    #[error("OCSP response says successful but carries no response")]
    MissingResponseBytes,
    /// `ResponseData` of a version other than v1.
    #[error("unsupported OCSP response version {0}")]
    Version(u8),
    /// More entries than accepted.
    #[error("more than {max} {what} in one OCSP message")]
    TooMany {
        /// What was counted.
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// The response's signature does not verify.
    #[error("OCSP response signature: {0}")]
    Signature(SignatureError),
    /// `thisUpdate` or `producedAt` lies in the future beyond the allowed skew.
    #[error("OCSP response time {0} lies in the future")]
    NotYetValid(UnixTime),
    /// `nextUpdate` has passed, or the response is older than the maximum age.
    #[error("OCSP response is stale (thisUpdate {this_update})")]
    Stale {
        /// thisUpdate of the response.
        this_update: UnixTime,
    },
    /// The nonce of the request is missing in the response or differs.
    #[error("OCSP nonce missing or different")]
    Nonce,
    /// The nonce is too short or too long (RFC 8954: 1..=32 bytes).
    #[error("OCSP nonce must be 1 to 32 bytes")]
    NonceLength,
    /// Encoding the request failed.
    #[error("could not encode the OCSP request: {0}")]
    Encode(der::Error),
}

/// A private key that could not be made, read or used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key encoding is malformed or of an unsupported algorithm.
    #[error("malformed or unsupported private key")]
    Malformed,
    /// Key generation failed.
    #[error("key generation failed")]
    Generate,
    /// The algorithm does not fit the key.
    #[error("{algorithm} cannot be made with an {key} key")]
    KeyMismatch {
        /// The signature algorithm.
        algorithm: SignatureAlgorithm,
        /// The key's algorithm.
        key: KeyAlgorithm,
    },
    /// Signing failed.
    #[error("signing failed")]
    Sign,
    /// The scheme draws randomness (RSASSA-PSS salt) and none was given.
    #[error("this signature scheme needs a random number generator")]
    NeedsRandomness,
    /// Encoding the key failed.
    #[error("encoding the key failed")]
    Encode,
}
