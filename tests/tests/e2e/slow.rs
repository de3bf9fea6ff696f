//! A slow link between a field client and the server, for the attachments' end-to-end test and
//! their benchmark (issue 15): a 2G link in user space, since the kernel here has no `netem`
//! (`/work/shared/PLATFORM.md`). Std threads, no runtime, like [`crate::link`].
//!
//! - **Rate**: each direction is one radio shared by every connection, carrying `rate` bytes a
//!   second. A piece read from the sender takes its airtime on that radio (after the pieces
//!   before it, whichever connection they belong to) before the next is read, so the sender's
//!   writes back up as they would over a slow link.
//! - **Delay**: each piece is delivered `delay` after its airtime ends (one way; 300 ms each
//!   way is the 600 ms round trip of 2G).
//! - **Cuts**: armed with [`SlowLink::cut_after`], the link carries exactly N more bytes one
//!   way, then shuts down both sides of every open connection (new connections go through).
//! - **Requests**: the client's bytes are read as HTTP/1.1 requests (request line, headers,
//!   `Content-Length` body), so each request through the link is logged with its method,
//!   target, the bytes of it that left the client, when, and when its answer (status, bytes)
//!   reached the client; a hook may run as each request's head is complete, before its first
//!   byte reaches the server (the client waits meanwhile).
//!
//! Bytes are counted as they leave the sender ("on the wire"): a piece lost in flight to a cut
//! still counts.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};

pub use crate::link::Dir;

/// How slow the link is.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Bytes a second, each way.
    pub rate: u64,
    /// One-way delay, each way.
    pub delay: Duration,
}

impl Shape {
    /// 2G as the issue gives it: 64 kbit/s each way, 600 ms round trip.
    pub const GPRS: Shape = Shape {
        rate: 8_000,
        delay: Duration::from_millis(300),
    };

    /// `k` times faster: `k` times the rate, a `k`th of the delay (the same exchange, in a
    /// `k`th of the time, for CI).
    pub fn faster(self, k: u32) -> Shape {
        Shape {
            rate: self.rate * u64::from(k),
            delay: self.delay / k,
        }
    }

    /// The most bytes read at once: some 50 ms of airtime.
    fn piece(self) -> usize {
        usize::try_from(self.rate / 20)
            .unwrap_or(16 * 1024)
            .clamp(256, 16 * 1024)
    }

    fn airtime(self, n: usize) -> Duration {
        Duration::from_secs_f64(n as f64 / self.rate.max(1) as f64)
    }
}

/// One HTTP request through the link, and its answer as far as it reached the client.
#[derive(Debug, Clone)]
pub struct Request {
    /// Its place in the link's log (from 0).
    pub seq: usize,
    /// `GET`, `PUT`, `POST`...
    pub method: String,
    /// The path and query.
    pub target: String,
    /// Bytes of its request line and headers.
    pub head: u64,
    /// Its `Content-Length` (0 without one).
    pub length: u64,
    /// Bytes of it that left the client (head and body).
    pub sent: u64,
    /// When its first byte left the client.
    pub started: Instant,
    /// The answer's status, once its status line reached the client.
    pub status: Option<u16>,
    /// Bytes of the answer delivered to the client.
    pub answer: u64,
    /// When the last of them was delivered.
    pub answered: Option<Instant>,
    /// The answer's first bytes, for its status.
    status_line: Vec<u8>,
}

impl Request {
    /// Bytes of its body that left the client.
    pub fn body_sent(&self) -> u64 {
        self.sent.saturating_sub(self.head)
    }

    /// Whether all of it left the client.
    pub fn whole(&self) -> bool {
        self.sent >= self.head + self.length
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or(&self.target)
    }

    /// A records round: `POST /api/v1/sync`.
    pub fn is_records(&self) -> bool {
        self.method == "POST" && self.path() == "/api/v1/sync"
    }

    /// A chunk of a page: `PUT /api/v1/attachments/{hash}?offset=N`, as (hash, N).
    pub fn chunk(&self) -> Option<(&str, u64)> {
        if self.method != "PUT" {
            return None;
        }
        let hash = self.path().strip_prefix("/api/v1/attachments/")?;
        let offset = self
            .target
            .split_once("offset=")?
            .1
            .split('&')
            .next()?
            .parse()
            .ok()?;
        Some((hash, offset))
    }

    /// From its first byte leaving the client to the last byte of its answer reaching it.
    pub fn round(&self) -> Option<Duration> {
        Some(self.answered? - self.started)
    }
}

/// Bytes that left each side since the link started or was last [reset](SlowLink::reset).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Client to server.
    pub up: u64,
    /// Server to client.
    pub down: u64,
}

type Hook = Box<dyn FnMut(&Request) + Send>;

#[derive(Default)]
struct State {
    traffic: Traffic,
    /// When each direction's radio is next free (up, down).
    free: [Option<Instant>; 2],
    /// An armed cut: the direction, the bytes still to carry that way, and its number.
    cut: Option<(Dir, u64, u64)>,
    /// The number of the last cut done.
    cuts_done: u64,
    cuts_armed: u64,
    requests: Vec<Request>,
    /// Each open connection: its number, both sockets, the request its answer belongs to, and
    /// how many of its two writers have ended.
    conns: Vec<Conn>,
    next_conn: u64,
}

struct Conn {
    id: u64,
    client: TcpStream,
    server: TcpStream,
    current: Option<usize>,
    ended: u8,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn index(dir: Dir) -> usize {
    match dir {
        Dir::Up => 0,
        Dir::Down => 1,
    }
}

struct Shared {
    shape: Shape,
    state: Mutex<State>,
    hook: Mutex<Option<Hook>>,
}

/// The link; stops accepting and cuts what is open when dropped.
pub struct SlowLink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
}

impl std::fmt::Debug for SlowLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlowLink")
            .field("addr", &self.addr)
            .field("shape", &self.shared.shape)
            .finish_non_exhaustive()
    }
}

impl SlowLink {
    /// A link of this shape on a free loopback port to `upstream`.
    pub fn start(upstream: SocketAddr, shape: Shape) -> SlowLink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("the link listens");
        let addr = listener.local_addr().expect("its address");
        let shared = Arc::new(Shared {
            shape,
            state: Mutex::new(State::default()),
            hook: Mutex::new(None),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let (sh, sp) = (shared.clone(), stop.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                connect(&sh, client, server);
            }
        });
        SlowLink { addr, shared, stop }
    }

    /// The address a device enrols with.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Its shape.
    pub fn shape(&self) -> Shape {
        self.shared.shape
    }

    /// Arms a cut: the link carries exactly `n` more bytes `dir`, then shuts down both sides of
    /// every open connection. Replaces a cut armed before and not yet done.
    pub fn cut_after(&self, dir: Dir, n: u64) {
        let mut s = lock(&self.shared.state);
        s.cuts_armed += 1;
        s.cut = Some((dir, n, s.cuts_armed));
    }

    /// Disarms a cut not yet done; returns how many cuts were done since the link started.
    pub fn disarm(&self) -> u64 {
        let mut s = lock(&self.shared.state);
        s.cut = None;
        s.cuts_done
    }

    /// Runs `hook` as the head of each request through the link is complete, before any of it
    /// reaches the server (the client waits until it returns).
    pub fn on_request(&self, hook: impl FnMut(&Request) + Send + 'static) {
        *lock(&self.shared.hook) = Some(Box::new(hook));
    }

    /// Removes the hook.
    pub fn no_hook(&self) {
        *lock(&self.shared.hook) = None;
    }

    /// The bytes counted since the start or the last reset.
    pub fn traffic(&self) -> Traffic {
        lock(&self.shared.state).traffic
    }

    /// Clears the byte counters.
    pub fn reset(&self) {
        lock(&self.shared.state).traffic = Traffic::default();
    }

    /// Every request through the link so far, in the order their heads were complete.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.state).requests.clone()
    }

    /// How many requests went through so far (to slice [`requests`](Self::requests) by run).
    pub fn mark(&self) -> usize {
        lock(&self.shared.state).requests.len()
    }
}

impl Drop for SlowLink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
        cut_all(&mut lock(&self.shared.state));
    }
}

fn cut_all(s: &mut State) {
    for c in &s.conns {
        let _ = c.client.shutdown(Shutdown::Both);
        let _ = c.server.shutdown(Shutdown::Both);
    }
}

/// What a reader hands its writer.
enum Piece {
    /// Bytes to deliver at that moment.
    Bytes(Instant, Vec<u8>),
    /// Once the bytes before are delivered, cut (if that cut is still armed: its number).
    Cut(u64),
}

fn connect(shared: &Arc<Shared>, client: TcpStream, server: TcpStream) {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let clones = || Some((client.try_clone().ok()?, server.try_clone().ok()?));
    let (Some(up), Some(down), Some(writers)) = (clones(), clones(), clones()) else {
        return;
    };
    let id = {
        let mut s = lock(&shared.state);
        s.next_conn += 1;
        let id = s.next_conn;
        s.conns.push(Conn {
            id,
            client,
            server,
            current: None,
            ended: 0,
        });
        id
    };
    let (tx_up, rx_up) = mpsc::channel();
    let (tx_down, rx_down) = mpsc::channel();
    let sh = shared.clone();
    std::thread::spawn(move || read_side(&sh, id, up.0, Dir::Up, &tx_up));
    let sh = shared.clone();
    std::thread::spawn(move || read_side(&sh, id, down.1, Dir::Down, &tx_down));
    let (sh, from) = (shared.clone(), up.1);
    std::thread::spawn(move || write_side(&sh, id, writers.1, from, Dir::Up, &rx_up));
    let (sh, from) = (shared.clone(), down.0);
    std::thread::spawn(move || write_side(&sh, id, writers.0, from, Dir::Down, &rx_down));
}

/// Reads what one side sends, piece by piece, each taking its airtime, and hands it to the
/// writer with the moment it arrives; reads the client's requests on the way.
fn read_side(shared: &Shared, conn: u64, mut from: TcpStream, dir: Dir, to: &mpsc::Sender<Piece>) {
    let shape = shared.shape;
    let mut buf = vec![0u8; shape.piece()];
    let mut parser = Parser::default();
    // A cut after this connection opened ends it: what its sockets still buffer never left.
    let born = lock(&shared.state).cuts_done;
    loop {
        // Never read past an armed cut: the link carries exactly its bytes.
        let room = match lock(&shared.state).cut {
            Some((d, left, _)) if d == dir => usize::try_from(left).unwrap_or(usize::MAX),
            _ => usize::MAX,
        };
        let want = buf.len().min(room.max(1));
        let n = match from.read(&mut buf[..want]) {
            Ok(0) | Err(_) => return, // the sender closed, or the link was cut
            Ok(n) => n,
        };
        let now = Instant::now();
        let (heads, end, cut) = {
            let mut s = lock(&shared.state);
            if s.cuts_done > born {
                return;
            }
            match dir {
                Dir::Up => s.traffic.up += n as u64,
                Dir::Down => s.traffic.down += n as u64,
            }
            let heads = if dir == Dir::Up {
                parser.feed(&buf[..n], now, conn, &mut s)
            } else {
                Vec::new()
            };
            let mut cut = None;
            if let Some((d, left, number)) = s.cut
                && d == dir
            {
                let left = left.saturating_sub(n as u64);
                if left == 0 {
                    s.cut = None;
                    cut = Some(number);
                } else {
                    s.cut = Some((d, left, number));
                }
            }
            let slot = &mut s.free[index(dir)];
            let start = slot.filter(|f| *f > now).unwrap_or(now);
            let end = start + shape.airtime(n);
            *slot = Some(end);
            (heads, end, cut)
        };
        if !heads.is_empty()
            && let Some(hook) = lock(&shared.hook).as_mut()
        {
            for head in &heads {
                hook(head);
            }
        }
        std::thread::sleep(end.saturating_duration_since(Instant::now()));
        if to
            .send(Piece::Bytes(end + shape.delay, buf[..n].to_vec()))
            .is_err()
        {
            return;
        }
        if let Some(number) = cut {
            let _ = to.send(Piece::Cut(number));
            // Read nothing more until the cut is done (the bytes after it never leave). Should
            // the writer have ended before it got there, the cut is done here.
            let deadline = Instant::now() + shape.delay + Duration::from_secs(5);
            while lock(&shared.state).cuts_done < number {
                if Instant::now() > deadline {
                    let mut s = lock(&shared.state);
                    cut_all(&mut s);
                    s.cuts_done = s.cuts_done.max(number);
                    break;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
}

/// Delivers the pieces at their moments; passes the end on when the reader ends.
fn write_side(
    shared: &Shared,
    conn: u64,
    mut to: TcpStream,
    from: TcpStream,
    dir: Dir,
    pieces: &mpsc::Receiver<Piece>,
) {
    let born = lock(&shared.state).cuts_done;
    for piece in pieces {
        match piece {
            Piece::Bytes(at, bytes) => {
                std::thread::sleep(at.saturating_duration_since(Instant::now()));
                if lock(&shared.state).cuts_done > born {
                    break; // cut while in flight: lost
                }
                if dir == Dir::Down {
                    answered(shared, conn, &bytes);
                }
                if to.write_all(&bytes).is_err() {
                    let _ = from.shutdown(Shutdown::Both);
                    break;
                }
            }
            Piece::Cut(number) => {
                let mut s = lock(&shared.state);
                cut_all(&mut s);
                s.cuts_done = s.cuts_done.max(number);
                break;
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let mut s = lock(&shared.state);
    if let Some(i) = s.conns.iter().position(|c| c.id == conn) {
        s.conns[i].ended += 1;
        if s.conns[i].ended >= 2 {
            s.conns.swap_remove(i);
        }
    }
}

/// Counts bytes of an answer delivered to the client against the request it answers (the
/// last one of its connection: HTTP/1.1 answers in order, and a client sends its next
/// request on a connection only once it has the whole answer before).
fn answered(shared: &Shared, conn: u64, bytes: &[u8]) {
    let mut s = lock(&shared.state);
    let Some(i) = s
        .conns
        .iter()
        .find(|c| c.id == conn)
        .and_then(|c| c.current)
    else {
        return;
    };
    let Some(r) = s.requests.get_mut(i) else {
        return;
    };
    r.answer += bytes.len() as u64;
    r.answered = Some(Instant::now());
    if r.status.is_none() {
        let want = 12usize.saturating_sub(r.status_line.len());
        r.status_line
            .extend_from_slice(&bytes[..want.min(bytes.len())]);
        if r.status_line.len() >= 12 {
            r.status = std::str::from_utf8(&r.status_line[9..12])
                .ok()
                .and_then(|c| c.parse().ok());
        }
    }
}

/// Reads HTTP/1.1 requests out of a client's bytes.
#[derive(Default)]
struct Parser {
    /// The head read so far of the next request, and when its first byte came.
    head: Vec<u8>,
    started: Option<Instant>,
    /// The request whose body is being read, and its bytes still to come.
    body: Option<(usize, u64)>,
}

impl Parser {
    /// Takes bytes of the client's; returns the requests whose heads they complete.
    fn feed(&mut self, mut bytes: &[u8], now: Instant, conn: u64, s: &mut State) -> Vec<Request> {
        let mut heads = Vec::new();
        while !bytes.is_empty() {
            if let Some((i, left)) = self.body {
                let k = left.min(bytes.len() as u64);
                if let Some(r) = s.requests.get_mut(i) {
                    r.sent += k;
                }
                bytes = &bytes[usize::try_from(k).unwrap_or(bytes.len())..];
                self.body = (left > k).then_some((i, left - k));
                continue;
            }
            self.started.get_or_insert(now);
            let before = self.head.len();
            self.head.extend_from_slice(bytes);
            let Some(end) = find(&self.head, b"\r\n\r\n").map(|p| p + 4) else {
                bytes = &[];
                if self.head.len() > 64 * 1024 {
                    self.head.clear(); // not HTTP: stop looking
                }
                continue;
            };
            bytes = &bytes[end - before..];
            let head = String::from_utf8_lossy(&self.head[..end]).into_owned();
            self.head.clear();
            let mut first = head.lines().next().unwrap_or("").split(' ');
            let method = first.next().unwrap_or("").to_owned();
            let target = first.next().unwrap_or("").to_owned();
            let length = head
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0u64);
            let request = Request {
                seq: s.requests.len(),
                method,
                target,
                head: end as u64,
                length,
                sent: end as u64,
                started: self.started.take().unwrap_or(now),
                status: None,
                answer: 0,
                answered: None,
                status_line: Vec::new(),
            };
            s.requests.push(request.clone());
            let i = s.requests.len() - 1;
            if let Some(c) = s.conns.iter_mut().find(|c| c.id == conn) {
                c.current = Some(i);
            }
            if length > 0 {
                self.body = Some((i, length));
            }
            heads.push(request);
        }
        heads
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_read_out_of_the_bytes_whatever_their_pieces() {
        let mut s = State::default();
        s.conns.push(Conn {
            id: 1,
            client: TcpStream::connect(echo()).expect("connects"),
            server: TcpStream::connect(echo()).expect("connects"),
            current: None,
            ended: 0,
        });
        let wire = b"PUT /api/v1/attachments/ab?offset=32768 HTTP/1.1\r\ncontent-length: 5\r\n\r\nhelloPOST /api/v1/sync HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /x HTTP/1.1\r\n\r\n";
        let mut p = Parser::default();
        let now = Instant::now();
        let mut heads = Vec::new();
        for piece in wire.chunks(7) {
            heads.extend(p.feed(piece, now, 1, &mut s));
        }
        let seen: Vec<_> = heads
            .iter()
            .map(|r| (r.method.as_str(), r.target.as_str(), r.length))
            .collect();
        assert_eq!(
            seen,
            [
                ("PUT", "/api/v1/attachments/ab?offset=32768", 5),
                ("POST", "/api/v1/sync", 3),
                ("GET", "/x", 0)
            ]
        );
        assert_eq!(s.requests[0].chunk(), Some(("ab", 32768)));
        assert!(s.requests[1].is_records());
        assert!(s.requests.iter().all(Request::whole), "every byte counted");
        assert_eq!(s.requests[0].body_sent(), 5);
        assert_eq!(s.conns[0].current, Some(2));
    }

    /// A server that counts what each connection brings, and answers each with `ok`.
    fn sink() -> (SocketAddr, mpsc::Receiver<usize>) {
        let l = TcpListener::bind("127.0.0.1:0").expect("listens");
        let addr = l.local_addr().expect("addr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for conn in l.incoming() {
                let Ok(mut conn) = conn else { continue };
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let mut n = 0;
                    let mut buf = [0u8; 4096];
                    while let Ok(k) = conn.read(&mut buf) {
                        if k == 0 {
                            break;
                        }
                        n += k;
                    }
                    let _ = conn.write_all(b"ok");
                    let _ = tx.send(n);
                });
            }
        });
        (addr, rx)
    }

    #[test]
    fn a_cut_carries_exactly_its_bytes_and_the_next_connection_goes_through() {
        let (addr, received) = sink();
        let link = SlowLink::start(addr, Shape::GPRS.faster(100));
        let connect =
            || TcpStream::connect(link.url().trim_start_matches("http://")).expect("connects");
        link.cut_after(Dir::Up, 10_000);
        let mut c = connect();
        // The client writes more than the cut lets through; its writes fail or vanish.
        for _ in 0..10 {
            if c.write_all(&[7u8; 3000]).is_err() {
                break;
            }
        }
        let got = received
            .recv_timeout(Duration::from_secs(20))
            .expect("the server saw the connection end");
        assert_eq!(
            got, 10_000,
            "exactly the bytes before the cut reached the server"
        );
        assert_eq!(link.disarm(), 1, "one cut");
        assert_eq!(
            link.traffic().up,
            10_000,
            "and nothing after it left the client"
        );
        // The next connection is carried whole, both ways.
        let mut c = connect();
        c.write_all(&[1u8; 5000]).expect("writes");
        c.shutdown(Shutdown::Write).expect("ends");
        let mut answer = Vec::new();
        c.read_to_end(&mut answer).expect("reads");
        assert_eq!(answer, b"ok");
        assert_eq!(received.recv_timeout(Duration::from_secs(20)), Ok(5000));
        assert_eq!(
            link.traffic(),
            Traffic {
                up: 15_000,
                down: 2
            }
        );
    }

    /// A listener that accepts and holds connections (the parser's test needs sockets only).
    fn echo() -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").expect("listens");
        let addr = l.local_addr().expect("addr");
        std::thread::spawn(move || {
            let held: Vec<_> = l.incoming().take(2).collect();
            std::thread::sleep(Duration::from_secs(1));
            drop(held);
        });
        addr
    }
}
