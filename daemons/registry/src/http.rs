//! What proxies and operators see over HTTPS.
//!
//! - `GET /federation?version=N`: 200 with the list or 304 when `N` is the held version (the contract of
//!   gematik's reference registration service, `openapi-federation.yaml`). The body is the payload JSON; with
//!   `Accept: application/jose` it is the VZD's signed JWS as received, so a proxy can check the VZD's
//!   signature itself. `Age` tells how long ago the VZD last confirmed the list (RFC 9111 §5.1), so proxies
//!   can apply the 72-hour rule to the registry's copy.
//! - `GET /passport-certificates`: the PASSporT signer certificates' JSON.
//! - `GET /metrics` (Prometheus text), `GET /healthz`.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{ACCEPT, AGE, ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use crate::registry::{Registry, now};

/// Settings of the request path.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Serving {
    /// Ask the VZD on each `/federation` request.
    pub(crate) check_on_request: bool,
    /// How long a request waits for that.
    pub(crate) check_timeout: Duration,
    /// A check that started less than this long ago counts for new requests too.
    pub(crate) check_min_interval: Duration,
}

fn respond(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn error(status: StatusCode, message: &'static str) -> Response<Full<Bytes>> {
    respond(
        status,
        "application/json",
        serde_json::json!({ "error": message }).to_string(),
    )
}

/// The `version` query parameter: absent, or a non-negative `int64` (the reference API's type).
fn known_version(query: Option<&str>) -> Result<Option<u64>, ()> {
    let mut version = None;
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if name == "version" {
            if version.is_some() {
                return Err(());
            }
            let v = value.parse::<i64>().map_err(|_| ())?;
            version = Some(u64::try_from(v).map_err(|_| ())?);
        }
    }
    Ok(version)
}

/// Handles one request.
pub(crate) async fn handle(
    registry: Arc<Registry>,
    serving: Serving,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        // RFC 9110 §15.5.6: a 405 lists what is allowed.
        let mut refused = error(StatusCode::METHOD_NOT_ALLOWED, "only GET");
        refused
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Ok(refused);
    }
    Ok(match request.uri().path() {
        "/federation" => federation(&registry, serving, &request).await,
        "/passport-certificates" => match &registry.snapshot().passport {
            Some(json) => respond(StatusCode::OK, "application/json", json.clone()),
            None => error(StatusCode::NOT_FOUND, "no PASSporT certificates held"),
        },
        "/metrics" => respond(StatusCode::OK, "text/plain; version=0.0.4", metrics(&registry)),
        "/healthz" => match registry.snapshot().state.list() {
            Some(_) => respond(StatusCode::OK, "text/plain", "ok\n"),
            None => respond(StatusCode::SERVICE_UNAVAILABLE, "text/plain", "no federation list\n"),
        },
        _ => error(StatusCode::NOT_FOUND, "not found"),
    })
}

async fn federation(registry: &Registry, serving: Serving, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let Ok(known) = known_version(request.uri().query()) else {
        return error(StatusCode::BAD_REQUEST, "version must be a non-negative integer");
    };
    if serving.check_on_request
        && !registry
            .check_for_request(serving.check_timeout, serving.check_min_interval)
            .await
    {
        tracing::debug!("the VZD check did not finish in time; answering from the held list");
    }
    let snapshot = registry.snapshot();
    let Some(list) = snapshot.state.list() else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "no federation list yet");
    };
    let now = now();
    let age = snapshot.state.age(now).unwrap_or_default();
    if snapshot.state.is_stale(now) {
        // A stale list is not handed on: proxies keep their copy and let their own 72-hour clock run out,
        // instead of having it reset by this registry's answer.
        registry.counters.served_stale.fetch_add(1, Ordering::Relaxed);
        let mut refused = error(StatusCode::SERVICE_UNAVAILABLE, "federation list stale");
        refused.headers_mut().insert(AGE, HeaderValue::from(age));
        return refused;
    }
    let mut response = if known == Some(list.version()) {
        registry.counters.served_unchanged.fetch_add(1, Ordering::Relaxed);
        let mut r = respond(StatusCode::NOT_MODIFIED, "application/json", Bytes::new());
        r.headers_mut().remove(CONTENT_TYPE);
        r
    } else {
        registry.counters.served_full.fetch_add(1, Ordering::Relaxed);
        let wants_jws = request
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/jose"));
        match (&snapshot.document, wants_jws) {
            (Some(jws), true) => respond(StatusCode::OK, "application/jose", jws.clone()),
            _ => respond(StatusCode::OK, "application/json", snapshot.payload_json.clone()),
        }
    };
    response.headers_mut().insert(AGE, HeaderValue::from(age));
    response
}

/// Prometheus text exposition. No domains, names or addresses.
fn metrics(registry: &Registry) -> String {
    let snapshot = registry.snapshot();
    let now = now();
    let state = &snapshot.state;
    let mut out = String::new();
    let mut gauge = |name: &str, help: &str, value: u64| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
    };
    gauge(
        "tiwire_registry_federation_list_version",
        "Version of the held federation list (0: none).",
        state.version().unwrap_or_default(),
    );
    gauge(
        "tiwire_registry_federation_list_domains",
        "Domains in the held list.",
        state.list().map(|l| l.len() as u64).unwrap_or_default(),
    );
    gauge(
        "tiwire_registry_federation_list_age_seconds",
        "Seconds since the VZD last confirmed the held list.",
        state.age(now).unwrap_or_default(),
    );
    gauge(
        "tiwire_registry_federation_list_stale",
        "1 when the held list is older than the maximum age (proxies admit nobody), or none is held.",
        u64::from(state.list().is_none() || state.is_stale(now)),
    );
    gauge(
        "tiwire_registry_federation_list_max_age_seconds",
        "The configured maximum age.",
        registry.max_age(),
    );
    let c = &registry.counters;
    for (name, help, counter) in [
        ("lists_taken", "Lists fetched, verified and taken.", &c.lists_taken),
        ("unchanged", "Answers confirming the held version.", &c.unchanged),
        ("fetch_failures", "Failed exchanges with the VZD.", &c.fetch_failures),
        (
            "lists_refused",
            "Lists refused (signature, signer, format, older version).",
            &c.lists_refused,
        ),
        ("served_full", "Lists sent to proxies.", &c.served_full),
        ("served_unchanged", "304 answers to proxies.", &c.served_unchanged),
        (
            "served_stale",
            "503 answers to proxies because the list is stale.",
            &c.served_stale,
        ),
        (
            "check_timeouts",
            "Proxy requests answered before their VZD check finished.",
            &c.check_timeouts,
        ),
        (
            "connections_refused",
            "Connections refused at the connection limit.",
            &c.connections_refused,
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP tiwire_registry_{name}_total {help}\n# TYPE tiwire_registry_{name}_total counter\ntiwire_registry_{name}_total {}",
            counter.load(Ordering::Relaxed)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_parameter() {
        assert_eq!(known_version(None), Ok(None));
        assert_eq!(known_version(Some("version=12")), Ok(Some(12)));
        assert_eq!(known_version(Some("other=1&version=0")), Ok(Some(0)));
        assert_eq!(known_version(Some("version=-1")), Err(()));
        assert_eq!(known_version(Some("version=x")), Err(()));
        assert_eq!(
            known_version(Some("version=9223372036854775807")),
            Ok(Some(i64::MAX as u64))
        );
        assert_eq!(known_version(Some("version=9223372036854775808")), Err(()));
        assert_eq!(known_version(Some("version=1&version=2")), Err(()));
    }
}
