//! Which documents of each child have a verified copy (issue 15): a copy standing (not
//! withdrawn) that a supervisor checked against the original by the report's day. The PDF
//! lists them under the child; the children's CSV has a row per document after the child's
//! referrals, in the same 19 columns.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::{Case, DocumentKind};

use super::esc;

/// A document of the checklist with a verified copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCopy {
    /// The document.
    pub kind: DocumentKind,
    /// The day its copy was checked (the first, when several copies were).
    pub on: NaiveDate,
    /// Who checked it.
    pub by: String,
}

/// Each case's verified copies on `as_of`, by case id, one per document, in the checklist's
/// order; a case without any has no entry.
pub(super) fn of_cases(cases: &[Case], as_of: NaiveDate) -> BTreeMap<String, Vec<VerifiedCopy>> {
    let mut out = BTreeMap::new();
    for case in cases {
        let mut copies: Vec<VerifiedCopy> = Vec::new();
        for a in case.attachments.iter().filter(|a| a.is_active()) {
            let Some(v) = a.verified.as_ref().filter(|v| v.on <= as_of) else {
                continue;
            };
            match copies.iter_mut().find(|c| c.kind == a.kind) {
                Some(c) if c.on <= v.on => {}
                Some(c) => {
                    c.on = v.on;
                    c.by.clone_from(&v.by.name);
                }
                None => copies.push(VerifiedCopy {
                    kind: a.kind,
                    on: v.on,
                    by: v.by.name.clone(),
                }),
            }
        }
        if !copies.is_empty() {
            copies.sort_by_key(|c| DocumentKind::ALL.iter().position(|k| *k == c.kind));
            out.insert(case.id.clone(), copies);
        }
    }
    out
}

/// The child's verified copies in the PDF: a line naming each document, the day and who.
pub(super) fn child_html(c: &Catalogue, copies: &[VerifiedCopy]) -> String {
    if copies.is_empty() {
        return String::new();
    }
    let list: Vec<String> = copies
        .iter()
        .map(|v| {
            esc(&c.text(
                "web-report-copy",
                &[
                    ("document", &c.document(v.kind)),
                    ("date", &c.date(v.on)),
                    ("name", &v.by),
                ],
            ))
        })
        .collect();
    format!(
        "<p class=\"copies\"><b>{}:</b> {}</p>",
        esc(&c.get("web-report-copies")),
        list.join("; ")
    )
}

/// The child's verified copies in the children's CSV, a row each after the child's referrals:
/// `col-row` "verified copy", `col-scheme` the document, `col-stage` who verified it,
/// `col-applied-on` the day; the other columns but the child's stay empty.
pub(super) fn csv_rows(c: &Catalogue, who: &[String], copies: &[VerifiedCopy]) -> Vec<Vec<String>> {
    let kind = c.get("web-report-row-copy");
    copies
        .iter()
        .map(|v| {
            let mut row = who.to_vec();
            row.extend([
                kind.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                c.document(v.kind),
                c.text("web-report-copy-by", &[("name", &v.by)]),
                c.date(v.on),
                String::new(),
                String::new(),
                String::new(),
            ]);
            row
        })
        .collect()
}
