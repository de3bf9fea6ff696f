//! The router in process (`oneshot`): health, the OpenAPI document, and the 4xx answers that
//! store nothing.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use homeward_shared::wire::{self, CasePush, Cursor, SyncRequest};
use homeward_sync_server::scope::Area;
use homeward_sync_server::store::{Role, Store};
use homeward_sync_server::{AppState, api_doc, router};
use tower::ServiceExt;

mod attachment_pages;
mod attachments;
mod authz;
mod bundles;
mod caseload;
mod closures;
mod nodes;
mod openapi;
mod pages;
mod programme;
mod referral_pages;
mod referrals;
mod report;
mod resource_pages;
mod resources;
mod scale;
mod serve;
mod sms;
mod sync;
mod web;

/// The store a test runs on at `path`: a SQLite file, or a schema of its own in the PostgreSQL
/// database `HOMEWARD_TEST_POSTGRES` names (`store::testing`). `.ci/run` runs this whole suite
/// both ways.
fn open_store(path: &std::path::Path) -> Result<Store, homeward_sync_server::ApiError> {
    homeward_sync_server::store::testing::open(path, None)
}

use homeward_sync_server::store::testing::{db_arg, db_flag};

fn state() -> (tempfile::TempDir, AppState, String) {
    let tmp = tempfile::tempdir().expect("test step");
    let mut store = open_store(&tmp.path().join("s.db")).expect("test step");
    store
        .add_user(
            "anita",
            Role::Fieldworker,
            &[("Gaya".into(), "Tekari".into())],
            None,
        )
        .expect("test step");
    let code = store.enrolment_code("anita").expect("test step");
    let token = store
        .enrol(&code, &[1, 2, 3], "phone")
        .expect("test step")
        .token;
    (tmp, AppState::new(store), token)
}

async fn send(state: &AppState, req: Request<Body>) -> (StatusCode, String) {
    let resp = router(state.clone()).oneshot(req).await.expect("test step");
    let status = resp.status();
    let body = to_bytes(resp.into_body(), 1 << 20)
        .await
        .expect("test step");
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn sync_req(token: Option<&str>, body: Vec<u8>) -> Request<Body> {
    let mut b = Request::post("/api/v1/sync").header(header::CONTENT_TYPE, wire::CONTENT_TYPE);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.body(Body::from(body)).expect("test step")
}

#[tokio::test]
async fn health_and_the_openapi_document_describe_every_route() {
    let (_tmp, state, _) = state();
    assert_eq!(
        send(
            &state,
            Request::get("/healthz")
                .body(Body::empty())
                .expect("test step")
        )
        .await,
        (StatusCode::OK, "ok".into())
    );
    let (status, body) = send(
        &state,
        Request::get("/api/openapi.json")
            .body(Body::empty())
            .expect("test step"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).expect("test step");
    assert_eq!(body, api_doc::json());
    for path in [
        "/healthz",
        "/api/openapi.json",
        "/api/v1/enrol",
        "/api/v1/sync",
        "/",
        "/login",
        "/logout",
        "/reports/cwc",
        "/reports",
        "/reports/gaps",
        "/audit",
        "/cases/{id}",
        "/spot-checks",
        "/spot-checks/draw",
        "/spot-checks/{id}",
        "/conflicts",
        "/reviews",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}

#[tokio::test]
async fn bad_tokens_bodies_and_codes_get_a_clear_4xx() {
    let (_tmp, state, token) = state();
    let empty = wire::encode(&SyncRequest {
        bundle_seen: 0,
        cursor: Cursor::Start,
        budget: 65536,
        reference_version: 0,
        resources_version: 0,
        push: vec![],
        spot_check_outcomes: Vec::new(),
    });
    let (s, m) = send(&state, sync_req(None, empty.clone())).await;
    assert_eq!(
        (s, m.as_str()),
        (StatusCode::UNAUTHORIZED, "missing bearer token")
    );
    let (s, m) = send(&state, sync_req(Some("nope.nope"), empty.clone())).await;
    assert_eq!(
        (s, m.as_str()),
        (StatusCode::UNAUTHORIZED, "unknown device token")
    );
    let forged = format!(
        "{}.{}",
        token.split('.').next().expect("test step"),
        "0".repeat(32)
    );
    assert_eq!(
        send(&state, sync_req(Some(&forged), empty.clone())).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (s, m) = send(&state, sync_req(Some(&token), b"{\"json\": true}".to_vec())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(m.contains("unknown sync body format"), "{m}");
    let junk_change = wire::encode(&SyncRequest {
        bundle_seen: 0,
        cursor: Cursor::Start,
        budget: 65536,
        reference_version: 0,
        resources_version: 0,
        push: vec![CasePush {
            case_id: "c1".into(),
            changes: vec![vec![1; 20]],
        }],
        spot_check_outcomes: Vec::new(),
    });
    let (s, m) = send(&state, sync_req(Some(&token), junk_change)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(m.contains("case c1: a change is malformed"), "{m}");
    let (s, _) = send(&state, sync_req(Some(&token), empty)).await;
    assert_eq!(s, StatusCode::OK, "the good token still works");

    let enrol = |body: &str| {
        Request::post("/api/v1/enrol")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .expect("test step")
    };
    let (s, m) = send(&state, enrol(r#"{"code":"WRONGCODE1","actor":"0a0b"}"#)).await;
    assert_eq!(
        (s, m.as_str()),
        (
            StatusCode::UNAUTHORIZED,
            "enrolment code unknown, used or expired"
        )
    );
    let (s, _) = send(&state, enrol(r#"{"code":"X","actor":"zz"}"#)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_case_outside_the_scope_is_refused_by_name_and_nothing_is_stored() {
    let (_tmp, state, token) = state();
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 1,
        cases: 12,
        until: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
        months: 6,
    });
    let outside = load
        .cases
        .iter()
        .find(|c| c.profile.child.address.district != "Gaya")
        .expect("a case outside Gaya");
    let mut doc = outside
        .build(automerge::ActorId::from(&[1u8, 2, 3][..]))
        .expect("builds");
    let changes = doc
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let body = wire::encode(&SyncRequest {
        bundle_seen: 0,
        cursor: Cursor::Start,
        budget: 65536,
        reference_version: 0,
        resources_version: 0,
        push: vec![CasePush {
            case_id: outside.profile.case_id.clone(),
            changes,
        }],
        spot_check_outcomes: Vec::new(),
    });
    let resp = router(state.clone())
        .oneshot(sync_req(Some(&token), body))
        .await
        .expect("answers");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        resp.headers()
            .get("homeward-refused-case")
            .and_then(|v| v.to_str().ok()),
        Some(outside.profile.case_id.as_str()),
        "the refused case is named"
    );
    let stats = state.with_store(|s| s.stats()).await.expect("stats");
    assert_eq!((stats.cases, stats.changes), (0, 0), "nothing stored");
}

#[test]
fn a_database_opened_with_a_key_is_encrypted_at_rest_and_refuses_another_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("s.db");
    let mut store = Store::open(&path, Some("correct horse battery")).expect("creates");
    store
        .add_user(
            "Zorawar Qwertyson",
            Role::Supervisor,
            &[("Gaya".into(), String::new())],
            None,
        )
        .expect("user");
    drop(store);
    for entry in std::fs::read_dir(tmp.path()).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        assert!(
            !bytes.windows(9).any(|w| w == b"Qwertyson"),
            "no plain text at rest"
        );
    }
    let err = Store::open(&path, Some("wrong")).expect_err("wrong key");
    assert!(err.to_string().contains("HOMEWARD_DB_KEY"), "{err}");
    assert!(Store::open(&path, None).is_err(), "no key");
    let store = Store::open(&path, Some("correct horse battery")).expect("opens");
    assert_eq!(store.stats().expect("stats").users, 1);
}

/// A store holding 40 synthetic cases of the demo, for the report tests.
fn demo_store(tmp: &tempfile::TempDir) -> Store {
    let mut store = open_store(&tmp.path().join("r.db")).expect("opens");
    homeward_sync_server::demo::fill(
        &mut store,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
        40,
    )
    .expect("demo data");
    store
}

/// The demo registers one child twice (a doubled vowel, a visit of its own), so a supervisor
/// trying the demo finds exactly that pair on `/duplicates` and can merge it.
#[test]
fn the_demo_holds_one_child_registered_twice_and_merging_it_leaves_no_pair() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut store = demo_store(&tmp);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    let cases = store.cases(None).expect("cases");
    let pairs = homeward_sync_server::web::duplicates::likely_pairs(&cases, day);
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let (i, l) = &pairs[0];
    let (keep, other) = (cases[*i].id.clone(), l.case_id.clone());
    assert_eq!(other, format!("{keep}-2"), "the second registration");
    let admin = store.web_user("admin").expect("admin");
    let carried = store.merge_cases(&admin, &keep, &other).expect("merges");
    assert_eq!(carried.visits, 1, "{carried:?}");
    let cases = store.cases(None).expect("cases");
    assert!(homeward_sync_server::web::duplicates::likely_pairs(&cases, day).is_empty());
}

#[test]
fn the_cwc_report_csv_has_every_need_of_every_child_of_the_district_in_both_languages() {
    use homeward_shared::i18n::Lang;
    use homeward_sync_server::report;
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = demo_store(&tmp);
    let month = "2026-10".parse().expect("month");
    let data = report::cwc(&store, &Area::whole("Gaya"), month, month.last_day()).expect("report");
    assert!(!data.children.is_empty(), "Gaya has children in the demo");
    let gaya: Vec<String> = store
        .cases(Some("Gaya"))
        .expect("cases")
        .into_iter()
        .map(|c| c.id)
        .collect();
    for lang in [Lang::En, Lang::Hi] {
        let csv = String::from_utf8(report::csv(&data, lang).expect("csv")).expect("utf-8");
        let csv = csv
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark first, for Excel");
        let lines: Vec<&str> = csv.lines().collect();
        let claims: usize = data.children.iter().map(|c| c.open_claims.len()).sum();
        let referrals: usize = data.children.iter().map(|c| c.referrals.len()).sum();
        assert!(referrals > 0, "the demo's referrals of October");
        assert_eq!(
            lines.len(),
            1 + 7 * data.children.len() + claims + referrals,
            "{lang}: a row per child and need, per claim waiting and per referral"
        );
        for row in &lines[1..] {
            let id = row.split(',').next().expect("id");
            assert!(gaya.iter().any(|g| g == id), "{lang}: {id} is a Gaya case");
            // One date format, day month year, as in the PDF: no ISO date in any cell.
            assert!(
                !row.split(',').any(|f| f.len() == 10
                    && f.as_bytes()[4] == b'-'
                    && f.as_bytes()[7] == b'-'
                    && f.chars().filter(char::is_ascii_digit).count() == 8),
                "{lang}: {row}"
            );
        }
        let first = &data.children[0];
        assert!(csv.contains(&first.name), "{lang}: names the child");
        match lang {
            Lang::En => {
                assert!(
                    lines[0].starts_with("Case,Child,Block,Village,Risk"),
                    "{}",
                    lines[0]
                );
                assert!(csv.contains(",Education,"), "dimension names");
            }
            Lang::Hi => {
                assert!(lines[0].starts_with("मामला,बच्चा,प्रखंड,गाँव"), "{}", lines[0]);
                assert!(csv.contains(",शिक्षा,"), "dimension names in Hindi");
                assert!(
                    !csv.contains("not_assessed"),
                    "no status key leaks into the Hindi report"
                );
            }
        }
    }
}

#[test]
fn the_cwc_report_pdf_is_a4_with_extractable_text_in_english_and_hindi() {
    use homeward_shared::i18n::Lang;
    use homeward_sync_server::report;
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = demo_store(&tmp);
    let month = "2026-10".parse().expect("month");
    let data = report::cwc(&store, &Area::whole("Gaya"), month, month.last_day()).expect("report");
    let prepared = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    for (lang, title, need) in [
        (Lang::En, "CWC monthly progress report", "Education"),
        (
            Lang::Hi,
            "बाल कल्याण समिति के लिए मासिक प्रगति रिपोर्ट",
            "शिक्षा",
        ),
    ] {
        let html = report::html(&data, &Area::whole("Gaya"), lang, prepared);
        let pdf =
            report::pdf(&html).unwrap_or_else(|e| panic!("{e}: install chromium (.ci/run does)"));
        assert!(pdf.starts_with(b"%PDF"), "{lang}: a PDF");
        let file = tmp.path().join(format!("report-{lang}.pdf"));
        std::fs::write(&file, &pdf).expect("write");
        let text = std::process::Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext runs (poppler-utils; .ci/run installs it)");
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains(title),
            "{lang}: the title is extractable: {}",
            &text[..text.len().min(300)]
        );
        assert!(text.contains(need), "{lang}: the needs are extractable");
        // Each child's claims waiting, with the scheme's name in the report's language and
        // the day it was applied for (issue 12: not the day the need's status was set).
        let claim = data
            .children
            .iter()
            .flat_map(|c| &c.open_claims)
            .next()
            .expect("the demo has a claim waiting in Gaya");
        let programme = homeward_shared::programme::Programme::default();
        let c = homeward_shared::i18n::Catalogue::new(lang);
        assert!(
            html.contains(&programme.scheme_name(&claim.scheme, lang.code())),
            "{lang}: the scheme by its name"
        );
        assert!(
            html.contains(&c.date(claim.applied_on)),
            "{lang}: the application day"
        );
        assert!(
            !html.contains(&claim.scheme),
            "{lang}: never the scheme's key"
        );
        assert!(
            !html.contains(&c.text("report-in-progress", &[("date", &c.date(data.as_of))])),
            "{lang}: October is over"
        );
        // The month's facts: each visit with who made it, in the report's language.
        let (child, visit) = data
            .children
            .iter()
            .find_map(|ch| {
                ch.facts.iter().find_map(|f| match f {
                    homeward_shared::indicators::MonthFact::Visit { visit, by, .. } => {
                        Some((ch, (*visit, by.clone())))
                    }
                    _ => None,
                })
            })
            .expect("the demo's Gaya children were visited in October");
        let said = c.text(
            "fact-visit",
            &[
                ("kind", &c.get(&format!("ui-visit-{}", visit.0.key()))),
                ("by", &visit.1),
            ],
        );
        assert!(html.contains(&said), "{lang}: {said} for {}", child.name);
        // The same month made on its 15th stands on the 15th, and says so.
        let mid = month.first_day() + chrono::Days::new(14);
        let early = report::cwc(&store, &Area::whole("Gaya"), month, mid).expect("report");
        assert_eq!(early.as_of, mid);
        let early_html = report::html(&early, &Area::whole("Gaya"), lang, mid);
        assert!(
            early_html.contains(&c.text("report-in-progress", &[("date", &c.date(mid))])),
            "{lang}: a month in progress says so"
        );
        assert!(
            text.contains(&data.children[0].name),
            "{lang}: the children are named"
        );
        let info = std::process::Command::new("pdfinfo")
            .arg(&file)
            .output()
            .expect("pdfinfo runs");
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("(A4)"), "{lang}: A4: {info}");
    }
}

#[test]
fn the_systemic_gaps_csv_counts_claims_and_names_no_child() {
    use homeward_shared::i18n::Lang;
    use homeward_sync_server::report;
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = demo_store(&tmp);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    let cases = store.cases(None).expect("cases");
    let csv = String::from_utf8(report::gaps_csv(&store, None, today, Lang::En).expect("csv"))
        .expect("utf-8");
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first, for Excel")
        .to_owned();
    // The claims waiting, up to the resource map's sections (tested in referral_pages.rs).
    let lines: Vec<&str> = csv
        .lines()
        .take_while(|l| {
            l.trim_end_matches(',')
                != "Children needing help that no active provider of their block gives"
        })
        .collect();
    assert!(
        lines.len() < csv.lines().count(),
        "the resource map's sections follow"
    );
    assert_eq!(
        lines[0],
        "District,Block,Need,Scheme,Waiting for,0-29 days since application,30-89 days since application,90-179 days since application,180+ days since application,Total"
    );
    assert!(lines.len() > 1, "the demo has pending claims");
    // Each row's total as published: the count, or "<3" where a count of 1 or 2 is hidden.
    let rows = homeward_shared::gaps::systemic_gaps(&cases, today);
    assert_eq!(lines.len() - 1, rows.len(), "a line per row");
    for (line, row) in lines[1..].iter().zip(&rows) {
        let cells: Vec<&str> = line.rsplit(',').take(5).collect();
        let (published, total) = row.published();
        let want = |n: Option<u32>| n.map_or_else(|| "<3".to_owned(), |n| n.to_string());
        assert_eq!(cells[0], want(total), "{line}");
        for (cell, n) in cells[1..].iter().rev().zip(published) {
            assert_eq!(*cell, want(n), "{line}");
            assert!(
                !matches!(*cell, "1" | "2"),
                "no count of 1 or 2 leaves: {line}"
            );
        }
    }
    let counted: u32 = rows.iter().map(homeward_shared::gaps::GapRow::total).sum();
    let pending = cases
        .iter()
        .filter(|c| c.is_active())
        .flat_map(|c| &c.services)
        .filter(|s| s.applied_on.is_some_and(|d| d <= today) && s.paid_on.is_none_or(|d| d > today))
        .count();
    assert_eq!(
        usize::try_from(counted).expect("fits"),
        pending,
        "every pending claim is counted once"
    );
    for c in &cases {
        assert!(
            !csv.contains(&c.id) && !csv.contains(&c.child.name),
            "no case id or name"
        );
        assert!(!csv.contains(&c.child.address.village), "no village");
    }
    let hi = String::from_utf8(
        report::gaps_csv(&store, Some(&Area::whole("Gaya")), today, Lang::Hi).expect("csv"),
    )
    .expect("utf-8");
    assert!(
        hi.starts_with("\u{feff}ज़िला,प्रखंड,ज़रूरत,योजना"),
        "{}",
        hi.lines().next().unwrap_or_default()
    );
    // Each section's rows after its title and header.
    let mut section = 0;
    for l in hi.lines().skip(1) {
        match section {
            0 if l.trim_end_matches(',').contains(',') => {
                assert!(l.starts_with("Gaya,"), "only Gaya when asked: {l}");
            }
            0 => section = 1,
            _ if l.starts_with("ज़िला,") || !l.trim_end_matches(',').contains(',') => {}
            _ => assert!(l.starts_with("Gaya,"), "only Gaya when asked: {l}"),
        }
    }
    assert_eq!(section, 1, "the resource map's sections follow");
}

pub(crate) async fn login(
    state: &AppState,
    user: &str,
    password: &str,
) -> (StatusCode, Option<String>) {
    let resp = router(state.clone())
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("user={user}&password={password}")))
                .expect("request"),
        )
        .await
        .expect("answers");
    let cookie = resp
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    (resp.status(), cookie)
}

pub(crate) async fn get(
    state: &AppState,
    uri: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, Option<String>) {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let resp = router(state.clone())
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("answers");
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = to_bytes(resp.into_body(), 1 << 24).await.expect("body");
    (
        status,
        String::from_utf8_lossy(&body).into_owned(),
        location,
    )
}

#[tokio::test]
async fn the_dashboard_is_behind_a_login_and_scoped_to_the_users_district() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(demo_store(&tmp));
    // Not logged in: every page sends to the login form.
    let (s, _, location) = get(&state, "/", None).await;
    assert_eq!(
        (s, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login"))
    );
    let (s, _, _) = get(
        &state,
        "/reports/cwc?district=Gaya&month=2026-10&format=csv",
        None,
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, cookie) = login(&state, "cwc-gaya", "wrong").await;
    assert_eq!((s, cookie), (StatusCode::UNAUTHORIZED, None));

    // A CWC member of Gaya sees Gaya, and Gaya's report, and nothing of Nalanda.
    let (s, cookie) = login(&state, "cwc-gaya", "demo").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let cookie = cookie.expect("a session cookie");
    let (s, body, _) = get(&state, "/", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Gaya") && !body.contains("Nalanda"), "{body}");
    assert!(
        body.contains("Cases due a visit in"),
        "visits against visits due"
    );
    assert!(
        body.contains("<h2>Fieldworkers</h2>") && body.contains("Anita Kumari"),
        "each fieldworker's activity, here Gaya's first fieldworker"
    );
    let (s, csv, _) = get(
        &state,
        "/reports/cwc?district=Gaya&month=2026-10&format=csv&lang=en",
        Some(&cookie),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        csv.starts_with("\u{feff}Case,Child"),
        "{}",
        &csv[..csv.len().min(100)]
    );
    for other in ["Nalanda", "Katihar"] {
        let uri = format!("/reports/cwc?district={other}&month=2026-10&format=csv&lang=en");
        let (s, body, _) = get(&state, &uri, Some(&cookie)).await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "typing another district's URL: {body}"
        );
    }
    let log = state
        .with_store(|s| s.audit_log(Some("cwc-gaya"), None, 10))
        .await
        .expect("audit");
    assert!(log.iter().any(|r| r.action == "report-cwc" && r.detail.as_deref() == Some("Gaya 2026-10 csv en")), "{log:?}");
    assert!(log.iter().any(|r| r.action == "login"));

    // A fieldworker has no dashboard; logging out ends the session.
    let (_, fw) = login(&state, "fw-gaya-1", "demo").await;
    let (s, _, _) = get(&state, "/", fw.as_deref()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let resp = router(state.clone())
        .oneshot(
            Request::post("/logout")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answers");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (s, _, location) = get(&state, "/", Some(&cookie)).await;
    assert_eq!(
        (s, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login")),
        "the session ended"
    );
}

#[test]
fn a_months_spot_checks_are_drawn_once_scoped_to_areas_and_need_a_note_when_not_verified() {
    use homeward_shared::indicators::Month;
    use homeward_shared::spotcheck::Outcome;
    use homeward_sync_server::store::WebUser;
    let tmp = tempfile::tempdir().expect("temp dir");
    // The demo draws last month (October 2026) itself.
    let mut store = demo_store(&tmp);
    let october: Month = "2026-10".parse().expect("month");
    let day = |d: &str| d.parse::<chrono::NaiveDate>().expect("date");
    let err = store
        .draw_spot_checks(october, "admin", day("2026-11-27"))
        .expect_err("a month is drawn once");
    assert!(err.to_string().contains("were drawn on"), "{err}");
    // Issue 12: a month is not drawn before it is over (a draw on the 28th locked out the visits
    // of the 29th and 30th); from the 1st of the next month it is.
    let november: Month = "2026-11".parse().expect("month");
    for on in ["2026-11-28", "2026-11-30"] {
        let err = store
            .draw_spot_checks(november, "admin", day(on))
            .expect_err("the month is not over");
        assert!(err.to_string().contains("not over"), "{on}: {err}");
    }
    store
        .draw_spot_checks(november, "admin", day("2026-12-01"))
        .expect("drawn once the month is over");
    let admin = WebUser {
        id: "admin".into(),
        name: "admin".into(),
        role: Role::Admin,
        areas: vec![],
    };
    let all = store.spot_checks(&admin, Some(october)).expect("list");
    assert!(!all.is_empty());
    // Each fieldworker with a visit in October has min(visits, max(2, 10%)) of them drawn.
    let mut per: std::collections::BTreeMap<&str, usize> = Default::default();
    for c in &all {
        *per.entry(c.fieldworker_id.as_str()).or_default() += 1;
        assert!(c.visit_date.starts_with("2026-10-"), "{}", c.visit_date);
    }
    assert!(per.values().all(|&n| n >= 1));
    let gaya = WebUser {
        id: "supervisor-gaya".into(),
        name: "Gaya".into(),
        role: Role::Supervisor,
        areas: vec![("Gaya".into(), String::new())],
    };
    let mine = store.spot_checks(&gaya, Some(october)).expect("list");
    assert!(!mine.is_empty() && mine.len() < all.len());
    assert!(mine.iter().all(|c| c.district == "Gaya"));
    let other = all
        .iter()
        .find(|c| c.district != "Gaya")
        .expect("another district's check");
    let err = store
        .record_spot_check(&gaya, &other.id, Outcome::Verified, "")
        .expect_err("outside the areas");
    assert!(err.to_string().contains("no spot check"), "{err}");
    let err = store
        .record_spot_check(&gaya, &mine[0].id, Outcome::HasIssues, "  ")
        .expect_err("no note");
    assert!(err.to_string().contains("note"), "{err}");
    let done = store
        .record_spot_check(&gaya, &mine[0].id, Outcome::HasIssues, "nobody came")
        .expect("recorded");
    assert_eq!(done.outcome, Some(Outcome::HasIssues));
    assert_eq!(done.checked_by.as_deref(), Some("supervisor-gaya"));
    let rates = store.discrepancies(&gaya).expect("rates");
    let row = rates
        .iter()
        .find(|r| r.fieldworker_id == mine[0].fieldworker_id)
        .expect("the fieldworker's row");
    assert_eq!(row.counts.has_issues, 1);
    assert_eq!(row.counts.rate(), Some(1.0));
    let log = store
        .audit_log(Some("supervisor-gaya"), Some(&mine[0].case_id), 10)
        .expect("audit");
    assert!(log.iter().any(|a| a.action == "spot-check"));
    // Who changed the case is in the audit log too: the demo's pushes, by device.
    let changes = store
        .audit_log(None, Some(&mine[0].case_id), 50)
        .expect("audit");
    assert!(
        changes.iter().any(|a| a.action == "case-create"
            && a.detail
                .as_deref()
                .is_some_and(|d| d.contains("from device"))),
        "{changes:?}"
    );
}

#[test]
fn assessments_and_closures_wait_for_review_and_a_send_back_needs_a_comment() {
    use homeward_sync_server::store::{Decision, Subject, WebUser};
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = demo_store(&tmp);
    let gaya = WebUser {
        id: "supervisor-gaya".into(),
        name: "Gaya".into(),
        role: Role::Supervisor,
        areas: vec![("Gaya".into(), String::new())],
    };
    let queue = store.review_queue(&gaya).expect("queue");
    assert!(queue.iter().all(|i| i.district == "Gaya"));
    let assessment = queue
        .iter()
        .find(|i| i.subject == Subject::Assessment)
        .expect("an assessment to review")
        .clone();
    assert!(
        !assessment.assessed.is_empty(),
        "the assessed needs are shown"
    );
    let err = store
        .review(
            &gaya,
            &assessment.case_id,
            Subject::Assessment,
            &assessment.subject_ref,
            Decision::SentBack,
            " ",
        )
        .expect_err("no comment");
    assert!(err.to_string().contains("comment"), "{err}");
    store
        .review(
            &gaya,
            &assessment.case_id,
            Subject::Assessment,
            &assessment.subject_ref,
            Decision::SentBack,
            "Health was not assessed: ask the mother.",
        )
        .expect("sent back");
    let again = store.review_queue(&gaya).expect("queue");
    let still = again
        .iter()
        .find(|i| i.subject_ref == assessment.subject_ref)
        .expect("a send-back stays in the queue");
    assert_eq!(
        still.sent_back.as_ref().map(|(c, _, _)| c.as_str()),
        Some("Health was not assessed: ask the mother.")
    );
    store
        .review(
            &gaya,
            &assessment.case_id,
            Subject::Assessment,
            &assessment.subject_ref,
            Decision::Approved,
            "",
        )
        .expect("approved");
    assert!(
        store
            .review_queue(&gaya)
            .expect("queue")
            .iter()
            .all(|i| i.subject_ref != assessment.subject_ref),
        "approved: out of the queue"
    );
    // Approving twice, or a case outside the areas, is "not found".
    assert!(
        store
            .review(
                &gaya,
                &assessment.case_id,
                Subject::Assessment,
                &assessment.subject_ref,
                Decision::Approved,
                ""
            )
            .is_err()
    );
    let admin = WebUser {
        id: "admin".into(),
        name: "admin".into(),
        role: Role::Admin,
        areas: vec![],
    };
    let elsewhere = store
        .review_queue(&admin)
        .expect("queue")
        .into_iter()
        .find(|i| i.district != "Gaya")
        .expect("another district's item");
    let err = store
        .review(
            &gaya,
            &elsewhere.case_id,
            elsewhere.subject,
            &elsewhere.subject_ref,
            Decision::Approved,
            "",
        )
        .expect_err("outside the areas");
    assert!(err.to_string().contains("no case"), "{err}");
}

/// A case of the demo in `district`, and one outside it.
async fn a_case_in_and_out(
    state: &AppState,
    district: &'static str,
) -> (homeward_shared::model::Case, homeward_shared::model::Case) {
    let cases = state.with_store(|s| s.cases(None)).await.expect("cases");
    let inside = cases
        .iter()
        .find(|c| c.child.address.district == district)
        .expect("a case in the district")
        .clone();
    let outside = cases
        .iter()
        .find(|c| c.child.address.district != district)
        .expect("a case elsewhere")
        .clone();
    (inside, outside)
}

#[tokio::test]
async fn a_cwc_member_reads_the_case_pages_and_gaps_of_their_district_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(demo_store(&tmp));
    let (gaya, elsewhere) = a_case_in_and_out(&state, "Gaya").await;
    let (_, cookie) = login(&state, "cwc-gaya", "demo").await;
    let cookie = cookie.expect("a session cookie");

    let (s, page, _) = get(&state, &format!("/cases/{}", gaya.id), Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains(&gaya.child.name), "the child is named");
    assert!(page.contains(&gaya.child.address.village), "the village");
    assert!(
        page.contains("id=\"needs\"") && page.contains("Education"),
        "each need"
    );
    assert!(page.contains("Risk: "), "the risk in force");
    let log = state
        .with_store(move |s| s.audit_log(Some("cwc-gaya"), Some(&gaya.id), 10))
        .await
        .expect("audit");
    assert!(
        log.iter().any(|r| r.action == "case-view"),
        "every view of a case is in the audit log: {log:?}"
    );

    // Another district's case, a missing case and another district's gaps are all not found.
    for uri in [
        format!("/cases/{}", elsewhere.id),
        "/cases/no-such-case".to_owned(),
        format!(
            "/reports/gaps?district={}&lang=en",
            elsewhere.child.address.district
        ),
        "/reports/gaps?district=Nalanda".to_owned(),
    ] {
        let (s, body, _) = get(&state, &uri, Some(&cookie)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "typing {uri}: {body}");
        assert!(
            !body.contains(&elsewhere.child.name),
            "{uri} names no child"
        );
    }
    let log = state
        .with_store(|s| s.audit_log(Some("cwc-gaya"), None, 50))
        .await
        .expect("audit");
    assert!(
        log.iter()
            .all(|r| r.case_id.as_deref() != Some(elsewhere.id.as_str())),
        "a refused view reads nothing"
    );

    // Gaya's gaps: counts only, no child named, audited.
    let (s, csv, _) = get(&state, "/reports/gaps?district=Gaya&lang=en", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK, "{csv}");
    assert!(
        csv.starts_with("\u{feff}District,Block,Need,Scheme"),
        "{csv}"
    );
    // Every row is Gaya's but the resource map's sections' titles and headers.
    let titles = [
        "Children needing help that no active provider of their block gives",
        "District,Block,Need,Providers that would help,Children needing it",
        "Providers whose referrals go unanswered",
        "District,Block,Provider,Kind of provider,Referrals made to it,Unanswered",
        "How long referrals take to be served",
        "District,Block,Kind of provider,Referrals served,Half served within (days)",
    ];
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| l.starts_with("Gaya,") || titles.contains(&l.trim_end_matches(','))),
        "{csv}"
    );
    let cases = state.with_store(|s| s.cases(None)).await.expect("cases");
    for c in &cases {
        assert!(
            !csv.contains(&c.child.name) && !csv.contains(&c.id),
            "the gaps report names no child"
        );
    }
    let (s, _, _) = get(&state, "/reports/gaps?district=Gaya&lang=hi", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = get(&state, "/reports/gaps", Some(&cookie)).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "only an administrator may ask for every district"
    );
    let (s, _, _) = get(&state, "/reports/gaps?district=Gaya&lang=fr", Some(&cookie)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let log = state
        .with_store(|s| s.audit_log(Some("cwc-gaya"), None, 50))
        .await
        .expect("audit");
    assert!(
        log.iter().any(|r| r.action == "report-gaps"
            && r.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("Gaya ") && d.ends_with(" hi"))),
        "{log:?}"
    );

    // The reports page: Gaya's links and charts, nothing of other districts.
    let (s, page, _) = get(&state, "/reports", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("/reports/cwc?district=Gaya&amp;month="),
        "{page}"
    );
    assert!(
        page.contains("/reports/gaps?district=Gaya&amp;lang=hi"),
        "{page}"
    );
    assert!(
        !page.contains("Nalanda") && !page.contains("Katihar"),
        "{page}"
    );
    assert!(
        page.contains("<svg") && page.contains("<title>Active cases by risk per district"),
        "the risk chart"
    );

    // Fieldworkers have no dashboard; nobody reads a case without logging in.
    let (_, fw) = login(&state, "fw-gaya-1", "demo").await;
    for uri in ["/reports", "/reports/gaps?district=Gaya", "/audit"] {
        let (s, _, _) = get(&state, uri, fw.as_deref()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{uri}");
    }
    let (gaya, _) = a_case_in_and_out(&state, "Gaya").await;
    let (s, _, _) = get(&state, &format!("/cases/{}", gaya.id), fw.as_deref()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, location) = get(&state, &format!("/cases/{}", gaya.id), None).await;
    assert_eq!(
        (s, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login"))
    );
}

#[tokio::test]
async fn the_audit_page_is_for_administrators_and_finds_a_case_view() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(demo_store(&tmp));
    let (gaya, _) = a_case_in_and_out(&state, "Gaya").await;
    let (_, sup) = login(&state, "supervisor-gaya", "demo").await;
    let (s, _, _) = get(&state, &format!("/cases/{}", gaya.id), sup.as_deref()).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "a supervisor of the district reads the case"
    );
    let (s, _, _) = get(&state, "/audit", sup.as_deref()).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a supervisor may not search the audit log"
    );
    let (_, cwc) = login(&state, "cwc-gaya", "demo").await;
    let (s, _, _) = get(&state, "/audit", cwc.as_deref()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (_, admin) = login(&state, "admin", "demo").await;
    let (s, page, _) = get(&state, "/audit", admin.as_deref()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"audit-search\""), "the search form");
    assert!(
        page.contains("<td>login</td>"),
        "the newest entries: {page}"
    );
    let (s, page, _) = get(
        &state,
        &format!("/audit?user=&case={}&limit=5", gaya.id),
        admin.as_deref(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let rows = page.matches("<tr><td>").count();
    assert!(rows >= 1, "the supervisor's view: {page}");
    assert_eq!(
        page.matches(&format!(">{}</a></td>", gaya.id)).count(),
        rows,
        "only the case's entries: {page}"
    );
    assert!(
        page.contains("supervisor-gaya") && page.contains("<td>case-view</td>"),
        "{page}"
    );
    let (s, page, _) = get(&state, "/audit?user=cwc-gaya&limit=1", admin.as_deref()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page.matches("<tr><td>").count(), 1, "the limit holds");
    for bad in ["/audit?limit=0", "/audit?limit=many", "/audit?limit=100000"] {
        let (s, _, _) = get(&state, bad, admin.as_deref()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (s, csv, _) = get(&state, "/reports/gaps?lang=en", admin.as_deref()).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "an administrator may ask for every district"
    );
    assert!(csv.starts_with("\u{feff}District,"), "{csv}");
    let (s, page, _) = get(&state, "/reports", admin.as_deref()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("All districts") && page.contains("Nalanda"),
        "{page}"
    );
}

#[test]
fn five_wrong_passwords_lock_a_user_out_even_with_the_right_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = open_store(&tmp.path().join("l.db")).expect("opens");
    store
        .add_user(
            "Meena Supervisor",
            Role::Supervisor,
            &[("Gaya".into(), String::new())],
            Some("right-password"),
        )
        .expect("user");
    let id = "meena-supervisor";
    store.login(id, "right-password").expect("logs in");
    for _ in 0..homeward_sync_server::store::MAX_FAILED_LOGINS {
        let err = store.login(id, "guess").expect_err("wrong");
        assert!(err.to_string().contains("wrong password"), "{err}");
    }
    let err = store.login(id, "right-password").expect_err("locked out");
    assert!(
        err.to_string().contains("too many failed attempts"),
        "{err}"
    );
    // Another user is not affected; the failures are in the audit log.
    assert!(store.login("nobody", "x").is_err());
    let log = store.audit_log(Some(id), None, 20).expect("audit");
    assert_eq!(log.iter().filter(|a| a.action == "login-failed").count(), 5);
}
