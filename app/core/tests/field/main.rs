//! Integration tests of homeward-field: the store through the library, the `homeward` binary,
//! the SIGKILL loop, and the export read by the JavaScript Automerge implementation.

mod attachments;
mod attachments_cli;
mod attachments_sync;
mod bundles;
mod bundles_cli;
mod cli;
mod closures;
mod export_js;
mod fuzz_replay;
mod keystore;
mod kill;
mod programme;
mod resources;
mod resources_cli;
mod sealed_cases;
mod sealed_cases_cli;
mod similar;
mod sms;
mod store;
mod support;
mod sync;
