//! Copies of the checklist's documents on the phone (issue 15): the reduction of a photo, the
//! programme's limits, withdrawal, the bytes encrypted at rest. The pages over the network are
//! `attachments_sync`.

use std::path::Path;

use homeward_field::store::Backlog;
use homeward_field::{FieldError, Store};
use homeward_shared::attachment::{AttachProblem, MAX_LONG_SIDE, sha256_hex};
use homeward_shared::model::{DocumentKind, MediaType};
use homeward_shared::programme::Programme;
use image::{DynamicImage, GenericImageView, ImageFormat};

use crate::support::{Folder, PIN, at, d, new_store, open, profile};

/// A photo-like image: smooth paper with dark lines of "print", as a phone photographs a page.
fn page_image(w: u32, h: u32) -> DynamicImage {
    // Lines of "words" 10 px high every 30 px, on paper a little darker towards one corner.
    DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
        let word = (y % 30) < 10 && (x % 60) < 45 && x > w / 10 && x < w - w / 10;
        let shade = u8::try_from(20 * (x + y) / (w + h)).expect("at most 20");
        if word {
            image::Rgb([40, 40, 60])
        } else {
            image::Rgb([235 - shade, 230 - shade, 220 - shade])
        }
    }))
}

fn encoded(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), format)
        .expect("encodes");
    out
}

/// What the EXIF block of a test photo says about where it was taken (what must never leave
/// the phone's camera roll).
const GPS_MARK: &[u8] = b"GPS 24.7914N 85.0002E family home";

/// A JPEG with an EXIF block: orientation 6 (the camera was turned: rotate 90 degrees clockwise
/// to read), a GPS IFD, and a description naming the place ([`GPS_MARK`]).
fn jpeg_with_exif(img: &DynamicImage) -> Vec<u8> {
    let jpeg = encoded(img, ImageFormat::Jpeg);
    // TIFF, little-endian: header, IFD0 (description, orientation, GPS pointer), the GPS IFD
    // (latitude reference), the description's text.
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II\x2a\x00");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let ifd0_len = 2 + 3 * 12 + 4;
    let gps_at = 8 + ifd0_len;
    let gps_len = 2 + 12 + 4;
    let text_at = gps_at + gps_len;
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    tiff.extend_from_slice(&3u16.to_le_bytes());
    let text_len = u32::try_from(GPS_MARK.len() + 1).expect("short");
    entry(
        &mut tiff,
        0x010E,
        2,
        text_len,
        u32::try_from(text_at).expect("small").to_le_bytes(),
    );
    entry(&mut tiff, 0x0112, 3, 1, [6, 0, 0, 0]);
    entry(
        &mut tiff,
        0x8825,
        4,
        1,
        u32::try_from(gps_at).expect("small").to_le_bytes(),
    );
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut tiff, 0x0001, 2, 2, *b"N\0\0\0");
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(GPS_MARK);
    tiff.push(0);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = u16::try_from(app1.len() + 2).expect("fits a segment");
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A store with one case, `case-a`.
pub(crate) fn with_case(tmp: &Folder) -> Store {
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-11-02"),
        )
        .expect("registers");
    store
}

/// A PDF of `size` bytes (kept as given, so its bytes are known exactly).
pub(crate) fn pdf(size: usize, fill: u8) -> Vec<u8> {
    let mut b = b"%PDF-1.4\n".to_vec();
    b.resize(size, fill);
    b
}

#[test]
fn a_large_photo_is_turned_upright_fitted_within_1600_px_and_keeps_no_exif() {
    let photo = jpeg_with_exif(&page_image(4000, 3000));
    assert!(
        contains(&photo, GPS_MARK),
        "the test photo carries its place"
    );
    let tmp = Folder::new();
    let mut store = with_case(&tmp);
    let copy = store
        .attach("case-a", DocumentKind::Fir, vec![photo], d("2026-11-03"))
        .expect("attaches");
    assert_eq!(copy.pages.len(), 1);
    assert_eq!(copy.pages[0].media_type, MediaType::Jpeg);
    let (media, bytes) = store
        .attachment_page(&copy.id, 0)
        .expect("reads")
        .expect("held: made here");
    assert_eq!(media, MediaType::Jpeg);
    assert_eq!(MediaType::sniff(&bytes), Some(MediaType::Jpeg));
    assert_eq!(sha256_hex(&bytes), copy.pages[0].hash, "named by its hash");
    assert_eq!(copy.pages[0].size, bytes.len() as u64);
    let back = image::load_from_memory(&bytes).expect("a readable JPEG");
    assert_eq!(
        back.dimensions(),
        (1200, MAX_LONG_SIDE),
        "turned upright (orientation 6: a 4000×3000 photo is a 3000×4000 page) and fitted"
    );
    assert!(
        bytes.len() <= homeward_shared::attachment::TARGET_PAGE_BYTES,
        "a page of print reduces to at most 250 KB: {} bytes",
        bytes.len()
    );
    assert!(!contains(&bytes, b"Exif"), "no EXIF block is kept");
    assert!(
        !contains(&bytes, GPS_MARK),
        "nothing of the photo's place is kept"
    );
}

#[test]
fn png_and_webp_photos_become_jpeg_pages_and_a_pdf_is_kept_as_given() {
    let tmp = Folder::new();
    let mut store = with_case(&tmp);
    let img = page_image(2400, 1200);
    let the_pdf = pdf(30_000, b'x');
    let copy = store
        .attach(
            "case-a",
            DocumentKind::CarePlan,
            vec![
                encoded(&img, ImageFormat::Png),
                encoded(&img, ImageFormat::WebP),
                the_pdf.clone(),
            ],
            d("2026-11-03"),
        )
        .expect("attaches three pages");
    let kinds: Vec<MediaType> = copy.pages.iter().map(|p| p.media_type).collect();
    assert_eq!(kinds, [MediaType::Jpeg, MediaType::Jpeg, MediaType::Pdf]);
    for i in 0..2 {
        let (_, bytes) = store
            .attachment_page(&copy.id, i)
            .expect("reads")
            .expect("held");
        let back = image::load_from_memory(&bytes).expect("JPEG");
        assert_eq!(back.dimensions(), (MAX_LONG_SIDE, 800), "page {i} fitted");
    }
    let (_, kept) = store
        .attachment_page(&copy.id, 2)
        .expect("reads")
        .expect("held");
    assert_eq!(kept, the_pdf, "a PDF is kept byte for byte");
}

#[track_caller]
fn refused(store: &mut Store, files: Vec<Vec<u8>>) -> AttachProblem {
    let before = store.waiting().expect("counts");
    let held = store.attachments_waiting().expect("counts");
    let copies = store.attachments("case-a").expect("lists").len();
    let err = store
        .attach("case-a", DocumentKind::Fir, files, d("2026-11-03"))
        .expect_err("refused");
    assert!(err.is_bad_input(), "the person can fix it (exit 2): {err}");
    assert_eq!(err.kind(), "attach", "{err}");
    assert_eq!(store.waiting().expect("counts"), before, "no edit recorded");
    assert_eq!(
        store.attachments("case-a").expect("lists").len(),
        copies,
        "no copy recorded"
    );
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        held,
        "no bytes stored"
    );
    err.attach_problem().expect("typed").clone()
}

#[test]
fn copies_beyond_the_programmes_limits_are_refused_and_nothing_is_written() {
    let tmp = Folder::new();
    let mut store = with_case(&tmp);
    let programme =
        Programme::from_toml("[attachments]\nmax_file_kb = 100\nmax_case_mb = 1\nmax_pages = 2\n")
            .expect("a programme");
    store.set_programme(programme).expect("in force");
    assert_eq!(refused(&mut store, vec![]), AttachProblem::NoPages);
    assert!(matches!(
        refused(
            &mut store,
            vec![pdf(1000, b'a'), pdf(1000, b'b'), pdf(1000, b'c')]
        ),
        AttachProblem::TooManyPages { pages: 3, max: 2 }
    ));
    assert!(matches!(
        refused(&mut store, vec![pdf(1000, b'a'), pdf(200 * 1024, b'b')]),
        AttachProblem::FileTooLarge { page: 2, .. }
    ));
    assert!(matches!(
        refused(
            &mut store,
            vec![pdf(1000, b'a'), b"GIF89a not a page".to_vec()]
        ),
        AttachProblem::UnknownType { page: 2 }
    ));
    // The case's total: ten pages of 100 KB fit 1 MB; the eleventh does not.
    for i in 0..5u8 {
        store
            .attach(
                "case-a",
                DocumentKind::BankAccount,
                vec![pdf(100 * 1024, i), pdf(100 * 1024, i + 100)],
                d("2026-11-03"),
            )
            .expect("within the case's limit");
    }
    assert!(matches!(
        refused(&mut store, vec![pdf(100 * 1024, 250)]),
        AttachProblem::CaseTooLarge { .. }
    ));
    let words = homeward_shared::refusal::attach_problem(
        &AttachProblem::TooManyPages { pages: 3, max: 2 },
        &homeward_shared::i18n::Catalogue::new(homeward_shared::i18n::Lang::Hi),
    );
    assert!(
        !words.is_empty() && !words.contains("attach-"),
        "worded in Hindi: {words}"
    );
}

#[test]
fn a_file_that_says_it_is_an_image_but_does_not_read_is_refused_as_unreadable() {
    let tmp = Folder::new();
    let mut store = with_case(&tmp);
    let err = store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![pdf(100, b'a'), b"\x89PNG\r\n\x1a\nbroken".to_vec()],
            d("2026-11-03"),
        )
        .expect_err("refused");
    assert!(matches!(err, FieldError::Scan { page: 2, .. }), "{err}");
    assert!(err.is_bad_input());
    assert_eq!(err.kind(), "unreadable_page");
    assert!(store.attachments("case-a").expect("lists").is_empty());
}

#[test]
fn a_withdrawn_copy_stays_in_the_record_and_its_bytes_leave_the_phone() {
    let tmp = Folder::new();
    let mut store = with_case(&tmp);
    let wrong = store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![pdf(5000, b'w')],
            d("2026-11-03"),
        )
        .expect("attaches");
    let right = store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![pdf(6000, b'r')],
            d("2026-11-03"),
        )
        .expect("attaches");
    assert!(
        store
            .attachment_page(&wrong.id, 0)
            .expect("reads")
            .is_some()
    );
    store
        .withdraw_attachment(
            "case-a",
            &wrong.id,
            "photo of another child's paper",
            d("2026-11-04"),
        )
        .expect("withdraws");
    assert_eq!(
        store.attachment_page(&wrong.id, 0).expect("reads"),
        None,
        "the withdrawn copy's bytes are gone from the phone"
    );
    assert!(
        store
            .attachment_page(&right.id, 0)
            .expect("reads")
            .is_some(),
        "the other stays"
    );
    let views = store.attachments("case-a").expect("lists");
    let w = views
        .iter()
        .find(|v| v.attachment.id == wrong.id)
        .expect("still listed");
    let withdrawal = w.attachment.withdrawn.as_ref().expect("marked withdrawn");
    assert_eq!(withdrawal.reason, "photo of another child's paper");
    assert_eq!(w.held, [false]);
    assert_eq!(w.waiting_bytes, 0, "nothing of it waits for the upload");
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog {
            pages: 1,
            bytes: 6000
        },
        "only the standing copy waits"
    );
    let case = store.case("case-a").expect("reads");
    assert_eq!(case.copies(DocumentKind::Fir).count(), 1);
    let err = store
        .withdraw_attachment("case-a", "no-such-copy", "x", d("2026-11-04"))
        .expect_err("unknown");
    assert_eq!(err.kind(), "unknown_attachment");
    assert!(store.verify().expect("verifies").is_empty());
}

#[test]
fn a_page_shared_by_two_copies_stays_until_both_are_withdrawn() {
    let tmp = Folder::new();
    let mut store = with_case(&tmp);
    let page = pdf(4000, b's');
    let a = store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![page.clone()],
            d("2026-11-03"),
        )
        .expect("attaches");
    let b = store
        .attach(
            "case-a",
            DocumentKind::CarePlan,
            vec![page],
            d("2026-11-03"),
        )
        .expect("attaches");
    store
        .withdraw_attachment("case-a", &a.id, "wrong", d("2026-11-04"))
        .expect("withdraws");
    assert!(
        store.attachment_page(&b.id, 0).expect("reads").is_some(),
        "b still names it"
    );
    store
        .withdraw_attachment("case-a", &b.id, "wrong", d("2026-11-04"))
        .expect("withdraws");
    assert_eq!(store.attachment_page(&b.id, 0).expect("reads"), None);
}

/// Every file under `dir`, read whole.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("lists") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push((
                path.display().to_string(),
                std::fs::read(&path).expect("reads"),
            ));
        }
    }
    out
}

#[test]
fn no_page_lies_in_plain_text_anywhere_in_the_data_folder() {
    let tmp = Folder::new();
    let mut store = with_case(&tmp);
    let pattern = b"HOMEWARD-PLAIN-PAGE-PATTERN-7f3a9c";
    let mut page = b"%PDF-1.4\n".to_vec();
    while page.len() < 40_000 {
        page.extend_from_slice(pattern);
    }
    let copy = store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![page, encoded(&page_image(800, 600), ImageFormat::Png)],
            d("2026-11-03"),
        )
        .expect("attaches");
    let (_, jpeg) = store
        .attachment_page(&copy.id, 1)
        .expect("reads")
        .expect("held");
    let jpeg_part = &jpeg[jpeg.len() / 2..jpeg.len() / 2 + 64];
    let check = |when: &str| {
        let files = files_under(tmp.path());
        assert!(
            files.len() >= 2,
            "the store's files are there: {}",
            files.len()
        );
        for (name, bytes) in files {
            assert!(
                !contains(&bytes, pattern),
                "{when}: the PDF's bytes in plain text in {name}"
            );
            assert!(
                !contains(&bytes, jpeg_part),
                "{when}: the scan's bytes in plain text in {name}"
            );
        }
    };
    check("open (the WAL holds the page)");
    drop(store);
    check("closed");
    let store = open(tmp.path(), PIN).expect("opens");
    assert!(
        store.attachment_page(&copy.id, 0).expect("reads").is_some(),
        "and it reads back"
    );
}
