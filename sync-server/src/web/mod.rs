//! The Core Team's and the CWC's dashboard, cut the way axum's own examples are:
//!
//! - one module per page (or group of one page's forms): [`overview`], [`cases`] (the caseload),
//!   [`case`], [`copies`] (a case's copies of documents: bytes, viewer, a supervisor's forms),
//!   [`reports`] (report links, downloads and the audit search), [`gaps`], [`spot_checks`],
//!   [`conflicts`], [`reviews`], [`duplicates`], [`moves`], [`people`] (users, phones, who
//!   follows a case), [`programme`], [`resources`] (the resource map);
//! - what they share, apart: [`auth`] (the session and the role extractors `Staff`,
//!   `Supervisor`, `Admin`), [`ui`] (the page's language), [`html`] (the layout, notices,
//!   addresses), [`figures`] (the numbers, pure functions of cases), [`charts`] (inline SVG) and
//!   [`guard`] (the middleware on every route: origin checks, login limits, security headers);
//! - pages never import each other; a page loads what it shows through the store on a blocking
//!   thread ([`crate::AppState::with_store`]), computes with [`figures`] or `shared`, and renders
//!   with maud outside the store's lock.
//!
//! Scope: a district, block or case outside the user's areas answers 404 like a missing one
//! ([`crate::scope`]); every case view and download is written to the audit log.

pub mod auth;
pub mod bundles;
pub mod case;
pub mod cases;
pub mod charts;
pub mod conflicts;
pub mod copies;
pub mod duplicates;
pub mod figures;
pub mod gaps;
pub mod guard;
pub mod html;
pub mod moves;
pub mod overview;
pub mod people;
pub mod programme;
pub mod reports;
pub mod resources;
pub mod reviews;
pub mod spot_checks;
pub mod ui;

use homeward_shared::model::Case;

use crate::error::ApiError;
use crate::store::{Store, WebUser};

/// The cases in the user's areas (see [`crate::scope::reach`]), from their summary rows.
pub fn scoped_cases(store: &Store, user: &WebUser) -> Result<Vec<Case>, ApiError> {
    store.cases_in(&crate::scope::reach(user))
}
