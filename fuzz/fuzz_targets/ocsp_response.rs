//! OCSP responses from untrusted responders: parse, then verify against a fixed test PKI. Nothing may
//! panic, a verified response must come with a signature the CA or its delegate made, and no answer may be
//! accepted for a certificate other than the one asked about.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rand_core::UnwrapErr;
use tiwire_pki::ocsp::{self, CertIdHash, OcspRequest, OcspResponse, ResponsePolicy};
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO};

fn fixture() -> &'static (TestPki, OcspRequest) {
    static F: OnceLock<(TestPki, OcspRequest)> = OnceLock::new();
    F.get_or_init(|| {
        let options = TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::NkVpn]);
        let pki = TestPki::build(&options, &mut UnwrapErr(getrandom::SysRng)).expect("test PKI");
        let leaf = &pki.leaf(CertType::NkVpn).certificate;
        let request = OcspRequest::new(leaf, &pki.component_ca().certificate, CertIdHash::Sha1, None).expect("request");
        (pki, request)
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = OcspResponse::parse(data) {
        assert!(parsed.statuses().len() <= ocsp::MAX_ENTRIES);
        assert!(parsed.certificates().len() <= ocsp::MAX_RESPONSE_CERTS);
    }
    let (pki, request) = fixture();
    let issuer = &pki.component_ca().certificate;
    let policy = ResponsePolicy { require_nonce: false, ..ResponsePolicy::default() };
    if let Ok(verdict) = ocsp::verify_response(data, request, issuer, &[], pki.now(), &policy, &RUST_CRYPTO) {
        let statuses = OcspResponse::parse(data).expect("verified implies parsed").statuses();
        assert!(statuses.iter().any(|(id, st)| id == request.cert_id() && *st == verdict.status));
    }
});
