//! `tiwire fedlist …`: verify a federation list, look a server name up in it.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;
use tiwire_fedlist::{FederationList, Limits, ListError, SignerTrust};
use tiwire_pki::RUST_CRYPTO;
use tiwire_pki::path::TrustAnchors;

use crate::pki::{parse_time, read_certs};
use crate::{InputError, Outcome};

/// `tiwire fedlist` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Verify a list (signed JWS, or unsigned JSON): format, version, signer, domains. Exit 0 valid, 1 invalid.
    Verify(ListArgs),
    /// Is a Matrix server name on the list? Exit 0 listed, 1 not listed.
    Contains {
        #[command(flatten)]
        list: ListArgs,
        /// The server name (`host[:port]`).
        server_name: String,
    },
}

/// Which list, and whom to trust for it.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// The list: a JWS (`federationList.jws`) or JSON (v1.0.2 hashed list, or a registry's answer).
    list: PathBuf,
    /// CA certificate(s) (PEM) that issue the VZD's signer (GEM.KOMP-CA): the signer must validate as a
    /// C.FD.SIG with role oid_vzd_ti.
    #[arg(long = "anchor", conflicts_with = "pins")]
    anchors: Vec<PathBuf>,
    /// The VZD's signer certificate(s) (PEM) themselves, e.g. gematik's TEST-ONLY signer.
    #[arg(long = "pin")]
    pins: Vec<PathBuf>,
    /// Check at this time (RFC 3339) instead of now.
    #[arg(long)]
    now: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(cmd: Command) -> Result<Outcome, InputError> {
    match cmd {
        Command::Verify(args) => match load(&args)? {
            Ok(list) => {
                report(&list, &args, None);
                Ok(Outcome::Ok)
            }
            Err(e) => invalid(&e, args.json),
        },
        Command::Contains {
            list: args,
            server_name,
        } => match load(&args)? {
            Ok(list) => {
                let listed = list.lookup(&server_name)?;
                report(&list, &args, Some(listed));
                Ok(if listed { Outcome::Ok } else { Outcome::Invalid })
            }
            Err(e) => invalid(&e, args.json),
        },
    }
}

fn invalid(e: &ListError, as_json: bool) -> Result<Outcome, InputError> {
    if as_json {
        println!("{}", json!({ "valid": false, "error": e.to_string() }));
    } else {
        eprintln!("invalid: {e}");
    }
    Ok(Outcome::Invalid)
}

fn certificates(paths: &[PathBuf]) -> Result<Vec<tiwire_pki::Certificate>, InputError> {
    let mut out = Vec::new();
    for path in paths {
        out.extend(read_certs(path)?);
    }
    Ok(out)
}

/// Reads the file: `Err` for input errors (exit 2), `Ok(Err)` for a list that was read and refused.
fn load(args: &ListArgs) -> Result<Result<FederationList, ListError>, InputError> {
    let bytes = read(&args.list)?;
    let now = parse_time(args.now.as_deref())?;
    let limits = Limits::default();
    if bytes.trim_ascii_start().starts_with(b"{") {
        return Ok(FederationList::from_json(&bytes, &limits));
    }
    let trust = if !args.pins.is_empty() {
        SignerTrust::Pinned(certificates(&args.pins)?)
    } else if !args.anchors.is_empty() {
        SignerTrust::Anchors(TrustAnchors::new(certificates(&args.anchors)?))
    } else {
        return Err(InputError("a signed list needs --anchor or --pin".into()));
    };
    Ok(FederationList::from_jws(&bytes, &trust, now, &limits, &RUST_CRYPTO))
}

fn read(path: &Path) -> Result<Vec<u8>, InputError> {
    std::fs::read(path).map_err(|e| InputError(format!("{}: {e}", path.display())))
}

fn report(list: &FederationList, args: &ListArgs, listed: Option<bool>) {
    let signer = list.signer().map(|s| {
        json!({
            "alg": s.algorithm,
            "subject": s.certificate.subject().to_string(),
            "not_after": s.certificate.not_after().to_string(),
        })
    });
    if args.json {
        let mut out = json!({
            "valid": true,
            "version": list.version(),
            "form": format!("{:?}", list.form()),
            "domains": list.len(),
            "skipped": list.skipped(),
            "signer": signer,
        });
        if let Some(listed) = listed {
            out["listed"] = json!(listed);
        }
        println!("{out}");
        return;
    }
    match listed {
        Some(true) => println!("listed (version {})", list.version()),
        Some(false) => println!("not listed (version {})", list.version()),
        None => {
            println!("valid federation list");
            println!("  version  {}", list.version());
            println!("  form     {:?}", list.form());
            println!("  domains  {} ({} entries skipped)", list.len(), list.skipped());
            match list.signer() {
                Some(s) => {
                    println!("  signed   {} by {}", s.algorithm, s.certificate.subject());
                    println!("  signer valid until {}", s.certificate.not_after());
                }
                None => println!("  unsigned (trust comes from the channel it was fetched over)"),
            }
        }
    }
}
