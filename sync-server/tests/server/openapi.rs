//! The generated OpenAPI document (`/api/openapi.json`) against the router that serves it:
//! every route is described and every described operation is served; every operation names
//! its 4xx answers, the router's own (408, 413) included; and what axum's extractors really
//! answer for a bad JSON body, form, query or path is what the document says.

use super::open_store;
use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, StatusCode, header};
use homeward_sync_server::store::Role;
use homeward_sync_server::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

use super::{login, state};

/// The served document.
async fn document(state: &AppState) -> Value {
    let resp = router(state.clone())
        .oneshot(
            Request::get("/api/openapi.json")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answers");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let body = to_bytes(resp.into_body(), 1 << 22).await.expect("body");
    serde_json::from_slice(&body).expect("the document is JSON")
}

/// Every (path, method, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, Method, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            out.push((path.clone(), method, op.clone()));
        }
    }
    out
}

/// The path with every `{parameter}` filled in.
fn concrete(path: &str) -> String {
    path.replace("{id}", "no-such-id")
        .replace("{hash}", &"0".repeat(64))
        .replace("{copy}", "no-such-copy")
}

/// The routes the brief of issue 10 lists, each with its methods: the document must describe
/// each of them.
const EXPECTED: &[(&str, &[&str])] = &[
    ("/healthz", &["GET"]),
    ("/api/openapi.json", &["GET"]),
    ("/api/v1/enrol", &["POST"]),
    ("/api/v1/sync", &["POST"]),
    ("/", &["GET"]),
    ("/login", &["GET", "POST"]),
    ("/logout", &["POST"]),
    ("/reports/cwc", &["GET"]),
    ("/reports", &["GET"]),
    ("/reports/gaps", &["GET"]),
    ("/gaps", &["GET"]),
    ("/audit", &["GET"]),
    ("/cases", &["GET"]),
    ("/cases/{id}", &["GET"]),
    ("/cases/{id}/assign", &["POST"]),
    ("/people", &["GET"]),
    ("/people/code", &["POST"]),
    ("/people/revoke", &["POST"]),
    ("/people/add", &["POST"]),
    ("/people/disable", &["POST"]),
    ("/people/enable", &["POST"]),
    ("/programme", &["GET", "POST"]),
    ("/resources", &["GET"]),
    ("/resources/add", &["POST"]),
    ("/resources/{id}/edit", &["POST"]),
    ("/resources/{id}/active", &["POST"]),
    ("/resources/import", &["POST"]),
    ("/conflicts", &["GET", "POST"]),
    ("/api/v1/duplicates", &["POST"]),
    ("/api/v1/sms", &["POST"]),
    ("/api/v1/keys", &["POST"]),
    ("/api/v1/bundles", &["POST"]),
    ("/bundles", &["GET"]),
    ("/bundles/import", &["POST"]),
    ("/bundles/export", &["POST"]),
    ("/api/v1/attachments/{hash}", &["GET", "PUT"]),
    ("/api/v1/attachments/{hash}/status", &["GET"]),
    ("/cases/{id}/pages/{hash}", &["GET"]),
    ("/cases/{id}/copies/{copy}", &["GET"]),
    ("/cases/{id}/copies/{copy}/verify", &["POST"]),
    ("/cases/{id}/copies/{copy}/confirm-withdrawal", &["POST"]),
    ("/duplicates", &["GET"]),
    ("/duplicates/merge", &["POST"]),
    ("/moves", &["GET", "POST"]),
    ("/reviews", &["GET", "POST"]),
    ("/spot-checks", &["GET"]),
    ("/spot-checks/draw", &["POST"]),
    ("/spot-checks/{id}", &["POST"]),
];

#[tokio::test]
async fn the_document_describes_exactly_the_routes_the_router_serves() {
    let (_tmp, state, _) = state();
    let doc = document(&state).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let ops = operations(&doc);
    let mut described: Vec<(String, String)> = ops
        .iter()
        .map(|(p, m, _)| (p.clone(), m.to_string()))
        .collect();
    described.sort();
    let mut expected: Vec<(String, String)> = EXPECTED
        .iter()
        .flat_map(|(p, ms)| ms.iter().map(|m| ((*p).to_owned(), (*m).to_owned())))
        .collect();
    expected.sort();
    assert_eq!(described, expected, "the described operations");

    // Every described operation is served: not the router's fallback (404 with an empty
    // body) and not 405. Without a session or token each answers something of its own.
    for (path, method, _) in &ops {
        let resp = router(state.clone())
            .oneshot(
                Request::builder()
                    .method(method.clone())
                    .uri(concrete(path))
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("answers");
        let status = resp.status();
        let body = to_bytes(resp.into_body(), 1 << 22).await.expect("body");
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert!(
            !(status == StatusCode::NOT_FOUND && body.is_empty()),
            "{method} {path} is served"
        );
    }

    // No method is served beyond the described ones: axum answers 405 to the others.
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
        ] {
            if item.get(method.as_str().to_lowercase()).is_some() {
                continue;
            }
            let resp = router(state.clone())
                .oneshot(
                    Request::builder()
                        .method(method.clone())
                        .uri(concrete(path))
                        .body(Body::empty())
                        .expect("request"),
                )
                .await
                .expect("answers");
            assert_eq!(
                resp.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is not described, so it must not be served"
            );
        }
    }

    // No route bypasses the document: lib.rs registers routes only with `routes!` on the
    // OpenApiRouter (a plain `.route(...)`, `.nest(...)` or `.merge(...)` would serve a path the
    // document does not name).
    let lib = include_str!("../../src/lib.rs");
    for bypass in [
        ".route(",
        ".route_service(",
        ".nest(",
        ".nest_service(",
        ".merge(",
        ".fallback(",
    ] {
        assert!(
            !lib.contains(bypass),
            "lib.rs calls {bypass}...): register the route with routes!(handler) instead"
        );
    }
}

/// A documented status of an operation.
fn documented(op: &Value, status: u16) -> Option<&Value> {
    op["responses"].get(status.to_string())
}

#[tokio::test]
async fn every_operation_names_its_4xx_answers() {
    let (_tmp, state, _) = state();
    let doc = document(&state).await;
    for (path, method, op) in operations(&doc) {
        let at = format!("{method} {path}");
        let statuses: Vec<u16> = op["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .map(|k| k.parse().expect("a numeric status"))
            .collect();
        assert!(statuses.iter().any(|s| (400..500).contains(s)), "{at}");
        // The router's layers answer on every route.
        for status in [408, 413, 500] {
            assert!(statuses.contains(&status), "{at} documents {status}");
        }
        let security: Vec<String> = op["security"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_object)
                    .flat_map(|o| o.keys().cloned())
                    .collect()
            })
            .unwrap_or_default();
        if security.iter().any(|s| s == "device") {
            assert!(statuses.contains(&401), "{at}: a bad token is 401");
        }
        if security.iter().any(|s| s == "session") && path != "/logout" {
            assert!(statuses.contains(&303), "{at}: no session is a redirect");
        }
        if let Some(content) = op["requestBody"]["content"].as_object()
            && (content.contains_key("application/json")
                || content.contains_key("application/x-www-form-urlencoded"))
        {
            assert!(statuses.contains(&415), "{at}: a wrong content type");
            assert!(statuses.contains(&422), "{at}: fields of the wrong shape");
        }
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        // `lang` is read by the page itself, an unknown value ignored: never refused.
        if params
            .iter()
            .any(|p| (p["in"] == "query" && p["name"] != "lang") || p["in"] == "path")
        {
            assert!(
                statuses.contains(&400),
                "{at}: a query or path axum refuses"
            );
        }
        if method == Method::POST && !path.starts_with("/api/") {
            let forbidden = documented(&op, 403).expect("403 from the web guard");
            assert!(
                forbidden["content"].get("text/plain").is_some(),
                "{at}: the web guard's 403 is plain text"
            );
        }
    }
    let components = &doc["components"]["securitySchemes"];
    assert_eq!(components["device"]["scheme"], "bearer");
    assert_eq!(components["session"]["in"], "cookie");
    assert_eq!(components["session"]["name"], "hw_session");
}

/// Sends `req` and checks that its status, and its content type when it has a body, are
/// documented for `method path`; returns the status.
async fn conforming(
    state: &AppState,
    doc: &Value,
    path: &str,
    req: Request<Body>,
) -> (StatusCode, String) {
    let method = req.method().clone();
    let resp = router(state.clone()).oneshot(req).await.expect("answers");
    let status = resp.status();
    let ctype = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_owned());
    let body = to_bytes(resp.into_body(), 1 << 22).await.expect("body");
    let body = String::from_utf8_lossy(&body).into_owned();
    let op = &doc["paths"][path][method.as_str().to_lowercase()];
    let at = format!("{method} {path}");
    let response = documented(op, status.as_u16())
        .unwrap_or_else(|| panic!("{at} answered {status}, which is not documented: {body}"));
    if let Some(ctype) = ctype.filter(|_| !body.is_empty()) {
        assert!(
            response["content"].get(&ctype).is_some(),
            "{at} answered {status} as {ctype}, which is not documented"
        );
    }
    (status, body)
}

fn post(uri: &str, ctype: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post(uri);
    if let Some(c) = ctype {
        b = b.header(header::CONTENT_TYPE, c);
    }
    b.body(Body::from(body.to_owned())).expect("request")
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn axum_s_rejections_are_the_documented_answers() {
    let (_tmp, state, token) = state();
    state
        .with_store(|s| {
            s.add_user(
                "sup",
                Role::Supervisor,
                &[("Gaya".to_owned(), String::new())],
                Some("a-password"),
            )
        })
        .await
        .expect("a supervisor");
    let (_, cookie) = login(&state, "sup", "a-password").await;
    let cookie = cookie.expect("a session");
    // The dashboard's forms and pages check the session first: these are sent logged in.
    let post = |uri: &str, ctype: Option<&str>, body: &str| {
        let mut req = post(uri, ctype, body);
        if !uri.starts_with("/api/") && uri != "/login" {
            req.headers_mut()
                .insert(header::COOKIE, cookie.parse().expect("a header value"));
        }
        req
    };
    let get = |uri: &str| {
        Request::get(uri)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .expect("request")
    };
    let doc = document(&state).await;
    let enrol = "/api/v1/enrol";
    let cases: Vec<(&str, Request<Body>, StatusCode)> = vec![
        // JSON: no content type, not JSON, JSON of the wrong shape, and our own 400 and 401.
        (
            enrol,
            post(enrol, None, "{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            enrol,
            post(enrol, Some("application/json"), "{"),
            StatusCode::BAD_REQUEST,
        ),
        (
            enrol,
            post(enrol, Some("application/json"), "{}"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            enrol,
            post(
                enrol,
                Some("application/json"),
                r#"{"code": 1, "actor": "01"}"#,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            enrol,
            post(
                enrol,
                Some("application/json"),
                r#"{"code": "X", "actor": "zz"}"#,
            ),
            StatusCode::BAD_REQUEST,
        ),
        (
            enrol,
            post(
                enrol,
                Some("application/json"),
                r#"{"code": "X", "actor": "01"}"#,
            ),
            StatusCode::UNAUTHORIZED,
        ),
        // Forms: a wrong content type, a missing field, a value outside an enum.
        (
            "/login",
            post("/login", Some("application/json"), "{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "/login",
            post("/login", Some(FORM), "user=someone"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/login",
            post("/login", Some(FORM), "user=someone&password=wrong"),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "/reviews",
            post(
                "/reviews",
                Some(FORM),
                "case_id=c&subject=bogus&subject_ref=r&decision=approved",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/spot-checks/draw",
            post("/spot-checks/draw", None, "month=2026-01"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "/spot-checks/{id}",
            post("/spot-checks/x", Some(FORM), "note=n"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/conflicts",
            post("/conflicts", Some(FORM), "case_id=c"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/resources/import",
            post("/resources/import", Some(FORM), "text=x"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/resources/{id}/active",
            post("/resources/res-x/active", Some(FORM), ""),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/resources",
            get("/resources?kind=bakery"),
            StatusCode::BAD_REQUEST,
        ),
        // The web guard: a form from another origin.
        (
            "/logout",
            Request::post("/logout")
                .header(header::ORIGIN, "http://elsewhere.example")
                .header(header::HOST, "127.0.0.1:8787")
                .body(Body::empty())
                .expect("request"),
            StatusCode::FORBIDDEN,
        ),
        // A declared length over the route's limit, before the body is read.
        (
            "/healthz",
            Request::get("/healthz")
                .header(header::CONTENT_LENGTH, (1u64 << 30).to_string())
                .body(Body::empty())
                .expect("request"),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        // Sync: no token, a body that is not a sync body.
        (
            "/api/v1/sync",
            post("/api/v1/sync", None, "x"),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "/api/v1/sync",
            Request::post("/api/v1/sync")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from("not a sync body"))
                .expect("request"),
            StatusCode::BAD_REQUEST,
        ),
        // Queries: a required parameter missing, one given twice; a path that is not UTF-8.
        (
            "/reports/cwc",
            get("/reports/cwc?district=Gaya"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/conflicts",
            get("/conflicts?error=a&error=b"),
            StatusCode::BAD_REQUEST,
        ),
        ("/cases/{id}", get("/cases/%FF"), StatusCode::BAD_REQUEST),
        ("/cases", get("/cases?risk=severe"), StatusCode::BAD_REQUEST),
        (
            "/",
            Request::get("/").body(Body::empty()).expect("request"),
            StatusCode::SEE_OTHER,
        ),
    ];
    for (path, req, want) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, body) = conforming(&state, &doc, path, req).await;
        assert_eq!(status, want, "{what}: {body}");
    }
}

/// A store with a fieldworker, a supervisor of Gaya and an administrator, each with the
/// dashboard password `a-password`.
fn staffed() -> (tempfile::TempDir, AppState) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = open_store(&tmp.path().join("s.db")).expect("opens");
    let gaya = [("Gaya".to_owned(), String::new())];
    store
        .add_user("Field Worker", Role::Fieldworker, &gaya, Some("a-password"))
        .expect("user");
    store
        .add_user("Super Visor", Role::Supervisor, &gaya, Some("a-password"))
        .expect("user");
    store
        .add_user("Ad Min", Role::Admin, &[], Some("a-password"))
        .expect("user");
    (tmp, AppState::new(store))
}

#[tokio::test]
async fn the_dashboard_s_answers_to_each_role_are_documented() {
    let (_tmp, state) = staffed();
    let doc = document(&state).await;
    let get = |uri: &str, cookie: &str| {
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request")
    };
    let mut cookies = Vec::new();
    for user in ["field-worker", "super-visor", "ad-min"] {
        let (status, cookie) = login(&state, user, "a-password").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{user} logs in");
        cookies.push(cookie.expect("a session cookie"));
    }
    let [fieldworker, supervisor, admin] = [&cookies[0], &cookies[1], &cookies[2]];
    let cases = [
        ("/", "/", fieldworker, StatusCode::FORBIDDEN),
        ("/", "/", supervisor, StatusCode::OK),
        ("/reports", "/reports", fieldworker, StatusCode::FORBIDDEN),
        ("/reports", "/reports", admin, StatusCode::OK),
        ("/audit", "/audit", supervisor, StatusCode::FORBIDDEN),
        ("/audit", "/audit?limit=0", admin, StatusCode::BAD_REQUEST),
        ("/audit", "/audit?limit=5", admin, StatusCode::OK),
        (
            "/conflicts",
            "/conflicts",
            fieldworker,
            StatusCode::FORBIDDEN,
        ),
        (
            "/conflicts",
            "/conflicts?error=too-long",
            supervisor,
            StatusCode::OK,
        ),
        ("/reviews", "/reviews", supervisor, StatusCode::OK),
        (
            "/spot-checks",
            "/spot-checks?month=13",
            supervisor,
            StatusCode::BAD_REQUEST,
        ),
        ("/spot-checks", "/spot-checks", supervisor, StatusCode::OK),
        (
            "/cases/{id}",
            "/cases/nobody",
            supervisor,
            StatusCode::NOT_FOUND,
        ),
        (
            "/cases/{id}",
            "/cases/nobody",
            fieldworker,
            StatusCode::FORBIDDEN,
        ),
        (
            "/reports/cwc",
            "/reports/cwc?district=Patna&month=2026-01",
            supervisor,
            StatusCode::NOT_FOUND,
        ),
        (
            "/reports/cwc",
            "/reports/cwc?district=Gaya&month=2026-13",
            supervisor,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/reports/cwc",
            "/reports/cwc?district=Gaya&month=2026-01&format=csv",
            supervisor,
            StatusCode::OK,
        ),
        (
            "/reports/gaps",
            "/reports/gaps",
            supervisor,
            StatusCode::BAD_REQUEST,
        ),
        (
            "/reports/gaps",
            "/reports/gaps?district=Gaya&lang=xx",
            supervisor,
            StatusCode::BAD_REQUEST,
        ),
        ("/reports/gaps", "/reports/gaps", admin, StatusCode::OK),
    ];
    for (path, uri, cookie, want) in cases {
        let (status, body) = conforming(&state, &doc, path, get(uri, cookie)).await;
        assert_eq!(status, want, "GET {uri}: {body}");
    }
    let form = |uri: &str, cookie: &str, body: &str| {
        Request::post(uri)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, FORM)
            .body(Body::from(body.to_owned()))
            .expect("request")
    };
    let posts = [
        (
            "/spot-checks/draw",
            form("/spot-checks/draw", supervisor, "month=2026-01"),
            StatusCode::FORBIDDEN,
        ),
        (
            "/spot-checks/draw",
            form("/spot-checks/draw", admin, "month=2026-1x"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/spot-checks/draw",
            form("/spot-checks/draw", admin, "month=2026-01"),
            StatusCode::SEE_OTHER,
        ),
        (
            "/spot-checks/{id}",
            form(
                "/spot-checks/nothing",
                supervisor,
                "outcome=verified&month=2026-01",
            ),
            StatusCode::NOT_FOUND,
        ),
        (
            "/spot-checks/{id}",
            form(
                "/spot-checks/nothing",
                fieldworker,
                "outcome=verified&month=2026-01",
            ),
            StatusCode::FORBIDDEN,
        ),
        (
            "/conflicts",
            form(
                "/conflicts",
                supervisor,
                "case_id=c&path=p&choice=new&value=v",
            ),
            StatusCode::NOT_FOUND,
        ),
        (
            "/reviews",
            form(
                "/reviews",
                supervisor,
                "case_id=c&subject=closure&subject_ref=r&decision=approved",
            ),
            StatusCode::NOT_FOUND,
        ),
        (
            "/logout",
            form("/logout", fieldworker, ""),
            StatusCode::SEE_OTHER,
        ),
    ];
    for (path, req, want) in posts {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, body) = conforming(&state, &doc, path, req).await;
        assert_eq!(status, want, "{what}: {body}");
    }
}
