//! Real gematik material from `shared/specs/ti-messenger/federation-list-samples/` (TEST-ONLY signer).

use base64ct::{Base64UrlUnpadded, Encoding};
use tiwire_pki::crypto::CryptoProvider;
use tiwire_pki::{
    CertType, Certificate, KeyAlgorithm, RUST_CRYPTO, Role, SignatureAlgorithm, SignatureError, UnixTime,
};

const SIGNER_PEM: &str = include_str!(
    "../../../../../shared/specs/ti-messenger/federation-list-samples/signed-bp256r1-current/VZD-FHIR-FList-Signer_TEST-ONLY.pem"
);
const FEDERATION_LIST_JWS: &str = include_str!(
    "../../../../../shared/specs/ti-messenger/federation-list-samples/signed-bp256r1-current/federationList.jws"
);

#[test]
fn parses_the_real_brainpool_signer_certificate() {
    let cert = Certificate::from_pem(SIGNER_PEM).unwrap();
    assert_eq!(cert.common_name().as_deref(), Some("VZD-FHIR-FList-Signer"));
    assert_eq!(cert.serial_hex(), "6c06");
    assert_eq!(cert.cert_types(), vec![CertType::FdSig]);
    assert_eq!(cert.roles(), vec![Role::VzdTi]);
    assert_eq!(cert.telematik_id(), None);
    assert_eq!(cert.public_key().unwrap().algorithm, KeyAlgorithm::EcBrainpoolP256r1);
    assert_eq!(cert.signature_algorithm(), Ok(SignatureAlgorithm::EcdsaSha256));
    assert_eq!(cert.not_before().to_string(), "2023-01-25T10:43:56Z");
    assert_eq!(cert.not_after().to_string(), "2028-01-24T10:43:55Z");
    assert_eq!(
        cert.ocsp_urls(),
        ["http://ocsp2-testref.komp-ca.telematik-test/ocsp/ec"]
    );
    assert!(cert.has_key_usage(tiwire_pki::KeyUsages::DigitalSignature));
    assert!(!cert.is_ca());
    assert!(cert.is_valid_at(UnixTime::from_secs(1_767_225_600)));
    assert!(cert.issuer().to_string().contains("GEM.KOMP-CA50 TEST-ONLY"));
    assert_eq!(cert.fingerprint_display().len(), 32 * 3 - 1);
}

fn split(jws: &str) -> (&str, Vec<u8>) {
    let jws = jws.trim();
    let dot = jws.rfind('.').unwrap();
    (&jws[..dot], Base64UrlUnpadded::decode_vec(&jws[dot + 1..]).unwrap())
}

/// The first real-world brainpool check: the signed federation list verifies with the certificate that its
/// `x5c` carries (alg `BP256R1`, r‖s over the received segments).
#[test]
fn verifies_the_real_signed_federation_list() {
    let cert = Certificate::from_pem(SIGNER_PEM).unwrap();
    let (signing_input, signature) = split(FEDERATION_LIST_JWS);
    assert_eq!(signature.len(), 64);
    RUST_CRYPTO
        .verify(
            SignatureAlgorithm::EcdsaSha256Fixed,
            cert.public_key().unwrap(),
            signing_input.as_bytes(),
            &signature,
        )
        .unwrap();

    // x5c[0] of the header is the same certificate.
    let header = Base64UrlUnpadded::decode_vec(signing_input.split('.').next().unwrap()).unwrap();
    let header = String::from_utf8(header).unwrap();
    let x5c = header.split("\"x5c\":[\"").nth(1).unwrap().split('"').next().unwrap();
    let der = base64ct::Base64::decode_vec(x5c).unwrap();
    assert_eq!(Certificate::from_der(&der).unwrap(), cert);

    // One changed byte of the payload, or a DER signature where r‖s is expected, fails.
    let mut tampered = signing_input.as_bytes().to_vec();
    let last = tampered.len() - 10;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        RUST_CRYPTO.verify(
            SignatureAlgorithm::EcdsaSha256Fixed,
            cert.public_key().unwrap(),
            &tampered,
            &signature
        ),
        Err(SignatureError::Invalid)
    );
    assert_eq!(
        RUST_CRYPTO.verify(
            SignatureAlgorithm::EcdsaSha256,
            cert.public_key().unwrap(),
            signing_input.as_bytes(),
            &signature
        ),
        Err(SignatureError::MalformedSignature)
    );
}

/// RFC 7515 Appendix A.3 (ES256) as the P-256 oracle.
#[test]
fn rfc7515_a3_es256() {
    let jws = include_str!("../vectors/rfc7515-a3.jws");
    let jwk = include_str!("../vectors/rfc7515-a3.jwk");
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
    let mut point = vec![0x04];
    point.extend(field("x"));
    point.extend(field("y"));
    let key = tiwire_pki::PublicKeyRef {
        algorithm: KeyAlgorithm::EcP256,
        key: &point,
    };
    let (signing_input, signature) = split(jws);
    RUST_CRYPTO
        .verify(
            SignatureAlgorithm::EcdsaSha256Fixed,
            key,
            signing_input.as_bytes(),
            &signature,
        )
        .unwrap();
    let wrong_curve = tiwire_pki::PublicKeyRef {
        algorithm: KeyAlgorithm::EcBrainpoolP256r1,
        key: &point,
    };
    assert!(
        RUST_CRYPTO
            .verify(
                SignatureAlgorithm::EcdsaSha256Fixed,
                wrong_curve,
                signing_input.as_bytes(),
                &signature
            )
            .is_err()
    );
}
