//! Urgent events by SMS (issue 14): a gateway posts a fieldworker's signed text to
//! `POST /api/v1/sms?key=SECRET`; the case's supervisors see it on their phones and the
//! dashboard until the full record arrives, and every refusal raises nothing.

use super::open_store;
use automerge::AutoCommit;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use homeward_shared::edit::{Edit, EditContext, NewIncident, NewSummons};
use homeward_shared::model::Author;
use homeward_shared::schema;
use homeward_shared::sms::{self, UrgentEvent, UrgentSms};
use homeward_shared::wire::{CasePush, Cursor, Reference, SyncRequest};
use homeward_sync_server::store::{Role, Store, WebUser};
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

use crate::{get, login};

const SECRET: &str = "gateway-secret-1";
const MEERA_PASSWORD: &str = "a long enough password";

/// A fieldworker's enrolled phone.
struct Phone {
    device: String,
    token: String,
    user: &'static str,
    name: &'static str,
    actor: [u8; 16],
    key: [u8; 32],
}

/// A server with two fieldworkers of Tekari (Gaya), Anita (case c-1, phone +91 98765 43210)
/// and Ravi (case c-2, no phone registered), and Meera, the district's supervisor, with a
/// phone of her own.
struct World {
    _tmp: tempfile::TempDir,
    state: AppState,
    anita: Phone,
    ravi: Phone,
    meera_token: String,
}

fn enrol(
    store: &mut Store,
    user: &'static str,
    name: &'static str,
    role: Role,
    area: (&str, &str),
    n: u8,
) -> Phone {
    let password = (role == Role::Supervisor).then_some(MEERA_PASSWORD);
    store
        .add_user_with_id(
            Some(user),
            name,
            role,
            &[(area.0.into(), area.1.into())],
            password,
        )
        .expect("adds");
    let code = store.enrolment_code(user).expect("code");
    let actor = [n; 16];
    let enrolled = store.enrol(&code, &actor, "phone").expect("enrols");
    let key = [n.wrapping_mul(3); 32];
    store
        .set_sms_key_for_tests(&enrolled.device_id, &key)
        .expect("key");
    Phone {
        device: enrolled.device_id,
        token: enrolled.token,
        user,
        name,
        actor,
        key,
    }
}

fn ctx(phone: &Phone) -> EditContext {
    EditContext {
        author: Author {
            user_id: phone.user.into(),
            name: phone.name.into(),
        },
        at: chrono::DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z")
            .expect("time")
            .to_utc(),
    }
}

/// A synthetic child of Tekari registered on `phone`.
fn register(phone: &Phone, case_id: &str) -> AutoCommit {
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 5,
        cases: 1,
        until: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        months: 6,
    });
    let mut profile = load.cases[0].profile.clone();
    profile.case_id = case_id.to_owned();
    profile.child.name = format!("Child {case_id}");
    profile.child.address.district = "Gaya".into();
    profile.child.address.block = "Tekari".into();
    schema::new_case(
        automerge::ActorId::from(&phone.actor[..]),
        &profile,
        &ctx(phone),
    )
    .expect("registers")
}

fn push(store: &mut Store, phone: &Phone, case_id: &str, doc: &AutoCommit) {
    let device = store.authenticate(&phone.token).expect("a device");
    let changes = doc
        .clone()
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    store
        .push_as(
            &device,
            &[CasePush {
                case_id: case_id.into(),
                changes,
            }],
        )
        .expect("stored");
}

fn world() -> World {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = open_store(&tmp.path().join("s.db")).expect("opens");
    let anita = enrol(
        &mut store,
        "anita",
        "Anita Kumari",
        Role::Fieldworker,
        ("Gaya", "Tekari"),
        7,
    );
    let ravi = enrol(
        &mut store,
        "ravi",
        "Ravi Paswan",
        Role::Fieldworker,
        ("Gaya", "Tekari"),
        8,
    );
    let meera = enrol(
        &mut store,
        "meera",
        "Meera Singh",
        Role::Supervisor,
        ("Gaya", ""),
        9,
    );
    store
        .set_device_phone(&anita.device, "+91 98765 43210")
        .expect("phone");
    push(&mut store, &anita, "c-1", &register(&anita, "c-1"));
    push(&mut store, &ravi, "c-2", &register(&ravi, "c-2"));
    World {
        _tmp: tmp,
        state: AppState::new(store).with_sms_secret(SECRET),
        anita,
        ravi,
        meera_token: meera.token,
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn summons(phone: &Phone, n: u64, case: &str, record: &str) -> String {
    let sms = UrgentSms {
        device: phone.device.clone(),
        n,
        case: case.into(),
        record: record.into(),
        event: UrgentEvent::Summons {
            received_on: day("2026-11-28"),
            hearing_on: day("2026-12-10"),
        },
    };
    sms::compose(&sms, &phone.key).expect("fits")
}

/// Posts a gateway's body; the status and the answer's text.
async fn post(
    state: &AppState,
    key: Option<&str>,
    ctype: &str,
    body: String,
) -> (StatusCode, String) {
    let uri = match key {
        Some(k) => format!("/api/v1/sms?key={k}"),
        None => "/api/v1/sms".to_owned(),
    };
    let resp = router(state.clone())
        .oneshot(
            Request::post(uri)
                .header(header::CONTENT_TYPE, ctype)
                .body(Body::from(body))
                .expect("request"),
        )
        .await
        .expect("answers");
    let status = resp.status();
    let body = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let v: String = v
                .bytes()
                .map(|b| match b {
                    b' ' => "+".to_owned(),
                    b'+' => "%2B".to_owned(),
                    _ => char::from(b).to_string(),
                })
                .collect();
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Twilio's form: `From`, `Body`.
async fn twilio(state: &AppState, from: &str, text: &str) -> (StatusCode, String) {
    post(
        state,
        Some(SECRET),
        "application/x-www-form-urlencoded",
        form(&[("From", from), ("Body", text), ("To", "+911234567890")]),
    )
    .await
}

/// The supervisor's phone's reference data after its version `held`, if it moved.
async fn meera_reference(w: &World, held: u64) -> Option<Reference> {
    let token = w.meera_token.clone();
    w.state
        .with_store(move |s| {
            let device = s.authenticate(&token)?;
            s.sync(
                &device,
                &SyncRequest {
                    bundle_seen: 0,
                    cursor: Cursor::Start,
                    budget: 64 * 1024,
                    reference_version: held,
                    resources_version: 0,
                    push: Vec::new(),
                    spot_check_outcomes: Vec::new(),
                },
            )
        })
        .await
        .expect("a round")
        .reference
}

fn meera() -> WebUser {
    WebUser {
        id: "meera".into(),
        name: "Meera Singh".into(),
        role: Role::Supervisor,
        areas: vec![("Gaya".into(), String::new())],
    }
}

async fn items(
    w: &World,
    case: Option<&'static str>,
) -> Vec<homeward_sync_server::store::UrgentRow> {
    w.state
        .with_store(move |s| s.urgent_items(&meera(), case))
        .await
        .expect("items")
}

/// Anita's phone pushes case c-1 with the summons `record` recorded.
async fn record_summons(w: &World, record: &'static str) {
    let phone = clone_phone(&w.anita);
    w.state
        .with_store(move |s| {
            let mut doc = register(&phone, "c-1");
            let edit = Edit::AddSummons(NewSummons {
                id: record.into(),
                received_on: day("2026-11-28"),
                hearing_on: day("2026-12-10"),
                mode: None,
            });
            schema::apply(&mut doc, &edit, &ctx(&phone)).expect("summons");
            push(s, &phone, "c-1", &doc);
            Ok(())
        })
        .await
        .expect("pushed");
}

fn clone_phone(p: &Phone) -> Phone {
    Phone {
        device: p.device.clone(),
        token: p.token.clone(),
        user: p.user,
        name: p.name,
        actor: p.actor,
        key: p.key,
    }
}

#[tokio::test]
async fn a_summons_by_sms_reaches_the_supervisor_until_its_record_arrives_by_sync() {
    let w = world();
    let before = meera_reference(&w, 0).await.expect("first reference");
    assert!(before.urgent.is_empty(), "nothing urgent yet");

    let text = summons(&w.anita, 1, "c-1", "s-1");
    // The gateway gives the number as the network does, with the country code.
    assert_eq!(
        twilio(&w.state, "+919876543210", &text).await,
        (StatusCode::OK, "ok".into())
    );

    let reference = meera_reference(&w, before.version)
        .await
        .expect("the supervisor's reference data moved");
    assert_eq!(reference.urgent.len(), 1, "{:?}", reference.urgent);
    let item = &reference.urgent[0];
    assert_eq!(
        (
            item.case_id.as_str(),
            item.record_id.as_str(),
            item.child_name.as_str(),
            item.from_name.as_str()
        ),
        ("c-1", "s-1", "Child c-1", "Anita Kumari"),
        "the child's and the sender's names come from the server"
    );
    assert_eq!(
        item.event,
        UrgentEvent::Summons {
            received_on: day("2026-11-28"),
            hearing_on: day("2026-12-10")
        }
    );

    // The overview of the district's supervisor lists it; the case page too.
    let (status, cookie) = login(&w.state, "meera", MEERA_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = cookie.expect("a session");
    let (s, page, _) = get(&w.state, "/", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"urgent\""), "the section: {page}");
    assert!(page.contains("Urgent, by SMS"), "{page}");
    assert!(
        page.contains("Child c-1") && page.contains("/cases/c-1"),
        "{page}"
    );
    assert!(page.contains("Anita Kumari"), "who sent it: {page}");
    assert!(page.contains("full record not yet received"), "{page}");
    let (s, page, _) = get(&w.state, "/cases/c-1", Some(&cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"urgent\""), "{page}");
    assert!(page.contains("full record not yet received"), "{page}");
    let (_, hindi, _) = get(&w.state, "/?lang=hi", Some(&cookie)).await;
    assert!(hindi.contains("एसएमएस"), "the section in Hindi: {hindi}");

    // The full record arrives by sync: the item is matched and leaves the phones.
    record_summons(&w, "s-1").await;
    let rows = items(&w, Some("c-1")).await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].matched_at.is_some(), "matched when the record came");
    assert!(items(&w, None).await.is_empty(), "no open item left");
    let after = meera_reference(&w, reference.version)
        .await
        .expect("a match moves the supervisor's reference data");
    assert!(after.urgent.is_empty(), "{:?}", after.urgent);
    let (_, page, _) = get(&w.state, "/cases/c-1", Some(&cookie)).await;
    assert!(page.contains("matched to the record received on"), "{page}");
    let (_, page, _) = get(&w.state, "/", Some(&cookie)).await;
    assert!(!page.contains("id=\"urgent\""), "nothing open: {page}");

    // A later text of a record already received raises nothing.
    assert_eq!(
        twilio(
            &w.state,
            "+919876543210",
            &summons(&w.anita, 2, "c-1", "s-1")
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(items(&w, Some("c-1")).await.len(), 1, "nothing new");
    assert!(
        meera_reference(&w, after.version).await.is_none(),
        "nothing for the supervisor's phone"
    );
    // Nor does a second text of a record already raised.
    let (s, _) = twilio(&w.state, "9876543210", &summons(&w.anita, 3, "c-1", "s-2")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = twilio(&w.state, "9876543210", &summons(&w.anita, 4, "c-1", "s-2")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(items(&w, None).await.len(), 1, "one item per record");
    let log = w
        .state
        .with_store(|s| s.audit_log(Some("anita"), Some("c-1"), 20))
        .await
        .expect("audit");
    assert_eq!(
        log.iter().filter(|r| r.action == "sms-received").count(),
        4,
        "every text taken is audited: {log:?}"
    );
}

#[tokio::test]
async fn each_refused_text_answers_why_and_raises_nothing() {
    let w = world();
    let good = summons(&w.anita, 1, "c-1", "s-1");
    let anita = "+91 98765 43210";
    let mut wrong_key = clone_phone(&w.anita);
    wrong_key.key = [1; 32];
    let mut unknown = clone_phone(&w.anita);
    unknown.device = "0000000000000000".into();
    let words: Vec<&str> = good.split(' ').collect();
    let truncated = words[..words.len() - 1].join(" ");
    let cases: Vec<(&str, String, &str, StatusCode, &str)> = vec![
        (
            "a wrong check code",
            summons(&wrong_key, 1, "c-1", "s-1"),
            anita,
            StatusCode::FORBIDDEN,
            "check code",
        ),
        (
            "another sender",
            good.clone(),
            "+91 90000 00000",
            StatusCode::FORBIDDEN,
            "registered",
        ),
        (
            "a text cut short",
            truncated,
            anita,
            StatusCode::UNPROCESSABLE_ENTITY,
            "cut short",
        ),
        (
            "not a Homeward text",
            "Please call me back".into(),
            anita,
            StatusCode::UNPROCESSABLE_ENTITY,
            "HW1",
        ),
        (
            "an unknown device",
            summons(&unknown, 1, "c-1", "s-1"),
            anita,
            StatusCode::FORBIDDEN,
            "no enrolled phone",
        ),
        (
            "a device with no phone registered",
            summons(&w.ravi, 1, "c-2", "s-9"),
            anita,
            StatusCode::FORBIDDEN,
            "device phone",
        ),
        (
            "a case outside the device's scope",
            summons(&w.anita, 5, "c-2", "s-1"),
            anita,
            StatusCode::FORBIDDEN,
            "not in the scope",
        ),
        (
            "a case the server does not have",
            summons(&w.anita, 6, "c-9", "s-1"),
            anita,
            StatusCode::NOT_FOUND,
            "no case c-9",
        ),
    ];
    for (what, text, from, status, says) in &cases {
        let (s, body) = twilio(&w.state, from, text).await;
        assert_eq!(s, *status, "{what}: {body}");
        assert!(body.contains(says), "{what}: {body}");
        assert!(items(&w, None).await.is_empty(), "{what} raises nothing");
    }
    let refusals = w
        .state
        .with_store(|s| s.audit_log(None, None, 100))
        .await
        .expect("audit")
        .into_iter()
        .filter(|r| r.action == "sms-refused")
        .collect::<Vec<_>>();
    assert_eq!(
        refusals.len(),
        cases.len(),
        "each refusal is audited: {refusals:?}"
    );
    assert!(
        refusals.iter().all(|r| r
            .detail
            .as_deref()
            .is_some_and(|d| !d.contains("20261210") && !d.contains("call me"))),
        "the audit keeps no text of a message: {refusals:?}"
    );

    // A replay: the same message twice.
    assert_eq!(twilio(&w.state, anita, &good).await.0, StatusCode::OK);
    let (s, body) = twilio(&w.state, anita, &good).await;
    assert_eq!(
        (s, body.contains("replay")),
        (StatusCode::CONFLICT, true),
        "{body}"
    );
    assert_eq!(items(&w, None).await.len(), 1, "the replay raised nothing");

    // The gateway's key: missing, wrong, or none configured.
    let body = form(&[
        ("From", anita),
        ("Body", &summons(&w.anita, 7, "c-1", "s-7")),
    ]);
    let ctype = "application/x-www-form-urlencoded";
    let (s, m) = post(&w.state, None, ctype, body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{m}");
    let (s, m) = post(&w.state, Some("gateway-secret-2"), ctype, body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{m}");
    let unconfigured = {
        let tmp = tempfile::tempdir().expect("tmp");
        let store = open_store(&tmp.path().join("u.db")).expect("opens");
        (tmp, AppState::new(store))
    };
    assert_eq!(
        post(&unconfigured.1, Some(SECRET), ctype, body.clone()).await,
        (StatusCode::NOT_FOUND, "SMS gateway not configured".into())
    );
    // Bodies a gateway cannot have meant.
    let (s, _) = post(&w.state, Some(SECRET), "text/plain", body).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, m) = post(&w.state, Some(SECRET), ctype, form(&[("Body", "HW1")])).await;
    assert_eq!(
        (s, m.contains("no sender")),
        (StatusCode::BAD_REQUEST, true),
        "{m}"
    );
    assert_eq!(items(&w, None).await.len(), 1, "still the one item");

    // A phone number is checked when it is registered.
    let err = w
        .state
        .with_store(|s| s.set_device_phone("0000000000000000", "+91 98765 43210"))
        .await
        .expect_err("no such device");
    assert!(err.to_string().contains("no device"), "{err}");
    let device = w.ravi.device.clone();
    let err = w
        .state
        .with_store(move |s| s.set_device_phone(&device, "12345"))
        .await
        .expect_err("too short");
    assert!(err.to_string().contains("not a phone number"), "{err}");
}

#[tokio::test]
async fn every_documented_gateway_format_is_accepted() {
    let w = world();
    let url = "application/x-www-form-urlencoded";
    let json = "application/json";
    let t = |n: u64| summons(&w.anita, n, "c-1", &format!("s-{n}"));
    let bodies: Vec<(&str, &str, String)> = vec![
        (
            "Twilio",
            url,
            form(&[("From", "+919876543210"), ("Body", &t(1))]),
        ),
        (
            "Plivo",
            url,
            form(&[("From", "919876543210"), ("Text", &t(2))]),
        ),
        (
            "Vonage, JSON",
            json,
            serde_json::json!({"msisdn": "919876543210", "text": t(3)}).to_string(),
        ),
        (
            "Vonage, a number",
            json,
            serde_json::json!({"msisdn": 919876543210_u64, "text": t(4)}).to_string(),
        ),
        (
            "Vonage, form",
            url,
            form(&[("msisdn", "919876543210"), ("text", &t(5))]),
        ),
        (
            "generic sender/message",
            json,
            serde_json::json!({"sender": "09876543210", "message": t(6)}).to_string(),
        ),
        (
            "generic from/content",
            url,
            form(&[("from", "9876543210"), ("content", &t(7))]),
        ),
        (
            "generic from/text",
            json,
            serde_json::json!({"from": "+91 98765 43210", "text": t(8)}).to_string(),
        ),
    ];
    for (gateway, ctype, body) in &bodies {
        let (s, m) = post(&w.state, Some(SECRET), ctype, body.clone()).await;
        assert_eq!((s, m.as_str()), (StatusCode::OK, "ok"), "{gateway}");
    }
    assert_eq!(items(&w, None).await.len(), bodies.len(), "one item each");
}

/// Harassment incidents of Gaya's CWC report this month.
async fn incidents(w: &World, today: NaiveDate) -> u32 {
    let month = homeward_shared::indicators::Month::of(today);
    let area = homeward_sync_server::scope::Area::whole("Gaya");
    w.state
        .with_store(move |s| {
            Ok(homeward_sync_server::report::cwc(s, &area, month, today)?
                .aggregates
                .harassment_incidents)
        })
        .await
        .expect("report")
}

#[tokio::test]
async fn an_incident_reported_by_sms_then_recorded_counts_once() {
    let w = world();
    let today = homeward_sync_server::today();
    let sms = UrgentSms {
        device: w.anita.device.clone(),
        n: 1,
        case: "c-1".into(),
        record: "i-1".into(),
        event: UrgentEvent::Incident {
            on: today,
            police_informed: true,
        },
    };
    let text = sms::compose(&sms, &w.anita.key).expect("fits");
    assert_eq!(
        twilio(&w.state, "+919876543210", &text).await.0,
        StatusCode::OK
    );
    assert_eq!(incidents(&w, today).await, 0, "an SMS is not a record");

    let phone = clone_phone(&w.anita);
    w.state
        .with_store(move |s| {
            let mut doc = register(&phone, "c-1");
            let edit = Edit::AddIncident(NewIncident {
                id: "i-1".into(),
                on: today,
                what: "Threatened at the hand pump".into(),
                police_informed: true,
            });
            // Recorded now: an incident dated the server's today (India's day) is refused as
            // in the future when recorded at the fixed time of `ctx` (2026-11-28), once that
            // day is past.
            let now = EditContext {
                at: chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
                ..ctx(&phone)
            };
            schema::apply(&mut doc, &edit, &now).expect("incident");
            push(s, &phone, "c-1", &doc);
            Ok(())
        })
        .await
        .expect("pushed");
    assert_eq!(
        incidents(&w, today).await,
        1,
        "the incident counts once, from the record, once its SMS is matched"
    );
    let rows = items(&w, Some("c-1")).await;
    assert!(rows.iter().all(|r| r.matched_at.is_some()), "{rows:?}");
}
