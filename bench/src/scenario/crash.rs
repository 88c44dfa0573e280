//! crash: the durability audit. Peer load as in `peer`, and while it runs the server is
//! killed with SIGKILL several times (no shutdown, no flush) and started again on the same
//! data and port, as a supervisor would. Clients reconnect on their own (tinyim's SDK; the
//! XMPP client resends what the server had not acknowledged, as XEP-0198 clients do).
//!
//! Every sender keeps a ledger of which of its messages the server acknowledged, every
//! receiver of which it received. After the run has settled, **lost** = acknowledged and
//! never delivered. For tinyim this must be 0: a SendAck follows a commit on disk. For
//! ejabberd it is reported as measured: its ack means "handled", and a message routed to an
//! online recipient lives in memory until it is written to the socket.

use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use super::{merge, run_user, wait_delivered, wait_logged_in, Env, Plan, Target};
use crate::server_proc::ServerProc;
use crate::xmpp::Ejabberd;

#[derive(Debug, Clone, Copy)]
pub struct CrashParams {
    pub users: u32,
    pub rate: f64,
    /// Seconds of sending; the kills are spread evenly over it.
    pub duration: Duration,
    pub kills: u32,
    pub payload: usize,
}

#[derive(Debug, Clone)]
pub struct CrashResult {
    pub system: &'static str,
    pub params: CrashParams,
    pub sent: u64,
    pub acked: u64,
    pub delivered: u64,
    /// Acknowledged by the server and never delivered.
    pub lost: u64,
    pub duplicates: u64,
    /// Kills actually done (a restart that failed ends the run early).
    pub kills_done: u32,
    pub errors: Vec<String>,
}

/// How long deliveries may take to settle after the last kill and the end of sending.
const SETTLE: Duration = Duration::from_secs(60);

/// A server the audit can kill: tinyim-server or ejabberd.
enum Victim {
    Tinyim(ServerProc),
    Ejabberd(Ejabberd),
}

impl Victim {
    fn kill_and_restart(&mut self) -> Result<(), String> {
        match self {
            Victim::Tinyim(s) => s.kill_and_restart(),
            Victim::Ejabberd(e) => e.kill_and_restart(),
        }
    }
}

pub async fn run_tinyim(
    server_bin: &std::path::Path,
    p: CrashParams,
) -> Result<CrashResult, String> {
    let server = ServerProc::start(server_bin, "crash", &[])?;
    let (mut env, ctl) = Env::new(server.ws_url(), Instant::now());
    env.track = true;
    let peer = super::peer::PeerParams {
        users: p.users,
        rate: p.rate,
        duration: p.duration,
        payload: p.payload,
    };
    peer.check()?;
    let handles: Vec<_> = (0..p.users)
        .map(|i| {
            let plan = Plan {
                index: i,
                target: Target::RandomPeer { users: p.users },
                interval: peer.interval(),
                max_sends: u32::MAX,
                payload_size: p.payload,
                enter_room: None,
                connections: 0,
            };
            tokio::spawn(run_user(env.clone(), plan))
        })
        .collect();
    audit("tinyim", p, Victim::Tinyim(server), env, ctl, handles).await
}

pub async fn run_ejabberd(p: CrashParams) -> Result<CrashResult, String> {
    let users = p.users;
    let server = tokio::task::spawn_blocking(move || Ejabberd::start(users))
        .await
        .map_err(|e| e.to_string())??;
    let (mut env, ctl) = Env::new(String::new(), Instant::now());
    env.track = true;
    let peer = super::peer::PeerParams {
        users: p.users,
        rate: p.rate,
        duration: p.duration,
        payload: p.payload,
    };
    peer.check()?;
    let port = server.port;
    let handles: Vec<_> = (0..p.users)
        .map(|i| {
            tokio::spawn(crate::xmpp::run_user(
                env.clone(),
                port,
                i,
                p.users,
                peer.interval(),
                p.payload,
            ))
        })
        .collect();
    audit("ejabberd", p, Victim::Ejabberd(server), env, ctl, handles).await
}

async fn audit(
    system: &'static str,
    p: CrashParams,
    mut server: Victim,
    env: Env,
    ctl: super::Control,
    handles: Vec<tokio::task::JoinHandle<super::UserOut>>,
) -> Result<CrashResult, String> {
    let shared = env.shared.clone();
    let n = wait_logged_in(&shared, u64::from(p.users), Duration::from_secs(180)).await;
    if n < u64::from(p.users) {
        ctl.stop();
        let m = merge(handles).await;
        return Err(format!(
            "only {n}/{} users logged in: {:?}",
            p.users, m.errors
        ));
    }
    let start = Instant::now() + Duration::from_millis(100);
    let end = start + p.duration;
    ctl.go(start, end);
    let mut kills_done = 0;
    let mut errors = Vec::new();
    for k in 1..=p.kills {
        let at = start + p.duration.mul_f64(f64::from(k) / f64::from(p.kills + 1));
        tokio::time::sleep_until(at.into()).await;
        let r = tokio::task::block_in_place(|| server.kill_and_restart());
        match r {
            Ok(()) => kills_done += 1,
            Err(e) => {
                errors.push(format!("restart {k}: {e}"));
                break;
            }
        }
    }
    tokio::time::sleep_until(end.into()).await;
    // Settled: everything acknowledged has arrived, or nothing new arrived for 10 s.
    let deadline = Instant::now() + SETTLE;
    let mut last = (shared.received_unique.load(Relaxed), Instant::now());
    while Instant::now() < deadline {
        let s = shared.clone();
        wait_delivered(
            &shared,
            move || s.acked.load(Relaxed),
            Duration::from_secs(1),
        )
        .await;
        let got = shared.received_unique.load(Relaxed);
        if got >= shared.acked.load(Relaxed)
            && shared.sent.load(Relaxed)
                == shared.acked.load(Relaxed) + shared.send_errors.load(Relaxed)
        {
            break;
        }
        if got != last.0 {
            last = (got, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(10) {
            break;
        }
    }
    ctl.stop();
    let m = merge(handles).await;
    drop(server);
    let lost = m.acked.iter().filter(|k| !m.seen.contains(k)).count() as u64;
    errors.extend(m.errors.iter().cloned());
    Ok(CrashResult {
        system,
        params: p,
        sent: shared.sent.load(Relaxed),
        acked: m.acked.len() as u64,
        delivered: m.seen.len() as u64,
        lost,
        duplicates: m.duplicates + m.foreign,
        kills_done,
        errors,
    })
}

/// One line for the terminal.
pub fn line(r: &CrashResult) -> String {
    format!(
        "{} crash users={} rate={} dur={}s kills={}/{}: sent={} acked={} delivered={} lost (acked, never delivered)={} dup={} {:?}",
        r.system,
        r.params.users,
        r.params.rate,
        r.params.duration.as_secs(),
        r.kills_done,
        r.params.kills,
        r.sent,
        r.acked,
        r.delivered,
        r.lost,
        r.duplicates,
        r.errors
    )
}
