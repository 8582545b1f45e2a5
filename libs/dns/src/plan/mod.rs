//! A provider's zone plan: one TOML description of the VPN-Zugangsdienst's sites, concentrators and servers →
//! every record of Tab_ZD_Nameserver_Int_RR (TIP1-A_5103), Tab_ZD_Nameserver_Int_RR_IPv6 (A_17173) and
//! Tab_ZD_Nameserver_TI_RR (TIP1-A_5104), validated, as [`Zone`]s for a daemon and as RFC 1035 zone files for
//! knot or BIND.
//!
//! What comes out:
//!
//! - **The Internet zone** (`[zone] origin`, served by the Nameserver Internet, TIP1-A_4303): SOA, NS (+ glue),
//!   for every **discovery domain** (a `DNS_DOMAIN_VPN_ZUGD_INT` handed to customers, `@` for the origin) the SRV
//!   sets `_isakmp._udp.ti-extern`, `_isakmp._udp.sis-extern` (the RFC 2782 "service absent" record `.` when the
//!   provider runs no SIS), `_regserver._tcp` and `_hashandurl._tcp`; A and AAAA of every concentrator
//!   (`VPN_KONZENTRATOR_TI_FQDN`, `VPN_KONZENTRATOR_SIS_FQDN`), Registrierungsserver and hash&URL server; the
//!   `txtvers=1` TXT record on every concentrator; optional CNAME aliases.
//! - **One TI service zone per site** (`DOMAIN_SRVZONE_TI`, served by that site's Nameserver TI): SOA, NS + A,
//!   `_ntp._udp` → the NTP servers (`NTP_SERVER_ADDR`), `_ocsp._tcp` → the http-Forwarder
//!   (`CERT_OCSP_FORWARDER_ADDRESS`), their A records.
//!
//! Concentrators live in dedicated per-site subdomains (TIP1-A_5103: "je Standort dedizierte Subdomänen"). A
//! discovery domain lists sites with a priority: the customer's nearest site gets the lowest number, backup
//! sites higher ones (TIP1-A_4296); per-concentrator overrides, weights and `enabled = false` are the operational
//! knobs of TIP1-A_4297 (maintenance, overload, site loss).
//!
//! ```toml
//! [zone]
//! origin = "anbieter-vpn.example"
//! hostmaster = "hostmaster"            # RNAME, relative to the origin or absolute with a trailing dot
//! serial = 2024060101
//! # refresh = 3600, retry = 900, expire = 1209600, negative_ttl = 300 (defaults)
//!
//! [ttl]                                # defaults: soa = ns = 3600, srv = txt = address = alias = 300
//! txt = 3600
//!
//! [[nameservers]]                      # Nameserver Internet, >= 3 (TIP1-A_4303), one IPv4 each (TIP1-A_4305)
//! host = "ns1"                         # in the zone: needs glue; or "ns.other.example." outside it
//! ipv4 = ["192.0.2.53"]
//! ipv6 = ["2001:db8::53"]
//! # … ns2, ns3
//!
//! [[registration_servers]]             # REGISTRIERUNGSSERVER_FQDN, IPv4 (TIP1-A_4314) and IPv6 (A_17180)
//! host = "reg01"
//! ipv4 = ["192.0.2.80"]
//! ipv6 = ["2001:db8::80"]
//! # port = 443, priority = 10, weight = 10 (defaults)
//!
//! [[hash_and_url_servers]]             # HASH_AND_URL_SERVER_FQDN (TIP1-A_5710, TIP1-A_5712)
//! host = "hashurl01"
//! ipv4 = ["192.0.2.90"]
//! # port = 80
//!
//! [[sites]]
//! name = "ham"                         # subdomain = "ham" (default: the name); sis_subdomain = subdomain
//! [sites.ti]                           # DOMAIN_SRVZONE_TI / DNS_SERVERS_TI of the site
//! domain = "ti-sz.ham.anbieter.vpn-zugd.telematik"
//! nameservers = [{ host = "ns1", ipv4 = "100.97.20.13" }, { host = "ns2", ipv4 = "100.97.20.14" }]
//! ntp = [{ host = "ntp1", ipv4 = "100.97.20.21" }, { host = "ntp2", ipv4 = "100.97.20.22" }]
//! forwarders = [{ host = "ocsp-fwd1", ipv4 = "100.97.20.31" }]
//! [sites.sis]                          # DOMAIN_SRVZONE_SIS / DNS_SERVERS_SIS of the site
//! domain = "sis-sz.ham.anbieter.vpn-zugd.telematik"
//! nameservers = ["100.97.21.13", "100.97.21.14"]
//! [[sites.concentrators]]
//! host = "konz01"                      # konz01.ham.anbieter-vpn.example
//! role = "ti"                          # or "sis"
//! ipv4 = ["198.51.100.1"]
//! ipv6 = ["2001:db8:1::1"]             # A_17181
//! # port = 500, weight = 10, enabled = true (defaults)
//!
//! [[discovery]]                        # a DNS_DOMAIN_VPN_ZUGD_INT
//! domain = "@"
//! sites = [{ site = "ham", priority = 10 }]
//! # overrides = [{ concentrator = "konz05.ham", priority = 11, weight = 5 }]
//!
//! # [[aliases]]
//! # name = "www"
//! # target = "reg01"
//! ```

mod build;
mod file;

use std::net::IpAddr;

use hickory_proto::rr::Name;

use crate::error::PlanError;
use crate::txt::{Role, ServiceZoneTxt};
use crate::zone::Zone;

/// The rules a plan is checked against beyond the schema. The defaults are the seed's; the knobs exist for
/// labs and benchmarks that deliberately run fewer servers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanPolicy {
    min_internet_nameservers: usize,
    min_ntp_per_site: usize,
    require_ipv6: bool,
    min_ttl: u32,
    max_record_ttl: u32,
    max_ttl: u32,
}

impl Default for PlanPolicy {
    /// At least three Nameserver Internet (TIP1-A_4303), two NTP servers per site (TIP1-A_4328), IPv6 on
    /// concentrators and Registrierungsserver (A_17180, A_17181); TTLs between 60 s and 86400 s, and at most
    /// 3600 s for SRV, TXT, A, AAAA, CNAME and negative answers, so that the operational changes of TIP1-A_4297
    /// reach Konnektors, which honour the TTL (TIP1-A_4376, TIP1-A_4377), within an hour (the seed's examples
    /// use 3600).
    fn default() -> Self {
        Self {
            min_internet_nameservers: 3,
            min_ntp_per_site: 2,
            require_ipv6: true,
            min_ttl: 60,
            max_record_ttl: 3600,
            max_ttl: 86_400,
        }
    }
}

impl PlanPolicy {
    /// Accept fewer Nameserver Internet than TIP1-A_4303's three (e.g. a two-server lab zone).
    pub fn with_min_internet_nameservers(mut self, min: usize) -> Self {
        self.min_internet_nameservers = min;
        self
    }

    /// Accept sites with fewer NTP servers than TIP1-A_4328's two.
    pub fn with_min_ntp_per_site(mut self, min: usize) -> Self {
        self.min_ntp_per_site = min;
        self
    }

    /// Do not require IPv6 addresses on concentrators and Registrierungsserver (A_17180, A_17181).
    pub fn without_ipv6_requirement(mut self) -> Self {
        self.require_ipv6 = false;
        self
    }
}

/// One VPN concentrator as planned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concentrator {
    name: Name,
    site: String,
    role: Role,
    enabled: bool,
    addresses: Vec<IpAddr>,
    txt: ServiceZoneTxt,
}

impl Concentrator {
    /// `VPN_KONZENTRATOR_TI_FQDN` / `VPN_KONZENTRATOR_SIS_FQDN`.
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// The site's name.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// TI or SIS.
    pub fn role(&self) -> Role {
        self.role
    }

    /// In the SRV sets (`false`: kept out for maintenance, TIP1-A_4297; its A/AAAA/TXT stay).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Its IPv4 and IPv6 addresses.
    pub fn addresses(&self) -> &[IpAddr] {
        &self.addresses
    }

    /// Its `txtvers=1` record.
    pub fn txt(&self) -> &ServiceZoneTxt {
        &self.txt
    }
}

/// A validated zone plan and the zones it makes. Only [`ZonePlan::from_toml`] builds one, so holding one means
/// every rule passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZonePlan {
    internet: Zone,
    service_zones_ti: Vec<Zone>,
    discovery: Vec<Name>,
    concentrators: Vec<Concentrator>,
}

impl ZonePlan {
    /// Parses and validates a plan. Every broken rule is reported, not only the first.
    pub fn from_toml(text: &str, policy: &PlanPolicy) -> Result<Self, PlanError> {
        let file: file::PlanFile = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        build::build(file, policy)
    }

    /// The zone of the Nameserver Internet (Tab_ZD_Nameserver_Int_RR, Tab_ZD_Nameserver_Int_RR_IPv6).
    pub fn internet_zone(&self) -> &Zone {
        &self.internet
    }

    /// The sites' TI service zones (Tab_ZD_Nameserver_TI_RR), ordered by origin.
    pub fn service_zones_ti(&self) -> &[Zone] {
        &self.service_zones_ti
    }

    /// Every zone: the Internet zone first.
    pub fn zones(&self) -> impl Iterator<Item = &Zone> {
        std::iter::once(&self.internet).chain(&self.service_zones_ti)
    }

    /// The zone with this origin.
    pub fn zone(&self, origin: &Name) -> Option<&Zone> {
        self.zones().find(|z| z.origin() == origin)
    }

    /// The discovery domains (`DNS_DOMAIN_VPN_ZUGD_INT` values), in plan order.
    pub fn discovery_domains(&self) -> &[Name] {
        &self.discovery
    }

    /// The concentrators, in plan order.
    pub fn concentrators(&self) -> &[Concentrator] {
        &self.concentrators
    }
}

fn toml_error(text: &str, e: &toml::de::Error) -> PlanError {
    let (line, column) = e.span().map_or((0, 0), |span| {
        let before = text.get(..span.start).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    });
    PlanError::Toml {
        line,
        column,
        detail: e.message().to_owned(),
    }
}
