//! The default store: one embedded SQLite file under the data dir.
//!
//! WAL journal with `synchronous = FULL`, so a committed batch survives a crash or power loss
//! (the server acknowledges sends only after the commit). The schema is created and migrated
//! on open through `PRAGMA user_version`.
//!
//! Tables:
//! - `messages`: every peer message; unique `(app, sender, client_message_id)` is the
//!   idempotency key, unique `(app, conv_a, conv_b, order_key)` orders a conversation
//!   (`conv_a < conv_b` are the two users, sorted).
//! - `conversations`: the last order key of each pair of users.
//! - `users`: each user's newest inbox sequence and highest acknowledged one.
//! - `inbox`: `(app, user, seq) -> message id`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{
    Append, InboxEntry, InboxItem, NewPeerMessage, PeerStored, Store, StoreError, StoreResult,
    StoredMessage, UserState,
};

/// Schema versions, applied in order; index + 1 is the `user_version` after each.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    app               INTEGER NOT NULL,
    sender            TEXT    NOT NULL,
    recipient         TEXT    NOT NULL,
    conv_a            TEXT    NOT NULL,
    conv_b            TEXT    NOT NULL,
    order_key         INTEGER NOT NULL,
    client_message_id INTEGER NOT NULL,
    message_type      INTEGER NOT NULL,
    priority          INTEGER NOT NULL,
    payload           BLOB    NOT NULL,
    extended_data     TEXT    NOT NULL,
    timestamp         INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_idempotency ON messages (app, sender, client_message_id);
CREATE UNIQUE INDEX messages_conversation ON messages (app, conv_a, conv_b, order_key);
CREATE TABLE conversations (
    app            INTEGER NOT NULL,
    conv_a         TEXT    NOT NULL,
    conv_b         TEXT    NOT NULL,
    last_order_key INTEGER NOT NULL,
    PRIMARY KEY (app, conv_a, conv_b)
) WITHOUT ROWID;
CREATE TABLE users (
    app        INTEGER NOT NULL,
    user_id    TEXT    NOT NULL,
    inbox_seq  INTEGER NOT NULL,
    acked_seq  INTEGER NOT NULL,
    PRIMARY KEY (app, user_id)
) WITHOUT ROWID;
CREATE TABLE inbox (
    app        INTEGER NOT NULL,
    user_id    TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (app, user_id, seq)
) WITHOUT ROWID;
"#];

/// The columns [`message_from_row`] reads, in its order.
macro_rules! message_columns {
    () => {
        "id, app, sender, recipient, client_message_id, message_type, priority, payload, \
         extended_data, timestamp, order_key, ext, conv_type"
    };
}

/// [`message_columns!`] for statements built at run time (the areas' queries).
pub(super) const MESSAGE_COLUMNS: &str = message_columns!();

/// The hot path's statements, each prepared once (rusqlite's statement cache keys on the
/// text, so these are `const`: nothing is formatted per message).
pub(super) const INSERT_MESSAGE: &str =
    "INSERT INTO messages (id, app, sender, recipient, conv_a, conv_b, \
     order_key, client_message_id, message_type, priority, payload, extended_data, timestamp) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
     ON CONFLICT (app, sender, client_message_id) DO NOTHING";
pub(super) const SELECT_BY_IDEMPOTENCY_KEY: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE app = ?1 AND sender = ?2 AND client_message_id = ?3"
);
pub(super) const INSERT_INBOX: &str =
    "INSERT INTO inbox (app, user_id, seq, message_id) VALUES (?1, ?2, ?3, ?4)";
const SELECT_CONVERSATION: &str =
    "SELECT last_order_key FROM conversations WHERE app = ?1 AND conv_a = ?2 AND conv_b = ?3";
const WRITE_CONVERSATION: &str = "INSERT INTO conversations (app, conv_a, conv_b, last_order_key) \
     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (app, conv_a, conv_b) \
     DO UPDATE SET last_order_key = excluded.last_order_key";
const SELECT_USER: &str = "SELECT inbox_seq, acked_seq FROM users WHERE app = ?1 AND user_id = ?2";
const WRITE_USER: &str = "INSERT INTO users (app, user_id, inbox_seq, acked_seq) \
     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (app, user_id) \
     DO UPDATE SET inbox_seq = excluded.inbox_seq, acked_seq = excluded.acked_seq";

/// Cached counters past this many entries are dropped after a commit (and re-read on use).
const COUNTER_CACHE_LIMIT: usize = 200_000;

/// A counter row cached in memory: its value, and whether this batch changed it.
#[derive(Debug, Clone, Copy, Default)]
struct Cached<T> {
    value: T,
    dirty: bool,
}

/// The counter rows (`conversations.last_order_key`, `users.inbox_seq` / `acked_seq`),
/// cached between batches and written back once per batch at commit.
///
/// Why: a message bumps its conversation's order key and its recipient's inbox sequence,
/// and the recipient's PushAck moves the acked sequence. As statements that was two upserts
/// and an update per message, each a B-tree search plus a page write; kept here, a row
/// changed by many messages of a batch is written once, and reading a counter is a hash
/// lookup. Keys are `"app user"` / `"app a b"` (IDs have no spaces), looked up through one
/// reused buffer so a hit allocates nothing. A rollback clears the cache.
#[derive(Default)]
struct Counters {
    conversations: HashMap<Box<str>, Cached<u64>>,
    users: HashMap<Box<str>, Cached<UserState>>,
    dirty_conversations: Vec<Box<str>>,
    dirty_users: Vec<Box<str>>,
    key: String,
}

fn key_into<'a>(buf: &'a mut String, app: u32, parts: &[&str]) -> &'a str {
    use std::fmt::Write;
    buf.clear();
    let _ = write!(buf, "{app}");
    for p in parts {
        buf.push(' ');
        buf.push_str(p);
    }
    buf
}

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
    counters: Counters,
}

impl SqliteStore {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Savepoints (one per `StoreHandle::run` operation) make SQLite keep a statement
        // sub-journal; with the default temp_store it is a temp file written with pwrite(2).
        // In memory it costs nothing on disk, and crash safety is the WAL's job, not the
        // sub-journal's.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // 64 MiB of page cache instead of 2 MiB, so the idempotency, conversation, inbox and
        // user indexes stay cached as they grow instead of being re-read with pread(2).
        conn.pragma_update(None, "cache_size", -65536)?;
        // Checkpoint the WAL into the database every 10,000 pages (~40 MB) instead of SQLite's
        // 1,000: a checkpoint runs inside the commit that crosses the mark, on the store
        // thread, and copies each page once however often it changed since the last one. At
        // ~400 dirty pages per batch the default meant a checkpoint every third commit.
        // (tinyim-bench store-cost, alternating: 43.4, 42.0 -> 35.6, 38.6 us per message.)
        conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = SqliteStore {
            conn,
            counters: Counters::default(),
        };
        store.migrate()?;
        for (area, migrations) in super::AREA_MIGRATIONS {
            store.migrate_area(area, migrations)?;
        }
        Ok(store)
    }

    /// `true` if `sender`'s message `client_message_id` is stored (the idempotency index).
    pub(super) fn is_stored(
        &self,
        app: u32,
        sender: &str,
        client_message_id: u64,
    ) -> StoreResult<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM messages WHERE app = ?1 AND sender = ?2 AND client_message_id = ?3",
            )?
            .query_row(params![app, sender, client_message_id as i64], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The connection, for operations run through `StoreHandle::run`. Inside a batch, read
    /// the counter rows (`conversations`, `users`) through [`SqliteStore::user_state`] and
    /// [`SqliteStore::last_order_key`], or call [`SqliteStore::flush_counters`] before
    /// reading those tables directly: the batch's changes to them are written at commit.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Applies the schema steps of ZIM area `area` that this database does not have yet
    /// (each area keeps its own version in `area_schema`, so areas evolve independently).
    fn migrate_area(&mut self, area: &str, migrations: &[&str]) -> StoreResult<()> {
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS area_schema \
             (area TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID",
        )?;
        let version: i64 = self
            .conn
            .query_row(
                "SELECT version FROM area_schema WHERE area = ?1",
                [area],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        if version as usize > migrations.len() {
            return Err(StoreError(format!(
                "the {area} schema (version {version}) is newer than this server ({})",
                migrations.len()
            )));
        }
        for (i, sql) in migrations.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO area_schema (area, version) VALUES (?1, ?2) \
                 ON CONFLICT (area) DO UPDATE SET version = excluded.version",
                params![area, (i + 1) as i64],
            )?;
            tx.commit()?;
            tracing::info!(area, version = i + 1, "store: migrated area schema");
        }
        Ok(())
    }

    fn migrate(&mut self) -> StoreResult<()> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError(format!(
                "database schema version {version} is newer than this server ({})",
                MIGRATIONS.len()
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
            tracing::info!(version = i + 1, "store: migrated schema");
        }
        Ok(())
    }

    /// The cached state of (app, user), read from `users` on a miss.
    fn user_entry(&mut self, app: u32, user: &str) -> StoreResult<&mut Cached<UserState>> {
        let c = &mut self.counters;
        let key = key_into(&mut c.key, app, &[user]);
        if !c.users.contains_key(key) {
            let value = self
                .conn
                .prepare_cached(SELECT_USER)?
                .query_row(params![app, user], |r| {
                    Ok(UserState {
                        inbox_seq: r.get::<_, i64>(0)? as u64,
                        acked_seq: r.get::<_, i64>(1)? as u64,
                    })
                })
                .optional()?
                .unwrap_or_default();
            c.users.insert(
                key.into(),
                Cached {
                    value,
                    dirty: false,
                },
            );
        }
        let key = c.key.as_str();
        Ok(c.users.get_mut(key).expect("just inserted"))
    }

    fn mark_user_dirty(&mut self, app: u32, user: &str) {
        let c = &mut self.counters;
        let key = key_into(&mut c.key, app, &[user]);
        if let Some(e) = c.users.get_mut(key) {
            if !e.dirty {
                e.dirty = true;
                c.dirty_users.push(key.into());
            }
        }
    }

    /// Bumps and returns `user`'s inbox sequence: for a message here, for a notice in
    /// [`super::conversations`] (one counter, so messages and notices share one order).
    pub(super) fn next_inbox_seq(&mut self, app: u32, user: &str) -> StoreResult<u64> {
        let e = self.user_entry(app, user)?;
        e.value.inbox_seq += 1;
        let seq = e.value.inbox_seq;
        self.mark_user_dirty(app, user);
        Ok(seq)
    }

    /// The last order key of the conversation between `a` and `b` (sorted), 0 if none.
    pub fn last_order_key(&mut self, app: u32, a: &str, b: &str) -> StoreResult<u64> {
        Ok(self.conversation_entry(app, a, b)?.value)
    }

    fn conversation_entry(&mut self, app: u32, a: &str, b: &str) -> StoreResult<&mut Cached<u64>> {
        let c = &mut self.counters;
        let key = key_into(&mut c.key, app, &[a, b]);
        if !c.conversations.contains_key(key) {
            let value = self
                .conn
                .prepare_cached(SELECT_CONVERSATION)?
                .query_row(params![app, a, b], |r| r.get::<_, i64>(0))
                .optional()?
                .unwrap_or(0) as u64;
            c.conversations.insert(
                key.into(),
                Cached {
                    value,
                    dirty: false,
                },
            );
        }
        let key = c.key.as_str();
        Ok(c.conversations.get_mut(key).expect("just inserted"))
    }

    /// Writes the counter rows this batch changed (the store does it before each commit).
    pub fn flush_counters(&mut self) -> StoreResult<()> {
        let c = &mut self.counters;
        if !c.dirty_conversations.is_empty() {
            let mut stmt = self.conn.prepare_cached(WRITE_CONVERSATION)?;
            for key in c.dirty_conversations.drain(..) {
                let Some(e) = c.conversations.get_mut(&key) else {
                    continue;
                };
                e.dirty = false;
                let mut it = key.splitn(3, ' ');
                let (app, a, b) = (it.next(), it.next(), it.next());
                let (Some(app), Some(a), Some(b)) = (app, a, b) else {
                    continue;
                };
                stmt.execute(params![
                    app.parse::<u32>().unwrap_or(0),
                    a,
                    b,
                    e.value as i64
                ])?;
            }
        }
        if !c.dirty_users.is_empty() {
            let mut stmt = self.conn.prepare_cached(WRITE_USER)?;
            for key in c.dirty_users.drain(..) {
                let Some(e) = c.users.get_mut(&key) else {
                    continue;
                };
                e.dirty = false;
                let Some((app, user)) = key.split_once(' ') else {
                    continue;
                };
                stmt.execute(params![
                    app.parse::<u32>().unwrap_or(0),
                    user,
                    e.value.inbox_seq as i64,
                    e.value.acked_seq as i64
                ])?;
            }
        }
        Ok(())
    }
}

/// The two users of a peer conversation in the order its rows key them.
pub(super) fn sorted<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x <= y {
        (x, y)
    } else {
        (y, x)
    }
}

/// A message from a row of [`MESSAGE_COLUMNS`].
pub(super) fn message_from_row(r: &Row<'_>) -> rusqlite::Result<StoredMessage> {
    Ok(StoredMessage {
        message_id: r.get::<_, i64>(0)? as u64,
        app: r.get(1)?,
        sender: r.get(2)?,
        recipient: r.get(3)?,
        client_message_id: r.get::<_, i64>(4)? as u64,
        message_type: r.get(5)?,
        priority: r.get(6)?,
        payload: r.get(7)?,
        extended_data: r.get(8)?,
        timestamp: r.get::<_, i64>(9)? as u64,
        order_key: r.get::<_, i64>(10)? as u64,
        ext: super::messages::decode_ext(r.get(11)?)?,
        conversation_type: r.get(12)?,
    })
}

/// A statement without parameters or rows, prepared once.
fn exec(conn: &Connection, sql: &str) -> StoreResult<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

impl Store for SqliteStore {
    fn begin(&mut self) -> StoreResult<()> {
        exec(&self.conn, "BEGIN IMMEDIATE")
    }

    fn commit(&mut self) -> StoreResult<()> {
        self.flush_counters()?;
        exec(&self.conn, "COMMIT")?;
        let c = &mut self.counters;
        if c.users.len() > COUNTER_CACHE_LIMIT {
            c.users.clear();
        }
        if c.conversations.len() > COUNTER_CACHE_LIMIT {
            c.conversations.clear();
        }
        Ok(())
    }

    fn rollback(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = exec(&self.conn, "ROLLBACK");
        }
        self.counters = Counters::default();
    }

    fn savepoint(&mut self) -> StoreResult<()> {
        // The batch's counter changes go to the database first, so that undoing the op
        // leaves the database right and the cache can simply be dropped.
        self.flush_counters()?;
        exec(&self.conn, "SAVEPOINT op")
    }

    fn release(&mut self, keep: bool) -> StoreResult<()> {
        if !keep {
            exec(&self.conn, "ROLLBACK TO op")?;
            // Counters the undone op changed are re-read from the database on next use.
            self.counters = Counters::default();
        }
        exec(&self.conn, "RELEASE op")
    }

    fn append_peer_message(&mut self, m: NewPeerMessage) -> StoreResult<Append> {
        // Sender order: the message this one follows must be stored already (the store
        // thread runs appends in arrival order, so an earlier send of the same connection is
        // visible here even in the same batch). A message that is itself stored passes,
        // whatever its predecessor: the duplicate check comes first.
        if m.prev_client_message_id != 0
            && !self.is_stored(m.app, &m.sender, m.prev_client_message_id)?
            && !self.is_stored(m.app, &m.sender, m.client_message_id)?
        {
            return Ok(Append::PredecessorMissing);
        }
        // The blacklist: nothing of a blocked sender is stored for the blocker.
        if super::friends::blocks(self, m.app, &m.recipient, &m.sender)?
            && !self.is_stored(m.app, &m.sender, m.client_message_id)?
        {
            return Ok(Append::Blocked);
        }
        let (a, b) = sorted(&m.sender, &m.recipient);
        let order_key = self.conversation_entry(m.app, a, b)?.value + 1;
        // The idempotency check is the insert itself: a known (app, sender, client message
        // id) inserts nothing, and only then is the original read back.
        let inserted = self.conn.prepare_cached(INSERT_MESSAGE)?.execute(params![
            m.message_id as i64,
            m.app,
            m.sender,
            m.recipient,
            a,
            b,
            order_key as i64,
            m.client_message_id as i64,
            m.message_type,
            m.priority,
            m.payload,
            m.extended_data,
            m.timestamp as i64,
        ])?;
        if inserted == 0 {
            let message = self
                .conn
                .prepare_cached(SELECT_BY_IDEMPOTENCY_KEY)?
                .query_row(
                    params![m.app, m.sender, m.client_message_id as i64],
                    message_from_row,
                )?;
            return Ok(Append::Stored(PeerStored {
                message: Arc::new(message),
                inbox_seq: 0,
                duplicate: true,
            }));
        }
        let (app, recipient) = (m.app, m.recipient.as_str());
        let inbox_seq = self.next_inbox_seq(app, recipient)?;
        self.conn.prepare_cached(INSERT_INBOX)?.execute(params![
            app,
            recipient,
            inbox_seq as i64,
            m.message_id as i64
        ])?;
        let (a, b) = sorted(&m.sender, &m.recipient);
        let c = &mut self.counters;
        let key = key_into(&mut c.key, app, &[a, b]);
        if let Some(e) = c.conversations.get_mut(key) {
            e.value = order_key;
            if !e.dirty {
                e.dirty = true;
                c.dirty_conversations.push(key.into());
            }
        }
        // The areas' share of a message: its extension, both users' conversations.
        super::conversations::on_peer_message(&self.conn, &m)?;
        Ok(Append::Stored(PeerStored {
            message: Arc::new(m.into_stored(order_key)),
            inbox_seq,
            duplicate: false,
        }))
    }

    fn ack_inbox(&mut self, app: u32, user: &str, seq: u64) -> StoreResult<()> {
        let e = self.user_entry(app, user)?;
        let acked = e.value.acked_seq.max(seq.min(e.value.inbox_seq));
        if acked != e.value.acked_seq {
            e.value.acked_seq = acked;
            self.mark_user_dirty(app, user);
        }
        Ok(())
    }

    fn user_state(&mut self, app: u32, user: &str) -> StoreResult<UserState> {
        Ok(self.user_entry(app, user)?.value)
    }

    fn inbox_after(
        &mut self,
        app: u32,
        user: &str,
        after: u64,
        limit: u32,
    ) -> StoreResult<Vec<InboxEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.seq, m.id, m.app, m.sender, m.recipient, m.client_message_id, \
             m.message_type, m.priority, m.payload, m.extended_data, m.timestamp, m.order_key, \
             m.ext, m.conv_type FROM inbox i JOIN messages m ON m.id = i.message_id \
             WHERE i.app = ?1 AND i.user_id = ?2 AND i.seq > ?3 ORDER BY i.seq LIMIT ?4",
        )?;
        let rows = stmt.query_map(
            params![app, user, after.min(i64::MAX as u64) as i64, limit],
            |r| {
                let seq = r.get::<_, i64>(0)? as u64;
                Ok(InboxEntry {
                    seq,
                    item: InboxItem::Message(Arc::new(StoredMessage {
                        message_id: r.get::<_, i64>(1)? as u64,
                        app: r.get(2)?,
                        sender: r.get(3)?,
                        recipient: r.get(4)?,
                        client_message_id: r.get::<_, i64>(5)? as u64,
                        message_type: r.get(6)?,
                        priority: r.get(7)?,
                        payload: r.get(8)?,
                        extended_data: r.get(9)?,
                        timestamp: r.get::<_, i64>(10)? as u64,
                        order_key: r.get::<_, i64>(11)? as u64,
                        ext: super::messages::decode_ext(r.get(12)?)?,
                        conversation_type: r.get(13)?,
                    })),
                })
            },
        )?;
        let mut entries = rows.collect::<Result<_, _>>()?;
        drop(stmt);
        super::conversations::merge_notices(&self.conn, app, user, after, limit, &mut entries)?;
        Ok(entries)
    }

    fn history(
        &mut self,
        app: u32,
        user: &str,
        peer: &str,
        anchor: u64,
        count: u32,
        older: bool,
    ) -> StoreResult<Vec<StoredMessage>> {
        let (a, b) = sorted(user, peer);
        let anchor = anchor.min(i64::MAX as u64) as i64;
        // As in ZIM, history leaves the signals out (command and barrage messages), and
        // what the user deleted for themself ([`super::messages`]).
        let visible = super::messages::VISIBLE_TO_USER;
        let sql = if older {
            format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE app = ?1 AND conv_a = ?2 \
                 AND conv_b = ?3 AND (?4 = 0 OR order_key < ?4) AND message_type NOT IN (2, 20) \
                 AND {visible} ORDER BY order_key DESC LIMIT ?5"
            )
        } else {
            format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE app = ?1 AND conv_a = ?2 \
                 AND conv_b = ?3 AND order_key > ?4 AND message_type NOT IN (2, 20) \
                 AND {visible} ORDER BY order_key ASC LIMIT ?5"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![app, a, b, anchor, count, user, peer],
            message_from_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn max_message_id(&mut self) -> StoreResult<u64> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT max(id) FROM messages", [], |r| r.get(0))?;
        Ok(id.unwrap_or(0) as u64)
    }

    fn close(&mut self) {
        if let Err(e) = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)") {
            tracing::warn!(error = %e, "store: WAL checkpoint on close failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: u64, from: &str, to: &str, cmid: u64) -> NewPeerMessage {
        NewPeerMessage {
            message_id: id,
            app: 1,
            sender: from.into(),
            recipient: to.into(),
            client_message_id: cmid,
            prev_client_message_id: 0,
            message_type: 1,
            priority: 1,
            payload: b"hi".to_vec(),
            extended_data: String::new(),
            timestamp: 5,
            ext: None,
        }
    }

    /// `m` that must follow the sender's message `prev`.
    fn after(prev: u64, m: NewPeerMessage) -> NewPeerMessage {
        NewPeerMessage {
            prev_client_message_id: prev,
            ..m
        }
    }

    /// Appends `m`, which must be stored (now or before).
    fn append(s: &mut dyn Store, m: NewPeerMessage) -> PeerStored {
        match s.append_peer_message(m.clone()).unwrap() {
            Append::Stored(p) => p,
            refused => panic!("{refused:?}: {m:?}"),
        }
    }

    #[test]
    fn append_dedupe_inbox_history() {
        let dir = std::env::temp_dir().join(format!("tinyim-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        let mut s = SqliteStore::open(&path).unwrap();
        s.begin().unwrap();
        let a = append(&mut s, msg(10, "a", "b", 1));
        let b = append(&mut s, msg(11, "b", "a", 1));
        let dup = append(&mut s, msg(12, "a", "b", 1));
        let c = append(&mut s, msg(13, "a", "b", 2));
        s.commit().unwrap();
        assert_eq!((a.inbox_seq, a.message.order_key), (1, 1));
        assert_eq!((b.inbox_seq, b.message.order_key), (1, 2));
        assert!(dup.duplicate);
        assert_eq!(dup.message.message_id, 10);
        assert_eq!((c.inbox_seq, c.message.order_key), (2, 3));
        s.begin().unwrap();
        let inbox = s.inbox_after(1, "b", 0, 10).unwrap();
        assert_eq!(inbox.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2]);
        s.ack_inbox(1, "b", 1).unwrap();
        s.ack_inbox(1, "b", 0).unwrap();
        assert_eq!(
            s.user_state(1, "b").unwrap(),
            UserState {
                inbox_seq: 2,
                acked_seq: 1
            }
        );
        let h = s.history(1, "b", "a", 0, 2, true).unwrap();
        assert_eq!(
            h.iter().map(|m| m.order_key).collect::<Vec<_>>(),
            vec![3, 2]
        );
        let h = s.history(1, "b", "a", 1, 5, false).unwrap();
        assert_eq!(
            h.iter().map(|m| m.order_key).collect::<Vec<_>>(),
            vec![2, 3]
        );
        assert_eq!(s.max_message_id().unwrap(), 13);
        s.commit().unwrap();
        drop(s);
        // Reopening keeps everything and does not re-run migrations.
        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.max_message_id().unwrap(), 13);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn run_is_atomic_and_answers_after_the_commit() {
        use crate::store::StoreHandle;
        let dir = std::env::temp_dir().join(format!("tinyim-store-run-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        let store = SqliteStore::open(&path).unwrap();
        let (h, thread) = StoreHandle::start(
            Box::new(store),
            Box::new(|_| {}),
            std::sync::Arc::new(crate::metrics::Metrics::default()),
        );
        let stored = |a: Append| match a {
            Append::Stored(p) => p,
            refused => panic!("{refused:?}"),
        };
        let first = stored(
            h.submit_peer(msg(1, "a", "b", 1))
                .await
                .await
                .unwrap()
                .unwrap(),
        );
        assert_eq!(first.inbox_seq, 1);
        // An op that stores a message and then fails leaves nothing behind, counters included.
        let failed: StoreResult<()> = h
            .run(|db: &mut dyn Store| {
                db.append_peer_message(msg(2, "a", "b", 2))?;
                Err(StoreError("refused".into()))
            })
            .await;
        assert!(failed.is_err());
        let state = h.user_state(1, "b").await.unwrap();
        assert_eq!(state.inbox_seq, 1);
        let next = stored(
            h.submit_peer(msg(3, "a", "b", 3))
                .await
                .await
                .unwrap()
                .unwrap(),
        );
        assert_eq!((next.inbox_seq, next.message.order_key), (2, 2));
        // An op that succeeds is committed with its batch and sees the store's own methods.
        let seen = h
            .run(|db: &mut dyn Store| {
                db.ack_inbox(1, "b", 2)?;
                db.user_state(1, "a").map(|_| 2)
            })
            .await
            .unwrap();
        assert_eq!(seen, 2);
        h.close().await;
        thread.join().unwrap();
        // Everything acknowledged is on disk, counters too.
        let mut s = SqliteStore::open(&path).unwrap();
        assert_eq!(
            s.user_state(1, "b").unwrap(),
            UserState {
                inbox_seq: 2,
                acked_seq: 2
            }
        );
        assert_eq!(s.inbox_after(1, "b", 0, 10).unwrap().len(), 2);
        assert_eq!(s.last_order_key(1, "a", "b").unwrap(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_message_is_stored_only_after_the_one_it_follows() {
        let dir = std::env::temp_dir().join(format!("tinyim-store-order-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        let mut s = SqliteStore::open(&path).unwrap();
        s.begin().unwrap();
        // 2 follows 1, which is not stored: refused, and nothing moves (no order key, no
        // inbox entry, no idempotency key taken).
        assert!(matches!(
            s.append_peer_message(after(1, msg(20, "a", "b", 2)))
                .unwrap(),
            Append::PredecessorMissing
        ));
        let first = append(&mut s, msg(21, "a", "b", 1));
        let second = append(&mut s, after(1, msg(22, "a", "b", 2)));
        assert_eq!((first.message.order_key, first.inbox_seq), (1, 1));
        assert_eq!((second.message.order_key, second.inbox_seq), (2, 2));
        // A resend of a stored message is a duplicate whatever it says it follows.
        let again = append(&mut s, after(99, msg(23, "a", "b", 2)));
        assert!(again.duplicate);
        assert_eq!(again.message.message_id, 22);
        // Another sender's message with the same client message id does not count.
        assert!(matches!(
            s.append_peer_message(after(2, msg(24, "c", "b", 3)))
                .unwrap(),
            Append::PredecessorMissing
        ));
        s.commit().unwrap();
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
