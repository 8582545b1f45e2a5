//! The registry between a VZD stand-in and a proxy, over real TLS: fetch, serve 200/304/JWS, newer lists,
//! refused lists, token renewal, the VZD going away, a restart from disk, a stale list.

use hyper::header::ACCEPT;
use std::time::Duration;
use tiwire_fedlist::{FederationList, Limits};
use tiwire_pki::RUST_CRYPTO;

use tiwire_registry::start;

use crate::world::{ConfigExt, World, get, metric, metrics_text, version_of};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_serve_update_refuse_and_survive_the_vzd_going_away() {
    let world = World::new();
    let (vzd, state) = world.vzd(10).await;
    // Every proxy request asks the VZD (no sharing window), as TI-M FD §5.2.2 words it.
    let registry = start(world.config(vzd.addr, "request_check_min_interval_ms = 0"))
        .await
        .unwrap();
    let client = world.client();
    let addr = registry.addr;

    // A proxy's first request: the full list, as JSON, with its age.
    let first = get(&client, addr, "/federation", &[]).await;
    assert_eq!(version_of(&first), 10);
    let list = FederationList::from_json(&first.body, &Limits::default()).unwrap();
    assert!(list.contains("tim.example.org") && !list.contains("evil.example.org"));
    assert!(first.headers.contains_key("age"));
    assert_eq!(state.lock().unwrap().sig_alg.as_deref(), Some("BP256R1"));

    // Unchanged: 304, and the VZD was asked (204) for this very request.
    let asked = state.lock().unwrap().unchanged;
    let same = get(&client, addr, "/federation?version=10", &[]).await;
    assert_eq!(same.status, 304);
    assert!(same.body.is_empty());
    assert!(state.lock().unwrap().unchanged > asked);

    // The signed original for proxies that verify the VZD's signature themselves.
    let jws = get(&client, addr, "/federation", &[(ACCEPT, "application/jose".into())]).await;
    assert_eq!(jws.headers["content-type"], "application/jose");
    let verified = FederationList::from_jws(
        &jws.body,
        &world.trust(),
        world.signer.now(),
        &Limits::default(),
        &RUST_CRYPTO,
    )
    .unwrap();
    assert_eq!(verified.version(), 10);

    // A bad query is refused; unknown paths are 404.
    assert_eq!(get(&client, addr, "/federation?version=-3", &[]).await.status, 400);
    assert_eq!(get(&client, addr, "/nothing", &[]).await.status, 404);

    // The VZD publishes version 11: the next proxy request gets it.
    state.lock().unwrap().list = Some((11, world.list(11, &["tim.example.org"])));
    assert_eq!(version_of(&get(&client, addr, "/federation?version=10", &[]).await), 11);

    // An older version (a replay) and a list with a broken signature are refused; 11 stays.
    state.lock().unwrap().list = Some((20, world.list(9, &["evil.example.org"])));
    let mut tampered = world.list(21, &["evil.example.org"]);
    tampered.replace_range(tampered.len() - 5.., "AAAAA");
    assert_eq!(version_of(&get(&client, addr, "/federation", &[]).await), 11);
    state.lock().unwrap().list = Some((21, tampered));
    assert_eq!(version_of(&get(&client, addr, "/federation", &[]).await), 11);

    // The VZD revokes our token: the registry renews it once and goes on.
    let issued = state.lock().unwrap().tokens_issued;
    state.lock().unwrap().token = "revoked".into();
    state.lock().unwrap().list = Some((12, world.list(12, &["tim.example.org", "neu.example.de"])));
    assert_eq!(version_of(&get(&client, addr, "/federation?version=11", &[]).await), 12);
    assert_eq!(state.lock().unwrap().tokens_issued, issued + 1);

    // PASSporT certificates and metrics.
    let passport = get(&client, addr, "/passport-certificates", &[]).await;
    assert_eq!(
        tiwire_fedlist::parse_passport_certificates(&passport.body)
            .unwrap()
            .len(),
        1
    );
    let metrics = metrics_text(&client, addr).await;
    assert_eq!(metric(&metrics, "tiwire_registry_federation_list_version"), 12);
    assert_eq!(metric(&metrics, "tiwire_registry_federation_list_domains"), 2);
    assert_eq!(metric(&metrics, "tiwire_registry_federation_list_stale"), 0);
    assert!(
        metric(&metrics, "tiwire_registry_lists_refused_total") >= 2,
        "{metrics}"
    );
    assert!(!metrics.contains("example"), "no domains in metrics");

    // The VZD goes away; the registry restarts: proxies still get version 12, from disk.
    vzd.kill();
    registry.shutdown().await;
    let registry = start(world.config("127.0.0.1:9".parse().unwrap(), "")).await.unwrap();
    let after = get(&client, registry.addr, "/federation?version=11", &[]).await;
    assert_eq!(version_of(&after), 12);
    let metrics = metrics_text(&client, registry.addr).await;
    assert!(
        metric(&metrics, "tiwire_registry_fetch_failures_total") >= 1,
        "{metrics}"
    );
    assert_eq!(metric(&metrics, "tiwire_registry_federation_list_stale"), 0);
    registry.shutdown().await;

    // Four days without confirmation: not handed on (503 with the Age), so proxies' own clocks run out;
    // reported stale.
    let four_days_ago = tiwire_registry::registry::now().minus(4 * 86_400).as_secs();
    std::fs::write(
        world.dir.path().join("state/federation-list.confirmed-at"),
        four_days_ago.to_string(),
    )
    .unwrap();
    let registry = start(world.config("127.0.0.1:9".parse().unwrap(), "")).await.unwrap();
    let stale = get(&client, registry.addr, "/federation", &[]).await;
    assert_eq!(stale.status, 503);
    assert_eq!(
        get(&client, registry.addr, "/federation?version=12", &[]).await.status,
        503
    );
    let age: u64 = stale.headers["age"].to_str().unwrap().parse().unwrap();
    assert!(age >= 4 * 86_400, "{age}");
    let metrics = metrics_text(&client, registry.addr).await;
    assert_eq!(metric(&metrics, "tiwire_registry_federation_list_stale"), 1);
    registry.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_any_list_the_registry_says_so() {
    let world = World::new();
    let registry = start(world.config("127.0.0.1:9".parse().unwrap(), "check_on_request = false"))
        .await
        .unwrap();
    let client = world.client();
    assert_eq!(get(&client, registry.addr, "/federation", &[]).await.status, 503);
    assert_eq!(get(&client, registry.addr, "/healthz", &[]).await.status, 503);
    registry.shutdown().await;
}

/// A slow VZD: requests are answered from the held list after the configured wait, and the check they asked
/// for still completes even though no request waited for it (giving up cancels nothing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_vzd_delays_no_proxy_and_checks_are_not_cancelled() {
    let world = World::new();
    let (vzd, state) = world.vzd(10).await;
    let extra = "request_check_timeout_ms = 300\nrequest_check_min_interval_ms = 0";
    let registry = start(world.config(vzd.addr, extra)).await.unwrap();
    let client = world.client();
    assert_eq!(version_of(&get(&client, registry.addr, "/federation", &[]).await), 10);

    {
        let mut vzd = state.lock().unwrap();
        vzd.list = Some((11, world.list(11, &["tim.example.org"])));
        vzd.delay = Duration::from_millis(1500);
    }
    let asked = std::time::Instant::now();
    let early = get(&client, registry.addr, "/federation?version=10", &[]).await;
    assert_eq!(early.status, 304, "answered from the held list");
    assert!(asked.elapsed() < Duration::from_millis(1400), "{:?}", asked.elapsed());

    // The check goes on without anyone waiting; afterwards the new version is there.
    state.lock().unwrap().delay = Duration::ZERO;
    let mut version = None;
    for _ in 0..100 {
        version = registry.registry.snapshot().state.version();
        if version == Some(11) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(version, Some(11));
    // On start, for the first request, and the check the early request gave up on: no more.
    assert_eq!(state.lock().unwrap().list_requests, 3);
    let metrics = metrics_text(&client, registry.addr).await;
    assert!(
        metric(&metrics, "tiwire_registry_check_timeouts_total") >= 1,
        "{metrics}"
    );
    registry.shutdown().await;
}

/// Concurrent proxy requests share VZD checks instead of each making one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_share_checks() {
    let world = World::new();
    let (vzd, state) = world.vzd(10).await;
    let registry = start(world.config(vzd.addr, "request_check_min_interval_ms = 0"))
        .await
        .unwrap();
    let client = world.client();
    assert_eq!(version_of(&get(&client, registry.addr, "/federation", &[]).await), 10);
    state.lock().unwrap().delay = Duration::from_millis(200);
    let before = state.lock().unwrap().list_requests;
    let requests: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            let addr = registry.addr;
            tokio::spawn(async move { get(&client, addr, "/federation?version=10", &[]).await.status })
        })
        .collect();
    for request in requests {
        assert_eq!(request.await.unwrap(), 304);
    }
    let checks = state.lock().unwrap().list_requests - before;
    assert!(
        (1..=4).contains(&checks),
        "{checks} VZD checks for 20 concurrent requests"
    );
    registry.shutdown().await;
}

/// With `tls.client_roots`, only proxies with a client certificate from those CAs are served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_for_proxies() {
    let world = World::new();
    let (vzd, _state) = world.vzd(10).await;
    let registry = start(world.config(vzd.addr, "").with_client_roots(&world))
        .await
        .unwrap();
    let url = url::Url::parse(&format!("https://127.0.0.1:{}/federation", registry.addr.port())).unwrap();

    let anonymous = world
        .client()
        .request(hyper::Method::GET, &url, &[], None, 1 << 20)
        .await;
    assert!(anonymous.is_err(), "served without a client certificate: {anonymous:?}");

    let proxy = world.tls.leaf(tiwire_pki::CertType::FdTlsC);
    let chain: String = world.tls.chain(proxy).iter().map(|c| c.to_pem()).collect();
    let key = proxy.key.to_pkcs8_pem().unwrap();
    let client = tiwire_registry::client::HttpsClient::new(
        &[world.tls.root().certificate.clone()],
        Some((chain.as_bytes(), key.as_bytes())),
        Duration::from_secs(10),
    )
    .unwrap();
    let answer = client
        .request(hyper::Method::GET, &url, &[], None, 1 << 20)
        .await
        .unwrap();
    assert_eq!(version_of(&answer), 10);
    registry.shutdown().await;
}
