//! The verbs of one child's record: registering and listing cases, visits, needs, the legal
//! case, school, family, risk, services, documents, referrals and copies. Apart from the
//! top-level verbs (`args/mod.rs`) because they are most of the command line and change with the
//! case model, not with how the tool runs.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use homeward_shared::model::{
    CaseState, DocumentKind, DocumentState, HearingMode, ReferralState, Risk, Schooling,
    ServiceDimension, Sex, VisitKind,
};
use homeward_shared::need::{Dimension, Status};
use std::path::PathBuf;

use super::{parse_case_state, parse_date, parse_key, parse_need};

#[derive(Debug, Subcommand)]
pub(crate) enum CaseVerb {
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
        /// With closed: the case was registered in error (no child of the programme), so no
        /// report counts it. A child registered twice is merged by the supervisor instead.
        #[arg(long)]
        in_error: bool,
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
pub(crate) struct CaseAdd {
    /// The child's name.
    #[arg(long)]
    pub(crate) name: String,
    /// Sex: f, m or x.
    #[arg(long, value_parser = parse_key::<Sex>)]
    pub(crate) sex: Sex,
    /// Date of birth.
    #[arg(long, value_parser = parse_date, required_unless_present = "age", conflicts_with = "age")]
    pub(crate) dob: Option<NaiveDate>,
    /// Estimated age in years (today).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=25))]
    pub(crate) age: Option<u8>,
    /// District.
    #[arg(long)]
    pub(crate) district: String,
    /// Block.
    #[arg(long)]
    pub(crate) block: String,
    /// Village.
    #[arg(long)]
    pub(crate) village: String,
    /// Gram panchayat.
    #[arg(long)]
    pub(crate) panchayat: Option<String>,
    /// The day the child reached home.
    #[arg(long, value_parser = parse_date)]
    pub(crate) returned_on: NaiveDate,
    /// Another name or spelling; repeat for more.
    #[arg(long = "other-name")]
    pub(crate) other_names: Vec<String>,
    /// Caregiver's name.
    #[arg(long)]
    pub(crate) caregiver: Option<String>,
    /// Caregiver's relation to the child.
    #[arg(long, default_value = "parent")]
    pub(crate) relation: String,
    /// Caregiver's phone.
    #[arg(long)]
    pub(crate) phone: Option<String>,
    /// City of rescue.
    #[arg(long, default_value = "Jaipur")]
    pub(crate) rescued_in: String,
    /// Date of rescue.
    #[arg(long, value_parser = parse_date)]
    pub(crate) rescued_on: Option<NaiveDate>,
    /// Kind of workshop.
    #[arg(long)]
    pub(crate) workplace: Option<String>,
    /// Shelter home.
    #[arg(long)]
    pub(crate) shelter_home: Option<String>,
    /// The CWC order's reference: the legal basis for the record.
    #[arg(long)]
    pub(crate) cwc_order: Option<String>,
    /// Instead of a CWC order: the guardian who consented to the record.
    #[arg(long, conflicts_with = "cwc_order")]
    pub(crate) consent_by: Option<String>,
    /// Register even though the child looks like one already in the store (checked first:
    /// another child after all).
    #[arg(long)]
    pub(crate) not_duplicate: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum VisitVerb {
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
pub(crate) enum NeedVerb {
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
pub(crate) enum SummonsVerb {
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
pub(crate) enum IncidentVerb {
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
pub(crate) enum LegalVerb {
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
pub(crate) enum SchoolVerb {
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
pub(crate) enum FamilyVerb {
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
pub(crate) enum RiskVerb {
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
pub(crate) enum ServiceVerb {
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
pub(crate) enum DocumentVerb {
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
pub(crate) enum ReferralVerb {
    /// Record a referral's step: accepted, served, refused (with a note saying why) or
    /// no-response; prints the step's id alone on the last line.
    Update {
        /// Case id.
        id: String,
        /// The referral's id (or a unique prefix of it).
        referral_id: String,
        /// accepted, served, refused or no-response.
        #[arg(long, value_parser = parse_key::<ReferralState>)]
        state: ReferralState,
        /// The day it was reached (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// A note (required for a refusal: why).
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AttachmentVerb {
    /// Write a copy's pages to files (fetched from the server first when this phone does not
    /// hold them): FILE for the first page, FILE with -2, -3... before its extension for the
    /// others; prints each file written.
    Get {
        /// The copy's id (or a unique prefix of it).
        attachment_id: String,
        /// Output file.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Only this page (from 1), written to FILE.
        #[arg(long)]
        page: Option<usize>,
    },
    /// Withdraw a copy (a wrong photo): it stays in the record as withdrawn, and its pages
    /// leave this phone (and the server, once a supervisor confirms).
    Withdraw {
        /// The copy's id (or a unique prefix of it).
        attachment_id: String,
        /// Why.
        #[arg(long)]
        reason: String,
        /// The day (default today).
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
    },
}
