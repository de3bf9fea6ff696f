//! pouchdb-server and a PouchDB client (Node) in the benchmark, with the cases as JSON.

use super::*;

pub(crate) struct Pouch {
    pub(crate) server: Child,
    pub(crate) client: Child,
    pub(crate) stdin: ChildStdin,
    pub(crate) stdout: BufReader<ChildStdout>,
    pub(crate) direct: String,
    pub(crate) link: Link,
}

impl Pouch {
    pub(crate) async fn start(node: &Path, root: &Path, shape: Shape) -> Res<Pouch> {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0")?;
            l.local_addr()?.port()
        };
        let dir = root.join("pouchdb-server");
        std::fs::create_dir_all(&dir)?;
        let server = Command::new("node")
            .arg(node.join("node_modules/pouchdb-server/bin/pouchdb-server"))
            .args([
                "--in-memory",
                "--no-stdout-logs",
                "--port",
                &port.to_string(),
            ])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
        let limit = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(addr).is_err() {
            if Instant::now() > limit {
                return Err("pouchdb-server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let mut client = Command::new("node")
            .arg(node.join("client.js"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = client.stdin.take().ok_or("stdin")?;
        let stdout = BufReader::new(client.stdout.take().ok_or("stdout")?);
        let link = Link::start("127.0.0.1:0", addr, shape, Framing::Http, 3).await?;
        Ok(Pouch {
            server,
            client,
            stdin,
            stdout,
            direct: format!("http://{addr}/cases"),
            link,
        })
    }

    pub(crate) fn cmd(&mut self, cmd: serde_json::Value) -> Res<serde_json::Value> {
        writeln!(self.stdin, "{cmd}")?;
        self.stdin.flush()?;
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        let v: serde_json::Value = serde_json::from_str(&line)?;
        if v["ok"] != true {
            return Err(format!("PouchDB {cmd}: {}", v["error"]).into());
        }
        Ok(v)
    }

    pub(crate) fn via_link(&self) -> String {
        format!("http://{}/cases", self.link.addr())
    }

    pub(crate) fn sync(&mut self, phase: &str) -> Res<Row> {
        self.link.take();
        let url = self.via_link();
        let v = self.cmd(serde_json::json!({"cmd": "sync", "url": url}))?;
        std::thread::sleep(Duration::from_millis(200));
        let stats = self.link.take();
        Ok(Row {
            system: "pouchdb-server",
            phase: phase.into(),
            stats,
            wall: v["ms"]
                .as_f64()
                .map(|ms| Duration::from_secs_f64(ms / 1000.0)),
            note: format!("pulled {}, pushed {}", v["pulled"], v["pushed"]),
        })
    }
}

impl Drop for Pouch {
    fn drop(&mut self) {
        let _ = self.client.kill();
        let _ = self.client.wait();
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// The case as one JSON document, as a CouchDB user would keep it.
pub(crate) fn json_doc(case: &str, bytes: &[u8]) -> Res<String> {
    let doc = Automerge::load(bytes)?;
    let mut v = serde_json::to_value(automerge::AutoSerde::from(&doc))?;
    let obj = v.as_object_mut().ok_or("not a map")?;
    // CouchDB reserves top-level keys that start with '_'.
    let keys: Vec<String> = obj.keys().filter(|k| k.starts_with('_')).cloned().collect();
    for k in keys {
        if let Some(x) = obj.remove(&k) {
            obj.insert(format!("u{k}"), x);
        }
    }
    obj.insert("_id".into(), serde_json::Value::String(case.to_owned()));
    Ok(serde_json::to_string(&v)?)
}

pub(crate) fn write_jsonl(
    path: &Path,
    docs: &HashMap<String, Vec<u8>>,
    which: &[String],
) -> Res<u64> {
    let mut out = String::new();
    for c in which {
        out.push_str(&json_doc(c, &docs[c])?);
        out.push('\n');
    }
    std::fs::write(path, &out)?;
    Ok(out.len() as u64)
}
