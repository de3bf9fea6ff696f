//! End-to-end tests for Homeward.
//!
//! Contract: tests here start the real `homeward-sync-server` binary on `127.0.0.1:0` and drive
//! real clients; they never mock Homeward's own code. Not built yet: the sync issue fills it.
