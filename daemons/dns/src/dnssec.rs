//! DNSSEC signing of the plan's zones (RFC 4033–4035): ECDSA P-256 with SHA-256 (algorithm 13, RFC 6605), one
//! combined signing key (CSK: DNSKEY flags 257, SEP set) per daemon, NSEC (not NSEC3) for authenticated denial.
//!
//! One key for all zones: the configuration names one PKCS#8 PEM file (`[dnssec] key`); every zone of the plan
//! publishes its public key in its own apex DNSKEY RRset, so each zone has its own DS (the DS digest covers the
//! owner name) and parents publish one DS per zone. `tiwire-dnsd --generate-key <path>` writes a new key;
//! `--print-ds` prints each zone's DS and DNSKEY for the parent / a trust anchor; the DS is logged at startup.
//!
//! What is signed: every authoritative RRset of every zone (the plans have no delegations, hence no glue or
//! delegation NS to leave unsigned), plus the DNSKEY RRset and each NSEC. The NSEC chain links the owner names
//! in canonical order (RFC 4034 §6.1); empty non-terminals get no NSEC of their own (they are covered by the
//! NSEC of the name before them). Signatures are valid from `now − 1 h` (clock skew) to `now + validity`; the
//! daemon builds a new table (the reload path) when less than a third of the validity is left, see
//! [`SignedZone::resign_at`]. Time is an argument (`now`), so tests move the clock instead of sleeping.
//!
//! What it does not do: NSEC3, key rollover (a new key file means a new DS at the parent), KSK/ZSK split,
//! wildcard synthesis (a plan owner starting with `*` is refused when signing), online signing of anything not
//! in the table.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, bail};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use hickory_proto::dnssec::crypto::EcdsaSigningKey;
use hickory_proto::dnssec::rdata::{DNSKEY, DNSSECRData, DS, NSEC, RRSIG, SigInput};
use hickory_proto::dnssec::{Algorithm, DigestType, SigningKey, TBS};
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType, SerialNumber};
use tiwire_dns::Zone;

/// Signatures start this long before `now`, for validators whose clocks lag.
const INCEPTION_SLACK: u64 = 3600;
/// The DNSKEY flags of a combined signing key: Zone Key + Secure Entry Point (RFC 4034 §2.1.1).
const CSK_FLAGS: u16 = 257;

/// The zones' signing key: ECDSA P-256, loaded from a PKCS#8 PEM file.
pub struct ZoneKey {
    signer: EcdsaSigningKey,
    dnskey: DNSKEY,
    key_tag: u16,
}

impl std::fmt::Debug for ZoneKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZoneKey")
            .field("key_tag", &self.key_tag)
            .finish_non_exhaustive()
    }
}

impl ZoneKey {
    /// Reads a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) P-256 key.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let pem = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        Self::from_pem(&pem).with_context(|| format!("DNSSEC key {}", path.display()))
    }

    /// Parses a PKCS#8 PEM P-256 key.
    pub fn from_pem(pem: &[u8]) -> anyhow::Result<Self> {
        let (label, der) = der::pem::decode_vec(pem).map_err(|e| anyhow::anyhow!("not PEM: {e}"))?;
        if label != "PRIVATE KEY" {
            bail!("PEM label {label:?}, expected \"PRIVATE KEY\" (PKCS#8)");
        }
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der)
            .map_err(|e| anyhow::anyhow!("not a PKCS#8 ECDSA P-256 key: {e}"))?;
        let signer = EcdsaSigningKey::from_ecdsa(pair, Algorithm::ECDSAP256SHA256);
        let public = signer.to_public_key().context("public key")?;
        let dnskey = DNSKEY::with_flags(CSK_FLAGS, public);
        let key_tag = dnskey.calculate_key_tag().context("key tag")?;
        Ok(Self {
            signer,
            dnskey,
            key_tag,
        })
    }

    /// A new P-256 key as PKCS#8 PEM (what `--generate-key` writes).
    pub fn generate_pem() -> anyhow::Result<String> {
        let pkcs8 = EcdsaSigningKey::generate_pkcs8(Algorithm::ECDSAP256SHA256)
            .map_err(|e| anyhow::anyhow!("generating a key: {e}"))?;
        der::pem::encode_string("PRIVATE KEY", der::pem::LineEnding::LF, pkcs8.secret_pkcs8_der())
            .map_err(|e| anyhow::anyhow!("encoding the key: {e}"))
    }

    /// The key tag (RFC 4034 Appendix B).
    pub fn key_tag(&self) -> u16 {
        self.key_tag
    }

    /// The DNSKEY RDATA every zone publishes.
    pub fn dnskey(&self) -> &DNSKEY {
        &self.dnskey
    }

    /// The DS (SHA-256 digest, RFC 4509) of the key at `zone`, for the parent zone or a trust anchor.
    pub fn ds(&self, zone: &Name) -> anyhow::Result<DS> {
        let digest = self.dnskey.to_digest(zone, DigestType::SHA256).context("DS digest")?;
        Ok(DS::new(
            self.key_tag,
            Algorithm::ECDSAP256SHA256,
            DigestType::SHA256,
            digest.as_ref().to_vec(),
        ))
    }

    /// The DS of `zone` in presentation format (`<zone> IN DS <tag> 13 2 <hex>`).
    pub fn ds_line(&self, zone: &Name) -> anyhow::Result<String> {
        let ds = self.ds(zone)?;
        let hex: String = ds.digest().iter().map(|b| format!("{b:02X}")).collect();
        Ok(format!("{zone} IN DS {} 13 2 {hex}", ds.key_tag()))
    }

    fn sign(&self, name: &Name, input: SigInput, records: &[Record]) -> anyhow::Result<RRSIG> {
        let tbs = TBS::from_input(name, DNSClass::IN, &input, records.iter())?;
        let sig = self.signer.sign(&tbs).map_err(|e| anyhow::anyhow!("signing: {e}"))?;
        Ok(RRSIG::from_sig(input, sig))
    }
}

/// The DNSSEC records of one signed zone: its DNSKEY, NSEC chain and every RRSIG.
#[derive(Debug)]
pub(crate) struct SignedZone {
    dnskey: Record,
    /// NSEC per owner name (lower case), in canonical order.
    nsec: BTreeMap<Name, Record>,
    /// RRSIG per (owner, covered type).
    rrsigs: HashMap<(Name, RecordType), Record>,
    /// When to sign again (unix seconds): a third of the validity before expiry.
    resign_at: u64,
}

impl SignedZone {
    /// Signs `zone` at `now` (unix seconds) for `validity` seconds.
    pub(crate) fn sign(zone: &Zone, key: &ZoneKey, now: u64, validity: u32) -> anyhow::Result<Self> {
        let origin = zone.origin().to_lowercase();
        let RData::SOA(soa) = &zone.soa().data else {
            bail!("the SOA record holds no SOA");
        };
        let negative_ttl = zone.soa().ttl.min(soa.minimum);
        let inception = now.saturating_sub(INCEPTION_SLACK);
        let expiration = now.saturating_add(u64::from(validity));
        let (Ok(inception32), Ok(expiration32)) = (u32::try_from(inception), u32::try_from(expiration)) else {
            bail!("signature times beyond 2106");
        };
        let dnskey = Record::from_rdata(
            origin.clone(),
            zone.soa().ttl,
            RData::DNSSEC(DNSSECRData::DNSKEY(key.dnskey.clone())),
        );

        // Every RRset to sign: the zone's and the DNSKEY set; owners and their types for the NSEC bitmaps.
        let mut sets: Vec<(Name, RecordType, Vec<Record>)> = Vec::new();
        let mut owners: BTreeMap<Name, Vec<RecordType>> = BTreeMap::new();
        for set in zone.rrsets() {
            let name = set.name().to_lowercase();
            if name.is_wildcard() {
                bail!("{name}: wildcard owners are not supported when signing");
            }
            owners.entry(name.clone()).or_default().push(set.record_type());
            sets.push((name, set.record_type(), set.records_without_rrsigs().cloned().collect()));
        }
        owners.entry(origin.clone()).or_default().push(RecordType::DNSKEY);
        sets.push((origin.clone(), RecordType::DNSKEY, vec![dnskey.clone()]));

        let names: Vec<Name> = owners.keys().cloned().collect();
        let mut nsec = BTreeMap::new();
        for (i, (name, types)) in owners.into_iter().enumerate() {
            let next = names.get(i + 1).unwrap_or(&origin).clone();
            let record = Record::from_rdata(
                name.clone(),
                negative_ttl,
                RData::DNSSEC(DNSSECRData::NSEC(NSEC::new_cover_self(next, types))),
            );
            sets.push((name.clone(), RecordType::NSEC, vec![record.clone()]));
            nsec.insert(name, record);
        }

        let mut rrsigs = HashMap::new();
        for (name, rtype, records) in sets {
            let ttl = records.first().map_or(0, |r| r.ttl);
            let input = SigInput {
                type_covered: rtype,
                algorithm: Algorithm::ECDSAP256SHA256,
                num_labels: name.num_labels(),
                original_ttl: ttl,
                sig_expiration: SerialNumber::new(expiration32),
                sig_inception: SerialNumber::new(inception32),
                key_tag: key.key_tag,
                signer_name: origin.clone(),
            };
            let rrsig = key
                .sign(&name, input, &records)
                .with_context(|| format!("signing {name} {rtype}"))?;
            let record = Record::from_rdata(name.clone(), ttl, RData::DNSSEC(DNSSECRData::RRSIG(rrsig)));
            rrsigs.insert((name, rtype), record);
        }
        Ok(Self {
            dnskey,
            nsec,
            rrsigs,
            resign_at: expiration - u64::from(validity) / 3,
        })
    }

    /// When to sign again (unix seconds): when less than a third of the validity is left.
    pub(crate) fn resign_at(&self) -> u64 {
        self.resign_at
    }

    /// The DNSSEC RRsets the zone adds at `name`: DNSKEY at the apex, NSEC at each owner, and for type RRSIG
    /// every signature at the name.
    pub(crate) fn rrset(&self, name: &Name, rtype: RecordType) -> Option<Vec<Record>> {
        match rtype {
            RecordType::DNSKEY if self.dnskey.name == *name => Some(vec![self.dnskey.clone()]),
            RecordType::NSEC => self.nsec.get(name).map(|r| vec![r.clone()]),
            RecordType::RRSIG => {
                let mut sigs: Vec<(RecordType, &Record)> = self
                    .rrsigs
                    .iter()
                    .filter(|((owner, _), _)| owner == name)
                    .map(|((_, t), r)| (*t, r))
                    .collect();
                sigs.sort_by_key(|(t, _)| u16::from(*t));
                (!sigs.is_empty()).then(|| sigs.into_iter().map(|(_, r)| r.clone()).collect())
            }
            _ => None,
        }
    }

    /// The types the DNSSEC records add at `name` (for the answer table's type lists).
    pub(crate) fn types_at(&self, name: &Name) -> Vec<RecordType> {
        let mut types = Vec::new();
        if self.nsec.contains_key(name) {
            types.extend([RecordType::NSEC, RecordType::RRSIG]);
        }
        if self.dnskey.name == *name {
            types.push(RecordType::DNSKEY);
        }
        types
    }

    /// The RRSIG over `name`/`rtype`, if that RRset is signed.
    pub(crate) fn rrsig(&self, name: &Name, rtype: RecordType) -> Option<&Record> {
        self.rrsigs.get(&(name.to_lowercase(), rtype))
    }

    /// The NSEC whose span covers or matches `name` (its owner is `name` or the last owner before it).
    fn covering(&self, name: &Name) -> Option<&Record> {
        self.nsec
            .range(..=name.to_lowercase())
            .next_back()
            .or_else(|| self.nsec.iter().next_back())
            .map(|(_, r)| r)
    }

    /// The NSEC records (each followed by its RRSIG) that deny `name` (RFC 4035 §3.1.3): its own NSEC when it
    /// is an owner (NODATA), the covering NSEC for an empty non-terminal (NODATA), and for a name that does not
    /// exist the covering NSEC plus the one covering the wildcard at the closest encloser (NXDOMAIN).
    /// `exists` tells an empty non-terminal from a missing name; `closest_encloser` is needed only for the
    /// latter.
    pub(crate) fn denial(&self, name: &Name, exists: bool, closest_encloser: &Name) -> Vec<Record> {
        let mut nsecs: Vec<&Record> = Vec::new();
        if let Some(own) = self.nsec.get(&name.to_lowercase()) {
            nsecs.push(own);
        } else {
            nsecs.extend(self.covering(name));
            if !exists
                && let Ok(wildcard) = Name::from_ascii("*").and_then(|s| s.append_domain(closest_encloser))
                && let Some(other) = self.covering(&wildcard)
                && !nsecs.contains(&other)
            {
                nsecs.push(other);
            }
        }
        let mut out = Vec::new();
        for nsec in nsecs {
            out.push(nsec.clone());
            out.extend(self.rrsig(&nsec.name, RecordType::NSEC).cloned());
        }
        out
    }

    /// The NSEC chain in canonical order, each NSEC with its RRSIG.
    pub(crate) fn chain(&self) -> impl Iterator<Item = (&Name, [&Record; 2])> + '_ {
        self.nsec
            .iter()
            .filter_map(|(name, nsec)| Some((name, [nsec, self.rrsig(name, RecordType::NSEC)?])))
    }

    /// The DNSSEC records in zone-file presentation form, one a line (for `--dump-signed`).
    pub(crate) fn zone_file_lines(&self) -> Vec<String> {
        let mut lines = vec![self.dnskey.to_string()];
        lines.extend(self.nsec.values().map(ToString::to_string));
        let mut sigs: Vec<&Record> = self.rrsigs.values().collect();
        sigs.sort_by(|a, b| a.name.cmp(&b.name));
        lines.extend(sigs.into_iter().map(ToString::to_string));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::dnssec::PublicKey;
    use tiwire_dns::{PlanPolicy, ZonePlan};

    const NOW: u64 = 1_800_000_000;

    fn zone() -> Zone {
        let plan = ZonePlan::from_toml(
            include_str!("../../../libs/dns/tests/vectors/seed-example.zoneplan.toml"),
            &PlanPolicy::default(),
        )
        .unwrap();
        plan.zones().next().unwrap().clone()
    }

    fn verifies(key: &ZoneKey, zone: &Zone, signed: &SignedZone, name: &Name, rtype: RecordType) -> bool {
        let Some(sig) = signed.rrsig(name, rtype) else {
            return false;
        };
        let RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) = &sig.data else {
            return false;
        };
        let records: Vec<Record> = match zone.rrset(name, rtype) {
            Some(set) => set.records_without_rrsigs().cloned().collect(),
            None => signed.rrset(name, rtype).unwrap(),
        };
        let tbs = TBS::from_input(name, DNSClass::IN, rrsig.input(), records.iter()).unwrap();
        key.dnskey.public_key().verify(tbs.as_ref(), rrsig.sig()).is_ok()
    }

    #[test]
    fn every_rrset_is_signed_and_verifies() {
        let key = ZoneKey::from_pem(ZoneKey::generate_pem().unwrap().as_bytes()).unwrap();
        let zone = zone();
        let signed = SignedZone::sign(&zone, &key, NOW, 14 * 86_400).unwrap();
        for set in zone.rrsets() {
            assert!(
                verifies(&key, &zone, &signed, set.name(), set.record_type()),
                "{}",
                set.name()
            );
        }
        let origin = zone.origin().to_lowercase();
        assert!(verifies(&key, &zone, &signed, &origin, RecordType::DNSKEY));
        for (name, _) in signed.chain() {
            assert!(verifies(&key, &zone, &signed, name, RecordType::NSEC));
        }
        // the chain closes at the apex
        let last = signed.nsec.values().next_back().unwrap();
        let RData::DNSSEC(DNSSECRData::NSEC(nsec)) = &last.data else {
            panic!()
        };
        assert_eq!(nsec.next_domain_name(), &origin);
    }

    #[test]
    fn validity_window_and_resigning_before_expiry() {
        let key = ZoneKey::from_pem(ZoneKey::generate_pem().unwrap().as_bytes()).unwrap();
        let zone = zone();
        let validity = 3 * 86_400;
        let first = SignedZone::sign(&zone, &key, NOW, validity).unwrap();
        let soa_sig = |s: &SignedZone| match &s.rrsig(zone.origin(), RecordType::SOA).unwrap().data {
            RData::DNSSEC(DNSSECRData::RRSIG(r)) => r.input().clone(),
            _ => panic!(),
        };
        let input = soa_sig(&first);
        assert_eq!(u64::from(input.sig_inception.get()), NOW - 3600);
        assert_eq!(u64::from(input.sig_expiration.get()), NOW + u64::from(validity));
        // re-signed when a third is left, i.e. well before expiry
        assert_eq!(first.resign_at(), NOW + 2 * u64::from(validity) / 3);
        assert!(first.resign_at() < u64::from(input.sig_expiration.get()));
        // the fake clock moves to the re-signing time: the new signatures reach further
        let second = SignedZone::sign(&zone, &key, first.resign_at(), validity).unwrap();
        let next = soa_sig(&second);
        assert!(next.sig_expiration.get() > input.sig_expiration.get());
        assert!(u64::from(next.sig_inception.get()) <= first.resign_at());
    }

    #[test]
    fn ds_and_bad_keys() {
        let key = ZoneKey::from_pem(ZoneKey::generate_pem().unwrap().as_bytes()).unwrap();
        let origin = Name::from_ascii("anbieter.de.").unwrap();
        let line = key.ds_line(&origin).unwrap();
        assert!(
            line.starts_with(&format!("anbieter.de. IN DS {} 13 2 ", key.key_tag())),
            "{line}"
        );
        assert_eq!(
            line.len(),
            format!("anbieter.de. IN DS {} 13 2 ", key.key_tag()).len() + 64
        );
        assert!(key.ds(&origin).unwrap().covers(&origin, key.dnskey()).unwrap());
        assert!(ZoneKey::from_pem(b"not a key").is_err());
        assert!(ZoneKey::from_pem(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").is_err());
    }
}
