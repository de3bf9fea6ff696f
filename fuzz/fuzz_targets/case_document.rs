//! `case_document`: see `homeward_shared::fuzzing::case_document` (the replay test runs the same function).
#![no_main]

use std::sync::OnceLock;

use homeward_shared::fuzzing::{self, Fixture};
use libfuzzer_sys::fuzz_target;

static FIXTURE: OnceLock<Fixture> = OnceLock::new();
/// `HOMEWARD_FUZZ_CAUGHT` is set (`scripts/fuzz --caught`).
static STOP_AT_CAUGHT: OnceLock<bool> = OnceLock::new();

fuzz_target!(
    init: {
        let stop = std::env::var_os("HOMEWARD_FUZZ_CAUGHT").is_some();
        STOP_AT_CAUGHT.get_or_init(|| stop);
        // libfuzzer-sys's hook aborts on every panic, even one homeward_shared::untrusted
        // catches. Keep it only to list automerge's panic sites (scripts/fuzz --caught);
        // otherwise an uncaught panic still aborts, through libfuzzer-sys's catch_unwind
        // around each input.
        if !stop {
            std::panic::set_hook(Box::new(|_| {}));
        }
        FIXTURE.get_or_init(Fixture::new);
    },
    |data: &[u8]| {
        let caught = fuzzing::case_document(FIXTURE.get_or_init(Fixture::new), data);
        if STOP_AT_CAUGHT.get() == Some(&true) && !caught.is_empty() {
            panic!("caught: {caught:?}");
        }
    }
);
