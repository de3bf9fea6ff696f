//! samod in the benchmark: its server and a client in this process, the client reaching the
//! server through the link with samod's own TCP transport (4-byte length before each
//! message); and `samod-check`, samod alone, to check the harness.

use super::*;

pub(crate) struct Samod {
    pub(crate) server: samod::Repo,
    pub(crate) client: samod::Repo,
    pub(crate) link: Link,
    /// Case id to the server's handle.
    pub(crate) server_docs: HashMap<String, samod::DocHandle>,
    pub(crate) ids: Vec<(String, samod::DocumentId)>,
    pub(crate) client_docs: HashMap<String, samod::DocHandle>,
}

impl Samod {
    pub(crate) async fn start(docs: &HashMap<String, Vec<u8>>, shape: Shape) -> Res<Samod> {
        let server = samod::Repo::build_tokio().load().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let acceptor = server.make_acceptor(url::Url::parse("tcp://bench-server")?)?;
        tokio::spawn(async move {
            while let Ok((io, _)) = listener.accept().await {
                let _ = io.set_nodelay(true);
                let _ = acceptor.accept(samod::Transport::from_tokio_io(io));
            }
        });
        let mut server_docs = HashMap::new();
        let mut ids = Vec::new();
        let mut sorted: Vec<_> = docs.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (case, bytes) in sorted {
            let doc = Automerge::load(bytes)?;
            let h = server.create(doc).await?;
            ids.push((case.clone(), h.document_id().clone()));
            server_docs.insert(case.clone(), h);
        }
        let link = Link::start("127.0.0.1:0", addr, shape, Framing::Len32, 2).await?;
        let client = samod::Repo::build_tokio().load().await;
        Ok(Samod {
            server,
            client,
            link,
            server_docs,
            ids,
            client_docs: HashMap::new(),
        })
    }

    /// Connects the client, runs `during`, waits until `done` holds and the link has been
    /// quiet for a while, disconnects; the counts are from the first connection to the last
    /// byte delivered.
    pub(crate) async fn phase<F, Fut>(
        &mut self,
        phase: &str,
        during: F,
        done: impl Fn(&Samod) -> bool,
    ) -> Res<Row>
    where
        F: FnOnce(samod::Repo) -> Fut,
        Fut: std::future::Future<Output = Res<Vec<(String, samod::DocHandle)>>>,
    {
        self.link.take();
        let url = url::Url::parse(&format!("tcp://{}", self.link.addr()))?;
        let dialer = self
            .client
            .dial_tcp(url, samod::BackoffConfig::default())
            .map_err(|e| e.to_string())?;
        dialer.established().await.map_err(|e| e.to_string())?;
        let found = during(self.client.clone()).await?;
        for (case, h) in found {
            self.client_docs.insert(case, h);
        }
        let limit = Instant::now() + Duration::from_secs(600);
        while !done(self) && Instant::now() < limit {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let converged = done(self);
        // Quiet for 3 s (longer than a retransmission's gap): the conversation is over.
        self.link
            .quiet(Duration::from_secs(3), Duration::from_secs(120))
            .await;
        let stats = self.link.take();
        dialer.close();
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.link.take();
        Ok(Row {
            system: "samod",
            phase: phase.into(),
            stats,
            wall: None,
            note: if converged {
                String::new()
            } else {
                "did not converge".into()
            },
        })
    }

    pub(crate) fn heads_match(&self, cases: &[String]) -> bool {
        cases.iter().all(|c| {
            let (Some(s), Some(d)) = (self.server_docs.get(c), self.client_docs.get(c)) else {
                return false;
            };
            let mut a = s.with_document(|d| d.get_heads());
            let mut b = d.with_document(|d| d.get_heads());
            a.sort();
            b.sort();
            a == b
        })
    }
}

/// The changes of `new` that `old` lacks.
pub(crate) fn new_changes(old: &[u8], new: &[u8]) -> Res<Vec<automerge::Change>> {
    let old = Automerge::load(old)?;
    let new = Automerge::load(new)?;
    let heads: Vec<ChangeHash> = old.get_heads();
    Ok(new.get_changes(&heads))
}

/// `homeward-bench-peers samod-check N`: samod alone through the link with N small invented
/// documents (no Homeward), to check the harness: a first sync, one edit pulled, nothing.
pub(crate) fn samod_check(n: usize) -> Res<()> {
    use automerge::transaction::Transactable;
    let rt = tokio::runtime::Runtime::new()?;
    let shape = Shape::GPRS.faster(env_num("HOMEWARD_BENCH_FASTER", 1).max(1) as u32);
    let mut docs = HashMap::new();
    let mut edited = HashMap::new();
    for i in 0..n {
        let mut d = automerge::AutoCommit::new();
        for v in 0..20 {
            d.put(automerge::ROOT, format!("visit-{v}"), NOTE)?;
        }
        let case = format!("case-{i:04}");
        docs.insert(case.clone(), d.save());
        d.put(automerge::ROOT, "visit-new", NOTE)?;
        edited.insert(case, d.save());
    }
    let mut sm = rt.block_on(Samod::start(&docs, shape))?;
    let ids2 = sm.ids.clone();
    let all: Vec<String> = ids2.iter().map(|(c, _)| c.clone()).collect();
    let mut rows = vec![rt.block_on(sm.phase(
        "first sync",
        move |client| async move {
            let mut out = Vec::new();
            for (c, id) in ids2 {
                out.push((
                    c,
                    client
                        .find(id)
                        .await
                        .map_err(|_| "stopped")?
                        .ok_or("not found")?,
                ));
            }
            Ok(out)
        },
        |s| s.heads_match(&all),
    ))?];
    let one = all[n / 2].clone();
    let ch = new_changes(&docs[&one], &edited[&one])?;
    sm.server_docs[&one]
        .with_document(|d| d.apply_changes(ch))
        .map_err(|e| e.to_string())?;
    let w = vec![one];
    rows.push(rt.block_on(sm.phase(
        "one edited",
        |_| async { Ok(vec![]) },
        move |s| s.heads_match(&w),
    ))?);
    rows.push(rt.block_on(sm.phase("nothing changed", |_| async { Ok(vec![]) }, |_| true))?);
    print_rows(&rows);
    Ok(())
}
