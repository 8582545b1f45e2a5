//! The responder's rules, one test per row of the table in the module docs, against the seed-example plan.

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{DNSClass, Name, RData, RecordType};
use tiwire_dns::{PlanPolicy, ZonePlan};

use super::*;

fn table(plan: &str) -> AnswerTable {
    let plan = ZonePlan::from_toml(plan, &PlanPolicy::default()).unwrap();
    AnswerTable::build(&plan).unwrap()
}

fn seed() -> AnswerTable {
    table(include_str!(
        "../../../../libs/dns/tests/vectors/seed-example.zoneplan.toml"
    ))
}

fn bench() -> AnswerTable {
    table(include_str!(
        "../../../../libs/dns/tests/vectors/bench-provider.zoneplan.toml"
    ))
}

fn query(name: &str, qtype: RecordType, edns: Option<u16>) -> Vec<u8> {
    let mut m = Message::new(0x1234, MessageType::Query, OpCode::Query);
    m.metadata.recursion_desired = true;
    m.add_query(Query::query(Name::from_ascii(name).unwrap(), qtype));
    if let Some(payload) = edns {
        let mut e = Edns::new();
        e.set_max_payload(payload);
        m.set_edns(e);
    }
    m.to_vec().unwrap()
}

fn ask(t: &AnswerTable, q: &[u8], transport: Transport) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    match respond(t, q, transport, &mut out) {
        Reply::Send => Some(out),
        Reply::Drop => None,
    }
}

fn answer(t: &AnswerTable, q: &[u8], transport: Transport) -> Message {
    Message::from_vec(&ask(t, q, transport).unwrap()).unwrap()
}

const UDP: Transport = Transport::Udp(1232);

#[test]
fn positive_answers_are_authoritative_and_copy_id_rd_and_case() {
    let t = seed();
    let q = query("VPNK1.Ham.TI-vpn-zugd.anbieter.DE.", RecordType::TXT, None);
    let r = answer(&t, &q, UDP);
    assert_eq!(r.metadata.id, 0x1234);
    assert_eq!(r.metadata.message_type, MessageType::Response);
    assert!(r.metadata.authoritative && r.metadata.recursion_desired);
    assert!(!r.metadata.recursion_available && !r.metadata.truncation);
    assert_eq!(r.metadata.response_code, ResponseCode::NoError);
    assert_eq!(r.queries[0].name().to_ascii(), "VPNK1.Ham.TI-vpn-zugd.anbieter.DE.");
    assert_eq!(r.answers.len(), 1);
    assert!(matches!(r.answers[0].data, RData::TXT(_)));
    assert!(r.authorities.is_empty());
    assert!(r.edns.is_none());
}

#[test]
fn nodata_and_nxdomain_carry_the_soa_with_the_negative_ttl() {
    let t = seed();
    let r = answer(
        &t,
        &query("vpnk1.ham.ti-vpn-zugd.anbieter.de.", RecordType::MX, None),
        UDP,
    );
    assert_eq!(r.metadata.response_code, ResponseCode::NoError);
    assert!(r.answers.is_empty());
    assert_eq!(r.authorities.len(), 1);
    let RData::SOA(soa) = &r.authorities[0].data else {
        panic!("no SOA")
    };
    assert_eq!(r.authorities[0].ttl, soa.minimum.min(3600));
    assert_eq!(r.queries[0].query_type(), RecordType::MX);

    let r = answer(&t, &query("Nope.anbieter.de.", RecordType::A, Some(1232)), UDP);
    assert_eq!(r.metadata.response_code, ResponseCode::NXDomain);
    assert!(r.metadata.authoritative);
    assert_eq!(r.queries[0].name().to_ascii(), "Nope.anbieter.de.");
    assert!(matches!(r.authorities[0].data, RData::SOA(_)));
    assert_eq!(r.authorities[0].name, Name::from_ascii("anbieter.de.").unwrap());
    assert_eq!(r.edns.as_ref().unwrap().max_payload(), 1232);

    // an empty non-terminal exists: NODATA
    let r = answer(&t, &query("_tcp.anbieter.de.", RecordType::A, None), UDP);
    assert_eq!(r.metadata.response_code, ResponseCode::NoError);
    assert_eq!(r.authorities.len(), 1);
}

#[test]
fn foreign_names_any_transfers_and_other_classes_are_refused() {
    let t = seed();
    for (name, qtype) in [
        ("example.org.", RecordType::A),
        (".", RecordType::NS),
        ("anbieter.de.", RecordType::ANY),
        ("anbieter.de.", RecordType::AXFR),
        ("anbieter.de.", RecordType::IXFR),
    ] {
        let r = answer(&t, &query(name, qtype, None), UDP);
        assert_eq!(r.metadata.response_code, ResponseCode::Refused, "{name} {qtype}");
        assert!(!r.metadata.authoritative);
        assert!(r.answers.is_empty() && r.authorities.is_empty());
    }
    let mut m = Message::new(7, MessageType::Query, OpCode::Query);
    let mut q = Query::query(Name::from_ascii("anbieter.de.").unwrap(), RecordType::TXT);
    q.set_query_class(DNSClass::CH);
    m.add_query(q);
    let r = answer(&t, &m.to_vec().unwrap(), UDP);
    assert_eq!(r.metadata.response_code, ResponseCode::Refused);
}

#[test]
fn the_50_target_srv_set_is_truncated_over_udp_and_whole_over_tcp() {
    let t = bench();
    let name = "_isakmp._udp.ti-extern.anbieter-vpn.example.";
    for payload in [None, Some(512), Some(1232), Some(4096)] {
        let q = query(name, RecordType::SRV, payload);
        let bytes = ask(&t, &q, UDP).unwrap();
        let limit = payload.map_or(512, |p| usize::from(p.min(1232)));
        assert!(bytes.len() <= limit);
        let r = Message::from_vec(&bytes).unwrap();
        assert!(r.metadata.truncation, "{payload:?}");
        assert!(r.answers.is_empty() && r.additionals.is_empty());
        assert_eq!(r.queries.len(), 1);
        assert_eq!(r.edns.is_some(), payload.is_some());
    }
    let r = answer(&t, &query(name, RecordType::SRV, Some(1232)), Transport::Tcp);
    assert!(!r.metadata.truncation);
    assert_eq!(r.answers.len(), 50);
    assert_eq!(r.additionals.len(), 100); // A and AAAA of every concentrator
}

#[test]
fn glue_is_dropped_before_truncating() {
    // SRV targets are never compressed (RFC 2782): the 9 ham targets take 530 bytes, the glue 400 more.
    let t = bench();
    let name = "_isakmp._udp.ti-extern.ham.anbieter-vpn.example.";
    let full = answer(&t, &query(name, RecordType::SRV, None), Transport::Tcp);
    assert_eq!((full.answers.len(), full.additionals.len()), (9, 18));
    let bytes = ask(&t, &query(name, RecordType::SRV, Some(600)), UDP).unwrap();
    let r = Message::from_vec(&bytes).unwrap();
    assert!(!r.metadata.truncation, "{} bytes", bytes.len());
    assert_eq!((r.answers.len(), r.additionals.len()), (9, 0));
    assert!(r.edns.is_some());
    let r = answer(&t, &query(name, RecordType::SRV, Some(1232)), UDP);
    assert_eq!((r.answers.len(), r.additionals.len()), (9, 18));
    let r = answer(&t, &query(name, RecordType::SRV, None), UDP);
    assert!(r.metadata.truncation);
}

#[test]
fn edns_versions_above_zero_get_badvers() {
    let t = seed();
    let mut m = Message::new(9, MessageType::Query, OpCode::Query);
    m.add_query(Query::query(Name::from_ascii("anbieter.de.").unwrap(), RecordType::SOA));
    let mut e = Edns::new();
    e.set_version(1);
    m.set_edns(e);
    let r = answer(&t, &m.to_vec().unwrap(), UDP);
    assert_eq!(u16::from(r.metadata.response_code), 16, "BADVERS");
    assert_eq!(r.edns.as_ref().unwrap().version(), 0);
    assert!(r.answers.is_empty());
}

#[test]
fn other_opcodes_get_notimp() {
    let t = seed();
    let mut q = query("anbieter.de.", RecordType::SOA, None);
    q[2] |= 4 << 3; // NOTIFY
    let r = answer(&t, &q, UDP);
    assert_eq!(r.metadata.response_code, ResponseCode::NotImp);
    assert_eq!(r.metadata.op_code, OpCode::Notify);
}

#[test]
fn malformed_queries_get_formerr_and_garbage_nothing() {
    let t = seed();
    let good = query("anbieter.de.", RecordType::SOA, Some(1232));
    // shorter than a header, or a response: dropped
    assert!(ask(&t, &good[..11], UDP).is_none());
    let mut response = good.clone();
    response[2] |= 0x80;
    assert!(ask(&t, &response, UDP).is_none());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("header only", good[..12].to_vec()),
        ("name cut", good[..16].to_vec()),
        ("type cut", good[..12 + 13 + 2].to_vec()),
        ("two questions", {
            let mut q = good.clone();
            q[5] = 2;
            q
        }),
        ("huge counts", {
            let mut q = good.clone();
            q[4..12].fill(0xff);
            q
        }),
        ("answer records", {
            let mut q = good.clone();
            q[7] = 1;
            q
        }),
        ("pointer in the question", {
            let mut q = good[..12].to_vec();
            q.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
            q
        }),
        ("pointer loop", {
            let mut q = good[..12].to_vec();
            q.extend_from_slice(&[3, b'f', b'o', b'o', 0xc0, 12, 0, 1, 0, 1]);
            q
        }),
        ("label running off", {
            let mut q = good[..12].to_vec();
            q.extend_from_slice(&[63, b'a']);
            q
        }),
        ("OPT cut", good[..good.len() - 3].to_vec()),
        ("OPT not at the root", {
            let mut q = good.clone();
            let at = 12 + 13 + 4;
            q[at] = 1;
            q
        }),
    ];
    for (what, q) in cases {
        let r = ask(&t, &q, UDP).unwrap_or_else(|| panic!("{what}: no answer"));
        assert_eq!(&r[..2], &good[..2], "{what}");
        assert_eq!(r[2] & 0x80, 0x80, "{what}");
        assert_eq!(r[3] & 0x0f, 1, "{what}: FORMERR");
        assert!(Message::from_vec(&r).is_ok(), "{what}");
    }
    // a name longer than 255 bytes
    let mut q = good[..12].to_vec();
    for _ in 0..5 {
        q.push(63);
        q.extend_from_slice(&[b'a'; 63]);
    }
    q.extend_from_slice(&[0, 0, 1, 0, 1]);
    assert_eq!(ask(&t, &q, UDP).unwrap()[3] & 0x0f, 1);
}

#[test]
fn cname_aliases_are_followed_inside_the_zone() {
    let t = seed();
    let r = answer(&t, &query("registrierung.anbieter.de.", RecordType::A, None), UDP);
    assert_eq!(r.metadata.response_code, ResponseCode::NoError);
    assert_eq!(r.answers.len(), 2, "{:?}", r.answers);
    assert_eq!(r.answers[0].record_type(), RecordType::CNAME);
    assert_eq!(r.answers[1].record_type(), RecordType::A);
    let r = answer(&t, &query("registrierung.anbieter.de.", RecordType::CAA, None), UDP);
    assert_eq!(r.answers.len(), 1);
    assert_eq!(r.authorities.len(), 1);
}

#[test]
fn udp_answers_never_exceed_the_clients_limit() {
    let t = bench();
    for name in [
        "_isakmp._udp.ti-extern.anbieter-vpn.example.",
        "anbieter-vpn.example.",
        "x.anbieter-vpn.example.",
    ] {
        for qtype in [RecordType::SRV, RecordType::NS, RecordType::SOA, RecordType::A] {
            for payload in [None, Some(0), Some(100), Some(600), Some(1232), Some(65535)] {
                let bytes = ask(&t, &query(name, qtype, payload), UDP).unwrap();
                let limit = payload.map_or(512, |p| usize::from(p.clamp(512, 1232)));
                assert!(bytes.len() <= limit, "{name} {qtype} {payload:?}: {}", bytes.len());
            }
        }
    }
}
