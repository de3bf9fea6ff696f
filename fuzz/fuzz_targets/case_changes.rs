//! `case_changes`: see `homeward_shared::fuzzing::case_changes` (the replay test runs the same function).
#![no_main]

use std::sync::OnceLock;

use homeward_shared::fuzzing::{self, Fixture};
use libfuzzer_sys::fuzz_target;

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

fuzz_target!(
    init: {
        // libfuzzer-sys's hook aborts on every panic, even one the code under test catches
        // (homeward_shared::untrusted). Keep it only to list the panics the wrappers catch
        // (HOMEWARD_FUZZ_CAUGHT=1, scripts/fuzz --caught); otherwise an uncaught panic still
        // aborts, through libfuzzer-sys's catch_unwind around each input.
        if std::env::var_os("HOMEWARD_FUZZ_CAUGHT").is_none() {
            std::panic::set_hook(Box::new(|_| {}));
        }
        FIXTURE.get_or_init(Fixture::new);
    },
    |data: &[u8]| {
        fuzzing::case_changes(FIXTURE.get_or_init(Fixture::new), data);
    }
);
