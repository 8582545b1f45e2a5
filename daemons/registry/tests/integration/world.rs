//! A test PKI pair, the registry's configuration and a proxy's HTTPS client, shared by the tests.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::Method;
use hyper::header::HeaderName;
use tiwire_fedlist::{DomainEntry, DomainForm, FederationList, Limits, SignerTrust, passport_certificates_json};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm};
use tiwire_registry::Config;
use tiwire_registry::client::{HttpsClient, Response};
use tiwire_registry::standin::{CLIENT_ID, SECRET, StandIn, Vzd};

pub(crate) struct World {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) tls: TestPki,
    pub(crate) signer: TestPki,
}

impl World {
    pub(crate) fn new() -> World {
        let mut rng = tiwire_pki::rand_core::UnwrapErr(getrandom::SysRng);
        // TLS on P-256 (rustls has no brainpool); the list signed on brainpoolP256r1 as the VZD does.
        let tls = TestPki::build(
            &TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::FdTlsS, CertType::FdTlsC]),
            &mut rng,
        )
        .unwrap();
        let signer = TestPki::build(
            &TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1).leaf_types(&[CertType::FdSig]),
            &mut rng,
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let server = tls.leaf(CertType::FdTlsS);
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        let chain: String = tls.chain(server).iter().map(|c| c.to_pem()).collect();
        write("tls.pem", &chain);
        write("tls.key", &server.key.to_pkcs8_pem().unwrap());
        write("roots.pem", &tls.root().certificate.to_pem());
        write("komp-ca.pem", &signer.root().certificate.to_pem());
        write("secret", &format!("{SECRET}\n"));
        World { dir, tls, signer }
    }

    pub(crate) fn list(&self, version: u64, domains: &[&str]) -> String {
        let entries = domains.iter().map(|d| DomainEntry::new(*d)).collect();
        let list = FederationList::new(version, DomainForm::Clear, entries).unwrap();
        let leaf = self.signer.leaf(CertType::FdSig);
        list.sign_jws(&leaf.key, &self.signer.chain(leaf)).unwrap()
    }

    pub(crate) fn config(&self, vzd: std::net::SocketAddr, extra: &str) -> Config {
        let text = format!(
            r#"
listen = "127.0.0.1:0"
state_dir = "state"
{extra}
[tls]
certificate = "tls.pem"
private_key = "tls.key"
[vzd]
base_url = "https://127.0.0.1:{port}/tim-provider-services"
token_url = "https://127.0.0.1:{port}/token"
client_id = "{CLIENT_ID}"
client_secret_file = "secret"
roots = "roots.pem"
passport_certificates_path = "/PASSporTCertificates"
timeout_secs = 5
[signer]
anchors = ["komp-ca.pem"]
"#,
            port = vzd.port()
        );
        Config::from_toml(&text, self.dir.path()).unwrap()
    }

    pub(crate) fn client(&self) -> HttpsClient {
        HttpsClient::new(&[self.tls.root().certificate.clone()], None, Duration::from_secs(10)).unwrap()
    }

    pub(crate) fn trust(&self) -> SignerTrust {
        SignerTrust::Anchors(TrustAnchors::new(vec![self.signer.root().certificate.clone()]))
    }
}

pub(crate) async fn get(
    client: &HttpsClient,
    addr: std::net::SocketAddr,
    path: &str,
    headers: &[(HeaderName, String)],
) -> Response {
    let url = url::Url::parse(&format!("https://127.0.0.1:{}{path}", addr.port())).unwrap();
    client
        .request(Method::GET, &url, headers, None, 64 << 20)
        .await
        .unwrap()
}

pub(crate) fn version_of(response: &Response) -> u64 {
    assert_eq!(response.status, 200, "{:?}", response);
    FederationList::from_json(&response.body, &Limits::default())
        .unwrap()
        .version()
}

/// The registry's `/metrics` text.
pub(crate) async fn metrics_text(client: &HttpsClient, addr: std::net::SocketAddr) -> String {
    String::from_utf8(get(client, addr, "/metrics", &[]).await.body.to_vec()).unwrap()
}

pub(crate) fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing in\n{text}"))
}

impl World {
    /// A VZD stand-in serving `version` of a two-domain list and one PASSporT certificate.
    pub(crate) async fn vzd(&self, version: u64) -> (StandIn, Arc<Mutex<Vzd>>) {
        let state = Arc::new(Mutex::new(Vzd {
            list: Some((version, self.list(version, &["tim.example.org", "praxis.example.de"]))),
            passport: Some(
                String::from_utf8(passport_certificates_json(&[self
                    .signer
                    .leaf(CertType::FdSig)
                    .certificate
                    .clone()]))
                .unwrap(),
            ),
            ..Vzd::default()
        }));
        let server = self.tls.leaf(CertType::FdTlsS);
        let cert: String = self.tls.chain(server).iter().map(|c| c.to_pem()).collect();
        let key = server.key.to_pkcs8_pem().unwrap();
        let vzd = StandIn::start("127.0.0.1:0".parse().unwrap(), &cert, &key, state.clone())
            .await
            .unwrap();
        (vzd, state)
    }
}

/// Test-only configuration changes.
pub(crate) trait ConfigExt {
    /// Requires client certificates from the test TLS PKI.
    fn with_client_roots(self, world: &World) -> Self;
}

impl ConfigExt for Config {
    fn with_client_roots(mut self, world: &World) -> Self {
        self.tls.client_roots = Some(world.dir.path().join("roots.pem"));
        self
    }
}
