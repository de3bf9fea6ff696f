//! Keys and bundles at the server (issue 14): devices enrolled with keys and their grants,
//! the signed revocation of every 410, bundles sealed by a synthetic device and imported by the
//! command line, the dashboard or a relaying phone, the confirmations a sync answers, the
//! server's bundle for one device, and the rotation of the server's keys.

use super::open_store;
use automerge::{ActorId, AutoCommit};
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use homeward_shared::bundle::{
    self, BundleReceipt, DeviceBundle, KeyGrant, ServerBundle, ServerKey,
};
use homeward_shared::edit::{Edit, EditContext, NeedUpdate, NewVisit};
use homeward_shared::model::{Author, VisitKind};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::schema;
use homeward_shared::seal::{self, Kind, PublicKeys, SEED_BYTES, SecretKeys, Signer};
use homeward_shared::wire::{self, CasePush, Cursor, SyncRequest, SyncResponse};
use homeward_sync_server::store::{Role, Store, Via};
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

const TEKARI: (&str, &str) = ("Gaya", "Tekari");
const PASSWORD: &str = "a-long-test-password";

/// A phone with keys: its token, device id, actor, the user it signs as and its secret keys.
#[derive(Clone)]
struct Phone {
    token: String,
    device: String,
    actor: ActorId,
    author: Author,
    keys: SecretKeys,
}

struct World {
    _tmp: tempfile::TempDir,
    state: AppState,
}

fn world() -> World {
    let tmp = tempfile::tempdir().expect("test step");
    let mut store = open_store(&tmp.path().join("s.db")).expect("test step");
    let tekari = [(TEKARI.0.to_owned(), TEKARI.1.to_owned())];
    let gaya = [("Gaya".to_owned(), String::new())];
    for (id, name, role, areas) in [
        ("anita", "Anita Kumari", Role::Fieldworker, &tekari[..]),
        ("sunil", "Sunil Das", Role::Fieldworker, &tekari[..]),
        ("meera", "Meera Singh", Role::Supervisor, &gaya[..]),
    ] {
        store
            .add_user_with_id(Some(id), name, role, areas, Some(PASSWORD))
            .expect("test step");
    }
    World {
        _tmp: tmp,
        state: AppState::new(store),
    }
}

impl World {
    /// Enrols a phone of `user` with keys made from `seed` (no keys when `None`).
    async fn phone(&self, user: &str, actor: u8, seed: Option<u8>) -> (Phone, Option<KeyGrant>) {
        let user = user.to_owned();
        let keys = SecretKeys::from_seed([seed.unwrap_or(0); SEED_BYTES]);
        let text = seed.map(|_| keys.public().to_text());
        let enrolled = self
            .state
            .with_store(move |s| {
                let code = s.enrolment_code(&user)?;
                s.enrol_with(&code, &[actor; 16], "phone", text.as_deref(), None, None)
            })
            .await
            .expect("enrols");
        (
            Phone {
                token: enrolled.token,
                device: enrolled.device_id,
                actor: ActorId::from(&[actor; 16][..]),
                author: Author {
                    user_id: enrolled.user_id,
                    name: enrolled.user_name,
                },
                keys,
            },
            enrolled.grant,
        )
    }

    async fn store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, homeward_sync_server::ApiError> + Send + 'static,
    ) -> Result<T, homeward_sync_server::ApiError> {
        self.state.with_store(f).await
    }

    async fn offered(&self) -> Vec<ServerKey> {
        self.store(|s| s.offered_keys()).await.expect("keys")
    }

    /// The key devices seal to: the newest offered.
    async fn server_key(&self) -> PublicKeys {
        self.offered().await.last().expect("a key").key.clone()
    }

    async fn import(&self, sealed: Vec<u8>, via: Via) -> Result<BundleReceipt, (u16, String)> {
        self.store(move |s| s.import_bundle(&sealed, via))
            .await
            .map_err(|e| (e.status().as_u16(), e.to_string()))
    }

    async fn stored_changes(&self) -> i64 {
        self.store(|s| s.stats()).await.expect("stats").changes
    }

    async fn http(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let resp = router(self.state.clone())
            .oneshot(req)
            .await
            .expect("answers");
        let (status, headers) = (resp.status(), resp.headers().clone());
        let body = to_bytes(resp.into_body(), 64 << 20).await.expect("body");
        (status, headers, body.to_vec())
    }

    async fn sync(&self, phone: &Phone, bundle_seen: u64, reference_version: u64) -> SyncResponse {
        let body = wire::encode(&SyncRequest {
            bundle_seen,
            cursor: Cursor::Start,
            budget: 1024 * 1024,
            reference_version,
            resources_version: 0,
            push: Vec::new(),
            spot_check_outcomes: Vec::new(),
        });
        let (status, _, bytes) = self
            .http(
                Request::post("/api/v1/sync")
                    .header(header::CONTENT_TYPE, wire::CONTENT_TYPE)
                    .header(header::AUTHORIZATION, format!("Bearer {}", phone.token))
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        wire::decode(&bytes).expect("a sync response")
    }

    async fn relay(&self, phone: &Phone, sealed: Vec<u8>) -> (StatusCode, String) {
        let (status, _, body) = self
            .http(
                Request::post("/api/v1/bundles")
                    .header(header::CONTENT_TYPE, "application/vnd.homeward.sealed")
                    .header(header::AUTHORIZATION, format!("Bearer {}", phone.token))
                    .body(Body::from(sealed))
                    .expect("request"),
            )
            .await;
        (status, String::from_utf8_lossy(&body).into_owned())
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

/// A synthetic child registered by `phone` in a block.
fn register(phone: &Phone, case_id: &str, (district, block): (&str, &str)) -> AutoCommit {
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 3,
        cases: 1,
        until: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        months: 6,
    });
    let mut profile = load.cases[0].profile.clone();
    profile.case_id = case_id.to_owned();
    profile.child.address.district = district.into();
    profile.child.address.block = block.into();
    schema::new_case(phone.actor.clone(), &profile, &ctx(&phone.author)).expect("registers")
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

fn whole(case_id: &str, doc: &AutoCommit) -> CasePush {
    CasePush {
        case_id: case_id.to_owned(),
        changes: doc
            .clone()
            .get_changes(&[])
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect(),
    }
}

fn hashes(doc: &AutoCommit) -> Vec<String> {
    let mut h: Vec<String> = doc
        .clone()
        .get_changes(&[])
        .iter()
        .map(|c| c.hash().to_string())
        .collect();
    h.sort();
    h
}

/// A bundle as a device makes it: its push, signed by `signer` (as device `device`), sealed
/// to `to`.
#[allow(clippy::too_many_arguments)] // Each test varies another of them.
fn sealed_as(
    signer: &Phone,
    device: &str,
    named: &str,
    seq: u64,
    made_at: &str,
    push: Vec<CasePush>,
    revocation: Option<Vec<u8>>,
    to: &PublicKeys,
) -> Vec<u8> {
    let request = wire::encode(&SyncRequest {
        bundle_seen: 0,
        cursor: Cursor::Start,
        budget: 0,
        reference_version: 0,
        resources_version: 0,
        push,
        spot_check_outcomes: Vec::new(),
    });
    let b = DeviceBundle {
        device: named.to_owned(),
        seq,
        made_at: made_at.to_owned(),
        request,
        pages: Vec::new(),
        revocation,
    };
    bundle::sign(
        &signer.keys,
        Kind::DeviceBundle,
        Signer::Device {
            device: device.to_owned(),
            key: signer.keys.public().id(),
        },
        &b,
    )
    .seal(to, [9; 32])
}

fn sealed(phone: &Phone, seq: u64, push: Vec<CasePush>, to: &PublicKeys) -> Vec<u8> {
    sealed_as(
        phone,
        &phone.device,
        &phone.device,
        seq,
        "2026-11-20T10:00:00Z",
        push,
        None,
        to,
    )
}

#[tokio::test]
async fn a_bundle_stores_its_cases_once_and_a_second_import_or_a_relay_stores_nothing_again() {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let (sunil, _) = w.phone("sunil", 2, Some(2)).await;
    let mut doc = register(&anita, "c1", TEKARI);
    visit(&mut doc, "v1", &anita.author);
    let file = sealed(&anita, 1, vec![whole("c1", &doc)], &w.server_key().await);
    let first = w.import(file.clone(), Via::Cli).await.expect("imported");
    assert!(!first.already);
    assert_eq!(first.device, anita.device);
    assert_eq!(first.user_name, "Anita Kumari");
    assert_eq!(first.cases.len(), 1);
    assert_eq!(first.cases[0].refused, None, "{:?}", first.cases);
    assert_eq!(first.cases[0].changes, 2, "the registration and the visit");
    let stored = w.stored_changes().await;
    assert_eq!(stored, 2);
    let again = w.import(file.clone(), Via::Cli).await.expect("answered");
    assert!(
        again.already,
        "the same file twice is the first import's receipt"
    );
    assert_eq!(again.cases, first.cases);
    let (status, body) = w.relay(&sunil, file).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let relayed: BundleReceipt = serde_json::from_str(&body).expect("a receipt");
    assert!(
        relayed.already,
        "a second phone relaying it stores nothing twice"
    );
    assert_eq!(w.stored_changes().await, stored, "nothing stored twice");
}

#[tokio::test]
async fn a_flipped_byte_or_a_file_not_sealed_is_refused_with_422_and_nothing_is_stored() {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let doc = register(&anita, "c1", TEKARI);
    let mut file = sealed(&anita, 1, vec![whole("c1", &doc)], &w.server_key().await);
    let at = file.len() / 2;
    file[at] ^= 1;
    let (status, message) = w.import(file, Via::Cli).await.expect_err("refused");
    assert_eq!(status, 422);
    assert!(message.contains("damaged"), "{message}");
    let (status, _) = w
        .import(b"a plain file".to_vec(), Via::Cli)
        .await
        .expect_err("refused");
    assert_eq!(status, 422);
    assert_eq!(
        w.stored_changes().await,
        0,
        "nothing of a refused file is stored"
    );
}

#[tokio::test]
async fn a_bundle_signed_with_another_devices_key_or_naming_another_device_is_refused() {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let (sunil, _) = w.phone("sunil", 2, Some(2)).await;
    let to = w.server_key().await;
    let doc = register(&anita, "c1", TEKARI);
    // Sunil's key claiming to be Anita's device.
    let forged = sealed_as(
        &sunil,
        &anita.device,
        &anita.device,
        1,
        "2026-11-20T10:00:00Z",
        vec![whole("c1", &doc)],
        None,
        &to,
    );
    let (status, message) = w.import(forged, Via::Cli).await.expect_err("refused");
    assert_eq!(status, 422, "{message}");
    assert!(message.contains("registered keys"), "{message}");
    // Signed by Sunil, naming Anita's device.
    let misnamed = sealed_as(
        &sunil,
        &sunil.device,
        &anita.device,
        1,
        "2026-11-20T10:00:00Z",
        vec![whole("c1", &doc)],
        None,
        &to,
    );
    let (status, message) = w.import(misnamed, Via::Cli).await.expect_err("refused");
    assert_eq!(status, 403, "{message}");
    assert_eq!(w.stored_changes().await, 0);
}

#[tokio::test]
async fn a_revoked_devices_bundle_is_taken_if_made_before_the_revocation_and_refused_after() {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let to = w.server_key().await;
    let doc = register(&anita, "c1", TEKARI);
    let device = anita.device.clone();
    w.store(move |s| s.revoke(&device)).await.expect("revoked");
    let after = sealed_as(
        &anita,
        &anita.device,
        &anita.device,
        2,
        "2099-01-01T00:00:00Z",
        vec![whole("c1", &doc)],
        None,
        &to,
    );
    let (status, message) = w.import(after, Via::Cli).await.expect_err("refused");
    assert_eq!(status, 403, "{message}");
    assert!(message.contains("revoked"), "{message}");
    let before = sealed_as(
        &anita,
        &anita.device,
        &anita.device,
        1,
        "2020-01-01T00:00:00Z",
        vec![whole("c1", &doc)],
        None,
        &to,
    );
    let r = w.import(before, Via::Cli).await.expect("taken");
    assert_eq!(r.cases[0].refused, None, "{:?}", r.cases);
    assert_eq!(w.stored_changes().await, 1);
}

#[tokio::test]
async fn every_410_carries_a_revocation_the_device_verifies_and_a_leftover_is_taken_from_an_admin_only()
 {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let (sunil, _) = w.phone("sunil", 2, Some(2)).await;
    let offered = w.offered().await;
    let device = anita.device.clone();
    w.store(move |s| s.revoke(&device)).await.expect("revoked");
    let (status, headers, _) = w
        .http(
            Request::post("/api/v1/sync")
                .header(header::CONTENT_TYPE, wire::CONTENT_TYPE)
                .header(header::AUTHORIZATION, format!("Bearer {}", anita.token))
                .body(Body::from(Vec::new()))
                .expect("request"),
        )
        .await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(headers.get("homeward-wipe").expect("wipe"), "1");
    let statement = hex::decode(
        headers
            .get("homeward-revocation")
            .expect("a signed revocation")
            .to_str()
            .expect("text"),
    )
    .expect("hex");
    let r = bundle::verify_revocation(&statement, &offered, &anita.device).expect("verifies");
    assert_eq!(r.device, anita.device);
    assert!(
        bundle::verify_revocation(&statement, &offered, &sunil.device).is_err(),
        "it names its device only"
    );
    // The leftover the phone makes at its wipe.
    let doc = register(&anita, "c1", TEKARI);
    let leftover = sealed_as(
        &anita,
        &anita.device,
        &anita.device,
        1,
        "2099-01-01T00:00:00Z",
        vec![whole("c1", &doc)],
        Some(statement),
        &w.server_key().await,
    );
    let (status, body) = w.relay(&sunil, leftover.clone()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a stranger relays no leftover: {body}"
    );
    assert!(body.contains("admin"), "{body}");
    let (status, _) = w
        .import(
            leftover.clone(),
            Via::Dashboard {
                user: "meera".into(),
                admin: false,
            },
        )
        .await
        .expect_err("a supervisor's upload is refused");
    assert_eq!(status, 403);
    assert_eq!(w.stored_changes().await, 0);
    let r = w
        .import(leftover, Via::Cli)
        .await
        .expect("an admin imports it");
    assert_eq!(r.cases[0].refused, None, "{:?}", r.cases);
    assert_eq!(w.stored_changes().await, 1);
}

#[tokio::test]
async fn a_leftover_relayed_by_a_new_phone_of_the_same_user_is_taken() {
    let w = world();
    let (old, _) = w.phone("anita", 1, Some(1)).await;
    let device = old.device.clone();
    w.store(move |s| s.revoke(&device)).await.expect("revoked");
    let current = w.store(|s| s.current_key()).await.expect("key");
    let statement = bundle::revocation(&current, &old.device, "2026-11-20T10:00:00Z").to_bytes();
    let (new, _) = w.phone("anita", 3, Some(3)).await;
    let doc = register(&old, "c1", TEKARI);
    let leftover = sealed_as(
        &old,
        &old.device,
        &old.device,
        1,
        "2099-01-01T00:00:00Z",
        vec![whole("c1", &doc)],
        Some(statement),
        &w.server_key().await,
    );
    let (status, body) = w.relay(&new, leftover).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn an_older_bundle_after_a_newer_is_refused_with_409() {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let to = w.server_key().await;
    let mut doc = register(&anita, "c1", TEKARI);
    let one = sealed(&anita, 1, vec![whole("c1", &doc)], &to);
    visit(&mut doc, "v1", &anita.author);
    let two = sealed(&anita, 2, vec![whole("c1", &doc)], &to);
    w.import(two, Via::Cli).await.expect("the newer");
    let (status, message) = w.import(one, Via::Cli).await.expect_err("refused");
    assert_eq!(status, 409);
    assert!(message.contains("older than bundle 2"), "{message}");
}

#[tokio::test]
async fn one_case_out_of_scope_is_refused_and_the_others_are_stored_and_confirmed_at_the_next_sync()
{
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let ours = register(&anita, "c1", TEKARI);
    let theirs = register(&anita, "c2", ("Patna", "Masaurhi"));
    let file = sealed(
        &anita,
        1,
        vec![whole("c1", &ours), whole("c2", &theirs)],
        &w.server_key().await,
    );
    let r = w.import(file, Via::Cli).await.expect("imported");
    assert_eq!(r.cases[0].refused, None, "{:?}", r.cases);
    let why = r.cases[1].refused.as_deref().expect("c2 refused");
    assert!(why.contains("outside"), "{why}");
    assert_eq!(w.stored_changes().await, 1, "c1 only");
    let resp = w.sync(&anita, 0, 0).await;
    let bundled = resp.bundled.expect("confirmations");
    assert_eq!(bundled.seq, 1);
    let mut confirmed = bundled.changes.clone();
    confirmed.sort();
    assert_eq!(confirmed, hashes(&ours), "exactly c1's changes");
    assert!(
        w.sync(&anita, 1, 0).await.bundled.is_none(),
        "nothing more once the phone has applied them"
    );
}

#[tokio::test]
async fn the_server_bundle_opens_with_the_devices_keys_and_carries_its_cases() {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let (meera, _) = w.phone("meera", 4, Some(4)).await;
    let (keyless, _) = w.phone("sunil", 2, None).await;
    let doc = register(&anita, "c1", TEKARI);
    let file = sealed(&anita, 1, vec![whole("c1", &doc)], &w.server_key().await);
    w.import(file, Via::Cli).await.expect("imported");
    let device = meera.device.clone();
    let out = w
        .store(move |s| s.export_bundle(&device, "command-line"))
        .await
        .expect("exported");
    assert_eq!(out.documents, 1);
    let signed = seal::open(&out.sealed, std::slice::from_ref(&meera.keys), "phone")
        .expect("opens with the phone's keys");
    let offered = w.offered().await;
    let by = bundle::server_key(&offered, &signed.signer).expect("a server key");
    let b: ServerBundle = signed
        .open_as(Kind::ServerBundle, by)
        .expect("verifies with the offered keys");
    assert_eq!(b.device, meera.device);
    assert_eq!(b.from, Cursor::Start);
    let resp: SyncResponse = wire::decode(&b.response).expect("a sync response");
    assert_eq!(resp.documents.len(), 1);
    assert_eq!(resp.documents[0].case_id, "c1");
    assert!(resp.reference.is_some(), "reference data always");
    assert!(
        seal::open(&out.sealed, std::slice::from_ref(&anita.keys), "phone").is_err(),
        "another phone cannot open it"
    );
    let device = keyless.device.clone();
    let e = w
        .store(move |s| s.export_bundle(&device, "command-line"))
        .await
        .expect_err("no keys");
    assert!(e.to_string().contains("no keys"), "{e}");
}

#[tokio::test]
async fn a_rotated_key_is_offered_with_its_endorsement_and_the_old_key_opens_until_retired() {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let first = w.offered().await;
    assert_eq!(first.len(), 1);
    let old = first[0].key.clone();
    let rotated = w
        .store(|s| s.rotate_key("command-line"))
        .await
        .expect("rotates");
    let offered = w.offered().await;
    assert_eq!(offered.len(), 2, "both keys during the overlap");
    assert_eq!(offered[0].key, old, "oldest first");
    assert_eq!(offered[1].id().0, rotated.id);
    assert!(offered[1].endorsement.is_some());
    let trusted = bundle::trusted_keys(&first, &offered);
    assert_eq!(trusted.len(), 2, "a phone takes the endorsed key");
    let resp = w.sync(&anita, 0, 0).await;
    assert_eq!(
        resp.reference.expect("reference").server_keys,
        offered,
        "the reference carries the offered keys"
    );
    let mut doc = register(&anita, "c1", TEKARI);
    let to_old = sealed(&anita, 1, vec![whole("c1", &doc)], &old);
    w.import(to_old, Via::Cli)
        .await
        .expect("the old key still opens during the overlap");
    let old_id = old.id().0;
    let current = rotated.id.clone();
    let e = w
        .store(move |s| s.retire_key(&current, "command-line"))
        .await
        .expect_err("the current key is not retired");
    assert_eq!(e.status(), StatusCode::CONFLICT);
    w.store(move |s| s.retire_key(&old_id, "command-line"))
        .await
        .expect("retired");
    assert_eq!(w.offered().await.len(), 1);
    visit(&mut doc, "v1", &anita.author);
    let late = sealed(&anita, 2, vec![whole("c1", &doc)], &old);
    let (status, message) = w.import(late, Via::Cli).await.expect_err("refused");
    assert_eq!(status, 422);
    assert!(message.contains("retired"), "{message}");
}

#[tokio::test]
async fn an_enrolment_with_keys_gets_a_grant_whose_certificate_verifies() {
    let w = world();
    let keys = SecretKeys::from_seed([5; SEED_BYTES]);
    let code = w
        .store(|s| s.enrolment_code("anita"))
        .await
        .expect("a code");
    let body = serde_json::json!({
        "code": code, "actor": hex::encode([5u8; 16]), "name": "phone",
        "keys": keys.public().to_text(), "phone": "+91 98765 43210",
    });
    let (status, _, bytes) = w
        .http(
            Request::post("/api/v1/enrol")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let enrolled: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let grant: KeyGrant = serde_json::from_value(enrolled["grant"].clone()).expect("a grant");
    let cert = bundle::verify_certificate(&grant.certificate, &grant.server_keys)
        .expect("the certificate verifies with the server keys given");
    assert_eq!(cert.device, enrolled["device_id"].as_str().expect("id"));
    assert_eq!(cert.keys, keys.public());
    assert_eq!(cert.user_name, "Anita Kumari");
    assert_eq!(hex::decode(&grant.sms_key).expect("hex").len(), 32);
}

#[tokio::test]
async fn keys_given_later_are_set_once_the_same_keys_answer_the_same_grant_and_others_409() {
    let w = world();
    let (phone, grant) = w.phone("anita", 1, None).await;
    assert!(grant.is_none(), "no keys, no grant");
    let ask = |text: String| {
        Request::post("/api/v1/keys")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {}", phone.token))
            .body(Body::from(serde_json::json!({ "keys": text }).to_string()))
            .expect("request")
    };
    let text = SecretKeys::from_seed([6; SEED_BYTES]).public().to_text();
    let (status, _, first) = w.http(ask(text.clone())).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&first)
    );
    let (status, _, again) = w.http(ask(text)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first, again, "the same keys, the same grant");
    let other = SecretKeys::from_seed([7; SEED_BYTES]).public().to_text();
    let (status, _, _) = w.http(ask(other)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, _) = w.http(ask("hwkey1:nothex".into())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// A `multipart/form-data` upload of `file` to the dashboard's `/bundles/import`.
fn upload(cookie: &str, uri: &str, file: &[u8]) -> Request<Body> {
    let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.hwsealed\"\r\nContent-Type: application/octet-stream\r\n\r\n".to_vec();
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n--XyZ--\r\n");
    Request::post(uri)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn a_supervisor_uploads_a_file_on_the_dashboard_and_reads_the_receipt_in_english_and_hindi() {
    let w = world();
    let (anita, _) = w.phone("anita", 1, Some(1)).await;
    let (meera_phone, _) = w.phone("meera", 4, Some(4)).await;
    let to = w.server_key().await;
    let ours = register(&anita, "c1", TEKARI);
    let theirs = register(&anita, "c2", ("Patna", "Masaurhi"));
    let file = sealed(
        &anita,
        1,
        vec![whole("c1", &ours), whole("c2", &theirs)],
        &to,
    );
    let (_, cookie) = crate::login(&w.state, "meera", PASSWORD).await;
    let cookie = cookie.expect("a session");
    let (status, _, page) = w.http(upload(&cookie, "/bundles/import", &file)).await;
    let page = String::from_utf8_lossy(&page).into_owned();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Case c1: stored (1 changes)"), "{page}");
    assert!(page.contains("Case c2: refused"), "{page}");
    let (status, _, page) = w
        .http(upload(&cookie, "/bundles/import?lang=hi", &file))
        .await;
    let page = String::from_utf8_lossy(&page).into_owned();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("यह फ़ाइल पहले ली जा चुकी है"),
        "the second upload is the first's receipt, in Hindi: {page}"
    );
    assert!(page.contains("केस c1: रखा गया"), "{page}");
    assert_eq!(w.stored_changes().await, 1);
    // The file of a phone's next sync, for a phone of her areas.
    let (status, headers, bytes) = w
        .http(
            Request::post("/bundles/export")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, &cookie)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(format!("device={}", meera_phone.device)))
                .expect("request"),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(
        headers.get(header::CONTENT_TYPE).expect("a type"),
        "application/vnd.homeward.sealed"
    );
    seal::open(&bytes, std::slice::from_ref(&meera_phone.keys), "phone")
        .expect("the phone opens it");
}

/// Runs `homeward-sync-server --db DB ARGS`: success, stdout, stderr.
fn cli(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"))
        .arg("--db")
        .arg(super::db_flag(db))
        .args(args)
        .output()
        .expect("the server binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_imports_and_exports_files_and_rotates_keys() {
    let tmp = tempfile::tempdir().expect("a folder");
    let db = tmp.path().join("s.db");
    let (phone, to) = {
        let mut store = open_store(&db).expect("opens");
        let tekari = [(TEKARI.0.to_owned(), TEKARI.1.to_owned())];
        store
            .add_user_with_id(
                Some("anita"),
                "Anita Kumari",
                Role::Fieldworker,
                &tekari,
                None,
            )
            .expect("a user");
        let keys = SecretKeys::from_seed([1; SEED_BYTES]);
        let code = store.enrolment_code("anita").expect("a code");
        let enrolled = store
            .enrol_with(
                &code,
                &[1; 16],
                "phone",
                Some(&keys.public().to_text()),
                None,
                None,
            )
            .expect("enrols");
        let to = store.offered_keys().expect("keys")[0].key.clone();
        (
            Phone {
                token: enrolled.token,
                device: enrolled.device_id,
                actor: ActorId::from(&[1u8; 16][..]),
                author: Author {
                    user_id: enrolled.user_id,
                    name: enrolled.user_name,
                },
                keys,
            },
            to,
        )
    };
    let (ok, out, err) = cli(&db, &["keys", "list"]);
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("signs now"), "{out}");
    let file = tmp.path().join("b1.hwsealed");
    let doc = register(&phone, "c1", TEKARI);
    std::fs::write(&file, sealed(&phone, 1, vec![whole("c1", &doc)], &to)).expect("writes");
    let path = file.to_str().expect("a path");
    let (ok, out, err) = cli(&db, &["bundle", "import", path]);
    assert!(ok, "{err}");
    assert!(out.contains("case c1: stored (1 change(s))"), "{out}");
    let (ok, out, _) = cli(&db, &["bundle", "import", path]);
    assert!(ok && out.contains("imported before"), "{out}");
    // A file whose every case is refused exits non-zero.
    let refused = tmp.path().join("b2.hwsealed");
    let other = register(&phone, "c2", ("Patna", "Masaurhi"));
    std::fs::write(&refused, sealed(&phone, 2, vec![whole("c2", &other)], &to)).expect("writes");
    let (ok, out, err) = cli(
        &db,
        &["bundle", "import", refused.to_str().expect("a path")],
    );
    assert!(!ok, "every case refused: {out}");
    assert!(out.contains("case c2: refused"), "{out}");
    assert!(err.contains("every case"), "{err}");
    let exported = tmp.path().join("for-phone.hwsealed");
    let (ok, out, err) = cli(
        &db,
        &[
            "bundle",
            "export",
            "--device",
            &phone.device,
            "-o",
            exported.to_str().expect("a path"),
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("bytes"), "{out}");
    let bytes = std::fs::read(&exported).expect("the file");
    seal::open(&bytes, std::slice::from_ref(&phone.keys), "phone").expect("the phone opens it");
    let (ok, _, err) = cli(&db, &["keys", "rotate"]);
    assert!(ok, "{err}");
    let (_, out, _) = cli(&db, &["keys", "list"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("overlap"), "{out}");
}
