//! Shared helpers: a temporary store, the real binary, a fixed clock.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use homeward_field::Store;
use homeward_shared::model::{
    Address, Author, Birth, Caregiver, Child, LegalBasis, Profile, Rescue, Sex,
};

pub const PIN: &str = "2468";

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
    Store::init(dir, PIN, &author()).expect("a new store")
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

/// The real `homeward` binary with a data folder and the PIN in the environment.
pub fn homeward(dir: &Path, args: &[&str]) -> Output {
    homeward_pin(dir, PIN, args)
}

pub fn homeward_pin(dir: &Path, pin: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_homeward"))
        .arg("--data")
        .arg(dir)
        .args(args)
        .env("HOMEWARD_PIN", pin)
        .env_remove("HOMEWARD_DATA_DIR")
        .output()
        .expect("the homeward binary runs")
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
