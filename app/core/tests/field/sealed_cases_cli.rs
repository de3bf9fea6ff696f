//! `homeward export`, `import` and `sms` (issue 14) through the real binary: a case sealed to
//! the server by default or to a colleague's phone with `--to`, `--plain` with its warning, a
//! file sealed elsewhere refused with what to do, and the urgent SMS printed with its number.

use homeward_shared::edit::{Edit, NewSummons};
use homeward_shared::seal;

use crate::sealed_cases::{SMS_KEY, phone, server_keys};
use crate::support::{Folder, at, d, homeward, ok, stderr, stdout};
use crate::sync::unsynced_visit;

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

#[test]
fn export_seals_to_the_server_by_default_or_to_a_phone_and_plain_warns() {
    let server = server_keys(1);
    let (ta, tb) = (Folder::new(), Folder::new());
    let mut a = phone(&ta, "dev-a", &server);
    let b = phone(&tb, "dev-b", &server);
    unsynced_visit(&mut a);
    let b_key = b.public_key_text().expect("reads").expect("made");
    drop((a, b));

    let to_server = ta.outer().join("case-a.hwsealed");
    let said = ok(ta.path(), &["export", "case-a", "-o", path(&to_server)]);
    assert!(said.contains("sealed to the server"), "{said}");
    let bytes = std::fs::read(&to_server).expect("written");
    assert_eq!(
        seal::header(&bytes).expect("a sealed file").recipient,
        server.public().id()
    );
    assert!(seal::open(&bytes, std::slice::from_ref(&server), "server").is_ok());

    let plain = ta.outer().join("case-a.automerge");
    let o = homeward(
        ta.path(),
        &["export", "case-a", "--plain", "-o", path(&plain)],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "the child's name, the family's phone number and the incidents in clear text"
        ),
        "--plain says what the file exposes: {}",
        stderr(&o)
    );
    let doc = homeward_shared::schema::load(
        &std::fs::read(&plain).expect("written"),
        automerge::ActorId::random(),
    )
    .expect("a plain document");
    assert_eq!(
        homeward_shared::schema::read_case(&doc)
            .expect("reads")
            .child
            .name,
        "Puja Kumari"
    );

    let to_b = ta.outer().join("for-b.hwsealed");
    ok(
        ta.path(),
        &["export", "case-a", "--to", &b_key, "-o", path(&to_b)],
    );
    let said = ok(tb.path(), &["import", path(&to_b)]);
    assert!(said.contains("imported new case case-a"), "{said}");
    assert!(said.contains("next sync"), "{said}");

    let o = homeward(tb.path(), &["import", path(&to_server)]);
    assert_eq!(o.status.code(), Some(2), "a file for the server is refused");
    assert!(
        stderr(&o).contains("sealed to the server"),
        "{}",
        stderr(&o)
    );
    let o = homeward(ta.path(), &["import", path(&to_b)]);
    assert_eq!(o.status.code(), Some(2), "a file for B is refused on A");
    assert!(
        stderr(&o).contains("give it to that phone"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn sms_prints_the_text_the_number_and_that_it_holds_no_name() {
    let tmp = Folder::new();
    let mut store = phone(&tmp, "dev-a", &server_keys(1));
    unsynced_visit(&mut store);
    store
        .edit(
            "case-a",
            &Edit::AddSummons(NewSummons {
                id: "sum-1".into(),
                received_on: d("2026-11-04"),
                hearing_on: d("2026-12-10"),
                mode: None,
            }),
            at("2026-11-04"),
        )
        .expect("records a summons");
    drop(store);

    let said = ok(tmp.path(), &["sms", "case-a", "sum-1"]);
    let mut lines = said.lines();
    let text = lines.next().expect("the text first");
    assert_eq!(
        homeward_shared::sms::read(text, &SMS_KEY).expect("reads").n,
        1
    );
    assert!(said.contains("to +919876543210"), "{said}");
    assert!(said.contains("holds no name"), "{said}");

    let json: serde_json::Value =
        serde_json::from_str(&ok(tmp.path(), &["--json", "sms", "case-a", "sum-1"])).expect("JSON");
    let text = json["text"].as_str().expect("text");
    assert_eq!(
        homeward_shared::sms::read(text, &SMS_KEY).expect("reads").n,
        2
    );

    let o = homeward(tmp.path(), &["--lang", "hi", "sms", "case-a", "v1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("मुलाक़ात"),
        "worded in Hindi: {}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}
