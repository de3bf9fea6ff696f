//! Failed unlocks, counted on the device: growing delays, and an optional wipe.
//!
//! The count lives in plain `unlock.json` in the data folder, because it must be read before
//! the PIN opens anything. A failure is counted *before* the key is derived, so killing the app
//! during a guess does not spare the guess; a right PIN resets the count. After
//! [`FREE_FAILURES`] wrong PINs in a row, each further try waits: 30 s, then twice as long after
//! each failure, up to an hour. When the programme file sets `[unlock] wipe_after_failures`
//! (off by default), that many wrong PINs in a row erase the store and its device secret.
//!
//! What this protects against is someone typing guesses on the phone. It does not slow an
//! offline search (whoever can edit this file can copy the folder): the device secret in the
//! keystore does that ([`crate::keystore`]).

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Result};

/// The file inside the data folder.
pub const FILE: &str = "unlock.json";

/// Wrong PINs in a row allowed without a delay (typing slips).
pub const FREE_FAILURES: u32 = 3;

/// The first delay, doubled after each further failure.
pub const FIRST_DELAY: Duration = Duration::from_secs(30);

/// The longest delay.
pub const MAX_DELAY: Duration = Duration::from_secs(3600);

/// The failed unlocks of one store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    /// Wrong PINs in a row.
    pub failures: u32,
    /// When the last one was typed.
    pub last_failure: Option<DateTime<Utc>>,
    /// Erase the store after this many wrong PINs in a row (0: never); copied from the
    /// programme file in force when the store was last open.
    #[serde(default)]
    pub wipe_after: u32,
}

/// How long to wait after `failures` wrong PINs in a row before the next try.
pub fn delay_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    FIRST_DELAY.saturating_mul(1u32 << doublings).min(MAX_DELAY)
}

impl Attempts {
    /// Reads the count of a data folder; a missing or damaged file counts nothing.
    pub fn read(dir: &Path) -> Attempts {
        std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Writes the count, whole (a temporary file of a unique name renamed into place).
    pub fn write(&self, dir: &Path) -> Result<()> {
        let bytes = serde_json::to_vec(self).map_err(|e| FieldError::BadInput(e.to_string()))?;
        crate::error::write_whole(&dir.join(FILE), &bytes)
    }

    /// Whole seconds still to wait at `now` before another try, if any.
    pub fn wait(&self, now: DateTime<Utc>) -> Option<u64> {
        let last = self.last_failure?;
        let until = last + chrono::Duration::from_std(delay_after(self.failures)).ok()?;
        let left = (until - now).num_milliseconds();
        (left > 0).then(|| u64::try_from(left).unwrap_or(0).div_ceil(1000))
    }

    /// Whether this many failures in a row erase the store.
    pub fn wipe_due(&self) -> bool {
        self.wipe_after > 0 && self.failures >= self.wipe_after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two processes opening one store at once (the app and the command line, or the fault
    /// harness's edit and sync) both write the count: each must succeed. A fixed temporary name
    /// let one rename the other's file away, and the other failed with "no such file".
    #[test]
    fn writers_at_the_same_moment_never_trip_over_each_others_temporary_file() {
        let dir = tempfile::tempdir().expect("tmp");
        let failures: usize = std::thread::scope(|s| {
            let writers: Vec<_> = (0..8u32)
                .map(|i| {
                    let dir = dir.path();
                    s.spawn(move || {
                        (0..200u32)
                            .filter(|n| {
                                let a = Attempts {
                                    failures: i * 1000 + n,
                                    ..Attempts::default()
                                };
                                a.write(dir).is_err()
                            })
                            .count()
                    })
                })
                .collect();
            writers.into_iter().map(|w| w.join().expect("joins")).sum()
        });
        assert_eq!(failures, 0, "every write succeeded");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("reads")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            left,
            [std::ffi::OsString::from(FILE)],
            "no temporary file is left"
        );
        // The file left is whole: one writer's count, not a mix (read() would hide a damaged
        // file behind the default).
        let last: Attempts =
            serde_json::from_slice(&std::fs::read(dir.path().join(FILE)).expect("the file"))
                .expect("a whole count");
        assert!(
            last.failures % 1000 < 200 && last.failures / 1000 < 8,
            "{last:?}"
        );
    }

    #[test]
    fn delays_start_after_three_failures_and_double_up_to_an_hour() {
        let secs = |n| delay_after(n).as_secs();
        assert_eq!((secs(0), secs(1), secs(2)), (0, 0, 0));
        assert_eq!((secs(3), secs(4), secs(5)), (30, 60, 120));
        assert_eq!(secs(9), 1920);
        assert_eq!((secs(10), secs(50), secs(u32::MAX)), (3600, 3600, 3600));
    }

    #[test]
    fn the_wait_runs_from_the_last_failure() {
        let t0: DateTime<Utc> = "2026-11-28T10:00:00Z".parse().expect("time");
        let a = Attempts {
            failures: 4,
            last_failure: Some(t0),
            wipe_after: 0,
        };
        assert_eq!(a.wait(t0), Some(60));
        assert_eq!(a.wait(t0 + chrono::Duration::milliseconds(59_500)), Some(1));
        assert_eq!(a.wait(t0 + chrono::Duration::seconds(60)), None);
        assert_eq!(Attempts::default().wait(t0), None);
    }
}
