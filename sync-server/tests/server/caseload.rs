//! The caseload, the case page, the people page and the dashboard's language (issue 12,
//! sections 2 and 4), through the router in process on the demo's synthetic data.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use homeward_shared::model::Case;
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

use super::{demo_store, get, login};

async fn logged_in(user: &str) -> (tempfile::TempDir, AppState, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(demo_store(&tmp));
    let (_, cookie) = login(&state, user, "demo").await;
    (tmp, state, cookie.expect("a session"))
}

/// A request with headers; the answer's status, `Set-Cookie` and `Location` values and body.
async fn ask(
    state: &AppState,
    req: Request<Body>,
) -> (StatusCode, Vec<String>, Option<String>, String) {
    let resp = router(state.clone()).oneshot(req).await.expect("answers");
    let status = resp.status();
    let cookies = resp
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = to_bytes(resp.into_body(), 1 << 24).await.expect("body");
    (
        status,
        cookies,
        location,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn post(uri: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body.to_owned()))
        .expect("request")
}

/// The text a person reads: the page without its tags.
fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Message ids shown raw: a catalogue misses them.
fn raw_ids(html: &str) -> Vec<String> {
    text(html)
        .split_whitespace()
        .filter(|w| {
            [
                "web-", "ui-", "report-", "status-", "dim-", "risk-", "state-", "prompt-",
            ]
            .iter()
            .any(|p| w.starts_with(p) && w.len() > p.len())
        })
        .map(str::to_owned)
        .collect()
}

fn count_in(page: &str) -> usize {
    let t = text(page);
    let at = t
        .find(" cases")
        .or_else(|| t.find(" case"))
        .expect("a count");
    t[..at]
        .split_whitespace()
        .last()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

fn rows(page: &str) -> usize {
    page.split("id=\"caseload\"").nth(1).map_or(0, |t| {
        t.split("</table>")
            .next()
            .unwrap_or("")
            .matches("<tr>")
            .count()
            - 1
    })
}

async fn gaya_cases(state: &AppState) -> Vec<Case> {
    state
        .with_store(|s| s.cases(Some("Gaya")))
        .await
        .expect("cases")
}

#[tokio::test]
async fn the_caseload_lists_the_users_areas_and_finds_a_child_by_name_village_or_id() {
    let (_tmp, state, cookie) = logged_in("supervisor-gaya").await;
    let all = state.with_store(|s| s.cases(None)).await.expect("cases");
    let gaya: Vec<&Case> = all
        .iter()
        .filter(|c| c.child.address.district == "Gaya")
        .collect();
    let elsewhere = all
        .iter()
        .find(|c| c.child.address.district != "Gaya")
        .expect("a case elsewhere");

    let (s, page, _) = get(&state, "/cases", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(count_in(&page), gaya.len(), "every Gaya case, no other");
    assert_eq!(rows(&page), gaya.len().min(50), "a page of at most 50");
    assert!(!page.contains(&elsewhere.child.name));

    let child = gaya[0];
    for q in [
        child.child.name.clone(),
        child.child.name.to_uppercase(),
        child.id.clone(),
        child.child.address.village.clone(),
    ] {
        let uri = format!("/cases?q={}", q.replace(' ', "+"));
        let (s, page, _) = get(&state, &uri, Some(&cookie)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains(&format!("href=\"/cases/{}\"", child.id)),
            "{q} finds {}",
            child.id
        );
    }
    let uri = format!("/cases?q={}", elsewhere.child.name.replace(' ', "+"));
    let (_, page, _) = get(&state, &uri, Some(&cookie)).await;
    assert!(
        !page.contains(&format!("/cases/{}\"", elsewhere.id)),
        "another district's child is not found"
    );

    // A filter narrows, and its rows say so.
    let (_, page, _) = get(&state, "/cases?risk=high", Some(&cookie)).await;
    let high = count_in(&page);
    assert!(high > 0 && high < gaya.len(), "{high} of {}", gaya.len());
    assert_eq!(rows(&page), high);
    let (_, page, _) = get(&state, "/cases?overdue=yes&claim_days=1", Some(&cookie)).await;
    assert!(count_in(&page) <= gaya.len());
    let (s, page, _) = get(&state, "/cases?risk=severe", Some(&cookie)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(page.contains("severe"), "the bad value is named: {page}");

    let log = state
        .with_store(|s| s.audit_log(Some("supervisor-gaya"), None, 50))
        .await
        .expect("audit");
    assert!(
        log.iter().any(|r| r.action == "case-search"),
        "a search by name is in the audit log"
    );
}

#[tokio::test]
async fn a_fieldworker_gets_no_caseload() {
    let (_tmp, state, cookie) = logged_in("fw-gaya-1").await;
    let (s, _, _) = get(&state, "/cases", Some(&cookie)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn lang_on_any_page_sets_the_session_s_language_and_downloads_do_not() {
    let (_tmp, state, cookie) = logged_in("supervisor-gaya").await;
    let req = |uri: &str, extra: &[(header::HeaderName, &str)]| {
        let mut b = Request::get(uri).header(header::COOKIE, cookie.clone());
        for (k, v) in extra {
            b = b.header(k, *v);
        }
        b.body(Body::empty()).expect("request")
    };
    let (s, set, _, page) = ask(&state, req("/cases?lang=hi", &[])).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<html lang=\"hi\">"), "the page is Hindi");
    assert!(page.contains("केस"), "in Hindi words");
    let lang_cookie = set
        .iter()
        .find(|c| c.starts_with("hw_lang="))
        .expect("the language is kept");
    assert!(lang_cookie.starts_with("hw_lang=hi;"), "{lang_cookie}");

    // The next page, with the cookie and no ?lang, is Hindi; ?lang=en switches back.
    let both = format!("{cookie}; hw_lang=hi");
    let with = |uri: &str| {
        Request::get(uri)
            .header(header::COOKIE, both.clone())
            .body(Body::empty())
            .expect("request")
    };
    let (_, _, _, page) = ask(&state, with("/")).await;
    assert!(page.contains("<html lang=\"hi\">"));
    let (_, set, _, page) = ask(&state, with("/?lang=en")).await;
    assert!(page.contains("<html lang=\"en\">"));
    assert!(set.iter().any(|c| c.starts_with("hw_lang=en;")));

    // Without either, the browser's language.
    let (_, _, _, page) = ask(
        &state,
        req("/", &[(header::ACCEPT_LANGUAGE, "hi-IN,hi;q=0.9,en;q=0.5")]),
    )
    .await;
    assert!(page.contains("<html lang=\"hi\">"));

    // A Hindi report is a file in Hindi: the dashboard's language stays.
    let (s, set, _, _) = ask(&state, req("/reports/gaps?district=Gaya&lang=hi", &[])).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        set.iter().all(|c| !c.starts_with("hw_lang=")),
        "a download sets no language: {set:?}"
    );
}

#[tokio::test]
async fn the_overview_caseload_case_people_programme_reports_and_audit_pages_show_no_message_missing_from_a_catalogue()
 {
    let (_tmp, state, cookie) = logged_in("admin").await;
    let case = &gaya_cases(&state).await[0];
    for lang in ["en", "hi"] {
        for uri in [
            "/".to_owned(),
            "/cases".to_owned(),
            format!("/cases/{}", case.id),
            "/people".to_owned(),
            "/programme".to_owned(),
            "/reports".to_owned(),
            "/gaps".to_owned(),
            "/audit".to_owned(),
            "/login".to_owned(),
        ] {
            let sep = if uri.contains('?') { '&' } else { '?' };
            let (s, page, _) = get(&state, &format!("{uri}{sep}lang={lang}"), Some(&cookie)).await;
            assert_eq!(s, StatusCode::OK, "{uri}");
            assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{uri}");
            assert_eq!(raw_ids(&page), Vec::<String>::new(), "{uri} in {lang}");
        }
    }
}

#[tokio::test]
async fn the_case_page_shows_the_whole_record() {
    let (_tmp, state, cookie) = logged_in("supervisor-gaya").await;
    let cases = gaya_cases(&state).await;
    let full = cases
        .iter()
        .find(|c| {
            !c.legal.summonses.is_empty()
                && c.services.iter().any(|s| s.applied_on.is_some())
                && c.needs.iter().any(|n| !n.history.is_empty())
        })
        .expect("a case with summonses, claims and a need's history");
    let (s, page, _) = get(&state, &format!("/cases/{}", full.id), Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    for id in [
        "needs",
        "services",
        "documents",
        "summonses",
        "visits",
        "follower",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "the {id} section");
    }
    let summons = &full.legal.summonses[0];
    let en = homeward_shared::i18n::Catalogue::new(homeward_shared::i18n::Lang::En);
    assert!(
        page.contains(&en.date(summons.hearing_on)),
        "the hearing date"
    );
    for v in &full.visits {
        assert!(page.contains(&en.date(v.date)), "every visit's date");
    }
    let applied = full
        .services
        .iter()
        .find_map(|s| s.applied_on)
        .expect("applied");
    assert!(
        page.contains(&en.date(applied)),
        "a claim's application day"
    );
}

/// Adds, as the administrator, a second fieldworker in the block of `case`.
async fn second_fieldworker(state: &AppState, admin: &str, case: &Case) -> String {
    let body = format!(
        "name=Sunita+Devi+Test&id=fw-second&role=fieldworker&areas={}%2F{}",
        case.child.address.district.replace(' ', "+"),
        case.child.address.block.replace(' ', "+")
    );
    let (s, _, location, page) = ask(state, post("/people/add", admin, &body)).await;
    assert_eq!(
        (s, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/people")),
        "{page}"
    );
    "fw-second".to_owned()
}

#[tokio::test]
async fn a_supervisor_gives_a_case_to_a_fieldworker_of_its_block_only() {
    let (_tmp, state, admin) = logged_in("admin").await;
    let (_, sup) = login(&state, "supervisor-gaya", "demo").await;
    let sup = sup.expect("a session");
    let cases = gaya_cases(&state).await;
    let case = cases
        .iter()
        .find(|c| c.is_active())
        .expect("an active case");
    let second = second_fieldworker(&state, &admin, case).await;

    let (_, page, _) = get(&state, &format!("/cases/{}", case.id), Some(&sup)).await;
    assert!(page.contains("id=\"assign\""), "the form");
    assert!(
        page.contains("Sunita Devi Test"),
        "offers the block's fieldworker"
    );

    let uri = format!("/cases/{}/assign", case.id);
    let (s, _, location, _) = ask(&state, post(&uri, &sup, &format!("user={second}"))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, Some(format!("/cases/{}", case.id)));
    let holder = state
        .with_store(|s| s.assignees())
        .await
        .expect("assignees")
        .remove(&case.id)
        .map(|(id, _)| id);
    assert_eq!(holder.as_deref(), Some("fw-second"), "the case moved");

    // A fieldworker of another block of Gaya does not work where the child lives.
    let place = (
        case.child.address.district.clone(),
        case.child.address.block.clone(),
    );
    let other = state
        .with_store(move |s| {
            let mut out = None;
            for id in ["fw-gaya-1", "fw-gaya-2"] {
                let u = s.web_user(id)?;
                if !homeward_sync_server::scope::in_areas(&u.areas, &place.0, &place.1) {
                    out = Some(u.id);
                }
            }
            Ok(out)
        })
        .await
        .expect("users")
        .expect("a Gaya fieldworker of another block");
    let (s, _, location, _) = ask(&state, post(&uri, &sup, &format!("user={other}"))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        location,
        Some(format!("/cases/{}?error=assignee-outside", case.id)),
        "refused"
    );
    // Another district's supervisor does not see the case.
    let (_, nawada) = login(&state, "supervisor-nawada", "demo").await;
    let nawada = nawada.expect("the demo has a Nawada supervisor");
    let (s, _, _, _) = ask(&state, post(&uri, &nawada, &format!("user={second}"))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let log = state
        .with_store(|s| s.audit_log(Some("supervisor-gaya"), None, 50))
        .await
        .expect("audit");
    assert!(log.iter().any(|r| r.action == "case-assign"));
}

#[tokio::test]
async fn a_supervisor_gives_a_phone_code_and_revokes_phones_of_their_fieldworkers_only() {
    let (_tmp, state, sup) = logged_in("supervisor-gaya").await;
    let (s, _, _, page) = ask(&state, post("/people/code", &sup, "user=fw-gaya-1")).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let code = page
        .split("<code")
        .nth(1)
        .and_then(|c| c.split('>').nth(1))
        .and_then(|c| c.split('<').next())
        .expect("the code is shown")
        .to_owned();
    let enrolled = state
        .with_store(move |s| s.enrol(&code, &[9, 9, 9], "new phone"))
        .await
        .expect("the code enrols a phone once");
    assert_eq!(enrolled.user_id, "fw-gaya-1");

    let other = state
        .with_store(|s| s.users())
        .await
        .expect("users")
        .into_iter()
        .find(|u| {
            u.user.role == homeward_sync_server::store::Role::Fieldworker
                && u.user.areas.iter().all(|(d, _)| d != "Gaya")
        })
        .expect("a fieldworker elsewhere");
    let body = format!("user={}", other.user.id);
    let (s, _, _, _) = ask(&state, post("/people/code", &sup, &body)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "not theirs: as if missing");

    let device = enrolled.device_id.clone();
    let (s, _, location, _) = ask(
        &state,
        post("/people/revoke", &sup, &format!("device={device}")),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/people?error=revoke-unconfirmed")
    );
    let (s, _, location, _) = ask(
        &state,
        post(
            "/people/revoke",
            &sup,
            &format!("device={device}&confirm=yes"),
        ),
    )
    .await;
    assert_eq!(
        (s, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/people"))
    );
    let revoked = state
        .with_store(|s| s.devices())
        .await
        .expect("devices")
        .into_iter()
        .find(|d| d.id == enrolled.device_id)
        .expect("the phone")
        .revoked_at;
    assert!(revoked.is_some(), "revoked");
    let log = state
        .with_store(|s| s.audit_log(Some("supervisor-gaya"), None, 50))
        .await
        .expect("audit");
    for action in ["device-code", "device-revoke"] {
        assert!(log.iter().any(|r| r.action == action), "{action} audited");
    }
}

#[tokio::test]
async fn an_administrator_adds_and_disables_users_and_a_bad_form_says_why() {
    let (_tmp, state, admin) = logged_in("admin").await;
    let (s, _, _, page) = ask(
        &state,
        post(
            "/people/add",
            &admin,
            "name=Meena+Kumari&role=supervisor&areas=Gaya&password=a-long-password",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (status, cookie) = login(&state, "meena-kumari", "a-long-password").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the new supervisor logs in");
    assert!(cookie.is_some());

    let (s, _, _, page) = ask(
        &state,
        post("/people/add", &admin, "name=X&role=chief&areas=Gaya"),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("no role &#39;chief&#39;") || page.contains("no role 'chief'"),
        "{page}"
    );
    let (s, _, _, page) = ask(
        &state,
        post("/people/add", &admin, "name=Y&role=fieldworker&areas="),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");

    let (s, _, location, _) =
        ask(&state, post("/people/disable", &admin, "user=meena-kumari")).await;
    assert_eq!(
        (s, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/people"))
    );
    let (status, _) = login(&state, "meena-kumari", "a-long-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "disabled");
    let (_, _, location, _) = ask(&state, post("/people/disable", &admin, "user=admin")).await;
    assert_eq!(location.as_deref(), Some("/people?error=not-yourself"));
    let (s, _, _, _) = ask(&state, post("/people/enable", &admin, "user=meena-kumari")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (status, _) = login(&state, "meena-kumari", "a-long-password").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "enabled again");
}

#[tokio::test]
async fn a_threshold_changed_on_the_programme_page_moves_the_case_page_s_next_visit() {
    let (_tmp, state, admin) = logged_in("admin").await;
    let cases = gaya_cases(&state).await;
    let today = homeward_sync_server::today();
    let defaults = homeward_shared::programme::Programme::default();
    // Every interval between visits longer: a visited active case's next visit moves.
    let file = "[visits]\nhigh_days = 10\nmedium_days = 20\nstable_days = 45\n";
    let (s, _, location, page) = ask(
        &state,
        post(
            "/programme",
            &admin,
            &format!("text={}", file.replace('\n', "%0A").replace(' ', "+")),
        ),
    )
    .await;
    assert_eq!(
        (s, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/programme")),
        "{page}"
    );
    let programme = state
        .with_store(|s| s.programme())
        .await
        .expect("programme");
    let next = |c: &Case, p: &homeward_shared::programme::Programme| {
        homeward_shared::prompt::next_visit(c, today, p).map(|n| n.due)
    };
    let (case, after) = cases
        .iter()
        .filter(|c| c.is_active() && !c.visits.is_empty())
        .find_map(|c| {
            let (before, after) = (next(c, &defaults)?, next(c, &programme)?);
            (after > before).then_some((c, after))
        })
        .expect("a case whose next visit the programme moves");
    let en = homeward_shared::i18n::Catalogue::new(homeward_shared::i18n::Lang::En);
    let (_, page, _) = get(&state, &format!("/cases/{}", case.id), Some(&admin)).await;
    let risk_line = page
        .split("id=\"risk\"")
        .nth(1)
        .and_then(|p| p.split("</p>").next())
        .expect("the risk line");
    assert!(
        risk_line.contains(&en.date(after)) || risk_line.contains(&en.due(after, today)),
        "the case page uses the programme in force: {risk_line}"
    );

    // A file that does not read is refused with its line, and nothing changes.
    let (s, _, _, page) = ask(
        &state,
        post(
            "/programme",
            &admin,
            "text=%5Bvisits%5D%0Astable_days+%3D+%22soon%22",
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("line 2"), "names the line: {page}");
    let version = state
        .with_store(|s| s.programme_version())
        .await
        .expect("version")
        .expect("one set");
    assert_eq!(version.version, 1, "the refused file is no version");
}

#[tokio::test]
async fn the_cwc_report_s_summary_is_a_second_csv_of_the_month_s_figures() {
    let (_tmp, state, cookie) = logged_in("cwc-gaya").await;
    let month = homeward_shared::indicators::Month::of(homeward_sync_server::today()).prev();
    let uri = |q: &str| format!("/reports/cwc?district=Gaya&month={month}&{q}");
    let req = |uri: String| {
        Request::get(uri)
            .header(header::COOKIE, cookie.clone())
            .body(Body::empty())
            .expect("request")
    };
    let resp = router(state.clone())
        .oneshot(req(uri("format=csv&part=summary&lang=hi")))
        .await
        .expect("answers");
    assert_eq!(resp.status(), StatusCode::OK);
    let name = resp
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        name.contains(&format!("cwc-gaya-{month}-hi-summary.csv")),
        "{name}"
    );
    let body = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
    assert!(
        body.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    let children = router(state.clone())
        .oneshot(req(uri("format=csv&lang=hi")))
        .await
        .expect("answers");
    let children = to_bytes(children.into_body(), 1 << 22).await.expect("body");
    assert_ne!(body, children, "not the children's file");

    let (s, _, _, page) = ask(&state, req(uri("format=pdf&part=summary"))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{page}");
    let (s, _, _, page) = ask(&state, req(uri("format=csv&part=everything"))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(page.contains("everything"));
}
