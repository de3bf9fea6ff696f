//! The CWC monthly report: for a district and a month, a first page of aggregates, then one
//! section per child (every dimension's status, what changed, what is pending and since when,
//! visits made, referrals and what came of them, the documents with a verified copy, next
//! steps). CSV and PDF (A4), in English or
//! Hindi, from `shared`'s indicators and message catalogues. The CSV is two files ([`Part`]):
//! the children's ([`csv`], a row per need, per claim waiting and per referral) and the month's
//! summary ([`summary_csv`]), each with the same columns in every language.
//!
//! The PDF is the report's HTML printed by headless Chromium, which shapes Devanagari correctly
//! with the system's Noto Sans Devanagari and keeps the text extractable.
//!
//! Cut by concern (the file had grown past 800 lines when referrals came in, issue 17): this
//! module computes the report and holds the words every output shares; [`tables`] writes the
//! two CSV files, [`print`] the HTML and its PDF, [`referrals`] the referrals' words in both,
//! [`copies`] the verified copies of documents in both (issue 15), and [`gaps`] the systemic
//! gaps CSV (claims waiting, and what the resource map reveals).

mod copies;
mod gaps;
mod print;
mod referrals;
mod tables;

pub use copies::VerifiedCopy;
pub use gaps::gaps_csv;
pub use print::{html, pdf};
pub use tables::{CSV_COLUMNS, csv, summary_csv};

use std::path::Path;

use chrono::NaiveDate;
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::indicators::{self, ChildProgress, Month, MonthlyReport};
use homeward_shared::model::{Case, DocumentKind};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::PromptKind;

use crate::error::ApiError;
use crate::scope::Area;
use crate::store::Store;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Printable A4 PDF.
    Pdf,
    /// CSV: the children's rows or the summary ([`Part`]).
    Csv,
}

impl std::str::FromStr for Format {
    type Err = ApiError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pdf" => Ok(Format::Pdf),
            "csv" => Ok(Format::Csv),
            _ => Err(ApiError::BadRequest(format!(
                "unknown format '{s}' (expected pdf or csv)"
            ))),
        }
    }
}

/// A CWC report as computed, with the programme it was computed with: its figures, next steps
/// and schemes' names all come from that one programme (the server's, [`cwc`]). It reads as the
/// [`MonthlyReport`] it holds.
#[derive(Debug, Clone)]
pub struct Cwc {
    /// The month's indicators.
    pub report: MonthlyReport,
    /// The programme they were computed with.
    pub programme: Programme,
    /// Each child's documents with a verified copy on the report's day, by case id
    /// ([`copies`], issue 15).
    pub copies: std::collections::BTreeMap<String, Vec<VerifiedCopy>>,
}

impl std::ops::Deref for Cwc {
    type Target = MonthlyReport;

    fn deref(&self) -> &MonthlyReport {
        &self.report
    }
}

/// The CWC report of an area (a district, or some of its blocks) for `month`, as it stands on
/// `today` when the month is not over, with the server's programme (`Store::programme`): the
/// thresholds the phones and the dashboard use.
pub fn cwc(store: &Store, area: &Area, month: Month, today: NaiveDate) -> Result<Cwc, ApiError> {
    Ok(of_cases(
        &store.cases(Some(&area.district))?,
        area,
        month,
        today,
        store.programme()?,
    ))
}

/// [`cwc`] over cases already read: those of `area` only, with `programme`. Apart so that the
/// report's content can be tested on hand-made cases.
pub fn of_cases(
    cases: &[Case],
    area: &Area,
    month: Month,
    today: NaiveDate,
    programme: Programme,
) -> Cwc {
    let cases: Vec<Case> = cases
        .iter()
        .filter(|c| c.child.address.district == area.district)
        .filter(|c| area.covers(&c.child.address.district, &c.child.address.block))
        .cloned()
        .collect();
    let report = indicators::monthly_until(&cases, month, &programme, today);
    Cwc {
        copies: copies::of_cases(&cases, report.as_of),
        report,
        programme,
    }
}

/// Which CSV of the CWC report: the children's (one row per child and need, and one per claim
/// waiting), or the month's summary (the first page's figures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    /// Each child: every need and every claim waiting ([`csv`]).
    #[default]
    Children,
    /// The month's aggregates ([`summary_csv`]).
    Summary,
}

impl std::str::FromStr for Part {
    type Err = ApiError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "children" => Ok(Part::Children),
            "summary" => Ok(Part::Summary),
            _ => Err(ApiError::BadRequest(format!(
                "unknown part '{s}' (expected children or summary)"
            ))),
        }
    }
}

/// A CSV cell a spreadsheet will not read as a formula: text that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'` (OWASP's advice for CSV injection), so
/// `=HYPERLINK(...)` shows as text instead of running.
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn date_list(c: &Catalogue, changes: &[(NaiveDate, homeward_shared::need::Status)]) -> String {
    if changes.is_empty() {
        return c.get("report-none");
    }
    changes
        .iter()
        .map(|(d, s)| format!("{}: {}", c.date(*d), c.status(*s)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn next_steps(
    c: &Catalogue,
    programme: &Programme,
    child: &ChildProgress,
    as_of: NaiveDate,
) -> String {
    if child.next_steps.is_empty() {
        return c.get("report-none");
    }
    child
        .next_steps
        .iter()
        .map(|p| {
            // What the step is about: the document to obtain, the scheme to apply for.
            let about = match (p.kind, p.subject.as_deref()) {
                (PromptKind::ObtainDocument, Some(k)) => k
                    .parse::<DocumentKind>()
                    .map(|k| format!(": {}", c.document(k)))
                    .unwrap_or_default(),
                (PromptKind::ApplyForScheme, Some(key)) => {
                    format!(": {}", programme.scheme_name(key, c.lang().code()))
                }
                _ => String::new(),
            };
            format!("{}{about} ({})", c.prompt(p.kind), c.due(p.due, as_of))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The UTF-8 byte-order mark every CSV starts with: without it Excel reads the Hindi CSV as
/// another encoding and shows it garbled.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// Escapes text for HTML.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A claim's stage in the words of the need statuses (applied, sanctioned, paid).
fn stage_status(stage: homeward_shared::model::ServiceStage) -> homeward_shared::need::Status {
    use homeward_shared::model::ServiceStage;
    use homeward_shared::need::Status;
    match stage {
        ServiceStage::NotApplied => Status::NotApplied,
        ServiceStage::Applied => Status::Applied,
        ServiceStage::Sanctioned => Status::Sanctioned,
        ServiceStage::Paid => Status::Paid,
    }
}

/// Writes the report to `out` in `format`.
pub fn write(
    store: &Store,
    district: &str,
    month: Month,
    format: Format,
    lang: Lang,
    prepared: NaiveDate,
    out: &Path,
) -> Result<usize, ApiError> {
    let area = Area::whole(district);
    let report = cwc(store, &area, month, prepared)?;
    let bytes = match format {
        Format::Csv => csv(&report, lang)?,
        Format::Pdf => pdf(&html(&report, &area, lang, prepared))?,
    };
    std::fs::write(out, &bytes)
        .map_err(|e| ApiError::BadRequest(format!("cannot write {}: {e}", out.display())))?;
    Ok(report.children.len())
}
