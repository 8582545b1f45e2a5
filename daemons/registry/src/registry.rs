//! The registry's state: the current list as an immutable snapshot behind `ArcSwap` (readers never wait for
//! a fetch, a fetch never waits for readers), refreshed from the VZD by one task on a schedule and whenever a
//! proxy asks, and persisted after every change.
//!
//! Only the refresher task talks to the VZD. A proxy request asks it for a check that *starts after the
//! request arrived* and waits for that check to finish, up to a time limit; a request that gives up or whose
//! client goes away cancels nothing (the check runs on in the refresher). Requests arriving while a check
//! runs share the next one.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;
use bytes::Bytes;
use tiwire_fedlist::{FederationList, FederationState, Limits, Offer, SignerTrust, parse_passport_certificates};
use tiwire_pki::{RUST_CRYPTO, UnixTime};
use tokio::sync::{Notify, watch};

use crate::store::Store;
use crate::vzd::{ListFetch, Vzd, VzdError};

/// The wall clock, in the form the libraries take it.
pub fn now() -> UnixTime {
    UnixTime::from_secs(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default(),
    )
}

/// What proxies are served: one consistent view.
#[derive(Debug)]
pub struct Snapshot {
    /// The list, its version and confirmation time.
    pub state: FederationState,
    /// The signed document as the VZD sent it.
    pub document: Option<Bytes>,
    /// The list's payload JSON (the reference registration service's contract).
    pub payload_json: Bytes,
    /// The PASSporT certificates' JSON.
    pub passport: Option<Bytes>,
}

/// Counters for `/metrics`.
#[derive(Debug, Default)]
pub struct Counters {
    /// Lists fetched and taken.
    pub lists_taken: AtomicU64,
    /// "Unchanged" answers.
    pub unchanged: AtomicU64,
    /// Failed VZD exchanges.
    pub fetch_failures: AtomicU64,
    /// Lists refused (signature, signer, format, older version).
    pub lists_refused: AtomicU64,
    /// Answers to proxies: 200.
    pub served_full: AtomicU64,
    /// Answers to proxies: 304.
    pub served_unchanged: AtomicU64,
    /// Answers to proxies: 503 because the list is stale.
    pub served_stale: AtomicU64,
    /// Proxy requests answered before their VZD check finished.
    pub check_timeouts: AtomicU64,
    /// Connections refused because the limit was reached.
    pub connections_refused: AtomicU64,
}

/// What one refresh did.
#[derive(Debug)]
#[non_exhaustive]
pub enum Refreshed {
    /// A new version is served.
    Updated {
        /// The new version.
        version: u64,
    },
    /// The VZD confirmed the held version.
    Unchanged,
}

/// Why a refresh did not produce a usable answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RefreshError {
    /// The VZD could not be asked.
    #[error("VZD: {0}")]
    Vzd(#[from] VzdError),
    /// The list was refused.
    #[error("{0}")]
    List(#[from] tiwire_fedlist::ListError),
    /// The list is older than the held one.
    #[error("{0}")]
    Regression(#[from] tiwire_fedlist::VersionRegression),
    /// The state directory could not be written.
    #[error("state directory: {0}")]
    Store(#[from] std::io::Error),
    /// The held list's signer has expired and the VZD offered no newer signature.
    #[error("the held list's signer has expired")]
    SignerExpired,
}

/// Refreshes started and finished, for requests waiting on one that started after they arrived.
#[derive(Clone, Copy, Debug, Default)]
struct Progress {
    started: u64,
    finished: u64,
    started_at: Option<Instant>,
}

/// The registry.
pub struct Registry {
    snapshot: ArcSwap<Snapshot>,
    vzd: Vzd,
    trust: SignerTrust,
    store: Store,
    limits: Limits,
    max_age: u64,
    wake: Notify,
    progress: watch::Sender<Progress>,
    /// Seconds since the epoch of the last persisted confirmation.
    persisted_confirmation: AtomicU64,
    /// Counters.
    pub counters: Counters,
}

/// Confirmation times are written to disk at most this often.
const PERSIST_CONFIRMATION_EVERY: u64 = 60;
/// A full fetch (without `?version=`) at least this often, so a registry whose version got ahead of the
/// VZD's (a reset at the VZD) notices, and the held document's signer is checked against a fresh copy.
const FULL_FETCH_EVERY: Duration = Duration::from_secs(86_400);

impl Registry {
    /// Restores the last good state from `store` (verified again at `now`; an unverifiable document is
    /// ignored with a warning; a confirmation time in the future is not believed).
    pub fn restore(vzd: Vzd, trust: SignerTrust, store: Store, max_age: u64, limits: Limits) -> std::io::Result<Self> {
        let stored = store.load()?;
        let mut snapshot = Snapshot {
            state: FederationState::new(max_age),
            document: None,
            payload_json: Bytes::new(),
            passport: stored.passport.map(Bytes::from),
        };
        let now = now();
        if let Some(document) = stored.list {
            match FederationList::from_jws(&document, &trust, now, &limits, &RUST_CRYPTO) {
                Ok(list) => {
                    let confirmed = stored.confirmed_at.unwrap_or_default().min(now);
                    tracing::info!(
                        version = list.version(),
                        domains = list.len(),
                        "restored the last good list"
                    );
                    snapshot.payload_json = Bytes::from(list.to_payload_json());
                    snapshot.state = FederationState::with_list(list, confirmed, max_age);
                    snapshot.document = Some(Bytes::from(document));
                }
                Err(e) => tracing::warn!(error = %e, "the stored list no longer verifies; starting without one"),
            }
        }
        let persisted = stored.confirmed_at.map(UnixTime::as_secs).unwrap_or_default();
        Ok(Registry {
            snapshot: ArcSwap::from_pointee(snapshot),
            vzd,
            trust,
            store,
            limits,
            max_age,
            wake: Notify::new(),
            progress: watch::Sender::new(Progress::default()),
            persisted_confirmation: AtomicU64::new(persisted.min(now.as_secs())),
            counters: Counters::default(),
        })
    }

    /// The current snapshot (wait-free).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// The maximum age, seconds.
    pub fn max_age(&self) -> u64 {
        self.max_age
    }

    /// Asks for a VZD check that starts now (or shares one that started less than `min_interval` ago) and
    /// waits up to `timeout` for it. `false` when it did not finish in time; the check goes on regardless.
    pub async fn check_for_request(&self, timeout: Duration, min_interval: Duration) -> bool {
        let mut progress = self.progress.subscribe();
        let current = *progress.borrow_and_update();
        let recent = current.started_at.is_some_and(|at| at.elapsed() < min_interval);
        let target = if recent {
            current.started
        } else {
            self.wake.notify_one();
            current.started + 1
        };
        let done = tokio::time::timeout(timeout, progress.wait_for(|p| p.finished >= target)).await;
        let in_time = matches!(done, Ok(Ok(_)));
        if !in_time {
            self.counters.check_timeouts.fetch_add(1, Ordering::Relaxed);
        }
        in_time
    }

    /// One refresh; only the refresher task calls this. `scheduled`: also fetch the PASSporT certificates,
    /// and fetch the whole list when the last full fetch is `full_due`.
    async fn refresh(&self, scheduled: bool, full_due: bool) -> Result<Refreshed, RefreshError> {
        let current = self.snapshot();
        let now = now();
        // A held list whose signer has expired is not confirmed by "unchanged": fetch it whole.
        let signer_expired = current
            .state
            .list()
            .and_then(FederationList::signer)
            .is_some_and(|s| !s.certificate.is_valid_at(now));
        let known = if full_due || signer_expired {
            None
        } else {
            current.state.version()
        };
        let fetched = self.vzd.federation_list(known).await?;
        let passport = if scheduled {
            self.passport_certificates(&current).await
        } else {
            current.passport.clone()
        };
        let mut state = current.state.clone();
        let (outcome, document, payload_json) = match fetched {
            ListFetch::Unchanged if signer_expired => return Err(RefreshError::SignerExpired),
            ListFetch::Unchanged => {
                state.confirm(now, 0);
                self.counters.unchanged.fetch_add(1, Ordering::Relaxed);
                (
                    Refreshed::Unchanged,
                    current.document.clone(),
                    current.payload_json.clone(),
                )
            }
            ListFetch::Document(document) => {
                let list = FederationList::from_jws(&document, &self.trust, now, &self.limits, &RUST_CRYPTO)?;
                let (version, domains, skipped) = (list.version(), list.len(), list.skipped());
                let payload = Bytes::from(list.to_payload_json());
                match state.offer(list, now, 0)? {
                    Offer::Replaced { previous } => {
                        let store = self.store.clone();
                        let bytes = document.clone();
                        blocking(move || store.save_list(&bytes, now)).await?;
                        self.persisted_confirmation.store(now.as_secs(), Ordering::Relaxed);
                        self.counters.lists_taken.fetch_add(1, Ordering::Relaxed);
                        tracing::info!(version, ?previous, domains, skipped, "new federation list");
                        (Refreshed::Updated { version }, Some(document), payload)
                    }
                    _ => {
                        // The same version again (a full fetch): the held one stays, now confirmed and, if
                        // the VZD re-signed it, with the new document, stored once.
                        if current.document.as_ref() != Some(&document) {
                            let store = self.store.clone();
                            let bytes = document.clone();
                            blocking(move || store.save_list(&bytes, now)).await?;
                            self.persisted_confirmation.store(now.as_secs(), Ordering::Relaxed);
                        }
                        self.counters.unchanged.fetch_add(1, Ordering::Relaxed);
                        (Refreshed::Unchanged, Some(document), current.payload_json.clone())
                    }
                }
            }
        };
        let persisted = self.persisted_confirmation.load(Ordering::Relaxed);
        if matches!(outcome, Refreshed::Unchanged)
            && now.as_secs() >= persisted.saturating_add(PERSIST_CONFIRMATION_EVERY)
            && state.list().is_some()
        {
            // Only the confirmation time: the list file changes only when the document does.
            let store = self.store.clone();
            blocking(move || store.save_confirmation(now)).await?;
            self.persisted_confirmation.store(now.as_secs(), Ordering::Relaxed);
        }
        self.snapshot.store(Arc::new(Snapshot {
            state,
            document,
            payload_json,
            passport,
        }));
        Ok(outcome)
    }

    /// The PASSporT certificates from the VZD when they changed and parse; else the held ones.
    async fn passport_certificates(&self, current: &Snapshot) -> Option<Bytes> {
        match self.vzd.passport_certificates().await {
            Ok(Some(json)) if current.passport.as_ref() == Some(&json) => current.passport.clone(),
            Ok(Some(json)) => match parse_passport_certificates(&json) {
                Ok(certificates) => {
                    let store = self.store.clone();
                    let bytes = json.clone();
                    match blocking(move || store.save_passport(&bytes)).await {
                        Ok(()) => {
                            tracing::info!(count = certificates.len(), "new PASSporT certificates");
                            Some(json)
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "PASSporT certificates not stored; keeping the held ones");
                            current.passport.clone()
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "refused the PASSporT certificates; keeping the held ones");
                    current.passport.clone()
                }
            },
            Ok(None) => current.passport.clone(),
            Err(e) => {
                tracing::warn!(error = %e, "PASSporT certificates not fetched; keeping the held ones");
                current.passport.clone()
            }
        }
    }
}

async fn blocking(f: impl FnOnce() -> std::io::Result<()> + Send + 'static) -> std::io::Result<()> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?
}

/// Retry delays after failures: 5 s doubling up to 15 minutes, never beyond the regular interval.
pub fn backoff(failures: u32, interval: Duration) -> Duration {
    let base = Duration::from_secs(5).saturating_mul(1u32 << failures.min(8));
    base.min(Duration::from_secs(900)).min(interval)
}

/// The only task that talks to the VZD: on start, every `interval` (after failures: with backoff), and when
/// a proxy request asks.
pub(crate) async fn refresher(registry: Arc<Registry>, interval: Duration, mut stopped: watch::Receiver<bool>) {
    let mut failures = 0u32;
    let mut next_scheduled = tokio::time::Instant::now();
    let mut last_full: Option<Instant> = None;
    loop {
        let scheduled = tokio::select! {
            _ = tokio::time::sleep_until(next_scheduled) => true,
            _ = registry.wake.notified() => false,
            _ = stopped.changed() => return,
        };
        let full_due = scheduled && last_full.is_none_or(|at| at.elapsed() >= FULL_FETCH_EVERY);
        registry.progress.send_modify(|p| {
            p.started += 1;
            p.started_at = Some(Instant::now());
        });
        let result = registry.refresh(scheduled, full_due).await;
        registry.progress.send_modify(|p| p.finished = p.started);
        match &result {
            Ok(outcome) => {
                tracing::debug!(?outcome, scheduled, "refresh");
                if full_due {
                    last_full = Some(Instant::now());
                }
            }
            Err(RefreshError::Vzd(e)) => {
                registry.counters.fetch_failures.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, scheduled, "VZD check failed; the held list is served");
            }
            Err(e) => {
                registry.counters.lists_refused.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, scheduled, "list refused; the held list is served");
            }
        }
        if result.is_err() && registry.snapshot().state.is_stale(now()) {
            let max_age = registry.max_age;
            tracing::error!(
                max_age,
                "the federation list is stale: it is no longer handed to proxies"
            );
        }
        if scheduled {
            let wait = if result.is_ok() {
                failures = 0;
                interval
            } else {
                failures = failures.saturating_add(1);
                backoff(failures - 1, interval)
            };
            next_scheduled = tokio::time::Instant::now() + wait;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let day = Duration::from_secs(86_400);
        assert_eq!(backoff(0, day), Duration::from_secs(5));
        assert_eq!(backoff(3, day), Duration::from_secs(40));
        assert_eq!(backoff(30, day), Duration::from_secs(900));
        assert_eq!(backoff(30, Duration::from_secs(60)), Duration::from_secs(60));
    }
}
