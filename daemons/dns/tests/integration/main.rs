//! Integration tests of tiwire-dnsd against real peers: kdig (knot-dnsutils), kzonecheck and delv for DNSSEC (the tests needing them say so and
//! skip when it is absent — CI installs it), raw UDP/TCP clients, the binary with SIGHUP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

mod dnssec;
mod kdig;
mod reload;
mod wire;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use tiwire_dnsd::{Config, Running};

pub(crate) const SEED_PLAN: &str = "../../libs/dns/tests/vectors/seed-example.zoneplan.toml";
pub(crate) const BENCH_PLAN: &str = "../../libs/dns/tests/vectors/bench-provider.zoneplan.toml";

pub(crate) fn vector(plan: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(plan)
}

pub(crate) fn config(plan: &Path, extra: &str) -> Config {
    let text = format!(
        "listen = [\"127.0.0.1:0\"]\nplan = {:?}\n{extra}",
        plan.display().to_string()
    );
    Config::from_toml(&text, Path::new(".")).unwrap()
}

pub(crate) async fn serve(plan: &str) -> Running {
    tiwire_dnsd::start(config(&vector(plan), "")).await.unwrap()
}

/// kdig, or `None` after saying why the test is skipped.
pub(crate) fn kdig() -> Option<&'static str> {
    let found = Command::new("kdig")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        Some("kdig")
    } else {
        println!("SKIPPED: kdig not found (apt-get install knot-dnsutils)");
        None
    }
}

/// Runs kdig against `addr` with `args`; returns stdout, then stderr.
pub(crate) fn run_kdig(addr: SocketAddr, args: &[&str]) -> String {
    let output = Command::new("kdig")
        .arg(format!("@{}", addr.ip()))
        .args(["-p", &addr.port().to_string(), "+timeout=2", "+retry=0"])
        .args(args)
        .output()
        .unwrap();
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    text
}
