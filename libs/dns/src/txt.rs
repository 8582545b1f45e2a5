//! The `txtvers=1` TXT record on each VPN concentrator's name (TIP1-A_5103, Tab_ZD_Nameserver_Int_RR): it tells
//! the Konnektor the name servers and the service zone of the VPN-Zugangsdienst behind that concentrator.
//!
//! ```text
//! vpnk1.ham.ti-vpn-zugd.anbieter.de. 3600 IN TXT "txtvers=1"
//! "NameserverTI=100.97.20.13,100.97.20.14"
//! "DomainSrvTI=ti-sz.ham.anbieter.vpn-zugd.telematik"
//! ```
//!
//! The SIS concentrators carry `NameserverSIS=` and `DomainSrvSIS=` instead. Each key/value pair is its own
//! character-string, `txtvers=1` comes first (as in the seed and RFC 6763 §6.7), the keys are spelled exactly as
//! the seed spells them, the address list has at least two entries (the format's
//! `<IP-Adresse1>,<IP-Adresse2>[,<weitere IP-Adressen>]`; TIP1-A_4306 and TIP1-A_4309 ask for at least two
//! name servers). Keys we do not know are kept, in order, and written back unchanged.

use std::fmt::{self, Write as _};
use std::net::IpAddr;
use std::str::FromStr;

use hickory_proto::rr::rdata::TXT;

use crate::error::{NameError, TxtError};
use crate::name::DomainName;

/// The version key, first in every record.
pub const TXTVERS_KEY: &str = "txtvers";
/// The only version there is.
pub const TXT_VERSION: &str = "1";
/// Fewest name server addresses a record may carry (`<IP-Adresse1>,<IP-Adresse2>[,…]`).
pub const MIN_NAMESERVERS: usize = 2;
/// Longest character-string (RFC 1035 §3.3: one length octet).
pub const MAX_STRING_LEN: usize = 255;
/// Longest TXT RDATA (the 16-bit RDLENGTH).
pub const MAX_RDATA_LEN: usize = 65535;

/// Which tunnel a VPN concentrator terminates: the TI (VPN-Konzentrator TI, `ti-extern`) or the Secure Internet
/// Service (VPN-Konzentrator SIS, `sis-extern`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// VPN-Konzentrator TI: `_isakmp._udp.ti-extern`, `NameserverTI`, `DomainSrvTI`.
    Ti,
    /// VPN-Konzentrator SIS: `_isakmp._udp.sis-extern`, `NameserverSIS`, `DomainSrvSIS`.
    Sis,
}

impl Role {
    /// `NameserverTI` or `NameserverSIS`.
    pub const fn nameserver_key(self) -> &'static str {
        match self {
            Role::Ti => "NameserverTI",
            Role::Sis => "NameserverSIS",
        }
    }

    /// `DomainSrvTI` or `DomainSrvSIS`.
    pub const fn domain_key(self) -> &'static str {
        match self {
            Role::Ti => "DomainSrvTI",
            Role::Sis => "DomainSrvSIS",
        }
    }
}

/// The keys this module interprets, in the seed's spelling.
const KNOWN_KEYS: [&str; 5] = [
    TXTVERS_KEY,
    "NameserverTI",
    "DomainSrvTI",
    "NameserverSIS",
    "DomainSrvSIS",
];

/// A key/value character-string we do not interpret (`key=value`, or a bare `key`, RFC 6763 §6.4), kept as sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TxtAttribute {
    key: String,
    value: Option<Vec<u8>>,
}

impl TxtAttribute {
    /// An attribute: `key` non-empty printable ASCII without `=` and not one of the keys this module manages
    /// (in any case); `value` any bytes; the whole string at most 255 octets.
    pub fn new(key: &str, value: Option<&[u8]>) -> Result<Self, TxtError> {
        if key.is_empty() || !key.bytes().all(|b| (0x20..=0x7e).contains(&b) && b != b'=') {
            return Err(TxtError::BadKey { index: 0 });
        }
        if let Some(known) = KNOWN_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)) {
            return Err(TxtError::ReservedKey(known));
        }
        let attribute = Self {
            key: key.to_owned(),
            value: value.map(<[u8]>::to_vec),
        };
        let len = attribute.to_bytes().len();
        if len > MAX_STRING_LEN {
            return Err(TxtError::StringTooLong {
                key: attribute.key,
                len,
            });
        }
        Ok(attribute)
    }

    /// The key as sent.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The value; `None` for a bare key (a boolean attribute in RFC 6763 terms), `Some(b"")` for `key=`.
    pub fn value(&self) -> Option<&[u8]> {
        self.value.as_deref()
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.key.as_bytes().to_vec();
        if let Some(value) = &self.value {
            out.push(b'=');
            out.extend_from_slice(value);
        }
        out
    }
}

/// A `txtvers=1` TXT record: the name servers (`DNS_SERVERS_TI` / `DNS_SERVERS_SIS`) and the service zone
/// (`DOMAIN_SRVZONE_TI` / `DOMAIN_SRVZONE_SIS`) behind one VPN concentrator. Built only valid: by
/// [`ServiceZoneTxt::new`] or by parsing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServiceZoneTxt {
    role: Role,
    nameservers: Vec<IpAddr>,
    domain: DomainName,
    attributes: Vec<TxtAttribute>,
}

impl ServiceZoneTxt {
    /// A record for a concentrator of `role`: at least two distinct name server addresses and the service zone's
    /// domain; each character-string must fit 255 octets.
    pub fn new(role: Role, nameservers: Vec<IpAddr>, domain: DomainName) -> Result<Self, TxtError> {
        check_nameservers(&nameservers)?;
        let record = Self {
            role,
            nameservers,
            domain,
            attributes: Vec::new(),
        };
        record.check_lengths()?;
        Ok(record)
    }

    /// Adds a character-string we do not interpret, after the others. Its key must not repeat one already there.
    pub fn with_attribute(mut self, attribute: TxtAttribute) -> Result<Self, TxtError> {
        if self
            .attributes
            .iter()
            .any(|a| a.key.eq_ignore_ascii_case(&attribute.key))
        {
            return Err(TxtError::DuplicateKey {
                index: 3 + self.attributes.len(),
            });
        }
        self.attributes.push(attribute);
        self.check_lengths()?;
        Ok(self)
    }

    /// TI or SIS.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The name server addresses in the record's order (`DNS_SERVERS_TI` / `DNS_SERVERS_SIS`).
    pub fn nameservers(&self) -> &[IpAddr] {
        &self.nameservers
    }

    /// The service zone's domain (`DOMAIN_SRVZONE_TI` / `DOMAIN_SRVZONE_SIS`).
    pub fn domain(&self) -> &DomainName {
        &self.domain
    }

    /// The character-strings we do not interpret, in order.
    pub fn attributes(&self) -> &[TxtAttribute] {
        &self.attributes
    }

    /// Parses the record's character-strings (as in [`TXT::txt_data`]).
    pub fn from_strings<S: AsRef<[u8]>>(strings: &[S]) -> Result<Self, TxtError> {
        parse(strings)
    }

    /// Parses hickory's TXT RDATA.
    pub fn from_rdata(txt: &TXT) -> Result<Self, TxtError> {
        parse(&txt.txt_data)
    }

    /// Parses TXT RDATA in wire format: a sequence of `<length><octets>` character-strings (RFC 1035 §3.3.14).
    pub fn from_wire(rdata: &[u8]) -> Result<Self, TxtError> {
        let mut strings = Vec::new();
        let mut offset = 0;
        while let Some(&len) = rdata.get(offset) {
            let start = offset + 1;
            let end = start + usize::from(len);
            let Some(string) = rdata.get(start..end) else {
                return Err(TxtError::Truncated { offset });
            };
            strings.push(string);
            offset = end;
        }
        parse(&strings)
    }

    /// The character-strings: `txtvers=1`, the name servers, the domain, then the other attributes.
    pub fn to_strings(&self) -> Vec<Vec<u8>> {
        let ips = self
            .nameservers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut out = vec![
            format!("{TXTVERS_KEY}={TXT_VERSION}").into_bytes(),
            format!("{}={ips}", self.role.nameserver_key()).into_bytes(),
            format!("{}={}", self.role.domain_key(), self.domain).into_bytes(),
        ];
        out.extend(self.attributes.iter().map(TxtAttribute::to_bytes));
        out
    }

    /// hickory's TXT RDATA.
    pub fn to_rdata(&self) -> TXT {
        let strings = self.to_strings();
        TXT::from_bytes(strings.iter().map(Vec::as_slice).collect())
    }

    /// TXT RDATA in wire format.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for string in self.to_strings() {
            // Lengths are checked when the record is built.
            out.push(u8::try_from(string.len()).unwrap_or(u8::MAX));
            out.extend_from_slice(&string);
        }
        out
    }

    fn check_lengths(&self) -> Result<(), TxtError> {
        let strings = self.to_strings();
        for (index, string) in strings.iter().enumerate() {
            if string.len() > MAX_STRING_LEN {
                let key = match index {
                    1 => self.role.nameserver_key().to_owned(),
                    2 => self.role.domain_key().to_owned(),
                    _ => String::from_utf8_lossy(string.split(|&b| b == b'=').next().unwrap_or_default()).into(),
                };
                return Err(TxtError::StringTooLong { key, len: string.len() });
            }
        }
        let len: usize = strings.iter().map(|s| s.len() + 1).sum();
        if len > MAX_RDATA_LEN {
            return Err(TxtError::RecordTooLong { len });
        }
        Ok(())
    }
}

/// Zone-file presentation: each character-string quoted, `"` and `\` escaped, other bytes outside printable
/// ASCII as `\DDD` (RFC 1035 §5.1).
impl fmt::Display for ServiceZoneTxt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for string in self.to_strings() {
            if !first {
                f.write_char(' ')?;
            }
            first = false;
            write_quoted(f, &string)?;
        }
        Ok(())
    }
}

/// Writes one character-string in zone-file presentation form.
pub(crate) fn write_quoted(out: &mut impl fmt::Write, bytes: &[u8]) -> fmt::Result {
    out.write_char('"')?;
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.write_char('\\')?;
                out.write_char(char::from(b))?;
            }
            0x20..=0x7e => out.write_char(char::from(b))?,
            _ => write!(out, "\\{b:03}")?,
        }
    }
    out.write_char('"')
}

/// Splits `key=value` at the first `=`.
fn split(string: &[u8]) -> (&[u8], Option<&[u8]>) {
    match string.iter().position(|&b| b == b'=') {
        Some(at) => (&string[..at], Some(&string[at + 1..])),
        None => (string, None),
    }
}

/// A value that looks like the rest of the record squeezed into one character-string.
fn holds_more_pairs(value: &[u8]) -> bool {
    value.contains(&b' ') && value.contains(&b'=')
}

fn known_key(key: &[u8]) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .copied()
        .find(|k| k.as_bytes().eq_ignore_ascii_case(key))
}

fn parse<S: AsRef<[u8]>>(strings: &[S]) -> Result<ServiceZoneTxt, TxtError> {
    let Some(first) = strings.first() else {
        return Err(TxtError::Empty);
    };
    if let Some(index) = strings.iter().position(|s| s.as_ref().is_empty()) {
        return Err(TxtError::EmptyString { index });
    }
    let total: usize = strings.iter().map(|s| s.as_ref().len() + 1).sum();
    if total > MAX_RDATA_LEN {
        return Err(TxtError::RecordTooLong { len: total });
    }
    if let Some(index) = strings.iter().position(|s| s.as_ref().len() > MAX_STRING_LEN) {
        return Err(TxtError::StringTooLong {
            key: format!("character-string {index}"),
            len: strings[index].as_ref().len(),
        });
    }

    // "txtvers=1" first.
    let (key, value) = split(first.as_ref());
    if !key.eq_ignore_ascii_case(TXTVERS_KEY.as_bytes()) {
        return Err(TxtError::VersionNotFirst);
    }
    if key != TXTVERS_KEY.as_bytes() {
        return Err(TxtError::KeyCase {
            index: 0,
            expected: TXTVERS_KEY,
        });
    }
    let Some(version) = value else {
        return Err(TxtError::NoValue {
            index: 0,
            key: TXTVERS_KEY,
        });
    };
    if version != TXT_VERSION.as_bytes() {
        if holds_more_pairs(version) {
            return Err(TxtError::PairsInOneString { index: 0 });
        }
        let found: String = String::from_utf8_lossy(version).chars().take(32).collect();
        return Err(TxtError::UnsupportedVersion { found });
    }

    // The other pairs, in any order.
    let mut known: [Option<(usize, &[u8])>; 5] = [None; 5];
    let mut attributes: Vec<TxtAttribute> = Vec::new();
    for (index, string) in strings.iter().enumerate().skip(1) {
        let (key, value) = split(string.as_ref());
        if key.is_empty() || !key.iter().all(|b| (0x20..=0x7e).contains(b)) {
            return Err(TxtError::BadKey { index });
        }
        match known_key(key) {
            Some(spelling) => {
                if key != spelling.as_bytes() {
                    return Err(TxtError::KeyCase {
                        index,
                        expected: spelling,
                    });
                }
                let Some(value) = value else {
                    return Err(TxtError::NoValue { index, key: spelling });
                };
                if holds_more_pairs(value) {
                    return Err(TxtError::PairsInOneString { index });
                }
                let slot = KNOWN_KEYS.iter().position(|k| *k == spelling).unwrap_or_default();
                if slot == 0 || known[slot].is_some() {
                    return Err(TxtError::DuplicateKey { index });
                }
                known[slot] = Some((index, value));
            }
            None => {
                if attributes.iter().any(|a| a.key.as_bytes().eq_ignore_ascii_case(key)) {
                    return Err(TxtError::DuplicateKey { index });
                }
                attributes.push(TxtAttribute {
                    // Printable ASCII, checked above.
                    key: String::from_utf8_lossy(key).into_owned(),
                    value: value.map(<[u8]>::to_vec),
                });
            }
        }
    }

    let [_, ns_ti, dom_ti, ns_sis, dom_sis] = known;
    let ti = ns_ti.is_some() || dom_ti.is_some();
    let sis = ns_sis.is_some() || dom_sis.is_some();
    let (role, ns, dom) = match (ti, sis) {
        (true, true) => return Err(TxtError::MixedRoles),
        (false, true) => (Role::Sis, ns_sis, dom_sis),
        _ => (Role::Ti, ns_ti, dom_ti),
    };
    let Some((ns_index, ns_value)) = ns else {
        return Err(TxtError::MissingKey(role.nameserver_key()));
    };
    let Some((dom_index, dom_value)) = dom else {
        return Err(TxtError::MissingKey(role.domain_key()));
    };
    let nameservers = parse_addresses(ns_index, ns_value)?;
    check_nameservers(&nameservers)?;
    let domain = parse_domain(dom_index, dom_value)?;
    Ok(ServiceZoneTxt {
        role,
        nameservers,
        domain,
        attributes,
    })
}

/// `ip,ip[,ip…]`: no spaces, no empty entries, the standard library's strict text forms.
fn parse_addresses(index: usize, value: &[u8]) -> Result<Vec<IpAddr>, TxtError> {
    value
        .split(|&b| b == b',')
        .enumerate()
        .map(|(position, entry)| {
            std::str::from_utf8(entry)
                .ok()
                .and_then(|s| IpAddr::from_str(s).ok())
                .ok_or(TxtError::Address { index, position })
        })
        .collect()
}

fn check_nameservers(nameservers: &[IpAddr]) -> Result<(), TxtError> {
    for (i, ip) in nameservers.iter().enumerate() {
        if nameservers[..i].contains(ip) {
            return Err(TxtError::DuplicateAddress(*ip));
        }
    }
    if nameservers.len() < MIN_NAMESERVERS {
        return Err(TxtError::TooFewNameservers {
            found: nameservers.len(),
            min: MIN_NAMESERVERS,
        });
    }
    Ok(())
}

fn parse_domain(index: usize, value: &[u8]) -> Result<DomainName, TxtError> {
    let text = std::str::from_utf8(value).map_err(|e| TxtError::Domain {
        index,
        error: NameError::Character {
            position: e.valid_up_to(),
        },
    })?;
    DomainName::parse(text).map_err(|error| TxtError::Domain { index, error })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &[&str]) -> Vec<Vec<u8>> {
        s.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn the_seed_examples() {
        let ti = ServiceZoneTxt::from_strings(&strings(&[
            "txtvers=1",
            "NameserverTI=100.97.20.13,100.97.20.14",
            "DomainSrvTI=ti-sz.ham.anbieter.vpn-zugd.telematik",
        ]))
        .unwrap();
        assert_eq!(ti.role(), Role::Ti);
        assert_eq!(ti.nameservers().len(), 2);
        assert_eq!(ti.domain().as_str(), "ti-sz.ham.anbieter.vpn-zugd.telematik");
        assert_eq!(
            ti.to_string(),
            r#""txtvers=1" "NameserverTI=100.97.20.13,100.97.20.14" "DomainSrvTI=ti-sz.ham.anbieter.vpn-zugd.telematik""#
        );
        let sis = ServiceZoneTxt::from_strings(&strings(&[
            "txtvers=1",
            "DomainSrvSIS=sis-sz.ham.anbieter.vpn-zugd.telematik",
            "NameserverSIS=100.97.21.13,100.97.21.14",
        ]))
        .unwrap();
        assert_eq!(sis.role(), Role::Sis);
        assert_eq!(ServiceZoneTxt::from_wire(&sis.to_wire()).unwrap(), sis);
    }

    #[test]
    fn presentation_escapes() {
        let mut out = String::new();
        write_quoted(&mut out, b"a\"b\\c\x00\xff").unwrap();
        assert_eq!(out, r#""a\"b\\c\000\255""#);
    }

    #[test]
    fn truncated_wire() {
        assert_eq!(
            ServiceZoneTxt::from_wire(b"\x09txtvers="),
            Err(TxtError::Truncated { offset: 0 })
        );
        assert_eq!(ServiceZoneTxt::from_wire(b""), Err(TxtError::Empty));
    }
}
