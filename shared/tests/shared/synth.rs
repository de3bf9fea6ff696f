//! The synthetic caseload generator: deterministic, valid, and varied enough to test with.

use homeward_shared::model::{CaseState, VisitKind};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::{self, PromptKind};
use homeward_shared::schema;
use homeward_shared::synth::{self, Options};

use crate::support::{actor, d};

fn opts(seed: u64) -> Options {
    Options {
        seed,
        cases: 120,
        until: d("2026-11-27"),
        months: 12,
    }
}

#[test]
fn the_same_seed_gives_the_same_caseload_and_another_seed_another() {
    let a = synth::caseload(opts(7));
    let b = synth::caseload(opts(7));
    assert_eq!(a, b);
    let mut doc_a = a.cases[0].build(actor(1)).expect("builds");
    let mut doc_b = b.cases[0].build(actor(1)).expect("builds");
    assert_eq!(doc_a.save(), doc_b.save(), "byte for byte");
    assert_ne!(
        synth::caseload(opts(8)).cases[0].profile,
        a.cases[0].profile
    );
}

#[test]
fn every_synthetic_case_builds_reads_and_stays_within_its_dates() {
    let load = synth::caseload(opts(42));
    let until = d("2026-11-27");
    let programme = Programme::default();
    let mut kinds = std::collections::BTreeSet::new();
    let mut states = std::collections::BTreeSet::new();
    let mut districts = std::collections::BTreeSet::new();
    let mut late_entries = 0;
    for sc in &load.cases {
        let doc = sc.build(actor(1)).expect("every generated edit is valid");
        let case = schema::read_case(&doc).expect("reads");
        assert!(case.rescue.returned_on <= until);
        assert!(
            case.visits
                .iter()
                .all(|v| v.date <= until && v.recorded_at.date_naive() <= until)
        );
        assert!(
            case.child
                .caregiver
                .as_ref()
                .and_then(|c| c.phone.as_deref())
                .is_none_or(|p| p.starts_with("00000")),
            "no real phone numbers"
        );
        late_entries += case
            .visits
            .iter()
            .filter(|v| (v.recorded_at.date_naive() - v.date).num_days() >= 10)
            .count();
        states.insert(case.status.state.key());
        districts.insert(case.child.address.district.clone());
        for p in prompt::prompts(&case, until, &programme) {
            kinds.insert(p.kind);
        }
        assert_eq!(
            case.visits.first().map(|v| v.kind),
            case.visits.first().map(|_| VisitKind::InitialAssessment)
        );
    }
    assert!(
        districts.contains("Gaya") && districts.len() >= 6,
        "{districts:?}"
    );
    assert!(
        states.contains(CaseState::Active.key()) && states.len() >= 2,
        "{states:?}"
    );
    assert!(
        late_entries > 0,
        "some visits are entered late, for the spot-check sampler"
    );
    for kind in [
        PromptKind::VisitOverdue,
        PromptKind::SchoolEnrolment,
        PromptKind::ObtainDocument,
    ] {
        assert!(
            kinds.contains(&kind),
            "the caseload exercises {kind:?}: {kinds:?}"
        );
    }
}
