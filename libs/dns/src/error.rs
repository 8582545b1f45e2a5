//! Why a name, a TXT record or a zone plan was refused, split by cause. Positions are indexes of character-strings
//! in the TXT RDATA (0 = `txtvers=1`) or byte offsets, so a log line says where, not only what.

use std::net::IpAddr;

use crate::txt::Role;

/// A host or domain name that is not letters, digits and hyphens (RFC 1123 §2.1, RFC 1035 §2.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// Nothing given.
    #[error("empty name")]
    Empty,
    /// Longer than 253 characters.
    #[error("name of {len} characters exceeds 253")]
    TooLong {
        /// Length.
        len: usize,
    },
    /// Two dots in a row, or a leading or trailing dot.
    #[error("empty label at byte {position}")]
    EmptyLabel {
        /// Byte offset of the label.
        position: usize,
    },
    /// A label of more than 63 characters.
    #[error("label at byte {position} is longer than 63 characters")]
    LabelTooLong {
        /// Byte offset of the label.
        position: usize,
    },
    /// Something other than a letter, digit or hyphen.
    #[error("character at byte {position} is not a letter, digit or hyphen")]
    Character {
        /// Byte offset.
        position: usize,
    },
    /// A label starts or ends with a hyphen.
    #[error("label at byte {position} starts or ends with a hyphen")]
    Hyphen {
        /// Byte offset of the label.
        position: usize,
    },
}

/// A `txtvers=1` TXT record (Tab_ZD_Nameserver_Int_RR) that is malformed, or a TXT RRset that does not hold
/// exactly one of them for the expected role.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TxtError {
    /// The RDATA's character-strings run past its end (RFC 1035 §3.3: `<length><octets>`).
    #[error("TXT RDATA truncated at byte {offset}")]
    Truncated {
        /// Offset of the character-string whose length runs past the end.
        offset: usize,
    },
    /// No character-strings at all.
    #[error("TXT record holds no character-strings")]
    Empty,
    /// A zero-length character-string.
    #[error("character-string {index} is empty")]
    EmptyString {
        /// Index of the character-string.
        index: usize,
    },
    /// The first character-string is not `txtvers=…` (the seed's layout, RFC 6763 §6.7).
    #[error("the first character-string must be txtvers=1")]
    VersionNotFirst,
    /// `txtvers` names another version than 1.
    #[error("txtvers={found:?} is not supported (only 1)")]
    UnsupportedVersion {
        /// The version text (lossy UTF-8, at most 32 characters).
        found: String,
    },
    /// Several key/value pairs in one character-string (`"txtvers=1 NameserverTI=…"`): each pair must be its own
    /// character-string.
    #[error("character-string {index} holds several key/value pairs; each must be its own character-string")]
    PairsInOneString {
        /// Index of the character-string.
        index: usize,
    },
    /// A key differs from one of ours only in case (`nameserverti=`): the seed spells them exactly.
    #[error("character-string {index}: key must be spelled {expected}")]
    KeyCase {
        /// Index of the character-string.
        index: usize,
        /// The spelling the seed uses.
        expected: &'static str,
    },
    /// A key given twice (keys compare without case, RFC 6763 §6.4).
    #[error("character-string {index} repeats a key")]
    DuplicateKey {
        /// Index of the second occurrence.
        index: usize,
    },
    /// An empty key (`=value`) or one with a byte outside printable ASCII (RFC 6763 §6.4).
    #[error("character-string {index} has an empty or non-printable key")]
    BadKey {
        /// Index of the character-string.
        index: usize,
    },
    /// One of our keys without `=value`.
    #[error("character-string {index}: {key} has no value")]
    NoValue {
        /// Index of the character-string.
        index: usize,
        /// The key.
        key: &'static str,
    },
    /// A required key is missing.
    #[error("{0} is missing")]
    MissingKey(&'static str),
    /// Both TI and SIS keys in one record: a concentrator is either a VPN-Konzentrator TI or SIS.
    #[error("the record mixes TI and SIS keys")]
    MixedRoles,
    /// An entry of the IP address list is not an IPv4 or IPv6 address in its usual text form (empty entries,
    /// spaces and leading zeros included).
    #[error("character-string {index}: address {position} of the list is not an IP address")]
    Address {
        /// Index of the character-string.
        index: usize,
        /// Position in the comma-separated list (0-based).
        position: usize,
    },
    /// An address listed twice.
    #[error("address {0} listed twice")]
    DuplicateAddress(IpAddr),
    /// Fewer name servers than the format's `<IP-Adresse1>,<IP-Adresse2>[,…]` (TIP1-A_4306, TIP1-A_4309: at
    /// least two).
    #[error("{found} name server address(es), at least {min} required")]
    TooFewNameservers {
        /// Addresses found.
        found: usize,
        /// Minimum.
        min: usize,
    },
    /// The service zone's domain name is not a host name (`DomainSrvTI=…`, without trailing dot).
    #[error("character-string {index}: domain name invalid: {error}")]
    Domain {
        /// Index of the character-string.
        index: usize,
        /// What is wrong with it.
        error: NameError,
    },
    /// A character-string would exceed 255 octets (RFC 1035 §3.3).
    #[error("character-string for {key} would be {len} octets, more than 255")]
    StringTooLong {
        /// The key whose string is too long.
        key: String,
        /// Its length.
        len: usize,
    },
    /// The whole RDATA would exceed 65535 octets.
    #[error("TXT RDATA of {len} octets exceeds 65535")]
    RecordTooLong {
        /// Its length.
        len: usize,
    },
    /// An extra attribute uses one of the keys this type manages itself.
    #[error("attribute key {0} is reserved")]
    ReservedKey(&'static str),
    /// A TI record where a SIS one was expected, or the reverse.
    #[error("{found:?} record where a {expected:?} record was expected")]
    WrongRole {
        /// The role asked for.
        expected: Role,
        /// The record's role.
        found: Role,
    },
    /// The TXT RRset holds no `txtvers=` record.
    #[error("no txtvers=1 TXT record at the concentrator's name")]
    NoServiceZoneRecord,
    /// The TXT RRset holds several `txtvers=` records, so the Konnektor cannot tell which one applies.
    #[error("{count} txtvers TXT records at the concentrator's name, exactly one expected")]
    Ambiguous {
        /// How many.
        count: usize,
    },
}

/// A provider zone plan that could not be read or that breaks a rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// Not TOML, or not the plan's schema (unknown keys are errors).
    #[error("plan is not valid TOML for a zone plan (line {line}, column {column}): {detail}")]
    Toml {
        /// 1-based line of the error, 0 if unknown.
        line: usize,
        /// 1-based column, 0 if unknown.
        column: usize,
        /// The TOML parser's description (key names and expected types; no secrets are in a plan).
        detail: String,
    },
    /// The plan was read and breaks one or more rules: all of them, in plan order.
    #[error("plan breaks {} rule(s); first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<Violation>),
}

/// One broken rule in a zone plan. Names are absolute and lower-cased; `what` says which entry of the plan.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// A name in the plan is not a host name.
    #[error("{what}: {value:?} is not a valid name: {error}")]
    Name {
        /// Which entry.
        what: String,
        /// The text given.
        value: String,
        /// What is wrong.
        error: NameError,
    },
    /// A host name outside the zone where it must be inside (concentrators, servers, in-zone name servers).
    #[error("{what}: {name} is not inside the zone {zone}")]
    OutOfZone {
        /// Which entry.
        what: String,
        /// The name.
        name: String,
        /// The zone's origin.
        zone: String,
    },
    /// The same owner name defined twice (two hosts, two sites' subdomains, two discovery domains, two service
    /// zones).
    #[error("{name} is defined twice ({first} and {second})")]
    DuplicateName {
        /// The name.
        name: String,
        /// The first entry.
        first: String,
        /// The second entry.
        second: String,
    },
    /// A site name used twice.
    #[error("site {0} is defined twice")]
    DuplicateSite(String),
    /// An address listed twice for one host.
    #[error("{host}: address {address} listed twice")]
    DuplicateAddress {
        /// The host.
        host: String,
        /// The address.
        address: IpAddr,
    },
    /// An SRV target or host without any A/AAAA record: the SRV record would dangle (RFC 2782: "There MUST be
    /// one or more address records for this name").
    #[error("{host} has no address: SRV targets and hosts need A or AAAA records")]
    NoAddress {
        /// The host.
        host: String,
    },
    /// An in-zone name server without glue.
    #[error("name server {host} is inside the zone but has no A/AAAA glue")]
    MissingGlue {
        /// The name server.
        host: String,
    },
    /// An out-of-zone name server given addresses: they would be out-of-zone data the zone cannot serve.
    #[error("name server {host} is outside the zone; its addresses belong to its own zone")]
    OutOfZoneGlue {
        /// The name server.
        host: String,
    },
    /// An address-family rule of the seed is broken.
    #[error("{host}: {rule}")]
    AddressRule {
        /// The host.
        host: String,
        /// The rule and its requirement ID.
        rule: &'static str,
    },
    /// Fewer entries than a requirement asks for.
    #[error("{what}: {found} given, at least {min} required ({requirement})")]
    TooFew {
        /// Of what, where.
        what: String,
        /// Found.
        found: usize,
        /// Minimum.
        min: usize,
        /// The requirement ID.
        requirement: &'static str,
    },
    /// A discovery domain names a site that does not exist.
    #[error("discovery domain {discovery}: unknown site {site}")]
    UnknownSite {
        /// The discovery domain.
        discovery: String,
        /// The site named.
        site: String,
    },
    /// A discovery domain's override names no concentrator of its sites.
    #[error("discovery domain {discovery}: override for {concentrator}, which is not a concentrator of its sites")]
    UnknownConcentrator {
        /// The discovery domain.
        discovery: String,
        /// The name given.
        concentrator: String,
    },
    /// A site has concentrators of a role but no service zone of that role (no TXT record can be made).
    #[error("site {site} has {role:?} concentrators but no [sites.{section}] section")]
    MissingServiceZone {
        /// The site.
        site: String,
        /// The role.
        role: Role,
        /// The TOML section it needs.
        section: &'static str,
    },
    /// The TXT record for a concentrator cannot be built.
    #[error("{host}: TXT record: {error}")]
    Txt {
        /// The concentrator.
        host: String,
        /// Why.
        error: TxtError,
    },
    /// A CNAME that breaks RFC 1034 §3.6.2 / RFC 2181 §10: alias owner with other data, alias as SRV target or
    /// name server, alias at the apex.
    #[error("alias {name}: {conflict}")]
    CnameConflict {
        /// The alias owner.
        name: String,
        /// What it conflicts with.
        conflict: CnameConflict,
    },
    /// An alias whose in-zone target has no data.
    #[error("alias {name} points to {target}, which has no records in the zone")]
    DanglingAlias {
        /// The alias owner.
        name: String,
        /// The target.
        target: String,
    },
    /// A TI service zone inside the Internet zone or inside another service zone: the TI namespace is separate
    /// (Tab_ZD_Nameserver_TI_RR is served by the Nameserver TI, not the Nameserver Internet).
    #[error("service zone {zone} overlaps {other}")]
    ZoneOverlap {
        /// The service zone.
        zone: String,
        /// The zone it is inside of, or that is inside of it.
        other: String,
    },
    /// A TTL outside the policy.
    #[error("TTL of {record} records is {ttl} s, policy allows {min}..={max} s")]
    Ttl {
        /// Which records.
        record: &'static str,
        /// The TTL given.
        ttl: u32,
        /// Policy minimum.
        min: u32,
        /// Policy maximum.
        max: u32,
    },
    /// SOA timers that do not make sense (RFC 1912 §2.2).
    #[error("SOA timers: {0}")]
    Soa(&'static str),
    /// A port of 0 on an SRV target that is not the "service absent" record.
    #[error("{what}: port 0")]
    PortZero {
        /// Which entry.
        what: String,
    },
}

/// What an alias (CNAME) conflicts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CnameConflict {
    /// The owner also has other records (RFC 1034 §3.6.2, RFC 2181 §10.1).
    #[error("its owner name has other records")]
    OtherData,
    /// The owner is an SRV target (RFC 2782: the target "MUST NOT be an alias").
    #[error("it is an SRV target")]
    SrvTarget,
    /// The owner is a name server (RFC 2181 §10.3).
    #[error("it is a name server")]
    NameServer,
    /// The owner is the zone apex (SOA and NS live there).
    #[error("it is the zone apex")]
    Apex,
}
