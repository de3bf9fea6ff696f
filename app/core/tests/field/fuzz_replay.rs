//! Every committed input of the `import` fuzz target (`fuzz/corpus/import`, and the crashes
//! under `fuzz/regressions/import`), through the same function as the fuzz target
//! (`homeward_field::fuzzing::import`) and through `homeward import`: refused with an error
//! (exit 2), never a panic (exit 101) or an abort (a signal).

use std::path::{Path, PathBuf};

use crate::support::{Folder, homeward, new_store, stderr};

fn inputs() -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut out = Vec::new();
    for kind in ["corpus", "regressions"] {
        if let Ok(entries) = std::fs::read_dir(fuzz.join(kind).join("import")) {
            out.extend(entries.map(|e| e.expect("a readable entry").path()));
        }
    }
    out.sort();
    assert!(
        out.len() >= 2,
        "only {} committed import inputs: is fuzz/ where it was?",
        out.len()
    );
    out
}

#[test]
fn import_inputs_are_refused_without_a_panic_by_the_store() {
    let folder = Folder::new();
    let mut store = new_store(folder.path());
    for f in inputs() {
        eprintln!("import: {}", f.display());
        let bytes = std::fs::read(&f).expect("a readable input");
        homeward_field::fuzzing::import(&mut store, &bytes);
    }
    let cases = store
        .cases(&homeward_field::store::CaseFilter::default())
        .expect("the store still reads");
    assert!(cases.is_empty(), "no input imports a case: {}", cases.len());
}

#[test]
fn homeward_import_of_each_input_exits_with_an_error() {
    let folder = Folder::new();
    drop(new_store(folder.path()));
    for f in inputs() {
        let o = homeward(
            folder.path(),
            &["import", f.to_str().expect("a utf-8 path")],
        );
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "homeward import {}: {err}",
            f.display()
        );
        assert!(
            err.starts_with("error: ") && err.trim_end().lines().count() == 1,
            "{}: one error line (a caught Automerge panic prints nothing more): {err:?}",
            f.display()
        );
    }
}
