//! The CWC report's content on hand-made cases whose every fact is known (issue 12, section 1):
//! one child's November, with claims waiting, a conflict the supervisor settled, a month still
//! in progress, the month's facts, and two registrations that are no child (one merged into the
//! child's case, one closed as registered in error). Read in both languages from the PDF's
//! text (pdftotext) and from the two CSV files.

use automerge::{ActorId, AutoCommit};
use chrono::{NaiveDate, NaiveTime};
use homeward_shared::edit::{
    Edit, EditContext, NeedUpdate, NewHearing, NewIncident, NewService, NewSummons, NewVisit,
    Resolution, ServiceProgress,
};
use homeward_shared::i18n::Lang;
use homeward_shared::indicators::Month;
use homeward_shared::model::{
    Address, Author, Birth, Case, CaseState, Child, ClosureReason, DocumentKind, DocumentState,
    HearingResult, LegalBasis, Profile, Rescue, ServiceDimension, Sex, VisitKind,
};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::programme::Programme;
use homeward_shared::schema;
use homeward_sync_server::report;
use homeward_sync_server::scope::Area;

pub(crate) fn d(s: &str) -> NaiveDate {
    s.parse().expect("test dates are valid")
}

/// The people who recorded the cases: two fieldworkers and their supervisor.
fn author(n: u8) -> Author {
    let name = match n {
        1 => "Meena Kumari",
        2 => "Ravi Paswan",
        _ => "Sunita Devi",
    };
    Author {
        user_id: format!("user-{n}"),
        name: name.into(),
    }
}

fn ctx(n: u8, day: &str) -> EditContext {
    EditContext {
        author: author(n),
        at: d(day)
            .and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
            .and_utc(),
    }
}

fn actor(n: u8) -> ActorId {
    ActorId::from(&[n; 16][..])
}

/// A case document of Wazirganj block, Gaya, registered by fieldworker 1.
fn register(id: &str, name: &str, returned: &str) -> AutoCommit {
    let profile = Profile {
        case_id: id.into(),
        child: Child {
            name: name.into(),
            other_names: vec![],
            sex: Sex::Male,
            birth: Birth::Dob(d("2014-05-01")),
            caregiver: None,
            address: Address {
                district: "Gaya".into(),
                block: "Wazirganj".into(),
                panchayat: None,
                village: "Keshopur".into(),
            },
        },
        rescue: Rescue {
            city: Some("Jaipur".into()),
            workplace: None,
            rescued_on: None,
            shelter_home: None,
            cwc_order_ref: None,
            returned_on: d(returned),
            receiving_authority: None,
        },
        legal_basis: LegalBasis::CwcOrder {
            reference: "CWC/GAYA/7".into(),
            dated: d(returned),
        },
    };
    schema::new_case(actor(1), &profile, &ctx(1, returned)).expect("a valid registration")
}

fn apply(doc: &mut AutoCommit, n: u8, day: &str, edit: Edit) {
    schema::apply(doc, &edit, &ctx(n, day)).unwrap_or_else(|e| panic!("{day}: {e}"));
}

fn visit(id: &str, day: &str, kind: VisitKind, updates: &[(Dimension, Status)]) -> Edit {
    Edit::RecordVisit {
        visit: NewVisit {
            id: id.into(),
            date: d(day),
            kind,
            met: Some("the child and his mother".into()),
            note: None,
            next_steps: None,
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

fn claim(id: &str, dimension: ServiceDimension, scheme: &str, applied: &str) -> Edit {
    Edit::AddService(NewService {
        id: id.into(),
        dimension,
        scheme: scheme.into(),
        applied_on: Some(d(applied)),
        sanctioned_on: None,
        paid_on: None,
        amount: None,
        stuck_reason: None,
    })
}

fn set_education(id: &str, status: Status) -> Edit {
    Edit::SetNeed {
        update: NeedUpdate {
            id: id.into(),
            dimension: Dimension::Education,
            status,
            note: None,
        },
        on: d("2026-11-14"),
    }
}

/// Sonu Manjhi's case up to the end of November 2026, every fact known:
/// - returned on 1 July, assessed on 3 July (in school, compensation not applied for...);
/// - victim compensation applied for on 20 August, waiting for sanction ("the bank asked for
///   the account details again"); rations applied for on 2 October, sanctioned on 10 November;
///   health insurance applied for on 1 November, paid on 25 November;
/// - a home visit on 3 November (Meena Kumari), a call on 12 November (Ravi Paswan);
/// - a summons received on 5 November for a hearing on 20 November, adjourned to 12 January;
/// - on 14 November the two phones set education at once, "enrolled, irregular" and "dropped
///   out"; the supervisor kept "enrolled, irregular" on 18 November;
/// - threatened near the school on 22 November (police informed); the bank account in the
///   child's name received on 24 November.
fn sonu() -> Case {
    let mut a = register("gaya-1", "Sonu Manjhi", "2026-07-01");
    apply(
        &mut a,
        1,
        "2026-07-03",
        visit(
            "v1",
            "2026-07-03",
            VisitKind::InitialAssessment,
            &[
                (Dimension::Education, Status::Enrolled),
                (Dimension::Compensation, Status::NotApplied),
                (Dimension::Entitlements, Status::NotLinked),
                (Dimension::Livelihood, Status::NeedsSupport),
                (Dimension::Legal, Status::CasePending),
                (Dimension::Health, Status::Well),
                (Dimension::Documents, Status::Partial),
            ],
        ),
    );
    let comp = ServiceDimension::Compensation;
    let ent = ServiceDimension::Entitlements;
    apply(
        &mut a,
        1,
        "2026-08-20",
        claim("c1", comp, "victim_compensation", "2026-08-20"),
    );
    apply(
        &mut a,
        1,
        "2026-09-30",
        Edit::UpdateService(ServiceProgress {
            id: "c1".into(),
            stuck_reason: Some("the bank asked for the account details again".into()),
            ..Default::default()
        }),
    );
    apply(
        &mut a,
        1,
        "2026-10-02",
        claim("r1", ent, "ration_card", "2026-10-02"),
    );
    apply(
        &mut a,
        1,
        "2026-11-01",
        claim("h1", ent, "health_insurance", "2026-11-01"),
    );
    apply(
        &mut a,
        1,
        "2026-11-03",
        visit("v2", "2026-11-03", VisitKind::FollowUp, &[]),
    );
    apply(
        &mut a,
        1,
        "2026-11-05",
        Edit::AddSummons(NewSummons {
            id: "s1".into(),
            received_on: d("2026-11-05"),
            hearing_on: d("2026-11-20"),
            mode: None,
        }),
    );
    apply(
        &mut a,
        1,
        "2026-11-10",
        Edit::UpdateService(ServiceProgress {
            id: "r1".into(),
            sanctioned_on: Some(d("2026-11-10")),
            ..Default::default()
        }),
    );
    // Ravi Paswan's phone calls on the 12th and, on the 14th, sets education at the same
    // time as Meena Kumari's phone does otherwise.
    let mut b = a.fork().with_actor(actor(2));
    apply(
        &mut b,
        2,
        "2026-11-12",
        visit("v3", "2026-11-12", VisitKind::Phone, &[]),
    );
    apply(
        &mut b,
        2,
        "2026-11-14",
        set_education("e2", Status::DroppedOut),
    );
    apply(
        &mut a,
        1,
        "2026-11-14",
        set_education("e1", Status::EnrolledIrregular),
    );
    a.merge(&mut b).expect("the phones sync");
    let kept = schema::conflicts(&a).expect("lists")[0]
        .values
        .iter()
        .find(|v| v.value == "enrolled_irregular")
        .expect("Meena Kumari's value")
        .actor
        .clone();
    let mut supervisor = a.fork().with_actor(actor(9));
    apply(
        &mut supervisor,
        9,
        "2026-11-18",
        Edit::ResolveConflict {
            path: "needs.education.status".into(),
            value: Resolution::Keep(kept),
        },
    );
    a.merge(&mut supervisor).expect("the settlement syncs");
    apply(
        &mut a,
        1,
        "2026-11-21",
        Edit::RecordHearing(NewHearing {
            id: "s2".into(),
            summons_id: "s1".into(),
            held_on: d("2026-11-20"),
            result: HearingResult::Adjourned,
            next_hearing_on: Some(d("2027-01-12")),
            note: None,
        }),
    );
    apply(
        &mut a,
        1,
        "2026-11-22",
        Edit::AddIncident(NewIncident {
            id: "i1".into(),
            on: d("2026-11-22"),
            what: "स्कूल के पास धमकी दी गई".into(),
            police_informed: true,
        }),
    );
    apply(
        &mut a,
        1,
        "2026-11-24",
        Edit::SetDocument {
            kind: DocumentKind::BankAccount,
            state: DocumentState::Received,
            on: d("2026-11-24"),
        },
    );
    apply(
        &mut a,
        1,
        "2026-11-25",
        Edit::UpdateService(ServiceProgress {
            id: "h1".into(),
            sanctioned_on: Some(d("2026-11-25")),
            paid_on: Some(d("2026-11-25")),
            ..Default::default()
        }),
    );
    schema::read_case(&a).expect("reads")
}

/// Sonu registered a second time by another spelling, with a visit of its own, merged into his
/// case by the supervisor on 16 November.
fn sonu_again() -> Case {
    let mut doc = register("gaya-1-2", "Sonu Maanjhi", "2026-07-01");
    apply(
        &mut doc,
        1,
        "2026-11-04",
        visit("w1", "2026-11-04", VisitKind::FollowUp, &[]),
    );
    schema::merge::close_as_merged(&mut doc, "gaya-1", d("2026-11-16"), &ctx(9, "2026-11-16"))
        .expect("merges");
    schema::read_case(&doc).expect("reads")
}

/// A case registered to try the phone, closed as registered in error on 15 November.
fn trial_entry() -> Case {
    let mut doc = register("gaya-9", "Test Bachcha", "2026-09-01");
    apply(
        &mut doc,
        1,
        "2026-10-10",
        visit("t1", "2026-10-10", VisitKind::FollowUp, &[]),
    );
    apply(
        &mut doc,
        1,
        "2026-11-15",
        Edit::SetStatus {
            state: CaseState::Closed,
            reason: Some("entered to learn the app; no such child".into()),
            since: d("2026-11-15"),
            closure: Some(ClosureReason::RegisteredInError),
        },
    );
    schema::read_case(&doc).expect("reads")
}

fn november(today: &str) -> report::Cwc {
    let month: Month = "2026-11".parse().expect("month");
    report::of_cases(
        &[sonu(), sonu_again(), trial_entry()],
        &Area::whole("Gaya"),
        month,
        d(today),
        Programme::default(),
    )
}

/// The words a report in `lang` must hold about Sonu's November, made on 29 November: each
/// known fact in the report's language.
fn known_facts(lang: Lang) -> Vec<&'static str> {
    match lang {
        Lang::En => vec![
            "The month is not over: figures as of 29 November 2026.",
            "1 November 2026: Health insurance (Ayushman Bharat): applied",
            "3 November 2026: Home visit by Meena Kumari",
            "5 November 2026: court summons received; hearing on 20 November 2026",
            "10 November 2026: Food rations (ration card): sanctioned",
            "12 November 2026: Phone call by Ravi Paswan",
            "20 November 2026: hearing: Adjourned to another date; next hearing on 12 January 2027",
            "22 November 2026: harassment: स्कूल के पास धमकी दी गई (police informed)",
            "24 November 2026: bank account in the child's name: received",
            "25 November 2026: Health insurance (Ayushman Bharat): sanctioned",
            "25 November 2026: Health insurance (Ayushman Bharat): paid",
            // A visit due before the report's day reads as past, not as a deadline to come.
            "Visit overdue (was due 10 November 2026)",
        ],
        Lang::Hi => vec![
            "महीना अभी पूरा नहीं हुआ: आँकड़े 29 नवंबर 2026 तक के हैं।",
            "1 नवंबर 2026: स्वास्थ्य बीमा (आयुष्मान भारत): आवेदन किया",
            "3 नवंबर 2026: Meena Kumari द्वारा घर पर मुलाक़ात",
            "5 नवंबर 2026: अदालत का समन मिला; सुनवाई 20 नवंबर 2026 को",
            "10 नवंबर 2026: राशन (राशन कार्ड): स्वीकृत",
            "12 नवंबर 2026: Ravi Paswan द्वारा फ़ोन कॉल",
            "20 नवंबर 2026: सुनवाई: सुनवाई आगे की तारीख़ पर टली; अगली सुनवाई 12 जनवरी 2027 को",
            "22 नवंबर 2026: उत्पीड़न: स्कूल के पास धमकी दी गई (पुलिस को सूचना दी गई)",
            "24 नवंबर 2026: बच्चे के नाम बैंक खाता: मिल गया",
            "25 नवंबर 2026: स्वास्थ्य बीमा (आयुष्मान भारत): स्वीकृत",
            "25 नवंबर 2026: स्वास्थ्य बीमा (आयुष्मान भारत): भुगतान हुआ",
            // Not "(10 नवंबर 2026 तक)", which reads as a deadline still to come.
            "मुलाक़ात में देरी (10 नवंबर 2026 से बाकी)",
        ],
    }
}

/// Text without white space, so that a line broken by the PDF's layout still matches, and a
/// Devanagari word that pdftotext splits ("स्कू ल") too.
pub(crate) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}

/// The CSV's rows (the byte-order mark checked and dropped), header first.
pub(crate) fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark first, for Excel");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect())
        .collect()
}

/// The figures every report of Sonu's November states, whatever its language: one child
/// followed (not his second registration, not the trial entry), his two contacts, in school
/// after the settlement, one compensation claim waiting 101 days on the 29th.
#[test]
fn the_months_figures_count_one_child_and_read_the_settlement() {
    let r = november("2026-11-29");
    assert_eq!(
        r.as_of,
        d("2026-11-29"),
        "a month in progress stands on its day"
    );
    let a = &r.aggregates;
    assert_eq!(
        a.children_followed, 1,
        "merged and in-error cases are no child"
    );
    assert_eq!(r.children.len(), 1);
    assert_eq!(r.children[0].case_id, "gaya-1");
    assert_eq!(
        a.visits_made, 2,
        "the home visit and the call; not the merged case's"
    );
    assert_eq!(
        (
            a.school_age,
            a.school_age_enrolled,
            a.school_age_enrolled_pct
        ),
        (1, 1, Some(100)),
        "the supervisor kept 'enrolled, irregular'"
    );
    assert_eq!(
        (
            a.compensation.applied,
            a.compensation.sanctioned,
            a.compensation.paid,
            a.compensation.pending,
            a.compensation.median_days_pending
        ),
        (0, 0, 0, 1, Some(101)),
        "20 August to 29 November"
    );
    assert_eq!(a.children_new_health_insurance, 1, "paid on 25 November");
    assert_eq!(
        a.children_new_entitlement, 0,
        "rations sanctioned, not paid"
    );
    assert_eq!(a.harassment_incidents, 1);
    assert_eq!(a.closed, 0, "the trial entry's closure is no case closed");
    let full = november("2026-12-01");
    assert_eq!(
        full.as_of,
        d("2026-11-30"),
        "a month over stands on its last day"
    );
    assert_eq!(full.aggregates.compensation.median_days_pending, Some(102));
}

#[test]
fn the_childrens_csv_lists_each_claim_waiting_with_the_same_columns_in_both_languages() {
    let r = november("2026-11-29");
    let en = rows(&report::csv(&r, Lang::En).expect("csv"));
    let hi = rows(&report::csv(&r, Lang::Hi).expect("csv"));
    assert_eq!(en[0].len(), report::CSV_COLUMNS.len());
    assert_eq!(
        en.iter().map(Vec::len).collect::<Vec<_>>(),
        hi.iter().map(Vec::len).collect::<Vec<_>>(),
        "the same rows and columns in both languages"
    );
    assert_eq!(
        en[0].join(","),
        "Case,Child,Block,Village,Risk,Case status,Visits this month,Row,Need,\
         Status at start,Status at end,Changes this month,Pending since,Scheme,Stage,\
         Applied on,Days waiting,Why it is stuck,Next steps"
    );
    assert_eq!(
        hi[0].join(","),
        "मामला,बच्चा,प्रखंड,गाँव,जोखिम,मामले की स्थिति,इस महीने की मुलाक़ातें,पंक्ति,ज़रूरत,\
         महीने की शुरुआत में,महीने के अंत में,इस महीने के बदलाव,कब से लंबित,योजना,दावे की स्थिति,\
         आवेदन की तारीख़,कितने दिन से इंतज़ार,क्यों अटका है,अगले कदम"
    );
    assert_eq!(
        en.len(),
        1 + 7 + 2,
        "seven needs and two claims waiting, one child"
    );
    let col = |name: &str| {
        report::CSV_COLUMNS
            .iter()
            .position(|c| *c == name)
            .expect("a column")
    };
    for (rows, lang) in [(&en, Lang::En), (&hi, Lang::Hi)] {
        for row in &rows[1..] {
            assert_eq!(row[col("col-case")], "gaya-1", "{lang}: only Sonu's case");
            assert_eq!(row[col("col-child")], "Sonu Manjhi", "{lang}");
        }
    }
    // The claims waiting follow their needs' rows: (need, scheme, stage, applied on, days, why).
    let claims = |rows: &[Vec<String>]| -> Vec<[String; 7]> {
        rows.iter()
            .skip(1)
            .map(|r| {
                [
                    r[col("col-row")].clone(),
                    r[col("col-dimension")].clone(),
                    r[col("col-scheme")].clone(),
                    r[col("col-stage")].clone(),
                    r[col("col-applied-on")].clone(),
                    r[col("col-days-pending")].clone(),
                    r[col("col-why-stuck")].clone(),
                ]
            })
            .filter(|r| !r[2].is_empty())
            .collect()
    };
    let s = |v: [&str; 7]| v.map(str::to_owned);
    assert_eq!(
        claims(&en),
        [
            s([
                "claim waiting",
                "Compensation",
                "Victim compensation (District Legal Services Authority)",
                "applied",
                "20 August 2026",
                "101",
                "the bank asked for the account details again"
            ]),
            s([
                "claim waiting",
                "Family entitlements",
                "Food rations (ration card)",
                "sanctioned",
                "2 October 2026",
                "58",
                ""
            ]),
        ]
    );
    assert_eq!(
        claims(&hi),
        [
            s([
                "इंतज़ार में दावा",
                "मुआवज़ा",
                "पीड़ित मुआवज़ा (ज़िला विधिक सेवा प्राधिकरण)",
                "आवेदन किया",
                "20 अगस्त 2026",
                "101",
                "the bank asked for the account details again"
            ]),
            s([
                "इंतज़ार में दावा",
                "पारिवारिक योजनाएँ",
                "राशन (राशन कार्ड)",
                "स्वीकृत",
                "2 अक्टूबर 2026",
                "58",
                ""
            ]),
        ]
    );
    let need = |rows: &[Vec<String>], dim: &str| -> [String; 5] {
        let r = rows
            .iter()
            .find(|r| r[col("col-dimension")] == dim && r[col("col-scheme")].is_empty())
            .expect("the need's row");
        [
            r[col("col-start")].clone(),
            r[col("col-end")].clone(),
            r[col("col-changes")].clone(),
            r[col("col-pending-since")].clone(),
            r[col("col-row")].clone(),
        ]
    };
    // The settlement is what the report says: the overruled "dropped out" appears nowhere, and
    // the need is pending since the settlement's day.
    assert_eq!(
        need(&en, "Education"),
        [
            "enrolled",
            "enrolled, irregular",
            "14 November 2026: enrolled, irregular",
            "18 November 2026",
            "need"
        ]
        .map(str::to_owned)
    );
    assert_eq!(
        need(&hi, "शिक्षा"),
        [
            "नामांकित",
            "नामांकित, अनियमित",
            "14 नवंबर 2026: नामांकित, अनियमित",
            "18 नवंबर 2026",
            "ज़रूरत"
        ]
        .map(str::to_owned)
    );
    assert_eq!(
        need(&en, "Compensation")[3],
        "20 August 2026",
        "pending since the claim's application"
    );
    let all = |rows: &[Vec<String>]| rows.iter().flatten().cloned().collect::<Vec<_>>().join("|");
    assert!(!all(&en).contains("dropped out") && !all(&hi).contains("पढ़ाई छोड़ दी"));
    for text in [all(&en), all(&hi)] {
        assert!(
            !text.contains("Maanjhi") && !text.contains("Test Bachcha"),
            "no merged or in-error registration"
        );
        assert!(!text.contains("victim_compensation") && !text.contains("2026-"));
    }
}

#[test]
fn the_summary_csv_states_the_months_figures_with_the_same_rows_in_both_languages() {
    let r = november("2026-11-29");
    let prepared = d("2026-11-29");
    let en = rows(&report::summary_csv(&r, &Area::whole("Gaya"), Lang::En, prepared).expect("csv"));
    let hi = rows(&report::summary_csv(&r, &Area::whole("Gaya"), Lang::Hi, prepared).expect("csv"));
    assert_eq!(en.len(), hi.len(), "the same rows in both languages");
    assert!(en.iter().chain(&hi).all(|r| r.len() == 2), "two columns");
    let value = |rows: &[Vec<String>], item: &str| -> String {
        rows.iter()
            .find(|r| r[0] == item)
            .unwrap_or_else(|| panic!("a row '{item}'"))[1]
            .clone()
    };
    for (item, want) in [
        ("District", "Gaya"),
        ("Block", "all blocks"),
        ("Month", "November 2026"),
        ("Figures as of", "29 November 2026"),
        ("The month is over", "no"),
        ("Children followed", "1"),
        ("Visits made (calls included)", "2"),
        ("Children aged 6 to 14", "1"),
        ("Of them, in school or a bridge programme", "1"),
        ("Of them, in school or a bridge programme (%)", "100"),
        ("Compensation claims pending at the end of the month", "1"),
        (
            "Compensation claims pending: half have waited this many days or more since application",
            "101",
        ),
        ("Harassment incidents", "1"),
        ("Cases closed", "0"),
    ] {
        assert_eq!(value(&en, item), want, "{item}");
    }
    assert_eq!(en[0], ["Item", "Value"]);
    assert_eq!(hi[0], ["मद", "जानकारी"]);
    for (item, want) in [
        ("ज़िला", "Gaya"),
        ("महीना", "नवंबर 2026"),
        ("आँकड़े इस दिन तक के", "29 नवंबर 2026"),
        ("महीना पूरा हो गया", "नहीं"),
        ("फ़ॉलो-अप किए गए बच्चे", "1"),
        (
            "लंबित मुआवज़ा दावे: आधे दावे आवेदन के बाद इतने या इससे ज़्यादा दिनों से रुके हैं",
            "101",
        ),
    ] {
        assert_eq!(value(&hi, item), want, "{item}");
    }
    // Over, the month stands on its last day, and a report of two blocks names them.
    let full = november("2026-12-01");
    let blocks = Area {
        district: "Gaya".into(),
        blocks: vec!["Atri".into(), "Wazirganj".into()],
    };
    let en = rows(&report::summary_csv(&full, &blocks, Lang::En, d("2026-12-01")).expect("csv"));
    assert_eq!(value(&en, "Figures as of"), "30 November 2026");
    assert_eq!(value(&en, "The month is over"), "yes");
    assert_eq!(value(&en, "Block"), "Atri, Wazirganj");
}

/// Every fact of Sonu's November is in the printed PDF's text, in both languages, and nothing
/// of the registrations that are no child.
#[test]
fn the_pdf_states_every_fact_of_the_month_in_both_languages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = november("2026-11-29");
    for lang in [Lang::En, Lang::Hi] {
        let html = report::html(&r, &Area::whole("Gaya"), lang, d("2026-11-29"));
        let pdf = report::pdf(&html).unwrap_or_else(|e| panic!("{e}: install chromium"));
        let file = tmp.path().join(format!("sonu-{lang}.pdf"));
        std::fs::write(&file, &pdf).expect("write");
        let out = std::process::Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext runs (poppler-utils)");
        let text = squeeze(&String::from_utf8_lossy(&out.stdout));
        for fact in known_facts(lang) {
            assert!(
                text.contains(&squeeze(fact)),
                "{lang}: '{fact}' in:\n{text}"
            );
        }
        // Rows of the tables, cell after cell: the month's figures, the settled need, each
        // claim waiting with its scheme, stage, application day and days waiting.
        let claims: &[&str] = match lang {
            Lang::En => &[
                "Children followed 1 Visits made (calls included) 2",
                "Compensation claims pending: half have waited this many days or more since \
                 application 101",
                "Education enrolled enrolled, irregular 14 November 2026: enrolled, irregular \
                 18 November 2026",
                "Victim compensation (District Legal Services Authority) applied 20 August 2026 \
                 101 the bank asked for the account details again",
                "Food rations (ration card) sanctioned 2 October 2026 58",
            ],
            Lang::Hi => &[
                "फ़ॉलो-अप किए गए बच्चे 1 की गई मुलाक़ातें (फ़ोन सहित) 2",
                "लंबित मुआवज़ा दावे: आधे दावे आवेदन के बाद इतने या इससे ज़्यादा दिनों से रुके हैं 101",
                "शिक्षा नामांकित नामांकित, अनियमित 14 नवंबर 2026: नामांकित, अनियमित 18 नवंबर 2026",
                "पीड़ित मुआवज़ा (ज़िला विधिक सेवा प्राधिकरण) आवेदन किया 20 अगस्त 2026 101",
                "राशन (राशन कार्ड) स्वीकृत 2 अक्टूबर 2026 58",
            ],
        };
        for word in claims {
            assert!(
                text.contains(&squeeze(word)),
                "{lang}: '{word}' in:\n{text}"
            );
        }
        for absent in [
            "Maanjhi",
            "Test Bachcha",
            "dropped out",
            "पढ़ाई छोड़ दी",
            "victim_compensation",
            "माध्यिका",
        ] {
            assert!(
                !text.contains(&squeeze(absent)),
                "{lang}: '{absent}' in:\n{text}"
            );
        }
    }
}
