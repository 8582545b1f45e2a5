//! Signature verification behind one trait (ARCHITECTURE.md rule 5), in the spirit of rustls'
//! `CryptoProvider`: callers hold a `&dyn CryptoProvider` and never name a crypto crate.
//!
//! [`RustCrypto`] is the default backend: `p256`, `bp256` and `rsa`. brainpoolP256r1 is a first-class
//! curve here, as the TI issues most ECC certificates on it.

use core::fmt;

use der::asn1::{Null, ObjectIdentifier};
use der::{Decode, Encode, Sequence};
use spki::{AlgorithmIdentifier, AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

use crate::error::SignatureError;

/// `ecdsa-with-SHA256` (RFC 5758 §3.2).
pub const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// `sha256WithRSAEncryption` (RFC 4055 §5).
pub const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// `id-RSASSA-PSS` (RFC 4055 §3.1).
pub const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// `id-mgf1` (RFC 4055 §2.2).
pub const MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");
/// `id-sha256` (RFC 4055 §2.1).
pub const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
/// `id-sha1`, used in OCSP `CertID`s.
pub const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
/// `id-ecPublicKey` (RFC 5480 §2.1.1).
pub const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `rsaEncryption` (RFC 3279 §2.3.1).
pub const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `secp256r1` / NIST P-256 (RFC 5480 §2.1.1.1).
pub const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// `brainpoolP256r1` (RFC 5639 §4.1).
pub const BRAINPOOL_P256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.7");

/// PSS salt length of every RSASSA-PSS signature we accept or make: the SHA-256 output length (the TI's
/// only PSS profile, gemSpec_Krypt).
pub const PSS_SALT_LEN: usize = 32;

/// RSA moduli below this many bits are refused (gemSpec_Krypt: RSA ≥ 2048 bits).
pub const RSA_MIN_BITS: usize = 2048;
/// RSA moduli above this many bits are refused (a peer must not make us do arbitrarily large exponentiations).
pub const RSA_MAX_BITS: usize = 4096;

/// Public key algorithms (with their curve) that tiwire understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// ECDSA key on NIST P-256.
    EcP256,
    /// ECDSA key on brainpoolP256r1.
    EcBrainpoolP256r1,
    /// RSA key (`rsaEncryption`).
    Rsa,
}

impl KeyAlgorithm {
    /// Reads the algorithm from a `SubjectPublicKeyInfo`'s algorithm identifier.
    pub fn from_spki_algorithm(alg: &AlgorithmIdentifierRef<'_>) -> Result<Self, SignatureError> {
        if alg.oid == EC_PUBLIC_KEY {
            let curve = alg
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .ok_or(SignatureError::MalformedKey)?;
            if curve == SECP256R1 {
                Ok(KeyAlgorithm::EcP256)
            } else if curve == BRAINPOOL_P256R1 {
                Ok(KeyAlgorithm::EcBrainpoolP256r1)
            } else {
                Err(SignatureError::UnsupportedCurve(curve))
            }
        } else if alg.oid == RSA_ENCRYPTION {
            Ok(KeyAlgorithm::Rsa)
        } else {
            Err(SignatureError::UnsupportedKeyAlgorithm(alg.oid))
        }
    }

    /// What people call it.
    pub const fn name(self) -> &'static str {
        match self {
            KeyAlgorithm::EcP256 => "ECDSA P-256",
            KeyAlgorithm::EcBrainpoolP256r1 => "ECDSA brainpoolP256r1",
            KeyAlgorithm::Rsa => "RSA",
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A public key as the backends consume it: the algorithm and the `subjectPublicKey` bits (an SEC1 point for
/// EC keys, a PKCS#1 `RSAPublicKey` for RSA).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKeyRef<'a> {
    /// The key's algorithm and curve.
    pub algorithm: KeyAlgorithm,
    /// The contents of the `subjectPublicKey` BIT STRING.
    pub key: &'a [u8],
}

impl<'a> PublicKeyRef<'a> {
    /// Reads a key from DER `SubjectPublicKeyInfo`.
    pub fn from_spki_der(spki: &'a [u8]) -> Result<Self, SignatureError> {
        let info = SubjectPublicKeyInfoRef::from_der(spki).map_err(|_| SignatureError::MalformedKey)?;
        Self::from_spki(&info)
    }

    /// Reads a key from a decoded `SubjectPublicKeyInfo`.
    pub fn from_spki(info: &SubjectPublicKeyInfoRef<'a>) -> Result<Self, SignatureError> {
        let algorithm = KeyAlgorithm::from_spki_algorithm(&info.algorithm)?;
        let key = info.subject_public_key.as_bytes().ok_or(SignatureError::MalformedKey)?;
        Ok(PublicKeyRef { algorithm, key })
    }
}

/// Signature schemes that tiwire verifies and makes. The hash is SHA-256 throughout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// ECDSA with SHA-256, signature as DER `Ecdsa-Sig-Value` (X.509, OCSP, CMS).
    EcdsaSha256,
    /// ECDSA with SHA-256, signature as fixed-size `r‖s` (IEEE P1363; JWS per RFC 7518 §3.4, XML-DSig).
    EcdsaSha256Fixed,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RsaPkcs1Sha256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    RsaPssSha256,
}

/// `RSASSA-PSS-params` (RFC 4055 §3.1), decoded strictly.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifier<der::Any>>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifier<AlgorithmIdentifier<der::Any>>>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_len: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

fn is_sha256(alg: &AlgorithmIdentifier<der::Any>) -> bool {
    alg.oid == SHA256 && alg.parameters.as_ref().is_none_or(|p| p.is_null())
}

impl SignatureAlgorithm {
    /// Reads the scheme from an X.509/OCSP `AlgorithmIdentifier`. RSASSA-PSS parameters must be exactly
    /// SHA-256, MGF1 with SHA-256, salt length 32 and trailer field 1.
    pub fn from_algorithm_identifier(alg: &AlgorithmIdentifierRef<'_>) -> Result<Self, SignatureError> {
        let params_absent_or_null = alg.parameters.as_ref().is_none_or(|p| p.is_null());
        if alg.oid == ECDSA_WITH_SHA256 {
            // RFC 5758 §3.2: the parameters field MUST be absent.
            return if alg.parameters.is_none() {
                Ok(SignatureAlgorithm::EcdsaSha256)
            } else {
                Err(SignatureError::MalformedAlgorithmParameters)
            };
        }
        if alg.oid == SHA256_WITH_RSA {
            return if params_absent_or_null {
                Ok(SignatureAlgorithm::RsaPkcs1Sha256)
            } else {
                Err(SignatureError::MalformedAlgorithmParameters)
            };
        }
        if alg.oid == RSASSA_PSS {
            let params = alg
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<PssParams>().ok())
                .ok_or(SignatureError::MalformedAlgorithmParameters)?;
            let hash_ok = params.hash.as_ref().is_some_and(is_sha256);
            let mgf_ok = params
                .mask_gen
                .as_ref()
                .is_some_and(|m| m.oid == MGF1 && m.parameters.as_ref().is_some_and(is_sha256));
            let salt_ok = params.salt_len == Some(PSS_SALT_LEN as u32);
            let trailer_ok = params.trailer.is_none_or(|t| t == 1);
            return if hash_ok && mgf_ok && salt_ok && trailer_ok {
                Ok(SignatureAlgorithm::RsaPssSha256)
            } else {
                Err(SignatureError::UnsupportedPssParameters)
            };
        }
        Err(SignatureError::UnsupportedSignatureAlgorithm(alg.oid))
    }

    /// The `AlgorithmIdentifier` to write into certificates and OCSP responses (DER).
    /// [`SignatureAlgorithm::EcdsaSha256Fixed`] has none: it is not an X.509 encoding.
    pub fn algorithm_identifier_der(self) -> Result<Vec<u8>, SignatureError> {
        let any = |oid| AlgorithmIdentifier::<der::Any> { oid, parameters: None };
        let sha256 = AlgorithmIdentifier::<der::Any> {
            oid: SHA256,
            parameters: Some(der::Any::from(Null)),
        };
        let encoded = match self {
            SignatureAlgorithm::EcdsaSha256 => any(ECDSA_WITH_SHA256).to_der(),
            SignatureAlgorithm::EcdsaSha256Fixed => return Err(SignatureError::NoX509Encoding),
            SignatureAlgorithm::RsaPkcs1Sha256 => AlgorithmIdentifier::<der::Any> {
                oid: SHA256_WITH_RSA,
                parameters: Some(der::Any::from(Null)),
            }
            .to_der(),
            SignatureAlgorithm::RsaPssSha256 => {
                let params = PssParams {
                    hash: Some(sha256.clone()),
                    mask_gen: Some(AlgorithmIdentifier {
                        oid: MGF1,
                        parameters: Some(sha256),
                    }),
                    salt_len: Some(PSS_SALT_LEN as u32),
                    trailer: None,
                };
                der::Any::encode_from(&params).and_then(|p| {
                    AlgorithmIdentifier::<der::Any> {
                        oid: RSASSA_PSS,
                        parameters: Some(p),
                    }
                    .to_der()
                })
            }
        };
        encoded.map_err(|_| SignatureError::MalformedAlgorithmParameters)
    }

    /// Whether a key of `key` can make signatures of this scheme.
    pub const fn fits(self, key: KeyAlgorithm) -> bool {
        matches!(
            (self, key),
            (
                SignatureAlgorithm::EcdsaSha256 | SignatureAlgorithm::EcdsaSha256Fixed,
                KeyAlgorithm::EcP256 | KeyAlgorithm::EcBrainpoolP256r1
            ) | (
                SignatureAlgorithm::RsaPkcs1Sha256 | SignatureAlgorithm::RsaPssSha256,
                KeyAlgorithm::Rsa
            )
        )
    }

    /// What people call it.
    pub const fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::EcdsaSha256 => "ecdsa-with-SHA256",
            SignatureAlgorithm::EcdsaSha256Fixed => "ecdsa-with-SHA256 (r||s)",
            SignatureAlgorithm::RsaPkcs1Sha256 => "sha256WithRSAEncryption",
            SignatureAlgorithm::RsaPssSha256 => "RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32)",
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A signature verification backend.
///
/// Implementations must be constant-time with respect to secret data where that applies, must not panic on
/// any input, and must refuse keys and signatures that are malformed for their algorithm.
pub trait CryptoProvider: fmt::Debug + Send + Sync {
    /// Verifies `signature` over `message` (the backend hashes) with `key` under `algorithm`.
    fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        key: PublicKeyRef<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError>;
}

/// The default backend: RustCrypto's `p256`, `bp256` and `rsa`.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCrypto;

/// The default provider as a static, for `&'static dyn CryptoProvider` users.
pub static RUST_CRYPTO: RustCrypto = RustCrypto;

impl CryptoProvider for RustCrypto {
    fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        key: PublicKeyRef<'_>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        if !algorithm.fits(key.algorithm) {
            return Err(SignatureError::KeyMismatch {
                algorithm,
                key: key.algorithm,
            });
        }
        match key.algorithm {
            KeyAlgorithm::EcP256 => verify_p256(algorithm, key.key, message, signature),
            KeyAlgorithm::EcBrainpoolP256r1 => verify_bp256(algorithm, key.key, message, signature),
            KeyAlgorithm::Rsa => rsa_verify(algorithm, key.key, message, signature),
        }
    }
}

macro_rules! ecdsa_verifier {
    ($name:ident, $curve:ty) => {
        fn $name(
            algorithm: SignatureAlgorithm,
            point: &[u8],
            message: &[u8],
            signature: &[u8],
        ) -> Result<(), SignatureError> {
            use signature::Verifier;
            let key =
                ecdsa::VerifyingKey::<$curve>::from_sec1_bytes(point).map_err(|_| SignatureError::MalformedKey)?;
            let sig = match algorithm {
                SignatureAlgorithm::EcdsaSha256 => ecdsa::der::Signature::<$curve>::from_bytes(signature)
                    .and_then(ecdsa::Signature::<$curve>::try_from),
                _ => ecdsa::Signature::<$curve>::from_slice(signature),
            }
            .map_err(|_| SignatureError::MalformedSignature)?;
            key.verify(message, &sig).map_err(|_| SignatureError::Invalid)
        }
    };
}

ecdsa_verifier!(verify_p256, p256::NistP256);
ecdsa_verifier!(verify_bp256, bp256::BrainpoolP256r1);

/// Parses a PKCS#1 `RSAPublicKey` and enforces the size limits.
pub(crate) fn rsa_public_key(der_key: &[u8]) -> Result<rsa::RsaPublicKey, SignatureError> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::traits::PublicKeyParts;
    let key = rsa::RsaPublicKey::from_pkcs1_der(der_key).map_err(|_| SignatureError::MalformedKey)?;
    let bits = key.n().bit_width() as usize;
    if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(SignatureError::KeySize { bits });
    }
    Ok(key)
}

fn rsa_verify(
    algorithm: SignatureAlgorithm,
    der_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    use sha2::Digest;
    let key = rsa_public_key(der_key)?;
    let digest = sha2::Sha256::digest(message);
    let result = match algorithm {
        SignatureAlgorithm::RsaPkcs1Sha256 => key.verify(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest, signature),
        _ => key.verify(
            rsa::Pss::<sha2::Sha256>::new_with_salt(PSS_SALT_LEN),
            &digest,
            signature,
        ),
    };
    result.map_err(|_| SignatureError::Invalid)
}
