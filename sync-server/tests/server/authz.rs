//! The authorization matrix (issue 10, section 3): every role against every route of
//! `router()` and every sync action, with targets in the user's own block, in another block of
//! the same district and in another district, checked against one table, [`TABLE`].
//!
//! The roles are a fieldworker of one block (holding one case there), a supervisor and a CWC
//! member of the whole district, an administrator, a supervisor and a CWC member of that one
//! block, someone with no session or token at all, and a supervisor who was disabled after
//! logging in and enrolling a phone. The data are the demo's synthetic cases (several districts,
//! several blocks of Gaya), with a conflict made in each target case.
//!
//! Each cell of the table is the answer expected:
//!
//! - `200`, `401`, `403`, `404`, `410`: the status;
//! - `200+` and `200-`: a page, report or sync pull answered 200 that names (`+`) or does not
//!   name (`-`) the target's children: their names, or the target's blocks or districts as a
//!   table cell, a chart label or a CSV field. Any other status with `+` is a leak in an error
//!   answer;
//! - `303>/login`, `303>/`: a redirect to that page; `303>note-needed` and the like: a form
//!   sent back with that notice. Those forms are sent incomplete on purpose (no note, no
//!   comment, a value the field does not take), so a request that passes the role and scope
//!   checks is refused for its content and changes nothing, and the next role finds the same
//!   store;
//! - `200!note-needed`, `200!not-found`, `200!not-supervisor`: a sync round answered 200 whose
//!   spot-check outcome (again without its note) was refused for that reason.
//!
//! One answer per role means the same answer for every target. Every cell is asked and every
//! cell that differs is printed. The table's rows are compared with the routes `router()`
//! serves, the operations of the OpenAPI document it is built from: a route added without a row
//! here fails [`every_route_the_router_serves_has_a_row_in_the_table_and_no_row_is_stale`].

use super::open_store;
use std::collections::{BTreeMap, BTreeSet};

use automerge::{ActorId, AutoCommit};
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use homeward_shared::edit::{Edit, EditContext, NeedUpdate, NewAttachment, NewVisit};
use homeward_shared::indicators::Month;
use homeward_shared::model::{Author, Case, DocumentKind, MediaType, VisitKind, field_date};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::schema;
use homeward_shared::spotcheck::Outcome;
use homeward_shared::wire::{self, CasePush, Cursor, SpotCheckOutcome, SyncRequest};
use homeward_sync_server::store::{DeviceAuth, MAX_BUDGET, Put, Role, Subject, WebUser};
use homeward_sync_server::{AppState, router};
use tower::ServiceExt;

/// Whether a row's request depends on the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Per {
    /// One request per role (health, login, enrolment, the draw, the audit log).
    Once,
    /// One answer per role and target.
    Target,
}

/// A row: a route of `router()` (method and path as written there), or one sync action of
/// `POST /api/v1/sync`, and the answer of each role, one line a role (see the module's
/// documentation).
struct Row {
    method: &'static str,
    path: &'static str,
    action: &'static str,
    per: Per,
    expect: &'static str,
}

const fn row(
    method: &'static str,
    path: &'static str,
    action: &'static str,
    per: Per,
    expect: &'static str,
) -> Row {
    Row {
        method,
        path,
        action,
        per,
        expect,
    }
}

/// The table. Targets, in order: own block, other block (same district), other district.
const TABLE: &[Row] = &[
    row(
        "GET",
        "/healthz",
        "",
        Per::Once,
        "
        fieldworker       200
        supervisor        200
        cwc               200
        admin             200
        block supervisor  200
        block cwc         200
        anonymous         200
        disabled          200
        ",
    ),
    row(
        "GET",
        "/api/openapi.json",
        "",
        Per::Once,
        "
        fieldworker       200
        supervisor        200
        cwc               200
        admin             200
        block supervisor  200
        block cwc         200
        anonymous         200
        disabled          200
        ",
    ),
    // A fresh one-time code of the user's own; the anonymous caller has none, the disabled
    // user's code was made before they were disabled.
    row(
        "POST",
        "/api/v1/enrol",
        "",
        Per::Once,
        "
        fieldworker       200
        supervisor        200
        cwc               200
        admin             200
        block supervisor  200
        block cwc         200
        anonymous         401
        disabled          401
        ",
    ),
    // A device's public keys, given once (issue 14): any enrolled device's own.
    row(
        "POST",
        "/api/v1/keys",
        "",
        Per::Once,
        "
        fieldworker       200
        supervisor        200
        cwc               200
        admin             200
        block supervisor  200
        block cwc         200
        anonymous         401
        disabled          410
        ",
    ),
    // A file relayed for import: the token is checked before the body (here not a sealed
    // file, so refused as such by every device).
    row(
        "POST",
        "/api/v1/bundles",
        "",
        Per::Once,
        "
        fieldworker       422
        supervisor        422
        cwc               422
        admin             422
        block supervisor  422
        block cwc         422
        anonymous         401
        disabled          410
        ",
    ),
    // An SMS gateway's post (issue 14): no session or token opens it; a server without
    // HOMEWARD_SMS_SECRET, as here, answers 404 to everyone.
    row(
        "POST",
        "/api/v1/sms",
        "",
        Per::Once,
        "
        fieldworker       404
        supervisor        404
        cwc               404
        admin             404
        block supervisor  404
        block cwc         404
        anonymous         404
        disabled          404
        ",
    ),
    // The target case's child asked about as if registered again: named back only within the
    // device user's areas.
    row(
        "POST",
        "/api/v1/duplicates",
        "",
        Per::Target,
        "
        fieldworker       200+ 200- 200-
        supervisor        200+ 200+ 200-
        cwc               403
        admin             200+
        block supervisor  200+ 200- 200-
        block cwc         403
        anonymous         401
        disabled          410
        ",
    ),
    row(
        "POST",
        "/api/v1/sync",
        "pull from the start",
        Per::Target,
        "
        fieldworker       200+ 200- 200-
        supervisor        200+ 200+ 200-
        cwc               200+ 200+ 200-
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 200-
        block cwc         200+ 200- 200-
        anonymous         401
        disabled          410
        ",
    ),
    row(
        "POST",
        "/api/v1/sync",
        "push a new case",
        Per::Target,
        "
        fieldworker       200 403 403
        supervisor        200 200 403
        cwc               403
        admin             200
        block supervisor  200 403 403
        block cwc         403
        anonymous         401
        disabled          410
        ",
    ),
    // The fieldworker's own-block case is the one they hold.
    row(
        "POST",
        "/api/v1/sync",
        "push a change to an existing case",
        Per::Target,
        "
        fieldworker       200 403 403
        supervisor        200 200 403
        cwc               403
        admin             200
        block supervisor  200 403 403
        block cwc         403
        anonymous         401
        disabled          410
        ",
    ),
    row(
        "POST",
        "/api/v1/sync",
        "push a spot-check outcome",
        Per::Target,
        "
        fieldworker       200!not-supervisor
        supervisor        200!note-needed 200!note-needed 200!not-found
        cwc               200!not-supervisor
        admin             200!note-needed
        block supervisor  200!note-needed 200!not-found 200!not-found
        block cwc         200!not-supervisor
        anonymous         401
        disabled          410
        ",
    ),
    row(
        "GET",
        "/",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 200-
        cwc               200+ 200+ 200-
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 200-
        block cwc         200+ 200- 200-
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "GET",
        "/login",
        "",
        Per::Once,
        "
        fieldworker       200
        supervisor        200
        cwc               200
        admin             200
        block supervisor  200
        block cwc         200
        anonymous         200
        disabled          200
        ",
    ),
    // The right password (the anonymous caller: an unknown user).
    row(
        "POST",
        "/login",
        "",
        Per::Once,
        "
        fieldworker       303>/
        supervisor        303>/
        cwc               303>/
        admin             303>/
        block supervisor  303>/
        block cwc         303>/
        anonymous         401
        disabled          401
        ",
    ),
    row(
        "POST",
        "/logout",
        "",
        Per::Once,
        "
        fieldworker       303>/login
        supervisor        303>/login
        cwc               303>/login
        admin             303>/login
        block supervisor  303>/login
        block cwc         303>/login
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The CSV of last month, of the target's district.
    row(
        "GET",
        "/reports/cwc",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 404
        cwc               200+ 200+ 404
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 404
        block cwc         200+ 200- 404
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // Links and charts: only districts are named (chart labels), no block, no child.
    row(
        "GET",
        "/reports",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200- 200- 200-
        cwc               200- 200- 200-
        admin             200- 200- 200+
        block supervisor  200- 200- 200-
        block cwc         200- 200- 200-
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The gaps CSV of the target's district: counts by block, no child.
    row(
        "GET",
        "/reports/gaps",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 404
        cwc               200+ 200+ 404
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 404
        block cwc         200+ 200- 404
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "GET",
        "/audit",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        403
        cwc               403
        admin             200
        block supervisor  403
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The caseload searched for the target case: listed only inside the user's areas.
    row(
        "GET",
        "/cases",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 200-
        cwc               200+ 200+ 200-
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 200-
        block cwc         200+ 200- 200-
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "GET",
        "/cases/{id}",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 404
        cwc               200+ 200+ 404
        admin             200+ 200+ 200+
        block supervisor  200+ 404 404
        block cwc         200+ 404 404
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // Copies of documents (issue 15): the target case's copy, its one page uploaded. A PUT
    // sends the whole page again at offset 0: complete already, nothing is stored twice.
    row(
        "PUT",
        "/api/v1/attachments/{hash}",
        "",
        Per::Target,
        "
        fieldworker       200- 404 404
        supervisor        200- 200- 404
        cwc               404
        admin             200-
        block supervisor  200- 404 404
        block cwc         404
        anonymous         401
        disabled          410
        ",
    ),
    row(
        "GET",
        "/api/v1/attachments/{hash}",
        "",
        Per::Target,
        "
        fieldworker       200- 404 404
        supervisor        200- 200- 404
        cwc               200- 200- 404
        admin             200-
        block supervisor  200- 404 404
        block cwc         200- 404 404
        anonymous         401
        disabled          410
        ",
    ),
    row(
        "GET",
        "/api/v1/attachments/{hash}/status",
        "",
        Per::Target,
        "
        fieldworker       200- 404 404
        supervisor        200- 200- 404
        cwc               200- 200- 404
        admin             200-
        block supervisor  200- 404 404
        block cwc         200- 404 404
        anonymous         401
        disabled          410
        ",
    ),
    row(
        "GET",
        "/cases/{id}/pages/{hash}",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200- 200- 404
        cwc               200- 200- 404
        admin             200-
        block supervisor  200- 404 404
        block cwc         200- 404 404
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "GET",
        "/cases/{id}/copies/{copy}",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 404
        cwc               200+ 200+ 404
        admin             200+
        block supervisor  200+ 404 404
        block cwc         200+ 404 404
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // Sent without the tick: nothing changes.
    row(
        "POST",
        "/cases/{id}/copies/{copy}/verify",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        303>copy-unchecked
        cwc               403
        admin             303>copy-unchecked
        block supervisor  303>copy-unchecked
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "POST",
        "/cases/{id}/copies/{copy}/confirm-withdrawal",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        303>withdrawal-unconfirmed
        cwc               403
        admin             303>withdrawal-unconfirmed
        block supervisor  303>withdrawal-unconfirmed
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "GET",
        "/conflicts",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 200-
        cwc               403
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 200-
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The likely duplicates of the user's areas (one request per role: the page does not depend
    // on the target; its scoping and the merge are tested in sync.rs).
    row(
        "GET",
        "/duplicates",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        200
        cwc               403
        admin             200
        block supervisor  200
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The target case merged into itself: refused (nothing changes) in scope, 404 outside.
    row(
        "POST",
        "/duplicates/merge",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        422 422 404
        cwc               403
        admin             422
        block supervisor  422 404 404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The move requests of the user's areas (the demo has none, so the page is the same for
    // every target; the flow is tested in sync.rs).
    row(
        "GET",
        "/moves",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        200
        cwc               403
        admin             200
        block supervisor  200
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // A move of the target case approved without a fieldworker: the target has no move
    // request, so a case in scope answers that, one outside it 404.
    row(
        "POST",
        "/moves",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        303>no-move 303>no-move 404
        cwc               403
        admin             303>no-move
        block supervisor  303>no-move 404 404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The target case's conflict, settled with a value its field does not take.
    row(
        "POST",
        "/conflicts",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        303>value-refused 303>value-refused 404
        cwc               403
        admin             303>value-refused
        block supervisor  303>value-refused 404 404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "GET",
        "/reviews",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 200-
        cwc               403
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 200-
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // An assessment of the target's area sent back without a comment.
    row(
        "POST",
        "/reviews",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        303>comment-needed 303>comment-needed 404
        cwc               403
        admin             303>comment-needed
        block supervisor  303>comment-needed 404 404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // Last month's, the month the demo drew.
    row(
        "GET",
        "/spot-checks",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 200-
        cwc               403
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 200-
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // Last month, drawn already by the demo.
    row(
        "POST",
        "/spot-checks/draw",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        403
        cwc               403
        admin             303>already-drawn
        block supervisor  403
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The people page: the users and phones a supervisor or administrator acts on.
    row(
        "GET",
        "/people",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        200
        cwc               403
        admin             200
        block supervisor  200
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // A phone code, a revocation, a disabling and an enabling of no one: not found to those
    // who may act, refused by role to the others.
    row(
        "POST",
        "/people/code",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        404
        cwc               403
        admin             404
        block supervisor  404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "POST",
        "/people/revoke",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        404
        cwc               403
        admin             404
        block supervisor  404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "POST",
        "/people/disable",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        403
        cwc               403
        admin             404
        block supervisor  403
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "POST",
        "/people/enable",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        403
        cwc               403
        admin             404
        block supervisor  403
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // A user with a role that does not exist: the administrator's form comes back refused.
    row(
        "POST",
        "/people/add",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        403
        cwc               403
        admin             422
        block supervisor  403
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The target case given to the administrator (no fieldworker): supervisors do not act on
    // the administrator (404, as for a case outside their areas); the administrator's own form
    // comes back refused, nothing assigned.
    row(
        "POST",
        "/cases/{id}/assign",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        404
        cwc               403
        admin             303>assignee-outside
        block supervisor  404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The gaps page: counts by block, so the target's blocks show inside the user's areas.
    row(
        "GET",
        "/gaps",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 200-
        cwc               200+ 200+ 200-
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 200-
        block cwc         200+ 200- 200-
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The programme: read by supervisors, set by administrators (a file that does not read
    // is refused and changes nothing).
    row(
        "GET",
        "/programme",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        200
        cwc               403
        admin             200
        block supervisor  200
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "POST",
        "/programme",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        403
        cwc               403
        admin             422
        block supervisor  403
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // The resource map (issue 17): the list of the target's district, read by staff of the
    // district; a place outside the user's areas answers 404.
    row(
        "GET",
        "/resources",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        200+ 200+ 404
        cwc               200+ 200+ 404
        admin             200+ 200+ 200+
        block supervisor  200+ 200- 404
        block cwc         200+ 200- 404
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // A resource in the target's block without its name: refused for its content (the form
    // again, 422) where the user may add, as missing (404) outside their areas.
    row(
        "POST",
        "/resources/add",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        422 422 404
        cwc               403
        admin             422
        block supervisor  422 404 404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // A resource of the target's block changed to have no name.
    row(
        "POST",
        "/resources/{id}/edit",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        422 422 404
        cwc               403
        admin             422
        block supervisor  422 404 404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // A resource of the target's block set neither active nor inactive.
    row(
        "POST",
        "/resources/{id}/active",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        400 400 404
        cwc               403
        admin             400
        block supervisor  400 404 404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // A file with a kind that is not one: refused whole before any row's place is looked at.
    row(
        "POST",
        "/resources/import",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        422
        cwc               403
        admin             422
        block supervisor  422
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // Files carried by hand (issue 14): the page, an upload without a file (400) and a file
    // asked for a phone that is none (404), for supervisors and administrators only.
    row(
        "GET",
        "/bundles",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        200
        cwc               403
        admin             200
        block supervisor  200
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "POST",
        "/bundles/import",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        400
        cwc               403
        admin             400
        block supervisor  400
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    row(
        "POST",
        "/bundles/export",
        "",
        Per::Once,
        "
        fieldworker       403
        supervisor        404
        cwc               403
        admin             404
        block supervisor  404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
    // A spot check of the target's area found to have issues, without the note that needs.
    row(
        "POST",
        "/spot-checks/{id}",
        "",
        Per::Target,
        "
        fieldworker       403
        supervisor        303>note-needed 303>note-needed 404
        cwc               403
        admin             303>note-needed
        block supervisor  303>note-needed 404 404
        block cwc         403
        anonymous         303>/login
        disabled          303>/login
        ",
    ),
];

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Fieldworker,
    Supervisor,
    Cwc,
    Admin,
    BlockSupervisor,
    BlockCwc,
    Anonymous,
    Disabled,
}

const WHO: [Who; 8] = [
    Who::Fieldworker,
    Who::Supervisor,
    Who::Cwc,
    Who::Admin,
    Who::BlockSupervisor,
    Who::BlockCwc,
    Who::Anonymous,
    Who::Disabled,
];

impl Who {
    /// The role's name in the table.
    fn label(self) -> &'static str {
        match self {
            Who::Fieldworker => "fieldworker",
            Who::Supervisor => "supervisor",
            Who::Cwc => "cwc",
            Who::Admin => "admin",
            Who::BlockSupervisor => "block supervisor",
            Who::BlockCwc => "block cwc",
            Who::Anonymous => "anonymous",
            Who::Disabled => "disabled",
        }
    }
}

/// Where the target is, seen from the user: Gaya is the district of every scoped user, the
/// chosen block of Gaya the block of the block-scoped ones and of the fieldworker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    OwnBlock,
    OtherBlock,
    OtherDistrict,
}

const TARGETS: [Target; 3] = [Target::OwnBlock, Target::OtherBlock, Target::OtherDistrict];

impl Target {
    fn label(self) -> &'static str {
        match self {
            Target::OwnBlock => "own block",
            Target::OtherBlock => "other block",
            Target::OtherDistrict => "other district",
        }
    }
}

/// The expected answers of a row: role -> one answer per target (or one in all for a row asked
/// once). Panics on a malformed row.
fn expected(row: &Row) -> BTreeMap<Who, Vec<String>> {
    let name = format!("{} {} {}", row.method, row.path, row.action);
    let mut out = BTreeMap::new();
    for line in row.expect.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let split = words
            .iter()
            .position(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or_else(|| panic!("{name}: no answer on the line '{line}'"));
        let label = words[..split].join(" ");
        let who = WHO
            .into_iter()
            .find(|w| w.label() == label)
            .unwrap_or_else(|| panic!("{name}: unknown role '{label}'"));
        let answers: Vec<String> = words[split..].iter().map(|w| (*w).to_owned()).collect();
        let fits = match row.per {
            Per::Once => answers.len() == 1,
            Per::Target => answers.len() == 1 || answers.len() == TARGETS.len(),
        };
        assert!(
            fits,
            "{name}: {label} has {} answers: one, or one per target",
            answers.len()
        );
        assert!(out.insert(who, answers).is_none(), "{name}: {label} twice");
    }
    for who in WHO {
        assert!(
            out.contains_key(&who),
            "{name}: no line for {}",
            who.label()
        );
    }
    out
}

/// The routes `router()` serves, as (method, path): the operations of the OpenAPI document,
/// which `router()` is built from (a route is registered with its handler's description, and
/// `openapi.rs` checks that the document lists exactly what the router serves).
fn served_routes() -> BTreeSet<(String, String)> {
    let doc: serde_json::Value =
        serde_json::from_str(homeward_sync_server::api_doc::json()).expect("the document parses");
    let paths = doc["paths"].as_object().expect("the document has paths");
    let mut out = BTreeSet::new();
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete", "head", "options"] {
            if item.get(method).is_some() {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(!out.is_empty(), "no route found in the document");
    out
}

#[test]
fn every_route_the_router_serves_has_a_row_in_the_table_and_no_row_is_stale() {
    let served = served_routes();
    let rows: BTreeSet<(String, String)> = TABLE
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    let missing: Vec<_> = served.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&served).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "the authorization table and router() disagree:\n  served without a row: {missing:?}\n  rows of no route: {stale:?}\nadd a row to TABLE in sync-server/tests/server/authz.rs (and a request to World::ask)"
    );
    for r in TABLE {
        expected(r);
    }
    // Every sync action of the issue has its row.
    let actions: BTreeSet<&str> = TABLE
        .iter()
        .filter(|r| r.path == "/api/v1/sync")
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        BTreeSet::from([
            "pull from the start",
            "push a new case",
            "push a change to an existing case",
            "push a spot-check outcome",
        ])
    );
}

const PASSWORD: &str = "matrix-pass";
const HOST: &str = "127.0.0.1:8787";

/// A user of the matrix: their session cookie, phone token and signature.
struct Account {
    id: String,
    cookie: Option<String>,
    token: Option<String>,
    actor: ActorId,
    author: Author,
}

/// What a target is made of: the area, one representative of each thing a request names, and
/// the words that show its children on a page.
struct Place {
    /// The representative case (active, named uniquely): its id, district and block.
    case: Case,
    /// The conflicting field made in the representative case.
    conflict_path: String,
    /// An assessment waiting for review: (case id, subject ref).
    review: (String, String),
    /// A spot check of last month without an outcome.
    spot_check: String,
    /// A copy of a document in the representative case (issue 15) and the hash of its one
    /// page, whose bytes the server holds.
    copy: (String, String),
    /// Text that appears in an answer only when it shows the area's children.
    markers: Vec<String>,
}

/// The scoped users' district and the block of the block-scoped ones.
struct Home {
    district: String,
    block: String,
}

struct World {
    tmp: tempfile::TempDir,
    state: AppState,
    home: Home,
    month: Month,
    accounts: BTreeMap<Who, Account>,
    /// The disabled user's enrolment code, made before they were disabled.
    disabled_code: String,
    places: BTreeMap<Target, Place>,
    /// The representative cases' documents as the server holds them after the setup.
    docs: BTreeMap<String, AutoCommit>,
    /// Answers to requests that change nothing and are the same for several targets (a page's
    /// GET, a pull from the start), by role and request: asked once, checked per target.
    asked: std::sync::Mutex<BTreeMap<(Who, String), Asked>>,
}

/// A remembered answer.
#[derive(Clone)]
enum Asked {
    Page(StatusCode, Option<String>, String),
    Pull(Result<BTreeSet<(String, String)>, StatusCode>),
}

impl Target {
    /// Whether (district, block) is in the target's area.
    fn covers(self, home: &Home, district: &str, block: &str) -> bool {
        match self {
            Target::OwnBlock => district == home.district && block == home.block,
            Target::OtherBlock => district == home.district && block != home.block,
            Target::OtherDistrict => district != home.district,
        }
    }
}

/// The claims pending on `day` in a case (as the gaps report counts them).
fn pending_claims(c: &Case, day: chrono::NaiveDate) -> usize {
    if !c.is_active() {
        return 0;
    }
    c.services
        .iter()
        .filter(|s| s.applied_on.is_some_and(|d| d <= day) && s.paid_on.is_none_or(|d| d > day))
        .count()
}

/// The instant now (the server's chrono has no clock feature).
fn utc_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
}

fn now_ctx(author: &Author) -> EditContext {
    EditContext {
        author: author.clone(),
        at: utc_now(),
    }
}

/// A form or query value, percent-encoded.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Reads the raw document of a case from the server's database file.
fn raw_doc(db: &std::path::Path, case_id: &str) -> AutoCommit {
    let store = open_store(db).expect("opens the database");
    let bytes: Vec<u8> = store
        .db()
        .query_row("SELECT doc FROM cases WHERE id = ?1", [case_id], |r| {
            r.get(0)
        })
        .expect("the case is stored");
    AutoCommit::load(&bytes).expect("a document")
}

impl World {
    fn db(&self) -> std::path::PathBuf {
        self.tmp.path().join("authz.db")
    }

    async fn new() -> World {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("authz.db");
        let today = homeward_sync_server::today();
        let month = Month::of(today).prev();
        let mut store = open_store(&db).expect("opens");
        homeward_sync_server::demo::fill(&mut store, today, 48).expect("demo data");
        let admin = WebUser {
            id: "admin".into(),
            name: "admin".into(),
            role: Role::Admin,
            areas: vec![],
        };
        let cases = store.cases(None).expect("cases");
        let checks = store.spot_checks(&admin, Some(month)).expect("checks");
        let reviews = store.review_queue(&admin).expect("reviews");
        let district = "Gaya".to_owned();

        // The own block: a block of Gaya where, as in the rest of Gaya and outside Gaya, there is
        // an active case, a pending claim, an open spot check and an assessment to review.
        let has_all =
            |inside: &dyn Fn(&str, &str) -> bool| {
                cases.iter().any(|c| {
                    c.is_active() && inside(&c.child.address.district, &c.child.address.block)
                }) && cases.iter().any(|c| {
                    pending_claims(c, today) > 0
                        && inside(&c.child.address.district, &c.child.address.block)
                }) && checks
                    .iter()
                    .any(|s| s.outcome.is_none() && inside(&s.district, &s.block))
                    && reviews
                        .iter()
                        .any(|r| r.subject == Subject::Assessment && inside(&r.district, &r.block))
            };
        let mut blocks: Vec<String> = cases
            .iter()
            .filter(|c| c.child.address.district == district)
            .map(|c| c.child.address.block.clone())
            .collect();
        blocks.sort();
        blocks.dedup();
        let block = blocks
            .iter()
            .find(|b| {
                has_all(&|d, x| d == district && x == b.as_str())
                    && has_all(&|d, x| d == district && x != b.as_str())
            })
            .expect("a block of Gaya with everything, beside other blocks with everything")
            .clone();
        assert!(
            has_all(&|d, _| d != district),
            "everything outside Gaya too"
        );

        // The users, one a role, each with a session and an enrolled phone.
        let gaya = vec![(district.clone(), String::new())];
        let own = vec![(district.clone(), block.clone())];
        let everywhere = Vec::new();
        let mut accounts = BTreeMap::new();
        let mut disabled_code = String::new();
        for (i, (who, id, name, role, areas)) in [
            (
                Who::Fieldworker,
                "matrix-fw",
                "Matrix Fieldworker",
                Role::Fieldworker,
                &own,
            ),
            (
                Who::Supervisor,
                "matrix-sup",
                "Matrix Supervisor",
                Role::Supervisor,
                &gaya,
            ),
            (Who::Cwc, "matrix-cwc", "Matrix Cwc", Role::Cwc, &gaya),
            (
                Who::Admin,
                "matrix-admin",
                "Matrix Admin",
                Role::Admin,
                &everywhere,
            ),
            (
                Who::BlockSupervisor,
                "matrix-sup-block",
                "Matrix Block Supervisor",
                Role::Supervisor,
                &own,
            ),
            (
                Who::BlockCwc,
                "matrix-cwc-block",
                "Matrix Block Cwc",
                Role::Cwc,
                &own,
            ),
            (
                Who::Disabled,
                "matrix-disabled",
                "Matrix Disabled",
                Role::Supervisor,
                &gaya,
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let id = store
                .add_user_with_id(Some(id), name, role, areas, Some(PASSWORD))
                .expect("a user");
            let actor = [0xa0 + u8::try_from(i).expect("small"); 16];
            let code = store.enrolment_code(&id).expect("a code");
            let enrolled = store.enrol(&code, &actor, "matrix phone").expect("enrols");
            let (session, _) = store.login(&id, PASSWORD).expect("logs in");
            if who == Who::Disabled {
                disabled_code = store.enrolment_code(&id).expect("a code");
            }
            accounts.insert(
                who,
                Account {
                    id: id.clone(),
                    cookie: Some(format!("hw_session={session}")),
                    token: Some(enrolled.token),
                    actor: ActorId::from(&actor[..]),
                    author: Author {
                        user_id: enrolled.user_id,
                        name: enrolled.user_name,
                    },
                },
            );
        }
        store
            .disable_user("matrix-disabled", "admin")
            .expect("disables");
        accounts.insert(
            Who::Anonymous,
            Account {
                id: "nobody-at-all".into(),
                cookie: None,
                token: None,
                actor: ActorId::from(&[0xee; 16][..]),
                author: Author {
                    user_id: "nobody-at-all".into(),
                    name: "Nobody At All".into(),
                },
            },
        );

        // The representatives of each target.
        let home = Home {
            district: district.clone(),
            block: block.clone(),
        };
        let mut world_places = BTreeMap::new();
        let helpers: Vec<DeviceAuth> = [0xc1u8, 0xc2]
            .into_iter()
            .map(|a| {
                let code = store.enrolment_code("matrix-admin").expect("a code");
                let token = store
                    .enrol(&code, &[a; 16], "matrix conflict phone")
                    .expect("enrols")
                    .token;
                store.authenticate(&token).expect("a device")
            })
            .collect();
        let user_names: Vec<String> = homeward_shared::synth::fieldworkers()
            .into_iter()
            .map(|f| f.author.name)
            .chain(accounts.values().map(|a| a.author.name.clone()))
            .collect();
        for t in TARGETS {
            let inside = |d: &str, b: &str| t.covers(&home, d, b);
            let in_case = |c: &Case| inside(&c.child.address.district, &c.child.address.block);
            // A child's name marks the area when no other name holds it.
            let unique = |c: &Case| {
                let n = &c.child.name;
                cases
                    .iter()
                    .all(|o| !o.child.name.contains(n.as_str()) || in_case(o))
                    && user_names.iter().all(|u| !u.contains(n.as_str()))
            };
            let mut markers: Vec<String> = cases
                .iter()
                .filter(|c| in_case(c) && unique(c))
                .map(|c| c.child.name.clone())
                .collect();
            let mut place_names: BTreeSet<(String, String)> = BTreeSet::new();
            for c in cases.iter().filter(|c| in_case(c)) {
                place_names.insert((
                    c.child.address.district.clone(),
                    c.child.address.block.clone(),
                ));
            }
            for (d, b) in &place_names {
                markers.push(format!(">{b}<"));
                markers.push(format!(",{b},"));
                if t == Target::OtherDistrict {
                    markers.push(format!(">{d}<"));
                    markers.push(format!(">{d}:"));
                    markers.push(format!(">{d},"));
                    markers.push(format!("\n{d},"));
                }
            }
            markers.sort();
            markers.dedup();
            for c in &cases {
                assert!(
                    in_case(c)
                        || !place_names
                            .iter()
                            .any(|(_, b)| c.child.address.village == *b),
                    "a village named like a block: {}",
                    c.child.address.village
                );
            }
            let case = cases
                .iter()
                .filter(|c| {
                    in_case(c)
                        && c.is_active()
                        && unique(c)
                        && (t != Target::OtherDistrict || pending_claims(c, today) > 0)
                })
                .max_by_key(|c| pending_claims(c, today))
                .unwrap_or_else(|| panic!("an active case of the {}", t.label()))
                .clone();
            // A conflict in it: two of the administrator's phones set its health need at once.
            let mut doc = raw_doc(&db, &case.id);
            let current = case.need(Dimension::Health).status;
            let statuses: Vec<Status> = Dimension::Health
                .statuses()
                .iter()
                .copied()
                .filter(|s| {
                    *s != current && *s != Status::NotAssessed && *s != Status::NotApplicable
                })
                .take(2)
                .collect();
            assert_eq!(statuses.len(), 2, "two other statuses of health");
            let admin_author = Author {
                user_id: helpers[0].user_id.clone(),
                name: helpers[0].user_name.clone(),
            };
            for (n, (device, status)) in helpers.iter().zip(&statuses).enumerate() {
                let mut copy = doc
                    .fork()
                    .with_actor(ActorId::from(device.actor.as_slice()));
                let heads = copy.get_heads();
                let ctx = now_ctx(&admin_author);
                let edit = Edit::SetNeed {
                    update: NeedUpdate {
                        id: format!("matrix-conflict-{}-{n}", case.id),
                        dimension: Dimension::Health,
                        status: *status,
                        note: None,
                    },
                    on: field_date(ctx.at),
                };
                schema::apply(&mut copy, &edit, &ctx).expect("a need set");
                let changes = copy
                    .get_changes(&heads)
                    .iter()
                    .map(|c| c.raw_bytes().to_vec())
                    .collect();
                store
                    .push_as(
                        device,
                        &[CasePush {
                            case_id: case.id.clone(),
                            changes,
                        }],
                    )
                    .expect("stored");
            }
            let conflict_path = store
                .conflict_queue(&admin)
                .expect("conflicts")
                .into_iter()
                .find(|q| q.case_id == case.id)
                .expect("the conflict made")
                .path;
            let review = reviews
                .iter()
                .find(|r| r.subject == Subject::Assessment && inside(&r.district, &r.block))
                .map(|r| (r.case_id.clone(), r.subject_ref.clone()))
                .expect("an assessment to review");
            let spot_check = checks
                .iter()
                .find(|s| s.outcome.is_none() && inside(&s.district, &s.block))
                .expect("an open spot check")
                .id
                .clone();
            // A copy of a document in it, its one page uploaded, by the administrator's phone.
            let bytes = crate::attachments::page_bytes(
                MediaType::Jpeg,
                3000,
                u8::try_from(world_places.len()).expect("small"),
            );
            let page = crate::attachments::page_of(MediaType::Jpeg, &bytes);
            let copy_id = format!("matrix-copy-{}", case.id);
            let mut copy =
                raw_doc(&db, &case.id).with_actor(ActorId::from(helpers[0].actor.as_slice()));
            let heads = copy.get_heads();
            let ctx = now_ctx(&admin_author);
            let edit = Edit::Attach(NewAttachment {
                id: copy_id.clone(),
                kind: DocumentKind::Fir,
                pages: vec![page.clone()],
                taken_on: field_date(ctx.at),
            });
            schema::apply(&mut copy, &edit, &ctx).expect("a copy");
            let changes = copy
                .get_changes(&heads)
                .iter()
                .map(|c| c.raw_bytes().to_vec())
                .collect();
            store
                .push_as(
                    &helpers[0],
                    &[CasePush {
                        case_id: case.id.clone(),
                        changes,
                    }],
                )
                .expect("stored");
            let put = store
                .put_chunk(&helpers[0], &page.hash, 0, &bytes)
                .expect("uploaded");
            assert!(
                matches!(put, Put::Taken(s) if s.complete),
                "the page is whole"
            );
            world_places.insert(
                t,
                Place {
                    case,
                    conflict_path,
                    review,
                    spot_check,
                    copy: (copy_id, page.hash),
                    markers,
                },
            );
        }
        let own_case = world_places[&Target::OwnBlock].case.id.clone();
        store.assign(&own_case, "matrix-fw").expect("assigns");
        let docs = world_places
            .values()
            .map(|p| (p.case.id.clone(), raw_doc(&db, &p.case.id)))
            .collect();
        World {
            tmp,
            state: AppState::new(store),
            home,
            month,
            accounts,
            disabled_code,
            places: world_places,
            docs,
            asked: std::sync::Mutex::default(),
        }
    }

    /// Whether `body` shows the target's children.
    fn shows(&self, body: &str, t: Target) -> bool {
        self.places[&t]
            .markers
            .iter()
            .any(|m| body.contains(m.as_str()))
    }

    /// The place (district, block) of a stored case.
    fn place_of(&self, case_id: &str) -> (String, String) {
        let store = open_store(&self.db()).expect("opens the database");
        store
            .db()
            .query_row(
                "SELECT district, block FROM cases WHERE id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("a stored case")
    }

    async fn http(&self, req: Request<Body>) -> (StatusCode, Option<String>, String) {
        let resp = router(self.state.clone())
            .oneshot(req)
            .await
            .expect("answers");
        let status = resp.status();
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = to_bytes(resp.into_body(), 1 << 26).await.expect("a body");
        (
            status,
            location,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }

    /// A GET of `uri` by `who`, asked once (pages change nothing).
    async fn page(&self, who: Who, uri: &str) -> (StatusCode, Option<String>, String) {
        let key = (who, uri.to_owned());
        let remembered = self.asked.lock().expect("a lock").get(&key).cloned();
        if let Some(Asked::Page(s, l, b)) = remembered {
            return (s, l, b);
        }
        let answer = self.http(self.get(who, uri)).await;
        self.asked.lock().expect("a lock").insert(
            key,
            Asked::Page(answer.0, answer.1.clone(), answer.2.clone()),
        );
        answer
    }

    fn get(&self, who: Who, uri: &str) -> Request<Body> {
        let mut req = Request::get(uri).header(header::HOST, HOST);
        if let Some(c) = &self.accounts[&who].cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::empty()).expect("a request")
    }

    fn form(&self, cookie: Option<&str>, uri: &str, body: String) -> Request<Body> {
        let mut req = Request::post(uri)
            .header(header::HOST, HOST)
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::from(body)).expect("a request")
    }

    /// The id of a resource of the demo's map in (district, block).
    async fn resource_in(&self, district: &str, block: &str) -> String {
        let (d, b) = (district.to_owned(), block.to_owned());
        self.state
            .with_store(move |s| s.resources(Some(&d)))
            .await
            .expect("the map")
            .into_iter()
            .find(|r| r.block == b)
            .unwrap_or_else(|| panic!("a resource of the demo in {block}, {district}"))
            .id
    }

    /// One sync round; the response, or the status of a refusal.
    async fn sync(&self, who: Who, req: &SyncRequest) -> Result<wire::SyncResponse, StatusCode> {
        let mut b = Request::post("/api/v1/sync").header(header::CONTENT_TYPE, wire::CONTENT_TYPE);
        if let Some(t) = &self.accounts[&who].token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let resp = router(self.state.clone())
            .oneshot(b.body(Body::from(wire::encode(req))).expect("a request"))
            .await
            .expect("answers");
        let status = resp.status();
        let bytes = to_bytes(resp.into_body(), 1 << 26).await.expect("a body");
        if status == StatusCode::OK {
            Ok(wire::decode(&bytes).expect("a sync response"))
        } else {
            Err(status)
        }
    }

    /// Every place a device of `who` receives on a first sync, to the end of the feed: the
    /// cases of its documents and changes, and of its reference data (assignments, spot checks,
    /// send-backs).
    async fn pull(&self, who: Who) -> Result<BTreeSet<(String, String)>, StatusCode> {
        let mut places = BTreeSet::new();
        let mut cursor = Cursor::Start;
        for _ in 0..200 {
            let resp = self
                .sync(
                    who,
                    &SyncRequest {
                        bundle_seen: 0,
                        cursor,
                        budget: MAX_BUDGET,
                        reference_version: 0,
                        resources_version: 0,
                        push: Vec::new(),
                        spot_check_outcomes: Vec::new(),
                    },
                )
                .await?;
            let mut ids: Vec<&str> = resp.documents.iter().map(|d| d.case_id.as_str()).collect();
            ids.extend(resp.changes.iter().map(|c| c.case_id.as_str()));
            if let Some(r) = &resp.reference {
                ids.extend(r.assigned.iter().map(String::as_str));
                ids.extend(r.sent_back.iter().map(|s| s.case_id.as_str()));
                for s in &r.spot_checks {
                    places.insert((s.district.clone(), s.block.clone()));
                    ids.push(&s.case_id);
                }
                // The resource map of the user's areas (issue 17): a place like any other.
                for res in r.resources.iter().flat_map(|m| &m.resources) {
                    places.insert((res.district.clone(), res.block.clone()));
                }
            }
            for id in ids {
                places.insert(self.place_of(id));
            }
            if !resp.more {
                return Ok(places);
            }
            cursor = resp.cursor;
        }
        panic!("{} never reached the end of the feed", who.label());
    }

    async fn push(&self, who: Who, push: Vec<CasePush>) -> String {
        let req = SyncRequest {
            bundle_seen: 0,
            cursor: Cursor::Start,
            budget: 1024,
            reference_version: 0,
            resources_version: 0,
            push,
            spot_check_outcomes: Vec::new(),
        };
        match self.sync(who, &req).await {
            Ok(_) => "200".to_owned(),
            Err(s) => s.as_u16().to_string(),
        }
    }

    /// The answer of `who` to one cell, in the table's notation.
    async fn ask(&self, row: &Row, who: Who, t: Option<Target>) -> String {
        let account = &self.accounts[&who];
        let cookie = account.cookie.as_deref();
        let place = t.map(|t| &self.places[&t]);
        let district = |t: Option<Target>| match t {
            Some(Target::OtherDistrict) => {
                place.expect("a target").case.child.address.district.clone()
            }
            _ => self.home.district.clone(),
        };
        let month = self.month;
        let page = match (row.method, row.path, row.action) {
            ("POST", "/api/v1/sync", "pull from the start") => {
                let t = t.expect("a target");
                let key = (who, "pull".to_owned());
                let remembered = self.asked.lock().expect("a lock").get(&key).cloned();
                let pulled = match remembered {
                    Some(Asked::Pull(p)) => p,
                    _ => {
                        let p = self.pull(who).await;
                        self.asked
                            .lock()
                            .expect("a lock")
                            .insert(key, Asked::Pull(p.clone()));
                        p
                    }
                };
                return match pulled {
                    Ok(places) => {
                        let seen = places.iter().any(|(d, b)| t.covers(&self.home, d, b));
                        format!("200{}", if seen { "+" } else { "-" })
                    }
                    Err(s) => s.as_u16().to_string(),
                };
            }
            ("POST", "/api/v1/sync", "push a new case") => {
                let t = t.expect("a target");
                let at = &place.expect("a target").case.child.address;
                let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
                    seed: 3,
                    cases: 1,
                    until: homeward_sync_server::today(),
                    months: 6,
                });
                let mut profile = load.cases[0].profile.clone();
                profile.case_id = format!("matrix-new-{who:?}-{t:?}").to_lowercase();
                profile.child.name = "Matrix Newchild".into();
                profile.child.address.district.clone_from(&at.district);
                profile.child.address.block.clone_from(&at.block);
                let mut doc =
                    schema::new_case(account.actor.clone(), &profile, &now_ctx(&account.author))
                        .expect("registers");
                let changes = doc
                    .get_changes(&[])
                    .iter()
                    .map(|c| c.raw_bytes().to_vec())
                    .collect();
                return self
                    .push(
                        who,
                        vec![CasePush {
                            case_id: profile.case_id.clone(),
                            changes,
                        }],
                    )
                    .await;
            }
            ("POST", "/api/v1/sync", "push a change to an existing case") => {
                let t = t.expect("a target");
                let case_id = &place.expect("a target").case.id;
                let mut doc = self.docs[case_id].clone().with_actor(account.actor.clone());
                let heads = doc.get_heads();
                let ctx = now_ctx(&account.author);
                let edit = Edit::RecordVisit {
                    visit: NewVisit {
                        id: format!("matrix-visit-{who:?}-{t:?}").to_lowercase(),
                        date: field_date(ctx.at),
                        kind: VisitKind::FollowUp,
                        met: Some("mother".into()),
                        note: None,
                        next_steps: None,
                        summons_id: None,
                        safety_checked: false,
                    },
                    updates: Vec::new(),
                };
                schema::apply(&mut doc, &edit, &ctx).expect("a visit");
                let changes = doc
                    .get_changes(&heads)
                    .iter()
                    .map(|c| c.raw_bytes().to_vec())
                    .collect();
                return self
                    .push(
                        who,
                        vec![CasePush {
                            case_id: case_id.clone(),
                            changes,
                        }],
                    )
                    .await;
            }
            ("POST", "/api/v1/sync", "push a spot-check outcome") => {
                let id = place.expect("a target").spot_check.clone();
                let req = SyncRequest {
                    bundle_seen: 0,
                    cursor: Cursor::Start,
                    budget: 1024,
                    reference_version: 0,
                    resources_version: 0,
                    push: Vec::new(),
                    spot_check_outcomes: vec![SpotCheckOutcome {
                        id: id.clone(),
                        outcome: Outcome::HasIssues,
                        note: String::new(),
                        at: utc_now().to_rfc3339(),
                    }],
                };
                return match self.sync(who, &req).await {
                    Ok(resp) => {
                        let result = resp
                            .spot_check_results
                            .iter()
                            .find(|(i, _)| *i == id)
                            .map(|(_, r)| r.clone());
                        let why = match result {
                            None => "no-result".to_owned(),
                            Some(None) => "recorded".to_owned(),
                            Some(Some(r)) if r.contains("no spot check") => "not-found".to_owned(),
                            Some(Some(r)) if r.contains("only supervisors") => {
                                "not-supervisor".to_owned()
                            }
                            Some(Some(r)) if r.contains("note") => "note-needed".to_owned(),
                            Some(Some(r)) => format!("other({r})"),
                        };
                        format!("200!{why}")
                    }
                    Err(s) => s.as_u16().to_string(),
                };
            }
            ("POST", "/api/v1/duplicates", _) => {
                // The target case's child, about to be registered again under a new id.
                let case = &place.expect("a target").case;
                let profile = homeward_shared::model::Profile {
                    case_id: "matrix-again".into(),
                    child: case.child.clone(),
                    rescue: case.rescue.clone(),
                    legal_basis: case.legal_basis.clone(),
                };
                let body =
                    serde_json::to_string(&homeward_shared::duplicates::DuplicateQuery { profile })
                        .expect("json");
                let mut req = Request::post("/api/v1/duplicates")
                    .header(header::CONTENT_TYPE, "application/json");
                if let Some(token) = &account.token {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
                self.http(req.body(Body::from(body)).expect("a request"))
                    .await
            }
            ("POST", "/api/v1/keys" | "/api/v1/bundles", _) => {
                let n = WHO.iter().position(|w| *w == who).expect("a role");
                let seed = [0x40 + u8::try_from(n).expect("small"); 64];
                let (content_type, body) = if row.path == "/api/v1/keys" {
                    let keys = homeward_shared::seal::SecretKeys::from_seed(seed);
                    (
                        "application/json",
                        serde_json::json!({ "keys": keys.public().to_text() }).to_string(),
                    )
                } else {
                    (
                        "application/vnd.homeward.sealed",
                        "not a sealed file".to_owned(),
                    )
                };
                let mut req = Request::post(row.path).header(header::CONTENT_TYPE, content_type);
                if let Some(token) = &account.token {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
                self.http(req.body(Body::from(body)).expect("a request"))
                    .await
            }
            ("POST", "/api/v1/sms", _) => {
                let mut req = Request::post("/api/v1/sms?key=a-guess")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                if let Some(token) = &account.token {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
                self.http(
                    req.body(Body::from("From=%2B919876543210&Body=HW1"))
                        .expect("a request"),
                )
                .await
            }
            ("POST", "/api/v1/enrol", _) => {
                let code = match who {
                    Who::Anonymous => "NOSUCHCODE".to_owned(),
                    Who::Disabled => self.disabled_code.clone(),
                    _ => {
                        let id = account.id.clone();
                        self.state
                            .with_store(move |s| s.enrolment_code(&id))
                            .await
                            .expect("a code")
                    }
                };
                let n = WHO.iter().position(|w| *w == who).expect("a role");
                let actor = hex::encode([0xe0 + u8::try_from(n).expect("small"); 16]);
                let req = Request::post("/api/v1/enrol")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(format!(
                        r#"{{"code":"{code}","actor":"{actor}","name":"matrix enrolment"}}"#
                    )))
                    .expect("a request");
                self.http(req).await
            }
            ("GET", "/healthz", _) => self.page(who, "/healthz").await,
            ("GET", "/api/openapi.json", _) => self.page(who, "/api/openapi.json").await,
            ("GET", "/", _) => self.page(who, "/").await,
            ("GET", "/login", _) => self.page(who, "/login").await,
            ("POST", "/login", _) => {
                let body = format!("user={}&password={}", enc(&account.id), enc(PASSWORD));
                self.http(self.form(None, "/login", body)).await
            }
            ("POST", "/logout", _) => {
                // A session of its own, so the role's session lives on for the other rows.
                let fresh = match who {
                    Who::Anonymous | Who::Disabled => cookie.map(str::to_owned),
                    _ => {
                        let id = account.id.clone();
                        let (token, _) = self
                            .state
                            .with_store(move |s| s.login(&id, PASSWORD))
                            .await
                            .expect("logs in");
                        Some(format!("hw_session={token}"))
                    }
                };
                self.http(self.form(fresh.as_deref(), "/logout", String::new()))
                    .await
            }
            ("GET", "/reports/cwc", _) => {
                let uri = format!(
                    "/reports/cwc?district={}&month={month}&format=csv&lang=en",
                    enc(&district(t))
                );
                self.page(who, &uri).await
            }
            ("GET", "/reports", _) => self.page(who, "/reports").await,
            ("GET", "/reports/gaps", _) => {
                let uri = format!("/reports/gaps?district={}&lang=en", enc(&district(t)));
                self.page(who, &uri).await
            }
            ("GET", "/audit", _) => self.page(who, "/audit").await,
            ("GET", "/cases", _) => {
                let uri = format!("/cases?q={}", enc(&place.expect("a target").case.id));
                self.page(who, &uri).await
            }
            ("PUT", "/api/v1/attachments/{hash}", _) => {
                let hash = &place.expect("a target").copy.1;
                let bytes = crate::attachments::page_bytes(MediaType::Jpeg, 3000, 0);
                let mut req = Request::put(format!("/api/v1/attachments/{hash}?offset=0"))
                    .header(header::CONTENT_TYPE, "application/octet-stream");
                if let Some(token) = &account.token {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
                self.http(req.body(Body::from(bytes)).expect("a request"))
                    .await
            }
            ("GET", "/api/v1/attachments/{hash}" | "/api/v1/attachments/{hash}/status", _) => {
                let hash = &place.expect("a target").copy.1;
                let uri = row.path.replace("{hash}", hash);
                let mut req = Request::get(uri);
                if let Some(token) = &account.token {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
                }
                self.http(req.body(Body::empty()).expect("a request")).await
            }
            ("GET", "/cases/{id}/pages/{hash}", _) => {
                let p = place.expect("a target");
                let uri = format!("/cases/{}/pages/{}", enc(&p.case.id), p.copy.1);
                self.page(who, &uri).await
            }
            ("GET", "/cases/{id}/copies/{copy}", _) => {
                let p = place.expect("a target");
                let uri = format!("/cases/{}/copies/{}", enc(&p.case.id), enc(&p.copy.0));
                self.page(who, &uri).await
            }
            (
                "POST",
                "/cases/{id}/copies/{copy}/verify" | "/cases/{id}/copies/{copy}/confirm-withdrawal",
                _,
            ) => {
                let p = place.expect("a target");
                let uri = row
                    .path
                    .replace("{id}", &enc(&p.case.id))
                    .replace("{copy}", &enc(&p.copy.0));
                self.http(self.form(cookie, &uri, String::new())).await
            }
            ("GET", "/cases/{id}", _) => {
                let uri = format!("/cases/{}", enc(&place.expect("a target").case.id));
                self.page(who, &uri).await
            }
            ("GET", "/conflicts", _) => self.page(who, "/conflicts").await,
            ("GET", "/duplicates", _) => self.page(who, "/duplicates").await,
            ("GET", "/moves", _) => self.page(who, "/moves").await,
            ("POST", "/duplicates/merge", _) => {
                let p = place.expect("a target");
                let id = enc(&p.case.id);
                let body = format!("keep={id}&other={id}&same=yes");
                self.http(self.form(cookie, "/duplicates/merge", body))
                    .await
            }
            ("POST", "/moves", _) => {
                let p = place.expect("a target");
                let body = format!("case_id={}&decision=approve&assignee=", enc(&p.case.id));
                self.http(self.form(cookie, "/moves", body)).await
            }
            ("POST", "/conflicts", _) => {
                let p = place.expect("a target");
                let body = format!(
                    "case_id={}&path={}&choice=new&value=no-such-status",
                    enc(&p.case.id),
                    enc(&p.conflict_path)
                );
                self.http(self.form(cookie, "/conflicts", body)).await
            }
            ("GET", "/reviews", _) => self.page(who, "/reviews").await,
            ("POST", "/reviews", _) => {
                let (case_id, subject_ref) = &place.expect("a target").review;
                let body = format!(
                    "case_id={}&subject=assessment&subject_ref={}&decision=sent_back&comment=",
                    enc(case_id),
                    enc(subject_ref)
                );
                self.http(self.form(cookie, "/reviews", body)).await
            }
            ("GET", "/spot-checks", _) => {
                self.page(who, &format!("/spot-checks?month={month}")).await
            }
            ("GET", "/people", _) => self.page(who, "/people").await,
            ("GET", "/programme", _) => self.page(who, "/programme").await,
            ("GET", "/bundles", _) => self.page(who, "/bundles").await,
            ("POST", "/bundles/import", _) => {
                self.http(self.form(cookie, "/bundles/import", "file=".into()))
                    .await
            }
            ("POST", "/bundles/export", _) => {
                let body = "device=no-such-device".to_owned();
                self.http(self.form(cookie, "/bundles/export", body)).await
            }
            ("GET", "/gaps", _) => self.page(who, "/gaps").await,
            ("POST", "/programme", _) => {
                let body = "text=%5Bvisits%5D%0Ano_such_threshold+%3D+1".to_owned();
                self.http(self.form(cookie, "/programme", body)).await
            }
            ("POST", "/people/code", _) => {
                self.http(self.form(cookie, "/people/code", "user=no-such-user".into()))
                    .await
            }
            ("POST", "/people/revoke", _) => {
                let body = "device=no-such-device&confirm=yes".to_owned();
                self.http(self.form(cookie, "/people/revoke", body)).await
            }
            ("POST", "/people/disable", _) => {
                self.http(self.form(cookie, "/people/disable", "user=no-such-user".into()))
                    .await
            }
            ("POST", "/people/enable", _) => {
                self.http(self.form(cookie, "/people/enable", "user=no-such-user".into()))
                    .await
            }
            ("POST", "/people/add", _) => {
                let body = "name=New+Person&role=chief&areas=Gaya".to_owned();
                self.http(self.form(cookie, "/people/add", body)).await
            }
            ("POST", "/cases/{id}/assign", _) => {
                let uri = format!("/cases/{}/assign", enc(&place.expect("a target").case.id));
                let body = "user=matrix-admin".to_owned();
                self.http(self.form(cookie, &uri, body)).await
            }
            ("POST", "/spot-checks/draw", _) => {
                self.http(self.form(cookie, "/spot-checks/draw", format!("month={month}")))
                    .await
            }
            ("POST", "/spot-checks/{id}", _) => {
                let id = &place.expect("a target").spot_check;
                self.http(self.form(
                    cookie,
                    &format!("/spot-checks/{}", enc(id)),
                    format!("outcome=has_issues&note=&month={month}"),
                ))
                .await
            }
            ("GET", "/resources", _) => {
                let uri = format!("/resources?district={}&lang=en", enc(&district(t)));
                self.page(who, &uri).await
            }
            ("POST", "/resources/add", _) => {
                let a = &place.expect("a target").case.child.address;
                let body = format!(
                    "district={}&block={}&kind=school&name=",
                    enc(&a.district),
                    enc(&a.block)
                );
                self.http(self.form(cookie, "/resources/add", body)).await
            }
            ("POST", "/resources/{id}/edit", _) => {
                let a = &place.expect("a target").case.child.address;
                let id = self.resource_in(&a.district, &a.block).await;
                let body = format!(
                    "district={}&block={}&kind=school&name=",
                    enc(&a.district),
                    enc(&a.block)
                );
                self.http(self.form(cookie, &format!("/resources/{}/edit", enc(&id)), body))
                    .await
            }
            ("POST", "/resources/{id}/active", _) => {
                let a = &place.expect("a target").case.child.address;
                let id = self.resource_in(&a.district, &a.block).await;
                let uri = format!("/resources/{}/active", enc(&id));
                self.http(self.form(cookie, &uri, "active=maybe".into()))
                    .await
            }
            ("POST", "/resources/import", _) => {
                let body = format!(
                    "csv={}",
                    enc("district,block,kind,name\nGaya,Tekari,bakery,Bread\n")
                );
                self.http(self.form(cookie, "/resources/import", body))
                    .await
            }
            (m, p, a) => panic!("no request for {m} {p} {a}: teach World::ask to make one"),
        };
        let (status, location, body) = page;
        let mut got = status.as_u16().to_string();
        if status.is_redirection() {
            let to = location.unwrap_or_default();
            got.push('>');
            match to.split_once("error=") {
                Some((_, code)) => got.push_str(code.split('&').next().unwrap_or(code)),
                None => got.push_str(to.split('?').next().unwrap_or(&to)),
            }
        }
        if let Some(t) = t {
            match (self.shows(&body, t), status == StatusCode::OK) {
                (true, _) => got.push('+'),
                (false, true) => got.push('-'),
                (false, false) => {}
            }
        }
        got
    }
}

#[tokio::test]
async fn every_role_gets_the_tables_answer_on_every_route_and_sync_action() {
    let started = std::time::Instant::now();
    let world = World::new().await;
    let setup = started.elapsed();
    let mut differ = Vec::new();
    let mut cells = 0;
    for row in TABLE {
        let want = expected(row);
        let name = format!(
            "{} {}{}",
            row.method,
            row.path,
            if row.action.is_empty() {
                String::new()
            } else {
                format!(" ({})", row.action)
            }
        );
        for who in WHO {
            let answers = &want[&who];
            let targets: Vec<Option<Target>> = match row.per {
                Per::Once => vec![None],
                Per::Target => TARGETS.into_iter().map(Some).collect(),
            };
            for (i, t) in targets.into_iter().enumerate() {
                let expect = answers.get(i).unwrap_or(&answers[0]);
                let got = world.ask(row, who, t).await;
                cells += 1;
                if got != *expect {
                    differ.push(format!(
                        "  {:<17} {:<48} {:<15} {:<22} {got}",
                        who.label(),
                        name,
                        t.map_or("-", Target::label),
                        expect
                    ));
                }
            }
        }
    }
    eprintln!(
        "authorization matrix: {cells} cells, {} differ; setup {setup:.1?}, all {:.1?}",
        differ.len(),
        started.elapsed()
    );
    assert!(
        differ.is_empty(),
        "{} of {cells} cells differ from the table (own block: {}, Gaya):\n  {:<17} {:<48} {:<15} {:<22} {}\n{}",
        differ.len(),
        world.home.block,
        "role",
        "route or sync action",
        "target",
        "expected",
        "answered",
        differ.join("\n")
    );
}
