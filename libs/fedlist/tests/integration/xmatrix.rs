//! X-Matrix request authentication: header grammar, sign → parse → verify, tampering, keys, the federation list.

use base64ct::{Base64Unpadded, Encoding};
use proptest::prelude::*;
use rand_core::{Rng, UnwrapErr};
use ruma_common::{OwnedServerName, ServerName};
use tiwire_fedlist::xmatrix::*;
use tiwire_fedlist::{DEFAULT_MAX_AGE, DomainEntry, DomainForm, FederationList, FederationState};
use tiwire_pki::UnixTime;

const NOW: UnixTime = UnixTime::from_secs(1_767_225_600);
const SEND: &str = "/_matrix/federation/v1/send/1767225600001";
const BODY: &[u8] =
    br#"{"origin":"remote.example","pdus":[],"edus":[{"edu_type":"m.typing","content":{"typing":true}}]}"#;

fn name(s: &str) -> OwnedServerName {
    OwnedServerName::try_from(s).unwrap()
}

fn key_id(s: &str) -> KeyId {
    KeyId::parse(s).unwrap()
}

/// A fresh key from the system RNG (ed25519 keys are their 32-byte seed).
fn random_key(id: &str) -> ServerSigningKey {
    let mut seed = [0u8; 32];
    UnwrapErr(getrandom::SysRng).fill_bytes(&mut seed);
    ServerSigningKey::from_seed(key_id(id), &seed)
}

struct Peer {
    key: ServerSigningKey,
    keys: KeyRing,
    policy: XMatrixPolicy,
}

/// `remote.example` with a random key, and us (`tim.example`) knowing it, valid for a day.
fn peer() -> Peer {
    let key = random_key("ed25519:a_1");
    let mut keys = KeyRing::new();
    let valid_until = (NOW.as_secs() + 86_400) * 1000;
    keys.insert(
        name("remote.example"),
        key.key_id().clone(),
        PublishedKey::new(key.verify_key(), valid_until, NOW),
    );
    Peer {
        key,
        keys,
        policy: XMatrixPolicy::new(name("tim.example")),
    }
}

fn signed(peer: &Peer, head: &RequestHead<'_>) -> String {
    sign_request(head, &name("remote.example"), &name("tim.example"), &peer.key)
        .unwrap()
        .to_string()
}

fn verify(peer: &Peer, head: &RequestHead<'_>, header: &str) -> Result<Verification, XMatrixError> {
    verify_request(head, &XMatrix::parse(header)?, &peer.policy, &peer.keys, NOW)
}

fn verified(v: Result<Verification, XMatrixError>) -> VerifiedOrigin {
    match v {
        Ok(Verification::Verified(origin)) => origin,
        other => panic!("expected Verified, got {other:?}"),
    }
}

fn malformed(header: &str) -> HeaderErrorKind {
    match XMatrix::parse(header) {
        Err(XMatrixError::MalformedHeader { kind, .. }) => kind,
        other => panic!("expected MalformedHeader for {header:?}, got {other:?}"),
    }
}

const SIG: &str = "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ";

#[test]
fn sign_parse_verify_round_trip() {
    let peer = peer();
    let head = RequestHead::new("PUT", SEND).with_body(BODY);
    let header = signed(&peer, &head);
    assert!(
        header.starts_with(r#"X-Matrix origin="remote.example",destination="tim.example",key="ed25519:a_1",sig=""#)
    );
    let v = verified(verify(&peer, &head, &header));
    assert_eq!(v.origin(), "remote.example");
    assert_eq!(v.key_id().version(), "a_1");
    assert_eq!(*v.content().unwrap().get("origin").unwrap(), "remote.example");

    let get = RequestHead::new(
        "GET",
        "/_matrix/federation/v1/query/profile?user_id=%40a%3Aremote.example",
    );
    let v = verified(verify(&peer, &get, &signed(&peer, &get)));
    assert!(v.content().is_none());
}

#[test]
fn the_body_is_compared_as_canonical_json_not_as_bytes() {
    let peer = peer();
    let head = RequestHead::new("PUT", SEND).with_body(BODY);
    let header = signed(&peer, &head);
    let reformatted = br#"{ "edus" : [ {"content": {"typing": true}, "edu_type": "m.typing"} ],
        "pdus": [], "origin": "remote.example" }"#;
    verified(verify(&peer, &head.with_body(reformatted), &header));
    // An empty body is no body.
    let get = RequestHead::new("GET", "/_matrix/federation/v1/version");
    verified(verify(&peer, &get.with_body(b""), &signed(&peer, &get)));
}

#[test]
fn header_grammar_accepts_what_the_spec_allows() {
    let want = XMatrix::new(
        name("remote.example:8448"),
        name("tim.example"),
        key_id("ed25519:k_1"),
        [0x2b; 64],
    );
    let sig = Base64Unpadded::encode_string(&[0x2b; 64]);
    let accepted = [
        // Synapse's form.
        format!(r#"X-Matrix origin="remote.example:8448",key="ed25519:k_1",sig="{sig}",destination="tim.example""#),
        // Unquoted values, colons allowed (spec: for old servers).
        format!("X-Matrix origin=remote.example:8448,destination=tim.example,key=ed25519:k_1,sig={sig}"),
        // Escapes in quoted strings, spaces and tabs around commas and `=`, any order and case.
        format!(
            concat!(
                "x-matrix   SIG=\"{sig}\" ,\t Key = \"ed25519:k\\_1\",",
                "destination=\"tim\\.example\" ,ORIGIN=\"remote.example:8448\""
            ),
            sig = sig
        ),
        // Padded base64, an unknown parameter, empty list elements, surrounding whitespace.
        format!(
            " X-Matrix ,origin=remote.example:8448,, destination=tim.example,key=ed25519:k_1,sig=\"{sig}==\",x=\"y\", "
        ),
    ];
    for header in &accepted {
        assert_eq!(XMatrix::parse(header).unwrap(), want, "{header}");
    }
    assert_eq!(XMatrix::parse(&want.to_string()).unwrap(), want);
    // IPv6 literals must be quoted: `[` is not a token character.
    let v6 = format!(r#"X-Matrix origin="[2001:db8::1]:8448",destination="tim.example",key="ed25519:k",sig="{sig}""#);
    assert_eq!(XMatrix::parse(&v6).unwrap().origin().host(), "[2001:db8::1]");
    assert_eq!(
        malformed(&v6.replace(r#""[2001:db8::1]:8448""#, "[2001:db8::1]:8448")),
        HeaderErrorKind::Syntax
    );
}

#[test]
fn header_grammar_refuses_the_rest() {
    use HeaderErrorKind as K;
    let ok = format!("X-Matrix origin=a.example,destination=b.example,key=ed25519:1,sig=\"{SIG}\"");
    let sig_param = format!("sig=\"{SIG}\"");
    assert!(XMatrix::parse(&ok).is_ok());
    let cases: Vec<(String, HeaderErrorKind)> = vec![
        (
            ok.replace("origin=a.example", "origin=a.example,Origin=c.example"),
            K::DuplicateParam(Param::Origin),
        ),
        (ok.replace("sig=", "sig=x,sig="), K::DuplicateParam(Param::Sig)),
        (ok.replace("origin=a.example,", ""), K::MissingParam(Param::Origin)),
        (ok.replace("key=ed25519:1,", ""), K::MissingParam(Param::Key)),
        (ok.replace(&format!(",{sig_param}"), ""), K::MissingParam(Param::Sig)),
        (ok.replace("ed25519:1", "ed25519:"), K::BadKeyId),
        (ok.replace("ed25519:1", "curve25519:1"), K::BadKeyId),
        (ok.replace("ed25519:1", "\"ed25519:a-b\""), K::BadKeyId),
        (ok.replace("ed25519:1", "ED25519:1"), K::BadKeyId),
        (
            ok.replace("a.example", "\"a example\""),
            K::BadServerName(Param::Origin),
        ),
        (
            ok.replace("a.example", "a.example:+80"),
            K::BadServerName(Param::Origin),
        ),
        (
            ok.replace("a.example", "a.example:70000"),
            K::BadServerName(Param::Origin),
        ),
        (
            ok.replace("b.example", "\"b_example\""),
            K::BadServerName(Param::Destination),
        ),
        (ok.replace(SIG, &SIG[..40]), K::BadSignatureEncoding),
        (ok.replace(&sig_param, &format!("sig={SIG}")), K::Syntax),
        (ok.replace(SIG, &SIG.replace('+', "-")), K::BadSignatureEncoding),
        (ok.replace(SIG, &format!("{SIG}A")), K::BadSignatureEncoding),
        (ok.replace("X-Matrix", "Bearer"), K::NotXMatrix),
        (ok.replace("X-Matrix ", "X-Matrix,"), K::NotXMatrix),
        ("X-Matrix".to_owned(), K::NotXMatrix),
        (ok.replace("origin=a.example", "origin=\"a.example"), K::Syntax),
        (ok.replace(&sig_param, "sig=\"abc"), K::UnterminatedQuote),
        (ok.replace(&sig_param, "sig=\"abc\\"), K::UnterminatedQuote),
        (ok.replace("origin=a.example", "origin="), K::Syntax),
        (ok.replace("origin=a.example", "origin=\"\""), K::Syntax),
        (ok.replace("origin=a.example", "origin a.example"), K::Syntax),
        (ok.replace("origin=a.example", "=a.example"), K::Syntax),
        (ok.replace(",destination", " destination"), K::Syntax),
        (ok.replace("a.example", "\"ä.example\""), K::BadCharacter),
        (ok.replace("a.example", "\"a.exa\u{7f}mple\""), K::BadCharacter),
        (ok.replace(",destination", ",,,,,,,,destination"), K::TooManyParams),
        (format!("{ok},{}", "x=\"y\",".repeat(5)), K::TooManyParams),
        (format!("{ok},x=\"{}\"", "y".repeat(MAX_HEADER_LEN)), K::TooLong),
    ];
    for (header, kind) in cases {
        assert_eq!(malformed(&header), kind, "{header}");
    }
    // MSC3383: no destination is its own refusal.
    let old = ok.replace("destination=b.example,", "");
    assert_eq!(XMatrix::parse(&old).unwrap_err(), XMatrixError::MissingDestination);
    // The position points at the offending value.
    let err = XMatrix::parse(&ok.replace("ed25519:1", "ed25519:!")).unwrap_err();
    assert_eq!(
        err,
        XMatrixError::MalformedHeader {
            kind: K::BadKeyId,
            at: ok.find("ed25519").unwrap()
        }
    );
    // Exactly at the limit is fine.
    let padded = format!("{ok},x={}", "y".repeat(MAX_HEADER_LEN - ok.len() - 3));
    assert_eq!(padded.len(), MAX_HEADER_LEN);
    assert!(XMatrix::parse(&padded).is_ok());
}

#[test]
fn tampering_is_refused_with_the_specific_error() {
    let peer = peer();
    let head = RequestHead::new("PUT", SEND).with_body(BODY);
    let header = signed(&peer, &head);
    let bad = |head: RequestHead<'_>, header: &str| verify(&peer, &head, header).unwrap_err();

    assert_eq!(
        bad(RequestHead { method: "POST", ..head }, &header),
        XMatrixError::BadSignature
    );
    assert_eq!(
        bad(
            RequestHead {
                uri: "/_matrix/federation/v1/send/2",
                ..head
            },
            &header
        ),
        XMatrixError::BadSignature
    );
    assert_eq!(
        bad(
            RequestHead {
                uri: &format!("{SEND}?x=1"),
                ..head
            },
            &header
        ),
        XMatrixError::BadSignature
    );
    let other_body = br#"{"origin":"remote.example","pdus":[],"edus":[]}"#;
    assert_eq!(bad(head.with_body(other_body), &header), XMatrixError::BadSignature);
    assert_eq!(
        bad(RequestHead { body: None, ..head }, &header),
        XMatrixError::BadSignature
    );

    // Destination: another server is refused before any crypto; our own name in another case is accepted as
    // ours but was not what the sender signed.
    let elsewhere = header.replace("destination=\"tim.example\"", "destination=\"evil.example\"");
    assert_eq!(bad(head, &elsewhere), XMatrixError::WrongDestination);
    let ported = header.replace("destination=\"tim.example\"", "destination=\"tim.example:8448\"");
    assert_eq!(bad(head, &ported), XMatrixError::WrongDestination);
    let upper = header.replace("destination=\"tim.example\"", "destination=\"TIM.example\"");
    assert_eq!(bad(head, &upper), XMatrixError::BadSignature);

    // Origin: even with the same key published for the other name, the origin is part of what was signed.
    let mut keys = peer.keys.clone();
    keys.insert(
        name("other.example"),
        key_id("ed25519:a_1"),
        PublishedKey::new(peer.key.verify_key(), u64::MAX, NOW),
    );
    let moved = XMatrix::parse(&header.replace("origin=\"remote.example\"", "origin=\"other.example\"")).unwrap();
    let err = verify_request(&head, &moved, &peer.policy, &keys, NOW).unwrap_err();
    assert_eq!(err, XMatrixError::BadSignature);

    // Signature bits and the key id.
    let mut sig = *XMatrix::parse(&header).unwrap().signature();
    sig[10] ^= 1;
    let flipped = XMatrix::new(name("remote.example"), name("tim.example"), key_id("ed25519:a_1"), sig);
    let err = verify_request(&head, &flipped, &peer.policy, &peer.keys, NOW).unwrap_err();
    assert_eq!(err, XMatrixError::BadSignature);
    let other_key = random_key("ed25519:a_1");
    let forged = sign_request(&head, &name("remote.example"), &name("tim.example"), &other_key).unwrap();
    assert_eq!(bad(head, &forged.to_string()), XMatrixError::BadSignature);
}

#[test]
fn bodies_must_be_small_json_objects() {
    let peer = peer();
    let head = RequestHead::new("PUT", SEND).with_body(BODY);
    let header = signed(&peer, &head);
    let small = XMatrixPolicy::new(name("tim.example")).with_max_body(BODY.len() - 1);
    let parsed = XMatrix::parse(&header).unwrap();
    let err = verify_request(&head, &parsed, &small, &peer.keys, NOW).unwrap_err();
    assert_eq!(
        err,
        XMatrixError::BodyTooLarge {
            len: BODY.len(),
            max: BODY.len() - 1
        }
    );
    let exact = small.with_max_body(BODY.len());
    assert!(matches!(
        verify_request(&head, &parsed, &exact, &peer.keys, NOW),
        Ok(Verification::Verified(_))
    ));

    for body in [
        &b"[]"[..],
        b"\"x\"",
        b"{",
        b"{} x",
        br#"{"a":1.5}"#,
        br#"{"a":9007199254740992}"#,
        b"\xff",
        // A member given twice: which one counts would depend on the reader.
        br#"{"membership":"invite","membership":"join"}"#,
        br#"{"content":{"a":1,"a":2}}"#,
    ] {
        assert_eq!(
            verify(&peer, &head.with_body(body), &header).unwrap_err(),
            XMatrixError::BodyNotJson,
            "{body:?}"
        );
        let err = sign_request(&head.with_body(body), &name("a.example"), &name("b.example"), &peer.key);
        assert_eq!(err.unwrap_err(), XMatrixError::BodyNotJson);
    }
}

#[test]
fn unknown_keys_ask_the_daemon_to_fetch_them() {
    let mut peer = peer();
    let head = RequestHead::new("GET", "/_matrix/federation/v1/version");
    let rotated = random_key("ed25519:a_2");
    let header = sign_request(&head, &name("remote.example"), &name("tim.example"), &rotated)
        .unwrap()
        .to_string();
    let request = match verify(&peer, &head, &header).unwrap() {
        Verification::NeedKeys(request) => request,
        other => panic!("expected NeedKeys, got {other:?}"),
    };
    assert_eq!(request.origin(), "remote.example");
    assert_eq!(request.key_id().as_str(), "ed25519:a_2");
    assert_eq!(request.clone().refuse(), XMatrixError::UnknownKey);
    // The daemon fetched /_matrix/key/v2/server and retries.
    let fetched = PublishedKey::new(
        VerifyKey::from_base64(&rotated.verify_key().to_base64()).unwrap(),
        u64::MAX,
        NOW,
    );
    peer.keys
        .insert(request.origin().to_owned(), request.key_id().clone(), fetched);
    verified(verify(&peer, &head, &header));
}

#[test]
fn expired_keys_are_refused() {
    let mut peer = peer();
    let head = RequestHead::new("GET", "/_matrix/federation/v1/version");
    let header = signed(&peer, &head);
    let at = |ms| PublishedKey::new(peer.key.verify_key(), ms, UnixTime::from_secs(NOW.as_secs() - 3600));
    let (expired, valid) = (at(NOW.as_secs() * 1000), at(NOW.as_secs() * 1000 + 1));
    peer.keys.insert(name("remote.example"), key_id("ed25519:a_1"), expired);
    assert_eq!(verify(&peer, &head, &header).unwrap_err(), XMatrixError::KeyExpired);
    peer.keys.insert(name("remote.example"), key_id("ed25519:a_1"), valid);
    verified(verify(&peer, &head, &header));
    // valid_until_ts far in the future counts only up to 7 days after the fetch.
    let old_fetch = PublishedKey::new(
        peer.key.verify_key(),
        u64::MAX,
        UnixTime::from_secs(NOW.as_secs() - 8 * 86_400),
    );
    peer.keys
        .insert(name("remote.example"), key_id("ed25519:a_1"), old_fetch);
    assert_eq!(verify(&peer, &head, &header).unwrap_err(), XMatrixError::KeyExpired);
}

/// Known answer from an independent implementation (mxisd's `SignatureManagerTest::onFederationHeader`): a
/// GET request signed by `synapse.local.kamax.io` for `mxhsd.local.kamax.io:8447`.
#[test]
fn known_answer_from_an_independent_implementation() {
    let seed: [u8; 32] = Base64Unpadded::decode_vec("1QblgjFeL3IxoY4DKOR7p5mL5sQTC0ChmeMJlqb4d5M")
        .unwrap()
        .try_into()
        .unwrap();
    let key = ServerSigningKey::from_seed(key_id("ed25519:0"), &seed);
    let head = RequestHead::new(
        "GET",
        "/_matrix/federation/v1/query/directory?room_alias=%23a%3Amxhsd.local.kamax.io%3A8447",
    );
    let (origin, ours) = (name("synapse.local.kamax.io"), name("mxhsd.local.kamax.io:8447"));
    let sig = "SEMGSOJEsoalrBfHqPO2QrSlbLaUYLHLk4e3q4IJ2JbgvCynT1onp7QF1U4Sl3G3NzybrgdnVvpqcaEgV0WPCw";
    let signed = sign_request(&head, &origin, &ours, &key).unwrap();
    assert_eq!(Base64Unpadded::encode_string(signed.signature()), sig);
    let header = format!(r#"X-Matrix origin="{origin}",key="ed25519:0",sig="{sig}",destination="{ours}""#);
    let mut keys = KeyRing::new();
    keys.insert(
        origin.clone(),
        key_id("ed25519:0"),
        PublishedKey::new(key.verify_key(), u64::MAX, NOW),
    );
    let policy = XMatrixPolicy::new(ours);
    verified(verify_request(
        &head,
        &XMatrix::parse(&header).unwrap(),
        &policy,
        &keys,
        NOW,
    ));
}

/// The spec's signing key (appendix "Signing JSON": seed `YJDBA9…`, public key `XGX0JRS…`; the spec prints the
/// seed ending in `XA1`, whose last two bits a strict decoder refuses, so ruma and we write `XA0`) and a self-made
/// answer for a request with a body.
#[test]
fn known_answer_with_the_spec_key_and_a_body() {
    let seed: [u8; 32] = Base64Unpadded::decode_vec("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0")
        .unwrap()
        .try_into()
        .unwrap();
    let key = ServerSigningKey::from_seed(key_id("ed25519:1"), &seed);
    assert_eq!(
        key.verify_key().to_base64(),
        "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"
    );
    let head = RequestHead::new("PUT", "/_matrix/federation/v1/send/1").with_body(br#"{"two":"Two","one":1}"#);
    let json = head.signing_json(&name("domain"), &name("tim.example")).unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"content":{"one":1,"two":"Two"},"destination":"tim.example","#,
            r#""method":"PUT","origin":"domain","uri":"/_matrix/federation/v1/send/1"}"#
        )
    );
    let signed = sign_request(&head, &name("domain"), &name("tim.example"), &key).unwrap();
    assert_eq!(signed.to_string(), SELF_MADE_HEADER);
}

/// Self-made; cross-checked once outside Rust: Python `json.dumps(obj, ensure_ascii=False, separators=(",", ":"),
/// sort_keys=True)` (how Synapse's signedjson canonicalizes) signed with the `cryptography` package's Ed25519.
const SELF_MADE_HEADER: &str = concat!(
    r#"X-Matrix origin="domain",destination="tim.example",key="ed25519:1","#,
    r#"sig="P8u4TrlJ8qJMFqH89SbUtSj+UD5VAN1nzYhacoAZtqrJZLIhQfuguU1MDNTyAwWLuTKHgbA6wbrGOr20k0KZCw""#
);

fn federation(domains: &[&str], confirmed_at: UnixTime) -> FederationState {
    let entries = domains.iter().map(|d| DomainEntry::new(*d)).collect();
    FederationState::with_list(
        FederationList::new(1, DomainForm::Clear, entries).unwrap(),
        confirmed_at,
        DEFAULT_MAX_AGE,
    )
}

#[test]
fn authorize_admits_only_listed_origins() {
    let peer = peer();
    let head = RequestHead::new("PUT", SEND).with_body(BODY);
    let header = XMatrix::parse(&signed(&peer, &head)).unwrap();
    let auth = |fed: &FederationState, now| authorize(&head, &header, &peer.policy, &peer.keys, fed, now);

    let listed = federation(&["remote.example", "tim.example"], NOW);
    assert_eq!(verified(auth(&listed, NOW)).origin(), "remote.example");
    assert_eq!(
        auth(&federation(&["tim.example"], NOW), NOW).unwrap_err(),
        XMatrixError::NotListed
    );
    let stale_at = NOW.plus(DEFAULT_MAX_AGE + 1);
    assert_eq!(
        auth(&listed, stale_at).unwrap_err(),
        XMatrixError::ListStale {
            age_secs: DEFAULT_MAX_AGE + 1
        }
    );
    assert_eq!(
        auth(&FederationState::new(DEFAULT_MAX_AGE), NOW).unwrap_err(),
        XMatrixError::NoList
    );

    // An unlisted origin is refused before its keys are looked up: no key fetch for strangers.
    let stranger = XMatrix::new(
        name("stranger.example"),
        name("tim.example"),
        key_id("ed25519:x"),
        [0; 64],
    );
    let err = authorize(&head, &stranger, &peer.policy, &peer.keys, &listed, NOW).unwrap_err();
    assert_eq!(err, XMatrixError::NotListed);
    // A listed origin with a port is matched by its domain; a wrong destination is refused first.
    let ported = XMatrix::new(
        name("remote.example:8448"),
        name("tim.example"),
        key_id("ed25519:x"),
        [0; 64],
    );
    let v = authorize(&head, &ported, &peer.policy, &peer.keys, &listed, NOW).unwrap();
    assert!(matches!(v, Verification::NeedKeys(_)));
    let wrong = XMatrix::new(
        name("stranger.example"),
        name("evil.example"),
        key_id("ed25519:x"),
        [0; 64],
    );
    let err = authorize(&head, &wrong, &peer.policy, &peer.keys, &listed, NOW).unwrap_err();
    assert_eq!(err, XMatrixError::WrongDestination);
}

#[test]
fn outbound_requests_go_only_to_listed_destinations() {
    let policy = XMatrixPolicy::new(name("tim.example"));
    let fed = federation(&["remote.example"], NOW);
    let out = |origin: &str, destination: &str| {
        let header = XMatrix::new(name(origin), name(destination), key_id("ed25519:a"), [0; 64]);
        authorize_outbound(&header, &policy, &fed, NOW)
    };
    assert_eq!(out("tim.example", "remote.example:8448"), Ok(()));
    assert_eq!(out("Tim.Example", "remote.example"), Ok(()));
    assert_eq!(out("tim.example", "stranger.example"), Err(XMatrixError::NotListed));
    assert_eq!(out("remote.example", "remote.example"), Err(XMatrixError::OriginNotUs));
}

#[test]
fn refusals_never_echo_peer_data() {
    let peer = peer();
    let head = RequestHead::new("PUT", SEND).with_body(BODY);
    let header = signed(&peer, &head).replace("remote.example", "peer-secret.example");
    let mut errors = vec![verify(&peer, &head, &header.replace("tim.example", "peer-secret.example")).unwrap_err()];
    errors.push(verify(&peer, &head.with_body(b"{\"peer-secret\":1.5}"), &header).unwrap_err());
    errors.push(XMatrix::parse(&header.replace("ed25519:a_1", "ed25519:peer-secret")).unwrap_err());
    errors.push(XMatrix::parse(&header.replace("peer-secret.example", "peer-secret!")).unwrap_err());
    for e in errors {
        let reply = e.matrix_error();
        for text in [e.to_string(), reply.error.to_owned()] {
            assert!(!text.contains("secret") && !text.contains("example"), "{text}");
        }
        assert!(matches!(
            (reply.status, reply.errcode),
            (401, "M_UNAUTHORIZED") | (400, "M_NOT_JSON")
        ));
    }
}

fn arb_server_name() -> impl Strategy<Value = OwnedServerName> {
    let host = prop_oneof![
        4 => "[a-zA-Z0-9]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?(\\.[a-zA-Z0-9-]{1,10}){0,3}",
        1 => any::<[u8; 4]>().prop_map(|o| format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3])),
        1 => any::<[u16; 8]>().prop_map(|s| format!("[{}]", std::net::Ipv6Addr::from(s))),
    ];
    (host, proptest::option::of(any::<u16>())).prop_map(|(h, port)| match port {
        Some(p) => name(&format!("{h}:{p}")),
        None => name(&h),
    })
}

fn arb_body() -> impl Strategy<Value = Option<Vec<u8>>> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(serde_json::Value::from),
        (-(1i64 << 53) + 1..(1i64 << 53)).prop_map(serde_json::Value::from),
        ".*".prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(".*", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    proptest::option::of(
        proptest::collection::btree_map(".*", value, 0..5)
            .prop_map(|m| serde_json::to_vec_pretty(&m.into_iter().collect::<serde_json::Map<_, _>>()).unwrap()),
    )
}

proptest! {
    #[test]
    fn any_signed_request_verifies(
        method in "[A-Z]{1,10}",
        uri in "/[!-~]{0,80}",
        body in arb_body(),
        origin in arb_server_name(),
        ours in arb_server_name(),
        seed in any::<[u8; 32]>(),
        version in "[A-Za-z0-9_]{1,12}",
    ) {
        let key = ServerSigningKey::from_seed(key_id(&format!("ed25519:{version}")), &seed);
        let head = RequestHead { method: &method, uri: &uri, body: body.as_deref() };
        let header = sign_request(&head, &origin, &ours, &key).unwrap().to_string();
        let parsed = XMatrix::parse(&header).unwrap();
        prop_assert_eq!(parsed.origin(), &*origin);
        prop_assert_eq!(parsed.to_string(), header);
        let mut keys = KeyRing::new();
        keys.insert(origin.clone(), key.key_id().clone(), PublishedKey::new(key.verify_key(), u64::MAX, NOW));
        let policy = XMatrixPolicy::new(ours.clone());
        let v = verify_request(&head, &parsed, &policy, &keys, NOW).unwrap();
        prop_assert!(matches!(v, Verification::Verified(ref o) if o.origin() == &*origin));
        // The same request for another destination does not verify here.
        let elsewhere: &ServerName = &name("elsewhere.invalid");
        let moved = sign_request(&head, &origin, elsewhere, &key).unwrap();
        let refused = verify_request(&head, &moved, &policy, &keys, NOW).unwrap_err();
        prop_assert_eq!(refused, XMatrixError::WrongDestination);
    }
}
