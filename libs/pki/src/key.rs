//! Private keys: generate, read and write PKCS#8, sign. Used to issue PASSporTs, sign OCSP responses and
//! build the test PKI; verification goes through [`crate::CryptoProvider`].

use core::fmt;

use p256::elliptic_curve::Generate;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rand_core::CryptoRng;
use signature::Signer;

pub use p256::elliptic_curve::zeroize::Zeroizing;

use crate::crypto::{KeyAlgorithm, PSS_SALT_LEN, SignatureAlgorithm};
use crate::error::KeyError;

/// Bits of the RSA keys [`PrivateKey::generate`] makes.
pub const RSA_GENERATED_BITS: usize = 2048;

/// A private signing key on P-256, brainpoolP256r1 or RSA.
#[derive(Clone)]
pub struct PrivateKey(Inner);

#[derive(Clone)]
enum Inner {
    P256(p256::ecdsa::SigningKey),
    Bp256(ecdsa::SigningKey<bp256::BrainpoolP256r1>),
    Rsa(Box<rsa::RsaPrivateKey>),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// Generates a key (RSA: [`RSA_GENERATED_BITS`] bits, e = 65537).
    pub fn generate<R: CryptoRng + ?Sized>(algorithm: KeyAlgorithm, rng: &mut R) -> Result<Self, KeyError> {
        Ok(PrivateKey(match algorithm {
            KeyAlgorithm::EcP256 => Inner::P256(p256::ecdsa::SigningKey::from(p256::SecretKey::generate_from_rng(rng))),
            KeyAlgorithm::EcBrainpoolP256r1 => {
                Inner::Bp256(ecdsa::SigningKey::from(bp256::r1::SecretKey::generate_from_rng(rng)))
            }
            KeyAlgorithm::Rsa => Inner::Rsa(Box::new(
                rsa::RsaPrivateKey::new(rng, RSA_GENERATED_BITS).map_err(|_| KeyError::Generate)?,
            )),
        }))
    }

    /// Reads an unencrypted PKCS#8 `PrivateKeyInfo` (DER).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(PrivateKey(Inner::P256(k)));
        }
        if let Ok(k) = ecdsa::SigningKey::<bp256::BrainpoolP256r1>::from_pkcs8_der(der) {
            return Ok(PrivateKey(Inner::Bp256(k)));
        }
        let key = rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|_| KeyError::Malformed)?;
        use rsa::traits::PublicKeyParts;
        let bits = key.n().bit_width() as usize;
        if !(crate::crypto::RSA_MIN_BITS..=crate::crypto::RSA_MAX_BITS).contains(&bits) {
            return Err(KeyError::Malformed);
        }
        Ok(PrivateKey(Inner::Rsa(Box::new(key))))
    }

    /// Reads an unencrypted PKCS#8 key in PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        let (label, der) = der::pem::decode_vec(pem.as_bytes()).map_err(|_| KeyError::Malformed)?;
        let der = Zeroizing::new(der);
        if label != "PRIVATE KEY" {
            return Err(KeyError::Malformed);
        }
        Self::from_pkcs8_der(&der)
    }

    /// Writes the key as unencrypted PKCS#8 PEM (what `openssl` and `xmlsec1` read).
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        let pem = match &self.0 {
            Inner::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            Inner::Bp256(k) => k.to_pkcs8_pem(LineEnding::LF),
            Inner::Rsa(k) => k.to_pkcs8_pem(LineEnding::LF),
        };
        pem.map_err(|_| KeyError::Encode)
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match &self.0 {
            Inner::P256(_) => KeyAlgorithm::EcP256,
            Inner::Bp256(_) => KeyAlgorithm::EcBrainpoolP256r1,
            Inner::Rsa(_) => KeyAlgorithm::Rsa,
        }
    }

    /// The signature scheme certificates signed with this key use by default: ECDSA-SHA256 or
    /// RSASSA-PKCS1-v1_5-SHA256.
    pub fn default_signature_algorithm(&self) -> SignatureAlgorithm {
        match &self.0 {
            Inner::P256(_) | Inner::Bp256(_) => SignatureAlgorithm::EcdsaSha256,
            Inner::Rsa(_) => SignatureAlgorithm::RsaPkcs1Sha256,
        }
    }

    /// The public key as DER `SubjectPublicKeyInfo`.
    pub fn public_key_der(&self) -> Result<Vec<u8>, KeyError> {
        let doc = match &self.0 {
            Inner::P256(k) => k.verifying_key().to_public_key_der(),
            Inner::Bp256(k) => k.verifying_key().to_public_key_der(),
            Inner::Rsa(k) => k.to_public_key().to_public_key_der(),
        };
        doc.map(|d| d.into_vec()).map_err(|_| KeyError::Encode)
    }

    /// Signs `message` (hashed with SHA-256 here). ECDSA is deterministic (RFC 6979); RSASSA-PSS draws its
    /// salt from `rng`, the other schemes do not use it.
    pub fn sign<R: CryptoRng + ?Sized>(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, KeyError> {
        if let (SignatureAlgorithm::RsaPssSha256, Inner::Rsa(k)) = (algorithm, &self.0) {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(message);
            let pss = rsa::Pss::<sha2::Sha256>::new_with_salt(PSS_SALT_LEN);
            return k.sign_with_rng(rng, pss, &digest).map_err(|_| KeyError::Sign);
        }
        self.sign_deterministic(algorithm, message)
    }

    /// Signs without randomness: ECDSA (RFC 6979) and RSASSA-PKCS1-v1_5. RSASSA-PSS draws its salt at
    /// random and needs [`PrivateKey::sign`].
    pub fn sign_deterministic(&self, algorithm: SignatureAlgorithm, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let key = self.algorithm();
        if !algorithm.fits(key) {
            return Err(KeyError::KeyMismatch { algorithm, key });
        }
        let der = algorithm == SignatureAlgorithm::EcdsaSha256;
        match &self.0 {
            Inner::P256(k) => {
                let sig: p256::ecdsa::Signature = k.try_sign(message).map_err(|_| KeyError::Sign)?;
                Ok(if der {
                    sig.to_der().as_bytes().to_vec()
                } else {
                    sig.to_bytes().to_vec()
                })
            }
            Inner::Bp256(k) => {
                let sig: ecdsa::Signature<bp256::BrainpoolP256r1> = k.try_sign(message).map_err(|_| KeyError::Sign)?;
                Ok(if der {
                    sig.to_der().as_bytes().to_vec()
                } else {
                    sig.to_bytes().to_vec()
                })
            }
            Inner::Rsa(k) => {
                use sha2::Digest;
                let digest = sha2::Sha256::digest(message);
                match algorithm {
                    SignatureAlgorithm::RsaPssSha256 => return Err(KeyError::NeedsRandomness),
                    _ => k.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest),
                }
                .map_err(|_| KeyError::Sign)
            }
        }
    }
}
