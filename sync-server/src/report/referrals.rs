//! Referrals in the CWC report (issue 17): the month's counts by kind of provider (first page of
//! the PDF, rows of the summary CSV) and each child's referrals (a table in the child's section,
//! a row each in the children's CSV). Words from the `map-*` catalogue; the figures are
//! `shared`'s ([`homeward_shared::indicators::ChildReferral`], [`ReferralCounts`]).

use chrono::NaiveDate;
use homeward_shared::i18n::Catalogue;
use homeward_shared::indicators::{ChildProgress, Month, ReferralCounts};

use super::esc;

/// The kind a count is of, in words ("All kinds" for the total row).
fn kind_name(c: &Catalogue, counts: &ReferralCounts) -> String {
    counts
        .kind
        .map_or_else(|| c.get("map-kind-all"), |k| c.resource_kind(k))
}

/// The month's referrals as the first page's table: made, accepted, served, refused or no
/// response, by kind, with the total row; a sentence when there were none. How a referral that
/// spans months is counted is said under the title.
pub(super) fn aggregate_html(c: &Catalogue, counts: &[ReferralCounts]) -> String {
    let mut h = format!(
        "<h2 id=\"referrals\">{}</h2><p class=\"note\">{}</p>",
        esc(&c.get("map-report-referrals")),
        esc(&c.get("map-report-referrals-hint")),
    );
    if counts.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>",
            esc(&c.get("map-report-referrals-none"))
        ));
        return h;
    }
    h.push_str(&format!(
        "<table class=\"referrals\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&c.get("map-col-kind")),
        esc(&c.get("map-col-made")),
        esc(&c.get("map-col-accepted")),
        esc(&c.get("map-col-served")),
        esc(&c.get("map-col-not-served")),
    ));
    for k in counts {
        let (open, close) = if k.kind.is_none() {
            ("<b>", "</b>")
        } else {
            ("", "")
        };
        h.push_str(&format!(
            "<tr><td>{open}{}{close}</td><td class=\"n\">{open}{}{close}</td><td class=\"n\">{open}{}{close}</td><td class=\"n\">{open}{}{close}</td><td class=\"n\">{open}{}{close}</td></tr>",
            esc(&kind_name(c, k)),
            k.made,
            k.accepted,
            k.served,
            k.not_served,
        ));
    }
    h.push_str("</table>");
    h
}

/// The summary CSV's referral rows (label, value): each kind's four counts, then the four
/// totals over every kind, always there (zero in a month without referrals) so that a
/// spreadsheet finds them in every month's file.
pub(super) fn summary_rows(c: &Catalogue, counts: &[ReferralCounts]) -> Vec<(String, String)> {
    let mut total = ReferralCounts::default();
    let mut rows = Vec::new();
    for k in counts.iter().filter(|k| k.kind.is_some()) {
        total.made += k.made;
        total.accepted += k.accepted;
        total.served += k.served;
        total.not_served += k.not_served;
        rows.extend(four(c, k));
    }
    rows.extend(four(c, &total));
    rows
}

fn four(c: &Catalogue, k: &ReferralCounts) -> [(String, String); 4] {
    // "Referrals made: all kinds", in the middle of a label.
    let kind = k
        .kind
        .map_or_else(|| c.get("map-kinds-all"), |k| c.resource_kind(k));
    let label = |id: &str| c.text(id, &[("kind", &kind)]);
    [
        (label("map-sum-made"), k.made.to_string()),
        (label("map-sum-accepted"), k.accepted.to_string()),
        (label("map-sum-served"), k.served.to_string()),
        (label("map-sum-not-served"), k.not_served.to_string()),
    ]
}

/// A child's referrals as a table of the child's section (nothing for a child without any):
/// provider, kind, need, the day referred, where it stood at the end of the month and since
/// when, the last note.
pub(super) fn child_html(c: &Catalogue, child: &ChildProgress) -> String {
    if child.referrals.is_empty() {
        return String::new();
    }
    let mut h = format!(
        "<p class=\"claims\"><b>{}</b></p><table class=\"referrals\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&c.get("map-report-child-referrals")),
        esc(&c.get("map-col-provider")),
        esc(&c.get("map-col-kind")),
        esc(&c.get("col-dimension")),
        esc(&c.get("map-col-referred-on")),
        esc(&c.get("map-col-state")),
        esc(&c.get("map-col-state-on")),
        esc(&c.get("map-col-note")),
    );
    for r in &child.referrals {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"d\">{}</td><td>{}</td><td class=\"d\">{}</td><td>{}</td></tr>",
            esc(&r.resource),
            esc(&c.resource_kind(r.kind)),
            esc(&c.dimension(r.dimension)),
            esc(&c.date(r.referred_on)),
            esc(&c.referral_state(r.state)),
            esc(&c.date(r.state_on)),
            esc(r.note.as_deref().unwrap_or("")),
        ));
    }
    h.push_str("</table>");
    h
}

/// A child's referrals as rows of the children's CSV, each after the child's first seven
/// columns (`who`), in the columns a claim's row uses, read for a referral:
/// - `col-row`: "referral"; `col-dimension`: the need;
/// - `col-changes`: "day: state" when the referral reached its state in the month;
/// - `col-pending-since`: the day it reached its state, while it waits for an outcome
///   (referred or accepted);
/// - `col-scheme`: the provider and its kind ("Jeevika Sangathan (Livelihood provider)");
/// - `col-stage`: where it stood at the end of the month; `col-applied-on`: the day referred;
/// - `col-days-pending`: the days since it was referred, while it waits;
/// - `col-why-stuck`: its last note.
///
/// The need's status columns and the next steps stay empty, as on a claim's row.
pub(super) fn csv_rows(
    c: &Catalogue,
    who: &[String],
    child: &ChildProgress,
    month: Month,
    as_of: NaiveDate,
) -> Vec<Vec<String>> {
    let row_kind = c.get("map-row-referral");
    child
        .referrals
        .iter()
        .map(|r| {
            let state = c.referral_state(r.state);
            let open = r.state.is_open();
            let mut row = who.to_vec();
            row.extend([
                row_kind.clone(),
                c.dimension(r.dimension),
                String::new(),
                String::new(),
                if month.contains(r.state_on) {
                    format!("{}: {state}", c.date(r.state_on))
                } else {
                    String::new()
                },
                if open {
                    c.date(r.state_on)
                } else {
                    String::new()
                },
                c.text(
                    "map-provider-kind",
                    &[("name", &r.resource), ("kind", &c.resource_kind(r.kind))],
                ),
                state.clone(),
                c.date(r.referred_on),
                if open {
                    (as_of - r.referred_on).num_days().max(0).to_string()
                } else {
                    String::new()
                },
                r.note.clone().unwrap_or_default(),
                String::new(),
            ]);
            row
        })
        .collect()
}
