//! How much a person may type into the server: user ids, names, passwords, device names,
//! review comments, spot-check notes, values typed on the dashboard, and a dashboard form's
//! whole body. Each limit is far above honest use and far below what makes a page or the audit
//! log heavy (a 12-million-character name once made a 16 MB review page). Case fields are
//! limited by `shared::edit`.

use crate::error::ApiError;

/// A user id (letters, digits and `-`).
pub const USER_ID: usize = 64;
/// A user's name.
pub const NAME: usize = 120;
/// A dashboard password, in bytes (argon2 reads every byte).
pub const PASSWORD: usize = 1024;
/// The shortest dashboard password.
pub const PASSWORD_MIN: usize = 4;
/// A device's name.
pub const DEVICE_NAME: usize = 80;
/// A supervisor's review comment.
pub const COMMENT: usize = 2000;
/// A spot-check note.
pub const NOTE: usize = 2000;
/// A value typed on the conflict form.
pub const VALUE: usize = 2000;
/// A dashboard form's body, in bytes.
pub const FORM_BODY: usize = 64 * 1024;

/// Refuses `value` when it is longer than `max` characters, naming `what` it is.
pub fn check(what: &str, value: &str, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n > max {
        return Err(ApiError::BadRequest(format!(
            "the {what} is {n} characters long: at most {max} are allowed, shorten it"
        )));
    }
    Ok(())
}
