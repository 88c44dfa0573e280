//! peer: C logged-in users, each sending 100-byte texts to random other users, together at
//! an aggregate target rate, for a duration. The everyday one-to-one chat load.
//!
//! Measured: delivered messages/s, end-to-end latency (send time in the payload, read at the
//! receiver after the core decoded the push), lost (acknowledged but never delivered) and
//! duplicated deliveries. The same parameters drive the Mosquitto run (`crate::mqtt`), so
//! the two results are directly comparable.

use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use super::{merge, run_user, wait_delivered, wait_logged_in, Env, Merged, Plan, Shared, Target};
use crate::proc_stats::{cpu_between, sample, threads, threads_between, Sample};
use crate::server_proc::ServerProc;
use crate::stats::Summary;

/// Sizes of a peer run.
#[derive(Debug, Clone, Copy)]
pub struct PeerParams {
    pub users: u32,
    /// Aggregate messages per second over all users.
    pub rate: f64,
    pub duration: Duration,
    pub payload: usize,
}

impl PeerParams {
    /// Refuses sizes the SDK would throttle: each user may send at most 10 texts a second
    /// (ZIM's limit, enforced by the core), so a higher per-user rate would measure the rate
    /// limiter, not the server. Applied to the Mosquitto run too, to keep the two alike.
    pub fn check(&self) -> Result<(), String> {
        if self.users < 2 {
            return Err("peer needs at least 2 users".into());
        }
        let per_user = self.rate / f64::from(self.users);
        if per_user > f64::from(tinyim_protocol::limits::TEXT_SENDS_PER_SECOND) {
            return Err(format!(
                "{per_user:.1} messages/s per user is over the SDK's 10 texts/s: use more users"
            ));
        }
        Ok(())
    }

    /// Time between two sends of one user.
    pub fn interval(&self) -> Duration {
        Duration::from_secs_f64(f64::from(self.users) / self.rate.max(0.001))
    }
}

/// The outcome of a peer run, on tinyim or on Mosquitto.
#[derive(Debug, Clone)]
pub struct PeerResult {
    pub system: &'static str,
    pub params: PeerParams,
    pub sent: u64,
    pub acked: u64,
    pub send_errors: u64,
    pub delivered: u64,
    pub duplicates: u64,
    pub lost: u64,
    /// Unique deliveries per second, from the start of sending to the last delivery.
    pub throughput: f64,
    pub latency: Summary,
    /// Server (or broker) CPU seconds from the start of sending to the last delivery.
    pub server_cpu_s: f64,
    /// Server (or broker) peak RSS over the whole run, bytes.
    pub server_peak_rss: u64,
    /// The bench process's own CPU seconds over the same window (all the client cores).
    pub bench_cpu_s: f64,
    /// Seconds to connect and log every user in.
    pub setup_s: f64,
    pub errors: Vec<String>,
    /// Server CPU seconds per thread over the sending window, busiest first.
    pub server_threads: Vec<(String, f64)>,
}

impl PeerResult {
    /// The result of a finished run: what the users counted (`shared`, `m`) from `start`,
    /// with server and bench CPU samples taken before and after the sending window.
    #[allow(clippy::too_many_arguments)]
    pub fn from_run(
        system: &'static str,
        params: PeerParams,
        shared: &Shared,
        mut m: Merged,
        start: Instant,
        (server0, server1): (Sample, Sample),
        (bench0, bench1): (Sample, Sample),
        setup_s: f64,
        server_threads: Vec<(String, f64)>,
    ) -> PeerResult {
        let delivered = shared.received_unique.load(Relaxed);
        let acked = shared.acked.load(Relaxed);
        let span = m
            .last_receive
            .map(|t| t.saturating_duration_since(start).as_secs_f64())
            .unwrap_or(0.0)
            .max(params.duration.as_secs_f64());
        PeerResult {
            system,
            sent: shared.sent.load(Relaxed),
            acked,
            send_errors: shared.send_errors.load(Relaxed),
            delivered,
            duplicates: m.duplicates + m.foreign,
            lost: acked.saturating_sub(delivered),
            throughput: delivered as f64 / span,
            latency: m.latencies.summary(),
            server_cpu_s: cpu_between(server0, server1),
            server_peak_rss: server1.hwm_bytes,
            bench_cpu_s: cpu_between(bench0, bench1),
            setup_s,
            errors: std::mem::take(&mut m.errors),
            server_threads,
            params,
        }
    }
}

/// Runs the peer scenario against a fresh tinyim-server.
pub async fn run(server_bin: &std::path::Path, p: PeerParams) -> Result<PeerResult, String> {
    p.check()?;
    let server = ServerProc::start(server_bin, "peer", &[])?;
    run_on(&server, p).await
}

/// Runs the peer scenario against a running tinyim-server.
pub async fn run_on(server: &ServerProc, p: PeerParams) -> Result<PeerResult, String> {
    p.check()?;
    let epoch = Instant::now();
    let (env, ctl) = Env::new(server.ws_url(), epoch);
    let shared = env.shared.clone();
    let handles: Vec<_> = (0..p.users)
        .map(|i| {
            let plan = Plan {
                index: i,
                target: Target::RandomPeer { users: p.users },
                interval: p.interval(),
                max_sends: u32::MAX,
                payload_size: p.payload,
                enter_room: None,
                connections: 0,
            };
            tokio::spawn(run_user(env.clone(), plan))
        })
        .collect();
    let n = wait_logged_in(&shared, u64::from(p.users), Duration::from_secs(120)).await;
    let setup_s = epoch.elapsed().as_secs_f64();
    if n < u64::from(p.users) {
        ctl.stop();
        let m = merge(handles).await;
        return Err(format!(
            "only {n}/{} users logged in: {:?}",
            p.users, m.errors
        ));
    }
    let me = std::process::id();
    let (srv0, bench0) = (sample(server.pid()), sample(me));
    let thr0 = threads(server.pid());
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
    let (srv1, bench1) = (sample(server.pid()), sample(me));
    let server_threads = threads_between(&thr0, &threads(server.pid()));
    ctl.stop();
    let m = merge(handles).await;
    Ok(PeerResult::from_run(
        "tinyim",
        p,
        &shared,
        m,
        start,
        (srv0, srv1),
        (bench0, bench1),
        setup_s,
        server_threads,
    ))
}
