//! The command line's verbs, as `--help` lists them: the contract scripts and tests rely on.
//!
//! This test also makes `cargo test` / `cargo nextest run` build the `homeward` binary itself
//! (cargo builds a package's binaries for its integration tests), which the field library's
//! tests in `app/core/tests/field/` run: without a test here they could run a stale binary.

use std::process::Command;

#[test]
fn every_verb_of_the_contract_is_listed() {
    let out = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .arg("--help")
        .output()
        .expect("the binary runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for verb in [
        "init",
        "case",
        "assess",
        "visit",
        "need",
        "summons",
        "incident",
        "legal",
        "hearing",
        "school",
        "family",
        "risk",
        "service",
        "document",
        "today",
        "export",
        "import",
        "demo",
        "enrol",
        "sync",
        "spot-check",
        "pin",
    ] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{verb} "))),
            "`homeward --help` lists {verb}: {help}"
        );
    }
}
