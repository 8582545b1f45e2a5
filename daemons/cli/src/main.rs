//! `tiwire`: the operator's command-line tool, one subcommand group per library (like `knotc`/`kdig`).
//!
//! Output is for people by default and JSON with `--json`. Exit codes: 0 success or valid, 1 invalid (the
//! input was read and a check failed), 2 usage or input error.
#![allow(clippy::print_stdout)]

mod dns;
mod fedlist;
mod passport;
mod pki;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// tiwire: tools for the TI's certificate, registration, RADIUS, DNS and Messenger protocols.
#[derive(Debug, Parser)]
#[command(name = "tiwire", version, about)]
struct Cli {
    #[command(subcommand)]
    group: Group,
}

#[derive(Debug, Subcommand)]
enum Group {
    /// TI certificates: inspect, verify chains, make a test PKI.
    #[command(subcommand)]
    Pki(pki::Command),
    /// PASSporTs (RFC 8225, TI-Messenger): inspect, verify, issue.
    #[command(subcommand)]
    Passport(passport::Command),
    /// TI-Messenger federation lists: verify, look up a server name.
    #[command(subcommand)]
    Fedlist(fedlist::Command),
    /// VPN-Zugangsdienst DNS: zone plans → zone files, and a Konnektor's view of service discovery.
    #[command(subcommand)]
    Dns(dns::Command),
}

/// What a command tells `main` to exit with.
pub(crate) enum Outcome {
    /// Done, or the checked thing is valid.
    Ok,
    /// The input was read and a check failed.
    Invalid,
}

/// An input or usage error (exit 2).
#[derive(Debug)]
pub(crate) struct InputError(String);

impl<E: std::fmt::Display> From<E> for InputError {
    fn from(e: E) -> Self {
        InputError(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.group {
        Group::Pki(cmd) => pki::run(cmd),
        Group::Passport(cmd) => passport::run(cmd),
        Group::Fedlist(cmd) => fedlist::run(cmd),
        Group::Dns(cmd) => dns::run(cmd),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Invalid) => ExitCode::from(1),
        Err(InputError(message)) => {
            eprintln!("tiwire: {message}");
            ExitCode::from(2)
        }
    }
}
