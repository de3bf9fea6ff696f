//! # Fuzzing
//!
//! The per-input body of the `import` fuzz target (`fuzz/fuzz_targets/import.rs`) and of its
//! replay test (`app/core/tests/field/fuzz_replay.rs`), in one place so they cannot drift.

use crate::Store;

/// `import`: a file of any bytes imported into a real store, as `homeward import` does. It
/// must be refused with an error (or, for a real case file of this device, imported); a case it
/// imports must export again.
pub fn import(store: &mut Store, data: &[u8]) {
    if let Ok((id, _)) = store.import(data) {
        assert!(
            store.export(&id).is_ok(),
            "an imported case does not export"
        );
    }
}
