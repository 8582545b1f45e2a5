//! OpenSSL as an independent ES256 implementation: tokens we issue verify with `openssl dgst -verify`
//! (signature converted to DER), and signatures OpenSSL makes over a signing input verify here.

use std::process::Command;

use base64ct::{Base64UrlUnpadded, Encoding};
use tiwire_passport::{Passport, VerifyPolicy};
use tiwire_pki::RUST_CRYPTO;

use crate::fixture;

fn der_int(b: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = b.iter().skip_while(|x| **x == 0).copied().collect();
    if v.first().is_none_or(|x| x & 0x80 != 0) {
        v.insert(0, 0);
    }
    let mut out = vec![2, v.len() as u8];
    out.extend(v);
    out
}

pub(crate) fn rs_to_der(rs: &[u8]) -> Vec<u8> {
    let mut body = der_int(&rs[..32]);
    body.extend(der_int(&rs[32..]));
    let mut der = vec![0x30, body.len() as u8];
    der.extend(body);
    der
}

fn der_to_rs(der: &[u8]) -> Vec<u8> {
    // SEQUENCE { INTEGER r, INTEGER s }, short lengths (P-256).
    let mut out = Vec::new();
    let mut i = 2;
    for _ in 0..2 {
        let len = der[i + 1] as usize;
        let int = &der[i + 2..i + 2 + len];
        let int = &int[int.len().saturating_sub(32)..];
        out.extend(std::iter::repeat_n(0u8, 32 - int.len()));
        out.extend(int);
        i += 2 + len;
    }
    out
}

fn openssl(args: &[&str], dir: &std::path::Path) -> (bool, String) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// `openssl dgst` checking `sig.der` over `input` with `pub.pem`.
const DGST_VERIFY: [&str; 7] = [
    "dgst",
    "-sha256",
    "-verify",
    "pub.pem",
    "-signature",
    "sig.der",
    "input",
];

#[test]
fn tokens_we_issue_verify_with_openssl() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("signer.pem"), f.signer.certificate.to_pem()).unwrap();
    let (ok, _) = openssl(
        &["x509", "-in", "signer.pem", "-pubkey", "-noout", "-out", "pub.pem"],
        d,
    );
    assert!(ok);
    let token = f.token();
    let (input, sig) = token.rsplit_once('.').unwrap();
    std::fs::write(d.join("input"), input).unwrap();
    std::fs::write(
        d.join("sig.der"),
        rs_to_der(&Base64UrlUnpadded::decode_vec(sig).unwrap()),
    )
    .unwrap();
    let (ok, text) = openssl(&DGST_VERIFY, d);
    assert!(ok && text.contains("Verified OK"), "{text}");
    // And a changed input does not.
    std::fs::write(d.join("input"), format!("{input}x")).unwrap();
    let (ok, _) = openssl(&DGST_VERIFY, d);
    assert!(!ok);
}

#[test]
fn tokens_openssl_signs_verify_here() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("key.pem"), f.signer.key.to_pkcs8_pem().unwrap().as_str()).unwrap();
    let token = f.token();
    let (input, _) = token.rsplit_once('.').unwrap();
    std::fs::write(d.join("input"), input).unwrap();
    for _ in 0..4 {
        // OpenSSL's ECDSA is randomized: each signature differs, each must verify.
        let (ok, text) = openssl(&["dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "input"], d);
        assert!(ok, "{text}");
        let rs = der_to_rs(&std::fs::read(d.join("sig.der")).unwrap());
        let theirs = format!("{input}.{}", Base64UrlUnpadded::encode_string(&rs));
        assert_ne!(theirs, token);
        Passport::parse(&theirs)
            .unwrap()
            .verify(
                &f.chain(),
                &f.anchors,
                f.pki.now(),
                &VerifyPolicy::default(),
                &RUST_CRYPTO,
            )
            .unwrap();
    }
}
