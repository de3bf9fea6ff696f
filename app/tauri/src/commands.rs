//! The commands the window calls. Each one unpacks its arguments, calls `homeward-field` and
//! returns its answer as JSON; nothing here decides anything about a case.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;
use homeward_field::attachments_sync::ChunkSent;
use homeward_field::keystore::Keystore;
use homeward_field::similar::SimilarChildren;
use homeward_field::store::{Backlog, CaseFilter, CaseRow, CaseView, LocalOutcome, TodayPrompt};
use homeward_field::sync::{self, Outcome, Round, SyncOptions, SyncReport};
use homeward_field::{FieldError, Store, settings};
use homeward_shared::edit::Edit;
use homeward_shared::model::{Author, Profile};
use homeward_shared::need::{Dimension, Stability, Status};
use homeward_shared::wire::{SentBack, SpotCheckTask};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

/// What the app holds between commands: the data folder and, once unlocked, the store.
#[derive(Debug)]
pub struct App {
    dir: PathBuf,
    store: Mutex<Option<Store>>,
    syncing: AtomicBool,
}

impl App {
    pub fn new(dir: PathBuf) -> App {
        App {
            dir,
            store: Mutex::new(None),
            syncing: AtomicBool::new(false),
        }
    }

    /// The screen's language (`settings.json`; Hindi when unset or unreadable).
    pub(crate) fn lang(&self) -> homeward_shared::i18n::Lang {
        settings::load(&self.dir)
            .lang
            .parse()
            .unwrap_or(homeward_shared::i18n::Lang::Hi)
    }

    fn guard(&self) -> MutexGuard<'_, Option<Store>> {
        // A panic while holding the lock leaves the store as SQLite left it: still consistent.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> homeward_field::Result<T>,
    ) -> Result<T, CmdError> {
        match self.guard().as_mut() {
            Some(store) => f(store).map_err(|e| {
                let lang = self.lang();
                let catalogue = || homeward_shared::i18n::Catalogue::new(lang);
                let worded = e
                    .refusal()
                    .map(|r| {
                        let named =
                            homeward_shared::refusal::named(r.clone(), store.programme(), lang);
                        homeward_shared::refusal::words(&named, &catalogue())
                    })
                    .or_else(|| {
                        // A copy beyond the programme's limits, in the screen's language.
                        e.attach_problem()
                            .map(|p| homeward_shared::refusal::attach_problem(p, &catalogue()))
                    })
                    .or_else(|| match &e {
                        // A sealed file refused (not for this phone, damaged...), in words.
                        FieldError::Sealed(se) => {
                            Some(homeward_shared::refusal::sealed(se, &catalogue()))
                        }
                        _ => None,
                    });
                CmdError {
                    worded,
                    ..CmdError::from(e)
                }
            }),
            None => Err(CmdError::locked()),
        }
    }
}

/// An error as the window receives it: a stable kind to word it in the screen's language, the
/// detail in English, and what the words need: the seconds to wait after wrong PINs, why a new
/// PIN was refused, and a refused edit already worded in the app's language.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CmdError {
    kind: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    // Absent, not null, when unset: the window reads it as optional.
    #[cfg_attr(feature = "ts", ts(optional))]
    seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    // Absent, not null, when unset: the window reads it as optional.
    #[cfg_attr(feature = "ts", ts(optional))]
    reason: Option<&'static str>,
    /// A refused edit in the app's language (the field, the dates: "the visit date (1 January
    /// 2099) is in the future"), shown instead of the English detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    worded: Option<String>,
}

impl CmdError {
    pub(crate) fn new(kind: &'static str, message: String) -> CmdError {
        CmdError {
            kind,
            message,
            seconds: None,
            reason: None,
            worded: None,
        }
    }

    /// The stable kind (tests read it).
    #[cfg(test)]
    pub(crate) fn kind(&self) -> &'static str {
        self.kind
    }

    /// The English detail (tests read it).
    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    fn locked() -> CmdError {
        CmdError::new(
            "locked",
            "the store is locked: unlock it with the PIN".into(),
        )
    }
}

impl From<FieldError> for CmdError {
    fn from(e: FieldError) -> Self {
        CmdError {
            kind: e.kind(),
            message: e.to_string(),
            seconds: e.wait_seconds(),
            reason: e.pin_problem(),
            worded: None,
        }
    }
}

pub(crate) type Answer<T> = Result<T, CmdError>;

/// Runs a command's body on a blocking thread: SQLCipher, argon2id and the blocking HTTP client
/// must not run on the async runtime's workers (reqwest's blocking client refuses to).
pub(crate) async fn blocking<T: Send + 'static>(
    handle: AppHandle,
    f: impl FnOnce(&App) -> Answer<T> + Send + 'static,
) -> Answer<T> {
    tauri::async_runtime::spawn_blocking(move || f(&handle.state::<App>()))
        .await
        .map_err(|e| CmdError::new("internal", format!("the command stopped: {e}")))?
}

/// What the first screen needs to know.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AppStatus {
    initialised: bool,
    unlocked: bool,
    enrolled: bool,
    user_name: Option<String>,
    role: Option<String>,
    server: Option<String>,
    /// A server address to offer on the enrolment screen (`HOMEWARD_SERVER_URL`, set by demos).
    suggested_server: Option<String>,
    lang: String,
    today: NaiveDate,
}

#[tauri::command]
pub async fn status(handle: AppHandle) -> Answer<AppStatus> {
    blocking(handle, move |app| {
        let guard = app.guard();
        let meta = |k: &str| guard.as_ref().and_then(|s| s.meta(k).ok().flatten());
        Ok(AppStatus {
            initialised: Store::exists(&app.dir),
            unlocked: guard.is_some(),
            enrolled: meta("device_id").is_some(),
            user_name: meta("user_name"),
            role: meta("role"),
            server: meta("server"),
            suggested_server: std::env::var("HOMEWARD_SERVER_URL").ok(),
            lang: settings::load(&app.dir).lang,
            today: homeward_field::store::today(),
        })
    })
    .await
}

/// Enrols the device. On a first start there is no store yet: it is created with `pin` and
/// stays unlocked, so a mistyped code can be corrected without typing the PIN again.
#[tauri::command]
pub async fn enrol(
    handle: AppHandle,
    server: String,
    code: String,
    pin: Option<String>,
    device_name: String,
) -> Answer<Enrolled> {
    blocking(handle, move |app| {
        let mut guard = app.guard();
        if guard.is_none() {
            let pin = pin.ok_or_else(CmdError::locked)?;
            let unenrolled = Author {
                user_id: "unenrolled".into(),
                name: "unenrolled".into(),
            };
            *guard = Some(Store::init(
                &app.dir,
                &Keystore::from_env()?,
                &pin,
                &unenrolled,
            )?);
        }
        let store = guard.as_mut().ok_or_else(CmdError::locked)?;
        let e = sync::enrol_store(
            store,
            &server,
            &code,
            &device_name,
            sync::allow_http_from_env(),
        )?;
        Ok(Enrolled {
            user_name: e.user_name,
            role: e.role,
        })
    })
    .await
}

/// Who the device now belongs to (the token stays in the store, out of the window's reach).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Enrolled {
    user_name: String,
    role: String,
}

#[tauri::command]
pub async fn unlock(handle: AppHandle, pin: String) -> Answer<()> {
    blocking(handle, move |app| {
        let mut store = Store::open(&app.dir, &Keystore::from_env()?, &pin)?;
        // An NGO's programme file (its thresholds, and whether wrong PINs erase the store).
        if let Some(path) = std::env::var_os("HOMEWARD_PROGRAMME") {
            store.set_programme(homeward_field::store::programme_file(path.as_ref())?)?;
        }
        *app.guard() = Some(store);
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn lock(handle: AppHandle) -> Answer<()> {
    blocking(handle, move |app| {
        *app.guard() = None;
        Ok(())
    })
    .await
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Today {
    day: NaiveDate,
    prompts: Vec<TodayPrompt>,
    /// How many resources the map suggests for each prompt that asks for outside help.
    suggested: Vec<crate::resources::Suggested>,
}

#[tauri::command]
pub async fn today(handle: AppHandle) -> Answer<Today> {
    blocking(handle, move |app| {
        let day = homeward_field::store::today();
        let lang = app.lang();
        let (prompts, suggested) = app.with_store(|s| {
            let mut prompts = s.today(day)?;
            s.word_prompts(prompts.iter_mut().map(|t| &mut t.prompt), lang);
            let suggested = crate::resources::suggested_counts(s, &prompts)?;
            Ok((prompts, suggested))
        })?;
        Ok(Today {
            day,
            prompts,
            suggested,
        })
    })
    .await
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Cases {
    rows: Vec<CaseRow>,
    /// Every block of the caseload, for the filter.
    blocks: Vec<String>,
}

#[tauri::command]
pub async fn cases(
    handle: AppHandle,
    search: Option<String>,
    risk: Option<String>,
    block: Option<String>,
) -> Answer<Cases> {
    blocking(handle, move |app| {
        app.with_store(|s| {
            let rows = s.cases(&CaseFilter {
                search,
                risk,
                block,
            })?;
            let blocks = s.blocks()?;
            Ok(Cases { rows, blocks })
        })
    })
    .await
}

#[tauri::command]
pub async fn case_view(handle: AppHandle, id: String) -> Answer<CaseView> {
    blocking(handle, move |app| {
        let lang = app.lang();
        app.with_store(|s| worded_view(s, &id, lang))
    })
    .await
}

/// The case as the window shows it: prompts worded in the screen's language.
pub(crate) fn worded_view(
    s: &Store,
    id: &str,
    lang: homeward_shared::i18n::Lang,
) -> homeward_field::Result<CaseView> {
    let mut view = s.case_view(id, homeward_field::store::today())?;
    s.word_prompts(view.prompts.iter_mut(), lang);
    Ok(view)
}

/// Registers a returned child; the window chooses the case id (16 random hex digits).
#[tauri::command]
pub async fn register(handle: AppHandle, profile: Profile) -> Answer<String> {
    blocking(handle, move |app| {
        app.with_store(|s| s.register(&profile, homeward_field::store::now()))
    })
    .await
}

/// The active cases that may be the child about to be registered: this phone's, then, when the
/// phone is enrolled and online, the server's cases of the user's areas that are not on this
/// phone (each with who follows it), and whether the server answered. The window asks before
/// `register`. The store is not held while the server is asked (8 s at most).
#[tauri::command]
pub async fn similar_cases(handle: AppHandle, profile: Profile) -> Answer<SimilarChildren> {
    blocking(handle, move |app| {
        let (here, question) = app.with_store(|s| {
            let here = s.similar_here(&profile, homeward_field::store::today())?;
            Ok((
                here,
                sync::DuplicateQuestion::for_store(s, sync::allow_http_from_env())?,
            ))
        })?;
        Ok(here.with_server(question.map(|q| q.ask(&profile))))
    })
    .await
}

/// Applies one edit (a visit, a need, a service...) and returns the case as it now stands.
#[tauri::command]
pub async fn edit(handle: AppHandle, id: String, edit: Edit) -> Answer<CaseView> {
    blocking(handle, move |app| {
        let lang = app.lang();
        app.with_store(|s| {
            s.edit(&id, &edit, homeward_field::store::now())?;
            worded_view(s, &id, lang)
        })
    })
    .await
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Synced {
    /// The server says the administrator revoked this device.
    revoked: bool,
    /// Its store was wiped: it held nothing the server did not have, or the revocation was
    /// verified (signed by the server) and what the server lacked is in `leftover`.
    wiped: bool,
    /// After a verified revocation: the sealed file of what the server had not confirmed
    /// (only the server can read it), and what it holds; `None` when nothing was missing.
    leftover: Option<homeward_field::store::Leftover>,
    /// Changes made here that never reached the server, kept with the store.
    kept_changes: usize,
    /// Spot-check outcomes the server never recorded, kept with the store.
    kept_outcomes: usize,
    report: Option<SyncReport>,
}

/// Syncs on a second connection to the store, so every other screen keeps working while the
/// rounds go over a slow network; each round is reported on `progress`, and after the records
/// each chunk of a copy's page the server confirmed on `pages`.
#[tauri::command]
pub async fn sync(
    app: State<'_, App>,
    progress: Channel<Round>,
    pages: Channel<ChunkSent>,
) -> Answer<Synced> {
    if app.syncing.swap(true, Ordering::SeqCst) {
        return Err(CmdError::new("busy", "a sync is already running".into()));
    }
    let result = run_sync(&app, progress, pages).await;
    app.syncing.store(false, Ordering::SeqCst);
    result
}

async fn run_sync(
    app: &App,
    progress: Channel<Round>,
    pages: Channel<ChunkSent>,
) -> Answer<Synced> {
    let mut second = app.with_store(|s| s.reopen())?;
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        let opts = SyncOptions {
            allow_http: sync::allow_http_from_env(),
            ..SyncOptions::default()
        };
        sync::sync_with_pages(
            &mut second,
            &opts,
            &mut |round| {
                // A closed window is no reason to stop a sync.
                let _ = progress.send(round.clone());
            },
            &mut |chunk| {
                let _ = pages.send(chunk.clone());
            },
        )
    })
    .await
    .map_err(|e| CmdError::new("internal", format!("the sync stopped: {e}")))??;
    let synced = |revoked, wiped, kept_changes, kept_outcomes, report| Synced {
        revoked,
        wiped,
        leftover: None,
        kept_changes,
        kept_outcomes,
        report,
    };
    match outcome {
        Outcome::Synced(report) => {
            // A programme the sync brought is in force on the screens' connection too.
            app.with_store(|s| s.reload_programme())?;
            Ok(synced(false, false, 0, 0, Some(report)))
        }
        Outcome::Revoked => {
            // The leftover's place is kept in the store: read before the wipe.
            let mut leftover = None;
            if let Some(store) = app.guard().take() {
                leftover = store.leftover()?;
                store.wipe()?;
            }
            Ok(Synced {
                leftover,
                ..synced(true, true, 0, 0, None)
            })
        }
        Outcome::RevokedKept { changes, outcomes } => {
            Ok(synced(true, false, changes, outcomes, None))
        }
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SyncStatus {
    server: Option<String>,
    last_sync: Option<String>,
    waiting: usize,
    /// Cases whose changes the server refused: (case id, changes, reason).
    refused: Vec<(String, usize, String)>,
    syncing: bool,
    /// When the server said this device was revoked, if it kept its store (work unconfirmed).
    revoked_at: Option<String>,
    /// Changes and spot-check outcomes made here that the server does not hold.
    unconfirmed: (usize, usize),
    /// Pages of copies taken here that the server does not hold yet, and their bytes.
    copies_waiting: Backlog,
}

#[tauri::command]
pub async fn sync_status(handle: AppHandle) -> Answer<SyncStatus> {
    blocking(handle, move |app| {
        let syncing = app.syncing.load(Ordering::SeqCst);
        app.with_store(|s| {
            Ok(SyncStatus {
                server: s.meta("server")?,
                last_sync: s.meta("last_sync")?,
                waiting: s.waiting()?,
                refused: s.refused()?,
                syncing,
                revoked_at: s.meta("revoked_at")?,
                unconfirmed: s.unconfirmed()?,
                copies_waiting: s.attachments_waiting()?,
            })
        })
    })
    .await
}

/// One need dimension and the statuses it allows, least settled first.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DimensionStatuses {
    dimension: Dimension,
    statuses: Vec<StatusInfo>,
}

/// A status and how settled it is (the screens colour it by that).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StatusInfo {
    status: Status,
    stability: Stability,
}

/// The statuses each need may take (the visit and assessment screens offer them).
#[tauri::command]
pub fn vocabulary() -> Vec<DimensionStatuses> {
    Dimension::ALL
        .into_iter()
        .map(|dimension| DimensionStatuses {
            dimension,
            statuses: dimension
                .statuses()
                .iter()
                .map(|&status| StatusInfo {
                    status,
                    stability: status.stability(),
                })
                .collect(),
        })
        .collect()
}

/// The districts and blocks a child may be registered in (the user's areas from the last
/// sync), for the registration form's choices.
#[tauri::command]
pub async fn areas(handle: AppHandle) -> Answer<Vec<homeward_field::store::KnownArea>> {
    blocking(handle, move |app| app.with_store(|s| s.known_areas())).await
}

/// A scheme of the programme as the claims screen offers it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SchemeChoice {
    key: String,
    dimension: homeward_shared::model::ServiceDimension,
    /// In the screen's language (the programme's name for it, else English).
    name: String,
    /// The documents an application needs.
    requires: Vec<homeward_shared::model::DocumentKind>,
}

/// The programme's schemes, named in the screen's language.
#[tauri::command]
pub async fn schemes(handle: AppHandle) -> Answer<Vec<SchemeChoice>> {
    blocking(handle, move |app| {
        let lang = settings::load(&app.dir).lang;
        app.with_store(|s| {
            Ok(s.programme()
                .schemes
                .iter()
                .map(|sc| SchemeChoice {
                    key: sc.key.clone(),
                    dimension: sc.dimension,
                    name: sc.name_in(&lang).to_owned(),
                    requires: sc.requires.clone(),
                })
                .collect())
        })
    })
    .await
}

/// Assessments and closures a supervisor sent back, with the comment (from the last sync).
#[tauri::command]
pub async fn sent_back(handle: AppHandle) -> Answer<Vec<SentBack>> {
    blocking(handle, move |app| {
        app.with_store(|s| Ok(s.reference()?.map(|r| r.sent_back).unwrap_or_default()))
    })
    .await
}

/// For a supervisor: the urgent events of their areas that came by SMS and wait for their
/// record (from the last sync).
#[tauri::command]
pub async fn urgent(handle: AppHandle) -> Answer<Vec<homeward_shared::wire::UrgentItem>> {
    blocking(handle, move |app| {
        app.with_store(|s| Ok(s.reference()?.map(|r| r.urgent).unwrap_or_default()))
    })
    .await
}

/// A supervisor's spot checks: those still to make (as the last sync brought them) and the
/// outcomes recorded on this phone, not yet recorded by the server.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SpotChecks {
    tasks: Vec<SpotCheckTask>,
    recorded: Vec<LocalOutcome>,
}

#[tauri::command]
pub async fn spot_checks(handle: AppHandle) -> Answer<SpotChecks> {
    blocking(handle, move |app| {
        app.with_store(|s| {
            Ok(SpotChecks {
                tasks: s.reference()?.map(|r| r.spot_checks).unwrap_or_default(),
                recorded: s.local_outcomes()?,
            })
        })
    })
    .await
}

/// Records what a spot check found, on this phone (sent with the next sync).
#[tauri::command]
pub async fn record_spot_check(
    handle: AppHandle,
    id: String,
    outcome: String,
    note: String,
) -> Answer<()> {
    blocking(handle, move |app| {
        app.with_store(|s| {
            let outcome = homeward_field::store::outcome(&outcome)?;
            s.record_spot_check(&id, outcome, &note, homeward_field::store::now())
        })
    })
    .await
}

#[tauri::command]
pub async fn change_pin(handle: AppHandle, old_pin: String, new_pin: String) -> Answer<()> {
    blocking(handle, move |app| {
        app.with_store(|s| {
            if !s.pin_matches(&old_pin)? {
                return Err(FieldError::WrongPin {
                    dir: "this device".into(),
                    wait: None,
                });
            }
            s.change_pin(&new_pin)
        })
    })
    .await
}

#[tauri::command]
pub async fn set_language(handle: AppHandle, lang: String) -> Answer<String> {
    blocking(handle, move |app| {
        Ok(settings::set_language(&app.dir, &lang)?.lang)
    })
    .await
}
