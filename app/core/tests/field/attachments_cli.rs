//! The command line's copies of documents (issue 15), with the real binary: `attach` prints the
//! copy's id on its last line, `attachments` lists them (synced or waiting), `attachment get`
//! writes the pages out, `attachment withdraw`, `case show`'s copies per document, `sync`'s
//! bytes still waiting; in English and Hindi.

use std::path::Path;

use crate::support::{Folder, homeward, ok, stderr, stdout};
use crate::sync::{Fake, enrolment};

fn setup(tmp: &Folder) -> String {
    let dir = tmp.path();
    ok(dir, &["init", "--user", "Anita Kumari"]);
    let out = ok(
        dir,
        &[
            "case",
            "add",
            "--name",
            "Puja Kumari",
            "--sex",
            "f",
            "--age",
            "11",
            "--district",
            "Gaya",
            "--block",
            "Tekari",
            "--village",
            "Rampur",
            "--returned-on",
            "2026-09-01",
        ],
    );
    out.lines().last().expect("the case id").to_owned()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("writes");
    path.display().to_string()
}

fn pdf(size: usize, fill: u8) -> Vec<u8> {
    let mut b = b"%PDF-1.4\n".to_vec();
    b.resize(size, fill);
    b
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 200) as u8 + 30, (y % 200) as u8 + 30, 180])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encodes");
    out
}

#[test]
fn attach_prints_the_copys_id_last_and_get_writes_each_page_beside_the_file_named() {
    let tmp = Folder::new();
    let dir = tmp.path();
    let case = setup(&tmp);
    let first = write(tmp.outer(), "fir-1.png", &png(2000, 1000));
    let second_pdf = pdf(20_000, b'k');
    let second = write(tmp.outer(), "fir-2.pdf", &second_pdf);
    let out = ok(
        dir,
        &[
            "attach",
            &case,
            "fir",
            &first,
            &second,
            "--date",
            "2026-11-03",
        ],
    );
    let id = out.lines().last().expect("a last line").to_owned();
    assert_eq!(id.len(), 16, "the copy's id alone on the last line: {out}");
    assert!(out.contains("FIR") && out.contains("2 pages"), "{out}");

    let list = ok(dir, &["attachments", &case]);
    assert!(
        list.contains(&id) && list.contains("waiting to upload"),
        "{list}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["--json", "attachments", &case])).expect("JSON");
    assert_eq!(json[0]["attachment"]["id"], id.as_str());
    assert_eq!(json[0]["attachment"]["kind"], "fir");
    assert_eq!(json[0]["held"], serde_json::json!([true, true]));
    assert!(json[0]["waiting_bytes"].as_u64().expect("a number") > 20_000);

    let target = tmp.outer().join("out.jpg");
    let written = ok(
        dir,
        &[
            "attachment",
            "get",
            &id,
            "-o",
            &target.display().to_string(),
        ],
    );
    let second_out = tmp.outer().join("out-2.jpg");
    assert_eq!(
        written.lines().collect::<Vec<_>>(),
        [
            target.display().to_string(),
            second_out.display().to_string()
        ],
        "each file written, the second with -2 before the extension"
    );
    let page1 = std::fs::read(&target).expect("page 1");
    let back = image::load_from_memory(&page1).expect("a JPEG");
    assert_eq!(
        (back.width(), back.height()),
        (1600, 800),
        "reduced on the phone"
    );
    assert_eq!(
        std::fs::read(&second_out).expect("page 2"),
        second_pdf,
        "the PDF as given"
    );

    let only = tmp.outer().join("only.pdf");
    let written = ok(
        dir,
        &[
            "attachment",
            "get",
            &id[..6],
            "-o",
            &only.display().to_string(),
            "--page",
            "2",
        ],
    );
    assert_eq!(
        written.trim(),
        only.display().to_string(),
        "a prefix of the id is enough"
    );
    assert_eq!(std::fs::read(&only).expect("page 2"), second_pdf);
    let o = homeward(
        dir,
        &["attachment", "get", &id, "-o", "/tmp/x", "--page", "3"],
    );
    assert_eq!(o.status.code(), Some(2), "no page 3: {}", stderr(&o));
    assert!(stderr(&o).contains("2 pages"), "{}", stderr(&o));

    let show = ok(dir, &["case", "show", &case]);
    assert!(
        show.contains("(FIR): received (1 copy)"),
        "case show counts the copies: {show}"
    );
}

#[test]
fn a_withdrawn_copy_is_listed_as_withdrawn_and_its_pages_are_no_longer_given() {
    let tmp = Folder::new();
    let dir = tmp.path();
    let case = setup(&tmp);
    let file = write(tmp.outer(), "plan.pdf", &pdf(3000, b'c'));
    let id = ok(dir, &["attach", &case, "care_plan", &file])
        .lines()
        .last()
        .expect("id")
        .to_owned();
    let out = ok(
        dir,
        &[
            "attachment",
            "withdraw",
            &id,
            "--reason",
            "the wrong child's plan",
            "--date",
            "2026-11-04",
        ],
    );
    assert!(out.contains("withdrawn"), "{out}");
    let list = ok(dir, &["attachments", &case]);
    assert!(
        list.contains("withdrawn on") && list.contains("the wrong child's plan"),
        "{list}"
    );
    let o = homeward(dir, &["attachment", "get", &id, "-o", "/tmp/never.pdf"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("was withdrawn"), "{}", stderr(&o));
    let show = ok(dir, &["case", "show", &case]);
    assert!(
        !show.contains("copy"),
        "a withdrawn copy is not counted: {show}"
    );
}

#[test]
fn bad_files_and_unknown_ids_exit_2_with_what_is_wrong_in_either_language() {
    let tmp = Folder::new();
    let dir = tmp.path();
    let case = setup(&tmp);
    let gif = write(tmp.outer(), "photo.gif", b"GIF89a not a page");
    let o = homeward(dir, &["attach", &case, "fir", &gif]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("page 1 is not a photo"),
        "{}",
        stderr(&o)
    );
    let o = homeward(dir, &["--lang", "hi", "attach", &case, "fir", &gif]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("not a photo"), "Hindi: {}", stderr(&o));
    let o = homeward(dir, &["attach", &case, "passport", &gif]);
    assert_eq!(o.status.code(), Some(2), "an unknown document kind");
    let o = homeward(dir, &["attach", &case, "fir", "/no/such/file.jpg"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = homeward(dir, &["attachment", "get", "zzzzzzzz", "-o", "/tmp/x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no copy 'zzzzzzzz'"), "{}", stderr(&o));
    assert_eq!(
        ok(dir, &["attachments", &case]).trim(),
        "no copies of documents in this case"
    );
}

#[test]
fn hindi_lists_a_copy_waiting_to_upload() {
    let tmp = Folder::new();
    let dir = tmp.path();
    let case = setup(&tmp);
    let file = write(tmp.outer(), "bank.pdf", &pdf(3000, b'b'));
    ok(dir, &["attach", &case, "bank_account", &file]);
    let list = ok(dir, &["--lang", "hi", "attachments", &case]);
    assert!(list.contains("अपलोड बाकी"), "{list}");
    let show = ok(dir, &["--lang", "hi", "case", "show", &case]);
    assert!(show.contains("1 प्रति"), "{show}");
}

#[test]
fn sync_says_how_many_bytes_of_copies_still_wait() {
    let server = Fake::start(|path, body| {
        if path == "/api/v1/enrol" {
            return enrolment();
        }
        let req = homeward_shared::wire::decode_request(body).expect("a sync request");
        let pushed: usize = req.push.iter().map(|p| p.changes.len()).sum();
        let resp = homeward_shared::wire::SyncResponse {
            bundled: None,
            stored: u32::try_from(pushed).expect("small"),
            documents: vec![],
            changes: vec![],
            dropped: vec![],
            cursor: homeward_shared::wire::Cursor::Feed(0),
            more: false,
            reference: None,
            spot_check_results: vec![],
        };
        (200, vec![], homeward_shared::wire::encode(&resp))
    });
    let tmp = Folder::new();
    let dir = tmp.path();
    let case = setup(&tmp);
    ok(dir, &["enrol", "--server", &server.url, "--code", "CODE-1"]);
    let file = write(tmp.outer(), "fir.pdf", &pdf(5000, b'f'));
    ok(dir, &["attach", &case, "fir", &file]);
    let out = homeward(dir, &["sync", "--attachment-budget", "0"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("5000 bytes still waiting (1 page)"),
        "{}",
        stdout(&out)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&homeward(
        dir,
        &["--json", "sync", "--attachment-budget", "0"],
    )))
    .expect("JSON");
    assert_eq!(json["attachments_waiting"]["bytes"], 5000);
    assert_eq!(json["attachments_waiting"]["pages"], 1);
}
