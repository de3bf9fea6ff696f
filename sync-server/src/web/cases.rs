//! `GET /cases`: the caseload, every case in the user's areas, most urgent first, with a search
//! (a name in either script, a village, a case id), filters (block, fieldworker, risk, status,
//! overdue, a claim pending longer than some days) and pages of [`PAGE`] cases. The rows and the
//! filters are [`crate::web::figures::caseload`]; a search is written to the audit log (it can
//! find a child by name).

use std::collections::BTreeSet;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::{CaseState, Risk};
use maud::{Markup, html};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::ApiError;
use crate::today;
use crate::web::auth::Staff;
use crate::web::figures::{self, CaseRow, Filter};
use crate::web::html::{case_href, layout, query_value};
use crate::web::ui::Ui;

/// Cases per page.
pub const PAGE: usize = 50;

/// The caseload's query; every parameter may be left out or empty.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesQuery {
    /// Words to find: the child's name or other names (Latin or Devanagari, spellings folded:
    /// "Pooja" finds "Puja" and "पूजा"), the village, or a case id.
    q: Option<String>,
    /// Only this block.
    block: Option<String>,
    /// Only the cases this fieldworker (user id) follows.
    fieldworker: Option<String>,
    /// Only this risk: `high`, `medium` or `stable` (active cases).
    #[param(value_type = Option<String>, pattern = "^(high|medium|stable)?$")]
    risk: Option<String>,
    /// Only this status: `active`, `closed` or `transferred`.
    #[param(value_type = Option<String>)]
    status: Option<String>,
    /// `yes`: only cases whose visit is overdue.
    #[param(value_type = Option<String>)]
    overdue: Option<String>,
    /// Only cases with a claim applied for and unpaid at least this many days.
    #[param(value_type = Option<u32>, minimum = 0, maximum = 10000)]
    claim_days: Option<String>,
    /// The page, from 1.
    #[param(value_type = Option<u32>, minimum = 1)]
    page: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl CasesQuery {
    /// The filter and the page asked for, or what is wrong with the query.
    fn parse(&self) -> Result<(Filter, usize), String> {
        let number = |name: &str, v: &Option<String>, max: u32| -> Result<Option<u32>, String> {
            given(v)
                .map(|s| {
                    s.parse::<u32>()
                        .ok()
                        .filter(|n| *n <= max)
                        .ok_or_else(|| format!("{name} must be a whole number from 0 to {max}"))
                })
                .transpose()
        };
        let filter = Filter {
            q: given(&self.q).unwrap_or("").to_owned(),
            block: given(&self.block).map(str::to_owned),
            fieldworker: given(&self.fieldworker).map(str::to_owned),
            risk: given(&self.risk)
                .map(str::parse::<Risk>)
                .transpose()
                .map_err(|e| e.to_string())?,
            state: given(&self.status)
                .map(str::parse::<CaseState>)
                .transpose()
                .map_err(|e| e.to_string())?,
            overdue: match given(&self.overdue) {
                None | Some("no") => false,
                Some("yes") => true,
                Some(other) => return Err(format!("overdue is yes or no, not '{other}'")),
            },
            claim_days: number("claim_days", &self.claim_days, 10_000)?.map(i64::from),
        };
        let page = number("page", &self.page, 100_000)?.unwrap_or(1).max(1);
        Ok((filter, usize::try_from(page).unwrap_or(1)))
    }

    /// This query's address on another page.
    fn href(&self, page: usize) -> String {
        let mut url = String::from("/cases?");
        for (k, v) in [
            ("q", &self.q),
            ("block", &self.block),
            ("fieldworker", &self.fieldworker),
            ("risk", &self.risk),
            ("status", &self.status),
            ("overdue", &self.overdue),
            ("claim_days", &self.claim_days),
        ] {
            if let Some(v) = given(v) {
                url.push_str(&format!("{k}={}&", query_value(v)));
            }
        }
        url.push_str(&format!("page={page}"));
        url
    }
}

/// `GET /cases`: the caseload of the user's areas.
#[utoipa::path(
    get,
    path = "/cases",
    tag = "dashboard",
    security(("session" = [])),
    params(CasesQuery, crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page: the matching cases, most urgent first, a page at a time (a search is recorded in the audit log).", body = String, content_type = "text/html"),
        (status = 400, description = "A filter that is not one of its values (a risk, a status, overdue, a number of days or a page), or a query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn cases(
    State(state): State<AppState>,
    Staff(user): Staff,
    ui: Ui,
    Query(q): Query<CasesQuery>,
) -> Response {
    let (filter, page) = match q.parse() {
        Ok(x) => x,
        Err(e) => return ApiError::BadRequest(e).into_response(),
    };
    let day = today();
    let u = user.clone();
    let f = filter.clone();
    let outlines = state.outlines();
    let loaded = state
        .read_store(move |s| {
            let assignees = s.assignees()?;
            let programme = s.programme()?;
            if !f.q.trim().is_empty() {
                s.audit(&u.id, "case-search", None, Some(f.q.trim()))?;
            }
            // The region's cases one at a time: only the rows that pass are kept.
            let mut rows = Vec::new();
            let mut blocks: BTreeSet<String> = BTreeSet::new();
            let mut workers: BTreeSet<(String, String)> = BTreeSet::new();
            outlines.each_in(s, &crate::scope::reach(&u), day, &programme, |o| {
                if !blocks.contains(&o.row.block) {
                    blocks.insert(o.row.block.clone());
                }
                if let Some((id, name)) = assignees.get(&o.row.id) {
                    workers.insert((name.clone(), id.clone()));
                }
                rows.extend(figures::outline_row(o, &assignees, &f));
            })?;
            figures::sort_caseload(&mut rows);
            Ok((rows, blocks, workers))
        })
        .await;
    let (rows, blocks, workers) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let t = ui.catalogue();
    let pages = rows.len().div_ceil(PAGE).max(1);
    let page = page.min(pages);
    let shown = rows.iter().skip((page - 1) * PAGE).take(PAGE);
    let body = html! {
        main {
            h1 { (t.get("web-nav-cases")) }
            (filters(&t, &q, &filter, &blocks, &workers))
            p #count role="status" {
                (t.text("web-cases-found", &[("count", &rows.len().to_string())]))
                @if pages > 1 { " · " (t.text("web-page-of", &[("page", &page.to_string()), ("pages", &pages.to_string())])) }
            }
            @if !rows.is_empty() {
                table #caseload {
                    tr {
                        th { (t.get("web-child")) } th { (t.get("web-case-id")) }
                        th { (t.get("web-village")) } th { (t.get("web-block")) }
                        th { (t.get("web-fieldworker")) } th { (t.get("web-risk")) }
                        th { (t.get("web-status")) } th { (t.get("web-next-visit")) }
                        th { (t.get("web-oldest-claim")) } th { (t.get("web-last-visit")) }
                    }
                    @for r in shown { (row(&t, r, day)) }
                }
            }
            @if pages > 1 {
                nav.pages aria-label=(t.get("web-pages")) {
                    @if page > 1 { a rel="prev" href=(q.href(page - 1)) { (t.get("web-previous")) } }
                    @if page < pages { a rel="next" href=(q.href(page + 1)) { (t.get("web-next")) } }
                }
            }
        }
    };
    layout(&ui, &t, &t.get("web-nav-cases"), Some(&user), body).into_response()
}

fn row(t: &Catalogue, r: &CaseRow, day: chrono::NaiveDate) -> Markup {
    html! {
        tr {
            td { a href=(case_href(&r.id)) { (r.name) } }
            td { (r.id) }
            td { (r.village) }
            td { (r.block) }
            td { @if let Some((_, name)) = &r.fieldworker { (name) } @else { span.hint { (t.get("web-unassigned")) } } }
            td { @if let Some(risk) = r.risk {
                span class=[(risk == Risk::High).then_some("high")] { (t.risk(risk)) }
            } }
            td { (t.state(r.state)) }
            td { @if let Some(d) = r.next_visit {
                @if r.overdue { span.high { (t.due(d, day)) } } @else { (t.date(d)) }
            } }
            td.n { @if let Some(days) = r.oldest_claim_days {
                (t.text("ui-days-pending", &[("days", &days.to_string())]))
            } }
            td { @if let Some(d) = r.last_visit { (t.date(d)) } @else { span.hint { (t.get("web-never")) } } }
        }
    }
}

fn filters(
    t: &Catalogue,
    q: &CasesQuery,
    f: &Filter,
    blocks: &BTreeSet<String>,
    workers: &BTreeSet<(String, String)>,
) -> Markup {
    let selected = |v: &Option<String>, x: &str| given(v) == Some(x);
    html! {
        form.filters #filters method="get" action="/cases" role="search" {
            label { (t.get("web-search")) input name="q" type="search" value=(f.q) size="24"; }
            label { (t.get("web-block")) select name="block" {
                option value="" { (t.get("web-all")) }
                @for b in blocks { option value=(b) selected[selected(&q.block, b)] { (b) } }
            } }
            label { (t.get("web-fieldworker")) select name="fieldworker" {
                option value="" { (t.get("web-all")) }
                @for (name, id) in workers { option value=(id) selected[selected(&q.fieldworker, id)] { (name) } }
            } }
            label { (t.get("web-risk")) select name="risk" {
                option value="" { (t.get("web-all")) }
                @for r in Risk::ALL { option value=(r.key()) selected[selected(&q.risk, r.key())] { (t.risk(*r)) } }
            } }
            label { (t.get("web-status")) select name="status" {
                option value="" { (t.get("web-all")) }
                @for s in CaseState::ALL { option value=(s.key()) selected[selected(&q.status, s.key())] { (t.state(*s)) } }
            } }
            label { (t.get("web-overdue-only")) select name="overdue" {
                option value="" { (t.get("web-all")) }
                option value="yes" selected[f.overdue] { (t.get("web-overdue")) }
            } }
            label { (t.get("web-claim-days")) input name="claim_days" inputmode="numeric" size="5" value=[given(&q.claim_days)]; }
            button type="submit" { (t.get("web-find")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> CasesQuery {
        let s: String = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", query_value(v)))
            .collect::<Vec<_>>()
            .join("&");
        parsed(&s)
    }

    fn parsed(s: &str) -> CasesQuery {
        let uri: axum::http::Uri = format!("/cases?{s}").parse().expect("uri");
        Query::<CasesQuery>::try_from_uri(&uri).expect("query").0
    }

    #[test]
    fn a_bad_filter_is_named_and_empty_ones_are_ignored() {
        assert!(
            query(&[("risk", "severe")])
                .parse()
                .unwrap_err()
                .contains("severe")
        );
        assert!(
            query(&[("overdue", "maybe")])
                .parse()
                .unwrap_err()
                .contains("maybe")
        );
        assert!(
            query(&[("claim_days", "-3")])
                .parse()
                .unwrap_err()
                .contains("claim_days")
        );
        let (f, page) = query(&[("risk", ""), ("block", " "), ("page", "")])
            .parse()
            .expect("empty is no filter");
        assert_eq!((f, page), (Filter::default(), 1));
        let (f, page) = query(&[
            ("risk", "high"),
            ("status", "active"),
            ("overdue", "yes"),
            ("claim_days", "90"),
            ("page", "3"),
        ])
        .parse()
        .expect("valid");
        assert_eq!(f.risk, Some(Risk::High));
        assert_eq!(f.state, Some(CaseState::Active));
        assert!(f.overdue);
        assert_eq!((f.claim_days, page), (Some(90), 3));
    }

    #[test]
    fn the_page_links_keep_the_filters() {
        let q = query(&[("q", "Puja Kumari"), ("risk", "high"), ("page", "2")]);
        assert_eq!(q.href(3), "/cases?q=Puja+Kumari&risk=high&page=3");
    }
}
