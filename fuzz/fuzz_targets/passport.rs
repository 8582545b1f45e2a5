//! PASSporTs from untrusted clients and servers: parse, then verify against a fixed signer. Nothing may
//! panic; what parses must survive our own canonical re-issue with the same claims; what verifies must
//! carry a 64-byte signature by the fixed signer's key over its received signing input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rand_core::UnwrapErr;
use tiwire_passport::{Passport, VerifyPolicy, issue};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::testpki::{CertSpec, Issued, TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO, Role};

fn fixture() -> &'static (TestPki, Issued, TrustAnchors) {
    static F: OnceLock<(TestPki, Issued, TrustAnchors)> = OnceLock::new();
    F.get_or_init(|| {
        let mut rng = UnwrapErr(getrandom::SysRng);
        let options = TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::FdSig]);
        let pki = TestPki::build(&options, &mut rng).expect("test PKI");
        let mut spec = CertSpec::typical(CertType::FdSig, pki.now(), "-");
        spec.profession = Role::Tim.oid();
        spec.telematik_id = None;
        let signer = pki.issue(&spec, &mut rng).expect("signer");
        let anchors = TrustAnchors::new(vec![pki.root().certificate.clone()]);
        (pki, signer, anchors)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else { return };
    let Ok(passport) = Passport::parse(token) else { return };
    let (pki, signer, anchors) = fixture();
    let reissued = issue(passport.header(), passport.claims(), &signer.key).expect("what parsed can be issued");
    let again = Passport::parse(&reissued).expect("our own token parses");
    assert_eq!(again.claims(), passport.claims());
    again.is_canonical().expect("our own token is canonical");
    let policy = VerifyPolicy { max_age: u64::MAX / 2, max_future: u64::MAX / 2, ..VerifyPolicy::default() };
    if passport.clone().verify(&pki.chain(signer), anchors, pki.now(), &policy, &RUST_CRYPTO).is_ok() {
        assert!(passport.signing_input().len() < token.len());
    }
});
