//! A 2G link in user space (the kernel here has no `netem`): a TCP proxy that every byte
//! between a client and its server crosses.
//!
//! - **Rate**: each direction is one radio shared by every connection, carrying
//!   [`Shape::rate`] bytes a second. A segment (at most [`MSS`] bytes read from the sender)
//!   takes its airtime on that radio after the segments before it, and the next is read only
//!   once it has gone, so a sender's writes back up as over a real slow link.
//! - **Delay**: a segment reaches the other side [`Shape::delay`] after its airtime ends (one
//!   way: 300 ms each way is 2G's 600 ms round trip). A new connection first waits one round
//!   trip (the TCP handshake across the link) before its first byte leaves.
//! - **Loss**: each segment is lost with probability [`Shape::loss`]; a lost segment is sent
//!   again after a retransmission timeout ([`Shape::rto`]) and takes its airtime twice, and
//!   TCP delivers in order, so everything behind it on that connection waits too. The
//!   losses come from a seeded generator: a run is repeatable.
//! - **Cuts**: [`Link::cut_after`] lets N more bytes go down (server to client), then closes
//!   every open connection, both sides; new connections go through.
//! - **Counting**: bytes each way as they leave the sender (payload bytes: HTTP headers and
//!   bodies, or framed messages; TCP/IP headers and retransmitted copies are not counted),
//!   connections, and, as the streams are read, HTTP/1.1 requests with the size of each
//!   answer ([`Framing::Http`]) or length-prefixed messages each way ([`Framing::Len32`],
//!   samod's TCP framing). Answers' bodies can be kept for inspection ([`Link::keep_bodies`]).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

/// The largest segment read at once (Ethernet's MSS).
pub const MSS: usize = 1460;

/// How slow and lossy the link is.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Bytes a second, each way.
    pub rate: u64,
    /// One-way delay.
    pub delay: Duration,
    /// Probability that a segment is lost (and sent again after `rto`).
    pub loss: f64,
    /// Retransmission timeout: how late a lost segment arrives.
    pub rto: Duration,
}

impl Shape {
    /// 2G: 64 kbit/s each way, 600 ms round trip, 1% loss, a 1 s retransmission timeout (RFC
    /// 6298's floor; Linux's is 200 ms plus the measured variance, about 0.8 s at this RTT).
    pub const GPRS: Shape = Shape {
        rate: 8_000,
        delay: Duration::from_millis(300),
        loss: 0.01,
        rto: Duration::from_millis(1_000),
    };

    /// `k` times faster (rate times k, delay and timeout over k), for a quick smoke run.
    pub fn faster(self, k: u32) -> Shape {
        Shape {
            rate: self.rate * u64::from(k),
            delay: self.delay / k,
            loss: self.loss,
            rto: self.rto / k,
        }
    }

    fn airtime(self, n: usize) -> Duration {
        Duration::from_secs_f64(n as f64 / self.rate.max(1) as f64)
    }
}

/// How the client's and the server's byte streams are read for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// HTTP/1.1 requests and their answers.
    Http,
    /// Messages with a 4-byte big-endian length before each (samod over TCP).
    Len32,
}

/// What crossed the link since the last [`Link::take`].
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Bytes from the client.
    pub up: u64,
    /// Bytes to the client.
    pub down: u64,
    /// Connections opened.
    pub connections: u64,
    /// HTTP requests, or messages up.
    pub requests: u64,
    /// Messages down (Len32).
    pub messages_down: u64,
    /// Segments lost and sent again.
    pub lost: u64,
    /// When the first connection of the period was opened.
    pub first: Option<Instant>,
    /// When the last byte was delivered (either way).
    pub last: Option<Instant>,
    /// Per HTTP request: (method and path, bytes of the answer delivered, whether it was whole).
    pub answers: Vec<(String, u64, bool)>,
    /// Bodies of the answers, when kept.
    pub bodies: Vec<Vec<u8>>,
}

impl Stats {
    /// From the first connection to the last byte delivered.
    pub fn span(&self) -> Duration {
        match (self.first, self.last) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => Duration::ZERO,
        }
    }
}

struct Shared {
    shape: Shape,
    framing: Framing,
    stats: Mutex<Stats>,
    /// When each direction's radio is next free: [up, down].
    radio: [Mutex<Instant>; 2],
    rng: Mutex<fastrand::Rng>,
    /// Bytes still allowed down before a cut, when armed.
    cut: Mutex<Option<u64>>,
    /// Bumped at each cut: every connection open then closes.
    cuts: watch::Sender<u64>,
    keep_bodies: AtomicBool,
    last_activity: AtomicU64,
    epoch: Instant,
}

/// A running link: clients connect to [`Link::addr`], which forwards to the target.
#[derive(Clone)]
pub struct Link {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl Link {
    /// Listens on `listen` (port 0: any) and forwards every connection to `target`.
    pub async fn start(
        listen: &str,
        target: SocketAddr,
        shape: Shape,
        framing: Framing,
        seed: u64,
    ) -> std::io::Result<Link> {
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let now = Instant::now();
        let shared = Arc::new(Shared {
            shape,
            framing,
            stats: Mutex::new(Stats::default()),
            radio: [Mutex::new(now), Mutex::new(now)],
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            cut: Mutex::new(None),
            cuts: watch::channel(0).0,
            keep_bodies: AtomicBool::new(false),
            last_activity: AtomicU64::new(0),
            epoch: now,
        });
        let s = shared.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let _ = client.set_nodelay(true);
                let s = s.clone();
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(target).await {
                        let _ = server.set_nodelay(true);
                        connection(s, client, server).await;
                    }
                });
            }
        });
        Ok(Link { shared, addr })
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The counts since the last call, and starts counting again.
    pub fn take(&self) -> Stats {
        std::mem::take(&mut *self.shared.stats.lock().unwrap())
    }

    /// Lets `n` more bytes go down, then cuts every open connection (once).
    pub fn cut_after(&self, n: u64) {
        *self.shared.cut.lock().unwrap() = Some(n);
    }

    /// Keeps (or stops keeping) the bodies of HTTP answers in [`Stats::bodies`].
    pub fn keep_bodies(&self, keep: bool) {
        self.shared.keep_bodies.store(keep, Ordering::SeqCst);
    }

    /// How long since the last byte was delivered either way.
    pub fn idle(&self) -> Duration {
        let last = Duration::from_micros(self.shared.last_activity.load(Ordering::SeqCst));
        (Instant::now() - self.shared.epoch).saturating_sub(last)
    }

    /// Waits until no byte has crossed for `quiet` (at most `max`).
    pub async fn quiet(&self, quiet: Duration, max: Duration) {
        let until = Instant::now() + max;
        while self.idle() < quiet && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// One direction's segment, due at the far side at `at`.
struct Segment {
    at: Instant,
    bytes: Vec<u8>,
}

async fn connection(s: Arc<Shared>, client: TcpStream, server: TcpStream) {
    {
        let mut st = s.stats.lock().unwrap();
        st.connections += 1;
        st.first.get_or_insert_with(Instant::now);
    }
    let mut cut = s.cuts.subscribe();
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let (up_tx, up_rx) = mpsc::unbounded_channel();
    let (down_tx, down_rx) = mpsc::unbounded_channel();
    // The handshake: one round trip before the client's first byte leaves.
    let handshake = Instant::now() + s.shape.delay * 2;
    let work = async {
        tokio::join!(
            pump(s.clone(), cr, up_tx, true, handshake),
            deliver(s.clone(), up_rx, sw, true),
            pump(s.clone(), sr, down_tx, false, handshake),
            deliver(s.clone(), down_rx, cw, false),
        );
    };
    tokio::select! {
        _ = work => {}
        _ = cut.changed() => {}
    }
}

/// Reads segments from one side, gives each its airtime on the direction's radio and its
/// delay (and loss), and hands it to [`deliver`].
async fn pump(
    s: Arc<Shared>,
    mut from: tokio::net::tcp::OwnedReadHalf,
    to: mpsc::UnboundedSender<Segment>,
    up: bool,
    start: Instant,
) {
    tokio::time::sleep_until(start).await;
    let mut buf = vec![0u8; MSS];
    let mut reader = Reader::new(s.framing, up);
    let mut last_due = start;
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut n = n;
        let mut cut_now = false;
        if !up {
            let mut cut = s.cut.lock().unwrap();
            if let Some(left) = *cut {
                if (n as u64) >= left {
                    n = left as usize;
                    cut_now = true;
                    *cut = None;
                } else {
                    *cut = Some(left - n as u64);
                }
            }
        }
        let lost = s.rng.lock().unwrap().f64() < s.shape.loss;
        let air = s.shape.airtime(n) * if lost { 2 } else { 1 };
        let sent = {
            let mut radio = s.radio[usize::from(!up)].lock().unwrap();
            let begin = (*radio).max(Instant::now());
            *radio = begin + air;
            *radio
        };
        let mut due = sent + s.shape.delay + if lost { s.shape.rto } else { Duration::ZERO };
        // In order: nothing overtakes a segment sent again.
        due = due.max(last_due);
        last_due = due;
        {
            let mut st = s.stats.lock().unwrap();
            if up {
                st.up += n as u64;
            } else {
                st.down += n as u64;
            }
            if lost {
                st.lost += 1;
            }
            let keep = s.keep_bodies.load(Ordering::Relaxed);
            reader.feed(&buf[..n], &mut st, keep);
        }
        if n > 0
            && to
                .send(Segment {
                    at: due,
                    bytes: buf[..n].to_vec(),
                })
                .is_err()
        {
            break;
        }
        // The radio carries this segment before the next is read.
        tokio::time::sleep_until(sent).await;
        if cut_now {
            // Let the last bytes arrive, then close every connection.
            tokio::time::sleep_until(due + Duration::from_millis(20)).await;
            s.cuts.send_modify(|n| *n += 1);
            break;
        }
    }
}

/// Writes each segment to the far side when it is due.
async fn deliver(
    s: Arc<Shared>,
    mut from: mpsc::UnboundedReceiver<Segment>,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    up: bool,
) {
    while let Some(seg) = from.recv().await {
        tokio::time::sleep_until(seg.at).await;
        if to.write_all(&seg.bytes).await.is_err() {
            break;
        }
        let now = Instant::now();
        s.last_activity.store(
            u64::try_from((now - s.epoch).as_micros()).unwrap_or(u64::MAX),
            Ordering::SeqCst,
        );
        s.stats.lock().unwrap().last = Some(now);
        let _ = up;
    }
    let _ = to.shutdown().await;
}

/// Reads one direction's bytes as HTTP/1.1 messages or length-prefixed frames, to count them.
struct Reader {
    framing: Framing,
    up: bool,
    /// The head being read (HTTP), or the length prefix (Len32).
    head: Vec<u8>,
    /// Body bytes still to come in the current message.
    body_left: u64,
    /// Chunked transfer: reading chunk sizes.
    chunked: bool,
    chunk_line: Vec<u8>,
    /// After an Upgrade: stop parsing.
    opaque: bool,
    /// The answer's body, when kept.
    body: Vec<u8>,
    in_body: bool,
    answer_bytes: u64,
}

impl Reader {
    fn new(framing: Framing, up: bool) -> Reader {
        Reader {
            framing,
            up,
            head: Vec::new(),
            body_left: 0,
            chunked: false,
            chunk_line: Vec::new(),
            opaque: false,
            body: Vec::new(),
            in_body: false,
            answer_bytes: 0,
        }
    }

    fn feed(&mut self, mut bytes: &[u8], st: &mut Stats, keep: bool) {
        if self.opaque {
            return;
        }
        match self.framing {
            Framing::Len32 => {
                while !bytes.is_empty() {
                    if self.body_left > 0 {
                        let k = (self.body_left as usize).min(bytes.len());
                        self.body_left -= k as u64;
                        bytes = &bytes[k..];
                        continue;
                    }
                    self.head.push(bytes[0]);
                    bytes = &bytes[1..];
                    if self.head.len() == 4 {
                        let len = u32::from_be_bytes([
                            self.head[0],
                            self.head[1],
                            self.head[2],
                            self.head[3],
                        ]);
                        self.head.clear();
                        self.body_left = u64::from(len);
                        if self.up {
                            st.requests += 1;
                        } else {
                            st.messages_down += 1;
                        }
                    }
                }
            }
            Framing::Http => {
                while !bytes.is_empty() {
                    if !self.in_body {
                        self.head.push(bytes[0]);
                        bytes = &bytes[1..];
                        if !self.up {
                            self.answer_bytes += 1;
                        }
                        if self.head.ends_with(b"\r\n\r\n") {
                            self.start_body(st);
                        }
                        continue;
                    }
                    if self.chunked {
                        // Read chunk-size lines and chunk data; a 0 chunk ends the body.
                        if self.body_left > 0 {
                            let k = (self.body_left as usize).min(bytes.len());
                            self.take_body(&bytes[..k], keep, true);
                            self.body_left -= k as u64;
                            bytes = &bytes[k..];
                            continue;
                        }
                        let b = bytes[0];
                        bytes = &bytes[1..];
                        self.count(1);
                        self.chunk_line.push(b);
                        if self.chunk_line.ends_with(b"\r\n") {
                            let line = String::from_utf8_lossy(&self.chunk_line).to_string();
                            self.chunk_line.clear();
                            let t = line.trim();
                            if t.is_empty() {
                                continue; // the CRLF after a chunk's data
                            }
                            let size = u64::from_str_radix(t.split(';').next().unwrap_or("0"), 16)
                                .unwrap_or(0);
                            if size == 0 {
                                // Last chunk: its trailing CRLF follows (counted as a new head's
                                // bytes would be; good enough for counting).
                                self.end_message(st, keep);
                            } else {
                                self.body_left = size;
                            }
                        }
                        continue;
                    }
                    let k = (self.body_left as usize).min(bytes.len());
                    self.take_body(&bytes[..k], keep, false);
                    self.body_left -= k as u64;
                    bytes = &bytes[k..];
                    if self.body_left == 0 {
                        self.end_message(st, keep);
                    }
                }
            }
        }
    }

    fn count(&mut self, n: usize) {
        if !self.up {
            self.answer_bytes += n as u64;
        }
    }

    fn take_body(&mut self, b: &[u8], keep: bool, _chunked: bool) {
        self.count(b.len());
        if keep && !self.up {
            self.body.extend_from_slice(b);
        }
    }

    fn start_body(&mut self, st: &mut Stats) {
        let head = String::from_utf8_lossy(&self.head).to_string();
        // A stray CRLF (after a chunked body) before the next head.
        let head = head.trim_start_matches("\r\n").to_string();
        self.head.clear();
        let mut lines = head.split("\r\n");
        let first = lines.next().unwrap_or("").to_string();
        let mut length = 0u64;
        let mut chunked = false;
        let mut upgrade = false;
        for l in lines {
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            } else if lower.starts_with("upgrade:") {
                upgrade = true;
            }
        }
        if self.up {
            st.requests += 1;
            let mut parts = first.split(' ');
            let method = parts.next().unwrap_or("");
            let target = parts.next().unwrap_or("");
            let path = target.split('?').next().unwrap_or("");
            st.answers.push((format!("{method} {path}"), 0, false));
        } else if first.starts_with("HTTP/1.1 1") && !upgrade {
            // 100 Continue: no body, the real answer follows.
            self.head.clear();
            return;
        }
        if upgrade {
            self.opaque = true;
            return;
        }
        self.chunked = chunked;
        self.body_left = length;
        self.in_body = true;
        if !chunked && length == 0 {
            self.end_message(st, false);
        }
    }

    fn end_message(&mut self, st: &mut Stats, keep: bool) {
        self.in_body = false;
        self.chunked = false;
        self.body_left = 0;
        if !self.up {
            // The oldest request without a whole answer gets this one.
            if let Some(a) = st.answers.iter_mut().find(|a| !a.2) {
                a.1 = self.answer_bytes;
                a.2 = true;
            }
            if keep {
                st.bodies.push(std::mem::take(&mut self.body));
            }
            self.body.clear();
            self.answer_bytes = 0;
        }
    }
}
