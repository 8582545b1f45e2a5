//! Run with: `cargo run -p tiwire-example-pki`
//!
//! How a vendor embeds tiwire-pki: a registration server receives a Konnektor's C.NK.VPN chain, validates
//! it against the TSL's anchors, and checks its revocation status by OCSP. The library does no I/O: the
//! `fetch` closure stands for the vendor's HTTP client (here it calls the test PKI's responder directly).
#![allow(clippy::print_stdout)]

use rand_core::UnwrapErr;
use tiwire_pki::ocsp::{self, CertIdHash, CertStatus, OcspRequest, ResponsePolicy};
use tiwire_pki::path::{TrustAnchors, ValidationPolicy};
use tiwire_pki::testpki::{TestPki, TestPkiOptions, Variant};
use tiwire_pki::{CertType, Certificate, KeyAlgorithm, RUST_CRYPTO, Role, UnixTime};

/// Why a Konnektor's certificate is not accepted.
#[derive(Debug)]
enum Refusal {
    Path(tiwire_pki::PathError),
    Ocsp(tiwire_pki::OcspError),
    NotGood(CertStatus),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Path(e) => write!(f, "path: {e}"),
            Refusal::Ocsp(e) => write!(f, "OCSP: {e}"),
            Refusal::NotGood(status) => write!(f, "OCSP status {status}"),
        }
    }
}

fn show(result: Result<String, Refusal>) -> String {
    match result {
        Ok(fingerprint) => format!("accepted, SHA-256 {fingerprint}"),
        Err(refusal) => format!("refused, {refusal}"),
    }
}

/// Accepts a C.NK.VPN chain if it leads to an anchor, is a Netzkonnektor's, and OCSP says "good".
fn check_connector(
    chain: &[Certificate],
    anchors: &TrustAnchors,
    now: UnixTime,
    fetch: &mut dyn FnMut(&str, &[u8]) -> Vec<u8>,
) -> Result<String, Refusal> {
    let policy = ValidationPolicy::for_type(CertType::NkVpn).with_profession(Role::Nk.oid());
    let path = anchors
        .validate(chain, now, &policy, &RUST_CRYPTO)
        .map_err(Refusal::Path)?;
    let (cert, issuer) = (path.end_entity(), path.end_entity_issuer());

    let nonce = now.as_secs().to_be_bytes();
    let request = OcspRequest::new(cert, issuer, CertIdHash::Sha1, Some(&nonce)).map_err(Refusal::Ocsp)?;
    let url = cert.ocsp_urls().first().map(String::as_str).unwrap_or_default();
    let response = fetch(url, request.der());
    let verdict = ocsp::verify_response(
        &response,
        &request,
        issuer,
        &[],
        now,
        &ResponsePolicy::default(),
        &RUST_CRYPTO,
    )
    .map_err(Refusal::Ocsp)?;
    match verdict.status {
        CertStatus::Good => Ok(cert.fingerprint_display()),
        other => Err(Refusal::NotGood(other)),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = UnwrapErr(getrandom::SysRng);
    let options = TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1).leaf_types(&[CertType::NkVpn]);
    let pki = TestPki::build(&options, &mut rng)?;
    let anchors = TrustAnchors::new(vec![pki.root().certificate.clone()]);
    let now = pki.now();
    let mut fetch = |_url: &str, body: &[u8]| {
        pki.ocsp_respond(body, now, &mut UnwrapErr(getrandom::SysRng))
            .unwrap_or_default()
    };

    let good = pki.chain(pki.leaf(CertType::NkVpn));
    let verdict = show(check_connector(&good, &anchors, now, &mut fetch));
    println!("{:<24}{verdict}", "good C.NK.VPN:");
    for v in [Variant::Revoked, Variant::Expired, Variant::WrongType] {
        if let Some(bad) = pki.variant(v) {
            let verdict = show(check_connector(&pki.chain(bad), &anchors, now, &mut fetch));
            println!("{:<24}{verdict}", format!("{}:", v.name()));
        }
    }
    Ok(())
}
