//! Integration tests of tiwire-passport: RFC 7515 A.3, issue/verify with the test PKI, a negative table,
//! OpenSSL as an independent ES256 implementation, and proptest round trips.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod negative;
mod openssl;
mod roundtrip;

use std::sync::OnceLock;

use rand_core::UnwrapErr;
use ruma_common::UserId;
use tiwire_passport::{Claims, Header, issue};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::testpki::{CertSpec, Issued, TestPki, TestPkiOptions};
use tiwire_pki::{CertType, Certificate, KeyAlgorithm, Role};

pub(crate) struct Fixture {
    pub(crate) pki: TestPki,
    pub(crate) signer: Issued,
    pub(crate) anchors: TrustAnchors,
}

impl Fixture {
    pub(crate) fn chain(&self) -> Vec<Certificate> {
        self.pki.chain(&self.signer)
    }

    pub(crate) fn header(&self) -> Header {
        Header {
            x5u: "https://tim.example.org/passport.pem".into(),
            extra: Default::default(),
        }
    }

    /// A TI-M token from @a to @b issued at the PKI's `now`.
    pub(crate) fn token(&self) -> String {
        let a = UserId::parse("@a:tim.example.org").unwrap();
        let b = UserId::parse("@b:tim.example.org").unwrap();
        issue(
            &self.header(),
            &Claims::ti_messenger(&a, &b, self.pki.now().as_secs()),
            &self.signer.key,
        )
        .unwrap()
    }
}

pub(crate) fn rng() -> UnwrapErr<getrandom::SysRng> {
    UnwrapErr(getrandom::SysRng)
}

/// A P-256 test PKI and a C.FD.SIG with role oid_tim (the PASSporT-Service's certificate).
pub(crate) fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let options = TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::FdSig]);
        let pki = TestPki::build(&options, &mut rng()).unwrap();
        let mut spec = CertSpec::typical(CertType::FdSig, pki.now(), "-");
        spec.profession = Role::Tim.oid();
        spec.profession_item = Role::Tim.label().into();
        spec.telematik_id = None;
        let signer = pki.issue(&spec, &mut rng()).unwrap();
        let anchors = TrustAnchors::new(vec![pki.root().certificate.clone()]);
        Fixture { pki, signer, anchors }
    })
}
