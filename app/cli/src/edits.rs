//! The edits the command line builds from its arguments: a new child's profile, a visit.

use chrono::NaiveDate;
use homeward_field::store::{self};
use homeward_shared::edit::{Edit, NeedUpdate, NewVisit};
use homeward_shared::model::{Address, Birth, Caregiver, LegalBasis, Profile, Rescue, VisitKind};
use homeward_shared::need::{Dimension, Status};

use crate::args::*;
use crate::error::{Error, Result};

pub(crate) fn profile(a: CaseAdd, today: NaiveDate) -> Result<Profile> {
    let birth = match (a.dob, a.age) {
        (Some(dob), _) => Birth::Dob(dob),
        (None, Some(years)) => Birth::Estimated {
            years,
            as_of: today,
        },
        (None, None) => {
            return Err(Error::bad("cli-err-dob-or-age", vec![]));
        }
    };
    let legal_basis = match (a.consent_by, a.cwc_order) {
        (Some(by), _) => LegalBasis::GuardianConsent {
            given_by: by,
            dated: today,
        },
        (None, Some(reference)) => LegalBasis::CwcOrder {
            reference,
            dated: a.returned_on,
        },
        // A returned child comes home under a CWC order; its reference can be added later.
        (None, None) => LegalBasis::CwcOrder {
            reference: "not recorded".into(),
            dated: a.returned_on,
        },
    };
    Ok(Profile {
        case_id: store::new_id()?,
        child: homeward_shared::model::Child {
            name: a.name,
            other_names: a.other_names,
            sex: a.sex,
            birth,
            caregiver: a.caregiver.map(|name| Caregiver {
                name,
                relation: a.relation,
                phone: a.phone,
            }),
            address: Address {
                district: a.district,
                block: a.block,
                panchayat: a.panchayat,
                village: a.village,
            },
        },
        rescue: Rescue {
            city: Some(a.rescued_in),
            workplace: a.workplace,
            rescued_on: a.rescued_on,
            shelter_home: a.shelter_home,
            cwc_order_ref: None,
            returned_on: a.returned_on,
            receiving_authority: None,
        },
        legal_basis,
    })
}

pub(crate) fn visit_edit(
    date: NaiveDate,
    kind: VisitKind,
    met: Option<String>,
    needs: &[(Dimension, Status)],
    note: Option<String>,
    next_steps: Option<String>,
) -> Result<Edit> {
    Ok(Edit::RecordVisit {
        visit: NewVisit {
            id: store::new_id()?,
            date,
            kind,
            met,
            note,
            next_steps,
            summons_id: None,
            safety_checked: false,
        },
        updates: needs
            .iter()
            .map(|(dimension, status)| {
                Ok(NeedUpdate {
                    id: store::new_id()?,
                    dimension: *dimension,
                    status: *status,
                    note: None,
                })
            })
            .collect::<Result<_>>()?,
    })
}
