//! Host and domain names as the VPN-Zugangsdienst's records carry them: ASCII letters, digits and hyphens
//! (RFC 952/1123 host names, IDNA A-labels for anything else), which is what a Konnektor can put into its
//! DNS-Forwarder configuration and what an SRV target or an address record's owner must be.

use std::fmt;

use hickory_proto::rr::Name;

use crate::error::NameError;

/// Longest presentation form of a domain name without the trailing dot (RFC 1035 §2.3.4: 255 octets on the
/// wire, which is 253 characters of text).
pub const MAX_NAME_LEN: usize = 253;
/// Longest label (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// A domain name of letters, digits and hyphens, written without the trailing dot, e.g. the value of
/// `DomainSrvTI` (`ti-sz.ham.anbieter.vpn-zugd.telematik`, Tab_ZD_Nameserver_Int_RR). Kept as written (case
/// included) so a TXT record formats back to the same bytes; [`DomainName::name`] is the absolute DNS name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DomainName {
    text: String,
    name: Name,
}

impl DomainName {
    /// Parses `text`: one or more labels of 1–63 letters, digits or hyphens, no label starting or ending with a
    /// hyphen, at most 253 characters, no trailing dot.
    pub fn parse(text: &str) -> Result<Self, NameError> {
        check_ldh(text)?;
        let name = absolute(text)?;
        Ok(Self {
            text: text.to_owned(),
            name,
        })
    }

    /// The name as written, without the trailing dot.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The absolute DNS name (with the root label).
    pub fn name(&self) -> &Name {
        &self.name
    }

    /// Same name, ignoring ASCII case (RFC 4343).
    pub fn eq_ignore_case(&self, other: &Self) -> bool {
        self.text.eq_ignore_ascii_case(&other.text)
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for DomainName {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Checks the letters-digits-hyphen rule on a name written without the trailing dot.
pub(crate) fn check_ldh(text: &str) -> Result<(), NameError> {
    if text.is_empty() {
        return Err(NameError::Empty);
    }
    if text.len() > MAX_NAME_LEN {
        return Err(NameError::TooLong { len: text.len() });
    }
    let mut position = 0;
    for label in text.split('.') {
        if label.is_empty() {
            return Err(NameError::EmptyLabel { position });
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(NameError::LabelTooLong { position });
        }
        if let Some(offset) = label.bytes().position(|b| !(b.is_ascii_alphanumeric() || b == b'-')) {
            return Err(NameError::Character {
                position: position + offset,
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(NameError::Hyphen { position });
        }
        position += label.len() + 1;
    }
    Ok(())
}

/// `text` (checked LDH, no trailing dot) as an absolute, lower-cased hickory name.
pub(crate) fn absolute(text: &str) -> Result<Name, NameError> {
    let mut name = Name::from_ascii(text).map_err(|_| NameError::TooLong { len: text.len() })?;
    name.set_fqdn(true);
    Ok(name.to_lowercase())
}

/// `relative` (checked LDH, no trailing dot; `@` for `base` itself) below `base`, lower-cased.
pub(crate) fn below(relative: &str, base: &Name) -> Result<Name, NameError> {
    if relative == "@" {
        return Ok(base.to_lowercase());
    }
    check_ldh(relative)?;
    let name = Name::from_ascii(relative).map_err(|_| NameError::TooLong { len: relative.len() })?;
    let joined = name
        .append_domain(base)
        .map_err(|_| NameError::TooLong { len: relative.len() })?;
    if joined.len() > MAX_NAME_LEN + 2 {
        return Err(NameError::TooLong { len: joined.len() });
    }
    Ok(joined.to_lowercase())
}

/// A name in a plan: relative to a base (`konz01`, `@`), or absolute with the trailing dot
/// (`ns.other-provider.example.`).
pub(crate) fn relative_or_absolute(text: &str, base: &Name) -> Result<Name, NameError> {
    match text.strip_suffix('.') {
        Some(stripped) => {
            check_ldh(stripped)?;
            absolute(stripped)
        }
        None => below(text, base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldh_rules() {
        assert!(DomainName::parse("ti-sz.ham.anbieter.vpn-zugd.telematik").is_ok());
        assert_eq!(DomainName::parse(""), Err(NameError::Empty));
        assert_eq!(DomainName::parse("a..b"), Err(NameError::EmptyLabel { position: 2 }));
        assert_eq!(DomainName::parse("a.b."), Err(NameError::EmptyLabel { position: 4 }));
        assert_eq!(DomainName::parse("a.-b"), Err(NameError::Hyphen { position: 2 }));
        assert_eq!(DomainName::parse("a_b.c"), Err(NameError::Character { position: 1 }));
        assert_eq!(DomainName::parse("a b"), Err(NameError::Character { position: 1 }));
        assert!(matches!(
            DomainName::parse(&"a".repeat(64)),
            Err(NameError::LabelTooLong { position: 0 })
        ));
        let long = vec!["abcdefghi"; 26].join(".");
        assert!(matches!(DomainName::parse(&long), Err(NameError::TooLong { .. })));
    }

    #[test]
    fn absolute_names_are_lower_case_fqdns() {
        let d = DomainName::parse("TI-SZ.Ham.example").unwrap();
        assert_eq!(d.as_str(), "TI-SZ.Ham.example");
        assert_eq!(d.name().to_string(), "ti-sz.ham.example.");
        let base = absolute("anbieter-vpn.example").unwrap();
        assert_eq!(below("@", &base).unwrap(), base);
        assert_eq!(
            below("konz01.ham", &base).unwrap().to_string(),
            "konz01.ham.anbieter-vpn.example."
        );
        assert_eq!(
            relative_or_absolute("ns.other.example.", &base).unwrap().to_string(),
            "ns.other.example."
        );
    }
}
