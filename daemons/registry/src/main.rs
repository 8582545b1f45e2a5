//! `tiwire-registry`: parse arguments, load the configuration, set up logging, call [`tiwire_registry::run`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

/// The TI-Messenger Registrierungs-Dienst: federation list and PASSporT certificates from the VZD, for proxies.
#[derive(Debug, Parser)]
#[command(name = "tiwire-registry", version, about)]
struct Args {
    /// The configuration file (TOML; see registry.example.toml).
    #[arg(long, short)]
    config: PathBuf,
    /// Read and check the configuration and every file it names, then exit.
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
        let config = tiwire_registry::Config::load(&args.config)?;
        if args.check_config {
            tiwire_registry::check(&config)?;
            tracing::info!("configuration is valid");
            return Ok(());
        }
        tiwire_registry::run(config, terminated()).await
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
