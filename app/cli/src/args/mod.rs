//! The command line's arguments: every verb and flag (a contract: tests and scripts use them)
//! and the parsers of their values. The verbs of one child's record are in `case.rs`.

mod case;
pub(crate) use case::*;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use homeward_shared::model::{CaseState, DocumentKind, HearingResult};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::resource::ResourceKind;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "homeward",
    version,
    about = "Homeward field store: cases, visits, prompts."
)]
pub(crate) struct Cli {
    /// Data folder (default: $HOMEWARD_DATA_DIR, else the platform's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// The language of everything printed for a person, en or hi (default: the language chosen
    /// in the app on this device, else English). --json stays language-neutral but for the
    /// prompts' reasons; usage errors and --help stay English.
    #[arg(long, global = true, value_parser = parse_lang)]
    pub(crate) lang: Option<homeward_shared::i18n::Lang>,
    /// A programme file (TOML) with the NGO's thresholds, laid over the defaults, for a device
    /// that has not synced: once a sync brought the server's programme, the server's is in
    /// force (every phone uses the dashboard's thresholds) and this file is not used (a warning
    /// says so).
    #[arg(long, global = true, value_name = "FILE", env = "HOMEWARD_PROGRAMME")]
    pub(crate) programme: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) verb: Verb,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Verb {
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
    /// The resource map held on this phone (brought by the last sync), searched offline.
    #[command(subcommand)]
    Resource(ResourceVerb),
    /// Refer the child or family to a resource of the map for one need; prints the referral's
    /// id alone on the last line.
    Refer {
        /// Case id.
        id: String,
        /// The resource's id (from `homeward resource list`).
        #[arg(long, value_name = "RESOURCE_ID")]
        resource: String,
        /// The need it answers: education, livelihood, health, legal, compensation,
        /// entitlements or documents.
        #[arg(long, value_name = "DIMENSION", value_parser = parse_key::<Dimension>)]
        need: Dimension,
        /// What for.
        #[arg(long)]
        note: Option<String>,
        /// The day of the referral (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// Record what came of a referral.
    #[command(subcommand)]
    Referral(ReferralVerb),
    /// Attach a copy of a document of the checklist: photos (JPEG, PNG, WebP, reduced to
    /// readable scans without their metadata) or a PDF, one file a page; prints the copy's id
    /// alone on the last line.
    Attach {
        /// Case id.
        id: String,
        /// The document (fir, care_plan, bank_account, identity_card, ...).
        #[arg(value_parser = parse_key::<DocumentKind>)]
        kind: DocumentKind,
        /// The pages, in order.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The day the copy was taken (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// A case's copies of documents: document, pages, size, and whether synced or waiting.
    Attachments {
        /// Case id.
        id: String,
    },
    /// One copy: write its pages out, or withdraw it.
    #[command(subcommand)]
    Attachment(AttachmentVerb),
    /// Today's prompts, most urgent first.
    Today {
        /// The day to prompt for (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
    /// Write a case to a file sealed to the server (by default) or to a colleague's phone
    /// (--to): signed by this device, readable only by its recipient. --plain writes the
    /// unencrypted Automerge document instead.
    Export {
        /// Case id.
        id: String,
        /// Output file.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Seal it to this phone's public key (the `hwkey1:...` text `homeward keys` prints on
        /// that phone) instead of the server.
        #[arg(long, value_name = "hwkey1:...", conflicts_with = "plain")]
        to: Option<String>,
        /// Write the unencrypted Automerge document: the child's name, the family's phone
        /// number and the incidents in clear text for anyone who gets the file.
        #[arg(long)]
        plain: bool,
    },
    /// Add or merge a case from a file: one sealed to this phone (every change in it, checked
    /// against its author's certificate; the author's changes go to the server at the next
    /// sync), or a plain exported document (this device's own changes only).
    Import {
        /// The exported file.
        file: PathBuf,
    },
    /// The urgent SMS of a summons or an incident, for when only SMS gets through: prints the
    /// text and the number to send it to (the text holds no name).
    Sms {
        /// Case id.
        id: String,
        /// The summons' or incident's id.
        record: String,
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
        /// This phone's number, from which its urgent SMS will come (the server checks it).
        #[arg(long, value_name = "NUMBER")]
        phone: Option<String>,
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
        /// Send again every change the server confirmed: after the server was restored from a
        /// backup older than this phone's last sync (the server says so when it restores).
        #[arg(long)]
        resend: bool,
        /// Bytes of copies' pages to send in this sync at most (0: records only; default: all
        /// that wait).
        #[arg(long, value_name = "BYTES")]
        attachment_budget: Option<u64>,
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
    /// For a supervisor: court summons and harassment incidents of your areas that reached the
    /// server by SMS and whose full record has not arrived yet (from the last sync).
    Urgent,
    /// Carry this device's changes by hand, where there is no network.
    #[command(subcommand)]
    Bundle(BundleVerb),
    /// Take a file received by hand: the server's file for this phone is applied as a sync
    /// would; a colleague's file for the server is kept, unreadable here, and passed on at the
    /// next sync.
    Receive {
        /// The file.
        file: PathBuf,
    },
    /// The files this phone carries for the server (sent at the start of the next sync).
    Relay {
        #[command(subcommand)]
        verb: Option<RelayVerb>,
    },
    /// This device's public key (give it to a colleague who seals a case to this phone) and
    /// the server keys it trusts.
    Keys,
    /// Check that every case's document and its materialised rows agree (exit 1 if not).
    Verify,
    /// Change the store's PIN (new PIN from HOMEWARD_NEW_PIN or a prompt).
    #[command(subcommand)]
    Pin(PinVerb),
}

#[derive(Debug, Subcommand)]
pub(crate) enum ResourceVerb {
    /// List the resources of the map held here (active ones unless --all), by block, kind and
    /// name; the filters narrow it.
    List {
        /// Only this block.
        #[arg(long)]
        block: Option<String>,
        /// Only this kind: livelihood, skills-training, special-education, school, health,
        /// counselling, legal-aid or government-office.
        #[arg(long, value_parser = parse_key::<ResourceKind>)]
        kind: Option<ResourceKind>,
        /// Only the kinds that answer this need (education, livelihood, health, ...).
        #[arg(long, value_name = "DIMENSION", value_parser = parse_key::<Dimension>)]
        need: Option<Dimension>,
        /// Words of the name, address, contact or what it offers, in either script.
        #[arg(long, value_name = "WORDS")]
        text: Option<String>,
        /// Include the resources that no longer take referrals.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PinVerb {
    /// Re-key the store with a new PIN.
    Change,
}

pub(crate) fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("bad date '{s}' (expected YYYY-MM-DD)"))
}

pub(crate) fn parse_key<T: std::str::FromStr<Err = homeward_shared::need::UnknownName>>(
    s: &str,
) -> std::result::Result<T, String> {
    s.parse()
        .map_err(|e: homeward_shared::need::UnknownName| e.to_string())
}

pub(crate) fn parse_lang(s: &str) -> std::result::Result<homeward_shared::i18n::Lang, String> {
    s.parse()
        .map_err(|e: homeward_shared::need::UnknownName| e.to_string())
}

/// A case state as the command line takes it: `re-trafficked` as people write it, and no
/// `transferred` (a move is the supervisor's decision).
pub(crate) fn parse_case_state(s: &str) -> std::result::Result<CaseState, String> {
    match s {
        "re-trafficked" => Ok(CaseState::Retrafficked),
        "transferred" => Err(
            "a transfer is not set from a device: the supervisor decides it on the dashboard"
                .into(),
        ),
        _ => parse_key(s),
    }
}

pub(crate) fn parse_need(s: &str) -> std::result::Result<(Dimension, Status), String> {
    let (dim, status) = s.split_once('=').ok_or_else(|| {
        format!("bad need '{s}' (expected DIMENSION=STATUS, for example education=enrolled)")
    })?;
    let dim: Dimension = dim
        .parse()
        .map_err(|e: homeward_shared::need::UnknownName| e.to_string())?;
    let status = Status::parse_for(dim, status).map_err(|e| e.to_string())?;
    Ok((dim, status))
}

#[derive(Debug, Subcommand)]
pub(crate) enum BundleVerb {
    /// Write every change and spot-check outcome the server has not confirmed, and the pages of
    /// copies it lacks, to one file signed by this device and sealed to the server: whoever
    /// carries it can neither read nor change it. Nothing unconfirmed: no file.
    Export {
        /// Output file.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum RelayVerb {
    /// List them (the default).
    List,
    /// Remove one from this phone (one the server refused, say).
    Drop {
        /// The file's id, or its first characters (at least 6).
        id: String,
    },
}
