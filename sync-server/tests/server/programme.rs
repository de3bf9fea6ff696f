//! The programme in force (issue 12, section 3): set from a file, validated, versioned and
//! audited; sent to devices with the reference data, again whenever it changes; and what the
//! CWC report computes with.

use super::open_store;
use homeward_shared::programme::Programme;
use homeward_shared::wire::{Cursor, Reference, SyncRequest};
use homeward_sync_server::ApiError;
use homeward_sync_server::store::{Role, Store};

const FAST: &str = "[visits]\nhigh_days = 3\nmedium_days = 5\n";

const CM_RELIEF: &str = "[[scheme]]\nkey = \"cm_relief_fund\"\ndimension = \"compensation\"\nname = \"Chief Minister's Relief Fund (Bihar)\"\nnames.hi = \"मुख्यमंत्री राहत कोष (बिहार)\"\nrequires = [\"fir\", \"bank_account\"]\nprompt = true\n";

/// A store with one fieldworker of Gaya and her enrolled phone's token.
fn store() -> (tempfile::TempDir, Store, String) {
    let tmp = tempfile::tempdir().expect("test step");
    let mut store = open_store(&tmp.path().join("s.db")).expect("opens");
    store
        .add_user_with_id(
            Some("anita"),
            "Anita Kumari",
            Role::Fieldworker,
            &[("Gaya".into(), "Tekari".into())],
            None,
        )
        .expect("adds");
    let code = store.enrolment_code("anita").expect("code");
    let token = store.enrol(&code, &[7; 16], "phone").expect("enrols").token;
    (tmp, store, token)
}

/// The reference data a sync round answers a device that holds `version` of it.
fn reference(store: &mut Store, token: &str, version: u64) -> Option<Reference> {
    let device = store.authenticate(token).expect("a device");
    store
        .sync(
            &device,
            &SyncRequest {
                bundle_seen: 0,
                cursor: Cursor::Start,
                budget: 64 * 1024,
                reference_version: version,
                resources_version: 0,
                push: Vec::new(),
                spot_check_outcomes: Vec::new(),
            },
        )
        .expect("a round")
        .reference
}

#[test]
fn the_programme_is_versioned_and_audited_and_a_file_already_in_force_is_no_new_version() {
    let (_tmp, mut store, _) = store();
    assert_eq!(store.programme_version().expect("reads"), None);
    assert_eq!(store.programme().expect("reads"), Programme::default());

    assert_eq!(store.set_programme("admin", FAST).expect("valid"), 1);
    let v1 = store.programme_version().expect("reads").expect("set");
    assert_eq!(
        (v1.version, v1.text.as_str(), v1.set_by.as_str()),
        (1, FAST, "admin")
    );
    assert!(!v1.set_at.is_empty(), "when, by the server's clock");
    assert_eq!(store.programme().expect("reads").visits.medium_days, 5);
    assert_eq!(
        store.programme().expect("reads").visits.stable_days,
        30,
        "laid over the defaults"
    );

    // The same file again (as a browser's form sends it, with CRLF line ends): nothing new.
    let crlf = FAST.replace('\n', "\r\n");
    assert_eq!(store.set_programme("supervisor", &crlf).expect("valid"), 1);
    assert_eq!(store.programme_history(10).expect("reads").len(), 1);

    assert_eq!(store.set_programme("admin", CM_RELIEF).expect("valid"), 2);
    let history: Vec<u64> = store
        .programme_history(10)
        .expect("reads")
        .iter()
        .map(|v| v.version)
        .collect();
    assert_eq!(history, [2, 1], "newest first, every version kept");
    let programme = store.programme().expect("reads");
    assert_eq!(
        programme.visits.medium_days, 14,
        "version 2 is the whole file"
    );
    assert_eq!(
        programme.schemes.len(),
        7,
        "the six defaults and the added one"
    );

    let audited: Vec<(String, Option<String>)> = store
        .audit_log(None, None, 100)
        .expect("reads")
        .into_iter()
        .filter(|a| a.action == "programme-set")
        .map(|a| (a.user_id, a.detail))
        .collect();
    assert_eq!(
        audited,
        [
            ("admin".to_owned(), Some("version 2".to_owned())),
            ("admin".to_owned(), Some("version 1".to_owned())),
        ],
        "each new version is audited with who set it; the unchanged file is not"
    );
}

#[test]
fn an_invalid_file_is_refused_with_the_line_at_fault_and_changes_nothing() {
    let (_tmp, mut store, token) = store();
    store.set_programme("admin", FAST).expect("valid");
    let held = reference(&mut store, &token, 0).expect("first").version;
    for (text, line, needle) in [
        ("[visits]\n\nhigh_dayz = 3\n", 3, "high_dayz"),
        ("[visits]\nhigh_days = 40\n", 2, "must not shrink"),
        (
            "[[scheme]]\nkey = \"pm_cares\"\nremove = true\n",
            1,
            "cannot be removed",
        ),
    ] {
        let err = store.set_programme("admin", text).expect_err(text);
        assert!(
            matches!(&err, ApiError::Unprocessable(_)),
            "a 422, not a server fault: {err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains(&format!("line {line}")) && message.contains(needle),
            "{text:?} gave {message}"
        );
    }
    assert_eq!(
        store.programme_version().expect("reads").map(|v| v.version),
        Some(1)
    );
    assert_eq!(store.programme().expect("reads").visits.high_days, 3);
    assert_eq!(
        reference(&mut store, &token, held),
        None,
        "a refused file moves no device's reference data"
    );
}

#[test]
fn a_device_receives_the_programme_with_its_reference_data_and_again_when_it_changes() {
    let (_tmp, mut store, token) = store();
    let first = reference(&mut store, &token, 0).expect("a first sync gets the reference");
    assert_eq!(first.programme.version, 0, "no programme set: the defaults");
    assert_eq!(
        Programme::from_whole_toml(&first.programme.toml),
        Ok(Programme::default()),
        "the server's defaults, whole"
    );
    assert_eq!(reference(&mut store, &token, first.version), None, "idle");

    store
        .set_programme("admin", &format!("{FAST}\n{CM_RELIEF}"))
        .expect("valid");
    let second = reference(&mut store, &token, first.version)
        .expect("a new programme moves every user's reference version");
    assert_ne!(second.version, first.version);
    assert_eq!(second.programme.version, 1);
    let sent = Programme::from_whole_toml(&second.programme.toml).expect("whole");
    assert_eq!(
        sent,
        store.programme().expect("reads"),
        "what the server uses"
    );
    assert_eq!(sent.visits.medium_days, 5);
    assert_eq!(
        sent.schemes.iter().filter(|s| s.prompt).count(),
        5,
        "the four default schemes prompted for, and the added one"
    );

    store
        .set_programme("admin", &format!("{FAST}\n{CM_RELIEF}"))
        .expect("valid");
    assert_eq!(
        reference(&mut store, &token, second.version),
        None,
        "the same file again sends nothing"
    );
}

#[test]
fn a_server_upgraded_to_send_the_programme_sends_every_device_its_reference_again() {
    // A device that synced with a server of the previous version holds its user's reference
    // version of then; the migration moves every user's, so its next round brings the programme.
    let tmp = tempfile::tempdir().expect("test step");
    let path = tmp.path().join("s.db");
    let (token, held) = {
        let mut store = Store::open(&path, None).expect("opens");
        store
            .add_user_with_id(
                Some("anita"),
                "Anita Kumari",
                Role::Fieldworker,
                &[("Gaya".into(), "Tekari".into())],
                None,
            )
            .expect("adds");
        let code = store.enrolment_code("anita").expect("code");
        let token = store.enrol(&code, &[7; 16], "phone").expect("enrols").token;
        let held = reference(&mut store, &token, 0).expect("first").version;
        (token, held)
    };
    // The schema as a server of the previous version left it: no programme, no 0007 (nor the
    // later migrations).
    rusqlite::Connection::open(&path)
        .expect("opens")
        .execute_batch(
            "DROP TABLE feed_gaps; DROP TABLE case_summaries; DROP TABLE server_keys; DROP TABLE bundles; DROP TABLE bundle_changes;
             DROP TABLE bundle_outcomes; DROP TABLE sms_messages; DROP TABLE urgent_items;
             ALTER TABLE devices DROP COLUMN public_keys; ALTER TABLE devices DROP COLUMN sms_key;
             ALTER TABLE devices DROP COLUMN phone; ALTER TABLE devices DROP COLUMN bundle_seen;
             DROP TABLE programmes; DROP TABLE resources; DROP TABLE attachment_chunks;
             DROP TABLE attachment_uploads; DROP TABLE attachment_blobs;
             DROP TABLE attachment_pages;
             DELETE FROM schema_migrations
             WHERE name IN ('0007_programme', '0008_resources', '0009_attachments', '0010_bundles_sms',
                          '0011_case_summaries', '0012_restores', '0013_summary_stamps');",
        )
        .expect("undoes 0007");
    let mut store = Store::open(&path, None).expect("migrates");
    let got = reference(&mut store, &token, held).expect("sent again after the migration");
    assert_eq!(
        Programme::from_whole_toml(&got.programme.toml),
        Ok(Programme::default())
    );
}

#[test]
fn the_cwc_report_computes_and_names_with_the_servers_programme() {
    use homeward_shared::i18n::Lang;
    use homeward_sync_server::report;
    use homeward_sync_server::scope::Area;
    let tmp = tempfile::tempdir().expect("test step");
    let db = tmp.path().join("r.db");
    let mut store = open_store(&db).expect("opens");
    homeward_sync_server::demo::fill(
        &mut store,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
        40,
    )
    .expect("demo data");
    let month: homeward_shared::indicators::Month = "2026-10".parse().expect("month");
    let gaya = Area::whole("Gaya");
    let hindi_csv =
        |r: &report::Cwc| String::from_utf8(report::csv(r, Lang::Hi).expect("csv")).expect("utf-8");
    let before = report::cwc(&store, &gaya, month, month.last_day()).expect("report");
    assert!(
        before.aggregates.visits_missed > 0,
        "with the defaults some of Gaya's children were not visited in time"
    );
    assert!(hindi_csv(&before).contains("स्वास्थ्य बीमा (आयुष्मान भारत)"));

    store
        .set_programme(
            "admin",
            "[visits]\nhigh_days = 90\nmedium_days = 90\nstable_days = 90\n\n[[scheme]]\nkey = \"health_insurance\"\nnames.hi = \"आयुष्मान कार्ड\"\n",
        )
        .expect("valid");
    let after = report::cwc(&store, &gaya, month, month.last_day()).expect("report");
    assert_eq!(after.programme, store.programme().expect("reads"));
    assert!(
        after.aggregates.visits_missed < before.aggregates.visits_missed,
        "a visit every 90 days: fewer visits missed ({} before, {} after)",
        before.aggregates.visits_missed,
        after.aggregates.visits_missed
    );
    let csv = hindi_csv(&after);
    assert!(
        csv.contains("आयुष्मान कार्ड") && !csv.contains("स्वास्थ्य बीमा (आयुष्मान भारत)"),
        "the scheme as the server's programme names it in Hindi"
    );

    // The command line's report reads the same programme.
    drop(store);
    let out = tmp.path().join("gaya.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"))
        .arg("--db")
        .arg(super::db_flag(&db))
        .args([
            "report",
            "cwc",
            "--district",
            "Gaya",
            "--month",
            "2026-10",
            "--format",
            "csv",
            "--lang",
            "hi",
            "-o",
        ])
        .arg(&out)
        .status()
        .expect("runs");
    assert!(status.success());
    let written = std::fs::read_to_string(&out).expect("written");
    assert!(
        written.contains("आयुष्मान कार्ड") && !written.contains("स्वास्थ्य बीमा (आयुष्मान भारत)"),
        "report cwc uses the server's programme"
    );
}
