//! Where a test's store lives: the one switch that runs the server's test suite and the
//! end-to-end tests on SQLite or on PostgreSQL (`scripts/test` runs them both ways).
//!
//! A test names its store by a file path, as on SQLite. When `HOMEWARD_TEST_POSTGRES` names a
//! PostgreSQL database (`postgres://127.0.0.1/test`), the path stands for a schema of its own
//! there instead: made new the first time the path is named, opened again after, with the path
//! holding only a marker so that a second name of it finds the same schema.

use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::Path;

use super::Store;
use super::db::Db;
use crate::error::ApiError;

/// The variable that moves the tests to PostgreSQL.
pub const POSTGRES_VAR: &str = "HOMEWARD_TEST_POSTGRES";

/// Whether the tests run on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var(POSTGRES_VAR).is_ok_and(|b| !b.is_empty())
}

/// The PostgreSQL URL of the schema that stands for `path`, made new the first time; `None` on
/// SQLite.
///
/// # Panics
/// When PostgreSQL does not answer or the schema cannot be made: a test cannot go on.
pub fn db_arg(path: &Path) -> Option<String> {
    let base = std::env::var(POSTGRES_VAR).ok().filter(|b| !b.is_empty())?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    let schema = format!("t_{:016x}", h.finish());
    if !path.exists() {
        Db::postgres(&base)
            .expect("connects to PostgreSQL")
            .execute_batch(&format!(
                "SET client_min_messages = WARNING;
                 DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
            ))
            .expect("makes the test's schema");
        std::fs::write(path, schema.as_bytes()).expect("marks the schema");
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-csearch_path%3D{schema}"))
}

/// What `--db` names for the store of `path`: its schema's URL, or the SQLite file.
pub fn db_flag(path: &Path) -> OsString {
    db_arg(path).map_or_else(|| path.as_os_str().to_owned(), Into::into)
}

/// Opens the store of `path` (`key` is SQLite's; PostgreSQL's disk is the operator's to encrypt).
pub fn open(path: &Path, key: Option<&str>) -> Result<Store, ApiError> {
    match db_arg(path) {
        Some(url) => Store::connect(&url),
        None => Store::open(path, key),
    }
}
