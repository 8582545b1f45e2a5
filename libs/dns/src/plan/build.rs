//! Plan file → validated zones. Every rule adds a [`Violation`] and building goes on, so one run reports all of
//! them; placeholders keep the later steps going where an earlier one failed.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hickory_proto::rr::rdata::{A, AAAA, CNAME, NS, SOA};
use hickory_proto::rr::{LowerName, Name, RData, Record, RecordSet, RrKey};

use super::file::{PlanFile, SiteEntry, TiSection, ZoneSection};
use super::{Concentrator, PlanPolicy, ZonePlan};
use crate::error::{CnameConflict, NameError, PlanError, Violation};
use crate::name::{self, DomainName};
use crate::srv::{Service, SrvSet, SrvTarget};
use crate::txt::{Role, ServiceZoneTxt};
use crate::zone::Zone;

/// RRsets under construction.
#[derive(Default)]
struct Records(BTreeMap<RrKey, RecordSet>);

impl Records {
    fn add(&mut self, name: &Name, ttl: u32, rdata: RData) {
        let record_type = rdata.record_type();
        self.0
            .entry(RrKey::new(LowerName::new(name), record_type))
            .or_insert_with(|| RecordSet::with_ttl(name.clone(), record_type, ttl))
            .add_rdata(rdata);
    }

    fn add_set(&mut self, set: RecordSet) {
        self.0
            .insert(RrKey::new(LowerName::new(set.name()), set.record_type()), set);
    }

    fn owns(&self, name: &Name) -> bool {
        let lower = LowerName::new(name);
        self.0.keys().any(|k| k.name == lower)
    }
}

/// What a host needs in addresses, with the requirement that says so.
#[derive(Clone, Copy, Default)]
struct AddressRules {
    ipv4: Option<&'static str>,
    exactly_one_ipv4: Option<&'static str>,
    ipv6: Option<&'static str>,
}

struct Builder<'a> {
    policy: &'a PlanPolicy,
    violations: Vec<Violation>,
}

/// A concentrator with what the SRV sets need.
struct Planned {
    concentrator: Concentrator,
    site_index: usize,
    port: u16,
    weight: u16,
}

pub(super) fn build(file: PlanFile, policy: &PlanPolicy) -> Result<ZonePlan, PlanError> {
    let mut b = Builder {
        policy,
        violations: Vec::new(),
    };
    let origin = b.absolute_domain("[zone] origin", &file.zone.origin);
    let Some(origin) = origin else {
        return Err(PlanError::Invalid(b.violations));
    };
    let rname = b.name("[zone] hostmaster", &file.zone.hostmaster, &origin, true);
    b.check_timers(&file);

    let mut records = Records::default();
    let mut hosts: BTreeMap<Name, String> = BTreeMap::new();
    let ttl = &file.ttl;

    // NS (TIP1-A_4303, TIP1-A_4305).
    let mut ns_names = Vec::new();
    for (i, entry) in file.nameservers.iter().enumerate() {
        let what = format!("nameservers[{i}]");
        let Some(host) = b.name(&what, &entry.host, &origin, true) else {
            continue;
        };
        if origin.zone_of(&host) {
            b.register(&mut hosts, &host, &what);
            let rules = AddressRules {
                exactly_one_ipv4: Some("a Nameserver Internet needs exactly one IPv4 address (TIP1-A_4305)"),
                ..AddressRules::default()
            };
            if entry.ipv4.is_empty() && entry.ipv6.is_empty() {
                b.push(Violation::MissingGlue { host: host.to_string() });
            } else {
                b.addresses(&mut records, &host, ttl.address, &entry.ipv4, &entry.ipv6, rules);
            }
        } else if !entry.ipv4.is_empty() || !entry.ipv6.is_empty() {
            b.push(Violation::OutOfZoneGlue { host: host.to_string() });
        }
        records.add(&origin, ttl.ns, RData::NS(NS(host.clone())));
        ns_names.push(host);
    }
    b.at_least(
        "[[nameservers]]",
        file.nameservers.len(),
        policy.min_internet_nameservers,
        "TIP1-A_4303",
    );
    let soa = soa_record(&origin, ns_names.first(), rname.as_ref(), &file.zone, ttl.soa);
    records.add(&origin, ttl.soa, soa.data.clone());

    // Registrierungsserver and hash&URL server.
    let reg_rules = AddressRules {
        ipv4: Some("a Registrierungsserver needs an IPv4 address (TIP1-A_4314)"),
        ipv6: policy
            .require_ipv6
            .then_some("a Registrierungsserver needs an IPv6 address (A_17180)"),
        ..AddressRules::default()
    };
    let reg_targets = b.servers(
        &mut records,
        &mut hosts,
        &origin,
        ttl.address,
        ("registration_servers", Service::RegServer, reg_rules),
        &file.registration_servers,
    );
    b.at_least("[[registration_servers]]", reg_targets.len(), 1, "TIP1-A_4312");
    let hash_targets = b.servers(
        &mut records,
        &mut hosts,
        &origin,
        ttl.address,
        ("hash_and_url_servers", Service::HashAndUrl, AddressRules::default()),
        &file.hash_and_url_servers,
    );
    b.at_least("[[hash_and_url_servers]]", hash_targets.len(), 1, "TIP1-A_5710");

    // Sites: concentrators with A/AAAA/TXT, TI service zones.
    let mut planned: Vec<Planned> = Vec::new();
    let mut ti_zones: Vec<Zone> = Vec::new();
    let mut site_names: Vec<&str> = Vec::new();
    let mut subdomains: BTreeMap<Name, String> = BTreeMap::new();
    let mut zone_origins: Vec<(Name, String)> = vec![(origin.clone(), "[zone] origin".to_owned())];
    for (site_index, site) in file.sites.iter().enumerate() {
        if site_names.contains(&site.name.as_str()) {
            b.push(Violation::DuplicateSite(site.name.clone()));
        }
        site_names.push(&site.name);
        let what = format!("sites[{}]", site.name);
        let sub = b.subdomain(
            &format!("{what} subdomain"),
            site.subdomain.as_deref().unwrap_or(&site.name),
            &origin,
        );
        let sis_sub = match &site.sis_subdomain {
            Some(text) => b.subdomain(&format!("{what} sis_subdomain"), text, &origin),
            None => sub.clone(),
        };
        for name in [&sub, &sis_sub].into_iter().flatten() {
            if let Some(first) = subdomains.get(name)
                && !first.starts_with(&what)
            {
                b.push(Violation::DuplicateName {
                    name: name.to_string(),
                    first: first.clone(),
                    second: what.clone(),
                });
            }
            subdomains.entry(name.clone()).or_insert_with(|| what.clone());
        }
        let ti_txt = match &site.ti {
            Some(ti) => b.ti_site(site, ti, &file, rname.as_ref(), &mut zone_origins, &mut ti_zones),
            None => None,
        };
        let sis_txt = site.sis.as_ref().and_then(|sis| {
            b.absolute_domain(&format!("{what} [sis] domain"), &sis.domain)?;
            let domain = DomainName::parse(sis.domain.strip_suffix('.').unwrap_or(&sis.domain)).ok()?;
            ServiceZoneTxt::new(Role::Sis, sis.nameservers.clone(), domain)
                .map_err(|error| {
                    b.push(Violation::Txt {
                        host: format!("{what} [sis]"),
                        error,
                    })
                })
                .ok()
        });
        b.concentrators(
            &mut records,
            &mut hosts,
            &mut planned,
            (site_index, site),
            [sub.as_ref(), sis_sub.as_ref()],
            [ti_txt.as_ref(), sis_txt.as_ref()],
            &file,
        );
    }

    // Discovery domains: the SRV sets customers query.
    let mut discovery: Vec<Name> = Vec::new();
    let mut srv_targets: Vec<Name> = Vec::new();
    srv_targets.extend(reg_targets.iter().map(|t| t.target.clone()));
    srv_targets.extend(hash_targets.iter().map(|t| t.target.clone()));
    for entry in &file.discovery {
        let what = format!("discovery[{}]", entry.domain);
        let Some(domain) = b.name(&what, &entry.domain, &origin, false) else {
            continue;
        };
        if discovery.contains(&domain) {
            b.push(Violation::DuplicateName {
                name: domain.to_string(),
                first: what.clone(),
                second: what.clone(),
            });
            continue;
        }
        discovery.push(domain.clone());
        let (ti, sis) = b.discovery_targets(entry, &domain, &planned, &site_names, &origin);
        srv_targets.extend(ti.iter().chain(&sis).map(|t| t.target.clone()));
        let sets = [
            (Service::IsakmpTi, ti),
            (Service::IsakmpSis, sis),
            (Service::RegServer, reg_targets.clone()),
            (Service::HashAndUrl, hash_targets.clone()),
        ];
        for (service, targets) in sets {
            let set = if targets.is_empty() {
                if service != Service::IsakmpSis {
                    continue; // reported above
                }
                SrvSet::absent(service, &domain)
            } else {
                SrvSet::new(service, &domain, targets)
            };
            match set {
                Ok(set) => records.add_set(set.to_rrset(ttl.srv)),
                Err(error) => b.push(Violation::Name {
                    what: what.clone(),
                    value: entry.domain.clone(),
                    error,
                }),
            }
        }
    }
    b.at_least("[[discovery]]", discovery.len(), 1, "TIP1-A_4296");

    // Aliases last: they must not collide with anything above.
    b.aliases(&mut records, &file, &origin, &srv_targets, &ns_names);

    if !b.violations.is_empty() {
        return Err(PlanError::Invalid(b.violations));
    }
    ti_zones.sort_by(|a, b| a.origin().cmp(b.origin()));
    Ok(ZonePlan {
        internet: Zone::new(origin, soa, records.0),
        service_zones_ti: ti_zones,
        discovery,
        concentrators: planned.into_iter().map(|p| p.concentrator).collect(),
    })
}

fn soa_record(origin: &Name, mname: Option<&Name>, rname: Option<&Name>, zone: &ZoneSection, ttl: u32) -> Record {
    let clamp = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let soa = SOA::new(
        mname.cloned().unwrap_or_else(|| origin.clone()),
        rname.cloned().unwrap_or_else(|| origin.clone()),
        zone.serial,
        clamp(zone.refresh),
        clamp(zone.retry),
        clamp(zone.expire),
        zone.negative_ttl,
    );
    Record::from_rdata(origin.clone(), ttl, RData::SOA(soa))
}

impl Builder<'_> {
    fn push(&mut self, violation: Violation) {
        self.violations.push(violation);
    }

    fn at_least(&mut self, what: &str, found: usize, min: usize, requirement: &'static str) {
        if found < min {
            self.push(Violation::TooFew {
                what: what.to_owned(),
                found,
                min,
                requirement,
            });
        }
    }

    /// A name relative to `base` (`@` allowed), or absolute with a trailing dot if `absolute_ok`.
    fn name(&mut self, what: &str, text: &str, base: &Name, absolute_ok: bool) -> Option<Name> {
        let result = if absolute_ok {
            name::relative_or_absolute(text, base)
        } else if text.ends_with('.') {
            name::check_ldh(text).and_then(|()| name::below(text, base))
        } else {
            name::below(text, base)
        };
        self.named(what, text, result)
    }

    /// The name, or `None` with the violation recorded.
    fn named(&mut self, what: &str, text: &str, result: Result<Name, NameError>) -> Option<Name> {
        result
            .map_err(|error| {
                self.push(Violation::Name {
                    what: what.to_owned(),
                    value: text.to_owned(),
                    error,
                })
            })
            .ok()
    }

    /// A zone's or service zone's domain, with or without the trailing dot.
    fn absolute_domain(&mut self, what: &str, text: &str) -> Option<Name> {
        let stripped = text.strip_suffix('.').unwrap_or(text);
        let result = name::check_ldh(stripped).and_then(|()| name::absolute(stripped));
        self.named(what, text, result)
    }

    /// A site's subdomain: strictly below the origin.
    fn subdomain(&mut self, what: &str, text: &str, origin: &Name) -> Option<Name> {
        match name::check_ldh(text) {
            Ok(()) => self.name(what, text, origin, false),
            Err(error) => self.named(what, text, Err(error)),
        }
    }

    fn register(&mut self, hosts: &mut BTreeMap<Name, String>, host: &Name, what: &str) {
        if let Some(first) = hosts.get(host) {
            self.push(Violation::DuplicateName {
                name: host.to_string(),
                first: first.clone(),
                second: what.to_owned(),
            });
        } else {
            hosts.insert(host.clone(), what.to_owned());
        }
    }

    fn check_ttl(&mut self, record: &'static str, ttl: u32, max: u32) {
        let min = self.policy.min_ttl;
        if ttl < min || ttl > max {
            self.push(Violation::Ttl { record, ttl, min, max });
        }
    }

    /// SOA timers (RFC 1912 §2.2) and the TTL policy.
    fn check_timers(&mut self, file: &PlanFile) {
        let z = &file.zone;
        let limit = u32::try_from(i32::MAX).unwrap_or(u32::MAX);
        if z.refresh > limit || z.retry > limit || z.expire > limit {
            self.push(Violation::Soa("refresh, retry and expire must be below 2^31"));
        } else if z.refresh == 0 || z.retry == 0 {
            self.push(Violation::Soa("refresh and retry must be positive"));
        } else if z.retry > z.refresh {
            self.push(Violation::Soa("retry must not exceed refresh"));
        } else if u64::from(z.expire) < u64::from(z.refresh) + u64::from(z.retry) {
            self.push(Violation::Soa("expire must be at least refresh + retry"));
        }
        let (max, max_record) = (self.policy.max_ttl, self.policy.max_record_ttl);
        let t = &file.ttl;
        self.check_ttl("SOA", t.soa, max);
        self.check_ttl("NS", t.ns, max);
        self.check_ttl("SRV", t.srv, max_record);
        self.check_ttl("TXT", t.txt, max_record);
        self.check_ttl("A/AAAA", t.address, max_record);
        self.check_ttl("CNAME", t.alias, max_record);
        self.check_ttl("negative (SOA MINIMUM)", z.negative_ttl, max_record);
    }

    /// A/AAAA records of a host, with the address rules.
    fn addresses(
        &mut self,
        records: &mut Records,
        host: &Name,
        ttl: u32,
        ipv4: &[Ipv4Addr],
        ipv6: &[Ipv6Addr],
        rules: AddressRules,
    ) {
        let all: Vec<IpAddr> = ipv4
            .iter()
            .copied()
            .map(IpAddr::V4)
            .chain(ipv6.iter().copied().map(IpAddr::V6))
            .collect();
        for (i, address) in all.iter().enumerate() {
            if all[..i].contains(address) {
                self.push(Violation::DuplicateAddress {
                    host: host.to_string(),
                    address: *address,
                });
            }
        }
        if all.is_empty() {
            self.push(Violation::NoAddress { host: host.to_string() });
        }
        let broken = [
            rules.ipv4.filter(|_| ipv4.is_empty()),
            rules.exactly_one_ipv4.filter(|_| ipv4.len() != 1),
            rules.ipv6.filter(|_| ipv6.is_empty()),
        ];
        for rule in broken.into_iter().flatten() {
            self.push(Violation::AddressRule {
                host: host.to_string(),
                rule,
            });
        }
        for a in ipv4 {
            records.add(host, ttl, RData::A(A(*a)));
        }
        for a in ipv6 {
            records.add(host, ttl, RData::AAAA(AAAA(*a)));
        }
    }

    /// Registrierungsserver or hash&URL servers: hosts with addresses, and their SRV targets.
    fn servers(
        &mut self,
        records: &mut Records,
        hosts: &mut BTreeMap<Name, String>,
        origin: &Name,
        ttl: u32,
        (section, service, rules): (&str, Service, AddressRules),
        entries: &[super::file::ServerEntry],
    ) -> Vec<SrvTarget> {
        let mut targets = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let what = format!("{section}[{i}]");
            let Some(host) = self.name(&what, &entry.host, origin, false) else {
                continue;
            };
            self.register(hosts, &host, &what);
            self.addresses(records, &host, ttl, &entry.ipv4, &entry.ipv6, rules);
            let port = entry.port.unwrap_or(service.default_port());
            if port == 0 {
                self.push(Violation::PortZero { what });
            }
            targets.push(SrvTarget {
                priority: entry.priority,
                weight: entry.weight,
                port,
                target: host,
            });
        }
        targets.sort_by_key(|t| t.priority);
        targets
    }

    /// A site's TI service zone (Tab_ZD_Nameserver_TI_RR) and the TXT record its TI concentrators carry.
    fn ti_site(
        &mut self,
        site: &SiteEntry,
        ti: &TiSection,
        file: &PlanFile,
        rname: Option<&Name>,
        zone_origins: &mut Vec<(Name, String)>,
        ti_zones: &mut Vec<Zone>,
    ) -> Option<ServiceZoneTxt> {
        let what = format!("sites[{}] [ti]", site.name);
        let origin = self.absolute_domain(&format!("{what} domain"), &ti.domain)?;
        for (other, other_what) in zone_origins.iter() {
            if *other == origin {
                self.push(Violation::DuplicateName {
                    name: origin.to_string(),
                    first: other_what.clone(),
                    second: what.clone(),
                });
            } else if other.zone_of(&origin) || origin.zone_of(other) {
                self.push(Violation::ZoneOverlap {
                    zone: origin.to_string(),
                    other: other.to_string(),
                });
            }
        }
        zone_origins.push((origin.clone(), what.clone()));

        let ttl = &file.ttl;
        let mut records = Records::default();
        let mut hosts: BTreeMap<Name, String> = BTreeMap::new();
        let mut ns_ips = Vec::new();
        let mut ns_names = Vec::new();
        for (i, ns) in ti.nameservers.iter().enumerate() {
            let ns_what = format!("{what} nameservers[{i}]");
            let Some(host) = self.name(&ns_what, &ns.host, &origin, false) else {
                continue;
            };
            self.register(&mut hosts, &host, &ns_what);
            records.add(&origin, ttl.ns, RData::NS(NS(host.clone())));
            records.add(&host, ttl.address, RData::A(A(ns.ipv4)));
            ns_ips.push(IpAddr::V4(ns.ipv4));
            ns_names.push(host);
        }
        self.at_least(&format!("{what} nameservers"), ti.nameservers.len(), 2, "TIP1-A_4306");
        let min_ntp = self.policy.min_ntp_per_site;
        for (service, servers, min, requirement) in [
            (Service::Ntp, &ti.ntp, min_ntp, "TIP1-A_4328"),
            (Service::Ocsp, &ti.forwarders, 1, "TIP1-A_4323"),
        ] {
            let mut targets = Vec::new();
            for (i, server) in servers.iter().enumerate() {
                let s_what = format!("{what} {}[{i}]", service.labels());
                let Some(host) = self.name(&s_what, &server.host, &origin, false) else {
                    continue;
                };
                self.register(&mut hosts, &host, &s_what);
                records.add(&host, ttl.address, RData::A(A(server.ipv4)));
                let port = server.port.unwrap_or(service.default_port());
                if port == 0 {
                    self.push(Violation::PortZero { what: s_what });
                }
                targets.push(SrvTarget {
                    priority: server.priority,
                    weight: server.weight,
                    port,
                    target: host,
                });
            }
            self.at_least(&format!("{what} {}", service.labels()), servers.len(), min, requirement);
            targets.sort_by_key(|t| t.priority);
            if let Ok(set) = SrvSet::new(service, &origin, targets) {
                records.add_set(set.to_rrset(ttl.srv));
            }
        }
        let soa = soa_record(&origin, ns_names.first(), rname, &file.zone, ttl.soa);
        records.add(&origin, ttl.soa, soa.data.clone());
        let domain = DomainName::parse(ti.domain.strip_suffix('.').unwrap_or(&ti.domain)).ok()?;
        ti_zones.push(Zone::new(origin, soa, records.0));
        ServiceZoneTxt::new(Role::Ti, ns_ips, domain)
            .map_err(|error| self.push(Violation::Txt { host: what, error }))
            .ok()
    }

    /// A site's concentrators: A, AAAA, TXT.
    #[allow(clippy::too_many_arguments)]
    fn concentrators(
        &mut self,
        records: &mut Records,
        hosts: &mut BTreeMap<Name, String>,
        planned: &mut Vec<Planned>,
        (site_index, site): (usize, &SiteEntry),
        [sub, sis_sub]: [Option<&Name>; 2],
        [ti_txt, sis_txt]: [Option<&ServiceZoneTxt>; 2],
        file: &PlanFile,
    ) {
        let ttl = &file.ttl;
        let mut missing = [false; 2];
        for (i, entry) in site.concentrators.iter().enumerate() {
            let what = format!("sites[{}] concentrators[{i}]", site.name);
            let (base, txt, section) = match entry.role {
                Role::Ti => (sub, ti_txt, (0, "ti", site.ti.is_some())),
                Role::Sis => (sis_sub, sis_txt, (1, "sis", site.sis.is_some())),
            };
            if !section.2 && !missing[section.0] {
                missing[section.0] = true;
                self.push(Violation::MissingServiceZone {
                    site: site.name.clone(),
                    role: entry.role,
                    section: section.1,
                });
            }
            let Some(base) = base else { continue };
            let Some(host) = self.name(&what, &entry.host, base, false) else {
                continue;
            };
            self.register(hosts, &host, &what);
            let rules = AddressRules {
                ipv4: Some("a concentrator needs an A record: the Konnektor resolves its name to IPv4 (TIP1-A_4377)"),
                ipv6: self
                    .policy
                    .require_ipv6
                    .then_some("a concentrator needs an IPv6 address (A_17181)"),
                ..AddressRules::default()
            };
            self.addresses(records, &host, ttl.address, &entry.ipv4, &entry.ipv6, rules);
            let port = entry.port.unwrap_or(Service::IsakmpTi.default_port());
            if port == 0 {
                self.push(Violation::PortZero { what });
            }
            let Some(txt) = txt else { continue };
            records.add(&host, ttl.txt, RData::TXT(txt.to_rdata()));
            planned.push(Planned {
                concentrator: Concentrator {
                    name: host,
                    site: site.name.clone(),
                    role: entry.role,
                    enabled: entry.enabled,
                    addresses: entry
                        .ipv4
                        .iter()
                        .copied()
                        .map(IpAddr::V4)
                        .chain(entry.ipv6.iter().copied().map(IpAddr::V6))
                        .collect(),
                    txt: txt.clone(),
                },
                site_index,
                port,
                weight: entry.weight,
            });
        }
    }

    /// The TI and SIS targets of a discovery domain, ordered by priority (TIP1-A_4296).
    fn discovery_targets(
        &mut self,
        entry: &super::file::DiscoveryEntry,
        domain: &Name,
        planned: &[Planned],
        site_names: &[&str],
        origin: &Name,
    ) -> (Vec<SrvTarget>, Vec<SrvTarget>) {
        let what = format!("discovery domain {domain}");
        self.at_least(&format!("{what} sites"), entry.sites.len(), 1, "TIP1-A_4296");
        let mut chosen: Vec<(&Planned, u16, u16)> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for s in &entry.sites {
            let Some(site_index) = site_names.iter().position(|n| *n == s.site) else {
                self.push(Violation::UnknownSite {
                    discovery: domain.to_string(),
                    site: s.site.clone(),
                });
                continue;
            };
            if seen.contains(&s.site.as_str()) {
                self.push(Violation::DuplicateSite(s.site.clone()));
                continue;
            }
            seen.push(&s.site);
            chosen.extend(
                planned
                    .iter()
                    .filter(|p| p.site_index == site_index)
                    .map(|p| (p, s.priority, p.weight)),
            );
        }
        for o in &entry.overrides {
            let Some(name) = self.name(&format!("{what} override"), &o.concentrator, origin, false) else {
                continue;
            };
            match chosen.iter_mut().find(|(p, _, _)| *p.concentrator.name() == name) {
                Some((_, priority, weight)) => {
                    *priority = o.priority.unwrap_or(*priority);
                    *weight = o.weight.unwrap_or(*weight);
                }
                None => self.push(Violation::UnknownConcentrator {
                    discovery: domain.to_string(),
                    concentrator: name.to_string(),
                }),
            }
        }
        let targets = |role: Role| -> Vec<SrvTarget> {
            let mut out: Vec<SrvTarget> = chosen
                .iter()
                .filter(|(p, _, _)| p.concentrator.role == role && p.concentrator.enabled)
                .map(|(p, priority, weight)| SrvTarget {
                    priority: *priority,
                    weight: *weight,
                    port: p.port,
                    target: p.concentrator.name.clone(),
                })
                .collect();
            out.sort_by_key(|t| t.priority);
            out
        };
        let (ti, sis) = (targets(Role::Ti), targets(Role::Sis));
        self.at_least(&format!("{what}: enabled TI concentrators"), ti.len(), 1, "TIP1-A_4296");
        (ti, sis)
    }

    /// CNAME aliases: RFC 1034 §3.6.2, RFC 2181 §10, RFC 2782.
    fn aliases(&mut self, records: &mut Records, file: &PlanFile, origin: &Name, srv: &[Name], ns: &[Name]) {
        let mut aliases: Vec<(Name, Name)> = Vec::new();
        for (i, entry) in file.aliases.iter().enumerate() {
            let what = format!("aliases[{i}]");
            let (Some(name), Some(target)) = (
                self.name(&what, &entry.name, origin, false),
                self.name(&what, &entry.target, origin, true),
            ) else {
                continue;
            };
            let conflict = if name == *origin {
                Some(CnameConflict::Apex)
            } else if srv.contains(&name) {
                Some(CnameConflict::SrvTarget)
            } else if ns.contains(&name) {
                Some(CnameConflict::NameServer)
            } else if records.owns(&name) || aliases.iter().any(|(a, _)| *a == name) {
                Some(CnameConflict::OtherData)
            } else {
                None
            };
            if let Some(conflict) = conflict {
                self.push(Violation::CnameConflict {
                    name: name.to_string(),
                    conflict,
                });
                continue;
            }
            aliases.push((name, target));
        }
        for (name, target) in &aliases {
            let known = records.owns(target) || aliases.iter().any(|(a, _)| a == target);
            if origin.zone_of(target) && !known {
                self.push(Violation::DanglingAlias {
                    name: name.to_string(),
                    target: target.to_string(),
                });
            }
            records.add(name, file.ttl.alias, RData::CNAME(CNAME(target.clone())));
        }
    }
}
