//! A case sealed to a colleague's phone or to the server (issue 14): two phones granted keys by
//! one test server key, the file checked offline on the receiving phone, the author's changes
//! relayed to the server by the author's signature and never pushed as the receiver's own.

use homeward_field::{FieldError, Store};
use homeward_shared::bundle::{self, CaseExport, DeviceCertificate, KeyGrant, ServerKey};
use homeward_shared::seal::{self, Kind, PublicKeys, SEED_BYTES, SecretKeys, Signer};

use crate::support::{Folder, at, d, new_store};
use crate::sync::{Fake, Reply, unsynced_visit};

/// The test server's key pair (a second seed stands for an unknown server).
pub(crate) fn server_keys(n: u8) -> SecretKeys {
    SecretKeys::from_seed([n; SEED_BYTES])
}

/// The SMS key every test grant gives.
pub(crate) const SMS_KEY: [u8; 32] = [7; 32];

/// The number urgent SMS go to in the test grants.
pub(crate) const SMS_NUMBER: &str = "+919876543210";

/// What `server` grants `device` for `keys`: its key, a certificate, the SMS key and number.
pub(crate) fn grant(server: &SecretKeys, device: &str, keys: &PublicKeys) -> KeyGrant {
    let certificate = bundle::sign(
        server,
        Kind::DeviceCertificate,
        Signer::Server {
            key: server.public().id(),
        },
        &DeviceCertificate {
            device: device.into(),
            keys: keys.clone(),
            user_id: format!("user-{device}"),
            user_name: "Anita Kumari".into(),
            issued_at: "2026-11-01T00:00:00Z".into(),
        },
    )
    .to_bytes();
    KeyGrant {
        server_keys: vec![ServerKey {
            key: server.public(),
            since: "2026-01-01T00:00:00Z".into(),
            endorsement: None,
        }],
        certificate,
        sms_key: SMS_KEY.iter().map(|b| format!("{b:02x}")).collect(),
        sms_number: Some(SMS_NUMBER.into()),
    }
}

fn enrolment(device: &str) -> Reply {
    (
        200,
        vec![("content-type".into(), "application/json".into())],
        serde_json::json!({
            "device_id": device, "token": format!("{device}.secret"), "user_id": format!("user-{device}"),
            "user_name": "Anita Kumari", "role": "fieldworker"
        })
        .to_string()
        .into_bytes(),
    )
}

/// A phone enrolled as `device` (with a fake server that answers the enrolment once) whose
/// keys `server` granted.
pub(crate) fn phone(tmp: &Folder, device: &str, server: &SecretKeys) -> Store {
    let id = device.to_owned();
    let fake = Fake::start_for(1, move |_, _| enrolment(&id));
    let mut store = new_store(tmp.path());
    homeward_field::sync::enrol_store(&mut store, &fake.url, "CODE-1", "phone", false)
        .expect("enrols");
    let keys = store.make_device_keys().expect("keys");
    store
        .keep_grant(&grant(server, device, &keys.public()))
        .expect("keeps the grant");
    store
}

fn public(store: &Store) -> PublicKeys {
    store.device_keys().expect("reads").expect("made").public()
}

fn second_visit(store: &mut Store) {
    store
        .edit(
            "case-a",
            &homeward_shared::edit::Edit::RecordVisit {
                visit: homeward_shared::edit::NewVisit {
                    id: "v2".into(),
                    date: d("2026-11-05"),
                    kind: homeward_shared::model::VisitKind::FollowUp,
                    met: None,
                    note: Some("seen on the colleague's phone".into()),
                    next_steps: None,
                    summons_id: None,
                    safety_checked: false,
                },
                updates: vec![],
            },
            at("2026-11-05"),
        )
        .expect("records a visit");
}

#[test]
fn a_case_sealed_to_a_colleagues_phone_is_merged_there_and_relayed_by_its_authors_signature() {
    let server = server_keys(1);
    let (ta, tb) = (Folder::new(), Folder::new());
    let mut a = phone(&ta, "dev-a", &server);
    let mut b = phone(&tb, "dev-b", &server);
    unsynced_visit(&mut a);
    let sealed = a
        .export_sealed_case("case-a", Some(&public(&b)), [3; 32])
        .expect("exports");
    assert!(
        !sealed.windows(11).any(|w| w == b"Puja Kumari"),
        "the carrier reads nothing of the child"
    );

    let (id, new) = b.import_sealed_file(&sealed).expect("imports");
    assert_eq!((id.as_str(), new), ("case-a", true));
    let case = b.case("case-a").expect("the case reads on B");
    assert!(
        case.visits.iter().any(|v| v.id == "v1"),
        "A's visit came with the file"
    );

    let relay = b.relay_pending().expect("the relay queue");
    assert_eq!(relay.len(), 1, "the author's file waits for B's next sync");
    let opened = seal::open(&relay[0].1, std::slice::from_ref(&server), "server")
        .expect("the relayed file opens with the server key");
    assert_eq!(
        opened.verify(&public(&a)).expect("signed by A"),
        opened.payload.as_slice()
    );
    let export: CaseExport = opened
        .open_as(Kind::CaseExport, &public(&a))
        .expect("an exported case");
    assert_eq!(export.device, "dev-a");

    assert_eq!(
        b.outbox(usize::MAX).expect("outbox").count,
        0,
        "A's changes never go up as B's own"
    );
    second_visit(&mut b);
    let outbox = b.outbox(usize::MAX).expect("outbox");
    assert_eq!(outbox.count, 1, "B's own edit goes up");
    let change =
        homeward_shared::untrusted::parse_change(&outbox.push[0].changes[0]).expect("a change");
    assert_eq!(change.actor_id(), b.actor(), "and only B's");
    assert!(b.verify().expect("verifies").is_empty());

    // The same file again brings nothing new and relays nothing more.
    let (_, new) = b.import_sealed_file(&sealed).expect("imports again");
    assert!(!new);
    assert_eq!(b.relay_pending().expect("relay").len(), 1);
}

#[test]
fn a_sealed_case_that_fails_a_check_is_refused_and_changes_nothing() {
    let (server, rogue_server) = (server_keys(1), server_keys(2));
    let (ta, tb, tc, tr) = (Folder::new(), Folder::new(), Folder::new(), Folder::new());
    let mut a = phone(&ta, "dev-a", &server);
    let mut b = phone(&tb, "dev-b", &server);
    let c = phone(&tc, "dev-c", &server);
    let mut rogue = phone(&tr, "dev-r", &rogue_server);
    unsynced_visit(&mut a);
    unsynced_visit(&mut rogue);
    let to_b = public(&b);

    let good = a
        .export_sealed_case("case-a", Some(&to_b), [4; 32])
        .expect("exports");
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let to_c = a
        .export_sealed_case("case-a", Some(&public(&c)), [5; 32])
        .expect("exports");
    let unknown_certificate = rogue
        .export_sealed_case("case-a", Some(&to_b), [6; 32])
        .expect("exports");
    // A's certificate and document, signed by other keys in A's name.
    let other = SecretKeys::from_seed([9; SEED_BYTES]);
    let forged = bundle::sign(
        &other,
        Kind::CaseExport,
        Signer::Device {
            device: "dev-a".into(),
            key: other.public().id(),
        },
        &CaseExport {
            device: "dev-a".into(),
            made_at: "2026-11-04T00:00:00Z".into(),
            case: "case-a".into(),
            document: a.export("case-a").expect("exports"),
            certificate: a.certificate().expect("certificate"),
        },
    )
    .seal(&to_b, [7; 32]);

    for (why, file) in [
        ("a flipped byte", &flipped),
        ("a file sealed to a third phone", &to_c),
        (
            "a certificate signed by an unknown key",
            &unknown_certificate,
        ),
        ("a signature by another key", &forged),
    ] {
        let err = b.import_sealed_file(file).expect_err(why);
        assert!(
            matches!(err, FieldError::Sealed(_)),
            "{why}: refused as a sealed file, not {err}"
        );
        assert!(
            b.cases(&Default::default()).expect("lists").is_empty(),
            "{why}: no case"
        );
        assert!(
            b.relay_pending().expect("relay").is_empty(),
            "{why}: nothing relayed"
        );
        assert_eq!(b.waiting().expect("waiting"), 0, "{why}: nothing journaled");
    }
    b.import_sealed_file(&good)
        .expect("the valid file still imports");
}

#[test]
fn the_default_export_opens_only_with_the_server_key() {
    let server = server_keys(1);
    let (ta, tb) = (Folder::new(), Folder::new());
    let mut a = phone(&ta, "dev-a", &server);
    let mut b = phone(&tb, "dev-b", &server);
    unsynced_visit(&mut a);
    let sealed = a
        .export_sealed_case("case-a", None, [8; 32])
        .expect("exports");
    assert_eq!(
        seal::header(&sealed).expect("a header").recipient,
        server.public().id()
    );
    let signed =
        seal::open(&sealed, std::slice::from_ref(&server), "server").expect("the server opens it");
    signed.verify(&public(&a)).expect("signed by A");
    let b_keys = b.device_keys().expect("reads").expect("made");
    assert!(seal::open(&sealed, &[b_keys], "phone").is_err());
    let err = b.import_sealed_file(&sealed).expect_err("not for B");
    assert!(err.to_string().contains("sealed to the server"), "{err}");
    assert!(b.cases(&Default::default()).expect("lists").is_empty());
}

#[test]
fn a_device_without_a_grant_cannot_seal_a_case() {
    let tmp = Folder::new();
    let mut store = new_store(tmp.path());
    unsynced_visit(&mut store);
    let err = store
        .export_sealed_case("case-a", None, [1; 32])
        .expect_err("no keys yet");
    assert!(err.to_string().contains("sync once"), "{err}");
}
