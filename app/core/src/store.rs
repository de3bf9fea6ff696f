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
use homeward_shared::wire::{CasePush, Cursor, Reference, SpotCheckOutcome, SyncResponse};
use homeward_shared::{schema, untrusted};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;

use crate::attempts;
use crate::attempts::Attempts;
use crate::error::{FieldError, Result};
use crate::key::{self, DeviceFile};
use crate::keystore::Keystore;

/// The database file in the data folder.
pub const DB_FILE: &str = "homeward.db";

/// The field store's migrations, in order. An applied migration is never edited: the runner
/// refuses to open a store whose recorded migration names differ from these.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("../../../migrations/field/0001_init.sql"),
    ),
    (
        "0002_prompts_until",
        include_str!("../../../migrations/field/0002_prompts_until.sql"),
    ),
    (
        "0003_refused_changes",
        include_str!("../../../migrations/field/0003_refused_changes.sql"),
    ),
    (
        "0004_spot_check_outcomes",
        include_str!("../../../migrations/field/0004_spot_check_outcomes.sql"),
    ),
    (
        "0005_prompt_why",
        include_str!("../../../migrations/field/0005_prompt_why.sql"),
    ),
];

/// Reads an NGO's programme file (TOML), laid over the defaults.
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
}

/// What one applied sync round changed locally.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
}

/// A district a child may be registered in on this device, with its blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    programme: Programme,
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
        Store::from_conn(conn, dir, key, device.clone(), keystore.clone(), secret)
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
                Store::from_conn(conn, dir, key, device, keystore.clone(), secret)
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
    /// them; the writer waits out the other's short transactions).
    pub fn reopen(&self) -> Result<Store> {
        let conn = Connection::open(self.dir.join(DB_FILE))?;
        unlock(&conn, &self.key, &self.dir)?;
        configure(&conn)?;
        let mut store = Store::from_conn(
            conn,
            &self.dir,
            self.key.clone(),
            self.device.clone(),
            self.keystore.clone(),
            self.secret,
        )?;
        store.programme = self.programme.clone();
        Ok(store)
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
        Ok(Store {
            conn,
            dir: dir.to_owned(),
            key,
            device,
            keystore,
            secret,
            actor,
            programme: Programme::default(),
        })
    }

    /// The case `case_id` with its risk, next visit, prompts and conflicts on `day`.
    pub fn case_view(&self, case_id: &str, day: NaiveDate) -> Result<CaseView> {
        let case = self.case(case_id)?;
        Ok(CaseView {
            risk: prompt::risk(&case, day, &self.programme),
            next_visit: prompt::next_visit(&case, day, &self.programme),
            prompts: prompt::prompts(&case, day, &self.programme),
            conflicts: self.conflicts(case_id)?,
            age: case.age_on(day),
            document_kinds: homeward_shared::model::DocumentKind::ALL.to_vec(),
            case,
        })
    }

    /// Records what a supervisor found on one of their spot checks (from the reference data),
    /// on this phone, to be sent with the next sync. Recording again replaces it.
    pub fn record_spot_check(
        &mut self,
        id: &str,
        outcome: Outcome,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let known = self
            .reference()?
            .is_some_and(|r| r.spot_checks.iter().any(|t| t.id == id));
        if !known {
            return Err(FieldError::BadInput(format!(
                "no spot check '{id}' on this phone (they arrive with the sync, for supervisors)"
            )));
        }
        let note = note.trim();
        if outcome != Outcome::Verified && note.is_empty() {
            return Err(FieldError::BadInput(
                "say in the note what was wrong, or why the visit could not be verified".into(),
            ));
        }
        self.conn.execute(
            "INSERT INTO spot_check_outcomes (id, outcome, note, at, refused) VALUES (?1, ?2, ?3, ?4, NULL)
             ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, note = excluded.note,
                 at = excluded.at, refused = NULL",
            params![id, outcome_key(outcome)?, note, at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// The spot-check outcomes recorded here and not yet recorded by the server.
    pub fn local_outcomes(&self) -> Result<Vec<LocalOutcome>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, outcome, note, at, refused FROM spot_check_outcomes ORDER BY at, id",
        )?;
        let rows: Vec<(String, String, String, String, Option<String>)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, outcome, note, at, refused)| {
                Ok(LocalOutcome {
                    outcome: parse_outcome(&outcome)?,
                    id,
                    note,
                    at,
                    refused,
                })
            })
            .collect()
    }

    /// The outcomes to send with the next sync (those the server has not refused).
    pub fn pending_outcomes(&self) -> Result<Vec<SpotCheckOutcome>> {
        Ok(self
            .local_outcomes()?
            .into_iter()
            .filter(|o| o.refused.is_none())
            .map(|o| SpotCheckOutcome {
                id: o.id,
                outcome: o.outcome,
                note: o.note,
                at: o.at,
            })
            .collect())
    }

    /// Applies the server's answer to the outcomes sent: recorded ones leave, refused ones keep
    /// the reason (shown on the phone) until recorded again.
    pub fn settle_outcomes(&mut self, results: &[(String, Option<String>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (id, refused) in results {
            match refused {
                None => tx.execute("DELETE FROM spot_check_outcomes WHERE id = ?1", [id])?,
                Some(reason) => tx.execute(
                    "UPDATE spot_check_outcomes SET refused = ?2 WHERE id = ?1",
                    params![id, reason],
                )?,
            };
        }
        tx.commit()?;
        Ok(())
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

    /// Replaces the programme (thresholds) used for prompts. When it differs from the one the
    /// kept prompts were computed with, every case's prompts are recomputed on the next listing.
    pub fn set_programme(&mut self, programme: Programme) -> Result<()> {
        let fingerprint =
            serde_json::to_string(&programme).map_err(|e| FieldError::BadInput(e.to_string()))?;
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

    /// Resolves a case id or a unique prefix of one (at least 4 characters).
    pub fn resolve(&self, id_or_prefix: &str) -> Result<String> {
        let exact: Option<String> = self
            .conn
            .query_row("SELECT id FROM cases WHERE id = ?1", [id_or_prefix], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = exact {
            return Ok(id);
        }
        if id_or_prefix.len() < 4 {
            return Err(FieldError::UnknownCase(id_or_prefix.to_owned()));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM cases WHERE substr(id, 1, length(?1)) = ?1 LIMIT 3")?;
        let ids: Vec<String> = stmt
            .query_map([id_or_prefix], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(FieldError::UnknownCase(id_or_prefix.to_owned())),
            many => Err(FieldError::AmbiguousCase(
                id_or_prefix.to_owned(),
                many.len(),
            )),
        }
    }

    /// Registers a returned child as this store's user; returns the case id.
    pub fn register(&mut self, profile: &Profile, at: DateTime<Utc>) -> Result<String> {
        let ctx = self.context(at)?;
        self.register_as(profile, &ctx)
    }

    /// Registers a returned child with an explicit author and time (imports, the demo).
    pub fn register_as(&mut self, profile: &Profile, ctx: &EditContext) -> Result<String> {
        let doc = schema::new_case(self.actor.clone(), profile, ctx)?;
        self.insert_new(doc, ctx.at)
    }

    /// Adds a synthetic case, its whole history built in memory and stored in one transaction.
    pub fn add_synthetic(&mut self, case: &SynthCase) -> Result<String> {
        let doc = case.build(self.actor.clone())?;
        self.insert_new(doc, case.registered.at)
    }

    fn insert_new(&mut self, mut doc: AutoCommit, at: DateTime<Utc>) -> Result<String> {
        let case_id = schema::case_id(&doc)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if case_known(&tx, &case_id)? {
            return Err(FieldError::BadInput(format!(
                "case id '{case_id}' is already taken"
            )));
        }
        let changes = doc.get_changes(&[]);
        let day = today();
        materialise(&tx, &mut doc, day, &self.programme, true)?;
        record_changes(&tx, &case_id, &changes, at)?;
        tx.commit()?;
        Ok(case_id)
    }

    /// Applies one edit to a case as this store's user, as one transaction.
    pub fn edit(&mut self, case_id: &str, edit: &Edit, at: DateTime<Utc>) -> Result<()> {
        let ctx = self.context(at)?;
        self.edit_as(case_id, edit, &ctx)
    }

    /// Applies one edit with an explicit author and time, as one transaction: the new
    /// Automerge change and every materialised row commit together, or nothing does.
    pub fn edit_as(&mut self, case_id: &str, edit: &Edit, ctx: &EditContext) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut doc = load_doc(&tx, case_id, &self.actor)?;
        let before = doc.get_heads();
        schema::apply(&mut doc, edit, ctx)?;
        // `before` are this document's own heads, so this is exactly the new change.
        let changes = doc.get_changes(&before);
        if changes.is_empty() {
            return Ok(()); // A retried edit already stored: nothing to do.
        }
        let day = today();
        materialise(&tx, &mut doc, day, &self.programme, false)?;
        record_changes(&tx, case_id, &changes, ctx.at)?;
        tx.commit()?;
        Ok(())
    }

    /// The whole case.
    pub fn case(&self, case_id: &str) -> Result<Case> {
        let model: Vec<u8> = self
            .conn
            .query_row(
                "SELECT model FROM case_docs WHERE case_id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| FieldError::UnknownCase(case_id.to_owned()))?;
        serde_json::from_slice(&model).map_err(|e| FieldError::Damaged {
            id: case_id.to_owned(),
            source: schema::SchemaError::Corrupt(e.to_string()),
        })
    }

    /// The fields of a case edited concurrently on two devices.
    pub fn conflicts(&self, case_id: &str) -> Result<Vec<schema::Conflict>> {
        let doc = load_doc(&self.conn, case_id, &self.actor)?;
        schema::conflicts(&doc).map_err(|source| FieldError::Damaged {
            id: case_id.to_owned(),
            source,
        })
    }

    /// The case list, by block, village and name.
    pub fn cases(&self, filter: &CaseFilter) -> Result<Vec<CaseRow>> {
        let like = filter
            .search
            .as_ref()
            .map(|s| format!("%{}%", s.to_lowercase()));
        let mut stmt = self.conn.prepare(
            "SELECT id, name, district, block, village, state, risk, last_visit, next_due, conflicts
             FROM cases
             WHERE (?1 IS NULL OR lower(name) LIKE ?1 OR lower(other_names) LIKE ?1 OR lower(village) LIKE ?1)
               AND (?2 IS NULL OR risk = ?2)
               AND (?3 IS NULL OR block = ?3)
             ORDER BY district, block, village, name, id",
        )?;
        let rows = stmt
            .query_map(params![like, filter.risk, filter.block], |r| {
                Ok(CaseRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    district: r.get(2)?,
                    block: r.get(3)?,
                    village: r.get(4)?,
                    state: r.get(5)?,
                    risk: r.get(6)?,
                    last_visit: r.get(7)?,
                    next_due: r.get(8)?,
                    conflicts: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every block of the caseload, sorted (for a filter).
    pub fn blocks(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT block FROM cases ORDER BY block")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The districts and blocks a child may be registered in on this device: the user's areas
    /// from the reference data; for an area that is a whole district, the blocks of that
    /// district's cases (there is no list of every block of Bihar). Empty before the first sync.
    pub fn known_areas(&self) -> Result<Vec<KnownArea>> {
        let Some(reference) = self.reference()? else {
            return Ok(Vec::new());
        };
        let mut out: Vec<KnownArea> = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT block FROM cases WHERE district = ?1 ORDER BY block")?;
        for (district, block) in &reference.areas {
            let i = match out.iter().position(|a| &a.district == district) {
                Some(i) => i,
                None => {
                    out.push(KnownArea {
                        district: district.clone(),
                        blocks: Vec::new(),
                        whole_district: false,
                    });
                    out.len() - 1
                }
            };
            let area = &mut out[i];
            if block.is_empty() {
                area.whole_district = true;
                let blocks: Vec<String> = stmt
                    .query_map([district], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                area.blocks.extend(blocks);
            } else {
                area.blocks.push(block.clone());
            }
            area.blocks.sort();
            area.blocks.dedup();
        }
        out.sort_by(|a, b| a.district.cmp(&b.district));
        Ok(out)
    }

    /// Today's prompts across every case, most urgent first. Each case's prompts are kept for
    /// the days over which they do not change; cases whose window does not cover `day` are
    /// recomputed first (from the materialised models, without Automerge).
    pub fn today(&mut self, day: NaiveDate) -> Result<Vec<TodayPrompt>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        refresh_prompts(&tx, day, &self.programme)?;
        tx.commit()?;
        let mut stmt = self.conn.prepare(
            "SELECT p.case_id, p.kind, p.priority, p.due, p.dimension, p.subject, p.reason, c.name, c.village, p.why
             FROM prompts p JOIN cases c ON c.id = p.case_id",
        )?;
        let mut out: Vec<TodayPrompt> = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, Option<String>>(9)?,
                ))
            })?
            .map(|row| {
                let (case_id, kind, priority, due, dimension, subject, reason, name, village, why) =
                    row?;
                let bad =
                    |what: &str| FieldError::BadInput(format!("prompts table holds a bad {what}"));
                Ok(TodayPrompt {
                    prompt: Prompt {
                        case_id,
                        kind: serde_json::from_value::<PromptKind>(serde_json::Value::String(kind))
                            .map_err(|_| bad("kind"))?,
                        priority: priority_from(priority).ok_or_else(|| bad("priority"))?,
                        due: due.parse().map_err(|_| bad("date"))?,
                        dimension: dimension
                            .map(|d| d.parse())
                            .transpose()
                            .map_err(|_| bad("dimension"))?,
                        subject,
                        reason,
                        why: why
                            .map(|w| serde_json::from_str(&w))
                            .transpose()
                            .map_err(|_| bad("reason's facts"))?
                            .unwrap_or_default(),
                    },
                    name,
                    village,
                })
            })
            .collect::<Result<_>>()?;
        out.sort_by(|a, b| {
            let (a, b) = (&a.prompt, &b.prompt);
            (a.priority, a.due, a.kind, &a.case_id, &a.subject)
                .cmp(&(b.priority, b.due, b.kind, &b.case_id, &b.subject))
        });
        Ok(out)
    }

    /// Words each prompt's reason in `lang` from its facts, with this store's programme (scheme
    /// names); a prompt stored without its facts keeps its English reason.
    pub fn word_prompts<'a>(
        &self,
        prompts: impl IntoIterator<Item = &'a mut Prompt>,
        lang: homeward_shared::i18n::Lang,
    ) {
        let catalogue = homeward_shared::i18n::Catalogue::new(lang);
        for p in prompts {
            if p.why != prompt::Why::Unknown {
                p.reason = catalogue.reason(&p.why, &self.programme);
            }
        }
    }

    /// The saved Automerge document of a case: a standard document any implementation reads.
    pub fn export(&self, case_id: &str) -> Result<Vec<u8>> {
        let mut doc = load_doc(&self.conn, case_id, &self.actor)?;
        Ok(doc.save())
    }

    /// Imports a saved case document: a new case is added, a known one merged. Returns the
    /// case id and whether it was new.
    ///
    /// Only changes made on this device, or already held here, may come in: a change of
    /// another device reaches the server only from that device (the server refuses a device's
    /// push of another actor's changes), so once merged here every later edit of the case would
    /// depend on a change the server may never hold, and be refused. Such a file is refused
    /// whole; the way to get another device's work is to sync. Changes of this device that the
    /// journal does not hold (a file exported here before) are journaled to be pushed, so later
    /// edits never depend on a change only this device has.
    pub fn import(&mut self, bytes: &[u8]) -> Result<(String, bool)> {
        let mut incoming = schema::load(bytes, self.actor.clone())
            .map_err(|e| FieldError::BadInput(format!("not a Homeward case file: {e}")))?;
        let case = schema::read_case(&incoming)
            .map_err(|e| FieldError::BadInput(format!("not a readable Homeward case: {e}")))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known = case_known(&tx, &case.id)?;
        let mut doc = if known {
            load_doc(&tx, &case.id, &self.actor)?
        } else {
            AutoCommit::new().with_actor(self.actor.clone())
        };
        let heads = doc.get_heads();
        let new_changes = untrusted::changes_added(&mut doc, &mut incoming)
            .map_err(|e| FieldError::BadInput(format!("cannot compare the imported case: {e}")))?;
        let foreign = new_changes
            .iter()
            .filter(|c| c.actor_id() != &self.actor)
            .count();
        if foreign > 0 {
            return Err(FieldError::BadInput(format!(
                "the file holds {foreign} changes to case {} made on another device and not yet on this one; such changes can reach the server only from the device that made them, and every later edit here would be refused: sync both devices instead",
                case.id
            )));
        }
        let mut doc = untrusted::merge(doc, incoming)
            .map_err(|e| FieldError::BadInput(format!("cannot merge the imported case: {e}")))?;
        schema::read_case(&doc)
            .map_err(|e| FieldError::BadInput(format!("the merged case does not read: {e}")))?;
        let day = today();
        materialise(&tx, &mut doc, day, &self.programme, !known)?;
        let own = doc.get_changes(&heads);
        record_changes(&tx, &case.id, &own, now())?;
        tx.commit()?;
        Ok((case.id, !known))
    }

    /// Sets a setting in the `meta` table.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// The sync cursor (`Start` before the first sync).
    pub fn cursor(&self) -> Result<Cursor> {
        match self.meta("cursor")? {
            Some(c) => serde_json::from_str(&c)
                .map_err(|e| FieldError::BadInput(format!("stored sync cursor is damaged: {e}"))),
            None => Ok(Cursor::Start),
        }
    }

    /// The changes made here that the server has not confirmed, grouped by case in the order
    /// they were made.
    ///
    /// At most `max_bytes` of changes (but always at least one): a backlog goes up in bounded
    /// pages, oldest first, so a cut connection costs one page, not the whole upload.
    pub fn outbox(&self, max_bytes: usize) -> Result<Outbox> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, case_id, bytes FROM changes WHERE pushed = 0 ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut out = Outbox::default();
        let mut bytes = 0usize;
        while let Some(row) = rows.next()? {
            let (seq, case_id, change): (i64, String, Vec<u8>) =
                (row.get(0)?, row.get(1)?, row.get(2)?);
            if out.count > 0 && bytes + change.len() > max_bytes {
                break;
            }
            bytes += change.len();
            out.count += 1;
            out.up_to = Some(seq);
            match out.push.iter_mut().find(|p| p.case_id == case_id) {
                Some(p) => p.changes.push(change),
                None => out.push.push(CasePush {
                    case_id,
                    changes: vec![change],
                }),
            }
        }
        Ok(out)
    }

    /// How many local changes wait for the server.
    pub fn waiting(&self) -> Result<usize> {
        let n: i64 =
            self.conn
                .query_row("SELECT count(*) FROM changes WHERE pushed = 0", [], |r| {
                    r.get(0)
                })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Sets aside the waiting changes of a case the server refused, with its reason: they stay
    /// on the device (in the journal and the document) and are no longer pushed. Returns how
    /// many.
    pub fn set_aside(&mut self, case_id: &str, reason: &str) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE changes SET pushed = 2, refused = ?2 WHERE case_id = ?1 AND pushed = 0",
            params![case_id, reason],
        )?)
    }

    /// Puts every refused change back in the outbox (after the scope was fixed on the server).
    pub fn retry_refused(&mut self) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE changes SET pushed = 0, refused = NULL WHERE pushed = 2",
            [],
        )?)
    }

    /// The changes the server refused, by case: (case id, how many, reason).
    pub fn refused(&self) -> Result<Vec<(String, usize, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT case_id, count(*), max(refused) FROM changes WHERE pushed = 2 GROUP BY case_id ORDER BY case_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Applies one sync round's response in one transaction: marks confirmed changes, merges
    /// documents and changes, drops cases no longer held, and only then moves the cursor. An
    /// interrupted round leaves the store as it was, and the next round repeats it harmlessly.
    ///
    /// `sent` is the outbox the request carried: the server stores a push whole or refuses it
    /// whole, so a response confirms all of it.
    pub fn apply_round(&mut self, sent: &Outbox, resp: &SyncResponse) -> Result<RoundStats> {
        let mut stats = RoundStats::default();
        if usize::try_from(resp.stored).ok() != Some(sent.count) {
            return Err(FieldError::Network(format!(
                "the server confirmed {} of the {} changes sent",
                resp.stored, sent.count
            )));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let day = today();
        if let Some(up_to) = sent.up_to {
            stats.confirmed = tx.execute(
                "UPDATE changes SET pushed = 1 WHERE seq <= ?1 AND pushed = 0",
                [up_to],
            )?;
        }
        for d in &resp.documents {
            let mut incoming =
                schema::load(&d.doc, self.actor.clone()).map_err(|source| FieldError::Damaged {
                    id: d.case_id.clone(),
                    source,
                })?;
            let known = case_known(&tx, &d.case_id)?;
            if known {
                let doc = load_doc(&tx, &d.case_id, &self.actor)?;
                let mut doc = untrusted::merge(doc, incoming).map_err(|e| FieldError::Damaged {
                    id: d.case_id.clone(),
                    source: schema::SchemaError::Automerge(e.to_string()),
                })?;
                materialise(&tx, &mut doc, day, &self.programme, false)?;
            } else {
                materialise(&tx, &mut incoming, day, &self.programme, true)?;
            }
            stats.documents += 1;
        }
        let mut by_case: Vec<(&str, Vec<automerge::Change>)> = Vec::new();
        for c in &resp.changes {
            let change = untrusted::parse_change(&c.bytes).map_err(|e| FieldError::Damaged {
                id: c.case_id.clone(),
                source: schema::SchemaError::Corrupt(e.to_string()),
            })?;
            match by_case.iter_mut().find(|(id, _)| *id == c.case_id) {
                Some((_, v)) => v.push(change),
                None => by_case.push((&c.case_id, vec![change])),
            }
            stats.changes += 1;
        }
        for (case_id, changes) in by_case {
            let known = case_known(&tx, case_id)?;
            let doc = if known {
                load_doc(&tx, case_id, &self.actor)?
            } else {
                AutoCommit::new().with_actor(self.actor.clone())
            };
            let mut doc =
                untrusted::apply_changes(doc, changes).map_err(|e| FieldError::Damaged {
                    id: case_id.to_owned(),
                    source: schema::SchemaError::Automerge(e.to_string()),
                })?;
            // Never persist a document with queued changes (SYNC-NOTES pitfall 2).
            if !doc.get_missing_deps(&[]).is_empty() {
                return Err(FieldError::Damaged {
                    id: case_id.to_owned(),
                    source: schema::SchemaError::Corrupt(
                        "the server sent changes whose dependencies are missing".into(),
                    ),
                });
            }
            materialise(&tx, &mut doc, day, &self.programme, !known)?;
        }
        for case_id in &resp.dropped {
            let unpushed: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM changes WHERE case_id = ?1 AND pushed != 1)",
                [case_id],
                |r| r.get(0),
            )?;
            if unpushed {
                // Kept while changes made here are unconfirmed or refused: nothing made on the
                // device is deleted before the server holds it.
                stats.kept += 1;
                continue;
            }
            for sql in [
                "DELETE FROM prompts WHERE case_id = ?1",
                "DELETE FROM visits WHERE case_id = ?1",
                "DELETE FROM changes WHERE case_id = ?1",
                "DELETE FROM case_docs WHERE case_id = ?1",
                "DELETE FROM cases WHERE id = ?1",
            ] {
                tx.execute(sql, [case_id])?;
            }
            stats.dropped += 1;
        }
        if let Some(r) = &resp.reference {
            let set = |k: &str, v: &str| {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![k, v],
                )
            };
            set("user_id", &r.user_id)?;
            set("user_name", &r.user_name)?;
            set(
                "reference",
                &serde_json::to_string(r).map_err(|e| FieldError::BadInput(e.to_string()))?,
            )?;
        }
        let cursor =
            serde_json::to_string(&resp.cursor).map_err(|e| FieldError::BadInput(e.to_string()))?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('cursor', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [cursor],
        )?;
        tx.commit()?;
        Ok(stats)
    }

    /// The reference data from the last sync (user, areas, assigned cases).
    pub fn reference(&self) -> Result<Option<Reference>> {
        self.meta("reference")?
            .map(|r| {
                serde_json::from_str(&r).map_err(|e| {
                    FieldError::BadInput(format!("stored reference data is damaged: {e}"))
                })
            })
            .transpose()
    }

    /// Deletes the store, its files and its device secret: what a revoked device with nothing
    /// unconfirmed does.
    pub fn wipe(self) -> Result<()> {
        let (dir, device, keystore) =
            (self.dir.clone(), self.device.clone(), self.keystore.clone());
        drop(self.conn);
        erase(&dir, &device, &keystore)
    }

    /// What was made on this device and the server does not hold: (changes waiting or set
    /// aside, spot-check outcomes not recorded by the server).
    pub fn unconfirmed(&self) -> Result<(usize, usize)> {
        let (changes, outcomes): (i64, i64) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM changes WHERE pushed != 1),
                    (SELECT count(*) FROM spot_check_outcomes)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((
            usize::try_from(changes).unwrap_or(0),
            usize::try_from(outcomes).unwrap_or(0),
        ))
    }

    /// Counts of what the store holds: (cases, changes made here, visits).
    pub fn counts(&self) -> Result<(u64, u64, u64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM changes), (SELECT count(*) FROM visits)",
            [],
            |r| {
                let n = |i| r.get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or(0));
                Ok((n(0)?, n(1)?, n(2)?))
            },
        )?)
    }

    /// Checks that the materialised tables agree with the documents: every change recorded is
    /// in its document, and the visit rows are the document's visits. Returns the problems.
    pub fn verify(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM cases")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let mut doc = load_doc(&self.conn, &id, &self.actor)?;
            let case = schema::read_case(&doc).map_err(|source| FieldError::Damaged {
                id: id.clone(),
                source,
            })?;
            let mut stmt = self
                .conn
                .prepare("SELECT hash FROM changes WHERE case_id = ?1")?;
            let hashes: Vec<Vec<u8>> = stmt
                .query_map([&id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for h in hashes {
                let known = automerge::ChangeHash::try_from(h.as_slice())
                    .ok()
                    .and_then(|h| doc.get_change_by_hash(&h));
                if known.is_none() {
                    problems.push(format!(
                        "case {id}: a recorded change is missing from its document"
                    ));
                }
            }
            let rows: i64 = self.conn.query_row(
                "SELECT count(*) FROM visits WHERE case_id = ?1",
                [&id],
                |r| r.get(0),
            )?;
            if usize::try_from(rows).ok() != Some(case.visits.len()) {
                problems.push(format!(
                    "case {id}: {rows} visit rows for {} visits",
                    case.visits.len()
                ));
            }
            let model = self.case(&id)?;
            if model != case {
                problems.push(format!(
                    "case {id}: the materialised model differs from the document"
                ));
            }
        }
        Ok(problems)
    }
}

fn priority_from(n: i64) -> Option<Priority> {
    match n {
        0 => Some(Priority::Urgent),
        1 => Some(Priority::High),
        2 => Some(Priority::Normal),
        _ => None,
    }
}

fn priority_rank(p: Priority) -> i64 {
    match p {
        Priority::Urgent => 0,
        Priority::High => 1,
        Priority::Normal => 2,
    }
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

/// The key serde writes for an outcome (`has_issues`), as stored.
fn outcome_key(o: Outcome) -> Result<String> {
    match serde_json::to_value(o) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(FieldError::BadInput(format!("outcome {o:?} has no key"))),
    }
}

fn parse_outcome(s: &str) -> Result<Outcome> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|_| {
        FieldError::BadInput(format!(
            "unknown outcome '{s}' (verified, has_issues or could_not_verify)"
        ))
    })
}

/// Parses an outcome as typed on the command line or sent by the window.
pub fn outcome(s: &str) -> Result<Outcome> {
    parse_outcome(s.trim())
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

fn case_known(conn: &Connection, case_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1)",
        [case_id],
        |r| r.get(0),
    )?)
}

fn load_doc(conn: &Connection, case_id: &str, actor: &ActorId) -> Result<AutoCommit> {
    let bytes: Vec<u8> = conn
        .query_row(
            "SELECT doc FROM case_docs WHERE case_id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| FieldError::UnknownCase(case_id.to_owned()))?;
    schema::load(&bytes, actor.clone()).map_err(|source| FieldError::Damaged {
        id: case_id.to_owned(),
        source,
    })
}

fn record_changes(
    tx: &Transaction<'_>,
    case_id: &str,
    changes: &[automerge::Change],
    at: DateTime<Utc>,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO changes (case_id, hash, bytes, recorded_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for c in changes {
        stmt.execute(params![
            case_id,
            c.hash().0.as_slice(),
            c.raw_bytes(),
            at.to_rfc3339()
        ])?;
    }
    Ok(())
}

/// Rewrites every materialised row of one case from its document.
fn materialise(
    tx: &Transaction<'_>,
    doc: &mut AutoCommit,
    day: NaiveDate,
    programme: &Programme,
    new: bool,
) -> Result<()> {
    let case = schema::read_case(doc)?;
    let conflicts = schema::conflicts(doc)?.len();
    // Checked: a document that would not load back is never stored (untrusted::save_checked).
    let saved = untrusted::save_checked(doc).map_err(schema::SchemaError::from)?;
    let model = serde_json::to_vec(&case).map_err(|e| FieldError::BadInput(e.to_string()))?;
    let risk = prompt::risk(&case, day, programme);
    let next = prompt::next_visit(&case, day, programme);
    let last_visit = prompt::last_counted_visit(&case, day, programme);
    let sql = if new {
        "INSERT INTO cases (id, name, other_names, sex, district, block, village, returned_on,
                            state, risk, last_visit, next_due, conflicts, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    } else {
        "UPDATE cases SET name = ?2, other_names = ?3, sex = ?4, district = ?5, block = ?6,
                          village = ?7, returned_on = ?8, state = ?9, risk = ?10,
                          last_visit = ?11, next_due = ?12, conflicts = ?13, updated_at = ?14
         WHERE id = ?1"
    };
    let a = &case.child.address;
    tx.prepare_cached(sql)?.execute(params![
        case.id,
        case.child.name,
        case.child.other_names.join("\n"),
        case.child.sex.key(),
        a.district,
        a.block,
        a.village,
        case.rescue.returned_on.to_string(),
        case.status.state.key(),
        risk.key(),
        last_visit.map(|d| d.to_string()),
        next.map(|n| n.due.to_string()),
        i64::try_from(conflicts).unwrap_or(i64::MAX),
        now().to_rfc3339(),
    ])?;
    tx.prepare_cached(
        "INSERT INTO case_docs (case_id, doc, model) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc, model = excluded.model",
    )?
    .execute(params![case.id, saved, model])?;
    tx.prepare_cached("DELETE FROM visits WHERE case_id = ?1")?
        .execute([&case.id])?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO visits (case_id, id, date, kind, by_name, met, note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for v in &case.visits {
        ins.execute(params![
            case.id,
            v.id,
            v.date.to_string(),
            v.kind.key(),
            v.by.name,
            v.met,
            v.note,
            v.recorded_at.to_rfc3339()
        ])?;
    }
    write_prompts(tx, &case, day, programme)
}

/// Writes one case's prompts for `day`, with its risk and next visit, and the window of days
/// they hold for.
fn write_prompts(
    tx: &Transaction<'_>,
    case: &Case,
    day: NaiveDate,
    programme: &Programme,
) -> Result<()> {
    let (prompts, until) =
        prompt::prompts_until(case, day, programme, prompt::PROMPTS_HORIZON_DAYS);
    tx.prepare_cached("DELETE FROM prompts WHERE case_id = ?1")?
        .execute([&case.id])?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO prompts (case_id, position, kind, priority, due, dimension, subject, reason, why)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, p) in prompts.iter().enumerate() {
        let kind = serde_json::to_value(p.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        ins.execute(params![
            case.id,
            i64::try_from(i).unwrap_or(i64::MAX),
            kind,
            priority_rank(p.priority),
            p.due.to_string(),
            p.dimension.map(|d| d.key()),
            p.subject,
            p.reason,
            serde_json::to_string(&p.why).ok()
        ])?;
    }
    let next = prompt::next_visit(case, day, programme).map(|n| n.due.to_string());
    let risk = prompt::risk(case, day, programme).key();
    tx.prepare_cached(
        "UPDATE cases SET risk = ?2, next_due = ?3, prompts_from = ?4, prompts_until = ?5 WHERE id = ?1",
    )?
    .execute(params![case.id, risk, next, day.to_string(), until.to_string()])?;
    Ok(())
}

/// Recomputes the prompts of the cases whose window does not cover `day`.
fn refresh_prompts(tx: &Transaction<'_>, day: NaiveDate, programme: &Programme) -> Result<usize> {
    let mut stmt = tx.prepare(
        "SELECT d.case_id, d.model FROM case_docs d JOIN cases c ON c.id = d.case_id
         WHERE c.prompts_from IS NULL OR NOT (c.prompts_from <= ?1 AND ?1 <= c.prompts_until)",
    )?;
    let rows: Vec<(String, Vec<u8>)> = stmt
        .query_map([day.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, model) in &rows {
        let case: Case = serde_json::from_slice(model).map_err(|e| FieldError::Damaged {
            id: id.clone(),
            source: schema::SchemaError::Corrupt(e.to_string()),
        })?;
        write_prompts(tx, &case, day, programme)?;
    }
    Ok(rows.len())
}
