//! The resource map's command line (`homeward-sync-server resource`, through the binary) and
//! the dashboard's `/resources` (issue 17, section 4): scoped to the user's areas, in the page's
//! language. Apart from `resources.rs` (the storage and the reference data) to keep each file
//! about one way in.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use homeward_shared::resource::Resource;
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

use crate::resources::CSV;
use crate::{demo_store, get, login};

fn cli(db: &std::path::Path, args: &[&str]) -> (bool, i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"))
        .arg("--db")
        .arg(crate::db_flag(db))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.success(),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_adds_lists_imports_and_deactivates() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("cli.db");
    let (ok, _, out, err) = cli(
        &db,
        &[
            "resource",
            "add",
            "--district",
            "Gaya",
            "--block",
            "Tekari",
            "--kind",
            "school",
            "--name",
            "Middle School Tekari",
            "--contact",
            "Headmaster",
            "--offers",
            "Admission",
            "--address",
            "Station Road",
            "--min-age",
            "6",
            "--max-age",
            "14",
            "--sex",
            "f",
        ],
    );
    assert!(ok, "{err}");
    let id = out.lines().last().expect("the id").to_owned();
    assert!(id.starts_with("res-"), "{out}");

    let (ok, code, _, err) = cli(
        &db,
        &[
            "resource",
            "add",
            "--district",
            "Gaya",
            "--block",
            "Tekari",
            "--kind",
            "bakery",
            "--name",
            "X",
        ],
    );
    assert!(!ok && code == 2 && err.contains("bakery"), "{code} {err}");
    let (ok, code, _, err) = cli(
        &db,
        &[
            "resource",
            "add",
            "--district",
            "Gaya",
            "--block",
            "Tekari",
            "--kind",
            "school",
            "--name",
            "X",
            "--min-age",
            "9",
            "--max-age",
            "3",
        ],
    );
    assert!(
        !ok && code == 2 && err.contains("youngest age"),
        "{code} {err}"
    );

    let file = tmp.path().join("map.csv");
    std::fs::write(&file, CSV).expect("writes");
    let path = file.to_str().expect("utf-8");
    let (ok, _, out, err) = cli(&db, &["resource", "import", path]);
    assert!(
        ok && out.contains("2 added, 1 updated, 0 unchanged"),
        "the file's school is the one added above (same district, block, kind and name): {out} {err}"
    );
    let (ok, _, out, _) = cli(&db, &["resource", "import", path]);
    assert!(
        ok && out.contains("0 added, 0 updated, 3 unchanged"),
        "{out}"
    );
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, format!("{CSV}Gaya,Tekari,school,,,,,,,,\n")).expect("writes");
    let (ok, code, _, err) = cli(&db, &["resource", "import", bad.to_str().expect("utf-8")]);
    assert!(
        !ok && code == 2 && err.contains("line 5") && err.contains("nothing was stored"),
        "{err}"
    );

    let (ok, _, out, _) = cli(&db, &["resource", "list", "--district", "Gaya", "--json"]);
    assert!(ok);
    let list: Vec<Resource> = serde_json::from_str(&out).expect("a JSON array of resources");
    assert_eq!(
        list.len(),
        2,
        "the school, updated by the file, and its bridge centre"
    );
    assert!(list.iter().all(|r| r.district == "Gaya"));
    let school = list.iter().find(|r| r.id == id).expect("the same id");
    assert_eq!(
        (
            school.address.as_deref(),
            school.sex,
            school.offers.as_deref()
        ),
        (Some("Station Road"), None, Some("Admission, uniform")),
        "the file's values"
    );
    let (ok, _, out, _) = cli(&db, &["resource", "list"]);
    assert!(ok && out.lines().count() == 3 && out.contains(&id), "{out}");

    let (ok, _, _, err) = cli(&db, &["resource", "deactivate", &id]);
    assert!(ok, "{err}");
    let (_, _, out, _) = cli(&db, &["resource", "list", "--json"]);
    let list: Vec<Resource> = serde_json::from_str(&out).expect("JSON");
    assert!(!list.iter().find(|r| r.id == id).expect("kept").active);
    let (ok, code, _, _) = cli(&db, &["resource", "deactivate", "res-nope"]);
    assert!(!ok && code == 2);
}

async fn post(
    state: &AppState,
    uri: &str,
    cookie: &str,
    body: String,
) -> (StatusCode, String, Option<String>) {
    let resp = router(state.clone())
        .oneshot(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(body))
                .expect("request"),
        )
        .await
        .expect("answers");
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = to_bytes(resp.into_body(), 1 << 24).await.expect("body");
    (
        status,
        String::from_utf8_lossy(&body).into_owned(),
        location,
    )
}

#[tokio::test]
async fn the_pages_are_scoped_to_the_users_areas_and_speak_the_pages_language() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = demo_store(&tmp);
    let demo = store.resources(None).expect("the demo's map");
    let nalanda = demo
        .iter()
        .find(|r| r.district == "Nalanda")
        .expect("a Nalanda resource")
        .clone();
    let state = AppState::new(store);
    let (_, sup) = login(&state, "supervisor-gaya", "demo").await;
    let sup = sup.expect("a session");
    let (_, cwc) = login(&state, "cwc-gaya", "demo").await;
    let cwc = cwc.expect("a session");

    // The list: Gaya's, filtered, never Nalanda's.
    let (s, body, _) = get(&state, "/resources?lang=en", Some(&sup)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("Government Middle School Tekari East") && !body.contains("Rajgir"),
        "Gaya only"
    );
    assert!(body.contains("Special education or bridge centre") && body.contains("girls only"));
    let (s, body, _) = get(
        &state,
        "/resources?district=Gaya&block=Tekari&kind=health",
        Some(&sup),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("प्राथमिक स्वास्थ्य केंद्र, Tekari") && !body.contains("Middle School"),
        "filtered"
    );
    assert!(body.contains("Resources shown: 1<"), "{body}");
    for uri in [
        "/resources?district=Nalanda",
        &format!("/resources?edit={}", nalanda.id),
    ] {
        let (s, _, _) = get(&state, uri, Some(&sup)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
    }
    let (s, _, _) = get(&state, "/resources?kind=bakery", Some(&sup)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // Hindi: the kinds and words of the catalogue.
    let (s, body, _) = get(&state, "/resources?lang=hi", Some(&cwc)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("<html lang=\"hi\"") && body.contains("केवल लड़कियाँ") && body.contains("संसाधन")
    );
    assert!(
        !body.contains("Add a resource") && !body.contains("संसाधन जोड़ें"),
        "a CWC member reads only"
    );

    // A supervisor of Gaya adds in Gaya; elsewhere the place is answered as missing.
    let form = "district=Gaya&block=Tekari&kind=counselling&name=Mann+Counselling&contact=Didi&min_age=&max_age=&sex=";
    let (s, _, to) = post(&state, "/resources/add", &sup, form.into()).await;
    assert_eq!(
        (s, to.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/resources?district=Gaya&block=Tekari")
        )
    );
    let added = state
        .with_store(|s| s.resources(Some("Gaya")))
        .await
        .expect("reads")
        .into_iter()
        .find(|r| r.name == "Mann Counselling")
        .expect("added");
    let (s, _, _) = post(
        &state,
        "/resources/add",
        &sup,
        form.replace("Gaya", "Nalanda"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = post(&state, "/resources/add", &cwc, form.into()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = post(
        &state,
        &format!("/resources/{}/active", nalanda.id),
        &sup,
        "active=no".into(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = post(
        &state,
        &format!("/resources/{}/edit", nalanda.id),
        &sup,
        form.into(),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Moving one of Gaya's to Nalanda is moving it out of the supervisor's areas.
    let (s, _, _) = post(
        &state,
        &format!("/resources/{}/edit", added.id),
        &sup,
        form.replace("Gaya", "Nalanda"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A bad form: the form again, the error in the page's language, nothing stored.
    let hindi = format!("{}; hw_lang=hi", sup);
    let bad = "district=Gaya&block=Tekari&kind=school&name=+&min_age=";
    let (s, body, _) = post(&state, "/resources/add", &hindi, bad.into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("नाम खाली नहीं हो सकता।"), "{body}");
    let (s, body, _) = post(
        &state,
        "/resources/add",
        &sup,
        "district=Gaya&block=Tekari&kind=school&name=S&min_age=12&max_age=old".into(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("“old” is not an age") && body.contains("value=\"S\""),
        "the form kept: {body}"
    );

    // Change and deactivate.
    let (s, _, _) = post(
        &state,
        &format!("/resources/{}/edit", added.id),
        &sup,
        form.replace("Didi", "Counsellor+Rekha"),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = post(
        &state,
        &format!("/resources/{}/active", added.id),
        &sup,
        "active=no".into(),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let now = state
        .with_store(move |s| s.resource(&added.id))
        .await
        .expect("kept");
    assert_eq!(
        (now.contact.as_deref(), now.active),
        (Some("Counsellor Rekha"), false)
    );

    // An import: a row outside the supervisor's areas refuses the file, naming its line.
    let csv = "district,block,kind,name\nGaya,Manpur,school,New School Manpur\nNalanda,Rajgir,school,Other\n";
    let body = format!(
        "csv={}",
        csv.replace(',', "%2C")
            .replace('\n', "%0A")
            .replace(' ', "+")
    );
    let (s, page, _) = post(&state, "/resources/import", &sup, body.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("line 3: Rajgir, Nalanda is outside your areas"),
        "{page}"
    );
    let held = state
        .with_store(|s| s.resources(None))
        .await
        .expect("reads");
    assert!(
        held.iter().all(|r| r.name != "New School Manpur"),
        "nothing stored"
    );
    let inside = body.replace("%0ANalanda%2CRajgir%2Cschool%2COther", "");
    let (s, _, to) = post(&state, "/resources/import", &sup, inside.clone()).await;
    assert_eq!(
        (s, to.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/resources?added=1&updated=0&unchanged=0")
        )
    );
    let (s, _, to) = post(&state, "/resources/import", &sup, inside).await;
    assert_eq!(
        (s, to.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/resources?added=0&updated=0&unchanged=1")
        )
    );
    let (_, page, _) = get(
        &state,
        "/resources?added=0&updated=0&unchanged=1&lang=en",
        Some(&sup),
    )
    .await;
    assert!(page.contains("Imported: 0 added, 0 changed, 1 unchanged."));
}
