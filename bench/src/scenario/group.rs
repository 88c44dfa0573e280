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

use super::{login, merge, run_user, user_id, wait_delivered, wait_logged_in, Env, Plan, Target};
use crate::proc_stats::{cpu_between, sample};
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
    let shared = env.shared.clone();
    let interval = Duration::from_secs_f64(f64::from(p.senders) / p.rate.max(0.001));
    let handles: Vec<_> = (0..p.members)
        .map(|i| {
            let sender = i < p.senders;
            let plan = Plan {
                index: i,
                target: if sender {
                    Target::Group(GROUP.into())
                } else {
                    Target::None
                },
                interval,
                max_sends: if sender { u32::MAX } else { 0 },
                payload_size: p.payload,
                enter_room: None,
                connections: p.members,
            };
            tokio::spawn(run_user(env.clone(), plan))
        })
        .collect();
    let n = wait_logged_in(&shared, u64::from(p.members), Duration::from_secs(300)).await;
    let setup_s = epoch.elapsed().as_secs_f64();
    if n < u64::from(p.members) {
        ctl.stop();
        let m = merge(handles).await;
        return Err(format!(
            "only {n}/{} members logged in: {:?}",
            p.members, m.errors
        ));
    }
    let bytes0 = server.data_bytes();
    let srv0 = sample(server.pid());
    let start = Instant::now() + Duration::from_millis(100);
    let end = start + p.duration;
    ctl.go(start, end);
    tokio::time::sleep_until(end.into()).await;
    let s = shared.clone();
    let fan = u64::from(p.members - 1);
    wait_delivered(
        &shared,
        move || s.sent.load(Relaxed) * fan,
        Duration::from_secs(60),
    )
    .await;
    let srv1 = sample(server.pid());
    let bytes1 = server.data_bytes();
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
    let server_cpu_s = cpu_between(srv0, srv1);
    Ok(GroupResult {
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
        server_cpu_s,
        cpu_us_per_delivery: server_cpu_s * 1e6 / (delivered.max(1) as f64),
        stored_bytes_per_message: bytes1.saturating_sub(bytes0) as f64 / (acked.max(1) as f64),
        server_peak_rss: srv1.hwm_bytes,
        setup_s,
        errors: std::mem::take(&mut m.errors),
    })
}
