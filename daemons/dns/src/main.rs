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
    #[arg(long, short, required_unless_present = "generate_key")]
    config: Option<PathBuf>,
    /// Read the configuration, load and validate the zone plan and build its answers, then exit.
    #[arg(long)]
    check_config: bool,
    /// Write a new DNSSEC signing key (ECDSA P-256, PKCS#8 PEM, mode 0600) to this path and exit; it must not
    /// exist yet.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["config", "check_config"])]
    generate_key: Option<PathBuf>,
    /// Print each zone's DS record (for the parent zone or a trust anchor) and exit.
    #[arg(long)]
    print_ds: bool,
    /// Sign the zones now and write them as zone files into this directory, then exit.
    #[arg(long, value_name = "DIR")]
    dump_signed: Option<PathBuf>,
}

fn generate_key(path: &std::path::Path) -> anyhow::Result<()> {
    use std::io::Write;
    let pem = tiwire_dnsd::ZoneKey::generate_pem()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("creating {}: {e}", path.display()))?;
    file.write_all(pem.as_bytes())?;
    let key = tiwire_dnsd::ZoneKey::from_pem(pem.as_bytes())?;
    tracing::info!(path = %path.display(), key_tag = key.key_tag(), "DNSSEC key written");
    Ok(())
}

#[allow(
    clippy::print_stdout,
    reason = "--print-ds writes the DS records for the operator to publish"
)]
fn print_ds(config: &tiwire_dnsd::Config) -> anyhow::Result<()> {
    let records = tiwire_dnsd::ds_records(config)?;
    if records.is_empty() {
        anyhow::bail!("no [dnssec] section in the configuration");
    }
    for ds in records {
        println!("{ds}");
    }
    Ok(())
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
        if let Some(path) = &args.generate_key {
            return generate_key(path);
        }
        let Some(path) = &args.config else {
            anyhow::bail!("--config is required");
        };
        let config = tiwire_dnsd::Config::load(path)?;
        if args.print_ds {
            return print_ds(&config);
        }
        if let Some(dir) = &args.dump_signed {
            for path in tiwire_dnsd::dump_signed(&config, dir, std::time::SystemTime::now())? {
                tracing::info!(path = %path.display(), "signed zone written");
            }
            return Ok(());
        }
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
