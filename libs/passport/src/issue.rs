//! Issuing: RFC 8225 §9 canonical JSON, ES256 with deterministic ECDSA (RFC 6979).

use base64ct::{Base64UrlUnpadded, Encoding};
use tiwire_pki::{KeyAlgorithm, PrivateKey, SignatureAlgorithm};

use crate::json;
use crate::token::{Claims, Header};

/// Why a token could not be issued.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IssueError {
    /// ES256 needs a P-256 key.
    #[error("ES256 needs a P-256 key, this one is {0}")]
    NotP256(KeyAlgorithm),
    /// Signing failed.
    #[error("signing failed: {0}")]
    Sign(tiwire_pki::KeyError),
    /// The token would exceed [`crate::MAX_TOKEN_LEN`] and no verifier here would accept it.
    #[error("the token would be {0} bytes, over the limit")]
    TooLong(usize),
}

/// Issues a PASSporT: canonical header `{"alg":"ES256","typ":"passport","x5u":…}` (plus `header.extra`),
/// canonical claims, ES256 over them.
pub fn issue(header: &Header, claims: &Claims, key: &PrivateKey) -> Result<String, IssueError> {
    if key.algorithm() != KeyAlgorithm::EcP256 {
        return Err(IssueError::NotP256(key.algorithm()));
    }
    let header_b64 = Base64UrlUnpadded::encode_string(json::canonical(&header.to_json()).as_bytes());
    let claims_b64 = Base64UrlUnpadded::encode_string(json::canonical(&claims.to_json()).as_bytes());
    let signing_input = format!("{header_b64}.{claims_b64}");
    let signature = key
        .sign_deterministic(SignatureAlgorithm::EcdsaSha256Fixed, signing_input.as_bytes())
        .map_err(IssueError::Sign)?;
    let token = format!("{signing_input}.{}", Base64UrlUnpadded::encode_string(&signature));
    if token.len() > crate::MAX_TOKEN_LEN {
        return Err(IssueError::TooLong(token.len()));
    }
    Ok(token)
}
