//! The store's likely duplicates: `Store::similar_children` over the active cases.

use homeward_field::store::today;
use homeward_shared::duplicates::Fact;
use homeward_shared::edit::Edit;
use homeward_shared::model::CaseState;

use crate::support::{at, d, new_store, profile};

#[test]
fn similar_children_are_found_among_the_active_cases_only() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    for (id, name, village) in [
        ("case-puja", "Puja Kumari", "Keshopur"),
        ("case-sister", "Rina Kumari", "Keshopur"),
        ("case-closed", "Puja Kumari", "Keshopur"),
        ("case-elsewhere", "Puja Kumari", "Madhopur"),
    ] {
        store
            .register(&profile(id, name, village), at("2026-09-02"))
            .expect("registers");
    }
    store
        .edit(
            "case-closed",
            &Edit::SetStatus {
                state: CaseState::Closed,
                reason: Some("registered twice".into()),
                since: d("2026-09-03"),
            },
            at("2026-09-03"),
        )
        .expect("closes");

    // Puja again, in Devanagari, from the same village and with the same mother.
    let mut new = profile("case-new", "पूजा", "केशोपुर");
    new.child.caregiver = new.child.caregiver.map(|mut c| {
        c.name = "मीना देवी".into();
        c
    });
    let found = store
        .similar_children(&new, today())
        .expect("reads the cases");
    let ids: Vec<(&str, &[Fact])> = found
        .iter()
        .map(|l| (l.case_id.as_str(), l.matched.as_slice()))
        .collect();
    assert_eq!(
        ids,
        [
            (
                "case-puja",
                &[
                    Fact::Name,
                    Fact::District,
                    Fact::Age,
                    Fact::Village,
                    Fact::Caregiver
                ][..]
            ),
            (
                "case-elsewhere",
                &[Fact::Name, Fact::District, Fact::Age, Fact::Caregiver][..]
            ),
        ],
        "the active Pujas, the one of the same village first; not her sister Rina, not the closed case"
    );
    assert_eq!(
        (found[0].name.as_str(), found[0].village.as_str()),
        ("Puja Kumari", "Keshopur"),
        "enough for a screen to name the case"
    );

    let stranger = profile("case-other", "Sonu Manjhi", "Keshopur");
    assert_eq!(
        store
            .similar_children(&stranger, today())
            .expect("reads the cases"),
        [],
        "another child resembles no one"
    );
}
