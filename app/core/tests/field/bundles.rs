//! Sync with no network (issue 14), through the library: keys at enrolment and at an old store's
//! next sync, bundles out and their confirmation, the server's bundle received (and every
//! refusal changing nothing), the relay queue, a verified and an unverified revocation, and
//! server key rotation. A fake server ("the office") holds a test server key and builds its
//! answers with `homeward_shared::bundle` and `seal`.

use std::sync::{Arc, Mutex};

use homeward_field::store::{Outbox, Received};
use homeward_field::sync::{self, Outcome, SyncOptions};
use homeward_field::{FieldError, Store};
use homeward_shared::bundle::{
    self, BundleReceipt, DeviceBundle, DeviceCertificate, KeyGrant, ServerBundle, ServerKey,
};
use homeward_shared::seal::{self, Kind, PublicKeys, SEED_BYTES, SecretKeys, Signer};
use homeward_shared::wire::{self, BundleConfirmations, Cursor, SyncRequest, SyncResponse};

use crate::support::{Folder, new_store, profile};
use crate::sync::{Fake, Reply, TOKEN, unsynced_visit};

/// The office's key.
pub(crate) fn server_secret() -> SecretKeys {
    SecretKeys::from_seed([7; SEED_BYTES])
}

/// The office's first key, as a device trusts it.
pub(crate) fn first_key(k: &SecretKeys) -> ServerKey {
    ServerKey {
        key: k.public(),
        since: "2026-01-01T00:00:00Z".into(),
        endorsement: None,
    }
}

/// The grant for a device's keys: the office's key, a certificate, an SMS key and number.
pub(crate) fn grant_for(keys: &PublicKeys, device: &str) -> KeyGrant {
    let server = server_secret();
    let cert = bundle::sign(
        &server,
        Kind::DeviceCertificate,
        Signer::Server {
            key: server.public().id(),
        },
        &DeviceCertificate {
            device: device.into(),
            keys: keys.clone(),
            user_id: "anita".into(),
            user_name: "Anita Kumari".into(),
            issued_at: "2026-11-01T00:00:00Z".into(),
        },
    );
    KeyGrant {
        server_keys: vec![first_key(&server)],
        certificate: cert.to_bytes(),
        sms_key: "ab".repeat(32),
        sms_number: Some("+919800000000".into()),
    }
}

/// The keys in a request's JSON body (`keys`).
fn keys_in(body: &[u8]) -> Option<PublicKeys> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    PublicKeys::from_text(v.get("keys")?.as_str()?).ok()
}

fn json(status: u16, v: &impl serde::Serialize) -> Reply {
    (
        status,
        vec![("content-type".into(), "application/json".into())],
        serde_json::to_vec(v).expect("json"),
    )
}

/// What the office saw and how it answers.
#[derive(Default)]
pub(crate) struct Office {
    /// Enrolment bodies received.
    pub(crate) enrolments: Vec<serde_json::Value>,
    /// Keys sent to `POST /api/v1/keys`.
    pub(crate) keys: Vec<PublicKeys>,
    /// Sync requests received, in order.
    pub(crate) syncs: Vec<SyncRequest>,
    /// Sealed files received at `POST /api/v1/bundles`.
    pub(crate) bundles: Vec<Vec<u8>>,
    /// Paths in the order they came.
    pub(crate) paths: Vec<String>,
    /// Whether enrolment answers with a grant (a server from before keys does not).
    pub(crate) no_grant: bool,
    /// Whether `POST /api/v1/keys` gets an answer no HTTP client reads (a broken link).
    pub(crate) keys_broken: bool,
    /// The confirmations every sync answer carries.
    pub(crate) bundled: Option<BundleConfirmations>,
    /// A case the office refuses inside every file it takes: (case, why).
    pub(crate) case_refused: Option<(String, String)>,
    /// The status of `POST /api/v1/bundles` (200 when unset) and a refusal's text.
    pub(crate) relay_refusal: Option<(u16, String)>,
    /// Every request after enrolment answers 410, with this `homeward-revocation` (hex) if any.
    pub(crate) revoke: Option<Option<String>>,
}

pub(crate) type Shared = Arc<Mutex<Office>>;

/// The office on 127.0.0.1:0: enrolment (with a grant for the keys sent), keys, bundles and
/// sync (every change stored; the cursor moves one step a round).
pub(crate) fn office() -> (Fake, Shared) {
    office_for(usize::MAX)
}

/// The office answering `connections` connections, then gone (no network).
pub(crate) fn office_for(connections: usize) -> (Fake, Shared) {
    let state: Shared = Arc::default();
    let st = state.clone();
    let fake = Fake::start_all(connections, move |path, body| {
        let mut s = st.lock().expect("office");
        s.paths.push(path.to_owned());
        if path == "/api/v1/enrol" {
            let v: serde_json::Value = serde_json::from_slice(body).expect("an enrolment");
            s.enrolments.push(v);
            let mut answer = serde_json::json!({
                "device_id": "dev1", "token": TOKEN, "user_id": "anita",
                "user_name": "Anita Kumari", "role": "fieldworker"
            });
            if let (Some(keys), false) = (keys_in(body), s.no_grant) {
                answer["grant"] = serde_json::to_value(grant_for(&keys, "dev1")).expect("json");
            }
            return json(200, &answer);
        }
        if let Some(statement) = &s.revoke {
            let mut headers = vec![("homeward-wipe".to_owned(), "1".to_owned())];
            if let Some(h) = statement {
                headers.push(("homeward-revocation".into(), h.clone()));
            }
            return (410, headers, b"revoked".to_vec());
        }
        match path {
            "/api/v1/keys" if s.keys_broken => (0, vec![], vec![]),
            "/api/v1/keys" => {
                let keys = keys_in(body).expect("keys");
                s.keys.push(keys.clone());
                json(200, &grant_for(&keys, "dev1"))
            }
            "/api/v1/bundles" => {
                if let Some((status, why)) = &s.relay_refusal {
                    return (*status, vec![], why.clone().into_bytes());
                }
                s.bundles.push(body.to_vec());
                json(
                    200,
                    &BundleReceipt {
                        bundle: homeward_shared::attachment::sha256_hex(body),
                        kind: "device_bundle".into(),
                        device: "dev9".into(),
                        user_name: "Sunita Devi".into(),
                        seq: 1,
                        already: false,
                        cases: std::iter::once(bundle::CaseResult {
                            case: "case-z".into(),
                            changes: 3,
                            refused: None,
                        })
                        .chain(s.case_refused.iter().map(|(case, why)| bundle::CaseResult {
                            case: case.clone(),
                            changes: 0,
                            refused: Some(why.clone()),
                        }))
                        .collect(),
                        outcomes: vec![],
                        pages: 0,
                    },
                )
            }
            "/api/v1/sync" => {
                let req = wire::decode_request(body).expect("a sync request");
                let pushed: usize = req.push.iter().map(|p| p.changes.len()).sum();
                s.syncs.push(req);
                let resp = SyncResponse {
                    bundled: s.bundled.clone(),
                    stored: u32::try_from(pushed).expect("small"),
                    documents: vec![],
                    changes: vec![],
                    dropped: vec![],
                    cursor: Cursor::Feed(u64::try_from(s.syncs.len()).expect("small")),
                    more: false,
                    reference: None,
                    spot_check_results: vec![],
                };
                (200, vec![], wire::encode(&resp))
            }
            _ => (404, vec![], b"not found".to_vec()),
        }
    });
    (fake, state)
}

pub(crate) fn enrolled_at(tmp: &Folder, server: &Fake) -> Store {
    let mut store = new_store(tmp.path());
    sync::enrol_store_with_phone(
        &mut store,
        &server.url,
        "CODE-1",
        "phone",
        Some("+91 98000 00000"),
        false,
    )
    .expect("enrols");
    store
}

fn sync_once(store: &mut Store) -> homeward_field::Result<Outcome> {
    let opts = SyncOptions {
        retries: 0,
        ..SyncOptions::default()
    };
    sync::sync(store, &opts, &mut |_| {})
}

fn synced(store: &mut Store) -> sync::SyncReport {
    match sync_once(store).expect("syncs") {
        Outcome::Synced(r) => r,
        other => panic!("not synced: {other:?}"),
    }
}

/// Opens a device's bundle as the office does: the file with the office key, the signature
/// with the device's keys.
pub(crate) fn open_device_bundle(
    sealed: &[u8],
    device: &PublicKeys,
) -> (DeviceBundle, SyncRequest) {
    let signed = seal::open(sealed, &[server_secret()], "server").expect("sealed to the office");
    let b: DeviceBundle = signed
        .open_as(Kind::DeviceBundle, device)
        .expect("signed by the device");
    let req = wire::decode_request(&b.request).expect("a request");
    (b, req)
}

/// The change hashes (hex) of a request's push.
fn hashes(req: &SyncRequest) -> Vec<String> {
    req.push
        .iter()
        .flat_map(|p| &p.changes)
        .map(|c| {
            automerge::Change::from_bytes(c.clone())
                .expect("a change")
                .hash()
                .to_string()
        })
        .collect()
}

fn public(store: &Store) -> PublicKeys {
    store
        .device_keys()
        .expect("reads")
        .expect("has keys")
        .public()
}

/// A server bundle for `device`, from `from`, bringing one case document and the cursor `to`.
fn server_bundle(
    device: &str,
    to_keys: &PublicKeys,
    from: Cursor,
    to: u64,
    doc: Vec<u8>,
) -> Vec<u8> {
    let server = server_secret();
    let resp = SyncResponse {
        bundled: None,
        stored: 0,
        documents: vec![wire::Document {
            case_id: "case-s".into(),
            doc,
        }],
        changes: vec![],
        dropped: vec![],
        cursor: Cursor::Feed(to),
        more: false,
        reference: None,
        spot_check_results: vec![],
    };
    bundle::sign(
        &server,
        Kind::ServerBundle,
        Signer::Server {
            key: server.public().id(),
        },
        &ServerBundle {
            device: device.into(),
            made_at: "2026-11-05T10:00:00Z".into(),
            from,
            response: wire::encode(&resp),
        },
    )
    .seal(to_keys, [3; 32])
}

/// A case document made on another phone.
fn a_case_from_elsewhere() -> Vec<u8> {
    let tmp = Folder::new();
    let mut other = new_store(tmp.path());
    other
        .register(
            &profile("case-s", "Sita Kumari", "Rampur"),
            crate::support::at("2026-11-02"),
        )
        .expect("registers");
    other.export("case-s").expect("exports")
}

#[test]
fn enrolment_sends_the_keys_and_keeps_the_servers_grant() {
    let (server, office) = office();
    let tmp = Folder::new();
    let store = enrolled_at(&tmp, &server);
    let sent = office.lock().expect("office").enrolments[0].clone();
    assert_eq!(
        sent["keys"].as_str(),
        store.public_key_text().expect("reads").as_deref(),
        "the enrolment carries this device's public keys"
    );
    assert_eq!(sent["phone"], "+91 98000 00000", "and the SMS number");
    assert_eq!(
        store.trusted_server_keys().expect("reads"),
        vec![first_key(&server_secret())],
        "the server's key is trusted from the grant"
    );
    assert!(store.certificate().is_ok(), "the certificate is kept");
    assert_eq!(store.sms_key().expect("reads"), Some([0xab; 32]));
}

#[test]
fn a_store_enrolled_before_keys_gets_them_at_its_next_sync_once() {
    let (server, office) = office();
    office.lock().expect("office").no_grant = true;
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    assert!(store.certificate().is_err(), "no grant at enrolment");
    office.lock().expect("office").no_grant = false;
    synced(&mut store);
    synced(&mut store);
    let o = office.lock().expect("office");
    assert_eq!(o.keys, vec![public(&store)], "asked once, with its keys");
    assert_eq!(
        o.paths.iter().position(|p| p == "/api/v1/keys"),
        Some(1),
        "before the first round"
    );
    assert!(store.certificate().is_ok(), "the grant is kept");
}

#[test]
fn bundled_changes_are_not_pushed_and_the_servers_confirmation_settles_them() {
    let (server, office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    unsynced_visit(&mut store);
    let b = store
        .export_bundle([1; 32])
        .expect("exports")
        .expect("something to carry");
    assert_eq!((b.seq, b.cases, b.changes, b.outcomes), (1, 1, 2, 0));
    assert_eq!(b.bytes, b.sealed.len());
    let (payload, req) = open_device_bundle(&b.sealed, &public(&store));
    assert_eq!((payload.device.as_str(), payload.seq), ("dev1", 1));
    assert!(payload.revocation.is_none());
    // The office imported the bundle: its sync answers confirm those changes.
    office.lock().expect("office").bundled = Some(BundleConfirmations {
        seq: 1,
        changes: hashes(&req),
        outcomes: vec![],
    });
    let r = synced(&mut store);
    assert_eq!(r.confirmed, 2, "the confirmation settles both");
    assert_eq!(store.unconfirmed().expect("counts"), (0, 0));
    synced(&mut store);
    let o = office.lock().expect("office");
    assert!(
        o.syncs.iter().all(|s| s.push.is_empty()),
        "the bundled changes never went up again"
    );
    assert_eq!(o.syncs[0].bundle_seen, 0);
    assert_eq!(
        o.syncs.last().expect("synced").bundle_seen,
        1,
        "the device says which bundles it has seen confirmed"
    );
}

#[test]
fn a_bundle_that_never_arrived_costs_one_round() {
    let (server, office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    unsynced_visit(&mut store);
    store
        .export_bundle([1; 32])
        .expect("exports")
        .expect("made");
    let r = synced(&mut store);
    assert_eq!(r.rounds, 2);
    assert_eq!(store.unconfirmed().expect("counts"), (0, 0));
    let o = office.lock().expect("office");
    let pushed: Vec<usize> = o
        .syncs
        .iter()
        .map(|s| s.push.iter().map(|p| p.changes.len()).sum())
        .collect();
    assert_eq!(
        pushed,
        [0, 2],
        "the first round leaves them out, the second sends them"
    );
}

#[test]
fn nothing_unconfirmed_makes_no_bundle() {
    let (server, _office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    assert!(store.export_bundle([1; 32]).expect("asks").is_none());
}

#[test]
fn the_servers_bundle_is_applied_once_and_every_other_file_changes_nothing() {
    let (server, _office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let doc = a_case_from_elsewhere();
    let mine = public(&store);
    let file = server_bundle("dev1", &mine, Cursor::Start, 5, doc.clone());
    let got = store.receive(&file).expect("applies");
    assert_eq!(
        got,
        Received::Applied {
            documents: 1,
            changes: 0,
            confirmed: 0
        }
    );
    assert_eq!(store.cursor().expect("cursor"), Cursor::Feed(5));
    assert!(store.case("case-s").is_ok(), "the case arrived");

    let other_phone = SecretKeys::from_seed([9; SEED_BYTES]).public();
    let mut flipped = server_bundle("dev1", &mine, Cursor::Feed(5), 9, doc.clone());
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let refusals: Vec<(&str, Vec<u8>, &str)> = vec![
        ("the same file again", file.clone(), "replay"),
        (
            "an older file",
            server_bundle("dev1", &mine, Cursor::Start, 4, doc.clone()),
            "replay",
        ),
        (
            "another phone's file",
            server_bundle("dev2", &other_phone, Cursor::Start, 9, doc.clone()),
            "not this phone's",
        ),
        (
            "a file naming another device",
            server_bundle("dev2", &mine, Cursor::Feed(5), 9, doc.clone()),
            "for device dev2",
        ),
        (
            "a file for a phone further along",
            server_bundle("dev1", &mine, Cursor::Feed(7), 9, doc.clone()),
            "further along",
        ),
        ("a flipped byte", flipped, "damaged"),
        (
            "not a sealed file",
            b"hello".to_vec(),
            "not a Homeward sealed file",
        ),
    ];
    for (what, bytes, says) in refusals {
        let err = store.receive(&bytes).expect_err(what);
        assert!(
            err.to_string().contains(says),
            "{what}: the refusal says why: {err}"
        );
        assert!(err.is_bad_input(), "{what}: exit 2");
        assert_eq!(
            store.cursor().expect("cursor"),
            Cursor::Feed(5),
            "{what}: nothing changed"
        );
        assert_eq!(store.relay_list().expect("relay").len(), 0, "{what}");
    }
}

/// A colleague's bundle, sealed to the office.
pub(crate) fn colleagues_bundle(n: u8) -> Vec<u8> {
    let colleague = SecretKeys::from_seed([n; SEED_BYTES]);
    bundle::sign(
        &colleague,
        Kind::DeviceBundle,
        Signer::Device {
            device: "dev9".into(),
            key: colleague.public().id(),
        },
        &DeviceBundle {
            device: "dev9".into(),
            seq: 1,
            made_at: "2026-11-05T10:00:00Z".into(),
            request: vec![1, 2, 3],
            pages: vec![],
            revocation: None,
        },
    )
    .seal(&server_secret().public(), [n; 32])
}

#[test]
fn a_colleagues_bundle_is_carried_once_and_sent_before_the_rounds() {
    let (server, office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let file = colleagues_bundle(11);
    let id = homeward_shared::attachment::sha256_hex(&file);
    assert_eq!(
        store.receive(&file).expect("kept"),
        Received::KeptForRelay {
            kind: Kind::DeviceBundle.name().into(),
            id: id.clone()
        }
    );
    assert_eq!(
        store.receive(&file).expect("known"),
        Received::AlreadyHeld {
            kind: Kind::DeviceBundle.name().into(),
            id: id.clone()
        },
        "not kept twice"
    );
    assert_eq!(store.relay_list().expect("relay").len(), 1);
    let r = synced(&mut store);
    assert_eq!(r.relayed.len(), 1, "{r:?}");
    assert_eq!(
        (r.relayed[0].id.as_str(), r.relayed[0].changes),
        (id.as_str(), 3)
    );
    assert!(
        store.relay_list().expect("relay").is_empty(),
        "it left the phone"
    );
    let o = office.lock().expect("office");
    assert_eq!(o.bundles, vec![file], "the office got the file as carried");
    let relayed = o.paths.iter().position(|p| p == "/api/v1/bundles");
    let first_round = o.paths.iter().position(|p| p == "/api/v1/sync");
    assert!(relayed < first_round, "before the rounds: {:?}", o.paths);
}

#[test]
fn a_relayed_file_the_server_refuses_stays_with_the_reason_and_is_not_sent_again() {
    let (server, office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    office.lock().expect("office").relay_refusal =
        Some((403, "the author was revoked when it was made".into()));
    let file = colleagues_bundle(12);
    store.receive(&file).expect("kept");
    let r = synced(&mut store);
    assert_eq!(r.relay_refused.len(), 1);
    assert!(r.relay_refused[0].1.contains("revoked when it was made"));
    let held = store.relay_list().expect("relay");
    assert_eq!(held.len(), 1, "kept on the phone");
    assert!(
        held[0]
            .refused
            .as_deref()
            .is_some_and(|w| w.contains("403")),
        "{held:?}"
    );
    let before = office
        .lock()
        .expect("office")
        .paths
        .iter()
        .filter(|p| *p == "/api/v1/bundles")
        .count();
    synced(&mut store);
    let after = office
        .lock()
        .expect("office")
        .paths
        .iter()
        .filter(|p| *p == "/api/v1/bundles")
        .count();
    assert_eq!(before, after, "a refused file is not sent at every sync");
    let dropped = store.relay_drop(&held[0].id[..8]).expect("drops");
    assert_eq!(dropped.id, held[0].id);
    assert!(store.relay_list().expect("relay").is_empty());
}

#[test]
fn a_file_for_the_server_waits_out_a_network_failure() {
    // The office answers the enrolment only; then there is no network.
    let (server, office) = office_for(1);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    store.receive(&colleagues_bundle(13)).expect("kept");
    let err = sync_once(&mut store).expect_err("no network");
    assert!(matches!(err, FieldError::Network(_)), "{err:?}");
    let held = store.relay_list().expect("relay");
    assert_eq!(held.len(), 1, "kept for the next sync");
    assert!(held[0].refused.is_none(), "not refused: it is sent again");
    assert!(office.lock().expect("office").bundles.is_empty());
}

/// A revocation of `device` signed by `by`, as a header value.
pub(crate) fn statement(by: &SecretKeys, device: &str) -> String {
    homeward_field::key::hex(&bundle::revocation(by, device, "2026-11-06T09:00:00Z").to_bytes())
}

#[test]
fn a_410_whose_statement_does_not_verify_wipes_nothing() {
    let rogue = SecretKeys::from_seed([66; SEED_BYTES]);
    for (what, header) in [
        ("no statement", None),
        (
            "signed by a key the device does not trust",
            Some(statement(&rogue, "dev1")),
        ),
        (
            "naming another device",
            Some(statement(&server_secret(), "dev2")),
        ),
        ("not a statement", Some("00ff".to_owned())),
    ] {
        let (server, office) = office();
        let tmp = Folder::new();
        let mut store = enrolled_at(&tmp, &server);
        unsynced_visit(&mut store);
        office.lock().expect("office").revoke = Some(header);
        let err = sync_once(&mut store).expect_err(what);
        assert!(
            matches!(err, FieldError::UnverifiedRevocation(_)),
            "{what}: {err:?}"
        );
        assert!(err.to_string().contains("nothing was deleted"), "{err}");
        drop(store);
        let store = crate::support::open(tmp.path(), crate::support::PIN).expect("still there");
        assert_eq!(store.unconfirmed().expect("counts"), (2, 0), "{what}");
        assert!(store.leftover().expect("reads").is_none(), "{what}");
    }
}

#[test]
fn a_verified_410_leaves_only_the_sealed_leftover_and_a_new_enrolment_relays_it() {
    let (server, office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    unsynced_visit(&mut store);
    let device = public(&store);
    office.lock().expect("office").revoke = Some(Some(statement(&server_secret(), "dev1")));
    let outcome = sync_once(&mut store).expect("a verified revocation");
    assert!(matches!(outcome, Outcome::Revoked), "{outcome:?}");
    let left = store.leftover().expect("reads").expect("a leftover");
    assert_eq!((left.changes, left.outcomes, left.pages), (2, 0, 0));
    assert_eq!(
        left.revoked_at, "2026-11-06T09:00:00Z",
        "the statement's date, for the screen"
    );
    store.wipe().expect("wipes");
    let dir = tmp.path();
    assert!(
        !dir.join(homeward_field::store::DB_FILE).exists(),
        "no store left"
    );
    let names: Vec<String> = std::fs::read_dir(dir)
        .expect("lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "only the leftover: {names:?}");
    assert!(
        names[0].starts_with("homeward-leftover-dev1-") && names[0].ends_with(".hwsealed"),
        "{names:?}"
    );
    let path = dir.join(&names[0]);
    assert_eq!(path.display().to_string(), left.path);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by this user only");
    }
    let sealed = std::fs::read(&path).expect("reads");
    let (payload, req) = open_device_bundle(&sealed, &device);
    let r = bundle::verify_revocation(
        payload
            .revocation
            .as_deref()
            .expect("the statement travels with it"),
        &[first_key(&server_secret())],
        "dev1",
    );
    assert!(r.is_ok(), "{r:?}");
    // The unsynced visit is in it.
    let mut doc = automerge::AutoCommit::new();
    for c in &req.push[0].changes {
        doc.apply_changes([automerge::Change::from_bytes(c.clone()).expect("a change")])
            .expect("applies");
    }
    let case = homeward_shared::schema::read_case(&doc).expect("reads");
    assert_eq!(case.id, "case-a");
    assert_eq!(case.visits.len(), 1, "the visit made offline");

    // The phone set up again in the same folder carries the leftover to the office.
    office.lock().expect("office").revoke = None;
    let mut store = enrolled_at(&tmp, &server);
    let held = store.relay_list().expect("relay");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].id, homeward_shared::attachment::sha256_hex(&sealed));
    assert!(!path.exists(), "the file left once it was in the store");
    synced(&mut store);
    assert_eq!(office.lock().expect("office").bundles, vec![sealed]);
}

#[test]
fn a_new_server_key_endorsed_by_a_trusted_one_is_trusted_and_a_rogue_one_is_not() {
    let (server, _office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let old = server_secret();
    let new = SecretKeys::from_seed([8; SEED_BYTES]);
    let rogue = SecretKeys::from_seed([66; SEED_BYTES]);
    let stranger = SecretKeys::from_seed([67; SEED_BYTES]);
    let endorsed = bundle::endorse(&old, &new.public(), "2026-12-01T00:00:00Z");
    let forged = bundle::endorse(&stranger, &rogue.public(), "2026-12-02T00:00:00Z");
    let mut reference = crate::resources::reference(3, None);
    reference.user_id = "anita".into();
    reference.server_keys = vec![first_key(&old), endorsed.clone(), forged];
    let round = SyncResponse {
        bundled: None,
        stored: 0,
        documents: vec![],
        changes: vec![],
        dropped: vec![],
        cursor: Cursor::Feed(1),
        more: false,
        reference: Some(reference),
        spot_check_results: vec![],
    };
    store
        .apply_round(&Outbox::default(), &round)
        .expect("applies");
    let trusted = store.trusted_server_keys().expect("reads");
    assert_eq!(
        trusted,
        vec![first_key(&old), endorsed],
        "the rogue key is not taken"
    );
    assert_eq!(
        store.server_seal_key().expect("a key"),
        new.public(),
        "files are sealed to the newest"
    );
    // During the overlap, a file signed by the old key still verifies.
    let doc = a_case_from_elsewhere();
    let file = server_bundle("dev1", &public(&store), Cursor::Feed(1), 2, doc);
    assert!(store.receive(&file).is_ok());
}

#[test]
fn a_case_sealed_to_this_phone_is_received_as_an_import() {
    let (server, _office) = office();
    let (a, b) = (Folder::new(), Folder::new());
    let mut colleague = enrolled_at(&a, &server);
    let mut mine = enrolled_at(&b, &server);
    unsynced_visit(&mut colleague);
    let file = colleague
        .export_sealed_case("case-a", Some(&public(&mine)), [5; 32])
        .expect("seals");
    assert_eq!(
        mine.receive(&file).expect("imports"),
        Received::CaseImported {
            case: "case-a".into(),
            new: true
        }
    );
    assert_eq!(mine.case("case-a").expect("case").visits.len(), 1);
}

#[test]
fn a_failed_key_request_does_not_stop_the_sync() {
    let (server, office) = office();
    office.lock().expect("office").no_grant = true;
    office.lock().expect("office").keys_broken = true;
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    unsynced_visit(&mut store);
    let r = synced(&mut store);
    assert_eq!(r.confirmed, 2, "the records went up all the same");
    assert!(
        store.certificate().is_err(),
        "no grant yet: the next sync asks again"
    );
}

/// A supervisor's phone with spot check `sc1` to make.
fn with_a_spot_check(store: &mut Store) {
    let mut reference = crate::resources::reference(1, None);
    reference.spot_checks = vec![homeward_shared::wire::SpotCheckTask {
        id: "sc1".into(),
        month: "2026-11".into(),
        case_id: "case-a".into(),
        child_name: "Puja Kumari".into(),
        visit_date: "2026-11-03".into(),
        fieldworker_name: "Anita Kumari".into(),
        district: "Gaya".into(),
        block: "Tekari".into(),
        village: "Rampur".into(),
        anomalies: vec![],
    }];
    store.set_reference(&reference).expect("reference");
}

#[test]
fn a_bundled_outcome_is_not_sent_again_but_one_recorded_after_the_bundle_is() {
    use homeward_shared::spotcheck::Outcome as Found;
    let (server, office) = office();
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    with_a_spot_check(&mut store);
    let at = crate::support::at("2026-11-05");
    store
        .record_spot_check("sc1", Found::Verified, "", at)
        .expect("records");
    let b = store
        .export_bundle([1; 32])
        .expect("exports")
        .expect("made");
    assert_eq!(b.outcomes, 1);
    office.lock().expect("office").bundled = Some(BundleConfirmations {
        seq: 1,
        changes: vec![],
        outcomes: vec!["sc1".into()],
    });
    synced(&mut store);
    assert!(
        store.local_outcomes().expect("reads").is_empty(),
        "settled by the confirmation"
    );
    assert!(
        office.lock().expect("office").syncs[0]
            .spot_check_outcomes
            .is_empty(),
        "the bundled outcome was not sent again"
    );

    // Recorded again after a bundle: the newer outcome goes up and the confirmation of the
    // bundled one does not remove it.
    store
        .record_spot_check("sc1", Found::Verified, "", at)
        .expect("records");
    store
        .export_bundle([2; 32])
        .expect("exports")
        .expect("made");
    store
        .record_spot_check("sc1", Found::HasIssues, "the family was not home", at)
        .expect("records again");
    synced(&mut store);
    let sent = office
        .lock()
        .expect("office")
        .syncs
        .last()
        .expect("a sync")
        .spot_check_outcomes
        .clone();
    assert_eq!(
        sent.len(),
        1,
        "the newer outcome went up in the first round"
    );
    assert_eq!(sent[0].outcome, Found::HasIssues);
    let held = store.local_outcomes().expect("reads");
    assert_eq!(held.len(), 1, "kept until the server records it");
    assert_eq!(held[0].outcome, Found::HasIssues);
}
