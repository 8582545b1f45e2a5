//! The VZD-FHIR-Directory client: OAuth2 client credentials (RFC 6749 §4.4, `I_VZD_TI_Provider_Authenticate`),
//! `GET …/FederationList/federationList.jws?version=N&sigAlg=…` (200 with the list, 204 unchanged) and the
//! PASSporT certificates (`I_VZD_TIM_Provider_Services` 1.0.2).

use std::time::{Duration, Instant};

use base64ct::{Base64, Encoding};
use bytes::Bytes;
use hyper::Method;
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::client::{ClientError, HttpsClient};
use crate::config::VzdConfig;

/// Largest token answer read.
const MAX_TOKEN_ANSWER: usize = 64 * 1024;
/// Renew a token this long before it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(30);

/// Why a VZD request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VzdError {
    /// The request did not complete.
    #[error("{0}")]
    Client(#[from] ClientError),
    /// The token endpoint refused us or answered nonsense.
    #[error("token endpoint: {0}")]
    Token(&'static str),
    /// An answer with an unexpected status.
    #[error("{what}: HTTP {status}")]
    Status {
        /// Which request.
        what: &'static str,
        /// The status code.
        status: u16,
    },
}

/// The list request's outcome.
#[derive(Debug)]
pub enum ListFetch {
    /// A list (not yet verified).
    Document(Bytes),
    /// 204: the version we hold is current.
    Unchanged,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    token_type: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// A VZD client with a cached access token.
pub struct Vzd {
    client: HttpsClient,
    config: VzdConfig,
    secret: String,
    token: Mutex<Option<(String, Instant)>>,
    max_list: usize,
}

/// `application/x-www-form-urlencoded` for the client credentials (RFC 6749 §2.3.1 asks for it before the
/// Basic encoding).
fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl Vzd {
    /// A client for `config`, authenticating with `secret`; lists up to `max_list` bytes are read.
    pub fn new(client: HttpsClient, config: VzdConfig, secret: String, max_list: usize) -> Self {
        Vzd {
            client,
            config,
            secret,
            token: Mutex::new(None),
            max_list,
        }
    }

    async fn token(&self, renew: bool) -> Result<String, VzdError> {
        let mut cached = self.token.lock().await;
        if let Some((token, until)) = cached.as_ref()
            && !renew
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let url = url::Url::parse(&self.config.token_url).map_err(|_| ClientError::Url)?;
        let basic = Base64::encode_string(
            format!("{}:{}", form_encode(&self.config.client_id), form_encode(&self.secret)).as_bytes(),
        );
        let answer = self
            .client
            .request(
                Method::POST,
                &url,
                &[
                    (AUTHORIZATION, format!("Basic {basic}")),
                    (CONTENT_TYPE, "application/x-www-form-urlencoded".into()),
                    (ACCEPT, "application/json".into()),
                ],
                Some(Bytes::from_static(b"grant_type=client_credentials")),
                MAX_TOKEN_ANSWER,
            )
            .await?;
        if answer.status != 200 {
            return Err(VzdError::Status {
                what: "token",
                status: answer.status,
            });
        }
        let parsed: TokenAnswer =
            serde_json::from_slice(&answer.body).map_err(|_| VzdError::Token("answer is not a token response"))?;
        if !parsed.token_type.eq_ignore_ascii_case("bearer") || parsed.access_token.is_empty() {
            return Err(VzdError::Token("not a bearer token"));
        }
        // At most a day, whatever the answer says (a huge expires_in must not overflow the clock).
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(300).min(86_400)).saturating_sub(TOKEN_MARGIN);
        let until = Instant::now().checked_add(lifetime).unwrap_or_else(Instant::now);
        *cached = Some((parsed.access_token.clone(), until));
        Ok(parsed.access_token)
    }

    /// A GET with the bearer token; on 401 the token is renewed once.
    async fn get(&self, url: &url::Url, accept: &str, max: usize) -> Result<crate::client::Response, VzdError> {
        let mut renew = false;
        loop {
            let token = self.token(renew).await?;
            let answer = self
                .client
                .request(
                    Method::GET,
                    url,
                    &[(AUTHORIZATION, format!("Bearer {token}")), (ACCEPT, accept.into())],
                    None,
                    max,
                )
                .await?;
            if answer.status == 401 && !renew {
                renew = true;
                continue;
            }
            return Ok(answer);
        }
    }

    fn url(&self, path: &str) -> Result<url::Url, VzdError> {
        let joined = format!("{}{}", self.config.base_url.trim_end_matches('/'), path);
        Ok(url::Url::parse(&joined).map_err(|_| ClientError::Url)?)
    }

    /// Asks for a list newer than `known`.
    pub async fn federation_list(&self, known: Option<u64>) -> Result<ListFetch, VzdError> {
        let mut url = self.url(&self.config.federation_list_path)?;
        {
            let mut query = url.query_pairs_mut();
            if let Some(v) = known {
                query.append_pair("version", &v.to_string());
            }
            query.append_pair("sigAlg", &self.config.sig_alg);
        }
        let answer = self
            .get(&url, "application/octet-stream, application/jose", self.max_list)
            .await?;
        match answer.status {
            200 => Ok(ListFetch::Document(answer.body)),
            204 | 304 => Ok(ListFetch::Unchanged),
            status => Err(VzdError::Status {
                what: "federation list",
                status,
            }),
        }
    }

    /// The PASSporT certificates' JSON, where a path is configured.
    pub async fn passport_certificates(&self) -> Result<Option<Bytes>, VzdError> {
        let Some(path) = &self.config.passport_certificates_path else {
            return Ok(None);
        };
        let answer = self
            .get(
                &self.url(path)?,
                "application/json",
                tiwire_fedlist::MAX_PASSPORT_CERTIFICATES_LEN,
            )
            .await?;
        match answer.status {
            200 => Ok(Some(answer.body)),
            status => Err(VzdError::Status {
                what: "PASSporT certificates",
                status,
            }),
        }
    }
}
