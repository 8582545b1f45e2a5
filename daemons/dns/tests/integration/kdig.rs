//! kdig against the running daemon: every RRset of the sample plans, truncation and TCP, negative answers,
//! refusals, EDNS.

use std::collections::BTreeSet;

use tiwire_dns::{PlanPolicy, ZonePlan};

use crate::{BENCH_PLAN, SEED_PLAN, kdig, run_kdig, serve, vector};

fn normalize(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with(';') && !l.starts_with('$'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Every RRset of every zone, asked by kdig over UDP (EDNS 1232, TCP after TC as kdig does) and over TCP,
/// equals the zone's records.
async fn every_rrset_of(plan_path: &str) {
    if kdig().is_none() {
        return;
    }
    let running = serve(plan_path).await;
    let plan = ZonePlan::from_toml(
        &std::fs::read_to_string(vector(plan_path)).unwrap(),
        &PlanPolicy::default(),
    )
    .unwrap();
    let addr = running.addr;
    for zone in plan.zones() {
        let expected = normalize(&zone.to_zone_file());
        for transport in ["+notcp", "+tcp"] {
            // kdig does not retry over TCP after TC: over UDP, the big SRV sets are left to the truncation test
            let mut questions = Vec::new();
            let mut expected = expected.clone();
            for set in zone.rrsets() {
                if transport == "+notcp" && set.records_without_rrsigs().count() > 20 {
                    let owner = format!("{} ", set.name());
                    expected.retain(|l| !l.starts_with(&owner));
                    continue;
                }
                questions.push(set.name().to_string());
                questions.push(set.record_type().to_string());
            }
            let got = tokio::task::spawn_blocking(move || {
                let mut args = vec![transport, "+norec", "+noall", "+answer", "+bufsize=1232"];
                args.extend(questions.iter().map(String::as_str));
                run_kdig(addr, &args)
            })
            .await
            .unwrap();
            let got = normalize(&got);
            let missing: Vec<_> = expected.difference(&got).collect();
            let extra: Vec<_> = got.difference(&expected).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "zone {} over {transport}: missing {missing:?}, extra {extra:?}",
                zone.origin()
            );
        }
    }
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kdig_sees_every_rrset_of_the_seed_plan() {
    every_rrset_of(SEED_PLAN).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kdig_sees_every_rrset_of_the_bench_plan() {
    every_rrset_of(BENCH_PLAN).await;
}

fn field<'a>(out: &'a str, key: &str) -> Option<&'a str> {
    let at = out.find(key)? + key.len();
    out[at..].split([';', ',', '\n']).next().map(str::trim)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_50_target_srv_set_is_truncated_over_udp_and_whole_over_tcp() {
    if kdig().is_none() {
        return;
    }
    let running = serve(BENCH_PLAN).await;
    let addr = running.addr;
    let name = "_isakmp._udp.ti-extern.anbieter-vpn.example";
    let udp = run_kdig(addr, &["+notcp", "+ignore", "+bufsize=1232", name, "SRV"]);
    assert!(field(&udp, "Flags:").unwrap().contains("tc"), "{udp}");
    assert_eq!(field(&udp, "ANSWER:"), Some("0"), "{udp}");
    let size: usize = field(&udp, "Received").unwrap().trim_end_matches(" B").parse().unwrap();
    assert!(size < 100, "{udp}");
    let noedns = run_kdig(addr, &["+notcp", "+ignore", "+noedns", name, "SRV"]);
    assert!(field(&noedns, "Flags:").unwrap().contains("tc"), "{noedns}");

    let tcp = run_kdig(addr, &["+tcp", "+bufsize=1232", name, "SRV"]);
    assert!(!field(&tcp, "Flags:").unwrap().contains("tc"), "{tcp}");
    assert_eq!(field(&tcp, "ANSWER:"), Some("50"), "{tcp}");
    assert_eq!(field(&tcp, "ADDITIONAL:"), Some("101"), "{tcp}"); // 50 A + 50 AAAA + OPT
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn negative_answers_refusals_and_edns() {
    if kdig().is_none() {
        return;
    }
    let running = serve(SEED_PLAN).await;
    let addr = running.addr;

    let nx = run_kdig(addr, &["nope.anbieter.de", "A"]);
    assert_eq!(field(&nx, "status:"), Some("NXDOMAIN"), "{nx}");
    assert!(field(&nx, "Flags:").unwrap().contains("aa"), "{nx}");
    assert!(nx.contains("AUTHORITY SECTION:") && nx.contains("\tSOA\t"), "{nx}");
    assert!(
        nx.contains("anbieter.de.") && nx.contains("\t300\tIN\tSOA"),
        "negative TTL: {nx}"
    );

    let nodata = run_kdig(addr, &["vpnk1.ham.ti-vpn-zugd.anbieter.de", "MX"]);
    assert_eq!(field(&nodata, "status:"), Some("NOERROR"), "{nodata}");
    assert_eq!(field(&nodata, "ANSWER:"), Some("0"), "{nodata}");
    assert_eq!(field(&nodata, "AUTHORITY:"), Some("1"), "{nodata}");

    let ent = run_kdig(addr, &["ti-extern.anbieter.de", "A"]);
    assert_eq!(field(&ent, "status:"), Some("NOERROR"), "empty non-terminal: {ent}");

    for args in [
        &["example.org", "A"][..],
        &["+rec", "www.example.com", "A"],
        &["anbieter.de", "ANY"],
        &["+tcp", "anbieter.de", "AXFR"],
        &["-c", "CH", "version.bind", "TXT"],
    ] {
        let out = run_kdig(addr, args);
        if args.contains(&"AXFR") {
            assert!(out.contains("REFUSED"), "{args:?}: {out}");
            continue;
        }
        assert_eq!(field(&out, "status:"), Some("REFUSED"), "{args:?}: {out}");
        assert!(!field(&out, "Flags:").unwrap().contains("ra"), "{out}");
    }

    // RD set: still answered authoritatively, RA never set
    let rd = run_kdig(addr, &["+rec", "anbieter.de", "SOA"]);
    let flags = field(&rd, "Flags:").unwrap();
    assert!(
        flags.contains("aa") && flags.contains("rd") && !flags.contains("ra"),
        "{rd}"
    );

    // EDNS: our payload size echoed; version 1 gets BADVERS; none without EDNS
    let edns = run_kdig(addr, &["+bufsize=4096", "anbieter.de", "SOA"]);
    assert!(
        edns.contains("EDNS PSEUDOSECTION") && edns.contains("UDP size: 1232 B"),
        "{edns}"
    );
    let badvers = run_kdig(addr, &["+edns=1", "+noidn", "anbieter.de", "SOA"]);
    assert!(badvers.contains("BADVERS"), "{badvers}");
    let plain = run_kdig(addr, &["+noedns", "anbieter.de", "SOA"]);
    assert!(!plain.contains("EDNS PSEUDOSECTION"), "{plain}");
    assert_eq!(field(&plain, "ANSWER:"), Some("1"), "{plain}");

    // every type the seed tables name resolves in the TI service zone
    let sz = run_kdig(
        addr,
        &["+short", "_ocsp._tcp.ti-sz.ham.anbieter.vpn-zugd.telematik", "SRV"],
    );
    assert!(sz.contains("ocsp-fwd.ti-sz.ham.anbieter.vpn-zugd.telematik."), "{sz}");
    running.shutdown().await;
}
