//! Referrals on the dashboard's pages (issue 17): the systemic gaps page and CSV (what the
//! resource map lacks, unanswered referrals, the days to service, small cells hidden) and the
//! case page's referrals, on a server filled with hand-made cases from a fieldworker's phone,
//! in both languages. Dates count back from the server's clock, which the pages read.

use super::open_store;
use automerge::ActorId;
use chrono::{Days, NaiveDate};
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::model::{Author, ReferralState};
use homeward_shared::need::Dimension;
use homeward_shared::resource::{Resource, ResourceKind};
use homeward_shared::wire::CasePush;
use homeward_sync_server::AppState;
use homeward_sync_server::report;
use homeward_sync_server::scope::Area;
use homeward_sync_server::store::{Role, Store};

use crate::referrals::{refer, register, step};
use crate::{get, login};

/// Days before the server's today (the pages read the clock).
fn ago(days: u64) -> NaiveDate {
    homeward_sync_server::today() - Days::new(days)
}

const PASSWORD: &str = "a long test password";

fn resource(block: &str, kind: ResourceKind, name: &str) -> Resource {
    Resource {
        id: String::new(),
        district: "Gaya".into(),
        block: block.into(),
        kind,
        name: name.into(),
        address: None,
        contact: Some("Block office".into()),
        offers: None,
        min_age: None,
        max_age: None,
        sex: None,
        active: true,
    }
}

/// A store with the map's two providers (a health centre in Wazirganj, a livelihood provider
/// in Tekari), a supervisor of Gaya who logs in as `sup` with `PASSWORD`, and the cases, every
/// one needing livelihood support and health care, pushed from Meena Kumari's phone: in
/// Wazirganj three children, each referred to the health centre 30 days ago with no response
/// recorded 10 days ago; in Atri one child; in Tekari two children, one referred to the
/// livelihood provider 20 days ago, accepted 15 days ago and served 8 days ago (12 days after).
/// Dates from the server's clock, which the pages read.
fn store(tmp: &tempfile::TempDir) -> Store {
    let mut store = open_store(&tmp.path().join("s.db")).expect("opens");
    let fw = store
        .add_user(
            "Meena Kumari",
            Role::Fieldworker,
            &[("Gaya".into(), String::new())],
            None,
        )
        .expect("a fieldworker");
    store
        .add_user_with_id(
            Some("sup"),
            "Supervisor Gaya",
            Role::Supervisor,
            &[("Gaya".into(), String::new())],
            Some(PASSWORD),
        )
        .expect("a supervisor");
    let phc = store
        .add_resource(
            &resource("Wazirganj", ResourceKind::Health, "PHC Wazirganj"),
            "sup",
        )
        .expect("on the map");
    let jeevika = store
        .add_resource(
            &resource("Tekari", ResourceKind::Livelihood, "Jeevika Tekari"),
            "sup",
        )
        .expect("on the map");
    let code = store.enrolment_code(&fw).expect("a code");
    let token = store
        .enrol(&code, &[0x21; 16], "phone")
        .expect("enrols")
        .token;
    let device = store.authenticate(&token).expect("a device");
    let by = Author {
        user_id: device.user_id.clone(),
        name: device.user_name.clone(),
    };
    let actor = || ActorId::from(device.actor.as_slice());
    let mut docs = Vec::new();
    for i in 1..=3 {
        let id = format!("gaya-w{i}");
        let mut doc = register(&id, &format!("Wazir Child {i}"), "Wazirganj", actor(), &by);
        let phc = (phc.as_str(), "PHC Wazirganj", ResourceKind::Health);
        let r = format!("{id}-r");
        refer(&mut doc, &by, &r, phc, Dimension::Health, ago(30), "fever");
        step(
            &mut doc,
            &by,
            &r,
            ReferralState::NoResponse,
            ago(10),
            "no answer",
        );
        docs.push((id, doc));
    }
    let atri = register("gaya-a1", "Atri Child", "Atri", actor(), &by);
    docs.push(("gaya-a1".into(), atri));
    for i in 1..=2 {
        let id = format!("gaya-t{i}");
        let mut doc = register(&id, &format!("Tekari Child {i}"), "Tekari", actor(), &by);
        if i == 1 {
            let jv = (jeevika.as_str(), "Jeevika Tekari", ResourceKind::Livelihood);
            let r = format!("{id}-r");
            refer(
                &mut doc,
                &by,
                &r,
                jv,
                Dimension::Livelihood,
                ago(20),
                "goats",
            );
            step(&mut doc, &by, &r, ReferralState::Accepted, ago(15), "yes");
            step(
                &mut doc,
                &by,
                &r,
                ReferralState::Served,
                ago(8),
                "two goats",
            );
        }
        docs.push((id, doc));
    }
    let push: Vec<CasePush> = docs
        .iter_mut()
        .map(|(id, doc)| CasePush {
            case_id: id.clone(),
            changes: doc
                .get_changes(&[])
                .iter()
                .map(|c| c.raw_bytes().to_vec())
                .collect(),
        })
        .collect();
    store.push_as(&device, &push).expect("stored like a sync");
    store
}

async fn logged_in(tmp: &tempfile::TempDir) -> (AppState, String) {
    let state = AppState::new(store(tmp));
    let (_, cookie) = login(&state, "sup", PASSWORD).await;
    (state, cookie.expect("logged in"))
}

/// Keeps a page under HOMEWARD_SCREENSHOTS (to look at it in a browser).
fn keep(name: &str, page: &str) {
    if let Some(dir) = std::env::var_os("HOMEWARD_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join(name), page).expect("keeps the page");
    }
}

/// The `<table id=…>` of a page, from its opening to its end.
fn table<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<table id=\"{id}\""))
        .unwrap_or_else(|| panic!("a table #{id} in {page}"));
    let end = page[start..].find("</table>").expect("closed") + start;
    &page[start..end]
}

/// A table's rows as their cells' text (tags dropped), header rows left out.
fn cells(table: &str) -> Vec<Vec<String>> {
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = cell.split_once('>').map_or("", |(_, t)| t);
                    let inner = inner.split("</td>").next().unwrap_or("");
                    let mut out = String::new();
                    let mut in_tag = false;
                    for ch in inner.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => out.push(c),
                            _ => {}
                        }
                    }
                    out.replace("&lt;", "<").replace("&amp;", "&")
                })
                .collect::<Vec<String>>()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

fn strs(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

const LIVELIHOOD_KINDS: &str = "Livelihood provider, Skills training centre";

#[tokio::test]
async fn the_gaps_page_shows_what_the_resource_map_lacks_with_small_cells_hidden_in_both_languages()
{
    let tmp = tempfile::tempdir().expect("tmp");
    let (state, cookie) = logged_in(&tmp).await;
    let (status, en, _) = get(&state, "/gaps?lang=en", Some(&cookie)).await;
    assert_eq!(status, axum::http::StatusCode::OK);
    // Livelihood: Atri's one child (hidden) and Wazirganj's three, no provider in either;
    // Tekari has an active one and is not listed. Health: Wazirganj has its health centre;
    // Atri's one child and Tekari's two are hidden.
    assert_eq!(
        cells(table(&en, "gaps-missing")),
        strs(&[
            &["Gaya", "Atri", "Livelihood", LIVELIHOOD_KINDS, "<3"],
            &[
                "Gaya",
                "Atri",
                "Health",
                "Health facility, Counselling",
                "<3"
            ],
            &[
                "Gaya",
                "Tekari",
                "Health",
                "Health facility, Counselling",
                "<3"
            ],
            &["Gaya", "Wazirganj", "Livelihood", LIVELIHOOD_KINDS, "3"],
        ])
    );
    // The health centre's three referrals, all unanswered; the livelihood provider answered.
    assert_eq!(
        cells(table(&en, "gaps-unanswered")),
        strs(&[&[
            "Gaya",
            "Wazirganj",
            "PHC Wazirganj",
            "Health facility",
            "3",
            "3"
        ]])
    );
    // One referral served in Tekari, 12 days after it was made: hidden, and its median too.
    assert_eq!(
        cells(table(&en, "gaps-time-to-service")),
        strs(&[&["Gaya", "Tekari", "Livelihood provider", "<3", ""]])
    );
    // The rule, said for these tables; and with no claim waiting, Gaya's CSV still offered.
    assert!(
        en.contains("a count of fewer than 3 children or referrals is shown as &quot;&lt;3&quot;")
    );
    assert!(
        en.contains("/reports/gaps?district=Gaya&amp;lang=en"),
        "{en}"
    );
    let (_, hi, _) = get(&state, "/gaps?lang=hi", Some(&cookie)).await;
    keep("gaps-en.html", &en);
    keep("gaps-hi.html", &hi);
    for words in [
        "ज़रूरतमंद बच्चे जिनके प्रखंड में वह मदद देने वाला कोई सक्रिय संस्थान नहीं",
        "संस्थान जिनसे रेफ़रल का जवाब नहीं मिलता",
        "रेफ़रल के बाद सेवा मिलने में कितने दिन लगते हैं",
    ] {
        assert!(hi.contains(words), "{words}");
    }
    assert_eq!(
        cells(table(&hi, "gaps-missing"))[3],
        [
            "Gaya",
            "Wazirganj",
            "आजीविका",
            "आजीविका प्रदाता, कौशल प्रशिक्षण केंद्र",
            "3"
        ]
    );
    assert_eq!(cells(table(&hi, "gaps-unanswered"))[0][3], "स्वास्थ्य केंद्र");
    for page in [&en, &hi] {
        for id in ["map-", "resource-kind-", "dim-"] {
            assert!(
                !page.contains(&format!(">{id}")),
                "no message id shown: {id}"
            );
        }
        for name in ["Wazir Child", "Atri Child", "Tekari Child", "gaya-"] {
            assert!(!page.contains(name), "no child named");
        }
    }
}

#[test]
fn the_gaps_csv_adds_the_resource_maps_sections_under_the_small_cell_rule() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = store(&tmp);
    let today = homeward_sync_server::today();
    let gaya = Area::whole("Gaya");
    let csv = report::gaps_csv(&store, Some(&gaya), today, Lang::En).expect("csv");
    let text = String::from_utf8(csv).expect("utf-8");
    // Rows as wide as the claims', their empty cells at the end.
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches(',')).collect();
    let at = |title: &str| {
        lines
            .iter()
            .position(|l| *l == title)
            .unwrap_or_else(|| panic!("a section '{title}' in {text}"))
    };
    let width = |l: &str| {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(l.as_bytes())
            .records()
            .next()
            .expect("a row")
            .expect("a CSV row")
            .len()
    };
    assert!(
        text.lines().skip(1).all(|l| width(l) == 10),
        "every row ten cells wide"
    );
    let missing = at("Children needing help that no active provider of their block gives");
    let unanswered = at("Providers whose referrals go unanswered");
    let time = at("How long referrals take to be served");
    assert!(missing < unanswered && unanswered < time);
    assert_eq!(
        lines[missing + 1],
        "District,Block,Need,Providers that would help,Children needing it"
    );
    let kinds = format!("\"{LIVELIHOOD_KINDS}\"");
    assert_eq!(
        lines[missing + 2..unanswered],
        [
            format!("Gaya,Atri,Livelihood,{kinds},<3"),
            "Gaya,Atri,Health,\"Health facility, Counselling\",<3".to_owned(),
            "Gaya,Tekari,Health,\"Health facility, Counselling\",<3".to_owned(),
            format!("Gaya,Wazirganj,Livelihood,{kinds},3"),
        ]
    );
    assert_eq!(
        lines[unanswered + 1..time],
        [
            "District,Block,Provider,Kind of provider,Referrals made to it,Unanswered",
            "Gaya,Wazirganj,PHC Wazirganj,Health facility,3,3",
        ]
    );
    assert_eq!(
        lines[time + 1..],
        [
            "District,Block,Kind of provider,Referrals served,Half served within (days)",
            "Gaya,Tekari,Livelihood provider,<3",
        ]
    );
    for name in ["Wazir Child", "Atri Child", "Tekari Child", "gaya-"] {
        assert!(!text.contains(name), "no child named");
    }
    let hi = report::gaps_csv(&store, Some(&gaya), today, Lang::Hi).expect("csv");
    let hi = String::from_utf8(hi).expect("utf-8");
    assert!(hi.contains("\nसंस्थान जिनसे रेफ़रल का जवाब नहीं मिलता,"), "{hi}");
    assert!(hi.contains("Gaya,Wazirganj,आजीविका,\"आजीविका प्रदाता, कौशल प्रशिक्षण केंद्र\",3"));
}

#[tokio::test]
async fn the_case_page_lists_each_referral_with_every_step_in_both_languages() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (state, cookie) = logged_in(&tmp).await;
    let (status, en, _) = get(&state, "/cases/gaya-t1?lang=en", Some(&cookie)).await;
    assert_eq!(status, axum::http::StatusCode::OK);
    let en_words = Catalogue::new(Lang::En);
    let day = |n: u64| en_words.date(ago(n));
    // Each step with its day, state, who recorded it and the note.
    assert_eq!(
        cells(table(&en, "referrals")),
        [[
            "Jeevika Tekari".to_owned(),
            "Livelihood provider".to_owned(),
            "Livelihood".to_owned(),
            day(20),
            format!("served (since {})", day(8)),
            format!(
                "{}: referred · Meena Kumari · goats{}: accepted · Meena Kumari · yes{}: served · \
                 Meena Kumari · two goats",
                day(20),
                day(15),
                day(8)
            ),
        ]]
    );
    let (_, hi, _) = get(&state, "/cases/gaya-w1?lang=hi", Some(&cookie)).await;
    keep("case-en.html", &en);
    keep("case-hi.html", &hi);
    let hi_words = Catalogue::new(Lang::Hi);
    let row = &cells(table(&hi, "referrals"))[0];
    assert_eq!(
        row[..4],
        [
            "PHC Wazirganj".to_owned(),
            "स्वास्थ्य केंद्र".to_owned(),
            "स्वास्थ्य".to_owned(),
            hi_words.date(ago(30))
        ]
    );
    assert!(row[4].starts_with("कोई जवाब नहीं"), "{row:?}");
    assert!(
        row[5].ends_with(&format!(
            "{}: कोई जवाब नहीं · Meena Kumari · no answer",
            hi_words.date(ago(10))
        )),
        "{row:?}"
    );
    assert!(hi.contains("<h2>रेफ़रल</h2>"));
    // A case without referrals says so.
    let (_, page, _) = get(&state, "/cases/gaya-a1?lang=en", Some(&cookie)).await;
    assert!(page.contains("No referral yet."));
    assert!(!page.contains("id=\"referrals\""));
}
