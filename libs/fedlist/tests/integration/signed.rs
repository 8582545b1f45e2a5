//! Lists signed with the test PKI: both curves, header and trust refusals, and a proptest round trip.

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use proptest::prelude::*;
use serde_json::json;
use tiwire_fedlist::{
    DomainEntry, DomainForm, FederationList, Limits, ListError, Malformed, SignerTrust, Unsupported, Untrusted,
    domain_hash,
};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::testpki::{CertSpec, Issued, TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, PathError, RUST_CRYPTO, Role, SignatureAlgorithm};

fn pki(alg: KeyAlgorithm) -> TestPki {
    let mut rng = tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng);
    TestPki::build(&TestPkiOptions::new(alg).leaf_types(&[CertType::FdSig]), &mut rng).unwrap()
}

fn anchors(pki: &TestPki) -> SignerTrust {
    SignerTrust::Anchors(TrustAnchors::new(vec![pki.root().certificate.clone()]))
}

fn sample() -> FederationList {
    let mut entry = DomainEntry::new("tim.example.org");
    entry.telematik_id = Some("1-2arvtst-ap000001".into());
    FederationList::new(42, DomainForm::Clear, vec![entry, DomainEntry::new("b.example.org")]).unwrap()
}

/// A JWS with any header, signed by `signer` over the sample payload.
fn craft(header: serde_json::Value, signer: &Issued) -> String {
    let input = format!(
        "{}.{}",
        Base64UrlUnpadded::encode_string(header.to_string().as_bytes()),
        Base64UrlUnpadded::encode_string(&sample().to_payload_json())
    );
    let sig = signer
        .key
        .sign_deterministic(SignatureAlgorithm::EcdsaSha256Fixed, input.as_bytes())
        .unwrap();
    format!("{input}.{}", Base64UrlUnpadded::encode_string(&sig))
}

#[test]
fn both_curves_sign_and_verify_against_ca_anchors() {
    for (alg, name) in [
        (KeyAlgorithm::EcBrainpoolP256r1, "BP256R1"),
        (KeyAlgorithm::EcP256, "ES256"),
    ] {
        let pki = pki(alg);
        let signer = pki.leaf(CertType::FdSig);
        let jws = sample().sign_jws(&signer.key, &pki.chain(signer)).unwrap();
        let list = FederationList::from_jws(
            jws.as_bytes(),
            &anchors(&pki),
            pki.now(),
            &Limits::default(),
            &RUST_CRYPTO,
        )
        .unwrap();
        assert_eq!(list, sample());
        assert_eq!(list.signer().unwrap().algorithm, name);
        assert!(list.contains("tim.example.org"));
        // Pinning the signer works too; trailing white space (a file's newline) is fine.
        let pinned = SignerTrust::Pinned(vec![signer.certificate.clone()]);
        let with_newline = format!("{jws}\n");
        assert!(
            FederationList::from_jws(
                with_newline.as_bytes(),
                &pinned,
                pki.now(),
                &Limits::default(),
                &RUST_CRYPTO
            )
            .is_ok()
        );
    }
}

#[test]
fn signers_without_the_vzd_profile_are_refused() {
    let pki = pki(KeyAlgorithm::EcP256);
    let mut rng = tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng);
    // A C.FD.SIG of the PASSporT-Service (role oid_tim) may not sign federation lists.
    let mut spec = CertSpec::typical(CertType::FdSig, pki.now(), "-");
    (spec.profession, spec.telematik_id) = (Role::Tim.oid(), None);
    let tim = pki.issue(&spec, &mut rng).unwrap();
    let jws = sample().sign_jws(&tim.key, &pki.chain(&tim)).unwrap();
    let verify = |trust: &SignerTrust| {
        FederationList::from_jws(jws.as_bytes(), trust, pki.now(), &Limits::default(), &RUST_CRYPTO)
    };
    assert_eq!(
        verify(&anchors(&pki)),
        Err(ListError::Untrusted(Untrusted::Path(PathError::WrongRole(
            Role::VzdTi.oid()
        ))))
    );
    assert_eq!(
        verify(&SignerTrust::Pinned(vec![tim.certificate.clone()])),
        Err(ListError::Untrusted(Untrusted::PinnedProfile("role is not oid_vzd_ti")))
    );
    // Expired: one second after notAfter.
    let signer = pki.leaf(CertType::FdSig);
    let good = sample().sign_jws(&signer.key, &pki.chain(signer)).unwrap();
    let late = signer.certificate.not_after().plus(1);
    assert!(matches!(
        FederationList::from_jws(good.as_bytes(), &anchors(&pki), late, &Limits::default(), &RUST_CRYPTO),
        Err(ListError::Untrusted(Untrusted::Path(_)))
    ));
}

#[test]
fn headers_are_checked() {
    let pki = pki(KeyAlgorithm::EcBrainpoolP256r1);
    let signer = pki.leaf(CertType::FdSig);
    let x5c: Vec<String> = pki
        .chain(signer)
        .iter()
        .map(|c| Base64::encode_string(c.der()))
        .collect();
    let check = |header: serde_json::Value| {
        FederationList::from_jws(
            craft(header, signer).as_bytes(),
            &anchors(&pki),
            pki.now(),
            &Limits::default(),
            &RUST_CRYPTO,
        )
    };
    assert!(check(json!({"alg": "BP256R1", "x5c": x5c})).is_ok());
    // The 2023 mislabel: ES256 over a brainpool key.
    assert_eq!(
        check(json!({"alg": "ES256", "x5c": x5c})),
        Err(ListError::Unsupported(Unsupported::AlgorithmKeyMismatch {
            alg: "ES256",
            key: KeyAlgorithm::EcBrainpoolP256r1
        }))
    );
    assert_eq!(
        check(json!({"alg": "none", "x5c": x5c})),
        Err(ListError::Unsupported(Unsupported::Algorithm("none".into())))
    );
    assert_eq!(
        check(json!({"alg": "BP256R1", "x5c": x5c, "typ": "passport"})),
        Err(ListError::Unsupported(Unsupported::Type("passport".into())))
    );
    assert_eq!(
        check(json!({"alg": "BP256R1", "x5c": x5c, "crit": ["exp"]})),
        Err(ListError::Unsupported(Unsupported::Crit))
    );
    assert_eq!(
        check(json!({"alg": "BP256R1", "x5u": "https://vzd.example/signer.pem"})),
        Err(ListError::Unsupported(Unsupported::NoX5c))
    );
    assert_eq!(
        check(json!({"alg": 1, "x5c": x5c})),
        Err(ListError::Malformed(Malformed::Header("alg")))
    );
    assert_eq!(
        check(json!({"alg": "BP256R1", "x5c": []})),
        Err(ListError::Malformed(Malformed::Header("x5c")))
    );
    assert_eq!(
        check(json!({"alg": "BP256R1", "x5c": ["AAAA"]})),
        Err(ListError::Malformed(Malformed::X5c { index: 0 }))
    );
    // The CA itself in x5c[0] is no C.FD.SIG: refused by the trust check, before any signature.
    let wrong = vec![Base64::encode_string(pki.root().certificate.der())];
    assert!(matches!(
        check(json!({"alg": "BP256R1", "x5c": wrong})),
        Err(ListError::Untrusted(Untrusted::Path(PathError::WrongType { .. })))
    ));
    // Another valid C.FD.SIG of the same CA in x5c[0], the signature made by the first: trusted, but the
    // signature does not verify with the named key.
    let mut rng = tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng);
    let second = pki
        .issue(&CertSpec::typical(CertType::FdSig, pki.now(), "-"), &mut rng)
        .unwrap();
    let named: Vec<String> = pki
        .chain(&second)
        .iter()
        .map(|c| Base64::encode_string(c.der()))
        .collect();
    assert_eq!(
        check(json!({"alg": "BP256R1", "x5c": named})),
        Err(ListError::BadSignature)
    );
    // Oversized documents are refused before parsing.
    let small = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    let jws = craft(json!({"alg": "BP256R1", "x5c": x5c}), signer);
    assert!(matches!(
        FederationList::from_jws(jws.as_bytes(), &anchors(&pki), pki.now(), &small, &RUST_CRYPTO),
        Err(ListError::Malformed(Malformed::TooBig { .. }))
    ));
}

fn label() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?"
}

fn domain() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 2..4).prop_map(|labels| labels.join("."))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Hashed and clear lists built from domains find exactly those domains (any case, any port), and the
    /// payload JSON reads back to the same list.
    #[test]
    fn build_then_contains(domains in prop::collection::btree_set(domain(), 0..20), probe in domain(), port in 1u16..) {
        let hashed = FederationList::new(
            1,
            DomainForm::HashStrings,
            domains.iter().map(|d| DomainEntry::new(domain_hash(d))).collect(),
        ).unwrap();
        let clear = FederationList::new(2, DomainForm::Clear, domains.iter().map(DomainEntry::new).collect()).unwrap();
        for list in [&hashed, &clear] {
            prop_assert_eq!(list.len(), domains.len());
            for d in &domains {
                let upper = format!("{}:{port}", d.to_uppercase());
                prop_assert!(list.contains(d));
                prop_assert!(list.contains(&upper));
            }
            prop_assert_eq!(list.contains(&probe), domains.contains(&probe));
            let back = FederationList::from_json(&list.to_payload_json(), &Limits::default()).unwrap();
            prop_assert_eq!(&back, list);
        }
    }
}
