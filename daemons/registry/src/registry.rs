//! The registry's state: the current list as an immutable snapshot behind `ArcSwap` (readers never wait for
//! a fetch, a fetch never waits for readers), refreshed from the VZD on schedule and on proxy requests, and
//! persisted after every change.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;
use bytes::Bytes;
use tiwire_fedlist::{FederationList, FederationState, Limits, Offer, SignerTrust, parse_passport_certificates};
use tiwire_pki::{RUST_CRYPTO, UnixTime};
use tokio::sync::Mutex;

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
}

/// The registry.
pub struct Registry {
    snapshot: ArcSwap<Snapshot>,
    vzd: Vzd,
    trust: SignerTrust,
    store: Store,
    limits: Limits,
    max_age: u64,
    /// Held while a refresh runs; holds when the last one started, so waiting requests can tell whether it
    /// began after they arrived.
    refreshing: Mutex<Option<Instant>>,
    /// Seconds since the epoch of the last persisted confirmation.
    persisted_confirmation: AtomicU64,
    /// Counters.
    pub counters: Counters,
}

/// Confirmation times are written to disk at most this often.
const PERSIST_CONFIRMATION_EVERY: u64 = 60;

impl Registry {
    /// Restores the last good state from `store` (verified again at `now`; an unverifiable document is
    /// ignored with a warning).
    pub fn restore(vzd: Vzd, trust: SignerTrust, store: Store, max_age: u64, limits: Limits) -> std::io::Result<Self> {
        let stored = store.load()?;
        let mut snapshot = Snapshot {
            state: FederationState::new(max_age),
            document: None,
            payload_json: Bytes::new(),
            passport: stored.passport.map(Bytes::from),
        };
        if let Some(document) = stored.list {
            match FederationList::from_jws(&document, &trust, now(), &limits, &RUST_CRYPTO) {
                Ok(list) => {
                    let confirmed = stored.confirmed_at.unwrap_or_default();
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
            refreshing: Mutex::new(None),
            persisted_confirmation: AtomicU64::new(persisted),
            counters: Counters::default(),
        })
    }

    /// The current snapshot (wait-free).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// Asks the VZD, unless a refresh started after `arrived` already did: concurrent callers share one.
    pub async fn refresh_since(&self, arrived: Instant) -> Result<Refreshed, RefreshError> {
        let mut last = self.refreshing.lock().await;
        if last.is_some_and(|started| started >= arrived) {
            return Ok(Refreshed::Unchanged);
        }
        *last = Some(Instant::now());
        let result = self.refresh_locked().await;
        match &result {
            Ok(_) => {}
            Err(RefreshError::Vzd(_)) => {
                self.counters.fetch_failures.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                self.counters.lists_refused.fetch_add(1, Ordering::Relaxed);
            }
        }
        result
    }

    async fn refresh_locked(&self) -> Result<Refreshed, RefreshError> {
        let current = self.snapshot();
        let fetched = self.vzd.federation_list(current.state.version()).await?;
        let passport = match self.vzd.passport_certificates().await {
            Ok(Some(json)) => match parse_passport_certificates(&json) {
                Ok(_) if current.passport.as_ref() != Some(&json) => {
                    let store = self.store.clone();
                    let bytes = json.clone();
                    blocking(move || store.save_passport(&bytes)).await?;
                    Some(json)
                }
                Ok(_) => current.passport.clone(),
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
        };
        let now = now();
        let mut state = current.state.clone();
        let (outcome, document, payload_json) = match fetched {
            ListFetch::Unchanged => {
                state.confirm(now);
                self.counters.unchanged.fetch_add(1, Ordering::Relaxed);
                (
                    Refreshed::Unchanged,
                    current.document.clone(),
                    current.payload_json.clone(),
                )
            }
            ListFetch::Document(document) => {
                let list = FederationList::from_jws(&document, &self.trust, now, &self.limits, &RUST_CRYPTO)?;
                let (version, domains) = (list.version(), list.len());
                let payload = Bytes::from(list.to_payload_json());
                match state.offer(list, now)? {
                    Offer::Unchanged => {
                        self.counters.unchanged.fetch_add(1, Ordering::Relaxed);
                        (
                            Refreshed::Unchanged,
                            current.document.clone(),
                            current.payload_json.clone(),
                        )
                    }
                    Offer::Replaced { previous } => {
                        let store = self.store.clone();
                        let bytes = document.clone();
                        blocking(move || store.save_list(&bytes, now)).await?;
                        self.persisted_confirmation.store(now.as_secs(), Ordering::Relaxed);
                        self.counters.lists_taken.fetch_add(1, Ordering::Relaxed);
                        tracing::info!(version, ?previous, domains, "new federation list");
                        (Refreshed::Updated { version }, Some(document), payload)
                    }
                    _ => (
                        Refreshed::Unchanged,
                        current.document.clone(),
                        current.payload_json.clone(),
                    ),
                }
            }
        };
        if matches!(outcome, Refreshed::Unchanged)
            && now.as_secs() >= self.persisted_confirmation.load(Ordering::Relaxed) + PERSIST_CONFIRMATION_EVERY
            && state.list().is_some()
        {
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

    /// The maximum age, seconds.
    pub fn max_age(&self) -> u64 {
        self.max_age
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
