//! Builders for cases in tests: a case is made the way the app makes it, through edits.

use automerge::{ActorId, AutoCommit};
use chrono::{NaiveDate, NaiveTime};
use homeward_shared::edit::{Edit, EditContext, NeedUpdate, NewVisit};
use homeward_shared::model::{
    Address, Author, Birth, Caregiver, Case, Child, LegalBasis, Profile, Rescue, Sex, VisitKind,
};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::schema;

pub fn d(s: &str) -> NaiveDate {
    s.parse().expect("test dates are valid")
}

pub fn author(n: u8) -> Author {
    Author {
        user_id: format!("user-{n}"),
        name: format!("Worker {n}"),
    }
}

pub fn ctx_by(n: u8, day: &str) -> EditContext {
    EditContext {
        author: author(n),
        at: d(day)
            .and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
            .and_utc(),
    }
}

pub fn ctx(day: &str) -> EditContext {
    ctx_by(1, day)
}

pub fn actor(n: u8) -> ActorId {
    ActorId::from(&[n; 16][..])
}

pub fn profile(id: &str, birth: Birth, returned: &str) -> Profile {
    Profile {
        case_id: id.into(),
        child: Child {
            name: "Sonu Manjhi".into(),
            other_names: vec!["सोनू".into()],
            sex: Sex::Male,
            birth,
            caregiver: Some(Caregiver {
                name: "Kamla Devi".into(),
                relation: "mother".into(),
                phone: Some("0000012345".into()),
            }),
            address: Address {
                district: "Gaya".into(),
                block: "Wazirganj".into(),
                panchayat: Some("Ramnagar".into()),
                village: "Keshopur".into(),
            },
        },
        rescue: Rescue {
            city: Some("Jaipur".into()),
            workplace: Some("lac bangle workshop".into()),
            rescued_on: d(returned).checked_sub_days(chrono::Days::new(60)),
            shelter_home: Some("Children's Home".into()),
            cwc_order_ref: Some("CWC/JPR/1".into()),
            returned_on: d(returned),
            receiving_authority: Some("CWC Gaya".into()),
        },
        legal_basis: LegalBasis::CwcOrder {
            reference: "CWC/GAYA/7".into(),
            dated: d(returned),
        },
    }
}

/// A case document under construction.
pub struct Doc {
    pub doc: AutoCommit,
}

impl Doc {
    /// A ten-year-old returned home on `returned`.
    pub fn new(returned: &str) -> Doc {
        Doc::with_birth(
            Birth::Estimated {
                years: 10,
                as_of: d(returned),
            },
            returned,
        )
    }

    pub fn with_birth(birth: Birth, returned: &str) -> Doc {
        let doc = schema::new_case(
            actor(1),
            &profile("case-1", birth, returned),
            &ctx(returned),
        )
        .expect("a valid registration");
        Doc { doc }
    }

    pub fn edit(&mut self, day: &str, edit: Edit) -> &mut Doc {
        schema::apply(&mut self.doc, &edit, &ctx(day)).expect("a valid edit");
        self
    }

    /// A visit of `kind` on `day` with need updates.
    pub fn visit(
        &mut self,
        day: &str,
        kind: VisitKind,
        updates: &[(Dimension, Status)],
    ) -> &mut Doc {
        let n = self.case().visits.len() + 1;
        let edit = visit_edit(&format!("v{n}"), day, kind, updates);
        self.edit(day, edit)
    }

    /// A follow-up visit that discussed `summons` with the family and/or checked the child's
    /// safety.
    pub fn visit_about(
        &mut self,
        day: &str,
        summons: Option<&str>,
        safety_checked: bool,
    ) -> &mut Doc {
        let n = self.case().visits.len() + 1;
        let mut edit = visit_edit(&format!("v{n}"), day, VisitKind::FollowUp, &[]);
        if let Edit::RecordVisit { visit, .. } = &mut edit {
            visit.summons_id = summons.map(str::to_owned);
            visit.safety_checked = safety_checked;
        }
        self.edit(day, edit)
    }

    /// The initial assessment setting every need.
    pub fn assess(&mut self, day: &str, statuses: [Status; 7]) -> &mut Doc {
        let updates: Vec<_> = Dimension::ALL.into_iter().zip(statuses).collect();
        self.visit(day, VisitKind::InitialAssessment, &updates)
    }

    pub fn case(&self) -> Case {
        schema::read_case(&self.doc).expect("the case reads back")
    }
}

pub fn visit_edit(id: &str, day: &str, kind: VisitKind, updates: &[(Dimension, Status)]) -> Edit {
    Edit::RecordVisit {
        visit: NewVisit {
            id: id.into(),
            date: d(day),
            kind,
            met: Some("child and mother".into()),
            note: Some("note".into()),
            next_steps: Some("next".into()),
            summons_id: None,
            safety_checked: false,
        },
        updates: updates
            .iter()
            .map(|(dim, status)| NeedUpdate {
                id: format!("{id}-{dim}"),
                dimension: *dim,
                status: *status,
                note: None,
            })
            .collect(),
    }
}

/// Statuses for an assessment where every need is settled.
pub const ALL_SETTLED: [Status; 7] = [
    Status::Enrolled,
    Status::Paid,
    Status::Linked,
    Status::Linked,
    Status::Concluded,
    Status::Well,
    Status::Complete,
];

/// Statuses for an assessment with everything under way: medium risk.
pub const IN_PROGRESS: [Status; 7] = [
    Status::EnrolledIrregular,
    Status::Applied,
    Status::PartlyLinked,
    Status::InTraining,
    Status::CasePending,
    Status::Counselling,
    Status::Partial,
];
