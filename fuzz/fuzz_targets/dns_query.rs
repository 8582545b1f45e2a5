//! tiwire-dnsd's responder over untrusted query bytes (anything a UDP or TCP client sends), against the answer
//! table of the bench plan. Nothing may panic; beyond that: only non-queries (shorter than a header, QR set) are
//! dropped; every response parses with hickory, is a response with the query's ID, and over UDP fits the limit
//! (512 without EDNS, at most our 1232 with it); a question that hickory reads the same way comes back
//! unchanged (case included) whenever the response carries one.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tiwire_dns::hickory_proto::op::{Message, MessageType};
use tiwire_dns::{PlanPolicy, ZonePlan};
use tiwire_dnsd::{AnswerTable, Reply, Transport, respond};

fn table() -> &'static AnswerTable {
    static TABLE: OnceLock<AnswerTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let plan = ZonePlan::from_toml(
            include_str!("../../libs/dns/tests/vectors/bench-provider.zoneplan.toml"),
            &PlanPolicy::default(),
        )
        .expect("the bench plan is valid");
        AnswerTable::build(&plan).expect("the bench plan builds")
    })
}

fuzz_target!(|data: &[u8]| {
    let mut out = Vec::new();
    for transport in [Transport::Udp(1232), Transport::Tcp] {
        let reply = respond(table(), data, transport, &mut out);
        if data.len() < 12 || data[2] & 0x80 != 0 {
            assert_eq!(reply, Reply::Drop);
            continue;
        }
        assert_eq!(reply, Reply::Send);
        let response = Message::from_vec(&out).expect("our responses parse");
        assert_eq!(response.metadata.message_type, MessageType::Response);
        assert_eq!(&out[..2], &data[..2], "ID copied");
        assert!(!response.metadata.recursion_available);
        if let Transport::Udp(ours) = transport {
            let limit = match Message::from_vec(data) {
                Ok(query) => query
                    .edns
                    .map_or(512, |edns| usize::from(edns.max_payload().clamp(512, ours))),
                Err(_) => usize::from(ours),
            };
            assert!(out.len() <= limit, "{} > {limit}", out.len());
        }
        if let (Ok(query), Some(question)) = (Message::from_vec(data), response.queries.first()) {
            if let Some(asked) = query.queries.first() {
                assert_eq!(question.name().to_ascii(), asked.name().to_ascii());
                assert_eq!(question.query_type(), asked.query_type());
            }
        }
    }
});
