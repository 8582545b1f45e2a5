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
            // trailerField has the DEFAULT 1, which DER leaves out: an explicit value is not DER.
            let trailer_ok = params.trailer.is_none();
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

/// `RSAPublicKey` (RFC 8017 §A.1.1), read only for its modulus size.
#[derive(Sequence)]
struct RsaPublicKeyAsn1<'a> {
    modulus: der::asn1::UintRef<'a>,
    public_exponent: der::asn1::UintRef<'a>,
}

/// The modulus size of a PKCS#1 `RSAPublicKey`, which must lie in [`RSA_MIN_BITS`]..=[`RSA_MAX_BITS`].
pub(crate) fn rsa_modulus_bits(der_key: &[u8]) -> Result<usize, SignatureError> {
    let key = RsaPublicKeyAsn1::from_der(der_key).map_err(|_| SignatureError::MalformedKey)?;
    let n = key.modulus.as_bytes();
    let bits = match n.first() {
        Some(first) => n.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    };
    if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(SignatureError::KeySize { bits });
    }
    Ok(bits)
}

/// Parses a PKCS#1 `RSAPublicKey` within the size limits.
fn rsa_public_key(der_key: &[u8]) -> Result<rsa::RsaPublicKey, SignatureError> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    rsa_modulus_bits(der_key)?;
    rsa::RsaPublicKey::from_pkcs1_der(der_key).map_err(|_| SignatureError::MalformedKey)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrivateKey;
    use der::Decode;

    fn rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
        rand_core::UnwrapErr(getrandom::SysRng)
    }

    #[test]
    fn every_scheme_signs_and_verifies_and_refuses_a_changed_message() {
        let rsa = PrivateKey::generate(KeyAlgorithm::Rsa, &mut rng()).unwrap();
        let p256 = PrivateKey::generate(KeyAlgorithm::EcP256, &mut rng()).unwrap();
        let bp = PrivateKey::generate(KeyAlgorithm::EcBrainpoolP256r1, &mut rng()).unwrap();
        let cases = [
            (&p256, SignatureAlgorithm::EcdsaSha256),
            (&p256, SignatureAlgorithm::EcdsaSha256Fixed),
            (&bp, SignatureAlgorithm::EcdsaSha256),
            (&bp, SignatureAlgorithm::EcdsaSha256Fixed),
            (&rsa, SignatureAlgorithm::RsaPkcs1Sha256),
            (&rsa, SignatureAlgorithm::RsaPssSha256),
        ];
        for (key, alg) in cases {
            let spki = key.public_key_der().unwrap();
            let public = PublicKeyRef::from_spki_der(&spki).unwrap();
            assert_eq!(public.algorithm, key.algorithm());
            let sig = key.sign(alg, b"message", &mut rng()).unwrap();
            assert_eq!(RustCrypto.verify(alg, public, b"message", &sig), Ok(()), "{alg}");
            assert_eq!(
                RustCrypto.verify(alg, public, b"messagf", &sig),
                Err(SignatureError::Invalid),
                "{alg}"
            );
            if alg == SignatureAlgorithm::EcdsaSha256Fixed {
                assert_eq!(sig.len(), 64);
                // Deterministic ECDSA (RFC 6979): the same message gives the same signature.
                assert_eq!(key.sign(alg, b"message", &mut rng()).unwrap(), sig);
            }
            // The key round-trips through PKCS#8 PEM.
            let again = PrivateKey::from_pkcs8_pem(&key.to_pkcs8_pem().unwrap()).unwrap();
            assert_eq!(again.public_key_der().unwrap(), spki);
        }
        let p256_spki = p256.public_key_der().unwrap();
        let ec = PublicKeyRef::from_spki_der(&p256_spki).unwrap();
        let rsa_sig = rsa.sign(SignatureAlgorithm::RsaPkcs1Sha256, b"m", &mut rng()).unwrap();
        assert_eq!(
            RustCrypto.verify(SignatureAlgorithm::RsaPkcs1Sha256, ec, b"m", &rsa_sig),
            Err(SignatureError::KeyMismatch {
                algorithm: SignatureAlgorithm::RsaPkcs1Sha256,
                key: KeyAlgorithm::EcP256
            })
        );
        assert!(matches!(
            p256.sign(SignatureAlgorithm::RsaPssSha256, b"m", &mut rng()),
            Err(crate::KeyError::KeyMismatch { .. })
        ));
    }

    /// The aws-lc-rs backend accepts and refuses exactly what RustCrypto does.
    #[cfg(feature = "aws-lc-rs")]
    #[test]
    fn aws_lc_agrees_with_rust_crypto() {
        let keys = [
            PrivateKey::generate(KeyAlgorithm::EcP256, &mut rng()).unwrap(),
            PrivateKey::generate(KeyAlgorithm::EcBrainpoolP256r1, &mut rng()).unwrap(),
            PrivateKey::generate(KeyAlgorithm::Rsa, &mut rng()).unwrap(),
        ];
        let all = [
            SignatureAlgorithm::EcdsaSha256,
            SignatureAlgorithm::EcdsaSha256Fixed,
            SignatureAlgorithm::RsaPkcs1Sha256,
            SignatureAlgorithm::RsaPssSha256,
        ];
        for key in &keys {
            let spki = key.public_key_der().unwrap();
            let public = PublicKeyRef::from_spki_der(&spki).unwrap();
            for alg in all.iter().copied().filter(|a| a.fits(key.algorithm())) {
                let sig = key.sign(alg, b"message", &mut rng()).unwrap();
                let mut bad_sig = sig.clone();
                let last = bad_sig.len() - 1;
                bad_sig[last] ^= 1;
                for (msg, s) in [(&b"message"[..], &sig), (b"messagf", &sig), (b"message", &bad_sig)] {
                    let ours = RustCrypto.verify(alg, public, msg, s).is_ok();
                    let theirs = crate::AWS_LC.verify(alg, public, msg, s).is_ok();
                    assert_eq!(ours, theirs, "{alg} {:?}", key.algorithm());
                }
                assert!(crate::AWS_LC.verify(alg, public, b"message", &sig).is_ok());
            }
        }
    }

    #[test]
    fn rsa_key_sizes_are_bounded() {
        // A 1024-bit modulus: 0x00 0x80 … (129 bytes), exponent 65537.
        let mut modulus = vec![0u8, 0x80];
        modulus.extend([0x11u8; 127]);
        let key = RsaPublicKeyAsn1 {
            modulus: der::asn1::UintRef::new(&modulus[1..]).unwrap(),
            public_exponent: der::asn1::UintRef::new(&[1, 0, 1]).unwrap(),
        }
        .to_der()
        .unwrap();
        assert_eq!(rsa_modulus_bits(&key), Err(SignatureError::KeySize { bits: 1024 }));
        let public = PublicKeyRef {
            algorithm: KeyAlgorithm::Rsa,
            key: &key,
        };
        assert_eq!(
            RustCrypto.verify(SignatureAlgorithm::RsaPkcs1Sha256, public, b"m", &[0u8; 128]),
            Err(SignatureError::KeySize { bits: 1024 })
        );
    }

    #[test]
    fn garbage_keys_and_signatures_are_typed_errors() {
        let p256 = PrivateKey::generate(KeyAlgorithm::EcP256, &mut rng()).unwrap();
        let spki = p256.public_key_der().unwrap();
        let public = PublicKeyRef::from_spki_der(&spki).unwrap();
        for sig in [&[][..], &[0u8; 64], &[0x30, 0x00], &[0xff; 72]] {
            let r = RustCrypto.verify(SignatureAlgorithm::EcdsaSha256, public, b"m", sig);
            assert!(
                matches!(r, Err(SignatureError::MalformedSignature | SignatureError::Invalid)),
                "{r:?}"
            );
        }
        let bad_point = PublicKeyRef {
            algorithm: KeyAlgorithm::EcP256,
            key: &[4u8; 65],
        };
        let sig = p256.sign(SignatureAlgorithm::EcdsaSha256, b"m", &mut rng()).unwrap();
        assert_eq!(
            RustCrypto.verify(SignatureAlgorithm::EcdsaSha256, bad_point, b"m", &sig),
            Err(SignatureError::MalformedKey)
        );
        let bad_rsa = PublicKeyRef {
            algorithm: KeyAlgorithm::Rsa,
            key: &[0x30, 0x03, 0x02, 0x01, 0x03],
        };
        assert_eq!(
            RustCrypto.verify(SignatureAlgorithm::RsaPkcs1Sha256, bad_rsa, b"m", &sig),
            Err(SignatureError::MalformedKey)
        );
        assert!(PrivateKey::from_pkcs8_der(b"not a key").is_err());
        assert!(PrivateKey::from_pkcs8_pem("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n").is_err());
    }

    #[test]
    fn algorithm_identifiers_round_trip_and_strange_ones_are_refused() {
        for alg in [
            SignatureAlgorithm::EcdsaSha256,
            SignatureAlgorithm::RsaPkcs1Sha256,
            SignatureAlgorithm::RsaPssSha256,
        ] {
            let der = alg.algorithm_identifier_der().unwrap();
            let parsed = AlgorithmIdentifierRef::from_der(&der).unwrap();
            assert_eq!(SignatureAlgorithm::from_algorithm_identifier(&parsed), Ok(alg));
        }
        assert_eq!(
            SignatureAlgorithm::EcdsaSha256Fixed.algorithm_identifier_der(),
            Err(SignatureError::NoX509Encoding)
        );
        // sha1WithRSAEncryption, and ECDSA with (forbidden) NULL parameters.
        let sha1_rsa = AlgorithmIdentifier::<der::Any> {
            oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5"),
            parameters: Some(der::Any::from(Null)),
        }
        .to_der()
        .unwrap();
        let parsed = AlgorithmIdentifierRef::from_der(&sha1_rsa).unwrap();
        assert!(matches!(
            SignatureAlgorithm::from_algorithm_identifier(&parsed),
            Err(SignatureError::UnsupportedSignatureAlgorithm(_))
        ));
        let ecdsa_null = AlgorithmIdentifier::<der::Any> {
            oid: ECDSA_WITH_SHA256,
            parameters: Some(der::Any::from(Null)),
        }
        .to_der()
        .unwrap();
        let parsed = AlgorithmIdentifierRef::from_der(&ecdsa_null).unwrap();
        assert_eq!(
            SignatureAlgorithm::from_algorithm_identifier(&parsed),
            Err(SignatureError::MalformedAlgorithmParameters)
        );
        // PSS with a 20-byte salt (what some stacks default to) is not the TI profile.
        let sha256 = AlgorithmIdentifier::<der::Any> {
            oid: SHA256,
            parameters: Some(der::Any::from(Null)),
        };
        let params = PssParams {
            hash: Some(sha256.clone()),
            mask_gen: Some(AlgorithmIdentifier {
                oid: MGF1,
                parameters: Some(sha256),
            }),
            salt_len: Some(20),
            trailer: None,
        };
        let pss20 = AlgorithmIdentifier::<der::Any> {
            oid: RSASSA_PSS,
            parameters: Some(der::Any::encode_from(&params).unwrap()),
        }
        .to_der()
        .unwrap();
        let parsed = AlgorithmIdentifierRef::from_der(&pss20).unwrap();
        assert_eq!(
            SignatureAlgorithm::from_algorithm_identifier(&parsed),
            Err(SignatureError::UnsupportedPssParameters)
        );
    }
}
