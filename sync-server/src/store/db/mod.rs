//! The one SQL interface the store speaks, over embedded SQLite (rusqlite) or PostgreSQL
//! (tokio-postgres, its connection on a thread of its own: `pg.rs`).
//!
//! The store's modules write one SQL text for both: `?1`-style parameters (rewritten to `$1`
//! for PostgreSQL), `INSERT .. ON CONFLICT`, no SQLite-only functions. Values cross as
//! [`Value`] (SQLite's five storage classes), so an integer column is read as `i64` whether
//! SQLite or PostgreSQL (`BIGINT`) stored it. Each backend's migrations make the same tables
//! (`migrations/server-sqlite`, `migrations/server-postgres`).
//!
//! The API follows rusqlite's shape (`execute`, `query_row`, `prepare(..).query_map`,
//! `optional`) so the store's SQL reads the same as it did on SQLite alone. `value.rs` holds the
//! values and parameters both backends share, `pg.rs` PostgreSQL's connection.

use std::cell::RefCell;

mod pg;
mod value;

pub(crate) use value::params;
pub use value::{FromValue, OptionalExtension, Params, RowIndex, ToValue, Value, params_from_iter};

/// The result of a database call.
pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// What a database call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A query for one row found none ([`OptionalExtension::optional`] makes it `None`).
    #[error("the query returned no row")]
    NoRows,
    /// A column held a value of another type than the one asked for.
    #[error("column {column}: {message}")]
    Conversion {
        /// The column's index.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// SQLite's own error.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL's own error.
    #[error("postgres: {}", postgres_message(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// A statement PostgreSQL did not accept, with its text.
    #[error("postgres: {} in: {sql}", postgres_message(.source))]
    Statement {
        /// The statement as the store wrote it.
        sql: String,
        /// PostgreSQL's error.
        source: tokio_postgres::Error,
    },
}

/// PostgreSQL's message, with its detail and the statement's position when it gives them (the
/// client's own `Display` says only "db error").
fn postgres_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => {
            let mut m = format!("{} ({})", d.message(), d.code().code());
            if let Some(detail) = d.detail() {
                m.push_str(": ");
                m.push_str(detail);
            }
            m
        }
        None => e.to_string(),
    }
}

impl DbError {
    /// A conversion error for column `column`.
    pub fn conversion(column: usize, message: impl std::fmt::Display) -> DbError {
        DbError::Conversion {
            column,
            message: message.to_string(),
        }
    }

    /// Whether the request is worth a retry: another writer held the database (SQLite busy or
    /// locked, PostgreSQL's serialisation failure, deadlock or lock timeout), or PostgreSQL is
    /// out of reach for now (the connection lost, the server shutting down or starting, a
    /// standby not yet promoted). The server answers 503 with `Retry-After`, and its next
    /// request connects again ([`Db::is_broken`]).
    pub fn is_busy(&self) -> bool {
        use tokio_postgres::error::SqlState;
        match self {
            DbError::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            DbError::Postgres(e) | DbError::Statement { source: e, .. } => {
                let lost = e.is_closed()
                    || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
                lost || e.code().is_some_and(|c| {
                    [
                        SqlState::T_R_SERIALIZATION_FAILURE,
                        SqlState::T_R_DEADLOCK_DETECTED,
                        SqlState::LOCK_NOT_AVAILABLE,
                        SqlState::QUERY_CANCELED,
                        SqlState::ADMIN_SHUTDOWN,
                        SqlState::CRASH_SHUTDOWN,
                        SqlState::CANNOT_CONNECT_NOW,
                        SqlState::READ_ONLY_SQL_TRANSACTION,
                    ]
                    .contains(c)
                })
            }
            _ => false,
        }
    }
}

/// One row of a result.
#[allow(missing_debug_implementations)]
pub enum Row<'a> {
    /// A SQLite row.
    Sqlite(&'a rusqlite::Row<'a>),
    /// A PostgreSQL row.
    Postgres(&'a tokio_postgres::Row),
}

impl Row<'_> {
    /// The value of column `idx` as `T`.
    pub fn get<I: RowIndex, T: FromValue>(&self, idx: I) -> Result<T> {
        let i = idx.index(&|name| match self {
            Row::Sqlite(r) => r.as_ref().column_index(name).ok(),
            Row::Postgres(r) => r.columns().iter().position(|c| c.name() == name),
        })?;
        T::from_value(self.value(i)?).map_err(|m| DbError::conversion(i, m))
    }

    /// The value of column `i`.
    pub fn value(&self, i: usize) -> Result<Value> {
        match self {
            Row::Sqlite(r) => Ok(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(n) => Value::Int(n),
                rusqlite::types::ValueRef::Real(f) => Value::Real(f),
                rusqlite::types::ValueRef::Text(t) => {
                    Value::Text(String::from_utf8_lossy(t).into_owned())
                }
                rusqlite::types::ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            }),
            Row::Postgres(r) => pg::value(r, i),
        }
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Inner::Sqlite(_) => "Db(SQLite)",
            Inner::Postgres(_) => "Db(PostgreSQL)",
        })
    }
}

/// A connection to SQLite or PostgreSQL. Its methods take `&self`; a write transaction is a
/// [`Tx`], which derefs to the connection it runs on.
pub struct Db(Inner);

enum Inner {
    Sqlite(rusqlite::Connection),
    Postgres(Box<RefCell<pg::Conn>>),
}

impl Db {
    /// A SQLite connection.
    pub fn sqlite(conn: rusqlite::Connection) -> Db {
        conn.set_prepared_statement_cache_capacity(128);
        Db(Inner::Sqlite(conn))
    }

    /// Connects to PostgreSQL at `url` (`postgres://user@host:port/db`).
    pub fn postgres(url: &str) -> Result<Db> {
        Ok(Db(Inner::Postgres(Box::new(RefCell::new(
            pg::Conn::connect(url)?,
        )))))
    }

    /// The SQLite connection, for what only SQLite has (keys, `VACUUM INTO`, the file's path).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.0 {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.0, Inner::Postgres(_))
    }

    /// Runs a statement; returns the rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        let values = params.values();
        match &self.0 {
            Inner::Sqlite(c) => Ok(c
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(values.iter().map(sqlite_value)))?),
            Inner::Postgres(c) => c.borrow_mut().execute(sql, &values),
        }
    }

    /// Runs statements without parameters, separated by `;`.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.0 {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres(c) => Ok(c.borrow_mut().batch_execute(sql)?),
        }
    }

    /// The first row of a query, read by `f`; [`DbError::NoRows`] when there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, params, |row| {
            if let Some(f) = f.take() {
                out = Some(f(row)?);
            }
            Ok(false)
        })?;
        out.ok_or(DbError::NoRows)
    }

    /// Calls `f` with each row of a query, one at a time, while it answers `true` (SQLite
    /// streams the rows; PostgreSQL reads them whole first).
    pub fn each(
        &self,
        sql: &str,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<bool>,
    ) -> Result<()> {
        let values = params.values();
        match &self.0 {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows =
                    stmt.query(rusqlite::params_from_iter(values.iter().map(sqlite_value)))?;
                while let Some(r) = rows.next()? {
                    if !f(&Row::Sqlite(r))? {
                        break;
                    }
                }
                Ok(())
            }
            Inner::Postgres(c) => {
                // Read whole, then handed out: `f` may run queries of its own on this
                // connection, which PostgreSQL's protocol does not interleave with a result.
                let rows = c.borrow_mut().query(sql, &values)?;
                for r in &rows {
                    if !f(&Row::Postgres(r))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// A statement to run, once or many times (prepared and cached by the connection).
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        Ok(Stmt {
            db: self,
            sql: sql.to_owned(),
        })
    }

    /// The same as [`Db::prepare`]: every statement is cached.
    pub fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        self.prepare(sql)
    }

    /// Starts a write transaction: on SQLite `BEGIN IMMEDIATE` (one writer at a time); on
    /// PostgreSQL `BEGIN` and the store's writer lock (see [`WRITER_LOCK`]). It rolls back
    /// unless committed.
    pub fn transaction(&mut self) -> Result<Tx<'_>> {
        self.begin(true)
    }

    /// [`Db::transaction`] on a shared connection (the caller makes sure none is open).
    pub fn unchecked_transaction(&self) -> Result<Tx<'_>> {
        self.begin(true)
    }

    /// A write transaction that takes the writer lock only when [`Tx::lock_writers`] asks for
    /// it: for a transaction that may number no feed row and check nothing before it writes (an
    /// idle sync round, which only records the device's cursor). On SQLite the same as
    /// [`Db::transaction`].
    pub fn transaction_unlocked(&mut self) -> Result<Tx<'_>> {
        self.begin(false)
    }

    fn begin(&self, lock: bool) -> Result<Tx<'_>> {
        match &self.0 {
            Inner::Sqlite(c) => c.execute_batch("BEGIN IMMEDIATE")?,
            Inner::Postgres(c) => {
                let mut c = c.borrow_mut();
                c.batch_execute("BEGIN")?;
                c.in_transaction = true;
            }
        }
        let tx = Tx {
            db: self,
            done: false,
        };
        if lock {
            tx.lock_writers()?;
        }
        Ok(tx)
    }

    /// Ends a transaction: `COMMIT` or `ROLLBACK`.
    fn end(&self, sql: &str) -> Result<()> {
        if let Inner::Postgres(c) = &self.0 {
            c.borrow_mut().in_transaction = false;
        }
        self.execute_batch(sql)
    }

    /// Whether the connection is gone (PostgreSQL's server closed it or went away): the store
    /// must be opened again. A SQLite connection never breaks.
    pub fn is_broken(&self) -> bool {
        match &self.0 {
            Inner::Sqlite(_) => false,
            Inner::Postgres(c) => c.borrow().is_closed(),
        }
    }

    /// Ends a transaction left open (by a panic in a reader): `ROLLBACK`.
    pub fn rollback(&self) -> Result<()> {
        self.end("ROLLBACK")
    }

    /// Whether no transaction is open.
    pub fn is_autocommit(&self) -> bool {
        match &self.0 {
            Inner::Sqlite(c) => c.is_autocommit(),
            Inner::Postgres(c) => !c.borrow().in_transaction,
        }
    }
}

/// The PostgreSQL advisory lock every write transaction takes first (but an idle sync round:
/// [`Db::transaction_unlocked`]), on every server node: the
/// store's writes are serialised as SQLite's are (its checks read then write), and feed rows are
/// numbered in the order their transactions commit, so a reader that saw position N never later
/// finds a row below N committed after it read (a sequence alone gives numbers in the order
/// transactions *start* writing, not commit).
pub const WRITER_LOCK: i64 = 0x486f_6d65_7761_7264; // "Homeward"

fn sqlite_value(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Real(f) => rusqlite::types::Value::Real(*f),
        Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
        Value::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
    }
}

/// A prepared statement.
#[derive(Debug)]
pub struct Stmt<'a> {
    db: &'a Db,
    sql: String,
}

impl Stmt<'_> {
    /// Runs it; returns the rows it changed.
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        self.db.execute(&self.sql, params)
    }

    /// Every row, each read by `f` (read whole, then iterated).
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut out = Vec::new();
        self.db.each(&self.sql, params, |row| {
            out.push(f(row));
            Ok(true)
        })?;
        Ok(out.into_iter())
    }
}

/// A write transaction; derefs to its connection. Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub struct Tx<'a> {
    db: &'a Db,
    done: bool,
}

impl Tx<'_> {
    /// Takes the writer lock for the rest of the transaction (PostgreSQL; SQLite's
    /// `BEGIN IMMEDIATE` already holds its one writer lock). Before anything it reads to decide
    /// a write, and before any feed row.
    pub fn lock_writers(&self) -> Result<()> {
        if self.db.is_postgres() {
            self.db
                .execute_batch(&format!("SELECT pg_advisory_xact_lock({WRITER_LOCK})"))?;
        }
        Ok(())
    }

    /// Commits it.
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        self.db.end("COMMIT")
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Db;

    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            // A failed rollback leaves the connection in a transaction; the pool's check
            // ([`super::Opener`]) ends it before the connection is used again.
            self.db.end("ROLLBACK").ok();
        }
    }
}

/// Rewrites `?N` parameters as PostgreSQL's `$N` (outside quoted text).
pub fn postgres_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_become_postgres_numbers_outside_quoted_text() {
        assert_eq!(
            postgres_sql("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND d IN (?2, ?10)"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND d IN ($2, $10)"
        );
    }

    #[test]
    fn sqlite_round_trips_each_value_and_rolls_back_an_uncommitted_transaction() {
        let mut db = Db::sqlite(rusqlite::Connection::open_in_memory().expect("opens"));
        db.execute_batch("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, r REAL)")
            .expect("creates");
        {
            let tx = db.transaction().expect("begins");
            tx.execute(
                "INSERT INTO t VALUES (?1, ?2, ?3, ?4)",
                params![7i64, "सात", vec![7u8], 0.5f64],
            )
            .expect("inserts");
            tx.commit().expect("commits");
        }
        {
            let tx = db.transaction().expect("begins");
            tx.execute("INSERT INTO t (i) VALUES (?1)", [8i64])
                .expect("inserts");
        }
        let rows: Vec<(i64, String, Vec<u8>, f64)> = db
            .prepare("SELECT i, s, b, r FROM t")
            .expect("prepares")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("reads")
            .collect::<Result<_>>()
            .expect("rows");
        assert_eq!(rows, vec![(7, "सात".to_owned(), vec![7], 0.5)]);
        assert!(matches!(
            db.query_row("SELECT i FROM t WHERE i = 8", [], |r| r.get::<_, i64>(0)),
            Err(DbError::NoRows)
        ));
        assert_eq!(
            db.query_row("SELECT s FROM t", [], |r| r.get::<_, i64>(0))
                .map_err(|e| e.to_string())
                .unwrap_err(),
            "column 0: Text(\"सात\") is not an integer"
        );
    }
}
