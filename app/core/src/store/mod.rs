//! The encrypted field store: one SQLCipher database per device installation.
//!
//! Each case is a saved Automerge document in `cases.doc`. An edit loads it, applies one
//! [`Edit`], and in the same SQLite transaction appends the new Automerge change to `changes`
//! and rewrites the materialised rows the screens query (`cases` columns, `visits`, `prompts`).
//! A process killed at any moment leaves the whole edit or none of it.

use std::path::{Path, PathBuf};

use automerge::{ActorId, AutoCommit};
use chrono::{DateTime, NaiveDate, Utc};
use homeward_shared::edit::{Edit, EditContext};
use homeward_shared::model::{Author, Case, Profile};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::{self, Priority, Prompt, PromptKind};
use homeward_shared::spotcheck::Outcome;
use homeward_shared::synth::SynthCase;
use homeward_shared::wire::{
    CasePush, Cursor, Reference, ServerProgramme, SpotCheckOutcome, SyncResponse,
};
use homeward_shared::{schema, untrusted};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;

use crate::attempts;
use crate::attempts::Attempts;
use crate::error::{FieldError, Result};
use crate::key::{self, DeviceFile};
use crate::keystore::Keystore;

mod attachments;
mod bundles;
mod cases;
mod identity;
mod outbox;
mod prompts;
mod resources;
mod sealed_cases;
mod sms;
mod spotchecks;
mod verify;

pub use attachments::{AttachmentView, Backlog};
pub use bundles::{ExportedBundle, Leftover, Received, RelayItem};
pub use sealed_cases::SealedFor;
pub use sms::{UrgentProblem, UrgentText};
pub use spotchecks::outcome;

// What one concern's module does that another's needs (the children see the parent's imports).
use attachments::{drop_unnamed, write_refs};
use cases::{case_known, edit_in, load_doc};
use prompts::{refresh_prompts, write_prompts};
use resources::keep_map;
use verify::materialise;

/// The database file in the data folder.
pub const DB_FILE: &str = "homeward.db";

/// The field store's migrations, in order. An applied migration is never edited: the runner
/// refuses to open a store whose recorded migration names differ from these.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("../../../../migrations/field/0001_init.sql"),
    ),
    (
        "0002_prompts_until",
        include_str!("../../../../migrations/field/0002_prompts_until.sql"),
    ),
    (
        "0003_refused_changes",
        include_str!("../../../../migrations/field/0003_refused_changes.sql"),
    ),
    (
        "0004_spot_check_outcomes",
        include_str!("../../../../migrations/field/0004_spot_check_outcomes.sql"),
    ),
    (
        "0005_prompt_why",
        include_str!("../../../../migrations/field/0005_prompt_why.sql"),
    ),
    (
        "0006_attachments",
        include_str!("../../../../migrations/field/0006_attachments.sql"),
    ),
    (
        "0007_attachment_parts",
        include_str!("../../../../migrations/field/0007_attachment_parts.sql"),
    ),
    (
        "0008_bundles",
        include_str!("../../../../migrations/field/0008_bundles.sql"),
    ),
];

/// Reads an NGO's programme file (TOML), laid over the defaults: what `--programme` and
/// `HOMEWARD_PROGRAMME` give a device ([`Store::set_programme`]).
pub fn programme_file(path: &Path) -> Result<Programme> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| FieldError::BadInput(format!("{}: {e}", path.display())))?;
    Programme::from_toml(&text)
        .map_err(|e| FieldError::BadInput(format!("{}: {e}", path.display())))
}

/// Now, from the system clock (the field core's edge; `shared` never reads it).
pub fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

/// Today's date in the field.
pub fn today() -> NaiveDate {
    homeward_shared::model::field_date(now())
}

/// A fresh random id for a case, visit or other list item: 16 hex characters.
pub fn new_id() -> Result<String> {
    Ok(key::hex(&key::random_bytes::<8>()?))
}

/// One line of the case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseRow {
    /// Case id.
    pub id: String,
    /// Child's name.
    pub name: String,
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// Village.
    pub village: String,
    /// Case status.
    pub state: String,
    /// Risk level at the last edit.
    pub risk: String,
    /// Last visit.
    pub last_visit: Option<String>,
    /// Next visit due.
    pub next_due: Option<String>,
    /// Fields with concurrent values waiting for a supervisor.
    pub conflicts: u32,
}

/// Filters for the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Part of a name, another name or a village (case-insensitive).
    pub search: Option<String>,
    /// Risk level.
    pub risk: Option<String>,
    /// Block.
    pub block: Option<String>,
}

/// The unconfirmed local changes carried by one sync request.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    /// The changes, grouped by case.
    pub push: Vec<CasePush>,
    /// How many.
    pub count: usize,
    /// The last journal number included.
    pub up_to: Option<i64>,
    /// Whether changes carried in a bundle were left out (a sync's first round): the round's
    /// answer then confirms only the changes it carried, not those left out before `up_to`.
    pub without_bundled: bool,
}

/// What one applied sync round changed locally.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RoundStats {
    /// Local changes the server confirmed.
    pub confirmed: usize,
    /// Whole documents merged or added.
    pub documents: usize,
    /// Feed changes applied.
    pub changes: usize,
    /// Cases removed (transferred away).
    pub dropped: usize,
    /// Cases to remove once their last local changes are confirmed.
    pub kept: usize,
}

/// A prompt with the child it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TodayPrompt {
    /// The prompt.
    #[serde(flatten)]
    pub prompt: Prompt,
    /// Child's name.
    pub name: String,
    /// Village.
    pub village: String,
}

/// A spot-check outcome recorded on this phone, waiting for the server (or refused by it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LocalOutcome {
    /// The spot check.
    pub id: String,
    /// What was found.
    pub outcome: Outcome,
    /// The note.
    pub note: String,
    /// When it was recorded here.
    pub at: String,
    /// The server's reason, if it refused it.
    pub refused: Option<String>,
}

/// A case as a screen shows it on a given day.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseView {
    /// The case.
    pub case: Case,
    /// Its risk level that day.
    pub risk: homeward_shared::model::Risk,
    /// The next visit due.
    pub next_visit: Option<prompt::NextVisit>,
    /// What needs doing, most urgent first.
    pub prompts: Vec<Prompt>,
    /// Fields with concurrent values waiting for a supervisor.
    pub conflicts: Vec<schema::Conflict>,
    /// The child's age in whole years that day (`shared`'s rule, so no screen recomputes it).
    pub age: u32,
    /// Every document of the checklist, in display order.
    pub document_kinds: Vec<homeward_shared::model::DocumentKind>,
    /// Closed, and the server's last reference data says no review has decided the closure
    /// yet: "closed, waiting for the Core Team's review" (a closure made here shows it once a
    /// sync has taken it to the server; one sent back is a send-back instead).
    pub closure_pending: bool,
}

/// Where the programme in force on this device comes from. The server's wins once received,
/// so every phone computes prompts, risk and the next visit with the thresholds the dashboard
/// and the reports use; a file given on the device serves it only until then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum ProgrammeSource {
    /// The server's, received with the reference data: its version there (0: the server's
    /// defaults, no programme set on it).
    Server {
        /// The server's version of it.
        version: u64,
    },
    /// A file given on this device (`--programme`, `HOMEWARD_PROGRAMME`), no server's received.
    Local,
    /// This app's defaults: no server's received and no file given.
    Defaults,
}

/// A district a child may be registered in on this device, with its blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct KnownArea {
    /// The district.
    pub district: String,
    /// Its blocks: the user's, or for a whole district those of its cases.
    pub blocks: Vec<String>,
    /// The user's area is the whole district: another block of it may be typed.
    pub whole_district: bool,
}

/// An open, unlocked field store.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    /// The SQLCipher key (hex), kept to open a second connection ([`Store::reopen`]).
    key: String,
    /// Salt, parameters and the device secret's entry.
    device: DeviceFile,
    /// Where the device secret is kept.
    keystore: Keystore,
    /// The device secret, kept to check and change the PIN.
    secret: [u8; 32],
    actor: ActorId,
    /// The programme in force (prompts, risk, next visit, scheme names).
    programme: Programme,
    /// Where it comes from.
    source: ProgrammeSource,
    /// A file given on the device, in force only while no server's programme was received.
    local: Option<Programme>,
    /// The server's programme as last read from `meta` (its JSON), to notice one another
    /// connection's sync kept.
    server_seen: Option<String>,
}

impl std::fmt::Debug for Store {
    // By hand: the key and the secret must never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

/// The files of a store in its data folder, all removed by a wipe.
const STORE_FILES: [&str; 5] = [
    DB_FILE,
    "homeward.db-wal",
    "homeward.db-shm",
    key::DEVICE_FILE,
    attempts::FILE,
];

/// Deletes a store's files and its device secret. The secret goes first: without it, nothing
/// left on the flash opens.
fn erase(dir: &Path, device: &DeviceFile, keystore: &Keystore) -> Result<()> {
    keystore.delete(&device.secret_id)?;
    for name in STORE_FILES {
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(FieldError::io(&path, e)),
        }
    }
    Ok(())
}

impl Store {
    /// Creates a new, empty store in `dir` for `user`, locked with `pin` and a new device
    /// secret kept in `keystore`. A PIN too short or too easy is refused first.
    pub fn init(dir: &Path, keystore: &Keystore, pin: &str, user: &Author) -> Result<Store> {
        key::check_pin(pin).map_err(FieldError::WeakPin)?;
        if dir.join(DB_FILE).exists() || dir.join(key::DEVICE_FILE).exists() {
            return Err(FieldError::AlreadyInitialised(dir.display().to_string()));
        }
        std::fs::create_dir_all(dir).map_err(|e| FieldError::io(dir, e))?;
        let device = DeviceFile::new(keystore)?;
        let secret = keystore.create(&device.secret_id, dir)?;
        let made = Store::init_with(dir, &device, keystore, secret, pin, user);
        if made.is_err() {
            // Nothing will ever use this secret: leave no orphan in the keystore.
            let _ = keystore.delete(&device.secret_id);
        }
        made
    }

    fn init_with(
        dir: &Path,
        device: &DeviceFile,
        keystore: &Keystore,
        secret: [u8; 32],
        pin: &str,
        user: &Author,
    ) -> Result<Store> {
        let key = device.key(pin, &secret)?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        unlock(&conn, &key, dir)?;
        configure(&conn)?;
        migrate(&conn)?;
        let actor = key::hex(&key::random_bytes::<16>()?);
        let tx_user = [
            ("actor", actor.as_str()),
            ("user_id", user.user_id.as_str()),
            ("user_name", user.name.as_str()),
        ];
        for (k, v) in tx_user {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![k, v],
            )?;
        }
        // The device file is written last: a store without it is not a store, so a crash
        // during init leaves a folder that `init` can be run on again after removing it.
        device.write(dir)?;
        Store::from_conn(
            conn,
            dir,
            key,
            device.clone(),
            keystore.clone(),
            secret,
            None,
        )
    }

    /// Whether `dir` holds a store (to choose between the first-start and the unlock screen).
    pub fn exists(dir: &Path) -> bool {
        dir.join(DB_FILE).exists() && dir.join(key::DEVICE_FILE).exists()
    }

    /// Opens the store in `dir` with `pin`, the device secret coming from `keystore`. A wrong
    /// PIN fails with [`FieldError::WrongPin`], is counted, and writes nothing to the store.
    pub fn open(dir: &Path, keystore: &Keystore, pin: &str) -> Result<Store> {
        Store::open_at(dir, keystore, pin, now())
    }

    /// [`Store::open`] at the moment `now` (the failed-unlock delays run from it).
    ///
    /// During a delay no PIN is tried ([`FieldError::TryLater`]); a failure is counted before
    /// the key is derived and the count is cleared by the right PIN; when the programme's
    /// `wipe_after_failures` is reached, the store and its secret are erased
    /// ([`FieldError::Erased`]).
    pub fn open_at(
        dir: &Path,
        keystore: &Keystore,
        pin: &str,
        now: DateTime<Utc>,
    ) -> Result<Store> {
        let device = DeviceFile::read(dir)?;
        if !dir.join(DB_FILE).exists() {
            return Err(FieldError::NotInitialised(dir.display().to_string()));
        }
        device.check_keystore(keystore, dir)?;
        let mut attempts = Attempts::read(dir);
        if let Some(wait) = attempts.wait(now) {
            return Err(FieldError::TryLater(wait));
        }
        // A missing secret is not a wrong PIN: it is not counted.
        let secret = keystore.secret(&device.secret_id, dir)?;
        let before = attempts.clone();
        attempts.failures = attempts.failures.saturating_add(1);
        attempts.last_failure = Some(now);
        attempts.write(dir)?;
        let key = device.key(pin, &secret)?;
        let opened = Connection::open(dir.join(DB_FILE))
            .map_err(FieldError::from)
            .and_then(|conn| unlock(&conn, &key, dir).map(|()| conn));
        match opened {
            Ok(conn) => {
                let cleared = Attempts {
                    failures: 0,
                    last_failure: None,
                    wipe_after: attempts.wipe_after,
                };
                cleared.write(dir)?;
                configure(&conn)?;
                migrate(&conn)?;
                Store::from_conn(conn, dir, key, device, keystore.clone(), secret, None)
            }
            Err(FieldError::WrongPin { dir: d, .. }) => {
                if attempts.wipe_due() {
                    erase(dir, &device, keystore)?;
                    return Err(FieldError::Erased {
                        dir: d,
                        failures: attempts.failures,
                    });
                }
                Err(FieldError::WrongPin {
                    dir: d,
                    wait: attempts.wait(now),
                })
            }
            Err(other) => {
                // Not a guess (a damaged file, a full disk): the count goes back.
                before.write(dir)?;
                Err(other)
            }
        }
    }

    /// A second connection to the same store, already unlocked, with the same programme. The
    /// field app syncs on one while its screens keep reading and writing on the other (WAL lets
    /// them; the writer waits out the other's short transactions). A programme the sync brings
    /// reaches the first connection by [`Store::reload_programme`].
    pub fn reopen(&self) -> Result<Store> {
        let conn = Connection::open(self.dir.join(DB_FILE))?;
        unlock(&conn, &self.key, &self.dir)?;
        configure(&conn)?;
        Store::from_conn(
            conn,
            &self.dir,
            self.key.clone(),
            self.device.clone(),
            self.keystore.clone(),
            self.secret,
            self.local.clone(),
        )
    }

    /// Whether `pin` is the PIN this store is locked with (for a PIN change, which asks for the
    /// old one first).
    pub fn pin_matches(&self, pin: &str) -> Result<bool> {
        Ok(self.device.key(pin, &self.secret)? == self.key)
    }

    fn from_conn(
        conn: Connection,
        dir: &Path,
        key: String,
        device: DeviceFile,
        keystore: Keystore,
        secret: [u8; 32],
        local: Option<Programme>,
    ) -> Result<Store> {
        let actor_hex: String =
            conn.query_row("SELECT value FROM meta WHERE key = 'actor'", [], |r| {
                r.get(0)
            })?;
        let actor = ActorId::from(
            (0..actor_hex.len())
                .step_by(2)
                .filter_map(|i| u8::from_str_radix(actor_hex.get(i..i + 2)?, 16).ok())
                .collect::<Vec<u8>>(),
        );
        let mut store = Store {
            conn,
            dir: dir.to_owned(),
            key,
            device,
            keystore,
            secret,
            actor,
            programme: Programme::default(),
            source: ProgrammeSource::Defaults,
            local,
            server_seen: None,
        };
        store.use_programme()?;
        store.refresh_models()?;
        Ok(store)
    }

    /// Re-keys the store with a new PIN (refused when too short or too easy). The old PIN no
    /// longer opens it; the device secret stays.
    pub fn change_pin(&mut self, new_pin: &str) -> Result<()> {
        key::check_pin(new_pin).map_err(FieldError::WeakPin)?;
        let key = self.device.key(new_pin, &self.secret)?;
        self.conn
            .execute_batch(&format!("PRAGMA rekey = \"x'{key}'\";"))?;
        self.key = key;
        Ok(())
    }

    /// This device installation's Automerge actor id.
    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// The programme in force.
    pub fn programme(&self) -> &Programme {
        &self.programme
    }

    /// Where the programme in force comes from.
    pub fn programme_source(&self) -> ProgrammeSource {
        self.source
    }

    /// Gives the device a programme file of its own (`--programme`, `HOMEWARD_PROGRAMME`). It is
    /// in force only while this store holds no programme from its server: once a sync brought
    /// the server's, the server's wins, so every phone uses the dashboard's thresholds. Returns
    /// where the programme in force comes from, for the caller to say when the file is not
    /// used.
    pub fn set_programme(&mut self, local: Programme) -> Result<ProgrammeSource> {
        self.local = Some(local);
        self.use_programme()?;
        Ok(self.source)
    }

    /// Takes up a programme another connection's sync kept (the app syncs on a second
    /// connection, [`Store::reopen`]); nothing when there is none new. [`Store::today`] calls it.
    pub fn reload_programme(&mut self) -> Result<()> {
        if self.meta("server_programme")? != self.server_seen {
            self.use_programme()?;
        }
        Ok(())
    }

    /// Why the last programme the server sent was not taken up (this app could not read it: an
    /// older app than the server), when it was not; the one in force before stays.
    pub fn programme_refused(&self) -> Result<Option<String>> {
        self.meta("programme_refused")
    }

    /// Puts in force the server's programme if the store holds one, else the device's file,
    /// else the defaults. When it differs from the one the kept prompts were computed with,
    /// every case's prompts are recomputed on the next listing.
    fn use_programme(&mut self) -> Result<()> {
        let raw = self.meta("server_programme")?;
        let server = raw
            .as_deref()
            .and_then(|r| serde_json::from_str::<ServerProgramme>(r).ok())
            .and_then(|sp| Some((sp.version, Programme::from_whole_toml(&sp.toml).ok()?)));
        let (programme, source) = match (server, &self.local) {
            (Some((version, p)), _) => (p, ProgrammeSource::Server { version }),
            (None, Some(local)) => (local.clone(), ProgrammeSource::Local),
            (None, None) => (Programme::default(), ProgrammeSource::Defaults),
        };
        let fingerprint = fingerprint(&programme)?;
        if self.meta("programme")?.as_deref() != Some(fingerprint.as_str()) {
            let tx = self.conn.transaction()?;
            tx.execute(
                "UPDATE cases SET prompts_from = NULL, prompts_until = NULL",
                [],
            )?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('programme', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [&fingerprint],
            )?;
            tx.commit()?;
        }
        // The wipe option must be known before the next unlock, so it is kept with the count.
        let mut attempts = Attempts::read(&self.dir);
        if attempts.wipe_after != programme.unlock.wipe_after_failures {
            attempts.wipe_after = programme.unlock.wipe_after_failures;
            attempts.write(&self.dir)?;
        }
        self.programme = programme;
        self.source = source;
        self.server_seen = raw;
        Ok(())
    }

    /// A setting from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// The user edits are recorded as.
    pub fn author(&self) -> Result<Author> {
        Ok(Author {
            user_id: self.meta("user_id")?.unwrap_or_default(),
            name: self.meta("user_name")?.unwrap_or_default(),
        })
    }

    fn context(&self, at: DateTime<Utc>) -> Result<EditContext> {
        Ok(EditContext {
            author: self.author()?,
            at,
        })
    }

    /// Deletes the store, its files and its device secret: what a revoked device with nothing
    /// unconfirmed does.
    pub fn wipe(self) -> Result<()> {
        let (dir, device, keystore) =
            (self.dir.clone(), self.device.clone(), self.keystore.clone());
        drop(self.conn);
        erase(&dir, &device, &keystore)
    }
}

/// What the kept prompts were computed with (`meta.programme`): the programme as JSON.
fn fingerprint(programme: &Programme) -> Result<String> {
    serde_json::to_string(programme).map_err(|e| FieldError::BadInput(e.to_string()))
}

/// Gives SQLCipher the key and checks it opens the database. A wrong key reads nothing and
/// writes nothing: the first read of the header fails.
fn unlock(conn: &Connection, key_hex: &str, dir: &Path) -> Result<()> {
    // SQLCipher logs a failed key to stderr by itself; the caller reports it in one line.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = \"x'{key_hex}'\";"))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            Err(FieldError::WrongPin {
                dir: dir.display().to_string(),
                wait: None,
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// The connection settings, in one place.
fn configure(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        // WAL: readers do not block the writer; the -wal file is encrypted too.
        "PRAGMA journal_mode = WAL;
         -- FULL: a committed edit survives a power cut, not only a killed process.
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         -- Another process (the CLI beside the app) waits instead of failing at once.
         PRAGMA busy_timeout = 5000;",
    )?;
    Ok(())
}

/// Applies the migrations not yet applied, each in its own transaction.
fn migrate(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             applied_at TEXT NOT NULL
         ) STRICT;",
    )?;
    let applied: Vec<(i64, String)> = conn
        .prepare("SELECT version, name FROM schema_migrations ORDER BY version")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if applied.len() > MIGRATIONS.len() {
        return Err(FieldError::BadInput(format!(
            "this store was written by a newer Homeward ({} migrations, this version knows {}): update the app",
            applied.len(),
            MIGRATIONS.len()
        )));
    }
    for ((version, name), (known, _)) in applied.iter().zip(MIGRATIONS) {
        if name != known {
            return Err(FieldError::BadInput(format!(
                "store migration {version} is '{name}' but this version expects '{known}'"
            )));
        }
    }
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied.len()) {
        // Each migration and its record commit together; dropping the transaction rolls back.
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![
                i64::try_from(i + 1).unwrap_or(i64::MAX),
                name,
                now().to_rfc3339()
            ],
        )?;
        tx.commit()?;
    }
    Ok(())
}
