//! The peer scenario on the durable peer that runs here: ejabberd (Debian's 23.01), with its
//! SQL backend on SQLite for users and offline messages, stream management (XEP-0198) on,
//! no shaper, no TLS, one listener on 127.0.0.1. Same users, rate, payloads and schedule as
//! the tinyim and Mosquitto runs, same latency measurement (the send time travels in the
//! message body and is read at the receiver).
//!
//! The client is a minimal XMPP client written for the bench (a load generator must be
//! cheap, and none of the Rust XMPP crates is both small and stream-management aware): one
//! TCP stream per user, SASL PLAIN, resource bind, `<enable/>` for stream management, initial
//! presence; then `<message type='chat'>` stanzas, each followed by an ack request `<r/>`,
//! so that, as with tinyim's SendAck and MQTT's PUBACK, every message is acknowledged by the
//! server (`<a h='…'/>` counts the stanzas it has handled). The server's own `<r/>` are
//! answered with the count of stanzas received. A dropped stream (the crash audit kills the
//! server) reconnects after a second and resends the stanzas the server had not
//! acknowledged, as an XEP-0198 client does when it cannot resume.
//!
//! What an ack means differs by system: ejabberd's `<a h>` says the server has *handled*
//! the stanza (routed it to the online recipient's process, or stored it offline in SQL);
//! tinyim's SendAck says the message is committed on disk.

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

use crate::proc_stats::sample;
use crate::scenario::connect::{ConnectParams, ConnectResult};
use crate::scenario::peer::{PeerParams, PeerResult};
use crate::scenario::{
    make_payload, micros_since, parse_payload, wait_delivered, wait_logged_in, Env, UserOut,
};

/// Where Debian's ejabberd package keeps what the bench needs.
pub const ERL: &str = "/usr/bin/erl";
const LITE_SQL: &str = "/usr/share/ejabberd/sql/lite.sql";
const EJABBERD_LIBS: &str = "/usr/lib/x86_64-linux-gnu";
/// The users' password (SASL PLAIN over loopback, no TLS: a bench, not a deployment).
const PASSWORD: &str = "pw";
const DOMAIN: &str = "localhost";

/// A running ejabberd with its own config, SQLite database and Mnesia spool in a temp dir.
pub struct Ejabberd {
    child: Option<Child>,
    pub port: u16,
    dir: PathBuf,
}

impl Ejabberd {
    /// Creates the database with `users` registered users (`u0`, `u1`, …) and starts the
    /// server on a free loopback port; waits (at most 90 s) until it accepts connections.
    pub fn start(users: u32) -> Result<Ejabberd, String> {
        if !std::path::Path::new(LITE_SQL).exists() {
            return Err(
                "ejabberd is not installed (apt-get install ejabberd erlang-p1-sqlite3)".into(),
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let dir = std::env::temp_dir().join(format!(
            "tinyim-bench-ejabberd-{}-{}",
            std::process::id(),
            micros_since(*crate::scenario::PROCESS_EPOCH)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spool")).map_err(|e| e.to_string())?;
        let db = dir.join("ejabberd.db");
        {
            let e = |e: rusqlite::Error| format!("ejabberd database: {e}");
            let mut conn = rusqlite::Connection::open(&db).map_err(e)?;
            let schema = std::fs::read_to_string(LITE_SQL).map_err(|e| e.to_string())?;
            conn.execute_batch(&schema).map_err(e)?;
            let tx = conn.transaction().map_err(e)?;
            {
                let mut add = tx
                    .prepare("INSERT INTO users (username, password) VALUES (?1, ?2)")
                    .map_err(e)?;
                for i in 0..users {
                    add.execute([format!("u{i}"), PASSWORD.to_owned()])
                        .map_err(e)?;
                }
            }
            tx.commit().map_err(e)?;
        }
        std::fs::write(dir.join("ejabberd.yml"), config(port, &db)).map_err(|e| e.to_string())?;
        let mut ej = Ejabberd {
            child: None,
            port,
            dir,
        };
        ej.spawn()?;
        Ok(ej)
    }

    /// Starts the Erlang VM on the existing config and data (also after a kill).
    fn spawn(&mut self) -> Result<(), String> {
        let d = &self.dir;
        // Not `ejabberdctl`: it re-executes through `su` and a shell, and the bench must own
        // (and be able to SIGKILL) the VM itself. No distribution (no -sname), so no epmd.
        let child = Command::new(ERL)
            // +sbwt none (and for the dirty schedulers): BEAM schedulers otherwise spin
            // while idle, which on a shared 2-core machine takes CPU from the load generator
            // and shows up as server CPU that does no work.
            .args(["+K", "true", "+P", "1000000", "+Q", "1000000"])
            .args([
                "+sbwt",
                "none",
                "+sbwtdcpu",
                "none",
                "+sbwtdio",
                "none",
                "-noinput",
            ])
            .arg("-mnesia")
            .arg("dir")
            .arg(format!("\"{}\"", d.join("spool").display()))
            .args(["-s", "ejabberd"])
            .env("EJABBERD_CONFIG_PATH", d.join("ejabberd.yml"))
            .env("EJABBERD_LOG_PATH", d.join("ejabberd.log"))
            .env("ERL_LIBS", EJABBERD_LIBS)
            .env("ERL_CRASH_DUMP", d.join("erl_crash.dump"))
            .env("ERL_CRASH_DUMP_BYTES", "0")
            .env("ERL_MAX_PORTS", "1100000")
            .env("HOME", d)
            .current_dir(d)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {ERL}: {e} (apt-get install ejabberd)"))?;
        crate::guard::register_child(child.id());
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(90);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            let exited = self
                .child
                .as_mut()
                .is_some_and(|c| matches!(c.try_wait(), Ok(Some(_))));
            if Instant::now() > deadline || exited {
                let log = std::fs::read_to_string(d.join("ejabberd.log")).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(5).collect();
                return Err(format!(
                    "ejabberd did not start listening within 90 s: {tail:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, |c| c.id())
    }

    /// SIGKILL (the crash audit), then start again on the same data and port.
    pub fn kill_and_restart(&mut self) -> Result<(), String> {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
            crate::guard::unregister_child(c.id());
        }
        self.spawn()
    }
}

impl Drop for Ejabberd {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            crate::server_proc::stop_child(&mut c);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// ejabberd.yml: loopback only, no TLS, no shaper, SQL (SQLite) for auth and offline
/// storage, stream management on, limits high enough for a load test.
fn config(port: u16, db: &std::path::Path) -> String {
    format!(
        r#"hosts:
  - {DOMAIN}
loglevel: warning
log_rotate_count: 0
certfiles: []
listen:
  -
    port: {port}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    shaper: none
    access: c2s
    starttls: false
    starttls_required: false
    max_stanza_size: 262144
    max_fsm_queue: 100000
    backlog: 4096
sql_type: sqlite
sql_database: "{db}"
auth_method: sql
auth_password_format: plain
default_db: sql
new_sql_schema: false
shaper_rules:
  max_user_sessions: 10
  max_user_offline_messages: 10000000
  c2s_shaper: none
acl:
  local:
    user_regexp: ""
access_rules:
  c2s:
    allow: all
modules:
  mod_offline:
    db_type: sql
    access_max_user_messages: max_user_offline_messages
  mod_stream_mgmt:
    resend_on_timeout: if_offline
    max_ack_queue: 100000
"#,
        db = db.display()
    )
}

/// One complete top-level element (or the stream header) taken off the front of `buf`.
#[derive(Debug, PartialEq, Eq)]
enum Element {
    Message(Vec<u8>),
    /// `<r/>`: the server asks how many stanzas we have handled.
    AckRequest,
    /// `<a h='N'/>`: the server has handled N of our stanzas on this stream.
    Ack(u64),
    /// Another stanza (presence, iq): counted for stream management.
    OtherStanza,
    /// Stream header, features, SASL and SM answers: not stanzas.
    Other(Vec<u8>),
    /// `</stream:stream>` or a stream error.
    End,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Takes the first complete element off `buf`, if there is one. ejabberd's output is
/// well-formed and our bodies hold no markup, so a scanner that finds the end of the
/// element by its name is enough (message stanzas do not nest messages here).
fn next_element(buf: &mut Vec<u8>) -> Option<Element> {
    let start = buf.iter().position(|&b| b == b'<')?;
    let rest = &buf[start..];
    // The name runs to the first space, '>' or '/' after it (a closing tag's own '/' is
    // part of the name here: "/stream:stream").
    let name_end = 2 + rest
        .get(2..)?
        .iter()
        .position(|&b| b == b' ' || b == b'>' || b == b'/')?;
    let name = rest[1..name_end].to_vec();
    let tag_end = rest.iter().position(|&b| b == b'>')?;
    let (len, el) = if name.starts_with(b"?xml") || name == b"stream:stream" {
        (tag_end + 1, Element::Other(Vec::new()))
    } else if name == b"/stream:stream" {
        (tag_end + 1, Element::End)
    } else {
        let len = if rest[tag_end - 1] == b'/' {
            tag_end + 1
        } else {
            let mut close = b"</".to_vec();
            close.extend_from_slice(&name);
            close.push(b'>');
            find(rest, &close)? + close.len()
        };
        let whole = &rest[..len];
        let el = match name.as_slice() {
            b"message" => Element::Message(whole.to_vec()),
            b"presence" | b"iq" => Element::OtherStanza,
            b"r" => Element::AckRequest,
            b"a" => Element::Ack(attr_u64(whole, b"h=").unwrap_or(0)),
            b"stream:error" => Element::End,
            _ => Element::Other(whole.to_vec()),
        };
        (len, el)
    };
    buf.drain(..start + len);
    Some(el)
}

/// The number in `name'…'` or `name"…"` inside `el`.
fn attr_u64(el: &[u8], name: &[u8]) -> Option<u64> {
    let i = find(el, name)? + name.len() + 1;
    let end = el[i..].iter().position(|b| !b.is_ascii_digit())?;
    std::str::from_utf8(&el[i..i + end]).ok()?.parse().ok()
}

/// The text of the `<body>` of a message stanza.
fn body(el: &[u8]) -> Option<&[u8]> {
    let i = find(el, b"<body>")? + 6;
    let end = find(&el[i..], b"</body>")?;
    Some(&el[i..i + end])
}

/// A logged-in XMPP stream: the halves, and what stream management counts on it.
struct Stream {
    rd: OwnedReadHalf,
    wr: OwnedWriteHalf,
    buf: Vec<u8>,
    /// Stanzas received on this stream (answered to the server's `<r/>`).
    received: u64,
    /// Stanzas we sent on this stream before the first message (the initial presence).
    preamble: u64,
}

const STREAM_OPEN: &str = "<?xml version='1.0'?><stream:stream to='localhost' \
    xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

impl Stream {
    async fn read_more(&mut self) -> Result<(), String> {
        self.buf.reserve(4096);
        match self.rd.read_buf(&mut self.buf).await {
            Ok(0) => Err("stream closed".into()),
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Reads until an element that `want` accepts; fails on a stream end or after 30 s.
    async fn expect(&mut self, what: &str, want: impl Fn(&Element) -> bool) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            while let Some(el) = next_element(&mut self.buf) {
                if want(&el) {
                    return Ok(());
                }
                match el {
                    Element::End => return Err(format!("stream ended waiting for {what}")),
                    Element::Other(x) if find(&x, b"<failure").is_some() => {
                        return Err(format!("{what}: {}", String::from_utf8_lossy(&x)))
                    }
                    _ => {}
                }
            }
            tokio::time::timeout_at(deadline, self.read_more())
                .await
                .map_err(|_| format!("timed out waiting for {what}"))??;
        }
    }

    /// Connects and logs `user` in: SASL PLAIN, bind, stream management, initial presence.
    async fn login(port: u16, user: &str) -> Result<Stream, String> {
        let tcp = TcpStream::connect(("127.0.0.1", port))
            .await
            .map_err(|e| e.to_string())?;
        let _ = tcp.set_nodelay(true);
        let (rd, wr) = tcp.into_split();
        let mut s = Stream {
            rd,
            wr,
            buf: Vec::with_capacity(4096),
            received: 0,
            preamble: 0,
        };
        let is = |tag: &'static [u8]| move |e: &Element| matches!(e, Element::Other(x) if x.starts_with(tag));
        s.send(STREAM_OPEN.as_bytes()).await?;
        s.expect("features", is(b"<stream:features")).await?;
        let plain = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("\0{user}\0{PASSWORD}"),
        );
        s.send(
            format!(
                "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{plain}</auth>"
            )
            .as_bytes(),
        )
        .await?;
        s.expect("SASL success", is(b"<success")).await?;
        s.send(STREAM_OPEN.as_bytes()).await?;
        s.expect("features after auth", is(b"<stream:features"))
            .await?;
        s.send(
            b"<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>\
              <resource>bench</resource></bind></iq>",
        )
        .await?;
        s.expect("bind", |e| matches!(e, Element::OtherStanza))
            .await?;
        s.send(b"<enable xmlns='urn:xmpp:sm:3'/>").await?;
        s.expect("stream management", is(b"<enabled")).await?;
        s.send(b"<presence/>").await?;
        s.preamble = 1;
        Ok(s)
    }

    async fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.wr.write_all(bytes).await.map_err(|e| e.to_string())
    }
}

/// The stanza for one message, with the ack request after it.
fn message_stanza(to: u32, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(payload.len() + 96);
    v.extend_from_slice(b"<message type='chat' to='u");
    v.extend_from_slice(to.to_string().as_bytes());
    v.extend_from_slice(b"@localhost'><body>");
    v.extend_from_slice(payload);
    v.extend_from_slice(b"</body></message><r xmlns='urn:xmpp:sm:3'/>");
    v
}

/// One XMPP user, on the schedule every system's users follow: log in, wait for go, send
/// to random peers at its interval until the window ends, receive until stopped.
pub async fn run_user(
    env: Env,
    port: u16,
    index: u32,
    users: u32,
    interval: Duration,
    payload_size: usize,
) -> UserOut {
    let mut out = UserOut::default();
    let shared = env.shared.clone();
    let me = format!("u{index}");
    let login = {
        let _permit = env.login_gate.acquire().await;
        Stream::login(port, &me).await
    };
    let mut stream = match login {
        Ok(s) => Some(s),
        Err(e) => {
            shared.login_failures.fetch_add(1, Relaxed);
            out.first_error = Some(format!("xmpp login of {me}: {e}"));
            return out;
        }
    };
    shared.logged_in.fetch_add(1, Relaxed);

    let mut rng = rand::rngs::SmallRng::seed_from_u64(u64::from(index) ^ 0xbe7c);
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut go = env.go.clone();
    let mut seq: u32 = 0;
    let mut next_send: Option<Instant> = None;
    let mut window_end: Option<Instant> = None;
    // Sent on the current stream and not yet acknowledged: (seq, stanza), oldest first.
    let mut unacked: VecDeque<(u32, Vec<u8>)> = VecDeque::new();
    // Messages sent on the current stream so far (its `h` counts them after the preamble).
    let mut sent_here: u64 = 0;
    let mut acked_here: u64 = 0;
    let mut reconnect_at: Option<Instant> = None;
    let hard_stop = Instant::now() + Duration::from_secs(3600);
    while !shared.stop.load(Relaxed) && Instant::now() < hard_stop {
        if window_end.is_none() {
            if let Some((start, end)) = *go.borrow_and_update() {
                window_end = Some(end);
                if users > 1 && interval > Duration::ZERO {
                    let phase = rng.random_range(0..interval.as_micros().max(1) as u64);
                    next_send = Some(start + Duration::from_micros(phase));
                }
            }
        }
        // A lost stream: log in again after a pause, then resend what was not acknowledged.
        if stream.is_none() {
            if reconnect_at.is_some_and(|t| Instant::now() < t) {
                tokio::select! {
                    _ = tokio::time::sleep_until(reconnect_at.unwrap_or_else(Instant::now).into()) => {}
                    _ = go.changed() => {}
                }
                continue;
            }
            match Stream::login(port, &me).await {
                Ok(mut s) => {
                    sent_here = 0;
                    acked_here = 0;
                    let mut ok = true;
                    for (_, stanza) in &unacked {
                        if s.send(stanza).await.is_err() {
                            ok = false;
                            break;
                        }
                        sent_here += 1;
                    }
                    if ok {
                        stream = Some(s);
                    } else {
                        reconnect_at = Some(Instant::now() + Duration::from_secs(1));
                    }
                }
                Err(_) => reconnect_at = Some(Instant::now() + Duration::from_secs(1)),
            }
            continue;
        }
        let Some(s) = stream.as_mut() else { continue };
        if let (Some(t), Some(end)) = (next_send, window_end) {
            let now = Instant::now();
            if now >= end {
                next_send = None;
            } else if now >= t {
                let mut peer = rng.random_range(0..users - 1);
                if peer >= index {
                    peer += 1;
                }
                let payload = make_payload(index, seq, micros_since(env.epoch), payload_size);
                let stanza = message_stanza(peer, &payload);
                let failed = s.send(&stanza).await.is_err();
                shared.sent.fetch_add(1, Relaxed);
                unacked.push_back((seq, stanza));
                sent_here += 1;
                seq += 1;
                next_send = Some(t + interval);
                if failed {
                    stream = None;
                    reconnect_at = Some(Instant::now() + Duration::from_secs(1));
                    continue;
                }
            }
        }
        // Handle what has arrived, then wait for more or the next send.
        let mut lost = false;
        while let Some(el) = next_element(&mut s.buf) {
            match el {
                Element::Message(m) => {
                    s.received += 1;
                    let now_us = micros_since(env.epoch);
                    match body(&m).and_then(parse_payload) {
                        Some((from, n, t)) => {
                            if seen.insert((from, n)) {
                                out.latencies.record_us(now_us.saturating_sub(t));
                                shared.received_unique.fetch_add(1, Relaxed);
                                if env.track {
                                    out.seen.push((from, n));
                                }
                            } else {
                                out.duplicates += 1;
                            }
                        }
                        None => out.foreign += 1,
                    }
                    out.last_receive = Some(Instant::now());
                }
                Element::OtherStanza => s.received += 1,
                Element::AckRequest => {
                    let a = format!("<a xmlns='urn:xmpp:sm:3' h='{}'/>", s.received);
                    if s.send(a.as_bytes()).await.is_err() {
                        lost = true;
                    }
                }
                Element::Ack(h) => {
                    let h = h.saturating_sub(s.preamble).min(sent_here);
                    while acked_here < h {
                        acked_here += 1;
                        if let Some((n, _)) = unacked.pop_front() {
                            shared.acked.fetch_add(1, Relaxed);
                            if env.track {
                                out.acked.push(n);
                            }
                        }
                    }
                }
                Element::End => lost = true,
                Element::Other(_) => {}
            }
        }
        if lost {
            stream = None;
            reconnect_at = Some(Instant::now() + Duration::from_secs(1));
            continue;
        }
        let wake = next_send
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(1))
            .min(Instant::now() + Duration::from_secs(1));
        let r = tokio::select! {
            r = tokio::time::timeout_at(wake.into(), s.read_more()) => r,
            _ = go.changed() => continue,
        };
        if let Ok(Err(_)) = r {
            stream = None;
            reconnect_at = Some(Instant::now() + Duration::from_secs(1));
        }
    }
    if let Some(mut s) = stream {
        let _ = s.send(b"</stream:stream>").await;
    }
    out
}

/// Runs the peer scenario against a fresh ejabberd.
pub async fn run_peer(p: PeerParams) -> Result<PeerResult, String> {
    p.check()?;
    let server = tokio::task::spawn_blocking(move || Ejabberd::start(p.users))
        .await
        .map_err(|e| e.to_string())??;
    let epoch = Instant::now();
    let (env, ctl) = Env::new(String::new(), epoch);
    let shared = env.shared.clone();
    let handles: Vec<_> = (0..p.users)
        .map(|i| {
            tokio::spawn(run_user(
                env.clone(),
                server.port,
                i,
                p.users,
                p.interval(),
                p.payload,
            ))
        })
        .collect();
    let n = wait_logged_in(&shared, u64::from(p.users), Duration::from_secs(180)).await;
    let setup_s = epoch.elapsed().as_secs_f64();
    if n < u64::from(p.users) {
        ctl.stop();
        let m = crate::scenario::merge(handles).await;
        return Err(format!(
            "only {n}/{} XMPP users logged in: {:?}",
            p.users, m.errors
        ));
    }
    let me = std::process::id();
    let (s0, bench0) = (sample(server.pid()), sample(me));
    let start = Instant::now() + Duration::from_millis(100);
    let end = start + p.duration;
    ctl.go(start, end);
    tokio::time::sleep_until(end.into()).await;
    let sh = shared.clone();
    wait_delivered(
        &shared,
        move || sh.sent.load(Relaxed),
        Duration::from_secs(20),
    )
    .await;
    let (s1, bench1) = (sample(server.pid()), sample(me));
    ctl.stop();
    let m = crate::scenario::merge(handles).await;
    Ok(PeerResult::from_run(
        "ejabberd",
        p,
        &shared,
        m,
        start,
        (s0, s1),
        (bench0, bench1),
        setup_s,
        Vec::new(),
    ))
}

/// The connect scenario on ejabberd: N users logged in (stream management on, initial
/// presence sent), then idle.
pub async fn run_connect(p: ConnectParams) -> Result<ConnectResult, String> {
    let users = p.connections.max(2);
    let server = tokio::task::spawn_blocking(move || Ejabberd::start(users))
        .await
        .map_err(|e| e.to_string())??;
    let pid = server.pid();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = sample(pid);
    let epoch = Instant::now();
    let (env, ctl) = Env::new(String::new(), epoch);
    let shared = env.shared.clone();
    let handles: Vec<_> = (0..p.connections)
        .map(|i| {
            tokio::spawn(run_user(
                env.clone(),
                server.port,
                i,
                users,
                Duration::ZERO,
                0,
            ))
        })
        .collect();
    let r = crate::scenario::connect::hold_idle(
        "ejabberd", p, &shared, handles, &ctl, epoch, pid, before,
    )
    .await;
    drop(server);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_split_and_classified() {
        let mut buf = b"<?xml version='1.0'?><stream:stream id='1' from='localhost'>\
            <stream:features><bind/></stream:features>\
            <message to='u1@localhost' type='chat'><body>0:1:5:xx</body></message>\
            <r xmlns='urn:xmpp:sm:3'/><a h='7' xmlns='urn:xmpp:sm:3'/><presence/><iq type='res"
            .to_vec();
        assert!(matches!(next_element(&mut buf), Some(Element::Other(_))));
        assert!(matches!(next_element(&mut buf), Some(Element::Other(_))));
        assert!(
            matches!(next_element(&mut buf), Some(Element::Other(x)) if x.starts_with(b"<stream:features"))
        );
        match next_element(&mut buf) {
            Some(Element::Message(m)) => assert_eq!(body(&m), Some(&b"0:1:5:xx"[..])),
            other => panic!("not a message: {other:?}"),
        }
        assert_eq!(next_element(&mut buf), Some(Element::AckRequest));
        assert_eq!(next_element(&mut buf), Some(Element::Ack(7)));
        assert_eq!(next_element(&mut buf), Some(Element::OtherStanza));
        // An incomplete element stays in the buffer until the rest arrives.
        assert_eq!(next_element(&mut buf), None);
        buf.extend_from_slice(b"ult'/></stream:stream>");
        assert_eq!(next_element(&mut buf), Some(Element::OtherStanza));
        assert_eq!(next_element(&mut buf), Some(Element::End));
    }

    #[test]
    fn message_stanza_carries_the_payload_and_an_ack_request() {
        let s = message_stanza(5, b"1:2:3:x");
        let mut buf = s.clone();
        match next_element(&mut buf) {
            Some(Element::Message(m)) => assert_eq!(body(&m), Some(&b"1:2:3:x"[..])),
            other => panic!("{other:?}"),
        }
        assert_eq!(next_element(&mut buf), Some(Element::AckRequest));
    }
}
