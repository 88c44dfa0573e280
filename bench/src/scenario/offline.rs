//! offline: X messages queued for a user who is offline, then that user logs in. The
//! "opened the mini program after a day away" case: how long until the inbox is drained.
//!
//! Senders are full SDK sessions like everywhere else, so they respect the SDK's 10 texts/s
//! per user: X messages come from S senders, X/S each. The recipient then logs in with a
//! fresh core (last inbox sequence 0) and the clock runs from its Login call until every
//! message arrived exactly once (the core acknowledges each batch; the server sends the
//! next).

use std::collections::HashSet;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use tinyim::{Command, Event};

use super::{merge, parse_payload, run_user, wait_logged_in, Env, Plan, Target};
use crate::host::{AppOutput, Driver};
use crate::proc_stats::{cpu_between, sample};
use crate::server_proc::{ServerProc, APP_ID};

const RECIPIENT: &str = "offline-user";

#[derive(Debug, Clone, Copy)]
pub struct OfflineParams {
    pub messages: u32,
    pub senders: u32,
    pub payload: usize,
}

#[derive(Debug, Clone)]
pub struct OfflineResult {
    pub params: OfflineParams,
    pub acked: u64,
    pub queue_s: f64,
    /// From the Login call to LoginOk.
    pub login_ms: f64,
    /// From the Login call to the last message.
    pub drain_ms: f64,
    pub received: u64,
    pub duplicates: u64,
    pub lost: u64,
    pub server_cpu_drain_s: f64,
    pub server_peak_rss: u64,
    pub errors: Vec<String>,
}

pub async fn run(server_bin: &std::path::Path, p: OfflineParams) -> Result<OfflineResult, String> {
    let senders = p.senders.clamp(1, p.messages.max(1));
    let server = ServerProc::start(server_bin, "offline", &[])?;
    let epoch = Instant::now();
    let (env, ctl) = Env::new(server.ws_url(), epoch);
    let shared = env.shared.clone();
    let per = p.messages / senders;
    let extra = p.messages % senders;
    let handles: Vec<_> = (0..senders)
        .map(|i| {
            let plan = Plan {
                index: i,
                target: Target::Peer(RECIPIENT.into()),
                // Just under the SDK's 10 texts/s so no send is refused by the rate limit.
                interval: Duration::from_millis(105),
                max_sends: per + u32::from(i < extra),
                payload_size: p.payload,
                enter_room: None,
                connections: 0,
            };
            tokio::spawn(run_user(env.clone(), plan))
        })
        .collect();
    let n = wait_logged_in(&shared, u64::from(senders), Duration::from_secs(120)).await;
    if n < u64::from(senders) {
        ctl.stop();
        let m = merge(handles).await;
        return Err(format!(
            "only {n}/{senders} senders logged in: {:?}",
            m.errors
        ));
    }
    let q0 = Instant::now();
    let window = Duration::from_millis(105 * u64::from(per + 2)) + Duration::from_secs(2);
    ctl.go(q0, q0 + window);
    let deadline = q0 + window + Duration::from_secs(30);
    while shared.acked.load(Relaxed) + shared.send_errors.load(Relaxed) < u64::from(p.messages)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let queue_s = q0.elapsed().as_secs_f64();
    ctl.stop();
    let m = merge(handles).await;
    let acked = shared.acked.load(Relaxed);

    // The recipient comes online.
    let token = super::mint_token(RECIPIENT);
    let mut d = Driver::with_epoch(APP_ID, &server.ws_url(), 0x0ff1, epoch);
    let srv0 = sample(server.pid());
    let t0 = Instant::now();
    let login_op = d.start(Command::Login {
        user_id: RECIPIENT.into(),
        user_name: RECIPIENT.into(),
        token,
    });
    let mut login_ms = None;
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut duplicates = 0u64;
    let mut last = t0;
    let mut errors = m.errors;
    let limit = t0 + Duration::from_secs(120);
    while (seen.len() as u64) < acked && Instant::now() < limit {
        d.drain_with(|o| match o {
            AppOutput::Completed { op, result } if op == login_op => {
                login_ms = Some(t0.elapsed().as_secs_f64() * 1000.0);
                if let Err(e) = result {
                    errors.push(format!("recipient login: {} {}", e.code, e.message));
                }
            }
            AppOutput::Event(Event::PeerMessages { messages, .. }) => {
                for msg in messages {
                    match parse_payload(&msg.payload) {
                        Some((s, q, _)) if seen.insert((s, q)) => {}
                        _ => duplicates += 1,
                    }
                }
                last = Instant::now();
            }
            _ => {}
        })
        .await;
        if (seen.len() as u64) >= acked {
            break;
        }
        d.step(None).await;
    }
    let srv1 = sample(server.pid());
    d.close().await;
    let received = seen.len() as u64;
    Ok(OfflineResult {
        params: p,
        acked,
        queue_s,
        login_ms: login_ms.unwrap_or(f64::NAN),
        drain_ms: last.duration_since(t0).as_secs_f64() * 1000.0,
        received,
        duplicates,
        lost: acked.saturating_sub(received),
        server_cpu_drain_s: cpu_between(srv0, srv1),
        server_peak_rss: srv1.hwm_bytes,
        errors,
    })
}
