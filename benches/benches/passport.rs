//! tiwire-passport benches: per-token verification (parse + checks + ES256, signer validated once) beside
//! the raw ES256 verification of the same backend, and issuing. Run with:
//! `cargo bench -p tiwire-benches --bench passport [--features aws-lc-rs]`, then `python3 benches/ratios.py`.
#![allow(clippy::expect_used)] // setup and results a bench cannot go on without

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tiwire_benches::passport_fixture;
use tiwire_passport::{Passport, TrustedSigner, VerifyPolicy, issue};
use tiwire_pki::crypto::CryptoProvider;
use tiwire_pki::{RUST_CRYPTO, SignatureAlgorithm};

fn passport(c: &mut Criterion) {
    let f = passport_fixture();
    let token = f.token();
    let (input, _) = token.rsplit_once('.').expect("three segments");
    let sig = {
        use base64ct::{Base64UrlUnpadded, Encoding};
        Base64UrlUnpadded::decode_vec(token.rsplit('.').next().expect("signature")).expect("base64")
    };
    let policy = VerifyPolicy::default();
    #[cfg_attr(not(feature = "aws-lc-rs"), allow(unused_mut))]
    let mut providers: Vec<(&str, &dyn CryptoProvider)> = vec![("rustcrypto", &RUST_CRYPTO)];
    #[cfg(feature = "aws-lc-rs")]
    providers.push(("aws-lc-rs", &tiwire_pki::AWS_LC));
    for (name, provider) in providers {
        let signer = TrustedSigner::validate(&f.chain(), &f.anchors, f.now, provider).expect("signer");
        let key = signer.certificate().public_key().expect("key");
        let mut group = c.benchmark_group(format!("passport/{name}"));
        group.bench_function("raw-es256", |b| {
            b.iter(|| {
                provider
                    .verify(
                        SignatureAlgorithm::EcdsaSha256Fixed,
                        key,
                        black_box(input.as_bytes()),
                        &sig,
                    )
                    .expect("verifies")
            })
        });
        group.bench_function("parse+verify_with", |b| {
            b.iter(|| {
                Passport::parse(black_box(&token))
                    .expect("parses")
                    .verify_with(&signer, f.now, &policy, provider)
                    .expect("valid")
            })
        });
        group.finish();
    }
    c.bench_function("passport/issue", |b| {
        b.iter(|| issue(&f.header, black_box(&f.claims), &f.signer.key).expect("issued"))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = passport
}
criterion_main!(benches);
