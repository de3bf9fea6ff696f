//! The likely duplicates of a child about to be registered: among this device's active cases,
//! and, when the phone is online, among the cases its server holds for the user's areas.
//!
//! The rule is [`homeward_shared::duplicates::similar`]; this file only reads the cases and
//! joins the two lists. It goes through the store's public reads (the case list, then each
//! active case's materialised model), so it needs nothing of the store's internals: a phone
//! holds some hundreds of cases, and reading their models without Automerge takes milliseconds.
//!
//! The server's answer ([`crate::sync::DuplicateQuestion`]) is asked without the store held,
//! between [`Store::similar_here`] and [`Here::with_server`]; whatever happens to the question
//! (no network, no answer in time, a server error) the phone's own matches stand and the
//! registration goes on: [`SimilarChildren::server`] only says how far the check went.

use std::collections::HashSet;

use chrono::NaiveDate;
use homeward_shared::duplicates::{self, Likeness};
use homeward_shared::model::{CaseState, Profile};
use serde::Serialize;

use crate::error::Result;
use crate::store::{CaseFilter, Store};
use crate::sync::CouldNotAsk;

/// The likely duplicates of a child, for the register screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SimilarChildren {
    /// This phone's matches, best first: each can be opened here.
    pub here: Vec<Likeness>,
    /// The server's matches of cases this phone does not hold, best first, each with who
    /// follows it (`followed_by`; `None` when nobody is assigned): they cannot be opened here.
    pub elsewhere: Vec<Likeness>,
    /// How far the check went: whether the server answered, or why the check was made on this
    /// phone only.
    pub server: ServerCheck,
}

/// Whether the server was asked about a child before its registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ServerCheck {
    /// The server answered: the cases of the user's areas on other phones were compared too.
    Answered,
    /// Not asked: the device is not enrolled, or was revoked.
    NotEnrolled,
    /// No connection to the server (no network).
    Offline,
    /// The server did not answer in time.
    Timeout,
    /// The server refused the question (a 4xx).
    Refused,
    /// The server failed (a 5xx, an unreadable answer).
    Failed,
}

impl From<&CouldNotAsk> for ServerCheck {
    fn from(e: &CouldNotAsk) -> ServerCheck {
        match e {
            CouldNotAsk::Offline => ServerCheck::Offline,
            CouldNotAsk::Timeout => ServerCheck::Timeout,
            CouldNotAsk::Refused(_) => ServerCheck::Refused,
            CouldNotAsk::Failed(_) => ServerCheck::Failed,
        }
    }
}

/// This phone's own check: its matches, and every case it holds (whatever its state), so the
/// server's matches of those can be dropped.
#[derive(Debug, Clone)]
pub struct Here {
    matches: Vec<Likeness>,
    held: HashSet<String>,
}

impl Here {
    /// This phone's matches.
    pub fn matches(&self) -> &[Likeness] {
        &self.matches
    }

    /// Joins the server's answer (`None`: the server was not asked) to this phone's matches.
    /// A server match of a case this phone holds is dropped: the phone's own copy was compared
    /// already, and if it is not among the phone's matches, it is not active here or no longer
    /// looks like the child (this phone's edits may not have reached the server yet).
    pub fn with_server(
        self,
        answer: Option<std::result::Result<Vec<Likeness>, CouldNotAsk>>,
    ) -> SimilarChildren {
        let Here { matches, held } = self;
        let (elsewhere, server) = match answer {
            None => (Vec::new(), ServerCheck::NotEnrolled),
            Some(Err(e)) => (Vec::new(), ServerCheck::from(&e)),
            Some(Ok(remote)) => {
                let mut seen = HashSet::new();
                let elsewhere = remote
                    .into_iter()
                    .filter(|l| !held.contains(&l.case_id) && seen.insert(l.case_id.clone()))
                    .collect();
                (elsewhere, ServerCheck::Answered)
            }
        };
        SimilarChildren {
            here: matches,
            elsewhere,
            server,
        }
    }
}

impl Store {
    /// The active cases of this store that are likely the child of `profile`, best first, each
    /// with the facts it shares (name, district, age, village, caregiver). Only active cases
    /// are compared: closed, transferred, missing and re-trafficked ones are no longer followed.
    pub fn similar_children(&self, profile: &Profile, today: NaiveDate) -> Result<Vec<Likeness>> {
        Ok(self.similar_here(profile, today)?.matches)
    }

    /// This phone's check ([`Store::similar_children`]) with the cases it holds, to be joined
    /// to the server's answer by [`Here::with_server`].
    pub fn similar_here(&self, profile: &Profile, today: NaiveDate) -> Result<Here> {
        let active = CaseState::Active.key();
        let rows = self.cases(&CaseFilter::default())?;
        let cases = rows
            .iter()
            .filter(|row| row.state == active)
            .map(|row| self.case(&row.id))
            .collect::<Result<Vec<_>>>()?;
        Ok(Here {
            matches: duplicates::similar(profile, &cases, today),
            held: rows.into_iter().map(|row| row.id).collect(),
        })
    }
}
