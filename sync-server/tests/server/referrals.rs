//! Referrals in the CWC report (issue 17): the PDF, the children's CSV and the summary CSV, on
//! a hand-made case whose every referral is known, in both languages (the pages' are in
//! referral_pages.rs, with this file's helpers).
//!
//! Raju Kumar's referrals: to PHC Wazirganj for his health on 5 November ("fever that does not
//! go"), no response recorded on 25 November; to Jeevika Gram Sangathan for livelihood on 10
//! November ("tailoring for the mother"), accepted on 20 November ("starts in December"),
//! served on 3 December ("enrolled in the tailoring course").

use automerge::{ActorId, AutoCommit};
use chrono::{NaiveDate, NaiveTime};
use homeward_shared::edit::{Edit, EditContext, NeedUpdate, NewReferral, NewVisit, ReferralUpdate};
use homeward_shared::i18n::Lang;
use homeward_shared::indicators::{Month, ReferralCounts};
use homeward_shared::model::{
    Address, Author, Birth, Case, Child, LegalBasis, Profile, ReferralState, Rescue, Sex, VisitKind,
};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::programme::Programme;
use homeward_shared::resource::ResourceKind;
use homeward_shared::schema;
use homeward_sync_server::report;
use homeward_sync_server::scope::Area;

use crate::report::{d, rows, squeeze};

fn meena() -> Author {
    Author {
        user_id: "user-1".into(),
        name: "Meena Kumari".into(),
    }
}

fn ctx(author: &Author, day: NaiveDate) -> EditContext {
    EditContext {
        author: author.clone(),
        at: day
            .and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
            .and_utc(),
    }
}

/// A case document of `block`, Gaya, returned on 1 July 2026, assessed on 3 July with
/// livelihood "needs support" and health "needs care".
pub(crate) fn register(
    id: &str,
    name: &str,
    block: &str,
    actor: ActorId,
    by: &Author,
) -> AutoCommit {
    let returned = d("2026-07-01");
    let profile = Profile {
        case_id: id.into(),
        child: Child {
            name: name.into(),
            other_names: vec![],
            sex: Sex::Male,
            birth: Birth::Dob(d("2012-03-01")),
            caregiver: None,
            address: Address {
                district: "Gaya".into(),
                block: block.into(),
                panchayat: None,
                village: "Keshopur".into(),
            },
        },
        rescue: Rescue {
            city: Some("Surat".into()),
            workplace: None,
            rescued_on: None,
            shelter_home: None,
            cwc_order_ref: None,
            returned_on: returned,
            receiving_authority: None,
        },
        legal_basis: LegalBasis::CwcOrder {
            reference: "CWC/GAYA/12".into(),
            dated: returned,
        },
    };
    let mut doc = schema::new_case(actor, &profile, &ctx(by, returned)).expect("registers");
    let assessed = d("2026-07-03");
    let updates = [
        (Dimension::Livelihood, Status::NeedsSupport),
        (Dimension::Health, Status::NeedsCare),
    ];
    let visit = Edit::RecordVisit {
        visit: NewVisit {
            id: format!("{id}-v1"),
            date: assessed,
            kind: VisitKind::InitialAssessment,
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
    };
    apply(&mut doc, by, assessed, &visit);
    doc
}

pub(crate) fn apply(doc: &mut AutoCommit, by: &Author, day: NaiveDate, edit: &Edit) {
    schema::apply(doc, edit, &ctx(by, day)).unwrap_or_else(|e| panic!("{day}: {e}"));
}

pub(crate) fn refer(
    doc: &mut AutoCommit,
    by: &Author,
    id: &str,
    resource: (&str, &str, ResourceKind),
    dimension: Dimension,
    on: NaiveDate,
    note: &str,
) {
    let (resource_id, name, kind) = resource;
    let edit = Edit::Refer(NewReferral {
        id: id.into(),
        resource_id: resource_id.into(),
        resource_kind: kind,
        resource_name: name.into(),
        dimension,
        on,
        note: Some(note.into()),
    });
    apply(doc, by, on, &edit);
}

pub(crate) fn step(
    doc: &mut AutoCommit,
    by: &Author,
    referral: &str,
    state: ReferralState,
    on: NaiveDate,
    note: &str,
) {
    let edit = Edit::UpdateReferral(ReferralUpdate {
        id: format!("{referral}-{}", state.key()),
        referral_id: referral.into(),
        state,
        on,
        note: Some(note.into()),
    });
    apply(doc, by, on, &edit);
}

const PHC: (&str, &str, ResourceKind) = ("res-phc", "PHC Wazirganj", ResourceKind::Health);
const JEEVIKA: (&str, &str, ResourceKind) = (
    "res-jeevika",
    "Jeevika Gram Sangathan",
    ResourceKind::Livelihood,
);

/// Raju's case document, as the module's header tells it.
fn raju_doc(actor: ActorId, by: &Author) -> AutoCommit {
    let mut doc = register("gaya-2", "Raju Kumar", "Wazirganj", actor, by);
    let health = Dimension::Health;
    refer(
        &mut doc,
        by,
        "ref-phc",
        PHC,
        health,
        d("2026-11-05"),
        "fever that does not go",
    );
    let livelihood = Dimension::Livelihood;
    let note = "tailoring for the mother";
    refer(
        &mut doc,
        by,
        "ref-jv",
        JEEVIKA,
        livelihood,
        d("2026-11-10"),
        note,
    );
    let (no_response, accepted, served) = (
        ReferralState::NoResponse,
        ReferralState::Accepted,
        ReferralState::Served,
    );
    let tries = "no one answered the phone three times";
    step(&mut doc, by, "ref-phc", no_response, d("2026-11-25"), tries);
    step(
        &mut doc,
        by,
        "ref-jv",
        accepted,
        d("2026-11-20"),
        "starts in December",
    );
    let enrolled = "enrolled in the tailoring course";
    step(&mut doc, by, "ref-jv", served, d("2026-12-03"), enrolled);
    doc
}

fn raju() -> Case {
    schema::read_case(&raju_doc(ActorId::from(&[1; 16][..]), &meena())).expect("reads")
}

fn cwc(month: &str, today: &str) -> report::Cwc {
    let month: Month = month.parse().expect("month");
    report::of_cases(
        &[raju()],
        &Area::whole("Gaya"),
        month,
        d(today),
        Programme::default(),
    )
}

fn counts(
    kind: Option<ResourceKind>,
    made: u32,
    accepted: u32,
    served: u32,
    not: u32,
) -> ReferralCounts {
    ReferralCounts {
        kind,
        made,
        accepted,
        served,
        not_served: not,
    }
}

#[test]
fn the_months_referrals_count_each_step_in_the_month_it_happened() {
    let nov = cwc("2026-11", "2026-11-29");
    assert_eq!(
        nov.aggregates.referrals,
        [
            counts(Some(ResourceKind::Livelihood), 1, 1, 0, 0),
            counts(Some(ResourceKind::Health), 1, 0, 0, 1),
            counts(None, 2, 1, 0, 1),
        ]
    );
    let dec = cwc("2026-12", "2027-01-02");
    assert_eq!(
        dec.aggregates.referrals,
        [counts(Some(ResourceKind::Livelihood), 0, 0, 1, 0)],
        "served in December; the health referral ended in November"
    );
}

/// The referral columns of the children's CSV: row, need, changes, pending since, provider,
/// state, referred on, days waiting, note.
fn referral_rows(csv: &[Vec<String>], lang: Lang) -> Vec<[String; 9]> {
    let col = |name: &str| {
        report::CSV_COLUMNS
            .iter()
            .position(|c| *c == name)
            .expect("a column")
    };
    let kind = match lang {
        Lang::En => "referral",
        Lang::Hi => "रेफ़रल",
    };
    csv.iter()
        .skip(1)
        .filter(|r| r[col("col-row")] == kind)
        .map(|r| {
            assert_eq!(r.len(), report::CSV_COLUMNS.len());
            assert_eq!(r[col("col-child")], "Raju Kumar");
            for empty in ["col-start", "col-end", "col-next-steps"] {
                assert_eq!(r[col(empty)], "", "{empty} is a need's");
            }
            [
                "col-row",
                "col-dimension",
                "col-changes",
                "col-pending-since",
                "col-scheme",
                "col-stage",
                "col-applied-on",
                "col-days-pending",
                "col-why-stuck",
            ]
            .map(|c| r[col(c)].clone())
        })
        .collect()
}

#[test]
fn the_childrens_csv_has_a_row_per_referral_after_the_needs_in_both_languages() {
    let s = |v: [&str; 9]| v.map(str::to_owned);
    let nov = cwc("2026-11", "2026-11-29");
    let en = rows(&report::csv(&nov, Lang::En).expect("csv"));
    let hi = rows(&report::csv(&nov, Lang::Hi).expect("csv"));
    assert_eq!(en.len(), hi.len());
    assert_eq!(
        referral_rows(&en, Lang::En),
        [
            s([
                "referral",
                "Health",
                "25 November 2026: no response",
                "",
                "PHC Wazirganj (Health facility)",
                "no response",
                "5 November 2026",
                "",
                "no one answered the phone three times",
            ]),
            s([
                "referral",
                "Livelihood",
                "20 November 2026: accepted",
                "20 November 2026",
                "Jeevika Gram Sangathan (Livelihood provider)",
                "accepted",
                "10 November 2026",
                "19",
                "starts in December",
            ]),
        ]
    );
    assert_eq!(
        referral_rows(&hi, Lang::Hi),
        [
            s([
                "रेफ़रल",
                "स्वास्थ्य",
                "25 नवंबर 2026: कोई जवाब नहीं",
                "",
                "PHC Wazirganj (स्वास्थ्य केंद्र)",
                "कोई जवाब नहीं",
                "5 नवंबर 2026",
                "",
                "no one answered the phone three times",
            ]),
            s([
                "रेफ़रल",
                "आजीविका",
                "20 नवंबर 2026: स्वीकार किया",
                "20 नवंबर 2026",
                "Jeevika Gram Sangathan (आजीविका प्रदाता)",
                "स्वीकार किया",
                "10 नवंबर 2026",
                "19",
                "starts in December",
            ]),
        ]
    );
    // The referral rows come after the child's needs.
    let first = en.iter().position(|r| r.contains(&"referral".to_owned()));
    assert_eq!(first, Some(en.len() - 2));
    // In December only the livelihood referral moved: served, nothing waiting.
    let dec = cwc("2026-12", "2027-01-02");
    let en = rows(&report::csv(&dec, Lang::En).expect("csv"));
    assert_eq!(
        referral_rows(&en, Lang::En),
        [s([
            "referral",
            "Livelihood",
            "3 December 2026: served",
            "",
            "Jeevika Gram Sangathan (Livelihood provider)",
            "served",
            "10 November 2026",
            "",
            "enrolled in the tailoring course",
        ])]
    );
    let hi = rows(&report::csv(&dec, Lang::Hi).expect("csv"));
    assert_eq!(referral_rows(&hi, Lang::Hi)[0][2], "3 दिसंबर 2026: सेवा मिली");
}

#[test]
fn the_summary_csv_counts_the_months_referrals_by_kind_with_totals_in_both_languages() {
    let value = |rows: &[Vec<String>], item: &str| -> String {
        rows.iter()
            .find(|r| r[0] == item)
            .unwrap_or_else(|| panic!("a row '{item}' in {rows:?}"))[1]
            .clone()
    };
    let nov = cwc("2026-11", "2026-11-29");
    let gaya = Area::whole("Gaya");
    let en = rows(&report::summary_csv(&nov, &gaya, Lang::En, d("2026-11-29")).expect("csv"));
    let hi = rows(&report::summary_csv(&nov, &gaya, Lang::Hi, d("2026-11-29")).expect("csv"));
    assert_eq!(en.len(), hi.len(), "the same rows in both languages");
    for (item, want) in [
        ("Referrals made: Livelihood provider", "1"),
        ("Referrals accepted: Livelihood provider", "1"),
        ("Referrals served: Livelihood provider", "0"),
        ("Referrals made: Health facility", "1"),
        (
            "Referrals refused or with no response: Health facility",
            "1",
        ),
        ("Referrals made: all kinds", "2"),
        ("Referrals accepted: all kinds", "1"),
        ("Referrals served: all kinds", "0"),
        ("Referrals refused or with no response: all kinds", "1"),
    ] {
        assert_eq!(value(&en, item), want, "{item}");
    }
    for (item, want) in [
        ("भेजे गए रेफ़रल: आजीविका प्रदाता", "1"),
        ("रेफ़रल जिन्हें मना किया गया या जवाब नहीं मिला: स्वास्थ्य केंद्र", "1"),
        ("भेजे गए रेफ़रल: सभी प्रकार", "2"),
    ] {
        assert_eq!(value(&hi, item), want, "{item}");
    }
    let dec = cwc("2026-12", "2027-01-02");
    let en = rows(&report::summary_csv(&dec, &gaya, Lang::En, d("2027-01-02")).expect("csv"));
    assert_eq!(value(&en, "Referrals served: Livelihood provider"), "1");
    assert_eq!(value(&en, "Referrals served: all kinds"), "1");
    assert_eq!(value(&en, "Referrals made: all kinds"), "0");
    // A month without referrals still has the four totals, at zero.
    let oct = cwc("2026-10", "2026-11-29");
    let en = rows(&report::summary_csv(&oct, &gaya, Lang::En, d("2026-11-29")).expect("csv"));
    assert_eq!(value(&en, "Referrals made: all kinds"), "0");
    assert!(!en.iter().any(|r| r[0].contains("Livelihood provider")));
}

/// The PDF's text squeezed whole (pdftotext's reading order), and line by line as laid out
/// (`-layout`: a table's row on one line while no cell wraps).
fn pdf_text(r: &report::Cwc, lang: Lang, prepared: &str) -> (String, Vec<String>) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let html = report::html(r, &Area::whole("Gaya"), lang, d(prepared));
    let pdf = report::pdf(&html).unwrap_or_else(|e| panic!("{e}: install chromium"));
    // To look at: HOMEWARD_SCREENSHOTS=dir keeps each report printed.
    if let Some(dir) = std::env::var_os("HOMEWARD_SCREENSHOTS") {
        let name = format!("cwc-{}-{lang}.pdf", r.month);
        std::fs::write(std::path::Path::new(&dir).join(name), &pdf).expect("keeps the PDF");
    }
    let file = tmp.path().join("r.pdf");
    std::fs::write(&file, &pdf).expect("write");
    let text = |layout: bool| {
        let mut cmd = std::process::Command::new("pdftotext");
        if layout {
            cmd.arg("-layout");
        }
        let out = cmd
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext runs (poppler-utils)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let lines = text(true).lines().map(squeeze).collect();
    (squeeze(&text(false)), lines)
}

/// Whether a line of the laid-out text holds `row` (white space aside).
fn has_row(lines: &[String], row: &str) -> bool {
    lines.iter().any(|l| l.contains(&squeeze(row)))
}

#[test]
fn the_pdf_counts_the_months_referrals_and_lists_the_childs_in_both_languages() {
    let nov = cwc("2026-11", "2026-11-29");
    for lang in [Lang::En, Lang::Hi] {
        let (text, lines) = pdf_text(&nov, lang, "2026-11-29");
        // The first page's table, row by row; the child's referrals, cell by cell (a long
        // cell wraps).
        let (rows, child): (&[&str], &[&str]) = match lang {
            Lang::En => (
                &[
                    "Referrals this month, by kind of provider",
                    "Livelihood provider 1 1 0 0",
                    "Health facility 1 0 0 1",
                    "All kinds 2 1 0 1",
                    "Referrals (where each stood at the end of the month)",
                ],
                &[
                    "Kind of provider",
                    "Refused or no response",
                    "PHC Wazirganj",
                    "Health facility",
                    "5 November 2026",
                    "no response",
                    "25 November 2026",
                    "no one answered the phone three times",
                    "Jeevika Gram Sangathan",
                    "Livelihood provider",
                    "10 November 2026",
                    "accepted",
                    "20 November 2026",
                    "starts in December",
                ],
            ),
            Lang::Hi => (
                &[
                    "इस महीने के रेफ़रल, संस्थान के प्रकार के अनुसार",
                    "आजीविका प्रदाता 1 1 0 0",
                    "स्वास्थ्य केंद्र 1 0 0 1",
                    "सभी प्रकार 2 1 0 1",
                ],
                &[
                    "रेफ़रल (महीने के अंत में हर एक की स्थिति)",
                    "संस्थान का प्रकार",
                    "कोई जवाब नहीं",
                    "स्वीकार किया",
                    "5 नवंबर 2026",
                    "25 नवंबर 2026",
                    "10 नवंबर 2026",
                    "20 नवंबर 2026",
                ],
            ),
        };
        for row in rows {
            assert!(has_row(&lines, row), "{lang}: '{row}' in:\n{lines:#?}");
        }
        for w in child {
            assert!(text.contains(&squeeze(w)), "{lang}: '{w}' in:\n{text}");
        }
        assert!(
            !text.contains("map-") && !text.contains("resource-kind-"),
            "{lang}: {text}"
        );
    }
    let dec = cwc("2026-12", "2027-01-02");
    let (text, lines) = pdf_text(&dec, Lang::En, "2027-01-02");
    assert!(has_row(&lines, "Livelihood provider 0 0 1 0"), "{lines:#?}");
    for w in [
        "served",
        "3 December 2026",
        "enrolled in the tailoring course",
    ] {
        assert!(text.contains(&squeeze(w)), "'{w}' in:\n{text}");
    }
    assert!(!text.contains("PHCWazirganj"), "ended in November");
    assert!(!text.contains("Allkinds"), "one kind: no total row");
    // A month without any: a sentence, no table.
    let oct = cwc("2026-10", "2026-11-29");
    let (text, _) = pdf_text(&oct, Lang::En, "2026-11-29");
    assert!(
        text.contains(&squeeze(
            "No referral was made, accepted, served or refused this month."
        )),
        "{text}"
    );
    assert!(!text.contains("Kindofprovider"), "{text}");
}
