//! X.509 certificates with what TI rules need, read once at parse time.

use core::fmt::Write as _;
use core::ops::Range;

use const_oid::AssociatedOid;
use der::asn1::ObjectIdentifier;
use der::referenced::OwnedToRef;
use der::{Decode, Encode, Reader, SliceReader};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies, CrlDistributionPoints,
    ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::name::Name;

use crate::UnixTime;
use crate::admission::Admission;
use crate::crypto::{CryptoProvider, KeyAlgorithm, PublicKeyRef, SignatureAlgorithm};
use crate::error::{ParseError, SignatureError};
use crate::oid::{self, CertType, Institution, Role};

/// Largest certificate accepted, in DER bytes. TI certificates are 1–2 KiB.
pub const MAX_CERT_LEN: usize = 16 * 1024;
/// Most certificates accepted from one PEM bundle.
pub const MAX_PEM_CERTS: usize = 16;
/// Most extensions accepted in one certificate.
pub const MAX_EXTENSIONS: usize = 32;

/// A parsed X.509 v3 certificate. Immutable; keeps the received DER so signatures are checked over the
/// bytes that were signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: Range<usize>,
    inner: x509_cert::Certificate,
    exts: Extensions,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Extensions {
    basic_constraints: Option<BasicConstraints>,
    key_usage: Option<KeyUsage>,
    ext_key_usage: Option<Vec<ObjectIdentifier>>,
    policies: Vec<ObjectIdentifier>,
    admission: Option<Admission>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    ocsp_urls: Vec<String>,
    unknown_critical: Vec<ObjectIdentifier>,
}

impl Certificate {
    /// Parses one DER certificate; the whole input must be the certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        if der.len() > MAX_CERT_LEN {
            return Err(ParseError::TooLarge {
                len: der.len(),
                max: MAX_CERT_LEN,
            });
        }
        let inner = x509_cert::Certificate::from_der(der)?;
        if inner.tbs_certificate().version() != x509_cert::certificate::Version::V3 {
            return Err(ParseError::Version);
        }
        if inner.signature_algorithm() != inner.tbs_certificate().signature() {
            return Err(ParseError::SignatureAlgorithmMismatch);
        }
        // A signature BIT STRING with unused bits would let the same signature ride on differently encoded
        // (differently fingerprinted) certificates.
        if inner.signature().as_bytes().is_none() {
            return Err(ParseError::Der(der::Tag::BitString.value_error().into()));
        }
        let tbs = tbs_range(der)?;
        let exts = Extensions::read(&inner)?;
        Ok(Certificate {
            der: der.to_vec(),
            tbs,
            inner,
            exts,
        })
    }

    /// Parses exactly one PEM `CERTIFICATE`.
    pub fn from_pem(pem: &str) -> Result<Self, ParseError> {
        let mut certs = Self::parse_pem_bundle(pem)?;
        match certs.len() {
            1 => certs.pop().ok_or(ParseError::Empty),
            _ => Err(ParseError::Pem("expected exactly one certificate".into())),
        }
    }

    /// Parses a PEM bundle of one or more `CERTIFICATE` blocks (text between blocks is ignored, as in
    /// OpenSSL bundles), at most [`MAX_PEM_CERTS`].
    pub fn parse_pem_bundle(pem: &str) -> Result<Vec<Self>, ParseError> {
        Self::parse_pem_bundle_max(pem, MAX_PEM_CERTS)
    }

    /// [`Certificate::parse_pem_bundle`] with another limit on the number of certificates (trust stores).
    pub fn parse_pem_bundle_max(pem: &str, max: usize) -> Result<Vec<Self>, ParseError> {
        const BEGIN: &str = "-----BEGIN ";
        let mut certs = Vec::new();
        let mut rest = pem;
        while let Some(start) = rest.find(BEGIN) {
            let block = &rest[start..];
            let end_marker = block
                .find("-----END ")
                .ok_or_else(|| ParseError::Pem("unterminated block".into()))?;
            let after_end = block[end_marker + 9..]
                .find("-----")
                .map(|i| end_marker + 9 + i + 5)
                .ok_or_else(|| ParseError::Pem("unterminated END line".into()))?;
            if certs.len() == max {
                return Err(ParseError::TooMany { max });
            }
            // Base64 carries 3 bytes in 4 characters: refuse oversize blocks before decoding them.
            if after_end / 4 * 3 > MAX_CERT_LEN + 1024 {
                return Err(ParseError::TooLarge {
                    len: after_end / 4 * 3,
                    max: MAX_CERT_LEN,
                });
            }
            let (label, der) =
                der::pem::decode_vec(&block.as_bytes()[..after_end]).map_err(|e| ParseError::Pem(e.to_string()))?;
            if label != "CERTIFICATE" {
                return Err(ParseError::Pem(format!("unexpected label {label}")));
            }
            certs.push(Self::from_der(&der)?);
            rest = &block[after_end..];
        }
        if certs.is_empty() {
            return Err(ParseError::Empty);
        }
        Ok(certs)
    }

    /// Parses PEM (one or more certificates) or, if the input is not PEM, one DER certificate.
    pub fn parse_any(bytes: &[u8]) -> Result<Vec<Self>, ParseError> {
        match core::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN ") => Self::parse_pem_bundle(text),
            _ => Ok(vec![Self::from_der(bytes)?]),
        }
    }

    /// The certificate as received (DER).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The certificate as PEM.
    pub fn to_pem(&self) -> String {
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &self.der).unwrap_or_default()
    }

    /// The signed part (`tbsCertificate`) as received.
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    /// The decoded certificate, for what this type does not expose.
    pub fn x509(&self) -> &x509_cert::Certificate {
        &self.inner
    }

    /// Subject name.
    pub fn subject(&self) -> &Name {
        self.inner.tbs_certificate().subject()
    }

    /// Issuer name.
    pub fn issuer(&self) -> &Name {
        self.inner.tbs_certificate().issuer()
    }

    /// The subject's common name, if there is one.
    pub fn common_name(&self) -> Option<String> {
        self.subject()
            .common_name()
            .ok()
            .flatten()
            .map(|cn| cn.value().into_owned())
    }

    /// Serial number (big-endian two's complement bytes as encoded).
    pub fn serial_number(&self) -> &[u8] {
        self.inner.tbs_certificate().serial_number().as_bytes()
    }

    /// Serial number as lower-case hex without leading zero bytes.
    pub fn serial_hex(&self) -> String {
        let bytes = self.serial_number();
        let first = bytes
            .iter()
            .position(|b| *b != 0)
            .unwrap_or(bytes.len().saturating_sub(1));
        hex_string(&bytes[first..], "")
    }

    /// `notBefore`.
    pub fn not_before(&self) -> UnixTime {
        UnixTime::from_x509(&self.inner.tbs_certificate().validity().not_before)
    }

    /// `notAfter`.
    pub fn not_after(&self) -> UnixTime {
        UnixTime::from_x509(&self.inner.tbs_certificate().validity().not_after)
    }

    /// Whether `now` lies within the validity period (both ends inclusive, RFC 5280 §4.1.2.5).
    pub fn is_valid_at(&self, now: UnixTime) -> bool {
        self.not_before() <= now && now <= self.not_after()
    }

    /// The subject public key.
    pub fn public_key(&self) -> Result<PublicKeyRef<'_>, SignatureError> {
        let spki = self.inner.tbs_certificate().subject_public_key_info();
        let algorithm = KeyAlgorithm::from_spki_algorithm(&spki.algorithm.owned_to_ref())?;
        let key = spki.subject_public_key.as_bytes().ok_or(SignatureError::MalformedKey)?;
        Ok(PublicKeyRef { algorithm, key })
    }

    /// The subject public key as DER `SubjectPublicKeyInfo`.
    pub fn public_key_info_der(&self) -> Result<Vec<u8>, der::Error> {
        self.inner.tbs_certificate().subject_public_key_info().to_der()
    }

    /// The algorithm the issuer signed with.
    pub fn signature_algorithm(&self) -> Result<SignatureAlgorithm, SignatureError> {
        SignatureAlgorithm::from_algorithm_identifier(&self.inner.signature_algorithm().owned_to_ref())
    }

    /// The signature value.
    pub fn signature(&self) -> &[u8] {
        // Parsing refused signatures with unused bits, so `as_bytes` is always `Some` here.
        self.inner.signature().as_bytes().unwrap_or_default()
    }

    /// Checks that `issuer`'s key signed this certificate. Names are not compared here (see [`crate::path`]).
    pub fn verify_signed_by(&self, issuer: &Certificate, provider: &dyn CryptoProvider) -> Result<(), SignatureError> {
        provider.verify(
            self.signature_algorithm()?,
            issuer.public_key()?,
            self.tbs_der(),
            self.signature(),
        )
    }

    /// The key usage extension, if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.exts.key_usage
    }

    /// The key usage bits set, by RFC 5280 name (empty when the extension is absent).
    pub fn key_usage_names(&self) -> Vec<&'static str> {
        self.exts
            .key_usage
            .map(|ku| ku.0.into_iter().map(key_usage_name).collect())
            .unwrap_or_default()
    }

    /// Whether the key usage extension is present and has `usage`.
    pub fn has_key_usage(&self, usage: KeyUsages) -> bool {
        self.exts.key_usage.is_some_and(|ku| ku.0.contains(usage))
    }

    /// The extended key usages, if the extension is present.
    pub fn extended_key_usage(&self) -> Option<&[ObjectIdentifier]> {
        self.exts.ext_key_usage.as_deref()
    }

    /// Basic constraints, if present.
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.exts.basic_constraints.clone()
    }

    /// Whether basic constraints say this is a CA.
    pub fn is_ca(&self) -> bool {
        self.exts.basic_constraints.as_ref().is_some_and(|bc| bc.ca)
    }

    /// Certificate policy identifiers.
    pub fn policies(&self) -> &[ObjectIdentifier] {
        &self.exts.policies
    }

    /// The TI certificate types among the policies (normally exactly one).
    pub fn cert_types(&self) -> Vec<CertType> {
        self.exts.policies.iter().filter_map(CertType::from_oid).collect()
    }

    /// Whether the certificate carries type `t`.
    pub fn has_type(&self, t: CertType) -> bool {
        let oid = t.oid();
        self.exts.policies.contains(&oid)
    }

    /// The Admission extension, if present.
    pub fn admission(&self) -> Option<&Admission> {
        self.exts.admission.as_ref()
    }

    /// Every profession OID of the Admission extension.
    pub fn profession_oids(&self) -> Vec<ObjectIdentifier> {
        self.exts
            .admission
            .iter()
            .flat_map(|a| a.profession_oids().copied())
            .collect()
    }

    /// The technical roles (Tab_PKI_406) among the profession OIDs.
    pub fn roles(&self) -> Vec<Role> {
        self.profession_oids().iter().filter_map(Role::from_oid).collect()
    }

    /// The institutions (Tab_PKI_403) among the profession OIDs.
    pub fn institutions(&self) -> Vec<Institution> {
        self.profession_oids()
            .iter()
            .filter_map(Institution::from_oid)
            .collect()
    }

    /// The Telematik-ID (registration number of the Admission extension).
    pub fn telematik_id(&self) -> Option<&str> {
        self.exts.admission.as_ref().and_then(Admission::telematik_id)
    }

    /// Subject key identifier, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.exts.subject_key_id.as_deref()
    }

    /// Key identifier of the authority key identifier, if present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.exts.authority_key_id.as_deref()
    }

    /// OCSP responder URLs from Authority Information Access.
    pub fn ocsp_urls(&self) -> &[String] {
        &self.exts.ocsp_urls
    }

    /// Critical extensions this crate does not process (a path with any is refused).
    pub fn unknown_critical_extensions(&self) -> &[ObjectIdentifier] {
        &self.exts.unknown_critical
    }

    /// Whether subject and issuer are the same name (a self-issued certificate).
    pub fn is_self_issued(&self) -> bool {
        self.subject() == self.issuer()
    }

    /// SHA-256 over the DER.
    pub fn fingerprint_sha256(&self) -> [u8; 32] {
        use sha2::Digest;
        sha2::Sha256::digest(&self.der).into()
    }

    /// The SHA-256 fingerprint as browsers show it: upper-case hex pairs joined by colons.
    pub fn fingerprint_display(&self) -> String {
        hex_string(&self.fingerprint_sha256(), ":").to_uppercase()
    }
}

/// The RFC 5280 name of a key usage bit.
pub fn key_usage_name(usage: KeyUsages) -> &'static str {
    match usage {
        KeyUsages::DigitalSignature => "digitalSignature",
        KeyUsages::NonRepudiation => "nonRepudiation",
        KeyUsages::KeyEncipherment => "keyEncipherment",
        KeyUsages::DataEncipherment => "dataEncipherment",
        KeyUsages::KeyAgreement => "keyAgreement",
        KeyUsages::KeyCertSign => "keyCertSign",
        KeyUsages::CRLSign => "cRLSign",
        KeyUsages::EncipherOnly => "encipherOnly",
        KeyUsages::DecipherOnly => "decipherOnly",
    }
}

/// Hex of `bytes` with `sep` between the pairs.
pub(crate) fn hex_string(bytes: &[u8], sep: &str) -> String {
    let mut s = String::with_capacity(bytes.len() * (2 + sep.len()));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push_str(sep);
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Where `tbsCertificate` lies in the certificate's DER.
fn tbs_range(der: &[u8]) -> Result<Range<usize>, ParseError> {
    let mut reader = SliceReader::new(der)?;
    let outer = der::Header::decode(&mut reader)?;
    let _ = outer;
    let start = usize::try_from(reader.position())?;
    let tbs = reader.tlv_bytes()?;
    Ok(start..start + tbs.len())
}

impl Extensions {
    fn read(cert: &x509_cert::Certificate) -> Result<Self, ParseError> {
        let mut exts = Extensions::default();
        let list = cert
            .tbs_certificate()
            .extensions()
            .map(|e| e.as_slice())
            .unwrap_or_default();
        if list.len() > MAX_EXTENSIONS {
            return Err(ParseError::TooMany { max: MAX_EXTENSIONS });
        }
        for (i, ext) in list.iter().enumerate() {
            let oid = ext.extn_id;
            if list[..i].iter().any(|e| e.extn_id == oid) {
                return Err(ParseError::DuplicateExtension(oid));
            }
            let value = ext.extn_value.as_bytes();
            let bad = |source| ParseError::Extension { oid, source };
            if oid == BasicConstraints::OID {
                exts.basic_constraints = Some(BasicConstraints::from_der(value).map_err(bad)?);
            } else if oid == KeyUsage::OID {
                exts.key_usage = Some(KeyUsage::from_der(value).map_err(bad)?);
            } else if oid == ExtendedKeyUsage::OID {
                exts.ext_key_usage = Some(ExtendedKeyUsage::from_der(value).map_err(bad)?.0);
            } else if oid == CertificatePolicies::OID {
                let policies = CertificatePolicies::from_der(value).map_err(bad)?;
                exts.policies = policies.0.into_iter().map(|p| p.policy_identifier).collect();
            } else if oid == SubjectKeyIdentifier::OID {
                exts.subject_key_id = Some(
                    SubjectKeyIdentifier::from_der(value)
                        .map_err(bad)?
                        .0
                        .into_bytes()
                        .into_vec(),
                );
            } else if oid == AuthorityKeyIdentifier::OID {
                let aki = AuthorityKeyIdentifier::from_der(value).map_err(bad)?;
                exts.authority_key_id = aki.key_identifier.map(|k| k.into_bytes().into_vec());
            } else if oid == AuthorityInfoAccessSyntax::OID {
                let aia = AuthorityInfoAccessSyntax::from_der(value).map_err(bad)?;
                exts.ocsp_urls = aia
                    .0
                    .into_iter()
                    .filter(|a| a.access_method == oid::AD_OCSP)
                    .filter_map(|a| match a.access_location {
                        GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
                        _ => None,
                    })
                    .collect();
            } else if oid == oid::ADMISSION {
                exts.admission = Some(Admission::from_der(value).map_err(bad)?);
            } else if oid == SubjectAltName::OID {
                SubjectAltName::from_der(value).map_err(bad)?;
            } else if oid == CrlDistributionPoints::OID {
                // Decoded for well-formedness only: the TI checks revocation by OCSP.
                CrlDistributionPoints::from_der(value).map_err(bad)?;
            } else if ext.critical {
                exts.unknown_critical.push(oid);
            }
        }
        Ok(exts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_garbage() {
        assert_eq!(
            Certificate::from_der(&vec![0u8; MAX_CERT_LEN + 1]),
            Err(ParseError::TooLarge {
                len: MAX_CERT_LEN + 1,
                max: MAX_CERT_LEN
            })
        );
        assert!(matches!(Certificate::from_der(b""), Err(ParseError::Der(_))));
        assert!(matches!(
            Certificate::from_der(&[0x30, 0x80, 0, 0]),
            Err(ParseError::Der(_))
        ));
        assert_eq!(Certificate::parse_pem_bundle("no pem here"), Err(ParseError::Empty));
        assert!(matches!(
            Certificate::parse_pem_bundle("-----BEGIN CERTIFICATE-----\nAAAA\n"),
            Err(ParseError::Pem(_))
        ));
        assert!(matches!(
            Certificate::parse_pem_bundle("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            Err(ParseError::Pem(_))
        ));
    }

    #[test]
    fn bundles_trailing_bytes_and_counts() {
        let pem = include_str!(
            "../../../../shared/specs/ti-messenger/federation-list-samples/signed-bp256r1-current/VZD-FHIR-FList-Signer_TEST-ONLY.pem"
        );
        let cert = Certificate::from_pem(pem).unwrap();
        let bundle = format!("subject=…\n{pem}\nsome text\n{pem}");
        assert_eq!(Certificate::parse_pem_bundle(&bundle).unwrap().len(), 2);
        assert!(matches!(Certificate::from_pem(&bundle), Err(ParseError::Pem(_))));
        let many = pem.repeat(MAX_PEM_CERTS + 1);
        assert_eq!(
            Certificate::parse_pem_bundle(&many),
            Err(ParseError::TooMany { max: MAX_PEM_CERTS })
        );
        let mut trailing = cert.der().to_vec();
        trailing.push(0);
        assert!(matches!(Certificate::from_der(&trailing), Err(ParseError::Der(_))));
        assert_eq!(Certificate::parse_any(cert.der()).unwrap(), vec![cert.clone()]);
        assert_eq!(cert.tbs_der(), &cert.der()[4..4 + cert.tbs_der().len()]);
    }
}
