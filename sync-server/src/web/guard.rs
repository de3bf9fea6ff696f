//! The dashboard's guard: a middleware layered on every route by [`crate::router`], which lets
//! the device API (`/api/*`: bearer tokens, no cookies, not a form) through untouched and, for
//! the dashboard:
//!
//! - refuses a state-changing request (any method but GET, HEAD and OPTIONS; login and logout
//!   included) sent from another origin. `SameSite=Strict` does not stop a page on another port
//!   of the same host (the same *site*), so the browser's own word is checked, as Go's
//!   `http.CrossOriginProtection` does: when the browser sends `Sec-Fetch-Site` (every current
//!   one does), it must be `same-origin` (or `none`, a request the user made by hand); without
//!   it, `Origin`, when sent, must be the request's own `scheme://host:port` as its `Host`
//!   header names it. A request with neither header is not a browser's form (browsers send
//!   `Origin` with every cross-origin POST): it is let through. `Referrer-Policy: same-origin`
//!   keeps `Origin` real on the dashboard's own forms (under `no-referrer` Chromium sends
//!   `Origin: null`). Behind a reverse proxy, the proxy must pass the browser's `Host` on
//!   (nginx: `proxy_set_header Host $http_host`, which keeps the port; `$host` drops it) for
//!   browsers that send no `Sec-Fetch-Site`.
//! - bounds a form's body to [`limits::FORM_BODY`] (413 beyond);
//! - limits failed logins per client address and overall ([`LOGINS_PER_CLIENT`] and
//!   [`LOGINS_OVERALL`] a minute): once a limit is reached, every login is answered 429 with
//!   `Retry-After` until the minute is over, before any password is checked. Successful logins
//!   are not counted, so an office behind one address is not locked out by its own staff. The
//!   address is the connection's (`ConnectInfo`, which the serve loop must provide); a request
//!   without one (in-process tests, a server started without connection info) counts toward
//!   the overall limit only. Behind a reverse proxy every request has the proxy's address, so
//!   the per-client limit acts as a second, lower overall one. The counts live in the router (a
//!   fixed window of one minute, hand-written: a counter and a map cleared each window, on
//!   tokio's clock so tests control it), not in the database;
//! - adds the security headers to every answer: a Content-Security-Policy that allows no
//!   script, no frame, forms only to this origin, and the one inline stylesheet of
//!   [`crate::web::html`] by its hash (the charts are inline SVG and need nothing more),
//!   unless the handler set a stricter one of its own (a copy's bytes: a PDF's `sandbox`);
//!   `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`
//!   (addresses carry case ids: they never leave for another site) and `Cache-Control:
//!   no-store` (pages and downloads name children).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::time::{Duration, Instant};

use crate::limits;

/// The window login attempts are counted in.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(60);
/// Failed logins one client address may make in a window: a person mistyping a password a few
/// times stays well inside it.
pub const LOGINS_PER_CLIENT: u32 = 10;
/// Failed logins all clients together may make in a window: a programme has tens of staff, and
/// a spray of one guess over many ids from many addresses is slowed to this pace. Sessions
/// already open are not affected.
pub const LOGINS_OVERALL: u32 = 30;

/// The guard's state: the login counts of the current window.
#[derive(Debug, Clone, Default)]
pub struct Guard {
    logins: Arc<Mutex<Logins>>,
}

#[derive(Debug, Default)]
struct Logins {
    /// When the current window began (none yet: the first failure opens one).
    since: Option<Instant>,
    /// Failures in the window, all clients.
    overall: u32,
    /// Failures in the window per known client address. Logins are refused once the limits
    /// are reached, so the map holds about [`LOGINS_OVERALL`] entries at most (a few more when
    /// failures race).
    per_client: HashMap<IpAddr, u32>,
}

impl Logins {
    /// The start of the window `now` falls in; an older window is forgotten.
    fn window(&mut self, now: Instant) -> Instant {
        match self.since {
            Some(s) if now.duration_since(s) < LOGIN_WINDOW => s,
            _ => {
                self.overall = 0;
                self.per_client.clear();
                self.since = Some(now);
                now
            }
        }
    }

    /// How long `client` must wait before trying to log in, if a limit is reached.
    fn wait(&mut self, client: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let since = self.window(now);
        let mine = client.map_or(0, |c| self.per_client.get(&c).copied().unwrap_or(0));
        (mine >= LOGINS_PER_CLIENT || self.overall >= LOGINS_OVERALL)
            .then(|| LOGIN_WINDOW.saturating_sub(now.duration_since(since)))
    }

    /// Counts a failed login of `client` (of an unknown address: toward the overall limit only).
    fn failed(&mut self, client: Option<IpAddr>, now: Instant) {
        self.window(now);
        self.overall += 1;
        if let Some(c) = client {
            *self.per_client.entry(c).or_default() += 1;
        }
    }
}

/// The middleware (see the module's documentation).
pub async fn check(State(guard): State<Guard>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let mut resp = if changes_state(req.method()) {
        change(&guard, req, next).await
    } else {
        next.run(req).await
    };
    secure(resp.headers_mut());
    resp
}

/// A state-changing request: refused from another origin, its body bounded, and for a login,
/// refused while its client (or everyone) has failed too often; a failure is counted.
async fn change(guard: &Guard, req: Request, next: Next) -> Response {
    if let Err(why) = same_origin(req.headers()) {
        return (StatusCode::FORBIDDEN, why).into_response();
    }
    let (parts, body) = req.into_parts();
    // A sealed file uploaded on /bundles is no typed form: it takes what a bundle may.
    let limit = if parts.uri.path() == "/bundles/import" {
        crate::bundles::MAX_BUNDLE
    } else {
        limits::FORM_BODY
    };
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "this form is larger than {} KiB: shorten what was typed",
                limits::FORM_BODY / 1024
            ),
        )
            .into_response();
    };
    let login = parts.uri.path() == "/login";
    let client = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if login && let Some(wait) = guard.logins(|l| l.wait(client, Instant::now())) {
        let secs = wait.as_secs().max(1);
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, HeaderValue::from(secs))],
            format!("too many failed logins: try again in {secs} seconds"),
        )
            .into_response();
    }
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if login && resp.status() == StatusCode::UNAUTHORIZED {
        guard.logins(|l| l.failed(client, Instant::now()));
    }
    resp
}

impl Guard {
    /// Runs `f` on the login counts. A poisoned lock (a panic while counting) still holds
    /// usable counts: they are used, not lost.
    fn logins<T>(&self, f: impl FnOnce(&mut Logins) -> T) -> T {
        let mut guard = self
            .logins
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a state-changing request comes from the dashboard's own pages (see the module's
/// documentation); the reason when not.
fn same_origin(headers: &HeaderMap) -> Result<(), String> {
    let refused = |what: &str| {
        Err(format!(
            "refused: {what}; use the dashboard's own pages (a form on another site or port may \
             not act for you)"
        ))
    };
    if let Some(site) = headers.get("sec-fetch-site") {
        return if matches!(site.as_bytes(), b"same-origin" | b"none") {
            Ok(())
        } else {
            refused("the form was sent from another origin (Sec-Fetch-Site)")
        };
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (origin.to_str().ok(), host) {
        (Some(origin), Some(host)) if origin_matches(origin, host) => Ok(()),
        _ => refused("the form was sent from another origin (Origin)"),
    }
}

/// Whether an `Origin` (`scheme://host[:port]`) is the origin a request with this `Host`
/// (`host[:port]`) was sent to. Scheme, host and port all count: a missing port is the
/// scheme's default (80, 443).
pub fn origin_matches(origin: &str, host: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let default = match scheme {
        "http" => ":80",
        "https" => ":443",
        _ => return false,
    };
    if authority.is_empty() || authority.contains(['/', '?', '#', '@']) {
        return false;
    }
    let norm = |a: &str| {
        let a = a.to_ascii_lowercase();
        a.strip_suffix(default)
            .map_or_else(|| a.clone(), str::to_owned)
    };
    norm(authority) == norm(host)
}

/// Adds the security headers (see the module's documentation).
fn secure(headers: &mut HeaderMap) {
    // A handler's own policy stands: a page's bytes carry a stricter one (a PDF's `sandbox`,
    // `crate::attachments::page_headers`).
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp().clone());
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The Content-Security-Policy, with the hash of the dashboard's stylesheet.
fn csp() -> &'static HeaderValue {
    static CSP: OnceLock<HeaderValue> = OnceLock::new();
    CSP.get_or_init(|| {
        use base64ct::Encoding;
        let hash = base64ct::Base64::encode_string(&Sha256::digest(crate::web::html::STYLE));
        let policy = format!(
            "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        );
        HeaderValue::from_str(&policy).unwrap_or_else(|_| {
            HeaderValue::from_static(
                "default-src 'none'; frame-ancestors 'none'; form-action 'self'",
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(origin: &str, host: &str, want: bool) {
        assert_eq!(
            origin_matches(origin, host),
            want,
            "{origin} against Host {host}"
        );
    }

    #[test]
    fn an_origin_matches_its_own_host_and_port_only() {
        check("http://127.0.0.1:8787", "127.0.0.1:8787", true);
        check("http://127.0.0.1:9999", "127.0.0.1:8787", false);
        check("http://localhost:8787", "127.0.0.1:8787", false);
        check("https://dash.example.org", "dash.example.org", true);
        check("https://dash.example.org", "dash.example.org:443", true);
        check("http://dash.example.org", "dash.example.org", true);
        check("https://dash.example.org:8443", "dash.example.org", false);
        check("http://dash.example.org:443", "dash.example.org", false);
        check("https://DASH.example.org", "dash.example.org", true);
        check("http://[::1]:8787", "[::1]:8787", true);
        check("null", "127.0.0.1:8787", false);
        check("file://", "127.0.0.1:8787", false);
        check("ftp://127.0.0.1:8787", "127.0.0.1:8787", false);
        check("http://127.0.0.1:8787/path", "127.0.0.1:8787", false);
        check("http://user@127.0.0.1:8787", "127.0.0.1:8787", false);
    }

    #[test]
    fn failures_of_unknown_addresses_count_toward_the_overall_limit_only() {
        let mut logins = Logins::default();
        let t0 = Instant::now();
        for _ in 0..=LOGINS_PER_CLIENT {
            assert_eq!(logins.wait(None, t0), None);
            logins.failed(None, t0);
        }
        assert!(logins.per_client.is_empty());
        for _ in LOGINS_PER_CLIENT + 1..LOGINS_OVERALL {
            logins.failed(None, t0);
        }
        assert!(logins.wait(None, t0).is_some(), "the overall limit");
    }

    #[test]
    fn a_window_counts_each_client_s_failures_and_all_of_them_then_starts_again() {
        let mut logins = Logins::default();
        let t0 = Instant::now();
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        for _ in 0..LOGINS_PER_CLIENT {
            assert_eq!(logins.wait(a, t0), None);
            logins.failed(a, t0);
        }
        assert_eq!(
            logins.wait(a, t0 + Duration::from_secs(20)),
            Some(Duration::from_secs(40)),
            "the rest of the window"
        );
        for i in 0..(LOGINS_OVERALL - LOGINS_PER_CLIENT) {
            let b = Some(IpAddr::from([10, 1, 0, u8::try_from(i).expect("small")]));
            assert_eq!(logins.wait(b, t0), None);
            logins.failed(b, t0);
        }
        assert!(logins.wait(None, t0).is_some(), "the overall limit");
        assert!(
            logins.wait(Some(IpAddr::from([10, 9, 9, 9])), t0).is_some(),
            "for every address"
        );
        assert!(logins.per_client.len() <= usize::try_from(LOGINS_OVERALL).expect("small"));
        assert_eq!(logins.wait(a, t0 + LOGIN_WINDOW), None, "a new window");
        assert_eq!(logins.overall, 0);
    }
}
