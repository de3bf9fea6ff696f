//! `GET /gaps`: the systemic gaps on a page of their own: claims waiting today in the user's
//! areas by district, block, scheme and stage in ageing buckets, a chart by district, and the
//! downloads. Counts only, with the small-cell rule of what leaves the system
//! ([`homeward_shared::gaps::SMALL_CELL`]) applied here as in the CSV, and stated under the
//! table. Then what the resource map of the same areas reveals (issue 17): blocks where children
//! need help no active provider gives, providers whose referrals go unanswered, and how long
//! referrals take to be served.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use homeward_shared::gaps::ResourceGaps;
use homeward_shared::gaps::{self, BUCKETS, SMALL_CELL, Waiting};
use homeward_shared::i18n::Catalogue;
use homeward_shared::resource::{Resource, ResourceKind};
use maud::{Markup, PreEscaped, html};

use crate::AppState;
use crate::today;
use crate::web::auth::Staff;
use crate::web::charts;
use crate::web::html::{layout, query_value};
use crate::web::ui::Ui;

/// The bucket colours, from the youngest claims to the oldest.
const BUCKET_COLOURS: [&str; 4] = ["#9ecae1", "#4292c6", "#e08214", "#b2182b"];

/// `GET /gaps`: the systemic gaps of the user's areas.
#[utoipa::path(
    get,
    path = "/gaps",
    tag = "dashboard",
    security(("session" = [])),
    params(crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page: a table and a chart, counts only, small cells hidden.", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn gaps(State(state): State<AppState>, Staff(user): Staff, ui: Ui) -> Response {
    let day = today();
    let u = user.clone();
    let loaded = state
        .read_store(move |s| {
            // The resource map of the same areas as the cases.
            let resources: Vec<Resource> = s
                .resources(None)?
                .into_iter()
                .filter(|r| crate::scope::covers(&u, &r.district, &r.block))
                .collect();
            Ok((crate::web::scoped_cases(s, &u)?, s.programme()?, resources))
        })
        .await;
    let (cases, programme, resources) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let rows = gaps::systemic_gaps(&cases, day);
    let map = gaps::resource_gaps(&cases, &resources, day, &programme);
    let t = ui.catalogue();
    let lang = ui.lang.code();
    // The chart: per district, the claims of each bucket, a count under the rule drawn as none.
    let mut by_district: BTreeMap<String, [u32; 4]> = BTreeMap::new();
    for r in &rows {
        let d = by_district.entry(r.district.clone()).or_default();
        for (sum, n) in d.iter_mut().zip(r.counts) {
            *sum += n;
        }
    }
    let series: Vec<(String, [u32; 4])> = by_district
        .iter()
        .map(|(d, counts)| (d.clone(), counts.map(|n| gaps::published(n).unwrap_or(0))))
        .collect();
    // Each district's claims by bucket, under the same rule as a row.
    let district_rows: Vec<(String, [Option<u32>; 4], Option<u32>)> = by_district
        .iter()
        .map(|(d, counts)| {
            let cells = counts.map(gaps::published);
            let hidden = cells.iter().any(Option::is_none);
            let total = gaps::published(counts.iter().sum()).filter(|_| !hidden);
            (d.clone(), cells, total)
        })
        .collect();
    let labels: Vec<String> = BUCKETS
        .iter()
        .map(|b| t.text("gaps-days", &[("range", b)]))
        .collect();
    let chart = charts::stacked_bars(
        &t.text("web-gaps-chart", &[("day", &t.date(day))]),
        &series,
        BUCKET_COLOURS,
        [&labels[0], &labels[1], &labels[2], &labels[3]],
    );
    // The downloads: every district with something to show, claims or the map's gaps.
    let mut districts: Vec<&String> = rows
        .iter()
        .map(|r| &r.district)
        .chain(map.missing.iter().map(|m| &m.district))
        .chain(map.unanswered.iter().map(|u| &u.district))
        .chain(map.time_to_service.iter().map(|t| &t.district))
        .collect();
    districts.sort();
    districts.dedup();
    let body = html! {
        main {
            h1 { (t.text("web-gaps-page-title", &[("day", &t.date(day))])) }
            p.hint { (t.get("web-gaps-hint")) }
            @if rows.is_empty() {
                p { (t.get("web-gaps-none")) }
            } @else {
                figure #gaps-chart { (PreEscaped(chart)) }
                h2 { (t.get("web-gaps-by-district")) }
                table #gaps-districts {
                    tr {
                        th { (t.get("web-district")) }
                        @for l in &labels { th { (l) } }
                        th { (t.get("col-total")) }
                    }
                    @for (d, cells, total) in &district_rows {
                        tr {
                            td { (d) }
                            @for c in cells { td.n { (shown(*c)) } }
                            td.n { strong { (shown(*total)) } }
                        }
                    }
                }
                h2 { (t.get("web-gaps-by-block")) }
                table #gaps {
                    tr {
                        th { (t.get("web-district")) } th { (t.get("web-block")) } th { (t.get("web-need")) }
                        th { (t.get("web-scheme")) } th { (t.get("col-waiting")) }
                        @for l in &labels { th { (l) } }
                        th { (t.get("col-total")) }
                    }
                    @for r in &rows {
                        @let (cells, total) = r.published();
                        tr {
                            td { (r.district) } td { (r.block) }
                            td { (t.dimension(r.dimension.into())) }
                            td { (programme.scheme_name(&r.scheme, lang)) }
                            td { (t.get(match r.waiting { Waiting::Sanction => "waiting-sanction", Waiting::Payment => "waiting-payment" })) }
                            @for c in cells { td.n { (shown(c)) } }
                            td.n { strong { (shown(total)) } }
                        }
                    }
                }
            }
            (resource_sections(&t, &map, programme.referrals.follow_up_days))
            p #suppression .hint { (t.text("web-gaps-rule", &[("n", &SMALL_CELL.to_string())])) }
            p #map-suppression .hint { (t.text("map-gaps-rule", &[("n", &SMALL_CELL.to_string())])) }
            h2 { (t.get("web-downloads")) }
            ul {
                @for d in &districts {
                    li { (d) ": "
                        a href={"/reports/gaps?district=" (query_value(d)) "&lang=en"} { "CSV (English)" } " · "
                        a href={"/reports/gaps?district=" (query_value(d)) "&lang=hi"} { "CSV (हिन्दी)" }
                    }
                }
            }
        }
    };
    layout(&ui, &t, &t.get("web-nav-gaps"), Some(&user), body).into_response()
}

/// A count as the page shows it: the number, or "<3" when the small-cell rule hides it.
fn shown(n: Option<u32>) -> String {
    n.map_or_else(|| format!("<{SMALL_CELL}"), |n| n.to_string())
}

/// The kinds of provider that would answer a need, in words.
fn kinds(t: &Catalogue, kinds: &[ResourceKind]) -> String {
    kinds
        .iter()
        .map(|k| t.resource_kind(*k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The resource map's three sections (`#gaps-missing`, `#gaps-unanswered`,
/// `#gaps-time-to-service`), each with a sentence saying what it counts, or that there is
/// nothing to show.
fn resource_sections(t: &Catalogue, map: &ResourceGaps, follow_up_days: u32) -> Markup {
    html! {
        h2 { (t.get("map-gaps-missing")) }
        p.hint { (t.get("map-gaps-missing-hint")) }
        @if map.missing.is_empty() {
            p { (t.get("map-gaps-missing-none")) }
        } @else {
            table #gaps-missing {
                tr {
                    th { (t.get("web-district")) } th { (t.get("web-block")) } th { (t.get("web-need")) }
                    th { (t.get("map-col-would-help")) } th { (t.get("map-col-children-needing")) }
                }
                @for m in &map.missing {
                    tr {
                        td { (m.district) } td { (m.block) } td { (t.dimension(m.dimension)) }
                        td { (kinds(t, &m.kinds)) } td.n { strong { (shown(m.published())) } }
                    }
                }
            }
        }
        h2 { (t.get("map-gaps-unanswered")) }
        p.hint { (t.text("map-gaps-unanswered-hint", &[("days", &follow_up_days.to_string())])) }
        @if map.unanswered.is_empty() {
            p { (t.get("map-gaps-unanswered-none")) }
        } @else {
            table #gaps-unanswered {
                tr {
                    th { (t.get("web-district")) } th { (t.get("web-block")) } th { (t.get("map-col-provider")) }
                    th { (t.get("map-col-kind")) } th { (t.get("map-col-referrals-made")) } th { (t.get("map-col-unanswered")) }
                }
                @for u in &map.unanswered {
                    @let (referred, unanswered) = u.published();
                    tr {
                        td { (u.district) } td { (u.block) } td { (u.name) } td { (t.resource_kind(u.kind)) }
                        td.n { (shown(referred)) } td.n { strong { (shown(unanswered)) } }
                    }
                }
            }
        }
        h2 { (t.get("map-gaps-time")) }
        p.hint { (t.get("map-gaps-time-hint")) }
        @if map.time_to_service.is_empty() {
            p { (t.get("map-gaps-time-none")) }
        } @else {
            table #gaps-time-to-service {
                tr {
                    th { (t.get("web-district")) } th { (t.get("web-block")) } th { (t.get("map-col-kind")) }
                    th { (t.get("map-col-served-count")) } th { (t.get("map-col-days-to-service")) }
                }
                @for s in &map.time_to_service {
                    @let (served, days) = s.published();
                    tr {
                        td { (s.district) } td { (s.block) } td { (t.resource_kind(s.kind)) }
                        td.n { (shown(served)) }
                        // Hidden with its count: left empty ("<3" would read as days).
                        td.n { @if let Some(d) = days { strong { (d) } } }
                    }
                }
            }
        }
    }
}
