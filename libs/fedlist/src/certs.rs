//! The PASSporT signing certificates the VZD publishes (`GET /PASSporTCertificates`,
//! `I_VZD_TIM_Provider_Services` 1.0.2: `{"passportSigningCertificates":["<PEM>",…]}`), which the
//! Registrierungs-Dienst stores and hands to its Messenger-Proxies (gemSpec_TI-Messenger-FD §5.2.2).

use serde::{Deserialize, Serialize};
use tiwire_pki::Certificate;

use crate::error::Malformed;

/// Most certificates accepted in one answer.
pub const MAX_PASSPORT_CERTIFICATES: usize = 16;
/// Largest answer accepted, bytes.
pub const MAX_PASSPORT_CERTIFICATES_LEN: usize = 256 * 1024;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    passport_signing_certificates: Vec<String>,
}

/// Reads the JSON answer: every entry must be one PEM certificate. Trust is checked where the certificates
/// are used (tiwire-passport validates the signer path for each token's x5u).
pub fn parse_passport_certificates(json: &[u8]) -> Result<Vec<Certificate>, Malformed> {
    if json.len() > MAX_PASSPORT_CERTIFICATES_LEN {
        return Err(Malformed::TooBig {
            len: json.len(),
            max: MAX_PASSPORT_CERTIFICATES_LEN,
        });
    }
    let doc: Document = serde_json::from_slice(json).map_err(|e| Malformed::Schema {
        line: e.line(),
        column: e.column(),
    })?;
    if doc.passport_signing_certificates.len() > MAX_PASSPORT_CERTIFICATES {
        return Err(Malformed::TooManyDomains {
            max: MAX_PASSPORT_CERTIFICATES,
        });
    }
    doc.passport_signing_certificates
        .iter()
        .enumerate()
        .map(|(index, pem)| Certificate::from_pem(pem).map_err(|_| Malformed::X5c { index }))
        .collect()
}

/// Writes the JSON answer.
pub fn passport_certificates_json(certificates: &[Certificate]) -> Vec<u8> {
    let doc = Document {
        passport_signing_certificates: certificates.iter().map(Certificate::to_pem).collect(),
    };
    serde_json::to_vec(&doc).unwrap_or_default()
}
