//! `homeward`: the field store's command line, for supervisors, administrators, scripts and
//! tests. Every verb is a thin layer over `homeward_field`; the verbs and flags are a contract.
//!
//! Exit codes: 0 success, 2 bad input (nothing changed), 1 anything else.

mod args;
mod attachments;
mod bundles;
mod edits;
mod error;
mod offline;
mod records;
mod render;
mod resources;
mod run;

use clap::Parser;
use homeward_field::keystore::Keystore;
use homeward_shared::i18n::{Catalogue, Lang};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::args::Cli;
use crate::error::{Error, Result, say};
use crate::run::run;

fn main() -> ExitCode {
    homeward_field::quiet_caught_panics();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line that names the bad value; exit 2.
            let text = e.render().to_string();
            let line = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("error: bad arguments");
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    // The language asked for, else the one chosen in the app on this device, else English.
    let lang = cli
        .lang
        .or_else(|| {
            data_dir(&cli)
                .ok()
                .and_then(|d| homeward_field::settings::chosen_lang(&d))
        })
        .unwrap_or(Lang::En);
    let words = Catalogue::new(lang);
    match run(cli, &words) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "{}",
                say(&words, "cli-error", &[("message", e.words(&words))])
            );
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
    }
}

pub(crate) fn data_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(d) = &cli.data {
        return Ok(d.clone());
    }
    if let Some(d) = std::env::var_os("HOMEWARD_DATA_DIR") {
        return Ok(PathBuf::from(d));
    }
    dirs::data_dir()
        .map(|d| d.join("homeward"))
        .ok_or_else(|| Error::bad("cli-err-no-data-dir", vec![]))
}

/// A warning on stderr, in words.
pub(crate) fn warn(words: &Catalogue, message: String) {
    eprintln!("{}", say(words, "cli-warning", &[("message", message)]));
}

/// Warns on stderr when the device secret's keystore protects less than a platform keystore.
pub(crate) fn warn_weak_keystore(keystore: &Keystore, words: &Catalogue) {
    match keystore {
        Keystore::SecretService => {}
        Keystore::File(dir) => warn(
            words,
            say(
                words,
                "cli-warn-file-keystore",
                &[("dir", dir.display().to_string())],
            ),
        ),
    }
}

/// The PIN from the environment variable `var`, else asked for with the message `prompt`.
pub(crate) fn pin(var: &str, prompt: &str, words: &Catalogue) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    rpassword::prompt_password(format!("{}: ", words.get(prompt))).map_err(|e| {
        Error::bad(
            "cli-err-pin-read",
            vec![("detail", e.to_string()), ("var", var.to_owned())],
        )
    })
}

pub(crate) fn out(
    json: bool,
    value: &impl serde::Serialize,
    text: impl FnOnce() -> String,
) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    let s = if json {
        serde_json::to_string_pretty(value)
            .map_err(|e| Error::failed("cli-err-json", vec![("detail", e.to_string())]))?
    } else {
        text()
    };
    // A closed pipe (`homeward today | head`) is not an error worth a message.
    let _ = writeln!(stdout, "{s}");
    Ok(())
}
