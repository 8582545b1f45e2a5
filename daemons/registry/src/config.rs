//! The registry's TOML configuration: unknown keys are errors, defaults are named functions, and
//! [`Config::load`] reads every referenced file so `--check-config` catches a missing certificate too.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;
use tiwire_fedlist::SignerTrust;
use tiwire_pki::Certificate;
use tiwire_pki::path::TrustAnchors;

/// The whole configuration file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where proxies connect (HTTPS).
    pub listen: SocketAddr,
    /// Directory for the last good list and certificates (created if missing).
    pub state_dir: PathBuf,
    /// Seconds a list may go without confirmation by the VZD before it counts as stale (72 h).
    #[serde(default = "default_max_age")]
    pub max_age_secs: u64,
    /// Seconds between scheduled fetches (at least daily, gemSpec_TI-Messenger-FD §5.2.2).
    #[serde(default = "default_refresh_interval")]
    pub refresh_interval_secs: u64,
    /// Ask the VZD whether the list changed on every proxy request (§5.2.2: "bei jeder Anfrage durch einen
    /// Matrix-Proxy"); concurrent requests share one check.
    #[serde(default = "default_true")]
    pub check_on_request: bool,
    /// How long a proxy request waits for that check before it is served the held list, milliseconds.
    #[serde(default = "default_request_check_timeout")]
    pub request_check_timeout_ms: u64,
    /// A check that started less than this long ago also serves later requests, milliseconds: anonymous
    /// load on the registry does not become load on the VZD.
    #[serde(default = "default_request_check_min_interval")]
    pub request_check_min_interval_ms: u64,
    /// Most simultaneous proxy connections; more are closed at once.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// The server certificate and key proxies see.
    pub tls: TlsConfig,
    /// The VZD-FHIR-Directory.
    pub vzd: VzdConfig,
    /// Whom to trust as the list's signer.
    pub signer: SignerConfig,
}

/// Server TLS.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// PEM: the server certificate, then its intermediates.
    pub certificate: PathBuf,
    /// PEM: the private key (PKCS#8).
    pub private_key: PathBuf,
    /// PEM: CA certificates of the proxies' client certificates. When set, proxies must present one (mutual
    /// TLS); the list names Telematik-IDs, so operators outside a closed network should set it.
    #[serde(default)]
    pub client_roots: Option<PathBuf>,
}

/// The VZD and how to authenticate there.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VzdConfig {
    /// Base URL of `I_VZD_TIM_Provider_Services`, e.g.
    /// `https://fhir-directory-tu.vzd.ti-dienste.de/tim-provider-services`.
    pub base_url: String,
    /// OAuth2 token endpoint (client credentials, RFC 6749 §4.4).
    pub token_url: String,
    /// OAuth2 client id.
    pub client_id: String,
    /// File holding the OAuth2 client secret (kept out of the config file).
    pub client_secret_file: PathBuf,
    /// PEM: the CA certificates that issue the VZD's TLS certificates.
    pub roots: PathBuf,
    /// PEM: our TLS client certificate, where the VZD wants mutual TLS.
    #[serde(default)]
    pub client_certificate: Option<PathBuf>,
    /// PEM: its private key.
    #[serde(default)]
    pub client_key: Option<PathBuf>,
    /// Path of the list below `base_url`.
    #[serde(default = "default_list_path")]
    pub federation_list_path: String,
    /// Signature algorithm asked for (`sigAlg`, API 1.3.5+): BP256R1 or ES256.
    #[serde(default = "default_sig_alg")]
    pub sig_alg: String,
    /// Path of the PASSporT certificates below `base_url` (API 1.0.2; later versions dropped it).
    #[serde(default)]
    pub passport_certificates_path: Option<String>,
    /// Seconds for one request (connect, TLS, answer).
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

/// The list signer's trust: CA anchors or pinned signer certificates, exactly one.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignerConfig {
    /// PEM files of CA certificates (GEM.KOMP-CA) that issue the VZD's C.FD.SIG.
    #[serde(default)]
    pub anchors: Vec<PathBuf>,
    /// PEM files of the signer certificates themselves.
    #[serde(default)]
    pub pinned: Vec<PathBuf>,
}

fn default_max_age() -> u64 {
    tiwire_fedlist::DEFAULT_MAX_AGE
}
fn default_refresh_interval() -> u64 {
    6 * 3600
}
fn default_true() -> bool {
    true
}
fn default_request_check_timeout() -> u64 {
    2000
}
fn default_request_check_min_interval() -> u64 {
    1000
}
fn default_max_connections() -> usize {
    512
}
fn default_list_path() -> String {
    "/FederationList/federationList.jws".into()
}
fn default_sig_alg() -> String {
    "BP256R1".into()
}
fn default_timeout() -> u64 {
    10
}

/// Reads a PEM file of certificates.
pub(crate) fn read_certificates(path: &Path) -> anyhow::Result<Vec<Certificate>> {
    let pem = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Certificate::parse_pem_bundle(&pem).with_context(|| format!("parsing {}", path.display()))
}

impl Config {
    /// Parses TOML; relative paths are taken relative to `base` (the config file's directory).
    pub fn from_toml(text: &str, base: &Path) -> anyhow::Result<Self> {
        let mut config: Config = toml::from_str(text).context("parsing the configuration")?;
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        fix(&mut config.state_dir);
        fix(&mut config.tls.certificate);
        fix(&mut config.tls.private_key);
        config.tls.client_roots.iter_mut().for_each(fix);
        fix(&mut config.vzd.client_secret_file);
        fix(&mut config.vzd.roots);
        config.vzd.client_certificate.iter_mut().for_each(fix);
        config.vzd.client_key.iter_mut().for_each(fix);
        config.signer.anchors.iter_mut().for_each(fix);
        config.signer.pinned.iter_mut().for_each(fix);
        config.validate()?;
        Ok(config)
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Self::from_toml(&text, path.parent().unwrap_or(Path::new(".")))
    }

    fn validate(&self) -> anyhow::Result<()> {
        for url in [&self.vzd.base_url, &self.vzd.token_url] {
            let parsed = url::Url::parse(url).with_context(|| format!("URL {url}"))?;
            if parsed.scheme() != "https" {
                bail!("{url}: the VZD is only reached over https");
            }
        }
        if !matches!(self.vzd.sig_alg.as_str(), "BP256R1" | "ES256") {
            bail!("vzd.sig_alg must be BP256R1 or ES256");
        }
        if self.vzd.client_certificate.is_some() != self.vzd.client_key.is_some() {
            bail!("vzd.client_certificate and vzd.client_key go together");
        }
        if self.signer.anchors.is_empty() == self.signer.pinned.is_empty() {
            bail!("set exactly one of signer.anchors and signer.pinned");
        }
        if self.refresh_interval_secs == 0 || self.refresh_interval_secs > 86_400 {
            bail!("refresh_interval_secs must be between 1 and 86400 (the list is fetched at least daily)");
        }
        if !(60..=tiwire_fedlist::DEFAULT_MAX_AGE).contains(&self.max_age_secs) {
            bail!("max_age_secs must be between 60 and 259200 (72 h, gemSpec_TI-Messenger-FD)");
        }
        if !(1..=120).contains(&self.vzd.timeout_secs) {
            bail!("vzd.timeout_secs must be between 1 and 120");
        }
        if self.request_check_timeout_ms > 30_000 || self.request_check_min_interval_ms > 3_600_000 {
            bail!("request_check_timeout_ms must be at most 30000, request_check_min_interval_ms at most 3600000");
        }
        if self.max_connections == 0 {
            bail!("max_connections must be at least 1");
        }
        Ok(())
    }

    /// The signer trust, read from the configured files. Warns about gematik TEST-ONLY certificates, which
    /// belong in test environments only.
    pub fn signer_trust(&self) -> anyhow::Result<SignerTrust> {
        let read_all = |paths: &[PathBuf]| -> anyhow::Result<Vec<Certificate>> {
            let mut out = Vec::new();
            for p in paths {
                out.extend(read_certificates(p)?);
            }
            Ok(out)
        };
        let pinned = !self.signer.pinned.is_empty();
        let certificates = read_all(if pinned {
            &self.signer.pinned
        } else {
            &self.signer.anchors
        })?;
        let test_only = |name: String| name.contains("TEST-ONLY");
        if certificates
            .iter()
            .any(|c| test_only(c.subject().to_string()) || test_only(c.issuer().to_string()))
        {
            tracing::warn!("the list signer's trust includes a TEST-ONLY certificate: test environments only");
        }
        Ok(if pinned {
            SignerTrust::Pinned(certificates)
        } else {
            SignerTrust::Anchors(TrustAnchors::new(certificates))
        })
    }

    /// One request's time limit.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.vzd.timeout_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_config_parses_and_unknown_keys_are_refused() {
        let sample = include_str!("../registry.example.toml");
        let config = Config::from_toml(sample, Path::new("/etc/tiwire")).unwrap();
        assert_eq!(config.max_age_secs, 72 * 3600);
        assert_eq!(config.tls.certificate, Path::new("/etc/tiwire/registry.pem"));
        assert!(config.check_on_request);
        let unknown = sample.replace("[tls]", "colour = \"blue\"\n[tls]");
        assert!(Config::from_toml(&unknown, Path::new("/")).is_err());
        let http = sample.replace("https://fhir-directory-tu", "http://fhir-directory-tu");
        assert!(Config::from_toml(&http, Path::new("/")).is_err());
        let both = sample.replace("pinned = [", "anchors = [\"ca.pem\"]\npinned = [");
        assert!(Config::from_toml(&both, Path::new("/")).is_err());
        for bad in [
            "max_age_secs = 999999999",
            "max_age_secs = 0",
            "max_connections = 0",
            "request_check_timeout_ms = 99999",
        ] {
            let text = sample.replace("[tls]", &format!("{bad}\n[tls]"));
            assert!(Config::from_toml(&text, Path::new("/")).is_err(), "{bad}");
        }
    }
}
