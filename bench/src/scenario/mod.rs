//! What every tinyim scenario shares: the payload that carries its send time, one simulated
//! user's loop (log in, wait for the start, send on a schedule, receive and check), and the
//! tallies a run ends with.
//!
//! A scenario module (peer, room, connect, offline, chaos) only decides who sends what to whom and
//! how fast, then reads the tallies: the measuring is written once, here.

pub mod chaos;
pub mod connect;
pub mod crash;
pub mod group;
pub mod offline;
pub mod peer;
pub mod room;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use tinyim::{Command, Event, Reply};
use tokio::sync::{watch, Semaphore};

use crate::host::{text_message, AppOutput, Driver};
use crate::server_proc::{APP_ID, SECRET};
use crate::stats::Latencies;

/// Logins in flight at once during a ramp: enough to ramp quickly, few enough that the
/// server sees a ramp and not a thundering herd of TLS-less handshakes.
pub const LOGIN_CONCURRENCY: usize = 64;

/// An instant taken once per process, for names that must not repeat within a run.
pub static PROCESS_EPOCH: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

/// Microseconds since `epoch`.
pub fn micros_since(epoch: Instant) -> u64 {
    epoch.elapsed().as_micros() as u64
}

/// The payload of message `seq` from sender index `sender`, sent at `t_us` (microseconds on
/// the run's shared clock), padded with `x` to `size` bytes.
pub fn make_payload(sender: u32, seq: u32, t_us: u64, size: usize) -> Vec<u8> {
    let mut p = format!("{sender}:{seq}:{t_us}:").into_bytes();
    if p.len() < size {
        p.resize(size, b'x');
    }
    p
}

/// (sender, seq, send time) from a payload made by [`make_payload`].
pub fn parse_payload(p: &[u8]) -> Option<(u32, u32, u64)> {
    let s = std::str::from_utf8(p.get(..p.len().min(48))?).ok()?;
    let mut it = s.split(':');
    Some((
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    ))
}

/// Whom a user sends to.
#[derive(Debug, Clone)]
pub enum Target {
    /// Nobody: a receiver or an idle connection.
    None,
    /// A random other user among `0..users` (user IDs `u0`, `u1`, ...).
    RandomPeer { users: u32 },
    /// Always the same user.
    Peer(String),
    /// A room the user is in.
    Room(String),
    /// A group the user is a member of.
    Group(String),
}

/// One simulated user's part in a run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub index: u32,
    pub target: Target,
    /// Time between two sends of this user.
    pub interval: Duration,
    /// At most this many sends (the offline scenario's fixed count).
    pub max_sends: u32,
    pub payload_size: usize,
    /// Room to enter after login, before reporting ready.
    pub enter_room: Option<String>,
    /// Connections in the whole run (past [`PER_SOURCE`], users connect from more than one
    /// loopback address).
    pub connections: u32,
}

/// The loopback source address of user `index` when a run needs more connections than one
/// address has ephemeral ports: 127.0.0.2, .3, ... in turns of [`PER_SOURCE`] users.
pub fn source_for(index: u32, connections: u32) -> Option<std::net::IpAddr> {
    (connections > PER_SOURCE).then(|| {
        std::net::IpAddr::V4(std::net::Ipv4Addr::new(
            127,
            0,
            0,
            2 + (index / PER_SOURCE) as u8,
        ))
    })
}

/// Connections per loopback source address (Linux gives ~28,000 ephemeral ports).
pub const PER_SOURCE: u32 = 20_000;

/// Raises this process's open-file limit as far as the kernel allows (children, the server
/// under test among them, inherit it): 100,000 connections need 100,000 descriptors on each
/// side. Returns the soft limit now in force.
pub fn raise_fd_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit read and write one rlimit struct we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        let nr_open = std::fs::read_to_string("/proc/sys/fs/nr_open")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(lim.rlim_max);
        let want = nr_open.min(1 << 20);
        let raised = libc::rlimit {
            rlim_cur: want,
            rlim_max: want.max(lim.rlim_max),
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) != 0 {
            // Without the privilege to raise the hard limit, take the soft one up to it.
            let soft = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &soft);
        }
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
    }
    lim.rlim_cur
}

/// Counters every user adds to while a run is in progress, so the coordinator can tell when
/// everything sent has arrived.
#[derive(Default)]
pub struct Shared {
    pub logged_in: AtomicU64,
    pub login_failures: AtomicU64,
    pub sent: AtomicU64,
    pub acked: AtomicU64,
    pub send_errors: AtomicU64,
    pub received_unique: AtomicU64,
    /// Set by the coordinator: stop receiving and return.
    pub stop: AtomicBool,
}

/// What one user saw.
#[derive(Default)]
pub struct UserOut {
    pub latencies: Latencies,
    pub duplicates: u64,
    /// Messages not made by this run (should be 0).
    pub foreign: u64,
    pub last_receive: Option<Instant>,
    pub first_error: Option<String>,
    /// With [`Env::track`]: the sequence numbers of this user's messages the server
    /// acknowledged, and every (sender, seq) this user received (the crash audit's ledger).
    pub acked: Vec<u32>,
    pub seen: Vec<(u32, u32)>,
}

/// The shared environment of a run's users.
#[derive(Clone)]
pub struct Env {
    pub url: String,
    pub epoch: Instant,
    pub shared: Arc<Shared>,
    pub login_gate: Arc<Semaphore>,
    /// The instant sending starts (`None` until the coordinator says go) and its end.
    pub go: watch::Receiver<Option<(Instant, Instant)>>,
    /// Keep per-message ledgers in [`UserOut`] (the crash audit); off, users only count.
    pub track: bool,
}

impl Env {
    pub fn new(url: String, epoch: Instant) -> (Env, Control) {
        let (tx, rx) = watch::channel(None);
        let shared = Arc::new(Shared::default());
        (
            Env {
                url,
                epoch,
                shared: shared.clone(),
                login_gate: Arc::new(Semaphore::new(LOGIN_CONCURRENCY)),
                go: rx,
                track: false,
            },
            Control { tx, shared },
        )
    }
}

/// The coordinator's side: says go and stop. Both wake every user at once through the watch
/// channel, so idle users can sleep long instead of polling.
pub struct Control {
    tx: watch::Sender<Option<(Instant, Instant)>>,
    shared: Arc<Shared>,
}

impl Control {
    /// Sending runs from `start` to `end`.
    pub fn go(&self, start: Instant, end: Instant) {
        let _ = self.tx.send(Some((start, end)));
    }

    /// Every user returns.
    pub fn stop(&self) {
        self.shared.stop.store(true, Relaxed);
        self.tx.send_modify(|_| {});
    }
}

/// The user ID of user `i`.
pub fn user_id(i: u32) -> String {
    format!("u{i}")
}

/// A Token04 for `user` of the bench's app, valid for an hour, minted in-process with the
/// server's own code (a process spawn per simulated user would cost seconds).
pub fn mint_token(user: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    tinyim_server::token::mint(APP_ID, SECRET, user, 3600, now, "")
}

/// One user's send times: from a random phase into the first interval after the go, every
/// `interval` until the window's end. (A late loop catches up one send per check.)
pub struct Schedule {
    interval: Duration,
    next: Option<Instant>,
    end: Option<Instant>,
}

impl Schedule {
    pub fn new(interval: Duration) -> Schedule {
        Schedule {
            interval,
            next: None,
            end: None,
        }
    }

    /// Takes the window from `go` once the coordinator has said it.
    pub fn watch(
        &mut self,
        go: &mut watch::Receiver<Option<(Instant, Instant)>>,
        rng: &mut impl Rng,
    ) {
        if self.end.is_none() {
            if let Some((start, end)) = *go.borrow_and_update() {
                self.end = Some(end);
                let phase = rng.random_range(0..self.interval.as_micros().max(1) as u64);
                self.next = Some(start + Duration::from_micros(phase));
            }
        }
    }

    /// `true` if a send is due now (the schedule then moves on to the next).
    pub fn due(&mut self) -> bool {
        let (Some(t), Some(end)) = (self.next, self.end) else {
            return false;
        };
        let now = Instant::now();
        if now >= end {
            self.next = None;
            return false;
        }
        if now < t {
            return false;
        }
        self.next = Some(t + self.interval);
        true
    }

    /// When the next send is due, if one is still to come.
    pub fn next(&self) -> Option<Instant> {
        self.next
    }

    /// The window was given and is over.
    pub fn done(&self) -> bool {
        self.end.is_some() && self.next.is_none()
    }
}

/// Logs a fresh driver in as `user` (holding a login-gate permit); `None` on failure.
pub async fn login(
    env: &Env,
    user: &str,
    seed: u64,
    source: Option<std::net::IpAddr>,
) -> Result<Driver, String> {
    let token = mint_token(user);
    let mut d = Driver::with_epoch(APP_ID, &env.url, seed, env.epoch);
    d.source = source;
    let _permit = env.login_gate.acquire().await.map_err(|e| e.to_string())?;
    d.login(user, &token)
        .await
        .map(|_| d)
        .map_err(|e| format!("login of {user} failed: {} {}", e.code, e.message))
}

/// One user: log in, (enter the room), report ready, wait for go, send on schedule until the
/// end of the send window, keep receiving until the coordinator stops the run.
pub async fn run_user(env: Env, plan: Plan) -> UserOut {
    let mut out = UserOut::default();
    let me = user_id(plan.index);
    let source = source_for(plan.index, plan.connections);
    let mut d = match login(&env, &me, 0x5eed_0000 + u64::from(plan.index), source).await {
        Ok(d) => d,
        Err(e) => {
            env.shared.login_failures.fetch_add(1, Relaxed);
            out.first_error = Some(e);
            return out;
        }
    };
    if let Some(room) = &plan.enter_room {
        let r = d
            .call_within(
                Command::EnterRoom {
                    room_id: room.clone(),
                    room_name: room.clone(),
                },
                Duration::from_secs(30),
            )
            .await;
        if let Err(e) = r {
            env.shared.login_failures.fetch_add(1, Relaxed);
            out.first_error = Some(format!("enter room: {} {}", e.code, e.message));
            return out;
        }
    }
    // Anything the blocking helpers stored during login (e.g. state events) is not needed.
    d.events.clear();
    env.shared.logged_in.fetch_add(1, Relaxed);

    let mut rng = rand::rngs::SmallRng::seed_from_u64(u64::from(plan.index) ^ 0xbe7c);
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut go = env.go.clone();
    let mut seq: u32 = 0;
    let mut next_send: Option<Instant> = None;
    let mut window_end: Option<Instant> = None;
    let shared = env.shared.clone();
    // With tracking: which send (op) carried which sequence number.
    let mut ops: std::collections::HashMap<tinyim::OpId, u32> = Default::default();
    // Bounded: the coordinator always sets `stop`; the hard cap guards against a lost one.
    let hard_stop = Instant::now() + Duration::from_secs(3600);
    while !shared.stop.load(Relaxed) && Instant::now() < hard_stop {
        if window_end.is_none() {
            if let Some((start, end)) = *go.borrow_and_update() {
                window_end = Some(end);
                if !matches!(plan.target, Target::None) && plan.max_sends > 0 {
                    // A random phase spreads the users' sends over each interval.
                    let phase = rng.random_range(0..plan.interval.as_micros().max(1) as u64);
                    next_send = Some(start + Duration::from_micros(phase));
                }
            }
        }
        if let (Some(t), Some(end)) = (next_send, window_end) {
            let now = Instant::now();
            if now >= end || seq >= plan.max_sends {
                next_send = None;
            } else if now >= t {
                let to = match &plan.target {
                    Target::RandomPeer { users } => {
                        let mut p = rng.random_range(0..users - 1);
                        if p >= plan.index {
                            p += 1;
                        }
                        (0, user_id(p))
                    }
                    Target::Peer(p) => (0, p.clone()),
                    Target::Room(r) => (1, r.clone()),
                    Target::Group(g) => (2, g.clone()),
                    Target::None => unreachable!("no schedule without a target"),
                };
                let payload =
                    make_payload(plan.index, seq, micros_since(env.epoch), plan.payload_size);
                let op = d.start(text_message(to.0, &to.1, &payload));
                if env.track {
                    ops.insert(op, seq);
                }
                shared.sent.fetch_add(1, Relaxed);
                seq += 1;
                next_send = Some(t + plan.interval);
            }
        }
        let mut on_app = |o: AppOutput| match o {
            AppOutput::Event(Event::PeerMessages { messages, .. })
            | AppOutput::Event(Event::GroupMessages { messages, .. })
            | AppOutput::Event(Event::RoomMessages { messages, .. }) => {
                let now_us = micros_since(env.epoch);
                for m in messages {
                    match parse_payload(&m.payload) {
                        Some((s, n, t)) => {
                            if seen.insert((s, n)) {
                                out.latencies.record_us(now_us.saturating_sub(t));
                                shared.received_unique.fetch_add(1, Relaxed);
                                if env.track {
                                    out.seen.push((s, n));
                                }
                            } else {
                                out.duplicates += 1;
                            }
                        }
                        None => out.foreign += 1,
                    }
                }
                out.last_receive = Some(Instant::now());
            }
            AppOutput::Completed { result, op } => match result {
                Ok(Reply::Sent(_)) => {
                    shared.acked.fetch_add(1, Relaxed);
                    if let Some(n) = ops.remove(&op) {
                        out.acked.push(n);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    shared.send_errors.fetch_add(1, Relaxed);
                    if out.first_error.is_none() {
                        out.first_error = Some(format!("send: {} {}", e.code, e.message));
                    }
                }
            },
            AppOutput::Event(_) => {}
        };
        d.drain_with(&mut on_app).await;
        let changed = async {
            let _ = go.changed().await;
        };
        d.step_or(next_send, changed).await;
    }
    d.close().await;
    out
}

/// Waits (at most `limit`) until `n` users logged in or failed; returns how many logged in.
pub async fn wait_logged_in(shared: &Shared, n: u64, limit: Duration) -> u64 {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let done = shared.logged_in.load(Relaxed) + shared.login_failures.load(Relaxed);
        if done >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    shared.logged_in.load(Relaxed)
}

/// Waits (at most `limit`) until `expected()` unique deliveries arrived.
pub async fn wait_delivered(shared: &Shared, expected: impl Fn() -> u64, limit: Duration) {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if shared.received_unique.load(Relaxed) >= expected() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What all users saw, merged.
#[derive(Default)]
pub struct Merged {
    pub latencies: Latencies,
    pub duplicates: u64,
    pub foreign: u64,
    pub last_receive: Option<Instant>,
    pub errors: Vec<String>,
    /// With tracking: (sender, seq) acknowledged, and (sender, seq) delivered.
    pub acked: Vec<(u32, u32)>,
    pub seen: HashSet<(u32, u32)>,
}

/// Merges the users' outcomes (tasks that panicked count as errors).
pub async fn merge(handles: Vec<tokio::task::JoinHandle<UserOut>>) -> Merged {
    let mut m = Merged::default();
    for (i, h) in handles.into_iter().enumerate() {
        match h.await {
            Ok(u) => {
                m.acked.extend(u.acked.iter().map(|&n| (i as u32, n)));
                m.seen.extend(u.seen.iter().copied());
                m.latencies.merge(u.latencies);
                m.duplicates += u.duplicates;
                m.foreign += u.foreign;
                m.last_receive = m.last_receive.max(u.last_receive);
                if let Some(e) = u.first_error {
                    if m.errors.len() < 5 {
                        m.errors.push(e);
                    }
                }
            }
            Err(e) => m.errors.push(format!("user task failed: {e}")),
        }
    }
    m
}

/// A fan-out run: `members` users log in (each entering `enter_room`, if any); the first
/// `senders` send to `target` at `rate` messages/s in all for `duration`; every message
/// should reach the other members. Room and group runs share it.
pub struct FanOutPlan {
    pub members: u32,
    pub senders: u32,
    pub rate: f64,
    pub duration: Duration,
    pub payload: usize,
    pub target: Target,
    pub enter_room: Option<String>,
    /// Connections in the run (past [`PER_SOURCE`], more loopback addresses).
    pub connections: u32,
    /// How long the members may take to log in.
    pub login_limit: Duration,
    /// How long after the sending window deliveries may still come in.
    pub settle: Duration,
}

/// What a fan-out run counted: the users' counters, their merged results, when sending
/// started, and server and bench samples around the sending window.
pub struct FanOutRun {
    pub shared: Arc<Shared>,
    pub merged: Merged,
    pub start: Instant,
    pub server: (crate::proc_stats::Sample, crate::proc_stats::Sample),
    pub bench: (crate::proc_stats::Sample, crate::proc_stats::Sample),
    /// Seconds from `env`'s epoch until every member had logged in.
    pub setup_s: f64,
    /// Expected deliveries: acknowledged sends × (members − 1).
    pub expected: u64,
    /// Deliveries per second, from the start of sending to the last delivery.
    pub deliveries_per_s: f64,
}

/// Runs `plan` on `server` with `env` / `ctl` (from [`Env::new`]).
pub async fn fan_out(
    server: &crate::server_proc::ServerProc,
    env: Env,
    ctl: Control,
    plan: FanOutPlan,
) -> Result<FanOutRun, String> {
    use crate::proc_stats::sample;
    let shared = env.shared.clone();
    let interval = Duration::from_secs_f64(f64::from(plan.senders) / plan.rate.max(0.001));
    let handles: Vec<_> = (0..plan.members)
        .map(|i| {
            let sender = i < plan.senders;
            let user = Plan {
                index: i,
                target: if sender {
                    plan.target.clone()
                } else {
                    Target::None
                },
                interval,
                max_sends: if sender { u32::MAX } else { 0 },
                payload_size: plan.payload,
                enter_room: plan.enter_room.clone(),
                connections: plan.connections,
            };
            tokio::spawn(run_user(env.clone(), user))
        })
        .collect();
    let n = wait_logged_in(&shared, u64::from(plan.members), plan.login_limit).await;
    let setup_s = env.epoch.elapsed().as_secs_f64();
    if n < u64::from(plan.members) {
        ctl.stop();
        let m = merge(handles).await;
        return Err(format!(
            "only {n}/{} members are in: {:?}",
            plan.members, m.errors
        ));
    }
    let me = std::process::id();
    let (srv0, bench0) = (sample(server.pid()), sample(me));
    let start = Instant::now() + Duration::from_millis(100);
    let end = start + plan.duration;
    ctl.go(start, end);
    tokio::time::sleep_until(end.into()).await;
    let s = shared.clone();
    let fan = u64::from(plan.members - 1);
    wait_delivered(&shared, move || s.sent.load(Relaxed) * fan, plan.settle).await;
    let (srv1, bench1) = (sample(server.pid()), sample(me));
    ctl.stop();
    let merged = merge(handles).await;
    let span = merged
        .last_receive
        .map(|t| t.saturating_duration_since(start).as_secs_f64())
        .unwrap_or(0.0)
        .max(plan.duration.as_secs_f64());
    let expected = shared.acked.load(Relaxed) * fan;
    let deliveries_per_s = shared.received_unique.load(Relaxed) as f64 / span;
    Ok(FanOutRun {
        shared,
        merged,
        start,
        server: (srv0, srv1),
        bench: (bench0, bench1),
        setup_s,
        expected,
        deliveries_per_s,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_carries_sender_seq_and_time_at_the_requested_size() {
        let p = make_payload(17, 42, 123_456_789, 100);
        assert_eq!(p.len(), 100);
        assert_eq!(parse_payload(&p), Some((17, 42, 123_456_789)));
        assert_eq!(parse_payload(b"hello"), None);
    }
}
