//! The daemon's TOML configuration: unknown keys are errors, defaults are named functions, relative paths are
//! relative to the configuration file, and [`Config::load_plan`] reads and validates the zone plan so
//! `--check-config` catches a broken plan too.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;
use tiwire_dns::{PlanError, PlanPolicy, ZonePlan};

/// The whole configuration file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Addresses to serve on; each is bound for UDP and for TCP (port 0: one free port, the same for both).
    pub listen: Vec<SocketAddr>,
    /// The zone plan (tiwire-dns TOML), relative to this file.
    pub plan: PathBuf,
    /// Relaxations of the plan rules for labs (the defaults are the seed's).
    #[serde(default)]
    pub plan_policy: PolicyConfig,
    /// Resource limits.
    #[serde(default)]
    pub limits: Limits,
    /// DNSSEC signing of every zone of the plan; absent: the zones are served unsigned.
    #[serde(default)]
    pub dnssec: Option<DnssecConfig>,
}

/// `[dnssec]`: one ECDSA P-256 key (CSK) signs every zone of the plan (see the `dnssec` module).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnssecConfig {
    /// The PKCS#8 PEM private key (P-256), relative to this file; `tiwire-dnsd --generate-key <path>` writes one.
    pub key: PathBuf,
    /// How long signatures are valid, days (1–90); they are renewed when a third is left.
    #[serde(default = "default_validity_days")]
    pub validity_days: u32,
}

impl DnssecConfig {
    /// The signatures' validity.
    pub fn validity(&self) -> Duration {
        Duration::from_secs(u64::from(self.validity_days) * 86_400)
    }

    /// Reads the key.
    pub fn load_key(&self) -> anyhow::Result<crate::ZoneKey> {
        crate::ZoneKey::load(&self.key)
    }
}

fn default_validity_days() -> u32 {
    14
}

/// Knobs of [`PlanPolicy`]; leave them out in production.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// Fewest Nameserver Internet (TIP1-A_4303: 3).
    #[serde(default)]
    pub min_internet_nameservers: Option<usize>,
    /// Fewest NTP servers per site (TIP1-A_4328: 2).
    #[serde(default)]
    pub min_ntp_per_site: Option<usize>,
    /// Require IPv6 addresses on concentrators and Registrierungsserver (A_17180, A_17181).
    #[serde(default = "default_true")]
    pub require_ipv6: bool,
}

/// Limits on what one client or the whole server may use.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// The EDNS(0) UDP payload size we announce and the most we send over UDP (RFC 9715 / DNS flag day 2020:
    /// 1232).
    #[serde(default = "default_udp_payload")]
    pub udp_payload: u16,
    /// Threads answering UDP (0: half the CPUs, at least one). They share one socket; measured with
    /// `benches/dnsd.sh` on 2 cores, one worker costs 0.74–0.82× knot's CPU per query and two cost 1.0–1.1×
    /// (wake-ups on the shared socket), so more workers only pay where there are cores to spare.
    #[serde(default)]
    pub udp_workers: usize,
    /// Most simultaneous TCP connections; more are closed at once.
    #[serde(default = "default_tcp_max_connections")]
    pub tcp_max_connections: usize,
    /// A TCP connection with no complete query for this long is closed, milliseconds (RFC 7766 §6.2.3).
    #[serde(default = "default_tcp_idle_timeout_ms")]
    pub tcp_idle_timeout_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            udp_payload: default_udp_payload(),
            udp_workers: 0,
            tcp_max_connections: default_tcp_max_connections(),
            tcp_idle_timeout_ms: default_tcp_idle_timeout_ms(),
        }
    }
}

impl Limits {
    /// The TCP idle timeout.
    pub fn tcp_idle_timeout(&self) -> Duration {
        Duration::from_millis(self.tcp_idle_timeout_ms)
    }

    /// UDP worker threads to start.
    pub fn udp_workers(&self) -> usize {
        if self.udp_workers == 0 {
            std::thread::available_parallelism().map_or(1, |n| (usize::from(n) / 2).max(1))
        } else {
            self.udp_workers
        }
    }
}

fn default_true() -> bool {
    true
}

fn default_udp_payload() -> u16 {
    1232
}

fn default_tcp_max_connections() -> usize {
    512
}

fn default_tcp_idle_timeout_ms() -> u64 {
    10_000
}

impl Config {
    /// Reads the file; relative paths in it are resolved against its directory.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Self::from_toml(&text, path.parent().unwrap_or(Path::new(".")))
            .with_context(|| format!("configuration {}", path.display()))
    }

    /// Parses and validates configuration text; relative paths are resolved against `base`.
    pub fn from_toml(text: &str, base: &Path) -> anyhow::Result<Self> {
        let mut config: Self = toml::from_str(text)?;
        if config.plan.is_relative() {
            config.plan = base.join(&config.plan);
        }
        if let Some(dnssec) = &mut config.dnssec
            && dnssec.key.is_relative()
        {
            dnssec.key = base.join(&dnssec.key);
        }
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.listen.is_empty() {
            bail!("listen: at least one address");
        }
        if !(512..=4096).contains(&self.limits.udp_payload) {
            bail!("limits.udp_payload must be between 512 and 4096 (1232 recommended)");
        }
        if self.limits.udp_workers > 64 {
            bail!("limits.udp_workers must be at most 64");
        }
        if !(1..=65_536).contains(&self.limits.tcp_max_connections) {
            bail!("limits.tcp_max_connections must be between 1 and 65536");
        }
        if !(100..=600_000).contains(&self.limits.tcp_idle_timeout_ms) {
            bail!("limits.tcp_idle_timeout_ms must be between 100 and 600000");
        }
        if let Some(dnssec) = &self.dnssec
            && !(1..=90).contains(&dnssec.validity_days)
        {
            bail!("dnssec.validity_days must be between 1 and 90");
        }
        Ok(())
    }

    /// The plan rules in force.
    pub fn policy(&self) -> PlanPolicy {
        let mut policy = PlanPolicy::default();
        if let Some(min) = self.plan_policy.min_internet_nameservers {
            policy = policy.with_min_internet_nameservers(min);
        }
        if let Some(min) = self.plan_policy.min_ntp_per_site {
            policy = policy.with_min_ntp_per_site(min);
        }
        if !self.plan_policy.require_ipv6 {
            policy = policy.without_ipv6_requirement();
        }
        policy
    }

    /// Reads and validates the zone plan. A plan that breaks rules logs every violation (warn level) before
    /// the error is returned.
    pub fn load_plan(&self) -> anyhow::Result<ZonePlan> {
        let text = std::fs::read_to_string(&self.plan).with_context(|| format!("reading {}", self.plan.display()))?;
        ZonePlan::from_toml(&text, &self.policy())
            .inspect_err(|e| {
                if let PlanError::Invalid(violations) = e {
                    for violation in violations {
                        tracing::warn!(plan = %self.plan.display(), "{violation}");
                    }
                }
            })
            .with_context(|| format!("zone plan {}", self.plan.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::from_toml(include_str!("../dnsd.example.toml"), base).unwrap();
        assert_eq!(config.limits.udp_payload, 1232);
        assert!(config.plan.ends_with("bench-provider.zoneplan.toml"));
        config.load_plan().unwrap();
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = Config::from_toml(
            "listen = [\"127.0.0.1:53\"]\nplan = \"p\"\nrecursion = true\n",
            Path::new("."),
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("recursion"), "{err:#}");
        let err = Config::from_toml(
            "listen = [\"127.0.0.1:53\"]\nplan = \"p\"\n[limits]\nudp_paylod = 1232\n",
            Path::new("."),
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("udp_paylod"), "{err:#}");
    }

    #[test]
    fn limits_are_checked() {
        for bad in [
            "listen = []\nplan = \"p\"\n",
            "listen = [\"127.0.0.1:53\"]\nplan = \"p\"\n[limits]\nudp_payload = 100\n",
            "listen = [\"127.0.0.1:53\"]\nplan = \"p\"\n[limits]\ntcp_max_connections = 0\n",
            "listen = [\"127.0.0.1:53\"]\nplan = \"p\"\n[limits]\ntcp_idle_timeout_ms = 0\n",
            "listen = [\"127.0.0.1:53\"]\nplan = \"p\"\n[dnssec]\nkey = \"k\"\nvalidity_days = 0\n",
            "listen = [\"127.0.0.1:53\"]\nplan = \"p\"\n[dnssec]\nkey = \"k\"\nalgorithm = 8\n",
        ] {
            assert!(Config::from_toml(bad, Path::new(".")).is_err(), "{bad}");
        }
    }

    #[test]
    fn relative_plan_paths_follow_the_config_file() {
        let config = Config::from_toml(
            "listen = [\"127.0.0.1:53\"]\nplan = \"zone.toml\"\n",
            Path::new("/etc/tiwire"),
        )
        .unwrap();
        assert_eq!(config.plan, Path::new("/etc/tiwire/zone.toml"));
        let config = Config::from_toml(
            "listen = [\"127.0.0.1:53\"]\nplan = \"zone.toml\"\n[dnssec]\nkey = \"zsk.pem\"\n",
            Path::new("/etc/tiwire"),
        )
        .unwrap();
        let dnssec = config.dnssec.unwrap();
        assert_eq!(dnssec.key, Path::new("/etc/tiwire/zsk.pem"));
        assert_eq!(dnssec.validity_days, 14);
    }
}
