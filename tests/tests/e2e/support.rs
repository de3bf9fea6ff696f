//! Starting the real server and running the real client.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub use homeward_sync_server::store::testing::{db_flag, on_postgres, open as open_store};

pub const PIN: &str = "246813";

/// A built binary of the workspace, beside this test's executable.
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let dir = exe.parent().and_then(Path::parent).expect("target/debug");
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` first (scripts/test does)",
        path.display()
    );
    path
}

/// The server, killed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
    pub db: PathBuf,
    /// `HOMEWARD_DB_KEY`, when the database is encrypted.
    pub key: Option<String>,
}

impl Server {
    /// Starts `homeward-sync-server serve` on a free port with the database `db`.
    pub fn start(db: &Path) -> Server {
        Server::start_at(db, "127.0.0.1:0")
    }

    /// Starts the server on `listen` (a restarted server keeps its address: devices send their
    /// token only to the address they enrolled with).
    pub fn start_at(db: &Path, listen: &str) -> Server {
        Server::start_with(db, listen, None)
    }

    /// Starts the server on a free port with the database `db` encrypted at rest with `key`
    /// (`HOMEWARD_DB_KEY`).
    pub fn start_encrypted(db: &Path, key: &str) -> Server {
        Server::start_with(db, "127.0.0.1:0", Some(key))
    }

    /// Starts the server on a free port with these environment variables set.
    pub fn start_env(db: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_full(db, "127.0.0.1:0", None, env)
    }

    fn start_with(db: &Path, listen: &str, key: Option<&str>) -> Server {
        Server::start_full(db, listen, key, &[])
    }

    fn start_full(db: &Path, listen: &str, key: Option<&str>, env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(bin("homeward-sync-server"));
        cmd.envs(env.iter().copied());
        cmd.arg("--db")
            .arg(db_flag(db))
            .args(["serve", "--listen", listen])
            .env("RUST_LOG", "warn");
        if let Some(key) = key {
            cmd.env("HOMEWARD_DB_KEY", key);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the server prints its address");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server {
            child,
            url,
            db: db.to_owned(),
            key: key.map(str::to_owned),
        }
    }

    /// Kills the server at once (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The `HOST:PORT` the server listens on.
    pub fn addr(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// Runs an admin verb against the server's database; returns stdout.
    pub fn admin(&self, args: &[&str]) -> String {
        admin_with(&self.db, self.key.as_deref(), args)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `homeward-sync-server --db DB ARGS` and insists it succeeded.
pub fn admin(db: &Path, args: &[&str]) -> String {
    admin_with(db, None, args)
}

/// Runs `homeward-sync-server --db DB ARGS`, with `HOMEWARD_DB_KEY` when `key` is given, and
/// insists it succeeded.
pub fn admin_with(db: &Path, key: Option<&str>, args: &[&str]) -> String {
    let mut cmd = Command::new(bin("homeward-sync-server"));
    cmd.arg("--db").arg(db_flag(db)).args(args);
    if let Some(key) = key {
        cmd.env("HOMEWARD_DB_KEY", key);
    }
    let o = cmd.output().expect("runs");
    assert!(
        o.status.success(),
        "homeward-sync-server {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A one-time enrolment code for a user.
pub fn code(server: &Server, user: &str) -> String {
    server
        .admin(&["device", "code", user])
        .lines()
        .last()
        .expect("a code")
        .trim()
        .to_owned()
}

/// A field device: a data folder used by the real `homeward` binary (`dir/data`), with its
/// device secret in a file keystore beside it (`dir/keys`).
pub struct Device {
    pub dir: tempfile::TempDir,
}

impl Device {
    /// A device with nothing on it yet.
    pub fn new() -> Device {
        Device {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// The data folder.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `HOMEWARD_KEYSTORE` for this device.
    pub fn keystore(&self) -> String {
        format!("file:{}", self.dir.path().join("keys").display())
    }

    /// The real binary on this device's folder, not yet run.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(bin("homeward"));
        cmd.arg("--data")
            .arg(self.data())
            .env("HOMEWARD_PIN", PIN)
            .env("HOMEWARD_KEYSTORE", self.keystore());
        cmd
    }

    /// Enrols a new device for `user`.
    pub fn enrol(server: &Server, user: &str) -> Device {
        Device::enrol_at(server, user, &server.url)
    }

    /// Enrols a new device for `user` with the server at `url` (a link in front of it).
    pub fn enrol_at(server: &Server, user: &str, url: &str) -> Device {
        let device = Device::new();
        let code = code(server, user);
        device.ok(&["enrol", "--server", url, "--code", &code]);
        device
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("homeward runs")
    }

    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "homeward {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).expect("JSON")
    }

    pub fn sync(&self) -> serde_json::Value {
        self.json(&["sync", "--retries", "0"])
    }

    /// Registers a case in a village of `district`/`block`; returns its id.
    pub fn add_case(&self, name: &str, district: &str, block: &str) -> String {
        let out = self.ok(&[
            "case",
            "add",
            "--name",
            name,
            "--sex",
            "f",
            "--age",
            "11",
            "--district",
            district,
            "--block",
            block,
            "--village",
            "Keshopur",
            "--returned-on",
            "2026-10-01",
        ]);
        out.lines().last().expect("id").trim().to_owned()
    }

    /// The ids of the cases on the device.
    pub fn case_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .json(&["case", "list"])
            .as_array()
            .expect("a list")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect();
        ids.sort();
        ids
    }

    /// The visit ids of a case, sorted.
    pub fn visit_ids(&self, case: &str) -> Vec<String> {
        let shown = self.json(&["case", "show", case]);
        let mut ids: Vec<String> = shown["case"]["visits"]
            .as_array()
            .expect("visits")
            .iter()
            .map(|v| v["id"].as_str().expect("id").to_owned())
            .collect();
        ids.sort();
        ids
    }
}

/// Adds a user through the server's command line.
pub fn user(db: &Path, name: &str, role: &str, areas: &[&str]) {
    let mut args = vec!["user", "add", name, "--role", role];
    for a in areas {
        if a.contains('/') {
            args.extend(["--block", a]);
        } else {
            args.extend(["--district", a]);
        }
    }
    admin(db, &args);
}
