//! The Admission extension (ISIS-MTT / Common PKI, OID `1.3.36.8.3.3`) as gematik certificates use it:
//! profession items, profession/role OIDs and the registration number (the Telematik-ID).
//!
//! ```text
//! AdmissionSyntax ::= SEQUENCE {
//!    admissionAuthority    GeneralName OPTIONAL,
//!    contentsOfAdmissions  SEQUENCE OF Admissions }
//! Admissions ::= SEQUENCE {
//!    admissionAuthority    [0] EXPLICIT GeneralName OPTIONAL,
//!    namingAuthority       [1] EXPLICIT NamingAuthority OPTIONAL,
//!    professionInfos       SEQUENCE OF ProfessionInfo }
//! NamingAuthority ::= SEQUENCE {
//!    namingAuthorityId     OBJECT IDENTIFIER OPTIONAL,
//!    namingAuthorityUrl    IA5String OPTIONAL,
//!    namingAuthorityText   DirectoryString OPTIONAL }
//! ProfessionInfo ::= SEQUENCE {
//!    namingAuthority       [0] EXPLICIT NamingAuthority OPTIONAL,
//!    professionItems       SEQUENCE OF DirectoryString,
//!    professionOIDs        SEQUENCE OF OBJECT IDENTIFIER OPTIONAL,
//!    registrationNumber    PrintableString OPTIONAL,
//!    addProfessionInfo     OCTET STRING OPTIONAL }
//! ```

use der::asn1::{Ia5String, ObjectIdentifier, OctetString, PrintableString};
use der::{Decode, Encode, Sequence};
use x509_cert::ext::pkix::name::{DirectoryString, GeneralName};

/// The decoded extension: one entry per `ProfessionInfo` of every `Admissions`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Admission {
    /// The profession infos, in order.
    pub professions: Vec<ProfessionInfo>,
}

/// One `ProfessionInfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfessionInfo {
    /// `professionItems`, e.g. `Betriebsstätte Arzt`.
    pub items: Vec<String>,
    /// `professionOIDs`: the institution (Tab_PKI_403) or role (Tab_PKI_406) OIDs.
    pub oids: Vec<ObjectIdentifier>,
    /// `registrationNumber`: the Telematik-ID.
    pub registration_number: Option<String>,
}

impl Admission {
    /// Every profession OID in the extension, in order.
    pub fn profession_oids(&self) -> impl Iterator<Item = &ObjectIdentifier> {
        self.professions.iter().flat_map(|p| p.oids.iter())
    }

    /// The first registration number: the Telematik-ID of the holder.
    pub fn telematik_id(&self) -> Option<&str> {
        self.professions.iter().find_map(|p| p.registration_number.as_deref())
    }

    /// Decodes the extension value (the contents of `extnValue`).
    pub fn from_der(der: &[u8]) -> Result<Self, der::Error> {
        let syntax = AdmissionSyntax::from_der(der)?;
        let mut professions = Vec::new();
        for admissions in syntax.contents {
            for info in admissions.profession_infos {
                professions.push(ProfessionInfo {
                    items: info.profession_items.iter().map(directory_string).collect(),
                    oids: info.profession_oids.unwrap_or_default(),
                    registration_number: info.registration_number.map(|r| r.to_string()),
                });
            }
        }
        Ok(Admission { professions })
    }

    /// Encodes the extension value as gematik certificates carry it (one `Admissions`, no authorities,
    /// profession items as UTF8String).
    pub fn to_der(&self) -> Result<Vec<u8>, der::Error> {
        let infos = self
            .professions
            .iter()
            .map(|p| {
                Ok(ProfessionInfoAsn1 {
                    naming_authority: None,
                    profession_items: p
                        .items
                        .iter()
                        .map(|i| Ok(DirectoryString::Utf8String(i.clone())))
                        .collect::<Result<_, der::Error>>()?,
                    profession_oids: (!p.oids.is_empty()).then(|| p.oids.clone()),
                    registration_number: p.registration_number.as_deref().map(PrintableString::new).transpose()?,
                    add_profession_info: None,
                })
            })
            .collect::<Result<Vec<_>, der::Error>>()?;
        AdmissionSyntax {
            admission_authority: None,
            contents: vec![Admissions {
                admission_authority: None,
                naming_authority: None,
                profession_infos: infos,
            }],
        }
        .to_der()
    }
}

fn directory_string(d: &DirectoryString) -> String {
    d.value().into_owned()
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct AdmissionSyntax {
    #[asn1(optional = "true")]
    admission_authority: Option<GeneralName>,
    contents: Vec<Admissions>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct Admissions {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    admission_authority: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    naming_authority: Option<NamingAuthority>,
    profession_infos: Vec<ProfessionInfoAsn1>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct NamingAuthority {
    #[asn1(optional = "true")]
    id: Option<ObjectIdentifier>,
    #[asn1(optional = "true")]
    url: Option<Ia5String>,
    #[asn1(optional = "true")]
    text: Option<DirectoryString>,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct ProfessionInfoAsn1 {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    naming_authority: Option<NamingAuthority>,
    profession_items: Vec<DirectoryString>,
    #[asn1(optional = "true")]
    profession_oids: Option<Vec<ObjectIdentifier>>,
    #[asn1(optional = "true")]
    registration_number: Option<PrintableString>,
    #[asn1(optional = "true")]
    add_profession_info: Option<OctetString>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decodes_a_gematik_admission() {
        // The extension of the real gematik test certificate `VZD-FHIR-FList-Signer_TEST-ONLY.pem`
        // (`openssl asn1parse`): `30 2c 30 2a 30 28 30 26 30 24 30 16 0c 14 "Verzeichnisdienst-TI"
        // 30 0a 06 08 2a 82 14 00 4c 04 81 2b`.
        let mut der = vec![
            0x30, 0x2c, 0x30, 0x2a, 0x30, 0x28, 0x30, 0x26, 0x30, 0x24, 0x30, 0x16, 0x0c, 0x14,
        ];
        der.extend_from_slice(b"Verzeichnisdienst-TI");
        der.extend_from_slice(&[0x30, 0x0a, 0x06, 0x08, 0x2a, 0x82, 0x14, 0x00, 0x4c, 0x04, 0x81, 0x2b]);
        let adm = Admission::from_der(&der).unwrap();
        assert_eq!(adm.professions.len(), 1);
        assert_eq!(adm.professions[0].items, vec!["Verzeichnisdienst-TI".to_string()]);
        assert_eq!(adm.professions[0].oids, vec![crate::oid::Role::VzdTi.oid()]);
        assert_eq!(adm.telematik_id(), None);
        assert_eq!(adm.to_der().unwrap(), der);
    }

    fn arb_oid() -> impl Strategy<Value = ObjectIdentifier> {
        (0u32..3, 0u32..40, proptest::collection::vec(0u32..100_000, 0..8)).prop_map(|(a, b, rest)| {
            let mut s = format!("{a}.{b}");
            for r in rest {
                s.push_str(&format!(".{r}"));
            }
            ObjectIdentifier::new(&s).unwrap()
        })
    }

    proptest! {
        #[test]
        fn round_trip(
            professions in proptest::collection::vec(
                (
                    proptest::collection::vec("\\PC{1,40}", 1..3),
                    proptest::collection::vec(arb_oid(), 0..4),
                    proptest::option::of("[A-Za-z0-9 .:=?()+,/-]{1,40}"),
                ),
                1..4,
            )
        ) {
            let adm = Admission {
                professions: professions
                    .into_iter()
                    .map(|(items, oids, registration_number)| ProfessionInfo { items, oids, registration_number })
                    .collect(),
            };
            let der = adm.to_der().unwrap();
            prop_assert_eq!(Admission::from_der(&der).unwrap(), adm);
        }
    }
}
