//! # tiwire-registry
//!
//! The TI-Messenger Registrierungs-Dienst's federation part (gemSpec_TI-Messenger-FD §5.2.2): fetches the
//! FederationList (and, where the VZD still offers them, the PASSporT certificates) from the
//! VZD-FHIR-Directory with OAuth2 client credentials, verifies the list with tiwire-fedlist, keeps the last
//! good one on disk, and serves it to the Messenger-Proxies over HTTPS.
//!
//! Every protocol decision is a library call (tiwire-fedlist); this crate owns sockets, TLS, timers, files
//! and metrics. [`start`] is what `main` and the quickstart call.

pub mod client;
pub mod config;
mod http;
pub mod registry;
#[cfg(feature = "standin")]
pub mod standin;
mod store;
pub mod vzd;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

pub use config::Config;
pub use registry::Registry;

use crate::client::HttpsClient;
use crate::http::Serving;
use crate::store::Store;
use crate::vzd::Vzd;

/// Time a client has to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest a connection is kept (slow readers of a large list included); proxies reconnect.
const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);
/// Pause after a failed accept.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// A running registry.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The state, for the quickstart and tests.
    pub registry: Arc<Registry>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, lets open exchanges finish, and returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

fn server_tls(config: &Config) -> anyhow::Result<TlsAcceptor> {
    let chain = CertificateDer::pem_file_iter(&config.tls.certificate)
        .with_context(|| format!("reading {}", config.tls.certificate.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("parsing {}", config.tls.certificate.display()))?;
    let key = PrivateKeyDer::from_pem_file(&config.tls.private_key)
        .with_context(|| format!("reading {}", config.tls.private_key.display()))?;
    let builder =
        rustls::ServerConfig::builder_with_provider(client::provider()).with_safe_default_protocol_versions()?;
    let builder = match &config.tls.client_roots {
        None => builder.with_no_client_auth(),
        Some(path) => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in config::read_certificates(path)? {
                roots.add(CertificateDer::from(cert.der().to_vec()))?;
            }
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), client::provider())
                    .build()
                    .context("client certificate roots")?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let tls = builder
        .with_single_cert(chain, key)
        .context("server certificate and key")?;
    Ok(TlsAcceptor::from(Arc::new(tls)))
}

fn vzd(config: &Config) -> anyhow::Result<Vzd> {
    let roots = config::read_certificates(&config.vzd.roots)?;
    let client_auth = match (&config.vzd.client_certificate, &config.vzd.client_key) {
        (Some(cert), Some(key)) => Some((
            std::fs::read(cert).with_context(|| format!("reading {}", cert.display()))?,
            std::fs::read(key).with_context(|| format!("reading {}", key.display()))?,
        )),
        _ => None,
    };
    let client = HttpsClient::new(
        &roots,
        client_auth.as_ref().map(|(c, k)| (c.as_slice(), k.as_slice())),
        config.timeout(),
    )?;
    let secret = std::fs::read_to_string(&config.vzd.client_secret_file)
        .with_context(|| format!("reading {}", config.vzd.client_secret_file.display()))?;
    Ok(Vzd::new(
        client,
        config.vzd.clone(),
        secret.trim().to_owned(),
        tiwire_fedlist::Limits::default().max_bytes,
    ))
}

/// Checks everything `start` would read, without binding or fetching (`--check-config`).
pub fn check(config: &Config) -> anyhow::Result<()> {
    server_tls(config)?;
    vzd(config)?;
    config.signer_trust()?;
    Ok(())
}

/// Restores the state, binds, fetches once in the background and starts the schedule.
pub async fn start(config: Config) -> anyhow::Result<Running> {
    let acceptor = server_tls(&config)?;
    let store =
        Store::open(&config.state_dir).with_context(|| format!("state directory {}", config.state_dir.display()))?;
    let registry = Arc::new(Registry::restore(
        vzd(&config)?,
        config.signer_trust()?,
        store,
        config.max_age_secs,
        tiwire_fedlist::Limits::default(),
    )?);
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let serving = Serving {
        check_on_request: config.check_on_request,
        check_timeout: Duration::from_millis(config.request_check_timeout_ms),
        check_min_interval: Duration::from_millis(config.request_check_min_interval_ms),
    };
    let interval = Duration::from_secs(config.refresh_interval_secs);
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let tasks = vec![
        tokio::spawn(registry::refresher(registry.clone(), interval, stopped.clone())),
        tokio::spawn(accept(listener, acceptor, registry.clone(), serving, slots, stopped)),
    ];
    tracing::info!(%addr, "registry listening");
    Ok(Running {
        addr,
        registry,
        stop,
        tasks,
    })
}

/// [`start`], then serve until `shutdown` completes.
pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let running = start(config).await?;
    shutdown.await;
    tracing::info!("shutting down");
    running.shutdown().await;
    Ok(())
}

async fn accept(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    registry: Arc<Registry>,
    serving: Serving,
    slots: Arc<Semaphore>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let (tcp, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, for example: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            _ = stopped.changed() => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            registry
                .counters
                .connections_refused
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::debug!("connection limit reached; closing a new connection");
            continue;
        };
        let acceptor = acceptor.clone();
        let registry = registry.clone();
        let mut stop = stopped.clone();
        connections.spawn(async move {
            let _slot = slot;
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!("TLS handshake timed out");
                    return;
                }
            };
            let service = service_fn(move |request| http::handle(registry.clone(), serving, request));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10))
                .serve_connection(TokioIo::new(tls), service);
            tokio::pin!(connection);
            let deadline = tokio::time::sleep(CONNECTION_LIFETIME);
            tokio::pin!(deadline);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                    return;
                }
                _ = stop.changed() => {}
                _ = &mut deadline => tracing::debug!("connection lifetime reached"),
            }
            // Let the exchange in progress finish, briefly.
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(10), connection).await;
        });
        while connections.try_join_next().is_some() {}
    }
    while connections.join_next().await.is_some() {}
}
