//! The real lists from gematik's test environment (`shared/specs/ti-messenger/federation-list-samples/`).

use tiwire_fedlist::{DomainForm, FederationList, Limits, ListError, Malformed, SignerTrust, Untrusted, domain_hash};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::{Certificate, PathError, RUST_CRYPTO, UnixTime};

const SIGNER_PEM: &str = include_str!(
    "../../../../../shared/specs/ti-messenger/federation-list-samples/signed-bp256r1-current/VZD-FHIR-FList-Signer_TEST-ONLY.pem"
);
const CURRENT_JWS: &[u8] = include_bytes!(
    "../../../../../shared/specs/ti-messenger/federation-list-samples/signed-bp256r1-current/federationList.jws"
);
const CURRENT_PAYLOAD: &[u8] = include_bytes!(
    "../../../../../shared/specs/ti-messenger/federation-list-samples/signed-bp256r1-current/federationList.payload.json"
);
const HASHED_2023_JWS: &[u8] = include_bytes!(
    "../../../../../shared/specs/ti-messenger/federation-list-samples/signed-hashed-2023/federationList.jws"
);
const HASHED_2023_PAYLOAD: &[u8] = include_bytes!(
    "../../../../../shared/specs/ti-messenger/federation-list-samples/signed-hashed-2023/federationList.payload.json"
);

/// 2026-01-01, inside the TEST-ONLY signer's validity (2023-01-25 … 2028-01-24).
const NOW: UnixTime = UnixTime::from_secs(1_767_225_600);

fn pinned() -> SignerTrust {
    SignerTrust::Pinned(vec![Certificate::from_pem(SIGNER_PEM).unwrap()])
}

#[test]
fn the_real_brainpool_list_verifies_with_the_pinned_test_signer() {
    let list = FederationList::from_jws(CURRENT_JWS, &pinned(), NOW, &Limits::default(), &RUST_CRYPTO).unwrap();
    assert_eq!(list.version(), 1650);
    assert_eq!(list.form(), DomainForm::Clear);
    let signer = list.signer().unwrap();
    assert_eq!(signer.algorithm, "BP256R1");
    assert_eq!(
        signer.certificate.common_name().as_deref(),
        Some("VZD-FHIR-FList-Signer")
    );
    assert!(list.contains("gematik.ujumbelabs.com"));
    assert!(list.contains("ONE-BOB.ujumbelabs.com:8448"));
    assert!(!list.contains("ujumbelabs.com"));
    assert!(!list.contains("evil.example.org"));

    // The decoded payload next to it is the same list; every entry is found.
    let plain = FederationList::from_json(CURRENT_PAYLOAD, &Limits::default()).unwrap();
    assert_eq!(plain, list);
    let raw: serde_json::Value = serde_json::from_slice(CURRENT_PAYLOAD).unwrap();
    let raw = raw["domainList"].as_array().unwrap();
    assert_eq!(list.len() + list.skipped(), raw.len());
    for entry in raw {
        let domain = entry["domain"].as_str().unwrap();
        assert_eq!(list.contains(domain), list.lookup(domain).is_ok(), "{domain}");
    }
}

#[test]
fn the_real_list_is_refused_when_trust_does_not_hold() {
    let verify =
        |trust: &SignerTrust, now| FederationList::from_jws(CURRENT_JWS, trust, now, &Limits::default(), &RUST_CRYPTO);
    // After the signer expired.
    assert_eq!(
        verify(&pinned(), UnixTime::from_secs(1_833_000_000)),
        Err(ListError::Untrusted(Untrusted::PinnedExpired))
    );
    // Another pinned certificate, or CA anchors that did not issue it (GEM.KOMP-CA50 is not public).
    let other = tiwire_pki::testpki::TestPki::build(
        &tiwire_pki::testpki::TestPkiOptions::new(tiwire_pki::KeyAlgorithm::EcBrainpoolP256r1)
            .leaf_types(&[tiwire_pki::CertType::FdSig]),
        &mut tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng),
    )
    .unwrap();
    let fd_sig = other.leaf(tiwire_pki::CertType::FdSig).certificate.clone();
    assert_eq!(
        verify(&SignerTrust::Pinned(vec![fd_sig]), NOW),
        Err(ListError::Untrusted(Untrusted::NotPinned))
    );
    let anchors = SignerTrust::Anchors(TrustAnchors::new(vec![other.root().certificate.clone()]));
    assert_eq!(
        verify(&anchors, NOW),
        Err(ListError::Untrusted(Untrusted::Path(PathError::NoIssuer { depth: 0 })))
    );

    // One changed payload character: the signature fails.
    let text = core::str::from_utf8(CURRENT_JWS).unwrap().trim();
    let first_dot = text.find('.').unwrap();
    let mut tampered = text.as_bytes().to_vec();
    let at = first_dot + 40;
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        FederationList::from_jws(&tampered, &pinned(), NOW, &Limits::default(), &RUST_CRYPTO),
        Err(ListError::BadSignature)
    );
}

/// The 2023 list carries a bare SubjectPublicKeyInfo in `x5c` (not a certificate) and says `ES256` over a
/// brainpool key: both are refused as such. Its payload, the hashed shape, is read.
#[test]
fn the_2023_hashed_list_is_refused_for_its_header_but_its_payload_reads() {
    assert_eq!(
        FederationList::from_jws(HASHED_2023_JWS, &pinned(), NOW, &Limits::default(), &RUST_CRYPTO),
        Err(ListError::Malformed(Malformed::X5c { index: 0 }))
    );
    let list = FederationList::from_json(HASHED_2023_PAYLOAD, &Limits::default()).unwrap();
    assert_eq!((list.version(), list.form()), (506, DomainForm::HashObjects));
    let raw: serde_json::Value = serde_json::from_slice(HASHED_2023_PAYLOAD).unwrap();
    let first = raw["domainList"][0]["domain"].as_str().unwrap();
    assert_eq!(list.entries()[0].domain, first);
    assert!(!list.contains("tim.example.org"));
    // A list of hashes finds the domains whose hash it holds.
    let json = format!(
        r#"{{"version":1,"hashAlgorithm":"SHA-256","domainList":["{}","{first}"]}}"#,
        domain_hash("Tim.Example.org")
    );
    let v1 = FederationList::from_json(json.as_bytes(), &Limits::default()).unwrap();
    assert!(v1.contains("tim.example.org:443"));
    assert_eq!(v1.len(), 2);
}
