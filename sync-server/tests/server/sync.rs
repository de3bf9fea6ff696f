//! Sync hardening: what an enrolled device, or anyone at all, can and cannot make the server do
//! through `POST /api/v1/sync` (issue 10's findings, each reproduced before it was fixed).

use super::open_store;
use automerge::{ActorId, AutoCommit, ChangeHash};
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use homeward_shared::edit::{Edit, EditContext, NeedUpdate, NewVisit};
use homeward_shared::model::{Author, VisitKind};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::schema;
use homeward_shared::wire::{self, CasePush, Cursor, SyncRequest, SyncResponse};
use homeward_sync_server::store::Role;
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

struct World {
    tmp: tempfile::TempDir,
    state: AppState,
}

/// A phone: its token, its actor and the user it signs as.
#[derive(Clone)]
struct Phone {
    token: String,
    actor: ActorId,
    author: Author,
}

const TEKARI: (&str, &str) = ("Gaya", "Tekari");

fn world() -> World {
    let tmp = tempfile::tempdir().expect("test step");
    let mut store = open_store(&tmp.path().join("s.db")).expect("test step");
    let tekari = [(TEKARI.0.to_owned(), TEKARI.1.to_owned())];
    let gaya = [("Gaya".to_owned(), String::new())];
    for (id, name, role, areas) in [
        ("anita", "Anita Kumari", Role::Fieldworker, &tekari[..]),
        ("sunil", "Sunil Das", Role::Fieldworker, &tekari[..]),
        ("meera", "Meera Singh", Role::Supervisor, &gaya[..]),
        ("cwc-gaya", "CWC Gaya", Role::Cwc, &gaya[..]),
    ] {
        store
            .add_user_with_id(Some(id), name, role, areas, None)
            .expect("test step");
    }
    World {
        tmp,
        state: AppState::new(store),
    }
}

impl World {
    async fn phone(&self, user: &str, actor: u8, name: &str) -> Phone {
        let (user, name) = (user.to_owned(), name.to_owned());
        let enrolled = self
            .state
            .with_store(move |s| {
                let code = s.enrolment_code(&user)?;
                s.enrol(&code, &[actor; 16], &name)
            })
            .await
            .expect("enrols");
        Phone {
            token: enrolled.token,
            actor: ActorId::from(&[actor; 16][..]),
            author: Author {
                user_id: enrolled.user_id,
                name: enrolled.user_name,
            },
        }
    }

    async fn assign(&self, case: &str, user: &str) {
        let (case, user) = (case.to_owned(), user.to_owned());
        self.state
            .with_store(move |s| s.assign(&case, &user))
            .await
            .expect("assigns");
    }

    /// Runs SQL on the server's database file (a second connection), to age a row.
    fn sql(&self, sql: &str) {
        let store = open_store(&self.tmp.path().join("s.db")).expect("opens");
        store.db().execute_batch(sql).expect("runs");
    }
}

/// The answer to a sync round: the response, or the status, message and refused case.
type Answer = Result<SyncResponse, (StatusCode, String, Option<String>)>;

async fn post(state: &AppState, token: Option<&str>, body: Vec<u8>) -> Answer {
    let mut req = Request::post("/api/v1/sync").header(header::CONTENT_TYPE, wire::CONTENT_TYPE);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let resp = router(state.clone())
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("answers");
    let status = resp.status();
    let refused = resp
        .headers()
        .get("homeward-refused-case")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = to_bytes(resp.into_body(), 64 << 20).await.expect("body");
    if status == StatusCode::OK {
        Ok(wire::decode(&bytes).expect("a sync response"))
    } else {
        Err((
            status,
            String::from_utf8_lossy(&bytes).into_owned(),
            refused,
        ))
    }
}

async fn round(state: &AppState, phone: &Phone, cursor: Cursor, push: Vec<CasePush>) -> Answer {
    let body = wire::encode(&SyncRequest {
        bundle_seen: 0,
        cursor,
        budget: 1024,
        reference_version: 0,
        resources_version: 0,
        push,
        spot_check_outcomes: Vec::new(),
    });
    post(state, Some(&phone.token), body).await
}

/// Syncs until the server has nothing more; returns the last cursor.
async fn catch_up(state: &AppState, phone: &Phone, mut cursor: Cursor) -> Cursor {
    loop {
        let resp = round(state, phone, cursor, Vec::new())
            .await
            .expect("a sync round");
        cursor = resp.cursor;
        if !resp.more {
            return cursor;
        }
    }
}

fn ctx(author: &Author) -> EditContext {
    EditContext {
        author: author.clone(),
        at: chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .expect("time")
            .to_utc(),
    }
}

/// A synthetic child registered in Tekari by `phone`, signed as `signer`.
fn register(phone: &Phone, signer: &Author, case_id: &str) -> AutoCommit {
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 3,
        cases: 1,
        until: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        months: 6,
    });
    let mut profile = load.cases[0].profile.clone();
    profile.case_id = case_id.to_owned();
    profile.child.address.district = TEKARI.0.into();
    profile.child.address.block = TEKARI.1.into();
    schema::new_case(phone.actor.clone(), &profile, &ctx(signer)).expect("registers")
}

fn visit(doc: &mut AutoCommit, id: &str, signer: &Author) {
    let edit = Edit::RecordVisit {
        visit: NewVisit {
            id: id.into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
            kind: VisitKind::FollowUp,
            met: Some("mother".into()),
            note: Some(format!("visit {id}")),
            next_steps: None,
            summons_id: None,
            safety_checked: false,
        },
        updates: vec![NeedUpdate {
            id: format!("{id}-edu"),
            dimension: Dimension::Education,
            status: Status::Enrolled,
            note: None,
        }],
    };
    schema::apply(doc, &edit, &ctx(signer)).expect("a visit");
}

fn push(case_id: &str, doc: &AutoCommit, since: &[ChangeHash]) -> Vec<CasePush> {
    vec![CasePush {
        case_id: case_id.to_owned(),
        changes: doc
            .clone()
            .get_changes(since)
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect(),
    }]
}

/// The visit ids of every document and change of `case_id` in a response.
fn visits_received(resp: &SyncResponse, case_id: &str) -> Vec<String> {
    let mut doc = AutoCommit::new();
    for d in resp.documents.iter().filter(|d| d.case_id == case_id) {
        doc.merge(&mut AutoCommit::load(&d.doc).expect("a document"))
            .expect("merges");
    }
    for c in resp.changes.iter().filter(|c| c.case_id == case_id) {
        doc.apply_changes([automerge::Change::try_from(c.bytes.as_slice()).expect("a change")])
            .expect("applies");
    }
    match schema::read_case(&doc) {
        Ok(case) => case.visits.into_iter().map(|v| v.id).collect(),
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn a_deeply_nested_case_is_refused_with_a_4xx_and_the_server_keeps_serving() {
    let w = world();
    let anita = w.phone("anita", 1, "phone").await;
    let mut doc = register(&anita, &anita.author, "case-deep");
    // 2,000 maps nested under one key: about 6.6 KB on the wire. Reading it recursively used
    // to overflow the stack and abort the server.
    let mut obj = automerge::transaction::Transactable::put_object(
        &mut doc,
        automerge::ROOT,
        "x",
        automerge::ObjType::Map,
    )
    .expect("map");
    for _ in 1..2_000 {
        obj = automerge::transaction::Transactable::put_object(
            &mut doc,
            &obj,
            "x",
            automerge::ObjType::Map,
        )
        .expect("map");
    }
    doc.commit();
    let (status, message, refused) = round(
        &w.state,
        &anita,
        Cursor::Start,
        push("case-deep", &doc, &[]),
    )
    .await
    .expect_err("refused");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
    assert!(message.contains("levels deep"), "{message}");
    assert_eq!(refused.as_deref(), Some("case-deep"));

    // A CWC member's device may not write at all: refused before anything is parsed.
    let cwc = w.phone("cwc-gaya", 2, "phone").await;
    let (status, message, _) = round(&w.state, &cwc, Cursor::Start, push("case-deep", &doc, &[]))
        .await
        .expect_err("refused");
    assert_eq!(status, StatusCode::FORBIDDEN, "{message}");

    // The server still serves everyone.
    let health = router(w.state.clone())
        .oneshot(
            Request::get("/healthz")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answers");
    assert_eq!(health.status(), StatusCode::OK);
    let ok = register(&anita, &anita.author, "case-fine");
    round(&w.state, &anita, Cursor::Start, push("case-fine", &ok, &[]))
        .await
        .expect("an ordinary case is stored");
    let stats = w.state.with_store(|s| s.stats()).await.expect("stats");
    assert_eq!(stats.cases, 1, "only the ordinary case");
}

#[tokio::test]
async fn an_unauthenticated_body_is_refused_before_it_is_decoded() {
    let w = world();
    // Garbage that fails to decode: a 400 would mean it was read before the token was checked.
    for token in [None, Some("0123.nope")] {
        let (status, message, _) = post(&w.state, token, vec![wire::FORMAT, 0xff, 0x00, 0x13])
            .await
            .expect_err("refused");
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{message}");
    }
    // A body larger than a sync body may be is refused as such (413), even with a good token.
    let anita = w.phone("anita", 1, "phone").await;
    let (status, _, _) = post(
        &w.state,
        Some(&anita.token),
        vec![0u8; homeward_sync_server::MAX_REQUEST + 1],
    )
    .await
    .expect_err("refused");
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_transferred_case_reaches_its_former_holder_no_more() {
    let w = world();
    let meera = w.phone("meera", 3, "phone").await;
    let anita = w.phone("anita", 1, "phone").await;
    let anita_spare = w.phone("anita", 4, "spare").await;
    let sunil = w.phone("sunil", 2, "phone").await;
    // The supervisor registers the child; the case is given to Anita, whose phone syncs.
    let mut doc = register(&meera, &meera.author, "case-t");
    round(&w.state, &meera, Cursor::Start, push("case-t", &doc, &[]))
        .await
        .expect("stored");
    w.assign("case-t", "anita").await;
    let anita_at = catch_up(&w.state, &anita, Cursor::Start).await;
    catch_up(&w.state, &anita, anita_at.clone()).await;
    // The case moves to Sunil, who records a visit.
    w.assign("case-t", "sunil").await;
    let sunil_at = catch_up(&w.state, &sunil, Cursor::Start).await;
    let heads = doc.get_heads();
    doc = {
        let mut copy = doc.fork().with_actor(sunil.actor.clone());
        visit(&mut copy, "after-transfer", &sunil.author);
        copy
    };
    round(&w.state, &sunil, sunil_at, push("case-t", &doc, &heads))
        .await
        .expect("Sunil's visit is stored");

    // Anita's phone asks again from the start of the feed with the smallest budget; her spare
    // phone, which never synced, does the same. Neither may see the case as it is now.
    for phone in [&anita, &anita_spare] {
        let mut cursor = Cursor::Feed(0);
        let mut seen = Vec::new();
        for _ in 0..20 {
            let resp = round(&w.state, phone, cursor, Vec::new())
                .await
                .expect("a round");
            seen.extend(visits_received(&resp, "case-t"));
            cursor = resp.cursor;
            if !resp.more {
                break;
            }
        }
        assert!(
            !seen.iter().any(|v| v == "after-transfer"),
            "a visit written after the transfer reached a former holder: {seen:?}"
        );
    }
}

#[tokio::test]
async fn a_former_holder_pushes_what_it_recorded_before_it_learned_of_the_transfer_and_nothing_after()
 {
    let w = world();
    let anita = w.phone("anita", 1, "phone").await;
    let mut doc = register(&anita, &anita.author, "case-f");
    let at = catch_up(&w.state, &anita, Cursor::Start).await;
    let resp = round(&w.state, &anita, at, push("case-f", &doc, &[]))
        .await
        .expect("Anita registers the child");
    let at = resp.cursor;
    // Offline, Anita records a visit; meanwhile the case moves to Sunil.
    let heads = doc.get_heads();
    visit(&mut doc, "offline", &anita.author);
    w.assign("case-f", "sunil").await;
    let resp = round(&w.state, &anita, at, push("case-f", &doc, &heads))
        .await
        .expect("what she recorded before she knew is kept");
    assert!(
        resp.dropped.contains(&"case-f".to_owned()),
        "and she learns"
    );
    // Her next round confirms the transfer: from then on, nothing more of hers is taken.
    let at = catch_up(&w.state, &anita, resp.cursor).await;
    let heads = doc.get_heads();
    visit(&mut doc, "after-she-knew", &anita.author);
    let (status, message, refused) = round(&w.state, &anita, at, push("case-f", &doc, &heads))
        .await
        .expect_err("refused");
    assert_eq!(status, StatusCode::FORBIDDEN, "{message}");
    assert_eq!(refused.as_deref(), Some("case-f"));
}

#[tokio::test]
async fn a_former_holder_offline_past_the_grace_period_is_refused() {
    let w = world();
    let anita = w.phone("anita", 1, "phone").await;
    let mut doc = register(&anita, &anita.author, "case-g");
    let resp = round(&w.state, &anita, Cursor::Start, push("case-g", &doc, &[]))
        .await
        .expect("stored");
    let at = catch_up(&w.state, &anita, resp.cursor).await;
    let heads = doc.get_heads();
    visit(&mut doc, "offline", &anita.author);
    w.assign("case-g", "sunil").await;
    w.sql(&format!(
        "UPDATE feed SET at = '{}' WHERE kind = 'revoke'",
        (chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
            - chrono::Duration::days(homeward_sync_server::store::TRANSFER_GRACE_DAYS + 1))
        .to_rfc3339()
    ));
    let (status, _, refused) = round(&w.state, &anita, at, push("case-g", &doc, &heads))
        .await
        .expect_err("too late");
    assert_eq!(
        (status, refused.as_deref()),
        (StatusCode::FORBIDDEN, Some("case-g"))
    );
}

#[tokio::test]
async fn a_cursor_beyond_the_feed_or_behind_what_the_device_confirmed_starts_it_over() {
    let w = world();
    let meera = w.phone("meera", 3, "phone").await;
    let anita = w.phone("anita", 1, "phone").await;
    let doc = register(&meera, &meera.author, "case-c");
    round(&w.state, &meera, Cursor::Start, push("case-c", &doc, &[]))
        .await
        .expect("stored");
    w.assign("case-c", "anita").await;
    let at = catch_up(&w.state, &anita, Cursor::Start).await;
    let Cursor::Feed(high) = at else {
        panic!("in the feed: {at:?}")
    };
    // A cursor from the future used to be kept, and the device silently stopped receiving.
    let resp = round(&w.state, &anita, Cursor::Feed(high + 1_000), Vec::new())
        .await
        .expect("answers");
    assert!(
        resp.documents.iter().any(|d| d.case_id == "case-c"),
        "started over from the documents of its scope"
    );
    assert!(
        matches!(resp.cursor, Cursor::Feed(n) if n <= high),
        "a cursor within the feed: {:?}",
        resp.cursor
    );
    // Having confirmed `high`, a cursor behind it starts the device over too.
    round(&w.state, &anita, Cursor::Feed(high), Vec::new())
        .await
        .expect("confirms");
    let resp = round(&w.state, &anita, Cursor::Feed(0), Vec::new())
        .await
        .expect("answers");
    assert!(resp.documents.iter().any(|d| d.case_id == "case-c"));
}

#[tokio::test]
async fn a_change_signed_as_another_user_is_refused_and_nothing_is_stored() {
    let w = world();
    let sunil = w.phone("sunil", 2, "phone").await;
    let anita = Author {
        user_id: "anita".into(),
        name: "Anita Kumari".into(),
    };
    // Sunil's phone registers a child and signs it as Anita.
    let doc = register(&sunil, &anita, "case-forged");
    let (status, message, refused) = round(
        &w.state,
        &sunil,
        Cursor::Start,
        push("case-forged", &doc, &[]),
    )
    .await
    .expect_err("refused");
    assert_eq!(status, StatusCode::FORBIDDEN, "{message}");
    assert!(message.contains("other than its own user"), "{message}");
    assert_eq!(refused.as_deref(), Some("case-forged"));
    let stats = w.state.with_store(|s| s.stats()).await.expect("stats");
    assert_eq!((stats.cases, stats.changes), (0, 0), "nothing stored");
}

#[tokio::test]
async fn a_phone_named_dashboard_does_not_take_over_the_supervisors_dashboard_actor() {
    let w = world();
    let anita = w.phone("anita", 1, "phone").await;
    let spare = w.phone("anita", 4, "spare").await;
    let meera = w.phone("meera", 3, "dashboard").await;
    // Anita's two phones set the education need at once: a conflict for the supervisor.
    let mut doc = register(&anita, &anita.author, "case-d");
    let resp = round(&w.state, &anita, Cursor::Start, push("case-d", &doc, &[]))
        .await
        .expect("stored");
    let heads = doc.get_heads();
    for (phone, status) in [(&anita, Status::Enrolled), (&spare, Status::DroppedOut)] {
        let mut copy = doc.fork().with_actor(phone.actor.clone());
        let edit = Edit::SetNeed {
            update: NeedUpdate {
                id: format!("set-{}", phone.actor),
                dimension: Dimension::Education,
                status,
                note: None,
            },
            on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        };
        schema::apply(&mut copy, &edit, &ctx(&phone.author)).expect("applies");
        round(
            &w.state,
            phone,
            resp.cursor.clone(),
            push("case-d", &copy, &heads),
        )
        .await
        .expect("stored");
    }
    let meera_at = catch_up(&w.state, &meera, Cursor::Start).await;
    w.state
        .with_store(|s| {
            let user = s.web_user("meera")?;
            s.resolve_conflict(
                &user,
                "case-d",
                "needs.education.status",
                homeward_shared::edit::Resolution::Set("enrolled_irregular".into()),
            )
        })
        .await
        .expect("settled");
    // The settlement is a change of Meera's dashboard device, not of her phone that happens
    // to be called "dashboard": so the phone receives it like any other device.
    let mut cursor = meera_at;
    let mut received = Vec::new();
    loop {
        let resp = round(&w.state, &meera, cursor, Vec::new())
            .await
            .expect("a round");
        received.extend(resp.changes.iter().map(|c| {
            automerge::Change::try_from(c.bytes.as_slice())
                .expect("a change")
                .actor_id()
                .clone()
        }));
        cursor = resp.cursor;
        if !resp.more {
            break;
        }
    }
    assert!(
        !received.is_empty() && !received.contains(&meera.actor),
        "the phone receives the settlement, made by another actor: {received:?}"
    );
}

/// A panic while the store is held (an Automerge bug on hostile input, say) fails that request
/// only: the store lock's poison used to turn every later request into a 500 until a restart.
#[tokio::test]
async fn a_panic_while_the_store_is_held_fails_that_request_only() {
    let w = world();
    let failed = w
        .state
        .with_store(|_| -> Result<(), homeward_sync_server::ApiError> {
            panic!("a bug met while the store is held")
        })
        .await;
    assert!(
        matches!(failed, Err(homeward_sync_server::ApiError::Internal(_))),
        "{failed:?}"
    );
    // The next request is served (a phone still enrols and syncs).
    let anita = w.phone("anita", 1, "phone").await;
    let doc = register(&anita, &anita.author, "case-after-panic");
    round(
        &w.state,
        &anita,
        Cursor::Start,
        push("case-after-panic", &doc, &[]),
    )
    .await
    .expect("the store serves after a panic");
}

/// A dashboard page's status and body for a user logged in with `password`.
async fn page_as(state: &AppState, user: &str, password: &str, uri: &str) -> (StatusCode, String) {
    let (_, cookie) = crate::login(state, user, password).await;
    let (status, body, _) = crate::get(state, uri, cookie.as_deref()).await;
    (status, body)
}

/// Two fieldworkers register the same child on their own phones, one in English and one in
/// Hindi: neither phone can know, the server holds both, and the district's supervisor sees the
/// pair on `/duplicates`; a supervisor of another district does not, and a sibling is no pair.
/// The supervisor merges the two: every record reaches the kept case as its author made it, the
/// other is closed as merged (and its phone learns it), and no phone may mark a merge itself.
#[tokio::test]
async fn the_same_child_registered_on_two_phones_is_listed_and_merged_by_the_district_s_supervisor()
{
    let w = world();
    w.state
        .with_store(|s| {
            s.add_user_with_id(
                Some("ravi"),
                "Ravi Patna",
                Role::Supervisor,
                &[("Patna".into(), String::new())],
                Some("patna-password"),
            )?;
            s.set_password("meera", "gaya-password", "admin")
        })
        .await
        .expect("passwords");
    let anita = w.phone("anita", 1, "Anita's phone").await;
    let sunil = w.phone("sunil", 2, "Sunil's phone").await;
    let named = |phone: &Phone, case_id: &str, name: &str| {
        let mut doc = register(phone, &phone.author, case_id);
        let mut profile = schema::read_case(&doc).expect("reads");
        profile.child.name = name.into();
        profile.child.other_names.clear();
        // A fresh document with the name changed, registered as the phone would.
        let p = homeward_shared::model::Profile {
            case_id: profile.id.clone(),
            child: profile.child,
            rescue: profile.rescue,
            legal_basis: profile.legal_basis,
        };
        doc = schema::new_case(phone.actor.clone(), &p, &ctx(&phone.author)).expect("registers");
        doc
    };
    let a = named(&anita, "case-suraj-en", "Suraj Yadav");
    let b = named(&sunil, "case-suraj-hi", "सूरज यादव");
    let c = named(&sunil, "case-sunil", "Sunil Yadav");
    round(
        &w.state,
        &anita,
        Cursor::Start,
        push("case-suraj-en", &a, &[]),
    )
    .await
    .expect("pushed");
    let mut both = push("case-suraj-hi", &b, &[]);
    both.extend(push("case-sunil", &c, &[]));
    round(&w.state, &sunil, Cursor::Start, both)
        .await
        .expect("pushed");

    let (status, page) = page_as(&w.state, "meera", "gaya-password", "/duplicates").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("/cases/case-suraj-en") && page.contains("/cases/case-suraj-hi"),
        "the pair is listed: {page}"
    );
    assert!(
        !page.contains("/cases/case-sunil\""),
        "a brother with the same surname and village is not: {page}"
    );
    let (status, other) = page_as(&w.state, "ravi", "patna-password", "/duplicates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !other.contains("case-suraj") && other.contains("no-duplicates"),
        "another district's supervisor sees none of it: {other}"
    );

    // Sunil visited the child he registered; then the supervisor merges his case into Anita's.
    let mut b = b;
    let heads = b.get_heads();
    visit(&mut b, "sunil-v1", &sunil.author);
    let sunil_cursor = round(
        &w.state,
        &sunil,
        Cursor::Start,
        push("case-suraj-hi", &b, &heads),
    )
    .await
    .expect("pushed")
    .cursor;
    let sunil_cursor = catch_up(&w.state, &sunil, sunil_cursor).await;
    let merge = |user: &'static str, password: &'static str| {
        post_form_as(
            &w.state,
            user,
            password,
            "/duplicates/merge",
            "keep=case-suraj-en&other=case-suraj-hi&same=yes",
        )
    };
    // Without "they are the same child" ticked, nothing is merged.
    assert_eq!(
        post_form_as(
            &w.state,
            "meera",
            "gaya-password",
            "/duplicates/merge",
            "keep=case-suraj-en&other=case-suraj-hi",
        )
        .await,
        (
            StatusCode::SEE_OTHER,
            Some("/duplicates?error=same-child-unconfirmed".to_owned())
        )
    );
    let untouched = w.state.with_store(|s| s.cases(None)).await.expect("cases");
    assert!(untouched.iter().all(|c| c.is_active()), "nothing merged");
    assert_eq!(
        merge("ravi", "patna-password").await.0,
        StatusCode::NOT_FOUND,
        "another district's supervisor merges nothing"
    );
    let merged = (
        StatusCode::SEE_OTHER,
        Some("/cases/case-suraj-en".to_owned()),
    );
    assert_eq!(merge("meera", "gaya-password").await, merged);
    let cases = w.state.with_store(|s| s.cases(None)).await.expect("cases");
    let kept = cases
        .iter()
        .find(|c| c.id == "case-suraj-en")
        .expect("kept");
    let closed = cases
        .iter()
        .find(|c| c.id == "case-suraj-hi")
        .expect("closed");
    let carried = kept
        .visits
        .iter()
        .find(|v| v.id == "sunil-v1")
        .expect("Sunil's visit is on the kept case");
    assert_eq!(carried.by, sunil.author, "signed by Sunil, as he made it");
    assert!(kept.child.other_names.iter().any(|n| n == "सूरज यादव"));
    assert_eq!(closed.status.merged_into.as_deref(), Some("case-suraj-en"));
    assert!(!closed.is_active());

    // Merging again (a late visit could have come in) stores nothing twice.
    assert_eq!(merge("meera", "gaya-password").await, merged);
    let again = w.state.with_store(|s| s.cases(None)).await.expect("cases");
    let kept_again = again
        .iter()
        .find(|c| c.id == "case-suraj-en")
        .expect("kept");
    assert_eq!(kept_again.visits.len(), kept.visits.len());

    // The pair is settled; each case page says where the records are.
    let (_, page) = page_as(&w.state, "meera", "gaya-password", "/duplicates").await;
    assert!(page.contains("no-duplicates"), "{page}");
    let (_, page) = page_as(&w.state, "meera", "gaya-password", "/cases/case-suraj-hi").await;
    assert!(
        page.contains("merged-into") && page.contains("/cases/case-suraj-en"),
        "{page}"
    );
    let (_, page) = page_as(&w.state, "meera", "gaya-password", "/cases/case-suraj-en").await;
    assert!(page.contains("merged-from"), "{page}");
    let audit = w
        .state
        .with_store(|s| s.audit_log(Some("meera"), Some("case-suraj-en"), 10))
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|r| r.action == "merge"
                && r.detail.as_deref().is_some_and(|d| d.contains("1 visits"))),
        "{audit:?}"
    );

    // Sunil's phone learns at its next sync that its case was merged.
    let mut doc = b.clone();
    let mut cursor = sunil_cursor;
    loop {
        let got = round(&w.state, &sunil, cursor, Vec::new())
            .await
            .expect("a sync");
        for d in got
            .documents
            .iter()
            .filter(|d| d.case_id == "case-suraj-hi")
        {
            doc.merge(&mut AutoCommit::load(&d.doc).expect("a document"))
                .expect("merges");
        }
        for c in got.changes.iter().filter(|c| c.case_id == "case-suraj-hi") {
            doc.apply_changes([automerge::Change::try_from(c.bytes.as_slice()).expect("a change")])
                .expect("applies");
        }
        cursor = got.cursor;
        if !got.more {
            break;
        }
    }
    let on_phone = schema::read_case(&doc).expect("Sunil's phone holds the case");
    assert_eq!(
        on_phone.status.merged_into.as_deref(),
        Some("case-suraj-en")
    );

    // A phone may not mark a case merged itself (it would leave the reports unseen).
    let mut c = c;
    let heads = c.get_heads();
    homeward_shared::schema::merge::close_as_merged(
        &mut c,
        "case-suraj-en",
        chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        &ctx(&sunil.author),
    )
    .expect("written on the phone");
    let refused = round(
        &w.state,
        &sunil,
        Cursor::Start,
        push("case-sunil", &c, &heads),
    )
    .await
    .expect_err("refused");
    assert_eq!(refused.0, StatusCode::FORBIDDEN, "{}", refused.1);
    assert!(refused.1.contains("merged_into"), "{}", refused.1);
}

/// Asks the server, as `phone`, whether the child of `doc` is already followed.
async fn ask_duplicates(state: &AppState, phone: &Phone, doc: &AutoCommit) -> (StatusCode, String) {
    let case = schema::read_case(doc).expect("reads");
    let query = homeward_shared::duplicates::DuplicateQuery {
        profile: homeward_shared::model::Profile {
            case_id: case.id,
            child: case.child,
            rescue: case.rescue,
            legal_basis: case.legal_basis,
        },
    };
    let resp = router(state.clone())
        .oneshot(
            Request::post("/api/v1/duplicates")
                .header(header::AUTHORIZATION, format!("Bearer {}", phone.token))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&query).expect("json")))
                .expect("request"),
        )
        .await
        .expect("answers");
    let status = resp.status();
    let bytes = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Before Sunil registers the child Anita already follows, his phone (online) asks the server
/// and learns who follows him; his brother is no match, and the question is audited.
#[tokio::test]
async fn a_phone_asks_the_server_whether_a_child_is_already_followed_before_registering() {
    let w = world();
    let anita = w.phone("anita", 1, "Anita's phone").await;
    let sunil = w.phone("sunil", 2, "Sunil's phone").await;
    let named = |phone: &Phone, case_id: &str, name: &str| {
        let doc = register(phone, &phone.author, case_id);
        let mut case = schema::read_case(&doc).expect("reads");
        case.child.name = name.into();
        case.child.other_names.clear();
        let p = homeward_shared::model::Profile {
            case_id: case_id.into(),
            child: case.child,
            rescue: case.rescue,
            legal_basis: case.legal_basis,
        };
        schema::new_case(phone.actor.clone(), &p, &ctx(&phone.author)).expect("registers")
    };
    let suraj = named(&anita, "case-suraj-en", "Suraj Yadav");
    round(
        &w.state,
        &anita,
        Cursor::Start,
        push("case-suraj-en", &suraj, &[]),
    )
    .await
    .expect("pushed");

    let again = named(&sunil, "case-suraj-hi", "सूरज यादव");
    let (status, body) = ask_duplicates(&w.state, &sunil, &again).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: homeward_shared::duplicates::DuplicateAnswer =
        serde_json::from_str(&body).expect("an answer");
    assert_eq!(answer.matches.len(), 1, "{body}");
    assert_eq!(answer.matches[0].case_id, "case-suraj-en");
    assert_eq!(
        answer.matches[0].followed_by.as_deref(),
        Some(anita.author.name.as_str())
    );

    let brother = named(&sunil, "case-sunil", "Sunil Yadav");
    let (status, body) = ask_duplicates(&w.state, &sunil, &brother).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, r#"{"matches":[]}"#);

    let audit = w
        .state
        .with_store(|s| s.audit_log(Some("sunil"), None, 10))
        .await
        .expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|r| r.action == "duplicate-check")
            .count(),
        2,
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .all(|r| !r.detail.as_deref().unwrap_or("").contains("Suraj")),
        "the name asked about is not logged: {audit:?}"
    );
}

/// A form POST on the dashboard as a logged-in user; the status and the redirect.
async fn post_form_as(
    state: &AppState,
    user: &str,
    password: &str,
    uri: &str,
    body: &str,
) -> (StatusCode, Option<String>) {
    let (_, cookie) = crate::login(state, user, password).await;
    let cookie = cookie.expect("logged in");
    let resp = router(state.clone())
        .oneshot(
            Request::post(uri)
                .header(header::COOKIE, cookie)
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.to_owned()))
                .expect("request"),
        )
        .await
        .expect("answers");
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (resp.status(), location)
}

/// The family moved from Tekari (Gaya) to Rajgir (Nalanda): the fieldworker asks on the phone,
/// the Gaya supervisor sees it on `/moves`, a refusal needs a note, an approval a fieldworker of
/// Rajgir; approved, the case's place is Rajgir on the server and in the document, the Rajgir
/// fieldworker holds it and the Tekari fieldworker's phone drops it.
#[tokio::test]
async fn a_family_that_moved_is_moved_by_the_supervisor_not_by_the_phone() {
    let w = world();
    w.state
        .with_store(|s| {
            s.add_user_with_id(
                Some("rekha"),
                "Rekha Devi",
                Role::Fieldworker,
                &[("Nalanda".into(), "Rajgir".into())],
                None,
            )?;
            s.add_user_with_id(
                Some("ravi"),
                "Ravi Patna",
                Role::Supervisor,
                &[("Patna".into(), String::new())],
                Some("patna-password"),
            )?;
            s.set_password("meera", "gaya-password", "admin")
        })
        .await
        .expect("users");
    let anita = w.phone("anita", 1, "Anita's phone").await;
    let rekha = w.phone("rekha", 3, "Rekha's phone").await;
    let mut doc = register(&anita, &anita.author, "case-moved");
    let first = push("case-moved", &doc, &[]);
    let cursor = round(&w.state, &anita, Cursor::Start, first)
        .await
        .expect("pushed")
        .cursor;
    let heads = doc.get_heads();
    schema::apply(
        &mut doc,
        &Edit::RequestTransfer {
            district: "Nalanda".into(),
            block: "Rajgir".into(),
            village: "Pilkhi".into(),
            reason: "the father found work at a brick kiln there".into(),
            on: chrono::NaiveDate::from_ymd_opt(2026, 11, 18).expect("date"),
        },
        &ctx(&anita.author),
    )
    .expect("asks");
    let cursor = round(&w.state, &anita, cursor, push("case-moved", &doc, &heads))
        .await
        .expect("the request is pushed like any edit")
        .cursor;

    let (status, page) = page_as(&w.state, "meera", "gaya-password", "/moves").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("case-moved") && page.contains("Pilkhi") && page.contains("Rekha Devi"),
        "the request with the Rajgir fieldworker to choose: {page}"
    );
    let (_, other) = page_as(&w.state, "ravi", "patna-password", "/moves").await;
    assert!(
        !other.contains("case-moved"),
        "not another district's: {other}"
    );
    let post =
        |body: &'static str| post_form_as(&w.state, "meera", "gaya-password", "/moves", body);
    assert_eq!(
        post("case_id=case-moved&decision=refuse&note=").await,
        (
            StatusCode::SEE_OTHER,
            Some("/moves?error=note-needed".into())
        )
    );
    assert_eq!(
        post("case_id=case-moved&decision=approve&assignee=").await,
        (
            StatusCode::SEE_OTHER,
            Some("/moves?error=assignee-needed".into())
        )
    );
    assert_eq!(
        post("case_id=case-moved&decision=approve&assignee=sunil")
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a fieldworker of Tekari cannot follow the child to Rajgir"
    );
    let (status, _) = post_form_as(
        &w.state,
        "ravi",
        "patna-password",
        "/moves",
        "case_id=case-moved&decision=approve&assignee=rekha",
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another district's supervisor"
    );
    assert_eq!(
        post("case_id=case-moved&decision=approve&assignee=rekha").await,
        (StatusCode::SEE_OTHER, Some("/moves".into()))
    );

    let case = w
        .state
        .with_store(|s| s.cases(Some("Nalanda")))
        .await
        .expect("cases")
        .into_iter()
        .find(|c| c.id == "case-moved")
        .expect("the case is in Nalanda now");
    assert_eq!(
        (
            case.child.address.block.as_str(),
            case.child.address.village.as_str()
        ),
        ("Rajgir", "Pilkhi")
    );
    assert!(case.status.move_request.is_none());
    assert!(
        case.status
            .move_decision
            .as_ref()
            .is_some_and(|d| d.approved)
    );
    // The Rajgir phone receives it; the Tekari phone is told to drop it.
    let got = round(&w.state, &rekha, Cursor::Start, Vec::new())
        .await
        .expect("a sync");
    assert!(
        got.documents.iter().any(|d| d.case_id == "case-moved"),
        "the new fieldworker holds the case"
    );
    let old = round(&w.state, &anita, cursor, Vec::new())
        .await
        .expect("a sync");
    assert!(
        old.dropped.contains(&"case-moved".to_string()),
        "the former fieldworker's phone drops it: {:?}",
        old.dropped
    );
    // The case left Gaya: its supervisor no longer reads it, nor can decide on it again.
    assert_eq!(
        post("case_id=case-moved&decision=refuse&note=late").await.0,
        StatusCode::NOT_FOUND
    );
    let (_, page) = page_as(&w.state, "meera", "gaya-password", "/moves").await;
    assert!(page.contains("no-moves"), "{page}");
}
