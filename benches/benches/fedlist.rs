//! tiwire-fedlist benches at 100,000 domains: `contains` (normalization + index, clear and hashed lists)
//! beside a bare `HashSet` lookup of an already normalized name; and reading the signed list (JWS, BP256R1,
//! pinned signer) beside `serde_json` parsing the same payload into a `Value`. Run with:
//! `cargo bench -p tiwire-benches --bench fedlist`, then `python3 benches/ratios.py`.
#![allow(clippy::expect_used)] // setup and results a bench cannot go on without

use std::collections::HashSet;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tiwire_fedlist::{DomainEntry, DomainForm, FederationList, Limits, SignerTrust, domain_hash};
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO};

const DOMAINS: usize = 100_000;

fn domain(i: usize) -> String {
    format!("tim-{i}.praxis-{}.example.de", i % 997)
}

fn fedlist(c: &mut Criterion) {
    let names: Vec<String> = (0..DOMAINS).map(domain).collect();
    let clear = FederationList::new(1, DomainForm::Clear, names.iter().map(DomainEntry::new).collect()).expect("clear");
    let hashed = FederationList::new(
        1,
        DomainForm::HashStrings,
        names.iter().map(|d| DomainEntry::new(domain_hash(d))).collect(),
    )
    .expect("hashed");
    let bare: HashSet<Box<str>> = names.iter().map(|d| Box::from(d.as_str())).collect();
    // A listed name as a peer sends it (mixed case, port) and an unlisted one.
    let listed = "TIM-4711.Praxis-723.example.de:8448";
    let unlisted = "tim-4711.praxis-724.example.de";
    assert!(clear.contains(listed) && hashed.contains(listed) && !clear.contains(unlisted));

    let mut group = c.benchmark_group("fedlist/contains-100k");
    group.bench_function("raw-hashset-lookup", |b| {
        b.iter(|| bare.contains(black_box("tim-4711.praxis-723.example.de")))
    });
    group.bench_function("clear-listed", |b| b.iter(|| clear.contains(black_box(listed))));
    group.bench_function("clear-unlisted", |b| b.iter(|| clear.contains(black_box(unlisted))));
    group.bench_function("hashed-listed", |b| b.iter(|| hashed.contains(black_box(listed))));
    group.finish();

    let mut rng = tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng);
    let pki = TestPki::build(
        &TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1).leaf_types(&[CertType::FdSig]),
        &mut rng,
    )
    .expect("pki");
    let signer = pki.leaf(CertType::FdSig);
    let jws = clear.sign_jws(&signer.key, &pki.chain(signer)).expect("signed");
    let payload = clear.to_payload_json();
    let trust = SignerTrust::Pinned(vec![signer.certificate.clone()]);
    let limits = Limits::default();
    let mut group = c.benchmark_group("fedlist/read-100k");
    group.sample_size(10);
    group.bench_function("raw-serde-json-value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&payload)).expect("json"))
    });
    group.bench_function("from_jws", |b| {
        b.iter(|| {
            FederationList::from_jws(black_box(jws.as_bytes()), &trust, pki.now(), &limits, &RUST_CRYPTO)
                .expect("valid")
        })
    });
    group.bench_function("from_json", |b| {
        b.iter(|| FederationList::from_json(black_box(&payload), &limits).expect("valid"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = fedlist
}
criterion_main!(benches);
