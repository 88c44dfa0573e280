//! Bounds on strangers, against the real server binary on loopback: floods of sockets that
//! never log in (from 127.0.0.2 and from many addresses; also under `prlimit --nofile=512`),
//! slow and oversized HTTP, the Origin list, `--metrics-listen`, the maximum token lifetime
//! and the failed-login throttle with the SDK core as the client.
//!
//! Loopback has all of 127.0.0.0/8, so a test picks a source address by binding to it.

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use support::*;
use tinyim::{ConnectionState, Event, Reply};
use tinyim_bench::host::Driver;
use tinyim_protocol::{code, Body, Empty, Frame};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message;

/// The flood tests use thousands of sockets and both cores: one at a time.
static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Flood sockets per test.
const FLOOD: usize = 2000;

/// Room for the flood's sockets in this process (the server raises its own limit).
fn raise_fd_limit() {
    let soft = rlimit::increase_nofile_limit(4 * FLOOD as u64 + 512).unwrap_or(0);
    assert!(
        soft >= 2 * FLOOD as u64 + 256,
        "the test needs about {} open files; the hard limit allows {soft}",
        2 * FLOOD + 256
    );
}

/// How one flood socket ended.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// The TCP connect or the WebSocket handshake failed: closed at admission.
    Refused,
    /// The server closed it `after` the TCP connect began, with `code` and `reason`.
    Closed {
        after: Duration,
        code: u16,
        reason: String,
    },
    /// Still open when the socket gave up waiting.
    Open,
}

/// Counters the flood sockets keep as they go.
#[derive(Default)]
struct FloodCount {
    /// Sockets whose connect and handshake are over (either way).
    settled: AtomicUsize,
    /// Of those, the ones that were upgraded.
    upgraded: AtomicUsize,
}

/// One socket that never logs in: from `source`, upgraded to a WebSocket, then a
/// WebSocket ping and an app `Ping` frame every `ping_every`, until the server closes it or
/// `hold` has passed.
async fn stranger(
    server: SocketAddr,
    source: Ipv4Addr,
    ping_every: Duration,
    hold: Duration,
    count: Arc<FloodCount>,
) -> Outcome {
    let settled = |up: bool| {
        if up {
            count.upgraded.fetch_add(1, Relaxed);
        }
        count.settled.fetch_add(1, Relaxed);
    };
    let Ok(sock) = TcpSocket::new_v4() else {
        settled(false);
        return Outcome::Refused;
    };
    if sock.bind(SocketAddr::from((source, 0))).is_err() {
        settled(false);
        return Outcome::Refused;
    }
    // Before the connect: the server accepts later, so its deadline is never earlier than
    // `t0` plus the login timeout (and this task may be scheduled late on a busy runtime).
    let t0 = Instant::now();
    let Ok(tcp) = sock.connect(server).await else {
        settled(false);
        return Outcome::Refused;
    };
    let url = format!("ws://{server}/ws");
    let handshake = tokio::time::timeout(WAIT, tokio_tungstenite::client_async(url, tcp)).await;
    let Ok(Ok((mut ws, _))) = handshake else {
        settled(false);
        return Outcome::Refused;
    };
    settled(true);
    let mut ticks = tokio::time::interval_at((t0 + ping_every).into(), ping_every);
    let give_up = tokio::time::sleep(hold);
    tokio::pin!(give_up);
    let mut id = 0;
    loop {
        tokio::select! {
            m = ws.next() => match m {
                Some(Ok(Message::Close(cf))) => {
                    let (code, reason) = cf
                        .map(|c| (u16::from(c.code), c.reason.to_string()))
                        .unwrap_or((1005, String::new()));
                    return Outcome::Closed { after: t0.elapsed(), code, reason };
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    return Outcome::Closed { after: t0.elapsed(), code: 1006, reason: String::new() };
                }
            },
            _ = ticks.tick() => {
                id += 1;
                let _ = ws.send(Message::Ping(vec![1, 2, 3].into())).await;
                let ping = Frame::new(id, Body::Ping(Empty {})).encode();
                let _ = ws.send(Message::Binary(ping.into())).await;
            }
            _ = &mut give_up => return Outcome::Open,
        }
    }
}

/// Starts `per_source` strangers from each of `sources`.
fn flood(
    server: &str,
    sources: &[Ipv4Addr],
    per_source: usize,
    ping_every: Duration,
    hold: Duration,
) -> (Arc<FloodCount>, Vec<tokio::task::JoinHandle<Outcome>>) {
    let server: SocketAddr = server.parse().unwrap();
    let count = Arc::new(FloodCount::default());
    let mut tasks = Vec::new();
    for _ in 0..per_source {
        for &src in sources {
            let c = Arc::clone(&count);
            tasks.push(tokio::spawn(stranger(server, src, ping_every, hold, c)));
        }
    }
    (count, tasks)
}

async fn outcomes(tasks: Vec<tokio::task::JoinHandle<Outcome>>) -> Vec<Outcome> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// Waits until every flood socket has connected or been refused.
async fn settled(count: &FloodCount, n: usize) -> Duration {
    let t0 = Instant::now();
    while count.settled.load(Relaxed) < n {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "{} of {n} flood sockets settled",
            count.settled.load(Relaxed)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    t0.elapsed()
}

/// `/healthz` from 127.0.0.1 answers 200; returns how long it took.
async fn healthz(s: &Server) -> Duration {
    let t0 = Instant::now();
    let (status, text) = tokio::time::timeout(WAIT, s.http_get("/healthz"))
        .await
        .expect("/healthz did not answer");
    assert_eq!(status, 200, "{text}");
    t0.elapsed()
}

/// A user logs in with the SDK core from 127.0.0.1; returns the driver and the time it took.
async fn sdk_login(s: &Server, user: &str, seed: u64) -> (Driver, Duration) {
    let mut d = Driver::new(APP, &s.ws_url(), seed);
    let token = token(user);
    let t0 = Instant::now();
    d.login(user, &token)
        .await
        .unwrap_or_else(|e| panic!("{user} could not log in: {e:?}"));
    (d, t0.elapsed())
}

fn reconnected(d: &Driver) -> bool {
    d.events.iter().any(|e| {
        matches!(
            e,
            Event::ConnectionStateChanged {
                state: ConnectionState::Reconnecting,
                ..
            }
        )
    })
}

fn args(extra: &[&str]) -> Vec<String> {
    let mut a = args_with_heartbeat(60);
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_pinging_strangers_are_closed_at_the_login_deadline() {
    let _one = HEAVY.lock().await;
    raise_fd_limit();
    const DEADLINE: Duration = Duration::from_secs(8);
    // The per-address caps are lifted so that every one of the 2000 is held until its
    // deadline (the defaults would refuse most of them at once; see the prlimit test).
    let s = Server::launch(
        &temp_dir("flood-deadline"),
        &args(&[
            "--login-timeout-seconds",
            "8",
            "--max-unauthenticated-per-addr",
            "0",
            "--max-connections-per-addr",
            "0",
        ]),
        Launch {
            log: Some("info"),
            ..Launch::default()
        },
    );
    let source = Ipv4Addr::new(127, 0, 0, 2);
    let started = Instant::now();
    let (count, tasks) = flood(
        &s.addr,
        &[source],
        FLOOD,
        Duration::from_secs(1),
        Duration::from_secs(40),
    );
    let connect_time = settled(&count, FLOOD).await;
    assert_eq!(
        count.upgraded.load(Relaxed),
        FLOOD,
        "every stranger got a socket"
    );
    let held = s.metric("tinyim_unauthenticated_sockets").await;

    // While they are all there: /healthz and a new user's login from another address.
    let health = healthz(&s).await;
    let (mut alice, login) = sdk_login(&s, "alice", 1).await;

    let out = outcomes(tasks).await;
    let mut closes: Vec<Duration> = out
        .iter()
        .map(|o| match o {
            Outcome::Closed {
                after,
                code,
                reason,
            } => {
                assert_eq!((*code, reason.as_str()), (4004, "no login in time"));
                *after
            }
            other => panic!("a stranger was not closed at its deadline: {other:?}"),
        })
        .collect();
    closes.sort();
    // The server counts from accept, which follows the start of the client's connect.
    assert!(
        closes[0] >= DEADLINE,
        "closed before the deadline: {:?}",
        closes[0]
    );
    // The slack covers a connect retried after a full accept queue and a busy machine.
    let last = *closes.last().unwrap();
    assert!(
        last < DEADLINE + Duration::from_secs(6),
        "closed late: {last:?}"
    );

    // Alice's session is untouched by the deadline: still logged in, never reconnected.
    let sent = alice.send_text("bob", "after the flood").await.unwrap();
    assert!(matches!(sent, Reply::Sent(_)));
    assert!(!reconnected(&alice), "alice was disconnected");
    assert_eq!(s.metric("tinyim_sessions").await, 1.0);
    assert_eq!(
        s.metric("tinyim_refusals_total{reason=\"login_deadline\"}")
            .await,
        FLOOD as f64
    );
    // Every stranger's place is free again; the one left is this /metrics request's own.
    let until = Instant::now() + WAIT;
    while s.metric("tinyim_unauthenticated_sockets").await > 1.0 {
        assert!(Instant::now() < until, "strangers' places were not freed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // One log line per refusal, at most 10 per reason and 10 s window: 2000 refusals in
    // well under 10 s leave at most 10 lines (and 10 more if the run crossed a window).
    let lines = s.log_lines("reason=\"login_deadline\"");
    assert!((1..=20).contains(&lines.len()), "{} log lines", lines.len());
    eprintln!(
        "flood-deadline: {FLOOD} strangers from {source} connected in {}; {held} held at once; \
         /healthz {} and alice's SDK login {} meanwhile; closed with 4004 after {} (first), {} \
         (median), {} (last) against an {}-second deadline, pinging every second; {} refusal \
         log lines; total {}",
        millis(connect_time),
        millis(health),
        millis(login),
        millis(closes[0]),
        millis(closes[closes.len() / 2]),
        millis(last),
        DEADLINE.as_secs(),
        lines.len(),
        millis(started.elapsed())
    );
}

/// The number of open files of process `pid`.
fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_under_prlimit_512_stays_reachable_through_floods() {
    let _one = HEAVY.lock().await;
    raise_fd_limit();
    let s = Server::launch(
        &temp_dir("flood-512"),
        &args(&["--login-timeout-seconds", "8"]),
        Launch {
            prefix: &["prlimit", "--nofile=512"],
            ..Launch::default()
        },
    );
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", s.pid())).unwrap();
    let files = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap()
        .to_owned();
    assert_eq!(
        files.split_whitespace().collect::<Vec<_>>()[3..5],
        ["512", "512"],
        "{files}"
    );
    assert_eq!(s.metric("tinyim_open_files_limit").await, 512.0);
    // Sample the server's open files through both floods.
    let pid = s.pid();
    let peak = Arc::new(AtomicUsize::new(0));
    let sampler = {
        let peak = Arc::clone(&peak);
        tokio::spawn(async move {
            loop {
                peak.fetch_max(open_fds(pid), Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };

    // 1. 2000 from one address: the per-address cap (14 of 512) refuses all but a few.
    let one = Ipv4Addr::new(127, 0, 0, 2);
    let (count, tasks) = flood(
        &s.addr,
        &[one],
        FLOOD,
        Duration::from_secs(1),
        Duration::from_secs(30),
    );
    let t1 = settled(&count, FLOOD).await;
    let held1 = count.upgraded.load(Relaxed);
    let health1 = healthz(&s).await;
    let (mut alice, login1) = sdk_login(&s, "alice", 1).await;
    let fds1 = open_fds(pid);

    // 2. 2000 more from 100 addresses (20 each): over the total cap of 112 strangers, the
    // oldest are evicted; logins from elsewhere still get in.
    let many: Vec<Ipv4Addr> = (1..=100).map(|i| Ipv4Addr::new(127, 0, 1, i)).collect();
    let (count2, tasks2) = flood(
        &s.addr,
        &many,
        FLOOD / many.len(),
        Duration::from_secs(1),
        Duration::from_secs(30),
    );
    let t2 = settled(&count2, FLOOD).await;
    let held2 = count2.upgraded.load(Relaxed);
    let health2 = healthz(&s).await;
    let (mut bob, login2) = sdk_login(&s, "bob", 2).await;
    let fds2 = open_fds(pid);

    let out1 = outcomes(tasks).await;
    let out2 = outcomes(tasks2).await;
    sampler.abort();
    let peak = peak.load(Relaxed);

    assert!(held1 <= 14, "{held1} strangers from one address held");
    let refused1 = out1.iter().filter(|o| **o == Outcome::Refused).count();
    assert_eq!(refused1 + held1, FLOOD);
    for o in out1.iter().filter(|o| **o != Outcome::Refused) {
        assert!(
            matches!(
                o,
                Outcome::Closed { code: 4004, .. } | Outcome::Closed { code: 1006, .. }
            ),
            "{o:?}"
        );
    }
    let evicted = s
        .metric("tinyim_refusals_total{reason=\"unauthenticated_evicted\"}")
        .await;
    assert!(evicted > 0.0, "the total cap was never reached");
    assert_eq!(
        s.metric("tinyim_refusals_total{reason=\"accept_failed\"}")
            .await,
        0.0,
        "the server ran out of file descriptors"
    );
    assert!(peak < 512, "peak {peak} open files");
    // Both users are still logged in and can talk.
    alice.send_text("bob", "still here").await.unwrap();
    assert!(bob.wait_peer_messages(1, WAIT).await);
    assert!(!reconnected(&alice) && !reconnected(&bob));
    let per_addr = s
        .metric("tinyim_refusals_total{reason=\"unauthenticated_per_addr\"}")
        .await;
    let deadline = s
        .metric("tinyim_refusals_total{reason=\"login_deadline\"}")
        .await;
    let closed2 = out2
        .iter()
        .filter(|o| matches!(o, Outcome::Closed { .. }))
        .count();
    eprintln!(
        "flood-512: open files limit 512. One address: {FLOOD} strangers settled in {}, {held1} \
         held, {refused1} refused at accept; /healthz {} and alice's login {} after; {fds1} fds \
         open. 100 addresses: settled in {}, {held2} upgraded, {closed2} closed (evicted or at \
         the deadline); /healthz {} and bob's login {} after; {fds2} fds open. Peak {peak} open \
         files; refusals: {per_addr} per address, {evicted} evicted, {deadline} at the \
         deadline, 0 accept failures",
        millis(t1),
        millis(health1),
        millis(login1),
        millis(t2),
        millis(health2),
        millis(login2),
    );
}

/// Reads from `tcp` until the server closes it; returns how long that took (or panics
/// after `limit`).
async fn closed_within(tcp: &mut TcpStream, limit: Duration) -> Duration {
    let t0 = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((t0 + limit).into(), tcp.read(&mut buf)).await {
            Err(_) => panic!("still open after {limit:?}"),
            Ok(Ok(0)) | Ok(Err(_)) => return t0.elapsed(),
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn slow_and_oversized_http_is_closed() {
    let s = Server::start_in(
        &temp_dir("slow-http"),
        &args(&[
            "--http-header-timeout-seconds",
            "2",
            "--login-timeout-seconds",
            "30",
        ]),
    );
    let limit = Duration::from_secs(6);
    let early = Duration::from_millis(1900);
    // Nothing sent at all.
    let mut idle = TcpStream::connect(&s.addr).await.unwrap();
    // Half a request line.
    let mut half = TcpStream::connect(&s.addr).await.unwrap();
    half.write_all(b"GET /heal").await.unwrap();
    let (a, b) = tokio::join!(
        closed_within(&mut idle, limit),
        closed_within(&mut half, limit)
    );
    assert!(a >= early && b >= early, "{a:?} {b:?}");

    // Headers dripped a byte every 100 ms: never complete, closed at the timeout.
    let mut drip = TcpStream::connect(&s.addr).await.unwrap();
    drip.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let t0 = Instant::now();
    let mut closed = false;
    while t0.elapsed() < limit {
        if drip.write_all(b"X").await.is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 512];
        if let Ok(r) = tokio::time::timeout(Duration::from_millis(100), drip.read(&mut buf)).await {
            if matches!(r, Ok(0) | Err(_)) {
                closed = true;
                break;
            }
        }
    }
    assert!(closed, "dripped headers kept the connection open");
    assert!(t0.elapsed() >= early, "{:?}", t0.elapsed());

    // A keep-alive connection that goes idle after a request.
    let mut keep = TcpStream::connect(&s.addr).await.unwrap();
    keep.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = keep.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    closed_within(&mut keep, limit).await;

    // Headers over the size limit: 431, then closed.
    let mut big = TcpStream::connect(&s.addr).await.unwrap();
    let filler = "a".repeat(20 * 1024);
    let req = format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: {filler}\r\n\r\n");
    let _ = big.write_all(req.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(limit, big.read_to_end(&mut answer)).await;
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 431"),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    assert_eq!(
        s.metric("tinyim_refusals_total{reason=\"header_timeout\"}")
            .await,
        3.0
    );
    assert_eq!(
        s.metric("tinyim_refusals_total{reason=\"header_too_large\"}")
            .await,
        1.0
    );
}

#[tokio::test]
async fn plain_http_connections_end_at_the_login_deadline_too() {
    // The bounds come from the config file here (the keys are the flags' names with `_`).
    let dir = temp_dir("http-deadline");
    let config = dir.join("tinyim.toml");
    std::fs::write(
        &config,
        "login_timeout_seconds = 2\nhttp_header_timeout_seconds = 5\n",
    )
    .unwrap();
    let s = Server::start_in(&dir, &args(&["--config", config.to_str().unwrap()]));
    // A keep-alive connection that asks for /healthz every 500 ms: each request is quick,
    // but the socket never logs in, so it goes at its deadline.
    let mut c = TcpStream::connect(&s.addr).await.unwrap();
    let t0 = Instant::now();
    let mut answered = 0;
    loop {
        assert!(t0.elapsed() < Duration::from_secs(8), "still open");
        if c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .is_err()
        {
            break;
        }
        let mut buf = [0u8; 1024];
        match tokio::time::timeout(Duration::from_secs(3), c.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(_)) => answered += 1,
            Err(_) => panic!("no answer"),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(answered >= 3, "{answered}");
    assert!(
        t0.elapsed() >= Duration::from_millis(1900),
        "{:?}",
        t0.elapsed()
    );
    assert_eq!(
        s.metric("tinyim_refusals_total{reason=\"login_deadline\"}")
            .await,
        1.0
    );
}

/// A WebSocket upgrade request with `origin` (none if `None`); returns the status code.
async fn upgrade_status(s: &Server, origin: Option<&str>) -> u16 {
    let mut c = TcpStream::connect(&s.addr).await.unwrap();
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "GET /ws HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{origin}\r\n",
        s.addr
    );
    c.write_all(req.as_bytes()).await.unwrap();
    let mut buf = [0u8; 1024];
    let n = tokio::time::timeout(WAIT, c.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    text.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn the_origin_list_and_the_metrics_listener() {
    let s = Server::start_in(
        &temp_dir("origin"),
        &args(&[
            "--allowed-origin",
            "https://chat.example.com",
            "--allowed-origin",
            "http://localhost:3000/",
            "--metrics-listen",
            "127.0.0.1:0",
        ]),
    );
    assert_eq!(
        upgrade_status(&s, Some("https://evil.example.com")).await,
        403
    );
    assert_eq!(
        upgrade_status(&s, Some("https://chat.example.com")).await,
        101
    );
    assert_eq!(upgrade_status(&s, Some("HTTP://LOCALHOST:3000")).await, 101);
    assert_eq!(upgrade_status(&s, None).await, 101);

    // /metrics moved to its own address.
    let (status, _) = s.http_get("/metrics").await;
    assert_eq!(status, 404);
    let maddr = s
        .banner
        .iter()
        .find_map(|l| l.strip_prefix("metrics on http://"))
        .and_then(|l| l.strip_suffix("/metrics"))
        .expect("the metrics address is printed")
        .to_owned();
    let tcp = TcpStream::connect(&maddr).await.unwrap();
    let (status, text) = get_on(tcp, &maddr, "/metrics").await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        metric_in(&text, "tinyim_refusals_total{reason=\"origin\"}"),
        1.0
    );
    let tcp = TcpStream::connect(&maddr).await.unwrap();
    assert_eq!(get_on(tcp, &maddr, "/healthz").await.unwrap().0, 200);
    let tcp = TcpStream::connect(&maddr).await.unwrap();
    assert_eq!(get_on(tcp, &maddr, "/ws").await.unwrap().0, 404);
}

#[tokio::test]
async fn the_maximum_token_lifetime() {
    let s = Server::start_in(
        &temp_dir("token-lifetime"),
        &args(&["--max-token-lifetime-seconds", "3600"]),
    );
    let far = node_token_gcm(APP, SECRET, "alice", now_secs() + 10 * 365 * 86_400);
    let mut c = RawClient::connect(&s.ws_url()).await;
    let r = c.login_raw(APP, "alice", &far, 0).await;
    assert_eq!(error_code(&r), code::TOKEN_INVALID);
    assert_eq!(c.until_closed().await.1, 4001);

    let near = node_token_gcm(APP, SECRET, "alice", now_secs() + 1800);
    let (mut c, _) = RawClient::login(&s.ws_url(), APP, "alice", &near, 0).await;
    let r = c
        .request(Body::RenewToken(tinyim_protocol::RenewToken { token: far }))
        .await;
    assert_eq!(error_code(&r), code::TOKEN_INVALID);
    // The session stays, on its old token.
    let r = c.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)), "{r:?}");
    assert_eq!(
        s.metric("tinyim_refusals_total{reason=\"token_lifetime\"}")
            .await,
        2.0
    );
}

#[tokio::test]
async fn failed_logins_are_throttled_and_the_sdk_does_not_loop() {
    let s = Server::start_in(
        &temp_dir("throttle"),
        &args(&["--failed-logins-per-minute", "3"]),
    );
    let wrong = node_token_gcm(APP, SECRET2, "mallory", now_secs() + 3600);
    for _ in 0..3 {
        let mut c = RawClient::connect(&s.ws_url()).await;
        let r = c.login_raw(APP, "mallory", &wrong, 0).await;
        assert_eq!(error_code(&r), code::TOKEN_INVALID);
        assert_eq!(c.until_closed().await.1, 4001);
    }
    // The address's budget is spent: even a valid login is refused, unchecked.
    let mut c = RawClient::connect(&s.ws_url()).await;
    let r = c.login_raw(APP, "alice", &token("alice"), 0).await;
    assert_eq!(error_code(&r), code::SERVER_FREQUENCY_LIMIT);
    assert_eq!(c.until_closed().await.1, 4001);

    // The SDK reports 6000005 and does not try again by itself.
    let mut alice = Driver::new(APP, &s.ws_url(), 7);
    let e = alice.login("alice", &token("alice")).await.unwrap_err();
    assert_eq!(e.code, code::SERVER_FREQUENCY_LIMIT, "{e:?}");
    let before = s.metric("tinyim_connections_total").await;
    alice.run_for(Duration::from_secs(3)).await;
    assert_eq!(
        s.metric("tinyim_connections_total").await,
        before,
        "the SDK reconnected"
    );
    assert_eq!(
        s.metric("tinyim_refusals_total{reason=\"login_throttled\"}")
            .await,
        2.0
    );

    // Another address is not affected.
    let mut other = RawClient::connect_from(&s.addr, "127.0.0.3").await;
    let r = other.login_raw(APP, "bob", &token("bob"), 0).await;
    assert!(matches!(r.body, Body::LoginOk(_)), "{r:?}");
}
