//! `GET /gaps`: the systemic gaps on a page of their own: claims waiting today in the user's
//! areas by district, block, scheme and stage in ageing buckets, a chart by district, and the
//! downloads. Counts only, with the small-cell rule of what leaves the system
//! ([`homeward_shared::gaps::SMALL_CELL`]) applied here as in the CSV, and stated under the
//! table.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use homeward_shared::gaps::{self, BUCKETS, SMALL_CELL, Waiting};
use maud::{PreEscaped, html};

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
        .with_store(move |s| Ok((crate::web::scoped_cases(s, &u)?, s.programme()?)))
        .await;
    let (cases, programme) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let rows = gaps::systemic_gaps(&cases, day);
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
    let shown = |n: Option<u32>| n.map_or_else(|| format!("<{SMALL_CELL}"), |n| n.to_string());
    let mut districts: Vec<&String> = rows.iter().map(|r| &r.district).collect();
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
            p #suppression .hint { (t.text("web-gaps-rule", &[("n", &SMALL_CELL.to_string())])) }
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
