//! The Konnektor's side of service discovery (TUC_VPN-ZD_0001 "IPsec-Tunnel TI aufbauen",
//! TUC_VPN-ZD_0002 for SIS): which names to query, and what the answers configure. The order of the SRV targets
//! is [`crate::order_targets`]; the queries themselves are the embedder's.
//!
//! 1. SRV `_isakmp._udp.ti-extern.<DNS_DOMAIN_VPN_ZUGD_INT>` ([`discovery_name`]) → targets in RFC 2782 order.
//! 2. For the first target (`VPN_KONZENTRATOR_TI_FQDN`): A (TIP1-A_4377) and TXT → [`TiServiceZone`]:
//!    `DNS_SERVERS_TI` become the DNS-Forwarder's targets for the TI namespace, `DOMAIN_SRVZONE_TI` the zone of
//!    `_ntp._udp` and `_ocsp._tcp` ([`TiServiceZone::ntp_name`], [`TiServiceZone::ocsp_name`]).
//! 3. For SIS the same with `sis-extern` → [`SisServiceZone`]: `DNS_SERVERS_SIS` replace `DNS_SERVERS_INT` in
//!    the forwarder while the SIS tunnel is up.

use std::net::IpAddr;

use hickory_proto::rr::Name;
use hickory_proto::rr::rdata::TXT;

use crate::error::{NameError, TxtError};
use crate::name::DomainName;
use crate::srv::Service;
use crate::txt::{Role, ServiceZoneTxt, TXTVERS_KEY};

/// The SRV name a Konnektor queries for the concentrators of `role` below `DNS_DOMAIN_VPN_ZUGD_INT`.
pub fn discovery_name(role: Role, dns_domain_vpn_zugd_int: &Name) -> Result<Name, NameError> {
    match role {
        Role::Ti => Service::IsakmpTi.owner(dns_domain_vpn_zugd_int),
        Role::Sis => Service::IsakmpSis.owner(dns_domain_vpn_zugd_int),
    }
}

/// What a VPN-Konzentrator TI's TXT record configures in the Konnektor (outputs of TUC_VPN-ZD_0001).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TiServiceZone {
    dns_servers_ti: Vec<IpAddr>,
    domain_srvzone_ti: DomainName,
}

impl TiServiceZone {
    /// From the TXT RRset at `VPN_KONZENTRATOR_TI_FQDN`: exactly one `txtvers=` record, of the TI kind. Other TXT
    /// records at the name (not starting with `txtvers`) are ignored.
    pub fn from_rrset<'a>(rrset: impl IntoIterator<Item = &'a TXT>) -> Result<Self, TxtError> {
        let record = one_record(rrset, Role::Ti)?;
        Ok(Self {
            dns_servers_ti: record.nameservers().to_vec(),
            domain_srvzone_ti: record.domain().clone(),
        })
    }

    /// `DNS_SERVERS_TI`: the Nameserver TI, the forward targets for the TI namespace.
    pub fn dns_servers_ti(&self) -> &[IpAddr] {
        &self.dns_servers_ti
    }

    /// `DOMAIN_SRVZONE_TI`: the site's service zone.
    pub fn domain_srvzone_ti(&self) -> &DomainName {
        &self.domain_srvzone_ti
    }

    /// `_ntp._udp.<DOMAIN_SRVZONE_TI>` (Tab_ZD_Nameserver_TI_RR).
    pub fn ntp_name(&self) -> Result<Name, NameError> {
        Service::Ntp.owner(self.domain_srvzone_ti.name())
    }

    /// `_ocsp._tcp.<DOMAIN_SRVZONE_TI>` (Tab_ZD_Nameserver_TI_RR): the http-Forwarder,
    /// `CERT_OCSP_FORWARDER_ADDRESS`.
    pub fn ocsp_name(&self) -> Result<Name, NameError> {
        Service::Ocsp.owner(self.domain_srvzone_ti.name())
    }
}

/// What a VPN-Konzentrator SIS's TXT record configures in the Konnektor (outputs of TUC_VPN-ZD_0002).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SisServiceZone {
    dns_servers_sis: Vec<IpAddr>,
    domain_srvzone_sis: DomainName,
}

impl SisServiceZone {
    /// From the TXT RRset at `VPN_KONZENTRATOR_SIS_FQDN`, as [`TiServiceZone::from_rrset`].
    pub fn from_rrset<'a>(rrset: impl IntoIterator<Item = &'a TXT>) -> Result<Self, TxtError> {
        let record = one_record(rrset, Role::Sis)?;
        Ok(Self {
            dns_servers_sis: record.nameservers().to_vec(),
            domain_srvzone_sis: record.domain().clone(),
        })
    }

    /// `DNS_SERVERS_SIS`: replace `DNS_SERVERS_INT` as forward targets for the Internet namespace while the SIS
    /// tunnel is up.
    pub fn dns_servers_sis(&self) -> &[IpAddr] {
        &self.dns_servers_sis
    }

    /// `DOMAIN_SRVZONE_SIS`.
    pub fn domain_srvzone_sis(&self) -> &DomainName {
        &self.domain_srvzone_sis
    }
}

/// The one `txtvers` record of `role` in an RRset.
fn one_record<'a>(rrset: impl IntoIterator<Item = &'a TXT>, role: Role) -> Result<ServiceZoneTxt, TxtError> {
    let candidates: Vec<&TXT> = rrset
        .into_iter()
        .filter(|txt| {
            txt.txt_data.first().is_some_and(|first| {
                let key = first.split(|&b| b == b'=').next().unwrap_or_default();
                key.eq_ignore_ascii_case(TXTVERS_KEY.as_bytes())
            })
        })
        .collect();
    let record = match candidates.as_slice() {
        [] => return Err(TxtError::NoServiceZoneRecord),
        [one] => ServiceZoneTxt::from_rdata(one)?,
        more => return Err(TxtError::Ambiguous { count: more.len() }),
    };
    if record.role() != role {
        return Err(TxtError::WrongRole {
            expected: role,
            found: record.role(),
        });
    }
    Ok(record)
}
