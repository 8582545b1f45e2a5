//! Interop with OpenSSL, a peer no one here wrote: `openssl verify` and `openssl x509 -text` on the test
//! PKI, `openssl ocsp` as a responder for our requests, and as a verifier of our responses.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tiwire_pki::ocsp::{self, CertIdHash, CertStatus, OcspRequest, ResponsePolicy, Signer};
use tiwire_pki::testpki::{TestPki, TestPkiOptions, Variant};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO, UnixTime};

use crate::rng;

fn openssl(args: &[&str], dir: &Path) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is installed");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn now() -> UnixTime {
    UnixTime::from_secs(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs())
}

/// A PKI valid around the real clock (OpenSSL checks validity against it), written to a directory.
fn written(alg: KeyAlgorithm, pss: bool) -> (TestPki, tempfile::TempDir) {
    let mut options = TestPkiOptions::new(alg).now(now());
    if alg == KeyAlgorithm::Rsa {
        options = options.leaf_types(&[CertType::NkVpn]);
    }
    if pss {
        options = options.rsa_pss();
    }
    let pki = TestPki::build(&options, &mut rng()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in pki.files().unwrap() {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    let cas = format!(
        "{}{}",
        pki.root().certificate.to_pem(),
        pki.component_ca().certificate.to_pem()
    );
    std::fs::write(dir.path().join("cas.pem"), cas).unwrap();
    (pki, dir)
}

#[test]
fn openssl_verifies_every_chain_and_shows_the_oids() {
    for (alg, pss) in [
        (KeyAlgorithm::EcBrainpoolP256r1, false),
        (KeyAlgorithm::EcP256, false),
        (KeyAlgorithm::Rsa, false),
        (KeyAlgorithm::Rsa, true),
    ] {
        let (pki, dir) = written(alg, pss);
        let d = dir.path();
        for (_, leaf) in pki.leaves() {
            let ca = if leaf.certificate.issuer() == pki.smcb_ca().certificate.subject() {
                "smcb-ca"
            } else {
                "komp-ca"
            };
            let (ok, out) = openssl(
                &[
                    "verify",
                    "-CAfile",
                    "root-ca.pem",
                    "-untrusted",
                    &format!("{ca}.pem"),
                    &format!("{}.pem", leaf.name),
                ],
                d,
            );
            assert!(ok, "{alg} pss={pss} {}: {out}", leaf.name);
        }
        let (ok, out) = openssl(
            &[
                "verify",
                "-CAfile",
                "root-ca.pem",
                "-untrusted",
                "komp-ca.pem",
                "expired-c-nk-vpn.pem",
            ],
            d,
        );
        assert!(!ok && out.contains("expired"), "{out}");

        let (ok, text) = openssl(&["x509", "-in", "c-nk-vpn.pem", "-noout", "-text"], d);
        assert!(ok);
        assert!(text.contains("1.2.276.0.76.4.80"), "type OID C.NK.VPN: {text}");
        assert!(text.contains("1.2.276.0.76.4.163"), "policy gem_or_cp");
        assert!(text.contains("Professional Information or basis for Admission"));
        assert!(text.contains("1.2.276.0.76.4.104"), "role oid_nk");
        if alg == KeyAlgorithm::EcBrainpoolP256r1 {
            assert!(text.contains("brainpoolP256r1"), "{text}");
        }
        if pss {
            assert!(text.contains("rsassaPss"), "{text}");
        }
    }
}

#[test]
fn openssl_shows_the_telematik_id() {
    let (_, dir) = written(KeyAlgorithm::EcP256, false);
    let (ok, text) = openssl(&["x509", "-in", "c-hci-osig.pem", "-noout", "-text"], dir.path());
    assert!(ok);
    assert!(text.contains("1-2-ARZT-tiwire-test-01"), "{text}");
    assert!(text.contains("1.2.276.0.76.4.50"), "{text}");
}

#[test]
fn openssl_reads_our_request() {
    let (pki, dir) = written(KeyAlgorithm::EcP256, false);
    let leaf = &pki.leaf(CertType::NkVpn).certificate;
    let req = OcspRequest::new(
        leaf,
        &pki.component_ca().certificate,
        CertIdHash::Sha1,
        Some(b"tiwire-nonce"),
    )
    .unwrap();
    std::fs::write(dir.path().join("req.der"), req.der()).unwrap();
    let (ok, text) = openssl(&["ocsp", "-reqin", "req.der", "-req_text", "-noverify"], dir.path());
    assert!(ok, "{text}");
    assert!(text.contains("OCSP Nonce"), "{text}");
    assert!(
        text.to_uppercase().contains(&leaf.serial_hex().to_uppercase()),
        "{text}"
    );
}

#[test]
fn openssl_verifies_our_responses() {
    for alg in [KeyAlgorithm::EcBrainpoolP256r1, KeyAlgorithm::EcP256, KeyAlgorithm::Rsa] {
        let (pki, dir) = written(alg, false);
        let d = dir.path();
        let t = now();
        for (file, expect) in [("c-nk-vpn", "good"), (Variant::Revoked.name(), "revoked")] {
            let cert = if file == "c-nk-vpn" {
                &pki.leaf(CertType::NkVpn).certificate
            } else {
                &pki.variant(Variant::Revoked).unwrap().certificate
            };
            let req =
                OcspRequest::new(cert, &pki.component_ca().certificate, CertIdHash::Sha1, Some(b"n0nce")).unwrap();
            let resp = pki.ocsp_respond(req.der(), t, &mut rng()).unwrap();
            std::fs::write(d.join("resp.der"), &resp).unwrap();
            let (ok, text) = openssl(
                &[
                    // With -cert openssl makes its own request; -no_nonce keeps it from comparing that request's
                    // nonce with ours (nonce interop: openssl_reads_our_request and the responder test).
                    "ocsp",
                    "-respin",
                    "resp.der",
                    "-no_nonce",
                    "-CAfile",
                    "cas.pem",
                    "-issuer",
                    "komp-ca.pem",
                    "-cert",
                    &format!("{file}.pem"),
                ],
                d,
            );
            assert!(ok, "{alg} {file}: {text}");
            assert!(text.contains("Response verify OK"), "{alg} {file}: {text}");
            assert!(text.contains(&format!("{file}.pem: {expect}")), "{alg} {file}: {text}");
        }
    }
}

/// Starts `openssl ocsp` as a responder on a free loopback port and returns it with the port, once it
/// says it is listening.
fn start_responder(dir: &Path, requests: usize) -> (std::process::Child, u16) {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec openssl ocsp -index komp-ca.index.txt -CA komp-ca.pem -rsigner komp-ca-ocsp.pem \
             -rkey komp-ca-ocsp.key.pem -port {port} -nrequest {requests} -ndays 1 2>&1"
        ))
        .current_dir(dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("waiting for OCSP client connections") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("openssl ocsp did not start");
    (child, port)
}

fn post(port: u16, body: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/ocsp-request\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    response.split_off(split)
}

#[test]
fn openssl_ocsp_responder_answers_our_requests() {
    for alg in [KeyAlgorithm::EcBrainpoolP256r1, KeyAlgorithm::Rsa] {
        let (pki, dir) = written(alg, false);
        let (mut child, port) = start_responder(dir.path(), 2);
        let issuer = &pki.component_ca().certificate;
        for (cert, expect) in [
            (&pki.leaf(CertType::NkVpn).certificate, CertStatus::Good),
            (
                &pki.variant(Variant::Revoked).unwrap().certificate,
                CertStatus::Revoked {
                    time: UnixTime::default(),
                    reason: None,
                },
            ),
        ] {
            let req = OcspRequest::new(cert, issuer, CertIdHash::Sha1, Some(b"0123456789abcdef")).unwrap();
            let resp = post(port, req.der());
            let verdict = ocsp::verify_response(
                &resp,
                &req,
                issuer,
                &[],
                now(),
                &ResponsePolicy::default(),
                &RUST_CRYPTO,
            )
            .unwrap_or_else(|e| panic!("{alg}: {e}"));
            assert_eq!(verdict.signer, Signer::Delegated);
            match (verdict.status, expect) {
                (CertStatus::Good, CertStatus::Good) => {}
                (CertStatus::Revoked { time, .. }, CertStatus::Revoked { .. }) => {
                    assert_eq!(time, pki.now().minus(86_400));
                }
                (got, want) => panic!("{alg}: {got} != {want}"),
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}
