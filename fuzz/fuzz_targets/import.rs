//! `import`: see `homeward_field::fuzzing::import` (the replay test runs the same function,
//! and `homeward import` over each committed input).
#![no_main]

use std::sync::Mutex;

use homeward_field::Store;
use homeward_field::keystore::Keystore;
use homeward_shared::model::Author;
use libfuzzer_sys::fuzz_target;

/// One store for the whole run (opening one costs the PIN's key derivation), in a temporary
/// folder with a file keystore beside the data folder.
struct Fixture {
    _tmp: tempfile::TempDir,
    store: Store,
}

static FIXTURE: Mutex<Option<Fixture>> = Mutex::new(None);

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let data = tmp.path().join("data");
    let keys = Keystore::File(tmp.path().join("keys"));
    let author = Author {
        user_id: "fw-1".into(),
        name: "Asha Verma".into(),
    };
    let store = Store::init(&data, &keys, "246813", &author).expect("a new store");
    Fixture { _tmp: tmp, store }
}

fuzz_target!(
    init: {
        // As in the other targets: a caught panic must not abort (HOMEWARD_FUZZ_CAUGHT=1 keeps
        // libfuzzer-sys's aborting hook, to list them).
        if std::env::var_os("HOMEWARD_FUZZ_CAUGHT").is_none() {
            std::panic::set_hook(Box::new(|_| {}));
        }
        *FIXTURE.lock().expect("not poisoned") = Some(fixture());
    },
    |data: &[u8]| {
        let mut guard = FIXTURE.lock().unwrap_or_else(|e| e.into_inner());
        let fx = guard.get_or_insert_with(fixture);
        homeward_field::fuzzing::import(&mut fx.store, data);
    }
);
