//! Knot's zone checker accepts every zone the sample plans make (`kzonecheck`, Debian package
//! knot-dnssecutils). Skipped with a message only when kzonecheck is not installed.

use std::process::Command;

use tiwire_dns::{PlanPolicy, ZonePlan};

use crate::{BENCH_PLAN, SEED_PLAN};

fn kzonecheck() -> Option<&'static str> {
    [
        "/usr/bin/kzonecheck",
        "/usr/sbin/kzonecheck",
        "/usr/local/bin/kzonecheck",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
}

#[test]
fn kzonecheck_accepts_the_emitted_zones() {
    let Some(checker) = kzonecheck() else {
        eprintln!("SKIPPED: kzonecheck not installed (apt-get install knot-dnssecutils)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("tiwire-dns-kzonecheck-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut checked = 0;
    for text in [SEED_PLAN, BENCH_PLAN] {
        let plan = ZonePlan::from_toml(text, &PlanPolicy::default()).unwrap();
        for zone in plan.zones() {
            let origin = zone.origin().to_string();
            let path = dir.join(format!("{origin}zone"));
            std::fs::write(&path, zone.to_zone_file()).unwrap();
            let out = Command::new(checker)
                .args(["-v", "-o", &origin])
                .arg(&path)
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "kzonecheck {origin}: {text}");
            assert!(text.contains("No semantic error found"), "kzonecheck {origin}: {text}");
            checked += 1;
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(checked, (1 + 2) + (1 + 6));
}
