//! The demo: synthetic users, devices and about 200 cases across Bihar districts, with visits
//! over the last twelve months, stored through the same push path devices use; one conflict,
//! and one child registered twice (another spelling, a visit of its own) for `/duplicates`;
//! a small resource map of invented providers in each block, in both scripts, and referrals to
//! them from some of the children whose needs call for outside help: served, accepted, open
//! past the follow-up days, or unanswered (issue 17); copies of documents in three cases, from
//! the synthetic scans of `fixtures/` (issue 15).

use std::collections::BTreeMap;

use automerge::ActorId;
use chrono::NaiveDate;
use homeward_shared::synth::{self, Options};
use homeward_shared::wire::CasePush;

use crate::error::ApiError;
use crate::store::{DeviceAuth, Role, Store};

/// The password of every demo user (synthetic accounts only).
pub const DEMO_PASSWORD: &str = "demo";

/// What the demo created.
#[derive(Debug)]
pub struct Demo {
    /// Cases stored.
    pub cases: usize,
    /// Visits in them.
    pub visits: usize,
    /// (user id, role, areas) of every user.
    pub users: Vec<(String, &'static str, String)>,
    /// A one-time enrolment code for the first Gaya fieldworker.
    pub code: String,
    /// That fieldworker's id.
    pub code_user: String,
    /// Visits drawn for last month's spot checks.
    pub spot_checks: usize,
}

/// Fills an empty store with the demo data, up to `today`.
pub fn fill(store: &mut Store, today: NaiveDate, cases: usize) -> Result<Demo, ApiError> {
    let load = synth::caseload(Options {
        seed: 2026,
        cases,
        until: today,
        months: 12,
    });
    let mut users = Vec::new();
    store.add_user("admin", Role::Admin, &[], Some(DEMO_PASSWORD))?;
    users.push(("admin".to_owned(), "admin", "all".to_owned()));
    let mut districts: Vec<&str> = load
        .fieldworkers
        .iter()
        .map(|f| f.district.as_str())
        .collect();
    districts.dedup();
    for d in &districts {
        let area = [((*d).to_owned(), String::new())];
        let sup = store.add_user(
            &format!("supervisor-{}", d.to_lowercase()),
            Role::Supervisor,
            &area,
            Some(DEMO_PASSWORD),
        )?;
        users.push((sup, "supervisor", (*d).to_owned()));
        let cwc = store.add_user(
            &format!("cwc-{}", d.to_lowercase()),
            Role::Cwc,
            &area,
            Some(DEMO_PASSWORD),
        )?;
        users.push((cwc, "cwc", (*d).to_owned()));
    }
    // Each fieldworker has one demo device that made their cases' changes.
    let mut devices = BTreeMap::new();
    for (i, fw) in load.fieldworkers.iter().enumerate() {
        let areas: Vec<(String, String)> = fw
            .blocks
            .iter()
            .map(|b| (fw.district.clone(), b.clone()))
            .collect();
        // The id and the name the synthetic history's edits carry.
        let id = store.add_user_with_id(
            Some(&fw.author.user_id),
            &fw.author.name,
            Role::Fieldworker,
            &areas,
            Some(DEMO_PASSWORD),
        )?;
        users.push((
            id.clone(),
            "fieldworker",
            format!("{}: {}", fw.district, fw.blocks.join(", ")),
        ));
        let code = store.enrolment_code(&id)?;
        let actor = vec![0xd0, u8::try_from(i).unwrap_or(u8::MAX), 0x5e, 0xed];
        let enrolled = store.enrol(&code, &actor, "demo phone")?;
        devices.insert(
            i,
            DeviceAuth {
                device_id: enrolled.device_id,
                user_id: enrolled.user_id,
                user_name: enrolled.user_name,
                role: Role::Fieldworker,
                actor,
            },
        );
    }
    let mut places: Vec<(String, String)> = load
        .fieldworkers
        .iter()
        .flat_map(|f| f.blocks.iter().map(|b| (f.district.clone(), b.clone())))
        .collect();
    places.sort();
    places.dedup();
    resources(store, &places)?;
    let map = store.resources(None)?;
    let mut visits = 0;
    let mut referred = 0;
    let mut conflict_source = None;
    let mut copy_sources = Vec::new();
    for (n, sc) in load.cases.iter().enumerate() {
        let device = &devices[&sc.fieldworker];
        let mut doc = sc
            .build(ActorId::from(device.actor.as_slice()))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        // Three eligible children in four are referred; the fourth keeps its "find help".
        if n % 4 != 1 && refer(&mut doc, &map, &sc.registered.author, referred, today)? {
            referred += 1;
        }
        visits += sc
            .edits
            .iter()
            .filter(|(_, e)| matches!(e, homeward_shared::edit::Edit::RecordVisit { .. }))
            .count();
        let changes = doc
            .get_changes(&[])
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect();
        store.push_as(
            device,
            &[CasePush {
                case_id: sc.profile.case_id.clone(),
                changes,
            }],
        )?;
        // Three later cases of the same fieldworker get copies of documents (issue 15).
        if sc.fieldworker == 0
            && conflict_source.is_some()
            && copy_sources.len() < 3
            && sc.profile.rescue.returned_on + chrono::Days::new(30) < today
        {
            copy_sources.push((sc.profile.case_id.clone(), doc.clone()));
        }
        if sc.fieldworker == 0 && conflict_source.is_none() && sc.edits.len() > 1 {
            conflict_source = Some((sc.profile.case_id.clone(), doc));
        }
    }
    // One conflict for the supervisors' queue: the first Gaya fieldworker's spare phone set a
    // need's status offline while her usual phone set it otherwise.
    if let Some((case_id, mut doc)) = conflict_source {
        conflict(
            store,
            &devices[&0],
            &load.fieldworkers[0].author,
            &case_id,
            &mut doc,
            today,
        )?;
    }
    copies(
        store,
        &devices[&0],
        &load.fieldworkers[0].author,
        copy_sources,
        today,
    )?;
    // One child registered twice, for the supervisors' duplicates page.
    if let Some(sc) = load.cases.iter().find(|c| c.fieldworker == 0) {
        register_again(store, &devices[&0], &load.fieldworkers[0].author, sc, today)?;
    }
    // Last month's spot checks, as the administrator would draw them early this month.
    let spot_checks = store.draw_spot_checks(
        homeward_shared::indicators::Month::of(today).prev(),
        "admin",
        today,
    )?;
    let code_user = load.fieldworkers[0].author.user_id.clone();
    let code = store.enrolment_code(&code_user)?;
    Ok(Demo {
        spot_checks,
        cases: load.cases.len(),
        visits,
        users,
        code,
        code_user,
    })
}

/// Refers a demo child to a provider of its block for its first need that calls for outside
/// help, if it has one (and says whether it did): made 30 days ago by the fieldworker, then,
/// by turns as `k` referrals were made before, served 12 days later, accepted, left open (its
/// follow-up prompt is due), or recorded as unanswered.
fn refer(
    doc: &mut automerge::AutoCommit,
    map: &[homeward_shared::resource::Resource],
    author: &homeward_shared::model::Author,
    k: usize,
    today: NaiveDate,
) -> Result<bool, ApiError> {
    use homeward_shared::edit::{Edit, NewReferral, ReferralUpdate};
    use homeward_shared::model::ReferralState;
    let internal = |e: homeward_shared::schema::SchemaError| ApiError::Internal(e.to_string());
    let case = homeward_shared::schema::read_case(doc).map_err(internal)?;
    let programme = homeward_shared::programme::Programme::default();
    let on = today - chrono::Days::new(30);
    if !case.is_active() || case.rescue.returned_on > on {
        return Ok(false);
    }
    let Some((dimension, resource)) =
        homeward_shared::resource::calls_for_help(&case, on, &programme)
            .into_iter()
            .find_map(|d| {
                homeward_shared::resource::suggest(map, &case, d, on)
                    .first()
                    .map(|r| (d, *r))
            })
    else {
        return Ok(false);
    };
    let id = format!("{}-ref", case.id);
    let referral = Edit::Refer(NewReferral {
        id: id.clone(),
        resource_id: resource.id.clone(),
        resource_kind: resource.kind,
        resource_name: resource.name.clone(),
        dimension,
        on,
        note: None,
    });
    homeward_shared::schema::apply(doc, &referral, &demo_ctx(author, on, 11)).map_err(internal)?;
    let step = |state, days: u64, note: Option<&str>| {
        let day = on + chrono::Days::new(days);
        let edit = Edit::UpdateReferral(ReferralUpdate {
            id: format!("{id}-{}", state),
            referral_id: id.clone(),
            state,
            on: day,
            note: note.map(str::to_owned),
        });
        (edit, demo_ctx(author, day, 16))
    };
    let steps = match k % 4 {
        0 => vec![
            step(ReferralState::Accepted, 5, None),
            step(ReferralState::Served, 12, Some("Joined; goes every day")),
        ],
        1 => vec![step(ReferralState::Accepted, 8, None)],
        2 => Vec::new(),
        _ => vec![step(
            ReferralState::NoResponse,
            20,
            Some("Nobody at the office twice"),
        )],
    };
    for (edit, ctx) in steps {
        homeward_shared::schema::apply(doc, &edit, &ctx).map_err(internal)?;
    }
    Ok(true)
}

/// The demo's synthetic scans (`fixtures/make-scans.py`: drawn shapes, no real document).
const SCANS: [&[u8]; 3] = [
    include_bytes!("../fixtures/scan-1.png"),
    include_bytes!("../fixtures/scan-2.png"),
    include_bytes!("../fixtures/scan-3.png"),
];
/// A one-page synthetic PDF (the same script).
const REPORT_PDF: &[u8] = include_bytes!("../fixtures/report.pdf");

/// Copies of documents in three cases of the first fieldworker (issue 15), taken 20 days ago and
/// uploaded from her phone: a two-page FIR the district's supervisor verified; a bank passbook
/// whose second page has not arrived ("waiting for the phone's upload"); a medical report as a
/// PDF, and a blurred photo of the FIR she withdrew, waiting for the supervisor to confirm.
fn copies(
    store: &mut Store,
    device: &DeviceAuth,
    author: &homeward_shared::model::Author,
    cases: Vec<(String, automerge::AutoCommit)>,
    today: NaiveDate,
) -> Result<(), ApiError> {
    use homeward_shared::attachment::{CHUNK_BYTES, sha256_hex};
    use homeward_shared::edit::{Edit, NewAttachment};
    use homeward_shared::model::{AttachmentPage, DocumentKind, MediaType};
    let internal = |e: homeward_shared::schema::SchemaError| ApiError::Internal(e.to_string());
    let page = |media_type, bytes: &[u8]| AttachmentPage {
        hash: sha256_hex(bytes),
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        media_type,
    };
    // A page whose bytes never leave the phone in the demo.
    let unsent = [SCANS[2], b"page 2".as_slice()].concat();
    let taken = today - chrono::Days::new(20);
    // Per case: each copy's document, its pages, and whether she withdrew it.
    type Copy<'a> = (DocumentKind, Vec<(MediaType, &'a [u8])>, bool);
    let plans: [Vec<Copy>; 3] = [
        vec![(
            DocumentKind::Fir,
            vec![(MediaType::Png, SCANS[0]), (MediaType::Png, SCANS[1])],
            false,
        )],
        vec![(
            DocumentKind::BankAccount,
            vec![(MediaType::Png, SCANS[2]), (MediaType::Png, &unsent)],
            false,
        )],
        vec![
            (
                DocumentKind::MedicalReport,
                vec![(MediaType::Pdf, REPORT_PDF)],
                false,
            ),
            (DocumentKind::Fir, vec![(MediaType::Png, SCANS[0])], true),
        ],
    ];
    let mut verify = None;
    for ((case_id, mut doc), plan) in cases.into_iter().zip(plans) {
        let heads = doc.get_heads();
        for (n, (kind, pages, withdrawn)) in plan.into_iter().enumerate() {
            let id = format!("{case_id}-copy-{n}");
            let edit = Edit::Attach(NewAttachment {
                id: id.clone(),
                kind,
                pages: pages.iter().map(|(m, b)| page(*m, b)).collect(),
                taken_on: taken,
            });
            homeward_shared::schema::apply(&mut doc, &edit, &demo_ctx(author, taken, 10))
                .map_err(internal)?;
            if withdrawn {
                let edit = Edit::WithdrawAttachment {
                    id: id.clone(),
                    reason: "Blurred photo; taken again".into(),
                    on: taken,
                };
                homeward_shared::schema::apply(&mut doc, &edit, &demo_ctx(author, taken, 11))
                    .map_err(internal)?;
            }
            if verify.is_none() && kind == DocumentKind::Fir {
                verify = Some((case_id.clone(), id));
            }
        }
        push_since(store, device, &case_id, &mut doc, &heads)?;
    }
    // The phone's uploads, chunk by chunk (not the passbook's second page).
    for bytes in [SCANS[0], SCANS[1], SCANS[2], REPORT_PDF] {
        let hash = sha256_hex(bytes);
        for (i, chunk) in bytes.chunks(CHUNK_BYTES).enumerate() {
            let offset = u64::try_from(i * CHUNK_BYTES).unwrap_or(u64::MAX);
            store.put_chunk(device, &hash, offset, chunk)?;
        }
    }
    if let Some((case_id, copy)) = verify
        && let Some((district, _)) = store.case_place(&case_id)?
    {
        let supervisor = store.web_user(&format!("supervisor-{}", district.to_lowercase()))?;
        store.verify_copy(&supervisor, &case_id, &copy, today - chrono::Days::new(5))?;
    }
    Ok(())
}

/// A small synthetic resource map: in each block a school, a bridge centre for girls, a health
/// centre (its name in Devanagari) and a livelihood provider; in each district's first block the
/// legal aid authority, and one inactive training centre. Every name is invented.
fn resources(store: &mut Store, places: &[(String, String)]) -> Result<(), ApiError> {
    use homeward_shared::model::Sex;
    use homeward_shared::resource::{Resource, ResourceKind};
    let mut rows = Vec::new();
    let mut first_of_district = String::new();
    for (district, block) in places {
        let first = *district != first_of_district;
        first_of_district.clone_from(district);
        let r = |kind, name: String, offers: &str| Resource {
            id: String::new(),
            district: district.clone(),
            block: block.clone(),
            kind,
            name,
            address: Some(format!("Near the block office, {block}")),
            contact: Some("Ask at the office, 10:00 to 17:00".into()),
            offers: Some(offers.into()),
            min_age: None,
            max_age: None,
            sex: None,
            active: true,
        };
        let mut list = vec![
            Resource {
                min_age: Some(6),
                max_age: Some(14),
                ..r(
                    ResourceKind::School,
                    format!("Government Middle School {block} East"),
                    "Admission in any month with an age certificate; free uniform and midday meal",
                )
            },
            Resource {
                min_age: Some(10),
                max_age: Some(16),
                sex: Some(Sex::Female),
                ..r(
                    ResourceKind::SpecialEducation,
                    "Nayi Disha Residential Bridge Centre (girls)".into(),
                    "A residential bridge course for girls out of school",
                )
            },
            r(
                ResourceKind::Health,
                format!("प्राथमिक स्वास्थ्य केंद्र, {block}"),
                "OPD daily; counselling on Tuesdays",
            ),
            Resource {
                min_age: Some(18),
                ..r(
                    ResourceKind::Livelihood,
                    "Sakhi Mahila Village Organisation (self-help groups)".into(),
                    "Self-help group membership and small loans for mothers",
                )
            },
        ];
        if first {
            list.push(r(
                ResourceKind::LegalAid,
                format!("District Legal Services Authority, {district}"),
                "Free legal aid; help with compensation claims",
            ));
            list.push(Resource {
                active: false,
                min_age: Some(15),
                max_age: Some(18),
                ..r(
                    ResourceKind::SkillsTraining,
                    "Sunrise Skills Centre (closed for now)".into(),
                    "Tailoring and mobile repair courses",
                )
            });
        }
        for resource in list {
            let line = u64::try_from(rows.len()).unwrap_or(0) + 2;
            rows.push(crate::store::CsvRow { line, resource });
        }
    }
    // One transaction, as an import (the demo fills a store in tests too).
    store.import_resources(&rows, "admin")?;
    Ok(())
}

/// Makes a real conflict in `case_id`: the fieldworker's phone and a second phone of hers each
/// set the health need, neither having seen the other's change.
fn conflict(
    store: &mut Store,
    phone: &DeviceAuth,
    author: &homeward_shared::model::Author,
    case_id: &str,
    doc: &mut automerge::AutoCommit,
    today: NaiveDate,
) -> Result<(), ApiError> {
    use homeward_shared::edit::{Edit, NeedUpdate};
    use homeward_shared::need::{Dimension, Status};
    let code = store.enrolment_code(&author.user_id)?;
    let spare_actor = vec![0x5a, 0x5e, 0x00, 0x01];
    let spare = store.enrol(&code, &spare_actor, "spare phone")?;
    let spare = DeviceAuth {
        device_id: spare.device_id,
        user_id: spare.user_id,
        user_name: spare.user_name,
        role: Role::Fieldworker,
        actor: spare_actor,
    };
    let ctx = demo_ctx(author, today, 6);
    // Two statuses, both unlike the current one (an unchanged status writes nothing to fight).
    let current = homeward_shared::schema::read_case(&*doc)
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .need(Dimension::Health)
        .status;
    let mut choices = Dimension::Health
        .statuses()
        .iter()
        .copied()
        .filter(|s| *s != current && *s != Status::NotAssessed && *s != Status::NotApplicable);
    let (Some(first), Some(second)) = (choices.next(), choices.next()) else {
        return Ok(());
    };
    for (device, id, status) in [
        (phone, "demo-conflict-a", first),
        (&spare, "demo-conflict-b", second),
    ] {
        let mut copy = doc
            .fork()
            .with_actor(ActorId::from(device.actor.as_slice()));
        let heads = copy.get_heads();
        let edit = Edit::SetNeed {
            update: NeedUpdate {
                id: id.into(),
                dimension: Dimension::Health,
                status,
                note: None,
            },
            on: today,
        };
        homeward_shared::schema::apply(&mut copy, &edit, &ctx)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        push_since(store, device, case_id, &mut copy, &heads)?;
    }
    Ok(())
}

/// Registers the child of `sc` again under another spelling of the name, with one visit: the
/// fieldworker's spare phone, on which she did not find him (the phone asks the server when
/// online; this one was offline). The supervisor finds the pair on `/duplicates`.
fn register_again(
    store: &mut Store,
    phone: &DeviceAuth,
    author: &homeward_shared::model::Author,
    sc: &synth::SynthCase,
    today: NaiveDate,
) -> Result<(), ApiError> {
    use homeward_shared::edit::{Edit, NewVisit};
    let mut profile = sc.profile.clone();
    profile.case_id = format!("{}-2", profile.case_id);
    // A doubled vowel: the spelling another hand gives the same name ("Suraaj" for "Suraj").
    profile.child.name = profile.child.name.replacen('a', "aa", 1);
    profile.child.other_names.clear();
    let ctx = demo_ctx(author, today, 7);
    let internal = |e: homeward_shared::schema::SchemaError| ApiError::Internal(e.to_string());
    let mut doc =
        homeward_shared::schema::new_case(ActorId::from(phone.actor.as_slice()), &profile, &ctx)
            .map_err(internal)?;
    let visit = Edit::RecordVisit {
        visit: NewVisit {
            id: format!("{}-v1", profile.case_id),
            date: today,
            kind: homeward_shared::model::VisitKind::FollowUp,
            met: Some("mother".into()),
            note: Some("met at the weekly market; the mother says the child goes to school".into()),
            next_steps: None,
            summons_id: None,
            safety_checked: false,
        },
        updates: Vec::new(),
    };
    homeward_shared::schema::apply(&mut doc, &visit, &ctx).map_err(internal)?;
    push_since(store, phone, &profile.case_id, &mut doc, &[])
}

/// `author` editing at `hour` o'clock on `today` (the demo's phones' moment).
fn demo_ctx(
    author: &homeward_shared::model::Author,
    today: NaiveDate,
    hour: u32,
) -> homeward_shared::edit::EditContext {
    homeward_shared::edit::EditContext {
        author: author.clone(),
        at: chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(
            today.and_hms_opt(hour, 0, 0).unwrap_or_default(),
            chrono::Utc,
        ),
    }
}

/// Pushes the changes of `doc` after `heads` as `device`, through the devices' push path.
fn push_since(
    store: &mut Store,
    device: &DeviceAuth,
    case_id: &str,
    doc: &mut automerge::AutoCommit,
    heads: &[automerge::ChangeHash],
) -> Result<(), ApiError> {
    let changes = doc
        .get_changes(heads)
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    store.push_as(
        device,
        &[CasePush {
            case_id: case_id.to_owned(),
            changes,
        }],
    )
}
