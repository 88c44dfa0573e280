//! group-cost: what one group message costs the store under the two designs of issue 11,
//! item 5, on the server's own SQLite store (same file, pragmas and batching):
//!
//! - **fan-out on write** (what tinyim does, `store::group_messages`): the message row, then
//!   for each member but the sender an inbox row and a conversation upsert, in the
//!   message's transaction; each member's ack moves their cached inbox counter. A member's
//!   catch-up is their one inbox query.
//! - **timeline with a cursor per member** (the alternative): the message row at the group's
//!   next position, nothing per member when it is stored; each member's ack writes their
//!   cursor row for the group (one upsert per member per batch of pushes); unread counts come
//!   from the group's head less the cursor. A member's catch-up reads the timeline after
//!   their cursor, once per group they are in.
//!
//! Measured per design: wall time per message with members acking every batch (one thread,
//! the store thread's work; `synchronous = FULL`, one commit per batch), bytes the data dir
//! grew by per message (database and write-ahead log), and one offline member's catch-up of
//! everything.

use std::path::Path;
use std::time::Instant;

use rusqlite::params;
use tinyim_server::store::group_messages::GroupMessageStore;
use tinyim_server::store::sqlite::SqliteStore;
use tinyim_server::store::{NewPeerMessage, Store};

#[derive(Debug, Clone, Copy)]
pub struct GroupCostParams {
    pub members: u32,
    pub messages: u32,
    /// Messages per transaction (the store thread's batch).
    pub batch: u32,
}

#[derive(Debug, Clone)]
pub struct DesignCost {
    pub design: &'static str,
    pub us_per_message: f64,
    pub bytes_per_message: f64,
    /// One offline member reading every message of the run.
    pub catch_up_ms: f64,
}

const APP: u32 = 1;
const GROUP: &str = "g";

fn member(i: u32) -> String {
    format!("u{i}")
}

fn message(i: u32) -> NewPeerMessage {
    NewPeerMessage {
        message_id: u64::from(i) + 1,
        app: APP,
        sender: member(0),
        recipient: GROUP.into(),
        client_message_id: u64::from(i) + 1,
        prev_client_message_id: 0,
        message_type: 1,
        priority: 1,
        payload: vec![b'x'; 100],
        extended_data: String::new(),
        timestamp: 1,
        ext: None,
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Fan-out on write, through the server's own `append_group_message`.
fn fan_out(dir: &Path, p: GroupCostParams) -> Result<DesignCost, String> {
    let mut s = SqliteStore::open(&dir.join("fanout.db")).map_err(err)?;
    let members: Vec<String> = (0..p.members).map(member).collect();
    let before = dir_bytes(dir);
    let t = Instant::now();
    let mut seq = 0u64;
    for first in (0..p.messages).step_by(p.batch as usize) {
        s.begin().map_err(err)?;
        for i in first..(first + p.batch).min(p.messages) {
            s.append_group_message(message(i), u64::from(i) + 1, &members)
                .map_err(err)?;
            seq += 1;
        }
        // Every member acks the batch's pushes.
        for m in &members[1..] {
            s.ack_inbox(APP, m, seq).map_err(err)?;
        }
        s.commit().map_err(err)?;
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(p.messages);
    let bytes = dir_bytes(dir).saturating_sub(before) as f64 / f64::from(p.messages);
    let t = Instant::now();
    let (mut after, mut read) = (0, 0);
    loop {
        let page = s.inbox_after(APP, &member(1), after, 100).map_err(err)?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        read += page.len();
    }
    if read != p.messages as usize {
        return Err(format!("fan-out catch-up read {read} of {}", p.messages));
    }
    Ok(DesignCost {
        design: "fan-out on write",
        us_per_message: us,
        bytes_per_message: bytes,
        catch_up_ms: t.elapsed().as_secs_f64() * 1e3,
    })
}

/// The timeline design, on the same store's connection: the message row only, and one
/// cursor upsert per member per batch.
fn timeline(dir: &Path, p: GroupCostParams) -> Result<DesignCost, String> {
    let s = SqliteStore::open(&dir.join("timeline.db")).map_err(err)?;
    let c = s.conn();
    c.execute_batch(
        "CREATE TABLE group_cursors (app INTEGER NOT NULL, group_id TEXT NOT NULL, \
         user_id TEXT NOT NULL, delivered INTEGER NOT NULL, \
         PRIMARY KEY (app, group_id, user_id)) WITHOUT ROWID",
    )
    .map_err(err)?;
    let members: Vec<String> = (0..p.members).map(member).collect();
    let before = dir_bytes(dir);
    let t = Instant::now();
    let mut head = 0u64;
    for first in (0..p.messages).step_by(p.batch as usize) {
        c.execute_batch("BEGIN IMMEDIATE").map_err(err)?;
        {
            let mut insert = c
                .prepare_cached(
                    "INSERT INTO messages (id, app, sender, recipient, conv_a, conv_b, \
                     order_key, client_message_id, message_type, priority, payload, \
                     extended_data, timestamp, conv_type) \
                     VALUES (?1, ?2, ?3, ?4, ?4, '', ?5, ?6, 1, 1, ?7, '', 1, 2)",
                )
                .map_err(err)?;
            for i in first..(first + p.batch).min(p.messages) {
                let m = message(i);
                head = u64::from(i) + 1;
                insert
                    .execute(params![
                        m.message_id as i64,
                        APP,
                        m.sender,
                        m.recipient,
                        head as i64,
                        m.client_message_id as i64,
                        m.payload
                    ])
                    .map_err(err)?;
            }
            // The group's head, once per batch (the groups row).
            c.prepare_cached("UPDATE groups SET last_seq = ?1 WHERE app = ?2 AND group_id = ?3")
                .map_err(err)?
                .execute(params![head as i64, APP, GROUP])
                .map_err(err)?;
            let mut ack = c
                .prepare_cached(
                    "INSERT INTO group_cursors (app, group_id, user_id, delivered) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (app, group_id, user_id) \
                     DO UPDATE SET delivered = excluded.delivered",
                )
                .map_err(err)?;
            for m in &members[1..] {
                ack.execute(params![APP, GROUP, m, head as i64])
                    .map_err(err)?;
            }
        }
        c.execute_batch("COMMIT").map_err(err)?;
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / f64::from(p.messages);
    let bytes = dir_bytes(dir).saturating_sub(before) as f64 / f64::from(p.messages);
    let t = Instant::now();
    let (mut after, mut read) = (0i64, 0usize);
    let mut page = c
        .prepare_cached(
            "SELECT id, sender, payload, order_key FROM messages WHERE app = ?1 AND conv_a = ?2 \
             AND conv_b = '' AND order_key > ?3 ORDER BY order_key LIMIT 100",
        )
        .map_err(err)?;
    loop {
        let rows: Vec<(i64, String, Vec<u8>, i64)> = page
            .query_map(params![APP, GROUP, after], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let Some(last) = rows.last() else { break };
        after = last.3;
        read += rows.len();
    }
    if read != p.messages as usize {
        return Err(format!("timeline catch-up read {read} of {}", p.messages));
    }
    Ok(DesignCost {
        design: "timeline + cursor",
        us_per_message: us,
        bytes_per_message: bytes,
        catch_up_ms: t.elapsed().as_secs_f64() * 1e3,
    })
}

/// Both designs on fresh databases in a temp dir.
pub fn run(p: GroupCostParams) -> Result<(DesignCost, DesignCost), String> {
    if p.members < 2 || p.messages == 0 || p.batch == 0 {
        return Err("group-cost needs 2+ members, 1+ messages, a batch of 1+".into());
    }
    let dir = std::env::temp_dir().join(format!("tinyim-group-cost-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).map_err(err)?;
    std::fs::create_dir_all(dir.join("b")).map_err(err)?;
    let a = fan_out(&dir.join("a"), p);
    let b = timeline(&dir.join("b"), p);
    let _ = std::fs::remove_dir_all(&dir);
    Ok((a?, b?))
}

pub fn line(p: &GroupCostParams, d: &DesignCost) -> String {
    format!(
        "group-cost members={} messages={} batch={} {}: {:.1} us/message ({:.2} us per member) | {:.0} B/message | catch-up of all {:.1} ms",
        p.members,
        p.messages,
        p.batch,
        d.design,
        d.us_per_message,
        d.us_per_message / f64::from(p.members),
        d.bytes_per_message,
        d.catch_up_ms
    )
}
