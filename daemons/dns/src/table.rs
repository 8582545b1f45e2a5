//! The answer table: every answer the zones of a plan can give, encoded once with hickory-proto when the plan
//! is loaded, keyed by the lower-cased wire form of the owner name and the query type.
//!
//! What is precomputed, per zone:
//!
//! - for every owner name and every type it owns: the RRset in the answer section, and in the additional
//!   section the in-zone A/AAAA of SRV targets and NS hosts (RFC 2782, RFC 1035 §3.3.11). Positive answers
//!   carry no authority section (minimal responses, as knot and BIND with `minimal-responses` send them);
//! - for every owner name (and every empty non-terminal above one, RFC 8020) the NODATA answer for the types
//!   it does not own: no answer, the SOA in the authority section with TTL = min(SOA TTL, SOA MINIMUM)
//!   (RFC 2308 §3);
//! - for CNAME owners (plan aliases) the CNAME followed inside the zone (RFC 1034 §4.3.2, at most 8 steps), for
//!   every type the zone has and for the rest;
//! - per zone the authority section of NXDOMAIN (the SOA, names uncompressed because the question in front of
//!   it is the client's).
//!
//! Each answer is also kept without its additional section: over UDP that is what goes out when the glue does
//! not fit (RFC 2181 §9: no TC for missing glue).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, bail};
use hickory_proto::op::{Message, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder, NameEncoding};
use tiwire_dns::{Zone, ZonePlan};

/// Longest CNAME chain followed inside a zone.
const MAX_CHAIN: usize = 8;
/// A type no record has: the question type of the precomputed NODATA answers (the client's type is copied in).
const NO_TYPE: RecordType = RecordType::Unknown(65_280);

/// One precomputed response: header (ID 0, QR, AA, RCODE), the question (lower case), the sections.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) full: Box<[u8]>,
    /// The same without the additional section, when it has one.
    pub(crate) without_additional: Option<Box<[u8]>>,
}

#[derive(Debug)]
struct NameEntry {
    types: Vec<(u16, Prepared)>,
    /// NODATA, or the CNAME chase for types the zone does not have.
    other: Prepared,
}

/// What the table says about a question.
#[derive(Debug)]
pub(crate) enum Found<'a> {
    /// A precomputed response (positive, NODATA or CNAME).
    Answer(&'a Prepared),
    /// The name is in one of our zones and does not exist there: NXDOMAIN with this authority section (one
    /// record, the SOA).
    NxDomain(&'a [u8]),
    /// Not in any of our zones.
    NotOurs,
}

/// Every answer of a plan's zones, ready to copy.
#[derive(Debug)]
pub struct AnswerTable {
    names: HashMap<Box<[u8]>, NameEntry>,
    zones: HashMap<Box<[u8]>, Box<[u8]>>,
    origins: Vec<(Name, u32)>,
    answers: usize,
}

impl AnswerTable {
    /// Encodes every answer of every zone of `plan`.
    pub fn build(plan: &ZonePlan) -> anyhow::Result<Self> {
        let mut table = Self {
            names: HashMap::new(),
            zones: HashMap::new(),
            origins: Vec::new(),
            answers: 0,
        };
        for zone in plan.zones() {
            table
                .add_zone(zone)
                .with_context(|| format!("zone {}", zone.origin()))?;
        }
        Ok(table)
    }

    /// The zones served, with their SOA serials.
    pub fn zones(&self) -> &[(Name, u32)] {
        &self.origins
    }

    /// Number of precomputed responses.
    pub fn len(&self) -> usize {
        self.answers
    }

    /// Never true: a table holds at least one zone's SOA.
    pub fn is_empty(&self) -> bool {
        self.answers == 0
    }

    /// Looks up a question by its lower-cased wire-format name (`name` must be a complete, uncompressed name).
    pub(crate) fn lookup(&self, name: &[u8], qtype: u16) -> Found<'_> {
        if let Some(entry) = self.names.get(name) {
            let answer = entry
                .types
                .iter()
                .find(|(t, _)| *t == qtype)
                .map_or(&entry.other, |(_, p)| p);
            return Found::Answer(answer);
        }
        // Longest enclosing zone: walk the labels from the left.
        let mut at = 0;
        while at < name.len() {
            if let Some(tail) = self.zones.get(&name[at..]) {
                return Found::NxDomain(tail);
            }
            let len = usize::from(name[at]);
            if len == 0 {
                break;
            }
            at += 1 + len;
        }
        Found::NotOurs
    }

    fn add_zone(&mut self, zone: &Zone) -> anyhow::Result<()> {
        let origin = zone.origin().to_lowercase();
        let origin_key = wire(&origin)?;
        if self.zones.contains_key(&origin_key) {
            bail!("served twice");
        }
        let RData::SOA(soa) = &zone.soa().data else {
            bail!("the SOA record holds no SOA");
        };
        let mut negative_soa = zone.soa().clone();
        negative_soa.ttl = zone.soa().ttl.min(soa.minimum);
        self.origins.push((origin.clone(), soa.serial));

        // The NXDOMAIN authority section, uncompressed.
        let mut tail = Vec::new();
        let mut encoder = BinEncoder::new(&mut tail);
        encoder.set_name_encoding(NameEncoding::Uncompressed);
        negative_soa.emit(&mut encoder)?;
        self.zones.insert(origin_key, tail.into_boxed_slice());

        let mut owners: BTreeMap<Name, Vec<RecordType>> = BTreeMap::new();
        let mut zone_types = BTreeSet::new();
        for set in zone.rrsets() {
            owners
                .entry(set.name().to_lowercase())
                .or_default()
                .push(set.record_type());
            zone_types.insert(set.record_type());
        }
        // Empty non-terminals between owners and the origin exist (RFC 8020): NODATA, not NXDOMAIN.
        let ents: Vec<Name> = owners
            .keys()
            .flat_map(|name| {
                let mut above = Vec::new();
                let mut name = name.base_name();
                while origin.zone_of(&name) && name != origin {
                    above.push(name.clone());
                    name = name.base_name();
                }
                above
            })
            .collect();
        for ent in ents {
            owners.entry(ent).or_default();
        }

        for (name, types) in owners {
            let is_alias = types.contains(&RecordType::CNAME);
            let mut entry_types = Vec::new();
            let asked: Vec<RecordType> = if is_alias {
                zone_types.iter().copied().collect()
            } else {
                types
            };
            for qtype in asked {
                let prepared = prepare(&answer(zone, &name, qtype, &negative_soa))?;
                entry_types.push((u16::from(qtype), prepared));
            }
            let other = prepare(&answer(zone, &name, NO_TYPE, &negative_soa))?;
            self.answers += entry_types.len() + 1;
            self.names.insert(
                wire(&name)?,
                NameEntry {
                    types: entry_types,
                    other,
                },
            );
        }
        Ok(())
    }
}

fn wire(name: &Name) -> anyhow::Result<Box<[u8]>> {
    Ok(name.to_lowercase().to_bytes()?.into_boxed_slice())
}

/// The response to `qname`/`qtype` from `zone` (ID 0; the responder patches ID, flags and the question).
fn answer(zone: &Zone, qname: &Name, qtype: RecordType, negative_soa: &Record) -> Message {
    let mut message = Message::response(0, OpCode::Query);
    message.metadata.authoritative = true;
    message.add_query(Query::query(qname.clone(), qtype));
    let mut current = qname.clone();
    for _ in 0..MAX_CHAIN {
        if let Some(set) = zone.rrset(&current, qtype) {
            message.add_answers(set.records_without_rrsigs().cloned());
            break;
        }
        if qtype != RecordType::CNAME
            && let Some(set) = zone.rrset(&current, RecordType::CNAME)
        {
            let mut target = None;
            for record in set.records_without_rrsigs() {
                if let RData::CNAME(cname) = &record.data {
                    target = Some(cname.0.clone());
                }
                message.add_answer(record.clone());
            }
            match target {
                Some(t) if zone.origin().zone_of(&t) => {
                    current = t;
                    continue;
                }
                _ => break, // out of zone: the resolver follows it
            }
        }
        if !zone.exists(&current) {
            message.metadata.response_code = ResponseCode::NXDomain;
        }
        message.add_authority(negative_soa.clone());
        break;
    }
    let mut glue: Vec<Record> = Vec::new();
    for record in &message.answers {
        let host = match &record.data {
            RData::SRV(srv) => srv.target.clone(),
            RData::NS(ns) => ns.0.clone(),
            RData::MX(mx) => mx.exchange.clone(),
            _ => continue,
        };
        for address in zone.addresses(&host) {
            if !glue.contains(address) {
                glue.push(address.clone());
            }
        }
    }
    message.add_additionals(glue);
    message
}

fn prepare(message: &Message) -> anyhow::Result<Prepared> {
    let full = message.to_vec().context("encoding an answer")?;
    if full.len() > usize::from(u16::MAX) {
        bail!("an answer exceeds 65535 bytes");
    }
    let without_additional = if message.additionals.is_empty() {
        None
    } else {
        let mut bare = message.clone();
        bare.additionals.clear();
        Some(bare.to_vec().context("encoding an answer")?.into_boxed_slice())
    };
    Ok(Prepared {
        full: full.into_boxed_slice(),
        without_additional,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiwire_dns::PlanPolicy;

    fn table() -> AnswerTable {
        let plan = ZonePlan::from_toml(
            include_str!("../../../libs/dns/tests/vectors/seed-example.zoneplan.toml"),
            &PlanPolicy::default(),
        )
        .unwrap();
        AnswerTable::build(&plan).unwrap()
    }

    fn key(name: &str) -> Box<[u8]> {
        wire(&Name::from_ascii(name).unwrap()).unwrap()
    }

    #[test]
    fn every_owner_and_type_has_an_answer() {
        let t = table();
        assert!(t.len() > 20, "{}", t.len());
        assert!(matches!(t.lookup(&key("anbieter.de."), 6), Found::Answer(_)));
        assert!(matches!(t.lookup(&key("nope.anbieter.de."), 1), Found::NxDomain(_)));
        assert!(matches!(t.lookup(&key("example.org."), 1), Found::NotOurs));
        assert!(matches!(t.lookup(&key("."), 1), Found::NotOurs));
        // the empty non-terminal above an SRV owner
        assert!(matches!(
            t.lookup(&key("_udp.ti-extern.anbieter.de."), 33),
            Found::Answer(_)
        ));
    }

    #[test]
    fn srv_answers_carry_glue_and_can_drop_it() {
        let t = table();
        let Found::Answer(p) = t.lookup(&key("_regserver._tcp.anbieter.de."), 33) else {
            panic!("no answer")
        };
        let full = Message::from_vec(&p.full).unwrap();
        assert_eq!(full.answers.len(), 1);
        assert_eq!(full.additionals.len(), 2);
        let bare = Message::from_vec(p.without_additional.as_deref().unwrap()).unwrap();
        assert_eq!(bare.answers, full.answers);
        assert!(bare.additionals.is_empty());
    }
}
