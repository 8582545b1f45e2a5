//! DNSSEC against real validators: `kzonecheck --dnssec on` (knot-dnssecutils) on the signed zones the daemon
//! dumps, `delv` (bind9-dnsutils) validating positive, NXDOMAIN and NODATA answers from the running daemon with
//! the zone's DS as trust anchor, and raw DO=1 queries (RRSIGs present, DO copied, TC when too big). The tests
//! needing a tool say so and skip when it is absent; CI installs both.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use tiwire_dns::hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use tiwire_dns::hickory_proto::rr::{Name, RecordType};
use tiwire_dnsd::{Config, ZoneKey};
use tokio::net::UdpSocket;

use crate::wire::udp_ask;
use crate::{BENCH_PLAN, SEED_PLAN, config, vector};

fn tool(name: &str, version_arg: &str, package: &str) -> bool {
    let found = Command::new(name).arg(version_arg).output().is_ok();
    if !found {
        println!("SKIPPED: {name} not found (apt-get install {package})");
    }
    found
}

/// A signed configuration for `plan` with a fresh key in `dir`.
fn signed_config(dir: &Path, plan: &str) -> Config {
    let key = dir.join("zone.key.pem");
    std::fs::write(&key, ZoneKey::generate_pem().unwrap()).unwrap();
    config(
        &vector(plan),
        &format!("[dnssec]\nkey = {:?}\nvalidity_days = 14\n", key.display().to_string()),
    )
}

fn kzonecheck(zone: &str, file: &Path) -> (bool, String) {
    let out = Command::new("kzonecheck")
        .args(["--dnssec", "on", "-o", zone])
        .arg(file)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn kzonecheck_accepts_the_signed_zones_and_rejects_a_forged_signature() {
    if !tool("kzonecheck", "-V", "knot-dnssecutils") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for plan in [SEED_PLAN, BENCH_PLAN] {
        let config = signed_config(dir.path(), plan);
        let out = dir.path().join("zones");
        std::fs::create_dir_all(&out).unwrap();
        let files = tiwire_dnsd::dump_signed(&config, &out, SystemTime::now()).unwrap();
        assert!(!files.is_empty());
        for file in &files {
            let zone = file
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .trim_end_matches("zone")
                .to_owned();
            let (ok, text) = kzonecheck(&zone, file);
            assert!(ok, "kzonecheck {zone}: {text}");
            let zone_text = std::fs::read_to_string(file).unwrap();
            assert!(zone_text.contains(" IN DNSKEY 257 3 "), "{zone}");
            assert!(zone_text.contains(" IN NSEC "), "{zone}");
        }
    }
    // the check is real: one flipped signature byte fails it
    let file: PathBuf = dir.path().join("zones/anbieter.de.zone");
    let text = std::fs::read_to_string(&file).unwrap();
    let forged: Vec<String> = text
        .lines()
        .map(|l| {
            if l.contains(" RRSIG SOA ") {
                let (head, sig) = l.rsplit_once(' ').unwrap();
                let flip = if sig.starts_with('A') { 'B' } else { 'A' };
                format!("{head} {flip}{}", &sig[1..])
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&file, forged.join("\n")).unwrap();
    let (ok, text) = kzonecheck("anbieter.de.", &file);
    assert!(!ok, "a forged RRSIG passed: {text}");
}

/// Runs delv against `addr` with the anchor file; returns its output.
fn delv(addr: SocketAddr, anchor: &Path, zone: &str, name: &str, qtype: &str) -> String {
    let out = Command::new("delv")
        .arg(format!("@{}", addr.ip()))
        .args(["-p", &addr.port().to_string(), "-a"])
        .arg(anchor)
        .arg(format!("+root={zone}"))
        .args([name, qtype])
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn anchor_file(dir: &Path, ds_line: &str, name: &str) -> PathBuf {
    let f: Vec<&str> = ds_line.split_whitespace().collect();
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "trust-anchors {{\n  {} static-ds {} {} {} \"{}\";\n}};\n",
            f[0], f[3], f[4], f[5], f[6]
        ),
    )
    .unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn delv_validates_positive_nxdomain_and_nodata_answers() {
    if !tool("delv", "-v", "bind9-dnsutils") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = signed_config(dir.path(), SEED_PLAN);
    let ds = tiwire_dnsd::ds_records(&config).unwrap();
    let running = tiwire_dnsd::start(config).await.unwrap();
    let addr = running.addr;
    let dir_path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let ds = ds.iter().find(|l| l.starts_with("anbieter.de. ")).unwrap();
        let anchor = anchor_file(&dir_path, ds, "anchor.conf");
        let zone = "anbieter.de";
        for (name, qtype, expect) in [
            ("_regserver._tcp.anbieter.de", "SRV", "; fully validated"),
            ("anbieter.de", "DNSKEY", "; fully validated"),
            ("anbieter.de", "SOA", "; fully validated"),
            ("nope.anbieter.de", "A", "; negative response, fully validated"),
            (
                "deeper.nope._tcp.anbieter.de",
                "TXT",
                "; negative response, fully validated",
            ),
            (
                "_regserver._tcp.anbieter.de",
                "TXT",
                "; negative response, fully validated",
            ),
            // an empty non-terminal: NODATA proven by the covering NSEC
            ("_tcp.anbieter.de", "A", "; negative response, fully validated"),
        ] {
            let out = delv(addr, &anchor, zone, name, qtype);
            assert!(out.contains(expect), "{name} {qtype}: {out}");
            if qtype != "SRV" && expect.contains("negative") {
                let what = if name.starts_with("nope") || name.starts_with("deeper") {
                    "NXDOMAIN"
                } else {
                    "NXRRSET"
                };
                assert!(out.contains(what), "{name} {qtype}: {out}");
            }
        }
        // another key's DS: validation fails (the test can fail)
        let other = ZoneKey::from_pem(ZoneKey::generate_pem().unwrap().as_bytes()).unwrap();
        let wrong = anchor_file(
            &dir_path,
            &other.ds_line(&Name::from_ascii("anbieter.de.").unwrap()).unwrap(),
            "wrong.conf",
        );
        let out = delv(addr, &wrong, zone, "_regserver._tcp.anbieter.de", "SRV");
        assert!(!out.contains("fully validated"), "{out}");
    })
    .await
    .unwrap();
    running.shutdown().await;
}

fn query(name: &str, qtype: RecordType, dnssec_ok: bool, payload: u16) -> Vec<u8> {
    let mut m = Message::new(7, MessageType::Query, OpCode::Query);
    m.add_query(Query::query(Name::from_ascii(name).unwrap(), qtype));
    let mut edns = Edns::new();
    edns.set_dnssec_ok(dnssec_ok);
    edns.set_max_payload(payload);
    m.set_edns(edns);
    m.to_vec().unwrap()
}

fn count(records: &[tiwire_dns::hickory_proto::rr::Record], rtype: RecordType) -> usize {
    records.iter().filter(|r| r.record_type() == rtype).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn do_bit_selects_signed_answers_and_truncation_still_holds() {
    let dir = tempfile::tempdir().unwrap();
    let running = tiwire_dnsd::start(signed_config(dir.path(), BENCH_PLAN)).await.unwrap();
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = running.addr;
    let srv = "_regserver._tcp.anbieter-vpn.example.";
    let plain = udp_ask(&socket, addr, &query(srv, RecordType::SRV, false, 1232))
        .await
        .unwrap();
    assert_eq!(count(&plain.answers, RecordType::RRSIG), 0);
    assert!(!plain.edns.as_ref().unwrap().flags().dnssec_ok);
    let signed = udp_ask(&socket, addr, &query(srv, RecordType::SRV, true, 1232))
        .await
        .unwrap();
    assert!(signed.edns.as_ref().unwrap().flags().dnssec_ok, "DO copied");
    assert_eq!(count(&signed.answers, RecordType::RRSIG), 1);
    assert!(
        count(&signed.additionals, RecordType::RRSIG) >= 1,
        "glue signed: {signed:?}"
    );
    assert!(!signed.metadata.authentic_data);
    // NXDOMAIN: SOA, its RRSIG, NSEC proofs with RRSIGs
    let nx = udp_ask(
        &socket,
        addr,
        &query("konz999.ham.anbieter-vpn.example.", RecordType::A, true, 1232),
    )
    .await
    .unwrap();
    assert_eq!(nx.metadata.response_code, ResponseCode::NXDomain);
    assert_eq!(count(&nx.authorities, RecordType::SOA), 1);
    let nsecs = count(&nx.authorities, RecordType::NSEC);
    assert!((1..=2).contains(&nsecs), "{nx:?}");
    assert_eq!(count(&nx.authorities, RecordType::RRSIG), 1 + nsecs);
    // the 50-target SRV set: TC over UDP, whole with its RRSIG over TCP (kdig)
    let all = "_isakmp._udp.ti-extern.anbieter-vpn.example.";
    let tc = udp_ask(&socket, addr, &query(all, RecordType::SRV, true, 1232))
        .await
        .unwrap();
    assert!(tc.metadata.truncation && tc.answers.is_empty(), "{tc:?}");
    // a small payload: signed NXDOMAIN does not fit 512 with two NSECs? then TC, never a partial section
    let small = udp_ask(
        &socket,
        addr,
        &query("konz999.ham.anbieter-vpn.example.", RecordType::A, true, 512),
    )
    .await
    .unwrap();
    assert!(small.metadata.truncation || count(&small.authorities, RecordType::RRSIG) == 1 + nsecs);
    running.shutdown().await;
}

#[test]
fn signatures_are_renewed_before_they_expire() {
    // Fake clock: the table built at T renews at T + 2/3 validity; a table built then reaches further.
    let dir = tempfile::tempdir().unwrap();
    let config = signed_config(dir.path(), SEED_PLAN);
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000);
    let first = tiwire_dnsd::check_at(&config, t).unwrap();
    let validity = Duration::from_secs(14 * 86_400);
    let at = first.resign_at().unwrap();
    assert_eq!(at, t + validity * 2 / 3);
    assert!(at < t + validity, "renewed before expiry");
    let second = tiwire_dnsd::check_at(&config, at).unwrap();
    assert!(second.resign_at().unwrap() > t + validity);
    // unsigned configuration: no timer
    let unsigned = tiwire_dnsd::check_at(&config_without_dnssec(), t).unwrap();
    assert!(unsigned.resign_at().is_none());
}

fn config_without_dnssec() -> Config {
    config(&vector(SEED_PLAN), "")
}
