//! Certificate making for the test PKI.

use core::str::FromStr;

use const_oid::AssociatedOid;

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use rand_core::CryptoRng;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies,
    ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName, SubjectKeyIdentifier, certpolicy::PolicyInformation,
};
use x509_cert::ext::{Extension, Extensions};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

use super::{DAY, Issued, TestPki, TestPkiOptions};
use crate::admission::{Admission, ProfessionInfo};
use crate::crypto::KeyAlgorithm;
use crate::error::KeyError;
use crate::key::PrivateKey;
use crate::oid::{self, CertType, Institution, Role};
use crate::{Certificate, SignatureAlgorithm, UnixTime};

const YEAR: u64 = 365 * DAY;
/// `id-kp-serverAuth`
const KP_SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
/// `id-kp-clientAuth`
const KP_CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

/// A failing variant of the C.NK.VPN leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Variant {
    /// Revoked (the OCSP responder says so).
    Revoked,
    /// Expired a day before `now`.
    Expired,
    /// Valid only from a day after `now`.
    NotYetValid,
    /// Looks like a C.NK.VPN (role `oid_nk`) but carries type C.AK.AUT.
    WrongType,
}

impl Variant {
    /// Every variant.
    pub const ALL: &'static [Variant] = &[
        Variant::Revoked,
        Variant::Expired,
        Variant::NotYetValid,
        Variant::WrongType,
    ];

    /// File-name stem.
    pub const fn name(self) -> &'static str {
        match self {
            Variant::Revoked => "revoked-c-nk-vpn",
            Variant::Expired => "expired-c-nk-vpn",
            Variant::NotYetValid => "not-yet-valid-c-nk-vpn",
            Variant::WrongType => "wrong-type-c-nk-vpn",
        }
    }
}

/// What a leaf certificate holds.
#[derive(Clone, Debug)]
pub struct CertSpec {
    /// The certificate type (policy OID); also picks the issuing CA, key usage and role.
    pub cert_type: CertType,
    /// The type OID actually written (differs from `cert_type` only for wrong-type tests).
    pub written_type: CertType,
    /// Subject common name.
    pub common_name: String,
    /// Subject organisation.
    pub organization: String,
    /// Profession OID (role or institution) of the Admission extension.
    pub profession: ObjectIdentifier,
    /// Profession item text.
    pub profession_item: String,
    /// Telematik-ID (registration number), if any.
    pub telematik_id: Option<String>,
    /// Validity start.
    pub not_before: UnixTime,
    /// Validity end.
    pub not_after: UnixTime,
    /// SubjectAltName entries: IP addresses where they parse as one, DNS names otherwise (TLS peers check
    /// these, not the common name). Empty: no SubjectAltName extension.
    pub subject_alt_names: Vec<String>,
}

impl CertSpec {
    /// The usual content of a `t` leaf in this PKI, valid for five years from a day before `now`.
    pub fn typical(t: CertType, now: UnixTime, telematik_id: &str) -> Self {
        let (role, item): (ObjectIdentifier, &str) = match t {
            CertType::HciEnc | CertType::HciAut | CertType::HciOsig => {
                (Institution::PraxisArzt.oid(), Institution::PraxisArzt.label())
            }
            CertType::AkAut => (Role::Ak.oid(), Role::Ak.label()),
            CertType::NkVpn => (Role::Nk.oid(), Role::Nk.label()),
            CertType::VpnkVpn | CertType::ZdTlsS => (Role::VpnzTi.oid(), Role::VpnzTi.label()),
            CertType::VpnkVpnSis => (Role::VpnzSis.oid(), Role::VpnzSis.label()),
            CertType::FdSig => (Role::VzdTi.oid(), Role::VzdTi.label()),
            CertType::FdOsig => (Role::TigwZugm.oid(), Role::TigwZugm.label()),
            _ => (Role::Tim.oid(), Role::Tim.label()),
        };
        let smcb = matches!(t, CertType::HciEnc | CertType::HciAut | CertType::HciOsig);
        CertSpec {
            cert_type: t,
            written_type: t,
            common_name: format!("{} tiwire TEST-ONLY", t.label()),
            organization: if smcb {
                "Praxis Dr. Test NOT-VALID".into()
            } else {
                "tiwire TEST-ONLY - NOT-VALID".into()
            },
            profession: role,
            profession_item: item.into(),
            telematik_id: smcb.then(|| telematik_id.to_string()),
            not_before: now.minus(DAY),
            not_after: now.plus(5 * YEAR),
            // TLS certificates of the test PKI serve on loopback.
            subject_alt_names: if matches!(t, CertType::FdTlsS | CertType::ZdTlsS | CertType::AkAut) {
                vec!["localhost".into(), "127.0.0.1".into(), "::1".into()]
            } else {
                Vec::new()
            },
        }
    }
}

/// The algorithm certificates signed by `key` use.
pub(super) fn signature_algorithm(options: &TestPkiOptions, key: &PrivateKey) -> SignatureAlgorithm {
    match options.signature_algorithm {
        Some(alg) if alg.fits(key.algorithm()) => alg,
        _ => key.default_signature_algorithm(),
    }
}

pub(super) fn build<R: CryptoRng + ?Sized>(options: &TestPkiOptions, rng: &mut R) -> Result<TestPki, KeyError> {
    let now = options.now;
    let root_name = name(
        "C=DE,O=gematik GmbH NOT-VALID,OU=Zentrale Root-CA der Telematikinfrastruktur,CN=GEM.RCA-tiwire TEST-ONLY",
    )?;
    let root = issue(
        options,
        None,
        &root_name,
        (now.minus(DAY), now.plus(20 * YEAR)),
        |key| ca_extensions(key, None, None),
        "root-ca",
        rng,
    )?;
    let component_ca = issue_ca(
        options,
        &root,
        "C=DE,O=gematik GmbH NOT-VALID,OU=Komponenten-CA der Telematikinfrastruktur,CN=GEM.KOMP-CA-tiwire TEST-ONLY",
        "komp-ca",
        rng,
    )?;
    let smcb_ca = issue_ca(
        options,
        &root,
        "C=DE,O=gematik GmbH NOT-VALID,OU=Institution des Gesundheitswesens-CA der Telematikinfrastruktur,CN=GEM.SMCB-CA-tiwire TEST-ONLY",
        "smcb-ca",
        rng,
    )?;
    let component_ocsp = issue_ocsp_responder(options, &component_ca, "komp-ca-ocsp", rng)?;
    let smcb_ocsp = issue_ocsp_responder(options, &smcb_ca, "smcb-ca-ocsp", rng)?;

    let mut leaves = Vec::new();
    for t in &options.leaf_types {
        let spec = CertSpec::typical(*t, now, &options.telematik_id);
        let ca = if matches!(t, CertType::HciEnc | CertType::HciAut | CertType::HciOsig) {
            &smcb_ca
        } else {
            &component_ca
        };
        leaves.push((*t, issue_leaf(options, ca, &spec, rng)?));
    }
    let passport_signer = match options.leaf_types.contains(&CertType::FdSig) {
        true => {
            let mut spec = CertSpec::typical(CertType::FdSig, now, &options.telematik_id);
            spec.common_name = "PASSporT-Service tiwire TEST-ONLY".into();
            (spec.profession, spec.profession_item) = (Role::Tim.oid(), Role::Tim.label().into());
            let mut issued = issue_leaf(options, &component_ca, &spec, rng)?;
            issued.name = "c-fd-sig-tim".into();
            Some(issued)
        }
        false => None,
    };
    let mut variants = Vec::new();
    if options.leaf_types.contains(&CertType::NkVpn) {
        for v in Variant::ALL {
            let mut spec = CertSpec::typical(CertType::NkVpn, now, &options.telematik_id);
            spec.common_name = format!("{} tiwire TEST-ONLY", v.name());
            match v {
                Variant::Revoked => {}
                Variant::Expired => {
                    spec.not_before = now.minus(3 * YEAR);
                    spec.not_after = now.minus(DAY);
                }
                Variant::NotYetValid => {
                    spec.not_before = now.plus(DAY);
                    spec.not_after = now.plus(5 * YEAR);
                }
                Variant::WrongType => spec.written_type = CertType::AkAut,
            }
            let mut issued = issue_leaf(options, &component_ca, &spec, rng)?;
            issued.name = v.name().into();
            variants.push((*v, issued));
        }
    }
    Ok(TestPki {
        options: options.clone(),
        root,
        component_ca,
        smcb_ca,
        component_ocsp,
        smcb_ocsp,
        leaves,
        variants,
        passport_signer,
    })
}

fn issue_ca<R: CryptoRng + ?Sized>(
    options: &TestPkiOptions,
    root: &Issued,
    subject: &str,
    file: &str,
    rng: &mut R,
) -> Result<Issued, KeyError> {
    let validity = (options.now.minus(DAY), options.now.plus(10 * YEAR));
    let root_key_id = root.certificate.subject_key_id();
    issue(
        options,
        Some(root),
        &name(subject)?,
        validity,
        |key| ca_extensions(key, root_key_id, Some(0)),
        file,
        rng,
    )
}

/// Makes a key and a certificate for it, signed by `issuer` (self-signed when `None`).
fn issue<R: CryptoRng + ?Sized>(
    options: &TestPkiOptions,
    issuer: Option<&Issued>,
    subject: &Name,
    (not_before, not_after): (UnixTime, UnixTime),
    extensions: impl FnOnce(&PrivateKey) -> Result<Extensions, KeyError>,
    file: &str,
    rng: &mut R,
) -> Result<Issued, KeyError> {
    let key = PrivateKey::generate(options.algorithm, rng)?;
    let mut extensions = extensions(&key)?;
    if !options.key_identifiers {
        extensions.retain(|e| e.extn_id != SubjectKeyIdentifier::OID && e.extn_id != AuthorityKeyIdentifier::OID);
    }
    let (issuer_name, issuer_key) = match issuer {
        Some(i) => (i.certificate.subject(), &i.key),
        None => (subject, &key),
    };
    let tbs = Tbs {
        subject,
        issuer: issuer_name,
        key: &key,
        not_before,
        not_after,
        extensions,
    };
    let certificate = sign(options, &tbs, issuer_key, rng)?;
    Ok(Issued {
        certificate,
        key,
        name: file.into(),
    })
}

fn issue_ocsp_responder<R: CryptoRng + ?Sized>(
    options: &TestPkiOptions,
    ca: &Issued,
    file: &str,
    rng: &mut R,
) -> Result<Issued, KeyError> {
    let ca_cn = ca.certificate.common_name().unwrap_or_default();
    let subject = name(&format!("C=DE,O=gematik GmbH NOT-VALID,CN=OCSP Signer {ca_cn}"))?;
    let validity = (options.now.minus(DAY), options.now.plus(5 * YEAR));
    let extensions = |key: &PrivateKey| {
        let mut extensions = leaf_common_extensions(key, &ca.certificate, &[KeyUsages::DigitalSignature], None)?;
        extensions.push(ext(&ExtendedKeyUsage(vec![oid::KP_OCSP_SIGNING]), false)?);
        extensions.push(admission_ext(Role::Ocsp.label(), Role::Ocsp.oid(), None)?);
        Ok(extensions)
    };
    issue(options, Some(ca), &subject, validity, extensions, file, rng)
}

fn admission_ext(
    item: &str,
    profession: ObjectIdentifier,
    telematik_id: Option<String>,
) -> Result<Extension, KeyError> {
    let admission = Admission {
        professions: vec![ProfessionInfo {
            items: vec![item.into()],
            oids: vec![profession],
            registration_number: telematik_id,
        }],
    };
    raw_ext(oid::ADMISSION, false, admission.to_der().map_err(|_| KeyError::Encode)?)
}

/// Issues a leaf from `ca` as `spec` says, with a fresh key.
pub(super) fn issue_leaf<R: CryptoRng + ?Sized>(
    options: &TestPkiOptions,
    ca: &Issued,
    spec: &CertSpec,
    rng: &mut R,
) -> Result<Issued, KeyError> {
    let rsa = options.algorithm == KeyAlgorithm::Rsa;
    let t = spec.cert_type;
    let usages: &[KeyUsages] = match t {
        CertType::HciOsig | CertType::FdOsig => &[KeyUsages::NonRepudiation],
        CertType::HciEnc if rsa => &[KeyUsages::KeyEncipherment, KeyUsages::DataEncipherment],
        CertType::HciEnc => &[KeyUsages::KeyAgreement],
        CertType::HciAut
        | CertType::AkAut
        | CertType::FdTlsS
        | CertType::FdTlsC
        | CertType::ZdTlsS
        | CertType::FdAut
            if rsa =>
        {
            &[KeyUsages::DigitalSignature, KeyUsages::KeyEncipherment]
        }
        _ => &[KeyUsages::DigitalSignature],
    };
    let eku: Option<Vec<ObjectIdentifier>> = match t {
        CertType::FdTlsS | CertType::ZdTlsS => Some(vec![KP_SERVER_AUTH]),
        CertType::FdTlsC | CertType::HciAut => Some(vec![KP_CLIENT_AUTH]),
        CertType::AkAut => Some(vec![KP_CLIENT_AUTH, KP_SERVER_AUTH]),
        _ => None,
    };
    let aia = AuthorityInfoAccessSyntax(vec![AccessDescription {
        access_method: oid::AD_OCSP,
        access_location: GeneralName::UniformResourceIdentifier(
            der::asn1::Ia5String::new(&options.ocsp_url).map_err(|_| KeyError::Encode)?,
        ),
    }]);
    let extensions = |key: &PrivateKey| {
        let mut extensions = leaf_common_extensions(key, &ca.certificate, usages, Some(spec.written_type))?;
        if let Some(eku) = eku {
            extensions.push(ext(&ExtendedKeyUsage(eku), false)?);
        }
        extensions.push(admission_ext(
            &spec.profession_item,
            spec.profession,
            spec.telematik_id.clone(),
        )?);
        extensions.push(ext(&aia, false)?);
        if !spec.subject_alt_names.is_empty() {
            extensions.push(ext(&subject_alt_name(&spec.subject_alt_names)?, false)?);
        }
        Ok(extensions)
    };
    let subject = name(&format!(
        "C=DE,O={},CN={}",
        escape(&spec.organization),
        escape(&spec.common_name)
    ))?;
    let file = t.label().to_ascii_lowercase().replace('.', "-");
    let validity = (spec.not_before, spec.not_after);
    issue(options, Some(ca), &subject, validity, extensions, &file, rng)
}

fn subject_alt_name(names: &[String]) -> Result<SubjectAltName, KeyError> {
    let general = |n: &String| -> Result<GeneralName, KeyError> {
        Ok(match n.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(ip)) => {
                GeneralName::IpAddress(OctetString::new(ip.octets().to_vec()).map_err(|_| KeyError::Encode)?)
            }
            Ok(std::net::IpAddr::V6(ip)) => {
                GeneralName::IpAddress(OctetString::new(ip.octets().to_vec()).map_err(|_| KeyError::Encode)?)
            }
            Err(_) => GeneralName::DnsName(der::asn1::Ia5String::new(n).map_err(|_| KeyError::Encode)?),
        })
    };
    Ok(SubjectAltName(names.iter().map(general).collect::<Result<_, _>>()?))
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace('+', "\\+")
        .replace('=', "\\=")
}

fn name(rfc4514: &str) -> Result<Name, KeyError> {
    // RFC 4514 strings list the most specific RDN first; we write them root-first for readability.
    let reversed: Vec<&str> = split_unescaped(rfc4514).into_iter().rev().collect();
    Name::from_str(&reversed.join(",")).map_err(|_| KeyError::Encode)
}

fn split_unescaped(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            ',' if !escaped => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => escaped = false,
        }
    }
    parts.push(&s[start..]);
    parts
}

fn key_id(key: &PrivateKey) -> Result<Vec<u8>, KeyError> {
    use sha1::Digest;
    let spki = key.public_key_der()?;
    let info = spki::SubjectPublicKeyInfoRef::from_der(&spki).map_err(|_| KeyError::Encode)?;
    Ok(sha1::Sha1::digest(info.subject_public_key.raw_bytes()).to_vec())
}

fn ext<T: Encode + const_oid::AssociatedOid>(value: &T, critical: bool) -> Result<Extension, KeyError> {
    raw_ext(T::OID, critical, value.to_der().map_err(|_| KeyError::Encode)?)
}

fn raw_ext(oid: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Result<Extension, KeyError> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value).map_err(|_| KeyError::Encode)?,
    })
}

fn key_ids(key: &PrivateKey, issuer_key_id: Option<&[u8]>) -> Result<Vec<Extension>, KeyError> {
    let mut exts = vec![ext(
        &SubjectKeyIdentifier(OctetString::new(key_id(key)?).map_err(|_| KeyError::Encode)?),
        false,
    )?];
    if let Some(id) = issuer_key_id {
        exts.push(ext(
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(id).map_err(|_| KeyError::Encode)?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
            false,
        )?);
    }
    Ok(exts)
}

fn ca_extensions(key: &PrivateKey, issuer_key_id: Option<&[u8]>, path_len: Option<u8>) -> Result<Extensions, KeyError> {
    let mut exts = key_ids(key, issuer_key_id)?;
    exts.push(ext(&KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign), true)?);
    exts.push(ext(
        &BasicConstraints {
            ca: true,
            path_len_constraint: path_len,
        },
        true,
    )?);
    exts.push(ext(&policies(&[oid::POLICY_GEM_OR_CP]), false)?);
    Ok(exts)
}

fn leaf_common_extensions(
    key: &PrivateKey,
    issuer: &Certificate,
    usages: &[KeyUsages],
    cert_type: Option<CertType>,
) -> Result<Extensions, KeyError> {
    let mut exts = key_ids(key, issuer.subject_key_id())?;
    let mut ku = x509_cert::ext::pkix::KeyUsage(Default::default());
    for u in usages {
        ku.0 |= *u;
    }
    exts.push(ext(&ku, true)?);
    exts.push(ext(
        &BasicConstraints {
            ca: false,
            path_len_constraint: None,
        },
        true,
    )?);
    let mut ids = vec![oid::POLICY_GEM_OR_CP];
    ids.extend(cert_type.map(CertType::oid));
    exts.push(ext(&policies(&ids), false)?);
    Ok(exts)
}

fn policies(ids: &[ObjectIdentifier]) -> CertificatePolicies {
    CertificatePolicies(
        ids.iter()
            .map(|id| PolicyInformation {
                policy_identifier: *id,
                policy_qualifiers: None,
            })
            .collect(),
    )
}

struct Tbs<'a> {
    subject: &'a Name,
    issuer: &'a Name,
    key: &'a PrivateKey,
    not_before: UnixTime,
    not_after: UnixTime,
    extensions: Extensions,
}

#[derive(Sequence)]
struct TbsCertificateOut<'a> {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: u8,
    serial_number: SerialNumber,
    signature: AnyRef<'a>,
    issuer: Name,
    validity: Validity,
    subject: Name,
    subject_public_key_info: AnyRef<'a>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT")]
    extensions: Extensions,
}

#[derive(Sequence)]
struct CertificateOut<'a> {
    tbs_certificate: AnyRef<'a>,
    signature_algorithm: AnyRef<'a>,
    signature: BitStringRef<'a>,
}

fn sign<R: CryptoRng + ?Sized>(
    options: &TestPkiOptions,
    tbs: &Tbs<'_>,
    issuer_key: &PrivateKey,
    rng: &mut R,
) -> Result<Certificate, KeyError> {
    let enc = |_| KeyError::Encode;
    let algorithm = signature_algorithm(options, issuer_key);
    let alg_der = algorithm.algorithm_identifier_der().map_err(|_| KeyError::Encode)?;
    let spki_der = tbs.key.public_key_der()?;
    let out = TbsCertificateOut {
        version: 2,
        serial_number: random_serial(rng).map_err(enc)?,
        signature: AnyRef::from_der(&alg_der).map_err(enc)?,
        issuer: tbs.issuer.clone(),
        validity: Validity::new(
            tbs.not_before.to_x509().map_err(enc)?,
            tbs.not_after.to_x509().map_err(enc)?,
        ),
        subject: tbs.subject.clone(),
        subject_public_key_info: AnyRef::from_der(&spki_der).map_err(enc)?,
        extensions: tbs.extensions.clone(),
    };
    let tbs_der = out.to_der().map_err(enc)?;
    let signature = issuer_key.sign(algorithm, &tbs_der, rng)?;
    let cert = CertificateOut {
        tbs_certificate: AnyRef::from_der(&tbs_der).map_err(enc)?,
        signature_algorithm: AnyRef::from_der(&alg_der).map_err(enc)?,
        signature: BitStringRef::from_bytes(&signature).map_err(enc)?,
    };
    Certificate::from_der(&cert.to_der().map_err(enc)?).map_err(|_| KeyError::Encode)
}

/// A positive 16-byte serial number (RFC 5280 §4.1.2.2: at most 20 octets; CA/B forum: ≥ 64 random bits).
fn random_serial<R: CryptoRng + ?Sized>(rng: &mut R) -> Result<SerialNumber, der::Error> {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    bytes[0] = (bytes[0] & 0x7f) | 0x10;
    SerialNumber::new(&bytes)
}

/// `YYMMDDHHMMSSZ` as OpenSSL's CA database writes times.
fn openssl_time(t: UnixTime) -> String {
    let s = t.to_string(); // 2026-01-01T00:00:00Z
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    format!("{}Z", digits.get(2..14).unwrap_or_default())
}

/// The subject as OpenSSL's index writes it (`/C=DE/O=…/CN=…`).
fn openssl_dn(cert: &Certificate) -> String {
    let mut parts: Vec<String> = cert.subject().to_string().split(',').map(str::to_string).collect();
    parts.reverse();
    parts.iter().map(|p| format!("/{p}")).collect()
}

pub(super) fn files(pki: &TestPki) -> Result<Vec<(String, String)>, KeyError> {
    let mut files = Vec::new();
    let mut index = String::from("# file\tkind\ttype\tsubject\tserial\tnot_before\tnot_after\tocsp\n");
    let mut add = |files: &mut Vec<(String, String)>,
                   issued: &Issued,
                   kind: &str,
                   chain: Option<Vec<Certificate>>|
     -> Result<(), KeyError> {
        let c = &issued.certificate;
        files.push((format!("{}.pem", issued.name), c.to_pem()));
        files.push((
            format!("{}.key.pem", issued.name),
            issued.key.to_pkcs8_pem()?.to_string(),
        ));
        if let Some(chain) = chain {
            files.push((
                format!("{}.chain.pem", issued.name),
                chain.iter().map(Certificate::to_pem).collect(),
            ));
        }
        let types: Vec<&str> = c.cert_types().iter().map(|t| t.label()).collect();
        index.push_str(&format!(
            "{}.pem\t{kind}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            issued.name,
            if types.is_empty() { "-".into() } else { types.join(",") },
            c.subject(),
            c.serial_hex(),
            c.not_before(),
            c.not_after(),
            if kind == "root" || kind == "ca" {
                "-".to_string()
            } else {
                pki.status_of(c.serial_number()).to_string()
            },
        ));
        Ok(())
    };
    add(&mut files, &pki.root, "root", None)?;
    add(&mut files, &pki.component_ca, "ca", None)?;
    add(&mut files, &pki.smcb_ca, "ca", None)?;
    add(&mut files, &pki.component_ocsp, "ocsp-responder", None)?;
    add(&mut files, &pki.smcb_ocsp, "ocsp-responder", None)?;
    for (_, leaf) in &pki.leaves {
        add(&mut files, leaf, "leaf", Some(pki.chain(leaf)))?;
    }
    if let Some(signer) = &pki.passport_signer {
        add(&mut files, signer, "leaf", Some(pki.chain(signer)))?;
    }
    for (_, v) in &pki.variants {
        add(&mut files, v, "variant", Some(pki.chain(v)))?;
    }
    files.push(("index.tsv".into(), index));
    for ca in [&pki.component_ca, &pki.smcb_ca] {
        let mut db = String::new();
        let issued_here = pki
            .leaves
            .iter()
            .map(|(_, i)| i)
            .chain(pki.variants.iter().map(|(_, i)| i))
            .chain(pki.passport_signer.iter())
            .chain([&pki.component_ocsp, &pki.smcb_ocsp])
            .filter(|i| i.certificate.issuer() == ca.certificate.subject());
        for i in issued_here {
            let c = &i.certificate;
            let serial = c.serial_hex().to_uppercase();
            let serial = if serial.len() % 2 == 1 {
                format!("0{serial}")
            } else {
                serial
            };
            let line = match pki.status_of(c.serial_number()) {
                crate::ocsp::CertStatus::Revoked { time, .. } => {
                    format!(
                        "R\t{}\t{}\t{serial}\tunknown\t{}\n",
                        openssl_time(c.not_after()),
                        openssl_time(time),
                        openssl_dn(c)
                    )
                }
                _ => format!(
                    "V\t{}\t\t{serial}\tunknown\t{}\n",
                    openssl_time(c.not_after()),
                    openssl_dn(c)
                ),
            };
            db.push_str(&line);
        }
        files.push((format!("{}.index.txt", ca.name), db));
    }
    Ok(files)
}
