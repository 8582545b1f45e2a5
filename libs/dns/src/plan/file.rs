//! The plan's TOML schema (see the [module docs](super) for an example). Unknown keys are errors; defaults are
//! named functions.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Deserialize;

use crate::txt::Role;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanFile {
    pub(crate) zone: ZoneSection,
    #[serde(default)]
    pub(crate) ttl: TtlSection,
    pub(crate) nameservers: Vec<NameserverEntry>,
    #[serde(default)]
    pub(crate) registration_servers: Vec<ServerEntry>,
    #[serde(default)]
    pub(crate) hash_and_url_servers: Vec<ServerEntry>,
    pub(crate) sites: Vec<SiteEntry>,
    pub(crate) discovery: Vec<DiscoveryEntry>,
    #[serde(default)]
    pub(crate) aliases: Vec<AliasEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ZoneSection {
    pub(crate) origin: String,
    pub(crate) hostmaster: String,
    pub(crate) serial: u32,
    #[serde(default = "default_refresh")]
    pub(crate) refresh: u32,
    #[serde(default = "default_retry")]
    pub(crate) retry: u32,
    #[serde(default = "default_expire")]
    pub(crate) expire: u32,
    #[serde(default = "default_negative_ttl")]
    pub(crate) negative_ttl: u32,
}

fn default_refresh() -> u32 {
    3600
}
fn default_retry() -> u32 {
    900
}
fn default_expire() -> u32 {
    1_209_600
}
fn default_negative_ttl() -> u32 {
    300
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TtlSection {
    #[serde(default = "default_infrastructure_ttl")]
    pub(crate) soa: u32,
    #[serde(default = "default_infrastructure_ttl")]
    pub(crate) ns: u32,
    #[serde(default = "default_record_ttl")]
    pub(crate) srv: u32,
    #[serde(default = "default_record_ttl")]
    pub(crate) txt: u32,
    #[serde(default = "default_record_ttl")]
    pub(crate) address: u32,
    #[serde(default = "default_record_ttl")]
    pub(crate) alias: u32,
}

impl Default for TtlSection {
    fn default() -> Self {
        Self {
            soa: default_infrastructure_ttl(),
            ns: default_infrastructure_ttl(),
            srv: default_record_ttl(),
            txt: default_record_ttl(),
            address: default_record_ttl(),
            alias: default_record_ttl(),
        }
    }
}

fn default_infrastructure_ttl() -> u32 {
    3600
}
fn default_record_ttl() -> u32 {
    300
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NameserverEntry {
    pub(crate) host: String,
    #[serde(default)]
    pub(crate) ipv4: Vec<Ipv4Addr>,
    #[serde(default)]
    pub(crate) ipv6: Vec<Ipv6Addr>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServerEntry {
    pub(crate) host: String,
    #[serde(default)]
    pub(crate) ipv4: Vec<Ipv4Addr>,
    #[serde(default)]
    pub(crate) ipv6: Vec<Ipv6Addr>,
    pub(crate) port: Option<u16>,
    #[serde(default = "default_priority")]
    pub(crate) priority: u16,
    #[serde(default = "default_weight")]
    pub(crate) weight: u16,
}

fn default_priority() -> u16 {
    10
}
fn default_weight() -> u16 {
    10
}
fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteEntry {
    pub(crate) name: String,
    pub(crate) subdomain: Option<String>,
    pub(crate) sis_subdomain: Option<String>,
    pub(crate) ti: Option<TiSection>,
    pub(crate) sis: Option<SisSection>,
    #[serde(default)]
    pub(crate) concentrators: Vec<ConcentratorEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TiSection {
    pub(crate) domain: String,
    pub(crate) nameservers: Vec<TiHost>,
    #[serde(default)]
    pub(crate) ntp: Vec<TiServer>,
    #[serde(default)]
    pub(crate) forwarders: Vec<TiServer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TiHost {
    pub(crate) host: String,
    pub(crate) ipv4: Ipv4Addr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TiServer {
    pub(crate) host: String,
    pub(crate) ipv4: Ipv4Addr,
    pub(crate) port: Option<u16>,
    #[serde(default = "default_priority")]
    pub(crate) priority: u16,
    #[serde(default = "default_weight")]
    pub(crate) weight: u16,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SisSection {
    pub(crate) domain: String,
    pub(crate) nameservers: Vec<IpAddr>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConcentratorEntry {
    pub(crate) host: String,
    pub(crate) role: Role,
    #[serde(default)]
    pub(crate) ipv4: Vec<Ipv4Addr>,
    #[serde(default)]
    pub(crate) ipv6: Vec<Ipv6Addr>,
    pub(crate) port: Option<u16>,
    #[serde(default = "default_weight")]
    pub(crate) weight: u16,
    #[serde(default = "default_true")]
    pub(crate) enabled: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiscoveryEntry {
    pub(crate) domain: String,
    pub(crate) sites: Vec<DiscoverySite>,
    #[serde(default)]
    pub(crate) overrides: Vec<OverrideEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiscoverySite {
    pub(crate) site: String,
    pub(crate) priority: u16,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OverrideEntry {
    pub(crate) concentrator: String,
    pub(crate) priority: Option<u16>,
    pub(crate) weight: Option<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AliasEntry {
    pub(crate) name: String,
    pub(crate) target: String,
}
