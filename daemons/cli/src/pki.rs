//! `tiwire pki …`: inspect, verify, test-pki, demo.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand, ValueEnum};
use rand_core::UnwrapErr;
use serde_json::{Value, json};
use tiwire_pki::ocsp::{self, CertIdHash, OcspRequest, ResponsePolicy};
use tiwire_pki::path::{Report, TrustAnchors, ValidationPolicy};
use tiwire_pki::testpki::{TestPki, TestPkiOptions, Variant};
use tiwire_pki::{CertType, Certificate, KeyAlgorithm, RUST_CRYPTO, UnixTime};

use crate::{InputError, Outcome};

/// `tiwire pki` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show what TI rules see in a certificate (PEM bundle or DER): type, roles, Telematik-ID, validity,
    /// fingerprint.
    Inspect {
        /// Certificate file (PEM with one or more certificates, or DER).
        file: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Validate a chain against trust anchors; prints the verdict of every rule. Exit 0 valid, 1 invalid.
    Verify(VerifyArgs),
    /// Write a complete TI test PKI (PEM certificates, PKCS#8 keys, chains, OpenSSL indexes, index.tsv).
    TestPki(TestPkiArgs),
    /// Build a test PKI in a temporary directory and show good and failing verdicts.
    Demo,
}

/// `tiwire pki verify`
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Trust anchor certificate file(s) (PEM).
    #[arg(long = "anchor", required = true)]
    anchors: Vec<PathBuf>,
    /// The chain: end-entity first, then intermediates (PEM bundle, or one DER certificate).
    chain: PathBuf,
    /// Validate at this time (RFC 3339) instead of now.
    #[arg(long)]
    now: Option<String>,
    /// Expected certificate type, e.g. C.NK.VPN.
    #[arg(long = "type", value_parser = parse_cert_type)]
    cert_type: Option<CertType>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `tiwire pki test-pki`
#[derive(Debug, Args)]
pub(crate) struct TestPkiArgs {
    /// Directory to write to (created if missing).
    dir: PathBuf,
    /// Key algorithm of every certificate.
    #[arg(long, value_enum, default_value_t = Algorithm::Brainpool)]
    algorithm: Algorithm,
    /// OCSP URL written into the leaves.
    #[arg(long, default_value = "http://ocsp.tiwire.test/ocsp")]
    ocsp_url: String,
    /// Build around this time (RFC 3339) instead of now.
    #[arg(long)]
    now: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Algorithm {
    /// brainpoolP256r1 (the TI's usual curve)
    Brainpool,
    /// NIST P-256
    P256,
    /// RSA-2048, PKCS#1 v1.5 signatures
    Rsa,
    /// RSA-2048, RSASSA-PSS signatures
    RsaPss,
}

fn parse_cert_type(s: &str) -> Result<CertType, String> {
    CertType::ALL
        .iter()
        .copied()
        .find(|t| t.label().eq_ignore_ascii_case(s) || t.reference() == s || t.oid().to_string() == s)
        .ok_or_else(|| {
            let known: Vec<&str> = CertType::ALL.iter().map(|t| t.label()).collect();
            format!("unknown certificate type {s}; one of {}", known.join(", "))
        })
}

pub(crate) fn run(cmd: Command) -> Result<Outcome, InputError> {
    match cmd {
        Command::Inspect { file, json } => inspect(&file, json),
        Command::Verify(args) => verify(&args),
        Command::TestPki(args) => test_pki(&args),
        Command::Demo => demo(),
    }
}

fn clock() -> UnixTime {
    UnixTime::from_secs(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default(),
    )
}

pub(crate) fn parse_time(s: Option<&str>) -> Result<UnixTime, InputError> {
    match s {
        None => Ok(clock()),
        Some(s) => {
            let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .map_err(|e| InputError(format!("--now {s}: {e}")))?;
            let secs = u64::try_from(t.unix_timestamp()).map_err(|_| InputError(format!("--now {s}: before 1970")))?;
            Ok(UnixTime::from_secs(secs))
        }
    }
}

pub(crate) fn read_certs(path: &Path) -> Result<Vec<Certificate>, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError(format!("{}: {e}", path.display())))?;
    Certificate::parse_any(&bytes).map_err(|e| InputError(format!("{}: {e}", path.display())))
}

fn describe(cert: &Certificate) -> Value {
    let types: Vec<Value> = cert
        .cert_types()
        .iter()
        .map(|t| json!({"type": t.label(), "oid": t.oid().to_string()}))
        .collect();
    let roles: Vec<Value> = cert
        .profession_oids()
        .iter()
        .map(|oid| {
            let name = tiwire_pki::Role::from_oid(oid)
                .map(|r| r.label())
                .or_else(|| tiwire_pki::Institution::from_oid(oid).map(|i| i.label()));
            json!({"oid": oid.to_string(), "name": name})
        })
        .collect();
    json!({
        "subject": cert.subject().to_string(),
        "issuer": cert.issuer().to_string(),
        "serial": cert.serial_hex(),
        "not_before": cert.not_before().to_string(),
        "not_after": cert.not_after().to_string(),
        "types": types,
        "professions": roles,
        "telematik_id": cert.telematik_id(),
        "key": cert.public_key().map(|k| k.algorithm.name().to_string()).unwrap_or_else(|e| e.to_string()),
        "signature": cert.signature_algorithm().map(|a| a.name().to_string()).unwrap_or_else(|e| e.to_string()),
        "ca": cert.is_ca(),
        "key_usage": cert.key_usage_names(),
        "extended_key_usage": cert.extended_key_usage().unwrap_or_default().iter().map(ToString::to_string).collect::<Vec<_>>(),
        "ocsp": cert.ocsp_urls(),
        "sha256": cert.fingerprint_display(),
    })
}

fn inspect(file: &Path, as_json: bool) -> Result<Outcome, InputError> {
    let certs = read_certs(file)?;
    let described: Vec<Value> = certs.iter().map(describe).collect();
    if as_json {
        println!("{}", serde_json::to_string_pretty(&described)?);
        return Ok(Outcome::Ok);
    }
    for (i, d) in described.iter().enumerate() {
        if certs.len() > 1 {
            println!("certificate {}", i + 1);
        }
        let list = |v: &Value, key: &str| -> String {
            let items: Vec<String> = v[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| match (x.get("type").or(x.get("name")), x.get("oid")) {
                            (Some(Value::String(n)), Some(Value::String(o))) => format!("{n} ({o})"),
                            (_, Some(Value::String(o))) => o.clone(),
                            _ => x.as_str().unwrap_or_default().to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            if items.is_empty() { "-".into() } else { items.join(", ") }
        };
        let text = |key: &str| d[key].as_str().unwrap_or("-").to_string();
        println!("  subject       {}", text("subject"));
        println!("  issuer        {}", text("issuer"));
        println!("  serial        {}", text("serial"));
        println!("  validity      {} .. {}", text("not_before"), text("not_after"));
        println!("  type          {}", list(d, "types"));
        println!("  profession    {}", list(d, "professions"));
        println!("  telematik-id  {}", text("telematik_id"));
        println!("  key           {}", text("key"));
        println!("  signature     {}", text("signature"));
        println!(
            "  CA            {}",
            if d["ca"].as_bool().unwrap_or(false) {
                "yes"
            } else {
                "no"
            }
        );
        println!("  key usage     {}", list(d, "key_usage"));
        println!("  ext key usage {}", list(d, "extended_key_usage"));
        println!("  OCSP          {}", list(d, "ocsp"));
        println!("  SHA-256       {}", text("sha256"));
    }
    Ok(Outcome::Ok)
}

fn print_report(report: &Report, as_json: bool) -> Result<(), InputError> {
    if as_json {
        let checks: Vec<Value> = report
            .checks
            .iter()
            .map(|c| {
                json!({
                    "depth": c.depth,
                    "subject": c.subject,
                    "rule": c.rule.name(),
                    "pass": c.result.is_ok(),
                    "error": c.result.as_ref().err().map(ToString::to_string),
                })
            })
            .collect();
        let out = json!({
            "valid": report.verdict.is_ok(),
            "error": report.verdict.as_ref().err().map(ToString::to_string),
            "checks": checks,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    match &report.verdict {
        Ok(()) => println!("verdict: VALID"),
        Err(e) => println!("verdict: INVALID: {e}"),
    }
    let mut depth = None;
    for c in &report.checks {
        if depth != Some(c.depth) {
            depth = Some(c.depth);
            println!("  [{}] {}", c.depth, c.subject);
        }
        match &c.result {
            Ok(()) => println!("      ✔ {}", c.rule.name()),
            Err(e) => println!("      ✘ {}: {e}", c.rule.name()),
        }
    }
    Ok(())
}

fn verify(args: &VerifyArgs) -> Result<Outcome, InputError> {
    let mut anchors = Vec::new();
    for path in &args.anchors {
        anchors.extend(read_certs(path)?);
    }
    let chain = read_certs(&args.chain)?;
    let now = parse_time(args.now.as_deref())?;
    let policy = args.cert_type.map(ValidationPolicy::for_type).unwrap_or_default();
    let report = TrustAnchors::new(anchors).report(&chain, now, &policy, &RUST_CRYPTO);
    print_report(&report, args.json)?;
    Ok(if report.verdict.is_ok() {
        Outcome::Ok
    } else {
        Outcome::Invalid
    })
}

fn options(algorithm: Algorithm, now: UnixTime) -> TestPkiOptions {
    let options = match algorithm {
        Algorithm::Brainpool => TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1),
        Algorithm::P256 => TestPkiOptions::new(KeyAlgorithm::EcP256),
        Algorithm::Rsa => TestPkiOptions::new(KeyAlgorithm::Rsa),
        Algorithm::RsaPss => TestPkiOptions::new(KeyAlgorithm::Rsa).rsa_pss(),
    };
    options.now(now)
}

fn write_pki(pki: &TestPki, dir: &Path) -> Result<usize, InputError> {
    std::fs::create_dir_all(dir).map_err(|e| InputError(format!("{}: {e}", dir.display())))?;
    let files = pki.files()?;
    for (name, contents) in &files {
        let path = dir.join(name);
        std::fs::write(&path, contents).map_err(|e| InputError(format!("{}: {e}", path.display())))?;
    }
    Ok(files.len())
}

fn test_pki(args: &TestPkiArgs) -> Result<Outcome, InputError> {
    let now = parse_time(args.now.as_deref())?;
    let options = options(args.algorithm, now).ocsp_url(&args.ocsp_url);
    let pki = TestPki::build(&options, &mut UnwrapErr(getrandom::SysRng))?;
    let written = write_pki(&pki, &args.dir)?;
    println!("wrote {written} files to {} (index: index.tsv)", args.dir.display());
    Ok(Outcome::Ok)
}

/// Builds a PKI and shows what validation says about good and bad certificates.
fn demo() -> Result<Outcome, InputError> {
    let mut rng = UnwrapErr(getrandom::SysRng);
    let started = Instant::now();
    let now = clock();
    let pki = TestPki::build(&options(Algorithm::Brainpool, now), &mut rng)?;
    let dir = tempfile::tempdir()?;
    let written = write_pki(&pki, dir.path())?;
    println!(
        "built a brainpoolP256r1 test PKI: root, 2 CAs, 2 OCSP responders, {} leaves, {} failing variants ({written} files, {} ms)",
        pki.leaves().len(),
        pki.variants().len(),
        started.elapsed().as_millis()
    );
    let anchors = TrustAnchors::new(vec![pki.root().certificate.clone()]);
    let mut failures = 0;
    let mut show = |label: &str, expect_valid: bool, outcome: Result<(), String>| {
        let as_expected = outcome.is_ok() == expect_valid;
        if !as_expected {
            failures += 1;
        }
        let mark = if as_expected { "✔" } else { "✘" };
        match outcome {
            Ok(()) => println!("  {mark} {label}: valid"),
            Err(e) => println!("  {mark} {label}: refused: {e}"),
        }
    };
    println!("\ngood certificates, each validated for its own type:");
    for (t, leaf) in pki.leaves() {
        let t0 = Instant::now();
        let result = anchors
            .validate(&pki.chain(leaf), now, &ValidationPolicy::for_type(*t), &RUST_CRYPTO)
            .map(|_| ());
        show(
            &format!("{:<15} ({} µs)", t.label(), t0.elapsed().as_micros()),
            true,
            result.map_err(|e| e.to_string()),
        );
    }
    println!("\nbad certificates, each refused by the rule it breaks:");
    let nk = ValidationPolicy::for_type(CertType::NkVpn);
    for v in [Variant::Expired, Variant::NotYetValid, Variant::WrongType] {
        if let Some(leaf) = pki.variant(v) {
            let result = anchors.validate(&pki.chain(leaf), now, &nk, &RUST_CRYPTO).map(|_| ());
            show(v.name(), false, result.map_err(|e| e.to_string()));
        }
    }
    let leaf = pki.leaf(CertType::NkVpn);
    let mut der = leaf.certificate.der().to_vec();
    if let Some(last) = der.last_mut() {
        *last ^= 0x01;
    }
    let chain_of = |c: Certificate| [c, pki.component_ca().certificate.clone()];
    let result = Certificate::from_der(&der).map_err(|e| e.to_string()).and_then(|c| {
        anchors
            .validate(&chain_of(c), now, &nk, &RUST_CRYPTO)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    show("tampered C.NK.VPN (signature bit flipped)", false, result);
    let untrusted = TrustAnchors::new(vec![pki.smcb_ca().certificate.clone()]);
    let result = untrusted.validate(&pki.chain(leaf), now, &nk, &RUST_CRYPTO).map(|_| ());
    show(
        "C.NK.VPN against the wrong anchor",
        false,
        result.map_err(|e| e.to_string()),
    );

    println!("\nOCSP (RFC 6960) against the test PKI's responder:");
    let issuer = &pki.component_ca().certificate;
    let revoked = pki.variant(Variant::Revoked).map(|v| &v.certificate);
    for (label, cert) in [("C.NK.VPN", Some(&leaf.certificate)), ("revoked-c-nk-vpn", revoked)] {
        let Some(cert) = cert else { continue };
        let mut nonce = [0u8; 16];
        rand_core::Rng::fill_bytes(&mut rng, &mut nonce);
        let request = OcspRequest::new(cert, issuer, CertIdHash::Sha1, Some(&nonce))?;
        let response = pki.ocsp_respond(request.der(), now, &mut rng)?;
        let verdict = ocsp::verify_response(
            &response,
            &request,
            issuer,
            &[],
            now,
            &ResponsePolicy::default(),
            &RUST_CRYPTO,
        )?;
        let good = verdict.status == ocsp::CertStatus::Good;
        let expect_good = label == "C.NK.VPN";
        let result = if good {
            Ok(())
        } else {
            Err(format!("status {}", verdict.status))
        };
        show(&format!("{label} status"), expect_good, result);
    }
    println!(
        "\nfiles: {} (removed on exit; `tiwire pki test-pki <dir>` keeps them)",
        dir.path().display()
    );
    println!("done in {} ms", started.elapsed().as_millis());
    Ok(if failures == 0 { Outcome::Ok } else { Outcome::Invalid })
}
