//! group: one durable group of M members, S of them sending at an aggregate R messages/s.
//! The group-chat load: every message is stored once and written to the inbox of the other
//! M−1 members (fan-out on write, docs/protocol.md "Group messages").
//!
//! Set-up: the first member creates the group and invites the others (100 per call, ZIM's
//! limit), then logs out; then every member logs in. Measured: deliveries/s,
//! end-to-end latency (send time in the payload, read at each receiving member), server CPU
//! per delivery, stored bytes per message (the data dir's growth over the run, database and
//! write-ahead log), lost (acknowledged × (M−1) less delivered) and duplicated deliveries.

use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use tinyim_protocol::value::Value;

use super::{fan_out, login, user_id, Env, FanOutPlan, Target};
use crate::proc_stats::cpu_between;
use crate::server_proc::ServerProc;
use crate::stats::Summary;

const GROUP: &str = "bench-group";
/// User IDs one create or invite call may carry (ZIM's limit).
const PER_CALL: usize = 100;

#[derive(Debug, Clone, Copy)]
pub struct GroupParams {
    pub members: u32,
    pub senders: u32,
    /// Aggregate messages per second over all senders.
    pub rate: f64,
    pub duration: Duration,
    pub payload: usize,
}

#[derive(Debug, Clone)]
pub struct GroupResult {
    pub params: GroupParams,
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
    /// Server CPU microseconds per delivery.
    pub cpu_us_per_delivery: f64,
    /// Growth of the data dir per acknowledged message.
    pub stored_bytes_per_message: f64,
    pub server_peak_rss: u64,
    pub setup_s: f64,
    pub errors: Vec<String>,
}

fn users(ids: &[String]) -> Value {
    Value::List(ids.iter().cloned().map(Value::Str).collect())
}

/// Creates the group of `u0..u{members}` as `u0` (its owner), who then logs out until the
/// measured run logs every member in.
async fn create_group(env: &Env, members: u32) -> Result<(), String> {
    let mut owner = login(env, &user_id(0), 0x0e1e, None).await?;
    let ids: Vec<String> = (1..members).map(user_id).collect();
    let mut chunks = ids.chunks(PER_CALL);
    let first = chunks.next().unwrap_or(&[]);
    let info = Value::Struct(vec![
        Value::Str(GROUP.into()),
        Value::Str("bench".into()),
        Value::Str(String::new()),
    ]);
    owner
        .rpc(
            "createGroup",
            Value::Struct(vec![info, users(first), Value::Nil]),
        )
        .await
        .map_err(|e| format!("createGroup: {} {}", e.code, e.message))?;
    for chunk in chunks {
        // Under the SDK's 30 calls a second.
        owner.run_for(Duration::from_millis(40)).await;
        owner
            .rpc(
                "inviteUsersIntoGroup",
                Value::Struct(vec![users(chunk), Value::Str(GROUP.into())]),
            )
            .await
            .map_err(|e| format!("inviteUsersIntoGroup: {} {}", e.code, e.message))?;
    }
    owner.close().await;
    Ok(())
}

pub async fn run(server_bin: &std::path::Path, p: GroupParams) -> Result<GroupResult, String> {
    if p.senders == 0 || p.senders > p.members || p.members < 2 {
        return Err("group needs 2+ members and 1..=members senders".into());
    }
    if p.rate / f64::from(p.senders) > f64::from(tinyim_protocol::limits::TEXT_SENDS_PER_SECOND) {
        return Err(
            "over 10 messages/s per sender (the SDK's text limit): use more senders".into(),
        );
    }
    super::raise_fd_limit();
    let server = ServerProc::start(server_bin, "group", &[])?;
    let epoch = Instant::now();
    let (env, ctl) = Env::new(server.ws_url(), epoch);
    create_group(&env, p.members).await?;
    let plan = FanOutPlan {
        members: p.members,
        senders: p.senders,
        rate: p.rate,
        duration: p.duration,
        payload: p.payload,
        target: Target::Group(GROUP.into()),
        enter_room: None,
        connections: p.members,
        login_limit: Duration::from_secs(300),
        settle: Duration::from_secs(60),
    };
    let bytes0 = server.data_bytes();
    let mut r = fan_out(&server, env, ctl, plan).await?;
    let bytes1 = server.data_bytes();
    let delivered = r.shared.received_unique.load(Relaxed);
    let acked = r.shared.acked.load(Relaxed);
    let server_cpu_s = cpu_between(r.server.0, r.server.1);
    Ok(GroupResult {
        params: p,
        sent: r.shared.sent.load(Relaxed),
        acked,
        send_errors: r.shared.send_errors.load(Relaxed),
        expected: r.expected,
        delivered,
        duplicates: r.merged.duplicates + r.merged.foreign,
        lost: r.expected.saturating_sub(delivered),
        deliveries_per_s: r.deliveries_per_s,
        latency: r.merged.latencies.summary(),
        server_cpu_s,
        cpu_us_per_delivery: server_cpu_s * 1e6 / (delivered.max(1) as f64),
        stored_bytes_per_message: bytes1.saturating_sub(bytes0) as f64 / (acked.max(1) as f64),
        server_peak_rss: r.server.1.hwm_bytes,
        setup_s: r.setup_s,
        errors: std::mem::take(&mut r.merged.errors),
    })
}
