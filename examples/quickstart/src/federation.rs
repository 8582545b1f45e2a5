//! TI-Messenger federation: a VZD stand-in, tiwire-registry, and a Messenger-Proxy's checks (tiwire-fedlist).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use hyper::Method;
use hyper::header::{ACCEPT, HeaderName};
use ruma_common::ServerName;
use tiwire_fedlist::xmatrix::{
    KeyId, KeyRing, PublishedKey, RequestHead, ServerSigningKey, Verification, XMatrix, XMatrixPolicy, authorize,
    sign_request,
};
use tiwire_fedlist::{DomainEntry, DomainForm, FederationList, FederationState, Limits, SignerTrust};
use tiwire_pki::path::TrustAnchors;
use tiwire_pki::testpki::{TestPki, TestPkiOptions};
use tiwire_pki::{CertType, KeyAlgorithm, RUST_CRYPTO};
use tiwire_registry::client::{HttpsClient, Response};
use tiwire_registry::standin::{CLIENT_ID, SECRET, StandIn, Vzd};
use tiwire_registry::{Config, Running};

use crate::Report;

/// Our homeserver and a listed peer.
const OURS: &str = "tim.praxis-a.de";
const PEER: &str = "tim.klinik-b.de";

struct Pkis {
    dir: PathBuf,
    tls: TestPki,
    component: TestPki,
}

impl Pkis {
    fn build(dir: &Path) -> anyhow::Result<Pkis> {
        let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
        // TLS on P-256 (rustls has no brainpool); the VZD signs the list on brainpoolP256r1.
        let tls = TestPki::build(
            &TestPkiOptions::new(KeyAlgorithm::EcP256).leaf_types(&[CertType::FdTlsS]),
            &mut rng,
        )?;
        let component = TestPki::build(
            &TestPkiOptions::new(KeyAlgorithm::EcBrainpoolP256r1).leaf_types(&[CertType::FdSig]),
            &mut rng,
        )?;
        let dir = dir.join("federation");
        std::fs::create_dir_all(&dir)?;
        let server = tls.leaf(CertType::FdTlsS);
        let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).with_context(|| name.to_owned());
        write(
            "tls.pem",
            &tls.chain(server).iter().map(|c| c.to_pem()).collect::<String>(),
        )?;
        write("tls.key", &server.key.to_pkcs8_pem()?)?;
        write("tls-root.pem", &tls.root().certificate.to_pem())?;
        write("komp-ca.pem", &component.root().certificate.to_pem())?;
        write("vzd-client-secret", SECRET)?;
        Ok(Pkis { dir, tls, component })
    }

    fn signed_list(&self, version: u64, domains: &[&str]) -> anyhow::Result<String> {
        let entries = domains.iter().map(|d| DomainEntry::new(*d)).collect();
        let leaf = self.component.leaf(CertType::FdSig);
        Ok(FederationList::new(version, DomainForm::Clear, entries)?
            .sign_jws(&leaf.key, &self.component.chain(leaf))?)
    }

    fn registry_config(&self, vzd: SocketAddr) -> anyhow::Result<Config> {
        let text = format!(
            r#"# written by tiwire-quickstart
listen = "127.0.0.1:0"
state_dir = "registry-state"
# every proxy request asks the VZD (the default shares one check per second)
request_check_min_interval_ms = 0

[tls]
certificate = "tls.pem"
private_key = "tls.key"

[vzd]
base_url = "https://127.0.0.1:{port}/tim-provider-services"
token_url = "https://127.0.0.1:{port}/token"
client_id = "{CLIENT_ID}"
client_secret_file = "vzd-client-secret"
roots = "tls-root.pem"
passport_certificates_path = "/PASSporTCertificates"
timeout_secs = 3

[signer]
anchors = ["komp-ca.pem"]
"#,
            port = vzd.port()
        );
        std::fs::write(self.dir.join("registry.toml"), &text)?;
        Config::from_toml(&text, &self.dir)
    }

    fn client(&self) -> anyhow::Result<HttpsClient> {
        Ok(HttpsClient::new(
            &[self.tls.root().certificate.clone()],
            None,
            Duration::from_secs(5),
        )?)
    }

    fn trust(&self) -> SignerTrust {
        SignerTrust::Anchors(TrustAnchors::new(vec![self.component.root().certificate.clone()]))
    }
}

async fn get(
    client: &HttpsClient,
    registry: &Running,
    path: &str,
    headers: &[(HeaderName, String)],
) -> anyhow::Result<Response> {
    let url = url::Url::parse(&format!("https://127.0.0.1:{}{path}", registry.addr.port()))?;
    Ok(client.request(Method::GET, &url, headers, None, 64 << 20).await?)
}

/// A proxy's request for the list, verifying the VZD's signature itself; with the registry's `Age`, which the
/// proxy's freshness clock starts from.
async fn proxy_fetch(pkis: &Pkis, client: &HttpsClient, registry: &Running) -> anyhow::Result<(FederationList, u64)> {
    let answer = get(client, registry, "/federation", &[(ACCEPT, "application/jose".into())]).await?;
    ensure!(answer.status == 200, "registry answered {}", answer.status);
    let age = answer
        .headers
        .get("age")
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .context("no Age")?;
    let list = FederationList::from_jws(
        &answer.body,
        &pkis.trust(),
        pkis.component.now(),
        &Limits::default(),
        &RUST_CRYPTO,
    )?;
    Ok((list, age))
}

fn lock(state: &Mutex<Vzd>) -> anyhow::Result<std::sync::MutexGuard<'_, Vzd>> {
    state.lock().map_err(|_| anyhow::anyhow!("stand-in state poisoned"))
}

/// Signs a request as `origin` would and runs the proxy's inbound check on it.
fn inbound(
    federation: &FederationState,
    origin: &str,
    now: tiwire_pki::UnixTime,
) -> anyhow::Result<Result<(), String>> {
    let ours = ServerName::parse(OURS)?;
    let origin_name = ServerName::parse(origin)?;
    let key = ServerSigningKey::from_seed(KeyId::parse("ed25519:quickstart")?, &[0x42; 32]);
    let mut keys = KeyRing::new();
    keys.insert(
        origin_name.clone(),
        key.key_id().clone(),
        PublishedKey::new(key.verify_key(), u64::MAX, now),
    );
    let head = RequestHead::new("PUT", "/_matrix/federation/v1/send/1").with_body(br#"{"pdus":[],"edus":[]}"#);
    let header = sign_request(&head, &origin_name, &ours, &key)?.to_string();
    let policy = XMatrixPolicy::new(ours);
    Ok(
        match authorize(&head, &XMatrix::parse(&header)?, &policy, &keys, federation, now) {
            Ok(Verification::Verified(_)) => Ok(()),
            Ok(Verification::NeedKeys(_)) => Err("keys needed".into()),
            Err(refusal) => {
                let reply = refusal.matrix_error();
                Err(format!("{} {}", reply.status, reply.errcode))
            }
        },
    )
}

/// The federation stories.
pub(crate) async fn stories(report: &mut Report, dir: &Path) {
    report.section("TI-Messenger federation (gemSpec_TI-Messenger-FD §5.2.1.2, §5.2.2)");
    let Some(pkis) = report
        .step(
            "make the test PKIs (TLS on P-256, the VZD's C.FD.SIG on brainpoolP256r1)",
            async {
                let pkis = Pkis::build(dir)?;
                let detail = format!("files in {}", pkis.dir.display());
                Ok((pkis, detail))
            },
        )
        .await
    else {
        return;
    };
    let state = Arc::new(Mutex::new(Vzd::default()));
    let Some(vzd) = report
        .step(
            "start a VZD stand-in: OAuth2 client credentials, signed FederationList",
            async {
                lock(&state)?.list = Some((100, pkis.signed_list(100, &[OURS, PEER, "tim.apotheke-c.de"])?));
                let server = pkis.tls.leaf(CertType::FdTlsS);
                let chain: String = pkis.tls.chain(server).iter().map(|c| c.to_pem()).collect();
                let vzd = StandIn::start(
                    "127.0.0.1:0".parse()?,
                    &chain,
                    &server.key.to_pkcs8_pem()?,
                    state.clone(),
                )
                .await?;
                let detail = format!("https://{} serves version 100 with 3 domains, BP256R1", vzd.addr);
                Ok((vzd, detail))
            },
        )
        .await
    else {
        return;
    };
    let Ok(client) = pkis.client() else { return };
    let Some(registry) = report
        .step(
            "start tiwire-registry: it fetches the list and verifies the signer",
            async {
                let config = pkis.registry_config(vzd.addr)?;
                let registry = tiwire_registry::start(config).await?;
                for _ in 0..50 {
                    if get(&client, &registry, "/healthz", &[]).await?.status == 200 {
                        let detail = format!(
                            "https://{} (config {})",
                            registry.addr,
                            pkis.dir.join("registry.toml").display()
                        );
                        return Ok((registry, detail));
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                bail!("no list after 5 s")
            },
        )
        .await
    else {
        return;
    };
    let mut federation = FederationState::new(tiwire_fedlist::DEFAULT_MAX_AGE);
    let now = pkis.component.now();
    let fetched = report
        .step(
            "a Messenger-Proxy fetches it and checks the VZD's signature itself",
            async {
                let (list, age) = proxy_fetch(&pkis, &client, &registry).await?;
                let detail = format!(
                    "version {}, {} domains, signed {}",
                    list.version(),
                    list.len(),
                    list.signer().map_or("-", |s| s.algorithm)
                );
                federation.offer(list, now, age)?;
                Ok(((), detail))
            },
        )
        .await;
    report
        .step(
            "asked again with its version: 304, after the registry asked the VZD",
            async {
                let before = lock(&state)?.unchanged;
                let answer = get(&client, &registry, "/federation?version=100", &[]).await?;
                ensure!(answer.status == 304, "registry answered {}", answer.status);
                ensure!(lock(&state)?.unchanged > before, "the VZD was not asked");
                Ok(((), String::new()))
            },
        )
        .await;
    report
        .step(
            "the VZD adds a domain: the proxy's next request gets version 101",
            async {
                lock(&state)?.list = Some((
                    101,
                    pkis.signed_list(101, &[OURS, PEER, "tim.apotheke-c.de", "tim.mvz-d.de"])?,
                ));
                let (list, age) = proxy_fetch(&pkis, &client, &registry).await?;
                ensure!(list.version() == 101, "got version {}", list.version());
                federation.offer(list, now, age)?;
                Ok(((), "tim.mvz-d.de is listed now".into()))
            },
        )
        .await;
    if fetched.is_some() {
        report
            .step(
                "the proxy admits an X-Matrix-signed request from a listed server",
                async {
                    inbound(&federation, PEER, now)?.map_err(anyhow::Error::msg)?;
                    Ok((
                        (),
                        format!("origin {PEER}: signature, destination and membership checked"),
                    ))
                },
            )
            .await;
        report
            .step("… and refuses an unlisted one before looking up its keys", async {
                match inbound(&federation, "spam.example.org", now)? {
                    Ok(()) => bail!("an unlisted server was admitted"),
                    Err(reply) => Ok(((), format!("answer: {reply}"))),
                }
            })
            .await;
    }
    report
        .step(
            "the VZD goes down, the registry restarts: the list comes from disk",
            async {
                vzd.kill();
                registry.shutdown().await;
                let config = pkis.registry_config("127.0.0.1:9".parse()?)?;
                let registry = tiwire_registry::start(config).await?;
                let (list, _) = proxy_fetch(&pkis, &client, &registry).await?;
                let unchanged = get(&client, &registry, "/federation?version=101", &[]).await?;
                registry.shutdown().await;
                ensure!(
                    list.version() == 101 && unchanged.status == 304,
                    "got version {}",
                    list.version()
                );
                Ok(((), "version 101, although the check at the VZD failed".into()))
            },
        )
        .await;
    report.pending(
        "Messenger-Proxy in front of a real Synapse, invites with PASSporT",
        "issue 6",
    );
}
