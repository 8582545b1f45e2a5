use tiwire_pki::path::{Rule, TrustAnchors, ValidationPolicy};
use tiwire_pki::testpki::{CertSpec, Variant};
use tiwire_pki::{CertType, Certificate, KeyUsages, PathError, RUST_CRYPTO, Role, SignatureError, UnixTime};

use crate::{ALGORITHMS, pki, pss_pki, rng};

fn anchors(pki: &tiwire_pki::testpki::TestPki) -> TrustAnchors {
    TrustAnchors::new(vec![pki.root().certificate.clone()])
}

#[test]
fn every_leaf_of_every_algorithm_validates_for_its_type() {
    for alg in ALGORITHMS {
        let pki = pki(alg);
        for (t, leaf) in pki.leaves() {
            let chain = pki.chain(leaf);
            let policy = ValidationPolicy::for_type(*t);
            let a = anchors(pki);
            let path = a
                .validate(&chain, pki.now(), &policy, &RUST_CRYPTO)
                .unwrap_or_else(|e| panic!("{alg} {t}: {e}"));
            assert_eq!(path.end_entity(), &leaf.certificate);
            assert_eq!(path.certificates().len(), 2);
            assert_eq!(path.anchor(), &pki.root().certificate);
            assert_eq!(path.end_entity_issuer(), &chain[1]);
            assert_eq!(leaf.certificate.cert_types(), vec![*t], "{alg} {t}");
        }
    }
}

#[test]
fn rsa_pss_chains_validate() {
    let pki = pss_pki();
    let leaf = pki.leaf(CertType::NkVpn);
    assert_eq!(
        leaf.certificate.signature_algorithm(),
        Ok(tiwire_pki::SignatureAlgorithm::RsaPssSha256)
    );
    anchors(pki)
        .validate(
            &pki.chain(leaf),
            pki.now(),
            &ValidationPolicy::for_type(CertType::NkVpn),
            &RUST_CRYPTO,
        )
        .unwrap();
}

#[test]
fn chain_order_and_included_anchor_do_not_matter() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcBrainpoolP256r1);
    let leaf = pki.leaf(CertType::NkVpn).certificate.clone();
    let ca = pki.component_ca().certificate.clone();
    let root = pki.root().certificate.clone();
    let policy = ValidationPolicy::for_type(CertType::NkVpn);
    let chain = [leaf.clone(), root.clone(), ca.clone()];
    let a = anchors(pki);
    let path = a.validate(&chain, pki.now(), &policy, &RUST_CRYPTO).unwrap();
    assert_eq!(path.certificates().len(), 2);

    // An issuing CA configured as the anchor (as the TSL does) ends the path there.
    let direct = TrustAnchors::new(vec![ca.clone()]);
    let leaf_only = [leaf.clone()];
    let path = direct.validate(&leaf_only, pki.now(), &policy, &RUST_CRYPTO).unwrap();
    assert_eq!(path.certificates().len(), 1);
    assert_eq!(path.anchor(), &ca);
}

#[test]
fn failing_variants_fail_with_the_rule_that_breaks() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcP256);
    let policy = ValidationPolicy::for_type(CertType::NkVpn);
    let check = |v: Variant| {
        let leaf = pki.variant(v).unwrap();
        anchors(pki)
            .validate(&pki.chain(leaf), pki.now(), &policy, &RUST_CRYPTO)
            .map(|_| ())
    };
    assert!(matches!(
        check(Variant::Expired),
        Err(PathError::Expired { depth: 0, .. })
    ));
    assert!(matches!(
        check(Variant::NotYetValid),
        Err(PathError::NotYetValid { depth: 0, .. })
    ));
    match check(Variant::WrongType) {
        Err(PathError::WrongType { expected, found }) => {
            assert_eq!(expected.0, vec![CertType::NkVpn]);
            assert_eq!(found.0, vec![CertType::AkAut]);
        }
        other => panic!("{other:?}"),
    }
    // Revocation is OCSP's business: the path itself is fine.
    assert!(check(Variant::Revoked).is_ok());
}

#[test]
fn validity_bounds_are_inclusive() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcP256);
    let leaf = pki.leaf(CertType::NkVpn);
    let chain = pki.chain(leaf);
    let policy = ValidationPolicy::any_type();
    let a = anchors(pki);
    let end = leaf.certificate.not_after();
    let start = leaf.certificate.not_before();
    assert!(a.validate(&chain, end, &policy, &RUST_CRYPTO).is_ok());
    assert!(a.validate(&chain, start, &policy, &RUST_CRYPTO).is_ok());
    assert_eq!(
        a.validate(&chain, end.plus(1), &policy, &RUST_CRYPTO).unwrap_err(),
        PathError::Expired {
            depth: 0,
            not_after: end
        }
    );
    assert_eq!(
        a.validate(&chain, start.minus(1), &policy, &RUST_CRYPTO).unwrap_err(),
        PathError::NotYetValid {
            depth: 0,
            not_before: start
        }
    );
}

#[test]
fn a_tampered_certificate_fails_its_signature() {
    for alg in ALGORITHMS {
        let pki = pki(alg);
        let leaf = pki.leaf(CertType::NkVpn).certificate.clone();
        // Flip one bit inside the subject public key (far from any length byte) and re-parse.
        let mut der = leaf.der().to_vec();
        let spki = leaf.public_key_info_der().unwrap();
        let at = der.windows(spki.len()).position(|w| w == spki.as_slice()).unwrap() + spki.len() - 3;
        der[at] ^= 0x01;
        let tampered = Certificate::from_der(&der).unwrap();
        let chain = [tampered, pki.component_ca().certificate.clone()];
        let err = anchors(pki)
            .validate(&chain, pki.now(), &ValidationPolicy::any_type(), &RUST_CRYPTO)
            .unwrap_err();
        assert!(
            matches!(
                err,
                PathError::Signature {
                    depth: 0,
                    source: SignatureError::Invalid
                }
            ),
            "{alg}: {err:?}"
        );
    }
}

#[test]
fn an_unknown_anchor_or_missing_intermediate_is_no_issuer() {
    let bp = pki(tiwire_pki::KeyAlgorithm::EcBrainpoolP256r1);
    let other = pki(tiwire_pki::KeyAlgorithm::EcP256);
    let leaf = bp.leaf(CertType::NkVpn);
    let policy = ValidationPolicy::any_type();
    // Same names in both PKIs, different keys: the key identifiers keep them apart.
    let err = anchors(other)
        .validate(&bp.chain(leaf), bp.now(), &policy, &RUST_CRYPTO)
        .unwrap_err();
    assert_eq!(err, PathError::NoIssuer { depth: 1 });
    let err = anchors(bp)
        .validate(std::slice::from_ref(&leaf.certificate), bp.now(), &policy, &RUST_CRYPTO)
        .unwrap_err();
    assert_eq!(err, PathError::NoIssuer { depth: 0 });
    assert_eq!(
        anchors(bp).validate(&[], bp.now(), &policy, &RUST_CRYPTO).unwrap_err(),
        PathError::Empty
    );
}

#[test]
fn a_leaf_cannot_act_as_ca() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcP256);
    let leaf = pki.leaf(CertType::AkAut);
    let spec = CertSpec::typical(CertType::NkVpn, pki.now(), "x");
    let under_leaf = pki.issue_by(leaf, &spec, &mut rng()).unwrap();
    let chain = [
        under_leaf.certificate,
        leaf.certificate.clone(),
        pki.component_ca().certificate.clone(),
    ];
    let err = anchors(pki)
        .validate(&chain, pki.now(), &ValidationPolicy::any_type(), &RUST_CRYPTO)
        .unwrap_err();
    assert_eq!(err, PathError::NotCa { depth: 1 });
}

#[test]
fn path_length_limit() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcP256);
    let leaf = pki.leaf(CertType::NkVpn);
    let policy = ValidationPolicy::any_type().with_max_path_len(1);
    let err = anchors(pki)
        .validate(&pki.chain(leaf), pki.now(), &policy, &RUST_CRYPTO)
        .unwrap_err();
    assert_eq!(err, PathError::TooLong { max: 1 });
}

#[test]
fn policy_profession_key_usage_and_eku() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcBrainpoolP256r1);
    let nk = pki.leaf(CertType::NkVpn);
    let chain = pki.chain(nk);
    let a = anchors(pki);
    let ok = ValidationPolicy::for_type(CertType::NkVpn)
        .with_profession(Role::Nk.oid())
        .with_key_usage(KeyUsages::DigitalSignature);
    assert!(a.validate(&chain, pki.now(), &ok, &RUST_CRYPTO).is_ok());
    let role = ValidationPolicy::for_type(CertType::NkVpn).with_profession(Role::Ak.oid());
    assert_eq!(
        a.validate(&chain, pki.now(), &role, &RUST_CRYPTO).unwrap_err(),
        PathError::WrongRole(Role::Ak.oid())
    );
    let ku = ValidationPolicy::any_type().with_key_usage(KeyUsages::KeyEncipherment);
    assert_eq!(
        a.validate(&chain, pki.now(), &ku, &RUST_CRYPTO).unwrap_err(),
        PathError::KeyUsage {
            depth: 0,
            missing: "keyEncipherment"
        }
    );
    let server_auth = der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
    let eku = ValidationPolicy::any_type().with_extended_key_usage(server_auth);
    assert_eq!(
        a.validate(&chain, pki.now(), &eku, &RUST_CRYPTO).unwrap_err(),
        PathError::ExtendedKeyUsage(server_auth)
    );
    let tls = pki.leaf(CertType::ZdTlsS);
    assert!(a.validate(&pki.chain(tls), pki.now(), &eku, &RUST_CRYPTO).is_ok());
}

#[test]
fn the_report_lists_every_rule_and_every_failure() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcBrainpoolP256r1);
    let a = anchors(pki);
    let leaf = pki.leaf(CertType::NkVpn);
    let policy = ValidationPolicy::for_type(CertType::NkVpn);
    let good = a.report(&pki.chain(leaf), pki.now(), &policy, &RUST_CRYPTO);
    assert_eq!(good.verdict, Ok(()));
    assert!(good.checks.iter().all(|c| c.result.is_ok()));
    for rule in [
        Rule::Issuer,
        Rule::Signature,
        Rule::Validity,
        Rule::CertType,
        Rule::CaConstraints,
        Rule::KeyUsage,
    ] {
        assert!(good.checks.iter().any(|c| c.rule == rule), "{rule:?} missing");
    }
    assert!(
        good.checks
            .iter()
            .any(|c| c.depth == 2 && c.subject.contains("GEM.RCA"))
    );

    // Ten years on everything has expired: the report names each certificate, the verdict the first.
    let later = UnixTime::from_secs(pki.now().as_secs() + 30 * 365 * 86_400);
    let bad = a.report(&pki.chain(leaf), later, &policy, &RUST_CRYPTO);
    let expired: Vec<usize> = bad
        .checks
        .iter()
        .filter(|c| matches!(c.result, Err(PathError::Expired { .. })))
        .map(|c| c.depth)
        .collect();
    assert_eq!(expired, vec![0, 1, 2]);
    assert!(matches!(bad.verdict, Err(PathError::Expired { depth: 0, .. })));
}

#[test]
fn the_report_names_the_certificate_whose_issuer_is_missing() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcBrainpoolP256r1);
    let leaf = pki.leaf(CertType::NkVpn);
    let unrelated = TrustAnchors::new(vec![pki.smcb_ca().certificate.clone()]);
    let report = unrelated.report(&pki.chain(leaf), pki.now(), &ValidationPolicy::any_type(), &RUST_CRYPTO);
    assert_eq!(report.verdict, Err(PathError::NoIssuer { depth: 1 }));
    assert_eq!(report.checks.len(), 1);
    assert!(
        report.checks[0].subject.contains("GEM.KOMP-CA"),
        "{:?}",
        report.checks[0]
    );
}

#[test]
fn signatures_with_unused_bits_and_oversized_pem_are_refused() {
    let pki = pki(tiwire_pki::KeyAlgorithm::EcP256);
    let cert = &pki.leaf(CertType::NkVpn).certificate;
    let mut der = cert.der().to_vec();
    let unused_bits_at = der.len() - cert.signature().len() - 1;
    assert_eq!(der[unused_bits_at], 0);
    der[unused_bits_at] = 1;
    assert!(Certificate::from_der(&der).is_err());

    let huge = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        "A".repeat(1 << 20)
    );
    assert!(matches!(
        Certificate::parse_pem_bundle(&huge),
        Err(tiwire_pki::ParseError::TooLarge { .. })
    ));
    // Trust stores may hold more certificates than one presented chain.
    let many = pki.root().certificate.to_pem().repeat(40);
    assert_eq!(TrustAnchors::from_pem(&many).unwrap().certificates().len(), 40);
    assert!(Certificate::parse_pem_bundle(&many).is_err());
}

/// Two anchors with the same name and no key identifiers (a re-keyed root, as in older TSLs): path
/// building picks the one whose key verifies, whichever comes first.
#[test]
fn same_named_anchors_without_key_identifiers_are_told_apart_by_signature() {
    use tiwire_pki::testpki::{TestPki, TestPkiOptions};
    let options = TestPkiOptions::new(tiwire_pki::KeyAlgorithm::EcP256)
        .leaf_types(&[CertType::NkVpn])
        .without_key_identifiers();
    let a = TestPki::build(&options, &mut rng()).unwrap();
    let b = TestPki::build(&options, &mut rng()).unwrap();
    assert_eq!(a.root().certificate.subject(), b.root().certificate.subject());
    assert_eq!(a.root().certificate.subject_key_id(), None);
    let chain = a.chain(a.leaf(CertType::NkVpn));
    let policy = ValidationPolicy::for_type(CertType::NkVpn);
    for order in [
        vec![b.root().certificate.clone(), a.root().certificate.clone()],
        vec![a.root().certificate.clone(), b.root().certificate.clone()],
    ] {
        let anchors = TrustAnchors::new(order);
        let path = anchors.validate(&chain, a.now(), &policy, &RUST_CRYPTO).unwrap();
        assert_eq!(path.anchor(), &a.root().certificate);
    }
    // Only the other root: the names match, the signature does not.
    let wrong = TrustAnchors::new(vec![b.root().certificate.clone()]);
    assert!(matches!(
        wrong.validate(&chain, a.now(), &policy, &RUST_CRYPTO),
        Err(PathError::Signature { depth: 1, .. })
    ));
}
