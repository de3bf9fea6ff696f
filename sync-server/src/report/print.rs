//! The CWC report as a printable HTML page (A4) and that page printed to PDF by headless
//! Chromium.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use chrono::NaiveDate;
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::indicators::MonthFact;
use homeward_shared::programme::Programme;

use super::{Cwc, date_list, esc, next_steps, stage_status};
use crate::error::ApiError;
use crate::scope::Area;

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

/// The report of an area as a printable HTML page (A4). A report of some blocks of a district
/// names them under its title; each child's claims waiting are listed with their scheme (by its
/// name in the report's language), stage, application day and days waiting, and each of its
/// referrals of the month with where it stood; the first page counts the month's referrals by
/// kind of provider.
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
    h.push_str("</table>");
    h.push_str(&super::referrals::aggregate_html(&c, &a.referrals));
    h.push_str("</section>");
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
        h.push_str(&super::referrals::child_html(&c, child));
        if let Some(copies) = report.copies.get(&child.case_id) {
            h.push_str(&super::copies::child_html(&c, copies));
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
table.referrals td.n { text-align: right; width: 13%; } table.referrals td.d { white-space: nowrap; }
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
