//! The Secret Service backend for real: a private D-Bus session with GNOME Keyring's secrets
//! component, unlocked with a test password, as a Linux desktop has it. Needs Debian's `dbus`
//! and `gnome-keyring` (`bash .ci/run` installs them).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use crate::support::{Folder, PIN, stderr, stdout};

/// A private session bus with an unlocked GNOME Keyring of its own (its keyring files in a
/// temporary folder), ended when dropped.
struct Session {
    child: Child,
    bus: String,
    _home: tempfile::TempDir,
}

impl Session {
    fn start() -> Session {
        let home = tempfile::tempdir().expect("tempdir");
        let script = "printf homeward-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
                      && echo \"$DBUS_SESSION_BUS_ADDRESS\" && exec cat";
        let mut child = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", script])
            .env("XDG_DATA_HOME", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "dbus-run-session and gnome-keyring are installed (bash .ci/run installs them)",
            );
        let mut bus = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut bus)
            .expect("the session prints its bus address");
        assert!(
            bus.starts_with("unix:"),
            "no session bus with a keyring ({bus:?}): install dbus and gnome-keyring"
        );
        Session {
            child,
            bus: bus.trim().to_owned(),
            _home: home,
        }
    }

    /// The real binary in this session, with the platform's keystore (no HOMEWARD_KEYSTORE).
    fn homeward(&self, dir: &Path, args: &[&str]) -> Output {
        Command::new(crate::support::homeward_bin())
            .arg("--data")
            .arg(dir)
            .args(args)
            .env("HOMEWARD_PIN", PIN)
            .env_remove("HOMEWARD_KEYSTORE")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .output()
            .expect("runs")
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Closing its stdin ends `cat`, then the session and its keyring.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

#[test]
fn the_secret_service_keeps_the_device_secret_and_a_copied_folder_does_not_open_elsewhere() {
    let desktop = Session::start();
    let tmp = Folder::new();
    let dir = tmp.path();
    let o = desktop.homeward(dir, &["init"]);
    assert!(o.status.success(), "init: {}", stderr(&o));
    let device: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("device.json")).expect("device.json"))
            .expect("JSON");
    assert_eq!(device["keystore"], "secret-service", "the Linux default");
    let o = desktop.homeward(
        dir,
        &[
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
            "Tekari",
            "--village",
            "Madhopur",
            "--returned-on",
            "2026-11-01",
        ],
    );
    assert!(o.status.success(), "case add: {}", stderr(&o));
    let o = desktop.homeward(dir, &["case", "list"]);
    assert!(
        stdout(&o).contains("Rani Paswan"),
        "a new process reads the secret back: {}",
        stderr(&o)
    );

    // The same folder copied to another desktop (another keyring) does not open with the PIN.
    let elsewhere = Session::start();
    let copy = Folder::new();
    for e in std::fs::read_dir(dir).expect("dir") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), copy.path().join(e.file_name())).expect("copy");
    }
    let o = elsewhere.homeward(copy.path(), &["case", "list"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not in this keystore"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stdout(&o).contains("Rani Paswan"),
        "nothing of the case is shown"
    );
}
