//! OCSP requests (the forwarder and test responders read them): parse, and answer with the test PKI's
//! responder, which must always produce a well-formed response.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rand_core::UnwrapErr;
use tiwire_pki::ocsp::{self, OcspRequest, OcspResponse};
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm};

fn pki() -> &'static TestPki {
    static P: OnceLock<TestPki> = OnceLock::new();
    P.get_or_init(|| {
        let options = TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::NkVpn]);
        TestPki::build(&options, &mut UnwrapErr(getrandom::SysRng)).expect("test PKI")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = OcspRequest::parse(data) {
        assert!(parsed.cert_ids.len() <= ocsp::MAX_ENTRIES);
        assert!(parsed.nonce.as_ref().is_none_or(|n| n.len() <= ocsp::MAX_MESSAGE_LEN));
    }
    let pki = pki();
    let response = pki.ocsp_respond(data, pki.now(), &mut UnwrapErr(getrandom::SysRng)).expect("responder answers");
    OcspResponse::parse(&response).expect("the responder's answer parses");
});
