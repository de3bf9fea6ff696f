//! The command line's verbs, as `--help` lists them: the contract scripts and tests rely on.
//!
//! This test also makes `cargo test` / `cargo nextest run` build the `homeward` binary itself
//! (cargo builds a package's binaries for its integration tests), which the field library's
//! tests in `app/core/tests/field/` run: without a test here they could run a stale binary.

use std::process::Command;

#[test]
fn every_verb_of_the_contract_is_listed() {
    let out = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .arg("--help")
        .output()
        .expect("the binary runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for verb in [
        "init",
        "case",
        "assess",
        "visit",
        "need",
        "summons",
        "incident",
        "legal",
        "hearing",
        "school",
        "family",
        "risk",
        "service",
        "document",
        "today",
        "export",
        "import",
        "demo",
        "enrol",
        "sync",
        "spot-check",
        "pin",
        "resource",
        "refer",
        "referral",
    ] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("{verb} "))),
            "`homeward --help` lists {verb}: {help}"
        );
    }
}

/// A data folder and a key folder of its own, removed at the end of the test.
struct Device {
    root: std::path::PathBuf,
}

impl Device {
    fn new(name: &str) -> Device {
        let root = std::env::temp_dir().join(format!(
            "homeward-cli-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(root.join("keys")).expect("a key folder");
        Device { root }
    }

    fn data(&self) -> std::path::PathBuf {
        self.root.join("data")
    }

    /// `homeward --data DIR ARGS` with the PIN and a file keystore in the environment.
    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_homeward"))
            .arg("--data")
            .arg(self.data())
            .args(args)
            .env("HOMEWARD_PIN", "582913")
            .env(
                "HOMEWARD_KEYSTORE",
                format!("file:{}", self.root.join("keys").display()),
            )
            .env_remove("HOMEWARD_DATA_DIR")
            .env_remove("HOMEWARD_PROGRAMME")
            .output()
            .expect("the binary runs")
    }

    /// Runs and insists on success; returns stdout.
    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "homeward {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

const RANI: [&str; 14] = [
    "case",
    "add",
    "--name",
    "Rani Paswan",
    "--sex",
    "f",
    "--age",
    "12",
    "--district",
    "Gaya",
    "--block",
    "Bodh Gaya",
    "--village",
    "Madhopur",
];

/// Prefixes `--lang LANG` to `args`.
fn with_lang<'a>(lang: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--lang", lang];
    all.extend_from_slice(args);
    all
}

/// What a person reads after each step of a day, in one language.
struct Heard {
    registered: String,
    visit: String,
    today: String,
    refused: (Option<i32>, String),
    duplicate: (Option<i32>, String),
    case_id: String,
}

/// Registers a child, records a visit and a summons, lists today's prompts, and tries a visit
/// in the future and the same child again, all with `--lang LANG`.
fn a_day_in(lang: &str) -> Heard {
    let device = Device::new(lang);
    let run = |args: &[&str]| device.run(&with_lang(lang, args));
    let ok = |args: &[&str]| device.ok(&with_lang(lang, args));
    ok(&["init"]);
    let mut rani = RANI.to_vec();
    rani.extend_from_slice(&["--returned-on", "2026-11-01"]);
    let registered = ok(&rani);
    let case_id = registered.lines().last().expect("the id").trim().to_owned();
    let visit = ok(&[
        "visit",
        "add",
        &case_id,
        "--date",
        "2026-11-18",
        "--need",
        "education=not_enrolled",
    ]);
    ok(&[
        "summons",
        "add",
        &case_id,
        "--received-on",
        "2026-11-19",
        "--hearing",
        "2026-11-25",
    ]);
    let today = ok(&["today", "--date", "2026-11-20"]);
    let refused = run(&["visit", "add", &case_id, "--date", "2099-01-01"]);
    let mut again = RANI.to_vec();
    again.extend_from_slice(&["--returned-on", "2026-11-02"]);
    let duplicate = run(&again);
    let err = |o: &std::process::Output| {
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    Heard {
        registered,
        visit,
        today,
        refused: err(&refused),
        duplicate: err(&duplicate),
        case_id,
    }
}

/// Issue 11: every message the command line prints comes from the catalogue, in the language
/// `--lang` asks for.
#[test]
fn with_lang_hi_the_command_line_speaks_hindi_from_the_catalogue() {
    let hi = a_day_in("hi");
    assert!(
        hi.registered.starts_with("Rani Paswan का पंजीकरण हो गया"),
        "a saved record: {}",
        hi.registered
    );
    assert!(
        hi.visit.starts_with("मुलाक़ात सहेज ली"),
        "a saved visit: {}",
        hi.visit
    );
    for words in [
        "20 नवंबर 2026 के लिए",
        "अति आवश्यक",
        "अदालत का समन: परिवार से मिलें",
        "19 नवंबर 2026 को अदालत का समन मिला",
        "अति आवश्यक 20 नवंबर 2026 तक",
    ] {
        assert!(
            hi.today.contains(words),
            "today's listing says {words:?}: {}",
            hi.today
        );
    }
    for english in ["URGENT", "prompts for", "due ", "Court summons"] {
        assert!(
            !hi.today.contains(english),
            "no English {english:?} in the Hindi listing: {}",
            hi.today
        );
    }
    assert_eq!(hi.refused.0, Some(2), "a date in the future is bad input");
    assert_eq!(
        hi.refused.1.trim_end(),
        "गड़बड़ी: मुलाक़ात की तारीख़ (1 जनवरी 2099) भविष्य की तारीख़ है",
        "the refusal, worded from the catalogue"
    );
    assert_eq!(hi.duplicate.0, Some(2), "a likely duplicate is refused");
    assert!(
        hi.duplicate
            .1
            .starts_with("गड़बड़ी: Rani Paswan इस स्टोर में पहले से दर्ज एक बच्चे जैसा लगता है")
            && hi.duplicate.1.contains(&hi.case_id)
            && hi.duplicate.1.contains("(Madhopur, Gaya, 12 वर्ष)")
            && hi
                .duplicate
                .1
                .contains("नाम, ज़िला, उम्र (2 वर्ष के अंतर तक), गाँव एक जैसे हैं")
            && hi.duplicate.1.contains("--not-duplicate"),
        "the duplicate refusal names the case, why, and the way past it: {}",
        hi.duplicate.1
    );
}

#[test]
fn with_lang_en_the_command_line_speaks_english() {
    let en = a_day_in("en");
    assert!(
        en.registered.starts_with("registered Rani Paswan"),
        "{}",
        en.registered
    );
    assert!(en.visit.starts_with("visit saved"), "{}", en.visit);
    for words in [
        "prompts for 20 November 2026",
        "URGENT",
        "due 20 November 2026",
        "Court summons: reach the family",
    ] {
        assert!(
            en.today.contains(words),
            "today's listing says {words:?}: {}",
            en.today
        );
    }
    assert!(
        !en.today
            .chars()
            .any(|c| ('\u{0900}'..='\u{097F}').contains(&c)),
        "no Devanagari in English: {}",
        en.today
    );
    assert_eq!(en.refused.0, Some(2));
    assert_eq!(
        en.refused.1.trim_end(),
        "error: visit date (1 January 2099) is in the future"
    );
    assert_eq!(en.duplicate.0, Some(2));
    assert!(
        en.duplicate
            .1
            .starts_with("error: Rani Paswan looks like a child already in this store")
            && en.duplicate.1.contains(&en.case_id)
            && en
                .duplicate
                .1
                .contains("same name, district, age (within 2 years), village"),
        "{}",
        en.duplicate.1
    );
}

/// Without `--lang`, the command line speaks the language chosen in the app on this device;
/// `--json` stays language-neutral (keys and ISO dates) whatever the language.
#[test]
fn without_lang_the_store_language_setting_is_used_and_json_stays_neutral() {
    let device = Device::new("setting");
    device.ok(&["init"]);
    let mut rani = RANI.to_vec();
    rani.extend_from_slice(&["--returned-on", "2026-11-01"]);
    assert!(
        device.ok(&rani).starts_with("registered"),
        "English before a language is chosen"
    );
    homeward_field::settings::set_language(&device.data(), "hi").expect("the app's setting");
    let o = device.run(&["case", "show", "nosuch"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        "गड़बड़ी: इस स्टोर में मामला 'nosuch' नहीं है"
    );
    let list: serde_json::Value =
        serde_json::from_str(&device.ok(&["--json", "case", "list"])).expect("JSON");
    assert_eq!(list[0]["risk"], "high", "a key, not a word: {list}");
    assert_eq!(list[0]["state"], "active", "{list}");
    let id = list[0]["id"].as_str().expect("an id");
    let shown: serde_json::Value =
        serde_json::from_str(&device.ok(&["--json", "case", "show", id])).expect("JSON");
    assert_eq!(
        shown["case"]["rescue"]["returned_on"], "2026-11-01",
        "an ISO date"
    );
    assert_eq!(shown["case"]["child"]["sex"], "female", "{shown}");
}
