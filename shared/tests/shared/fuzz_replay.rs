//! Every committed fuzz input (`fuzz/corpus/` seeds and `fuzz/regressions/` crashes) of the
//! `sync_body`, `case_document` and `case_changes` targets, run on stable through the same
//! functions as the fuzz targets (`homeward_shared::fuzzing`). A regression input made automerge
//! panic (or save a document that does not load back) before `homeward_shared::untrusted`
//! caught it; here it must still hit that bug, and come back as an error, not a panic. A seed
//! must hit none.

use std::path::{Path, PathBuf};

use homeward_shared::fuzzing::{self, Fixture};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The committed inputs of a target, under `corpus/` and `regressions/`.
fn inputs(target: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for kind in ["corpus", "regressions"] {
        let dir = fuzz_dir().join(kind).join(target);
        if let Ok(entries) = std::fs::read_dir(&dir) {
            out.extend(entries.map(|e| e.expect("a readable entry").path()));
        }
    }
    out.sort();
    out
}

fn replay(target: &str, at_least: usize, run: impl Fn(&Fixture, &[u8]) -> fuzzing::Caught) {
    let fx = Fixture::new();
    let files = inputs(target);
    assert!(
        files.len() >= at_least,
        "{target}: {} committed inputs, expected at least {at_least}: is fuzz/ where it was?",
        files.len()
    );
    for f in files {
        let bytes = std::fs::read(&f).expect("a readable input");
        eprintln!("{target}: {}", f.display());
        let caught = run(&fx, &bytes);
        let regression = f.parent().and_then(Path::parent).and_then(Path::file_name)
            == Some("regressions".as_ref());
        if regression {
            assert!(
                !caught.is_empty(),
                "{}: no longer hits an automerge bug: replace it with an input that does",
                f.display()
            );
        } else {
            assert!(caught.is_empty(), "{}: a seed hits {caught:?}", f.display());
        }
    }
}

#[test]
fn sync_body_inputs_are_refused_or_read_without_a_panic() {
    replay("sync_body", 3, fuzzing::sync_body);
}

#[test]
fn case_document_inputs_are_refused_or_read_without_a_panic() {
    replay("case_document", 3, fuzzing::case_document);
}

#[test]
fn case_changes_inputs_are_refused_or_applied_without_a_panic() {
    replay("case_changes", 2, fuzzing::case_changes);
}

#[test]
fn the_seed_corpus_is_committed_as_generated() {
    // The committed seeds are what `cargo run -p homeward-shared --example fuzz_seeds` writes
    // today, so a schema change that would make them stale shows up here.
    for (target, name, bytes) in fuzzing::seed_corpus() {
        let path = fuzz_dir().join("corpus").join(target).join(&name);
        let committed = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}: regenerate the seeds", path.display()));
        assert!(
            committed == bytes,
            "{}: stale, regenerate the seeds",
            path.display()
        );
    }
}

#[test]
fn the_seed_changes_reach_the_readers_of_each_part_of_the_case() {
    // The fuzzers start from these: a part no seed holds is a part they rarely reach.
    let (mut doc, later) = fuzzing::seed_and_later_changes();
    let changes: Vec<_> = later
        .iter()
        .map(|c| homeward_shared::untrusted::parse_change(c).expect("a change"))
        .collect();
    doc.apply_changes(changes).expect("the later changes apply");
    let case = homeward_shared::schema::read_case(&doc).expect("reads");
    assert!(!case.visits.is_empty() && !case.services.is_empty());
    let referral = case
        .referrals
        .first()
        .expect("a referral, made on the older seed case");
    assert_eq!(referral.steps.len(), 1);
}
