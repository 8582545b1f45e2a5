//! The `txtvers=1` TXT format: the seed's examples, strictness, unknown keys, the Konnektor's reading of an
//! RRset, and a format → parse round trip.

use std::net::IpAddr;

use proptest::prelude::*;
use tiwire_dns::hickory_proto::rr::rdata::TXT;
use tiwire_dns::{DomainName, NameError, Role, ServiceZoneTxt, SisServiceZone, TiServiceZone, TxtAttribute, TxtError};

/// The seed's example records (Tab_ZD_Nameserver_Int_RR; the SIS one as in TUC_VPN-ZD_0002).
const SEED_TI: [&str; 3] = [
    "txtvers=1",
    "NameserverTI=100.97.20.13,100.97.20.14",
    "DomainSrvTI=ti-sz.ham.anbieter.vpn-zugd.telematik",
];
const SEED_SIS: [&str; 3] = [
    "txtvers=1",
    "NameserverSIS=100.97.21.13,100.97.21.14",
    "DomainSrvSIS=sis-sz.ham.anbieter.vpn-zugd.telematik",
];

fn parse(strings: &[&str]) -> Result<ServiceZoneTxt, TxtError> {
    ServiceZoneTxt::from_strings(strings)
}

fn with(replace: usize, by: &str) -> Vec<&str> {
    let mut v = SEED_TI.to_vec();
    v[replace] = by;
    v
}

#[test]
fn seed_examples_parse_and_write_back_byte_for_byte() {
    for seed in [SEED_TI, SEED_SIS] {
        let record = parse(&seed).unwrap();
        let written: Vec<String> = record
            .to_strings()
            .into_iter()
            .map(|s| String::from_utf8(s).unwrap())
            .collect();
        assert_eq!(written, seed);
        assert_eq!(ServiceZoneTxt::from_wire(&record.to_wire()).unwrap(), record);
        assert_eq!(ServiceZoneTxt::from_rdata(&record.to_rdata()).unwrap(), record);
    }
    let ti = parse(&SEED_TI).unwrap();
    assert_eq!(ti.role(), Role::Ti);
    assert_eq!(
        ti.nameservers(),
        [
            "100.97.20.13".parse::<IpAddr>().unwrap(),
            "100.97.20.14".parse().unwrap()
        ]
    );
}

#[test]
fn strict_about_version_order_and_spelling() {
    assert_eq!(parse(&[]), Err(TxtError::Empty));
    assert_eq!(
        parse(&with(0, "txtvers=2")),
        Err(TxtError::UnsupportedVersion { found: "2".into() })
    );
    assert_eq!(
        parse(&with(0, "txtvers=")),
        Err(TxtError::UnsupportedVersion { found: "".into() })
    );
    assert_eq!(
        parse(&with(0, "txtvers")),
        Err(TxtError::NoValue {
            index: 0,
            key: "txtvers"
        })
    );
    assert_eq!(
        parse(&with(0, "TXTVERS=1")),
        Err(TxtError::KeyCase {
            index: 0,
            expected: "txtvers"
        })
    );
    assert_eq!(
        parse(&[SEED_TI[1], SEED_TI[0], SEED_TI[2]]),
        Err(TxtError::VersionNotFirst)
    );
    assert_eq!(
        parse(&with(1, "nameserverTI=100.97.20.13,100.97.20.14")),
        Err(TxtError::KeyCase {
            index: 1,
            expected: "NameserverTI"
        })
    );
    assert_eq!(
        parse(&with(1, "NameserverTI")),
        Err(TxtError::NoValue {
            index: 1,
            key: "NameserverTI"
        })
    );
    assert_eq!(parse(&with(1, "")), Err(TxtError::EmptyString { index: 1 }));
    assert_eq!(parse(&with(1, "=x")), Err(TxtError::BadKey { index: 1 }));
    assert_eq!(
        parse(&[SEED_TI[0], SEED_TI[1]]),
        Err(TxtError::MissingKey("DomainSrvTI"))
    );
    assert_eq!(
        parse(&[SEED_TI[0], SEED_TI[2]]),
        Err(TxtError::MissingKey("NameserverTI"))
    );
    assert_eq!(parse(&[SEED_TI[0]]), Err(TxtError::MissingKey("NameserverTI")));
    assert_eq!(
        parse(&[SEED_TI[0], SEED_TI[1], SEED_TI[2], SEED_TI[1]]),
        Err(TxtError::DuplicateKey { index: 3 })
    );
    assert_eq!(
        parse(&[SEED_TI[0], SEED_TI[1], SEED_TI[2], "txtvers=1"]),
        Err(TxtError::DuplicateKey { index: 3 })
    );
    assert_eq!(
        parse(&[SEED_TI[0], SEED_TI[1], SEED_TI[2], SEED_SIS[1]]),
        Err(TxtError::MixedRoles)
    );
}

#[test]
fn several_character_strings_not_one() {
    let one = SEED_TI.join(" ");
    assert_eq!(parse(&[&one]), Err(TxtError::PairsInOneString { index: 0 }));
    let two = format!("{} {}", SEED_TI[1], SEED_TI[2]);
    assert_eq!(parse(&[SEED_TI[0], &two]), Err(TxtError::PairsInOneString { index: 1 }));
    // On the wire: one 120-byte character-string instead of three.
    let mut wire = vec![u8::try_from(one.len()).unwrap()];
    wire.extend_from_slice(one.as_bytes());
    assert_eq!(
        ServiceZoneTxt::from_wire(&wire),
        Err(TxtError::PairsInOneString { index: 0 })
    );
}

#[test]
fn strict_about_address_lists() {
    let cases: [(&str, TxtError); 8] = [
        (
            "NameserverTI=100.97.20.13",
            TxtError::TooFewNameservers { found: 1, min: 2 },
        ),
        (
            "NameserverTI=100.97.20.13,",
            TxtError::Address { index: 1, position: 1 },
        ),
        (
            "NameserverTI=,100.97.20.13",
            TxtError::Address { index: 1, position: 0 },
        ),
        (
            "NameserverTI=100.97.20.13, 100.97.20.14",
            TxtError::Address { index: 1, position: 1 },
        ),
        (
            "NameserverTI=100.97.20.13;100.97.20.14",
            TxtError::Address { index: 1, position: 0 },
        ),
        (
            "NameserverTI=100.97.020.13,100.97.20.14",
            TxtError::Address { index: 1, position: 0 },
        ),
        (
            "NameserverTI=ns1.example,100.97.20.14",
            TxtError::Address { index: 1, position: 0 },
        ),
        (
            "NameserverTI=100.97.20.13,100.97.20.13",
            TxtError::DuplicateAddress("100.97.20.13".parse().unwrap()),
        ),
    ];
    for (string, error) in cases {
        assert_eq!(parse(&with(1, string)), Err(error), "{string}");
    }
    // IPv6 and more than two are fine.
    let record = parse(&with(1, "NameserverTI=2001:db8::53,100.97.20.13,100.97.20.14")).unwrap();
    assert_eq!(record.nameservers().len(), 3);
}

#[test]
fn strict_about_the_domain() {
    assert_eq!(
        parse(&with(2, "DomainSrvTI=ti-sz.ham.anbieter.vpn-zugd.telematik.")),
        Err(TxtError::Domain {
            index: 2,
            error: NameError::EmptyLabel { position: 38 }
        })
    );
    assert_eq!(
        parse(&with(2, "DomainSrvTI=ti_sz.example")),
        Err(TxtError::Domain {
            index: 2,
            error: NameError::Character { position: 2 }
        })
    );
    assert_eq!(
        ServiceZoneTxt::from_strings(&[b"txtvers=1".as_slice(), SEED_TI[1].as_bytes(), b"DomainSrvTI=t\xffi"]),
        Err(TxtError::Domain {
            index: 2,
            error: NameError::Character { position: 1 }
        })
    );
}

#[test]
fn unknown_keys_are_kept_in_order_and_written_back() {
    let strings: Vec<&[u8]> = vec![
        b"txtvers=1",
        b"x-site=ham",
        SEED_TI[1].as_bytes(),
        b"flag",
        SEED_TI[2].as_bytes(),
        b"bin=\x00\xff\"\\",
        b"empty=",
    ];
    let record = ServiceZoneTxt::from_strings(&strings).unwrap();
    let keys: Vec<&str> = record.attributes().iter().map(TxtAttribute::key).collect();
    assert_eq!(keys, ["x-site", "flag", "bin", "empty"]);
    assert_eq!(record.attributes()[1].value(), None);
    assert_eq!(record.attributes()[3].value(), Some(&b""[..]));
    let again = ServiceZoneTxt::from_wire(&record.to_wire()).unwrap();
    assert_eq!(again, record);
    assert_eq!(
        record.to_string(),
        r#""txtvers=1" "NameserverTI=100.97.20.13,100.97.20.14" "DomainSrvTI=ti-sz.ham.anbieter.vpn-zugd.telematik" "x-site=ham" "flag" "bin=\000\255\"\\" "empty=""#
    );
    // Unknown keys repeated (without case) are refused like ours.
    let dup: Vec<&str> = vec![SEED_TI[0], SEED_TI[1], SEED_TI[2], "x=1", "X=2"];
    assert_eq!(parse(&dup), Err(TxtError::DuplicateKey { index: 4 }));
}

#[test]
fn built_only_valid() {
    let domain = DomainName::parse("ti-sz.ham.example").unwrap();
    let one: Vec<IpAddr> = vec!["100.97.20.13".parse().unwrap()];
    assert!(matches!(
        ServiceZoneTxt::new(Role::Ti, one, domain.clone()),
        Err(TxtError::TooFewNameservers { .. })
    ));
    let many: Vec<IpAddr> = (1..=20).map(|i| IpAddr::from([100, 97, 20, i])).collect();
    assert!(matches!(
        ServiceZoneTxt::new(Role::Ti, many, domain.clone()),
        Err(TxtError::StringTooLong { .. })
    ));
    assert_eq!(
        TxtAttribute::new("DomainSrvSIS", None),
        Err(TxtError::ReservedKey("DomainSrvSIS"))
    );
    assert_eq!(TxtAttribute::new("a=b", None), Err(TxtError::BadKey { index: 0 }));
    let two: Vec<IpAddr> = vec!["100.97.20.13".parse().unwrap(), "100.97.20.14".parse().unwrap()];
    let record = ServiceZoneTxt::new(Role::Ti, two, domain).unwrap();
    let record = record
        .with_attribute(TxtAttribute::new("note", Some(b"x")).unwrap())
        .unwrap();
    assert!(matches!(
        record.with_attribute(TxtAttribute::new("NOTE", None).unwrap()),
        Err(TxtError::DuplicateKey { .. })
    ));
}

fn rdata(strings: &[&str]) -> TXT {
    TXT::new(strings.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn konnektor_reads_the_rrset_at_the_concentrator() {
    let spf = rdata(&["v=spf1 -all"]);
    let ti = TiServiceZone::from_rrset([&spf, &rdata(&SEED_TI)]).unwrap();
    assert_eq!(ti.dns_servers_ti().len(), 2);
    assert_eq!(ti.domain_srvzone_ti().as_str(), "ti-sz.ham.anbieter.vpn-zugd.telematik");
    assert_eq!(
        ti.ntp_name().unwrap().to_string(),
        "_ntp._udp.ti-sz.ham.anbieter.vpn-zugd.telematik."
    );
    assert_eq!(
        ti.ocsp_name().unwrap().to_string(),
        "_ocsp._tcp.ti-sz.ham.anbieter.vpn-zugd.telematik."
    );
    let sis = SisServiceZone::from_rrset([&rdata(&SEED_SIS)]).unwrap();
    assert_eq!(sis.dns_servers_sis().len(), 2);
    assert_eq!(
        sis.domain_srvzone_sis().as_str(),
        "sis-sz.ham.anbieter.vpn-zugd.telematik"
    );

    assert_eq!(TiServiceZone::from_rrset([&spf]), Err(TxtError::NoServiceZoneRecord));
    assert_eq!(
        TiServiceZone::from_rrset([&rdata(&SEED_TI), &rdata(&SEED_TI)]),
        Err(TxtError::Ambiguous { count: 2 })
    );
    assert_eq!(
        TiServiceZone::from_rrset([&rdata(&SEED_SIS)]),
        Err(TxtError::WrongRole {
            expected: Role::Ti,
            found: Role::Sis
        })
    );
    // A broken txtvers record is an error, not skipped.
    assert_eq!(
        SisServiceZone::from_rrset([&rdata(&["TXTVERS=1"])]),
        Err(TxtError::KeyCase {
            index: 0,
            expected: "txtvers"
        })
    );
}

fn address() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(IpAddr::from),
        any::<[u16; 8]>().prop_map(IpAddr::from),
    ]
}

fn domain() -> impl Strategy<Value = DomainName> {
    proptest::collection::vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", 1..5)
        .prop_map(|labels| DomainName::parse(&labels.join(".")).unwrap())
}

fn attributes() -> impl Strategy<Value = Vec<(String, Option<Vec<u8>>)>> {
    proptest::collection::vec(
        (
            "[ -<>-~]{1,12}",
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        ),
        0..4,
    )
}

proptest! {
    #[test]
    fn format_then_parse_is_identity(
        sis in any::<bool>(),
        ips in proptest::collection::vec(address(), 2..6),
        domain in domain(),
        attrs in attributes(),
    ) {
        let role = if sis { Role::Sis } else { Role::Ti };
        let mut unique: Vec<IpAddr> = Vec::new();
        for ip in ips {
            if !unique.contains(&ip) {
                unique.push(ip);
            }
        }
        prop_assume!(unique.len() >= 2);
        let mut record = ServiceZoneTxt::new(role, unique, domain).unwrap();
        for (key, value) in attrs {
            let Ok(attribute) = TxtAttribute::new(&key, value.as_deref()) else { continue };
            if let Ok(more) = record.clone().with_attribute(attribute) {
                record = more;
            }
        }
        let wire = record.to_wire();
        let parsed = ServiceZoneTxt::from_wire(&wire).unwrap();
        prop_assert_eq!(&parsed, &record);
        prop_assert_eq!(parsed.to_wire(), wire);
        prop_assert_eq!(ServiceZoneTxt::from_rdata(&record.to_rdata()).unwrap(), record.clone());
        prop_assert_eq!(ServiceZoneTxt::from_strings(&record.to_strings()).unwrap(), record);
    }

    #[test]
    fn parse_never_panics_and_what_parses_writes_back(strings in proptest::collection::vec(
        proptest::collection::vec(any::<u8>(), 0..60), 0..6)
    ) {
        if let Ok(record) = ServiceZoneTxt::from_strings(&strings) {
            prop_assert_eq!(ServiceZoneTxt::from_wire(&record.to_wire()).unwrap(), record);
        }
    }
}
