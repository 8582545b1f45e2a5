//! The SRV records of the VPN-Zugangsdienst (Tab_ZD_Nameserver_Int_RR, Tab_ZD_Nameserver_TI_RR) and the
//! Konnektor's RFC 2782 ordering of their targets (TIP1-A_4376, TUC_VPN-ZD_0001, TUC_VPN-ZD_0002).

use hickory_proto::rr::rdata::SRV;
use hickory_proto::rr::{Name, RData, RecordSet, RecordType};
use rand_core::Rng;

use crate::error::NameError;

/// Which table of the seed a service's records belong to, i.e. which name servers serve them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    /// Tab_ZD_Nameserver_Int_RR (TIP1-A_5103): the Nameserver Internet, below `DNS_DOMAIN_VPN_ZUGD_INT`.
    Internet,
    /// Tab_ZD_Nameserver_TI_RR (TIP1-A_5104): the Nameserver TI, below `DOMAIN_SRVZONE_TI`.
    Ti,
}

/// A service the seed locates by SRV, with its owner-name labels exactly as the seed writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// `_isakmp._udp.ti-extern.<DNS_DOMAIN_VPN_ZUGD_INT>`: the VPN-Konzentratoren TI (TIP1-A_4296,
    /// TUC_VPN-ZD_0001).
    IsakmpTi,
    /// `_isakmp._udp.sis-extern.<DNS_DOMAIN_VPN_ZUGD_INT>`: the VPN-Konzentratoren SIS (TUC_VPN-ZD_0002).
    IsakmpSis,
    /// `_hashandurl._tcp.<DNS_DOMAIN_VPN_ZUGD_INT>`: the hash&URL server (TIP1-A_5710).
    HashAndUrl,
    /// `_regserver._tcp.<DNS_DOMAIN_VPN_ZUGD_INT>`: the Registrierungsserver (TIP1-A_4312).
    RegServer,
    /// `_ntp._udp.<DOMAIN_SRVZONE_TI>`: the site's stratum-2 NTP servers (TIP1-A_4328).
    Ntp,
    /// `_ocsp._tcp.<DOMAIN_SRVZONE_TI>`: the site's http-Forwarder for OCSP, `CERT_OCSP_FORWARDER_ADDRESS`
    /// (TIP1-A_4323).
    Ocsp,
}

impl Service {
    /// Every service, in the seed's table order.
    pub const ALL: [Service; 6] = [
        Service::IsakmpTi,
        Service::IsakmpSis,
        Service::HashAndUrl,
        Service::RegServer,
        Service::Ntp,
        Service::Ocsp,
    ];

    /// The labels in front of the domain: `_isakmp._udp.ti-extern`, `_regserver._tcp`, ….
    pub const fn labels(self) -> &'static str {
        match self {
            Service::IsakmpTi => "_isakmp._udp.ti-extern",
            Service::IsakmpSis => "_isakmp._udp.sis-extern",
            Service::HashAndUrl => "_hashandurl._tcp",
            Service::RegServer => "_regserver._tcp",
            Service::Ntp => "_ntp._udp",
            Service::Ocsp => "_ocsp._tcp",
        }
    }

    /// The table and so the name servers that publish it.
    pub const fn namespace(self) -> Namespace {
        match self {
            Service::Ntp | Service::Ocsp => Namespace::Ti,
            _ => Namespace::Internet,
        }
    }

    /// The port a plan uses unless it says otherwise: IKEv2 on UDP 500 (§4.1, "IKEv2: UDP Port 500"), the
    /// Registrierungsserver on HTTPS 443 (TIP1-A_5713), the hash&URL server on HTTP 80 (TIP1-A_5711), NTP 123,
    /// the http-Forwarder on HTTP 80.
    pub const fn default_port(self) -> u16 {
        match self {
            Service::IsakmpTi | Service::IsakmpSis => 500,
            Service::RegServer => 443,
            Service::HashAndUrl | Service::Ocsp => 80,
            Service::Ntp => 123,
        }
    }

    /// The SRV owner name below `domain` (absolute), e.g. `_isakmp._udp.ti-extern.anbieter.de.`.
    pub fn owner(self, domain: &Name) -> Result<Name, NameError> {
        let labels = Name::from_ascii(self.labels()).map_err(|_| NameError::Empty)?;
        let mut name = domain.clone();
        name.set_fqdn(true);
        labels
            .append_domain(&name)
            .map_err(|_| NameError::TooLong { len: domain.len() })
    }

    /// The service whose labels `name` starts with, and the domain below them.
    pub fn split(name: &Name) -> Option<(Service, Name)> {
        Service::ALL.into_iter().find_map(|service| {
            let labels = service.labels().split('.').count();
            let prefix = name.iter().take(labels).collect::<Vec<_>>().join(&b'.');
            if !prefix.eq_ignore_ascii_case(service.labels().as_bytes()) {
                return None;
            }
            let domain = Name::from_labels(name.iter().skip(labels)).ok()?;
            Some((service, domain))
        })
    }
}

/// One target of an SRV set.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SrvTarget {
    /// Lower is tried first.
    pub priority: u16,
    /// Share within the priority.
    pub weight: u16,
    /// Port on the target.
    pub port: u16,
    /// The host (absolute, never the root: see [`SrvSet::absent`]).
    pub target: Name,
}

/// The SRV RRset of one service at one domain: the targets, or the single "service decidedly not available"
/// record (RFC 2782: target `.`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SrvSet {
    service: Service,
    owner: Name,
    targets: Vec<SrvTarget>,
}

impl SrvSet {
    /// The set for `service` below `domain` with `targets`: at least one, none of them the root name
    /// ([`NameError::Empty`] otherwise; the root target is [`SrvSet::absent`]'s).
    pub fn new(service: Service, domain: &Name, targets: Vec<SrvTarget>) -> Result<Self, NameError> {
        if targets.is_empty() || targets.iter().any(|t| t.target.is_root()) {
            return Err(NameError::Empty);
        }
        Ok(Self {
            service,
            owner: service.owner(domain)?,
            targets,
        })
    }

    /// The set that says "this service is decidedly not available at this domain" (RFC 2782: one record with
    /// target `.`), e.g. `_isakmp._udp.sis-extern` of a provider without SIS.
    pub fn absent(service: Service, domain: &Name) -> Result<Self, NameError> {
        Ok(Self {
            service,
            owner: service.owner(domain)?,
            targets: Vec::new(),
        })
    }

    /// The service.
    pub fn service(&self) -> Service {
        self.service
    }

    /// The owner name.
    pub fn owner(&self) -> &Name {
        &self.owner
    }

    /// The targets; empty for the "service absent" set.
    pub fn targets(&self) -> &[SrvTarget] {
        &self.targets
    }

    /// The RRset with `ttl`, records in target order.
    pub fn to_rrset(&self, ttl: u32) -> RecordSet {
        let mut set = RecordSet::with_ttl(self.owner.clone(), RecordType::SRV, ttl);
        if self.targets.is_empty() {
            set.add_rdata(RData::SRV(SRV::new(0, 0, 0, Name::root())));
        }
        for t in &self.targets {
            set.add_rdata(RData::SRV(SRV::new(t.priority, t.weight, t.port, t.target.clone())));
        }
        set
    }
}

/// The Konnektor's order of an SRV RRset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SrvOrder {
    /// Exactly one record with target `.`: the service is decidedly not available (RFC 2782).
    Absent,
    /// The targets in the order to try them; empty if the RRset was empty. `.` targets in a larger set are
    /// dropped (they cannot be contacted).
    Targets(Vec<SRV>),
}

/// Orders an SRV RRset as RFC 2782 ("Usage rules") and TUC_VPN-ZD_0001/0002 say: all targets of the lowest
/// priority number first, "ihrem Gewicht entsprechend nach einem Zufallsverfahren neu sortiert", then the next
/// priority, until every target is in the list (TIP1-A_4376: priority and weight per RFC 2782 §3).
///
/// Within one priority: the remaining records are put in random order with weight-0 records first, a number is
/// drawn uniformly from `0..=sum of weights`, and the first record whose running weight sum reaches it is next.
/// So a weight-0 record has a small chance (1 in sum+1) when others weigh more, and a group of only weight-0
/// records comes out uniformly shuffled. `rng` is injected so tests are deterministic; a Konnektor passes a
/// system RNG.
pub fn order_targets<R: Rng + ?Sized>(records: &[SRV], rng: &mut R) -> SrvOrder {
    if let [only] = records
        && only.target.is_root()
    {
        return SrvOrder::Absent;
    }
    let mut remaining: Vec<&SRV> = records.iter().filter(|r| !r.target.is_root()).collect();
    remaining.sort_by_key(|r| r.priority);
    let mut out = Vec::with_capacity(remaining.len());
    let mut start = 0;
    while start < remaining.len() {
        let priority = remaining[start].priority;
        let end = remaining[start..]
            .iter()
            .position(|r| r.priority != priority)
            .map_or(remaining.len(), |n| start + n);
        let mut group: Vec<&SRV> = remaining[start..end].to_vec();
        // "arrange all SRV RRs (that have not been ordered yet) in any order, except that all those with weight 0
        // are placed at the beginning of the list": a random order, so equal weights get equal chances.
        shuffle(&mut group, rng);
        group.sort_by_key(|r| r.weight != 0);
        while !group.is_empty() {
            let sum: u64 = group.iter().map(|r| u64::from(r.weight)).sum();
            let pick = uniform_inclusive(rng, sum);
            let mut running = 0u64;
            let mut chosen = group.len() - 1;
            for (i, r) in group.iter().enumerate() {
                running += u64::from(r.weight);
                if running >= pick {
                    chosen = i;
                    break;
                }
            }
            out.push(group.remove(chosen).clone());
        }
        start = end;
    }
    SrvOrder::Targets(out)
}

/// Fisher–Yates.
fn shuffle<T, R: Rng + ?Sized>(items: &mut [T], rng: &mut R) {
    for i in (1..items.len()).rev() {
        let j = usize::try_from(uniform_inclusive(rng, i as u64)).unwrap_or(i);
        items.swap(i, j);
    }
}

/// Uniform in `0..=max` without modulo bias (rejection sampling).
fn uniform_inclusive<R: Rng + ?Sized>(rng: &mut R, max: u64) -> u64 {
    if max == u64::MAX {
        return rng.next_u64();
    }
    let range = max + 1;
    let zone = u64::MAX - (u64::MAX - range + 1) % range;
    loop {
        let x = rng.next_u64();
        if x <= zone {
            return x % range;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_names_are_the_seeds() {
        let domain = Name::from_ascii("anbieter.de.").unwrap();
        let owners: Vec<String> = Service::ALL
            .iter()
            .map(|s| s.owner(&domain).unwrap().to_string())
            .collect();
        assert_eq!(
            owners,
            [
                "_isakmp._udp.ti-extern.anbieter.de.",
                "_isakmp._udp.sis-extern.anbieter.de.",
                "_hashandurl._tcp.anbieter.de.",
                "_regserver._tcp.anbieter.de.",
                "_ntp._udp.anbieter.de.",
                "_ocsp._tcp.anbieter.de.",
            ]
        );
        let name = Name::from_ascii("_ISAKMP._udp.ti-extern.ham.anbieter.de.").unwrap();
        let (service, rest) = Service::split(&name).unwrap();
        assert_eq!(service, Service::IsakmpTi);
        assert_eq!(rest.to_string(), "ham.anbieter.de.");
    }

    #[test]
    fn uniform_covers_the_range() {
        struct Counter(u64);
        impl rand_core::TryRng for Counter {
            type Error = core::convert::Infallible;
            fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
                Ok(self.try_next_u64()? as u32)
            }
            fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
                self.0 += 1;
                Ok(self.0)
            }
            fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Self::Error> {
                Ok(())
            }
        }
        let mut rng = Counter(0);
        let mut seen = [false; 7];
        for _ in 0..7 {
            seen[uniform_inclusive(&mut rng, 6) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
