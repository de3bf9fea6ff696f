//! The bytes of copies of documents through the device API (issue 15): a page uploaded in
//! chunks, a cut upload resumed at the server's offset (409), a page whose bytes are not its
//! hash dropped (422), one copy per hash across cases, the scope of `PUT` and `GET` (404 outside
//! it, a CWC member of the district reads), every download audited, the programme's limits on a
//! push, a fieldworker's phone unable to verify a copy, and no page's bytes in plain text in an
//! encrypted database.

use automerge::{ActorId, AutoCommit};
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use homeward_shared::attachment::{CHUNK_BYTES, sha256_hex};
use homeward_shared::edit::{Edit, NewAttachment};
use homeward_shared::model::{AttachmentPage, Author, DocumentKind, MediaType};
use homeward_shared::wire::{self, CasePush, Cursor, SyncRequest};
use homeward_sync_server::store::{DeviceAuth, Role, Store};
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

use crate::referrals::{apply, register};
use crate::report::d;

/// A pattern no real file holds, repeated through every synthetic page: found in a database
/// file, it would be a page's bytes in plain text.
pub(crate) const PATTERN: &[u8] = b"HOMEWARD-SYNTHETIC-SCAN-7f3a-";

/// A synthetic page of `size` bytes of `media`: its magic bytes, then the pattern with a
/// counter (so no two chunks are alike), never a real document.
pub(crate) fn page_bytes(media: MediaType, size: usize, seed: u8) -> Vec<u8> {
    let magic: &[u8] = match media {
        MediaType::Jpeg => &[0xFF, 0xD8, 0xFF, 0xE0],
        MediaType::Png => b"\x89PNG\r\n\x1a\n",
        MediaType::Webp => b"RIFF\x00\x00\x00\x00WEBP",
        MediaType::Pdf => b"%PDF-1.4\n",
    };
    let mut out = magic.to_vec();
    let mut i = 0u32;
    while out.len() < size {
        out.extend_from_slice(PATTERN);
        out.extend_from_slice(format!("{seed:02x}{i:08x}\n").as_bytes());
        i += 1;
    }
    out.truncate(size);
    out
}

pub(crate) fn page_of(media: MediaType, bytes: &[u8]) -> AttachmentPage {
    AttachmentPage {
        hash: sha256_hex(bytes),
        size: u64::try_from(bytes.len()).expect("small"),
        media_type: media,
    }
}

/// A server with, in Gaya, a fieldworker of Tekari (`fw`) and one of Atri (`atri`), each with
/// a phone, a supervisor (`sup`) and a CWC member (`cwc`) of the whole district with a phone and
/// a dashboard password, and a CWC member of Patna (`cwc-patna`) likewise.
pub(crate) struct World {
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) state: AppState,
    pub(crate) fw: Phone,
    pub(crate) atri: Phone,
    pub(crate) cwc: Phone,
    pub(crate) cwc_patna: Phone,
}

/// An enrolled phone: its token, its device and the author its changes sign as.
pub(crate) struct Phone {
    pub(crate) token: String,
    pub(crate) device: DeviceAuth,
    pub(crate) author: Author,
}

pub(crate) const PASSWORD: &str = "a long test password";

fn phone(store: &mut Store, user: &str, actor: u8) -> Phone {
    let code = store.enrolment_code(user).expect("a code");
    let token = store
        .enrol(&code, &[actor; 16], "phone")
        .expect("enrols")
        .token;
    let device = store.authenticate(&token).expect("a device");
    let author = Author {
        user_id: device.user_id.clone(),
        name: device.user_name.clone(),
    };
    Phone {
        token,
        device,
        author,
    }
}

pub(crate) fn world(key: Option<&str>) -> World {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&tmp.path().join("s.db"), key).expect("opens");
    let gaya = |block: &str| vec![("Gaya".to_owned(), block.to_owned())];
    for (id, name, role, areas) in [
        ("fw", "Meena Kumari", Role::Fieldworker, gaya("Tekari")),
        ("atri", "Sunita Devi", Role::Fieldworker, gaya("Atri")),
        ("sup", "Supervisor Gaya", Role::Supervisor, gaya("")),
        ("cwc", "CWC Gaya", Role::Cwc, gaya("")),
        (
            "cwc-patna",
            "CWC Patna",
            Role::Cwc,
            vec![("Patna".to_owned(), String::new())],
        ),
    ] {
        store
            .add_user_with_id(Some(id), name, role, &areas, Some(PASSWORD))
            .expect("a user");
    }
    let fw = phone(&mut store, "fw", 0x31);
    let atri = phone(&mut store, "atri", 0x32);
    let cwc = phone(&mut store, "cwc", 0x33);
    let cwc_patna = phone(&mut store, "cwc-patna", 0x34);
    World {
        tmp,
        state: AppState::new(store),
        fw,
        atri,
        cwc,
        cwc_patna,
    }
}

impl World {
    /// Registers a case of Tekari on the fieldworker's phone, with a copy of `kind` of `pages`
    /// (taken on 5 July 2026, id `{case}-copy`), and pushes it.
    pub(crate) async fn case_with_copy(
        &self,
        case: &str,
        kind: DocumentKind,
        pages: &[AttachmentPage],
    ) -> AutoCommit {
        let mut doc = register(
            case,
            &format!("Copy Child {case}"),
            "Tekari",
            self.actor(),
            &self.fw.author,
        );
        attach(
            &mut doc,
            &self.fw.author,
            &format!("{case}-copy"),
            kind,
            pages,
        );
        self.push_all(case, &mut doc).await.expect("stored");
        doc
    }

    pub(crate) fn actor(&self) -> ActorId {
        ActorId::from(self.fw.device.actor.as_slice())
    }

    /// Pushes every change of `doc` as the fieldworker's phone, through the store's push path.
    pub(crate) async fn push_all(&self, case: &str, doc: &mut AutoCommit) -> Result<(), String> {
        let changes = doc
            .get_changes(&[])
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect();
        let device = self.fw.device.clone();
        let case = case.to_owned();
        self.state
            .with_store(move |s| {
                s.push_as(
                    &device,
                    &[CasePush {
                        case_id: case,
                        changes,
                    }],
                )
            })
            .await
            .map_err(|e| format!("{} {e}", e.status()))
    }

    /// Uploads the whole page in chunks of `CHUNK_BYTES` as `token`; the last answer.
    pub(crate) async fn upload(&self, token: &str, bytes: &[u8]) -> (StatusCode, String) {
        let hash = sha256_hex(bytes);
        let mut last = (StatusCode::OK, String::new());
        for (i, chunk) in bytes.chunks(CHUNK_BYTES).enumerate() {
            last = self
                .put(token, &hash, i * CHUNK_BYTES, chunk.to_vec())
                .await;
            assert!(
                last.0 == StatusCode::OK || i + 1 == bytes.len().div_ceil(CHUNK_BYTES),
                "chunk {i}: {last:?}"
            );
        }
        last
    }

    pub(crate) async fn put(
        &self,
        token: &str,
        hash: &str,
        offset: usize,
        body: Vec<u8>,
    ) -> (StatusCode, String) {
        let req = Request::put(format!("/api/v1/attachments/{hash}?offset={offset}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(body))
            .expect("a request");
        let (status, _, body) = self.send(req).await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    pub(crate) async fn get(
        &self,
        token: &str,
        uri: &str,
        range: Option<&str>,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut req = Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(r) = range {
            req = req.header(header::RANGE, r);
        }
        self.send(req.body(Body::empty()).expect("a request")).await
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let resp = router(self.state.clone())
            .oneshot(req)
            .await
            .expect("answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = to_bytes(resp.into_body(), 1 << 26).await.expect("a body");
        (status, headers, body.to_vec())
    }

    pub(crate) async fn stored(&self) -> (u64, u64) {
        self.state
            .with_store(|s| s.stored_pages())
            .await
            .expect("counts")
    }

    /// The audit rows of `action` for `case`, as (user, detail).
    pub(crate) async fn audited(&self, action: &str, case: &str) -> Vec<(String, String)> {
        let case = case.to_owned();
        let action = action.to_owned();
        self.state
            .with_store(move |s| s.audit_log(None, Some(&case), 1000))
            .await
            .expect("the log")
            .into_iter()
            .filter(|r| r.action == action)
            .map(|r| (r.user_id, r.detail.unwrap_or_default()))
            .collect()
    }
}

pub(crate) fn attach(
    doc: &mut AutoCommit,
    by: &Author,
    id: &str,
    kind: DocumentKind,
    pages: &[AttachmentPage],
) {
    apply(
        doc,
        by,
        d("2026-07-05"),
        &Edit::Attach(NewAttachment {
            id: id.into(),
            kind,
            pages: pages.to_vec(),
            taken_on: d("2026-07-05"),
        }),
    );
}

fn status(body: &str) -> (u64, u64, bool) {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (
        v["received"].as_u64().expect("received"),
        v["size"].as_u64().expect("size"),
        v["complete"].as_bool().expect("complete"),
    )
}

#[tokio::test]
async fn a_page_uploads_in_chunks_resumes_where_the_server_stands_and_is_kept_once() {
    let w = world(None);
    let scan = page_bytes(MediaType::Jpeg, 3 * CHUNK_BYTES + 1000, 1);
    let page = page_of(MediaType::Jpeg, &scan);
    let size = u64::try_from(scan.len()).expect("small");
    w.case_with_copy("gaya-c1", DocumentKind::Fir, std::slice::from_ref(&page))
        .await;
    let uri = format!("/api/v1/attachments/{}/status", page.hash);
    let (s, _, body) = w.get(&w.fw.token, &uri, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(status(&String::from_utf8_lossy(&body)), (0, size, false));

    // The first chunk, then the link is cut: the phone sends it again, and is told where to go on.
    let first = scan[..CHUNK_BYTES].to_vec();
    let (s, body) = w.put(&w.fw.token, &page.hash, 0, first.clone()).await;
    assert_eq!((s, status(&body)), (StatusCode::OK, (32768, size, false)));
    let (s, body) = w.put(&w.fw.token, &page.hash, 0, first).await;
    assert_eq!(
        (s, status(&body)),
        (StatusCode::CONFLICT, (32768, size, false)),
        "a chunk the server holds is not taken twice"
    );
    let (s, body) = w
        .put(&w.fw.token, &page.hash, 2 * CHUNK_BYTES, vec![0; 10])
        .await;
    assert_eq!(
        (s, status(&body)),
        (StatusCode::CONFLICT, (32768, size, false))
    );
    let (_, _, body) = w.get(&w.fw.token, &uri, None).await;
    assert_eq!(status(&String::from_utf8_lossy(&body)).0, 32768);
    // More than twice a chunk: too large.
    let (s, _) = w
        .put(
            &w.fw.token,
            &page.hash,
            CHUNK_BYTES,
            vec![0; 2 * CHUNK_BYTES + 1],
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(w.stored().await, (0, 0), "nothing whole yet");

    // The rest, from where the server stands.
    let mut at = CHUNK_BYTES;
    let mut last = String::new();
    while at < scan.len() {
        let end = (at + CHUNK_BYTES).min(scan.len());
        if end == scan.len() {
            // Past the page's end: refused, nothing taken.
            let mut over = scan[at..].to_vec();
            over.extend_from_slice(b"more");
            let (s, _) = w.put(&w.fw.token, &page.hash, at, over).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let (s, body) = w
            .put(&w.fw.token, &page.hash, at, scan[at..end].to_vec())
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        last = body;
        at = end;
    }
    assert_eq!(status(&last), (size, size, true));
    assert_eq!(w.stored().await, (1, size));
    // Sent again once complete: complete, nothing stored twice.
    let (s, body) = w.put(&w.fw.token, &page.hash, 0, scan[..10].to_vec()).await;
    assert_eq!((s, status(&body)), (StatusCode::OK, (size, size, true)));

    // A second case with the same page (the same paper for two siblings): already complete.
    w.case_with_copy("gaya-c2", DocumentKind::Fir, std::slice::from_ref(&page))
        .await;
    let (_, _, body) = w.get(&w.fw.token, &uri, None).await;
    assert_eq!(status(&String::from_utf8_lossy(&body)), (size, size, true));
    assert_eq!(w.stored().await, (1, size), "one copy per hash");

    // The bytes come back whole, and from an offset.
    let get = format!("/api/v1/attachments/{}", page.hash);
    let (s, headers, body) = w.get(&w.fw.token, &get, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body, scan);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::CONTENT_DISPOSITION], "inline");
    let (s, headers, body) = w.get(&w.fw.token, &get, Some("bytes=40000-")).await;
    assert_eq!(s, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, scan[40000..]);
    assert_eq!(
        headers[header::CONTENT_RANGE],
        format!("bytes 40000-{}/{size}", size - 1).as_str()
    );
    let (s, _, _) = w
        .get(&w.fw.token, &get, Some(&format!("bytes={size}-")))
        .await;
    assert_eq!(s, StatusCode::RANGE_NOT_SATISFIABLE);
}

#[tokio::test]
async fn a_page_whose_bytes_are_not_its_hash_or_its_type_is_dropped_with_422() {
    let w = world(None);
    let real = page_bytes(MediaType::Png, CHUNK_BYTES + 500, 2);
    let page = page_of(MediaType::Png, &real);
    // A PDF with the right hash, declared a PNG.
    let pdf = page_bytes(MediaType::Pdf, 2000, 3);
    let mislabelled = page_of(MediaType::Png, &pdf);
    w.case_with_copy(
        "gaya-c1",
        DocumentKind::BankAccount,
        &[page.clone(), mislabelled.clone()],
    )
    .await;
    let mut forged = real.clone();
    forged[CHUNK_BYTES + 10] ^= 0xFF;
    let (s, body) = w
        .put(&w.fw.token, &page.hash, 0, forged[..CHUNK_BYTES].to_vec())
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = w
        .put(
            &w.fw.token,
            &page.hash,
            CHUNK_BYTES,
            forged[CHUNK_BYTES..].to_vec(),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("dropped"), "{body}");
    let uri = format!("/api/v1/attachments/{}/status", page.hash);
    let (_, _, body) = w.get(&w.fw.token, &uri, None).await;
    assert_eq!(
        status(&String::from_utf8_lossy(&body)).0,
        0,
        "the upload starts again from 0"
    );
    assert_eq!(w.stored().await, (0, 0));
    let (s, _) = w.put(&w.fw.token, &mislabelled.hash, 0, pdf).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not the type the case says"
    );
    assert_eq!(w.stored().await, (0, 0));
    // The real bytes then go through.
    let (s, body) = w.upload(&w.fw.token, &real).await;
    assert_eq!((s, status(&body).2), (StatusCode::OK, true));
}

#[tokio::test]
async fn only_devices_whose_user_may_write_upload_and_only_those_who_may_read_download_audited() {
    let w = world(None);
    let scan = page_bytes(MediaType::Jpeg, 5000, 4);
    let page = page_of(MediaType::Jpeg, &scan);
    let unknown = sha256_hex(b"a page nobody listed");
    w.case_with_copy("gaya-c1", DocumentKind::Fir, std::slice::from_ref(&page))
        .await;
    let get = format!("/api/v1/attachments/{}", page.hash);
    // Not uploaded yet: nobody gets it.
    assert_eq!(
        w.get(&w.fw.token, &get, None).await.0,
        StatusCode::NOT_FOUND
    );
    // Another block's fieldworker, a CWC member (who writes nothing): 404, like a page nobody
    // listed; a hash that is no hash too.
    for token in [&w.atri.token, &w.cwc.token, &w.cwc_patna.token] {
        let (s, _) = w.put(token, &page.hash, 0, scan.clone()).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        w.put(&w.fw.token, &unknown, 0, scan.clone()).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.put(&w.fw.token, "not-a-hash", 0, scan.clone()).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.put("nobody.secret", &page.hash, 0, scan.clone()).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(w.stored().await, (0, 0));
    let (s, body) = w.upload(&w.fw.token, &scan).await;
    assert_eq!((s, status(&body).2), (StatusCode::OK, true));

    // Reading: the holder and a CWC member of the district; not another block's fieldworker,
    // not another district's CWC member (404 for the bytes and the status alike).
    for (token, want) in [
        (&w.fw.token, StatusCode::OK),
        (&w.cwc.token, StatusCode::OK),
        (&w.atri.token, StatusCode::NOT_FOUND),
        (&w.cwc_patna.token, StatusCode::NOT_FOUND),
    ] {
        let (s, _, body) = w.get(token, &get, None).await;
        assert_eq!(s, want);
        if s == StatusCode::OK {
            assert_eq!(body, scan);
        }
        let (s, _, _) = w.get(token, &format!("{get}/status"), None).await;
        assert_eq!(s, want);
    }
    let audited = w.audited("copy-download", "gaya-c1").await;
    let mut who: Vec<&str> = audited.iter().map(|(u, _)| u.as_str()).collect();
    who.sort_unstable();
    assert_eq!(who, ["cwc", "fw"], "each download audited, no refused one");
    assert!(audited.iter().all(|(_, h)| *h == page.hash));
}

#[tokio::test]
async fn a_push_whose_copies_break_the_programmes_limits_is_refused_by_name() {
    let w = world(None);
    w.state
        .with_store(|s| s.set_programme("admin", "[attachments]\nmax_file_kb = 10\n"))
        .await
        .expect("a programme");
    let big = page_bytes(MediaType::Jpeg, 20 * 1024, 5);
    let mut doc = register("gaya-c1", "Copy Child", "Tekari", w.actor(), &w.fw.author);
    attach(
        &mut doc,
        &w.fw.author,
        "c1-copy",
        DocumentKind::Fir,
        &[page_of(MediaType::Jpeg, &big)],
    );
    let changes = doc
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let req = SyncRequest {
        bundle_seen: 0,
        cursor: Cursor::Start,
        budget: 65536,
        reference_version: 0,
        resources_version: 0,
        push: vec![CasePush {
            case_id: "gaya-c1".into(),
            changes,
        }],
        spot_check_outcomes: Vec::new(),
    };
    let resp = router(w.state.clone())
        .oneshot(
            Request::post("/api/v1/sync")
                .header(header::CONTENT_TYPE, wire::CONTENT_TYPE)
                .header(header::AUTHORIZATION, format!("Bearer {}", w.fw.token))
                .body(Body::from(wire::encode(&req)))
                .expect("a request"),
        )
        .await
        .expect("answers");
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.headers()["homeward-refused-case"], "gaya-c1");
    let body = to_bytes(resp.into_body(), 1 << 20).await.expect("a body");
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("10240"), "the limit is named: {body}");
    let stats = w.state.with_store(|s| s.stats()).await.expect("stats");
    assert_eq!(stats.cases, 0, "nothing stored");
    // Within the limit, the same case is taken.
    let mut doc = register("gaya-c1", "Copy Child", "Tekari", w.actor(), &w.fw.author);
    let small = page_bytes(MediaType::Jpeg, 5 * 1024, 6);
    attach(
        &mut doc,
        &w.fw.author,
        "c1-copy",
        DocumentKind::Fir,
        &[page_of(MediaType::Jpeg, &small)],
    );
    w.push_all("gaya-c1", &mut doc).await.expect("stored");
}

#[tokio::test]
async fn a_fieldworkers_phone_may_not_verify_a_copy_or_confirm_its_withdrawal() {
    let w = world(None);
    let scan = page_bytes(MediaType::Jpeg, 3000, 7);
    let page = page_of(MediaType::Jpeg, &scan);
    let mut doc = w
        .case_with_copy("gaya-c1", DocumentKind::Fir, std::slice::from_ref(&page))
        .await;
    let mut verified = doc.fork().with_actor(w.actor());
    apply(
        &mut verified,
        &w.fw.author,
        d("2026-07-06"),
        &Edit::VerifyCopy {
            id: "gaya-c1-copy".into(),
            on: d("2026-07-06"),
        },
    );
    let err = w
        .push_all("gaya-c1", &mut verified)
        .await
        .expect_err("refused");
    assert!(err.starts_with("403"), "{err}");
    apply(
        &mut doc,
        &w.fw.author,
        d("2026-07-06"),
        &Edit::WithdrawAttachment {
            id: "gaya-c1-copy".into(),
            reason: "the wrong child's paper".into(),
            on: d("2026-07-06"),
        },
    );
    w.push_all("gaya-c1", &mut doc)
        .await
        .expect("a withdrawal is hers");
    apply(
        &mut doc,
        &w.fw.author,
        d("2026-07-06"),
        &Edit::ConfirmWithdrawal {
            id: "gaya-c1-copy".into(),
        },
    );
    let err = w.push_all("gaya-c1", &mut doc).await.expect_err("refused");
    assert!(err.starts_with("403"), "{err}");
}

#[tokio::test]
async fn no_page_is_in_plain_text_in_the_database_files_when_the_key_is_set() {
    let scan = page_bytes(MediaType::Jpeg, 2 * CHUNK_BYTES + 77, 8);
    let page = page_of(MediaType::Jpeg, &scan);
    for key in [None, Some("correct horse battery")] {
        let w = world(key);
        w.case_with_copy("gaya-c1", DocumentKind::Fir, std::slice::from_ref(&page))
            .await;
        // Half an upload (chunks kept apart) and a whole one.
        let other = page_bytes(MediaType::Jpeg, 2 * CHUNK_BYTES, 9);
        let half = page_of(MediaType::Jpeg, &other);
        w.case_with_copy("gaya-c2", DocumentKind::Fir, std::slice::from_ref(&half))
            .await;
        assert_eq!(
            w.put(&w.fw.token, &half.hash, 0, other[..CHUNK_BYTES].to_vec())
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(w.upload(&w.fw.token, &scan).await.0, StatusCode::OK);
        let dir = w.tmp.path().to_owned();
        let found = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| std::fs::read(e.expect("entry").path()).expect("read"))
            .any(|bytes| bytes.windows(PATTERN.len()).any(|win| win == PATTERN));
        // Without a key the pattern is there (the search can find it); with one, nowhere.
        assert_eq!(found, key.is_none(), "key {key:?}");
    }
}

/// A chunk whose body stops after `arrived` bytes: the link lost mid-chunk, or the phone
/// stopping the chunk to send a visit first.
fn cut_body(bytes: &[u8]) -> Body {
    let frames: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(bytes.to_vec()),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "the link was cut",
        )),
    ];
    Body::from_stream(futures_util::stream::iter(frames))
}

#[tokio::test]
async fn a_chunk_cut_mid_way_keeps_what_arrived_and_the_phone_resumes_after_it() {
    let w = world(None);
    let scan = page_bytes(MediaType::Png, CHUNK_BYTES + 5_000, 7);
    let page = page_of(MediaType::Png, &scan);
    let size = u64::try_from(scan.len()).expect("small");
    w.case_with_copy("gaya-c1", DocumentKind::Fir, std::slice::from_ref(&page))
        .await;
    let req = |offset: usize, body: Body| {
        Request::put(format!("/api/v1/attachments/{}?offset={offset}", page.hash))
            .header(header::AUTHORIZATION, format!("Bearer {}", w.fw.token))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(body)
            .expect("a request")
    };
    // 10,000 bytes of a 32 KB chunk arrive, then the link goes.
    // (Its answer never reaches the phone; what counts is what the server holds.)
    w.send(req(0, cut_body(&scan[..10_000]))).await;
    let uri = format!("/api/v1/attachments/{}/status", page.hash);
    let (_, _, body) = w.get(&w.fw.token, &uri, None).await;
    assert_eq!(
        status(&String::from_utf8_lossy(&body)),
        (10_000, size, false),
        "the bytes that arrived are kept"
    );
    // The phone sends the chunk again from 0: told to resume at 10,000, it sends the rest once.
    let (s, body) = w
        .put(&w.fw.token, &page.hash, 0, scan[..CHUNK_BYTES].to_vec())
        .await;
    assert_eq!((s, status(&body).0), (StatusCode::CONFLICT, 10_000));
    let (s, body) = w
        .put(&w.fw.token, &page.hash, 10_000, scan[10_000..].to_vec())
        .await;
    assert_eq!((s, status(&body)), (StatusCode::OK, (size, size, true)));
    let (_, _, got) = w
        .get(
            &w.fw.token,
            &format!("/api/v1/attachments/{}", page.hash),
            None,
        )
        .await;
    assert_eq!(got, scan, "the page is whole and right");
    // A body cut before any byte takes nothing.
    let other = page_bytes(MediaType::Png, 2_000, 8);
    let other_page = page_of(MediaType::Png, &other);
    w.case_with_copy(
        "gaya-c2",
        DocumentKind::Fir,
        std::slice::from_ref(&other_page),
    )
    .await;
    let empty = Request::put(format!("/api/v1/attachments/{}?offset=0", other_page.hash))
        .header(header::AUTHORIZATION, format!("Bearer {}", w.fw.token))
        .body(cut_body(&[]))
        .expect("a request");
    let (s, _, _) = w.send(empty).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
