//! The list a proxy or the registry holds, and how fresh it is.
//!
//! Freshness is the time since the list was last confirmed by its source (fetched, or answered "unchanged"
//! for its version), not the age of the list: the VZD raises the version only when a domain changes. A list
//! older than `max_age` (72 h by default) gives [`Membership::Stale`], distinct from "not listed", so the
//! daemon can tell operators why federation stopped.
//!
//! Confirmations carry an age: 0 when the VZD itself answered, the registry's `Age` header when a proxy
//! hears from its Registrierungs-Dienst — so a registry cut off from the VZD cannot keep its proxies' lists
//! fresh by answering 304. A confirmation time more than [`MAX_CLOCK_SKEW`] in the future (the clock went
//! back, or jumped forward and returned) is not trusted: the list counts as stale until confirmed again.

use std::sync::Arc;

use tiwire_pki::UnixTime;

use crate::error::VersionRegression;
use crate::list::FederationList;

/// The maximum age of a list without confirmation, 72 hours.
pub const DEFAULT_MAX_AGE: u64 = 72 * 3600;

/// How far in the future a confirmation time may lie before it is distrusted, seconds.
pub const MAX_CLOCK_SKEW: u64 = 300;

/// The answer to "may this server federate with us?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Membership {
    /// The server's domain is in a fresh list.
    Listed,
    /// The domain is not in the list (or the name is not a valid server name).
    NotListed,
    /// The list was last confirmed longer ago than the maximum age; nobody is admitted.
    Stale {
        /// Seconds since the last confirmation.
        age_secs: u64,
    },
    /// No list has been loaded yet; nobody is admitted.
    NoList,
}

impl Membership {
    /// Only [`Membership::Listed`] admits.
    pub const fn admits(self) -> bool {
        matches!(self, Membership::Listed)
    }
}

/// What [`FederationState::offer`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Offer {
    /// The first list, or a newer version: now current.
    Replaced {
        /// The version held before, if any.
        previous: Option<u64>,
    },
    /// The same version as held: the held list is kept and counts as confirmed.
    Unchanged,
}

/// A federation list with its last confirmation time and the maximum age. Cloning is cheap (the list is
/// shared), so a daemon can publish a new state per confirmation without copying the list.
#[derive(Clone, Debug)]
pub struct FederationState {
    list: Option<Arc<FederationList>>,
    confirmed_at: UnixTime,
    max_age: u64,
}

impl FederationState {
    /// No list yet; lists older than `max_age` seconds count as stale.
    pub fn new(max_age: u64) -> Self {
        FederationState {
            list: None,
            confirmed_at: UnixTime::from_secs(0),
            max_age,
        }
    }

    /// A state holding `list`, last confirmed at `confirmed_at` (e.g. restored from disk).
    pub fn with_list(list: FederationList, confirmed_at: UnixTime, max_age: u64) -> Self {
        FederationState {
            list: Some(Arc::new(list)),
            confirmed_at,
            max_age,
        }
    }

    /// Takes `list` if it is the first or newer; the same version only confirms the held one. A lower
    /// version is refused (a replayed old list must not resurrect removed domains). `age`: how old the
    /// source says its confirmation is (0 for the VZD, `Age` for a registry).
    pub fn offer(&mut self, list: FederationList, now: UnixTime, age: u64) -> Result<Offer, VersionRegression> {
        let previous = self.version();
        match previous {
            Some(current) if list.version() < current => Err(VersionRegression {
                current,
                offered: list.version(),
            }),
            Some(current) if list.version() == current => {
                self.confirm(now, age);
                Ok(Offer::Unchanged)
            }
            _ => {
                self.list = Some(Arc::new(list));
                self.confirmed_at = now.minus(age);
                Ok(Offer::Replaced { previous })
            }
        }
    }

    /// The source said the held version is current (VZD 204, registry 304 with its `Age`). Keeps the latest
    /// confirmation, unless the held one lies in the future.
    pub fn confirm(&mut self, now: UnixTime, age: u64) {
        if self.list.is_none() {
            return;
        }
        let at = now.minus(age);
        if at > self.confirmed_at || self.confirmed_at > now.plus(MAX_CLOCK_SKEW) {
            self.confirmed_at = at;
        }
    }

    /// The held list.
    pub fn list(&self) -> Option<&FederationList> {
        self.list.as_deref()
    }

    /// The held version, for the next conditional fetch (`?version=N`).
    pub fn version(&self) -> Option<u64> {
        self.list.as_deref().map(FederationList::version)
    }

    /// When the held list was last confirmed.
    pub fn confirmed_at(&self) -> Option<UnixTime> {
        self.list.as_ref().map(|_| self.confirmed_at)
    }

    /// Seconds since the last confirmation (0 if it lies in the future).
    pub fn age(&self, now: UnixTime) -> Option<u64> {
        self.confirmed_at().map(|at| now.as_secs().saturating_sub(at.as_secs()))
    }

    /// Whether a list is held but too old (or confirmed in the future) to admit anyone.
    pub fn is_stale(&self, now: UnixTime) -> bool {
        self.list.is_some() && self.staleness(now).is_some()
    }

    /// `Some(age)` when the held confirmation does not make the list fresh at `now`.
    fn staleness(&self, now: UnixTime) -> Option<u64> {
        let age = now.as_secs().saturating_sub(self.confirmed_at.as_secs());
        let future = self.confirmed_at > now.plus(MAX_CLOCK_SKEW);
        (age > self.max_age || future).then_some(age)
    }

    /// May `server_name` federate with us at `now`?
    pub fn check(&self, server_name: &str, now: UnixTime) -> Membership {
        let Some(list) = &self.list else {
            return Membership::NoList;
        };
        if let Some(age_secs) = self.staleness(now) {
            return Membership::Stale { age_secs };
        }
        if list.contains(server_name) {
            Membership::Listed
        } else {
            Membership::NotListed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::{DomainEntry, DomainForm};

    fn list(version: u64, domains: &[&str]) -> FederationList {
        let entries = domains.iter().map(|d| DomainEntry::new(*d)).collect();
        FederationList::new(version, DomainForm::Clear, entries).unwrap()
    }

    #[test]
    fn versions_only_go_up_and_age_is_since_confirmation() {
        let t0 = UnixTime::from_secs(1_700_000_000);
        let mut state = FederationState::new(DEFAULT_MAX_AGE);
        assert_eq!(state.check("a.de", t0), Membership::NoList);
        assert_eq!(
            state.offer(list(5, &["a.de"]), t0, 0),
            Ok(Offer::Replaced { previous: None })
        );
        assert_eq!(state.check("A.de:8448", t0), Membership::Listed);
        assert_eq!(state.check("b.de", t0), Membership::NotListed);
        assert_eq!(
            state.offer(list(4, &["b.de"]), t0, 0),
            Err(VersionRegression { current: 5, offered: 4 })
        );
        assert_eq!(state.check("b.de", t0), Membership::NotListed);

        // Exactly 72 h after the fetch is still fresh; one second later is stale.
        let limit = t0.plus(DEFAULT_MAX_AGE);
        assert_eq!(state.check("a.de", limit), Membership::Listed);
        assert_eq!(
            state.check("a.de", limit.plus(1)),
            Membership::Stale {
                age_secs: DEFAULT_MAX_AGE + 1
            }
        );
        assert!(state.is_stale(limit.plus(1)));
        // An "unchanged" answer makes it fresh again, without replacing the list.
        state.confirm(limit.plus(1), 0);
        assert_eq!(state.check("a.de", limit.plus(2)), Membership::Listed);
        assert_eq!(state.offer(list(5, &["b.de"]), limit.plus(3), 0), Ok(Offer::Unchanged));
        assert_eq!(state.check("b.de", limit.plus(3)), Membership::NotListed);
        assert_eq!(
            state.offer(list(6, &["b.de"]), limit.plus(4), 0),
            Ok(Offer::Replaced { previous: Some(5) })
        );
        assert_eq!(state.check("b.de", limit.plus(4)), Membership::Listed);
        assert_eq!(state.check("a.de", limit.plus(4)), Membership::NotListed);
        // An older confirmation (a registry's 304 with a large Age) does not make the list older.
        state.confirm(limit.plus(5), 3600);
        assert_eq!(state.age(limit.plus(5)), Some(1));
    }

    #[test]
    fn registries_pass_their_age_on_and_future_confirmations_are_distrusted() {
        let t0 = UnixTime::from_secs(1_700_000_000);
        let mut state = FederationState::new(DEFAULT_MAX_AGE);
        // The registry's copy was last confirmed by the VZD 71 h ago: one more hour and it is stale,
        // however often the registry answers 304.
        state.offer(list(1, &["a.de"]), t0, 71 * 3600).unwrap();
        assert_eq!(state.check("a.de", t0), Membership::Listed);
        state.confirm(t0.plus(3601), 71 * 3600 + 3601);
        assert!(matches!(state.check("a.de", t0.plus(3601)), Membership::Stale { .. }));

        // The clock jumps 200 days ahead, a confirmation is taken, the clock comes back: not fresh for 200 days.
        let ahead = t0.plus(200 * 86_400);
        state.confirm(ahead, 0);
        assert_eq!(state.check("a.de", ahead), Membership::Listed);
        assert!(matches!(state.check("a.de", t0.plus(7200)), Membership::Stale { .. }));
        assert!(state.is_stale(t0.plus(7200)));
        // The next real confirmation repairs it.
        state.confirm(t0.plus(7200), 0);
        assert_eq!(state.check("a.de", t0.plus(7200)), Membership::Listed);
        // A confirmation within the skew is fine.
        state.confirm(t0.plus(7200 + MAX_CLOCK_SKEW), 0);
        assert_eq!(state.check("a.de", t0.plus(7200)), Membership::Listed);
    }
}
