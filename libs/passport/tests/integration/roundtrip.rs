use proptest::prelude::*;
use ruma_common::UserId;
use tiwire_passport::{
    Claims, CompactJws, PartyMismatch, Passport, PassportError, VerifyPolicy, X5uPolicy, issue, matrix_uri,
};
use tiwire_pki::{KeyAlgorithm, PublicKeyRef, RUST_CRYPTO, UnixTime};

use crate::fixture;

/// RFC 7515 Appendix A.3 (ES256) through the core's signature path.
#[test]
fn rfc7515_a3_verifies() {
    let token = include_str!("../../../pki/tests/vectors/rfc7515-a3.jws");
    let jwk = include_str!("../../../pki/tests/vectors/rfc7515-a3.jwk");
    use base64ct::{Base64UrlUnpadded, Encoding};
    let field = |name: &str| {
        let v = jwk
            .split(&format!("\"{name}\":\""))
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        Base64UrlUnpadded::decode_vec(v).unwrap()
    };
    let mut point = vec![4u8];
    point.extend(field("x"));
    point.extend(field("y"));
    let key = PublicKeyRef {
        algorithm: KeyAlgorithm::EcP256,
        key: &point,
    };
    let jws = CompactJws::parse(token).unwrap();
    jws.verify_es256(key, &RUST_CRYPTO).unwrap();
    // It is a JWS but not a PASSporT (no typ, no x5u).
    assert!(Passport::parse(token).is_err());
}

#[test]
fn issued_tokens_verify_and_authorize_only_their_invite() {
    let f = fixture();
    let token = f.token();
    let passport = Passport::parse(&token).unwrap();
    passport.is_canonical().unwrap();
    assert_eq!(
        passport.certificate_url(&X5uPolicy::hosts(&["example.org"])).unwrap(),
        f.header().x5u
    );
    let strict = VerifyPolicy {
        strict: true,
        ..VerifyPolicy::default()
    };
    let verified = passport
        .verify(&f.chain(), &f.anchors, f.pki.now(), &strict, &RUST_CRYPTO)
        .unwrap();
    let a = UserId::parse("@a:tim.example.org").unwrap();
    let b = UserId::parse("@b:tim.example.org").unwrap();
    let c = UserId::parse("@c:tim.example.org").unwrap();
    verified.authorizes_invite(&a, &b).unwrap();
    assert_eq!(verified.authorizes_invite(&c, &b), Err(PartyMismatch::NotTheInviter));
    assert_eq!(verified.authorizes_invite(&a, &c), Err(PartyMismatch::NotTheInvitee));
    assert_eq!(verified.signer(), &f.signer.certificate);
    // Deterministic ECDSA: issuing the same claims again gives the same token.
    assert_eq!(f.token(), token);
}

#[test]
fn freshness_window_edges() {
    let f = fixture();
    let now = f.pki.now();
    let policy = VerifyPolicy::default();
    let verify = |at: UnixTime| {
        Passport::parse(&f.token())
            .unwrap()
            .verify(&f.chain(), &f.anchors, at, &policy, &RUST_CRYPTO)
    };
    assert!(verify(now.plus(policy.max_age)).is_ok());
    assert!(matches!(
        verify(now.plus(policy.max_age + 1)),
        Err(PassportError::Stale { .. })
    ));
    assert!(verify(now.minus(policy.max_future)).is_ok());
    assert!(matches!(
        verify(now.minus(policy.max_future + 1)),
        Err(PassportError::Future { .. })
    ));
}

#[test]
fn x5u_policy() {
    let p = X5uPolicy::hosts(&["tim.example.org"]);
    assert!(p.check("https://tim.example.org/c.pem").is_ok());
    assert!(p.check("https://a.tim.example.org/c.pem").is_ok());
    for bad in [
        "http://tim.example.org/c.pem",
        "https://eviltim.example.org/c.pem",
        "https://tim.example.org.evil.com/c.pem",
        "https://user@tim.example.org/c.pem",
        "https://10.0.0.1/c.pem",
        "file:///etc/passwd",
        "not a url",
    ] {
        assert!(matches!(p.check(bad), Err(PassportError::X5uRefused(_))), "{bad}");
    }
    assert!(X5uPolicy::any_https_host().check("https://anything.example/c").is_ok());
}

fn arb_mxid() -> impl Strategy<Value = String> {
    (
        "[a-z0-9._=/+-]{1,20}",
        "[a-z][a-z0-9-]{0,15}(\\.[a-z][a-z0-9-]{0,10}){1,3}",
        proptest::option::of(1u16..65535),
    )
        .prop_map(|(local, host, port)| match port {
            Some(p) => format!("@{local}:{host}:{p}"),
            None => format!("@{local}:{host}"),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Issue → parse → verify → authorize, over arbitrary MXIDs and issue times.
    #[test]
    fn issue_verify_round_trip(inviter in arb_mxid(), invitee in arb_mxid(), age in 0u64..900) {
        let f = fixture();
        let a = UserId::parse(&inviter).unwrap();
        let b = UserId::parse(&invitee).unwrap();
        let now = f.pki.now();
        let claims = Claims::ti_messenger(&a, &b, now.as_secs() - age);
        let token = issue(&f.header(), &claims, &f.signer.key).unwrap();
        let passport = Passport::parse(&token).unwrap();
        prop_assert_eq!(passport.claims(), &claims);
        let strict = VerifyPolicy { strict: true, ..VerifyPolicy::default() };
        let verified = passport.verify(&f.chain(), &f.anchors, now, &strict, &RUST_CRYPTO).unwrap();
        prop_assert_eq!(verified.authorizes_invite(&a, &b), Ok(()));
        prop_assert_eq!(tiwire_passport::user_from_matrix_uri(&matrix_uri(&a)).unwrap(), a);
    }
}

/// The signer is validated once; each token then costs one signature check, and a token issued before the
/// signer's certificate was valid is refused even while the certificate is valid now.
#[test]
fn trusted_signer_once_then_per_token() {
    let f = fixture();
    let signer = tiwire_passport::TrustedSigner::validate(&f.chain(), &f.anchors, f.pki.now(), &RUST_CRYPTO).unwrap();
    let policy = VerifyPolicy::default();
    for _ in 0..3 {
        Passport::parse(&f.token())
            .unwrap()
            .verify_with(&signer, f.pki.now(), &policy, &RUST_CRYPTO)
            .unwrap();
    }
    let a = UserId::parse("@a:tim.example.org").unwrap();
    let before = f.signer.certificate.not_before().as_secs() - 10;
    let early = issue(&f.header(), &Claims::ti_messenger(&a, &a, before), &f.signer.key).unwrap();
    let now = UnixTime::from_secs(before + 20);
    assert_eq!(
        Passport::parse(&early)
            .unwrap()
            .verify_with(&signer, now, &policy, &RUST_CRYPTO)
            .unwrap_err(),
        tiwire_passport::CertificateProblem::NotValidAtIssue.into()
    );
    let later = f.signer.certificate.not_after().plus(1);
    let token = issue(
        &f.header(),
        &Claims::ti_messenger(&a, &a, later.as_secs()),
        &f.signer.key,
    )
    .unwrap();
    assert_eq!(
        Passport::parse(&token)
            .unwrap()
            .verify_with(&signer, later, &policy, &RUST_CRYPTO)
            .unwrap_err(),
        tiwire_passport::CertificateProblem::Expired.into()
    );
}
