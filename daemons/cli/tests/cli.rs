//! The `tiwire` binary as an operator runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn tiwire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiwire")).args(args).output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn make_pki(dir: &Path) {
    let out = tiwire(&[
        "pki",
        "test-pki",
        dir.to_str().unwrap(),
        "--now",
        "2026-06-01T00:00:00Z",
    ]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn test_pki_inspect_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    make_pki(dir.path());
    let p = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
    let index = std::fs::read_to_string(p("index.tsv")).unwrap();
    assert!(index.contains("c-nk-vpn.pem\tleaf\tC.NK.VPN"), "{index}");
    assert!(index.contains("revoked-c-nk-vpn.pem\tvariant\tC.NK.VPN"), "{index}");

    let out = tiwire(&["pki", "inspect", &p("c-hci-osig.pem")]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("C.HCI.OSIG (1.2.276.0.76.4.78)"), "{shown}");
    assert!(shown.contains("Betriebsstätte Arzt (1.2.276.0.76.4.50)"), "{shown}");
    assert!(shown.contains("1-2-ARZT-tiwire-test-01"), "{shown}");
    assert!(shown.contains("ECDSA brainpoolP256r1"), "{shown}");

    let out = tiwire(&["pki", "inspect", "--json", &p("c-nk-vpn.chain.pem")]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[0]["types"][0]["type"], "C.NK.VPN");
    assert_eq!(json[1]["ca"], true);

    let verify = |chain: &str, extra: &[&str]| {
        let mut args: Vec<String> = vec!["pki".into(), "verify".into(), "--anchor".into(), p("root-ca.pem")];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(p(chain));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tiwire(&args)
    };
    let at = ["--now", "2026-06-02T00:00:00Z"];
    let out = verify("c-nk-vpn.chain.pem", &[&at[..], &["--type", "C.NK.VPN"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("verdict: VALID"));

    let out = verify("expired-c-nk-vpn.chain.pem", &at);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("✘ validity: certificate at depth 0 expired"),
        "{}",
        text(&out)
    );

    let out = verify(
        "wrong-type-c-nk-vpn.chain.pem",
        &[&at[..], &["--type", "C.NK.VPN", "--json"]].concat(),
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert!(json["error"].as_str().unwrap().contains("C.AK.AUT"));

    // The same chain 30 years later: invalid. A file that is not a certificate: input error.
    let out = verify("c-nk-vpn.chain.pem", &["--now", "2056-01-01T00:00:00Z"]);
    assert_eq!(out.status.code(), Some(1));
    let out = verify("index.tsv", &at);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = verify("c-nk-vpn.chain.pem", &["--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    let out = verify("c-nk-vpn.chain.pem", &["--type", "C.NOPE"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn demo_shows_good_and_failing_verdicts() {
    let out = tiwire(&["pki", "demo"]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("✔ C.NK.VPN"), "{shown}");
    assert!(shown.contains("expired-c-nk-vpn: refused"), "{shown}");
    assert!(
        shown.contains("wrong-type-c-nk-vpn: refused: certificate type is C.AK.AUT"),
        "{shown}"
    );
    assert!(
        shown.contains("revoked-c-nk-vpn status: refused: status revoked"),
        "{shown}"
    );
    assert!(!shown.contains('✘'), "{shown}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tiwire(&["pki", "verify", "chain.pem"]).status.code(), Some(2));
    assert_eq!(tiwire(&["pki", "inspect", "/nonexistent.pem"]).status.code(), Some(2));
    assert_eq!(tiwire(&["nope"]).status.code(), Some(2));
}

#[test]
fn passport_issue_inspect_verify() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = tiwire(&[
        "pki",
        "test-pki",
        d,
        "--algorithm",
        "p256",
        "--now",
        "2026-06-01T00:00:00Z",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let p = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
    let out = tiwire(&[
        "passport",
        "issue",
        "--key",
        &p("c-fd-sig-tim.key.pem"),
        "--x5u",
        "https://tim.example.org/p.pem",
        "--orig",
        "@a:tim.example.org",
        "--dest",
        "@b:tim.example.org",
        "--iat",
        "1780272000",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();

    let out = tiwire(&["passport", "inspect", &token]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["header"]["alg"], "ES256");
    assert_eq!(json["claims"]["orig"]["uri"], "matrix:u/a:tim.example.org");

    let verify = |chain: &str, extra: &[&str]| {
        let mut args: Vec<String> = [
            "passport",
            "verify",
            &token,
            "--chain",
            &p(chain),
            "--anchor",
            &p("root-ca.pem"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(["--now".to_string(), "2026-06-01T00:05:00Z".to_string()]);
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        tiwire(&args)
    };
    let ok = verify(
        "c-fd-sig-tim.chain.pem",
        &[
            "--inviter",
            "@a:tim.example.org",
            "--invitee",
            "@b:tim.example.org",
            "--strict",
        ],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let swapped = verify(
        "c-fd-sig-tim.chain.pem",
        &["--inviter", "@b:tim.example.org", "--invitee", "@a:tim.example.org"],
    );
    assert_eq!(swapped.status.code(), Some(1));
    assert!(text(&swapped).contains("orig is not the inviter"), "{}", text(&swapped));
    let wrong_role = verify("c-fd-sig.chain.pem", &[]);
    assert_eq!(wrong_role.status.code(), Some(1));
    let other_host = verify("c-fd-sig-tim.chain.pem", &["--x5u-host", "elsewhere.example"]);
    assert_eq!(other_host.status.code(), Some(1));
    assert_eq!(
        tiwire(&[
            "passport",
            "verify",
            "not-a-token",
            "--chain",
            &p("c-fd-sig-tim.chain.pem"),
            "--anchor",
            &p("root-ca.pem")
        ])
        .status
        .code(),
        Some(1)
    );
    assert_eq!(
        tiwire(&[
            "passport",
            "issue",
            "--key",
            &p("index.tsv"),
            "--x5u",
            "https://x.org/c",
            "--orig",
            "@a:x.org",
            "--dest",
            "@b:x.org"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(tiwire(&["passport", "inspect", "a.b"]).status.code(), Some(2));
}

const SAMPLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/specs/ti-messenger/federation-list-samples"
);

#[test]
fn fedlist_verify_and_contains_on_the_real_lists() {
    let jws = format!("{SAMPLES}/signed-bp256r1-current/federationList.jws");
    let pin = format!("{SAMPLES}/signed-bp256r1-current/VZD-FHIR-FList-Signer_TEST-ONLY.pem");
    let at = "2026-06-01T00:00:00Z";
    let out = tiwire(&["fedlist", "verify", &jws, "--pin", &pin, "--now", at]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("version  1650"), "{}", text(&out));
    assert!(text(&out).contains("signed   BP256R1"), "{}", text(&out));

    let out = tiwire(&[
        "fedlist",
        "contains",
        &jws,
        "--pin",
        &pin,
        "--now",
        at,
        "--json",
        "Gematik.ujumbelabs.com:8448",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["listed"].as_bool(), report["version"].as_u64()),
        (Some(true), Some(1650))
    );
    let out = tiwire(&[
        "fedlist",
        "contains",
        &jws,
        "--pin",
        &pin,
        "--now",
        at,
        "evil.example.org",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    // After the signer expired: invalid. Without trust configured, or with a bad name: usage errors.
    let out = tiwire(&[
        "fedlist",
        "verify",
        &jws,
        "--pin",
        &pin,
        "--now",
        "2028-02-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("pinned signer not valid now"), "{}", text(&out));
    assert_eq!(tiwire(&["fedlist", "verify", &jws]).status.code(), Some(2));
    let out = tiwire(&["fedlist", "contains", &jws, "--pin", &pin, "--now", at, "münchen.de"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));

    // The 2023 list: its header is refused, its decoded hashed payload reads.
    let old = format!("{SAMPLES}/signed-hashed-2023/federationList.jws");
    assert_eq!(
        tiwire(&["fedlist", "verify", &old, "--pin", &pin, "--now", at])
            .status
            .code(),
        Some(1)
    );
    let payload = format!("{SAMPLES}/signed-hashed-2023/federationList.payload.json");
    let out = tiwire(&["fedlist", "verify", &payload]);
    assert!(
        text(&out).contains("HashObjects") && text(&out).contains("unsigned"),
        "{}",
        text(&out)
    );
}
