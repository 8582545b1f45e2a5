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
//!
//! Signed zones (see the `dnssec` module) get a second set of answers for queries with DO=1 (RFC 4035 §3.1):
//! each RRset followed by its RRSIG (glue A/AAAA included, they are authoritative here), NODATA with the SOA,
//! its RRSIG and the NSEC proving the type absent (for an empty non-terminal, the NSEC covering it). NXDOMAIN
//! depends on the name asked, so it is assembled per query from precomputed pieces: the signed SOA, the NSEC
//! (with RRSIG) whose span covers the name, and the one covering the wildcard at the closest encloser
//! (found by a binary search in canonical order over the chain, [`canonical_cmp`]). The DNSKEY, NSEC and
//! RRSIG RRsets are answered with DO=0 too, unsigned.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use hickory_proto::op::{Message, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder, NameEncoding};
use tiwire_dns::{Zone, ZonePlan};

use crate::dnssec::{SignedZone, ZoneKey};

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
    /// The same answers with RRSIGs and NSEC proofs (DO=1), in signed zones.
    signed: Option<Box<Answers>>,
}

/// The answers of one name: per type, and for every other type.
type Answers = (Vec<(u16, Prepared)>, Prepared);
/// A link of the NSEC chain: the owner (lower-cased wire form) and its NSEC + RRSIG, uncompressed.
type Link = (Box<[u8]>, Box<[u8]>);

/// What the table keeps per zone for NXDOMAIN.
#[derive(Debug)]
struct ZoneTail {
    /// The unsigned authority section: the SOA.
    nxdomain: Box<[u8]>,
    signed: Option<SignedTail>,
}

/// The pieces of a signed NXDOMAIN authority section, names uncompressed.
#[derive(Debug)]
struct SignedTail {
    /// The SOA and its RRSIG.
    soa: Box<[u8]>,
    /// Per owner name (lower-cased wire form, canonical order): its NSEC and the NSEC's RRSIG.
    chain: Vec<Link>,
}

/// An authority section assembled from up to three precomputed parts.
#[derive(Debug)]
pub(crate) struct Authority<'a> {
    pub(crate) parts: [&'a [u8]; 3],
    /// Records in the parts together.
    pub(crate) count: u16,
}

impl Authority<'_> {
    pub(crate) fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }
}

/// What the table says about a question.
#[derive(Debug)]
pub(crate) enum Found<'a> {
    /// A precomputed response (positive, NODATA or CNAME).
    Answer(&'a Prepared),
    /// The name is in one of our zones and does not exist there: NXDOMAIN with this authority section (the
    /// SOA; with DO=1 in a signed zone also its RRSIG and the NSEC records proving the denial).
    NxDomain(Authority<'a>),
    /// Not in any of our zones.
    NotOurs,
}

/// Every answer of a plan's zones, ready to copy.
#[derive(Debug)]
pub struct AnswerTable {
    names: HashMap<Box<[u8]>, NameEntry>,
    zones: HashMap<Box<[u8]>, ZoneTail>,
    origins: Vec<(Name, u32)>,
    answers: usize,
    /// Unix seconds at which the signatures should be renewed (signed tables only).
    resign_at: Option<u64>,
}

/// How to sign: the key, the time of signing and the signatures' validity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Signing<'a> {
    pub(crate) key: &'a ZoneKey,
    /// Unix seconds.
    pub(crate) now: u64,
    /// Seconds.
    pub(crate) validity: u32,
}

impl AnswerTable {
    /// Encodes every answer of every zone of `plan`, unsigned.
    pub fn build(plan: &ZonePlan) -> anyhow::Result<Self> {
        Self::build_with(plan, None)
    }

    /// Signs every zone of `plan` with `key` at `now` (signatures valid from `now` − 1 h to `now` +
    /// `validity`) and encodes every answer, with and without DNSSEC records.
    pub fn build_signed(plan: &ZonePlan, key: &ZoneKey, now: SystemTime, validity: Duration) -> anyhow::Result<Self> {
        let now = now.duration_since(UNIX_EPOCH).context("clock before 1970")?.as_secs();
        let validity = u32::try_from(validity.as_secs()).context("validity too long")?;
        Self::build_with(plan, Some(Signing { key, now, validity }))
    }

    pub(crate) fn build_with(plan: &ZonePlan, signing: Option<Signing<'_>>) -> anyhow::Result<Self> {
        let mut table = Self {
            names: HashMap::new(),
            zones: HashMap::new(),
            origins: Vec::new(),
            answers: 0,
            resign_at: None,
        };
        for zone in plan.zones() {
            table
                .add_zone(zone, signing)
                .with_context(|| format!("zone {}", zone.origin()))?;
        }
        Ok(table)
    }

    /// When the signatures should be renewed (a third of their validity before expiry); `None` if unsigned.
    pub fn resign_at(&self) -> Option<SystemTime> {
        self.resign_at.map(|s| UNIX_EPOCH + Duration::from_secs(s))
    }

    /// Whether the zones are signed.
    pub fn is_signed(&self) -> bool {
        self.resign_at.is_some()
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
    /// `dnssec`: the query has DO=1 (answers of signed zones then carry RRSIGs and NSEC proofs).
    pub(crate) fn lookup(&self, name: &[u8], qtype: u16, dnssec: bool) -> Found<'_> {
        if let Some(entry) = self.names.get(name) {
            let (types, other) = match (&entry.signed, dnssec) {
                (Some(signed), true) => (&signed.0, &signed.1),
                _ => (&entry.types, &entry.other),
            };
            let answer = types.iter().find(|(t, _)| *t == qtype).map_or(other, |(_, p)| p);
            return Found::Answer(answer);
        }
        // Longest enclosing zone: walk the labels from the left.
        let mut at = 0;
        while at < name.len() {
            if let Some(tail) = self.zones.get(&name[at..]) {
                return Found::NxDomain(match (&tail.signed, dnssec) {
                    (Some(signed), true) => self.signed_nxdomain(signed, name),
                    _ => Authority {
                        parts: [&tail.nxdomain, &[], &[]],
                        count: 1,
                    },
                });
            }
            let len = usize::from(name[at]);
            if len == 0 {
                break;
            }
            at += 1 + len;
        }
        Found::NotOurs
    }

    /// The authority section denying `name` (RFC 4035 §3.1.3.2): SOA + RRSIG, the NSEC covering the name and
    /// the one covering `*.<closest encloser>` (once if they are the same), each with its RRSIG.
    fn signed_nxdomain<'a>(&self, signed: &'a SignedTail, name: &[u8]) -> Authority<'a> {
        let covering = |n: &[u8]| -> Option<&'a [u8]> {
            let after = signed
                .chain
                .partition_point(|(owner, _)| canonical_cmp(owner, n) != Ordering::Greater);
            let at = after.checked_sub(1).or_else(|| signed.chain.len().checked_sub(1))?;
            signed.chain.get(at).map(|(_, bytes)| &bytes[..])
        };
        let first = covering(name).unwrap_or(&[]);
        // The closest encloser exists (an owner or an empty non-terminal); at worst it is the apex.
        let mut at = 0;
        while at < name.len() && name[at] != 0 {
            at += 1 + usize::from(name[at]);
            if self.names.contains_key(&name[at..]) {
                break;
            }
        }
        let encloser = &name[at.min(name.len())..];
        let mut wildcard = [0u8; 255];
        let second = if encloser.len() + 2 <= wildcard.len() {
            wildcard[..2].copy_from_slice(&[1, b'*']);
            wildcard[2..2 + encloser.len()].copy_from_slice(encloser);
            covering(&wildcard[..2 + encloser.len()]).filter(|b| !std::ptr::eq(*b, first))
        } else {
            None
        }
        .unwrap_or(&[]);
        let pairs = [first, second].iter().filter(|b| !b.is_empty()).count();
        Authority {
            parts: [&signed.soa, first, second],
            count: 2 + 2 * u16::try_from(pairs).unwrap_or(0),
        }
    }

    fn add_zone(&mut self, zone: &Zone, signing: Option<Signing<'_>>) -> anyhow::Result<()> {
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

        let signed = signing
            .map(|s| SignedZone::sign(zone, s.key, s.now, s.validity))
            .transpose()?;
        // The NXDOMAIN authority section, uncompressed.
        let nxdomain = uncompressed([&negative_soa])?;
        let signed_tail = match &signed {
            None => None,
            Some(signed) => {
                let soa_sig = signed
                    .rrsig(&origin, RecordType::SOA)
                    .context("the SOA is not signed")?;
                let mut soa_sig = soa_sig.clone();
                soa_sig.ttl = negative_soa.ttl;
                let mut chain = Vec::new();
                for (owner, [nsec, sig]) in signed.chain() {
                    chain.push((wire(owner)?, uncompressed([nsec, sig])?));
                }
                Some(SignedTail {
                    soa: uncompressed([&negative_soa, &soa_sig])?,
                    chain,
                })
            }
        };
        if let Some(signed) = &signed {
            let at = signed.resign_at();
            self.resign_at = Some(self.resign_at.map_or(at, |t| t.min(at)));
        }
        self.zones.insert(
            origin_key,
            ZoneTail {
                nxdomain,
                signed: signed_tail,
            },
        );

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
        if let Some(signed) = &signed {
            for (name, types) in owners.iter_mut() {
                let extra = signed.types_at(name);
                zone_types.extend(extra.iter().copied());
                types.extend(extra);
            }
        }
        let ctx = |dnssec| Ctx {
            zone,
            signed: signed.as_ref(),
            negative_soa: &negative_soa,
            dnssec,
        };

        for (name, types) in owners {
            let is_alias = types.contains(&RecordType::CNAME);
            let mut entry_types = Vec::new();
            let asked: Vec<RecordType> = if is_alias {
                zone_types.iter().copied().collect()
            } else {
                types
            };
            let mut signed_types = Vec::new();
            for qtype in asked {
                let prepared = prepare(&answer(&ctx(false), &name, qtype))?;
                entry_types.push((u16::from(qtype), prepared));
                if signed.is_some() {
                    signed_types.push((u16::from(qtype), prepare(&answer(&ctx(true), &name, qtype))?));
                }
            }
            let other = prepare(&answer(&ctx(false), &name, NO_TYPE))?;
            let signed_entry = match signed {
                Some(_) => Some(Box::new((signed_types, prepare(&answer(&ctx(true), &name, NO_TYPE))?))),
                None => None,
            };
            self.answers += (entry_types.len() + 1) * if signed_entry.is_some() { 2 } else { 1 };
            self.names.insert(
                wire(&name)?,
                NameEntry {
                    types: entry_types,
                    other,
                    signed: signed_entry,
                },
            );
        }
        Ok(())
    }
}

fn wire(name: &Name) -> anyhow::Result<Box<[u8]>> {
    Ok(name.to_lowercase().to_bytes()?.into_boxed_slice())
}

/// What [`answer`] needs to know about the zone.
struct Ctx<'a> {
    zone: &'a Zone,
    signed: Option<&'a SignedZone>,
    negative_soa: &'a Record,
    /// DO=1: add RRSIGs and NSEC proofs.
    dnssec: bool,
}

impl Ctx<'_> {
    /// The RRset at `name`/`rtype`: the zone's, or one the signing added (DNSKEY, NSEC, RRSIG).
    fn rrset(&self, name: &Name, rtype: RecordType) -> Option<Vec<Record>> {
        if let Some(set) = self.zone.rrset(name, rtype) {
            return Some(set.records_without_rrsigs().cloned().collect());
        }
        self.signed?.rrset(&name.to_lowercase(), rtype)
    }

    /// The RRSIG over `name`/`rtype` when answering with DNSSEC.
    fn rrsig(&self, name: &Name, rtype: RecordType) -> Option<Record> {
        if !self.dnssec || rtype == RecordType::RRSIG {
            return None;
        }
        self.signed?.rrsig(name, rtype).cloned()
    }
}

/// The response to `qname`/`qtype` (ID 0; the responder patches ID, flags and the question).
fn answer(ctx: &Ctx<'_>, qname: &Name, qtype: RecordType) -> Message {
    let zone = ctx.zone;
    let mut message = Message::response(0, OpCode::Query);
    message.metadata.authoritative = true;
    message.add_query(Query::query(qname.clone(), qtype));
    let mut current = qname.clone();
    for _ in 0..MAX_CHAIN {
        if let Some(set) = ctx.rrset(&current, qtype) {
            message.add_answers(set);
            message.add_answers(ctx.rrsig(&current, qtype));
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
            message.add_answers(ctx.rrsig(&current, RecordType::CNAME));
            match target {
                Some(t) if zone.origin().zone_of(&t) => {
                    current = t;
                    continue;
                }
                _ => break, // out of zone: the resolver follows it
            }
        }
        let exists = zone.exists(&current);
        if !exists {
            message.metadata.response_code = ResponseCode::NXDomain;
        }
        message.add_authority(ctx.negative_soa.clone());
        if let (true, Some(signed)) = (ctx.dnssec, ctx.signed) {
            if let Some(mut sig) = ctx.rrsig(zone.origin(), RecordType::SOA) {
                sig.ttl = ctx.negative_soa.ttl;
                message.add_authority(sig);
            }
            let mut encloser = current.base_name();
            while !zone.exists(&encloser) && encloser.num_labels() > zone.origin().num_labels() {
                encloser = encloser.base_name();
            }
            message.add_authorities(signed.denial(&current, exists, &encloser));
        }
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
    let mut sigs: Vec<Record> = Vec::new();
    for record in &glue {
        if let Some(sig) = ctx.rrsig(&record.name, record.record_type())
            && !sigs.contains(&sig)
        {
            sigs.push(sig);
        }
    }
    message.add_additionals(glue);
    message.add_additionals(sigs);
    message
}

/// Records encoded one after the other, names uncompressed (they follow the client's question).
fn uncompressed<'a>(records: impl IntoIterator<Item = &'a Record>) -> anyhow::Result<Box<[u8]>> {
    let mut bytes = Vec::new();
    let mut encoder = BinEncoder::new(&mut bytes);
    encoder.set_name_encoding(NameEncoding::Uncompressed);
    for record in records {
        record.emit(&mut encoder)?;
    }
    Ok(bytes.into_boxed_slice())
}

/// RFC 4034 §6.1 canonical order of two lower-cased, uncompressed wire-format names: label by label from the
/// right, each label as an octet string where a shorter prefix sorts first.
pub(crate) fn canonical_cmp(a: &[u8], b: &[u8]) -> Ordering {
    fn starts(name: &[u8], out: &mut [usize; 128]) -> usize {
        let (mut n, mut at) = (0, 0);
        while at < name.len() && name[at] != 0 && n < out.len() {
            out[n] = at;
            n += 1;
            at += 1 + usize::from(name[at]);
        }
        n
    }
    fn label(name: &[u8], at: usize) -> &[u8] {
        let len = usize::from(name[at]);
        name.get(at + 1..at + 1 + len).unwrap_or(&[])
    }
    let (mut sa, mut sb) = ([0usize; 128], [0usize; 128]);
    let (na, nb) = (starts(a, &mut sa), starts(b, &mut sb));
    for i in 1..=na.min(nb) {
        match label(a, sa[na - i]).cmp(label(b, sb[nb - i])) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    na.cmp(&nb)
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
        assert!(matches!(t.lookup(&key("anbieter.de."), 6, false), Found::Answer(_)));
        assert!(matches!(
            t.lookup(&key("nope.anbieter.de."), 1, false),
            Found::NxDomain(_)
        ));
        assert!(matches!(t.lookup(&key("example.org."), 1, false), Found::NotOurs));
        assert!(matches!(t.lookup(&key("."), 1, false), Found::NotOurs));
        // the empty non-terminal above an SRV owner
        assert!(matches!(
            t.lookup(&key("_udp.ti-extern.anbieter.de."), 33, false),
            Found::Answer(_)
        ));
    }

    #[test]
    fn srv_answers_carry_glue_and_can_drop_it() {
        let t = table();
        let Found::Answer(p) = t.lookup(&key("_regserver._tcp.anbieter.de."), 33, false) else {
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
