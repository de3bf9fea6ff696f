//! Settings kept beside the encrypted store, in plain `settings.json`, because they are needed
//! before the PIN is typed: the language of the screens. Nothing about a child goes here.

use std::path::Path;

use homeward_shared::i18n::Lang;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Result};

/// The file name inside the data folder.
pub const FILE: &str = "settings.json";

/// The settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Language code of the screens (`hi` or `en`).
    pub lang: String,
}

impl Default for Settings {
    /// Hindi first: most fieldworkers read Hindi best.
    fn default() -> Self {
        Settings {
            lang: Lang::Hi.code().to_owned(),
        }
    }
}

/// Reads the settings; a missing or unreadable file gives the defaults (they hold nothing that
/// matters more than the language).
pub fn load(dir: &Path) -> Settings {
    std::fs::read(dir.join(FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<Settings>(&b).ok())
        .filter(|s| s.lang.parse::<Lang>().is_ok())
        .unwrap_or_default()
}

/// The language chosen on this device, if one was (the command line speaks English unless the
/// app's user chose a language, or `--lang` says).
pub fn chosen_lang(dir: &Path) -> Option<Lang> {
    std::fs::read(dir.join(FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<Settings>(&b).ok())
        .and_then(|s| s.lang.parse().ok())
}

/// Sets the language, refusing one Homeward does not speak.
pub fn set_language(dir: &Path, lang: &str) -> Result<Settings> {
    let lang: Lang = lang
        .parse()
        .map_err(|_| FieldError::BadInput(format!("unknown language '{lang}' (hi or en)")))?;
    let settings = Settings {
        lang: lang.code().to_owned(),
    };
    let bytes = serde_json::to_vec(&settings).map_err(|e| FieldError::BadInput(e.to_string()))?;
    crate::error::write_whole(&dir.join(FILE), &bytes)?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hindi_by_default_and_a_choice_survives() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(load(dir.path()).lang, "hi");
        assert_eq!(chosen_lang(dir.path()), None);
        set_language(dir.path(), "en").expect("set");
        assert_eq!(chosen_lang(dir.path()), Some(Lang::En));
        assert_eq!(load(dir.path()).lang, "en");
        assert!(set_language(dir.path(), "fr").is_err());
        assert_eq!(load(dir.path()).lang, "en");
        std::fs::write(dir.path().join(FILE), b"{broken").expect("write");
        assert_eq!(load(dir.path()).lang, "hi");
    }
}
