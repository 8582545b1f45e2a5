//! `tiwire passport …`: inspect, verify, issue.

use std::io::Read;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use ruma_common::UserId;
use serde_json::{Value, json};
use tiwire_passport::{Claims, CompactJws, Header, Passport, VerifyPolicy, X5uPolicy, issue};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::{PrivateKey, RUST_CRYPTO};

use crate::pki::{parse_time, read_certs};
use crate::{InputError, Outcome};

/// `tiwire passport` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Decode a token's header and claims without verifying anything.
    Inspect {
        /// The token, or `-` to read it from standard input.
        token: String,
    },
    /// Verify a token: exit 0 valid, 1 invalid (reason on stderr), 2 usage or input error.
    Verify(VerifyArgs),
    /// Issue a TI-Messenger PASSporT (ES256, canonical JSON, RFC 6979) and print it.
    Issue(IssueArgs),
}

/// `tiwire passport verify`
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The token, or `-` to read it from standard input.
    token: String,
    /// The signer's certificate chain (PEM), as resolved for the token's x5u.
    #[arg(long)]
    chain: PathBuf,
    /// Trust anchor certificate file(s) (PEM).
    #[arg(long = "anchor", required = true)]
    anchors: Vec<PathBuf>,
    /// Verify at this time (RFC 3339) instead of now.
    #[arg(long)]
    now: Option<String>,
    /// The inviting user's MXID; with --invitee, also checks the invite is authorized.
    #[arg(long, requires = "invitee")]
    inviter: Option<String>,
    /// The invited user's MXID.
    #[arg(long, requires = "inviter")]
    invitee: Option<String>,
    /// Refuse tokens whose JSON is not RFC 8225 canonical.
    #[arg(long)]
    strict: bool,
    /// Allowed x5u host suffix (repeatable); without it any https host.
    #[arg(long = "x5u-host")]
    x5u_hosts: Vec<String>,
    /// Seconds `iat` may lie in the past.
    #[arg(long, default_value_t = tiwire_passport::DEFAULT_MAX_AGE)]
    max_age: u64,
}

/// `tiwire passport issue`
#[derive(Debug, Args)]
pub(crate) struct IssueArgs {
    /// The PASSporT-Service's P-256 private key (PKCS#8 PEM).
    #[arg(long)]
    key: PathBuf,
    /// Where verifiers find the certificate.
    #[arg(long)]
    x5u: String,
    /// The inviting user's MXID (becomes `orig`).
    #[arg(long)]
    orig: String,
    /// The invited user's MXID (becomes `dest`).
    #[arg(long)]
    dest: String,
    /// Issued-at, seconds since the epoch (default: now).
    #[arg(long)]
    iat: Option<u64>,
}

pub(crate) fn run(cmd: Command) -> Result<Outcome, InputError> {
    match cmd {
        Command::Inspect { token } => inspect(&read_token(&token)?),
        Command::Verify(args) => verify(&args),
        Command::Issue(args) => issue_token(&args),
    }
}

fn read_token(arg: &str) -> Result<String, InputError> {
    if arg != "-" {
        return Ok(arg.trim().to_string());
    }
    let mut token = String::new();
    std::io::stdin().take(16 * 1024 * 1024).read_to_string(&mut token)?;
    Ok(token.trim().to_string())
}

fn user(mxid: &str) -> Result<&UserId, InputError> {
    <&UserId>::try_from(mxid).map_err(|e| InputError(format!("{mxid}: {e}")))
}

fn inspect(token: &str) -> Result<Outcome, InputError> {
    let jws = CompactJws::parse(token)?;
    let claims: Value = serde_json::from_slice(jws.payload()).unwrap_or(Value::Null);
    let check = match Passport::parse(token) {
        Ok(_) => "well-formed PASSporT (not verified)".to_string(),
        Err(e) => e.to_string(),
    };
    let out = json!({
        "header": Value::Object(jws.header().clone()),
        "claims": claims,
        "signature_bytes": jws.signature().len(),
        "form": check,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(Outcome::Ok)
}

fn verify(args: &VerifyArgs) -> Result<Outcome, InputError> {
    let token = read_token(&args.token)?;
    let chain = read_certs(&args.chain)?;
    let mut anchors = Vec::new();
    for path in &args.anchors {
        anchors.extend(read_certs(path)?);
    }
    let now = parse_time(args.now.as_deref())?;
    let parties = match (&args.inviter, &args.invitee) {
        (Some(a), Some(b)) => Some((user(a)?, user(b)?)),
        _ => None,
    };
    let hosts: Vec<&str> = args.x5u_hosts.iter().map(String::as_str).collect();
    let policy = VerifyPolicy {
        max_age: args.max_age,
        x5u: if hosts.is_empty() {
            X5uPolicy::any_https_host()
        } else {
            X5uPolicy::hosts(&hosts)
        },
        strict: args.strict,
        ..VerifyPolicy::default()
    };
    let verified = Passport::parse(&token)
        .and_then(|p| p.verify(&chain, &TrustAnchors::new(anchors), now, &policy, &RUST_CRYPTO))
        .and_then(|v| match parties {
            Some((a, b)) => v.authorizes_invite(a, b).map(|()| v).map_err(Into::into),
            None => Ok(v),
        });
    match verified {
        Ok(v) => {
            println!("valid: signed by {}", v.signer().subject());
            Ok(Outcome::Ok)
        }
        Err(e) => {
            eprintln!("invalid: {e}");
            Ok(Outcome::Invalid)
        }
    }
}

fn issue_token(args: &IssueArgs) -> Result<Outcome, InputError> {
    let pem = std::fs::read_to_string(&args.key).map_err(|e| InputError(format!("{}: {e}", args.key.display())))?;
    let key = PrivateKey::from_pkcs8_pem(&pem)?;
    let iat = match args.iat {
        Some(iat) => iat,
        None => parse_time(None)?.as_secs(),
    };
    let claims = Claims::ti_messenger(user(&args.orig)?, user(&args.dest)?, iat);
    let header = Header {
        x5u: args.x5u.clone(),
        extra: Default::default(),
    };
    println!("{}", issue(&header, &claims, &key)?);
    Ok(Outcome::Ok)
}
