//! room: one room with M members, S of them sending at an aggregate R messages/s. The
//! live-room (class, stream chat) load: every message fans out to M-1 members.
//!
//! Measured: deliveries/s and fan-out latency (send time in the payload, read at each
//! receiving member), lost and duplicated deliveries. Room messages are live-only in tinyim
//! (not in an inbox), so a loss here would mean the server dropped a push.

use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use super::{merge, run_user, wait_delivered, wait_logged_in, Env, Plan, Target};
use crate::proc_stats::{cpu_between, sample};
use crate::server_proc::ServerProc;
use crate::stats::Summary;

const ROOM: &str = "bench-room";

#[derive(Debug, Clone, Copy)]
pub struct RoomParams {
    pub members: u32,
    pub senders: u32,
    /// Aggregate messages per second over all senders.
    pub rate: f64,
    pub duration: Duration,
    pub payload: usize,
}

#[derive(Debug, Clone)]
pub struct RoomResult {
    pub params: RoomParams,
    pub sent: u64,
    pub acked: u64,
    pub send_errors: u64,
    /// Expected deliveries: acked × (members − 1).
    pub expected: u64,
    pub delivered: u64,
    pub duplicates: u64,
    pub lost: u64,
    pub deliveries_per_s: f64,
    pub latency: Summary,
    pub server_cpu_s: f64,
    pub server_peak_rss: u64,
    pub bench_cpu_s: f64,
    pub errors: Vec<String>,
}

pub async fn run(server_bin: &std::path::Path, p: RoomParams) -> Result<RoomResult, String> {
    if p.senders == 0 || p.senders > p.members || p.members < 2 {
        return Err("room needs 2+ members and 1..=members senders".into());
    }
    if p.rate / f64::from(p.senders) > f64::from(tinyim_protocol::limits::TEXT_SENDS_PER_SECOND) {
        return Err(
            "over 10 messages/s per sender (the SDK's text limit): use more senders".into(),
        );
    }
    let server = ServerProc::start(server_bin, "room", &[])?;
    let epoch = Instant::now();
    let (env, ctl) = Env::new(server.ws_url(), epoch);
    let shared = env.shared.clone();
    let interval = Duration::from_secs_f64(f64::from(p.senders) / p.rate.max(0.001));
    let handles: Vec<_> = (0..p.members)
        .map(|i| {
            let sender = i < p.senders;
            let plan = Plan {
                index: i,
                target: if sender {
                    Target::Room(ROOM.into())
                } else {
                    Target::None
                },
                interval,
                max_sends: if sender { u32::MAX } else { 0 },
                payload_size: p.payload,
                enter_room: Some(ROOM.into()),
                connections: 0,
            };
            tokio::spawn(run_user(env.clone(), plan))
        })
        .collect();
    let n = wait_logged_in(&shared, u64::from(p.members), Duration::from_secs(120)).await;
    if n < u64::from(p.members) {
        ctl.stop();
        let m = merge(handles).await;
        return Err(format!(
            "only {n}/{} members joined: {:?}",
            p.members, m.errors
        ));
    }
    let me = std::process::id();
    let (srv0, bench0) = (sample(server.pid()), sample(me));
    let start = Instant::now() + Duration::from_millis(100);
    let end = start + p.duration;
    ctl.go(start, end);
    tokio::time::sleep_until(end.into()).await;
    let s = shared.clone();
    let fan = u64::from(p.members - 1);
    wait_delivered(
        &shared,
        move || s.sent.load(Relaxed) * fan,
        Duration::from_secs(20),
    )
    .await;
    let (srv1, bench1) = (sample(server.pid()), sample(me));
    ctl.stop();
    let mut m = merge(handles).await;
    let delivered = shared.received_unique.load(Relaxed);
    let acked = shared.acked.load(Relaxed);
    let expected = acked * fan;
    let span = m
        .last_receive
        .map(|t| t.saturating_duration_since(start).as_secs_f64())
        .unwrap_or(0.0)
        .max(p.duration.as_secs_f64());
    Ok(RoomResult {
        params: p,
        sent: shared.sent.load(Relaxed),
        acked,
        send_errors: shared.send_errors.load(Relaxed),
        expected,
        delivered,
        duplicates: m.duplicates + m.foreign,
        lost: expected.saturating_sub(delivered),
        deliveries_per_s: delivered as f64 / span,
        latency: m.latencies.summary(),
        server_cpu_s: cpu_between(srv0, srv1),
        server_peak_rss: srv1.hwm_bytes,
        bench_cpu_s: cpu_between(bench0, bench1),
        errors: m.errors,
    })
}
