//! The FederationList payload in its three shapes and the membership index.
//!
//! - v1.0.2 (`I_VZD_TIM_Provider_Services` 1.0.2): `{"version":N,"hashAlgorithm":"SHA-256","domainList":["<hex>",…]}`.
//! - 2023 signed lists: `hashAlgorithm` with objects `{"domain":"<hex>","telematikID":…,"isInsurance":…}`.
//! - current (API 1.3.0 and later, `FederationList.json`): clear-text domains with `telematikID`, `isInsurance`,
//!   `ik` (the real lists say `iks`; both are read), `timAnbieter`.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{ListError, Malformed, ServerNameError};
use crate::name::Host;
use crate::signed::Signer;

/// Limits on what a list may be; the list comes from the VZD, but over the network and through the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest document accepted (JWS or JSON), bytes.
    pub max_bytes: usize,
    /// Most `domainList` entries accepted.
    pub max_domains: usize,
}

impl Default for Limits {
    /// 64 MiB and one million domains: the test list of 2024 has a few hundred entries of about 200 bytes.
    fn default() -> Self {
        Limits {
            max_bytes: 64 << 20,
            max_domains: 1_000_000,
        }
    }
}

impl Limits {
    /// Refuses a document longer than `max_bytes`, before anything is parsed.
    pub(crate) fn admit(&self, len: usize) -> Result<(), Malformed> {
        if len > self.max_bytes {
            return Err(Malformed::TooBig {
                len,
                max: self.max_bytes,
            });
        }
        Ok(())
    }
}

/// How the list names its domains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DomainForm {
    /// v1.0.2: an array of hex SHA-256 hashes of the domains.
    HashStrings,
    /// 2023: objects whose `domain` is the hex SHA-256 hash of the domain.
    HashObjects,
    /// Current: objects with the domain in clear text.
    Clear,
}

impl DomainForm {
    /// Whether domains are only known by hash.
    pub const fn is_hashed(self) -> bool {
        matches!(self, DomainForm::HashStrings | DomainForm::HashObjects)
    }
}

/// One `domainList` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainEntry {
    /// The domain (lower case), or for hashed lists the lower-case hex SHA-256 of it.
    pub domain: String,
    /// The organisation's Telematik-ID.
    #[serde(rename = "telematikID", default, skip_serializing_if = "Option::is_none")]
    pub telematik_id: Option<String>,
    /// A health insurance's domain for insured persons.
    #[serde(rename = "isInsurance", default)]
    pub is_insurance: bool,
    /// Institutionskennzeichen of an insurance (schema `ik`; the real lists of 2024 say `iks`).
    #[serde(alias = "iks", default, skip_serializing_if = "Vec::is_empty")]
    pub ik: Vec<String>,
    /// The TI-ITSM assignment group of the TI-Messenger provider that added the domain.
    #[serde(rename = "timAnbieter", default, skip_serializing_if = "Option::is_none")]
    pub tim_anbieter: Option<String>,
}

impl DomainEntry {
    /// An entry with only a domain (clear text or hex hash).
    pub fn new(domain: impl Into<String>) -> Self {
        DomainEntry {
            domain: domain.into(),
            telematik_id: None,
            is_insurance: false,
            ik: Vec::new(),
            tim_anbieter: None,
        }
    }
}

/// A `domainList` entry: a string (hash) or an object. Written by hand rather than `#[serde(untagged)]`: no
/// buffering per entry, and an entry given as a JSON array (which serde's derived struct reader would take
/// field by field) is refused.
enum EntryIn {
    Hash(String),
    Object(DomainEntry),
}

impl<'de> Deserialize<'de> for EntryIn {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = EntryIn;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a hash string or a domain object")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<EntryIn, E> {
                Ok(EntryIn::Hash(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<EntryIn, E> {
                Ok(EntryIn::Hash(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<EntryIn, A::Error> {
                DomainEntry::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(EntryIn::Object)
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

struct PayloadIn {
    version: u64,
    hash_algorithm: Option<String>,
    domain_list: Vec<EntryIn>,
}

/// The marker of the count limit in serde's error message.
const TOO_MANY: &str = "tiwire: too many domainList entries";

/// Reads the payload object, stopping at the `max_domains + 1`-th entry instead of collecting them all first
/// (64 MiB of `{"domain":""}` would otherwise allocate about a gigabyte). Members may come in any order;
/// unknown ones are skipped; a repeated known one is refused.
struct PayloadSeed {
    max_domains: usize,
}

struct ListSeed {
    max_domains: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for ListSeed {
    type Value = Vec<EntryIn>;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Vec<EntryIn>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ListSeed {
    type Value = Vec<EntryIn>;
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("an array of domain entries")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<EntryIn>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max_domains).min(1 << 16));
        while let Some(entry) = seq.next_element::<EntryIn>()? {
            if out.len() == self.max_domains {
                return Err(serde::de::Error::custom(TOO_MANY));
            }
            out.push(entry);
        }
        Ok(out)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for PayloadSeed {
    type Value = PayloadIn;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<PayloadIn, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for PayloadSeed {
    type Value = PayloadIn;
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a FederationList object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<PayloadIn, A::Error> {
        use serde::de::Error;
        let (mut version, mut hash_algorithm, mut domain_list) = (None, None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "version" if version.is_none() => version = Some(map.next_value::<u64>()?),
                "hashAlgorithm" if hash_algorithm.is_none() => hash_algorithm = Some(map.next_value::<String>()?),
                "domainList" if domain_list.is_none() => {
                    domain_list = Some(map.next_value_seed(ListSeed {
                        max_domains: self.max_domains,
                    })?)
                }
                "version" | "hashAlgorithm" | "domainList" => return Err(A::Error::custom("duplicate member")),
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(PayloadIn {
            version: version.ok_or_else(|| A::Error::missing_field("version"))?,
            hash_algorithm,
            domain_list: domain_list.ok_or_else(|| A::Error::missing_field("domainList"))?,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayloadOut<'a, T: Serialize> {
    version: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    hash_algorithm: Option<&'static str>,
    domain_list: &'a [T],
}

#[derive(Clone, Debug)]
enum Index {
    Clear(HashSet<Box<str>>),
    Hashed(HashSet<[u8; 32]>),
}

/// A parsed federation list: its version, entries and a membership index. `Debug` shows the counts only
/// (domains and Telematik-IDs stay out of logs).
#[derive(Clone)]
pub struct FederationList {
    version: u64,
    form: DomainForm,
    entries: Vec<DomainEntry>,
    index: Index,
    skipped: usize,
    signer: Option<Signer>,
}

impl core::fmt::Debug for FederationList {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FederationList")
            .field("version", &self.version)
            .field("form", &self.form)
            .field("domains", &self.len())
            .field("skipped", &self.skipped)
            .field("signer", &self.signer.as_ref().map(|s| s.algorithm))
            .finish()
    }
}

impl PartialEq for FederationList {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && self.form == other.form && self.entries == other.entries
    }
}

impl FederationList {
    /// Reads an unsigned list (v1.0.2 JSON, or the registry's JSON for proxies) of any of the three shapes.
    /// The caller vouches for its origin (TLS to the VZD or to our own registry).
    pub fn from_json(document: &[u8], limits: &Limits) -> Result<Self, ListError> {
        limits.admit(document.len())?;
        Ok(Self::from_payload(document, limits)?)
    }

    pub(crate) fn from_payload(payload: &[u8], limits: &Limits) -> Result<Self, Malformed> {
        let classify = |e: serde_json::Error| {
            let (line, column) = (e.line(), e.column());
            match e.classify() {
                _ if e.to_string().starts_with(TOO_MANY) => Malformed::TooManyDomains {
                    max: limits.max_domains,
                },
                serde_json::error::Category::Data => Malformed::Schema { line, column },
                _ => Malformed::Json { line, column },
            }
        };
        let mut reader = serde_json::Deserializer::from_slice(payload);
        let seed = PayloadSeed {
            max_domains: limits.max_domains,
        };
        let parsed = serde::de::DeserializeSeed::deserialize(seed, &mut reader).map_err(classify)?;
        reader.end().map_err(classify)?;
        let hashed = match parsed.hash_algorithm.as_deref() {
            None => false,
            Some("SHA-256") => true,
            Some(_) => return Err(Malformed::HashAlgorithm),
        };
        let strings = parsed.domain_list.iter().all(|e| matches!(e, EntryIn::Hash(_)));
        let objects = parsed.domain_list.iter().all(|e| matches!(e, EntryIn::Object(_)));
        let form = match (hashed, strings, objects) {
            (true, true, _) => DomainForm::HashStrings,
            (true, false, true) => DomainForm::HashObjects,
            (false, _, true) => DomainForm::Clear,
            _ => {
                let index = parsed
                    .domain_list
                    .iter()
                    .position(|e| matches!(e, EntryIn::Hash(_)) != strings)
                    .unwrap_or_default();
                return Err(Malformed::NotAHash { index });
            }
        };
        let entries = parsed
            .domain_list
            .into_iter()
            .map(|e| match e {
                EntryIn::Hash(h) => DomainEntry::new(h),
                EntryIn::Object(o) => o,
            })
            .collect();
        Self::build(parsed.version, form, entries)
    }

    /// A list from entries, e.g. for a VZD stand-in or a test. Hashed forms need 64 hex digits per entry;
    /// clear entries that are not valid server names are skipped and counted ([`FederationList::skipped`]).
    pub fn new(version: u64, form: DomainForm, entries: Vec<DomainEntry>) -> Result<Self, ListError> {
        Ok(Self::build(version, form, entries)?)
    }

    fn build(version: u64, form: DomainForm, mut entries: Vec<DomainEntry>) -> Result<Self, Malformed> {
        let mut skipped = 0;
        let index = if form.is_hashed() {
            let mut set = HashSet::with_capacity(entries.len());
            for (index, entry) in entries.iter_mut().enumerate() {
                let mut hash = [0u8; 32];
                hex::decode_to_slice(&entry.domain, &mut hash).map_err(|_| Malformed::NotAHash { index })?;
                entry.domain.make_ascii_lowercase();
                if !set.insert(hash) {
                    skipped += 1;
                }
            }
            Index::Hashed(set)
        } else {
            let mut set = HashSet::with_capacity(entries.len());
            // Entries are domains: a port, or anything that is no server name, is skipped and counted.
            entries.retain_mut(|entry| match Host::parse(&entry.domain) {
                Ok(host) if !host.had_port() => {
                    entry.domain = host.as_str().to_owned();
                    let fresh = set.insert(Box::from(host.as_str()));
                    skipped += usize::from(!fresh);
                    fresh
                }
                _ => {
                    skipped += 1;
                    false
                }
            });
            Index::Clear(set)
        };
        Ok(FederationList {
            version,
            form,
            entries,
            index,
            skipped,
            signer: None,
        })
    }

    pub(crate) fn with_signer(mut self, signer: Signer) -> Self {
        self.signer = Some(signer);
        self
    }

    /// The list's version (the VZD raises it with every change).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// How domains are given.
    pub fn form(&self) -> DomainForm {
        self.form
    }

    /// The entries, in list order (clear domains in lower case; invalid and repeated ones left out).
    pub fn entries(&self) -> &[DomainEntry] {
        &self.entries
    }

    /// Number of distinct domains.
    pub fn len(&self) -> usize {
        match &self.index {
            Index::Clear(s) => s.len(),
            Index::Hashed(s) => s.len(),
        }
    }

    /// Whether the list names no domain.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries left out: clear domains that are no valid server name, and repeats.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Who signed the list, when it came as a verified JWS.
    pub fn signer(&self) -> Option<&Signer> {
        self.signer.as_ref()
    }

    /// Whether the Matrix server name `server_name` (`host[:port]`, any case) belongs to a listed domain.
    /// The port is not part of the check. Constant time in the list size; allocates nothing.
    pub fn lookup(&self, server_name: &str) -> Result<bool, ServerNameError> {
        let host = Host::parse(server_name)?;
        Ok(match &self.index {
            Index::Clear(set) => set.contains(host.as_str()),
            Index::Hashed(set) => set.contains(&<[u8; 32]>::from(Sha256::digest(host.as_str().as_bytes()))),
        })
    }

    /// [`FederationList::lookup`], with invalid names as not listed.
    pub fn contains(&self, server_name: &str) -> bool {
        self.lookup(server_name).unwrap_or(false)
    }

    /// The payload JSON in the list's own shape (what the VZD signs, and what the registry hands to proxies).
    pub fn to_payload_json(&self) -> Vec<u8> {
        let hash_algorithm = self.form.is_hashed().then_some("SHA-256");
        let written = match self.form {
            DomainForm::HashStrings => {
                let hashes: Vec<&str> = self.entries.iter().map(|e| e.domain.as_str()).collect();
                serde_json::to_vec(&PayloadOut {
                    version: self.version,
                    hash_algorithm,
                    domain_list: &hashes,
                })
            }
            DomainForm::HashObjects | DomainForm::Clear => serde_json::to_vec(&PayloadOut {
                version: self.version,
                hash_algorithm,
                domain_list: &self.entries,
            }),
        };
        // Serializing strings, integers and booleans into a Vec cannot fail.
        written.unwrap_or_default()
    }
}

/// The lower-case hex SHA-256 of a domain as hashed lists carry it (gemSpec_VZD_FHIR_Directory §5.2.3).
pub fn domain_hash(domain: &str) -> String {
    hex::encode(Sha256::digest(domain.to_ascii_lowercase().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<FederationList, ListError> {
        FederationList::from_json(json.as_bytes(), &Limits::default())
    }

    #[test]
    fn three_shapes() {
        let h = domain_hash("tim.example.org");
        let v1 = parse(&format!(
            r#"{{"version":3,"hashAlgorithm":"SHA-256","domainList":["{h}"]}}"#
        ))
        .unwrap();
        assert_eq!((v1.version(), v1.form(), v1.len()), (3, DomainForm::HashStrings, 1));
        assert!(v1.contains("TIM.example.org:8448"));
        assert!(!v1.contains("other.example.org"));
        let v2 = parse(&format!(
            r#"{{"version":4,"hashAlgorithm":"SHA-256","domainList":[{{"domain":"{}","telematikID":"1-x","isInsurance":false}}]}}"#,
            h.to_uppercase()
        ))
        .unwrap();
        assert_eq!(v2.form(), DomainForm::HashObjects);
        assert!(v2.contains("tim.example.org"));
        let clear = parse(
            r#"{"version":5,"domainList":[{"domain":"Tim.Example.org","telematikID":"1-x","isInsurance":true,"iks":["1"]},
                {"domain":"not a name","isInsurance":false},{"domain":"tim.example.org","isInsurance":false},
                {"domain":"port.example.org:8448","isInsurance":false}]}"#,
        )
        .unwrap();
        assert_eq!((clear.form(), clear.len(), clear.skipped()), (DomainForm::Clear, 1, 3));
        assert!(!clear.contains("port.example.org"));
        assert_eq!(clear.entries()[0].ik, vec!["1".to_owned()]);
        assert!(clear.contains("tim.example.org:443"));
        assert_eq!(clear.lookup("tim.exämple.org"), Err(ServerNameError::NotAscii));
        for list in [&v1, &v2, &clear] {
            assert_eq!(
                &parse(core::str::from_utf8(&list.to_payload_json()).unwrap()).unwrap(),
                list
            );
        }
    }

    #[test]
    fn malformed_lists() {
        let m = |json: &str| match parse(json) {
            Err(ListError::Malformed(m)) => m,
            other => panic!("{json}: {other:?}"),
        };
        assert!(matches!(m("{"), Malformed::Json { .. }));
        assert!(matches!(m(r#"{"version":1}"#), Malformed::Schema { .. }));
        assert!(matches!(
            m(r#"{"version":-1,"domainList":[]}"#),
            Malformed::Schema { .. }
        ));
        assert!(matches!(
            m(r#"{"version":1,"version":2,"domainList":[]}"#),
            Malformed::Schema { .. }
        ));
        assert_eq!(
            m(r#"{"version":1,"hashAlgorithm":"MD5","domainList":[]}"#),
            Malformed::HashAlgorithm
        );
        assert_eq!(
            m(r#"{"version":1,"hashAlgorithm":"SHA-256","domainList":["abc"]}"#),
            Malformed::NotAHash { index: 0 }
        );
        assert_eq!(
            m(r#"{"version":1,"domainList":["tim.example.org"]}"#),
            Malformed::NotAHash { index: 0 }
        );
        let limits = Limits {
            max_bytes: 40,
            max_domains: 1,
        };
        let two = r#"{"version":1,"domainList":[{"domain":"a.de"},{"domain":"b.de"}]}"#;
        assert!(matches!(
            FederationList::from_json(two.as_bytes(), &limits),
            Err(ListError::Malformed(Malformed::TooBig { .. }))
        ));
        let limits = Limits {
            max_bytes: 100,
            max_domains: 1,
        };
        assert_eq!(
            FederationList::from_json(two.as_bytes(), &limits),
            Err(ListError::Malformed(Malformed::TooManyDomains { max: 1 }))
        );
    }
}
