//! tiwire-pki benches: chain validation and OCSP response verification, each beside the raw signature
//! verifications it contains (same provider, keys and messages already extracted), so results read as
//! ratios. Run with: `cargo bench -p tiwire-benches --bench pki`, then `python3 benches/ratios.py`.

#![allow(clippy::expect_used)] // setup and results a bench cannot go on without

use criterion::{Criterion, criterion_group, criterion_main};
use rand_core::UnwrapErr;
use std::hint::black_box;
use tiwire_benches::raw_verify;
use tiwire_pki::crypto::CryptoProvider;
use tiwire_pki::ocsp::{self, CertIdHash, OcspRequest, ResponsePolicy};
use tiwire_pki::path::{TrustAnchors, ValidationPolicy};
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO};

fn pki(alg: KeyAlgorithm) -> TestPki {
    let options = TestPkiOptions::new(alg).leaf_types(&[CertType::NkVpn]);
    TestPki::build(&options, &mut UnwrapErr(getrandom::SysRng)).expect("test PKI")
}

fn chain_validation(c: &mut Criterion) {
    for (name, alg) in [
        ("brainpoolP256r1", KeyAlgorithm::EcBrainpoolP256r1),
        ("P-256", KeyAlgorithm::EcP256),
        ("RSA-2048", KeyAlgorithm::Rsa),
    ] {
        let pki = pki(alg);
        let leaf = pki.leaf(CertType::NkVpn);
        let chain = pki.chain(leaf);
        let root = pki.root().certificate.clone();
        let anchors = TrustAnchors::new(vec![root.clone()]);
        let policy = ValidationPolicy::for_type(CertType::NkVpn);
        let now = pki.now();
        let mut group = c.benchmark_group(format!("chain3/{name}"));
        group.bench_function("raw-2-verifications", |b| {
            b.iter(|| {
                raw_verify(black_box(&chain[0]), &chain[1]);
                raw_verify(black_box(&chain[1]), &root);
            })
        });
        group.bench_function("validate", |b| {
            b.iter(|| {
                anchors
                    .validate(black_box(&chain), now, &policy, &RUST_CRYPTO)
                    .expect("valid")
                    .end_entity()
                    .der()
                    .len()
            })
        });
        group.finish();

        // OCSP: a delegated responder's answer holds two signatures (responder certificate, response).
        let issuer = &chain[1];
        let request =
            OcspRequest::new(&leaf.certificate, issuer, CertIdHash::Sha1, Some(b"bench-nonce")).expect("request");
        let response = pki
            .ocsp_respond(request.der(), now, &mut UnwrapErr(getrandom::SysRng))
            .expect("response");
        let responder = pki.ocsp_responder(pki.component_ca()).certificate.clone();
        let policy = ResponsePolicy::default();
        let mut group = c.benchmark_group(format!("ocsp/{name}"));
        group.bench_function("raw-2-verifications", |b| {
            // The response's own signature is over its tbsResponseData; the same cost as a certificate
            // signature of similar size, so two certificate verifications stand in for both.
            b.iter(|| {
                raw_verify(black_box(&responder), issuer);
                raw_verify(black_box(&chain[0]), issuer);
            })
        });
        group.bench_function("verify-response", |b| {
            b.iter(|| {
                ocsp::verify_response(black_box(&response), &request, issuer, &[], now, &policy, &RUST_CRYPTO)
                    .expect("verified")
            })
        });
        group.finish();
    }
}

/// Raw verification per backend: the baseline operators compare when choosing one.
fn backends(c: &mut Criterion) {
    for (name, alg) in [("P-256", KeyAlgorithm::EcP256), ("RSA-2048", KeyAlgorithm::Rsa)] {
        let pki = pki(alg);
        let chain = pki.chain(pki.leaf(CertType::NkVpn));
        let (cert, issuer) = (&chain[0], &chain[1]);
        let sig_alg = cert.signature_algorithm().expect("algorithm");
        let key = issuer.public_key().expect("key");
        let mut group = c.benchmark_group(format!("backend/{name}"));
        group.bench_function("raw-rustcrypto", |b| {
            b.iter(|| {
                RUST_CRYPTO
                    .verify(sig_alg, key, black_box(cert.tbs_der()), cert.signature())
                    .expect("verifies")
            })
        });
        #[cfg(feature = "aws-lc-rs")]
        group.bench_function("aws-lc-rs", |b| {
            b.iter(|| {
                tiwire_pki::AWS_LC
                    .verify(sig_alg, key, black_box(cert.tbs_der()), cert.signature())
                    .expect("verifies")
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = chain_validation, backends
}
criterion_main!(benches);
