//! The registry's own OpenAPI description (`openapi.yaml`) checked by schemathesis, a property-based API
//! tester no one here wrote, against a running registry. CI installs it (`pip install schemathesis`) and sets
//! `TIWIRE_SCHEMATHESIS=<path to the schemathesis command>`; without that variable the test says so and passes,
//! so `cargo test` works on a machine without Python.

use std::process::Command;

use tiwire_registry::start;

use crate::world::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_contract_holds() {
    let Ok(schemathesis) = std::env::var("TIWIRE_SCHEMATHESIS") else {
        eprintln!("TIWIRE_SCHEMATHESIS not set: schemathesis run skipped (CI sets it)");
        return;
    };
    let world = World::new();
    let (vzd, _state) = world.vzd(7).await;
    let registry = start(world.config(vzd.addr, "")).await.unwrap();
    let root = world.dir.path().join("roots.pem");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml");
    let url = format!("https://localhost:{}", registry.addr.port());
    let output = tokio::task::spawn_blocking(move || {
        Command::new(schemathesis)
            .args(["run", spec, "--url", &url, "--checks", "all", "--max-examples", "30"])
            .arg(format!("--tls-verify={}", root.display()))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    registry.shutdown().await;
}
