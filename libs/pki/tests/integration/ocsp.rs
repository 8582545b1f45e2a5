use tiwire_pki::ocsp::{
    self, CertId, CertIdHash, CertStatus, OcspRequest, ResponseBuilder, ResponsePolicy, ResponseStatus, Signer,
    SingleStatus,
};
use tiwire_pki::testpki::{CertSpec, TestPki, Variant};
use tiwire_pki::{CertType, KeyAlgorithm, OcspError, RUST_CRYPTO, SignatureError, UnixTime};

use crate::{ALGORITHMS, pki, rng};

fn ask(pki: &TestPki, leaf: &tiwire_pki::Certificate, nonce: Option<&[u8]>) -> (OcspRequest, Vec<u8>) {
    let issuer = &pki.chain_of(leaf)[1];
    let request = OcspRequest::new(leaf, issuer, CertIdHash::Sha1, nonce).unwrap();
    let response = pki.ocsp_respond(request.der(), pki.now(), &mut rng()).unwrap();
    (request, response)
}

fn verify(
    pki: &TestPki,
    leaf: &tiwire_pki::Certificate,
    request: &OcspRequest,
    response: &[u8],
    now: UnixTime,
) -> Result<ocsp::OcspVerdict, OcspError> {
    let issuer = &pki.chain_of(leaf)[1];
    ocsp::verify_response(
        response,
        request,
        issuer,
        &[],
        now,
        &ResponsePolicy::default(),
        &RUST_CRYPTO,
    )
}

#[test]
fn good_revoked_and_unknown_from_the_test_responder() {
    for alg in ALGORITHMS {
        let pki = pki(alg);
        let leaf = &pki.leaf(CertType::NkVpn).certificate;
        let (req, resp) = ask(pki, leaf, Some(b"0123456789abcdef"));
        let verdict = verify(pki, leaf, &req, &resp, pki.now()).unwrap();
        assert_eq!(verdict.status, CertStatus::Good, "{alg}");
        assert_eq!(verdict.signer, Signer::Delegated);
        assert_eq!(verdict.this_update, pki.now());
        assert_eq!(verdict.next_update, Some(pki.now().plus(86_400)));

        let revoked = &pki.variant(Variant::Revoked).unwrap().certificate;
        let (req, resp) = ask(pki, revoked, None);
        let verdict = verify(pki, revoked, &req, &resp, pki.now()).unwrap();
        assert_eq!(
            verdict.status,
            CertStatus::Revoked {
                time: pki.now().minus(86_400),
                reason: Some(1)
            }
        );
    }
    let pki = pki(KeyAlgorithm::EcBrainpoolP256r1);
    let stranger = pki
        .issue(&CertSpec::typical(CertType::NkVpn, pki.now(), "x"), &mut rng())
        .unwrap();
    let (req, resp) = ask(pki, &stranger.certificate, None);
    assert_eq!(
        verify(pki, &stranger.certificate, &req, &resp, pki.now())
            .unwrap()
            .status,
        CertStatus::Unknown
    );
}

#[test]
fn smcb_certificates_are_answered_by_their_own_ca() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::HciOsig).certificate;
    let (req, resp) = ask(pki, leaf, None);
    let verdict = verify(pki, leaf, &req, &resp, pki.now()).unwrap();
    assert_eq!(verdict.status, CertStatus::Good);
}

#[test]
fn freshness_window() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let (req, resp) = ask(pki, leaf, None);
    let now = pki.now();
    // nextUpdate is a day later; five minutes of skew are tolerated on both sides.
    assert!(verify(pki, leaf, &req, &resp, now.plus(86_400 + 300)).is_ok());
    assert_eq!(
        verify(pki, leaf, &req, &resp, now.plus(86_400 + 301)).unwrap_err(),
        OcspError::Stale { this_update: now }
    );
    assert!(verify(pki, leaf, &req, &resp, now.minus(300)).is_ok());
    assert_eq!(
        verify(pki, leaf, &req, &resp, now.minus(301)).unwrap_err(),
        OcspError::NotYetValid(now)
    );
}

#[test]
fn nonce_must_be_echoed() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let (req_a, _) = ask(pki, leaf, Some(b"nonce-a"));
    let (_, resp_b) = ask(pki, leaf, Some(b"nonce-b"));
    assert_eq!(
        verify(pki, leaf, &req_a, &resp_b, pki.now()).unwrap_err(),
        OcspError::Nonce
    );
    let (_, resp_none) = ask(pki, leaf, None);
    assert_eq!(
        verify(pki, leaf, &req_a, &resp_none, pki.now()).unwrap_err(),
        OcspError::Nonce
    );
    let lenient = ResponsePolicy {
        require_nonce: false,
        ..ResponsePolicy::default()
    };
    let issuer = &pki.component_ca().certificate;
    assert!(ocsp::verify_response(&resp_none, &req_a, issuer, &[], pki.now(), &lenient, &RUST_CRYPTO).is_ok());
    assert_eq!(
        OcspRequest::new(leaf, issuer, CertIdHash::Sha1, Some(&[0u8; 33])).unwrap_err(),
        OcspError::NonceLength
    );
}

#[test]
fn a_response_for_another_certificate_does_not_count() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let other = &pki.leaf(CertType::AkAut).certificate;
    let (req, _) = ask(pki, leaf, None);
    let (_, resp_other) = ask(pki, other, None);
    assert_eq!(
        verify(pki, leaf, &req, &resp_other, pki.now()).unwrap_err(),
        OcspError::NoMatchingResponse
    );
}

fn statuses(pki: &TestPki, leaf: &tiwire_pki::Certificate, hash: CertIdHash) -> Vec<SingleStatus> {
    vec![SingleStatus {
        cert_id: CertId::new(leaf, &pki.component_ca().certificate, hash).unwrap(),
        status: CertStatus::Good,
        this_update: pki.now(),
        next_update: None,
    }]
}

#[test]
fn issuer_signed_configured_and_unauthorized_responders() {
    let pki = pki(KeyAlgorithm::EcBrainpoolP256r1);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let ca = pki.component_ca();
    let req = OcspRequest::new(leaf, &ca.certificate, CertIdHash::Sha256, None).unwrap();
    let policy = ResponsePolicy::default();
    let st = statuses(pki, leaf, CertIdHash::Sha256);

    // Signed by the CA itself, responder named by key hash.
    let resp = ResponseBuilder::new(&ca.key, &ca.certificate)
        .responder_id_by_key(true)
        .build(&st, None, pki.now(), &mut rng())
        .unwrap();
    let v = ocsp::verify_response(&resp, &req, &ca.certificate, &[], pki.now(), &policy, &RUST_CRYPTO).unwrap();
    assert_eq!(v.signer, Signer::Issuer);
    // Without nextUpdate the maximum age applies.
    let stale = ocsp::verify_response(
        &resp,
        &req,
        &ca.certificate,
        &[],
        pki.now().plus(86_401),
        &policy,
        &RUST_CRYPTO,
    );
    assert_eq!(stale.unwrap_err(), OcspError::Stale { this_update: pki.now() });

    // Signed by the SMC-B CA's responder, embedded: not delegated by the component CA.
    let foreign = pki.ocsp_responder(pki.smcb_ca());
    let resp = ResponseBuilder::new(&foreign.key, &foreign.certificate)
        .embed_certificate(true)
        .build(&st, None, pki.now(), &mut rng())
        .unwrap();
    assert_eq!(
        ocsp::verify_response(&resp, &req, &ca.certificate, &[], pki.now(), &policy, &RUST_CRYPTO).unwrap_err(),
        OcspError::UnauthorizedResponder
    );
    // … unless the operator configured it as trusted (TSL-style).
    let trusted = [pki.root().certificate.clone(), foreign.certificate.clone()];
    let v = ocsp::verify_response(&resp, &req, &ca.certificate, &trusted, pki.now(), &policy, &RUST_CRYPTO).unwrap();
    assert_eq!(v.signer, Signer::Configured(1));
}

#[test]
fn a_tampered_response_fails_its_signature() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let (req, resp) = ask(pki, leaf, None);
    // thisUpdate/nextUpdate are GeneralizedTime "…Z": flip a digit of the first one.
    let mut tampered = resp.clone();
    let at = tampered.windows(2).position(|w| w == [0x18, 0x0f]).unwrap() + 5;
    tampered[at] ^= 0x01;
    let err = verify(pki, leaf, &req, &tampered, pki.now()).unwrap_err();
    assert_eq!(err, OcspError::Signature(SignatureError::Invalid));
}

#[test]
fn error_statuses_and_garbage() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let (req, _) = ask(pki, leaf, None);
    let malformed = pki.ocsp_respond(b"not a request", pki.now(), &mut rng()).unwrap();
    assert_eq!(
        verify(pki, leaf, &req, &malformed, pki.now()).unwrap_err(),
        OcspError::Status(ResponseStatus::MALFORMED_REQUEST)
    );
    // A request about another PKI's certificate is refused as unauthorized.
    let other = pki_other();
    let foreign = &other.leaf(CertType::NkVpn).certificate;
    let req_foreign = OcspRequest::new(foreign, &other.component_ca().certificate, CertIdHash::Sha1, None).unwrap();
    let resp = pki.ocsp_respond(req_foreign.der(), pki.now(), &mut rng()).unwrap();
    assert_eq!(
        ocsp::OcspResponse::parse(&resp).unwrap().status,
        ResponseStatus::UNAUTHORIZED
    );
    for garbage in [&b""[..], b"\x30\x03\x0a\x01\x00", b"\x30\x80", &[0x30; 100]] {
        assert!(verify(pki, leaf, &req, garbage, pki.now()).is_err());
    }
    let too_large = vec![0u8; ocsp::MAX_MESSAGE_LEN + 1];
    assert!(matches!(
        verify(pki, leaf, &req, &too_large, pki.now()),
        Err(OcspError::TooLarge { .. })
    ));
}

fn pki_other() -> &'static TestPki {
    pki(KeyAlgorithm::EcBrainpoolP256r1)
}

#[test]
fn request_round_trip() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let req = OcspRequest::new(leaf, &pki.component_ca().certificate, CertIdHash::Sha1, Some(b"n")).unwrap();
    let parsed = OcspRequest::parse(req.der()).unwrap();
    assert_eq!(parsed.cert_ids, vec![req.cert_id().clone()]);
    assert_eq!(parsed.nonce.as_deref(), Some(&b"n"[..]));
    assert_eq!(req.cert_id().issuer_name_hash.len(), 20);
}

#[test]
fn unknown_critical_extensions_are_refused() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let ca = pki.component_ca();
    let req = OcspRequest::new(leaf, &ca.certificate, CertIdHash::Sha1, None).unwrap();
    let ext = |critical| x509_cert::ext::Extension {
        extn_id: der::asn1::ObjectIdentifier::new_unwrap("1.2.3.4.5.6.7"),
        critical,
        extn_value: der::asn1::OctetString::new(vec![5, 0]).unwrap(),
    };
    let st = statuses(pki, leaf, CertIdHash::Sha1);
    let policy = ResponsePolicy::default();
    for critical in [false, true] {
        let resp = ResponseBuilder::new(&ca.key, &ca.certificate)
            .extension(ext(critical))
            .build(&st, None, pki.now(), &mut rng())
            .unwrap();
        let result = ocsp::verify_response(&resp, &req, &ca.certificate, &[], pki.now(), &policy, &RUST_CRYPTO);
        if critical {
            assert!(
                matches!(result, Err(OcspError::UnknownCriticalExtension(_))),
                "{result:?}"
            );
        } else {
            assert!(result.is_ok(), "{result:?}");
        }
    }
}

#[test]
fn a_renewed_configured_responder_with_the_same_name_is_found() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let ca = pki.component_ca();
    let responder = pki.ocsp_responder(pki.smcb_ca());
    // An expired predecessor with the same name (and another key) listed first.
    let mut spec = CertSpec::typical(CertType::FdSig, pki.now(), "x");
    spec.organization = "gematik GmbH NOT-VALID".into();
    spec.common_name = responder.certificate.common_name().unwrap();
    spec.not_before = pki.now().minus(400 * 86_400);
    spec.not_after = pki.now().minus(86_400);
    let old = pki.issue_by(pki.smcb_ca(), &spec, &mut rng()).unwrap();
    assert_eq!(old.certificate.subject(), responder.certificate.subject());
    let req = OcspRequest::new(leaf, &ca.certificate, CertIdHash::Sha1, None).unwrap();
    let resp = ResponseBuilder::new(&responder.key, &responder.certificate)
        .build(&statuses(pki, leaf, CertIdHash::Sha1), None, pki.now(), &mut rng())
        .unwrap();
    let policy = ResponsePolicy::default();
    let trusted = [old.certificate.clone(), responder.certificate.clone()];
    let v = ocsp::verify_response(&resp, &req, &ca.certificate, &trusted, pki.now(), &policy, &RUST_CRYPTO).unwrap();
    assert_eq!(v.signer, Signer::Configured(1));
    // With only the expired one configured, the error says so.
    let only_old = [old.certificate.clone()];
    assert_eq!(
        ocsp::verify_response(
            &resp,
            &req,
            &ca.certificate,
            &only_old,
            pki.now(),
            &policy,
            &RUST_CRYPTO
        )
        .unwrap_err(),
        OcspError::ResponderExpired
    );
}

#[test]
fn inconsistent_times_and_foreign_requests() {
    let pki = pki(KeyAlgorithm::EcP256);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let ca = pki.component_ca();
    let req = OcspRequest::new(leaf, &ca.certificate, CertIdHash::Sha1, None).unwrap();
    let mut st = statuses(pki, leaf, CertIdHash::Sha1);
    st[0].next_update = Some(pki.now().minus(100));
    let resp = ResponseBuilder::new(&ca.key, &ca.certificate)
        .build(&st, None, pki.now(), &mut rng())
        .unwrap();
    let policy = ResponsePolicy::default();
    assert_eq!(
        ocsp::verify_response(&resp, &req, &ca.certificate, &[], pki.now(), &policy, &RUST_CRYPTO).unwrap_err(),
        OcspError::InconsistentTimes
    );
    // producedAt in the future.
    let st = statuses(pki, leaf, CertIdHash::Sha1);
    let resp = ResponseBuilder::new(&ca.key, &ca.certificate)
        .build(&st, None, pki.now().plus(3600), &mut rng())
        .unwrap();
    assert_eq!(
        ocsp::verify_response(&resp, &req, &ca.certificate, &[], pki.now(), &policy, &RUST_CRYPTO).unwrap_err(),
        OcspError::NotYetValid(pki.now().plus(3600))
    );
    // A request about a component-CA certificate checked against the SMC-B CA.
    let smcb = &pki.smcb_ca().certificate;
    assert_eq!(
        ocsp::verify_response(&resp, &req, smcb, &[], pki.now(), &policy, &RUST_CRYPTO).unwrap_err(),
        OcspError::IssuerMismatch
    );
}
