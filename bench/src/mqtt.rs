//! The peer scenario on the usual do-it-yourself mini program chat backend: Eclipse
//! Mosquitto, MQTT 5, QoS 1, one topic per user (`inbox/<user>`), each user subscribed to
//! its own. Same users, rate, payload and duration as the tinyim run, same payload format,
//! same latency measurement, so the ratios compare like with like.
//!
//! The broker runs with `persistence false` (its messages live in memory only),
//! `set_tcp_nodelay true` (Nagle off, as the clients have it) and the Debian defaults
//! otherwise. tinyim, by contrast, commits every message to SQLite before it
//! acknowledges it: the comparison is tinyim's durable delivery against Mosquitto's
//! in-memory QoS 1, and the report says so.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{AsyncClient, Event, EventLoop, Incoming, MqttOptions};

use crate::proc_stats::sample;
use crate::scenario::connect::{ConnectParams, ConnectResult};
use crate::scenario::peer::{PeerParams, PeerResult};
use crate::scenario::{
    make_payload, micros_since, parse_payload, wait_delivered, wait_logged_in, Env, Merged, UserOut,
};

/// A running Mosquitto with its own config and temp dir.
pub struct Mosquitto {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Mosquitto {
    /// Starts `bin` on a free loopback port and waits (at most 10 s) until it accepts.
    pub fn start(bin: &str) -> Result<Mosquitto, String> {
        // Mosquitto cannot report an OS-chosen port, so take one and hand it over.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let dir =
            std::env::temp_dir().join(format!("tinyim-bench-mosquitto-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let conf = dir.join("mosquitto.conf");
        std::fs::write(
            &conf,
            format!(
                "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n\
                 log_dest stderr\nlog_type error\nmax_queued_messages 100000\nset_tcp_nodelay true\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e} (apt-get install mosquitto)"))?;
        crate::guard::register_child(child.id());
        let mut m = Mosquitto { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline || matches!(m.child.try_wait(), Ok(Some(_))) {
                return Err("mosquitto did not start listening within 10 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        m.port = port;
        Ok(m)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        crate::server_proc::stop_child(&mut self.child);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn topic(i: u32) -> String {
    format!("inbox/u{i}")
}

/// Polls the event loop until `want` matches an incoming packet (at most `limit`).
async fn poll_until(
    ev: &mut EventLoop,
    want: fn(&Incoming) -> bool,
    limit: Duration,
) -> Result<(), String> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, ev.poll()).await {
            Err(_) => return Err("timed out".into()),
            Ok(Err(e)) => return Err(e.to_string()),
            Ok(Ok(Event::Incoming(p))) if want(&p) => return Ok(()),
            Ok(Ok(_)) => {}
        }
    }
}

/// One MQTT user: connect, subscribe to its inbox, then the same schedule as tinyim's users.
async fn run_user(env: Env, port: u16, index: u32, p: PeerParams) -> UserOut {
    let mut out = UserOut::default();
    let shared = env.shared.clone();
    let mut opts = MqttOptions::new(format!("u{index}"), "127.0.0.1", port);
    // 20 s, the interval of the SDK's Ping, so idle connections cost alike.
    opts.set_keep_alive(Duration::from_secs(20));
    opts.set_clean_start(true);
    // rumqttc's 5 s default failed a few connects when 1000 users connect at once.
    opts.set_connection_timeout(30);
    // rumqttc preallocates a slot per possible in-flight publish (65 535 by default: several
    // MB per client, 24 GB for 2000 users). Mosquitto allows 20 in flight anyway.
    opts.set_outgoing_inflight_upper_limit(100);
    // Nagle off on the client, as for tinyim's clients (and `set_tcp_nodelay` on the broker).
    let mut net = rumqttc::NetworkOptions::new();
    net.set_tcp_nodelay(true);
    opts.set_network_options(net);
    let (client, mut ev) = AsyncClient::new(opts, 256);
    {
        let _permit = env.login_gate.acquire().await;
        let r = async {
            poll_until(
                &mut ev,
                |p| matches!(p, Incoming::ConnAck(_)),
                Duration::from_secs(30),
            )
            .await?;
            client
                .subscribe(topic(index), QoS::AtLeastOnce)
                .await
                .map_err(|e| e.to_string())?;
            poll_until(
                &mut ev,
                |p| matches!(p, Incoming::SubAck(_)),
                Duration::from_secs(30),
            )
            .await
        }
        .await;
        if let Err(e) = r {
            shared.login_failures.fetch_add(1, Relaxed);
            out.first_error = Some(format!("mqtt connect/subscribe of u{index}: {e}"));
            return out;
        }
    }
    shared.logged_in.fetch_add(1, Relaxed);

    let mut rng = rand::rngs::SmallRng::seed_from_u64(u64::from(index) ^ 0xbe7c);
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut go = env.go.clone();
    let interval = p.interval();
    let mut seq: u32 = 0;
    let mut next_send: Option<Instant> = None;
    let mut window_end: Option<Instant> = None;
    let hard_stop = Instant::now() + Duration::from_secs(3600);
    while !shared.stop.load(Relaxed) && Instant::now() < hard_stop {
        if window_end.is_none() {
            if let Some((start, end)) = *go.borrow_and_update() {
                window_end = Some(end);
                let phase = rng.random_range(0..interval.as_micros().max(1) as u64);
                next_send = Some(start + Duration::from_micros(phase));
            }
        }
        if let (Some(t), Some(end)) = (next_send, window_end) {
            let now = Instant::now();
            if now >= end {
                next_send = None;
            } else if now >= t {
                let mut peer = rng.random_range(0..p.users - 1);
                if peer >= index {
                    peer += 1;
                }
                let payload = make_payload(index, seq, micros_since(env.epoch), p.payload);
                match client.try_publish(topic(peer), QoS::AtLeastOnce, false, payload) {
                    Ok(()) => {
                        shared.sent.fetch_add(1, Relaxed);
                    }
                    Err(e) => {
                        shared.send_errors.fetch_add(1, Relaxed);
                        out.first_error.get_or_insert(format!("publish: {e}"));
                    }
                }
                seq += 1;
                next_send = Some(t + interval);
            }
        }
        let wake = next_send
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(1))
            .min(Instant::now() + Duration::from_secs(1));
        let polled = tokio::select! {
            r = tokio::time::timeout_at(wake.into(), ev.poll()) => r,
            _ = go.changed() => continue,
        };
        match polled {
            Err(_) => {}
            Ok(Ok(Event::Incoming(Incoming::Publish(msg)))) => {
                let now_us = micros_since(env.epoch);
                match parse_payload(&msg.payload) {
                    Some((s, n, t)) => {
                        if seen.insert((s, n)) {
                            out.latencies.record_us(now_us.saturating_sub(t));
                            shared.received_unique.fetch_add(1, Relaxed);
                        } else {
                            out.duplicates += 1;
                        }
                    }
                    None => out.foreign += 1,
                }
                out.last_receive = Some(Instant::now());
            }
            Ok(Ok(Event::Incoming(Incoming::PubAck(_)))) => {
                shared.acked.fetch_add(1, Relaxed);
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                out.first_error
                    .get_or_insert(format!("mqtt connection: {e}"));
                // rumqttc reconnects on the next poll; do not spin on a dead broker.
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    let _ = client.try_disconnect();
    let _ = tokio::time::timeout(Duration::from_millis(200), ev.poll()).await;
    out
}

/// Runs the peer scenario against a fresh Mosquitto.
pub async fn run_peer(mosquitto_bin: &str, p: PeerParams) -> Result<PeerResult, String> {
    p.check()?;
    let broker = Mosquitto::start(mosquitto_bin)?;
    let epoch = Instant::now();
    let (env, ctl) = Env::new(String::new(), epoch);
    let shared = env.shared.clone();
    let handles: Vec<_> = (0..p.users)
        .map(|i| tokio::spawn(run_user(env.clone(), broker.port, i, p)))
        .collect();
    let n = wait_logged_in(&shared, u64::from(p.users), Duration::from_secs(120)).await;
    let setup_s = epoch.elapsed().as_secs_f64();
    if n < u64::from(p.users) {
        ctl.stop();
        let m = crate::scenario::merge(handles).await;
        return Err(format!(
            "only {n}/{} MQTT users connected: {:?}",
            p.users, m.errors
        ));
    }
    let me = std::process::id();
    let (b0, bench0) = (sample(broker.pid()), sample(me));
    let start = Instant::now() + Duration::from_millis(100);
    let end = start + p.duration;
    ctl.go(start, end);
    tokio::time::sleep_until(end.into()).await;
    let s = shared.clone();
    wait_delivered(
        &shared,
        move || s.sent.load(Relaxed),
        Duration::from_secs(20),
    )
    .await;
    let (b1, bench1) = (sample(broker.pid()), sample(me));
    ctl.stop();
    let m: Merged = crate::scenario::merge(handles).await;
    Ok(PeerResult::from_run(
        "mosquitto",
        p,
        &shared,
        m,
        start,
        (b0, b1),
        (bench0, bench1),
        setup_s,
        Vec::new(),
    ))
}

/// The connect scenario on Mosquitto: N clients connected and subscribed to their inbox
/// topic, then idle (MQTT keep-alive every 20 s, like the SDK's Ping). Broker RSS per
/// connection and idle CPU, measured as for tinyim.
pub async fn run_connect(mosquitto_bin: &str, p: ConnectParams) -> Result<ConnectResult, String> {
    let broker = Mosquitto::start(mosquitto_bin)?;
    let pid = broker.pid();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = sample(pid);
    let epoch = Instant::now();
    let (env, ctl) = Env::new(String::new(), epoch);
    let shared = env.shared.clone();
    // Users that never get "go": they connect, subscribe and idle.
    let idle = PeerParams {
        users: p.connections.max(2),
        rate: 1.0,
        duration: Duration::ZERO,
        payload: 0,
    };
    let handles: Vec<_> = (0..p.connections)
        .map(|i| tokio::spawn(run_user(env.clone(), broker.port, i, idle)))
        .collect();
    Ok(crate::scenario::connect::hold_idle(
        "mosquitto",
        p,
        &shared,
        handles,
        &ctl,
        epoch,
        pid,
        before,
    )
    .await)
}
