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
pub(super) const MESSAGE_COLUMNS: &str = "id, app, sender, recipient, client_message_id, \
     message_type, priority, payload, extended_data, timestamp, order_key, ext";

/// Bumps and returns a user's inbox sequence (for a message here, for a notice in
/// [`super::conversations`]).
pub(super) const NEXT_INBOX_SEQ: &str =
    "INSERT INTO users (app, user_id, inbox_seq, acked_seq) VALUES (?1, ?2, 1, 0) \
     ON CONFLICT (app, user_id) DO UPDATE SET inbox_seq = inbox_seq + 1 RETURNING inbox_seq";

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // The per-message savepoint makes SQLite keep a statement sub-journal; with the default
        // temp_store it is a temp file, ~14,000 pwrite(2) a second at 7,000 msg/s. In memory it
        // costs nothing on disk, and crash safety is the WAL's job, not the sub-journal's.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // 64 MiB of page cache instead of 2 MiB, so the idempotency, conversation, inbox and
        // user indexes stay cached as they grow instead of being re-read with pread(2).
        // Together: about 15% less store-thread CPU per message (tinyim-bench peer at
        // saturation; the store thread is the server's throughput limit).
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = SqliteStore { conn };
        store.migrate()?;
        for (area, migrations) in super::AREA_MIGRATIONS {
            store.migrate_area(area, migrations)?;
        }
        Ok(store)
    }

    /// The connection, for the area modules' queries (inside the store thread's
    /// transaction).
    pub(super) fn conn(&self) -> &Connection {
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

    fn append_inner(&mut self, m: &NewPeerMessage) -> StoreResult<Append> {
        let c = &self.conn;
        let existing = c
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages \
                 WHERE app = ?1 AND sender = ?2 AND client_message_id = ?3"
            ))?
            .query_row(
                params![m.app, m.sender, m.client_message_id as i64],
                message_from_row,
            )
            .optional()?;
        if let Some(message) = existing {
            return Ok(Append::Stored(PeerStored {
                message: Arc::new(message),
                inbox_seq: 0,
                duplicate: true,
            }));
        }
        // Sender order: the message this one follows must be stored already (the same
        // idempotency index answers it; the store thread runs appends in arrival order, so
        // an earlier send of the same connection is visible here even in the same batch).
        if m.prev_client_message_id != 0 {
            let prev: Option<i64> = c
                .prepare_cached(
                    "SELECT 1 FROM messages \
                     WHERE app = ?1 AND sender = ?2 AND client_message_id = ?3",
                )?
                .query_row(
                    params![m.app, m.sender, m.prev_client_message_id as i64],
                    |r| r.get(0),
                )
                .optional()?;
            if prev.is_none() {
                return Ok(Append::PredecessorMissing);
            }
        }
        let (a, b) = sorted(&m.sender, &m.recipient);
        let order_key: i64 = c
            .prepare_cached(
                "INSERT INTO conversations (app, conv_a, conv_b, last_order_key) \
                 VALUES (?1, ?2, ?3, 1) ON CONFLICT (app, conv_a, conv_b) \
                 DO UPDATE SET last_order_key = last_order_key + 1 RETURNING last_order_key",
            )?
            .query_row(params![m.app, a, b], |r| r.get(0))?;
        c.prepare_cached(
            "INSERT INTO messages (id, app, sender, recipient, conv_a, conv_b, order_key, \
             client_message_id, message_type, priority, payload, extended_data, timestamp) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            m.message_id as i64,
            m.app,
            m.sender,
            m.recipient,
            a,
            b,
            order_key,
            m.client_message_id as i64,
            m.message_type,
            m.priority,
            m.payload,
            m.extended_data,
            m.timestamp as i64,
        ])?;
        let inbox_seq: i64 = c
            .prepare_cached(NEXT_INBOX_SEQ)?
            .query_row(params![m.app, m.recipient], |r| r.get(0))?;
        c.prepare_cached(
            "INSERT INTO inbox (app, user_id, seq, message_id) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![m.app, m.recipient, inbox_seq, m.message_id as i64])?;
        // The areas' share of a message: its extension, both users' conversations.
        super::conversations::on_peer_message(c, m)?;
        Ok(Append::Stored(PeerStored {
            message: Arc::new(m.stored(order_key as u64)),
            inbox_seq: inbox_seq as u64,
            duplicate: false,
        }))
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
    })
}

impl Store for SqliteStore {
    fn begin(&mut self) -> StoreResult<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    fn commit(&mut self) -> StoreResult<()> {
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }

    fn rollback(&mut self) {
        let _ = self.conn.execute_batch("ROLLBACK");
    }

    fn append_peer_message(&mut self, m: &NewPeerMessage) -> StoreResult<Append> {
        // A savepoint per message: a failure undoes this message only, never leaving a
        // counter bumped without its row.
        self.conn.execute_batch("SAVEPOINT peer")?;
        match self.append_inner(m) {
            Ok(stored) => {
                self.conn.execute_batch("RELEASE peer")?;
                Ok(stored)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK TO peer; RELEASE peer");
                Err(e)
            }
        }
    }

    fn ack_inbox(&mut self, app: u32, user: &str, seq: u64) -> StoreResult<()> {
        self.conn
            .prepare_cached(
                "UPDATE users SET acked_seq = max(acked_seq, min(?3, inbox_seq)) \
                 WHERE app = ?1 AND user_id = ?2",
            )?
            .execute(params![app, user, seq as i64])?;
        Ok(())
    }

    fn user_state(&mut self, app: u32, user: &str) -> StoreResult<UserState> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT inbox_seq, acked_seq FROM users WHERE app = ?1 AND user_id = ?2",
            )?
            .query_row(params![app, user], |r| {
                Ok(UserState {
                    inbox_seq: r.get::<_, i64>(0)? as u64,
                    acked_seq: r.get::<_, i64>(1)? as u64,
                })
            })
            .optional()?
            .unwrap_or_default())
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
             m.ext FROM inbox i JOIN messages m ON m.id = i.message_id \
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

    /// `msg` that must follow the sender's message `prev`.
    fn after(prev: u64, m: NewPeerMessage) -> NewPeerMessage {
        NewPeerMessage {
            prev_client_message_id: prev,
            ..m
        }
    }

    fn append(s: &mut SqliteStore, m: &NewPeerMessage) -> PeerStored {
        match s.append_peer_message(m).unwrap() {
            Append::Stored(p) => p,
            Append::PredecessorMissing => panic!("predecessor missing: {m:?}"),
        }
    }

    fn open_temp(tag: &str) -> (std::path::PathBuf, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("tinyim-store-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        (dir, path)
    }

    #[test]
    fn append_dedupe_inbox_history() {
        let (dir, path) = open_temp("basic");
        let mut s = SqliteStore::open(&path).unwrap();
        s.begin().unwrap();
        let a = append(&mut s, &msg(10, "a", "b", 1));
        let b = append(&mut s, &msg(11, "b", "a", 1));
        let dup = append(&mut s, &msg(12, "a", "b", 1));
        let c = append(&mut s, &msg(13, "a", "b", 2));
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

    #[test]
    fn a_message_is_stored_only_after_the_one_it_follows() {
        let (dir, path) = open_temp("order");
        let mut s = SqliteStore::open(&path).unwrap();
        s.begin().unwrap();
        // 2 follows 1, which is not stored: refused, and nothing moves (no order key, no
        // inbox entry, no idempotency key taken).
        assert!(matches!(
            s.append_peer_message(&after(1, msg(20, "a", "b", 2)))
                .unwrap(),
            Append::PredecessorMissing
        ));
        let first = append(&mut s, &msg(21, "a", "b", 1));
        let second = append(&mut s, &after(1, msg(22, "a", "b", 2)));
        assert_eq!((first.message.order_key, first.inbox_seq), (1, 1));
        assert_eq!((second.message.order_key, second.inbox_seq), (2, 2));
        // A resend of a stored message is a duplicate whatever it says it follows.
        let again = append(&mut s, &after(99, msg(23, "a", "b", 2)));
        assert!(again.duplicate);
        assert_eq!(again.message.message_id, 22);
        // Another sender's message with the same client message id does not count.
        assert!(matches!(
            s.append_peer_message(&after(2, msg(24, "c", "b", 3)))
                .unwrap(),
            Append::PredecessorMissing
        ));
        s.commit().unwrap();
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
