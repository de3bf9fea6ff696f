//! `homeward`: the field store's command line, for supervisors, administrators, scripts and
//! tests. Every verb is a thin layer over `homeward_field`; the verbs and flags are a contract.
//!
//! Exit codes: 0 success, 2 bad input (nothing changed), 1 anything else.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use homeward_field::keystore::Keystore;
use homeward_field::store::{self, CaseFilter, Store};
use homeward_field::{FieldError, Result};
use homeward_shared::duplicates::{AGE_TOLERANCE, Fact, Likeness};
use homeward_shared::edit::{
    Edit, NeedUpdate, NewHearing, NewIncident, NewService, NewSummons, NewVisit, ServiceProgress,
};
use homeward_shared::model::{
    Address, Author, Birth, Caregiver, CaseState, DocumentKind, DocumentState, Education,
    HearingMode, HearingResult, LegalBasis, Profile, Rescue, Risk, Schooling, ServiceDimension,
    Sex, VisitKind,
};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::prompt::{self, Priority};

#[derive(Debug, Parser)]
#[command(
    name = "homeward",
    version,
    about = "Homeward field store: cases, visits, prompts."
)]
struct Cli {
    /// Data folder (default: $HOMEWARD_DATA_DIR, else the platform's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The language of prompts' reasons, en or hi (default: the language chosen in the app on
    /// this device, else English).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<homeward_shared::i18n::Lang>,
    /// A programme file (TOML) with the NGO's thresholds, laid over the defaults.
    #[arg(long, global = true, value_name = "FILE", env = "HOMEWARD_PROGRAMME")]
    programme: Option<PathBuf>,
    #[command(subcommand)]
    verb: Verb,
}

#[derive(Debug, Subcommand)]
enum Verb {
    /// Create a new, empty store (PIN of at least 6 digits from HOMEWARD_PIN or a prompt; the
    /// device secret in the keystore HOMEWARD_KEYSTORE names, else the platform's).
    Init {
        /// The user's id, until the device is enrolled.
        #[arg(long, default_value = "local")]
        user_id: String,
        /// The name edits are signed with, until the device is enrolled.
        #[arg(long, default_value = "Fieldworker")]
        user: String,
    },
    /// Register, list and show cases.
    #[command(subcommand)]
    Case(CaseVerb),
    /// Record the initial needs assessment (a visit of that kind).
    Assess {
        /// Case id (or a unique prefix of at least 4 characters).
        id: String,
        /// A need's status, as DIMENSION=STATUS; repeat for each dimension assessed.
        #[arg(long = "need", value_name = "DIMENSION=STATUS", value_parser = parse_need, required = true)]
        needs: Vec<(Dimension, Status)>,
        /// A note on the assessment.
        #[arg(long)]
        note: Option<String>,
        /// Date of the assessment (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// Record visits.
    #[command(subcommand)]
    Visit(VisitVerb),
    /// Set a need's status outside a visit.
    #[command(subcommand)]
    Need(NeedVerb),
    /// Record court summonses.
    #[command(subcommand)]
    Summons(SummonsVerb),
    /// Record harassment incidents.
    #[command(subcommand)]
    Incident(IncidentVerb),
    /// The court case: reference, court, the lawyer's authorisation.
    #[command(subcommand)]
    Legal(LegalVerb),
    /// Record what happened at a summons' hearing.
    Hearing {
        /// Case id.
        id: String,
        /// The summons (or later hearing) whose hearing this reports.
        summons: String,
        /// testimony-given, adjourned or not-attended.
        #[arg(long, value_parser = parse_key::<HearingResult>)]
        outcome: HearingResult,
        /// The day it was held (default: the summons' hearing date).
        #[arg(long, value_parser = parse_date)]
        held_on: Option<NaiveDate>,
        /// The next hearing's date (required when adjourned).
        #[arg(long, value_parser = parse_date)]
        next_hearing: Option<NaiveDate>,
        /// Why the family did not attend (required then), or a note.
        #[arg(long)]
        note: Option<String>,
    },
    /// School or bridge programme, class, enrolment, attendance.
    #[command(subcommand)]
    School(SchoolVerb),
    /// The caregiver: name, relation, phone.
    #[command(subcommand)]
    Family(FamilyVerb),
    /// Override the computed risk level with a reason, or clear the override.
    #[command(subcommand)]
    Risk(RiskVerb),
    /// Record compensation claims and entitlements.
    #[command(subcommand)]
    Service(ServiceVerb),
    /// Mark a document on the checklist.
    #[command(subcommand)]
    Document(DocumentVerb),
    /// Today's prompts, most urgent first.
    Today {
        /// The day to prompt for (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// Write a case as a standard Automerge document.
    Export {
        /// Case id.
        id: String,
        /// Output file.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Add or merge a case from an exported Automerge document.
    Import {
        /// The exported file.
        file: PathBuf,
    },
    /// Fill the store with a synthetic caseload (invented children; for demos and tests).
    Demo {
        /// How many cases.
        #[arg(long, default_value_t = 200)]
        cases: usize,
        /// The seed: the same seed gives the same caseload.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Months of history before today.
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// Store every edit as its own transaction, printing `saved visit CASE VISIT` after
        /// each visit commits (slower; what a fieldworker's edits look like to the store).
        #[arg(long)]
        per_edit: bool,
    },
    /// Enrol this device with a sync server (creates the store if there is none).
    Enrol {
        /// The server's address, for example http://192.0.2.10:8787.
        #[arg(long)]
        server: String,
        /// The one-time code from the administrator.
        #[arg(long)]
        code: String,
        /// A name for this device.
        #[arg(long, default_value = "field device")]
        name: String,
    },
    /// Sync with the server: push local changes, pull what changed.
    Sync {
        /// The server's address; it must be the one enrolled with (the token goes nowhere else).
        #[arg(long)]
        server: Option<String>,
        /// Response bytes per round (smaller pages on a poor link).
        #[arg(long, default_value_t = homeward_field::sync::DEFAULT_BUDGET)]
        budget: u32,
        /// Retries after a network failure.
        #[arg(long, default_value_t = 3)]
        retries: u32,
        /// Push again the changes the server refused before (once their case is in scope).
        #[arg(long)]
        retry_refused: bool,
    },
    /// A supervisor's spot checks still to make, as the last sync brought them, and the
    /// outcomes recorded here and not yet sent.
    SpotChecks,
    /// Record what a spot check found (on this phone; sent with the next sync).
    SpotCheck {
        /// The spot check's id (from `homeward spot-checks`).
        id: String,
        /// verified, has_issues or could_not_verify.
        #[arg(long)]
        outcome: String,
        /// What was wrong, or why it could not be verified (required unless verified).
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Assessments and closures a supervisor sent back, with their comments (from the last sync).
    SentBack,
    /// Check that every case's document and its materialised rows agree (exit 1 if not).
    Verify,
    /// Change the store's PIN (new PIN from HOMEWARD_NEW_PIN or a prompt).
    #[command(subcommand)]
    Pin(PinVerb),
}

#[derive(Debug, Subcommand)]
enum CaseVerb {
    /// Register a returned child; prints the new case id alone on the last line.
    Add(Box<CaseAdd>),
    /// List cases.
    List {
        /// Part of a name or village.
        #[arg(long)]
        search: Option<String>,
        /// Only this risk level (high, medium, stable).
        #[arg(long)]
        risk: Option<String>,
        /// Only this block.
        #[arg(long)]
        block: Option<String>,
    },
    /// Change the case status: active, closed, missing or re-trafficked, with a reason. (A
    /// transfer is asked for on the phone and decided by the supervisor.)
    Status {
        /// Case id.
        id: String,
        /// active, closed, missing or re-trafficked.
        #[arg(value_parser = parse_case_state)]
        state: CaseState,
        /// Why (required for anything but active).
        #[arg(long)]
        reason: Option<String>,
        /// Since when (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// The family moved: ask the supervisor to move the case to another block or district
    /// (they decide on the dashboard, and choose who follows the child there).
    Move {
        /// Case id.
        id: String,
        /// The new district.
        #[arg(long)]
        district: String,
        /// The new block.
        #[arg(long)]
        block: String,
        /// The new village.
        #[arg(long)]
        village: String,
        /// Why.
        #[arg(long)]
        reason: String,
        /// The day the family moved (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// Show a whole case.
    Show {
        /// Case id.
        id: String,
        /// The day to compute risk and prompts for (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}

#[derive(Debug, Args)]
struct CaseAdd {
    /// The child's name.
    #[arg(long)]
    name: String,
    /// Sex: f, m or x.
    #[arg(long, value_parser = parse_key::<Sex>)]
    sex: Sex,
    /// Date of birth.
    #[arg(long, value_parser = parse_date, required_unless_present = "age", conflicts_with = "age")]
    dob: Option<NaiveDate>,
    /// Estimated age in years (today).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=25))]
    age: Option<u8>,
    /// District.
    #[arg(long)]
    district: String,
    /// Block.
    #[arg(long)]
    block: String,
    /// Village.
    #[arg(long)]
    village: String,
    /// Gram panchayat.
    #[arg(long)]
    panchayat: Option<String>,
    /// The day the child reached home.
    #[arg(long, value_parser = parse_date)]
    returned_on: NaiveDate,
    /// Another name or spelling; repeat for more.
    #[arg(long = "other-name")]
    other_names: Vec<String>,
    /// Caregiver's name.
    #[arg(long)]
    caregiver: Option<String>,
    /// Caregiver's relation to the child.
    #[arg(long, default_value = "parent")]
    relation: String,
    /// Caregiver's phone.
    #[arg(long)]
    phone: Option<String>,
    /// City of rescue.
    #[arg(long, default_value = "Jaipur")]
    rescued_in: String,
    /// Date of rescue.
    #[arg(long, value_parser = parse_date)]
    rescued_on: Option<NaiveDate>,
    /// Kind of workshop.
    #[arg(long)]
    workplace: Option<String>,
    /// Shelter home.
    #[arg(long)]
    shelter_home: Option<String>,
    /// The CWC order's reference: the legal basis for the record.
    #[arg(long)]
    cwc_order: Option<String>,
    /// Instead of a CWC order: the guardian who consented to the record.
    #[arg(long, conflicts_with = "cwc_order")]
    consent_by: Option<String>,
    /// Register even though the child looks like one already in the store (checked first:
    /// another child after all).
    #[arg(long)]
    not_duplicate: bool,
}

#[derive(Debug, Subcommand)]
enum VisitVerb {
    /// Record a visit or call with the needs that changed.
    Add {
        /// Case id.
        id: String,
        /// Date of the visit.
        #[arg(long, value_parser = parse_date)]
        date: NaiveDate,
        /// follow-up, phone or urgent.
        #[arg(long, default_value = "follow-up", value_parser = parse_key::<VisitKind>)]
        kind: VisitKind,
        /// Who was met.
        #[arg(long)]
        met: Option<String>,
        /// A need that changed, as DIMENSION=STATUS; repeat.
        #[arg(long = "need", value_name = "DIMENSION=STATUS", value_parser = parse_need)]
        needs: Vec<(Dimension, Status)>,
        /// Notes.
        #[arg(long)]
        note: Option<String>,
        /// Agreed next steps.
        #[arg(long)]
        next_steps: Option<String>,
        /// The summons discussed with the family (answers its "reach the family" prompt).
        #[arg(long, value_name = "SUMMONS_ID")]
        summons: Option<String>,
        /// The child's safety was checked (answers a harassment prompt).
        #[arg(long)]
        safety_checked: bool,
    },
}

#[derive(Debug, Subcommand)]
enum NeedVerb {
    /// Set one need's status.
    Set {
        /// Case id.
        id: String,
        /// DIMENSION=STATUS.
        #[arg(value_parser = parse_need)]
        need: (Dimension, Status),
        /// A note.
        #[arg(long)]
        note: Option<String>,
        /// The day it was observed (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
enum SummonsVerb {
    /// Record a court summons.
    Add {
        /// Case id.
        id: String,
        /// The day it was received.
        #[arg(long, value_parser = parse_date)]
        received_on: NaiveDate,
        /// Hearing date.
        #[arg(long, value_parser = parse_date)]
        hearing: NaiveDate,
        /// video or in-person.
        #[arg(long, value_parser = parse_key::<HearingMode>)]
        mode: Option<HearingMode>,
    },
}

#[derive(Debug, Subcommand)]
enum IncidentVerb {
    /// Record a harassment incident.
    Add {
        /// Case id.
        id: String,
        /// Date of the incident.
        #[arg(long, value_parser = parse_date)]
        date: NaiveDate,
        /// What happened.
        #[arg(long)]
        what: String,
        /// The police were informed.
        #[arg(long)]
        police_informed: bool,
    },
    /// Record later that the police were informed of an incident.
    Update {
        /// Case id.
        id: String,
        /// Incident id.
        incident: String,
        /// The police were informed.
        #[arg(long, required = true)]
        police_informed: bool,
    },
}

#[derive(Debug, Subcommand)]
enum LegalVerb {
    /// Set the court case's reference, court and the lawyer's authorisation; what is not given
    /// stays as it is.
    Set {
        /// Case id.
        id: String,
        /// The court.
        #[arg(long)]
        court: Option<String>,
        /// The court case reference.
        #[arg(long)]
        reference: Option<String>,
        /// The day the family authorised the lawyer.
        #[arg(long, value_parser = parse_date)]
        lawyer_authorised_on: Option<NaiveDate>,
        /// Who in the family authorised the lawyer.
        #[arg(long)]
        lawyer_authorised_by: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum SchoolVerb {
    /// Set the education record (replaces it whole).
    Set {
        /// Case id.
        id: String,
        /// school or bridge.
        #[arg(long, value_parser = parse_key::<Schooling>)]
        kind: Option<Schooling>,
        /// Name of the school or programme.
        #[arg(long)]
        name: Option<String>,
        /// Class (grade).
        #[arg(long)]
        class: Option<String>,
        /// Enrolment date.
        #[arg(long, value_parser = parse_date)]
        enrolled_on: Option<NaiveDate>,
        /// Attendance ("80%", "irregular").
        #[arg(long)]
        attendance: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum FamilyVerb {
    /// Set the caregiver.
    Set {
        /// Case id.
        id: String,
        /// Caregiver's name.
        #[arg(long)]
        caregiver: String,
        /// Relation to the child.
        #[arg(long)]
        relation: String,
        /// Phone number.
        #[arg(long)]
        phone: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum RiskVerb {
    /// Override the computed risk level.
    Set {
        /// Case id.
        id: String,
        /// high, medium or stable.
        #[arg(value_parser = parse_key::<Risk>)]
        level: Risk,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Go back to the computed risk level.
    Clear {
        /// Case id.
        id: String,
        /// Why.
        #[arg(long, default_value = "")]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
enum ServiceVerb {
    /// Record a new compensation claim or entitlement; prints its id on the last line.
    Add {
        /// Case id.
        id: String,
        /// compensation or entitlements.
        #[arg(long, value_parser = parse_key::<ServiceDimension>)]
        dimension: ServiceDimension,
        /// Scheme key (see the programme file) or name.
        #[arg(long)]
        scheme: String,
        /// Application date.
        #[arg(long, value_parser = parse_date)]
        applied_on: Option<NaiveDate>,
        /// Sanction date.
        #[arg(long, value_parser = parse_date)]
        sanctioned_on: Option<NaiveDate>,
        /// Payment date.
        #[arg(long, value_parser = parse_date)]
        paid_on: Option<NaiveDate>,
        /// Amount in rupees.
        #[arg(long)]
        amount: Option<u64>,
        /// Why it is stuck.
        #[arg(long)]
        stuck: Option<String>,
    },
    /// Record progress on a service.
    Update {
        /// Case id.
        id: String,
        /// Service id.
        service: String,
        /// Application date.
        #[arg(long, value_parser = parse_date)]
        applied_on: Option<NaiveDate>,
        /// Sanction date.
        #[arg(long, value_parser = parse_date)]
        sanctioned_on: Option<NaiveDate>,
        /// Payment date.
        #[arg(long, value_parser = parse_date)]
        paid_on: Option<NaiveDate>,
        /// Amount in rupees.
        #[arg(long)]
        amount: Option<u64>,
        /// Why it is stuck.
        #[arg(long)]
        stuck: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum DocumentVerb {
    /// Mark a document missing, received or verified.
    Set {
        /// Case id.
        id: String,
        /// Document kind (fir, bank_account, identity_card, ...).
        #[arg(value_parser = parse_key::<DocumentKind>)]
        kind: DocumentKind,
        /// missing, received or verified.
        #[arg(value_parser = parse_key::<DocumentState>)]
        state: DocumentState,
        /// The day (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
enum PinVerb {
    /// Re-key the store with a new PIN.
    Change,
}

fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("bad date '{s}' (expected YYYY-MM-DD)"))
}

fn parse_key<T: std::str::FromStr<Err = homeward_shared::need::UnknownName>>(
    s: &str,
) -> std::result::Result<T, String> {
    s.parse()
        .map_err(|e: homeward_shared::need::UnknownName| e.to_string())
}

fn parse_lang(s: &str) -> std::result::Result<homeward_shared::i18n::Lang, String> {
    s.parse()
        .map_err(|e: homeward_shared::need::UnknownName| e.to_string())
}

/// A case state as the command line takes it: `re-trafficked` as people write it, and no
/// `transferred` (a move is the supervisor's decision).
fn parse_case_state(s: &str) -> std::result::Result<CaseState, String> {
    match s {
        "re-trafficked" => Ok(CaseState::Retrafficked),
        "transferred" => Err(
            "a transfer is not set from a device: the supervisor decides it on the dashboard"
                .into(),
        ),
        _ => parse_key(s),
    }
}

fn parse_need(s: &str) -> std::result::Result<(Dimension, Status), String> {
    let (dim, status) = s.split_once('=').ok_or_else(|| {
        format!("bad need '{s}' (expected DIMENSION=STATUS, for example education=enrolled)")
    })?;
    let dim: Dimension = dim
        .parse()
        .map_err(|e: homeward_shared::need::UnknownName| e.to_string())?;
    let status = Status::parse_for(dim, status).map_err(|e| e.to_string())?;
    Ok((dim, status))
}

fn main() -> ExitCode {
    homeward_field::quiet_caught_panics();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line that names the bad value; exit 2.
            let text = e.render().to_string();
            let line = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("error: bad arguments");
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
    }
}

fn data_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(d) = &cli.data {
        return Ok(d.clone());
    }
    if let Some(d) = std::env::var_os("HOMEWARD_DATA_DIR") {
        return Ok(PathBuf::from(d));
    }
    dirs::data_dir().map(|d| d.join("homeward")).ok_or_else(|| {
        FieldError::BadInput("no data directory on this platform: pass --data DIR".into())
    })
}

/// Warns on stderr when the device secret's keystore protects less than a platform keystore.
fn warn_weak_keystore(keystore: &Keystore) {
    if let Some(w) = keystore.warning() {
        eprintln!("warning: {w}");
    }
}

fn pin(var: &str, prompt: &str) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    rpassword::prompt_password(prompt)
        .map_err(|e| FieldError::BadInput(format!("cannot read the PIN ({e}): set {var}")))
}

fn out(json: bool, value: &impl serde::Serialize, text: impl FnOnce() -> String) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    let s = if json {
        serde_json::to_string_pretty(value).map_err(|e| FieldError::BadInput(e.to_string()))?
    } else {
        text()
    };
    // A closed pipe (`homeward today | head`) is not an error worth a message.
    let _ = writeln!(stdout, "{s}");
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    let dir = data_dir(&cli)?;
    let json = cli.json;
    let lang = cli
        .lang
        .or_else(|| homeward_field::settings::chosen_lang(&dir))
        .unwrap_or(homeward_shared::i18n::Lang::En);
    let programme = cli.programme.clone();
    let verb = match cli.verb {
        Verb::Init { user_id, user } => {
            let pin = pin("HOMEWARD_PIN", "New PIN (at least 6 digits): ")?;
            let author = Author {
                user_id,
                name: user,
            };
            let keystore = Keystore::from_env()?;
            Store::init(&dir, &keystore, &pin, &author)?;
            warn_weak_keystore(&keystore);
            return out(
                json,
                &serde_json::json!({ "data": dir, "user": author }),
                || format!("created an encrypted store in {}", dir.display()),
            );
        }
        Verb::Enrol { server, code, name } => {
            let pin = pin("HOMEWARD_PIN", "PIN: ")?;
            let keystore = Keystore::from_env()?;
            let e = homeward_field::sync::enrol(
                &dir,
                &keystore,
                &pin,
                &server,
                &code,
                &name,
                homeward_field::sync::allow_http_from_env(),
            )?;
            warn_weak_keystore(&keystore);
            return out(
                json,
                &serde_json::json!({ "device_id": e.device_id, "user_id": e.user_id, "user_name": e.user_name }),
                || {
                    format!(
                        "enrolled as device {} for {} ({}); run `homeward sync`",
                        e.device_id, e.user_name, e.user_id
                    )
                },
            );
        }
        other => other,
    };
    let keystore = Keystore::from_env()?;
    let mut store = Store::open(&dir, &keystore, &pin("HOMEWARD_PIN", "PIN: ")?)?;
    // The programme in force; a change of it (or back to the defaults) recomputes the prompts.
    let programme = match &programme {
        Some(path) => store::programme_file(path)?,
        None => homeward_shared::programme::Programme::default(),
    };
    store.set_programme(programme)?;
    let now = store::now();
    let today = store::today();
    match verb {
        Verb::Init { .. } => Err(FieldError::AlreadyInitialised(dir.display().to_string())),
        Verb::Enrol { .. } => Err(FieldError::BadInput(
            "enrol is handled before the store opens".into(),
        )),
        Verb::Sync {
            server,
            budget,
            retries,
            retry_refused,
        } => {
            if retry_refused {
                let n = store.retry_refused()?;
                eprintln!("{n} refused changes put back to push");
            }
            let opts = homeward_field::sync::SyncOptions {
                server,
                allow_http: homeward_field::sync::allow_http_from_env(),
                budget,
                retries,
                ..homeward_field::sync::SyncOptions::default()
            };
            let mut progress = |r: &homeward_field::sync::Round| {
                if r.more || r.number > 1 {
                    eprintln!(
                        "round {}: up {} changes ({} bytes), down {} documents and {} changes ({} bytes){}",
                        r.number,
                        r.pushed,
                        r.sent_bytes,
                        r.applied.documents,
                        r.applied.changes,
                        r.received_bytes,
                        if r.more { ", more to come" } else { "" }
                    );
                }
            };
            match homeward_field::sync::sync(&mut store, &opts, &mut progress)? {
                homeward_field::sync::Outcome::Synced(r) => {
                    // Every change still set aside, refused in this sync or before.
                    for (case, n, reason) in store.refused()? {
                        eprintln!(
                            "warning: the server refused {n} changes to case {case} ({reason}); they stay on this device, set aside (`homeward sync --retry-refused` pushes them again)"
                        );
                    }
                    out(json, &r, || {
                        format!(
                            "synced in {} round(s): up {} changes confirmed ({} bytes sent); down {} documents and {} changes ({} bytes); {} cases removed",
                            r.rounds,
                            r.confirmed,
                            r.sent_bytes,
                            r.documents,
                            r.changes,
                            r.received_bytes,
                            r.dropped
                        )
                    })
                }
                homeward_field::sync::Outcome::Revoked => {
                    store.wipe()?;
                    let msg = format!(
                        "this device was revoked by the administrator: its local store in {} has been wiped; ask for a new enrolment code",
                        dir.display()
                    );
                    out(
                        json,
                        &serde_json::json!({ "revoked": true, "wiped": true }),
                        || msg.clone(),
                    )?;
                    Err(FieldError::Refused(
                        "device revoked; local store wiped".into(),
                    ))
                }
                homeward_field::sync::Outcome::RevokedKept { changes, outcomes } => {
                    let msg = format!(
                        "the server says this device was revoked, but {changes} changes and {outcomes} spot-check outcomes made here never reached it: the store in {} is kept, not wiped, and no longer syncs; show this device to your supervisor",
                        dir.display()
                    );
                    out(
                        json,
                        &serde_json::json!({ "revoked": true, "wiped": false, "kept_changes": changes, "kept_outcomes": outcomes }),
                        || msg.clone(),
                    )?;
                    Err(FieldError::Refused(
                        "device revoked; unconfirmed work kept on this device".into(),
                    ))
                }
            }
        }
        Verb::Case(CaseVerb::Add(a)) => {
            let not_duplicate = a.not_duplicate;
            let profile = profile(*a, today)?;
            if !not_duplicate {
                let alike = store.similar_children(&profile, today)?;
                if !alike.is_empty() {
                    if json {
                        out(json, &serde_json::json!({ "similar": alike }), String::new)?;
                    }
                    return Err(FieldError::BadInput(resembles(&profile, &alike)));
                }
            }
            let id = store.register(&profile, now)?;
            out(json, &serde_json::json!({ "id": id }), || {
                format!("registered {}\n{id}", profile.child.name)
            })
        }
        Verb::Case(CaseVerb::List {
            search,
            risk,
            block,
        }) => {
            if let Some(r) = &risk {
                r.parse::<homeward_shared::model::Risk>()
                    .map_err(|e| FieldError::BadInput(e.to_string()))?;
            }
            let rows = store.cases(&CaseFilter {
                search,
                risk,
                block,
            })?;
            out(json, &rows, || {
                if rows.is_empty() {
                    return "no cases".into();
                }
                rows.iter()
                    .map(|r| {
                        format!(
                            "{}  {:<22} {:<12} {:<14} {:<7} {:<11} last {:<10} next {}{}",
                            r.id,
                            r.name,
                            r.village,
                            r.block,
                            r.risk,
                            r.state,
                            r.last_visit.as_deref().unwrap_or("-"),
                            r.next_due.as_deref().unwrap_or("-"),
                            if r.conflicts > 0 {
                                format!("  ({} conflicts)", r.conflicts)
                            } else {
                                String::new()
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::Case(CaseVerb::Show { id, date }) => {
            let id = store.resolve(&id)?;
            let day = date.unwrap_or(today);
            let mut view = store.case_view(&id, day)?;
            store.word_prompts(view.prompts.iter_mut(), lang);
            out(json, &view, || {
                show_text(
                    &view.case,
                    view.risk,
                    view.next_visit.as_ref(),
                    &view.prompts,
                    &view.conflicts,
                    day,
                    (store.programme(), lang),
                )
            })
        }
        Verb::Assess {
            id,
            needs,
            note,
            date,
        } => {
            let id = store.resolve(&id)?;
            let edit = visit_edit(
                date.unwrap_or(today),
                VisitKind::InitialAssessment,
                None,
                &needs,
                note,
                None,
            )?;
            store.edit(&id, &edit, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "assessed": needs.len() }),
                || format!("assessment saved: {} need(s)", needs.len()),
            )
        }
        Verb::Visit(VisitVerb::Add {
            id,
            date,
            kind,
            met,
            needs,
            note,
            next_steps,
            summons,
            safety_checked,
        }) => {
            if kind == VisitKind::InitialAssessment {
                return Err(FieldError::BadInput(
                    "record an assessment with `homeward assess`".into(),
                ));
            }
            let id = store.resolve(&id)?;
            let mut edit = visit_edit(date, kind, met, &needs, note, next_steps)?;
            if let Some(summons) = &summons
                && !store
                    .case(&id)?
                    .legal
                    .summonses
                    .iter()
                    .any(|s| &s.id == summons)
            {
                return Err(FieldError::BadInput(format!(
                    "case {id} has no summons '{summons}' (`homeward case show {id}` lists them)"
                )));
            }
            let visit_id = match &mut edit {
                Edit::RecordVisit { visit, .. } => {
                    visit.summons_id = summons;
                    visit.safety_checked = safety_checked;
                    visit.id.clone()
                }
                _ => String::new(),
            };
            store.edit(&id, &edit, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "visit": visit_id }),
                || format!("visit saved\n{visit_id}"),
            )
        }
        Verb::Need(NeedVerb::Set {
            id,
            need,
            note,
            date,
        }) => {
            let id = store.resolve(&id)?;
            let edit = Edit::SetNeed {
                update: NeedUpdate {
                    id: store::new_id()?,
                    dimension: need.0,
                    status: need.1,
                    note,
                },
                on: date.unwrap_or(today),
            };
            store.edit(&id, &edit, now)?;
            out(json, &serde_json::json!({ "id": id }), || {
                format!("{} set to {}", need.0, need.1)
            })
        }
        Verb::Summons(SummonsVerb::Add {
            id,
            received_on,
            hearing,
            mode,
        }) => {
            let id = store.resolve(&id)?;
            let sid = store::new_id()?;
            store.edit(
                &id,
                &Edit::AddSummons(NewSummons {
                    id: sid.clone(),
                    received_on,
                    hearing_on: hearing,
                    mode,
                }),
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "summons": sid }),
                || format!("summons saved: reach the family within 24 hours\n{sid}"),
            )
        }
        Verb::Incident(IncidentVerb::Add {
            id,
            date,
            what,
            police_informed,
        }) => {
            let id = store.resolve(&id)?;
            let iid = store::new_id()?;
            store.edit(
                &id,
                &Edit::AddIncident(NewIncident {
                    id: iid.clone(),
                    on: date,
                    what,
                    police_informed,
                }),
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "incident": iid }),
                || format!("incident saved\n{iid}"),
            )
        }
        Verb::Incident(IncidentVerb::Update {
            id,
            incident,
            police_informed,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::UpdateIncident {
                    id: incident.clone(),
                    police_informed,
                },
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "incident": incident }),
                || "incident updated".into(),
            )
        }
        Verb::Legal(LegalVerb::Set {
            id,
            court,
            reference,
            lawyer_authorised_on,
            lawyer_authorised_by,
        }) => {
            let id = store.resolve(&id)?;
            if court.is_none()
                && reference.is_none()
                && lawyer_authorised_on.is_none()
                && lawyer_authorised_by.is_none()
            {
                return Err(FieldError::BadInput(
                    "nothing to set: give --court, --reference, --lawyer-authorised-on or --lawyer-authorised-by".into(),
                ));
            }
            store.edit(
                &id,
                &Edit::SetLegal {
                    court_case_ref: reference,
                    court,
                    lawyer_authorised_on,
                    lawyer_authorised_by,
                },
                now,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                "court case updated".into()
            })
        }
        Verb::Hearing {
            id,
            summons,
            outcome,
            held_on,
            next_hearing,
            note,
        } => {
            let id = store.resolve(&id)?;
            let case = store.case(&id)?;
            let Some(s) = case.legal.summonses.iter().find(|s| s.id == summons) else {
                return Err(FieldError::BadInput(format!(
                    "case {id} has no summons '{summons}' (`homeward case show {id}` lists them)"
                )));
            };
            let hid = store::new_id()?;
            store.edit(
                &id,
                &Edit::RecordHearing(NewHearing {
                    id: hid.clone(),
                    summons_id: summons.clone(),
                    held_on: held_on.unwrap_or(s.hearing_on),
                    result: outcome,
                    next_hearing_on: next_hearing,
                    note,
                }),
                now,
            )?;
            let next = next_hearing.map(|_| hid);
            out(
                json,
                &serde_json::json!({ "id": id, "summons": summons, "next_hearing": next }),
                || match &next {
                    Some(n) => format!("hearing outcome saved; next hearing recorded\n{n}"),
                    None => "hearing outcome saved".into(),
                },
            )
        }
        Verb::Case(CaseVerb::Status {
            id,
            state,
            reason,
            date,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::SetStatus {
                    state,
                    reason,
                    since: date.unwrap_or(today),
                },
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "state": state.key() }),
                || format!("case status set to {state}"),
            )
        }
        Verb::Case(CaseVerb::Move {
            id,
            district,
            block,
            village,
            reason,
            date,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::RequestTransfer {
                    district,
                    block,
                    village,
                    reason,
                    on: date.unwrap_or(today),
                },
                now,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                "move requested: the supervisor decides after the next sync".into()
            })
        }
        Verb::School(SchoolVerb::Set {
            id,
            kind,
            name,
            class,
            enrolled_on,
            attendance,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::SetEducation(Education {
                    kind,
                    institution: name,
                    class,
                    enrolled_on,
                    attendance,
                }),
                now,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                "education record saved".into()
            })
        }
        Verb::Family(FamilyVerb::Set {
            id,
            caregiver,
            relation,
            phone,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::SetCaregiver(Caregiver {
                    name: caregiver,
                    relation,
                    phone,
                }),
                now,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                "caregiver saved".into()
            })
        }
        Verb::Risk(verb) => {
            let (id, level, reason) = match verb {
                RiskVerb::Set { id, level, reason } => (id, Some(level), reason),
                RiskVerb::Clear { id, reason } => (id, None, reason),
            };
            let id = store.resolve(&id)?;
            store.edit(&id, &Edit::OverrideRisk { level, reason }, now)?;
            out(json, &serde_json::json!({ "id": id }), || match level {
                Some(l) => format!("risk set to {l}"),
                None => "risk override cleared".into(),
            })
        }
        Verb::Service(ServiceVerb::Add {
            id,
            dimension,
            scheme,
            applied_on,
            sanctioned_on,
            paid_on,
            amount,
            stuck,
        }) => {
            let id = store.resolve(&id)?;
            let sid = store::new_id()?;
            let edit = Edit::AddService(NewService {
                id: sid.clone(),
                dimension,
                scheme,
                applied_on,
                sanctioned_on,
                paid_on,
                amount,
                stuck_reason: stuck,
            });
            store.edit(&id, &edit, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "service": sid }),
                || format!("service saved\n{sid}"),
            )
        }
        Verb::Service(ServiceVerb::Update {
            id,
            service,
            applied_on,
            sanctioned_on,
            paid_on,
            amount,
            stuck,
        }) => {
            let id = store.resolve(&id)?;
            let edit = Edit::UpdateService(ServiceProgress {
                id: service.clone(),
                applied_on,
                sanctioned_on,
                paid_on,
                amount,
                stuck_reason: stuck,
            });
            store.edit(&id, &edit, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "service": service }),
                || "service updated".into(),
            )
        }
        Verb::Document(DocumentVerb::Set {
            id,
            kind,
            state,
            date,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::SetDocument {
                    kind,
                    state,
                    on: date.unwrap_or(today),
                },
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "document": kind, "state": state }),
                || format!("{kind} marked {state}"),
            )
        }
        Verb::Today { date } => {
            let day = date.unwrap_or(today);
            let mut prompts = store.today(day)?;
            store.word_prompts(prompts.iter_mut().map(|p| &mut p.prompt), lang);
            out(json, &prompts, || today_text(&prompts, day))
        }
        Verb::Export { id, output } => {
            let id = store.resolve(&id)?;
            let bytes = store.export(&id)?;
            let tmp = output.with_extension("tmp");
            std::fs::write(&tmp, &bytes).map_err(|e| FieldError::Io {
                path: tmp.display().to_string(),
                source: e,
            })?;
            std::fs::rename(&tmp, &output).map_err(|e| FieldError::Io {
                path: output.display().to_string(),
                source: e,
            })?;
            out(
                json,
                &serde_json::json!({ "id": id, "file": output, "bytes": bytes.len() }),
                || {
                    format!(
                        "exported case {id} to {} ({} bytes)",
                        output.display(),
                        bytes.len()
                    )
                },
            )
        }
        Verb::Import { file } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| FieldError::BadInput(format!("{}: {e}", file.display())))?;
            let (id, new) = store.import(&bytes).map_err(|e| match e {
                FieldError::BadInput(m) => FieldError::BadInput(format!("{}: {m}", file.display())),
                other => other,
            })?;
            out(json, &serde_json::json!({ "id": id, "new": new }), || {
                format!(
                    "{} case {id}\n{id}",
                    if new { "imported new" } else { "merged into" }
                )
            })
        }
        Verb::Demo {
            cases,
            seed,
            months,
            per_edit,
        } => {
            let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
                seed,
                cases,
                until: today,
                months,
            });
            let mut visits = 0;
            let mut stdout = std::io::stdout().lock();
            // An enrolled device signs every edit as its own user (the server refuses a change
            // signed as anyone else); an unenrolled store keeps the synthetic authors.
            let me = store
                .meta("device_id")?
                .map(|_| store.author())
                .transpose()?;
            let cases: Vec<_> = load
                .cases
                .iter()
                .cloned()
                .map(|mut sc| {
                    if let Some(me) = &me {
                        sc.registered.author = me.clone();
                        for (ctx, _) in &mut sc.edits {
                            ctx.author = me.clone();
                        }
                    }
                    sc
                })
                .collect();
            for sc in &cases {
                if per_edit {
                    let id = store.register_as(&sc.profile, &sc.registered)?;
                    for (ctx, edit) in &sc.edits {
                        store.edit_as(&id, edit, ctx)?;
                        if let Edit::RecordVisit { visit, .. } = edit {
                            visits += 1;
                            // Printed only once the visit's transaction has committed.
                            let _ = writeln!(stdout, "saved visit {id} {}", visit.id);
                            let _ = stdout.flush();
                        }
                    }
                } else {
                    store.add_synthetic(sc)?;
                    visits += sc
                        .edits
                        .iter()
                        .filter(|(_, e)| matches!(e, Edit::RecordVisit { .. }))
                        .count();
                }
            }
            drop(stdout);
            out(
                json,
                &serde_json::json!({ "cases": load.cases.len(), "visits": visits }),
                || {
                    format!(
                        "added {} synthetic cases with {visits} visits",
                        load.cases.len()
                    )
                },
            )
        }
        Verb::SentBack => {
            let notes = store.reference()?.map(|r| r.sent_back).unwrap_or_default();
            out(json, &notes, || {
                if notes.is_empty() {
                    return "nothing was sent back".to_owned();
                }
                notes
                    .iter()
                    .map(|n| {
                        format!(
                            "{}  {} sent back by {}: {}",
                            n.case_id, n.subject, n.by, n.comment
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::SpotCheck { id, outcome, note } => {
            let outcome = homeward_field::store::outcome(&outcome)?;
            store.record_spot_check(&id, outcome, &note, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "recorded": true }),
                || format!("spot check {id} recorded on this phone; it is sent at the next sync"),
            )
        }
        Verb::SpotChecks => {
            let recorded = store.local_outcomes()?;
            let tasks: Vec<_> = store
                .reference()?
                .map(|r| r.spot_checks)
                .unwrap_or_default()
                .into_iter()
                .filter(|t| !recorded.iter().any(|o| o.id == t.id && o.refused.is_none()))
                .collect();
            let en = homeward_shared::i18n::Catalogue::new(homeward_shared::i18n::Lang::En);
            out(json, &tasks, || {
                if tasks.is_empty() {
                    return "no spot checks to make (they arrive with the sync, for supervisors)"
                        .to_owned();
                }
                tasks
                    .iter()
                    .map(|t| {
                        let why = if t.anomalies.is_empty() {
                            en.get("spot-random")
                        } else {
                            t.anomalies
                                .iter()
                                .map(|a| en.anomaly(a))
                                .collect::<Vec<_>>()
                                .join("; ")
                        };
                        format!(
                            "{}  {}  {} ({}, {}), visit by {}: {}",
                            t.id,
                            t.visit_date,
                            t.child_name,
                            t.village,
                            t.block,
                            t.fieldworker_name,
                            why
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::Verify => {
            let problems = store.verify()?;
            let (cases, _, visits) = store.counts()?;
            out(
                json,
                &serde_json::json!({ "cases": cases, "visits": visits, "problems": problems }),
                || {
                    if problems.is_empty() {
                        format!("ok: {cases} cases and {visits} visits, documents and tables agree")
                    } else {
                        problems.join("\n")
                    }
                },
            )?;
            if problems.is_empty() {
                Ok(())
            } else {
                Err(FieldError::Damaged {
                    id: "(several)".into(),
                    source: homeward_shared::schema::SchemaError::Corrupt(format!(
                        "{} problems",
                        problems.len()
                    )),
                })
            }
        }
        Verb::Pin(PinVerb::Change) => {
            let new_pin = pin("HOMEWARD_NEW_PIN", "New PIN (at least 6 digits): ")?;
            store.change_pin(&new_pin)?;
            out(json, &serde_json::json!({ "changed": true }), || {
                "PIN changed".into()
            })
        }
    }
}

/// Why `case add` refused: the child and each case it resembles, with what they share.
fn resembles(profile: &Profile, alike: &[Likeness]) -> String {
    let cases = alike
        .iter()
        .map(|l| {
            let facts = l
                .matched
                .iter()
                .map(|f| match f {
                    Fact::Name if l.matched_name != l.name => {
                        format!("name (as {})", l.matched_name)
                    }
                    Fact::Age => format!("age (within {AGE_TOLERANCE} years)"),
                    f => f.key().to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "  {}  {} ({}, {}, {} years): same {facts}",
                l.case_id, l.name, l.village, l.district, l.age
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "{} looks like {} already in this store; nothing was registered. Check the case{}, and if this is another child, add --not-duplicate:\n{cases}",
        profile.child.name,
        if alike.len() == 1 {
            "a child"
        } else {
            "children"
        },
        if alike.len() == 1 { "" } else { "s" },
    )
}

fn profile(a: CaseAdd, today: NaiveDate) -> Result<Profile> {
    let birth = match (a.dob, a.age) {
        (Some(dob), _) => Birth::Dob(dob),
        (None, Some(years)) => Birth::Estimated {
            years,
            as_of: today,
        },
        (None, None) => {
            return Err(FieldError::BadInput(
                "give --dob DATE or --age YEARS".into(),
            ));
        }
    };
    let legal_basis = match (a.consent_by, a.cwc_order) {
        (Some(by), _) => LegalBasis::GuardianConsent {
            given_by: by,
            dated: today,
        },
        (None, Some(reference)) => LegalBasis::CwcOrder {
            reference,
            dated: a.returned_on,
        },
        // A returned child comes home under a CWC order; its reference can be added later.
        (None, None) => LegalBasis::CwcOrder {
            reference: "not recorded".into(),
            dated: a.returned_on,
        },
    };
    Ok(Profile {
        case_id: store::new_id()?,
        child: homeward_shared::model::Child {
            name: a.name,
            other_names: a.other_names,
            sex: a.sex,
            birth,
            caregiver: a.caregiver.map(|name| Caregiver {
                name,
                relation: a.relation,
                phone: a.phone,
            }),
            address: Address {
                district: a.district,
                block: a.block,
                panchayat: a.panchayat,
                village: a.village,
            },
        },
        rescue: Rescue {
            city: Some(a.rescued_in),
            workplace: a.workplace,
            rescued_on: a.rescued_on,
            shelter_home: a.shelter_home,
            cwc_order_ref: None,
            returned_on: a.returned_on,
            receiving_authority: None,
        },
        legal_basis,
    })
}

fn visit_edit(
    date: NaiveDate,
    kind: VisitKind,
    met: Option<String>,
    needs: &[(Dimension, Status)],
    note: Option<String>,
    next_steps: Option<String>,
) -> Result<Edit> {
    Ok(Edit::RecordVisit {
        visit: NewVisit {
            id: store::new_id()?,
            date,
            kind,
            met,
            note,
            next_steps,
            summons_id: None,
            safety_checked: false,
        },
        updates: needs
            .iter()
            .map(|(dimension, status)| {
                Ok(NeedUpdate {
                    id: store::new_id()?,
                    dimension: *dimension,
                    status: *status,
                    note: None,
                })
            })
            .collect::<Result<_>>()?,
    })
}

fn priority_label(p: Priority) -> &'static str {
    match p {
        Priority::Urgent => "URGENT",
        Priority::High => "high",
        Priority::Normal => "normal",
    }
}

fn today_text(prompts: &[store::TodayPrompt], day: NaiveDate) -> String {
    if prompts.is_empty() {
        return format!("nothing to do on {day}");
    }
    let count = |p: Priority| prompts.iter().filter(|x| x.prompt.priority == p).count();
    let visits_overdue = prompts
        .iter()
        .filter(|p| p.prompt.kind == prompt::PromptKind::VisitOverdue)
        .count();
    let mut lines = vec![format!(
        "{} prompts for {day}: {} urgent, {} high, {} normal; {visits_overdue} visits overdue",
        prompts.len(),
        count(Priority::Urgent),
        count(Priority::High),
        count(Priority::Normal)
    )];
    for p in prompts {
        lines.push(format!(
            "{:<6} due {}  {}  {} ({})\n         {}",
            priority_label(p.prompt.priority),
            p.prompt.due,
            p.prompt.case_id,
            p.name,
            p.village,
            p.prompt.reason
        ));
    }
    lines.join("\n")
}

fn show_text(
    case: &homeward_shared::model::Case,
    risk: homeward_shared::model::Risk,
    next: Option<&prompt::NextVisit>,
    prompts: &[prompt::Prompt],
    conflicts: &[homeward_shared::schema::Conflict],
    day: NaiveDate,
    (programme, lang): (
        &homeward_shared::programme::Programme,
        homeward_shared::i18n::Lang,
    ),
) -> String {
    let c = &case.child;
    let mut s = vec![
        format!(
            "{}  {} ({}, {} years)",
            case.id,
            c.name,
            c.sex,
            case.age_on(day)
        ),
        format!(
            "  {}, {} block, {} district",
            c.address.village, c.address.block, c.address.district
        ),
        format!(
            "  returned {}  status {}  risk {}  next visit {}",
            case.rescue.returned_on,
            case.status.state,
            risk,
            next.map_or("-".into(), |n| n.due.to_string())
        ),
    ];
    if let Some(cg) = &c.caregiver {
        s.push(format!(
            "  caregiver {} ({}) {}",
            cg.name,
            cg.relation,
            cg.phone.as_deref().unwrap_or("")
        ));
    }
    s.push("needs:".into());
    for n in &case.needs {
        s.push(format!(
            "  {:<13} {:<18} since {}",
            n.dimension.key(),
            n.status.key(),
            n.status_since().map_or("-".into(), |d| d.to_string())
        ));
    }
    let docs: Vec<String> = DocumentKind::ALL
        .iter()
        .map(|k| format!("{k}={}", case.document(*k)))
        .collect();
    s.push(format!("documents: {}", docs.join(" ")));
    for sv in &case.services {
        s.push(format!(
            "service {} {} {}: applied {} sanctioned {} paid {}",
            sv.id,
            sv.dimension,
            programme.scheme_name(&sv.scheme, lang.code()),
            sv.applied_on.map_or("-".into(), |d| d.to_string()),
            sv.sanctioned_on.map_or("-".into(), |d| d.to_string()),
            sv.paid_on.map_or("-".into(), |d| d.to_string())
        ));
    }
    for m in &case.legal.summonses {
        s.push(format!(
            "summons received {} hearing {}",
            m.received_on, m.hearing_on
        ));
    }
    for i in &case.legal.incidents {
        s.push(format!("incident {}: {}", i.on, i.what));
    }
    s.push(format!("visits ({}):", case.visits.len()));
    for v in &case.visits {
        let updates: Vec<String> = v
            .updates
            .iter()
            .map(|(d, st)| format!("{d}={st}"))
            .collect();
        s.push(format!(
            "  {} {:<18} {} {} {}",
            v.date,
            v.kind.key(),
            v.by.name,
            updates.join(" "),
            v.note.as_deref().unwrap_or("")
        ));
    }
    if !prompts.is_empty() {
        s.push("prompts:".into());
        for p in prompts {
            s.push(format!(
                "  {:<6} due {} {}",
                priority_label(p.priority),
                p.due,
                p.reason
            ));
        }
    }
    for c in conflicts {
        let values: Vec<String> = c
            .values
            .iter()
            .map(|v| {
                format!(
                    "{} by {}",
                    v.value,
                    v.author.as_ref().map_or("unknown", |a| a.name.as_str())
                )
            })
            .collect();
        s.push(format!("conflict at {}: {}", c.path, values.join(" / ")));
    }
    s.join("\n")
}
