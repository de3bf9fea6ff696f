//! The dashboard hardened against the adversarial review (issue 10): one scope rule for every
//! page and report, cross-origin forms refused, login abuse bounded, audit times from the
//! server, offboarding, CSV cells that are never formulas, private temporary files, and the
//! smaller findings (outcomes not overwritten, fixed alert messages, security headers, length
//! limits).

use super::open_store;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use homeward_shared::indicators::Month;
use homeward_shared::spotcheck::Outcome;
use homeward_shared::wire::{Cursor, SpotCheckOutcome, SyncRequest};
use homeward_sync_server::scope::Area;
use homeward_sync_server::store::{Decision, Role, Store, WebUser};
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

use super::{demo_store, get, login};

const HOST: &str = "127.0.0.1:8787";

/// The instant now, as the audit log writes it (RFC 3339, UTC).
fn now_rfc3339() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).to_rfc3339()
}

fn supervisor_of(district: &str) -> WebUser {
    WebUser {
        id: format!("supervisor-{}", district.to_lowercase()),
        name: district.into(),
        role: Role::Supervisor,
        areas: vec![(district.into(), String::new())],
    }
}

/// A store with one supervisor of Gaya (password `right-password`) and nothing else.
fn small_store(tmp: &tempfile::TempDir) -> Store {
    let mut store = open_store(&tmp.path().join("small.db")).expect("opens");
    store
        .add_user(
            "Meena Supervisor",
            Role::Supervisor,
            &[("Gaya".into(), String::new())],
            Some("right-password"),
        )
        .expect("user");
    store
}

/// A request's answer: status, headers and body bytes.
struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn answer(app: axum::Router, req: Request<Body>) -> Answer {
    let resp = app.oneshot(req).await.expect("answers");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = to_bytes(resp.into_body(), 1 << 26)
        .await
        .expect("body")
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// A form POST to `uri` with the session `cookie` and extra headers.
fn form(uri: &str, cookie: Option<&str>, headers: &[(&str, &str)], body: String) -> Request<Body> {
    let mut req = Request::post(uri)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::from(body)).expect("request")
}

fn get_req(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(uri).header(header::HOST, HOST);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).expect("request")
}

/// The cells of a CSV document, rows of strings.
fn cells(csv: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv)
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

fn pdf_text(tmp: &tempfile::TempDir, pdf: &[u8]) -> String {
    let file = tmp.path().join("report.pdf");
    std::fs::write(&file, pdf).expect("write");
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils; .ci/run installs it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// Finding 1: block scope.

#[tokio::test]
async fn a_block_scoped_cwc_member_s_cwc_report_and_gaps_csv_hold_only_their_block() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(demo_store(&tmp));
    let (_, admin_cookie) = login(&state, "admin", "demo").await;
    let (s, gaps, _) = get(
        &state,
        "/reports/gaps?district=Gaya&lang=en",
        admin_cookie.as_deref(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let mut blocks: Vec<String> = cells(gaps.as_bytes())
        .into_iter()
        .skip(1)
        .filter(|r| r[0] == "Gaya")
        .map(|r| r[1].clone())
        .collect();
    blocks.dedup();
    assert!(
        blocks.len() >= 2,
        "the demo has claims pending in several blocks of Gaya: {blocks:?}"
    );
    let block = blocks[0].clone();
    let cases = state
        .with_store(|s| s.cases(Some("Gaya")))
        .await
        .expect("cases");
    let (mine, others): (Vec<_>, Vec<_>) = cases
        .into_iter()
        .partition(|c| c.child.address.block == block);
    assert!(!mine.is_empty() && !others.is_empty());
    let b = block.clone();
    state
        .with_store(move |s| {
            s.add_user(
                "CWC Block Member",
                Role::Cwc,
                &[("Gaya".into(), b)],
                Some("block-pass"),
            )
        })
        .await
        .expect("a CWC member of one block");
    let (_, cookie) = login(&state, "cwc-block-member", "block-pass").await;
    let cookie = cookie.expect("logged in");

    // The CWC CSV: only the block's children.
    let csv = answer(
        router(state.clone()),
        get_req(
            "/reports/cwc?district=Gaya&month=2026-10&format=csv&lang=en",
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text());
    let rows = cells(&csv.body);
    assert!(rows.len() > 1, "the block's children are in the report");
    for row in &rows[1..] {
        assert_eq!(row[2], block, "a child of another block: {row:?}");
    }
    for c in &others {
        assert!(
            !csv.text().contains(&c.id),
            "{} of {} is outside the member's block",
            c.id,
            c.child.address.block
        );
    }
    let name = csv.header("content-disposition").unwrap_or_default();
    assert!(
        name.contains(&block.to_lowercase()),
        "the file's name says which block: {name}"
    );

    // The gaps CSV: only the block's rows.
    let gaps = answer(
        router(state.clone()),
        get_req("/reports/gaps?district=Gaya&lang=en", Some(&cookie)),
    )
    .await;
    assert_eq!(gaps.status, StatusCode::OK);
    let rows = cells(&gaps.body);
    assert!(rows.len() > 1, "the block has pending claims");
    for row in &rows[1..] {
        // The resource map's sections' titles and headers (first cell "District") name no
        // block.
        if row[0] == "Gaya" {
            assert_eq!(row[1], block, "another block's row: {row:?}");
        } else {
            assert!(row[1].is_empty() || row[0] == "District", "{row:?}");
        }
    }

    // The PDF: only the block's children, and it says which blocks it covers.
    let pdf = answer(
        router(state.clone()),
        get_req(
            "/reports/cwc?district=Gaya&month=2026-10&format=pdf&lang=en",
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text());
    let text = pdf_text(&tmp, &pdf.body);
    assert!(
        text.contains(&format!("Block: {block}")),
        "the report names its block: {}",
        &text[..text.len().min(600)]
    );
    for c in &others {
        assert!(!text.contains(&c.id), "{} is outside the block", c.id);
    }
    assert!(
        mine.iter().any(|c| text.contains(&c.id)),
        "the block's children are named"
    );
}

// Finding 2: cross-site request forgery.

#[tokio::test]
async fn a_form_post_from_another_origin_is_refused_even_from_another_port_of_the_same_host() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(demo_store(&tmp));
    let (_, cookie) = login(&state, "supervisor-gaya", "demo").await;
    let cookie = cookie.expect("logged in");
    let october: Month = "2026-10".parse().expect("month");
    let gaya = supervisor_of("Gaya");
    let checks = state
        .with_store(move |s| s.spot_checks(&gaya, Some(october)))
        .await
        .expect("checks");
    let id = checks[0].id.clone();
    let uri = format!("/spot-checks/{id}");
    let body = || "outcome=verified&note=&month=2026-10".to_owned();
    for foreign in [
        vec![("origin", "http://127.0.0.1:9999")],
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
        vec![
            ("origin", "http://127.0.0.1:9999"),
            ("sec-fetch-site", "same-site"),
        ],
        vec![("origin", "https://127.0.0.1:8788")],
        vec![("sec-fetch-site", "same-site")],
        vec![("sec-fetch-site", "cross-site")],
        vec![
            ("origin", "http://127.0.0.1:8787"),
            ("sec-fetch-site", "same-site"),
        ],
    ] {
        let a = answer(
            router(state.clone()),
            form(&uri, Some(&cookie), &foreign, body()),
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{foreign:?}: {}", a.text());
    }
    let gaya = supervisor_of("Gaya");
    let id2 = id.clone();
    let check = state
        .with_store(move |s| s.spot_checks(&gaya, None))
        .await
        .expect("checks")
        .into_iter()
        .find(|c| c.id == id2)
        .expect("the check");
    assert_eq!(
        check.outcome, None,
        "nothing was recorded by a foreign page"
    );

    // Logging out and logging in from another origin are refused too.
    let out = answer(
        router(state.clone()),
        form(
            "/logout",
            Some(&cookie),
            &[("origin", "http://127.0.0.1:9999")],
            String::new(),
        ),
    )
    .await;
    assert_eq!(out.status, StatusCode::FORBIDDEN);
    let (s, _, _) = get(&state, "/", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK, "the session is still alive");
    let login_foreign = answer(
        router(state.clone()),
        form(
            "/login",
            None,
            &[("origin", "http://127.0.0.1:9999")],
            "user=supervisor-gaya&password=demo".into(),
        ),
    )
    .await;
    assert_eq!(login_foreign.status, StatusCode::FORBIDDEN);
    assert!(login_foreign.header("set-cookie").is_none(), "no session");
    // Chromium sends `Origin: null` on a same-origin form under a strict referrer policy; its
    // Sec-Fetch-Site decides.
    let login_own = answer(
        router(state.clone()),
        form(
            "/login",
            None,
            &[("origin", "null"), ("sec-fetch-site", "same-origin")],
            "user=supervisor-gaya&password=demo".into(),
        ),
    )
    .await;
    assert_eq!(
        login_own.status,
        StatusCode::SEE_OTHER,
        "{}",
        login_own.text()
    );

    // The dashboard's own page is accepted, by Origin and by Fetch Metadata.
    let own = answer(
        router(state.clone()),
        form(
            &uri,
            Some(&cookie),
            &[
                ("origin", "http://127.0.0.1:8787"),
                ("sec-fetch-site", "same-origin"),
            ],
            body(),
        ),
    )
    .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.text());
    let gaya = supervisor_of("Gaya");
    let check = state
        .with_store(move |s| s.spot_checks(&gaya, None))
        .await
        .expect("checks")
        .into_iter()
        .find(|c| c.id == id)
        .expect("the check");
    assert_eq!(check.outcome, Some(Outcome::Verified));
}

#[tokio::test]
async fn the_enrol_and_sync_api_takes_no_origin_check() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(small_store(&tmp));
    let a = answer(
        router(state),
        Request::post("/api/v1/enrol")
            .header(header::HOST, HOST)
            .header("origin", "http://evil.example")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"code":"NOPE","actor":"0102"}"#))
            .expect("request"),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::UNAUTHORIZED,
        "the enrolment code is checked, not an origin: {}",
        a.text()
    );
}

// Finding 3: login abuse.

#[tokio::test]
async fn an_oversized_user_id_is_refused_and_writes_nothing_to_the_audit_log() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(small_store(&tmp));
    let huge = "a".repeat(60_000);
    let a = answer(
        router(state.clone()),
        form("/login", None, &[], format!("user={huge}&password=x")),
    )
    .await;
    assert!(a.status.is_client_error(), "{}", a.status);
    assert!(
        !a.text().contains(&huge),
        "the id is not echoed back in full"
    );
    let log = state
        .with_store(|s| s.audit_log(None, None, 1000))
        .await
        .expect("audit");
    assert!(
        log.iter().all(|r| r.user_id.len() <= 64),
        "an id no user can have is not written to the audit log"
    );
}

#[tokio::test]
async fn a_form_body_over_64_kib_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(small_store(&tmp));
    let a = answer(
        router(state),
        form(
            "/login",
            None,
            &[],
            format!("user=meena-supervisor&password={}", "p".repeat(70_000)),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
}

#[test]
fn an_unknown_user_id_costs_a_login_as_much_time_as_a_known_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = small_store(&tmp);
    for name in ["Second Supervisor", "Third Supervisor"] {
        store
            .add_user(
                name,
                Role::Supervisor,
                &[("Gaya".into(), String::new())],
                Some("right-password"),
            )
            .expect("user");
    }
    let known = ["meena-supervisor", "second-supervisor", "third-supervisor"];
    let (mut unknown_ms, mut known_ms) = (Vec::new(), Vec::new());
    // Interleaved, so both see the same load; at most two failures per known id (no lockout).
    for i in 0..6 {
        let t = Instant::now();
        assert!(store.login(&format!("nobody-{i}"), "guess").is_err());
        unknown_ms.push(t.elapsed());
        let t = Instant::now();
        assert!(store.login(known[i % 3], "guess").is_err());
        known_ms.push(t.elapsed());
    }
    unknown_ms.sort();
    known_ms.sort();
    let (u, k) = (unknown_ms[3], known_ms[3]);
    eprintln!("median login: unknown id {u:?}, known id with a wrong password {k:?}");
    assert!(
        u * 3 >= k,
        "an unknown id must not answer much faster than a known one (unknown {u:?}, known {k:?}): \
         timing would tell which ids exist"
    );
}

fn from(ip: [u8; 4], mut req: Request<Body>) -> Request<Body> {
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
    req
}

#[tokio::test(start_paused = true)]
async fn login_attempts_are_limited_per_client_address_and_overall() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(small_store(&tmp));
    let app = router(state);
    let attempt = |ip: [u8; 4], n: u32| {
        let app = app.clone();
        async move {
            answer(
                app,
                from(
                    ip,
                    form(
                        "/login",
                        None,
                        &[],
                        format!("user=guess-{n}&password=wrong"),
                    ),
                ),
            )
            .await
        }
    };
    // Ten failed attempts a minute from one address.
    for n in 0..10 {
        assert_eq!(
            attempt([10, 0, 0, 1], n).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = attempt([10, 0, 0, 1], 10).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.text()
    );
    assert!(
        limited.header("retry-after").is_some(),
        "says when to retry"
    );
    let right = answer(
        app.clone(),
        from(
            [10, 0, 0, 1],
            form(
                "/login",
                None,
                &[],
                "user=meena-supervisor&password=right-password".into(),
            ),
        ),
    )
    .await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the limit holds before any password is checked"
    );
    // Successful logins are not counted: an office behind one address logs in all morning.
    for _ in 0..12 {
        let ok = answer(
            app.clone(),
            from(
                [10, 0, 0, 50],
                form(
                    "/login",
                    None,
                    &[],
                    "user=meena-supervisor&password=right-password".into(),
                ),
            ),
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    }
    // Another address is not limited by the first one's attempts...
    assert_eq!(
        attempt([10, 0, 0, 2], 11).await.status,
        StatusCode::UNAUTHORIZED
    );
    // ...but all addresses together get thirty failures a minute (a spray over many ids from
    // many addresses is slowed too).
    for i in 3..22u8 {
        assert_eq!(
            attempt([10, 0, 0, i], 100 + u32::from(i)).await.status,
            StatusCode::UNAUTHORIZED,
            "attempt from 10.0.0.{i}"
        );
    }
    assert_eq!(
        attempt([10, 0, 0, 99], 200).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the overall limit"
    );
    // A minute later, the address may try again.
    tokio::time::advance(Duration::from_secs(61)).await;
    assert_eq!(
        attempt([10, 0, 0, 1], 300).await.status,
        StatusCode::UNAUTHORIZED
    );
}

// Finding 4: audit times.

/// A supervisor of Gaya's phone, enrolled in `store`.
fn supervisor_phone(store: &mut Store) -> homeward_sync_server::store::DeviceAuth {
    let code = store.enrolment_code("supervisor-gaya").expect("code");
    let token = store
        .enrol(&code, &[7, 7, 7, 7], "supervisor phone")
        .expect("enrols")
        .token;
    store.authenticate(&token).expect("a device")
}

fn outcomes_request(outcomes: Vec<SpotCheckOutcome>) -> SyncRequest {
    SyncRequest {
        bundle_seen: 0,
        cursor: Cursor::Start,
        budget: 65_536,
        reference_version: 0,
        resources_version: 0,
        push: vec![],
        spot_check_outcomes: outcomes,
    }
}

#[test]
fn a_phone_s_spot_check_outcome_is_audited_at_the_server_s_time_with_the_phone_s_time_as_detail() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = demo_store(&tmp);
    let phone = supervisor_phone(&mut store);
    let october: Month = "2026-10".parse().expect("month");
    let checks = store
        .spot_checks(&supervisor_of("Gaya"), Some(october))
        .expect("checks");
    assert!(checks.len() >= 3, "the demo drew at least three in Gaya");
    let start = now_rfc3339();
    let decided = (chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        - chrono::Duration::hours(2))
    .to_rfc3339();
    let times = [
        "1999-01-01T00:00:00Z",
        "yesterday at noon",
        decided.as_str(),
    ];
    let outcomes = checks
        .iter()
        .zip(times)
        .map(|(c, at)| SpotCheckOutcome {
            id: c.id.clone(),
            outcome: Outcome::Verified,
            note: String::new(),
            at: at.to_owned(),
        })
        .collect();
    let resp = store
        .sync(&phone, &outcomes_request(outcomes))
        .expect("syncs");
    assert!(
        resp.spot_check_results.iter().all(|(_, r)| r.is_none()),
        "each outcome is recorded, whatever the phone's clock: {:?}",
        resp.spot_check_results
    );
    let log = store
        .audit_log(Some("supervisor-gaya"), None, 50)
        .expect("audit");
    for (c, at) in checks.iter().zip(times) {
        let row = log
            .iter()
            .find(|r| r.action == "spot-check" && r.case_id.as_deref() == Some(c.case_id.as_str()))
            .expect("audited");
        assert!(
            row.at >= start,
            "the audit time is the server's, not the phone's {at}: {}",
            row.at
        );
        let detail = row.detail.as_deref().unwrap_or_default();
        if at == decided {
            assert!(
                detail.contains(&decided[..16]),
                "a plausible phone time is kept as detail: {detail}"
            );
        } else {
            assert!(
                !detail.contains(at),
                "an implausible phone time is not kept as if true: {detail}"
            );
            assert!(detail.contains("phone"), "{detail}");
        }
    }
    for c in store
        .spot_checks(&supervisor_of("Gaya"), Some(october))
        .expect("checks")
        .iter()
        .filter(|c| checks[..3].iter().any(|x| x.id == c.id))
    {
        assert!(
            c.checked_at.as_deref().is_some_and(|t| *t >= *start),
            "recorded at the server's time: {:?}",
            c.checked_at
        );
    }
}

// Finding 5: offboarding.

fn server(db: &Path, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"))
        .arg("--db")
        .arg(super::db_flag(db))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary runs");
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .as_mut()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("writes");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("finishes");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_disabled_user_can_neither_log_in_nor_sync_and_loses_their_sessions_and_devices() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("off.db");
    let (ok, _, err) = server(
        &db,
        &[
            "user",
            "add",
            "Leaving Supervisor",
            "--role",
            "supervisor",
            "--district",
            "Gaya",
            "--password-stdin",
        ],
        Some("leaving-pass\n"),
    );
    assert!(ok, "{err}");
    let id = "leaving-supervisor";
    let (session, device, unused_code) = {
        let mut store = open_store(&db).expect("opens");
        let (session, _) = store.login(id, "leaving-pass").expect("logs in");
        let code = store.enrolment_code(id).expect("code");
        let device = store
            .enrol(&code, &[4, 4, 4], "phone")
            .expect("enrols")
            .token;
        (session, device, store.enrolment_code(id).expect("code"))
    };
    let (ok, out, err) = server(&db, &["user", "disable", id], None);
    assert!(ok, "{err}");
    assert!(out.contains(id), "{out}");
    let mut store = open_store(&db).expect("opens");
    assert!(store.session(&session).is_err(), "the session ended");
    assert!(
        store.login(id, "leaving-pass").is_err(),
        "a disabled user cannot log in"
    );
    assert!(
        matches!(
            store.authenticate(&device),
            Err(homeward_sync_server::ApiError::Revoked { .. })
        ),
        "the device is revoked: its next sync wipes it"
    );
    assert!(
        store.enrol(&unused_code, &[5, 5, 5], "phone").is_err(),
        "an enrolment code given before does not work"
    );
    assert!(
        store.enrolment_code(id).is_err(),
        "no new enrolment code for a disabled user"
    );
    let log = store.audit_log(Some(id), None, 20).expect("audit");
    assert!(
        store
            .audit_log(None, None, 50)
            .expect("audit")
            .iter()
            .any(|r| r.action == "user-disable"
                && r.detail.as_deref().is_some_and(|d| d.contains(id))),
        "{log:?}"
    );
    let (ok, _, err) = server(&db, &["user", "disable", "nobody-such"], None);
    assert!(!ok && err.contains("nobody-such"), "{err}");
}

#[test]
fn a_new_password_ends_the_user_s_sessions_and_replaces_the_old_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("pw.db");
    drop(small_store_at(&db));
    let id = "meena-supervisor";
    let session = open_store(&db)
        .expect("opens")
        .login(id, "right-password")
        .expect("logs in")
        .0;
    let (ok, out, err) = server(&db, &["user", "password", id], Some("a-new-password\n"));
    assert!(ok, "{err}");
    assert!(out.contains(id), "{out}");
    let mut store = open_store(&db).expect("opens");
    assert!(store.session(&session).is_err(), "the old session ended");
    assert!(
        store.login(id, "right-password").is_err(),
        "the old password"
    );
    assert!(
        store.login(id, "a-new-password").is_ok(),
        "the new password"
    );
    let (ok, _, err) = server(&db, &["user", "password", id], Some("abc\n"));
    assert!(!ok && err.contains("at least"), "too short: {err}");
}

fn small_store_at(db: &Path) -> Store {
    let mut store = open_store(db).expect("opens");
    store
        .add_user(
            "Meena Supervisor",
            Role::Supervisor,
            &[("Gaya".into(), String::new())],
            Some("right-password"),
        )
        .expect("user");
    store
}

#[test]
fn revoking_a_device_ends_its_user_s_dashboard_sessions() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = small_store(&tmp);
    let (session, _) = store
        .login("meena-supervisor", "right-password")
        .expect("logs in");
    let code = store.enrolment_code("meena-supervisor").expect("code");
    let device = store.enrol(&code, &[3, 3, 3], "phone").expect("enrols");
    store.revoke(&device.device_id).expect("revoked");
    assert!(
        store.session(&session).is_err(),
        "a lost phone's browser may hold a dashboard session: it ends with the device"
    );
}

// Finding 6: CSV formula injection.

#[test]
fn csv_cells_that_a_spreadsheet_would_read_as_formulas_are_neutralised() {
    use homeward_shared::i18n::Lang;
    use homeward_shared::synth::{self, Options};
    use homeward_sync_server::report;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(&tmp.path().join("f.db")).expect("opens");
    store
        .add_user("root", Role::Admin, &[], None)
        .expect("admin");
    let code = store.enrolment_code("root").expect("code");
    let actor = vec![0xab, 0xcd];
    let token = store.enrol(&code, &actor, "laptop").expect("enrols").token;
    let device = store.authenticate(&token).expect("device");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    let load = synth::caseload(Options {
        seed: 11,
        cases: 12,
        until: today,
        months: 12,
    });
    let evil = [
        "=HYPERLINK(\"http://evil.example\",\"open\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\tindent",
        "\rreturn",
    ];
    for (i, mut sc) in load.cases.into_iter().enumerate() {
        sc.profile.child.name = evil[i % evil.len()].to_owned();
        sc.profile.child.address.village = evil[(i + 1) % evil.len()].to_owned();
        sc.profile.child.address.block = "=cmd|' /C calc'!A0".to_owned();
        // The device signs as its own user: the server refuses any other signature.
        let me = homeward_shared::model::Author {
            user_id: device.user_id.clone(),
            name: device.user_name.clone(),
        };
        sc.registered.author = me.clone();
        for (ctx, _) in &mut sc.edits {
            ctx.author = me.clone();
        }
        let mut doc = sc
            .build(automerge::ActorId::from(actor.as_slice()))
            .expect("builds");
        let changes = doc
            .get_changes(&[])
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect();
        store
            .push_as(
                &device,
                &[homeward_shared::wire::CasePush {
                    case_id: sc.profile.case_id.clone(),
                    changes,
                }],
            )
            .expect("stored");
    }
    let district = store.cases(None).expect("cases")[0]
        .child
        .address
        .district
        .clone();
    let dangerous = |cell: &str| cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let month: Month = "2026-10".parse().expect("month");
    let cwc = report::csv(
        &report::cwc(&store, &Area::whole(&district), month, month.last_day()).expect("report"),
        Lang::En,
    )
    .expect("csv");
    let gaps = report::gaps_csv(&store, None, today, Lang::En).expect("csv");
    for (what, csv) in [("cwc", cwc), ("gaps", gaps)] {
        let rows = cells(&csv);
        assert!(rows.len() > 1, "{what}: rows");
        for row in &rows {
            for cell in row {
                assert!(!dangerous(cell), "{what}: a formula cell: {cell:?}");
            }
        }
        let text = String::from_utf8(csv).expect("utf-8");
        assert!(
            text.contains("'=cmd|"),
            "{what}: the text is kept, behind a quote"
        );
    }
}

// Finding 7: the report's temporary files.

#[test]
fn the_report_s_temporary_html_sits_in_a_private_folder_that_is_removed_after_use() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    drop(demo_store(&tmp));
    let db = tmp.path().join("r.db");
    let record = tmp.path().join("record");
    let temp = tmp.path().join("temp");
    std::fs::create_dir_all(&record).expect("dir");
    std::fs::create_dir_all(&temp).expect("dir");
    // World-readable unless the server says otherwise.
    std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let fake = tmp.path().join("fake-chromium");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${a#--print-to-pdf=}\";; file://*) in=\"${a#file://}\";; esac; done\n\
         dir=$(dirname \"$in\")\nstat -c %a \"$dir\" > \"$RECORD/dir-mode\"\nstat -c %a \"$in\" > \"$RECORD/file-mode\"\necho \"$dir\" > \"$RECORD/dir\"\n\
         printf '%%PDF-1.4 fake' > \"$out\"\n",
    )
    .expect("script");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = tmp.path().join("out.pdf");
    let status = Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"))
        .arg("--db")
        .arg(super::db_flag(&db))
        .args([
            "report",
            "cwc",
            "--district",
            "Gaya",
            "--month",
            "2026-10",
            "--format",
            "pdf",
            "-o",
        ])
        .arg(&out)
        .env("HOMEWARD_CHROMIUM", &fake)
        .env("TMPDIR", &temp)
        .env("RECORD", &record)
        .status()
        .expect("runs");
    assert!(status.success());
    let read = |f: &str| {
        std::fs::read_to_string(record.join(f))
            .expect("the fake chromium ran")
            .trim()
            .to_owned()
    };
    assert_eq!(
        read("dir-mode"),
        "700",
        "only the server's user opens the folder"
    );
    let file_mode = u32::from_str_radix(&read("file-mode"), 8).expect("octal");
    assert_eq!(
        file_mode & 0o077,
        0,
        "the HTML is readable by its owner only"
    );
    let dir = std::path::PathBuf::from(read("dir"));
    assert!(
        dir.starts_with(&temp),
        "in the temporary folder: {}",
        dir.display()
    );
    assert!(!dir.exists(), "removed after use");
    assert_eq!(
        std::fs::read_dir(&temp).expect("dir").count(),
        0,
        "nothing is left behind"
    );
    // A report made on the server's command line is in the audit log too (issue 12).
    let store = open_store(&db).expect("opens");
    let audit = store
        .audit_log(Some("command-line"), None, 10)
        .expect("audit");
    assert!(
        audit.iter().any(|r| r.action == "report-cwc"
            && r.detail
                .as_deref()
                .is_some_and(|d| d.starts_with("Gaya 2026-10 pdf"))),
        "{audit:?}"
    );
}

// Finding 8: the smaller findings.

#[test]
fn a_recorded_spot_check_outcome_is_not_overwritten_from_the_dashboard_nor_from_a_phone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = demo_store(&tmp);
    let gaya = supervisor_of("Gaya");
    let october: Month = "2026-10".parse().expect("month");
    let check = store.spot_checks(&gaya, Some(october)).expect("checks")[0].clone();
    store
        .record_spot_check(&gaya, &check.id, Outcome::Verified, "")
        .expect("recorded");
    let err = store
        .record_spot_check(&gaya, &check.id, Outcome::HasIssues, "changed my mind")
        .expect_err("a second, different outcome is refused");
    assert_eq!(err.status(), StatusCode::CONFLICT, "{err}");
    assert!(err.to_string().contains("already"), "{err}");
    // The same outcome again (a retried sync) is not an error.
    store
        .record_spot_check(&gaya, &check.id, Outcome::Verified, "")
        .expect("the same outcome again is accepted");
    let phone = supervisor_phone(&mut store);
    let resp = store
        .sync(
            &phone,
            &outcomes_request(vec![SpotCheckOutcome {
                id: check.id.clone(),
                outcome: Outcome::CouldNotVerify,
                note: "nobody home".into(),
                at: now_rfc3339(),
            }]),
        )
        .expect("syncs");
    let reason = resp.spot_check_results[0].1.clone();
    assert!(
        reason.as_deref().is_some_and(|r| r.contains("already")),
        "the phone is told why: {reason:?}"
    );
    let now = store
        .spot_checks(&gaya, Some(october))
        .expect("checks")
        .into_iter()
        .find(|c| c.id == check.id)
        .expect("the check");
    assert_eq!(
        now.outcome,
        Some(Outcome::Verified),
        "the first outcome stands"
    );
    let recorded = store
        .audit_log(Some("supervisor-gaya"), Some(&check.case_id), 20)
        .expect("audit")
        .iter()
        .filter(|r| r.action == "spot-check")
        .count();
    assert_eq!(recorded, 1, "one outcome, audited once");
}

#[tokio::test]
async fn the_alert_box_shows_only_the_dashboard_s_own_messages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(demo_store(&tmp));
    let (_, cookie) = login(&state, "supervisor-gaya", "demo").await;
    let lie = "Your+session+expired%3A+send+your+password+to+help%40evil.example";
    for page in ["/conflicts", "/reviews", "/spot-checks"] {
        let (s, body, _) = get(&state, &format!("{page}?error={lie}"), cookie.as_deref()).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            !body.contains("send your password") && !body.contains("role=\"alert\""),
            "{page} shows text from its address"
        );
    }
    let (_, body, _) = get(&state, "/reviews?error=comment-needed", cookie.as_deref()).await;
    assert!(
        body.contains("role=\"alert\">Say in the comment what the fieldworker should do"),
        "a known code shows its message"
    );
}

#[tokio::test]
async fn every_dashboard_page_and_download_carries_the_security_headers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(demo_store(&tmp));
    let (_, cookie) = login(&state, "supervisor-gaya", "demo").await;
    let case = state
        .with_store(|s| s.cases(Some("Gaya")))
        .await
        .expect("cases")[0]
        .id
        .clone();
    for (uri, with_cookie) in [
        ("/login".to_owned(), false),
        ("/".to_owned(), true),
        ("/reports".to_owned(), true),
        ("/spot-checks".to_owned(), true),
        ("/conflicts".to_owned(), true),
        ("/reviews".to_owned(), true),
        (format!("/cases/{case}"), true),
        (
            "/reports/cwc?district=Gaya&month=2026-10&format=csv&lang=en".to_owned(),
            true,
        ),
        ("/reports/gaps?district=Gaya&lang=en".to_owned(), true),
        ("/audit".to_owned(), true),
    ] {
        let a = answer(
            router(state.clone()),
            get_req(&uri, if with_cookie { cookie.as_deref() } else { None }),
        )
        .await;
        let csp = a.header("content-security-policy").unwrap_or_default();
        for directive in [
            "default-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{uri}: {directive} in {csp:?}");
        }
        assert!(
            !csp.contains("script-src"),
            "{uri}: no script at all: {csp}"
        );
        assert_eq!(a.header("x-frame-options"), Some("DENY"), "{uri}");
        assert_eq!(a.header("x-content-type-options"), Some("nosniff"), "{uri}");
        assert_eq!(a.header("cache-control"), Some("no-store"), "{uri}");
        assert_eq!(a.header("referrer-policy"), Some("same-origin"), "{uri}");
    }
}

#[tokio::test]
async fn names_ids_passwords_device_names_comments_notes_and_values_have_length_limits() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = demo_store(&tmp);
    let long = |n: usize| "x".repeat(n);
    let area = [("Gaya".to_owned(), String::new())];
    for (what, result) in [
        (
            "name",
            store.add_user(&long(12_000), Role::Supervisor, &area, None),
        ),
        (
            "id",
            store.add_user_with_id(Some(&long(200)), "A Name", Role::Supervisor, &area, None),
        ),
        (
            "password",
            store.add_user("Long Password", Role::Supervisor, &area, Some(&long(5_000))),
        ),
    ] {
        let Err(err) = result else {
            panic!("a {what} over the limit was accepted")
        };
        assert_eq!(err.status(), StatusCode::BAD_REQUEST, "{what}: {err}");
        assert!(err.to_string().contains("at most"), "{what}: {err}");
    }
    let code = store.enrolment_code("supervisor-gaya").expect("code");
    let Err(err) = store.enrol(&code, &[8, 8, 8], &long(10_000)) else {
        panic!("a device name over the limit was accepted")
    };
    assert!(err.to_string().contains("at most"), "{err}");
    let gaya = supervisor_of("Gaya");
    let item = store.review_queue(&gaya).expect("queue")[0].clone();
    let err = store
        .review(
            &gaya,
            &item.case_id,
            item.subject,
            &item.subject_ref,
            Decision::SentBack,
            &long(100_000),
        )
        .expect_err("a comment");
    assert!(err.to_string().contains("at most"), "{err}");
    let october: Month = "2026-10".parse().expect("month");
    let check = store.spot_checks(&gaya, Some(october)).expect("checks")[0].clone();
    let err = store
        .record_spot_check(&gaya, &check.id, Outcome::HasIssues, &long(100_000))
        .expect_err("a note");
    assert!(err.to_string().contains("at most"), "{err}");

    // A value typed on the dashboard's conflict form.
    let state = AppState::new(store);
    let (_, cookie) = login(&state, "supervisor-gaya", "demo").await;
    let queue = state
        .with_store(|s| s.conflict_queue(&supervisor_of("Gaya")))
        .await
        .expect("queue");
    let c = &queue[0];
    let a = answer(
        router(state.clone()),
        form(
            "/conflicts",
            cookie.as_deref(),
            &[],
            format!(
                "case_id={}&path={}&choice=new&value={}",
                c.case_id,
                c.path,
                long(20_000)
            ),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.header("location"),
        Some("/conflicts?error=too-long"),
        "refused for its length"
    );
}

/// Behind TLS the session cookie is `Secure` (a browser never sends it over plain HTTP, where
/// anyone on the network would read it); on the loopback demo it is not, and logout clears it
/// with the same attributes.
#[tokio::test]
async fn behind_tls_the_session_cookie_is_sent_over_https_only() {
    for secure in [false, true] {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut state = AppState::new(small_store(&tmp));
        if secure {
            state = state.with_secure_cookies();
        }
        let login = answer(
            router(state.clone()),
            form(
                "/login",
                None,
                &[("origin", &format!("http://{HOST}"))],
                "user=meena-supervisor&password=right-password".into(),
            ),
        )
        .await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text());
        let cookie = login
            .header("set-cookie")
            .expect("a session cookie")
            .to_owned();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
        let session = cookie.split(';').next().expect("name=value").to_owned();
        let out = answer(
            router(state),
            form(
                "/logout",
                Some(&session),
                &[("origin", &format!("http://{HOST}"))],
                String::new(),
            ),
        )
        .await;
        let cleared = out.header("set-cookie").expect("cleared").to_owned();
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        assert_eq!(cleared.contains("; Secure"), secure, "{cleared}");
    }
}
