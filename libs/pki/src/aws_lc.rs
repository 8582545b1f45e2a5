//! The aws-lc-rs backend (feature `aws-lc-rs`): P-256 and RSA through AWS-LC, for operators who want its
//! assembly-optimised code paths. brainpoolP256r1 stays on RustCrypto, which this backend delegates to.
//!
//! aws-lc-rs reports every failure as one opaque error, so malformed keys and signatures come back as
//! [`SignatureError::Invalid`] here where [`RustCrypto`](crate::RustCrypto) says `MalformedKey` or
//! `MalformedSignature`; accept/refuse decisions are the same (a test checks both backends side by side).

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};

use crate::crypto::{CryptoProvider, KeyAlgorithm, PublicKeyRef, RustCrypto, SignatureAlgorithm, rsa_modulus_bits};
use crate::error::SignatureError;

/// P-256 and RSA via aws-lc-rs; brainpoolP256r1 via RustCrypto.
#[derive(Clone, Copy, Debug, Default)]
pub struct AwsLc;

/// The aws-lc-rs provider as a static.
pub static AWS_LC: AwsLc = AwsLc;

impl CryptoProvider for AwsLc {
    fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        key: PublicKeyRef<'_>,
        message: &[u8],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        if !algorithm.fits(key.algorithm) {
            return Err(SignatureError::KeyMismatch {
                algorithm,
                key: key.algorithm,
            });
        }
        let scheme: &'static dyn VerificationAlgorithm = match (algorithm, key.algorithm) {
            (_, KeyAlgorithm::EcBrainpoolP256r1) => return RustCrypto.verify(algorithm, key, message, sig),
            (SignatureAlgorithm::EcdsaSha256, _) => &signature::ECDSA_P256_SHA256_ASN1,
            (SignatureAlgorithm::EcdsaSha256Fixed, _) => &signature::ECDSA_P256_SHA256_FIXED,
            (SignatureAlgorithm::RsaPkcs1Sha256, _) => {
                rsa_modulus_bits(key.key)?;
                &signature::RSA_PKCS1_2048_8192_SHA256
            }
            (SignatureAlgorithm::RsaPssSha256, _) => {
                rsa_modulus_bits(key.key)?;
                &signature::RSA_PSS_2048_8192_SHA256
            }
        };
        UnparsedPublicKey::new(scheme, key.key)
            .verify(message, sig)
            .map_err(|_| SignatureError::Invalid)
    }
}
