//! The Homeward sync server.
//!
//! It carries case documents between devices in one HTTP round trip (`POST /api/v1/sync`),
//! checks every pushed change against the sender's scope before storing any of a request, and
//! serves the Core Team and CWC dashboard ([`dashboard`]: login, overview, the CWC report). It depends on
//! `homeward-shared` for the domain and the wire format, and never on the field app.
//!
//! Entry points: [`router`] builds the axum router over an [`AppState`]; [`serve`] runs it on a
//! listener until a shutdown future resolves. The `homeward-sync-server` binary is a thin
//! command line over these and [`store::Store`].

pub mod case_page;
pub mod charts;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod limits;
pub mod oversight;
pub mod report;
pub mod scope;
pub mod store;
pub mod web_guard;

use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use homeward_shared::wire::{self, SyncRequest};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;

pub use error::ApiError;
use store::Store;

/// Today in India Standard Time, from the system clock (the server's edge; `shared` reads none).
pub fn today() -> chrono::NaiveDate {
    homeward_shared::model::field_date(chrono::DateTime::<chrono::Utc>::from(
        std::time::SystemTime::now(),
    ))
}

/// The OpenAPI document of the HTTP API.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// Largest request body accepted (a first push of a big caseload fits comfortably).
pub const MAX_REQUEST: usize = 16 * 1024 * 1024;

/// Shared state: the store behind a mutex, used from blocking threads only.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Arc<Mutex<Store>>,
}

impl AppState {
    /// Wraps an open store.
    pub fn new(store: Store) -> AppState {
        AppState {
            store: Arc::new(Mutex::new(store)),
        }
    }

    /// Runs `f` on the store on a blocking thread (SQLite and Automerge work never runs on the
    /// async runtime's threads).
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = store
                .lock()
                .map_err(|_| ApiError::Internal("store lock poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
    }
}

/// The HTTP routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/enrol", post(enrol))
        .route("/api/v1/sync", post(sync))
        .route("/", get(dashboard::overview))
        .route("/login", get(dashboard::login_page).post(dashboard::login))
        .route("/logout", post(dashboard::logout))
        .route("/reports/cwc", get(dashboard::cwc_report))
        .route("/reports", get(oversight::reports))
        .route("/reports/gaps", get(oversight::gaps))
        .route("/audit", get(oversight::audit))
        .route("/cases/{id}", get(case_page::case))
        .route(
            "/conflicts",
            get(dashboard::conflicts).post(dashboard::resolve_conflict),
        )
        .route("/reviews", get(dashboard::reviews).post(dashboard::review))
        .route("/spot-checks", get(dashboard::spot_checks))
        .route("/spot-checks/draw", post(dashboard::draw_spot_checks))
        .route("/spot-checks/{id}", post(dashboard::record_spot_check))
        .layer(DefaultBodyLimit::max(MAX_REQUEST))
        .layer(axum::middleware::from_fn_with_state(
            web_guard::Guard::default(),
            web_guard::check,
        ))
        .with_state(state)
}

/// Serves `state` on `listener` until `shutdown` resolves; in-flight requests finish first.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn healthz() -> &'static str {
    "ok"
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// What a device sends to enrol.
#[derive(Debug, Deserialize, Serialize)]
pub struct EnrolRequest {
    /// The one-time code.
    pub code: String,
    /// The device installation's Automerge actor id, hex.
    pub actor: String,
    /// A name for the device (shown in `device list`).
    #[serde(default)]
    pub name: String,
}

async fn enrol(
    State(state): State<AppState>,
    Json(req): Json<EnrolRequest>,
) -> Result<Json<store::Enrolled>, ApiError> {
    let actor =
        hex::decode(&req.actor).map_err(|_| ApiError::BadRequest("actor must be hex".into()))?;
    let name = if req.name.trim().is_empty() {
        "device".to_owned()
    } else {
        req.name.trim().to_owned()
    };
    let enrolled = state
        .with_store(move |s| s.enrol(&req.code, &actor, &name))
        .await?;
    tracing::info!(device = %enrolled.device_id, user = %enrolled.user_id, "device enrolled");
    Ok(Json(enrolled))
}

fn bearer(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Unauthorized("missing bearer token".into()))
}

async fn sync(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let token = bearer(&headers)?;
    let req: SyncRequest = wire::decode(&body).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let pushed: usize = req.push.iter().map(|p| p.changes.len()).sum();
    let resp = state
        .with_store(move |s| {
            let device = s.authenticate(&token)?;
            s.sync(&device, &req)
        })
        .await?;
    tracing::debug!(
        pushed,
        pulled = resp.changes.len(),
        documents = resp.documents.len(),
        "sync"
    );
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, wire::CONTENT_TYPE)],
        wire::encode(&resp),
    )
        .into_response())
}
