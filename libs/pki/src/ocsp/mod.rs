//! OCSP (RFC 6960), sans I/O: build a request for a certificate, then verify the responder's answer.
//!
//! The caller does the HTTP (`POST` with `Content-Type: application/ocsp-request`); this module turns bytes
//! into a verdict. A response is accepted only if it is signed by the issuing CA itself, by a responder the
//! CA delegated (`id-kp-OCSPSigning`, RFC 6960 §4.2.2.2), or by a responder configured as trusted (the TI's
//! TSL lists OCSP signer certificates); if it answers for exactly the certificate asked about; if it is
//! fresh at `now`; and if it echoes the request's nonce.
//!
//! [`ResponseBuilder`] makes signed responses (the test PKI's responder uses it).

mod asn1;

use core::fmt;

use der::asn1::{AnyRef, BitStringRef, Null, OctetString};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;

use crate::crypto::{CryptoProvider, SHA1, SHA256};
use crate::error::OcspError;
use crate::key::PrivateKey;
use crate::oid::{KP_OCSP_SIGNING, OCSP_BASIC, OCSP_NONCE};
use crate::{Certificate, SignatureAlgorithm, UnixTime};

/// Largest OCSP message accepted, in bytes.
pub const MAX_MESSAGE_LEN: usize = 64 * 1024;
/// Most single responses or requests accepted in one message.
pub const MAX_ENTRIES: usize = 64;
/// Most certificates embedded in one response.
pub const MAX_RESPONSE_CERTS: usize = 4;

/// `OCSPResponseStatus` (RFC 6960 §4.2.1): an open set, so unknown values round-trip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResponseStatus(pub u8);

impl ResponseStatus {
    /// `successful`
    pub const SUCCESSFUL: Self = Self(0);
    /// `malformedRequest`
    pub const MALFORMED_REQUEST: Self = Self(1);
    /// `internalError`
    pub const INTERNAL_ERROR: Self = Self(2);
    /// `tryLater`
    pub const TRY_LATER: Self = Self(3);
    /// `sigRequired`
    pub const SIG_REQUIRED: Self = Self(5);
    /// `unauthorized`
    pub const UNAUTHORIZED: Self = Self(6);
}

impl fmt::Display for ResponseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match *self {
            Self::SUCCESSFUL => "successful",
            Self::MALFORMED_REQUEST => "malformedRequest",
            Self::INTERNAL_ERROR => "internalError",
            Self::TRY_LATER => "tryLater",
            Self::SIG_REQUIRED => "sigRequired",
            Self::UNAUTHORIZED => "unauthorized",
            Self(other) => return write!(f, "status {other}"),
        };
        f.write_str(name)
    }
}

/// Hash algorithm of a `CertID`. SHA-1 is what OpenSSL and most responders use by default; it identifies
/// the certificate and carries no signature security here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum CertIdHash {
    /// SHA-1 (the default).
    #[default]
    Sha1,
    /// SHA-256.
    Sha256,
}

impl CertIdHash {
    fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            CertIdHash::Sha1 => sha1::Sha1::digest(data).to_vec(),
            CertIdHash::Sha256 => sha2::Sha256::digest(data).to_vec(),
        }
    }

    fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        let oid = match self {
            CertIdHash::Sha1 => SHA1,
            CertIdHash::Sha256 => SHA256,
        };
        AlgorithmIdentifierOwned {
            oid,
            parameters: Some(der::Any::from(Null)),
        }
    }

    fn from_algorithm_identifier(alg: &AlgorithmIdentifierOwned) -> Option<Self> {
        if alg.parameters.as_ref().is_some_and(|p| !p.is_null()) {
            return None;
        }
        match alg.oid {
            o if o == SHA1 => Some(CertIdHash::Sha1),
            o if o == SHA256 => Some(CertIdHash::Sha256),
            _ => None,
        }
    }
}

/// Identifies one certificate to a responder (`CertID`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CertId {
    /// Hash algorithm of the two hashes.
    pub hash: CertIdHash,
    /// Hash of the issuer's DER subject name.
    pub issuer_name_hash: Vec<u8>,
    /// Hash of the issuer's public key bits.
    pub issuer_key_hash: Vec<u8>,
    /// The certificate's serial number (DER INTEGER content).
    pub serial: Vec<u8>,
}

impl CertId {
    /// The `CertID` of `cert` issued by `issuer`.
    pub fn new(cert: &Certificate, issuer: &Certificate, hash: CertIdHash) -> Result<Self, OcspError> {
        let (issuer_name_hash, issuer_key_hash) = issuer_hashes(issuer, hash)?;
        Ok(CertId {
            hash,
            issuer_name_hash,
            issuer_key_hash,
            serial: cert.serial_number().to_vec(),
        })
    }

    /// Whether `self` names a certificate issued by `issuer` (by its name and key hashes).
    pub fn is_issued_by(&self, issuer: &Certificate) -> bool {
        issuer_hashes(issuer, self.hash).is_ok_and(|(n, k)| n == self.issuer_name_hash && k == self.issuer_key_hash)
    }

    fn to_asn1(&self) -> Result<asn1::CertId, der::Error> {
        Ok(asn1::CertId {
            hash_algorithm: self.hash.algorithm_identifier(),
            issuer_name_hash: OctetString::new(self.issuer_name_hash.clone())?,
            issuer_key_hash: OctetString::new(self.issuer_key_hash.clone())?,
            serial_number: SerialNumber::new(&self.serial)?,
        })
    }

    fn from_asn1(id: &asn1::CertId) -> Option<Self> {
        Some(CertId {
            hash: CertIdHash::from_algorithm_identifier(&id.hash_algorithm)?,
            issuer_name_hash: id.issuer_name_hash.as_bytes().to_vec(),
            issuer_key_hash: id.issuer_key_hash.as_bytes().to_vec(),
            serial: id.serial_number.as_bytes().to_vec(),
        })
    }
}

fn issuer_hashes(issuer: &Certificate, hash: CertIdHash) -> Result<(Vec<u8>, Vec<u8>), OcspError> {
    let name = issuer.subject().to_der().map_err(OcspError::Encode)?;
    let key = issuer.public_key().map_err(OcspError::Signature)?;
    Ok((hash.digest(&name), hash.digest(key.key)))
}

/// An OCSP request for one certificate, as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcspRequest {
    der: Vec<u8>,
    cert_id: CertId,
    nonce: Option<Vec<u8>>,
}

/// A request as a responder reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedRequest {
    /// The certificates asked about (unsupported hash algorithms are left out).
    pub cert_ids: Vec<CertId>,
    /// The nonce, if the request carries one.
    pub nonce: Option<Vec<u8>>,
}

impl OcspRequest {
    /// An unsigned request for `cert` (issued by `issuer`), with `nonce` (1 to 32 bytes, RFC 8954) if given.
    pub fn new(
        cert: &Certificate,
        issuer: &Certificate,
        hash: CertIdHash,
        nonce: Option<&[u8]>,
    ) -> Result<Self, OcspError> {
        if nonce.is_some_and(|n| n.is_empty() || n.len() > 32) {
            return Err(OcspError::NonceLength);
        }
        let cert_id = CertId::new(cert, issuer, hash)?;
        let extensions = nonce
            .map(nonce_extension)
            .transpose()
            .map_err(OcspError::Encode)?
            .map(|e| vec![e]);
        let request = asn1::OcspRequest {
            tbs_request: asn1::TbsRequest {
                version: 0,
                requestor_name: None,
                request_list: vec![asn1::Request {
                    req_cert: cert_id.to_asn1().map_err(OcspError::Encode)?,
                    single_request_extensions: None,
                }],
                request_extensions: extensions,
            },
            optional_signature: None,
        };
        let der = request.to_der().map_err(OcspError::Encode)?;
        Ok(OcspRequest {
            der,
            cert_id,
            nonce: nonce.map(<[u8]>::to_vec),
        })
    }

    /// The DER to POST.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The certificate asked about.
    pub fn cert_id(&self) -> &CertId {
        &self.cert_id
    }

    /// The nonce sent.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }

    /// Reads a request (responder side).
    pub fn parse(der: &[u8]) -> Result<ParsedRequest, OcspError> {
        if der.len() > MAX_MESSAGE_LEN {
            return Err(OcspError::TooLarge {
                len: der.len(),
                max: MAX_MESSAGE_LEN,
            });
        }
        let request = asn1::OcspRequest::from_der(der)?;
        let tbs = request.tbs_request;
        if tbs.request_list.len() > MAX_ENTRIES {
            return Err(OcspError::TooMany {
                what: "requests",
                max: MAX_ENTRIES,
            });
        }
        let cert_ids = tbs
            .request_list
            .iter()
            .filter_map(|r| CertId::from_asn1(&r.req_cert))
            .collect();
        let nonce = find_nonce(tbs.request_extensions.as_deref())?;
        // RFC 8954 §2.1: responders reject nonces longer than 32 octets.
        if nonce.as_ref().is_some_and(|n| n.is_empty() || n.len() > 32) {
            return Err(OcspError::NonceLength);
        }
        Ok(ParsedRequest { cert_ids, nonce })
    }
}

fn nonce_extension(nonce: &[u8]) -> Result<Extension, der::Error> {
    Ok(Extension {
        extn_id: OCSP_NONCE,
        critical: false,
        extn_value: OctetString::new(OctetString::new(nonce)?.to_der()?)?,
    })
}

fn find_nonce(exts: Option<&[Extension]>) -> Result<Option<Vec<u8>>, OcspError> {
    match exts.unwrap_or_default().iter().find(|e| e.extn_id == OCSP_NONCE) {
        None => Ok(None),
        Some(e) => Ok(Some(
            OctetString::from_der(e.extn_value.as_bytes())?.into_bytes().into_vec(),
        )),
    }
}

/// The status of a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertStatus {
    /// Not revoked.
    Good,
    /// Revoked at `time`, with the CRL reason code if given.
    Revoked {
        /// When.
        time: UnixTime,
        /// `CRLReason` value (RFC 5280 §5.3.1), if given.
        reason: Option<u8>,
    },
    /// The responder does not know the certificate.
    Unknown,
}

impl CertStatus {
    fn from_asn1(status: &asn1::CertStatus) -> Self {
        match status {
            asn1::CertStatus::Good(_) => CertStatus::Good,
            asn1::CertStatus::Revoked(info) => CertStatus::Revoked {
                time: UnixTime::from(info.revocation_time),
                reason: info.revocation_reason.map(|r| r as u8),
            },
            asn1::CertStatus::Unknown(_) => CertStatus::Unknown,
        }
    }
}

impl fmt::Display for CertStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertStatus::Good => f.write_str("good"),
            CertStatus::Revoked { time, .. } => write!(f, "revoked at {time}"),
            CertStatus::Unknown => f.write_str("unknown"),
        }
    }
}

/// Who signed a verified response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signer {
    /// The issuing CA itself.
    Issuer,
    /// A responder certificate embedded in the response, issued by the CA with `id-kp-OCSPSigning`.
    Delegated,
    /// One of the configured trusted responders (index into the slice given).
    Configured(usize),
}

/// A verified answer for the certificate asked about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcspVerdict {
    /// The certificate's status.
    pub status: CertStatus,
    /// `thisUpdate`
    pub this_update: UnixTime,
    /// `nextUpdate`, if given.
    pub next_update: Option<UnixTime>,
    /// `producedAt`
    pub produced_at: UnixTime,
    /// Who signed.
    pub signer: Signer,
}

/// Freshness rules for responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponsePolicy {
    /// Tolerated clock difference to the responder, in seconds.
    pub clock_skew: u64,
    /// Maximum age of `thisUpdate` for responses without `nextUpdate`, in seconds.
    pub max_age_without_next_update: u64,
    /// Refuse responses that do not echo a nonce that was sent (RFC 8954). When off, a missing nonce is
    /// accepted but a different one is still refused.
    pub require_nonce: bool,
}

impl Default for ResponsePolicy {
    /// 5 minutes of skew, 24 hours maximum age without `nextUpdate`, nonce required when sent.
    fn default() -> Self {
        ResponsePolicy {
            clock_skew: 300,
            max_age_without_next_update: 24 * 3600,
            require_nonce: true,
        }
    }
}

/// Verifies `response` to `request` about a certificate issued by `issuer`, at `now`.
///
/// `trusted_responders` are responder certificates trusted directly (from the TSL); their own validity at
/// `now` is checked, their issuance is the caller's configuration.
pub fn verify_response(
    response: &[u8],
    request: &OcspRequest,
    issuer: &Certificate,
    trusted_responders: &[Certificate],
    now: UnixTime,
    policy: &ResponsePolicy,
    provider: &dyn CryptoProvider,
) -> Result<OcspVerdict, OcspError> {
    // The caller's request must be about a certificate of `issuer`, or a response authorized by `issuer`
    // would settle another CA's certificate.
    if !request.cert_id.is_issued_by(issuer) {
        return Err(OcspError::IssuerMismatch);
    }
    let parsed = OcspResponse::parse(response)?;
    let basic = parsed.basic.ok_or(OcspError::Status(parsed.status))?;
    let data = &basic.data;

    // Who signed, and is it allowed to?
    let signer = authorize(&basic, issuer, trusted_responders, now, provider)?;
    refuse_unknown_critical(data.response_extensions.as_deref())?;

    // The answer for the certificate asked about.
    let single = data
        .responses
        .iter()
        .find(|r| CertId::from_asn1(&r.cert_id).as_ref() == Some(&request.cert_id))
        .ok_or(OcspError::NoMatchingResponse)?;
    refuse_unknown_critical(single.single_extensions.as_deref())?;
    let this_update = UnixTime::from(single.this_update);
    let next_update = single.next_update.map(UnixTime::from);
    let produced_at = UnixTime::from(data.produced_at);
    if this_update > now.plus(policy.clock_skew) {
        return Err(OcspError::NotYetValid(this_update));
    }
    if produced_at > now.plus(policy.clock_skew) {
        return Err(OcspError::NotYetValid(produced_at));
    }
    if next_update.is_some_and(|next| next < this_update) {
        return Err(OcspError::InconsistentTimes);
    }
    let fresh = match next_update {
        Some(next) => now <= next.plus(policy.clock_skew),
        None => now <= this_update.plus(policy.max_age_without_next_update),
    };
    if !fresh {
        return Err(OcspError::Stale { this_update });
    }

    // The nonce, if one was sent.
    let echoed = find_nonce(data.response_extensions.as_deref())?;
    match (request.nonce(), echoed.as_deref()) {
        (Some(sent), Some(got)) if sent != got => return Err(OcspError::Nonce),
        (Some(_), None) if policy.require_nonce => return Err(OcspError::Nonce),
        _ => {}
    }

    let status = CertStatus::from_asn1(&single.cert_status);
    Ok(OcspVerdict {
        status,
        this_update,
        next_update,
        produced_at,
        signer,
    })
}

fn responder_id_matches(id: &asn1::ResponderId, cert: &Certificate) -> bool {
    match id {
        asn1::ResponderId::ByName(name) => name == cert.subject(),
        asn1::ResponderId::ByKey(hash) => {
            use sha1::Digest;
            cert.public_key()
                .is_ok_and(|k| sha1::Sha1::digest(k.key).as_slice() == hash.as_bytes())
        }
    }
}

fn authorize(
    basic: &BasicResponse,
    issuer: &Certificate,
    trusted: &[Certificate],
    now: UnixTime,
    provider: &dyn CryptoProvider,
) -> Result<Signer, OcspError> {
    let id = &basic.data.responder_id;
    let check = |cert: &Certificate| {
        let key = cert.public_key().map_err(OcspError::Signature)?;
        provider
            .verify(basic.signature_algorithm, key, &basic.tbs, &basic.signature)
            .map_err(OcspError::Signature)
    };
    if responder_id_matches(id, issuer) {
        check(issuer)?;
        return Ok(Signer::Issuer);
    }
    // Every candidate is tried (a renewed signer may share its predecessor's name); the error of the last
    // one that matched the responder ID is reported when none verifies.
    let mut last_error = None;
    for (i, responder) in trusted.iter().enumerate().filter(|(_, c)| responder_id_matches(id, c)) {
        match responder_usable(responder, now).and_then(|()| check(responder)) {
            Ok(()) => return Ok(Signer::Configured(i)),
            Err(e) => last_error = Some(e),
        }
    }
    for responder in basic.certs.iter().filter(|c| responder_id_matches(id, c)) {
        // RFC 6960 §4.2.2.2: issued by the CA that issued the certificate in question, with id-kp-OCSPSigning.
        let delegated = responder.issuer() == issuer.subject()
            && responder
                .extended_key_usage()
                .is_some_and(|e| e.contains(&KP_OCSP_SIGNING))
            && responder.verify_signed_by(issuer, provider).is_ok();
        if !delegated {
            continue;
        }
        match responder_usable(responder, now).and_then(|()| check(responder)) {
            Ok(()) => return Ok(Signer::Delegated),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or(OcspError::UnauthorizedResponder))
}

/// A responder certificate may sign now: valid, no unknown critical extension, digitalSignature if it
/// restricts its key usage.
fn responder_usable(cert: &Certificate, now: UnixTime) -> Result<(), OcspError> {
    if !cert.is_valid_at(now) {
        return Err(OcspError::ResponderExpired);
    }
    if let Some(oid) = cert.unknown_critical_extensions().first() {
        return Err(OcspError::UnknownCriticalExtension(*oid));
    }
    if cert.key_usage().is_some() && !cert.has_key_usage(x509_cert::ext::pkix::KeyUsages::DigitalSignature) {
        return Err(OcspError::UnauthorizedResponder);
    }
    Ok(())
}

/// RFC 6960 §4.4: extensions are ignored unless critical; the only one understood here is the nonce.
fn refuse_unknown_critical(exts: Option<&[Extension]>) -> Result<(), OcspError> {
    match exts
        .unwrap_or_default()
        .iter()
        .find(|e| e.critical && e.extn_id != OCSP_NONCE)
    {
        Some(e) => Err(OcspError::UnknownCriticalExtension(e.extn_id)),
        None => Ok(()),
    }
}

/// A parsed (not yet verified) OCSP response.
#[derive(Clone, Debug)]
pub struct OcspResponse {
    /// The response status.
    pub status: ResponseStatus,
    basic: Option<BasicResponse>,
}

#[derive(Clone, Debug)]
struct BasicResponse {
    tbs: Vec<u8>,
    data: asn1::ResponseData,
    signature_algorithm: SignatureAlgorithm,
    signature: Vec<u8>,
    certs: Vec<Certificate>,
}

impl OcspResponse {
    /// Parses an `OCSPResponse` and, when successful, its `BasicOCSPResponse` (structure only: nothing
    /// is verified here).
    pub fn parse(der: &[u8]) -> Result<Self, OcspError> {
        if der.len() > MAX_MESSAGE_LEN {
            return Err(OcspError::TooLarge {
                len: der.len(),
                max: MAX_MESSAGE_LEN,
            });
        }
        let outer = asn1::OcspResponse::from_der(der)?;
        let status = outer.response_status;
        let bytes = match (status, outer.response_bytes) {
            (ResponseStatus::SUCCESSFUL, Some(bytes)) => bytes,
            (ResponseStatus::SUCCESSFUL, None) => return Err(OcspError::MissingResponseBytes),
            (_, _) => return Ok(OcspResponse { status, basic: None }),
        };
        if bytes.response_type != OCSP_BASIC {
            return Err(OcspError::ResponseType(bytes.response_type));
        }
        let basic = asn1::BasicOcspResponse::from_der(bytes.response.as_bytes())?;
        let tbs = basic.tbs_response_data.to_der()?;
        let data = asn1::ResponseData::from_der(&tbs)?;
        if data.version != 0 {
            return Err(OcspError::Version(data.version));
        }
        if data.responses.len() > MAX_ENTRIES {
            return Err(OcspError::TooMany {
                what: "single responses",
                max: MAX_ENTRIES,
            });
        }
        let embedded = basic.certs.unwrap_or_default();
        if embedded.len() > MAX_RESPONSE_CERTS {
            return Err(OcspError::TooMany {
                what: "embedded certificates",
                max: MAX_RESPONSE_CERTS,
            });
        }
        // Responders may embed their whole chain; a certificate we cannot read can never be the delegated
        // signer, so it is left out rather than failing a response the issuer itself may have signed.
        let certs = embedded
            .iter()
            .filter_map(|c| Certificate::from_der(&c.to_der().ok()?).ok())
            .collect();
        let signature_algorithm =
            SignatureAlgorithm::from_algorithm_identifier(&basic.signature_algorithm).map_err(OcspError::Signature)?;
        let signature = basic
            .signature
            .as_bytes()
            .ok_or(der::Error::from(der::ErrorKind::Failed))?
            .to_vec();
        Ok(OcspResponse {
            status,
            basic: Some(BasicResponse {
                tbs,
                data,
                signature_algorithm,
                signature,
                certs,
            }),
        })
    }

    /// The single responses' certificate IDs and statuses (unverified).
    pub fn statuses(&self) -> Vec<(CertId, CertStatus)> {
        let Some(basic) = &self.basic else { return Vec::new() };
        basic
            .data
            .responses
            .iter()
            .filter_map(|r| Some((CertId::from_asn1(&r.cert_id)?, CertStatus::from_asn1(&r.cert_status))))
            .collect()
    }

    /// Certificates embedded in the response.
    pub fn certificates(&self) -> &[Certificate] {
        self.basic.as_ref().map(|b| b.certs.as_slice()).unwrap_or_default()
    }
}

/// One answer a responder gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingleStatus {
    /// The certificate.
    pub cert_id: CertId,
    /// Its status.
    pub status: CertStatus,
    /// `thisUpdate`
    pub this_update: UnixTime,
    /// `nextUpdate`
    pub next_update: Option<UnixTime>,
}

/// Makes signed `BasicOCSPResponse`s.
#[derive(Clone, Debug)]
pub struct ResponseBuilder<'a> {
    key: &'a PrivateKey,
    cert: &'a Certificate,
    algorithm: SignatureAlgorithm,
    embed_cert: bool,
    by_key: bool,
    extensions: Vec<Extension>,
}

impl<'a> ResponseBuilder<'a> {
    /// Signs with `key`, whose certificate is `cert` (the CA itself or a delegated responder), with the
    /// key's default algorithm, responder ID by name, no embedded certificate.
    pub fn new(key: &'a PrivateKey, cert: &'a Certificate) -> Self {
        ResponseBuilder {
            key,
            cert,
            algorithm: key.default_signature_algorithm(),
            embed_cert: false,
            by_key: false,
            extensions: Vec::new(),
        }
    }

    /// Signs with `algorithm` (e.g. RSASSA-PSS).
    pub fn algorithm(mut self, algorithm: SignatureAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Embeds the responder certificate (needed for delegated responders).
    pub fn embed_certificate(mut self, embed: bool) -> Self {
        self.embed_cert = embed;
        self
    }

    /// Names the responder by key hash instead of by name.
    pub fn responder_id_by_key(mut self, by_key: bool) -> Self {
        self.by_key = by_key;
        self
    }

    /// Adds a response extension (besides the nonce).
    pub fn extension(mut self, extension: Extension) -> Self {
        self.extensions.push(extension);
        self
    }

    /// A successful response with `statuses`, echoing `nonce`.
    pub fn build<R: rand_core::CryptoRng + ?Sized>(
        &self,
        statuses: &[SingleStatus],
        nonce: Option<&[u8]>,
        produced_at: UnixTime,
        rng: &mut R,
    ) -> Result<Vec<u8>, OcspError> {
        let responder_id = if self.by_key {
            use sha1::Digest;
            let key = self.cert.public_key().map_err(OcspError::Signature)?;
            asn1::ResponderId::ByKey(OctetString::new(sha1::Sha1::digest(key.key).to_vec())?)
        } else {
            asn1::ResponderId::ByName(self.cert.subject().clone())
        };
        let responses = statuses
            .iter()
            .map(|s| {
                Ok(asn1::SingleResponse {
                    cert_id: s.cert_id.to_asn1()?,
                    cert_status: match s.status {
                        CertStatus::Good => asn1::CertStatus::Good(Null),
                        CertStatus::Revoked { time, reason } => asn1::CertStatus::Revoked(asn1::RevokedInfo {
                            revocation_time: time.to_generalized_time()?,
                            revocation_reason: reason.map(crl_reason).transpose()?,
                        }),
                        CertStatus::Unknown => asn1::CertStatus::Unknown(Null),
                    },
                    this_update: s.this_update.to_generalized_time()?,
                    next_update: s.next_update.map(UnixTime::to_generalized_time).transpose()?,
                    single_extensions: None,
                })
            })
            .collect::<Result<Vec<_>, der::Error>>()?;
        let data = asn1::ResponseData {
            version: 0,
            responder_id,
            produced_at: produced_at.to_generalized_time()?,
            responses,
            response_extensions: {
                let mut exts: Vec<Extension> = nonce.map(nonce_extension).transpose()?.into_iter().collect();
                exts.extend(self.extensions.iter().cloned());
                (!exts.is_empty()).then_some(exts)
            },
        };
        let tbs = data.to_der()?;
        let signature = self
            .key
            .sign(self.algorithm, &tbs, rng)
            .map_err(|_| OcspError::Encode(der::ErrorKind::Failed.into()))?;
        let alg_der = self
            .algorithm
            .algorithm_identifier_der()
            .map_err(OcspError::Signature)?;
        let cert_der = self.cert.der();
        let certs = if self.embed_cert {
            Some(vec![AnyRef::from_der(cert_der)?])
        } else {
            None
        };
        let basic = asn1::BasicOcspResponse {
            tbs_response_data: AnyRef::from_der(&tbs)?,
            signature_algorithm: spki::AlgorithmIdentifierRef::from_der(&alg_der)?,
            signature: BitStringRef::from_bytes(&signature)?,
            certs,
        };
        let outer = asn1::OcspResponse {
            response_status: ResponseStatus::SUCCESSFUL,
            response_bytes: Some(asn1::ResponseBytes {
                response_type: OCSP_BASIC,
                response: OctetString::new(basic.to_der()?)?,
            }),
        };
        Ok(outer.to_der()?)
    }
}

/// An unsuccessful response (`malformedRequest`, `unauthorized`, …): status only.
pub fn error_response(status: ResponseStatus) -> Result<Vec<u8>, OcspError> {
    Ok(asn1::OcspResponse {
        response_status: status,
        response_bytes: None,
    }
    .to_der()?)
}

fn crl_reason(code: u8) -> Result<x509_cert::ext::pkix::crl::CrlReason, der::Error> {
    use x509_cert::ext::pkix::crl::CrlReason as R;
    Ok(match code {
        0 => R::Unspecified,
        1 => R::KeyCompromise,
        2 => R::CaCompromise,
        3 => R::AffiliationChanged,
        4 => R::Superseded,
        5 => R::CessationOfOperation,
        6 => R::CertificateHold,
        8 => R::RemoveFromCRL,
        9 => R::PrivilegeWithdrawn,
        10 => R::AaCompromise,
        _ => {
            return Err(der::ErrorKind::Value {
                tag: der::Tag::Enumerated,
            }
            .into());
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::testpki::{TestPki, TestPkiOptions};
    use crate::{CertType, KeyAlgorithm};

    fn pki() -> &'static TestPki {
        static P: OnceLock<TestPki> = OnceLock::new();
        P.get_or_init(|| {
            let options = TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::NkVpn]);
            TestPki::build(&options, &mut rand_core::UnwrapErr(getrandom::SysRng)).unwrap()
        })
    }

    fn arb_cert_id() -> impl Strategy<Value = CertId> {
        (
            prop_oneof![Just(CertIdHash::Sha1), Just(CertIdHash::Sha256)],
            proptest::collection::vec(any::<u8>(), 1..40),
            proptest::collection::vec(any::<u8>(), 1..40),
            // A positive serial without redundant leading zero, 1 to 20 octets (RFC 5280 §4.1.2.2).
            (1u8..=0x7f, proptest::collection::vec(any::<u8>(), 0..19)),
        )
            .prop_map(|(hash, name, key, (first, rest))| {
                let mut serial = vec![first];
                serial.extend(rest);
                CertId {
                    hash,
                    issuer_name_hash: name,
                    issuer_key_hash: key,
                    serial,
                }
            })
    }

    fn arb_status() -> impl Strategy<Value = CertStatus> {
        prop_oneof![
            Just(CertStatus::Good),
            Just(CertStatus::Unknown),
            (
                0u64..4_000_000_000,
                proptest::option::of(prop_oneof![0u8..=6, 8u8..=10])
            )
                .prop_map(|(t, reason)| CertStatus::Revoked {
                    time: UnixTime::from_secs(t),
                    reason
                }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// What the builder encodes, the parser reads back: IDs, statuses, times, nonce.
        #[test]
        fn response_round_trip(
            entries in proptest::collection::vec((arb_cert_id(), arb_status(), 0u64..4_000_000_000, proptest::option::of(0u64..100_000)), 1..5),
            nonce in proptest::option::of(proptest::collection::vec(any::<u8>(), 1..33)),
            by_key in any::<bool>(),
            embed in any::<bool>(),
        ) {
            let responder = pki().ocsp_responder(pki().component_ca());
            let statuses: Vec<SingleStatus> = entries
                .iter()
                .map(|(id, status, this, next)| SingleStatus {
                    cert_id: id.clone(),
                    status: *status,
                    this_update: UnixTime::from_secs(*this),
                    next_update: next.map(|n| UnixTime::from_secs(this + n)),
                })
                .collect();
            let der = ResponseBuilder::new(&responder.key, &responder.certificate)
                .responder_id_by_key(by_key)
                .embed_certificate(embed)
                .build(&statuses, nonce.as_deref(), UnixTime::from_secs(1), &mut rand_core::UnwrapErr(getrandom::SysRng))
                .unwrap();
            let parsed = OcspResponse::parse(&der).unwrap();
            prop_assert_eq!(parsed.status, ResponseStatus::SUCCESSFUL);
            let expected: Vec<(CertId, CertStatus)> = statuses.iter().map(|s| (s.cert_id.clone(), s.status)).collect();
            prop_assert_eq!(parsed.statuses(), expected);
            prop_assert_eq!(parsed.certificates().len(), usize::from(embed));
            let basic = parsed.basic.unwrap();
            prop_assert_eq!(find_nonce(basic.data.response_extensions.as_deref()).unwrap(), nonce);
            for (single, s) in basic.data.responses.iter().zip(&statuses) {
                prop_assert_eq!(UnixTime::from(single.this_update), s.this_update);
                prop_assert_eq!(single.next_update.map(UnixTime::from), s.next_update);
            }
        }

        /// Requests: the certificate ID and nonce survive encoding.
        #[test]
        fn request_round_trip(nonce in proptest::option::of(proptest::collection::vec(any::<u8>(), 1..33)), sha256 in any::<bool>()) {
            let pki = pki();
            let hash = if sha256 { CertIdHash::Sha256 } else { CertIdHash::Sha1 };
            let req = OcspRequest::new(&pki.leaf(CertType::NkVpn).certificate, &pki.component_ca().certificate, hash, nonce.as_deref()).unwrap();
            let parsed = OcspRequest::parse(req.der()).unwrap();
            prop_assert_eq!(parsed.cert_ids, vec![req.cert_id().clone()]);
            prop_assert_eq!(parsed.nonce, nonce);
        }

        /// RFC 8954 §2.1: nonces of more than 32 octets are refused, and the responder answers
        /// malformedRequest.
        #[test]
        fn oversized_nonces_are_malformed_requests(len in 33usize..200) {
            let pki = pki();
            let id = CertId::new(&pki.leaf(CertType::NkVpn).certificate, &pki.component_ca().certificate, CertIdHash::Sha1).unwrap();
            let request = asn1::OcspRequest {
                tbs_request: asn1::TbsRequest {
                    version: 0,
                    requestor_name: None,
                    request_list: vec![asn1::Request { req_cert: id.to_asn1().unwrap(), single_request_extensions: None }],
                    request_extensions: Some(vec![nonce_extension(&vec![7u8; len]).unwrap()]),
                },
                optional_signature: None,
            };
            let der = request.to_der().unwrap();
            prop_assert_eq!(OcspRequest::parse(&der).unwrap_err(), OcspError::NonceLength);
            let answer = pki.ocsp_respond(&der, pki.now(), &mut rand_core::UnwrapErr(getrandom::SysRng)).unwrap();
            prop_assert_eq!(OcspResponse::parse(&answer).unwrap().status, ResponseStatus::MALFORMED_REQUEST);
        }

        /// Error statuses, named or not, round-trip.
        #[test]
        fn error_status_round_trip(status in 1u8..=255) {
            let der = error_response(ResponseStatus(status)).unwrap();
            prop_assert_eq!(OcspResponse::parse(&der).unwrap().status, ResponseStatus(status));
        }
    }
}
