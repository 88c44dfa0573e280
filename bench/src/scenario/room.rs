//! room: one room with M members, S of them sending at an aggregate R messages/s. The
//! live-room (class, stream chat) load: every message fans out to M-1 members.
//!
//! Measured: deliveries/s and fan-out latency (send time in the payload, read at each
//! receiving member), lost and duplicated deliveries. Room messages are live-only in tinyim
//! (not in an inbox), so a loss here would mean the server dropped a push.

use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use super::{fan_out, Env, FanOutPlan, Target};
use crate::proc_stats::cpu_between;
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
    let (env, ctl) = Env::new(server.ws_url(), Instant::now());
    let plan = FanOutPlan {
        members: p.members,
        senders: p.senders,
        rate: p.rate,
        duration: p.duration,
        payload: p.payload,
        target: Target::Room(ROOM.into()),
        enter_room: Some(ROOM.into()),
        connections: 0,
        login_limit: Duration::from_secs(120),
        settle: Duration::from_secs(20),
    };
    let mut r = fan_out(&server, env, ctl, plan).await?;
    let delivered = r.shared.received_unique.load(Relaxed);
    Ok(RoomResult {
        params: p,
        sent: r.shared.sent.load(Relaxed),
        acked: r.shared.acked.load(Relaxed),
        send_errors: r.shared.send_errors.load(Relaxed),
        expected: r.expected,
        delivered,
        duplicates: r.merged.duplicates + r.merged.foreign,
        lost: r.expected.saturating_sub(delivered),
        deliveries_per_s: r.deliveries_per_s,
        latency: r.merged.latencies.summary(),
        server_cpu_s: cpu_between(r.server.0, r.server.1),
        server_peak_rss: r.server.1.hwm_bytes,
        bench_cpu_s: cpu_between(r.bench.0, r.bench.1),
        errors: std::mem::take(&mut r.merged.errors),
    })
}
