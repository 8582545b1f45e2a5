//! Zone plans: every sample plan in the repository, the bench zone expressed as a plan, the seed's tables
//! reproduced, the zone file re-read by hickory's parser, and one case per validation rule.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use tiwire_dns::hickory_proto::rr::{Name, RData, RecordType};
use tiwire_dns::hickory_proto::serialize::txt::Parser;
use tiwire_dns::{CnameConflict, PlanError, PlanPolicy, Role, Violation, Zone, ZonePlan};

use crate::{BENCH_PLAN, SEED_PLAN};

fn name(s: &str) -> Name {
    Name::from_ascii(s).unwrap()
}

fn plan(text: &str) -> ZonePlan {
    ZonePlan::from_toml(text, &PlanPolicy::default()).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn violations(text: &str) -> Vec<Violation> {
    match ZonePlan::from_toml(text, &PlanPolicy::default()) {
        Err(PlanError::Invalid(v)) => v,
        other => panic!("expected violations, got {other:?}"),
    }
}

/// The seed plan with `from` replaced by `to` (which must occur).
fn edited(from: &str, to: &str) -> String {
    assert!(SEED_PLAN.contains(from), "{from}");
    SEED_PLAN.replacen(from, to, 1)
}

fn rdata_text(zone: &Zone, owner: &str, record_type: RecordType) -> Vec<String> {
    zone.rrset(&name(owner), record_type)
        .map(|set| set.records_without_rrsigs().map(|r| r.data.to_string()).collect())
        .unwrap_or_default()
}

fn sample_plans(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !["target", ".git", "node_modules"].contains(&file_name.as_str()) {
                sample_plans(&path, out);
            }
        } else if file_name.ends_with(".zoneplan.toml") {
            out.push(path);
        }
    }
}

#[test]
fn every_sample_plan_in_the_repository_is_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut plans = Vec::new();
    sample_plans(&root, &mut plans);
    assert!(plans.len() >= 2, "{plans:?}");
    for path in plans {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = ZonePlan::from_toml(&text, &PlanPolicy::default()) {
            panic!("{}: {e:#?}", path.display());
        }
    }
}

#[test]
fn unknown_keys_are_errors() {
    let text = edited("serial = 2026010101", "serial = 2026010101\nserail = 1");
    let Err(PlanError::Toml { line, detail, .. }) = ZonePlan::from_toml(&text, &PlanPolicy::default()) else {
        panic!("unknown key accepted");
    };
    assert_eq!(line, 11);
    assert!(detail.contains("serail"), "{detail}");
    let text = edited("role = \"ti\"", "role = \"ti\"\nrloe = 1");
    assert!(matches!(
        ZonePlan::from_toml(&text, &PlanPolicy::default()),
        Err(PlanError::Toml { .. })
    ));
    let text = edited("role = \"ti\"", "role = \"tis\"");
    assert!(matches!(
        ZonePlan::from_toml(&text, &PlanPolicy::default()),
        Err(PlanError::Toml { .. })
    ));
}

/// Every record of /work/shared/bench/dns_anchor.sh's zone (50 concentrators, 6 sites), rebuilt here the way the
/// script writes it, must be in the plan's zone with the same TTL and data.
#[test]
fn the_bench_zone_is_expressible() {
    let plan = plan(BENCH_PLAN);
    let zone = plan.internet_zone();
    let d = "anbieter-vpn.example.";
    let mut expected: Vec<(String, u32, RecordType, String)> = vec![
        (
            d.into(),
            3600,
            RecordType::SOA,
            format!("ns1.{d} hostmaster.{d} 2024060101 3600 900 1209600 300"),
        ),
        (d.into(), 3600, RecordType::NS, format!("ns1.{d}")),
        (d.into(), 3600, RecordType::NS, format!("ns2.{d}")),
        (format!("ns1.{d}"), 300, RecordType::A, "192.0.2.53".into()),
        (format!("ns1.{d}"), 300, RecordType::AAAA, "2001:db8::53".into()),
        (format!("ns2.{d}"), 300, RecordType::A, "192.0.2.54".into()),
        (format!("ns2.{d}"), 300, RecordType::AAAA, "2001:db8::54".into()),
        (
            format!("_regserver._tcp.{d}"),
            300,
            RecordType::SRV,
            format!("10 10 443 reg01.{d}"),
        ),
        (
            format!("_regserver._tcp.{d}"),
            300,
            RecordType::SRV,
            format!("20 10 443 reg02.{d}"),
        ),
        (format!("reg01.{d}"), 300, RecordType::A, "192.0.2.80".into()),
        (format!("reg01.{d}"), 300, RecordType::AAAA, "2001:db8::80".into()),
        (format!("reg02.{d}"), 300, RecordType::A, "192.0.2.81".into()),
        (format!("reg02.{d}"), 300, RecordType::AAAA, "2001:db8::81".into()),
    ];
    let sites = ["ham", "ber", "fra", "muc", "dus", "lei"];
    let mut count = [0usize; 6];
    for i in 1..=50usize {
        let si = (i - 1) % 6;
        count[si] += 1;
        let n = count[si];
        let site = sites[si];
        let h = format!("konz{n:02}.{site}.{d}");
        expected.push((h.clone(), 300, RecordType::A, format!("198.51.100.{i}")));
        expected.push((h.clone(), 300, RecordType::AAAA, format!("2001:db8:{}::{n}", si + 1)));
        expected.push((
            h.clone(),
            300,
            RecordType::TXT,
            format!(
                "txtvers=1NameserverTI=100.97.20.13,100.97.20.14DomainSrvTI=ti-sz.{site}.anbieter.vpn-zugd.telematik"
            ),
        ));
        expected.push((
            format!("_isakmp._udp.ti-extern.{d}"),
            300,
            RecordType::SRV,
            format!("10 10 500 {h}"),
        ));
        expected.push((
            format!("_isakmp._udp.ti-extern.{site}.{d}"),
            300,
            RecordType::SRV,
            format!("{} 10 500 {h}", 10 + n / 5),
        ));
    }
    for (owner, ttl, record_type, data) in &expected {
        let set = zone
            .rrset(&name(owner), *record_type)
            .unwrap_or_else(|| panic!("no {record_type} at {owner}"));
        assert_eq!(set.ttl(), *ttl, "{owner} {record_type}");
        let found: Vec<String> = set.records_without_rrsigs().map(|r| r.data.to_string()).collect();
        assert!(found.contains(data), "{owner} {record_type}: {data} not in {found:?}");
    }
    // The SRV sets are exactly the bench's: all 50, and each site's own.
    assert_eq!(
        rdata_text(zone, &format!("_isakmp._udp.ti-extern.{d}"), RecordType::SRV).len(),
        50
    );
    assert_eq!(
        rdata_text(zone, &format!("_isakmp._udp.ti-extern.ham.{d}"), RecordType::SRV).len(),
        9
    );
    // Beyond the bench: what the seed requires.
    assert_eq!(
        rdata_text(zone, &format!("_isakmp._udp.sis-extern.{d}"), RecordType::SRV),
        ["0 0 0 ."]
    );
    assert_eq!(
        rdata_text(zone, &format!("_hashandurl._tcp.lei.{d}"), RecordType::SRV),
        [format!("10 10 80 hashurl01.{d}")]
    );
    assert_eq!(plan.service_zones_ti().len(), 6);
    assert_eq!(plan.discovery_domains().len(), 7);
}

#[test]
fn the_seed_tables_are_reproduced() {
    let plan = plan(SEED_PLAN);
    let zone = plan.internet_zone();
    let d = "anbieter.de.";
    // Tab_ZD_Nameserver_Int_RR, for both discovery domains.
    for dom in [d.to_owned(), format!("ber.{d}")] {
        for service in [
            "_isakmp._udp.ti-extern",
            "_isakmp._udp.sis-extern",
            "_hashandurl._tcp",
            "_regserver._tcp",
        ] {
            assert!(
                !rdata_text(zone, &format!("{service}.{dom}"), RecordType::SRV).is_empty(),
                "{service}.{dom}"
            );
        }
    }
    // TIP1-A_4296: the nearest site first, the backup after; the disabled concentrator out (TIP1-A_4297).
    assert_eq!(
        rdata_text(zone, &format!("_isakmp._udp.ti-extern.{d}"), RecordType::SRV),
        [
            format!("10 10 500 vpnk1.ham.ti-vpn-zugd.{d}"),
            format!("10 20 500 vpnk2.ham.ti-vpn-zugd.{d}"),
            format!("20 10 500 vpnk1.ber.ti-vpn-zugd.{d}"),
        ]
    );
    assert_eq!(
        rdata_text(zone, &format!("_isakmp._udp.sis-extern.ber.{d}"), RecordType::SRV),
        [
            format!("10 10 500 vpnk1.ber.sis-vpn-zugd.{d}"),
            format!("20 10 500 vpnk1.ham.sis-vpn-zugd.{d}")
        ]
    );
    assert_eq!(
        rdata_text(zone, &format!("_regserver._tcp.{d}"), RecordType::SRV),
        [format!("10 10 443 reg.vpn-zugd.{d}")]
    );
    // A/AAAA (Tab_ZD_Nameserver_Int_RR, Tab_ZD_Nameserver_Int_RR_IPv6) and the seed's TXT example verbatim.
    let vpnk1 = format!("vpnk1.ham.ti-vpn-zugd.{d}");
    assert_eq!(rdata_text(zone, &vpnk1, RecordType::A), ["198.51.100.11"]);
    assert_eq!(rdata_text(zone, &vpnk1, RecordType::AAAA), ["2001:db8:1::11"]);
    assert_eq!(
        rdata_text(zone, &format!("reg.vpn-zugd.{d}"), RecordType::AAAA),
        ["2001:db8::80"]
    );
    assert_eq!(
        rdata_text(zone, &format!("hashurl.vpn-zugd.{d}"), RecordType::A),
        ["192.0.2.90"]
    );
    let file = zone.to_zone_file();
    assert!(
        file.contains(&format!(
            "{vpnk1} 3600 IN TXT \"txtvers=1\" \"NameserverTI=100.97.20.13,100.97.20.14\" \"DomainSrvTI=ti-sz.ham.anbieter.vpn-zugd.telematik\"\n"
        )),
        "{file}"
    );
    assert!(file.contains(&format!(
        "vpnk1.ham.sis-vpn-zugd.{d} 3600 IN TXT \"txtvers=1\" \"NameserverSIS=100.97.21.13,100.97.21.14\" \"DomainSrvSIS=sis-sz.ham.anbieter.vpn-zugd.telematik\"\n"
    )));
    assert!(file.contains(&format!("registrierung.{d} 300 IN CNAME reg.vpn-zugd.{d}\n")));
    // Disabled: no SRV, but name and TXT stay.
    assert_eq!(
        rdata_text(zone, &format!("vpnk2.ber.ti-vpn-zugd.{d}"), RecordType::TXT).len(),
        1
    );
    let vpnk2 = plan
        .concentrators()
        .iter()
        .find(|c| c.name() == &name(&format!("vpnk2.ber.ti-vpn-zugd.{d}")));
    assert!(!vpnk2.unwrap().enabled());

    // Tab_ZD_Nameserver_TI_RR in the site's service zone.
    let ti = plan.zone(&name("ti-sz.ham.anbieter.vpn-zugd.telematik.")).unwrap();
    let t = "ti-sz.ham.anbieter.vpn-zugd.telematik.";
    assert_eq!(
        rdata_text(ti, &format!("_ntp._udp.{t}"), RecordType::SRV),
        [format!("10 10 123 ntp1.{t}"), format!("10 10 123 ntp2.{t}")]
    );
    assert_eq!(
        rdata_text(ti, &format!("_ocsp._tcp.{t}"), RecordType::SRV),
        [format!("10 10 80 ocsp-fwd.{t}")]
    );
    assert_eq!(rdata_text(ti, &format!("ntp1.{t}"), RecordType::A), ["100.97.20.21"]);
    assert_eq!(
        rdata_text(ti, &format!("ocsp-fwd.{t}"), RecordType::A),
        ["100.97.20.31"]
    );
    assert_eq!(
        rdata_text(ti, t, RecordType::NS),
        [format!("ns1.{t}"), format!("ns2.{t}")]
    );
    // DNS_SERVERS_TI of the TXT are the addresses of the service zone's name servers.
    let ns_ips: Vec<IpAddr> = ["ns1", "ns2"]
        .iter()
        .flat_map(|h| rdata_text(ti, &format!("{h}.{t}"), RecordType::A))
        .map(|s| s.parse().unwrap())
        .collect();
    let c = &plan.concentrators()[0];
    assert_eq!(c.role(), Role::Ti);
    assert_eq!(c.txt().nameservers(), ns_ips.as_slice());
}

#[test]
fn zone_files_are_stable_and_hickory_reads_them_back() {
    for text in [SEED_PLAN, BENCH_PLAN] {
        let a = plan(text);
        let b = plan(text);
        assert_eq!(a, b);
        for zone in a.zones() {
            let file = zone.to_zone_file();
            assert_eq!(file, b.zone(zone.origin()).unwrap().to_zone_file());
            assert!(file.lines().nth(3).unwrap().contains(" IN SOA "), "SOA first: {file}");
            let (origin, parsed) = Parser::new(file.as_str(), None, None).parse().unwrap();
            assert_eq!(&origin, zone.origin());
            assert_eq!(parsed.len(), zone.as_map().len());
            for (key, set) in zone.as_map() {
                let theirs = &parsed[key];
                assert_eq!(theirs.ttl(), set.ttl(), "{key:?}");
                let ours: Vec<_> = set.records_without_rrsigs().collect();
                let read: Vec<_> = theirs.records_without_rrsigs().collect();
                assert_eq!(read, ours, "{key:?}");
            }
        }
    }
}

#[test]
fn a_daemon_finds_answers_and_additional_data() {
    let plan = plan(SEED_PLAN);
    let zone = plan.internet_zone();
    assert!(matches!(zone.soa().data, RData::SOA(_)));
    assert_eq!(zone.addresses(&name("vpnk1.ham.ti-vpn-zugd.anbieter.de.")).count(), 2);
    assert!(zone.has_name(&name("_isakmp._udp.ti-extern.anbieter.de.")));
    assert!(!zone.has_name(&name("nonexistent.anbieter.de.")));
    // Empty non-terminals exist (NODATA, not NXDOMAIN).
    assert!(!zone.has_name(&name("_udp.ti-extern.anbieter.de.")));
    assert!(zone.exists(&name("_udp.ti-extern.anbieter.de.")));
    assert!(zone.exists(&name("ham.ti-vpn-zugd.anbieter.de.")));
    assert!(!zone.exists(&name("nonexistent.anbieter.de.")));
    assert_eq!(zone.records().count(), zone.len());
}

/// Which violation a case expects.
type Expect = fn(&Violation) -> bool;

#[test]
fn validation_rules() {
    use Violation as V;
    let cases: Vec<(String, Expect)> = vec![
        // Dangling SRV target: a server without addresses.
        (
            edited("ipv4 = [\"192.0.2.90\"]", ""),
            |v| matches!(v, V::NoAddress { host } if host.starts_with("hashurl")),
        ),
        // Missing glue for an in-zone name server; glue for an out-of-zone one.
        (edited("ipv4 = [\"192.0.2.54\"]", ""), |v| {
            matches!(v, V::MissingGlue { .. })
        }),
        (
            edited(
                "host = \"ns.partner-dns.example.\"",
                "host = \"ns.partner-dns.example.\"\nipv4 = [\"192.0.2.1\"]",
            ),
            |v| matches!(v, V::OutOfZoneGlue { .. }),
        ),
        // TIP1-A_4305: exactly one IPv4 per Nameserver Internet.
        (
            edited("ipv4 = [\"192.0.2.53\"]", "ipv4 = [\"192.0.2.53\", \"192.0.2.63\"]"),
            |v| matches!(v, V::AddressRule { rule, .. } if rule.contains("TIP1-A_4305")),
        ),
        // TIP1-A_4303: three Nameserver Internet.
        (edited("[[nameservers]]\nhost = \"ns.partner-dns.example.\"", ""), |v| {
            matches!(
                v,
                V::TooFew {
                    requirement: "TIP1-A_4303",
                    found: 2,
                    ..
                }
            )
        }),
        // A_17181: concentrators need IPv6.
        (
            edited("ipv6 = [\"2001:db8:1::11\"]", ""),
            |v| matches!(v, V::AddressRule { rule, .. } if rule.contains("A_17181")),
        ),
        // Duplicate names: two concentrators with the same host in one subdomain.
        (edited("host = \"vpnk2\"", "host = \"vpnk1\""), |v| {
            matches!(v, V::DuplicateName { .. })
        }),
        // Duplicate site subdomains (TIP1-A_5103: dedicated per site).
        (
            edited("subdomain = \"ber.ti-vpn-zugd\"", "subdomain = \"ham.ti-vpn-zugd\""),
            |v| matches!(v, V::DuplicateName { name, .. } if name.starts_with("ham.ti-vpn-zugd")),
        ),
        (edited("name = \"ber\"", "name = \"ham\""), |v| {
            matches!(v, V::DuplicateSite(_))
        }),
        (
            edited(
                "ipv4 = [\"198.51.100.12\"]",
                "ipv4 = [\"198.51.100.12\", \"198.51.100.12\"]",
            ),
            |v| matches!(v, V::DuplicateAddress { .. }),
        ),
        // CNAME conflicts: with other data, as SRV target, at the apex; and a dangling alias.
        (edited("target = \"reg.vpn-zugd\"", "target = \"nowhere\""), |v| {
            matches!(v, V::DanglingAlias { .. })
        }),
        (edited("name = \"registrierung\"", "name = \"ns1\""), |v| {
            matches!(
                v,
                V::CnameConflict {
                    conflict: CnameConflict::NameServer,
                    ..
                }
            )
        }),
        (edited("name = \"registrierung\"", "name = \"reg.vpn-zugd\""), |v| {
            matches!(
                v,
                V::CnameConflict {
                    conflict: CnameConflict::SrvTarget,
                    ..
                }
            )
        }),
        (edited("name = \"registrierung\"", "name = \"@\""), |v| {
            matches!(
                v,
                V::CnameConflict {
                    conflict: CnameConflict::Apex,
                    ..
                }
            )
        }),
        (
            edited(
                "[[aliases]]",
                "[[aliases]]\nname = \"x\"\ntarget = \"ns1\"\n[[aliases]]\n",
            )
            .replacen("name = \"registrierung\"", "name = \"vpnk2.ber.ti-vpn-zugd\"", 1),
            |v| {
                matches!(
                    v,
                    V::CnameConflict {
                        conflict: CnameConflict::OtherData,
                        ..
                    }
                )
            },
        ),
        // TTL policy: SRV at most 3600 s, nothing under 60 s.
        (edited("txt = 3600", "txt = 3600\nsrv = 86400"), |v| {
            matches!(v, V::Ttl { record: "SRV", .. })
        }),
        (edited("txt = 3600", "txt = 30"), |v| {
            matches!(
                v,
                V::Ttl {
                    record: "TXT",
                    ttl: 30,
                    ..
                }
            )
        }),
        (
            edited("serial = 2026010101", "serial = 2026010101\nretry = 7200"),
            |v| matches!(v, V::Soa(_)),
        ),
        // Discovery: unknown site, unknown override target, no TI concentrators left.
        (
            edited("{ site = \"ham\", priority = 20 }", "{ site = \"hh\", priority = 20 }"),
            |v| matches!(v, V::UnknownSite { .. }),
        ),
        (
            edited(
                "sites = [{ site = \"ber\", priority = 10 }, { site = \"ham\", priority = 20 }]",
                "sites = [{ site = \"ber\", priority = 10 }]\noverrides = [{ concentrator = \"vpnk1.ham.ti-vpn-zugd\", priority = 5 }]",
            ),
            |v| matches!(v, V::UnknownConcentrator { .. }),
        ),
        (
            edited(
                "sites = [{ site = \"ber\", priority = 10 }, { site = \"ham\", priority = 20 }]",
                "sites = [{ site = \"ber\", priority = 10 }]",
            )
            .replacen(
                "ipv6 = [\"2001:db8:2::31\"]",
                "ipv6 = [\"2001:db8:2::31\"]\nenabled = false",
                1,
            ),
            |v| {
                matches!(
                    v,
                    V::TooFew {
                        requirement: "TIP1-A_4296",
                        found: 0,
                        ..
                    }
                )
            },
        ),
        // Registrierungsserver and hash&URL server are required.
        (
            edited(
                "[[hash_and_url_servers]]\nhost = \"hashurl.vpn-zugd\"\nipv4 = [\"192.0.2.90\"]",
                "",
            ),
            |v| {
                matches!(
                    v,
                    V::TooFew {
                        requirement: "TIP1-A_5710",
                        ..
                    }
                )
            },
        ),
        // Tab_ZD_Nameserver_TI_RR: two NTP servers and a forwarder per site, two Nameserver TI.
        (
            edited(
                "ntp = [{ host = \"ntp1\", ipv4 = \"100.97.20.21\" }, { host = \"ntp2\", ipv4 = \"100.97.20.22\" }]",
                "ntp = [{ host = \"ntp1\", ipv4 = \"100.97.20.21\" }]",
            ),
            |v| {
                matches!(
                    v,
                    V::TooFew {
                        requirement: "TIP1-A_4328",
                        ..
                    }
                )
            },
        ),
        (
            edited("forwarders = [{ host = \"ocsp-fwd\", ipv4 = \"100.97.20.31\" }]", ""),
            |v| {
                matches!(
                    v,
                    V::TooFew {
                        requirement: "TIP1-A_4323",
                        ..
                    }
                )
            },
        ),
        (edited(", { host = \"ns2\", ipv4 = \"100.97.20.14\" }", ""), |v| {
            matches!(
                v,
                V::TooFew {
                    requirement: "TIP1-A_4306",
                    ..
                }
            )
        }),
        // A TI concentrator in a site without [sites.ti]; SIS name servers as one address.
        (
            edited(
                "[sites.ti]\ndomain = \"ti-sz.ham.anbieter.vpn-zugd.telematik\"\nnameservers = [{ host = \"ns1\", ipv4 = \"100.97.20.13\" }, { host = \"ns2\", ipv4 = \"100.97.20.14\" }]\nntp = [{ host = \"ntp1\", ipv4 = \"100.97.20.21\" }, { host = \"ntp2\", ipv4 = \"100.97.20.22\" }]\nforwarders = [{ host = \"ocsp-fwd\", ipv4 = \"100.97.20.31\" }]\n",
                "",
            ),
            |v| matches!(v, V::MissingServiceZone { role: Role::Ti, .. }),
        ),
        (
            edited(
                "nameservers = [\"100.97.21.13\", \"100.97.21.14\"]",
                "nameservers = [\"100.97.21.13\"]",
            ),
            |v| matches!(v, V::Txt { .. }),
        ),
        // Service zones: in the TI namespace, not inside the Internet zone; one per site.
        (
            edited(
                "domain = \"ti-sz.ham.anbieter.vpn-zugd.telematik\"",
                "domain = \"ti-sz.anbieter.de\"",
            ),
            |v| matches!(v, V::ZoneOverlap { .. }),
        ),
        (
            edited(
                "domain = \"ti-sz.ber.anbieter.vpn-zugd.telematik\"",
                "domain = \"ti-sz.ham.anbieter.vpn-zugd.telematik\"",
            ),
            |v| matches!(v, V::DuplicateName { .. }),
        ),
        // Names.
        (edited("host = \"vpnk2\"", "host = \"vpn_k2\""), |v| {
            matches!(v, V::Name { .. })
        }),
        (edited("subdomain = \"ham.ti-vpn-zugd\"", "subdomain = \"@\""), |v| {
            matches!(v, V::Name { .. })
        }),
        (edited("origin = \"anbieter.de\"", "origin = \"anbieter..de\""), |v| {
            matches!(v, V::Name { .. })
        }),
        (edited("host = \"vpnk2\"", "host = \"vpnk2\"\nport = 0"), |v| {
            matches!(v, V::PortZero { .. })
        }),
    ];
    for (text, expected) in cases {
        let found = violations(&text);
        assert!(found.iter().any(expected), "not found in {found:#?}");
    }
}

#[test]
fn all_violations_are_reported_at_once() {
    let text = edited("host = \"vpnk2\"", "host = \"vpnk1\"").replacen("txt = 3600", "txt = 30", 1);
    let found = violations(&text);
    assert!(found.len() >= 2, "{found:#?}");
    let error = ZonePlan::from_toml(&text, &PlanPolicy::default()).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("plan breaks {} rule(s); first: ", found.len()))
    );
}

#[test]
fn policy_knobs_for_labs() {
    let two_ns = edited("[[nameservers]]\nhost = \"ns.partner-dns.example.\"", "");
    assert!(ZonePlan::from_toml(&two_ns, &PlanPolicy::default()).is_err());
    assert!(ZonePlan::from_toml(&two_ns, &PlanPolicy::default().with_min_internet_nameservers(2)).is_ok());
    let no_v6 = edited("ipv6 = [\"2001:db8:1::11\"]", "");
    assert!(ZonePlan::from_toml(&no_v6, &PlanPolicy::default().without_ipv6_requirement()).is_ok());
}
