//! Instruction counts of chain validation and OCSP verification beside the raw signature verifications
//! they contain, for `benches/instructions.sh` (callgrind counts instructions, which the shared, noisy
//! machines here do not disturb). Each measured loop is its own never-inlined function so callgrind's
//! inclusive cost per function is the figure.
//!
//! Run with: `bash benches/instructions.sh`
#![allow(clippy::expect_used)] // setup a measurement cannot go on without

use std::hint::black_box;

use rand_core::UnwrapErr;
use tiwire_benches::raw_verify;
use tiwire_pki::crypto::CryptoProvider;
use tiwire_pki::ocsp::{self, CertIdHash, OcspRequest, ResponsePolicy};
use tiwire_pki::path::{TrustAnchors, ValidationPolicy};
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, Certificate, KeyAlgorithm, RUST_CRYPTO, UnixTime};

const ROUNDS: usize = 20;

#[inline(never)]
fn chain_raw(chain: &[Certificate], root: &Certificate) {
    for _ in 0..ROUNDS {
        raw_verify(black_box(&chain[0]), &chain[1]);
        raw_verify(black_box(&chain[1]), root);
    }
}

#[inline(never)]
fn chain_validate(chain: &[Certificate], anchors: &TrustAnchors, now: UnixTime, policy: &ValidationPolicy) {
    for _ in 0..ROUNDS {
        black_box(
            anchors
                .validate(black_box(chain), now, policy, &RUST_CRYPTO)
                .expect("valid"),
        );
    }
}

#[inline(never)]
fn ocsp_raw(responder: &Certificate, leaf: &Certificate, issuer: &Certificate) {
    for _ in 0..ROUNDS {
        raw_verify(black_box(responder), issuer);
        raw_verify(black_box(leaf), issuer);
    }
}

#[inline(never)]
fn ocsp_verify(response: &[u8], request: &OcspRequest, issuer: &Certificate, now: UnixTime) {
    let policy = ResponsePolicy::default();
    for _ in 0..ROUNDS {
        black_box(
            ocsp::verify_response(black_box(response), request, issuer, &[], now, &policy, &RUST_CRYPTO)
                .expect("verified"),
        );
    }
}

#[inline(never)]
fn passport_raw(input: &[u8], sig: &[u8], key: tiwire_pki::PublicKeyRef<'_>) {
    for _ in 0..ROUNDS {
        RUST_CRYPTO
            .verify(
                tiwire_pki::SignatureAlgorithm::EcdsaSha256Fixed,
                key,
                black_box(input),
                sig,
            )
            .expect("verifies");
    }
}

#[inline(never)]
fn passport_verify(token: &str, signer: &tiwire_passport::TrustedSigner, now: UnixTime) {
    let policy = tiwire_passport::VerifyPolicy::default();
    for _ in 0..ROUNDS {
        let passport = tiwire_passport::Passport::parse(black_box(token)).expect("parses");
        black_box(passport.verify_with(signer, now, &policy, &RUST_CRYPTO).expect("valid"));
    }
}

fn passport() {
    let f = tiwire_benches::passport_fixture();
    let token = f.token();
    let (input, sig) = token.rsplit_once('.').expect("three segments");
    let sig = {
        use base64ct::{Base64UrlUnpadded, Encoding};
        Base64UrlUnpadded::decode_vec(sig).expect("base64")
    };
    let signer = tiwire_passport::TrustedSigner::validate(&f.chain(), &f.anchors, f.now, &RUST_CRYPTO).expect("signer");
    let key = signer.certificate().public_key().expect("key");
    passport_raw(input.as_bytes(), &sig, key);
    passport_verify(&token, &signer, f.now);
}

/// One algorithm per process (callgrind sums a function's cost over all its calls): `brainpool`, `p256`,
/// `rsa`, or `passport`.
fn main() {
    let alg = match std::env::args().nth(1).as_deref() {
        Some("passport") => return passport(),
        Some("p256") => KeyAlgorithm::EcP256,
        Some("rsa") => KeyAlgorithm::Rsa,
        _ => KeyAlgorithm::EcBrainpoolP256r1,
    };
    {
        let options = TestPkiOptions::new(alg).leaf_types(&[CertType::NkVpn]);
        let pki = TestPki::build(&options, &mut UnwrapErr(getrandom::SysRng)).expect("test PKI");
        let leaf = pki.leaf(CertType::NkVpn);
        let chain = pki.chain(leaf);
        let root = &pki.root().certificate;
        let anchors = TrustAnchors::new(vec![root.clone()]);
        let policy = ValidationPolicy::for_type(CertType::NkVpn);
        chain_raw(&chain, root);
        chain_validate(&chain, &anchors, pki.now(), &policy);
        let issuer = &chain[1];
        let request = OcspRequest::new(&leaf.certificate, issuer, CertIdHash::Sha1, Some(b"nonce")).expect("request");
        let response = pki
            .ocsp_respond(request.der(), pki.now(), &mut UnwrapErr(getrandom::SysRng))
            .expect("response");
        let responder = &pki.ocsp_responder(pki.component_ca()).certificate;
        ocsp_raw(responder, &leaf.certificate, issuer);
        ocsp_verify(&response, &request, issuer, pki.now());
    }
}
