//! A TCP link between a field client and the server (std threads, no runtime): it forwards
//! bytes both ways and counts them, and, when armed, acts at a chosen moment: after exactly N
//! bytes in one direction, or a delay after the first byte, it cuts the link (both sides of
//! every open connection are shut down) or calls back (the fault harness kills a process
//! there, the link holding the rest of the bytes until the callback returns).

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A direction through the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Client to server: the request, the push.
    Up,
    /// Server to client: the response, the pull.
    Down,
}

/// When an armed link acts.
#[derive(Debug, Clone, Copy)]
pub enum When {
    /// Once exactly this many bytes went this way (0: before the first byte).
    Bytes(Dir, u64),
    /// This long after the first byte either way.
    After(Duration),
}

/// What an armed link does.
pub enum Action {
    /// Shut down both sides of every open connection.
    Cut,
    /// Call this (and then go on forwarding).
    Call(Box<dyn FnOnce() + Send>),
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::Cut => "Cut",
            Action::Call(_) => "Call",
        })
    }
}

#[derive(Debug, Default)]
struct State {
    up: u64,
    down: u64,
    first: Option<Instant>,
    last: Option<Instant>,
    trigger: Option<(When, Action)>,
    fired: bool,
    /// Both sockets of each open connection, with its number and how many of its two pumps
    /// have ended (at two it is forgotten).
    conns: Vec<(u64, TcpStream, TcpStream, u8)>,
    next_conn: u64,
    /// Bumped by each arm and reset: a timer of an older arming does nothing.
    generation: u64,
}

impl State {
    fn count(&mut self, dir: Dir) -> &mut u64 {
        match dir {
            Dir::Up => &mut self.up,
            Dir::Down => &mut self.down,
        }
    }
}

/// The link; stops accepting when dropped.
#[derive(Debug)]
pub struct Link {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn cut_all(state: &mut State) {
    for (_, a, b, _) in &state.conns {
        let _ = a.shutdown(Shutdown::Both);
        let _ = b.shutdown(Shutdown::Both);
    }
}

/// What the traffic through a link did since it was last armed or reset.
#[derive(Debug, Clone, Copy, Default)]
pub struct Traffic {
    /// Bytes client to server.
    pub up: u64,
    /// Bytes server to client.
    pub down: u64,
    /// From the first byte to the last.
    pub span: Duration,
}

impl Link {
    /// A link on a free loopback port to `upstream` (connected anew for each connection, so a
    /// restarted server on the same address is reached again).
    pub fn start(upstream: SocketAddr) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").expect("the link listens");
        let addr = listener.local_addr().expect("its address");
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                // The server down: the client's connection is closed at once.
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let pair = || Some((client.try_clone().ok()?, server.try_clone().ok()?));
                let (Some(a), Some(b), Some(keep)) = (pair(), pair(), pair()) else {
                    continue;
                };
                let id = {
                    let mut s = lock(&st);
                    s.next_conn += 1;
                    let id = s.next_conn;
                    s.conns.push((id, keep.0, keep.1, 0));
                    id
                };
                let (s1, s2) = (st.clone(), st.clone());
                std::thread::spawn(move || {
                    pump(a.0, a.1, Dir::Up, &s1);
                    ended(&s1, id);
                });
                std::thread::spawn(move || {
                    pump(b.1, b.0, Dir::Down, &s2);
                    ended(&s2, id);
                });
            }
        });
        Link { addr, state, stop }
    }

    /// The address a device enrols with.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Clears the counters and arms the link: at `when`, it does `action`, once.
    pub fn arm(&self, when: When, action: Action) {
        let mut s = lock(&self.state);
        s.up = 0;
        s.down = 0;
        s.first = None;
        s.last = None;
        s.fired = false;
        s.generation += 1;
        s.trigger = Some((when, action));
        if let When::After(delay) = when {
            let state = self.state.clone();
            let generation = s.generation;
            std::thread::spawn(move || timer(&state, delay, generation));
        }
    }

    /// Disarms the link and clears its counters; returns whether the armed action happened
    /// (no action is under way once this returns, none happens after).
    pub fn disarm(&self) -> bool {
        let mut s = lock(&self.state);
        let fired = s.fired;
        *s = State {
            conns: std::mem::take(&mut s.conns),
            next_conn: s.next_conn,
            generation: s.generation + 1,
            ..State::default()
        };
        fired
    }

    /// The traffic since the link was last armed or reset.
    pub fn traffic(&self) -> Traffic {
        let s = lock(&self.state);
        Traffic {
            up: s.up,
            down: s.down,
            span: match (s.first, s.last) {
                (Some(a), Some(b)) => b - a,
                _ => Duration::ZERO,
            },
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
        cut_all(&mut lock(&self.state));
    }
}

/// One pump of connection `id` ended; after both, the connection is forgotten (its sockets
/// closed).
fn ended(state: &Mutex<State>, id: u64) {
    let mut s = lock(state);
    if let Some(i) = s.conns.iter().position(|c| c.0 == id) {
        s.conns[i].3 += 1;
        if s.conns[i].3 >= 2 {
            s.conns.swap_remove(i);
        }
    }
}

/// Waits for the first byte, then the delay, then acts (if still armed with this timer).
fn timer(state: &Mutex<State>, delay: Duration, generation: u64) {
    let first = loop {
        {
            let s = lock(state);
            if s.generation != generation || s.trigger.is_none() {
                return; // disarmed, or armed anew
            }
            if let Some(first) = s.first {
                break first;
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let left = (first + delay).saturating_duration_since(Instant::now());
    std::thread::sleep(left);
    let mut s = lock(state);
    if s.generation != generation {
        return; // armed anew meanwhile
    }
    if let Some((_, action)) = s.trigger.take() {
        act(&mut s, action);
    }
}

/// Acts, holding the link's lock: once [`Link::disarm`] returns, no action is under way.
fn act(s: &mut State, action: Action) {
    s.fired = true;
    match action {
        Action::Cut => cut_all(s),
        Action::Call(f) => f(),
    }
}

/// Forwards `from` to `to`, counting bytes `dir`, and acting when the trigger falls inside a
/// chunk: the bytes before it are forwarded, then the action happens, then (after a callback)
/// the rest.
fn pump(mut from: TcpStream, mut to: TcpStream, dir: Dir, state: &Mutex<State>) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => {
                // The sender closed (or the link was cut): pass the end on.
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => n,
        };
        let (split, pending) = {
            let mut s = lock(state);
            let now = Instant::now();
            s.first.get_or_insert(now);
            s.last = Some(now);
            let before = *s.count(dir);
            let at = match &s.trigger {
                Some((When::Bytes(d, after), _)) if *d == dir && *after < before + n as u64 => {
                    Some(usize::try_from(after.saturating_sub(before)).unwrap_or(0))
                }
                _ => None,
            };
            match at {
                Some(k) => {
                    *s.count(dir) += k as u64;
                    let generation = s.generation;
                    (k, s.trigger.take().map(|(_, a)| (generation, a)))
                }
                None => {
                    *s.count(dir) += n as u64;
                    (n, None)
                }
            }
        };
        if to.write_all(&buf[..split]).is_err() {
            let _ = from.shutdown(Shutdown::Both);
            return;
        }
        let Some((generation, action)) = pending else {
            continue;
        };
        let cut = matches!(action, Action::Cut);
        {
            let mut s = lock(state);
            if s.generation == generation {
                act(&mut s, action);
            }
            if cut {
                return;
            }
            *s.count(dir) += (n - split) as u64;
        }
        if to.write_all(&buf[split..n]).is_err() {
            let _ = from.shutdown(Shutdown::Both);
            return;
        }
    }
}
