//! The CWC report's two CSV files: the children's (a row per need, per claim waiting and per
//! referral, in the same 19 columns in every language) and the month's summary (item, value).

use chrono::NaiveDate;
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::indicators::MonthlyReport;
use homeward_shared::need::Dimension;

use super::{BOM, Cwc, cell, date_list, next_steps, stage_status};
use crate::error::ApiError;
use crate::scope::Area;

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
/// the PDF. After a child's needs and claims, a row per referral of the month
/// ([`super::referrals::csv_rows`] says which column holds what), then a row per document with
/// a verified copy ([`super::copies::csv_rows`]). The month's aggregates are another file
/// ([`summary_csv`]).
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
        for row in super::referrals::csv_rows(&c, &who, child, report.month, report.as_of) {
            w.write_record(row.iter().map(|t| cell(t))).map_err(bad)?;
        }
        if let Some(copies) = report.copies.get(&child.case_id) {
            for row in super::copies::csv_rows(&c, &who, copies) {
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
/// figure as three rows: children of school age, of them in school, the percentage), then the
/// month's referrals: made, accepted, served, refused or no response for each kind referred
/// to, then for all kinds (always there). The same rows in the same order in every language.
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
    let referrals = super::referrals::summary_rows(&c, &a.referrals);
    let rows = rows
        .into_iter()
        .map(|(id, value)| (c.get(id), value))
        .chain(referrals);
    for (label, value) in rows {
        w.write_record([cell(&label), cell(&value)]).map_err(bad)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}
