//! The supervisors' pages (issue 12, section 2): spot checks, conflicts, reviews, duplicates and
//! moves, rendered through the router on the demo in Hindi and English: `<html lang>` follows,
//! the words are the catalogue's (no message id left unworded between tags), and each page
//! shows what the supervisor needs: a drawn visit as the fieldworker reported it, a conflict's
//! values with their date, author and phone, an assessment's note and its correction after a
//! send-back.

use automerge::{ActorId, AutoCommit};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use homeward_shared::edit::{Edit, EditContext, NeedUpdate};
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::model::{Author, Case, VisitKind};
use homeward_shared::need::Status;
use homeward_shared::schema;
use homeward_shared::wire::CasePush;
use homeward_sync_server::AppState;
use homeward_sync_server::store::{Decision, Role, Store, Subject, WebUser};

use crate::{demo_store, get, login};

/// The pages, with the month of the demo's spot checks.
const PAGES: [&str; 5] = [
    "/spot-checks?month=2026-10",
    "/conflicts",
    "/reviews",
    "/duplicates",
    "/moves",
];

/// The server's clock (a phone's edit is made now).
fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

fn gaya_supervisor() -> WebUser {
    WebUser {
        id: "supervisor-gaya".into(),
        name: "Supervisor Gaya".into(),
        role: Role::Supervisor,
        areas: vec![("Gaya".into(), String::new())],
    }
}

/// The text between tags (what a reader sees), one piece per run of text.
fn texts(html: &str) -> Vec<&str> {
    html.split('<')
        .filter_map(|s| s.split_once('>').map(|(_, text)| text))
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// Message ids shown as text: `web-` or `ui-` (or another catalogue prefix) at the start of a
/// word and followed by a letter, as `Catalogue::text` returns an id it does not have.
fn unworded(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for text in texts(html) {
        for prefix in [
            "web-",
            "ui-",
            "spot-",
            "status-",
            "dim-",
            "conflict-",
            "risk-",
        ] {
            for (i, _) in text.match_indices(prefix) {
                let before = text[..i].chars().last();
                let after = text[i + prefix.len()..].chars().next();
                if before.is_none_or(|c| !c.is_alphanumeric() && c != '-')
                    && after.is_some_and(|c| c.is_ascii_lowercase())
                {
                    found.push(text.to_owned());
                }
            }
        }
    }
    found
}

/// `s` as the page writes it (maud escapes `&`, `<`, `>` and `"`).
fn esc(s: &str) -> String {
    maud::html! { (s) }.into_string()
}

/// The part of `html` from the element that carries `marker` to the end of `close`.
fn part<'a>(html: &'a str, marker: &str, close: &str) -> &'a str {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in the page"));
    let end = html[start..]
        .find(close)
        .map_or(html.len(), |e| start + e + close.len());
    &html[start..end]
}

/// The stored document of a case (the store keeps the database unencrypted in tests).
fn stored_doc(tmp: &tempfile::TempDir, case_id: &str) -> AutoCommit {
    let store = crate::open_store(&tmp.path().join("r.db")).expect("opens the database");
    let bytes: Vec<u8> = store
        .db()
        .query_row("SELECT doc FROM cases WHERE id = ?1", [case_id], |r| {
            r.get(0)
        })
        .expect("the case is stored");
    AutoCommit::load(&bytes).expect("a document")
}

/// Records `edit` on `case` from a new phone of `user` (the case's fieldworker), at `at`, and
/// stores it through the devices' push path, as a sync would.
fn on_the_phone_of(
    store: &mut Store,
    tmp: &tempfile::TempDir,
    user: &str,
    case: &Case,
    edit: &Edit,
    at: DateTime<Utc>,
) {
    let code = store.enrolment_code(user).expect("a code");
    let token = store
        .enrol(&code, &[0x7e; 16], "test phone")
        .expect("enrols")
        .token;
    let device = store.authenticate(&token).expect("a device");
    let mut doc = stored_doc(tmp, &case.id).with_actor(ActorId::from(device.actor.as_slice()));
    let heads = doc.get_heads();
    let ctx = EditContext {
        author: Author {
            user_id: device.user_id.clone(),
            name: device.user_name.clone(),
        },
        at,
    };
    schema::apply(&mut doc, edit, &ctx).expect("the edit applies");
    let changes = doc
        .get_changes(&heads)
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    store
        .push_as(
            &device,
            &[CasePush {
                case_id: case.id.clone(),
                changes,
            }],
        )
        .expect("stored like a phone's sync");
}

/// The demo with something on every page: a move asked from a Gaya phone, an assessment sent
/// back, a spot check recorded.
fn busy_demo(tmp: &tempfile::TempDir) -> Store {
    let mut store = demo_store(tmp);
    let gaya = gaya_supervisor();
    let case = store
        .cases(Some("Gaya"))
        .expect("cases")
        .into_iter()
        .find(|c| c.is_active() && !c.visits.is_empty())
        .expect("an active Gaya case");
    let fieldworker = case.visits[0].by.user_id.clone();
    let block = if case.child.address.block == "Manpur" {
        "Tekari"
    } else {
        "Manpur"
    };
    on_the_phone_of(
        &mut store,
        tmp,
        &fieldworker,
        &case,
        &Edit::RequestTransfer {
            district: "Gaya".into(),
            block: block.into(),
            village: "Shivpur".into(),
            reason: "the mother found work at a brick kiln there".into(),
            on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        },
        now(),
    );
    let item = store
        .review_queue(&gaya)
        .expect("queue")
        .into_iter()
        .find(|i| i.subject == Subject::Assessment)
        .expect("an assessment");
    store
        .review(
            &gaya,
            &item.case_id,
            item.subject,
            &item.subject_ref,
            Decision::SentBack,
            "Ask the mother about school.",
        )
        .expect("sent back");
    let october = "2026-10".parse().expect("month");
    let check = store.spot_checks(&gaya, Some(october)).expect("checks")[0].clone();
    store
        .record_spot_check(
            &gaya,
            &check.id,
            homeward_shared::spotcheck::Outcome::HasIssues,
            "the family says nobody came",
        )
        .expect("recorded");
    store
}

/// Every supervisors' page, in Hindi and in English: `<html lang>` is the language asked for,
/// the page's own words are there in it, and no message id is left in the text (a message
/// missing from either catalogue would show as its id).
#[tokio::test]
async fn every_supervisor_page_speaks_hindi_and_english_with_no_message_left_unworded() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(busy_demo(&tmp));
    let words: [(&str, [&str; 3], [&str; 3]); 5] = [
        (
            PAGES[0],
            [
                "स्पॉट जाँच, अक्टूबर 2026",
                "फ़ील्ड कार्यकर्ता ने क्या दर्ज किया",
                "गड़बड़ी की दर",
            ],
            [
                "Spot checks, October 2026",
                "What the fieldworker reported",
                "Discrepancy rate",
            ],
        ),
        (
            PAGES[1],
            ["टकराव", "स्वास्थ्य: स्थिति", "तय करें"],
            ["Conflicts", "Health: status", "Settle"],
        ),
        (
            PAGES[2],
            ["प्रारंभिक आकलन", "वापस भेजते समय", "मंज़ूर करें"],
            ["Initial assessment", "As sent back", "Approve"],
        ),
        (
            PAGES[3],
            ["शायद दो बार दर्ज बच्चे", "ये एक ही बच्चा है", "मिलाएँ"],
            ["Likely duplicates", "they are the same child", "Merge"],
        ),
        (
            PAGES[4],
            [
                "स्थान बदलना",
                "वहाँ बच्चे की देखरेख कौन करेगा",
                "स्थान बदलना मंज़ूर करें",
            ],
            ["Moves", "Who follows the child there", "Approve the move"],
        ),
    ];
    for user in ["supervisor-gaya", "admin"] {
        let (_, cookie) = login(&state, user, "demo").await;
        for (page, hindi, english) in &words {
            for (lang, expected) in [("hi", hindi), ("en", english)] {
                let sep = if page.contains('?') { '&' } else { '?' };
                let uri = format!("{page}{sep}lang={lang}");
                let (status, html, _) = get(&state, &uri, cookie.as_deref()).await;
                assert_eq!(status, StatusCode::OK, "{user} {uri}");
                assert!(
                    html.contains(&format!("<html lang=\"{lang}\">")),
                    "{user} {uri}: the page says its language"
                );
                for w in *expected {
                    assert!(html.contains(w), "{user} {uri}: {w:?} in the page");
                }
                let ids = unworded(&html);
                assert!(ids.is_empty(), "{user} {uri}: message ids shown: {ids:?}");
            }
        }
    }
    // Without `lang`, the session's language stays English for a new login.
    let (_, cookie) = login(&state, "supervisor-gaya", "demo").await;
    let (_, html, _) = get(&state, "/reviews", cookie.as_deref()).await;
    assert!(html.contains("<html lang=\"en\">"));
}

/// A drawn visit shows what the fieldworker reported (issue 12: the supervisor at the door had
/// only a date): its kind, who made it, who was met, the note, the next steps and each need it
/// changed, in the page's language, beside where it was.
#[tokio::test]
async fn a_drawn_visit_shows_what_the_fieldworker_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = demo_store(&tmp);
    let october = "2026-10".parse().expect("month");
    let checks = store
        .spot_checks(&gaya_supervisor(), Some(october))
        .expect("checks");
    let cases = store.cases(Some("Gaya")).expect("cases");
    let check = checks
        .iter()
        .find(|c| {
            cases
                .iter()
                .find(|k| k.id == c.case_id)
                .and_then(|k| k.visits.iter().find(|v| v.id == c.visit_id))
                .is_some_and(|v| !v.updates.is_empty())
        })
        .expect("a drawn visit that changed a need")
        .clone();
    let case = cases.iter().find(|k| k.id == check.case_id).expect("case");
    let visit = case
        .visits
        .iter()
        .find(|v| v.id == check.visit_id)
        .expect("the visit");
    assert_eq!(
        check.visit.as_ref(),
        Some(visit),
        "the store reads the visit"
    );
    let state = AppState::new(store);
    let (_, cookie) = login(&state, "supervisor-gaya", "demo").await;
    let (_, html, _) = get(
        &state,
        "/spot-checks?month=2026-10&lang=hi",
        cookie.as_deref(),
    )
    .await;
    let row = part(&html, &format!("<tr data-check=\"{}\"", check.id), "</tr>");
    let hi = Catalogue::new(Lang::Hi);
    let mut expected = vec![
        esc(&hi.date(visit.date)),
        esc(&hi.get(&format!("ui-visit-{}", visit.kind.key()))),
        esc(&hi.text("web-spot-by", &[("name", &visit.by.name)])),
        esc(&check.village),
    ];
    for (text, label) in [
        (&visit.met, "ui-met"),
        (&visit.note, "ui-note"),
        (&visit.next_steps, "ui-next-steps"),
    ] {
        let text = text.as_deref().expect("the demo's visits say it");
        expected.push(format!("{}: {}", esc(&hi.get(label)), esc(text)));
    }
    for (d, s) in &visit.updates {
        expected.push(format!(
            "{} → {}",
            esc(&hi.dimension(*d)),
            esc(&hi.status(*s))
        ));
    }
    for e in &expected {
        assert!(row.contains(e.as_str()), "{e:?} in the row: {row}");
    }
}

/// Each value of a conflict in words, with when, by whom and on which phone it was written
/// (issue 12: the queue showed `needs.health.status` and two bare keys). The demo's two phones
/// of the Gaya fieldworker set the health need at 6:00 UTC on 27 November, 11:30 in India.
#[tokio::test]
async fn each_conflicting_value_is_in_words_with_its_date_author_and_phone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = demo_store(&tmp);
    let queue = store.conflict_queue(&gaya_supervisor()).expect("queue");
    let conflict = queue.first().expect("the demo's conflict").clone();
    assert_eq!(conflict.path, "needs.health.status");
    let state = AppState::new(store);
    let (_, cookie) = login(&state, "supervisor-gaya", "demo").await;
    for lang in Lang::ALL {
        let t = Catalogue::new(lang);
        let (_, html, _) = get(
            &state,
            &format!("/conflicts?lang={}", lang.code()),
            cookie.as_deref(),
        )
        .await;
        let form = part(&html, "<form class=\"conflict\"", "</form>");
        assert!(
            !texts(form).iter().any(|t| t.contains("needs.health")),
            "{lang}: no path in the text: {form}"
        );
        assert!(form.contains(&esc(&t.conflict_field(&conflict.path))));
        let at = t.text(
            "web-conflict-at",
            &[
                (
                    "date",
                    &t.date(chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("day")),
                ),
                ("time", "11:30"),
            ],
        );
        for (v, device) in conflict.values.iter().zip(&conflict.devices) {
            let status: Status = v.value.parse().expect("a status");
            let author = v.author.as_ref().expect("the phone's user");
            assert_eq!(author.name, "Anita Kumari");
            let who = t.text(
                "web-conflict-by",
                &[
                    ("name", &author.name),
                    ("at", &at),
                    ("device", device.as_deref().expect("an enrolled phone")),
                ],
            );
            let label = part(form, &format!("value=\"{}\"", v.actor), "</label>");
            assert!(
                label.contains(&esc(&t.status(status))) && label.contains(&esc(&who)),
                "{lang}: {:?} and {:?} in {label}",
                t.status(status),
                who
            );
        }
    }
}

/// An assessment sent back and corrected shows the correction against what was sent back
/// (issue 12: the queue showed the original again). The fieldworker answers the send-back the
/// way the app's assessment saves a step: the need set again on the assessment's day; the old
/// queue read each need's first entry of that day, the original, so nothing seemed corrected.
#[tokio::test]
async fn a_corrected_assessment_shows_the_correction_against_what_was_sent_back() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = demo_store(&tmp);
    let gaya = gaya_supervisor();
    let item = store
        .review_queue(&gaya)
        .expect("queue")
        .into_iter()
        .find(|i| i.subject == Subject::Assessment)
        .expect("an assessment to review");
    let case = store
        .cases(Some("Gaya"))
        .expect("cases")
        .into_iter()
        .find(|c| c.id == item.case_id)
        .expect("the case");
    let visit = case
        .visits
        .iter()
        .find(|v| v.kind == VisitKind::InitialAssessment)
        .expect("the assessment");
    assert_eq!(
        item.note, visit.note,
        "the assessment's note is in the queue"
    );
    let assessed = item.assessed.first().expect("an assessed need").clone();
    let corrected = assessed
        .dimension
        .statuses()
        .iter()
        .copied()
        .find(|s| *s != assessed.status && *s != Status::NotAssessed)
        .expect("another status");
    store
        .review(
            &gaya,
            &item.case_id,
            Subject::Assessment,
            &item.subject_ref,
            Decision::SentBack,
            "Ask the mother again.",
        )
        .expect("sent back");
    let sent_back = store
        .review_queue(&gaya)
        .expect("queue")
        .into_iter()
        .find(|i| i.subject_ref == item.subject_ref)
        .expect("still waiting");
    assert!(
        sent_back.corrected.is_empty(),
        "nothing recorded since: {:?}",
        sent_back.corrected
    );
    assert_eq!(sent_back.assessed, item.assessed);
    on_the_phone_of(
        &mut store,
        &tmp,
        &visit.by.user_id,
        &case,
        &Edit::SetNeed {
            update: NeedUpdate {
                id: "correction-1".into(),
                dimension: assessed.dimension,
                status: corrected,
                note: Some("the mother says otherwise".into()),
            },
            on: visit.date,
        },
        now() + chrono::Duration::seconds(1),
    );
    let after = store
        .review_queue(&gaya)
        .expect("queue")
        .into_iter()
        .find(|i| i.subject_ref == item.subject_ref)
        .expect("still waiting for approval");
    assert_eq!(
        after.assessed, item.assessed,
        "the assessment as it was sent back, not overwritten by the correction"
    );
    assert_eq!(after.corrected.len(), 1, "{:?}", after.corrected);
    let c = &after.corrected[0];
    assert_eq!(
        (c.dimension, c.was, c.now, c.on, c.note.as_deref()),
        (
            assessed.dimension,
            Some(assessed.status),
            corrected,
            visit.date,
            Some("the mother says otherwise")
        )
    );
    let state = AppState::new(store);
    let (_, cookie) = login(&state, "supervisor-gaya", "demo").await;
    for lang in Lang::ALL {
        let t = Catalogue::new(lang);
        let (_, html, _) = get(
            &state,
            &format!("/reviews?lang={}", lang.code()),
            cookie.as_deref(),
        )
        .await;
        let form = part(
            &html,
            &format!("data-case=\"{}\" data-subject=\"assessment\"", item.case_id),
            "</form>",
        );
        if let Some(note) = &visit.note {
            assert!(form.contains(&esc(note)), "{lang}: the note in {form}");
        }
        let need = part(
            form,
            &format!("data-need=\"{}\"", assessed.dimension.key()),
            "</tr>",
        );
        let correction = t.text(
            "web-review-correction",
            &[
                ("status", &t.status(corrected)),
                ("date", &t.date(visit.date)),
                ("name", &c.by),
            ],
        );
        assert!(
            need.contains(&esc(&t.status(assessed.status))) && need.contains(&esc(&correction)),
            "{lang}: the status sent back and the correction beside it: {need}"
        );
        let recorded = t.text(
            "web-recorded",
            &[(
                "date",
                &t.date(homeward_shared::model::field_date(c.recorded_at)),
            )],
        );
        assert!(
            need.contains(&esc(&recorded)),
            "{lang}: when the correction was recorded, as it is dated to the assessment's day: {need}"
        );
    }
}
