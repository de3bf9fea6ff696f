//! The page's language. `?lang=hi` or `?lang=en` on any page chooses it and [`remember`] keeps
//! it in the `hw_lang` cookie for the rest of the session (until the browser closes);
//! otherwise the cookie decides, then the browser's `Accept-Language` (the first of Hindi and
//! English it names, by its weights), then English. The words come from the same catalogues as
//! the field app (`shared/locales`): the dashboard's own are in `web.en.ftl` and `web.hi.ftl`.
//!
//! A download's own `lang` (the CWC report's, the gaps CSV's) is the language of the file, not
//! of the dashboard: [`remember`] sets the cookie only on an HTML page.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use homeward_shared::i18n::{Catalogue, Lang};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::web::auth::cookie;

/// The language cookie's name.
pub const LANG_COOKIE: &str = "hw_lang";

/// The `lang` query parameter every page takes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// `en` or `hi`: the dashboard's language from this page on (kept for the session). An
    /// unknown value is ignored.
    #[param(schema_with = crate::api_doc::lang)]
    pub lang: Option<String>,
}

/// The request's language and address (for the language switch).
#[derive(Debug, Clone)]
pub struct Ui {
    /// The language of the page.
    pub lang: Lang,
    /// The path asked for, without the query.
    pub path: String,
    /// The query's pairs, `lang` left out, as they came (still percent-encoded).
    pub query: Vec<(String, String)>,
}

impl Ui {
    /// The language of a request (see the module's documentation).
    pub fn of(parts: &Parts) -> Ui {
        let query: Vec<(String, String)> = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let asked = query
            .iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| v.parse::<Lang>().ok());
        let lang = asked
            .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(|v| v.parse().ok()))
            .or_else(|| accepted(&parts.headers))
            .unwrap_or(Lang::En);
        Ui {
            lang,
            path: parts.uri.path().to_owned(),
            query: query.into_iter().filter(|(k, _)| k != "lang").collect(),
        }
    }

    /// The page's words. (A catalogue is made per page: it is not `Send`, so it lives in the
    /// synchronous rendering only.)
    pub fn catalogue(&self) -> Catalogue {
        Catalogue::new(self.lang)
    }

    /// This page's address in `lang`.
    pub fn switch_to(&self, lang: Lang) -> String {
        let mut url = self.path.clone();
        url.push('?');
        for (k, v) in &self.query {
            url.push_str(k);
            url.push('=');
            url.push_str(v);
            url.push('&');
        }
        url.push_str("lang=");
        url.push_str(lang.code());
        url
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ui::of(parts))
    }
}

/// The first of Hindi and English in `Accept-Language`, by weight (`hi-IN,hi;q=0.9,en;q=0.8`
/// gives Hindi); none when it names neither.
pub fn accepted(headers: &HeaderMap) -> Option<Lang> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut best: Option<(f32, Lang)> = None;
    for item in value.split(',') {
        let mut parts = item.trim().split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        let Ok(lang) = primary.parse::<Lang>() else {
            continue;
        };
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if weight > 0.0 && best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, lang));
        }
    }
    best.map(|(_, l)| l)
}

/// The middleware that keeps a page's `?lang=` for the session: the answer to an HTML page
/// asked for with a known `lang` sets the `hw_lang` cookie (a session cookie, `SameSite=Lax`
/// so a link from a report mail keeps it). Downloads are left alone.
pub async fn remember(req: Request, next: Next) -> Response {
    let asked = req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|p| p.strip_prefix("lang="))
            .find_map(|v| v.parse::<Lang>().ok())
    });
    let mut resp = next.run(req).await;
    let html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let (Some(lang), true) = (asked, html)
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; SameSite=Lax; Path=/",
            lang.code()
        ))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept).expect("ascii"),
        );
        h
    }

    #[test]
    fn accept_language_chooses_by_weight_among_the_two_languages() {
        let cases = [
            ("hi-IN,hi;q=0.9,en;q=0.8", Some(Lang::Hi)),
            ("en-GB,en;q=0.9,hi;q=0.8", Some(Lang::En)),
            ("en;q=0.5,hi;q=0.7", Some(Lang::Hi)),
            ("fr-FR,de;q=0.8", None),
            ("fr,hi;q=0.1", Some(Lang::Hi)),
            ("hi;q=0,en;q=0.2", Some(Lang::En)),
            ("", None),
        ];
        for (header, want) in cases {
            assert_eq!(accepted(&with(header)), want, "{header}");
        }
    }

    fn parts(uri: &str, cookie: Option<&str>, accept: Option<&str>) -> Parts {
        let mut b = axum::http::Request::builder().uri(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        if let Some(a) = accept {
            b = b.header(header::ACCEPT_LANGUAGE, a);
        }
        b.body(()).expect("request").into_parts().0
    }

    #[test]
    fn the_query_wins_then_the_cookie_then_the_browser_then_english() {
        let hi = Some("hi");
        let cases = [
            ("/?lang=hi", Some("hw_lang=en"), Some("en"), Lang::Hi),
            ("/?lang=xx", Some("hw_lang=hi"), None, Lang::Hi),
            ("/", Some("a=b; hw_lang=hi"), Some("en"), Lang::Hi),
            ("/", None, hi, Lang::Hi),
            ("/", None, None, Lang::En),
        ];
        for (uri, cookie, accept, want) in cases {
            assert_eq!(Ui::of(&parts(uri, cookie, accept)).lang, want, "{uri}");
        }
    }

    #[test]
    fn the_switch_keeps_the_rest_of_the_query() {
        let ui = Ui::of(&parts("/cases?q=Ram&lang=en&page=2", None, None));
        assert_eq!(ui.switch_to(Lang::Hi), "/cases?q=Ram&page=2&lang=hi");
    }
}
