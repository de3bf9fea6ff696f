//! Copies of the checklist's documents on the phone (issue 15): the reduction of a photo, the
//! programme's limits, withdrawal, the bytes encrypted at rest, and the pages over the network
//! against a fake server that speaks `design15`'s protocol (chunked `PUT ?offset=N` with 409,
//! `GET` with `Range`), counting every byte it receives and sends.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use homeward_field::attachments_sync::{self, PageFetched};
use homeward_field::store::Backlog;
use homeward_field::sync::{self, Outcome, SyncOptions};
use homeward_field::{FieldError, Store};
use homeward_shared::attachment::{AttachProblem, CHUNK_BYTES, MAX_LONG_SIDE, sha256_hex};
use homeward_shared::model::{DocumentKind, MediaType};
use homeward_shared::programme::Programme;
use homeward_shared::wire::{Cursor, Document, SyncResponse};
use image::{DynamicImage, GenericImageView, ImageFormat};

use crate::support::{Folder, PIN, at, d, new_store, open, profile};
use crate::sync::{TOKEN, enrolment};

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
fn with_case(tmp: &Folder) -> Store {
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
fn pdf(size: usize, fill: u8) -> Vec<u8> {
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

// ---- The pages over the network, against a fake server of the protocol. ----

/// One request the fake saw, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    /// A records round, with the changes it pushed.
    Sync(usize),
    /// A chunk: the page's hash, the offset asked, the body's bytes received, the status.
    Put(String, u64, usize, u16),
    /// A download: the page, the `Range` asked, the bytes sent.
    Get(String, Option<String>, usize),
}

/// What the fake server does to one request, decided by the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Answer normally.
    No,
    /// Read this many bytes of a chunk's body, then close without an answer (nothing stored).
    BodyAfter(usize),
    /// Store the chunk, then close without an answer (the answer is lost).
    AnswerLost,
    /// Send this many bytes of a page's body, then close.
    DownloadAfter(usize),
}

#[derive(Default)]
struct PageState {
    /// Pages a push made known, with their size, and what the server holds of each.
    pages: HashMap<String, (u64, Vec<u8>)>,
    /// Pages the test says a push will make known (the fake does not read the documents).
    announced: HashMap<String, u64>,
    /// Pages stored whole, to serve.
    stored: HashMap<String, Vec<u8>>,
    /// Documents to send in the next records round.
    documents: Vec<Document>,
    seen: Vec<Seen>,
    /// What to do to the n-th PUT (from 0) or GET.
    cut_put: HashMap<usize, Cut>,
    cut_get: HashMap<usize, Cut>,
    puts: usize,
    gets: usize,
}

type Hook = Box<dyn Fn(usize) + Send>;

struct PageServer {
    url: String,
    state: Arc<Mutex<PageState>>,
}

impl PageServer {
    /// `after_put(n)` runs after the n-th PUT (from 0) is answered... before its answer is
    /// written, while the phone waits: what another process of the phone does meanwhile.
    fn start(after_put: Option<Hook>) -> PageServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let state: Arc<Mutex<PageState>> = Arc::default();
        let st = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                serve(stream, &st, after_put.as_deref());
            }
        });
        PageServer { url, state }
    }

    fn seen(&self) -> Vec<Seen> {
        self.state.lock().expect("state").seen.clone()
    }

    fn puts(&self) -> Vec<(u64, usize, u16)> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Put(_, o, n, st) => Some((o, n, st)),
                _ => None,
            })
            .collect()
    }
}

fn json(status: u16, body: serde_json::Value) -> (u16, Vec<(String, String)>, Vec<u8>) {
    (
        status,
        vec![("Content-Type".into(), "application/json".into())],
        body.to_string().into_bytes(),
    )
}

fn serve(
    mut stream: std::net::TcpStream,
    st: &Mutex<PageState>,
    after_put: Option<&(dyn Fn(usize) + Send)>,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let (mut length, mut range, mut auth) = (0usize, None, None);
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((h.as_str(), ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "range" => range = Some(value.trim().to_owned()),
            "authorization" => auth = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let reply = |stream: &mut std::net::TcpStream,
                 (status, headers, body): (u16, Vec<(String, String)>, Vec<u8>)| {
        let mut head = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
    };
    if path == "/api/v1/enrol" {
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        return reply(&mut stream, enrolment());
    }
    if auth.as_deref() != Some(&format!("Bearer {TOKEN}")) {
        return reply(
            &mut stream,
            json(401, serde_json::json!({"error": "no token"})),
        );
    }
    if path == "/api/v1/sync" {
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let req = homeward_shared::wire::decode_request(&body).expect("a sync request");
        let pushed: usize = req.push.iter().map(|p| p.changes.len()).sum();
        let mut s = st.lock().expect("state");
        s.seen.push(Seen::Sync(pushed));
        if pushed > 0 {
            // Records first: a pushed copy makes its pages known to the server.
            let announced: Vec<(String, u64)> = s.announced.drain().collect();
            for (hash, size) in announced {
                s.pages.entry(hash).or_insert((size, Vec::new()));
            }
        }
        let resp = SyncResponse {
            stored: u32::try_from(pushed).expect("small"),
            documents: std::mem::take(&mut s.documents),
            changes: vec![],
            dropped: vec![],
            cursor: Cursor::Feed(0),
            more: false,
            reference: None,
            spot_check_results: vec![],
        };
        drop(s);
        return reply(
            &mut stream,
            (200, vec![], homeward_shared::wire::encode(&resp)),
        );
    }
    let Some(rest) = path.strip_prefix("/api/v1/attachments/") else {
        return reply(&mut stream, json(404, serde_json::json!({})));
    };
    let hash = rest.to_owned();
    if method == "PUT" {
        let offset: u64 = query
            .strip_prefix("offset=")
            .and_then(|n| n.parse().ok())
            .expect("an offset");
        let (n, cut) = {
            let mut s = st.lock().expect("state");
            let n = s.puts;
            s.puts += 1;
            (n, s.cut_put.get(&n).copied().unwrap_or(Cut::No))
        };
        let take = match cut {
            Cut::BodyAfter(k) => k.min(length),
            _ => length,
        };
        let mut body = vec![0; take];
        let _ = reader.read_exact(&mut body);
        let mut s = st.lock().expect("state");
        if let Cut::BodyAfter(_) = cut {
            s.seen.push(Seen::Put(hash, offset, take, 0));
            return; // The link is cut mid-chunk: nothing stored, no answer.
        }
        assert!(
            length <= CHUNK_BYTES,
            "a chunk is at most CHUNK_BYTES: {length}"
        );
        let Some((size, held)) = s.pages.get_mut(&hash) else {
            s.seen.push(Seen::Put(hash, offset, take, 404));
            drop(s);
            return reply(
                &mut stream,
                json(404, serde_json::json!({"error": "unknown page"})),
            );
        };
        let size = *size;
        let status = if offset != held.len() as u64 {
            409
        } else {
            held.extend_from_slice(&body);
            200
        };
        let received = held.len() as u64;
        let complete = received == size;
        let mut status = status;
        if complete && status == 200 {
            let whole = held.clone();
            if sha256_hex(&whole) == hash {
                s.stored.insert(hash.clone(), whole);
            } else {
                held.clear();
                status = 422;
            }
        }
        s.seen.push(Seen::Put(hash, offset, take, status));
        drop(s);
        if let Some(hook) = after_put {
            hook(n);
        }
        if cut == Cut::AnswerLost {
            return;
        }
        return reply(
            &mut stream,
            json(
                status,
                serde_json::json!({"received": received, "size": size, "complete": complete}),
            ),
        );
    }
    // GET: the page, whole or from a Range.
    let (cut, page) = {
        let mut s = st.lock().expect("state");
        let n = s.gets;
        s.gets += 1;
        (
            s.cut_get.get(&n).copied().unwrap_or(Cut::No),
            s.stored.get(&hash).cloned(),
        )
    };
    let Some(page) = page else {
        st.lock()
            .expect("state")
            .seen
            .push(Seen::Get(hash, range, 0));
        return reply(
            &mut stream,
            json(404, serde_json::json!({"error": "not stored"})),
        );
    };
    let from: usize = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.trim_end_matches('-').parse().ok())
        .unwrap_or(0);
    let body = page[from..].to_vec();
    let (status, mut headers) = if range.is_some() {
        (
            206,
            vec![(
                "Content-Range".to_owned(),
                format!("bytes {from}-{}/{}", page.len() - 1, page.len()),
            )],
        )
    } else {
        (200, vec![])
    };
    headers.push(("Content-Type".into(), "application/pdf".into()));
    let sent = match cut {
        Cut::DownloadAfter(k) => k.min(body.len()),
        _ => body.len(),
    };
    st.lock()
        .expect("state")
        .seen
        .push(Seen::Get(hash, range, sent));
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body[..sent]);
    let _ = stream.flush();
    // A cut download: the connection closes with the body unfinished.
}

fn enrolled_at(tmp: &Folder, server: &PageServer) -> Store {
    let mut store = with_case(tmp);
    sync::enrol_store(&mut store, &server.url, "CODE-1", "phone", false).expect("enrols");
    store
}

/// No retries: each cut ends the sync, and the next sync must resume.
fn once() -> SyncOptions {
    SyncOptions {
        retries: 0,
        ..SyncOptions::default()
    }
}

/// Attaches a PDF of `size` bytes and tells the fake server its page will be known once pushed.
fn attach_known(store: &mut Store, server: &PageServer, size: usize) -> (String, Vec<u8>) {
    let bytes = pdf(size, b'p');
    let mut with_tail = bytes.clone();
    // Bytes that differ along the page, so a chunk sent at the wrong place would not match.
    for (i, b) in with_tail.iter_mut().enumerate().skip(9) {
        *b = (i % 251) as u8;
    }
    let copy = store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![with_tail.clone()],
            d("2026-11-03"),
        )
        .expect("attaches");
    let page = &copy.pages[0];
    server
        .state
        .lock()
        .expect("state")
        .announced
        .insert(page.hash.clone(), page.size);
    (page.hash.clone(), with_tail)
}

fn synced(outcome: Outcome) -> homeward_field::sync::SyncReport {
    match outcome {
        Outcome::Synced(r) => r,
        other => panic!("expected a sync, got {other:?}"),
    }
}

#[test]
fn pages_go_up_in_chunks_after_the_records_and_the_server_holds_them_whole() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 3 + 1000;
    let (hash, bytes) = attach_known(&mut store, &server, size);
    assert_eq!(
        store.attachments_waiting().expect("counts").bytes,
        size as u64
    );
    let mut confirmed = Vec::new();
    let report = synced(
        sync::sync_with_pages(&mut store, &once(), &mut |_| {}, &mut |c| {
            confirmed.push(c.received)
        })
        .expect("syncs"),
    );
    let seen = server.seen();
    assert!(
        matches!(seen.first(), Some(Seen::Sync(n)) if *n > 0),
        "the records go first: {seen:?}"
    );
    assert_eq!(
        server.puts(),
        [
            (0, CHUNK_BYTES, 200),
            (CHUNK_BYTES as u64, CHUNK_BYTES, 200),
            (2 * CHUNK_BYTES as u64, CHUNK_BYTES, 200),
            (3 * CHUNK_BYTES as u64, 1000, 200)
        ],
        "four chunks, each at the offset the server confirmed"
    );
    assert_eq!(confirmed.last(), Some(&(size as u64)));
    assert_eq!(
        server.state.lock().expect("state").stored.get(&hash),
        Some(&bytes)
    );
    assert_eq!(report.attachment_pages_sent, 1);
    assert_eq!(report.attachment_bytes_sent, size as u64);
    assert_eq!(report.attachments_waiting, Backlog::default());
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog::default()
    );
    let view = &store.attachments("case-a").expect("lists")[0];
    assert_eq!(view.waiting_bytes, 0, "synced");
    // Nothing more to send: the next sync sends no chunk.
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    assert_eq!(server.puts().len(), 4);
}

#[test]
fn a_link_cut_mid_chunk_resumes_at_the_last_confirmed_chunk_without_resending_any() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 4;
    let (hash, bytes) = attach_known(&mut store, &server, size);
    {
        let mut s = server.state.lock().expect("state");
        // The third chunk is cut after 10,000 bytes, and so is the fourth request after that.
        s.cut_put.insert(2, Cut::BodyAfter(10_000));
        s.cut_put.insert(4, Cut::BodyAfter(5_000));
    }
    let err = sync::sync(&mut store, &once(), &mut |_| {}).expect_err("the link is cut");
    assert!(matches!(err, FieldError::Network(_)), "{err}");
    assert_eq!(
        store.attachments_waiting().expect("counts").bytes,
        (2 * CHUNK_BYTES) as u64,
        "two chunks were confirmed before the cut, and kept"
    );
    let err = sync::sync(&mut store, &once(), &mut |_| {}).expect_err("cut again");
    assert!(matches!(err, FieldError::Network(_)), "{err}");
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("the third sync completes"));
    let puts = server.puts();
    let offsets: Vec<u64> = puts.iter().map(|p| p.0).collect();
    let c = CHUNK_BYTES as u64;
    assert_eq!(
        offsets,
        [0, c, 2 * c, 2 * c, 3 * c, 3 * c],
        "each cut chunk is sent again from its own start, and no confirmed chunk: {puts:?}"
    );
    let confirmed: usize = puts.iter().filter(|p| p.2 == 200).map(|p| p.1).sum();
    let on_the_wire: usize = puts.iter().map(|p| p.1).sum();
    assert_eq!(confirmed, size, "every byte confirmed once");
    assert_eq!(
        on_the_wire,
        size + 10_000 + 5_000,
        "the only bytes sent twice are those of the cut chunks"
    );
    assert_eq!(
        server.state.lock().expect("state").stored.get(&hash),
        Some(&bytes)
    );
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog::default()
    );
}

#[test]
fn a_lost_answer_is_settled_by_the_servers_409_and_the_phone_continues_where_it_holds() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 3;
    let (hash, bytes) = attach_known(&mut store, &server, size);
    // The server stores the second chunk, but its answer never reaches the phone.
    server
        .state
        .lock()
        .expect("state")
        .cut_put
        .insert(1, Cut::AnswerLost);
    sync::sync(&mut store, &once(), &mut |_| {}).expect_err("no answer");
    assert_eq!(
        store.attachments_waiting().expect("counts").bytes,
        (2 * CHUNK_BYTES) as u64,
        "the phone only counts what the server confirmed"
    );
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("resumes"));
    let c = CHUNK_BYTES as u64;
    assert_eq!(
        server.puts(),
        [
            (0, CHUNK_BYTES, 200),
            (c, CHUNK_BYTES, 200),
            (c, CHUNK_BYTES, 409),
            (2 * c, CHUNK_BYTES, 200)
        ],
        "the 409 says the server holds two chunks: the phone goes on from there"
    );
    assert_eq!(
        server.state.lock().expect("state").stored.get(&hash),
        Some(&bytes)
    );
}

#[test]
fn a_visit_recorded_during_an_upload_goes_up_before_the_next_chunk() {
    let tmp = Folder::new();
    let dir = tmp.path().to_owned();
    let hook: Hook = Box::new(move |n| {
        if n == 0 {
            // While the first chunk travels, the app records a visit on its own connection.
            let mut other = open(&dir, PIN).expect("opens beside the sync");
            other
                .edit(
                    "case-a",
                    &homeward_shared::edit::Edit::RecordVisit {
                        visit: homeward_shared::edit::NewVisit {
                            id: "v-during".into(),
                            date: d("2026-11-04"),
                            kind: homeward_shared::model::VisitKind::FollowUp,
                            met: None,
                            note: Some("recorded while a scan goes up".into()),
                            next_steps: None,
                            summons_id: None,
                            safety_checked: false,
                        },
                        updates: vec![],
                    },
                    at("2026-11-04"),
                )
                .expect("the store is free for the app while bytes travel");
        }
    });
    let server = PageServer::start(Some(hook));
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 3;
    attach_known(&mut store, &server, size);
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    let seen = server.seen();
    let kinds: Vec<String> = seen
        .iter()
        .map(|s| match s {
            Seen::Sync(n) => format!("sync {n}"),
            Seen::Put(_, o, _, st) => format!("put {o} {st}"),
            Seen::Get(..) => "get".into(),
        })
        .collect();
    let c = CHUNK_BYTES;
    assert_eq!(
        kinds,
        [
            "sync 2".to_owned(),
            "put 0 200".into(),
            "sync 1".into(),
            format!("put {c} 200"),
            format!("put {} 200", 2 * c)
        ],
        "the visit's change went up in its own records round before the second chunk"
    );
    assert_eq!(store.waiting().expect("counts"), 0);
}

#[test]
fn the_attachment_budget_holds_pages_back_and_zero_sends_records_only() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 2;
    attach_known(&mut store, &server, size);
    let records_only = SyncOptions {
        attachment_budget: Some(0),
        ..once()
    };
    let report = synced(sync::sync(&mut store, &records_only, &mut |_| {}).expect("syncs"));
    assert!(server.puts().is_empty(), "no chunk with a budget of 0");
    assert_eq!(report.confirmed, 2, "the records went up");
    assert_eq!(
        report.attachments_waiting,
        Backlog {
            pages: 1,
            bytes: size as u64
        }
    );
    let one_chunk = SyncOptions {
        attachment_budget: Some(CHUNK_BYTES as u64),
        ..once()
    };
    let report = synced(sync::sync(&mut store, &one_chunk, &mut |_| {}).expect("syncs"));
    assert_eq!(server.puts().len(), 1);
    assert_eq!(report.attachments_waiting.bytes, CHUNK_BYTES as u64);
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog::default()
    );
}

#[test]
fn a_page_the_server_does_not_know_waits_on_the_phone_and_the_sync_still_ends_well() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    // Not announced: the server answers 404 (as for a case whose changes it refused).
    store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![pdf(1000, b'q')],
            d("2026-11-03"),
        )
        .expect("attaches");
    let report = synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    assert_eq!(report.attachments_skipped.len(), 1, "{report:?}");
    assert!(
        report.attachments_skipped[0].1.starts_with("404"),
        "{report:?}"
    );
    assert_eq!(
        report.attachments_waiting,
        Backlog {
            pages: 1,
            bytes: 1000
        }
    );
    assert_eq!(server.puts().len(), 1, "tried once in this sync");
}

/// A second phone (a supervisor's) that holds `case-a` as the server sent it, with the copy
/// made on the first phone, and the server holding that copy's page.
fn supervisor_with_copy(server: &PageServer, tmp: &Folder) -> (Store, String, Vec<u8>) {
    let maker_dir = Folder::new();
    let mut maker = with_case(&maker_dir);
    let page = pdf(CHUNK_BYTES * 2 + 500, b'z');
    let mut page = page;
    for (i, b) in page.iter_mut().enumerate().skip(9) {
        *b = (i % 239) as u8;
    }
    let copy = maker
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![page.clone()],
            d("2026-11-03"),
        )
        .expect("attaches");
    let doc = maker.export("case-a").expect("exports");
    {
        let mut s = server.state.lock().expect("state");
        s.stored.insert(copy.pages[0].hash.clone(), page.clone());
        s.documents.push(Document {
            case_id: "case-a".into(),
            doc,
        });
    }
    let mut store = new_store(tmp.path());
    sync::enrol_store(&mut store, &server.url, "CODE-2", "supervisor phone", false)
        .expect("enrols");
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("brings the case"));
    (store, copy.id, page)
}

#[test]
fn a_copy_made_elsewhere_downloads_on_demand_and_a_cut_download_resumes_with_range() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let (mut store, copy_id, page) = supervisor_with_copy(&server, &tmp);
    let view = &store.attachments("case-a").expect("lists")[0];
    assert_eq!(view.held, [false], "not on this phone until asked for");
    assert_eq!(store.attachment_page(&copy_id, 0).expect("reads"), None);
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog::default(),
        "another phone's copy is not this phone's to upload"
    );
    let cut_at = CHUNK_BYTES + 7_000;
    server
        .state
        .lock()
        .expect("state")
        .cut_get
        .insert(0, Cut::DownloadAfter(cut_at));
    let mut seen: Vec<PageFetched> = Vec::new();
    let err = attachments_sync::fetch_attachment(&mut store, &copy_id, &once(), &mut |p| {
        seen.push(p.clone())
    })
    .expect_err("the download is cut");
    assert!(matches!(err, FieldError::Network(_)), "{err}");
    assert_eq!(
        store.attachment_page(&copy_id, 0).expect("reads"),
        None,
        "not whole yet"
    );
    assert_eq!(
        seen.last().map(|p| p.received),
        Some(cut_at as u64),
        "what arrived before the cut is kept: {seen:?}"
    );
    seen.clear();
    let done = attachments_sync::fetch_attachment(&mut store, &copy_id, &once(), &mut |p| {
        seen.push(p.clone())
    })
    .expect("resumes");
    assert_eq!(done.pages, 1);
    assert_eq!(
        done.bytes,
        (page.len() - cut_at) as u64,
        "only the rest came down"
    );
    assert_eq!(
        seen.last().map(|p| (p.received, p.size)),
        Some((page.len() as u64, page.len() as u64))
    );
    let gets: Vec<(Option<String>, usize)> = server
        .seen()
        .into_iter()
        .filter_map(|s| match s {
            Seen::Get(_, r, n) => Some((r, n)),
            _ => None,
        })
        .collect();
    assert_eq!(
        gets,
        [
            (None, cut_at),
            (Some(format!("bytes={cut_at}-")), page.len() - cut_at)
        ],
        "the second request asks for the rest only"
    );
    let (media, bytes) = store
        .attachment_page(&copy_id, 0)
        .expect("reads")
        .expect("held now");
    assert_eq!(media, MediaType::Pdf);
    assert_eq!(bytes, page);
    assert_eq!(store.attachments("case-a").expect("lists")[0].held, [true]);
    // Held: asking again fetches nothing.
    let again = attachments_sync::fetch_attachment(&mut store, &copy_id, &once(), &mut |_| {})
        .expect("nothing to do");
    assert_eq!(again.pages, 0);
    assert_eq!(
        server
            .seen()
            .iter()
            .filter(|s| matches!(s, Seen::Get(..)))
            .count(),
        2
    );
}

#[test]
fn a_page_the_server_does_not_hold_yet_is_said_so() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let (mut store, copy_id, _) = supervisor_with_copy(&server, &tmp);
    server.state.lock().expect("state").stored.clear();
    let err = attachments_sync::fetch_attachment(&mut store, &copy_id, &once(), &mut |_| {})
        .expect_err("not on the server");
    assert!(
        matches!(&err, FieldError::NotOnServer { attachment, page: 1 } if *attachment == copy_id),
        "{err}"
    );
    assert_eq!(err.kind(), "not_on_server");
}
