//! The negative table: crafted tokens, each refused with a typed error and none panicking.

use base64ct::{Base64UrlUnpadded, Encoding};
use tiwire_passport::{CertificateProblem, Malformed, Part, Passport, PassportError, Unsupported, VerifyPolicy};
use tiwire_pki::{RUST_CRYPTO, SignatureAlgorithm};

use crate::fixture;

fn b64(s: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(s)
}

/// A token over `header` and `claims` as given (bytes, not re-serialized), validly signed by the fixture's
/// signer, so that what fails is the rule under test.
fn craft(header: &[u8], claims: &[u8]) -> String {
    let input = format!("{}.{}", b64(header), b64(claims));
    let sig = fixture()
        .signer
        .key
        .sign_deterministic(SignatureAlgorithm::EcdsaSha256Fixed, input.as_bytes())
        .unwrap();
    format!("{input}.{}", b64(&sig))
}

const H: &[u8] = br#"{"alg":"ES256","typ":"passport","x5u":"https://tim.example.org/passport.pem"}"#;

fn claims(iat: &str, orig: &str, dest: &str) -> Vec<u8> {
    format!(r#"{{"dest":{dest},"iat":{iat},"orig":{orig}}}"#).into_bytes()
}

const ORIG: &str = r#"{"uri":"matrix:u/a:tim.example.org"}"#;
const DEST: &str = r#"{"uri":["matrix:u/b:tim.example.org"]}"#;

fn good_claims() -> Vec<u8> {
    claims(&fixture().pki.now().as_secs().to_string(), ORIG, DEST)
}

#[test]
fn the_negative_table() {
    let f = fixture();
    let good = f.token();
    let (h, rest) = good.split_once('.').unwrap();
    let (c, s) = rest.split_once('.').unwrap();
    let mut non_canonical_b64 = h.to_string();
    // The header ends in `…"}` = `…In0`; `In1` decodes to the same bytes with a non-zero trailing bit.
    assert!(non_canonical_b64.ends_with('0'));
    non_canonical_b64.pop();
    non_canonical_b64.push('1');
    let der_sig = b64(&crate::openssl::rs_to_der(&Base64UrlUnpadded::decode_vec(s).unwrap()));
    let now = f.pki.now().as_secs().to_string();
    let huge = "x".repeat(10 * 1024 * 1024);
    let nested = format!("{}{}", "[".repeat(300), "]".repeat(300));

    use Malformed as M;
    let table: Vec<(&str, String, PassportError)> = vec![
        ("empty", String::new(), M::Segments { found: 1 }.into()),
        ("two segments", format!("{h}.{c}"), M::Segments { found: 2 }.into()),
        ("four segments", format!("{good}.{s}"), M::Segments { found: 4 }.into()),
        ("detached claims", format!("{h}..{s}"), M::Detached.into()),
        ("padding", format!("{h}=.{c}.{s}"), M::Base64(Part::Header).into()),
        ("white space", format!("{h}.{c} .{s}"), M::Base64(Part::Claims).into()),
        (
            "standard base64 alphabet",
            format!("{h}.{c}.{}", s.replace('-', "+").replace('_', "/") + "+"),
            M::Base64(Part::Signature).into(),
        ),
        (
            "non-canonical trailing bits",
            format!("{non_canonical_b64}.{c}.{s}"),
            M::Base64(Part::Header).into(),
        ),
        (
            "header not UTF-8",
            craft(b"\xff\xfe", &good_claims()),
            M::Utf8(Part::Header).into(),
        ),
        (
            "header not JSON",
            craft(b"{alg:ES256}", &good_claims()),
            M::Json(Part::Header).into(),
        ),
        (
            "header an array",
            craft(b"[]", &good_claims()),
            M::NotAnObject(Part::Header).into(),
        ),
        (
            "duplicate header member",
            craft(
                br#"{"alg":"ES256","alg":"none","typ":"passport","x5u":"https://x.org/c"}"#,
                &good_claims(),
            ),
            M::DuplicateMember(Part::Header).into(),
        ),
        (
            "alg none",
            craft(
                br#"{"alg":"none","typ":"passport","x5u":"https://x.org/c"}"#,
                &good_claims(),
            ),
            Unsupported::Algorithm("none".into()).into(),
        ),
        (
            "alg HS256",
            craft(
                br#"{"alg":"HS256","typ":"passport","x5u":"https://x.org/c"}"#,
                &good_claims(),
            ),
            Unsupported::Algorithm("HS256".into()).into(),
        ),
        (
            "alg RS256",
            craft(
                br#"{"alg":"RS256","typ":"passport","x5u":"https://x.org/c"}"#,
                &good_claims(),
            ),
            Unsupported::Algorithm("RS256".into()).into(),
        ),
        (
            "alg ES384",
            craft(
                br#"{"alg":"ES384","typ":"passport","x5u":"https://x.org/c"}"#,
                &good_claims(),
            ),
            Unsupported::Algorithm("ES384".into()).into(),
        ),
        (
            "typ JWT",
            craft(
                br#"{"alg":"ES256","typ":"JWT","x5u":"https://x.org/c"}"#,
                &good_claims(),
            ),
            Unsupported::Type("JWT".into()).into(),
        ),
        (
            "no typ",
            craft(br#"{"alg":"ES256","x5u":"https://x.org/c"}"#, &good_claims()),
            M::Missing {
                part: Part::Header,
                name: "typ",
            }
            .into(),
        ),
        (
            "no x5u",
            craft(br#"{"alg":"ES256","typ":"passport"}"#, &good_claims()),
            M::Missing {
                part: Part::Header,
                name: "x5u",
            }
            .into(),
        ),
        (
            "x5u a number",
            craft(br#"{"alg":"ES256","typ":"passport","x5u":5}"#, &good_claims()),
            M::WrongType {
                part: Part::Header,
                name: "x5u",
            }
            .into(),
        ),
        (
            "ppt",
            craft(
                br#"{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://x.org/c"}"#,
                &good_claims(),
            ),
            Unsupported::Ppt.into(),
        ),
        (
            "crit",
            craft(
                br#"{"alg":"ES256","crit":["x"],"typ":"passport","x5u":"https://x.org/c","x":1}"#,
                &good_claims(),
            ),
            Unsupported::Crit.into(),
        ),
        (
            "claims not UTF-8",
            craft(H, b"{\"iat\":1,\xff}"),
            M::Utf8(Part::Claims).into(),
        ),
        (
            "claims nested 300 deep",
            craft(H, nested.as_bytes()),
            M::Json(Part::Claims).into(),
        ),
        (
            "duplicate orig",
            craft(
                H,
                format!(r#"{{"dest":{DEST},"iat":{now},"orig":{ORIG},"orig":{{"uri":"matrix:u/c:x.org"}}}}"#)
                    .as_bytes(),
            ),
            M::DuplicateMember(Part::Claims).into(),
        ),
        (
            "no iat",
            craft(H, format!(r#"{{"dest":{DEST},"orig":{ORIG}}}"#).as_bytes()),
            M::Missing {
                part: Part::Claims,
                name: "iat",
            }
            .into(),
        ),
        (
            "fractional iat",
            craft(H, &claims("1767225600.5", ORIG, DEST)),
            M::WrongType {
                part: Part::Claims,
                name: "iat",
            }
            .into(),
        ),
        (
            "negative iat",
            craft(H, &claims("-1", ORIG, DEST)),
            M::WrongType {
                part: Part::Claims,
                name: "iat",
            }
            .into(),
        ),
        (
            "huge iat",
            craft(H, &claims("99999999999999999999999999", ORIG, DEST)),
            M::WrongType {
                part: Part::Claims,
                name: "iat",
            }
            .into(),
        ),
        (
            "iat a string",
            craft(H, &claims("\"1767225600\"", ORIG, DEST)),
            M::WrongType {
                part: Part::Claims,
                name: "iat",
            }
            .into(),
        ),
        (
            "no orig",
            craft(H, format!(r#"{{"dest":{DEST},"iat":{now}}}"#).as_bytes()),
            M::Missing {
                part: Part::Claims,
                name: "orig",
            }
            .into(),
        ),
        (
            "orig with two identities",
            craft(H, &claims(&now, r#"{"tn":"491701234","uri":"matrix:u/a:x.org"}"#, DEST)),
            M::Identity("orig").into(),
        ),
        (
            "orig tn with letters",
            craft(H, &claims(&now, r#"{"tn":"+49 170 abc"}"#, DEST)),
            M::Identity("tn").into(),
        ),
        (
            "orig uri without scheme",
            craft(H, &claims(&now, r#"{"uri":"a:"}"#, DEST)),
            M::Identity("uri").into(),
        ),
        (
            "dest empty",
            craft(H, &claims(&now, ORIG, "{}")),
            M::Identity("dest").into(),
        ),
        (
            "dest uri not an array",
            craft(H, &claims(&now, ORIG, r#"{"uri":"matrix:u/b:x.org"}"#)),
            M::Identity("dest").into(),
        ),
        (
            "dest unknown type",
            craft(H, &claims(&now, ORIG, r#"{"jcd":["x"]}"#)),
            M::Identity("dest").into(),
        ),
        (
            "DER signature",
            format!("{h}.{c}.{der_sig}"),
            M::SignatureLength(70).into(),
        ),
        (
            "short signature",
            format!("{h}.{c}.{}", b64(&[1u8; 32])),
            M::SignatureLength(32).into(),
        ),
        (
            "10 MB",
            huge.clone(),
            M::TooLong {
                len: huge.len(),
                max: tiwire_passport::MAX_TOKEN_LEN,
            }
            .into(),
        ),
    ];
    assert!(table.len() >= 25);
    for (name, token, expected) in table {
        let got = Passport::parse(&token).map(|_| ());
        // DER signatures may be 70–72 bytes long; compare by kind there.
        match (&got, &expected) {
            (
                Err(PassportError::Malformed(M::SignatureLength(n))),
                PassportError::Malformed(M::SignatureLength(70)),
            ) => {
                assert!((68..=72).contains(n), "{name}: {got:?}")
            }
            _ => assert_eq!(got, Err(expected), "{name}"),
        }
        // Messages never echo long attacker input.
        if let Err(e) = Passport::parse(&token) {
            assert!(e.to_string().len() < 200, "{name}: {e}");
        }
    }
}

#[test]
fn verification_failures() {
    let f = fixture();
    let now = f.pki.now();
    let policy = VerifyPolicy::default();
    let verify = |token: &str, chain: &[tiwire_pki::Certificate]| {
        Passport::parse(token)
            .unwrap()
            .verify(chain, &f.anchors, now, &policy, &RUST_CRYPTO)
            .map(|_| ())
    };
    // A valid structure with somebody else's signature.
    let good = f.token();
    let (input, _) = good.rsplit_once('.').unwrap();
    let other = tiwire_pki::PrivateKey::generate(tiwire_pki::KeyAlgorithm::EcP256, &mut crate::rng()).unwrap();
    let forged_sig = other
        .sign_deterministic(SignatureAlgorithm::EcdsaSha256Fixed, input.as_bytes())
        .unwrap();
    assert_eq!(
        verify(&format!("{input}.{}", b64(&forged_sig)), &f.chain()),
        Err(PassportError::BadSignature)
    );
    // Claims changed after signing (another invitee), the signature kept.
    let (h, rest) = good.split_once('.').unwrap();
    let (_, sig) = rest.split_once('.').unwrap();
    let other_dest = claims(
        &now.as_secs().to_string(),
        ORIG,
        r#"{"uri":["matrix:u/c:tim.example.org"]}"#,
    );
    let tampered = format!("{h}.{}.{sig}", b64(&other_dest));
    assert_eq!(verify(&tampered, &f.chain()), Err(PassportError::BadSignature));
    // Signed by a certificate of the wrong type (the PKI's C.FD.SIG has role oid_vzd_ti, not oid_tim).
    let wrong_role = f.pki.leaf(tiwire_pki::CertType::FdSig);
    assert!(matches!(
        verify(&good, &f.pki.chain(wrong_role)),
        Err(PassportError::UntrustedCertificate(CertificateProblem::Path(
            tiwire_pki::PathError::WrongRole(_)
        )))
    ));
    // Strict mode refuses non-canonical JSON that lax mode accepts.
    let spaced = craft(
        H,
        format!(r#"{{ "dest":{DEST},"iat":{},"orig":{ORIG}}}"#, now.as_secs()).as_bytes(),
    );
    assert!(verify(&spaced, &f.chain()).is_ok());
    let strict = VerifyPolicy {
        strict: true,
        ..VerifyPolicy::default()
    };
    assert_eq!(
        Passport::parse(&spaced)
            .unwrap()
            .verify(&f.chain(), &f.anchors, now, &strict, &RUST_CRYPTO)
            .map(|_| ()),
        Err(Malformed::NotCanonical(Part::Claims).into())
    );
    // An x5u outside the policy is refused before anything is fetched.
    let http = craft(
        br#"{"alg":"ES256","typ":"passport","x5u":"http://tim.example.org/c"}"#,
        &good_claims(),
    );
    assert!(matches!(verify(&http, &f.chain()), Err(PassportError::X5uRefused(_))));
    // Unknown claims and header parameters are kept, not dropped.
    let extra = craft(
        br#"{"alg":"ES256","kid":"k1","typ":"passport","x5u":"https://tim.example.org/c"}"#,
        format!(
            r#"{{"attest":"A","dest":{DEST},"iat":{},"orig":{ORIG}}}"#,
            now.as_secs()
        )
        .as_bytes(),
    );
    let p = Passport::parse(&extra).unwrap();
    assert_eq!(
        p.claims().extra.get("attest"),
        Some(&serde_json::Value::String("A".into()))
    );
    assert_eq!(
        p.header().extra.get("kid"),
        Some(&serde_json::Value::String("k1".into()))
    );
}
