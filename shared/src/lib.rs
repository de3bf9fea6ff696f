//! Homeward's domain, shared by the field app and the sync server.
//!
//! This crate owns the reintegration case as typed data ([`model`], [`need`]), its Automerge
//! document layout ([`schema`], the only module that names document keys), every edit as data
//! ([`edit`]), the rules that decide the next required support and the next visit ([`prompt`],
//! tuned by the [`programme`] file), the monthly indicators ([`indicators`]), the de-identified
//! systemic gaps ([`gaps`]), the monthly spot-check sample of reported visits and its
//! discrepancy rate ([`spotcheck`]), a seeded generator of synthetic caseloads ([`synth`]), the
//! sync wire format ([`wire`]), the message catalogues in English and Hindi ([`i18n`]) and the
//! likely duplicates of a child about to be registered, across Hindi and English spellings
//! ([`duplicates`]).
//!
//! It must stay pure: no file, database or network access, no clock (today and "now" are
//! passed in), no randomness (seeds and ids are passed in). `.ci/run` checks that its
//! dependency tree holds no tokio, reqwest, rusqlite, axum, hyper or tauri.

pub mod attachment;
pub mod bundle;
pub mod duplicates;
pub mod edit;
pub mod fuzzing;
pub mod gaps;
pub mod i18n;
pub mod indicators;
pub mod model;
pub mod need;
pub mod programme;
pub mod prompt;
pub mod refusal;
pub mod resource;
pub mod schema;
pub mod seal;
pub mod sms;
pub mod spotcheck;
pub mod synth;
pub mod untrusted;
pub mod wire;

pub use automerge;
