//! store-cost: CPU per message of the store path alone, against SQLite's own cost for the
//! same rows. No sockets, no clients: this isolates the one thread that bounds tinyim's
//! durable throughput.
//!
//! - **tinyim store**: the server's own `StoreHandle` + `SqliteStore` (the store thread, its
//!   batching, the counters, the replies), fed by many concurrent senders as connections
//!   would feed it; each stored message is followed by its recipient's ack, as a PushAck
//!   would. Measured: the `tinyim-store` thread's CPU time (`/proc/self/task/*/stat`).
//! - **engine**: the statements the same data needs, prepared once and run back to back on
//!   one thread with the same pragmas (WAL, `synchronous = FULL`), one transaction per batch
//!   of the size the store thread formed: insert the message, insert the inbox row, bump the
//!   conversation's and the recipient's counters, move the recipient's ack. Measured: that
//!   thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`). This is the floor a store layer on top of
//!   SQLite could reach for this schema.
//!
//! Both run on an empty database in a temp dir, with the same users, pairs and payloads.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use tinyim_server::metrics::Metrics;
use tinyim_server::store::sqlite::SqliteStore;
use tinyim_server::store::{Append, NewPeerMessage, StoreHandle};

#[derive(Debug, Clone, Copy)]
pub struct StoreCostParams {
    pub messages: u32,
    pub users: u32,
    /// Requests in flight at once (like that many connections with a send pending).
    pub in_flight: u32,
    pub payload: usize,
}

#[derive(Debug, Clone)]
pub struct StoreCostResult {
    pub params: StoreCostParams,
    pub store_cpu_s: f64,
    pub store_wall_s: f64,
    pub batches: u64,
    pub engine_cpu_s: f64,
    pub engine_wall_s: f64,
}

impl StoreCostResult {
    pub fn store_us_per_msg(&self) -> f64 {
        1e6 * self.store_cpu_s / f64::from(self.params.messages.max(1))
    }
    pub fn engine_us_per_msg(&self) -> f64 {
        1e6 * self.engine_cpu_s / f64::from(self.params.messages.max(1))
    }
    pub fn mean_batch(&self) -> f64 {
        f64::from(self.params.messages) / self.batches.max(1) as f64
    }
}

fn temp_db(tag: &str) -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!(
        "tinyim-bench-store-{tag}-{}-{}",
        std::process::id(),
        crate::scenario::micros_since(*EPOCH)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

static EPOCH: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

/// The i-th message of the workload (the same for both runs).
fn workload(p: &StoreCostParams) -> Vec<(u32, u32)> {
    let mut rng = rand::rngs::SmallRng::seed_from_u64(0x5707e);
    (0..p.messages)
        .map(|_| {
            let from = rng.random_range(0..p.users);
            let mut to = rng.random_range(0..p.users - 1);
            if to >= from {
                to += 1;
            }
            (from, to)
        })
        .collect()
}

/// CPU seconds of this process's threads named `name`.
fn thread_cpu(name: &str) -> f64 {
    crate::proc_stats::threads(std::process::id())
        .get(name)
        .copied()
        .unwrap_or(0.0)
}

/// This thread's CPU time.
fn own_thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the valid pointer it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

pub async fn run(p: StoreCostParams) -> Result<StoreCostResult, String> {
    if p.users < 2 {
        return Err("store-cost needs at least 2 users".into());
    }
    let work = Arc::new(workload(&p));
    let payload = vec![b'x'; p.payload];

    // The tinyim store.
    let dir = temp_db("tinyim")?;
    let store = SqliteStore::open(&dir.join("tinyim.db")).map_err(|e| e.to_string())?;
    let metrics = Arc::new(Metrics::default());
    let (handle, thread) =
        StoreHandle::start(Box::new(store), Box::new(|_| {}), Arc::clone(&metrics));
    let next = Arc::new(AtomicU64::new(0));
    let cpu0 = thread_cpu("tinyim-store");
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..p.in_flight.max(1) {
        let (handle, next, work, payload) = (
            handle.clone(),
            Arc::clone(&next),
            Arc::clone(&work),
            payload.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Relaxed) as usize;
                let Some(&(from, to)) = work.get(i) else {
                    break;
                };
                let rx = handle
                    .submit_peer(NewPeerMessage {
                        message_id: i as u64 + 1,
                        app: 1,
                        sender: format!("u{from}"),
                        recipient: format!("u{to}"),
                        client_message_id: i as u64 + 1,
                        prev_client_message_id: 0,
                        message_type: 1,
                        priority: 1,
                        payload: payload.clone(),
                        extended_data: String::new(),
                        timestamp: 1,
                        ext: None,
                    })
                    .await;
                match rx.await {
                    Ok(Ok(Append::Stored(stored))) => {
                        // The recipient's PushAck (queued, not answered, as a session does).
                        handle.ack(1, &format!("u{to}"), stored.inbox_seq).await;
                    }
                    Ok(Ok(Append::PredecessorMissing | Append::Blocked)) => {
                        return Err("a send was refused".into())
                    }
                    Ok(Err(e)) => return Err(e.to_string()),
                    Err(_) => return Err("store thread gone".into()),
                }
            }
            Ok(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    // One last request: it is answered after everything queued before it committed.
    let _ = handle.user_state(1, "u0").await;
    let store_wall_s = t0.elapsed().as_secs_f64();
    let store_cpu_s = thread_cpu("tinyim-store") - cpu0;
    let batches = metrics
        .store_batches
        .load(std::sync::atomic::Ordering::Relaxed);
    handle.close().await;
    let _ = tokio::task::spawn_blocking(move || thread.join()).await;
    let _ = std::fs::remove_dir_all(&dir);

    // The engine alone, in batches of the mean size the store thread formed.
    let batch = (f64::from(p.messages) / batches.max(1) as f64)
        .round()
        .max(1.0) as usize;
    let (engine_cpu_s, engine_wall_s) =
        tokio::task::spawn_blocking(move || engine(&work, batch, p.payload))
            .await
            .map_err(|e| e.to_string())??;
    Ok(StoreCostResult {
        params: p,
        store_cpu_s,
        store_wall_s,
        batches,
        engine_cpu_s,
        engine_wall_s,
    })
}

/// SQLite alone: the rows of `work`, `batch` messages per transaction. Returns (thread CPU
/// seconds, wall seconds).
fn engine(work: &[(u32, u32)], batch: usize, payload: usize) -> Result<(f64, f64), String> {
    let dir = temp_db("engine")?;
    let path = dir.join("tinyim.db");
    // The server's own schema and pragmas.
    drop(SqliteStore::open(&path).map_err(|e| e.to_string())?);
    let e = |e: rusqlite::Error| e.to_string();
    let conn = rusqlite::Connection::open(&path).map_err(e)?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(e)?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(e)?;
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(e)?;
    conn.pragma_update(None, "cache_size", -65536).map_err(e)?;
    conn.pragma_update(None, "wal_autocheckpoint", 10_000)
        .map_err(e)?;
    let payload = vec![b'x'; payload];
    let names: Vec<String> = (0..=work.iter().map(|w| w.0.max(w.1)).max().unwrap_or(0))
        .map(|i| format!("u{i}"))
        .collect();
    let cpu0 = own_thread_cpu();
    let t0 = Instant::now();
    {
        let mut begin = conn.prepare("BEGIN IMMEDIATE").map_err(e)?;
        let mut commit = conn.prepare("COMMIT").map_err(e)?;
        let mut msg = conn
            .prepare(
                "INSERT INTO messages (id, app, sender, recipient, conv_a, conv_b, order_key, \
                 client_message_id, message_type, priority, payload, extended_data, timestamp) \
                 VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?1, 1, 1, ?7, '', 1)",
            )
            .map_err(e)?;
        let mut conv = conn
            .prepare(
                "INSERT INTO conversations (app, conv_a, conv_b, last_order_key) VALUES (1, ?1, ?2, 1) \
                 ON CONFLICT (app, conv_a, conv_b) DO UPDATE SET last_order_key = last_order_key + 1 \
                 RETURNING last_order_key",
            )
            .map_err(e)?;
        let mut user = conn
            .prepare(
                "INSERT INTO users (app, user_id, inbox_seq, acked_seq) VALUES (1, ?1, 1, 0) \
                 ON CONFLICT (app, user_id) DO UPDATE SET inbox_seq = inbox_seq + 1 \
                 RETURNING inbox_seq",
            )
            .map_err(e)?;
        let mut inbox = conn
            .prepare("INSERT INTO inbox (app, user_id, seq, message_id) VALUES (1, ?1, ?2, ?3)")
            .map_err(e)?;
        let mut ack = conn
            .prepare("UPDATE users SET acked_seq = ?2 WHERE app = 1 AND user_id = ?1")
            .map_err(e)?;
        for (b, chunk) in work.chunks(batch.max(1)).enumerate() {
            begin.execute([]).map_err(e)?;
            for (k, &(from, to)) in chunk.iter().enumerate() {
                let id = (b * batch + k + 1) as i64;
                let (s, r) = (&names[from as usize], &names[to as usize]);
                let (a, z) = if s <= r { (s, r) } else { (r, s) };
                let key: i64 = conv.query_row([a, z], |row| row.get(0)).map_err(e)?;
                msg.execute(rusqlite::params![id, s, r, a, z, key, payload])
                    .map_err(e)?;
                let seq: i64 = user.query_row([r], |row| row.get(0)).map_err(e)?;
                inbox.execute(rusqlite::params![r, seq, id]).map_err(e)?;
                ack.execute(rusqlite::params![r, seq]).map_err(e)?;
            }
            commit.execute([]).map_err(e)?;
        }
    }
    let cpu = own_thread_cpu() - cpu0;
    let wall = t0.elapsed().as_secs_f64();
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
    Ok((cpu, wall))
}

/// One line for the terminal.
pub fn line(r: &StoreCostResult) -> String {
    format!(
        "store-cost messages={} users={} in-flight={}: tinyim store thread {:.2}s CPU = {:.1} µs/msg ({:.0} msg/s wall, {} batches of {:.0}) | engine alone {:.2}s CPU = {:.1} µs/msg ({:.0} msg/s wall) | store/engine {:.2}x",
        r.params.messages,
        r.params.users,
        r.params.in_flight,
        r.store_cpu_s,
        r.store_us_per_msg(),
        f64::from(r.params.messages) / r.store_wall_s.max(1e-9),
        r.batches,
        r.mean_batch(),
        r.engine_cpu_s,
        r.engine_us_per_msg(),
        f64::from(r.params.messages) / r.engine_wall_s.max(1e-9),
        r.store_us_per_msg() / r.engine_us_per_msg().max(1e-9)
    )
}
