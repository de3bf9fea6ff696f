//! End-to-end tests for Homeward.
//!
//! Contract: tests here start the real `homeward-sync-server` binary on `127.0.0.1:0` and drive
//! the real `homeward` client binary; they never mock Homeward's own code. The binaries are
//! found beside the test executable in the target directory: build them first
//! (`cargo build --workspace --bins`, which `scripts/test` does).
