//! Group messages: durable, in one order per group, written to each member's inbox.
//!
//! A group message is one row of `messages` (`conv_a` = the group ID, `conv_b` = `''`,
//! `conv_type` = 2), keyed by the same idempotency key as a peer message, at the next
//! position of the group's timeline (`groups.last_seq`, which also marks where members join
//! and leave: [`super::groups`]). At send time every member but the sender gets an inbox
//! entry pointing at it, in the same transaction ("fan-out on write"). So a member's live
//! push, offline catch-up, acknowledgement and de-duplication are exactly the peer path's,
//! and all members see the group's messages in the timeline's order. What it costs per
//! member (an inbox row and a conversation upsert) is in docs/protocol.md, "Group messages".
//!
//! A member who leaves or is kicked gets no entries after that point (they are no longer in
//! `group_members` when later messages are fanned out) and keeps the history of their
//! membership: [`GroupMessageStore::group_history`] reads the timeline between the
//! position they joined at and the one they left at.

use std::sync::Arc;

use rusqlite::{params, OptionalExtension};
use tinyim_protocol::conversation_type;

use super::sqlite::{
    message_from_row, SqliteStore, INSERT_INBOX, MESSAGE_COLUMNS, SELECT_BY_IDEMPOTENCY_KEY,
};
use super::{NewPeerMessage, StoreResult, StoredMessage};

/// What appending a group message did.
#[derive(Debug, Clone)]
pub enum GroupAppend {
    /// Stored now: each recipient member with their inbox sequence.
    Stored {
        message: Arc<StoredMessage>,
        deliveries: Vec<(String, u64)>,
    },
    /// The idempotency key was known: the stored original, nothing delivered again.
    Duplicate(Arc<StoredMessage>),
    /// Its `prev_client_message_id` is not stored (sender order, as for peers).
    PredecessorMissing,
}

/// The area's SQLite schema: who has read which group message sent with a receipt.
pub(super) const SQLITE_MIGRATIONS: &[&str] = &[r#"
CREATE TABLE group_receipts (
    app        INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    user_id    TEXT    NOT NULL,
    PRIMARY KEY (app, message_id, user_id)
) WITHOUT ROWID;
"#];

/// The group-message operations every backend implements.
pub trait GroupMessageStore {
    /// Appends `m` (its `recipient` is the group) at timeline position `order_key`, with an
    /// inbox entry for each of `members` but the sender, and updates their conversations.
    /// The caller has checked the sender's right to send and moves the group's
    /// `last_seq` to `order_key` only if this returns [`GroupAppend::Stored`].
    fn append_group_message(
        &mut self,
        m: NewPeerMessage,
        order_key: u64,
        members: &[String],
    ) -> StoreResult<GroupAppend>;

    /// A page of `group`'s history as `user` may see it: the messages of their membership
    /// (after the position they joined at; up to the one they left at, if they left).
    /// `None`: the user has never been a member. Paging as in [`super::Store::history`].
    fn group_history(
        &mut self,
        app: u32,
        user: &str,
        group: &str,
        anchor: u64,
        count: u32,
        older: bool,
    ) -> StoreResult<Option<Vec<StoredMessage>>>;

    /// Records that `user` has read group message `message_id`; `false` if they had.
    fn read_group_message(&mut self, app: u32, message_id: u64, user: &str) -> StoreResult<bool>;

    /// Who has read group message `message_id` (sorted by user ID).
    fn group_message_readers(&mut self, app: u32, message_id: u64) -> StoreResult<Vec<String>>;
}

impl GroupMessageStore for SqliteStore {
    fn append_group_message(
        &mut self,
        m: NewPeerMessage,
        order_key: u64,
        members: &[String],
    ) -> StoreResult<GroupAppend> {
        if m.prev_client_message_id != 0
            && !self.is_stored(m.app, &m.sender, m.prev_client_message_id)?
            && !self.is_stored(m.app, &m.sender, m.client_message_id)?
        {
            return Ok(GroupAppend::PredecessorMissing);
        }
        let inserted = self
            .conn()
            .prepare_cached(
                "INSERT INTO messages (id, app, sender, recipient, conv_a, conv_b, order_key, \
                 client_message_id, message_type, priority, payload, extended_data, timestamp, \
                 conv_type) VALUES (?1, ?2, ?3, ?4, ?4, '', ?5, ?6, ?7, ?8, ?9, ?10, ?11, 2) \
                 ON CONFLICT (app, sender, client_message_id) DO NOTHING",
            )?
            .execute(params![
                m.message_id as i64,
                m.app,
                m.sender,
                m.recipient,
                order_key as i64,
                m.client_message_id as i64,
                m.message_type,
                m.priority,
                m.payload,
                m.extended_data,
                m.timestamp as i64,
            ])?;
        if inserted == 0 {
            let original = self
                .conn()
                .prepare_cached(SELECT_BY_IDEMPOTENCY_KEY)?
                .query_row(
                    params![m.app, m.sender, m.client_message_id as i64],
                    message_from_row,
                )?;
            return Ok(GroupAppend::Duplicate(Arc::new(original)));
        }
        let mut deliveries = Vec::with_capacity(members.len());
        for member in members.iter().filter(|u| **u != m.sender) {
            let seq = self.next_inbox_seq(m.app, member)?;
            self.conn().prepare_cached(INSERT_INBOX)?.execute(params![
                m.app,
                member,
                seq as i64,
                m.message_id as i64
            ])?;
            deliveries.push((member.clone(), seq));
        }
        super::conversations::on_group_message(self.conn(), &m, members)?;
        let mut stored = m.into_stored(order_key);
        stored.conversation_type = conversation_type::GROUP;
        Ok(GroupAppend::Stored {
            message: Arc::new(stored),
            deliveries,
        })
    }

    fn group_history(
        &mut self,
        app: u32,
        user: &str,
        group: &str,
        anchor: u64,
        count: u32,
        older: bool,
    ) -> StoreResult<Option<Vec<StoredMessage>>> {
        // The membership whose messages the user sees: the current one, else the last.
        let span: Option<(i64, i64)> = self
            .conn()
            .prepare_cached(
                "SELECT joined_seq, 9223372036854775807 FROM group_members \
                 WHERE app = ?1 AND group_id = ?2 AND user_id = ?3",
            )?
            .query_row(params![app, group, user], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let span = match span {
            Some(s) => Some(s),
            None => self
                .conn()
                .prepare_cached(
                    "SELECT joined_seq, left_seq FROM group_member_spans WHERE app = ?1 \
                     AND group_id = ?2 AND user_id = ?3 ORDER BY joined_seq DESC LIMIT 1",
                )?
                .query_row(params![app, group, user], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
        };
        let Some((from, to)) = span else {
            return Ok(None);
        };
        let anchor = anchor.min(i64::MAX as u64) as i64;
        // As for peers, history leaves the signals out (command and barrage messages).
        let sql = if older {
            format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE app = ?1 AND conv_a = ?2 \
                 AND conv_b = '' AND order_key > ?3 AND order_key <= ?4 \
                 AND (?5 = 0 OR order_key < ?5) AND message_type NOT IN (2, 20) \
                 ORDER BY order_key DESC LIMIT ?6"
            )
        } else {
            format!(
                "SELECT {MESSAGE_COLUMNS} FROM messages WHERE app = ?1 AND conv_a = ?2 \
                 AND conv_b = '' AND order_key > ?3 AND order_key <= ?4 AND order_key > ?5 \
                 AND message_type NOT IN (2, 20) ORDER BY order_key ASC LIMIT ?6"
            )
        };
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![app, group, from, to, anchor, count],
            message_from_row,
        )?;
        Ok(Some(rows.collect::<Result<_, _>>()?))
    }

    fn read_group_message(&mut self, app: u32, message_id: u64, user: &str) -> StoreResult<bool> {
        let n = self
            .conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO group_receipts (app, message_id, user_id) \
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![app, message_id as i64, user])?;
        Ok(n == 1)
    }

    fn group_message_readers(&mut self, app: u32, message_id: u64) -> StoreResult<Vec<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT user_id FROM group_receipts WHERE app = ?1 AND message_id = ?2 \
             ORDER BY user_id",
        )?;
        let rows = stmt.query_map(params![app, message_id as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
