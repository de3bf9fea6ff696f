//! Copies of documents on the dashboard (issue 15): the case page's "Copies of documents" (a
//! thumbnail per image page held, a PDF as a link, a page not arrived as waiting), the bytes
//! with their headers and every view audited, scope (another district's CWC member 404, a
//! fieldworker 403), the viewer, "Mark verified" (the checklist's document verified by the
//! supervisor) and "Confirm withdrawal" (the bytes dropped unless a standing copy still holds
//! them), and the CWC report's verified copies, in both languages.

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use homeward_shared::i18n::Lang;
use homeward_shared::indicators::Month;
use homeward_shared::model::{DocumentKind, DocumentState, MediaType};
use homeward_sync_server::report;
use homeward_sync_server::scope::Area;
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

use crate::attachments::{PASSWORD, World, page_bytes, page_of, world};
use crate::referrals::apply;
use crate::report::{d, rows};
use crate::{get, login};

async fn cookie(state: &AppState, user: &str) -> String {
    let (s, cookie) = login(state, user, &PASSWORD.replace(' ', "+")).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{user} logs in");
    cookie.expect("a session")
}

async fn bytes(state: &AppState, uri: &str, cookie: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let resp = router(state.clone())
        .oneshot(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("a request"),
        )
        .await
        .expect("answers");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = to_bytes(resp.into_body(), 1 << 26).await.expect("a body");
    (status, headers, body.to_vec())
}

async fn post(
    state: &AppState,
    uri: &str,
    cookie: &str,
    body: &str,
) -> (StatusCode, Option<String>) {
    let resp = router(state.clone())
        .oneshot(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .header(header::COOKIE, cookie)
                .body(Body::from(body.to_owned()))
                .expect("a request"),
        )
        .await
        .expect("answers");
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (resp.status(), location)
}

/// A case of Tekari with a copy of its FIR in three pages: a JPEG and a PDF uploaded, a PNG
/// not (yet).
struct Fir {
    jpeg: Vec<u8>,
    pdf: Vec<u8>,
    png_hash: String,
    jpeg_hash: String,
    pdf_hash: String,
}

async fn fir(w: &World) -> Fir {
    let jpeg = page_bytes(MediaType::Jpeg, 4000, 11);
    let png = page_bytes(MediaType::Png, 3000, 12);
    let pdf = page_bytes(MediaType::Pdf, 2000, 13);
    let pages = [
        page_of(MediaType::Jpeg, &jpeg),
        page_of(MediaType::Png, &png),
        page_of(MediaType::Pdf, &pdf),
    ];
    w.case_with_copy("gaya-c1", DocumentKind::Fir, &pages).await;
    assert_eq!(w.upload(&w.fw.token, &jpeg).await.0, StatusCode::OK);
    assert_eq!(w.upload(&w.fw.token, &pdf).await.0, StatusCode::OK);
    Fir {
        jpeg,
        pdf,
        jpeg_hash: pages[0].hash.clone(),
        png_hash: pages[1].hash.clone(),
        pdf_hash: pages[2].hash.clone(),
    }
}

#[tokio::test]
async fn the_case_page_shows_each_copys_pages_and_every_view_of_a_page_is_audited() {
    let w = world(None);
    let f = fir(&w).await;
    let sup = cookie(&w.state, "sup").await;
    for (lang, words) in [
        (
            "en",
            [
                "Copies of documents",
                "Page 2: waiting for the phone's upload",
                "PDF, page 3",
                "Mark verified",
            ],
        ),
        (
            "hi",
            [
                "दस्तावेज़ों की प्रतियाँ",
                "पन्ना 2: फ़ोन से अपलोड की प्रतीक्षा",
                "PDF, पन्ना 3",
                "सत्यापित करें",
            ],
        ),
    ] {
        let (s, page, _) = get(&w.state, &format!("/cases/gaya-c1?lang={lang}"), Some(&sup)).await;
        assert_eq!(s, StatusCode::OK);
        for word in words {
            assert!(page.contains(word), "{lang}: {word}");
        }
        assert!(page.contains(&format!(
            "<img loading=\"lazy\" src=\"/cases/gaya-c1/pages/{}\"",
            f.jpeg_hash
        )));
        assert!(page.contains(&format!("href=\"/cases/gaya-c1/pages/{}\"", f.pdf_hash)));
        assert!(
            !page.contains(&format!("/pages/{}", f.png_hash)),
            "not arrived: no link"
        );
    }
    // A CWC member of the district reads the case and its copies, without the forms.
    let cwc = cookie(&w.state, "cwc").await;
    let (s, page, _) = get(&w.state, "/cases/gaya-c1", Some(&cwc)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Copies of documents") && !page.contains("Mark verified"));

    // The bytes: the stored type, inline, never sniffed; a PDF sandboxed.
    let jpeg_uri = format!("/cases/gaya-c1/pages/{}", f.jpeg_hash);
    let (s, h, body) = bytes(&w.state, &jpeg_uri, &sup).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body, f.jpeg);
    assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(h[header::CONTENT_DISPOSITION], "inline");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let (s, h, body) = bytes(
        &w.state,
        &format!("/cases/gaya-c1/pages/{}", f.pdf_hash),
        &cwc,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body, f.pdf);
    assert_eq!(h[header::CONTENT_TYPE], "application/pdf");
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().expect("text");
    assert!(csp.starts_with("sandbox"), "{csp}");
    // Not arrived, not the case's, another district, a fieldworker: no bytes.
    let png_uri = format!("/cases/gaya-c1/pages/{}", f.png_hash);
    assert_eq!(
        bytes(&w.state, &png_uri, &sup).await.0,
        StatusCode::NOT_FOUND
    );
    let patna = cookie(&w.state, "cwc-patna").await;
    assert_eq!(
        bytes(&w.state, &jpeg_uri, &patna).await.0,
        StatusCode::NOT_FOUND
    );
    let (s, _, _) = get(&w.state, "/cases/gaya-c1", Some(&patna)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let fw = cookie(&w.state, "fw").await;
    assert_eq!(
        bytes(&w.state, &jpeg_uri, &fw).await.0,
        StatusCode::FORBIDDEN
    );
    w.case_with_copy(
        "gaya-c2",
        DocumentKind::Fir,
        &[page_of(
            MediaType::Jpeg,
            &page_bytes(MediaType::Jpeg, 100, 14),
        )],
    )
    .await;
    assert_eq!(
        bytes(
            &w.state,
            &format!("/cases/gaya-c2/pages/{}", f.jpeg_hash),
            &sup
        )
        .await
        .0,
        StatusCode::NOT_FOUND,
        "a page of another case"
    );
    // Each view shown is audited, with the hash; none refused is.
    let views = w.audited("copy-view", "gaya-c1").await;
    assert_eq!(
        views,
        [
            ("cwc".to_owned(), f.pdf_hash.clone()),
            ("sup".to_owned(), f.jpeg_hash.clone()),
        ]
    );
}

#[tokio::test]
async fn the_viewer_shows_one_page_at_a_time_with_the_previous_and_next() {
    let w = world(None);
    let f = fir(&w).await;
    let sup = cookie(&w.state, "sup").await;
    let base = "/cases/gaya-c1/copies/gaya-c1-copy";
    let (s, page, _) = get(&w.state, base, Some(&sup)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Page 1 of 3"));
    assert!(page.contains(&format!("src=\"/cases/gaya-c1/pages/{}\"", f.jpeg_hash)));
    assert!(page.contains("href=\"/cases/gaya-c1/copies/gaya-c1-copy?page=2\""));
    assert!(!page.contains("rel=\"prev\""));
    let (_, page, _) = get(&w.state, &format!("{base}?page=2&lang=hi"), Some(&sup)).await;
    assert!(page.contains("पन्ना 2 / 3"));
    assert!(page.contains("यह पन्ना फ़ोन से अपलोड की प्रतीक्षा में है।"));
    assert!(page.contains("?page=1\"") && page.contains("?page=3\""));
    let (_, page, _) = get(&w.state, &format!("{base}?page=3"), Some(&sup)).await;
    assert!(page.contains(&format!("href=\"/cases/gaya-c1/pages/{}\"", f.pdf_hash)));
    assert!(!page.contains("rel=\"next\""));
    let (s, _, _) = get(&w.state, "/cases/gaya-c1/copies/no-such-copy", Some(&sup)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let patna = cookie(&w.state, "cwc-patna").await;
    let (s, _, _) = get(&w.state, base, Some(&patna)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_supervisor_marks_a_copy_verified_and_the_checklists_document_is_verified_by_them() {
    let w = world(None);
    fir(&w).await;
    let sup = cookie(&w.state, "sup").await;
    let cwc = cookie(&w.state, "cwc").await;
    let uri = "/cases/gaya-c1/copies/gaya-c1-copy/verify";
    assert_eq!(
        post(&w.state, uri, &cwc, "confirm=yes").await.0,
        StatusCode::FORBIDDEN
    );
    let (s, to) = post(&w.state, uri, &sup, "").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(to.as_deref(), Some("/cases/gaya-c1?error=copy-unchecked"));
    let case = w.case("gaya-c1").await;
    assert!(
        case.attachments[0].verified.is_none(),
        "nothing without the tick"
    );
    let (s, to) = post(&w.state, uri, &sup, "confirm=yes").await;
    assert_eq!(
        (s, to.as_deref()),
        (StatusCode::SEE_OTHER, Some("/cases/gaya-c1#copies"))
    );
    let case = w.case("gaya-c1").await;
    let v = case.attachments[0].verified.as_ref().expect("verified");
    assert_eq!(v.by.user_id, "sup");
    assert_eq!(case.document(DocumentKind::Fir), DocumentState::Verified);
    let entry = case.documents.get(&DocumentKind::Fir).expect("an entry");
    assert_eq!(entry.by.as_ref().map(|a| a.user_id.as_str()), Some("sup"));
    assert_eq!(w.audited("copy-verify", "gaya-c1").await.len(), 1);
    let (_, page, _) = get(&w.state, "/cases/gaya-c1", Some(&sup)).await;
    assert!(page.contains("Verified against the original by Supervisor Gaya"));
    assert!(!page.contains("Mark verified"));
    // Another district's copy: 404 like a missing one.
    let (s, _) = post(
        &w.state,
        "/cases/no-such-case/copies/x/verify",
        &sup,
        "confirm=yes",
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_confirmed_withdrawal_drops_the_bytes_unless_a_standing_copy_holds_the_same_page() {
    let w = world(None);
    let scan = page_bytes(MediaType::Jpeg, 6000, 15);
    let page = page_of(MediaType::Jpeg, &scan);
    let mut one = w
        .case_with_copy("gaya-c1", DocumentKind::Fir, std::slice::from_ref(&page))
        .await;
    let mut two = w
        .case_with_copy("gaya-c2", DocumentKind::Fir, std::slice::from_ref(&page))
        .await;
    assert_eq!(w.upload(&w.fw.token, &scan).await.0, StatusCode::OK);
    let withdraw = |doc: &mut automerge::AutoCommit, id: &str| {
        apply(
            doc,
            &w.fw.author,
            d("2026-07-06"),
            &homeward_shared::edit::Edit::WithdrawAttachment {
                id: id.into(),
                reason: "the wrong child's paper".into(),
                on: d("2026-07-06"),
            },
        );
    };
    withdraw(&mut one, "gaya-c1-copy");
    w.push_all("gaya-c1", &mut one).await.expect("stored");
    let sup = cookie(&w.state, "sup").await;
    let (_, html, _) = get(&w.state, "/cases/gaya-c1", Some(&sup)).await;
    assert!(html.contains("Withdrawn on 6 July 2026 by Meena Kumari: the wrong child's paper"));
    assert!(html.contains("Confirm withdrawal") && !html.contains("Mark verified"));
    assert_eq!(w.stored().await.0, 1, "kept until a supervisor confirms");
    let uri = "/cases/gaya-c1/copies/gaya-c1-copy/confirm-withdrawal";
    let (s, to) = post(&w.state, uri, &sup, "").await;
    assert_eq!(
        (s, to.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/cases/gaya-c1?error=withdrawal-unconfirmed")
        )
    );
    let (s, _) = post(&w.state, uri, &sup, "confirm=yes").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(w.stored().await.0, 1, "the second case's copy still stands");
    let (_, html, _) = get(&w.state, "/cases/gaya-c1", Some(&sup)).await;
    assert!(html.contains("Withdrawal confirmed by Supervisor Gaya"));
    assert!(!html.contains("Confirm withdrawal"));
    // A copy that was not withdrawn: nothing to confirm.
    let (s, _) = post(
        &w.state,
        "/cases/gaya-c2/copies/gaya-c2-copy/confirm-withdrawal",
        &sup,
        "confirm=yes",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    withdraw(&mut two, "gaya-c2-copy");
    w.push_all("gaya-c2", &mut two).await.expect("stored");
    assert_eq!(w.stored().await.0, 1);
    let (s, _) = post(
        &w.state,
        "/cases/gaya-c2/copies/gaya-c2-copy/confirm-withdrawal",
        &sup,
        "confirm=yes",
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        w.stored().await,
        (0, 0),
        "no standing copy holds the page: dropped"
    );
    let get_uri = format!("/api/v1/attachments/{}", page.hash);
    assert_eq!(
        w.get(&w.fw.token, &get_uri, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.audited("copy-withdrawal-confirm", "gaya-c2").await.len(),
        1
    );
}

#[tokio::test]
async fn the_cwc_report_lists_the_documents_with_a_verified_copy_in_both_languages() {
    let w = world(None);
    fir(&w).await;
    let sup = cookie(&w.state, "sup").await;
    let (s, _) = post(
        &w.state,
        "/cases/gaya-c1/copies/gaya-c1-copy/verify",
        &sup,
        "confirm=yes",
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let today = homeward_sync_server::today();
    let cwc = w
        .state
        .with_store(move |s| report::cwc(s, &Area::whole("Gaya"), Month::of(today), today))
        .await
        .expect("the report");
    let day = |lang| homeward_shared::i18n::Catalogue::new(lang).date(today);
    for (lang, kind, document, by) in [
        (
            Lang::En,
            "verified copy",
            "police report (FIR)",
            "verified by Supervisor Gaya",
        ),
        (
            Lang::Hi,
            "सत्यापित प्रति",
            "",
            "Supervisor Gaya द्वारा सत्यापित",
        ),
    ] {
        let csv = rows(&report::csv(&cwc, lang).expect("csv"));
        let copy: Vec<&Vec<String>> = csv
            .iter()
            .filter(|r| r.contains(&kind.to_owned()))
            .collect();
        assert_eq!(copy.len(), 1, "{lang:?}: one row");
        let row = copy[0];
        assert_eq!(row.len(), report::CSV_COLUMNS.len());
        assert_eq!(row[0], "gaya-c1");
        if !document.is_empty() {
            assert_eq!(row[13], document);
        }
        assert_eq!(row[14], by);
        assert_eq!(row[15], day(lang));
        let html = report::html(&cwc, &Area::whole("Gaya"), lang, today);
        let words = if lang == Lang::En {
            "Verified copies"
        } else {
            "सत्यापित प्रतियाँ"
        };
        assert!(html.contains(words), "{lang:?}");
    }
    // The CSV from the dashboard carries it too.
    let uri = format!(
        "/reports/cwc?district=Gaya&month={}&format=csv&lang=en",
        Month::of(today)
    );
    let (s, csv, _) = get(&w.state, &uri, Some(&sup)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(csv.contains("verified copy"));
}

impl World {
    pub(crate) async fn case(&self, id: &str) -> homeward_shared::model::Case {
        let id = id.to_owned();
        self.state
            .with_store(move |s| s.cases(Some("Gaya")))
            .await
            .expect("cases")
            .into_iter()
            .find(|c| c.id == id)
            .expect("the case")
    }
}

#[tokio::test]
async fn the_demo_shows_copies_verified_withdrawn_and_waiting() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(crate::demo_store(&tmp));
    let cases = state.with_store(|s| s.cases(None)).await.expect("cases");
    let with: Vec<_> = cases.iter().filter(|c| !c.attachments.is_empty()).collect();
    assert_eq!(with.len(), 3, "three cases with copies");
    let copies: Vec<_> = with.iter().flat_map(|c| &c.attachments).collect();
    assert!(copies.iter().any(|a| a.verified.is_some()));
    assert!(copies.iter().any(|a| a.withdrawn.is_some()));
    assert!(
        copies
            .iter()
            .any(|a| a.pages.iter().any(|p| p.media_type == MediaType::Pdf))
    );
    // Four distinct pages arrived (the withdrawn photo is the FIR's first page), one did not.
    let (pages, _) = state
        .with_store(|s| s.stored_pages())
        .await
        .expect("counts");
    assert_eq!(pages, 4);
    let verified = with
        .iter()
        .find(|c| c.attachments.iter().any(|a| a.verified.is_some()))
        .expect("a verified copy");
    assert_eq!(
        verified.document(DocumentKind::Fir),
        DocumentState::Verified
    );
    let district = verified.child.address.district.to_lowercase();
    let (_, sup) = login(&state, &format!("supervisor-{district}"), "demo").await;
    let sup = sup.expect("a session");
    let (s, page, _) = get(&state, &format!("/cases/{}", verified.id), Some(&sup)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<img loading=\"lazy\""));
    let waiting = with
        .iter()
        .find(|c| {
            c.attachments
                .iter()
                .any(|a| a.kind == DocumentKind::BankAccount)
        })
        .expect("the passbook");
    let (_, page, _) = get(&state, &format!("/cases/{}", waiting.id), Some(&sup)).await;
    assert!(page.contains("Page 2: waiting for the phone's upload"));
}

#[tokio::test]
async fn a_page_whose_withdrawal_was_confirmed_leaves_the_database_files() {
    let w = world(None);
    let scan = page_bytes(MediaType::Jpeg, 40_000, 16);
    let page = page_of(MediaType::Jpeg, &scan);
    let mut doc = w
        .case_with_copy("gaya-c1", DocumentKind::Fir, std::slice::from_ref(&page))
        .await;
    assert_eq!(w.upload(&w.fw.token, &scan).await.0, StatusCode::OK);
    apply(
        &mut doc,
        &w.fw.author,
        d("2026-07-06"),
        &homeward_shared::edit::Edit::WithdrawAttachment {
            id: "gaya-c1-copy".into(),
            reason: "the wrong child's paper".into(),
            on: d("2026-07-06"),
        },
    );
    w.push_all("gaya-c1", &mut doc).await.expect("stored");
    let sup = cookie(&w.state, "sup").await;
    let uri = "/cases/gaya-c1/copies/gaya-c1-copy/confirm-withdrawal";
    assert_eq!(
        post(&w.state, uri, &sup, "confirm=yes").await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(w.stored().await, (0, 0));
    // The server stops: its last connection checkpoints the WAL into the file.
    let World { tmp, state, .. } = w;
    drop(state);
    let pattern = crate::attachments::PATTERN;
    for entry in std::fs::read_dir(tmp.path()).expect("dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        assert!(
            !bytes.windows(pattern.len()).any(|win| win == pattern),
            "a page's bytes are left in {}",
            path.display()
        );
    }
}
