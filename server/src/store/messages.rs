//! Messages beyond appending them: each message's extension (receipt, custom fields, edit,
//! revoke: [`MessageExt`]), what a user deleted for themself, and the reads the message
//! methods need (docs/areas/messages.md).
//!
//! The extension is stored as its wire encoding in `messages.ext` (NULL for a plain
//! message), with the receipt status also in `messages.receipt` so that the messages
//! waiting for a receipt can be found with SQL. Deleting a message "on the server" hides it
//! from that user only (ZIM: "the impact of deleting messages is limited to this
//! account"): one `message_hidden` row per message, or the conversation's `cleared_seq`
//! ([`super::conversations`]) for all of a conversation.

use rusqlite::{params, Connection, OptionalExtension};
use tinyim_protocol::codec::{Reader, Wire};
use tinyim_protocol::MessageExt;

use super::sqlite::{message_from_row, sorted, SqliteStore, MESSAGE_COLUMNS};
use super::{StoreResult, StoredMessage};

/// The area's SQLite schema, applied in order (after the base schema).
pub(super) const SQLITE_MIGRATIONS: &[&str] = &[
    r#"
ALTER TABLE messages ADD COLUMN receipt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN ext BLOB;
CREATE TABLE message_hidden (
    app        INTEGER NOT NULL,
    user_id    TEXT    NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (app, user_id, message_id)
) WITHOUT ROWID;
"#,
    // Group messages (super::group_messages): which kind of conversation a message is in.
    r#"
ALTER TABLE messages ADD COLUMN conv_type INTEGER NOT NULL DEFAULT 0;
"#,
];

/// A `WHERE` condition (on `messages`) that keeps what user `?6` has not deleted of their
/// conversation with `?7`: for the history query ([`super::sqlite`]).
pub(super) const VISIBLE_TO_USER: &str = "order_key > ifnull((SELECT cleared_seq FROM \
     user_conversations WHERE app = messages.app AND user_id = ?6 AND conv_type = 0 AND \
     conv_id = ?7), 0) AND NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.app = \
     messages.app AND h.user_id = ?6 AND h.message_id = messages.id)";

/// What a user deletes for themself on the server.
#[derive(Debug, Clone, Copy)]
pub enum Deletion<'a> {
    /// These messages of the conversation with `peer`.
    Messages { peer: &'a str, ids: &'a [u64] },
    /// All of the conversation with `peer` so far.
    Conversation { peer: &'a str },
}

/// The messages area's store operations.
pub trait MessageStore {
    /// The message with ID `id`, if it is stored.
    fn message(&mut self, app: u32, id: u64) -> StoreResult<Option<StoredMessage>>;
    /// The messages of `user`'s conversation with `peer` at these order keys that `user`
    /// can see, ascending.
    fn messages_at(
        &mut self,
        app: u32,
        user: &str,
        peer: &str,
        seqs: &[u64],
    ) -> StoreResult<Vec<StoredMessage>>;
    /// Stores `m`'s new type, payload, extended data and extension (a revoke, an edit, a
    /// receipt): everything else of a message is fixed.
    fn rewrite_message(&mut self, m: &StoredMessage) -> StoreResult<()>;
    /// `peer`'s messages to `reader` still waiting for their read receipt.
    fn pending_receipts(
        &mut self,
        app: u32,
        reader: &str,
        peer: &str,
    ) -> StoreResult<Vec<StoredMessage>>;
    /// Hides messages from `user` for good (their conversation is refreshed separately).
    fn delete_for(&mut self, app: u32, user: &str, what: Deletion<'_>) -> StoreResult<()>;
}

/// The extension's stored form.
pub(super) fn encode_ext(ext: &Option<MessageExt>) -> Option<Vec<u8>> {
    ext.as_ref().map(|e| {
        let mut out = Vec::new();
        e.encode(&mut out);
        out
    })
}

/// Reads a stored extension (NULL: none).
pub(super) fn decode_ext(blob: Option<Vec<u8>>) -> rusqlite::Result<Option<MessageExt>> {
    let Some(blob) = blob else { return Ok(None) };
    MessageExt::decode(&mut Reader::new(&blob))
        .map(Some)
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
        })
}

/// Stores a new message's extension (the append writes the rest; most messages have none).
pub(super) fn write_ext(c: &Connection, id: u64, ext: &Option<MessageExt>) -> StoreResult<()> {
    if let Some(e) = ext {
        c.prepare_cached("UPDATE messages SET receipt = ?1, ext = ?2 WHERE id = ?3")?
            .execute(params![e.receipt_status, encode_ext(ext), id as i64])?;
    }
    Ok(())
}

impl MessageStore for SqliteStore {
    fn message(&mut self, app: u32, id: u64) -> StoreResult<Option<StoredMessage>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?1 AND app = ?2"
            ))?
            .query_row(params![id as i64, app], message_from_row)
            .optional()?)
    }

    fn messages_at(
        &mut self,
        app: u32,
        user: &str,
        peer: &str,
        seqs: &[u64],
    ) -> StoreResult<Vec<StoredMessage>> {
        let (a, b) = sorted(user, peer);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE app = ?1 AND conv_a = ?2 AND \
             conv_b = ?3 AND order_key = ?4 AND message_type NOT IN (2, 20) \
             AND {VISIBLE_TO_USER}"
        ))?;
        let mut out = Vec::new();
        for &seq in seqs {
            let key = seq.min(i64::MAX as u64) as i64;
            if let Some(m) = stmt
                .query_row(params![app, a, b, key, 0, user, peer], message_from_row)
                .optional()?
            {
                out.push(m);
            }
        }
        out.sort_by_key(|m| m.order_key);
        out.dedup_by_key(|m| m.order_key);
        Ok(out)
    }

    fn rewrite_message(&mut self, m: &StoredMessage) -> StoreResult<()> {
        let receipt = m.ext.as_ref().map_or(0, |e| e.receipt_status);
        self.conn()
            .prepare_cached(
                "UPDATE messages SET message_type = ?1, payload = ?2, extended_data = ?3, \
                 receipt = ?4, ext = ?5 WHERE id = ?6",
            )?
            .execute(params![
                m.message_type,
                m.payload,
                m.extended_data,
                receipt,
                encode_ext(&m.ext),
                m.message_id as i64
            ])?;
        Ok(())
    }

    fn pending_receipts(
        &mut self,
        app: u32,
        reader: &str,
        peer: &str,
    ) -> StoreResult<Vec<StoredMessage>> {
        let (a, b) = sorted(reader, peer);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE app = ?1 AND conv_a = ?2 AND \
             conv_b = ?3 AND sender = ?4 AND receipt = 1 ORDER BY order_key"
        ))?;
        let rows = stmt.query_map(params![app, a, b, peer], message_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn delete_for(&mut self, app: u32, user: &str, what: Deletion<'_>) -> StoreResult<()> {
        // Reads `conversations` below: this batch's order keys go to the table first.
        self.flush_counters()?;
        let c = self.conn();
        match what {
            Deletion::Messages { peer, ids } => {
                let (a, b) = sorted(user, peer);
                let mut hide = c.prepare_cached(
                    "INSERT OR IGNORE INTO message_hidden (app, user_id, message_id) \
                     SELECT app, ?2, id FROM messages WHERE id = ?3 AND app = ?1 \
                     AND conv_a = ?4 AND conv_b = ?5",
                )?;
                for &id in ids {
                    hide.execute(params![app, user, id.min(i64::MAX as u64) as i64, a, b])?;
                }
            }
            Deletion::Conversation { peer } => {
                let (a, b) = sorted(user, peer);
                c.prepare_cached(
                    "UPDATE user_conversations SET cleared_seq = ifnull((SELECT last_order_key \
                     FROM conversations WHERE app = ?1 AND conv_a = ?4 AND conv_b = ?5), 0) \
                     WHERE app = ?1 AND user_id = ?2 AND conv_type = 0 AND conv_id = ?3",
                )?
                .execute(params![app, user, peer, a, b])?;
            }
        }
        Ok(())
    }
}
