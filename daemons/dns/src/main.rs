//! `tiwire-dnsd`: parse arguments, load the configuration, set up logging, call [`tiwire_dnsd::run`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

/// Authoritative DNS for the zones of a tiwire-dns zone plan (Nameserver Internet of the VPN-Zugangsdienst).
/// SIGHUP reloads the plan; SIGTERM stops.
#[derive(Debug, Parser)]
#[command(name = "tiwire-dnsd", version, about)]
struct Args {
    /// The configuration file (TOML; see dnsd.example.toml).
    #[arg(long, short)]
    config: PathBuf,
    /// Read the configuration, load and validate the zone plan and build its answers, then exit.
    #[arg(long)]
    check_config: bool,
}

async fn terminated() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => return,
                _ = tokio::signal::ctrl_c() => return,
            }
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let args = Args::parse();
    let result = async {
        let config = tiwire_dnsd::Config::load(&args.config)?;
        if args.check_config {
            let table = tiwire_dnsd::check(&config)?;
            for (zone, serial) in table.zones() {
                tracing::info!(%zone, serial, "zone is valid");
            }
            tracing::info!(answers = table.len(), "configuration is valid");
            return Ok(());
        }
        tiwire_dnsd::run(config, terminated()).await
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}
