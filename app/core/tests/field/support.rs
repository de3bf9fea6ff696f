//! Shared helpers: a temporary store, the real binary, a fixed clock.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use homeward_field::Store;
use homeward_field::keystore::Keystore;
use homeward_shared::model::{
    Address, Author, Birth, Caregiver, Child, LegalBasis, Profile, Rescue, Sex,
};

pub const PIN: &str = "246813";

/// A temporary folder holding a data folder (`data/`, what [`Folder::path`] gives) and, beside
/// it, the file keystore of its device secret (`keys/`, never inside the data folder).
#[derive(Debug)]
pub struct Folder {
    tmp: tempfile::TempDir,
    data: PathBuf,
}

impl Folder {
    pub fn new() -> Folder {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        std::fs::create_dir(&data).expect("data folder");
        Folder { tmp, data }
    }

    /// The data folder.
    pub fn path(&self) -> &Path {
        &self.data
    }

    /// The folder around the data folder and the keystore (for files a test writes).
    pub fn outer(&self) -> &Path {
        self.tmp.path()
    }

    pub fn keystore(&self) -> Keystore {
        keystore_for(&self.data)
    }
}

/// The file keystore beside a data folder made by [`Folder`].
pub fn keystore_for(data: &Path) -> Keystore {
    Keystore::File(
        data.parent()
            .expect("a data folder inside a folder")
            .join("keys"),
    )
}

/// Opens the store of a data folder made by [`Folder`].
pub fn open(dir: &Path, pin: &str) -> homeward_field::Result<Store> {
    Store::open(dir, &keystore_for(dir), pin)
}

pub fn d(s: &str) -> NaiveDate {
    s.parse().expect("test dates are valid")
}

pub fn at(day: &str) -> DateTime<Utc> {
    d(day)
        .and_time(NaiveTime::from_hms_opt(9, 30, 0).expect("valid"))
        .and_utc()
}

pub fn author() -> Author {
    Author {
        user_id: "fw-1".into(),
        name: "Anita Kumari".into(),
    }
}

pub fn new_store(dir: &Path) -> Store {
    Store::init(dir, &keystore_for(dir), PIN, &author()).expect("a new store")
}

pub fn profile(id: &str, name: &str, village: &str) -> Profile {
    Profile {
        case_id: id.into(),
        child: Child {
            name: name.into(),
            other_names: vec![],
            sex: Sex::Female,
            birth: Birth::Estimated {
                years: 11,
                as_of: d("2026-09-01"),
            },
            caregiver: Some(Caregiver {
                name: "Meena Devi".into(),
                relation: "mother".into(),
                phone: Some("0000054321".into()),
            }),
            address: Address {
                district: "Gaya".into(),
                block: "Tekari".into(),
                panchayat: None,
                village: village.into(),
            },
        },
        rescue: Rescue {
            returned_on: d("2026-09-01"),
            city: Some("Jaipur".into()),
            ..Rescue::default()
        },
        legal_basis: LegalBasis::CwcOrder {
            reference: "CWC/GAYA/1".into(),
            dated: d("2026-09-01"),
        },
    }
}

/// The `homeward` binary (the homeward-cli crate), built beside this test's executable: the
/// workspace's test command builds every binary first (`cargo build --workspace --bins`, or
/// `cargo nextest run --workspace`).
pub fn homeward_bin() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let dir = exe.parent().and_then(Path::parent).expect("target/debug");
    let path = dir.join(format!("homeward{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` first (scripts/test does)",
        path.display()
    );
    path
}

/// The real `homeward` binary with a data folder and the PIN in the environment.
pub fn homeward(dir: &Path, args: &[&str]) -> Output {
    homeward_pin(dir, PIN, args)
}

pub fn homeward_pin(dir: &Path, pin: &str, args: &[&str]) -> Output {
    Command::new(homeward_bin())
        .arg("--data")
        .arg(dir)
        .args(args)
        .env("HOMEWARD_PIN", pin)
        .env("HOMEWARD_KEYSTORE", keystore_env(dir))
        .env_remove("HOMEWARD_DATA_DIR")
        .output()
        .expect("the homeward binary runs")
}

/// `HOMEWARD_KEYSTORE` for the binary working on a data folder made by [`Folder`].
pub fn keystore_env(dir: &Path) -> String {
    match keystore_for(dir) {
        Keystore::File(keys) => format!("file:{}", keys.display()),
        other => panic!("tests use a file keystore, not {other:?}"),
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs the binary and insists it succeeded; returns stdout.
#[track_caller]
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let o = homeward(dir, args);
    assert!(
        o.status.success(),
        "homeward {args:?} failed: {}",
        stderr(&o)
    );
    stdout(&o)
}
