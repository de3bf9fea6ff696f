//! The urgent SMS of a summons or an incident (issue 14): the text reads back with the granted
//! SMS key, the counter moves with each text, no name is in it, and what is not a summons or
//! incident of the case is refused with the counter unmoved.

use homeward_field::store::UrgentProblem;
use homeward_field::{FieldError, Store};
use homeward_shared::edit::{Edit, NewIncident, NewSummons};
use homeward_shared::sms::{self, UrgentEvent};

use crate::sealed_cases::{SMS_KEY, SMS_NUMBER, phone, server_keys};
use crate::support::{Folder, at, d, new_store};
use crate::sync::unsynced_visit;

fn urgent_records(store: &mut Store) {
    unsynced_visit(store);
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
    store
        .edit(
            "case-a",
            &Edit::AddIncident(NewIncident {
                id: "inc-1".into(),
                on: d("2026-11-04"),
                what: "the trafficker's brother came to the house".into(),
                police_informed: true,
            }),
            at("2026-11-04"),
        )
        .expect("records an incident");
}

#[test]
fn an_urgent_sms_reads_back_with_the_granted_key_holds_no_name_and_moves_the_counter() {
    let tmp = Folder::new();
    let mut store = phone(&tmp, "dev-a", &server_keys(1));
    urgent_records(&mut store);

    let first = store.urgent_sms("case-a", "sum-1").expect("composes");
    let read = sms::read(&first.text, &SMS_KEY).expect("reads with the grant's key");
    assert_eq!(
        (
            read.device.as_str(),
            read.n,
            read.case.as_str(),
            read.record.as_str()
        ),
        ("dev-a", 1, "case-a", "sum-1")
    );
    assert_eq!(
        read.event,
        UrgentEvent::Summons {
            received_on: d("2026-11-04"),
            hearing_on: d("2026-12-10"),
        }
    );
    assert_eq!(first.number.as_deref(), Some(SMS_NUMBER));
    assert_eq!(first.chars, first.text.chars().count());
    assert!(first.chars <= sms::MAX_CHARS, "one SMS");
    for word in ["Puja", "Kumari", "Rampur"] {
        assert!(
            !first.text.to_lowercase().contains(&word.to_lowercase()),
            "no name or place of the child: {}",
            first.text
        );
    }

    let second = store.urgent_sms("case-a", "inc-1").expect("composes");
    let read = sms::read(&second.text, &SMS_KEY).expect("reads");
    assert_eq!(read.n, 2, "the counter moved with the first text");
    assert_eq!(
        read.event,
        UrgentEvent::Incident {
            on: d("2026-11-04"),
            police_informed: true,
        }
    );
    assert!(
        sms::read(&second.text, &[8; 32]).is_err(),
        "another key does not read it"
    );

    // Kept: the counter goes on after the store is opened again.
    drop(store);
    let mut store = crate::support::open(tmp.path(), crate::support::PIN).expect("opens");
    let third = store.urgent_sms("case-a", "sum-1").expect("composes");
    assert_eq!(sms::read(&third.text, &SMS_KEY).expect("reads").n, 3);
}

#[test]
fn what_is_not_a_summons_or_incident_of_the_case_is_refused_and_the_counter_stays() {
    let tmp = Folder::new();
    let mut store = phone(&tmp, "dev-a", &server_keys(1));
    urgent_records(&mut store);
    let err = store.urgent_sms("case-a", "nope").expect_err("unknown");
    assert!(
        matches!(&err, FieldError::Urgent(UrgentProblem::UnknownRecord { record, .. }) if record == "nope"),
        "{err}"
    );
    let err = store.urgent_sms("case-a", "v1").expect_err("a visit");
    assert!(
        matches!(
            &err,
            FieldError::Urgent(UrgentProblem::NotUrgent { what: "visit", .. })
        ),
        "{err}"
    );
    assert!(matches!(
        store.urgent_sms("case-x", "sum-1"),
        Err(FieldError::UnknownCase(_))
    ));
    let text = store.urgent_sms("case-a", "sum-1").expect("composes");
    assert_eq!(
        sms::read(&text.text, &SMS_KEY).expect("reads").n,
        1,
        "refusals did not move the counter"
    );
}

#[test]
fn a_phone_without_an_sms_key_is_told_to_sync_first() {
    let tmp = Folder::new();
    let mut store = new_store(tmp.path());
    urgent_records(&mut store);
    let err = store.urgent_sms("case-a", "sum-1").expect_err("no key");
    assert!(
        matches!(err, FieldError::Urgent(UrgentProblem::NoKey)),
        "{err}"
    );
    assert!(err.to_string().contains("sync once"), "{err}");
}
