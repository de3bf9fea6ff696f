//! The export is a standard Automerge document: the JavaScript implementation loads and reads it.
//! Needs Node and `npm ci` in `app/core/tests/js` (done by `.ci/run`).

use std::process::Command;

use crate::support::{at, new_store, profile};

#[test]
fn the_javascript_automerge_reads_an_exported_case() {
    let js = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/js");
    assert!(
        std::path::Path::new(js)
            .join("node_modules/@automerge/automerge")
            .exists(),
        "run `npm ci --prefix app/core/tests/js` first (.ci/run does)"
    );
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-js", "Kajal Kumari", "सोनपुर"),
            at("2026-09-02"),
        )
        .expect("registers");
    let file = tmp.path().join("case.automerge");
    std::fs::write(&file, store.export("case-js").expect("export")).expect("write");
    let o = Command::new("node")
        .arg(format!("{js}/read-case.mjs"))
        .arg(&file)
        .output()
        .expect("node runs");
    assert!(
        o.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON from node");
    assert_eq!(out["kind"], "homeward/case");
    assert_eq!(out["case_id"], "case-js");
    assert_eq!(out["name"], "Kajal Kumari");
    assert_eq!(out["village"], "सोनपुर");
    assert_eq!(out["returned_on"], "2026-09-01");
    assert_eq!(out["needs"], 7);
}
