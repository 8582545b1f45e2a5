//! # tiwire-dnsd
//!
//! The Nameserver Internet of the VPN-Zugangsdienst (gemSpec_VPN_ZugD TIP1-A_4303, §5.1.1.2): authoritative DNS
//! for the zones of one tiwire-dns zone plan (the Internet zone with the `_isakmp._udp.ti-extern` SRV sets, the
//! concentrators' `txtvers=1` TXT records, A/AAAA, and the sites' TI service zones).
//!
//! How it answers: when the plan is loaded, [`AnswerTable::build`] encodes every possible answer once with
//! hickory-proto (see the `table` module docs); per query [`respond`] only parses the question, looks it up and
//! copies and patches the bytes (ID, RD/CD, the question's case, EDNS OPT, TC). UDP is served by blocking worker
//! threads sharing one socket per address (one per CPU by default); TCP by tokio tasks with RFC 7766
//! pipelining (answers in order, written together when no further query is buffered), an idle timeout and a
//! connection limit. The answer table sits behind an `ArcSwap`: [`Running::reload`] (what SIGHUP calls) builds
//! the new table off to the side and swaps it in; queries in flight finish on the old one and none are dropped.
//! A plan that breaks a rule is logged, and the zones being served stay.
//!
//! What it does not do: recursion (RA is never set; names outside the zones are REFUSED), ANY (REFUSED, not an
//! RFC 8482 synthesis), zone transfers (REFUSED; operators who want knot or BIND secondaries serve the zone
//! file `tiwire dns zonefile` writes), TSIG, EDNS options, NSEC3, key rollover.
//!
//! DNSSEC (optional, `[dnssec]` in the configuration; see the `dnssec` module): every zone is signed with one
//! ECDSA P-256 key when the table is built, a second set of answers with RRSIGs and NSEC proofs serves DO=1
//! queries, and a timer builds a new table (the reload path) when a third of the signatures' validity is
//! left. The DS of each zone is logged at startup; `--print-ds` prints it, `--dump-signed <dir>` writes the
//! signed zones as zone files (for `kzonecheck --dnssec on` or a knot/BIND secondary).
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! let config = tiwire_dnsd::Config::load(std::path::Path::new("dnsd.toml"))?;
//! let running = tiwire_dnsd::start(config).await?;
//! println!("serving on {}", running.addr);
//! running.reload().await?;          // what SIGHUP does
//! running.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod config;
mod dnssec;
mod respond;
mod table;
mod tcp;
mod udp;

use std::future::Future;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use arc_swap::ArcSwap;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::Config;
pub use dnssec::ZoneKey;
pub use respond::{Reply, Transport, respond};
pub use table::AnswerTable;

/// Reads and validates the configuration's plan and builds its answers (signed now if `[dnssec]` is set),
/// without binding (`--check-config`).
pub fn check(config: &Config) -> anyhow::Result<AnswerTable> {
    check_at(config, SystemTime::now())
}

/// [`check`] with the signatures made at `now`.
pub fn check_at(config: &Config, now: SystemTime) -> anyhow::Result<AnswerTable> {
    let plan = config.load_plan()?;
    match &config.dnssec {
        None => AnswerTable::build(&plan),
        Some(dnssec) => AnswerTable::build_signed(&plan, &dnssec.load_key()?, now, dnssec.validity()),
    }
}

/// Each zone's DS record in presentation form (`<zone> IN DS <tag> 13 2 <hex>`), for the parent zone or a
/// validator's trust anchor; empty without `[dnssec]`.
pub fn ds_records(config: &Config) -> anyhow::Result<Vec<String>> {
    let Some(dnssec) = &config.dnssec else {
        return Ok(Vec::new());
    };
    let key = dnssec.load_key()?;
    let plan = config.load_plan()?;
    plan.zones()
        .map(|zone| key.ds_line(&zone.origin().to_lowercase()))
        .collect()
}

/// Signs the plan's zones at `now` and writes each as `<dir>/<zone>zone` (the plan's records followed by the
/// DNSKEY, NSEC and RRSIG records). Returns the files written.
pub fn dump_signed(config: &Config, dir: &std::path::Path, now: SystemTime) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let Some(dnssec) = &config.dnssec else {
        anyhow::bail!("no [dnssec] section: nothing is signed");
    };
    let key = dnssec.load_key()?;
    let plan = config.load_plan()?;
    let now = now.duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let validity = u32::try_from(dnssec.validity().as_secs())?;
    let mut written = Vec::new();
    for zone in plan.zones() {
        let signed = dnssec::SignedZone::sign(zone, &key, now, validity)?;
        let mut text = zone.to_zone_file();
        for line in signed.zone_file_lines() {
            text.push_str(&line);
            text.push('\n');
        }
        let path = dir.join(format!("{}zone", zone.origin().to_lowercase()));
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// A running server.
pub struct Running {
    /// The first address served (UDP and TCP).
    pub addr: SocketAddr,
    /// Every address served, UDP and TCP on each.
    pub addrs: Vec<SocketAddr>,
    config: Config,
    table: Arc<ArcSwap<AnswerTable>>,
    stop_udp: Arc<AtomicBool>,
    stop: watch::Sender<bool>,
    udp_threads: Vec<std::thread::JoinHandle<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Reads the plan again and swaps in its answers. On error (unreadable plan, broken rules — each logged)
    /// the zones being served stay and the error is returned.
    pub async fn reload(&self) -> anyhow::Result<()> {
        rebuild(&self.config, &self.table, "reloaded").await
    }

    /// The answer table in use.
    pub fn table(&self) -> Arc<AnswerTable> {
        self.table.load_full()
    }

    /// Stops serving: closes the sockets, ends open TCP connections, and returns when every worker is gone.
    pub async fn shutdown(self) {
        self.stop_udp.store(true, Ordering::Relaxed);
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        let threads = self.udp_threads;
        let _ = tokio::task::spawn_blocking(move || {
            for thread in threads {
                let _ = thread.join();
            }
        })
        .await;
    }
}

/// Builds a new table from the configuration (plan read again, zones signed again) and swaps it in.
async fn rebuild(config: &Config, table: &ArcSwap<AnswerTable>, what: &str) -> anyhow::Result<()> {
    let config = config.clone();
    let new = tokio::task::spawn_blocking(move || check(&config))
        .await
        .context("building the answer table")??;
    log_zones(what, &new);
    table.store(Arc::new(new));
    Ok(())
}

fn log_zones(what: &str, table: &AnswerTable) {
    for (origin, serial) in table.zones() {
        tracing::info!(zone = %origin, serial, "{what}");
    }
    tracing::info!(answers = table.len(), "{what}: answer table ready");
    if let Some(at) = table.resign_at() {
        let days = at.duration_since(SystemTime::now()).unwrap_or_default().as_secs() / 86_400;
        tracing::info!(
            in_days = days,
            "zones signed; signatures are renewed in about {days} days"
        );
    }
}

/// How long to wait before signing again: until `resign_at`, at least a second (no busy loop when the
/// clock is past it).
fn resign_delay(resign_at: SystemTime, now: SystemTime) -> Duration {
    resign_at
        .duration_since(now)
        .unwrap_or_default()
        .max(Duration::from_secs(1))
}

/// Renews the signatures before they expire: sleeps until the table's `resign_at`, then rebuilds it (on
/// failure, e.g. a plan broken since, the error is logged and the rebuild retried every minute).
async fn resign(config: Config, table: Arc<ArcSwap<AnswerTable>>, mut stopped: watch::Receiver<bool>) {
    loop {
        let Some(at) = table.load().resign_at() else {
            return;
        };
        let delay = resign_delay(at, SystemTime::now());
        tokio::select! {
            _ = stopped.changed() => return,
            () = tokio::time::sleep(delay) => {}
        }
        while let Err(e) = rebuild(&config, &table, "re-signed").await {
            tracing::error!("re-signing failed, retrying in a minute: {e:#}");
            tokio::select! {
                _ = stopped.changed() => return,
                () = tokio::time::sleep(Duration::from_secs(60)) => {}
            }
        }
    }
}

/// Loads the plan, binds every address (UDP and TCP) and starts serving.
pub async fn start(config: Config) -> anyhow::Result<Running> {
    let table = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || check(&config))
            .await
            .context("building the answer table")??
    };
    log_zones("loaded", &table);
    for ds in ds_records(&config)? {
        tracing::info!("trust anchor / DS for the parent zone: {ds}");
    }
    let table = Arc::new(ArcSwap::from_pointee(table));
    let stop_udp = Arc::new(AtomicBool::new(false));
    let (stop, stopped) = watch::channel(false);
    let slots = Arc::new(tokio::sync::Semaphore::new(config.limits.tcp_max_connections));
    let mut addrs = Vec::new();
    let mut udp_threads = Vec::new();
    let mut tasks = Vec::new();
    for listen in &config.listen {
        let (socket, listener) = bind(*listen).await?;
        let addr = socket.local_addr()?;
        for n in 0..config.limits.udp_workers() {
            let socket = socket.try_clone().context("cloning the UDP socket")?;
            udp_threads.push(udp::spawn(
                socket,
                n,
                table.clone(),
                config.limits.udp_payload,
                stop_udp.clone(),
            )?);
        }
        tasks.push(tokio::spawn(tcp::accept(
            listener,
            table.clone(),
            config.limits.clone(),
            slots.clone(),
            stopped.clone(),
        )));
        tracing::info!(%addr, "serving DNS over UDP and TCP");
        addrs.push(addr);
    }
    let Some(&addr) = addrs.first() else {
        anyhow::bail!("no listen address");
    };
    tasks.push(tokio::spawn(resign(config.clone(), table.clone(), stopped.clone())));
    Ok(Running {
        addr,
        addrs,
        config,
        table,
        stop_udp,
        stop,
        udp_threads,
        tasks,
    })
}

/// Binds UDP and TCP on `listen`. Port 0: the UDP socket picks a port and TCP takes the same one; when that is
/// taken for TCP, another is tried.
async fn bind(listen: SocketAddr) -> anyhow::Result<(UdpSocket, TcpListener)> {
    let mut attempts = 0;
    loop {
        let socket = UdpSocket::bind(listen).with_context(|| format!("binding UDP {listen}"))?;
        let addr = socket.local_addr()?;
        match TcpListener::bind(addr).await {
            Ok(listener) => return Ok((socket, listener)),
            Err(_) if listen.port() == 0 && attempts < 20 => attempts += 1,
            Err(e) => return Err(e).with_context(|| format!("binding TCP {addr}")),
        }
    }
}

/// [`start`], reload on SIGHUP, serve until `shutdown` completes.
pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let running = start(config).await?;
    let mut shutdown = std::pin::pin!(shutdown);
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hangup = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                _ = hangup.recv() => {
                    if let Err(e) = running.reload().await {
                        tracing::error!("reload failed, the zones being served stay: {e:#}");
                    }
                }
            }
        }
    }
    #[cfg(not(unix))]
    shutdown.await;
    tracing::info!("shutting down");
    running.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resigning_waits_until_resign_at_and_never_spins() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert_eq!(
            resign_delay(now + Duration::from_secs(3600), now),
            Duration::from_secs(3600)
        );
        assert_eq!(
            resign_delay(now - Duration::from_secs(3600), now),
            Duration::from_secs(1)
        );
    }
}
