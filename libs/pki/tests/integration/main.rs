//! Integration tests of tiwire-pki: path validation, OCSP, interop with OpenSSL, and real gematik material.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod gematik;
mod ocsp;
mod openssl;
mod path;

use std::sync::OnceLock;

use rand_core::UnwrapErr;
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm};

pub(crate) fn rng() -> UnwrapErr<getrandom::SysRng> {
    UnwrapErr(getrandom::SysRng)
}

/// The test PKIs, built once per test binary (RSA key generation is slow).
pub(crate) fn pki(algorithm: KeyAlgorithm) -> &'static TestPki {
    static BP: OnceLock<TestPki> = OnceLock::new();
    static P256: OnceLock<TestPki> = OnceLock::new();
    static RSA: OnceLock<TestPki> = OnceLock::new();
    let cell = match algorithm {
        KeyAlgorithm::EcBrainpoolP256r1 => &BP,
        KeyAlgorithm::EcP256 => &P256,
        _ => &RSA,
    };
    cell.get_or_init(|| {
        let mut options = TestPkiOptions::new(algorithm);
        if algorithm == KeyAlgorithm::Rsa {
            options = options.leaf_types(&[CertType::NkVpn, CertType::HciOsig]);
        }
        TestPki::build(&options, &mut rng()).unwrap()
    })
}

/// An RSA PKI signing with RSASSA-PSS.
pub(crate) fn pss_pki() -> &'static TestPki {
    static PSS: OnceLock<TestPki> = OnceLock::new();
    PSS.get_or_init(|| {
        let options = TestPkiOptions::new(KeyAlgorithm::Rsa)
            .leaf_types(&[CertType::NkVpn])
            .rsa_pss();
        TestPki::build(&options, &mut rng()).unwrap()
    })
}

pub(crate) const ALGORITHMS: [KeyAlgorithm; 3] =
    [KeyAlgorithm::EcBrainpoolP256r1, KeyAlgorithm::EcP256, KeyAlgorithm::Rsa];
