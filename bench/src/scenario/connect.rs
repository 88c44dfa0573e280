//! connect: ramp to N idle logged-in connections, then hold them. What a server costs per
//! user who has the mini program open and is not chatting — the common case.
//!
//! Measured: login rate during the ramp (with [`super::LOGIN_CONCURRENCY`] logins in
//! flight), server RSS per connection (RSS after the ramp minus RSS before, over N), and
//! server CPU while idle (only the SDK's heartbeats, one Ping per 20 s per user) as a
//! fraction of one core.

use std::time::{Duration, Instant};

use super::{merge, run_user, wait_logged_in, Control, Env, Plan, Shared, Target, UserOut};
use crate::proc_stats::{cpu_between, sample, Sample};
use crate::server_proc::ServerProc;

#[derive(Debug, Clone, Copy)]
pub struct ConnectParams {
    pub connections: u32,
    /// How long to hold the idle connections while measuring CPU.
    pub idle: Duration,
}

#[derive(Debug, Clone)]
pub struct ConnectResult {
    pub system: &'static str,
    pub params: ConnectParams,
    pub logged_in: u64,
    pub ramp_s: f64,
    pub logins_per_s: f64,
    pub rss_before: u64,
    pub rss_after: u64,
    pub rss_per_connection: f64,
    /// Server CPU while idle, as a percentage of one core.
    pub idle_cpu_pct: f64,
    /// The bench's own CPU while idle (all N SDK cores and their timers), % of one core.
    pub bench_idle_cpu_pct: f64,
    pub server_cpu_s: f64,
    pub server_peak_rss: u64,
    pub errors: Vec<String>,
}

pub async fn run(server_bin: &std::path::Path, p: ConnectParams) -> Result<ConnectResult, String> {
    let server = ServerProc::start(server_bin, "connect", &[])?;
    let pid = server.pid();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = sample(pid);
    let epoch = Instant::now();
    let (env, ctl) = Env::new(server.ws_url(), epoch);
    let shared = env.shared.clone();
    let handles: Vec<_> = (0..p.connections)
        .map(|i| {
            let plan = Plan {
                index: i,
                target: Target::None,
                interval: Duration::from_secs(1),
                max_sends: 0,
                payload_size: 0,
                enter_room: None,
                connections: p.connections,
            };
            tokio::spawn(run_user(env.clone(), plan))
        })
        .collect();
    Ok(hold_idle("tinyim", p, &shared, handles, &ctl, epoch, pid, before).await)
}

/// The measuring half of a connect run, the same for tinyim and Mosquitto: wait for the
/// `handles`' users to be logged in (from `epoch`), let allocations settle, hold them idle
/// for `p.idle` sampling the server (`pid`, sampled `before` the ramp) and the bench.
#[allow(clippy::too_many_arguments)]
pub async fn hold_idle(
    system: &'static str,
    p: ConnectParams,
    shared: &Shared,
    handles: Vec<tokio::task::JoinHandle<UserOut>>,
    ctl: &Control,
    epoch: Instant,
    pid: u32,
    before: Sample,
) -> ConnectResult {
    let n = wait_logged_in(shared, u64::from(p.connections), Duration::from_secs(180)).await;
    let ramp_s = epoch.elapsed().as_secs_f64();
    // Let the last logins' allocations settle before reading RSS.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let me = std::process::id();
    let (idle0, bench0) = (sample(pid), sample(me));
    tokio::time::sleep(p.idle).await;
    let (idle1, bench1) = (sample(pid), sample(me));
    ctl.stop();
    let m = merge(handles).await;
    let secs = p.idle.as_secs_f64().max(0.001);
    ConnectResult {
        system,
        params: p,
        logged_in: n,
        ramp_s,
        logins_per_s: n as f64 / ramp_s.max(0.001),
        rss_before: before.rss_bytes,
        rss_after: idle0.rss_bytes,
        rss_per_connection: idle0.rss_bytes.saturating_sub(before.rss_bytes) as f64
            / n.max(1) as f64,
        idle_cpu_pct: 100.0 * cpu_between(idle0, idle1) / secs,
        bench_idle_cpu_pct: 100.0 * cpu_between(bench0, bench1) / secs,
        server_cpu_s: idle1.cpu_seconds - before.cpu_seconds,
        server_peak_rss: idle1.hwm_bytes,
        errors: m.errors,
    }
}
