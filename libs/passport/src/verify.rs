//! Verification, sans I/O: the caller fetches what [`Passport::certificate_url`] names (or looks it up in
//! the certificates the Registrierungs-Dienst distributes) and hands the chain to [`Passport::verify`].

use tiwire_pki::crypto::CryptoProvider;
use tiwire_pki::path::{TrustAnchors, ValidationPolicy};
use tiwire_pki::{CertType, Certificate, KeyUsages, Role, UnixTime};

use crate::error::{CertificateProblem, PassportError};
use crate::token::{Claims, Header, Passport};

/// Where certificates may be fetched from. `https` only, no user info; with host suffixes configured, the
/// host must end in one of them (at a label boundary). Checked before any fetch is requested, so a token
/// cannot make a daemon connect anywhere it likes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct X5uPolicy {
    host_suffixes: Vec<String>,
}

impl X5uPolicy {
    /// Any `https` host. Daemons should restrict the hosts with [`X5uPolicy::hosts`].
    pub fn any_https_host() -> Self {
        Self::default()
    }

    /// Only hosts equal to or under one of `suffixes` (e.g. `tim.example.de`).
    pub fn hosts(suffixes: &[&str]) -> Self {
        X5uPolicy {
            host_suffixes: suffixes
                .iter()
                .map(|s| s.trim_start_matches('.').to_ascii_lowercase())
                .collect(),
        }
    }

    /// Checks `x5u` against the policy.
    pub fn check(&self, x5u: &str) -> Result<(), PassportError> {
        let url = url::Url::parse(x5u).map_err(|_| PassportError::X5uRefused("not a URL"))?;
        if url.scheme() != "https" {
            return Err(PassportError::X5uRefused("not https"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(PassportError::X5uRefused("user info in URL"));
        }
        let Some(url::Host::Domain(host)) = url.host() else {
            return Err(PassportError::X5uRefused("host is not a domain name"));
        };
        let allowed = self.host_suffixes.is_empty()
            || self
                .host_suffixes
                .iter()
                .any(|s| host == s || host.ends_with(&format!(".{s}")));
        if allowed {
            Ok(())
        } else {
            Err(PassportError::X5uRefused("host not allowed"))
        }
    }
}

/// What a verifier accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// How far `iat` may lie in the past, in seconds.
    pub max_age: u64,
    /// How far `iat` may lie in the future (clock skew), in seconds.
    pub max_future: u64,
    /// Where the certificate may come from.
    pub x5u: X5uPolicy,
    /// Refuse tokens whose header or claims are not RFC 8225 §9 canonical.
    pub strict: bool,
}

/// Default freshness: in TI-M the invitee's PASSporT-Service mints the token, the invitee's client hands it
/// to the inviter, and only then does the inviter's client send the invite (gemSpec_TI-Messenger-FD
/// Tabelle 6): two people and two clients lie between issue and check, so minutes pass. 15 minutes
/// covers that hand-over while bounding how long a leaked token can be replayed; 60 s of clock skew.
pub const DEFAULT_MAX_AGE: u64 = 15 * 60;
/// Default tolerance for an `iat` in the future.
pub const DEFAULT_MAX_FUTURE: u64 = 60;

impl Default for VerifyPolicy {
    fn default() -> Self {
        VerifyPolicy {
            max_age: DEFAULT_MAX_AGE,
            max_future: DEFAULT_MAX_FUTURE,
            x5u: X5uPolicy::default(),
            strict: false,
        }
    }
}

/// A PASSporT whose signature verified with a trusted C.FD.SIG certificate, fresh at `now`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedPassport {
    passport: Passport,
    signer: Certificate,
}

impl VerifiedPassport {
    /// The header.
    pub fn header(&self) -> &Header {
        &self.passport.header
    }

    /// The claims.
    pub fn claims(&self) -> &Claims {
        &self.passport.claims
    }

    /// The signer's certificate.
    pub fn signer(&self) -> &Certificate {
        &self.signer
    }

    /// The signing input (the key for replay caches, see [`Passport::signing_input`]).
    pub fn signing_input(&self) -> &str {
        self.passport.signing_input()
    }
}

/// A PASSporT signer whose chain was validated once: a C.FD.SIG with role `oid_tim` and digitalSignature,
/// on P-256, leading to a trust anchor. Proxies keep these per x5u (the Registrierungs-Dienst distributes
/// the certificates) so each token costs one ES256 verification. Signatures, constraints and roles do not
/// change with time, so validity at any instant is the intersection of the path's validity windows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedSigner {
    certificate: Certificate,
    not_before: UnixTime,
    not_after: UnixTime,
}

impl TrustedSigner {
    /// Validates `chain` (end-entity first) against `anchors` at `now`.
    pub fn validate(
        chain: &[Certificate],
        anchors: &TrustAnchors,
        now: UnixTime,
        provider: &dyn CryptoProvider,
    ) -> Result<Self, CertificateProblem> {
        let rules = ValidationPolicy::for_type(CertType::FdSig)
            .with_profession(Role::Tim.oid())
            .with_key_usage(KeyUsages::DigitalSignature);
        let path = anchors
            .validate(chain, now, &rules, provider)
            .map_err(CertificateProblem::Path)?;
        let certificate = path.end_entity().clone();
        if certificate.public_key().map(|k| k.algorithm) != Ok(tiwire_pki::KeyAlgorithm::EcP256) {
            return Err(CertificateProblem::NotP256);
        }
        let all = path
            .certificates()
            .iter()
            .copied()
            .chain(core::iter::once(path.anchor()));
        let (mut not_before, mut not_after) = (UnixTime::from_secs(0), UnixTime::from_secs(u64::MAX));
        for c in all {
            not_before = not_before.max(c.not_before());
            not_after = not_after.min(c.not_after());
        }
        Ok(TrustedSigner {
            certificate,
            not_before,
            not_after,
        })
    }

    /// The signer's certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    fn valid_at(&self, t: UnixTime) -> bool {
        self.not_before <= t && t <= self.not_after
    }
}

impl Passport {
    /// The certificate URL the caller must resolve, once it passed the x5u policy.
    pub fn certificate_url(&self, policy: &X5uPolicy) -> Result<&str, PassportError> {
        policy.check(&self.header.x5u)?;
        Ok(&self.header.x5u)
    }

    /// Verifies the token with the signer chain the caller resolved for [`Passport::certificate_url`]
    /// (end-entity first): [`TrustedSigner::validate`] at `now`, then [`Passport::verify_with`].
    pub fn verify(
        self,
        chain: &[Certificate],
        anchors: &TrustAnchors,
        now: UnixTime,
        policy: &VerifyPolicy,
        provider: &dyn CryptoProvider,
    ) -> Result<VerifiedPassport, PassportError> {
        policy.x5u.check(&self.header.x5u)?;
        let signer = TrustedSigner::validate(chain, anchors, now, provider)?;
        self.verify_with(&signer, now, policy, provider)
    }

    /// Verifies the token with an already validated signer: x5u policy, canonical form (strict mode), `iat`
    /// window, the signer's path valid at `now` and at `iat`, and the ES256 signature over the received
    /// signing input.
    pub fn verify_with(
        self,
        signer: &TrustedSigner,
        now: UnixTime,
        policy: &VerifyPolicy,
        provider: &dyn CryptoProvider,
    ) -> Result<VerifiedPassport, PassportError> {
        policy.x5u.check(&self.header.x5u)?;
        if policy.strict {
            self.is_canonical()?;
        }
        let (iat, t) = (self.claims.iat, now.as_secs());
        if iat < t.saturating_sub(policy.max_age) {
            return Err(PassportError::Stale {
                iat,
                now: t,
                max_age: policy.max_age,
            });
        }
        if iat > t.saturating_add(policy.max_future) {
            return Err(PassportError::Future {
                iat,
                now: t,
                max_future: policy.max_future,
            });
        }
        if !signer.valid_at(now) {
            return Err(CertificateProblem::Expired.into());
        }
        if !signer.valid_at(UnixTime::from_secs(iat)) {
            return Err(CertificateProblem::NotValidAtIssue.into());
        }
        let key = signer
            .certificate
            .public_key()
            .map_err(|_| CertificateProblem::NotP256)?;
        self.jws.verify_es256(key, provider)?;
        Ok(VerifiedPassport {
            passport: self,
            signer: signer.certificate.clone(),
        })
    }
}
