//! A realistic TI test PKI in memory (feature `test-pki`), for tests, demos, fuzz seeds and vendors' own
//! test suites.
//!
//! [`TestPki::build`] makes a root, a component CA (`GEM.KOMP-CA…`) and an SMC-B CA (`GEM.SMCB-CA…`), a
//! delegated OCSP responder for each CA (`id-kp-OCSPSigning`, role `oid_ocsp`), one leaf of every
//! [`CertType`] with the type OID in its policies, the role or institution OID and Telematik-ID in its
//! Admission extension, TI key usages and an OCSP URL, plus failing variants: a revoked, an expired, a
//! not-yet-valid and a wrong-type C.NK.VPN. [`TestPki::ocsp_respond`] answers OCSP requests for all of it.
//!
//! Everything is on one key algorithm: brainpoolP256r1, P-256 or RSA-2048 (RSA key generation is slow in
//! unoptimised builds; restrict the leaves with [`TestPkiOptions::leaf_types`] where that matters).

mod build;

use rand_core::CryptoRng;

use crate::crypto::KeyAlgorithm;
use crate::error::{KeyError, OcspError};
use crate::key::PrivateKey;
use crate::ocsp::{self, CertStatus, OcspRequest, ResponseBuilder, ResponseStatus, SingleStatus};
use crate::oid::CertType;
use crate::{Certificate, SignatureAlgorithm, UnixTime};

pub use build::{CertSpec, Variant};

/// Seconds in a day.
const DAY: u64 = 86_400;

/// What to build.
#[derive(Clone, Debug)]
pub struct TestPkiOptions {
    algorithm: KeyAlgorithm,
    signature_algorithm: Option<SignatureAlgorithm>,
    now: UnixTime,
    ocsp_url: String,
    leaf_types: Vec<CertType>,
    telematik_id: String,
    key_identifiers: bool,
}

impl TestPkiOptions {
    /// Keys on `algorithm`, certificates valid around 2026-01-01T00:00:00Z, OCSP URL
    /// `http://ocsp.tiwire.test/ocsp`, a leaf of every type.
    pub fn new(algorithm: KeyAlgorithm) -> Self {
        TestPkiOptions {
            algorithm,
            signature_algorithm: None,
            now: UnixTime::from_secs(1_767_225_600),
            ocsp_url: "http://ocsp.tiwire.test/ocsp".into(),
            leaf_types: CertType::ALL.to_vec(),
            telematik_id: "1-2-ARZT-tiwire-test-01".into(),
            key_identifiers: true,
        }
    }

    /// The time the PKI is built around: CAs and leaves are valid from a day before until years after.
    pub fn now(mut self, now: UnixTime) -> Self {
        self.now = now;
        self
    }

    /// The OCSP URL written into every leaf's Authority Information Access.
    pub fn ocsp_url(mut self, url: &str) -> Self {
        self.ocsp_url = url.into();
        self
    }

    /// Which leaf types to make (the failing variants are C.NK.VPN and made when it is among them).
    pub fn leaf_types(mut self, types: &[CertType]) -> Self {
        self.leaf_types = types.to_vec();
        self
    }

    /// The Telematik-ID of the SMC-B leaves (C.HCI.*).
    pub fn telematik_id(mut self, id: &str) -> Self {
        self.telematik_id = id.into();
        self
    }

    /// Leaves out subject and authority key identifiers (as some older CAs do), so that issuers can be told
    /// apart only by name and signature.
    pub fn without_key_identifiers(mut self) -> Self {
        self.key_identifiers = false;
        self
    }

    /// Signs with RSASSA-PSS instead of PKCS#1 v1.5 (RSA only).
    pub fn rsa_pss(mut self) -> Self {
        self.signature_algorithm = Some(SignatureAlgorithm::RsaPssSha256);
        self
    }
}

/// A certificate with its private key.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The certificate.
    pub certificate: Certificate,
    /// Its key.
    pub key: PrivateKey,
    /// A file-name stem, e.g. `c-nk-vpn` or `komp-ca`.
    pub name: String,
}

/// The built PKI.
#[derive(Clone, Debug)]
pub struct TestPki {
    options: TestPkiOptions,
    root: Issued,
    component_ca: Issued,
    smcb_ca: Issued,
    component_ocsp: Issued,
    smcb_ocsp: Issued,
    leaves: Vec<(CertType, Issued)>,
    variants: Vec<(Variant, Issued)>,
    passport_signer: Option<Issued>,
}

impl TestPki {
    /// Builds the PKI.
    pub fn build<R: CryptoRng + ?Sized>(options: &TestPkiOptions, rng: &mut R) -> Result<Self, KeyError> {
        build::build(options, rng)
    }

    /// The time the PKI was built around; every good certificate is valid then.
    pub fn now(&self) -> UnixTime {
        self.options.now
    }

    /// The root CA (self-signed).
    pub fn root(&self) -> &Issued {
        &self.root
    }

    /// The component CA (issues C.AK.AUT, C.NK.VPN, C.VPNK.*, C.FD.*, C.ZD.*).
    pub fn component_ca(&self) -> &Issued {
        &self.component_ca
    }

    /// The SMC-B CA (issues C.HCI.*).
    pub fn smcb_ca(&self) -> &Issued {
        &self.smcb_ca
    }

    /// The delegated OCSP responder of `ca` (the component or the SMC-B CA).
    pub fn ocsp_responder(&self, ca: &Issued) -> &Issued {
        if ca.certificate == self.smcb_ca.certificate {
            &self.smcb_ocsp
        } else {
            &self.component_ocsp
        }
    }

    /// The CA that issues leaves of type `t`.
    pub fn issuer_of(&self, t: CertType) -> &Issued {
        match t {
            CertType::HciEnc | CertType::HciAut | CertType::HciOsig => &self.smcb_ca,
            _ => &self.component_ca,
        }
    }

    /// The leaf of type `t`; the first leaf if `t` was not built (see [`TestPkiOptions::leaf_types`]).
    pub fn leaf(&self, t: CertType) -> &Issued {
        self.leaves
            .iter()
            .find(|(lt, _)| *lt == t)
            .or(self.leaves.first())
            .map(|(_, i)| i)
            .unwrap_or(&self.root)
    }

    /// Every leaf with its type.
    pub fn leaves(&self) -> &[(CertType, Issued)] {
        &self.leaves
    }

    /// The TI-Messenger PASSporT-Service's C.FD.SIG (role `oid_tim`, file `c-fd-sig-tim`), made when C.FD.SIG
    /// is among the leaf types. (The C.FD.SIG leaf itself carries `oid_vzd_ti`, like the VZD's federation list
    /// signer.) ES256 PASSporTs need the P-256 PKI.
    pub fn passport_signer(&self) -> Option<&Issued> {
        self.passport_signer.as_ref()
    }

    /// The failing variants (revoked, expired, not yet valid, wrong type).
    pub fn variants(&self) -> &[(Variant, Issued)] {
        &self.variants
    }

    /// The variant `v`, if built.
    pub fn variant(&self, v: Variant) -> Option<&Issued> {
        self.variants.iter().find(|(x, _)| *x == v).map(|(_, i)| i)
    }

    /// The chain a holder presents: the certificate and its issuing CA.
    pub fn chain(&self, leaf: &Issued) -> Vec<Certificate> {
        self.chain_of(&leaf.certificate)
    }

    /// The chain of a certificate issued by one of this PKI's CAs: it and that CA.
    pub fn chain_of(&self, cert: &Certificate) -> Vec<Certificate> {
        let ca = if cert.issuer() == self.smcb_ca.certificate.subject() {
            &self.smcb_ca
        } else {
            &self.component_ca
        };
        vec![cert.clone(), ca.certificate.clone()]
    }

    /// Issues another certificate from the CA for `spec.cert_type`.
    pub fn issue<R: CryptoRng + ?Sized>(&self, spec: &CertSpec, rng: &mut R) -> Result<Issued, KeyError> {
        build::issue_leaf(&self.options, self.issuer_of(spec.cert_type), spec, rng)
    }

    /// Issues a certificate from `issuer`, which need not be a CA (for tests of paths that must fail).
    pub fn issue_by<R: CryptoRng + ?Sized>(
        &self,
        issuer: &Issued,
        spec: &CertSpec,
        rng: &mut R,
    ) -> Result<Issued, KeyError> {
        build::issue_leaf(&self.options, issuer, spec, rng)
    }

    /// The OCSP status of a certificate this PKI issued.
    pub fn status_of(&self, serial: &[u8]) -> CertStatus {
        let revoked = self
            .variant(Variant::Revoked)
            .filter(|r| r.certificate.serial_number() == serial);
        if revoked.is_some() {
            return CertStatus::Revoked {
                time: self.options.now.minus(DAY),
                reason: Some(1),
            };
        }
        let known = core::iter::once(&self.component_ocsp)
            .chain(core::iter::once(&self.smcb_ocsp))
            .chain(self.leaves.iter().map(|(_, i)| i))
            .chain(self.variants.iter().map(|(_, i)| i))
            .chain(self.passport_signer.iter())
            .any(|i| i.certificate.serial_number() == serial);
        if known { CertStatus::Good } else { CertStatus::Unknown }
    }

    /// Answers an OCSP request as the CA's delegated responder: `malformedRequest` for bytes that are not
    /// a request, `unauthorized` for certificates of other CAs, otherwise a signed response with
    /// `thisUpdate = now`, `nextUpdate = now + 1 day` and the request's nonce echoed.
    pub fn ocsp_respond<R: CryptoRng + ?Sized>(
        &self,
        request: &[u8],
        now: UnixTime,
        rng: &mut R,
    ) -> Result<Vec<u8>, OcspError> {
        let Ok(parsed) = OcspRequest::parse(request) else {
            return ocsp::error_response(ResponseStatus::MALFORMED_REQUEST);
        };
        let Some(first) = parsed.cert_ids.first() else {
            return ocsp::error_response(ResponseStatus::MALFORMED_REQUEST);
        };
        let ca = [&self.component_ca, &self.smcb_ca]
            .into_iter()
            .find(|ca| first.is_issued_by(&ca.certificate));
        let Some(ca) = ca else {
            return ocsp::error_response(ResponseStatus::UNAUTHORIZED);
        };
        if !parsed.cert_ids.iter().all(|id| id.is_issued_by(&ca.certificate)) {
            return ocsp::error_response(ResponseStatus::UNAUTHORIZED);
        }
        let statuses: Vec<SingleStatus> = parsed
            .cert_ids
            .iter()
            .map(|id| SingleStatus {
                cert_id: id.clone(),
                status: self.status_of(&id.serial),
                this_update: now,
                next_update: Some(now.plus(DAY)),
            })
            .collect();
        let responder = self.ocsp_responder(ca);
        let response = ResponseBuilder::new(&responder.key, &responder.certificate)
            .algorithm(build::signature_algorithm(&self.options, &responder.key))
            .embed_certificate(true)
            .build(&statuses, parsed.nonce.as_deref(), now, rng);
        // What parsed but cannot be answered (a serial or nonce we cannot encode back) is malformed.
        response.or_else(|_| ocsp::error_response(ResponseStatus::MALFORMED_REQUEST))
    }

    /// The PKI as files: PEM certificates and PKCS#8 keys, `<leaf>.chain.pem` bundles, an OpenSSL
    /// `index.txt` per CA (for `openssl ocsp -index`), and `index.tsv` listing every file.
    pub fn files(&self) -> Result<Vec<(String, String)>, KeyError> {
        build::files(self)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::oid::Institution;

    fn pki() -> &'static TestPki {
        static P: OnceLock<TestPki> = OnceLock::new();
        P.get_or_init(|| {
            let options = TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::HciOsig]);
            TestPki::build(&options, &mut rand_core::UnwrapErr(getrandom::SysRng)).unwrap()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// What the builder writes into a certificate (names, Telematik-ID, type, profession, validity), the
        /// parser reads back, and the certificate verifies under its CA.
        #[test]
        fn certificate_round_trip(
            common_name in "[A-Za-z0-9 .,+=äöüß-]{1,40}",
            organization in "[A-Za-z0-9 .-]{1,40}",
            telematik_id in proptest::option::of("[0-9]-[0-9A-Za-z.-]{1,30}"),
            t in proptest::sample::select(CertType::ALL.to_vec()),
            profession in proptest::sample::select(Institution::ALL.to_vec()),
            start in 0u64..2_000_000_000,
            days in 1u64..20_000,
        ) {
            let pki = pki();
            let spec = CertSpec {
                cert_type: t,
                written_type: t,
                common_name: common_name.clone(),
                organization: organization.clone(),
                profession: profession.oid(),
                profession_item: profession.label().into(),
                telematik_id: telematik_id.clone(),
                not_before: UnixTime::from_secs(start),
                not_after: UnixTime::from_secs(start + days * DAY),
                subject_alt_names: Vec::new(),
            };
            let issued = pki.issue(&spec, &mut rand_core::UnwrapErr(getrandom::SysRng)).unwrap();
            let cert = Certificate::from_der(issued.certificate.der()).unwrap();
            prop_assert_eq!(cert.common_name(), Some(common_name));
            prop_assert_eq!(cert.subject().organization().unwrap().map(|o| o.value().into_owned()), Some(organization));
            prop_assert_eq!(cert.telematik_id().map(str::to_string), telematik_id);
            prop_assert_eq!(cert.cert_types(), vec![t]);
            prop_assert_eq!(cert.institutions(), vec![profession]);
            prop_assert_eq!(cert.not_before(), spec.not_before);
            prop_assert_eq!(cert.not_after(), spec.not_after);
            let issuer = &pki.issuer_of(t).certificate;
            prop_assert_eq!(cert.verify_signed_by(issuer, &crate::RUST_CRYPTO), Ok(()));
        }
    }
}
