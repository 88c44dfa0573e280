//! chaos: the server SIGKILLed again and again under load, and restarted on the same port and
//! store after a random 0.1-5 s. Checks the promise that survives crashes: every message the
//! server acknowledged is delivered, once, in each sender's order, and a send fails only when
//! it really did not go through.
//!
//! S senders (`s0`, `s1`, ...) each send texts at 8/s (under the SDK's 10 texts/s, so the
//! app never exceeds the limit) to the R receivers (`r0`, `r1`, ...) in turn; every user is
//! a full SDK core session ([`crate::host::Driver`]) that reconnects by itself. While the
//! senders send, the coordinator repeatedly waits a random 2-8 s, SIGKILLs the server (no
//! shutdown, no flush: a crash), waits a random 0.1-5 s and starts it again; both waits come
//! from one seeded RNG, so a seed names one schedule of outages. After the sending window
//! the server stays up until every send settled and the deliveries stopped.
//!
//! Counted, per message (sender, sequence), from what the apps saw:
//! - **acked**: the send resolved;
//! - **lost**: acked, never delivered;
//! - **duplicated**: deliveries beyond the first;
//! - **out of order**: a first delivery whose sequence is below one already delivered from
//!   the same sender to the same receiver;
//! - **false failures**: a send rejected (any code but the SDK's own 6000004, which would
//!   mean this app broke the limit) although the app stayed within the SDK rate limit, split
//!   into rejected-but-delivered and rejected-not-delivered;
//! - **unsettled**: sends that neither resolved nor failed by the end;
//! - in the history each receiver pages (from the oldest, per sender) after the run: entries
//!   out of order, twice, and acked sends missing.
//!
//! All but acked must be 0.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use tinyim::{Command, Event, OpId, Reply};
use tinyim_protocol::code;

use super::{login, make_payload, micros_since, parse_payload, wait_logged_in, Env, Schedule};
use crate::host::{text_message, AppOutput};
use crate::server_proc::ServerProc;

/// Time the server runs between two kills, milliseconds (uniform, seeded).
pub const UP_MS: (u64, u64) = (2_000, 8_000);
/// Time the server stays down after a kill, milliseconds (uniform, seeded).
pub const DOWN_MS: (u64, u64) = (100, 5_000);
/// Texts per second per sender: under the SDK's 10/s, as in the run that found the order bug.
pub const SENDER_RATE: f64 = 8.0;
/// Payload bytes per message.
const PAYLOAD: usize = 64;
/// How long the run waits, after sending, for every send to settle and deliveries to stop.
const SETTLE_LIMIT: Duration = Duration::from_secs(120);
/// Deliveries must have stopped this long before the run ends early.
const QUIET: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy)]
pub struct ChaosParams {
    pub senders: u32,
    pub receivers: u32,
    /// The sending window, during which the server is killed and restarted.
    pub duration: Duration,
    /// Seeds the outage schedule.
    pub seed: u64,
}

/// One outage: when the server was killed (seconds into the sending window) and how long
/// it stayed down.
#[derive(Debug, Clone, Copy)]
pub struct Outage {
    pub at_s: f64,
    pub down_s: f64,
}

#[derive(Debug, Clone, Default)]
pub struct ChaosResult {
    pub senders: u32,
    pub receivers: u32,
    pub duration_s: u64,
    pub seed: u64,
    pub outages: Vec<Outage>,
    pub sent: u64,
    pub acked: u64,
    /// Distinct messages delivered.
    pub delivered: u64,
    pub lost: u64,
    pub duplicated: u64,
    pub out_of_order: u64,
    /// (sender, receiver) pairs with at least one message out of order, and all pairs used.
    pub pairs_out_of_order: u64,
    pub pairs: u64,
    /// Sends reported failed that were delivered anyway.
    pub failed_delivered: u64,
    /// Sends reported failed and not delivered (refused although within the rate limit).
    pub failed_not_delivered: u64,
    /// Failures by ZIM code.
    pub failure_codes: BTreeMap<u32, u64>,
    /// Sends the SDK refused itself for the app's own rate (6000004): a bench bug if not 0.
    pub sdk_refused: u64,
    pub unsettled: u64,
    /// Deliveries not made by this run, or to the wrong receiver.
    pub foreign: u64,
    /// In the receivers' history (paged from the oldest after the run, as an app would):
    /// entries below an earlier one of the same sender, entries twice, acked sends missing.
    pub history_out_of_order: u64,
    pub history_duplicated: u64,
    pub history_lost: u64,
    /// Seconds from the end of sending until everything settled.
    pub settle_s: f64,
    pub errors: Vec<String>,
}

impl ChaosResult {
    /// Seconds the server was down in all.
    pub fn downtime_s(&self) -> f64 {
        self.outages.iter().fold(0.0, |sum, o| sum + o.down_s)
    }

    pub fn false_failures(&self) -> u64 {
        self.failed_delivered + self.failed_not_delivered
    }

    /// Everything but acked is 0, and the run ran.
    pub fn clean(&self) -> bool {
        self.errors.is_empty()
            && self.lost == 0
            && self.duplicated == 0
            && self.out_of_order == 0
            && self.false_failures() == 0
            && self.sdk_refused == 0
            && self.unsettled == 0
            && self.foreign == 0
            && self.history_out_of_order == 0
            && self.history_duplicated == 0
            && self.history_lost == 0
    }
}

/// What one sender saw of its own sends.
#[derive(Default)]
struct SenderOut {
    sent: u32,
    acked: HashSet<u32>,
    failed: HashMap<u32, u32>,
    sdk_refused: u64,
    unsettled: u64,
    error: Option<String>,
}

/// What one receiver got: (sender, sequence) in delivery order, duplicates included, and
/// each sender's conversation as its history lists it (sequences, oldest first).
#[derive(Default)]
struct ReceiverOut {
    deliveries: Vec<(u32, u32)>,
    history: Vec<(u32, Vec<u32>)>,
    foreign: u64,
    error: Option<String>,
}

fn sender_id(i: u32) -> String {
    format!("s{i}")
}

fn receiver_id(j: u32) -> String {
    format!("r{j}")
}

/// Sender `index`'s message `seq` goes to this receiver: all receivers in turn.
fn receiver_of(index: u32, seq: u32, receivers: u32) -> u32 {
    index.wrapping_add(seq) % receivers
}

/// Counters the coordinator watches to know when the run has settled.
#[derive(Default)]
struct Progress {
    settled_senders: AtomicU64,
    last_delivery_us: AtomicU64,
}

async fn sender(env: Env, index: u32, receivers: u32, progress: Arc<Progress>) -> SenderOut {
    let mut out = SenderOut::default();
    let mut d = match login(
        &env,
        &sender_id(index),
        0xc4a0_0000 + u64::from(index),
        None,
    )
    .await
    {
        Ok(d) => d,
        Err(e) => {
            env.shared.login_failures.fetch_add(1, Relaxed);
            progress.settled_senders.fetch_add(1, Relaxed);
            out.error = Some(e);
            return out;
        }
    };
    env.shared.logged_in.fetch_add(1, Relaxed);
    let mut rng = rand::rngs::SmallRng::seed_from_u64(u64::from(index) ^ 0xc4a0);
    let mut go = env.go.clone();
    let mut schedule = Schedule::new(Duration::from_secs_f64(1.0 / SENDER_RATE));
    let mut ops: HashMap<OpId, u32> = HashMap::new();
    let mut settled = false;
    let hard_stop = Instant::now() + Duration::from_secs(3600);
    while !env.shared.stop.load(Relaxed) && Instant::now() < hard_stop {
        schedule.watch(&mut go, &mut rng);
        if schedule.due() {
            let seq = out.sent;
            let to = receiver_id(receiver_of(index, seq, receivers));
            let payload = make_payload(index, seq, micros_since(env.epoch), PAYLOAD);
            let op = d.start(text_message(0, &to, &payload));
            ops.insert(op, seq);
            out.sent += 1;
            env.shared.sent.fetch_add(1, Relaxed);
        }
        d.drain_with(|o| {
            if let AppOutput::Completed { op, result } = o {
                let Some(seq) = ops.remove(&op) else {
                    return; // the login
                };
                match result {
                    Ok(Reply::Sent(_)) => {
                        out.acked.insert(seq);
                        env.shared.acked.fetch_add(1, Relaxed);
                    }
                    Ok(_) => {}
                    Err(e) if e.code == code::SDK_FREQUENCY_LIMIT => out.sdk_refused += 1,
                    Err(e) => {
                        out.failed.insert(seq, e.code);
                        env.shared.send_errors.fetch_add(1, Relaxed);
                    }
                }
            }
        })
        .await;
        if !settled && schedule.done() && ops.is_empty() {
            settled = true;
            progress.settled_senders.fetch_add(1, Relaxed);
        }
        let changed = async {
            let _ = go.changed().await;
        };
        d.step_or(schedule.next(), changed).await;
    }
    out.unsettled = ops.len() as u64;
    d.close().await;
    out
}

async fn receiver(env: Env, index: u32, senders: u32, progress: Arc<Progress>) -> ReceiverOut {
    let mut out = ReceiverOut::default();
    let mut d = match login(
        &env,
        &receiver_id(index),
        0x7ece_0000 + u64::from(index),
        None,
    )
    .await
    {
        Ok(d) => d,
        Err(e) => {
            env.shared.login_failures.fetch_add(1, Relaxed);
            out.error = Some(e);
            return out;
        }
    };
    env.shared.logged_in.fetch_add(1, Relaxed);
    let mut go = env.go.clone();
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let hard_stop = Instant::now() + Duration::from_secs(3600);
    while !env.shared.stop.load(Relaxed) && Instant::now() < hard_stop {
        d.drain_with(|o| {
            if let AppOutput::Event(Event::PeerMessages { messages, .. }) = o {
                for m in messages {
                    match parse_payload(&m.payload) {
                        Some((s, seq, _)) if s < senders && m.sender_id == sender_id(s) => {
                            out.deliveries.push((s, seq));
                            if seen.insert((s, seq)) {
                                env.shared.received_unique.fetch_add(1, Relaxed);
                            }
                        }
                        _ => out.foreign += 1,
                    }
                }
                progress
                    .last_delivery_us
                    .store(micros_since(env.epoch), Relaxed);
            }
        })
        .await;
        let changed = async {
            let _ = go.changed().await;
        };
        d.step_or(None, changed).await;
    }
    for s in 0..senders {
        match history(&mut d, s).await {
            Ok(seqs) => out.history.push((s, seqs)),
            Err(e) => {
                out.error.get_or_insert(e);
            }
        }
    }
    d.close().await;
    out
}

/// The sequences of sender `s`'s messages in this user's history with `s`, paged forward
/// from the oldest as an app would.
async fn history(d: &mut crate::host::Driver, s: u32) -> Result<Vec<u32>, String> {
    const PAGE: u32 = 100;
    let mut seqs = Vec::new();
    let mut anchor = 0;
    // Bounded: a conversation of this run has at most a few thousand messages.
    for _ in 0..1000 {
        let page = d
            .call(Command::QueryHistory {
                conversation_type: 0,
                conversation_id: sender_id(s),
                anchor_order_key: anchor,
                count: PAGE,
                reverse: false,
            })
            .await;
        let messages = match page {
            Ok(Reply::History { messages, .. }) => messages,
            Ok(other) => return Err(format!("history: unexpected {other:?}")),
            Err(e) => return Err(format!("history: {} {}", e.code, e.message)),
        };
        for m in &messages {
            if let Some((from, seq, _)) = parse_payload(&m.payload) {
                if from == s {
                    seqs.push(seq);
                }
            }
        }
        match messages.last() {
            Some(last) if messages.len() as u32 == PAGE => anchor = last.order_key,
            _ => return Ok(seqs),
        }
    }
    Err("history: more pages than any run writes".into())
}

/// Starts the server again on `addr` with the store in `dir`, retrying while the port is
/// still held (up to 10 s).
fn restart(bin: &std::path::Path, dir: &std::path::Path, addr: &str) -> Result<ServerProc, String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match ServerProc::start_at(bin, dir, addr, &[]) {
            Ok(s) => return Ok(s),
            Err(e) if Instant::now() >= deadline => return Err(format!("restart: {e}")),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

pub async fn run(server_bin: &std::path::Path, p: ChaosParams) -> Result<ChaosResult, String> {
    if p.senders == 0 || p.receivers == 0 {
        return Err("chaos needs at least one sender and one receiver".into());
    }
    let first = ServerProc::start(server_bin, "chaos", &[])?;
    let addr = first.addr.clone();
    let epoch = Instant::now();
    let (env, ctl) = Env::new(first.ws_url(), epoch);
    let mut server = Some(first);
    let shared = env.shared.clone();
    let progress = Arc::new(Progress::default());
    let senders: Vec<_> = (0..p.senders)
        .map(|i| tokio::spawn(sender(env.clone(), i, p.receivers, progress.clone())))
        .collect();
    let receivers: Vec<_> = (0..p.receivers)
        .map(|j| tokio::spawn(receiver(env.clone(), j, p.senders, progress.clone())))
        .collect();
    let users = u64::from(p.senders + p.receivers);
    let logged_in = wait_logged_in(&shared, users, Duration::from_secs(120)).await;
    let mut errors = Vec::new();
    if logged_in < users {
        errors.push(format!("only {logged_in}/{users} users logged in"));
    }

    // The sending window, with the kill loop.
    let start = Instant::now();
    let end = start + p.duration;
    ctl.go(start, end);
    let mut rng = rand::rngs::SmallRng::seed_from_u64(p.seed);
    let mut outages = Vec::new();
    while errors.is_empty() {
        let up = Duration::from_millis(rng.random_range(UP_MS.0..=UP_MS.1));
        let down = Duration::from_millis(rng.random_range(DOWN_MS.0..=DOWN_MS.1));
        let kill_at = Instant::now() + up;
        if kill_at + down >= end {
            break;
        }
        tokio::time::sleep_until(kill_at.into()).await;
        let Some(running) = server.take() else {
            break;
        };
        let dir = tokio::task::block_in_place(|| running.sigkill());
        outages.push(Outage {
            at_s: kill_at.duration_since(start).as_secs_f64(),
            down_s: down.as_secs_f64(),
        });
        tokio::time::sleep(down).await;
        match tokio::task::block_in_place(|| restart(server_bin, &dir, &addr)) {
            Ok(s) => server = Some(s),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                errors.push(e);
            }
        }
    }
    tokio::time::sleep_until(end.into()).await;

    // Settle: every send resolved or failed, and deliveries stopped.
    let settle_start = Instant::now();
    while errors.is_empty() && settle_start.elapsed() < SETTLE_LIMIT {
        let settled = progress.settled_senders.load(Relaxed) >= u64::from(p.senders);
        let all_in = shared.received_unique.load(Relaxed) >= shared.acked.load(Relaxed);
        let last = progress.last_delivery_us.load(Relaxed);
        let quiet = micros_since(epoch).saturating_sub(last) >= QUIET.as_micros() as u64;
        if settled && all_in && quiet {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let settle_s = settle_start.elapsed().as_secs_f64();
    ctl.stop();
    let mut sent_by = Vec::new();
    for h in senders {
        sent_by.push(h.await.unwrap_or_else(|e| SenderOut {
            error: Some(format!("sender task failed: {e}")),
            ..SenderOut::default()
        }));
    }
    let mut got_by = Vec::new();
    for h in receivers {
        got_by.push(h.await.unwrap_or_else(|e| ReceiverOut {
            error: Some(format!("receiver task failed: {e}")),
            ..ReceiverOut::default()
        }));
    }
    drop(server);

    let mut r = tally(&p, &sent_by, &got_by);
    r.outages = outages;
    r.settle_s = settle_s;
    errors.extend(
        sent_by
            .iter()
            .filter_map(|s| s.error.clone())
            .chain(got_by.iter().filter_map(|g| g.error.clone()))
            .take(5),
    );
    r.errors = errors;
    Ok(r)
}

/// The counts, from what every sender and receiver saw.
fn tally(p: &ChaosParams, sent_by: &[SenderOut], got_by: &[ReceiverOut]) -> ChaosResult {
    let mut r = ChaosResult {
        senders: p.senders,
        receivers: p.receivers,
        duration_s: p.duration.as_secs(),
        seed: p.seed,
        ..ChaosResult::default()
    };
    let mut times: HashMap<(u32, u32), u64> = HashMap::new();
    let mut bad_pairs: HashSet<(u32, u32)> = HashSet::new();
    let mut pairs: HashSet<(u32, u32)> = HashSet::new();
    for (j, got) in got_by.iter().enumerate() {
        let j = j as u32;
        r.foreign += got.foreign;
        // Highest sequence delivered so far per sender, at this receiver.
        let mut high: HashMap<u32, u32> = HashMap::new();
        for &(s, seq) in &got.deliveries {
            let was_sent = sent_by.get(s as usize).is_some_and(|o| seq < o.sent);
            if !was_sent || receiver_of(s, seq, p.receivers) != j {
                r.foreign += 1;
                continue;
            }
            let n = times.entry((s, seq)).or_insert(0);
            *n += 1;
            if *n > 1 {
                r.duplicated += 1;
                continue;
            }
            pairs.insert((s, j));
            let h = high.entry(s).or_insert(seq);
            if seq < *h {
                r.out_of_order += 1;
                bad_pairs.insert((s, j));
            }
            *h = (*h).max(seq);
        }
    }
    // History: per (sender, receiver), in the order the history lists it.
    let mut in_history: HashSet<(u32, u32)> = HashSet::new();
    for got in got_by {
        for (s, seqs) in &got.history {
            let mut high = None;
            for &seq in seqs {
                if !in_history.insert((*s, seq)) {
                    r.history_duplicated += 1;
                    continue;
                }
                if high.is_some_and(|h| seq < h) {
                    r.history_out_of_order += 1;
                }
                high = high.max(Some(seq));
            }
        }
    }
    r.delivered = times.len() as u64;
    r.pairs = pairs.len() as u64;
    r.pairs_out_of_order = bad_pairs.len() as u64;
    for (i, s) in sent_by.iter().enumerate() {
        let i = i as u32;
        r.sent += u64::from(s.sent);
        r.acked += s.acked.len() as u64;
        r.sdk_refused += s.sdk_refused;
        r.unsettled += s.unsettled;
        r.lost += s
            .acked
            .iter()
            .filter(|seq| !times.contains_key(&(i, **seq)))
            .count() as u64;
        r.history_lost += s
            .acked
            .iter()
            .filter(|seq| !in_history.contains(&(i, **seq)))
            .count() as u64;
        for (seq, code) in &s.failed {
            *r.failure_codes.entry(*code).or_insert(0) += 1;
            if times.contains_key(&(i, *seq)) {
                r.failed_delivered += 1;
            } else {
                r.failed_not_delivered += 1;
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> ChaosParams {
        ChaosParams {
            senders: 2,
            receivers: 2,
            duration: Duration::from_secs(1),
            seed: 1,
        }
    }

    #[test]
    fn tally_counts_each_kind_of_wrong() {
        // Sender 0 sent seq 0..=5: the even ones to r0, the odd ones to r1; 5 failed (6000005).
        let s0 = SenderOut {
            sent: 6,
            acked: [0, 1, 2, 3, 4].into_iter().collect(),
            failed: [(5, code::SERVER_FREQUENCY_LIMIT)].into_iter().collect(),
            ..SenderOut::default()
        };
        // Sender 1 sent seq 0 (to r1), which timed out and was not delivered.
        let s1 = SenderOut {
            sent: 1,
            failed: [(0, code::REQUEST_TIMEOUT)].into_iter().collect(),
            ..SenderOut::default()
        };
        // r0: 4 before 2 (out of order), 0 twice (a duplicate), 1 (not r0's: foreign).
        // Its history lists 2 after 4 (out of order) and 2 twice.
        let r0 = ReceiverOut {
            deliveries: vec![(0, 0), (0, 4), (0, 2), (0, 0), (0, 1)],
            history: vec![(0, vec![0, 4, 2, 2])],
            ..ReceiverOut::default()
        };
        // r1: 1, then 5 (failed, yet delivered), then 7 of sender 1 (never sent: foreign);
        // acked 3 never arrives (lost), nor is it in the history.
        let r1 = ReceiverOut {
            deliveries: vec![(0, 1), (0, 5), (1, 7)],
            history: vec![(0, vec![1, 5])],
            ..ReceiverOut::default()
        };
        let r = tally(&params(), &[s0, s1], &[r0, r1]);
        assert_eq!((r.sent, r.acked, r.delivered), (7, 5, 5));
        assert_eq!(r.lost, 1);
        assert_eq!(r.duplicated, 1);
        assert_eq!((r.out_of_order, r.pairs_out_of_order, r.pairs), (1, 1, 2));
        assert_eq!((r.failed_delivered, r.failed_not_delivered), (1, 1));
        assert_eq!(r.false_failures(), 2);
        assert_eq!(r.foreign, 2);
        assert_eq!(
            (r.history_out_of_order, r.history_duplicated, r.history_lost),
            (1, 1, 1)
        );
        assert_eq!(
            r.failure_codes
                .iter()
                .map(|(c, n)| (*c, *n))
                .collect::<Vec<_>>(),
            vec![
                (code::SERVER_FREQUENCY_LIMIT, 1),
                (code::REQUEST_TIMEOUT, 1)
            ]
        );
        assert!(!r.clean());
    }

    #[test]
    fn a_run_where_everything_arrived_in_order_is_clean() {
        let s0 = SenderOut {
            sent: 4,
            acked: [0, 1, 2, 3].into_iter().collect(),
            ..SenderOut::default()
        };
        let r0 = ReceiverOut {
            deliveries: vec![(0, 0), (0, 2)],
            history: vec![(0, vec![0, 2])],
            ..ReceiverOut::default()
        };
        let r1 = ReceiverOut {
            deliveries: vec![(0, 1), (0, 3)],
            history: vec![(0, vec![1, 3])],
            ..ReceiverOut::default()
        };
        let r = tally(&params(), &[s0, SenderOut::default()], &[r0, r1]);
        assert_eq!((r.acked, r.delivered, r.pairs), (4, 4, 2));
        assert!(r.clean());
    }
}
