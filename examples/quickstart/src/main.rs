//! Run with: `cargo run -p tiwire-quickstart [-- --dir <work directory>]`
//!
//! The tiwire suite on loopback, for real: a generated TI test PKI, the daemons started with the same
//! `start(config)` functions their binaries use, real TLS between them, and each story played as a step a
//! person reads (✔/✘ with timing). It grows with every daemon that lands; steps of daemons still to come are
//! listed as pending with their issue.
#![allow(clippy::print_stdout)]

mod discovery;
mod federation;

use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

/// tiwire quickstart: the TI services end to end on this machine.
#[derive(Debug, Parser)]
#[command(name = "tiwire-quickstart", version, about)]
struct Args {
    /// Work directory for the test PKI, configurations and state (default: a new directory under the
    /// system's temporary directory, kept afterwards so you can look at it).
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Prints steps and counts them.
pub(crate) struct Report {
    started: Instant,
    passed: usize,
    failed: usize,
}

impl Report {
    fn new() -> Self {
        Report {
            started: Instant::now(),
            passed: 0,
            failed: 0,
        }
    }

    /// A heading for a group of stories.
    pub(crate) fn section(&self, title: &str) {
        println!("\n{title}");
    }

    /// Runs one step; its `Ok` text is what it showed. A failed step is reported and counted; later steps
    /// that need its result fail on their own.
    pub(crate) async fn step<T>(
        &mut self,
        title: &str,
        run: impl Future<Output = anyhow::Result<(T, String)>>,
    ) -> Option<T> {
        let start = Instant::now();
        let result = run.await;
        let ms = start.elapsed().as_millis();
        match result {
            Ok((value, detail)) => {
                self.passed += 1;
                println!("  ✔ {title:<66} {ms:>6} ms");
                if !detail.is_empty() {
                    println!("      {detail}");
                }
                Some(value)
            }
            Err(e) => {
                self.failed += 1;
                println!("  ✘ {title:<66} {ms:>6} ms");
                println!("      {e:#}");
                None
            }
        }
    }

    /// A story that needs a daemon not built yet.
    pub(crate) fn pending(&self, title: &str, why: &str) {
        println!("  – {title:<66} pending: {why}");
    }
}

fn work_dir(args: &Args) -> anyhow::Result<PathBuf> {
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join(format!("tiwire-quickstart-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let dir = match work_dir(&args) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("tiwire-quickstart: work directory: {e:#}");
            return ExitCode::from(2);
        }
    };
    println!("tiwire quickstart: the TI services on loopback with a generated test PKI");
    println!("work directory: {}", dir.display());
    let mut report = Report::new();

    federation::stories(&mut report, &dir).await;

    discovery::stories(&mut report, &dir).await;

    report.section("VPN-Zugangsdienst registration and tunnels (gemSpec_VPN_ZugD)");
    report.pending(
        "it registers over mutual TLS; its C.NK.VPN appears on hash&URL",
        "issues 7 and 8",
    );
    report.pending(
        "RADIUS Accept with profile TI+SIS; unknown Konnektor rejected",
        "issue 9",
    );
    report.pending("revocation: cyclic check, Disconnect-Request, removal", "issue 9");

    let seconds = report.started.elapsed().as_secs_f64();
    println!("\n{} passed, {} failed in {seconds:.1} s", report.passed, report.failed);
    if report.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
