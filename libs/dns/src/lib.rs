//! # tiwire-dns
//!
//! Service discovery of the VPN-Zugangsdienst (gemSpec_VPN_ZugD §3.1.11, §3.2–3.3, §4.4.1, TUC_VPN-ZD_0001/0002),
//! sans I/O, on `hickory-proto`'s names and records:
//!
//! - [`ServiceZoneTxt`]: the `txtvers=1` TXT record on each concentrator (`NameserverTI=`, `DomainSrvTI=` and the
//!   SIS pair), parsed strictly and formatted back byte for byte, unknown keys kept.
//! - [`Service`] and [`SrvSet`]: the SRV names of Tab_ZD_Nameserver_Int_RR and Tab_ZD_Nameserver_TI_RR
//!   (`_isakmp._udp.ti-extern`, `_isakmp._udp.sis-extern`, `_regserver._tcp`, `_hashandurl._tcp`, `_ntp._udp`,
//!   `_ocsp._tcp`).
//! - [`ZonePlan`]: a provider's TOML description → every record of the seed's tables, validated ([`Violation`]),
//!   as [`Zone`]s (RRsets in canonical order, for a daemon to precompute answers from) and RFC 1035 zone files.
//! - The Konnektor's side: [`order_targets`] (RFC 2782 priority and weighted random order with an injected RNG,
//!   TIP1-A_4376) and [`TiServiceZone`] / [`SisServiceZone`] (`DNS_SERVERS_TI`, `DOMAIN_SRVZONE_TI`,
//!   `DNS_SERVERS_SIS`, `DOMAIN_SRVZONE_SIS` from a TXT RRset).
//!
//! Not here: sockets and queries (the `tiwire dns discover` command and the daemon do them), DNSSEC signing,
//! wire-format answers with EDNS and truncation (the daemon's).
//!
//! ## Example
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use tiwire_dns::{PlanPolicy, Role, SrvOrder, TiServiceZone, ZonePlan, discovery_name, order_targets};
//! use tiwire_dns::hickory_proto::rr::{RData, RecordType};
//!
//! // The provider's side: a plan becomes zones.
//! let plan = ZonePlan::from_toml(include_str!("../tests/vectors/seed-example.zoneplan.toml"), &PlanPolicy::default())?;
//! let zone = plan.internet_zone();
//! assert!(zone.to_zone_file().contains("_isakmp._udp.ti-extern.anbieter.de. 300 IN SRV 10 10 500 vpnk1.ham.ti-vpn-zugd.anbieter.de."));
//!
//! // The Konnektor's side, answered from the zone instead of the network.
//! let srv_name = discovery_name(Role::Ti, zone.origin())?;
//! let srv: Vec<_> = zone.rrset(&srv_name, RecordType::SRV).into_iter()
//!     .flat_map(|set| set.records_without_rrsigs())
//!     .filter_map(|r| if let RData::SRV(srv) = &r.data { Some(srv.clone()) } else { None })
//!     .collect();
//! let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
//! let SrvOrder::Targets(order) = order_targets(&srv, &mut rng) else { panic!("TI service absent") };
//! let first = &order[0].target;                      // VPN_KONZENTRATOR_TI_FQDN, the nearest site first
//! assert_eq!(first.to_string().split('.').nth(1), Some("ham"));
//! let txt = zone.rrset(first, RecordType::TXT).into_iter()
//!     .flat_map(|set| set.records_without_rrsigs())
//!     .filter_map(|r| if let RData::TXT(txt) = &r.data { Some(txt) } else { None });
//! let ti = TiServiceZone::from_rrset(txt)?;
//! assert_eq!(ti.dns_servers_ti().len(), 2);           // DNS_SERVERS_TI
//! assert_eq!(ti.domain_srvzone_ti().as_str(), "ti-sz.ham.anbieter.vpn-zugd.telematik");
//! # Ok(())
//! # }
//! ```

mod error;
mod konnektor;
mod name;
mod plan;
mod srv;
mod txt;
mod zone;

pub use error::{CnameConflict, NameError, PlanError, TxtError, Violation};
pub use konnektor::{SisServiceZone, TiServiceZone, discovery_name};
pub use name::{DomainName, MAX_LABEL_LEN, MAX_NAME_LEN};
pub use plan::{Concentrator, PlanPolicy, ZonePlan};
pub use srv::{Namespace, Service, SrvOrder, SrvSet, SrvTarget, order_targets};
pub use txt::{
    MAX_RDATA_LEN, MAX_STRING_LEN, MIN_NAMESERVERS, Role, ServiceZoneTxt, TXT_VERSION, TXTVERS_KEY, TxtAttribute,
};
pub use zone::Zone;

/// hickory-proto, whose `Name`, `Record`, `RecordSet` and `TXT` this crate's API uses.
pub use hickory_proto;
