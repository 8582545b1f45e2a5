//! Certificate path validation (RFC 5280 §6, the parts the TI uses) against configured trust anchors.
//!
//! The path is built from the end-entity upwards: each certificate's issuer is looked up by name (and key
//! identifier, where both carry one) first among the trust anchors, then among the supplied certificates,
//! so the supplied chain may be in any order and may include the anchor. Then every rule is checked:
//! each link's signature, validity at `now`, CA basic constraints, path length, key usage `keyCertSign` of
//! issuers, unknown critical extensions, and for the end-entity the policy's certificate type
//! ([`CertType`]), profession/role OID, key usage and extended key usage.
//!
//! In the TI the trust anchors come from the TSL and are usually the issuing CAs themselves (e.g.
//! `GEM.KOMP-CA50`); a root certificate works as well.

use core::ops::ControlFlow;

use der::asn1::ObjectIdentifier;
use x509_cert::ext::pkix::KeyUsages;

use crate::crypto::CryptoProvider;
use crate::error::{ParseError, PathError, TypeList};
use crate::oid::CertType;
use crate::{Certificate, UnixTime};

/// Most trust anchors read from one PEM bundle (a TSL extract holds dozens of CAs).
pub const MAX_ANCHORS: usize = 1024;

/// Longest path accepted by default (end-entity plus intermediates, not counting the anchor).
pub const DEFAULT_MAX_PATH_LEN: usize = 6;

/// Receives each checked rule: depth, certificate, rule, result; breaks to stop validation.
type Sink<'s> = dyn FnMut(usize, Option<&Certificate>, Rule, Result<(), PathError>) -> ControlFlow<()> + 's;

/// The configured trust anchors (from the TSL or the operator's trust store).
#[derive(Clone, Debug, Default)]
pub struct TrustAnchors {
    anchors: Vec<Certificate>,
}

/// What the end-entity must be, and how long a path may be.
#[derive(Clone, Debug)]
pub struct ValidationPolicy {
    expected_types: Vec<CertType>,
    expected_profession: Option<ObjectIdentifier>,
    key_usage: Vec<KeyUsages>,
    extended_key_usage: Option<ObjectIdentifier>,
    max_path_len: usize,
}

impl Default for ValidationPolicy {
    fn default() -> Self {
        ValidationPolicy {
            expected_types: Vec::new(),
            expected_profession: None,
            key_usage: Vec::new(),
            extended_key_usage: None,
            max_path_len: DEFAULT_MAX_PATH_LEN,
        }
    }
}

impl ValidationPolicy {
    /// Accepts any end-entity type; only the path is checked.
    pub fn any_type() -> Self {
        Self::default()
    }

    /// The end-entity must carry certificate type `t` in its certificate policies.
    pub fn for_type(t: CertType) -> Self {
        Self {
            expected_types: vec![t],
            ..Self::default()
        }
    }

    /// The end-entity must carry one of `types`.
    pub fn for_types(types: &[CertType]) -> Self {
        Self {
            expected_types: types.to_vec(),
            ..Self::default()
        }
    }

    /// The end-entity's Admission extension must list `oid` (a role of Tab_PKI_406 or an institution of
    /// Tab_PKI_403).
    pub fn with_profession(mut self, oid: ObjectIdentifier) -> Self {
        self.expected_profession = Some(oid);
        self
    }

    /// The end-entity's key usage extension must be present and have `usage`.
    pub fn with_key_usage(mut self, usage: KeyUsages) -> Self {
        self.key_usage.push(usage);
        self
    }

    /// The end-entity's extended key usage extension must be present and list `oid`.
    pub fn with_extended_key_usage(mut self, oid: ObjectIdentifier) -> Self {
        self.extended_key_usage = Some(oid);
        self
    }

    /// At most `len` certificates from end-entity to the anchor (exclusive); 1 means the anchor issued the
    /// end-entity directly.
    pub fn with_max_path_len(mut self, len: usize) -> Self {
        self.max_path_len = len.max(1);
        self
    }
}

/// A rule of path validation, as a report names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// The issuer was found among the anchors or supplied certificates.
    Issuer,
    /// The issuer's signature over the certificate verifies.
    Signature,
    /// `now` lies within the validity period.
    Validity,
    /// The issuer is a CA (basic constraints) and its path length constraint holds.
    CaConstraints,
    /// Key usage: `keyCertSign` for issuers, the policy's usages for the end-entity.
    KeyUsage,
    /// No unknown critical extension.
    CriticalExtensions,
    /// The end-entity's certificate type.
    CertType,
    /// The end-entity's profession/role OID.
    Profession,
    /// The end-entity's extended key usage.
    ExtendedKeyUsage,
}

impl Rule {
    /// A short name for people.
    pub const fn name(self) -> &'static str {
        match self {
            Rule::Issuer => "issuer found",
            Rule::Signature => "signature",
            Rule::Validity => "validity",
            Rule::CaConstraints => "CA constraints",
            Rule::KeyUsage => "key usage",
            Rule::CriticalExtensions => "critical extensions",
            Rule::CertType => "certificate type",
            Rule::Profession => "profession/role",
            Rule::ExtendedKeyUsage => "extended key usage",
        }
    }
}

/// One rule checked on one certificate of the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Depth: 0 is the end-entity; the anchor is one more than the last supplied certificate.
    pub depth: usize,
    /// The checked certificate's subject (RFC 4514), for people.
    pub subject: String,
    /// The rule.
    pub rule: Rule,
    /// Pass, or why not.
    pub result: Result<(), PathError>,
}

/// Every rule checked on a path, and the overall verdict (the first failure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The checks, from the end-entity upwards.
    pub checks: Vec<Check>,
    /// `Ok` when every check passed.
    pub verdict: Result<(), PathError>,
}

/// A validated path: the supplied certificates in path order and the anchor that ends it.
#[derive(Clone, Debug)]
pub struct ValidPath<'a> {
    certs: Vec<&'a Certificate>,
    anchor: &'a Certificate,
}

impl<'a> ValidPath<'a> {
    /// The end-entity certificate.
    pub fn end_entity(&self) -> &'a Certificate {
        self.certs[0]
    }

    /// The path from the end-entity up to (not including) the anchor.
    pub fn certificates(&self) -> &[&'a Certificate] {
        &self.certs
    }

    /// The trust anchor.
    pub fn anchor(&self) -> &'a Certificate {
        self.anchor
    }

    /// The certificate that issued the end-entity (needed for its OCSP request).
    pub fn end_entity_issuer(&self) -> &'a Certificate {
        self.certs.get(1).copied().unwrap_or(self.anchor)
    }
}

impl TrustAnchors {
    /// Trusts exactly these certificates.
    pub fn new(anchors: Vec<Certificate>) -> Self {
        TrustAnchors { anchors }
    }

    /// Reads a PEM bundle of anchors.
    pub fn from_pem(pem: &str) -> Result<Self, ParseError> {
        Ok(Self::new(Certificate::parse_pem_bundle_max(pem, MAX_ANCHORS)?))
    }

    /// The anchors.
    pub fn certificates(&self) -> &[Certificate] {
        &self.anchors
    }

    /// Validates `chain` (end-entity first, then any intermediates in any order; the anchor may be
    /// included) at `now`. Stops at the first failed rule.
    pub fn validate<'a>(
        &'a self,
        chain: &'a [Certificate],
        now: UnixTime,
        policy: &ValidationPolicy,
        provider: &dyn CryptoProvider,
    ) -> Result<ValidPath<'a>, PathError> {
        let mut first_error = None;
        let path = self.run(chain, now, policy, provider, &mut |_, _, _, result| match result {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                first_error = Some(e);
                ControlFlow::Break(())
            }
        });
        match (first_error, path) {
            (Some(e), _) => Err(e),
            (None, Ok(path)) => Ok(path),
            (None, Err(e)) => Err(e),
        }
    }

    /// Checks every rule on `chain` and reports each, not stopping at failures (for the CLI, the HSK check
    /// of the TI-Gateway and operators).
    pub fn report(
        &self,
        chain: &[Certificate],
        now: UnixTime,
        policy: &ValidationPolicy,
        provider: &dyn CryptoProvider,
    ) -> Report {
        let mut checks = Vec::new();
        let built = self.run(chain, now, policy, provider, &mut |depth, cert, rule, result| {
            checks.push(Check {
                depth,
                subject: cert.map(|c| c.subject().to_string()).unwrap_or_default(),
                rule,
                result,
            });
            ControlFlow::Continue(())
        });
        let verdict = match built {
            Err(e) => Err(e),
            Ok(_) => checks.iter().find_map(|c| c.result.clone().err()).map_or(Ok(()), Err),
        };
        Report { checks, verdict }
    }

    /// Builds the path and checks every rule, telling `sink` each result; stops when `sink` breaks.
    fn run<'a>(
        &'a self,
        chain: &'a [Certificate],
        now: UnixTime,
        policy: &ValidationPolicy,
        provider: &dyn CryptoProvider,
        sink: &mut Sink<'_>,
    ) -> Result<ValidPath<'a>, PathError> {
        let (certs, anchor) = match self.build(chain, policy.max_path_len, provider) {
            Ok(built) => built,
            Err((e, depth, cert)) => {
                let _ = sink(depth, cert, Rule::Issuer, Err(e.clone()));
                return Err(e);
            }
        };
        macro_rules! tell {
            ($depth:expr, $cert:expr, $rule:expr, $result:expr) => {
                if sink($depth, Some($cert), $rule, $result).is_break() {
                    return Ok(ValidPath { certs, anchor });
                }
            };
        }
        for (depth, cert) in certs.iter().enumerate() {
            let issuer = certs.get(depth + 1).copied().unwrap_or(anchor);
            tell!(depth, cert, Rule::Issuer, Ok(()));
            let sig = cert
                .verify_signed_by(issuer, provider)
                .map_err(|source| PathError::Signature { depth, source });
            tell!(depth, cert, Rule::Signature, sig);
            tell!(depth, cert, Rule::Validity, validity(cert, depth, now));
            let critical = match cert.unknown_critical_extensions().first() {
                Some(oid) => Err(PathError::UnknownCriticalExtension { depth, oid: *oid }),
                None => Ok(()),
            };
            tell!(depth, cert, Rule::CriticalExtensions, critical);
            if depth == 0 {
                tell!(depth, cert, Rule::CertType, cert_type(cert, policy));
                if let Some(oid) = policy.expected_profession {
                    let ok = cert.profession_oids().contains(&oid);
                    tell!(
                        depth,
                        cert,
                        Rule::Profession,
                        if ok { Ok(()) } else { Err(PathError::WrongRole(oid)) }
                    );
                }
                for usage in &policy.key_usage {
                    let ok = cert.has_key_usage(*usage);
                    let result = if ok {
                        Ok(())
                    } else {
                        Err(PathError::KeyUsage {
                            depth,
                            missing: crate::cert::key_usage_name(*usage),
                        })
                    };
                    tell!(depth, cert, Rule::KeyUsage, result);
                }
                if let Some(oid) = policy.extended_key_usage {
                    let ok = cert.extended_key_usage().is_some_and(|e| e.contains(&oid));
                    let result = if ok {
                        Ok(())
                    } else {
                        Err(PathError::ExtendedKeyUsage(oid))
                    };
                    tell!(depth, cert, Rule::ExtendedKeyUsage, result);
                }
            } else {
                let below = non_self_issued_intermediates(&certs[1..depth]);
                tell!(depth, cert, Rule::CaConstraints, ca_constraints(cert, depth, below));
                tell!(depth, cert, Rule::KeyUsage, issuer_key_usage(cert, depth));
            }
        }
        let depth = certs.len();
        tell!(depth, anchor, Rule::Validity, validity(anchor, depth, now));
        let below = non_self_issued_intermediates(&certs[1..]);
        tell!(depth, anchor, Rule::CaConstraints, ca_constraints(anchor, depth, below));
        Ok(ValidPath { certs, anchor })
    }

    /// Finds the path: supplied certificates in order from the end-entity, and the anchor above them. On
    /// failure: the error, and the depth and certificate it concerns.
    #[allow(clippy::type_complexity)]
    fn build<'a>(
        &'a self,
        chain: &'a [Certificate],
        max_len: usize,
        provider: &dyn CryptoProvider,
    ) -> Result<(Vec<&'a Certificate>, &'a Certificate), (PathError, usize, Option<&'a Certificate>)> {
        let leaf = chain.first().ok_or((PathError::Empty, 0, None))?;
        let mut certs = vec![leaf];
        let mut used = vec![false; chain.len()];
        used[0] = true;
        loop {
            let current = certs[certs.len() - 1];
            let anchors = self.anchors.iter().filter(|a| issued(a, current));
            if let Some(anchor) = pick(anchors, current, provider) {
                // A supplied copy of the anchor itself is not part of the path.
                if certs.len() > 1 && current.der() == anchor.der() {
                    certs.pop();
                }
                return Ok((certs, anchor));
            }
            let candidates = chain
                .iter()
                .enumerate()
                .filter(|(i, c)| !used[*i] && issued(c, current));
            let next = pick_indexed(candidates, current, provider);
            let depth = certs.len() - 1;
            match next {
                Some((i, c)) => {
                    if certs.len() == max_len {
                        return Err((PathError::TooLong { max: max_len }, depth, Some(current)));
                    }
                    used[i] = true;
                    certs.push(c);
                }
                None => return Err((PathError::NoIssuer { depth }, depth, Some(current))),
            }
        }
    }
}

/// The issuer among name-matching candidates: the only one, or when several share the name (a re-keyed CA
/// without key identifiers), the first whose key verifies `cert`'s signature, else the first.
fn pick<'a>(
    candidates: impl Iterator<Item = &'a Certificate>,
    cert: &Certificate,
    provider: &dyn CryptoProvider,
) -> Option<&'a Certificate> {
    pick_indexed(candidates.enumerate(), cert, provider).map(|(_, c)| c)
}

fn pick_indexed<'a>(
    candidates: impl Iterator<Item = (usize, &'a Certificate)>,
    cert: &Certificate,
    provider: &dyn CryptoProvider,
) -> Option<(usize, &'a Certificate)> {
    let all: Vec<(usize, &Certificate)> = candidates.collect();
    match all.as_slice() {
        [] => None,
        [one] => Some(*one),
        several => several
            .iter()
            .find(|(_, c)| cert.verify_signed_by(c, provider).is_ok())
            .or(several.first())
            .copied(),
    }
}

/// RFC 5280 §6.1.4 (l): self-issued intermediates do not count against a pathLenConstraint.
fn non_self_issued_intermediates(certs: &[&Certificate]) -> usize {
    certs.iter().filter(|c| !c.is_self_issued()).count()
}

/// Whether `issuer` may have issued `cert`: names match, and key identifiers too where both carry one.
fn issued(issuer: &Certificate, cert: &Certificate) -> bool {
    if issuer.subject() != cert.issuer() {
        return false;
    }
    match (cert.authority_key_id(), issuer.subject_key_id()) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => true,
    }
}

fn validity(cert: &Certificate, depth: usize, now: UnixTime) -> Result<(), PathError> {
    if now < cert.not_before() {
        Err(PathError::NotYetValid {
            depth,
            not_before: cert.not_before(),
        })
    } else if now > cert.not_after() {
        Err(PathError::Expired {
            depth,
            not_after: cert.not_after(),
        })
    } else {
        Ok(())
    }
}

/// A CA at `depth` has `below` non-self-issued intermediates between itself and the end-entity; its
/// pathLenConstraint bounds those (RFC 5280 §4.2.1.9, §6.1.4).
fn ca_constraints(cert: &Certificate, depth: usize, below: usize) -> Result<(), PathError> {
    match cert.basic_constraints() {
        Some(bc) if bc.ca => match bc.path_len_constraint {
            Some(max) if below > usize::from(max) => Err(PathError::PathLength { depth }),
            _ => Ok(()),
        },
        _ => Err(PathError::NotCa { depth }),
    }
}

fn issuer_key_usage(cert: &Certificate, depth: usize) -> Result<(), PathError> {
    if cert.has_key_usage(KeyUsages::KeyCertSign) {
        Ok(())
    } else {
        Err(PathError::KeyUsage {
            depth,
            missing: crate::cert::key_usage_name(KeyUsages::KeyCertSign),
        })
    }
}

fn cert_type(cert: &Certificate, policy: &ValidationPolicy) -> Result<(), PathError> {
    if policy.expected_types.is_empty() || policy.expected_types.iter().any(|t| cert.has_type(*t)) {
        Ok(())
    } else {
        Err(PathError::WrongType {
            expected: TypeList(policy.expected_types.clone()),
            found: TypeList(cert.cert_types()),
        })
    }
}
