//! The Homeward field client without a window.
//!
//! This crate owns everything the field app can do: the encrypted local store ([`store`]),
//! case editing through [`homeward_shared::edit::Edit`], and the sync client ([`sync`]). The Tauri shell and the `homeward` command line are thin layers over it, and tests
//! call it directly.
//!
//! It reads the clock and the random source at this edge ([`store::now`], [`store::new_id`])
//! and passes them into `homeward-shared`, which stays pure. It must never depend on the Tauri
//! shell or the sync server.

pub mod attachments_sync;
pub mod attempts;
pub mod error;
pub mod fuzzing;
pub mod key;
pub mod keystore;
pub mod scan;
pub mod settings;
pub mod similar;
pub mod store;
pub mod sync;

pub use error::{FieldError, Result};
pub use store::Store;

/// Installs a panic hook that stays silent for the Automerge panics
/// [`homeward_shared::untrusted`] catches (they become one-line errors: "the input is
/// malformed") and reports every other panic as before. The command line and the app call it
/// once at start.
pub fn quiet_caught_panics() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !homeward_shared::untrusted::inside_guard() {
            report(info);
        }
    }));
}
