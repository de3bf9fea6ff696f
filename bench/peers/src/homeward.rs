//! Homeward in the benchmark, through its real release binaries: the server, devices made
//! with `homeward`, and one sync measured through the link.

use super::*;

pub(crate) struct Homeward {
    pub(crate) bin: PathBuf,
    pub(crate) db: PathBuf,
    pub(crate) server: Child,
    pub(crate) url: String,
}

impl Homeward {
    pub(crate) fn start(bin: &Path, root: &Path) -> Res<Homeward> {
        let db = root.join("server.db");
        let admin = |args: &[&str]| -> Res<String> {
            let o = Command::new(bin.join("homeward-sync-server"))
                .arg("--db")
                .arg(&db)
                .args(args)
                .output()?;
            if !o.status.success() {
                return Err(format!(
                    "homeward-sync-server {args:?}: {}",
                    String::from_utf8_lossy(&o.stderr)
                )
                .into());
            }
            Ok(String::from_utf8_lossy(&o.stdout).into_owned())
        };
        admin(&[
            "user",
            "add",
            "Bench Admin",
            "--id",
            "admin",
            "--role",
            "admin",
        ])?;
        let mut server = Command::new(bin.join("homeward-sync-server"))
            .arg("--db")
            .arg(&db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(server.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("the server said {line:?}"))?
            .to_owned();
        Ok(Homeward {
            bin: bin.to_owned(),
            db,
            server,
            url,
        })
    }

    pub(crate) fn addr(&self) -> Res<SocketAddr> {
        Ok(self.url.trim_start_matches("http://").parse()?)
    }

    pub(crate) fn code(&self) -> Res<String> {
        let o = Command::new(self.bin.join("homeward-sync-server"))
            .arg("--db")
            .arg(&self.db)
            .args(["device", "code", "admin"])
            .output()?;
        let out = String::from_utf8_lossy(&o.stdout);
        Ok(out.lines().last().ok_or("no code")?.trim().to_owned())
    }

    /// A new device in `dir`, enrolled with the server at `url` (the server itself, or a link).
    pub(crate) fn device(&self, dir: &Path, url: &str) -> Res<Device> {
        let d = Device {
            bin: self.bin.join("homeward"),
            dir: dir.to_owned(),
        };
        let code = self.code()?;
        d.ok(&["enrol", "--server", url, "--code", &code, "--name", "bench"])?;
        Ok(d)
    }
}

impl Drop for Homeward {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

pub(crate) struct Device {
    pub(crate) bin: PathBuf,
    pub(crate) dir: PathBuf,
}

impl Device {
    pub(crate) fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--data")
            .arg(self.dir.join("data"))
            .args(args)
            .env("HOMEWARD_PIN", PIN)
            .env(
                "HOMEWARD_KEYSTORE",
                format!("file:{}", self.dir.join("keys").display()),
            );
        c
    }

    pub(crate) fn ok(&self, args: &[&str]) -> Res<String> {
        let o = self.cmd(args).output()?;
        if !o.status.success() {
            return Err(format!(
                "homeward {args:?}: {}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
            .into());
        }
        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
    }

    /// `homeward sync`, timed; Ok(false) when it failed (a cut).
    pub(crate) fn sync(&self) -> Res<(bool, Duration, String)> {
        let t = Instant::now();
        let o = self.cmd(&["sync", "--retries", "0"]).output()?;
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        Ok((o.status.success(), t.elapsed(), out))
    }

    pub(crate) fn case_ids(&self) -> Res<Vec<String>> {
        let v: serde_json::Value = serde_json::from_str(&self.ok(&["--json", "case", "list"])?)?;
        let list = v
            .as_array()
            .cloned()
            .or_else(|| v.get("cases").and_then(|c| c.as_array()).cloned())
            .ok_or("case list: not an array")?;
        let mut ids: Vec<String> = list
            .iter()
            .filter_map(|c| {
                c.get("case_id")
                    .or_else(|| c.get("id"))
                    .and_then(|i| i.as_str())
                    .map(str::to_owned)
            })
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// The case's standard Automerge document (`homeward export --plain`).
    pub(crate) fn export(&self, id: &str, tmp: &Path) -> Res<Vec<u8>> {
        let file = tmp.join(format!("{id}.automerge"));
        self.ok(&["export", id, "-o", file.to_str().ok_or("path")?, "--plain"])?;
        let bytes = std::fs::read(&file)?;
        std::fs::remove_file(&file)?;
        Ok(bytes)
    }

    /// Exports many cases, two processes at a time.
    pub(crate) fn export_all(&self, ids: &[String], tmp: &Path) -> Res<HashMap<String, Vec<u8>>> {
        let out = std::sync::Mutex::new(HashMap::new());
        let err = std::sync::Mutex::new(None::<String>);
        let (out_ref, err_ref) = (&out, &err);
        std::thread::scope(|s| {
            for half in ids.chunks(ids.len().div_ceil(2).max(1)) {
                s.spawn(move || {
                    for id in half {
                        match self.export(id, tmp) {
                            Ok(b) => {
                                out_ref.lock().unwrap().insert(id.clone(), b);
                            }
                            Err(e) => *err_ref.lock().unwrap() = Some(e.to_string()),
                        }
                    }
                });
            }
        });
        if let Some(e) = err.into_inner().unwrap() {
            return Err(e.into());
        }
        Ok(out.into_inner().unwrap())
    }

    pub(crate) fn visit(&self, id: &str, today: &str) -> Res<()> {
        self.ok(&[
            "visit",
            "add",
            id,
            "--date",
            today,
            "--met",
            "child and mother",
            "--note",
            NOTE,
            "--next-steps",
            "Follow up with the block office.",
        ])?;
        Ok(())
    }
}

/// One measured Homeward sync of `dev` through `link`.
pub(crate) fn hw_sync(link: &Link, dev: &Device, phase: &str) -> Res<Row> {
    link.take();
    let (ok, wall, out) = dev.sync()?;
    std::thread::sleep(Duration::from_millis(200));
    let stats = link.take();
    if !ok {
        return Err(format!("homeward sync ({phase}) failed: {out}").into());
    }
    // The command's own summary: the bodies' bytes each way (the rest is HTTP heads).
    let bodies = out
        .lines()
        .find(|l| l.contains("bytes sent"))
        .map(|l| {
            let nums: Vec<&str> = l
                .split(['(', ')'])
                .filter(|p| p.contains("bytes"))
                .collect();
            format!(
                "bodies: {}",
                nums.join(" up, ")
                    .replace("bytes sent", "B")
                    .replace("bytes", "B down")
            )
        })
        .unwrap_or_default();
    Ok(Row {
        system: "Homeward",
        phase: phase.into(),
        stats,
        wall: Some(wall),
        note: bodies,
    })
}
