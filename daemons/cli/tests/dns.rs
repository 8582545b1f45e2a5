//! `tiwire dns`: zone files and checks from the sample plans, and `discover` against Knot DNS serving the emitted
//! zones on loopback (a Konnektor simulation from `_isakmp._udp.ti-extern.<domain>` to the TXT values). The knot
//! test is skipped, with a message, only when knotd is not installed (Debian package `knot`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn tiwire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiwire")).args(args).output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn vector(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../libs/dns/tests/vectors")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

fn find(program: &str) -> Option<PathBuf> {
    [
        "/usr/sbin",
        "/usr/bin",
        "/usr/local/sbin",
        "/usr/local/bin",
        "/sbin",
        "/bin",
    ]
    .iter()
    .map(|dir| Path::new(dir).join(program))
    .find(|p| p.exists())
}

#[test]
fn zonefile_and_check() {
    let seed = vector("seed-example.zoneplan.toml");
    let out = tiwire(&["dns", "check", &seed]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("zone       anbieter.de. ("), "{}", text(&out));

    let out = tiwire(&["dns", "check", "--json", &vector("bench-provider.zoneplan.toml")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["concentrators"]["ti"], 50);
    assert_eq!(json["zones"].as_array().unwrap().len(), 7);

    let out = tiwire(&["dns", "zonefile", &seed]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let zone = String::from_utf8(out.stdout).unwrap();
    assert!(zone.contains("\n$ORIGIN anbieter.de.\n"), "{zone}");
    assert!(
        zone.contains(
            "_isakmp._udp.sis-extern.anbieter.de. 300 IN SRV 10 10 500 vpnk1.ham.sis-vpn-zugd.anbieter.de.\n"
        )
    );

    let out = tiwire(&[
        "dns",
        "zonefile",
        &seed,
        "--zone",
        "ti-sz.ber.anbieter.vpn-zugd.telematik",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("_ocsp._tcp.ti-sz.ber.anbieter.vpn-zugd.telematik. 300 IN SRV 10 10 80 "));

    // An invalid plan: exit 1 with every violation; a missing file or zone: exit 2.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let plan = std::fs::read_to_string(&seed).unwrap();
    std::fs::write(
        &bad,
        plan.replacen("host = \"vpnk2\"", "host = \"vpnk1\"", 1)
            .replacen("txt = 3600", "txt = 7", 1),
    )
    .unwrap();
    let out = tiwire(&["dns", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("invalid zone plan: 2 problem(s)"), "{}", text(&out));
    assert!(text(&out).contains("is defined twice"), "{}", text(&out));
    let out = tiwire(&["dns", "zonefile", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(out.stdout.is_empty());
    let out = tiwire(&["dns", "check", "--json", bad.to_str().unwrap()]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"].as_array().unwrap().len(), 2);
    let out = tiwire(&["dns", "check", "/nonexistent/plan.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = tiwire(&["dns", "zonefile", &seed, "--zone", "other.example"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no such zone"), "{}", text(&out));
}

/// knotd, stopped (by its own PID) when dropped.
struct Knot {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Knot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port free for both UDP and TCP just now.
fn free_port() -> u16 {
    loop {
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = udp.local_addr().unwrap().port();
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

fn start_knot(knotd: &Path, plans: &[&str]) -> Knot {
    let dir = tempfile::tempdir().unwrap();
    let zones = dir.path().join("zones");
    std::fs::create_dir_all(&zones).unwrap();
    std::fs::create_dir_all(dir.path().join("db")).unwrap();
    std::fs::create_dir_all(dir.path().join("run")).unwrap();
    let mut zone_conf = String::new();
    for plan in plans {
        let out = tiwire(&["dns", "zonefile", &vector(plan)]);
        assert!(out.status.success(), "{}", text(&out));
        let file = String::from_utf8(out.stdout).unwrap();
        let origin = file
            .lines()
            .find_map(|l| l.strip_prefix("$ORIGIN "))
            .unwrap()
            .trim_end_matches('.')
            .to_owned();
        std::fs::write(zones.join(format!("{origin}.zone")), &file).unwrap();
        zone_conf.push_str(&format!("  - domain: {origin}\n"));
    }
    let port = free_port();
    let d = dir.path().display();
    let conf = format!(
        "server:\n    rundir: \"{d}/run\"\n    listen: [ 127.0.0.1@{port} ]\n    udp-max-payload: 1232\n\
         log:\n  - target: stderr\n    any: warning\n\
         database:\n    storage: \"{d}/db\"\n\
         template:\n  - id: default\n    storage: \"{d}/zones\"\n    file: \"%s.zone\"\n    zonefile-sync: -1\n\
         zone:\n{zone_conf}"
    );
    let conf_path = dir.path().join("knot.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let child = Command::new(knotd)
        .arg("-c")
        .arg(&conf_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Knot { child, port, _dir: dir }
}

fn discover(knot: &Knot, domain: &str, seed: &str) -> (Option<i32>, Value) {
    let server = format!("127.0.0.1:{}", knot.port);
    let out = tiwire(&["dns", "discover", "--server", &server, "--seed", seed, "--json", domain]);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), json)
}

fn service<'a>(json: &'a Value, labels: &str) -> &'a Value {
    json["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == labels)
        .unwrap()
}

fn targets(json: &Value, labels: &str) -> Vec<String> {
    service(json, labels)["targets"]
        .as_array()
        .map(|t| t.iter().map(|t| t["target"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn discover_against_knot() {
    let Some(knotd) = find("knotd") else {
        eprintln!("SKIPPED: knotd not installed (apt-get install knot knot-dnsutils); `tiwire dns discover` untested");
        return;
    };
    let mut knot = start_knot(&knotd, &["seed-example.zoneplan.toml", "bench-provider.zoneplan.toml"]);

    // Wait until knot answers (at most 10 s).
    let start = Instant::now();
    let (code, json) = loop {
        let (code, json) = discover(&knot, "anbieter.de", "1");
        if code != Some(2) || start.elapsed() > Duration::from_secs(10) {
            break (code, json);
        }
        if let Ok(Some(status)) = knot.child.try_wait() {
            panic!("knotd exited: {status}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["ok"], true);

    // TUC_VPN-ZD_0001: Hamburg first (priority 10), the backup site after (20); the TXT of the first target
    // gives DNS_SERVERS_TI and DOMAIN_SRVZONE_TI.
    let ti = targets(&json, "_isakmp._udp.ti-extern");
    assert_eq!(ti.len(), 3, "{json:#}");
    assert!(ti[..2].iter().all(|t| t.contains(".ham.")), "{ti:?}");
    assert_eq!(ti[2], "vpnk1.ber.ti-vpn-zugd.anbieter.de.");
    let first = &service(&json, "_isakmp._udp.ti-extern")["targets"][0];
    assert_eq!(
        first["txt"]["DNS_SERVERS_TI"],
        serde_json::json!(["100.97.20.13", "100.97.20.14"])
    );
    assert_eq!(
        first["txt"]["DOMAIN_SRVZONE_TI"],
        "ti-sz.ham.anbieter.vpn-zugd.telematik"
    );
    assert_eq!(first["addresses"].as_array().unwrap().len(), 2);
    // TUC_VPN-ZD_0002: the SIS side.
    let sis = &service(&json, "_isakmp._udp.sis-extern")["targets"][0];
    assert_eq!(sis["target"], "vpnk1.ham.sis-vpn-zugd.anbieter.de.");
    assert_eq!(
        sis["txt"]["DNS_SERVERS_SIS"],
        serde_json::json!(["100.97.21.13", "100.97.21.14"])
    );
    assert_eq!(
        sis["txt"]["DOMAIN_SRVZONE_SIS"],
        "sis-sz.ham.anbieter.vpn-zugd.telematik"
    );
    assert_eq!(targets(&json, "_regserver._tcp"), ["reg.vpn-zugd.anbieter.de."]);
    assert_eq!(targets(&json, "_hashandurl._tcp"), ["hashurl.vpn-zugd.anbieter.de."]);

    // Customers near Berlin: Berlin first; its disabled concentrator is not offered.
    let (code, json) = discover(&knot, "ber.anbieter.de.", "2");
    assert_eq!(code, Some(0), "{json:#}");
    let mut ti = targets(&json, "_isakmp._udp.ti-extern");
    assert_eq!(ti.remove(0), "vpnk1.ber.ti-vpn-zugd.anbieter.de.");
    ti.sort();
    assert_eq!(
        ti,
        [
            "vpnk1.ham.ti-vpn-zugd.anbieter.de.",
            "vpnk2.ham.ti-vpn-zugd.anbieter.de."
        ]
    );

    // The bench-sized zone: the 50-target SRV set does not fit 1232 bytes over UDP, so the resolver must retry
    // over TCP; SIS is the RFC 2782 "service absent" record.
    let (code, json) = discover(&knot, "anbieter-vpn.example", "3");
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(targets(&json, "_isakmp._udp.ti-extern").len(), 50);
    assert_eq!(service(&json, "_isakmp._udp.sis-extern")["status"], "absent");
    // Same seed, same order.
    let (_, again) = discover(&knot, "anbieter-vpn.example", "3");
    assert_eq!(
        targets(&again, "_isakmp._udp.ti-extern"),
        targets(&json, "_isakmp._udp.ti-extern")
    );

    // A domain without records: discovery fails (exit 1), not a usage error.
    let (code, json) = discover(&knot, "nowhere.anbieter.de", "1");
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(service(&json, "_isakmp._udp.ti-extern")["status"], "missing");

    // The text form, as an operator reads it.
    let out = tiwire(&[
        "dns",
        "discover",
        "--server",
        &format!("127.0.0.1:{}", knot.port),
        "anbieter.de",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(
            "DNS_SERVERS_TI=100.97.20.13,100.97.20.14 DOMAIN_SRVZONE_TI=ti-sz.ham.anbieter.vpn-zugd.telematik"
        ),
        "{}",
        text(&out)
    );
}

#[test]
fn discover_unreachable_server_is_exit_2() {
    // Nothing listens on this port; a short timeout keeps the test fast.
    let port = free_port();
    let out = tiwire(&[
        "dns",
        "discover",
        "--server",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "1",
        "anbieter.de",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}
