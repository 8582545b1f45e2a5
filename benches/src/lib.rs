//! Shared set-up of the benches (`benches/`) and the instruction counter (`src/bin/`).

use ruma_common::UserId;
use tiwire_passport::{Claims, Header, issue};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::testpki::{Issued, TestPki, TestPkiOptions};
use tiwire_pki::{CertType, Certificate, KeyAlgorithm, UnixTime};

/// Verifies `cert`'s signature with `issuer`'s key through the default provider: the raw cost a chain
/// validation cannot avoid, the baseline of the pki benches.
pub fn raw_verify(cert: &Certificate, issuer: &Certificate) {
    use tiwire_pki::crypto::CryptoProvider;
    let result = match (cert.signature_algorithm(), issuer.public_key()) {
        (Ok(alg), Ok(key)) => tiwire_pki::RUST_CRYPTO.verify(alg, key, cert.tbs_der(), cert.signature()),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    #[allow(clippy::panic)] // a baseline that does not verify measures nothing
    if let Err(e) = result {
        panic!("baseline signature does not verify: {e}");
    }
}

/// A PASSporT-Service signer in a P-256 test PKI, with a token to verify.
#[derive(Debug)]
pub struct PassportFixture {
    /// The PKI.
    pub pki: TestPki,
    /// Its C.FD.SIG with role oid_tim.
    pub signer: Issued,
    /// Trusting the PKI's root.
    pub anchors: TrustAnchors,
    /// The time tokens are issued and verified at.
    pub now: UnixTime,
    /// The token header.
    pub header: Header,
    /// The token claims.
    pub claims: Claims,
}

impl PassportFixture {
    /// The signer's chain.
    pub fn chain(&self) -> Vec<Certificate> {
        self.pki.chain(&self.signer)
    }

    /// A token over the fixture's header and claims.
    pub fn token(&self) -> String {
        issue(&self.header, &self.claims, &self.signer.key).unwrap_or_default()
    }
}

/// Builds the fixture (panics if key generation fails: a bench cannot go on without it).
pub fn passport_fixture() -> PassportFixture {
    let options = TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::FdSig]);
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    let built = TestPki::build(&options, &mut rng);
    #[allow(clippy::panic)] // a bench cannot go on without its fixture
    let Ok(pki) = built else { panic!("test PKI") };
    #[allow(clippy::panic)]
    let Some(signer) = pki.passport_signer().cloned() else {
        panic!("passport signer")
    };
    let anchors = TrustAnchors::new(vec![pki.root().certificate.clone()]);
    let now = pki.now();
    let header = Header {
        x5u: "https://tim.example.org/passport.pem".into(),
        extra: Default::default(),
    };
    let claims = match (
        UserId::parse("@alice:tim.example.org"),
        UserId::parse("@bob:tim.example.org"),
    ) {
        (Ok(a), Ok(b)) => Claims::ti_messenger(&a, &b, now.as_secs()),
        #[allow(clippy::panic)]
        _ => panic!("MXIDs"),
    };
    PassportFixture {
        pki,
        signer,
        anchors,
        now,
        header,
        claims,
    }
}
