//! What every page shares: the layout (one inline stylesheet, the header with the navigation,
//! the language switch and logout), the notices a refused form comes back with, and small
//! helpers for addresses. Pages are written with maud's `html!`, which escapes every value
//! unless it is marked `PreEscaped` (only the SVG charts are).

use axum::response::{Html, IntoResponse, Redirect, Response};
use homeward_shared::i18n::{Catalogue, Lang};
use maud::{DOCTYPE, Markup, html};

use crate::limits;
use crate::scope;
use crate::store::{Role, WebUser};
use crate::web::ui::Ui;

/// The dashboard's one stylesheet, inline in every page; the Content-Security-Policy allows it
/// by its hash ([`crate::web::guard`]) and no other style.
pub(crate) const STYLE: &str = "body{font-family:'Noto Sans','Noto Sans Devanagari',sans-serif;margin:0;color:#111;background:#f6f6f4}
header{background:#1f4e3d;color:#fff;padding:10px 16px;display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap}
header form{margin:0} header a{color:#fff} .hint{color:#555;font-size:14px} form.outcome{display:flex;gap:4px;flex-wrap:wrap} form.conflict{background:#fff;border:1px solid #bbb;padding:8px 12px;margin:12px 0} label.choice{display:block;margin:6px 0} form.review{background:#fff;border:1px solid #bbb;padding:8px 12px;margin:12px 0} main{padding:16px;max-width:1100px} h1{font-size:20px} h2{font-size:17px;margin-top:24px}
table{border-collapse:collapse;background:#fff} th,td{border:1px solid #bbb;padding:4px 8px;text-align:left} td.n{text-align:right}
.high{color:#a00;font-weight:bold} .err{color:#a00} button,input,select{font-size:16px;padding:6px}
form.login{background:#fff;padding:16px;max-width:320px;margin:40px auto;border:1px solid #bbb} form.login input{width:100%;margin:4px 0 12px}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;background:#fff;border:1px solid #bbb;padding:8px 12px;margin:8px 0} form.filters label{display:flex;flex-direction:column;font-size:14px}
nav.pages{margin:12px 0;display:flex;gap:16px} code.big{font-size:28px;letter-spacing:3px;background:#fff;padding:4px 8px;border:1px solid #bbb} .langs a[aria-current]{font-weight:bold;text-decoration:none}
#visit-charts{display:flex;flex-wrap:wrap;gap:12px}
div.copy{background:#fff;border:1px solid #bbb;padding:8px 12px;margin:12px 0} div.copy h3{font-size:15px;margin:4px 0} div.thumbs{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
div.thumbs img{max-width:120px;max-height:160px;border:1px solid #bbb} img.page{max-width:100%;border:1px solid #bbb;background:#fff}";

/// A whole page: `<html lang>` in the page's language, the header (navigation for `user`, the
/// language switch) and `body`.
pub fn layout(
    ui: &Ui,
    t: &Catalogue,
    title: &str,
    user: Option<&WebUser>,
    body: Markup,
) -> Html<String> {
    let page = html! {
        (DOCTYPE)
        html lang=(ui.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width";
                title { (title) " · Homeward" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    @if let Some(u) = user {
                        span { "Homeward · " (u.name) " (" (t.get(&format!("web-role-{}", u.role.key()))) ")" }
                        (nav(t, u))
                    } @else {
                        span { "Homeward" }
                    }
                    (switch(ui))
                    @if user.is_some() {
                        form method="post" action="/logout" { button { (t.get("web-logout")) } }
                    }
                }
                (body)
            }
        }
    };
    Html(page.into_string())
}

/// The links to this page in each language, the current one marked.
fn switch(ui: &Ui) -> Markup {
    html! {
        span.langs {
            @for (i, lang) in Lang::ALL.into_iter().enumerate() {
                @if i > 0 { " · " }
                @let name = match lang { Lang::En => "English", Lang::Hi => "हिन्दी" };
                @if lang == ui.lang {
                    a href=(ui.switch_to(lang)) lang=(lang.code()) aria-current="true" { (name) }
                } @else {
                    a href=(ui.switch_to(lang)) lang=(lang.code()) { (name) }
                }
            }
        }
    }
}

/// The navigation: what the user's role may open.
fn nav(t: &Catalogue, user: &WebUser) -> Markup {
    let supervise = matches!(user.role, Role::Supervisor | Role::Admin);
    html! {
        nav {
            a href="/" { (t.get("web-nav-overview")) } " · "
            a href="/cases" { (t.get("web-nav-cases")) } " · "
            a href="/reports" { (t.get("web-nav-reports")) } " · "
            a href="/gaps" { (t.get("web-nav-gaps")) } " · "
            a href="/resources" { (t.get("web-resources-nav")) }
            @if supervise {
                " · " a href="/spot-checks" { (t.get("web-nav-spot-checks")) }
                " · " a href="/conflicts" { (t.get("web-nav-conflicts")) }
                " · " a href="/reviews" { (t.get("web-nav-reviews")) }
                " · " a href="/duplicates" { (t.get("web-nav-duplicates")) }
                " · " a href="/moves" { (t.get("web-nav-moves")) }
                " · " a href="/people" { (t.get("web-nav-people")) }
                " · " a href="/bundles" { (t.get("web-bundles-nav")) }
                " · " a href="/programme" { (t.get("web-nav-programme")) }
            }
            @if user.role == Role::Admin {
                " · " a href="/audit" { (t.get("web-nav-audit")) }
            }
        }
    }
}

/// A value for a URL's query string: letters, digits and `-_.` as they are, a space as `+`,
/// every other byte percent-encoded.
pub(crate) fn query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || b"-_.".contains(&b) => out.push(char::from(b)),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A case's page address.
pub(crate) fn case_href(id: &str) -> String {
    format!("/cases/{}", query_value(id).replace('+', "%20"))
}

/// The bytes of a page of a case's copy of a document, for `<img>` and a PDF's link
/// (`web/copies.rs`).
pub(crate) fn page_href(case_id: &str, hash: &str) -> String {
    format!("{}/pages/{}", case_href(case_id), query_value(hash))
}

/// A copy's viewer, at page `page` (from 1).
pub(crate) fn viewer_href(case_id: &str, copy: &str, page: usize) -> String {
    format!("{}?page={page}", copy_href(case_id, copy))
}

/// A copy of a document of a case: its viewer, and the start of its forms' addresses.
pub(crate) fn copy_href(case_id: &str, copy: &str) -> String {
    format!(
        "{}/copies/{}",
        case_href(case_id),
        query_value(copy).replace('+', "%20")
    )
}

/// An area as part of a file name: the district, then its blocks when the area is some of them,
/// lower case, every character but ASCII letters and digits as `-`.
pub(crate) fn file_part(area: &scope::Area) -> String {
    std::iter::once(&area.district)
        .chain(&area.blocks)
        .map(|p| {
            p.to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The query of a page with forms (conflicts, reviews).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// A notice to show after a refused form, by its code (an unknown code shows nothing).
    pub(crate) error: Option<String>,
}

/// What a page may say in its alert box after a refused form, chosen by a code in the page's
/// address (`?error=note-needed`). The address never carries the words, so a link someone
/// sends cannot make the dashboard say anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A spot-check form without an outcome.
    OutcomeNeeded,
    /// "Has issues" or "could not verify" without a note.
    NoteNeeded,
    /// A spot check recorded before.
    AlreadyRecorded,
    /// A month's sample drawn before.
    AlreadyDrawn,
    /// "A new value" chosen without one.
    ValueNeeded,
    /// A new value the field does not take.
    ValueRefused,
    /// A send-back without a comment.
    CommentNeeded,
    /// A note, comment or value over its length limit.
    TooLong,
    /// A move approved without choosing who follows the child.
    AssigneeNeeded,
    /// A move decided on a case with no move request waiting.
    NoMove,
    /// A merge asked for without ticking "they are the same child".
    SameChildUnconfirmed,
    /// A month's spot checks drawn before the month is over.
    MonthNotOver,
    /// A phone revoked without ticking that it will be wiped.
    RevokeUnconfirmed,
    /// An administrator disabling themself.
    NotYourself,
    /// A case given to a fieldworker whose areas do not hold the child's village.
    AssigneeOutside,
    /// A copy marked verified without ticking that it was compared with the original.
    CopyUnchecked,
    /// A withdrawal confirmed without ticking that the pages will be deleted.
    WithdrawalUnconfirmed,
}

impl Notice {
    /// Every notice.
    pub const ALL: [Notice; 17] = [
        Notice::OutcomeNeeded,
        Notice::NoteNeeded,
        Notice::AlreadyRecorded,
        Notice::AlreadyDrawn,
        Notice::ValueNeeded,
        Notice::ValueRefused,
        Notice::CommentNeeded,
        Notice::TooLong,
        Notice::AssigneeNeeded,
        Notice::NoMove,
        Notice::SameChildUnconfirmed,
        Notice::MonthNotOver,
        Notice::RevokeUnconfirmed,
        Notice::NotYourself,
        Notice::AssigneeOutside,
        Notice::CopyUnchecked,
        Notice::WithdrawalUnconfirmed,
    ];

    /// The code in the address (and, as `web-notice-CODE`, the message's id).
    pub fn code(self) -> &'static str {
        match self {
            Notice::OutcomeNeeded => "outcome-needed",
            Notice::NoteNeeded => "note-needed",
            Notice::AlreadyRecorded => "already-recorded",
            Notice::AlreadyDrawn => "already-drawn",
            Notice::ValueNeeded => "value-needed",
            Notice::ValueRefused => "value-refused",
            Notice::CommentNeeded => "comment-needed",
            Notice::TooLong => "too-long",
            Notice::AssigneeNeeded => "assignee-needed",
            Notice::NoMove => "no-move",
            Notice::SameChildUnconfirmed => "same-child-unconfirmed",
            Notice::MonthNotOver => "month-not-over",
            Notice::RevokeUnconfirmed => "revoke-unconfirmed",
            Notice::NotYourself => "not-yourself",
            Notice::AssigneeOutside => "assignee-outside",
            Notice::CopyUnchecked => "copy-unchecked",
            Notice::WithdrawalUnconfirmed => "withdrawal-unconfirmed",
        }
    }

    /// The words shown.
    pub fn message(self, t: &Catalogue) -> String {
        t.text(
            &format!("web-notice-{}", self.code()),
            &[
                ("note", &limits::NOTE.min(limits::COMMENT).to_string()),
                ("value", &limits::VALUE.to_string()),
            ],
        )
    }

    /// The alert box for the code in a page's address; nothing for an unknown code.
    pub fn alert(code: Option<&str>, t: &Catalogue) -> Markup {
        let notice = Notice::ALL.into_iter().find(|n| Some(n.code()) == code);
        html! {
            @if let Some(n) = notice { p.err role="alert" { (n.message(t)) } }
        }
    }
}

/// A redirect to `path` (which may carry a query already), with `notice` shown there.
pub(crate) fn redirect_with(path: &str, notice: Option<Notice>) -> Response {
    let mut url = path.to_owned();
    if let Some(n) = notice {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str("error=");
        url.push_str(n.code());
    }
    Redirect::to(&url).into_response()
}

/// What an urgent SMS reported (issue 14), in the page's language: a summons with the day it
/// was received and its hearing, or an incident with its day and whether the police know.
pub(crate) fn urgent_event(t: &Catalogue, event: &homeward_shared::sms::UrgentEvent) -> String {
    use homeward_shared::sms::UrgentEvent;
    match event {
        UrgentEvent::Summons {
            received_on,
            hearing_on,
        } => t.text(
            "web-urgent-summons",
            &[
                ("received", &t.date(*received_on)),
                ("hearing", &t.date(*hearing_on)),
            ],
        ),
        UrgentEvent::Incident {
            on,
            police_informed,
        } => t.text(
            if *police_informed {
                "web-urgent-incident"
            } else {
                "web-urgent-incident-no-police"
            },
            &[("date", &t.date(*on))],
        ),
    }
}

/// An RFC 3339 time as the dashboard shows it: `2026-11-29 13:54` (UTC).
pub(crate) fn short_time(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(query_value("Gaya"), "Gaya");
        assert_eq!(query_value("East Champaran"), "East+Champaran");
        assert_eq!(query_value("a&b=c"), "a%26b%3Dc");
        assert_eq!(query_value("गया"), "%E0%A4%97%E0%A4%AF%E0%A4%BE");
    }

    #[test]
    fn every_notice_has_words_in_both_languages() {
        for lang in Lang::ALL {
            let t = Catalogue::new(lang);
            for n in Notice::ALL {
                let m = n.message(&t);
                assert!(!m.starts_with("web-notice-"), "{lang}: {}", n.code());
            }
        }
    }
}
