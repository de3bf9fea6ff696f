//! The CWC monthly report: for a district and a month, a first page of aggregates, then one
//! section per child (every dimension's status, what changed, what is pending and since when,
//! visits made, next steps). CSV and PDF (A4), in English or Hindi, from `shared`'s indicators
//! and message catalogues. The CSV is two files ([`Part`]): the children's ([`csv`], a row per
//! need and per claim waiting) and the month's summary ([`summary_csv`]), each with the same
//! columns in every language.
//!
//! The PDF is the report's HTML printed by headless Chromium, which shapes Devanagari correctly
//! with the system's Noto Sans Devanagari and keeps the text extractable.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use chrono::NaiveDate;
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::indicators::{self, ChildProgress, Month, MonthFact, MonthlyReport};
use homeward_shared::model::{Case, DocumentKind};
use homeward_shared::need::Dimension;
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
    Cwc {
        report: indicators::monthly_until(&cases, month, &programme, today),
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

/// The columns of the children's CSV, by message id: the same columns, in the same order, in
/// every language (only the headers are translated).
pub const CSV_COLUMNS: [&str; 19] = [
    "col-case",
    "col-child",
    "col-block",
    "col-village",
    "col-risk",
    "col-state",
    "col-visits",
    "col-row",
    "col-dimension",
    "col-start",
    "col-end",
    "col-changes",
    "col-pending-since",
    "col-scheme",
    "col-stage",
    "col-applied-on",
    "col-days-pending",
    "col-why-stuck",
    "col-next-steps",
];

/// The children's CSV, headers in the report's language. Per child, one row per need (its
/// status at the start and end of the month, changes, pending since, next steps), each need
/// followed by one row per claim of it waiting (applied for, not paid): the row's kind in
/// `col-row`, the claim's scheme by its name in the report's language, its stage, the day it
/// was applied for and the days it has waited. A need's row leaves the claim's columns empty
/// and a claim's row the need's; every row names the child. Dates are day month year, as in
/// the PDF. The month's aggregates are another file ([`summary_csv`]).
pub fn csv(report: &Cwc, lang: Lang) -> Result<Vec<u8>, ApiError> {
    let c = Catalogue::new(lang);
    // Scheme names for every child's claims and next steps, from the report's programme.
    let programme = &report.programme;
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    let bad = |e: csv::Error| ApiError::Internal(e.to_string());
    w.write_record(CSV_COLUMNS.iter().map(|id| cell(&c.get(id))))
        .map_err(bad)?;
    let (need_row, claim_row) = (c.get("row-need"), c.get("row-claim"));
    for child in &report.children {
        let who = [
            child.case_id.clone(),
            child.name.clone(),
            child.block.clone(),
            child.village.clone(),
            c.risk(child.risk),
            c.state(child.state),
            child.visits_made.to_string(),
        ];
        let steps = next_steps(&c, programme, child, report.as_of);
        for d in &child.dimensions {
            let mut row: Vec<String> = who.to_vec();
            row.extend([
                need_row.clone(),
                c.dimension(d.dimension),
                c.status(d.at_start),
                c.status(d.at_end),
                date_list(&c, &d.changes),
                d.pending_since.map_or_else(String::new, |p| c.date(p)),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                steps.clone(),
            ]);
            w.write_record(row.iter().map(|t| cell(t))).map_err(bad)?;
            for claim in child
                .open_claims
                .iter()
                .filter(|k| Dimension::from(k.dimension) == d.dimension)
            {
                let mut row: Vec<String> = who.to_vec();
                row.extend([
                    claim_row.clone(),
                    c.dimension(d.dimension),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    programme.scheme_name(&claim.scheme, lang.code()),
                    c.status(stage_status(claim.stage)),
                    c.date(claim.applied_on),
                    claim.days_pending.to_string(),
                    claim.stuck_reason.clone().unwrap_or_default(),
                    String::new(),
                ]);
                w.write_record(row.iter().map(|t| cell(t))).map_err(bad)?;
            }
        }
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The month's summary as CSV (`part=summary`): two columns, what and its value, headers in
/// the report's language; first the area, the month, the day the figures stand at and whether
/// the month is over, then each figure of the PDF's first page as a plain number (the school
/// figure as three rows: children of school age, of them in school, the percentage). The same
/// rows in the same order in every language.
pub fn summary_csv(
    report: &MonthlyReport,
    area: &Area,
    lang: Lang,
    prepared: NaiveDate,
) -> Result<Vec<u8>, ApiError> {
    let c = Catalogue::new(lang);
    let a = &report.aggregates;
    let n = |v: u32| v.to_string();
    let maybe = |v: Option<u32>| v.map_or_else(String::new, |v| v.to_string());
    let rows: Vec<(&str, String)> = vec![
        ("col-district", area.district.clone()),
        (
            "col-block",
            if area.blocks.is_empty() {
                c.get("sum-blocks-all")
            } else {
                area.blocks.join(", ")
            },
        ),
        ("sum-month", c.month(report.month)),
        ("sum-as-of", c.date(report.as_of)),
        (
            "sum-month-over",
            c.get(if report.as_of >= report.month.last_day() {
                "sum-yes"
            } else {
                "sum-no"
            }),
        ),
        ("sum-prepared", c.date(prepared)),
        ("agg-children-followed", n(a.children_followed)),
        ("agg-visits-made", n(a.visits_made)),
        ("agg-visits-missed", n(a.visits_missed)),
        ("sum-school-age", n(a.school_age)),
        ("sum-school-enrolled", n(a.school_age_enrolled)),
        ("sum-school-pct", maybe(a.school_age_enrolled_pct)),
        ("agg-new-entitlement", n(a.children_new_entitlement)),
        (
            "agg-new-health-insurance",
            n(a.children_new_health_insurance),
        ),
        ("agg-comp-applied", n(a.compensation.applied)),
        ("agg-comp-sanctioned", n(a.compensation.sanctioned)),
        ("agg-comp-paid", n(a.compensation.paid)),
        ("agg-comp-pending", n(a.compensation.pending)),
        ("agg-comp-median", maybe(a.compensation.median_days_pending)),
        ("agg-livelihood", n(a.livelihood_linkages)),
        ("agg-harassment", n(a.harassment_incidents)),
        ("agg-missing", n(a.missing_or_retrafficked)),
        ("agg-stabilised", n(a.stabilised)),
        ("agg-closed", n(a.closed)),
    ];
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    let bad = |e: csv::Error| ApiError::Internal(e.to_string());
    w.write_record([cell(&c.get("col-item")), cell(&c.get("col-value"))])
        .map_err(bad)?;
    for (id, value) in rows {
        w.write_record([cell(&c.get(id)), cell(&value)])
            .map_err(bad)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
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

/// One thing that happened in the month, in words (its day is shown before it).
fn fact(c: &Catalogue, programme: &Programme, lang: Lang, f: &MonthFact) -> String {
    match f {
        MonthFact::Visit { visit, by, .. } => c.text(
            "fact-visit",
            &[
                ("kind", &c.get(&format!("ui-visit-{}", visit.key()))),
                ("by", by),
            ],
        ),
        MonthFact::Summons { hearing_on, .. } => {
            c.text("fact-summons", &[("hearing", &c.date(*hearing_on))])
        }
        MonthFact::Hearing {
            result, next_on, ..
        } => {
            let outcome = c.get(&format!("ui-outcome-{}", result.key()));
            match next_on {
                Some(next) => c.text(
                    "fact-hearing-next",
                    &[("outcome", &outcome), ("next", &c.date(*next))],
                ),
                None => c.text("fact-hearing", &[("outcome", &outcome)]),
            }
        }
        MonthFact::Incident {
            what,
            police_informed,
            ..
        } => c.text(
            if *police_informed {
                "fact-incident-police"
            } else {
                "fact-incident"
            },
            &[("what", what)],
        ),
        MonthFact::Document {
            document, state, ..
        } => c.text(
            "fact-document",
            &[
                ("document", &c.document(*document)),
                ("state", &c.get(&format!("ui-doc-{}", state.key()))),
            ],
        ),
        MonthFact::Claim {
            scheme,
            stage,
            amount,
            ..
        } => {
            let scheme = programme.scheme_name(scheme, lang.code());
            let stage = c.status(stage_status(*stage));
            match amount {
                Some(a) => c.text(
                    "fact-claim-amount",
                    &[
                        ("scheme", &scheme),
                        ("stage", &stage),
                        ("amount", &a.to_string()),
                    ],
                ),
                None => c.text("fact-claim", &[("scheme", &scheme), ("stage", &stage)]),
            }
        }
    }
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

/// The report of an area as a printable HTML page (A4). A report of some blocks of a district
/// names them under its title; each child's claims waiting are listed with their scheme (by its
/// name in the report's language), stage, application day and days waiting.
pub fn html(report: &Cwc, area: &Area, lang: Lang, prepared: NaiveDate) -> String {
    let programme = &report.programme;
    let district = area.district.as_str();
    let c = Catalogue::new(lang);
    let a = &report.aggregates;
    let month = c.month(report.month);
    let mut h = String::new();
    h.push_str(&format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{}</style></head><body>",
        lang.code(),
        esc(&c.get("report-title")),
        STYLE
    ));
    h.push_str(&format!(
        "<section class=\"first\"><h1>{}</h1><p class=\"sub\">{}</p>{}<p class=\"note\">{}</p><p class=\"note\">{}</p><h2>{}</h2><table class=\"agg\">",
        esc(&c.get("report-title")),
        esc(&c.text("report-district-month", &[("district", district), ("month", &month)])),
        if area.blocks.is_empty() {
            String::new()
        } else {
            format!(
                "<p class=\"sub\" id=\"blocks\">{}: {}</p>",
                esc(&c.get("col-block")),
                esc(&area.blocks.join(", "))
            )
        },
        {
            let made = c.text("report-prepared", &[("date", &c.date(prepared))]);
            if report.as_of < report.month.last_day() {
                format!(
                    "{made} {}",
                    c.text("report-in-progress", &[("date", &c.date(report.as_of))])
                )
            } else {
                made
            }
        },
        esc(&c.get("report-confidential")),
        esc(&c.get("report-summary")),
    ));
    let pct = a
        .school_age_enrolled_pct
        .map_or_else(|| "-".to_owned(), |p| format!("{p}%"));
    let rows: Vec<(&str, String)> = vec![
        ("agg-children-followed", a.children_followed.to_string()),
        ("agg-visits-made", a.visits_made.to_string()),
        ("agg-visits-missed", a.visits_missed.to_string()),
        (
            "agg-school",
            format!("{} / {} ({pct})", a.school_age_enrolled, a.school_age),
        ),
        (
            "agg-new-entitlement",
            a.children_new_entitlement.to_string(),
        ),
        (
            "agg-new-health-insurance",
            a.children_new_health_insurance.to_string(),
        ),
        ("agg-comp-applied", a.compensation.applied.to_string()),
        ("agg-comp-sanctioned", a.compensation.sanctioned.to_string()),
        ("agg-comp-paid", a.compensation.paid.to_string()),
        ("agg-comp-pending", a.compensation.pending.to_string()),
        (
            "agg-comp-median",
            a.compensation
                .median_days_pending
                .map_or_else(|| "-".into(), |d| d.to_string()),
        ),
        ("agg-livelihood", a.livelihood_linkages.to_string()),
        ("agg-harassment", a.harassment_incidents.to_string()),
        ("agg-missing", a.missing_or_retrafficked.to_string()),
        ("agg-stabilised", a.stabilised.to_string()),
        ("agg-closed", a.closed.to_string()),
    ];
    for (id, v) in rows {
        h.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(&c.get(id)),
            esc(&v)
        ));
    }
    h.push_str("</table></section>");
    if report.children.is_empty() {
        h.push_str(&format!("<p>{}</p>", esc(&c.get("report-no-children"))));
    }
    for child in &report.children {
        h.push_str(&format!(
            "<section class=\"child\"><h2>{}</h2><p class=\"sub\">{}: {} · {}: {}, {} · {}: {} · {}: {} · {}: {}</p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(&child.name),
            esc(&c.get("col-case")),
            esc(&child.case_id),
            esc(&c.get("col-village")),
            esc(&child.village),
            esc(&child.block),
            esc(&c.get("col-risk")),
            esc(&c.risk(child.risk)),
            esc(&c.get("col-state")),
            esc(&c.state(child.state)),
            esc(&c.get("col-visits")),
            child.visits_made,
            esc(&c.get("col-dimension")),
            esc(&c.get("col-start")),
            esc(&c.get("col-end")),
            esc(&c.get("col-changes")),
            esc(&c.get("col-pending-since")),
        ));
        for d in &child.dimensions {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.dimension(d.dimension)),
                esc(&c.status(d.at_start)),
                esc(&c.status(d.at_end)),
                esc(&date_list(&c, &d.changes)),
                d.pending_since.map_or_else(String::new, |p| c.date(p)),
            ));
        }
        h.push_str("</table>");
        if !child.facts.is_empty() {
            h.push_str(&format!(
                "<p class=\"facts\"><b>{}</b></p><ul class=\"facts\">",
                esc(&c.get("col-this-month"))
            ));
            for f in &child.facts {
                h.push_str(&format!(
                    "<li>{}: {}</li>",
                    esc(&c.date(f.on())),
                    esc(&fact(&c, programme, lang, f))
                ));
            }
            h.push_str("</ul>");
        }
        if !child.open_claims.is_empty() {
            h.push_str(&format!(
                "<p class=\"claims\"><b>{}</b></p><table class=\"claims\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                esc(&c.get("col-open-claims")),
                esc(&c.get("col-scheme")),
                esc(&c.get("col-stage")),
                esc(&c.get("col-applied-on")),
                esc(&c.get("col-days-pending")),
                esc(&c.get("col-why-stuck")),
            ));
            for claim in &child.open_claims {
                h.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&programme.scheme_name(&claim.scheme, lang.code())),
                    esc(&c.status(stage_status(claim.stage))),
                    esc(&c.date(claim.applied_on)),
                    claim.days_pending,
                    esc(claim.stuck_reason.as_deref().unwrap_or("")),
                ));
            }
            h.push_str("</table>");
        }
        h.push_str(&format!(
            "<p><b>{}:</b> {}</p>",
            esc(&c.get("col-next-steps")),
            esc(&next_steps(&c, programme, child, report.as_of))
        ));
        if let Some(agreed) = &child.agreed_next_steps {
            h.push_str(&format!(
                "<p><b>{}:</b> {}</p>",
                esc(&c.get("col-agreed-steps")),
                esc(agreed)
            ));
        }
        h.push_str("</section>");
    }
    h.push_str("</body></html>");
    h
}

const STYLE: &str = "@page { size: A4; margin: 15mm 12mm; }
body { font-family: 'Noto Sans Devanagari', 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 10pt; color: #111; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 10pt 0 4pt; }
.sub { margin: 0 0 6pt; } .note { font-size: 8.5pt; color: #333; margin: 0 0 4pt; }
table { border-collapse: collapse; width: 100%; } th, td { border: 0.5pt solid #777; padding: 2pt 4pt; text-align: left; vertical-align: top; }
table.agg th { width: 75%; font-weight: normal; } table.agg td { text-align: right; font-weight: bold; }
ul.facts { margin: 0 0 4pt 14pt; padding: 0; } ul.facts li { margin: 0; }
section.first { page-break-after: always; } section.child { page-break-inside: avoid; margin-bottom: 8pt; }";

/// Prints HTML to PDF with headless Chromium (`chromium`, or the path in `HOMEWARD_CHROMIUM`).
///
/// The HTML names children: it is written into a new temporary folder with a random name that
/// only the server's user may open (0700), with Chromium's profile, and the
/// folder is removed when the PDF has been read, or on any failure.
pub fn pdf(html: &str) -> Result<Vec<u8>, ApiError> {
    let chromium = std::env::var("HOMEWARD_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let mut builder = tempfile::Builder::new();
    builder.prefix("homeward-report-");
    // tempfile creates folders with the process's umask (often 0755) unless told otherwise.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let tmp = builder
        .tempdir()
        .map_err(|e| ApiError::Internal(format!("temporary folder: {e}")))?;
    let input = tmp.path().join("report.html");
    let output = tmp.path().join("report.pdf");
    write_private(&input, html.as_bytes())?;
    let mut child = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            tmp.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", output.display()))
        .arg(format!("file://{}", input.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| ApiError::Internal(format!("cannot run {chromium} to print the PDF: {e}")))?;
    wait(&mut child, Duration::from_secs(120), &chromium)?;
    let pdf = std::fs::read(&output)
        .map_err(|e| ApiError::Internal(format!("{chromium} wrote no PDF: {e}")))?;
    tmp.close()
        .map_err(|e| ApiError::Internal(format!("removing the temporary folder: {e}")))?;
    Ok(pdf)
}

/// Writes a new file only its owner may read (0600 on Unix).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| ApiError::Internal(format!("writing {}: {e}", path.display())))
}

fn wait(child: &mut std::process::Child, limit: Duration, name: &str) -> Result<(), ApiError> {
    let start = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(ApiError::Internal(format!("{name} failed: {status}"))),
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                return Err(ApiError::Internal(format!(
                    "{name} took longer than {limit:?}"
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(ApiError::Internal(e.to_string())),
        }
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

/// The systemic gaps report as CSV: pending claims by district, block, scheme and stage, with
/// counts per ageing bucket, of an area (a district or some of its blocks), or of every
/// district. Counts only: no child is named or identified.
pub fn gaps_csv(
    store: &Store,
    area: Option<&Area>,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<u8>, ApiError> {
    use homeward_shared::gaps::{self, BUCKETS, Waiting};
    let c = Catalogue::new(lang);
    let cases: Vec<Case> = store
        .cases(area.map(|a| a.district.as_str()))?
        .into_iter()
        .filter(|c| {
            area.is_none_or(|a| a.covers(&c.child.address.district, &c.child.address.block))
        })
        .collect();
    let rows = gaps::systemic_gaps(&cases, today);
    let programme = store.programme()?;
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    let bad = |e: csv::Error| ApiError::Internal(e.to_string());
    let mut header = vec![
        c.get("col-district"),
        c.get("col-block"),
        c.get("col-dimension"),
        c.get("col-scheme"),
        c.get("col-waiting"),
    ];
    header.extend(BUCKETS.iter().map(|b| c.text("gaps-days", &[("range", b)])));
    header.push(c.get("col-total"));
    w.write_record(header.iter().map(|t| cell(t)))
        .map_err(bad)?;
    for r in &rows {
        let mut record = vec![
            r.district.clone(),
            r.block.clone(),
            c.dimension(r.dimension.into()),
            programme.scheme_name(&r.scheme, c.lang().code()),
            c.get(match r.waiting {
                Waiting::Sanction => "waiting-sanction",
                Waiting::Payment => "waiting-payment",
            }),
        ];
        // Counts of 1 or 2 leave the system as "<3" (and a total that would give one away).
        let (cells, total) = r.published();
        let shown =
            |n: Option<u32>| n.map_or_else(|| format!("<{}", gaps::SMALL_CELL), |n| n.to_string());
        record.extend(cells.into_iter().map(shown));
        record.push(shown(total));
        w.write_record(record.iter().map(|t| cell(t)))
            .map_err(bad)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}
