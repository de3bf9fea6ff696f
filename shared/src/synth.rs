//! A deterministic generator of synthetic caseloads for tests, benchmarks and the demo.
//!
//! Same seed, same caseload, byte for byte. Names are invented by combining common given names
//! and surnames at random; villages are invented; districts and blocks are real Bihar places.
//! Phone numbers start with `00000`, which no Indian number does. No real person is described.
//!
//! Each case is a registration followed by the edits a fieldworker would have made: the initial
//! assessment, visits at an interval that follows the need, needs moving up their ladders,
//! claims filed and paid or stuck, documents arriving, the odd summons, incident, late entry,
//! missed visit, closure or disappearance.

use automerge::{ActorId, AutoCommit};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use fastrand::Rng;

use crate::edit::{
    Edit, EditContext, NeedUpdate, NewIncident, NewService, NewSummons, NewVisit, ServiceProgress,
};
use crate::model::{
    Address, Author, Birth, Caregiver, CaseState, Child, DocumentKind, DocumentState, Education,
    HearingMode, LegalBasis, Profile, Rescue, Schooling, ServiceDimension, Sex, VisitKind,
};
use crate::need::{Dimension, Status};
use crate::schema::{self, SchemaError};

/// Real Bihar districts with a few of their real blocks.
pub const DISTRICTS: &[(&str, &[&str])] = &[
    (
        "Gaya",
        &["Bodh Gaya", "Wazirganj", "Sherghati", "Tekari", "Manpur"],
    ),
    ("Nalanda", &["Rajgir", "Hilsa", "Islampur", "Biharsharif"]),
    ("Nawada", &["Rajauli", "Warisaliganj", "Pakribarawan"]),
    ("Muzaffarpur", &["Kanti", "Motipur", "Sakra", "Minapur"]),
    ("Sitamarhi", &["Bairgania", "Pupri", "Runnisaidpur"]),
    ("Araria", &["Forbesganj", "Jokihat", "Raniganj"]),
    ("Purnia", &["Dhamdaha", "Kasba", "Baisi"]),
    ("Katihar", &["Barsoi", "Manihari", "Kadwa"]),
];

const BOYS: &[&str] = &[
    "Raju", "Sonu", "Amit", "Rahul", "Vikash", "Ravi", "Manish", "Sunil", "Pintu", "Chhotu",
    "Deepak", "Ajay", "Bablu", "Gopal", "Suraj", "Rohit", "Irfan", "Salman", "Arif", "Munna",
    "Golu", "Santosh", "Mukesh", "Dilip",
];
const GIRLS: &[&str] = &[
    "Puja", "Rani", "Sunita", "Kajal", "Priya", "Anjali", "Khushi", "Nisha", "Rinki", "Sonam",
    "Nazia", "Shabnam", "Guddi", "Reshma", "Meena", "Lakshmi",
];
const SURNAMES: &[&str] = &[
    "Kumar",
    "Manjhi",
    "Paswan",
    "Ram",
    "Yadav",
    "Das",
    "Mandal",
    "Sahni",
    "Ansari",
    "Rajak",
    "Alam",
    "Mahto",
    "Chaudhary",
    "Bind",
    "Turi",
    "Bhuiyan",
];
const ADULTS: &[(&str, &str)] = &[
    ("Sita Devi", "mother"),
    ("Kamla Devi", "mother"),
    ("Rekha Devi", "mother"),
    ("Ramesh", "father"),
    ("Bhola", "father"),
    ("Shanti Devi", "grandmother"),
    ("Mahesh", "uncle"),
    ("Rubina Khatoon", "mother"),
    ("Jamil", "father"),
];
const VILLAGE_A: &[&str] = &[
    "Ram", "Sultan", "Kesho", "Bishun", "Madho", "Chandi", "Lakhan", "Bhagwan", "Harihar", "Sona",
    "Kusum", "Dhobi",
];
const VILLAGE_B: &[&str] = &[
    "pur", "ganj", "tola", "nagar", "dih", "bigha", "chak", "sarai",
];
const WORKPLACES: &[&str] = &[
    "lac bangle workshop",
    "zari embroidery unit",
    "gem polishing workshop",
    "garment unit",
];
const NOTES: &[&str] = &[
    "Met the child and mother at home. Child helps with household work.",
    "Child attending school; teacher says attendance improved.",
    "Family worried about money; father looking for daily wage work.",
    "Discussed the compensation application; bank passbook still awaited.",
    "Child quiet but well; counsellor visit arranged for next week.",
    "Mother asked about the ration card; took photocopies of Aadhaar.",
    "बच्चा नियमित रूप से स्कूल जा रहा है। माँ से बात हुई।",
    "पिता काम की तलाश में हैं; आजीविका योजना के बारे में बताया।",
    "Sarpanch present; agreed to help with the job card.",
    "Child says a labour agent came to the village asking about children.",
];
const NEXT_STEPS: &[&str] = &[
    "Follow up with the school headmaster.",
    "Submit bank details to the DLSA office.",
    "Accompany mother to the block office for the ration card.",
    "Arrange counselling session.",
    "Check attendance register next visit.",
    "Ask the lawyer for the hearing date.",
];

/// A fieldworker of the synthetic caseload, with their area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fieldworker {
    /// The user.
    pub author: Author,
    /// District.
    pub district: String,
    /// Blocks they cover.
    pub blocks: Vec<String>,
}

/// One synthetic case: its registration and every later edit, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthCase {
    /// The registration.
    pub profile: Profile,
    /// Index of the fieldworker in [`Caseload::fieldworkers`].
    pub fieldworker: usize,
    /// When the case was registered, and by whom.
    pub registered: EditContext,
    /// Later edits with who made them and when.
    pub edits: Vec<(EditContext, Edit)>,
}

impl SynthCase {
    /// Builds the case document, every edit written by the device `actor`.
    pub fn build(&self, actor: ActorId) -> Result<AutoCommit, SchemaError> {
        let mut doc = schema::new_case(actor, &self.profile, &self.registered)?;
        for (ctx, edit) in &self.edits {
            schema::apply(&mut doc, edit, ctx)?;
        }
        Ok(doc)
    }
}

/// A synthetic caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct Caseload {
    /// Fieldworkers, two per district.
    pub fieldworkers: Vec<Fieldworker>,
    /// Cases.
    pub cases: Vec<SynthCase>,
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The seed: the same seed gives the same caseload.
    pub seed: u64,
    /// How many cases.
    pub cases: usize,
    /// The last day of the data (usually today); no edit is dated after it.
    pub until: NaiveDate,
    /// How many months before `until` children were returned over.
    pub months: u32,
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn plus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(d)
}

fn minus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(days)).unwrap_or(d)
}

fn at(rng: &mut Rng, day: NaiveDate) -> DateTime<Utc> {
    let t = NaiveTime::from_hms_opt(rng.u32(4..13), rng.u32(0..60), rng.u32(0..60))
        .unwrap_or(NaiveTime::MIN);
    day.and_time(t).and_utc()
}

/// The fieldworkers of the synthetic programme: two per district, splitting its blocks.
pub fn fieldworkers() -> Vec<Fieldworker> {
    let mut out = Vec::new();
    let names = [
        "Anita Kumari",
        "Sunil Paswan",
        "Rekha Sinha",
        "Manoj Ram",
        "Farhana Parveen",
        "Pankaj Mandal",
        "Kiran Devi",
        "Raj Kishore",
        "Shabana Azmi Khatoon",
        "Vinod Sahni",
        "Babita Kumari",
        "Ashok Manjhi",
        "Seema Bharti",
        "Dinesh Yadav",
        "Ruby Khatoon",
        "Naresh Das",
    ];
    for (i, (district, blocks)) in DISTRICTS.iter().enumerate() {
        let half = blocks.len().div_ceil(2);
        for (j, part) in [&blocks[..half], &blocks[half..]].into_iter().enumerate() {
            out.push(Fieldworker {
                author: Author {
                    user_id: format!("fw-{}-{}", district.to_lowercase(), j + 1),
                    name: names[(i * 2 + j) % names.len()].to_owned(),
                },
                district: (*district).to_owned(),
                blocks: part.iter().map(|b| (*b).to_owned()).collect(),
            });
        }
    }
    out
}

/// Generates a caseload. Cases are spread over the districts, Gaya getting the most.
pub fn caseload(opts: Options) -> Caseload {
    let mut rng = Rng::with_seed(opts.seed);
    let fws = fieldworkers();
    let cases = (0..opts.cases)
        .map(|n| {
            // Gaya, the first district, holds about a quarter of the cases.
            let fw = if rng.u32(0..4) == 0 {
                rng.usize(0..2)
            } else {
                rng.usize(..fws.len())
            };
            one_case(&mut rng, n, fw, &fws[fw], opts)
        })
        .collect();
    Caseload {
        fieldworkers: fws,
        cases,
    }
}

/// The status ladder a need climbs in the synthetic data.
fn ladder(d: Dimension, age: u32, rng: &mut Rng) -> Vec<Status> {
    use Status::*;
    match d {
        Dimension::Education if age > 14 => vec![NotApplicable],
        Dimension::Education => {
            if rng.u32(0..4) == 0 {
                vec![
                    NotEnrolled,
                    EnrolledIrregular,
                    DroppedOut,
                    EnrolledIrregular,
                    Enrolled,
                ]
            } else {
                vec![NotEnrolled, EnrolledIrregular, Enrolled]
            }
        }
        Dimension::Compensation => vec![NotApplied, Applied, Sanctioned, Paid],
        Dimension::Entitlements => vec![NotLinked, Applied, PartlyLinked, Linked],
        Dimension::Livelihood => vec![NeedsSupport, InTraining, Linked],
        Dimension::Legal => vec![CasePending, TestimonyDue, CasePending, Concluded],
        Dimension::Health => {
            if rng.bool() {
                vec![NeedsCare, UnderTreatment, Well]
            } else {
                vec![NeedsCare, Counselling, Well]
            }
        }
        Dimension::Documents => vec![Missing, Partial, Complete],
    }
}

fn one_case(
    rng: &mut Rng,
    n: usize,
    fw_index: usize,
    fw: &Fieldworker,
    opts: Options,
) -> SynthCase {
    let until = opts.until;
    let span = u64::from(opts.months.max(1)) * 30;
    let returned_on = minus(until, rng.u64(3..span.max(4)));
    let sex = if rng.u32(0..10) < 7 {
        Sex::Male
    } else {
        Sex::Female
    };
    let first = if sex == Sex::Male {
        pick(rng, BOYS)
    } else {
        pick(rng, GIRLS)
    };
    let surname = pick(rng, SURNAMES);
    let age_at_return = rng.u32(8..17);
    let birth = if rng.bool() {
        Birth::Dob(minus(
            returned_on,
            u64::from(age_at_return) * 365 + rng.u64(0..365),
        ))
    } else {
        Birth::Estimated {
            years: u8::try_from(age_at_return).unwrap_or(12),
            as_of: returned_on,
        }
    };
    let (adult, relation) = pick(rng, ADULTS);
    let block = pick(rng, &fw.blocks).clone();
    let case_id = format!("c{:04}-{:08x}", n, rng.u32(..));
    let rescued_on = minus(returned_on, rng.u64(20..120));
    let profile = Profile {
        case_id: case_id.clone(),
        child: Child {
            name: format!("{first} {surname}"),
            other_names: if rng.u32(0..3) == 0 {
                vec![format!("{first}wa")]
            } else {
                Vec::new()
            },
            sex,
            birth,
            caregiver: Some(Caregiver {
                name: format!("{adult} {surname}"),
                relation: (*relation).to_owned(),
                phone: rng
                    .bool()
                    .then(|| format!("00000{:05}", rng.u32(0..100_000))),
            }),
            address: Address {
                district: fw.district.clone(),
                block,
                panchayat: None,
                village: format!("{}{}", pick(rng, VILLAGE_A), pick(rng, VILLAGE_B)),
            },
        },
        rescue: Rescue {
            city: Some("Jaipur".into()),
            workplace: Some((*pick(rng, WORKPLACES)).to_owned()),
            rescued_on: Some(rescued_on),
            shelter_home: Some("Government Children's Home, Jaipur".into()),
            cwc_order_ref: Some(format!(
                "CWC/JPR/{}/{}",
                rescued_on.format("%Y"),
                rng.u32(100..999)
            )),
            returned_on,
            receiving_authority: Some(format!("CWC {}", fw.district)),
        },
        legal_basis: LegalBasis::CwcOrder {
            reference: format!("CWC/{}/{}", fw.district.to_uppercase(), rng.u32(1000..9999)),
            dated: returned_on,
        },
    };
    let author = fw.author.clone();
    let ctx = |rng: &mut Rng, day: NaiveDate| EditContext {
        author: author.clone(),
        at: at(rng, day.min(until)),
    };
    let registered = ctx(rng, returned_on);
    let mut edits: Vec<(EditContext, Edit)> = Vec::new();

    let age = birth.age_on(returned_on);
    let ladders: Vec<Vec<Status>> = Dimension::ALL
        .iter()
        .map(|d| ladder(*d, age, rng))
        .collect();
    let mut rung = [0usize; 7];
    let mut docs_in_hand: Vec<DocumentKind> = Vec::new();
    let comp_service = format!("{case_id}-s1");
    let ent_service = format!("{case_id}-s2");
    let summons_day = (rng.u32(0..6) == 0).then(|| plus(returned_on, rng.u64(20..span.max(21))));
    let incident_day = (rng.u32(0..15) == 0).then(|| plus(returned_on, rng.u64(10..span.max(11))));
    let end_state = match rng.u32(0..40) {
        0 => Some(CaseState::Missing),
        1 | 2 => Some(CaseState::Closed),
        _ => None,
    };
    let mut day = plus(returned_on, rng.u64(1..10));
    let mut visit_no = 0;
    let mut summons_done = false;
    // The next visit after a summons or an incident discusses it and checks the child's safety.
    let mut to_discuss: Option<String> = None;
    let mut to_check = false;
    let mut incident_done = false;
    let mut lawyer_done = false;
    while day <= until {
        visit_no += 1;
        let vid = format!("{case_id}-v{visit_no}");
        let kind = if visit_no == 1 {
            VisitKind::InitialAssessment
        } else if rng.u32(0..8) == 0 {
            VisitKind::Phone
        } else {
            VisitKind::FollowUp
        };
        let mut updates = Vec::new();
        if kind == VisitKind::InitialAssessment {
            for (i, d) in Dimension::ALL.iter().enumerate() {
                updates.push(NeedUpdate {
                    id: format!("{vid}-{}", d.key()),
                    dimension: *d,
                    status: ladders[i][0],
                    note: None,
                });
            }
        } else {
            for _ in 0..rng.usize(0..3) {
                let i = rng.usize(..7);
                if rung[i] + 1 < ladders[i].len()
                    && !updates
                        .iter()
                        .any(|u: &NeedUpdate| u.dimension == Dimension::ALL[i])
                {
                    rung[i] += 1;
                    updates.push(NeedUpdate {
                        id: format!("{vid}-{}", Dimension::ALL[i].key()),
                        dimension: Dimension::ALL[i],
                        status: ladders[i][rung[i]],
                        note: (rng.u32(0..3) == 0).then(|| pick(rng, NOTES).to_string()),
                    });
                }
            }
        }
        // Most visits are entered the same day or the next; a few weeks late now and then.
        let recorded = if rng.u32(0..20) == 0 {
            plus(day, rng.u64(10..25))
        } else {
            plus(day, rng.u64(0..2))
        };
        let vctx = ctx(rng, recorded);
        let statuses: Vec<(Dimension, Status)> =
            updates.iter().map(|u| (u.dimension, u.status)).collect();
        edits.push((
            vctx.clone(),
            Edit::RecordVisit {
                visit: NewVisit {
                    id: vid.clone(),
                    date: day,
                    kind,
                    met: Some(
                        if rng.bool() {
                            "child and mother"
                        } else {
                            "child, caregiver"
                        }
                        .into(),
                    ),
                    note: Some(pick(rng, NOTES).to_string()),
                    next_steps: Some(pick(rng, NEXT_STEPS).to_string()),
                    summons_id: to_discuss.take(),
                    safety_checked: std::mem::take(&mut to_check),
                },
                updates,
            },
        ));
        // Claims and records that follow from the need updates.
        for (d, status) in statuses {
            match (d, status) {
                (Dimension::Compensation, Status::Applied) => edits.push((
                    vctx.clone(),
                    Edit::AddService(NewService {
                        id: comp_service.clone(),
                        dimension: ServiceDimension::Compensation,
                        scheme: "victim_compensation".into(),
                        applied_on: Some(day),
                        sanctioned_on: None,
                        paid_on: None,
                        amount: None,
                        stuck_reason: (rng.u32(0..3) == 0)
                            .then(|| "DLSA awaiting police verification".into()),
                    }),
                )),
                (Dimension::Compensation, Status::Sanctioned) => edits.push((
                    vctx.clone(),
                    Edit::UpdateService(ServiceProgress {
                        id: comp_service.clone(),
                        sanctioned_on: Some(day),
                        amount: Some(u64::from(rng.u32(2..11)) * 25_000),
                        ..ServiceProgress::default()
                    }),
                )),
                (Dimension::Compensation, Status::Paid) => edits.push((
                    vctx.clone(),
                    Edit::UpdateService(ServiceProgress {
                        id: comp_service.clone(),
                        paid_on: Some(day),
                        ..ServiceProgress::default()
                    }),
                )),
                (Dimension::Entitlements, Status::Applied) => edits.push((
                    vctx.clone(),
                    Edit::AddService(NewService {
                        id: ent_service.clone(),
                        dimension: ServiceDimension::Entitlements,
                        scheme: if rng.bool() {
                            "health_insurance"
                        } else {
                            "ration_card"
                        }
                        .into(),
                        applied_on: Some(day),
                        sanctioned_on: None,
                        paid_on: None,
                        amount: None,
                        stuck_reason: None,
                    }),
                )),
                (Dimension::Entitlements, Status::PartlyLinked) => edits.push((
                    vctx.clone(),
                    Edit::UpdateService(ServiceProgress {
                        id: ent_service.clone(),
                        sanctioned_on: Some(day),
                        paid_on: Some(day),
                        ..ServiceProgress::default()
                    }),
                )),
                (Dimension::Education, Status::EnrolledIrregular) => edits.push((
                    vctx.clone(),
                    Edit::SetEducation(Education {
                        kind: Some(if rng.u32(0..4) == 0 {
                            Schooling::Bridge
                        } else {
                            Schooling::School
                        }),
                        institution: Some(format!(
                            "Government Middle School, {}",
                            profile.child.address.village
                        )),
                        enrolled_on: Some(day),
                        attendance: Some("irregular".into()),
                        class: None,
                    }),
                )),
                _ => {}
            }
        }
        // Documents arrive one or two at a time.
        if rng.u32(0..3) == 0 && docs_in_hand.len() < DocumentKind::ALL.len() {
            let k = *pick(rng, DocumentKind::ALL);
            if !docs_in_hand.contains(&k) {
                docs_in_hand.push(k);
                edits.push((
                    vctx.clone(),
                    Edit::SetDocument {
                        kind: k,
                        state: if rng.u32(0..3) == 0 {
                            DocumentState::Verified
                        } else {
                            DocumentState::Received
                        },
                        on: day,
                    },
                ));
            }
        }
        if let Some(s) = summons_day.filter(|s| *s <= day && !summons_done) {
            summons_done = true;
            to_discuss = Some(format!("{case_id}-summons"));
            let sctx = ctx(rng, day);
            edits.push((
                sctx,
                Edit::AddSummons(NewSummons {
                    id: format!("{case_id}-summons"),
                    received_on: s,
                    hearing_on: plus(s, rng.u64(15..60)),
                    mode: rng.bool().then_some(HearingMode::Video),
                }),
            ));
        } else if summons_done && !lawyer_done && rng.bool() {
            lawyer_done = true;
            edits.push((
                vctx.clone(),
                Edit::SetLegal {
                    court_case_ref: Some(format!(
                        "Sessions Case {}/{}",
                        rng.u32(10..999),
                        day.format("%Y")
                    )),
                    lawyer_authorised_on: Some(day),
                    court: None,
                    lawyer_authorised_by: None,
                },
            ));
        }
        if let Some(i) = incident_day.filter(|i| *i <= day && !incident_done) {
            incident_done = true;
            to_check = true;
            edits.push((
                vctx.clone(),
                Edit::AddIncident(NewIncident {
                    id: format!("{case_id}-incident"),
                    on: i,
                    what: "Relatives of the accused threatened the family at the market.".into(),
                    police_informed: rng.bool(),
                }),
            ));
        }
        // The next visit follows how unsettled the case still is, with a missed visit now and then.
        let unsettled = rung
            .iter()
            .zip(&ladders)
            .filter(|(r, l)| **r + 1 < l.len())
            .count();
        let interval = match unsettled {
            5.. => 7,
            2..=4 => 14,
            _ => 30,
        };
        let missed = if rng.u32(0..8) == 0 { interval } else { 0 };
        day = plus(day, interval + missed + rng.u64(0..4));
        if let Some(state) = end_state
            && visit_no > 6
            && day <= until
        {
            edits.push((
                ctx(rng, day),
                Edit::SetStatus {
                    state,
                    reason: Some(match state {
                        CaseState::Missing => {
                            "Family says the child left with a labour agent.".into()
                        }
                        _ => "All needs met; family stable for six months.".into(),
                    }),
                    since: day,
                    closure: (state == CaseState::Closed)
                        .then_some(crate::model::ClosureReason::FollowUpEnded),
                },
            ));
            break;
        }
    }
    SynthCase {
        profile,
        fieldworker: fw_index,
        registered,
        edits,
    }
}
