//! `GET /`: the overview of the user's areas: per district and block the active cases by risk,
//! the month's visits and how many of the cases due a visit had one; each fieldworker's visits
//! over four weeks and last sync; the CWC report links of last month. Supervisors and
//! administrators see first the urgent events reported by SMS whose full record has not arrived
//! (issue 14).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use homeward_shared::indicators::Month;
use maud::{Markup, html};

use crate::AppState;
use crate::store::Role;
use crate::today;
use crate::web::auth::Staff;
use crate::web::figures;
use crate::web::html::{case_href, layout, query_value, short_time, urgent_event};
use crate::web::ui::Ui;

/// `GET /`: cases per district and block by risk, visits this month, report links.
#[utoipa::path(
    get,
    path = "/",
    tag = "dashboard",
    security(("session" = [])),
    params(crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The overview page.", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn overview(State(state): State<AppState>, Staff(user): Staff, ui: Ui) -> Response {
    let day = today();
    let u = user.clone();
    let outlines = state.outlines();
    let loaded = state
        .read_store(move |s| {
            let urgent = if matches!(u.role, Role::Supervisor | Role::Admin) {
                s.urgent_items(&u, None)?
            } else {
                Vec::new()
            };
            let programme = s.programme()?;
            // The region's cases are added up one at a time, never all held, by the outlines
            // this node keeps (computed again only for a case that changed).
            let mut tally = figures::Tally::new(day, &programme);
            outlines.each_in(s, &crate::scope::reach(&u), day, &programme, |o| {
                tally.add_outline(o);
            })?;
            let (rows, activity) = (tally.rows, tally.activity);
            Ok((rows, activity, s.last_sync_by_user()?, urgent))
        })
        .await;
    let (rows, activity, last_sync, urgent) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let month = Month::of(day);
    let t = ui.catalogue();
    let m = t.month(month);
    let mut districts: Vec<&String> = rows.keys().map(|(d, _)| d).collect();
    districts.dedup();
    let last = month.prev();
    let body = html! {
        main {
            h1 { (t.text("web-overview-title", &[("day", &t.date(day))])) }
            @if !urgent.is_empty() {
                h2 #urgent .high { (t.get("web-urgent")) }
                p.hint { (t.get("web-urgent-hint")) }
                table #urgent-items {
                    tr {
                        th { (t.get("web-child")) } th { (t.get("web-what")) }
                        th { (t.get("web-urgent-sent-by")) } th { (t.get("web-urgent-received")) }
                        th {}
                    }
                    @for r in &urgent {
                        tr {
                            td { a href=(case_href(&r.item.case_id)) { (r.item.child_name) } }
                            td { (urgent_event(&t, &r.item.event)) }
                            td { (r.item.from_name) }
                            td { (short_time(&r.item.received_at)) }
                            td.err { (t.get("web-urgent-open")) }
                        }
                    }
                }
            }
            table {
                tr {
                    th { (t.get("web-district")) } th { (t.get("web-block")) }
                    th { (t.get("web-active-cases")) } th { (t.get("risk-high")) }
                    th { (t.get("risk-medium")) } th { (t.get("risk-stable")) }
                    th { (t.text("web-visits-in", &[("month", &m)])) }
                    th { (t.text("web-due-visited", &[("month", &m)])) }
                }
                @for ((d, b), r) in &rows { (block_row(d, b, r)) }
            }
            h2 { (t.get("web-fieldworkers")) }
            table {
                tr {
                    th { (t.get("web-fieldworker")) } th { (t.get("web-visits-this-week")) }
                    th { (t.get("web-visits-last-week")) } th { (t.get("web-visits-2-weeks")) }
                    th { (t.get("web-visits-3-weeks")) } th { (t.get("web-last-sync")) }
                }
                @for ((id, name), w) in &activity {
                    tr {
                        td { a href={"/cases?fieldworker=" (query_value(id))} { (name) } }
                        td.n { (w[0]) } td.n { (w[1]) } td.n { (w[2]) } td.n { (w[3]) }
                        td { @match last_sync.get(id) {
                            Some(s) => (s.get(..16).unwrap_or(s).replace('T', " ")),
                            None => (t.get("web-never")),
                        } }
                    }
                }
            }
            h2 { (t.get("web-cwc-reports")) }
            ul {
                @for d in &districts {
                    @let q = format!("/reports/cwc?district={}&month={last}", query_value(d));
                    li {
                        (d) ", " (t.month(last)) ": "
                        a href={(q) "&format=pdf&lang=en"} { "PDF (English)" } " · "
                        a href={(q) "&format=pdf&lang=hi"} { "PDF (हिन्दी)" } " · "
                        a href={(q) "&format=csv&lang=en"} { "CSV (English)" } " · "
                        a href={(q) "&format=csv&lang=hi"} { "CSV (हिन्दी)" }
                    }
                }
            }
        }
    };
    layout(&ui, &t, &t.get("web-nav-overview"), Some(&user), body).into_response()
}

/// One block's line of the overview; the high-risk count is marked only when there is one (a
/// red nought drew a supervisor's eye to a block that needed nothing).
fn block_row(district: &str, block: &str, r: &figures::BlockFigures) -> Markup {
    html! {
        tr {
            td { (district) } td { (block) }
            td.n { (r.active) } td.n.high[r.high > 0] { (r.high) } td.n { (r.medium) }
            td.n { (r.stable) } td.n { (r.visits) }
            td.n { (r.due) " / " (r.due_visited) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_without_a_high_risk_case_shows_its_nought_unmarked() {
        let none = figures::BlockFigures {
            active: 5,
            medium: 4,
            stable: 1,
            ..Default::default()
        };
        let row = block_row("Gaya", "Sherghati", &none).into_string();
        assert!(row.contains(r#"<td class="n">0</td>"#), "{row}");
        assert!(!row.contains("high"), "{row}");
        let some = figures::BlockFigures { high: 2, ..none };
        let row = block_row("Gaya", "Tekari", &some).into_string();
        assert!(row.contains(r#"<td class="n high">2</td>"#), "{row}");
    }
}
