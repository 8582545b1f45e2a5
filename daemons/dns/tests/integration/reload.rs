//! Reload: the library function SIGHUP calls while a query loop runs (no query lost), a broken plan keeps the
//! old zones, and the binary reloads on a real SIGHUP.

use std::process::{Command, Stdio};
use std::time::Duration;

use tiwire_dns::hickory_proto::rr::{RData, RecordType};
use tokio::net::UdpSocket;

use crate::wire::{query, udp_ask};
use crate::{SEED_PLAN, config, kdig, run_kdig, vector};

fn plan_with_serial(serial: u32) -> String {
    std::fs::read_to_string(vector(SEED_PLAN))
        .unwrap()
        .replace("serial = 2026010101", &format!("serial = {serial}"))
}

fn serial(message: &tiwire_dns::hickory_proto::op::Message) -> u32 {
    match &message.answers[0].data {
        RData::SOA(soa) => soa.serial,
        other => panic!("not a SOA: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reload_under_load_loses_no_query() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, plan_with_serial(1)).unwrap();
    let running = tiwire_dnsd::start(config(&plan, "")).await.unwrap();
    let addr = running.addr;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut loops = Vec::new();
    for worker in 0..4u16 {
        let stop = stop.clone();
        loops.push(tokio::spawn(async move {
            let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
            let (mut asked, mut serials) = (0u32, std::collections::BTreeSet::new());
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let id = worker
                    .wrapping_mul(10_000)
                    .wrapping_add(u16::try_from(asked % 10_000).unwrap());
                let r = udp_ask(&socket, addr, &query(id, "anbieter.de.", RecordType::SOA)).await;
                let r = r.unwrap_or_else(|| panic!("query {asked} of worker {worker} lost"));
                assert_eq!(r.metadata.id, id);
                serials.insert(serial(&r));
                asked += 1;
            }
            (asked, serials)
        }));
    }
    for serial in 2..=6 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        std::fs::write(&plan, plan_with_serial(serial)).unwrap();
        running.reload().await.unwrap();
    }
    // a broken plan: the reload fails and the last good zones stay
    std::fs::write(&plan, plan_with_serial(7).replace("[[nameservers]]", "[[nameserver]]")).unwrap();
    assert!(running.reload().await.is_err());
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut total = 0;
    let mut seen = std::collections::BTreeSet::new();
    for l in loops {
        let (asked, serials) = l.await.unwrap();
        total += asked;
        seen.extend(serials);
    }
    assert!(total > 100, "only {total} queries");
    assert!(seen.contains(&1) && seen.contains(&6) && !seen.contains(&7), "{seen:?}");
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    assert_eq!(
        serial(
            &udp_ask(&socket, addr, &query(9, "anbieter.de.", RecordType::SOA))
                .await
                .unwrap()
        ),
        6
    );
    running.shutdown().await;
}

#[test]
fn the_binary_checks_its_config_and_reloads_on_sighup() {
    let Some(_) = kdig() else { return };
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, plan_with_serial(10)).unwrap();
    // Port 0: the daemon picks one for UDP and TCP and logs it (no probe-and-release race).
    let conf = dir.path().join("dnsd.toml");
    std::fs::write(&conf, "listen = [\"127.0.0.1:0\"]\nplan = \"plan.toml\"\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_tiwire-dnsd");
    let check = Command::new(bin)
        .args(["--check-config", "-c"])
        .arg(&conf)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "listen = [\"127.0.0.1:0\"]\nplan = \"missing.toml\"\n").unwrap();
    assert!(
        !Command::new(bin)
            .args(["--check-config", "-c"])
            .arg(&bad)
            .output()
            .unwrap()
            .status
            .success()
    );

    let mut child = Command::new(bin)
        .arg("-c")
        .arg(&conf)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The log line "serving DNS over UDP and TCP addr=127.0.0.1:<port>" (colour codes skipped, if any).
    let mut log = std::io::BufReader::new(child.stderr.take().unwrap());
    let port = loop {
        let mut line = String::new();
        assert!(
            std::io::BufRead::read_line(&mut log, &mut line).unwrap() > 0,
            "the daemon exited"
        );
        if let Some(at) = line.find("127.0.0.1:").filter(|_| line.contains("serving DNS")) {
            let digits: String = line[at + 10..].chars().take_while(char::is_ascii_digit).collect();
            break digits.parse::<u16>().unwrap();
        }
    };
    // Keep draining the log so the daemon never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let soa = |addr| run_kdig(addr, &["+short", "anbieter.de", "SOA"]);
    let mut up = false;
    for _ in 0..50 {
        if soa(addr).contains(" 10 ") {
            up = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(up, "the daemon did not come up");
    std::fs::write(&plan, plan_with_serial(11)).unwrap();
    let hup = |child: &std::process::Child| {
        assert!(
            Command::new("kill")
                .args(["-HUP", &child.id().to_string()])
                .status()
                .unwrap()
                .success()
        );
    };
    hup(&child);
    let mut reloaded = false;
    for _ in 0..50 {
        if soa(addr).contains(" 11 ") {
            reloaded = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(reloaded, "SIGHUP did not reload");
    // a broken plan: the daemon keeps serving serial 11
    std::fs::write(&plan, "this is not a plan").unwrap();
    hup(&child);
    std::thread::sleep(Duration::from_millis(300));
    assert!(soa(addr).contains(" 11 "));
    assert!(child.try_wait().unwrap().is_none(), "still running");
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let status = child.wait().unwrap();
    assert!(status.success(), "SIGTERM ends it cleanly: {status:?}");
}
