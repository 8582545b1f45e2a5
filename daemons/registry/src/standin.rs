//! A VZD stand-in over real HTTPS (feature `standin`): the token endpoint (client credentials with HTTP
//! Basic), the signed FederationList (`?version=N` → 204 when not newer) and the PASSporT certificates, as the
//! OpenAPI files in `shared/specs/ti-messenger/vzd-api-*` describe them. For the registry's tests and the
//! quickstart; not a VZD.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64ct::{Base64, Encoding};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

/// What the stand-in serves; callers change it while it runs.
#[derive(Debug, Default)]
pub struct Vzd {
    /// The current signed list and its version.
    pub list: Option<(u64, String)>,
    /// The PASSporT certificates' JSON.
    pub passport: Option<String>,
    /// The bearer token currently valid.
    pub token: String,
    /// Tokens issued so far.
    pub tokens_issued: usize,
    /// List requests, and of those answered 204.
    pub list_requests: usize,
    /// Answered 204.
    pub unchanged: usize,
    /// The last `sigAlg` asked for.
    pub sig_alg: Option<String>,
    /// How long list requests take, to play a slow VZD.
    pub delay: std::time::Duration,
}

/// The OAuth2 client id the stand-in accepts.
pub const CLIENT_ID: &str = "tim-provider-tiwire";
/// The OAuth2 client secret the stand-in accepts (with characters that need form encoding).
pub const SECRET: &str = "s3cret:with&odd=chars";

fn reply(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r
}

async fn handle(state: Arc<Mutex<Vzd>>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let auth = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let delay = state.lock().map(|v| v.delay).unwrap_or_default();
    if parts.uri.path().ends_with("federationList.jws") && !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let Ok(mut vzd) = state.lock() else {
        return Ok(reply(StatusCode::INTERNAL_SERVER_ERROR, "{}"));
    };
    match (parts.method.as_str(), parts.uri.path()) {
        ("POST", "/token") => {
            let form = |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
            let expected = format!(
                "Basic {}",
                Base64::encode_string(format!("{}:{}", form(CLIENT_ID), form(SECRET)).as_bytes())
            );
            if auth != expected || &body[..] != b"grant_type=client_credentials" {
                return Ok(reply(StatusCode::UNAUTHORIZED, r#"{"message":"bad client"}"#));
            }
            vzd.tokens_issued += 1;
            vzd.token = format!("token-{}", vzd.tokens_issued);
            let answer = serde_json::json!({"access_token": vzd.token, "token_type": "Bearer", "expires_in": 300});
            Ok(reply(StatusCode::OK, answer.to_string()))
        }
        (method, path) if auth != format!("Bearer {}", vzd.token) || vzd.token.is_empty() => {
            let _ = (method, path);
            Ok(reply(StatusCode::UNAUTHORIZED, r#"{"message":"token"}"#))
        }
        ("GET", "/tim-provider-services/FederationList/federationList.jws") => {
            vzd.list_requests += 1;
            let query = parts.uri.query().unwrap_or_default();
            let mut known = None;
            for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
                match &*k {
                    "version" => known = v.parse::<u64>().ok(),
                    "sigAlg" => vzd.sig_alg = Some(v.into_owned()),
                    _ => {}
                }
            }
            match vzd.list.clone() {
                None => Ok(reply(StatusCode::NOT_FOUND, "{}")),
                Some((version, _)) if known.is_some_and(|k| k >= version) => {
                    vzd.unchanged += 1;
                    Ok(reply(StatusCode::NO_CONTENT, ""))
                }
                Some((_, jws)) => Ok(reply(StatusCode::OK, jws)),
            }
        }
        ("GET", "/tim-provider-services/PASSporTCertificates") => match &vzd.passport {
            Some(json) => Ok(reply(StatusCode::OK, json.clone())),
            None => Ok(reply(StatusCode::NOT_FOUND, "{}")),
        },
        _ => Ok(reply(StatusCode::NOT_FOUND, "{}")),
    }
}

/// A running stand-in.
pub struct StandIn {
    /// Where it listens.
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl StandIn {
    /// Serves on `addr` (port 0 for any) with the given TLS certificate chain and key (PEM).
    pub async fn start(
        addr: SocketAddr,
        cert_pem: &str,
        key_pem: &str,
        state: Arc<Mutex<Vzd>>,
    ) -> anyhow::Result<StandIn> {
        let chain = CertificateDer::pem_slice_iter(cert_pem.as_bytes()).collect::<Result<Vec<_>, _>>()?;
        let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())?;
        let tls = rustls::ServerConfig::builder_with_provider(crate::client::provider())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        let acceptor = TlsAcceptor::from(Arc::new(tls));
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = state;
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                let acceptor = acceptor.clone();
                let state = shared.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else { return };
                    let service = hyper::service::service_fn(move |r| handle(state.clone(), r));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Ok(StandIn { addr, task })
    }

    /// Stops serving: the port refuses connections from now on.
    pub fn kill(self) {
        self.task.abort();
    }
}
