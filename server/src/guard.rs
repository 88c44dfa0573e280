//! Bounds on what strangers can hold: connection caps, the login deadline, the failed-login
//! throttle, and the one place every refusal is counted and logged.
//!
//! Every accepted TCP connection gets an [`Admission`] (or is closed at once). It counts as
//! *unauthenticated* until its WebSocket session logs in, and it holds its place in the caps
//! until the socket is gone:
//!
//! - **total connections** (derived from the open-file limit): the hard stop that keeps file
//!   descriptors for the store and for `/healthz`; over it a new socket is closed at once.
//! - **connections per address** and **unauthenticated per address**: one address (an IPv4
//!   address or an IPv6 /64, what one machine or home usually has) cannot take more; its
//!   new sockets are closed at once.
//! - **unauthenticated in total**: when full, the *oldest* unauthenticated socket is closed
//!   to make room (it had the longest to log in), so a flood from many addresses delays
//!   honest logins rather than locking them out: an SDK logs in one round trip after
//!   connecting.
//! - **the login deadline**: a socket that has not logged in this long after it was accepted
//!   is closed (4004 on a WebSocket), whatever it sent meanwhile; no frame or ping extends it.
//!
//! Failed logins are throttled per address with a token bucket; while it is empty, logins
//! from that address are refused with 6000005 before their token is looked at.
//!
//! Refusals are counted in `/metrics` by [`Refusal`] and logged one line each, at most
//! [`LOG_PER_WINDOW`] lines per reason per [`LOG_WINDOW`], so a flood cannot fill the disk;
//! the next line logged says how many were left out.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use crate::fdlimit::FdLimit;
use crate::metrics::Metrics;

/// At most this many log lines per refusal reason per [`LOG_WINDOW`].
pub const LOG_PER_WINDOW: u32 = 10;
/// The window of the refusal log's rate limit.
pub const LOG_WINDOW: Duration = Duration::from_secs(10);
/// File descriptors kept out of every cap: the store (database, WAL, shared memory), the
/// listeners, stdio, the runtime's own (epoll, eventfd) and a margin.
const RESERVED_FDS: u64 = 64;
/// Failed-login buckets kept before full ones are forgotten.
const THROTTLE_PRUNE_AT: usize = 4096;
/// Failed-login buckets kept at most (a flood from very many addresses): beyond it they are
/// all forgotten, which is the safe direction.
const THROTTLE_MAX: usize = 65_536;

/// Why a stranger was refused or cut off. The label is the `reason` of
/// `tinyim_refusals_total` in `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A new socket over the total connection cap (closed at once).
    Connections,
    /// A new socket over its address's connection cap (closed at once).
    ConnectionsPerAddr,
    /// A new socket over its address's unauthenticated cap (closed at once).
    UnauthenticatedPerAddr,
    /// The oldest unauthenticated socket, closed to make room under the total cap.
    UnauthenticatedEvicted,
    /// A socket that did not log in before its deadline.
    LoginDeadline,
    /// A login refused unchecked: its address failed too many logins (6000005).
    LoginThrottled,
    /// A login that failed (bad fields, app or token).
    LoginFailed,
    /// A token whose expiry is further away than the server's maximum token lifetime.
    TokenLifetime,
    /// A WebSocket upgrade from a page whose `Origin` is not allowed (403).
    Origin,
    /// An HTTP request whose headers did not arrive in time.
    HeaderTimeout,
    /// An HTTP request whose headers were over the size limit (431).
    HeaderTooLarge,
    /// A TLS handshake that failed or did not finish in time.
    TlsHandshake,
    /// `accept` failed (usually: out of file descriptors).
    AcceptFailed,
    /// A connection to the metrics listener over its small cap.
    MetricsConnections,
    /// A socket not logged in that broke the protocol (closed with 1002).
    ProtocolError,
}

impl Refusal {
    /// Every reason, in the order `/metrics` lists them.
    pub const ALL: [Refusal; 15] = [
        Refusal::Connections,
        Refusal::ConnectionsPerAddr,
        Refusal::UnauthenticatedPerAddr,
        Refusal::UnauthenticatedEvicted,
        Refusal::LoginDeadline,
        Refusal::LoginThrottled,
        Refusal::LoginFailed,
        Refusal::TokenLifetime,
        Refusal::Origin,
        Refusal::HeaderTimeout,
        Refusal::HeaderTooLarge,
        Refusal::TlsHandshake,
        Refusal::AcceptFailed,
        Refusal::MetricsConnections,
        Refusal::ProtocolError,
    ];

    /// The metric label.
    pub fn label(self) -> &'static str {
        match self {
            Refusal::Connections => "connections",
            Refusal::ConnectionsPerAddr => "connections_per_addr",
            Refusal::UnauthenticatedPerAddr => "unauthenticated_per_addr",
            Refusal::UnauthenticatedEvicted => "unauthenticated_evicted",
            Refusal::LoginDeadline => "login_deadline",
            Refusal::LoginThrottled => "login_throttled",
            Refusal::LoginFailed => "login_failed",
            Refusal::TokenLifetime => "token_lifetime",
            Refusal::Origin => "origin",
            Refusal::HeaderTimeout => "header_timeout",
            Refusal::HeaderTooLarge => "header_too_large",
            Refusal::TlsHandshake => "tls_handshake",
            Refusal::AcceptFailed => "accept_failed",
            Refusal::MetricsConnections => "metrics_connections",
            Refusal::ProtocolError => "protocol_error",
        }
    }

    /// The position in [`Refusal::ALL`].
    pub fn index(self) -> usize {
        Refusal::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// The configured bounds. A cap or rate of 0 turns that bound off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How long a new socket has to log in.
    pub login_timeout: Duration,
    pub max_connections: usize,
    pub max_connections_per_addr: usize,
    pub max_unauthenticated: usize,
    pub max_unauthenticated_per_addr: usize,
    /// Failed logins an address may make per minute (and in a burst).
    pub failed_logins_per_minute: u32,
}

/// Default login deadline.
pub const DEFAULT_LOGIN_TIMEOUT_SECONDS: u64 = 10;
/// Default failed-login budget per address and minute.
pub const DEFAULT_FAILED_LOGINS_PER_MINUTE: u32 = 20;

impl Limits {
    /// The defaults for a process allowed `fds` open files: every socket the caps admit
    /// fits with [`RESERVED_FDS`] to spare.
    pub fn for_fd_limit(fds: FdLimit) -> Limits {
        let usable = fds.soft.saturating_sub(RESERVED_FDS).clamp(16, 1 << 20);
        Limits::for_connections(usable as usize)
    }

    /// The defaults under a total of `max_connections` sockets: strangers get at most a
    /// quarter of it (the rest is there for logged-in users), one address an eighth of that
    /// while logging in and a quarter of the total in all.
    pub fn for_connections(max_connections: usize) -> Limits {
        let max_unauthenticated = (max_connections / 4).clamp(4, 10_000);
        Limits {
            login_timeout: Duration::from_secs(DEFAULT_LOGIN_TIMEOUT_SECONDS),
            max_connections,
            max_connections_per_addr: (max_connections / 4).clamp(4, 4096),
            max_unauthenticated,
            max_unauthenticated_per_addr: (max_unauthenticated / 8).clamp(2, 128),
            failed_logins_per_minute: DEFAULT_FAILED_LOGINS_PER_MINUTE,
        }
    }
}

/// What the caps count an address as: IPv4 addresses one by one, IPv6 by /64 (one host or
/// home usually gets a whole /64, so counting single IPv6 addresses would bound nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AddrKey(IpAddr);

impl AddrKey {
    pub fn of(ip: IpAddr) -> AddrKey {
        match ip {
            IpAddr::V4(v4) => AddrKey(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => AddrKey(IpAddr::V4(v4)),
                None => {
                    let s = v6.segments();
                    AddrKey(IpAddr::V6(std::net::Ipv6Addr::new(
                        s[0], s[1], s[2], s[3], 0, 0, 0, 0,
                    )))
                }
            },
        }
    }
}

#[derive(Default)]
struct PerAddr {
    open: usize,
    unauthenticated: usize,
}

#[derive(Default)]
struct Counts {
    open: usize,
    per_addr: HashMap<AddrKey, PerAddr>,
    /// The unauthenticated admissions, oldest first (ids increase). Being in here is what
    /// counts a socket as unauthenticated: it leaves on login, eviction or close.
    unauthenticated: BTreeMap<u64, (AddrKey, CancellationToken)>,
}

/// One address's failed-login budget.
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// One reason's log window.
#[derive(Clone, Copy)]
struct LogWindow {
    start: Instant,
    logged: u32,
    left_out: u64,
}

/// The caps, the throttle and the refusal log; one per server.
pub struct Guard {
    limits: Limits,
    metrics: Arc<Metrics>,
    counts: Mutex<Counts>,
    failures: Mutex<HashMap<AddrKey, Bucket>>,
    log: Mutex<Vec<LogWindow>>,
    next_id: AtomicU64,
}

impl Guard {
    pub fn new(limits: Limits, metrics: Arc<Metrics>) -> Arc<Guard> {
        let now = Instant::now();
        Arc::new(Guard {
            limits,
            metrics,
            counts: Mutex::new(Counts::default()),
            failures: Mutex::new(HashMap::new()),
            log: Mutex::new(vec![
                LogWindow {
                    start: now,
                    logged: 0,
                    left_out: 0,
                };
                Refusal::ALL.len()
            ]),
            next_id: AtomicU64::new(1),
        })
    }

    /// Admits a socket just accepted from `peer`, or says why it must be closed now. When
    /// the unauthenticated total is full the oldest unauthenticated socket is told to go.
    pub fn admit(self: &Arc<Self>, peer: SocketAddr) -> Result<Admission, Refusal> {
        let key = AddrKey::of(peer.ip());
        let l = &self.limits;
        let evict = CancellationToken::new();
        let id = self.next_id.fetch_add(1, Relaxed);
        let evicted = {
            let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            if l.max_connections > 0 && c.open >= l.max_connections {
                return Err(Refusal::Connections);
            }
            let (open, unauth) = c
                .per_addr
                .get(&key)
                .map_or((0, 0), |p| (p.open, p.unauthenticated));
            if l.max_connections_per_addr > 0 && open >= l.max_connections_per_addr {
                return Err(Refusal::ConnectionsPerAddr);
            }
            if l.max_unauthenticated_per_addr > 0 && unauth >= l.max_unauthenticated_per_addr {
                return Err(Refusal::UnauthenticatedPerAddr);
            }
            let evicted =
                if l.max_unauthenticated > 0 && c.unauthenticated.len() >= l.max_unauthenticated {
                    c.unauthenticated.pop_first().map(|(_, (old_key, token))| {
                        if let Some(p) = c.per_addr.get_mut(&old_key) {
                            p.unauthenticated -= 1;
                        }
                        token
                    })
                } else {
                    None
                };
            c.open += 1;
            let p = c.per_addr.entry(key).or_default();
            p.open += 1;
            p.unauthenticated += 1;
            c.unauthenticated.insert(id, (key, evict.clone()));
            self.publish(&c);
            evicted
        };
        if let Some(token) = evicted {
            token.cancel();
        }
        Ok(Admission(Arc::new(AdmissionInner {
            guard: Arc::clone(self),
            id,
            key,
            peer,
            deadline: Instant::now() + l.login_timeout,
            evict,
            authenticated: AtomicBool::new(false),
            authed: CancellationToken::new(),
        })))
    }

    /// Mirrors the counts into the metrics gauges.
    fn publish(&self, c: &Counts) {
        self.metrics.open_sockets.store(c.open as u64, Relaxed);
        self.metrics
            .unauthenticated
            .store(c.unauthenticated.len() as u64, Relaxed);
    }

    /// Takes admission `id` out of the unauthenticated set (login or close).
    fn leave_unauthenticated(&self, c: &mut Counts, id: u64) {
        if let Some((key, _)) = c.unauthenticated.remove(&id) {
            if let Some(p) = c.per_addr.get_mut(&key) {
                p.unauthenticated -= 1;
            }
        }
    }

    fn authenticated(&self, id: u64) {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        self.leave_unauthenticated(&mut c, id);
        self.publish(&c);
    }

    fn release(&self, id: u64, key: AddrKey) {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        self.leave_unauthenticated(&mut c, id);
        c.open -= 1;
        if let Some(p) = c.per_addr.get_mut(&key) {
            p.open -= 1;
            if p.open == 0 {
                c.per_addr.remove(&key);
            }
        }
        self.publish(&c);
    }

    /// `true` while `ip` has used up its failed-login budget.
    pub fn login_throttled(&self, ip: IpAddr) -> bool {
        let rate = self.limits.failed_logins_per_minute;
        if rate == 0 {
            return false;
        }
        let now = Instant::now();
        let f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        f.get(&AddrKey::of(ip))
            .is_some_and(|b| refill(b, rate, now) < 1.0)
    }

    /// A login from `ip` failed: it takes one from the address's budget.
    pub fn login_failed(&self, ip: IpAddr) {
        let rate = self.limits.failed_logins_per_minute;
        if rate == 0 {
            return;
        }
        let now = Instant::now();
        let mut f = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if f.len() >= THROTTLE_PRUNE_AT {
            // Forget the addresses whose budget is whole again.
            f.retain(|_, b| refill(b, rate, now) < f64::from(rate));
            if f.len() >= THROTTLE_MAX {
                f.clear();
            }
        }
        let b = f.entry(AddrKey::of(ip)).or_insert(Bucket {
            tokens: f64::from(rate),
            last: now,
        });
        b.tokens = (refill(b, rate, now) - 1.0).max(0.0);
        b.last = now;
    }

    /// Counts refusal `reason` and logs it (rate-limited). `peer` and `detail` go into the
    /// log line.
    pub fn refuse(&self, reason: Refusal, peer: Option<SocketAddr>, detail: &str) {
        self.metrics.refusal(reason);
        let Some(left_out) = self.log_slot(reason, Instant::now()) else {
            return;
        };
        let peer = peer.map(|p| p.to_string()).unwrap_or_default();
        if left_out > 0 {
            tracing::info!(reason = reason.label(), %peer, detail, left_out, "refused (and {left_out} more like it not logged)");
        } else {
            tracing::info!(reason = reason.label(), %peer, detail, "refused");
        }
    }

    /// Whether a refusal for `reason` at `now` gets a log line: `Some(n)` with the number
    /// left out since the last line, or `None` while the reason's window is full.
    fn log_slot(&self, reason: Refusal, now: Instant) -> Option<u64> {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        let w = &mut log[reason.index()];
        if now.saturating_duration_since(w.start) >= LOG_WINDOW {
            w.start = now;
            w.logged = 0;
        }
        if w.logged >= LOG_PER_WINDOW {
            w.left_out += 1;
            return None;
        }
        w.logged += 1;
        Some(std::mem::take(&mut w.left_out))
    }
}

/// `b`'s tokens now, refilled at `rate` a minute up to `rate`.
fn refill(b: &Bucket, rate: u32, now: Instant) -> f64 {
    let rate = f64::from(rate);
    let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
    (b.tokens + elapsed * rate / 60.0).min(rate)
}

/// A socket's place in the caps, held until the socket is gone (every clone dropped).
#[derive(Clone)]
pub struct Admission(Arc<AdmissionInner>);

struct AdmissionInner {
    guard: Arc<Guard>,
    id: u64,
    key: AddrKey,
    peer: SocketAddr,
    deadline: Instant,
    evict: CancellationToken,
    authenticated: AtomicBool,
    /// Cancelled when it authenticates, so a wait in [`Admission::expired`] that began
    /// before (a plain HTTP connection uploading a media file) stops counting.
    authed: CancellationToken,
}

impl Drop for AdmissionInner {
    fn drop(&mut self) {
        self.guard.release(self.id, self.key);
    }
}

impl Admission {
    /// The socket logged in: it no longer counts as unauthenticated, and neither the login
    /// deadline nor eviction applies to it any more.
    pub fn authenticated(&self) {
        if !self.0.authenticated.swap(true, Relaxed) {
            self.0.guard.authenticated(self.0.id);
            self.0.authed.cancel();
        }
    }

    /// Completes when the socket must go without having logged in: at its login deadline
    /// ([`Refusal::LoginDeadline`]) or when it is evicted
    /// ([`Refusal::UnauthenticatedEvicted`]). Never completes once logged in, also when
    /// the login comes while it waits.
    pub async fn expired(&self) -> Refusal {
        if self.0.authenticated.load(Relaxed) {
            return std::future::pending().await;
        }
        tokio::select! {
            _ = self.0.authed.cancelled() => std::future::pending().await,
            _ = tokio::time::sleep_until(self.0.deadline.into()) => Refusal::LoginDeadline,
            _ = self.0.evict.cancelled() => Refusal::UnauthenticatedEvicted,
        }
    }

    /// Counts and logs `reason` for this socket.
    pub fn refuse(&self, reason: Refusal) {
        self.0.guard.refuse(reason, Some(self.0.peer), "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            login_timeout: Duration::from_secs(10),
            max_connections: 10,
            max_connections_per_addr: 4,
            max_unauthenticated: 5,
            max_unauthenticated_per_addr: 3,
            failed_logins_per_minute: 2,
        }
    }

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn per_address_caps_refuse_and_logins_free_the_unauthenticated_place() {
        let g = Guard::new(limits(), Arc::new(Metrics::default()));
        let a: Vec<Admission> = (0..3)
            .map(|i| g.admit(addr(&format!("10.0.0.1:{}", 1000 + i))).unwrap())
            .collect();
        assert_eq!(
            g.admit(addr("10.0.0.1:2000")).err(),
            Some(Refusal::UnauthenticatedPerAddr)
        );
        // Another address is not affected.
        let other = g.admit(addr("10.0.0.2:1000")).unwrap();
        a[0].authenticated();
        let fourth = g.admit(addr("10.0.0.1:2001")).unwrap();
        fourth.authenticated();
        // Four open from 10.0.0.1 now: the per-address connection cap.
        assert_eq!(
            g.admit(addr("10.0.0.1:2002")).err(),
            Some(Refusal::ConnectionsPerAddr)
        );
        drop(fourth);
        assert!(g.admit(addr("10.0.0.1:2003")).is_ok());
        drop((a, other));
        let c = g.counts.lock().unwrap();
        assert_eq!(
            (c.open, c.unauthenticated.len(), c.per_addr.len()),
            (0, 0, 0)
        );
    }

    #[test]
    fn ipv6_addresses_count_by_slash_64() {
        let g = Guard::new(limits(), Arc::new(Metrics::default()));
        let _k: Vec<Admission> = (1..=3)
            .map(|i| g.admit(addr(&format!("[2001:db8:1:2::{i}]:80"))).unwrap())
            .collect();
        assert_eq!(
            g.admit(addr("[2001:db8:1:2:ffff::9]:80")).err(),
            Some(Refusal::UnauthenticatedPerAddr)
        );
        assert!(g.admit(addr("[2001:db8:1:3::1]:80")).is_ok());
        assert_eq!(
            AddrKey::of("::ffff:10.0.0.1".parse().unwrap()),
            AddrKey::of("10.0.0.1".parse().unwrap())
        );
    }

    #[tokio::test]
    async fn the_total_unauthenticated_cap_evicts_the_oldest() {
        let mut l = limits();
        l.max_connections = 20;
        let g = Guard::new(l, Arc::new(Metrics::default()));
        let first: Vec<Admission> = (1..=5)
            .map(|i| g.admit(addr(&format!("10.0.1.{i}:1"))).unwrap())
            .collect();
        let newcomer = g.admit(addr("10.0.2.1:1")).unwrap();
        assert_eq!(first[0].expired().await, Refusal::UnauthenticatedEvicted);
        // The evicted socket still holds its file descriptor until it is dropped...
        assert_eq!(g.counts.lock().unwrap().open, 6);
        // ...but not an unauthenticated place: the next newcomer evicts the next oldest.
        let _n2 = g.admit(addr("10.0.2.2:1")).unwrap();
        assert_eq!(first[1].expired().await, Refusal::UnauthenticatedEvicted);
        // A logged-in socket is never evicted.
        newcomer.authenticated();
        let _more: Vec<Admission> = (3..=6)
            .map(|i| g.admit(addr(&format!("10.0.2.{i}:1"))).unwrap())
            .collect();
        let expired = tokio::time::timeout(Duration::from_millis(50), newcomer.expired()).await;
        assert!(expired.is_err(), "a logged-in socket expired");
    }

    #[test]
    fn the_total_cap_refuses_when_full() {
        let mut l = limits();
        l.max_connections = 2;
        let g = Guard::new(l, Arc::new(Metrics::default()));
        let _a = g.admit(addr("10.0.0.1:1")).unwrap();
        let _b = g.admit(addr("10.0.0.2:1")).unwrap();
        assert_eq!(
            g.admit(addr("10.0.0.3:1")).err(),
            Some(Refusal::Connections)
        );
    }

    #[test]
    fn failed_logins_are_throttled_per_address() {
        let g = Guard::new(limits(), Arc::new(Metrics::default()));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(!g.login_throttled(ip));
        g.login_failed(ip);
        assert!(!g.login_throttled(ip));
        g.login_failed(ip);
        assert!(g.login_throttled(ip));
        assert!(!g.login_throttled("10.0.0.2".parse().unwrap()));
    }

    #[test]
    fn refusal_logging_is_rate_limited_per_reason() {
        let g = Guard::new(limits(), Arc::new(Metrics::default()));
        let t0 = Instant::now();
        let logged = (0..100)
            .filter(|_| g.log_slot(Refusal::LoginDeadline, t0).is_some())
            .count();
        assert_eq!(logged, LOG_PER_WINDOW as usize);
        // Another reason has its own window.
        assert_eq!(g.log_slot(Refusal::Origin, t0), Some(0));
        // The next window's first line says how many were left out.
        let later = t0 + LOG_WINDOW;
        assert_eq!(g.log_slot(Refusal::LoginDeadline, later), Some(90));
        assert_eq!(g.log_slot(Refusal::LoginDeadline, later), Some(0));
    }

    #[test]
    fn defaults_leave_room_under_the_fd_limit() {
        let l = Limits::for_fd_limit(FdLimit {
            before: 512,
            soft: 512,
            hard: 512,
        });
        assert_eq!(l.max_connections, 448);
        assert_eq!(l.max_unauthenticated, 112);
        assert_eq!(l.max_unauthenticated_per_addr, 14);
        assert_eq!(l.max_connections_per_addr, 112);
        let big = Limits::for_fd_limit(FdLimit {
            before: 1024,
            soft: 1 << 20,
            hard: 1 << 20,
        });
        assert_eq!(big.max_unauthenticated, 10_000);
        assert_eq!(big.max_unauthenticated_per_addr, 128);
    }
}
