//! The router in process (`oneshot`): health, the OpenAPI document, and the 4xx answers that
//! store nothing.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use homeward_shared::wire::{self, CasePush, Cursor, SyncRequest};
use homeward_sync_server::store::{Role, Store};
use homeward_sync_server::{AppState, OPENAPI, router};
use tower::ServiceExt;

fn state() -> (tempfile::TempDir, AppState, String) {
    let tmp = tempfile::tempdir().expect("test step");
    let mut store = Store::open(&tmp.path().join("s.db"), None).expect("test step");
    store
        .add_user(
            "anita",
            Role::Fieldworker,
            &[("Gaya".into(), "Tekari".into())],
            None,
        )
        .expect("test step");
    let code = store.enrolment_code("anita").expect("test step");
    let (_, token, _, _) = store.enrol(&code, &[1, 2, 3], "phone").expect("test step");
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
    assert_eq!(body, OPENAPI);
    for path in [
        "/healthz",
        "/api/openapi.json",
        "/api/v1/enrol",
        "/api/v1/sync",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}

#[tokio::test]
async fn bad_tokens_bodies_and_codes_get_a_clear_4xx() {
    let (_tmp, state, token) = state();
    let empty = wire::encode(&SyncRequest {
        cursor: Cursor::Start,
        budget: 65536,
        reference_version: 0,
        push: vec![],
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
        cursor: Cursor::Start,
        budget: 65536,
        reference_version: 0,
        push: vec![CasePush {
            case_id: "c1".into(),
            changes: vec![vec![1, 2, 3]],
        }],
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
        cursor: Cursor::Start,
        budget: 65536,
        reference_version: 0,
        push: vec![CasePush {
            case_id: outside.profile.case_id.clone(),
            changes,
        }],
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
