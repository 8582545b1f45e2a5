//! A small HTTPS client (hyper over rustls) for the few requests the registry makes: one connection per
//! request, a time limit on the whole exchange, a size limit on the answer. Also used by the tests and the
//! quickstart to talk to the registry the way a proxy does.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header::{HOST, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tiwire_pki::Certificate;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// Why a request failed (the URL and peer are the caller's to log, at debug level).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The URL is not `https://host[:port]/…`.
    #[error("not an https URL with a host")]
    Url,
    /// TCP connect, TLS handshake or HTTP exchange failed.
    #[error("connection: {0}")]
    Connection(String),
    /// No complete answer in time.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The answer was bigger than allowed.
    #[error("answer larger than {0} bytes")]
    TooBig(usize),
    /// The TLS configuration could not be built (bad roots, client key).
    #[error("TLS configuration: {0}")]
    Tls(String),
}

/// An answer.
#[derive(Clone, Debug)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// The rustls provider of every tiwire daemon: aws-lc-rs, restricted to what gemSpec_Krypt and BSI
/// TR-02102-2 allow: TLS 1.3 with AES-GCM, TLS 1.2 with ECDHE and AES-GCM, key exchange on P-256 and P-384.
/// (The TI also names brainpoolP256r1/P384r1 for TLS; rustls has no brainpool, so peers must offer a NIST
/// curve and certificates on P-256 or RSA.)
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    use rustls::crypto::aws_lc_rs::{cipher_suite as suite, default_provider, kx_group};
    Arc::new(rustls::crypto::CryptoProvider {
        cipher_suites: vec![
            suite::TLS13_AES_256_GCM_SHA384,
            suite::TLS13_AES_128_GCM_SHA256,
            suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ],
        kx_groups: vec![kx_group::SECP256R1, kx_group::SECP384R1],
        ..default_provider()
    })
}

/// An HTTPS client trusting exactly `roots`, optionally presenting a client certificate.
#[derive(Clone)]
pub struct HttpsClient {
    connector: TlsConnector,
    timeout: Duration,
}

impl HttpsClient {
    /// `client_auth`: PEM certificate chain and PEM PKCS#8 key, for mutual TLS.
    pub fn new(
        roots: &[Certificate],
        client_auth: Option<(&[u8], &[u8])>,
        timeout: Duration,
    ) -> Result<Self, ClientError> {
        let mut store = rustls::RootCertStore::empty();
        for root in roots {
            store
                .add(CertificateDer::from(root.der().to_vec()))
                .map_err(|e| ClientError::Tls(e.to_string()))?;
        }
        let builder = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| ClientError::Tls(e.to_string()))?
            .with_root_certificates(store);
        let config = match client_auth {
            None => builder.with_no_client_auth(),
            Some((chain, key)) => {
                let chain = CertificateDer::pem_slice_iter(chain)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| ClientError::Tls(e.to_string()))?;
                let key = PrivateKeyDer::from_pem_slice(key).map_err(|e| ClientError::Tls(e.to_string()))?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| ClientError::Tls(e.to_string()))?
            }
        };
        Ok(HttpsClient {
            connector: TlsConnector::from(Arc::new(config)),
            timeout,
        })
    }

    /// One request; the answer's body is read up to `max_body` bytes, all within the client's time limit.
    pub async fn request(
        &self,
        method: Method,
        url: &url::Url,
        headers: &[(HeaderName, String)],
        body: Option<Bytes>,
        max_body: usize,
    ) -> Result<Response, ClientError> {
        let exchange = async {
            if url.scheme() != "https" {
                return Err(ClientError::Url);
            }
            let host = url.host_str().ok_or(ClientError::Url)?;
            let port = url.port_or_known_default().ok_or(ClientError::Url)?;
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let server_name = ServerName::try_from(bare.to_owned()).map_err(|_| ClientError::Url)?;
            let conn = |e: &dyn std::fmt::Display| ClientError::Connection(e.to_string());
            let tcp = TcpStream::connect((bare, port)).await.map_err(|e| conn(&e))?;
            let tls = self.connector.connect(server_name, tcp).await.map_err(|e| conn(&e))?;
            let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
                .await
                .map_err(|e| conn(&e))?;
            let driver = tokio::spawn(connection);
            let path = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_owned(),
            };
            let authority = match url.port() {
                Some(p) => format!("{host}:{p}"),
                None => host.to_owned(),
            };
            let mut request = Request::builder().method(method).uri(path);
            if let Some(h) = request.headers_mut() {
                h.insert(HOST, HeaderValue::from_str(&authority).map_err(|_| ClientError::Url)?);
                for (name, value) in headers {
                    h.insert(
                        name.clone(),
                        HeaderValue::from_str(value).map_err(|_| ClientError::Url)?,
                    );
                }
            }
            let request = request
                .body(Full::new(body.unwrap_or_default()))
                .map_err(|e| conn(&e))?;
            let response = sender.send_request(request).await.map_err(|e| conn(&e))?;
            let (parts, incoming) = response.into_parts();
            let body = Limited::new(incoming, max_body)
                .collect()
                .await
                .map_err(|e| {
                    if e.is::<http_body_util::LengthLimitError>() {
                        ClientError::TooBig(max_body)
                    } else {
                        ClientError::Connection(e.to_string())
                    }
                })?
                .to_bytes();
            driver.abort();
            Ok(Response {
                status: parts.status.as_u16(),
                headers: parts.headers,
                body,
            })
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| ClientError::Timeout(self.timeout))?
    }
}
