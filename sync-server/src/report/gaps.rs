//! The systemic gaps report as CSV: the claims waiting by district, block, scheme and stage in
//! ageing buckets, then what the resource map reveals (issue 17). Counts only, small cells
//! hidden as on the `/gaps` page.

use chrono::NaiveDate;
use homeward_shared::gaps::{self, BUCKETS, ResourceGaps, SMALL_CELL, Waiting};
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::model::Case;
use homeward_shared::resource::{Resource, ResourceKind};

use super::{BOM, cell};
use crate::error::ApiError;
use crate::scope::Area;
use crate::store::Store;

/// The systemic gaps report as CSV: pending claims by district, block, scheme and stage, with
/// counts per ageing bucket, of an area (a district or some of its blocks), or of every
/// district; then what the resource map of the same area reveals ([`resource_sections`]).
/// Counts only: no child is named or identified.
pub fn gaps_csv(
    store: &Store,
    area: Option<&Area>,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<u8>, ApiError> {
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
    let resources: Vec<Resource> = store
        .resources(area.map(|a| a.district.as_str()))?
        .into_iter()
        .filter(|r| area.is_none_or(|a| a.covers(&r.district, &r.block)))
        .collect();
    let map = gaps::resource_gaps(&cases, &resources, today, &programme);
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
        record.extend(cells.into_iter().map(shown));
        record.push(shown(total));
        w.write_record(record.iter().map(|t| cell(t)))
            .map_err(bad)?;
    }
    // Every row as wide as the claims' (a rectangular file every CSV reader takes).
    for mut record in resource_sections(&c, &map) {
        record.resize(header.len(), String::new());
        w.write_record(record.iter().map(|t| cell(t)))
            .map_err(bad)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// A count as it leaves the system: the number, or "<3" when the small-cell rule hides it.
fn shown(n: Option<u32>) -> String {
    n.map_or_else(|| format!("<{SMALL_CELL}"), |n| n.to_string())
}

/// The kinds of provider that would answer a need, in words.
fn kinds(c: &Catalogue, kinds: &[ResourceKind]) -> String {
    kinds
        .iter()
        .map(|k| c.resource_kind(*k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the resource map reveals, as three sections of the gaps CSV after the claims waiting,
/// each a title row (one cell), a header row and its rows (none when there is nothing to
/// say), their cells from the first column on, the rest left empty: blocks with children needing help no active provider of the block gives (need, the
/// kinds that would help, children), providers with unanswered referrals (name, kind, made,
/// unanswered), and the days from referral to service by block and kind (served, half served
/// within). Counts under the small-cell rule as the claims'.
fn resource_sections(c: &Catalogue, map: &ResourceGaps) -> Vec<Vec<String>> {
    let place = |district: &str, block: &str| vec![district.to_owned(), block.to_owned()];
    let (district, block) = (c.get("col-district"), c.get("col-block"));
    let mut out = vec![vec![c.get("map-gaps-missing")]];
    out.push(vec![
        district.clone(),
        block.clone(),
        c.get("col-dimension"),
        c.get("map-col-would-help"),
        c.get("map-col-children-needing"),
    ]);
    for m in &map.missing {
        let mut r = place(&m.district, &m.block);
        r.extend([
            c.dimension(m.dimension),
            kinds(c, &m.kinds),
            shown(m.published()),
        ]);
        out.push(r);
    }
    out.push(vec![c.get("map-gaps-unanswered")]);
    out.push(vec![
        district.clone(),
        block.clone(),
        c.get("map-col-provider"),
        c.get("map-col-kind"),
        c.get("map-col-referrals-made"),
        c.get("map-col-unanswered"),
    ]);
    for u in &map.unanswered {
        let (referred, unanswered) = u.published();
        let mut r = place(&u.district, &u.block);
        r.extend([
            u.name.clone(),
            c.resource_kind(u.kind),
            shown(referred),
            shown(unanswered),
        ]);
        out.push(r);
    }
    out.push(vec![c.get("map-gaps-time")]);
    out.push(vec![
        district,
        block,
        c.get("map-col-kind"),
        c.get("map-col-served-count"),
        c.get("map-col-days-to-service"),
    ]);
    for t in &map.time_to_service {
        let (served, days) = t.published();
        let mut r = place(&t.district, &t.block);
        r.extend([
            c.resource_kind(t.kind),
            shown(served),
            // A median hidden with its count is left empty: "<3" would read as days.
            days.map_or_else(String::new, |d| d.to_string()),
        ]);
        out.push(r);
    }
    out
}
