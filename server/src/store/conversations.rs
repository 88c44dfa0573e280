//! Conversations: each user's list of chats, kept by the server (the source of truth, so
//! a second device and a reinstall see the same list), and the notices in users' inboxes
//! (docs/areas/conversations.md).
//!
//! A row of `user_conversations` per (user, conversation) holds what ZIM's
//! `ZIMConversation` shows besides the message: the last message (by ID), the unread count
//! and how far the user has read, pin, do-not-disturb, draft, marks, and "deleted" (hidden
//! until the next message). Every chat message (text, custom) updates the rows of both
//! users in the transaction that stores it ([`on_peer_message`]): one upsert per
//! participant, a cached prepared statement, keyed by the row's primary key.
//!
//! Notices (`inbox_notices`) are inbox entries that are not messages: the same sequence as
//! the user's messages ([`super::sqlite::NEXT_INBOX_SEQ`]), pushed and acknowledged the
//! same way, so a revoke, an edit, a receipt or a change to the user's conversations
//! reaches them once and in order, also when they were offline.

use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension};
use tinyim_protocol::areas::Conversation;
use tinyim_protocol::rpc::Notify;
use tinyim_protocol::{conversation_type, message_type, List};

use super::messages::MessageStore;
use super::sqlite::{sorted, SqliteStore, NEXT_INBOX_SEQ};
use super::{InboxEntry, InboxItem, NewPeerMessage, StoreResult, StoredMessage};

/// The area's SQLite schema, applied in order.
pub(super) const SQLITE_MIGRATIONS: &[&str] = &[r#"
CREATE TABLE user_conversations (
    app             INTEGER NOT NULL,
    user_id         TEXT    NOT NULL,
    conv_type       INTEGER NOT NULL,
    conv_id         TEXT    NOT NULL,
    last_message_id INTEGER NOT NULL DEFAULT 0,
    order_key       INTEGER NOT NULL DEFAULT 0,
    unread          INTEGER NOT NULL DEFAULT 0,
    read_seq        INTEGER NOT NULL DEFAULT 0,
    cleared_seq     INTEGER NOT NULL DEFAULT 0,
    pinned_time     INTEGER NOT NULL DEFAULT 0,
    notification    INTEGER NOT NULL DEFAULT 1,
    draft           TEXT    NOT NULL DEFAULT '',
    marks           TEXT    NOT NULL DEFAULT '',
    deleted         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (app, user_id, conv_type, conv_id)
) WITHOUT ROWID;
CREATE TABLE inbox_notices (
    app     INTEGER NOT NULL,
    user_id TEXT    NOT NULL,
    seq     INTEGER NOT NULL,
    notice  INTEGER NOT NULL,
    body    BLOB    NOT NULL,
    PRIMARY KEY (app, user_id, seq)
) WITHOUT ROWID;
"#];

/// Most conversations pushed at login (the newest; older ones are listed by paging).
pub const MAX_SYNC: usize = 1000;

/// One row, with its last message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredConversation {
    pub conv_type: u8,
    pub conv_id: String,
    /// A peer's user name (their profile), if they have one.
    pub name: String,
    pub last_message_id: u64,
    pub order_key: u64,
    pub unread: u32,
    pub read_seq: u64,
    pub pinned_time: u64,
    pub notification: u8,
    pub draft: String,
    pub marks: Vec<u32>,
    pub last: Option<StoredMessage>,
}

impl StoredConversation {
    /// ZIM's `ZIMConversation` as its owner sees it.
    pub fn view(&self, owner: &str) -> Conversation {
        Conversation {
            conversation_id: self.conv_id.clone(),
            conversation_type: self.conv_type,
            conversation_name: self.name.clone(),
            notification_status: self.notification,
            unread_message_count: self.unread,
            read_message_seq: self.read_seq,
            last_message: self.last.as_ref().map(|m| m.view_for(owner)),
            order_key: self.order_key,
            is_pinned: self.pinned_time > 0,
            pinned_time: self.pinned_time,
            draft: self.draft.clone(),
            marks: List(self.marks.clone()),
            ..Conversation::default()
        }
    }

    /// Rough encoded size, to keep sync frames under the server frame limit.
    pub fn wire_size(&self) -> usize {
        self.last.as_ref().map_or(0, StoredMessage::wire_size) + self.draft.len() + 96
    }
}

/// A place in the list order: pinned first, then newest first (by `order_key`), then by
/// type and ID (so the order is total and a page anchor is exact).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPosition {
    pub pinned: bool,
    pub order_key: u64,
    pub conv_type: u8,
    pub conv_id: String,
}

/// A change the owner makes to one conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversationChange {
    /// Pin (at this time, Unix ms; a pinned one keeps its time) or unpin.
    Pinned(bool, u64),
    /// ZIM's notification status: 1 notify, 2 do not disturb.
    Notification(u8),
    Draft(String),
    /// Add or remove one mark.
    Mark(u32, bool),
    /// Read everything so far.
    ClearUnread,
    /// Hide it until the next message; unread, pin, draft and marks start afresh then (the
    /// notification status stays: it is the user's choice for that peer).
    Delete,
}

/// The conversations area's store operations.
pub trait ConversationStore {
    /// `user`'s conversations that `keep` keeps, in list order, after `after` (if given), at
    /// most `limit`.
    fn conversations(
        &mut self,
        app: u32,
        user: &str,
        after: Option<&ListPosition>,
        limit: usize,
        keep: &mut dyn FnMut(&StoredConversation) -> bool,
    ) -> StoreResult<Vec<StoredConversation>>;
    /// One conversation (`None` if there is none, or it is deleted).
    fn conversation(
        &mut self,
        app: u32,
        user: &str,
        conv_type: u8,
        conv_id: &str,
    ) -> StoreResult<Option<StoredConversation>>;
    /// Applies `change` and returns the conversation as it is then (`None`: no such
    /// conversation).
    fn change_conversation(
        &mut self,
        app: u32,
        user: &str,
        conv_type: u8,
        conv_id: &str,
        change: &ConversationChange,
    ) -> StoreResult<Option<StoredConversation>>;
    /// Recomputes the last message and the unread count from the messages (after some
    /// were revoked, edited or deleted) and returns the conversation.
    fn refresh_conversation(
        &mut self,
        app: u32,
        user: &str,
        conv_type: u8,
        conv_id: &str,
    ) -> StoreResult<Option<StoredConversation>>;
    /// Appends `notice` to `user`'s inbox; returns its sequence.
    fn append_notice(&mut self, app: u32, user: &str, notice: &Notify) -> StoreResult<u64>;
}

/// A chat message's share of the conversations, in its append's transaction: the message's
/// extension, then both users' rows (the recipient's unread count goes up). Signals
/// (command, barrage) have no conversation.
pub(super) fn on_peer_message(c: &Connection, m: &NewPeerMessage) -> StoreResult<()> {
    super::messages::write_ext(c, m.message_id, &m.ext)?;
    if !message_type::is_chat(m.message_type) {
        return Ok(());
    }
    let mut upsert = c.prepare_cached(
        "INSERT INTO user_conversations (app, user_id, conv_type, conv_id, last_message_id, \
         order_key, unread) VALUES (?1, ?2, 0, ?3, ?4, ?4, ?5) \
         ON CONFLICT (app, user_id, conv_type, conv_id) DO UPDATE SET \
         last_message_id = max(last_message_id, excluded.last_message_id), \
         order_key = max(order_key, excluded.order_key), \
         unread = unread + excluded.unread, deleted = 0",
    )?;
    let id = m.message_id as i64;
    upsert.execute(params![m.app, m.sender, m.recipient, id, 0])?;
    upsert.execute(params![m.app, m.recipient, m.sender, id, 1])?;
    Ok(())
}

/// Adds the notices among `user`'s inbox entries after `after` to `entries` (their
/// messages, ascending), keeping the first `limit` of all in sequence order.
pub(super) fn merge_notices(
    c: &Connection,
    app: u32,
    user: &str,
    after: u64,
    limit: u32,
    entries: &mut Vec<InboxEntry>,
) -> StoreResult<()> {
    let mut stmt = c.prepare_cached(
        "SELECT seq, notice, body FROM inbox_notices WHERE app = ?1 AND user_id = ?2 \
         AND seq > ?3 ORDER BY seq LIMIT ?4",
    )?;
    let after = after.min(i64::MAX as u64) as i64;
    let notices = stmt.query_map(params![app, user, after, limit], |r| {
        Ok(InboxEntry {
            seq: r.get::<_, i64>(0)? as u64,
            item: InboxItem::Notice(Arc::new(Notify {
                notice: r.get(1)?,
                body: r.get(2)?,
            })),
        })
    })?;
    let mut any = false;
    for n in notices {
        entries.push(n?);
        any = true;
    }
    if any {
        entries.sort_by_key(|e| e.seq);
        entries.truncate(limit as usize);
    }
    Ok(())
}

const CONVERSATION_COLUMNS: &str = "c.conv_type, c.conv_id, ifnull(p.user_name, ''), \
     c.last_message_id, c.order_key, c.unread, c.read_seq, c.pinned_time, c.notification, \
     c.draft, c.marks FROM user_conversations c LEFT JOIN user_profiles p ON p.app = c.app \
     AND p.user_id = c.conv_id AND c.conv_type = 0";

fn conversation_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredConversation> {
    let marks: String = r.get(10)?;
    Ok(StoredConversation {
        conv_type: r.get(0)?,
        conv_id: r.get(1)?,
        name: r.get(2)?,
        last_message_id: r.get::<_, i64>(3)? as u64,
        order_key: r.get::<_, i64>(4)? as u64,
        unread: r.get(5)?,
        read_seq: r.get::<_, i64>(6)? as u64,
        pinned_time: r.get::<_, i64>(7)? as u64,
        notification: r.get(8)?,
        draft: r.get(9)?,
        marks: marks.split(',').filter_map(|m| m.parse().ok()).collect(),
        last: None,
    })
}

impl SqliteStore {
    /// Fills in the last messages.
    fn with_last(
        &mut self,
        app: u32,
        mut rows: Vec<StoredConversation>,
    ) -> StoreResult<Vec<StoredConversation>> {
        for row in &mut rows {
            if row.last_message_id != 0 {
                row.last = self.message(app, row.last_message_id)?;
            }
        }
        Ok(rows)
    }

    /// The last order key of a peer conversation (0: no message yet).
    fn last_order_key(&self, app: u32, user: &str, peer: &str) -> StoreResult<i64> {
        let (a, b) = sorted(user, peer);
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT last_order_key FROM conversations WHERE app = ?1 AND conv_a = ?2 \
                 AND conv_b = ?3",
            )?
            .query_row(params![app, a, b], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }
}

impl ConversationStore for SqliteStore {
    fn conversations(
        &mut self,
        app: u32,
        user: &str,
        after: Option<&ListPosition>,
        limit: usize,
        keep: &mut dyn FnMut(&StoredConversation) -> bool,
    ) -> StoreResult<Vec<StoredConversation>> {
        let at = after.cloned().unwrap_or_default();
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {CONVERSATION_COLUMNS} WHERE c.app = ?1 AND c.user_id = ?2 AND c.deleted = 0 \
             AND (?3 = 0 OR ((c.pinned_time > 0), c.order_key, c.conv_type, c.conv_id) \
             < (?4, ?5, ?6, ?7)) ORDER BY (c.pinned_time > 0) DESC, c.order_key DESC, \
             c.conv_type DESC, c.conv_id DESC"
        ))?;
        let mut rows = stmt.query(params![
            app,
            user,
            after.is_some(),
            at.pinned,
            at.order_key.min(i64::MAX as u64) as i64,
            at.conv_type,
            at.conv_id
        ])?;
        let mut out = Vec::new();
        while out.len() < limit {
            let Some(row) = rows.next()? else { break };
            let c = conversation_from_row(row)?;
            if keep(&c) {
                out.push(c);
            }
        }
        drop(rows);
        drop(stmt);
        self.with_last(app, out)
    }

    fn conversation(
        &mut self,
        app: u32,
        user: &str,
        conv_type: u8,
        conv_id: &str,
    ) -> StoreResult<Option<StoredConversation>> {
        let row = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {CONVERSATION_COLUMNS} WHERE c.app = ?1 AND c.user_id = ?2 AND \
                 c.conv_type = ?3 AND c.conv_id = ?4 AND c.deleted = 0"
            ))?
            .query_row(
                params![app, user, conv_type, conv_id],
                conversation_from_row,
            )
            .optional()?;
        Ok(self.with_last(app, row.into_iter().collect())?.pop())
    }

    fn change_conversation(
        &mut self,
        app: u32,
        user: &str,
        conv_type: u8,
        conv_id: &str,
        change: &ConversationChange,
    ) -> StoreResult<Option<StoredConversation>> {
        let Some(current) = self.conversation(app, user, conv_type, conv_id)? else {
            return Ok(None);
        };
        let read_through = || -> StoreResult<i64> {
            match conv_type {
                conversation_type::PEER => self.last_order_key(app, user, conv_id),
                _ => Ok(current.read_seq as i64),
            }
        };
        let key = "WHERE app = ?1 AND user_id = ?2 AND conv_type = ?3 AND conv_id = ?4";
        let (set, value): (&str, rusqlite::types::Value) = match change {
            ConversationChange::Pinned(true, now) if current.pinned_time == 0 => {
                ("pinned_time = ?5", (*now as i64).into())
            }
            ConversationChange::Pinned(true, _) => return Ok(Some(current)),
            ConversationChange::Pinned(false, _) => ("pinned_time = ?5", 0i64.into()),
            ConversationChange::Notification(n) => ("notification = ?5", i64::from(*n).into()),
            ConversationChange::Draft(d) => ("draft = ?5", d.clone().into()),
            ConversationChange::Mark(mark, enable) => {
                let mut marks = current.marks.clone();
                marks.retain(|m| m != mark);
                if *enable {
                    marks.push(*mark);
                    marks.sort_unstable();
                }
                let text: Vec<String> = marks.iter().map(u32::to_string).collect();
                ("marks = ?5", text.join(",").into())
            }
            ConversationChange::ClearUnread => (
                "unread = 0, read_seq = max(read_seq, ?5)",
                read_through()?.into(),
            ),
            ConversationChange::Delete => (
                "deleted = 1, unread = 0, read_seq = max(read_seq, ?5), pinned_time = 0, \
                 draft = '', marks = ''",
                read_through()?.into(),
            ),
        };
        self.conn()
            .prepare_cached(&format!("UPDATE user_conversations SET {set} {key}"))?
            .execute(params![app, user, conv_type, conv_id, value])?;
        if *change == ConversationChange::Delete {
            return Ok(Some(current));
        }
        self.conversation(app, user, conv_type, conv_id)
    }

    fn refresh_conversation(
        &mut self,
        app: u32,
        user: &str,
        conv_type: u8,
        conv_id: &str,
    ) -> StoreResult<Option<StoredConversation>> {
        if conv_type != conversation_type::PEER {
            return self.conversation(app, user, conv_type, conv_id);
        }
        let (a, b) = sorted(user, conv_id);
        let visible = super::messages::VISIBLE_TO_USER;
        let c = self.conn();
        let (cleared, read_seq): (i64, i64) = match c
            .prepare_cached(
                "SELECT cleared_seq, read_seq FROM user_conversations WHERE app = ?1 AND \
                 user_id = ?2 AND conv_type = 0 AND conv_id = ?3",
            )?
            .query_row(params![app, user, conv_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
        {
            Some(row) => row,
            None => return Ok(None),
        };
        let last: i64 = c
            .prepare_cached(&format!(
                "SELECT id FROM messages WHERE app = ?1 AND conv_a = ?2 AND conv_b = ?3 \
                 AND message_type IN (1, 31, 200) AND {visible} \
                 ORDER BY order_key DESC LIMIT 1"
            ))?
            .query_row(params![app, a, b, 0, 0, user, conv_id], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let unread: i64 = c
            .prepare_cached(&format!(
                "SELECT count(*) FROM messages WHERE app = ?1 AND conv_a = ?2 AND conv_b = ?3 \
                 AND sender = ?7 AND message_type IN (1, 200) AND order_key > ?4 AND {visible}"
            ))?
            .query_row(
                params![app, a, b, read_seq.max(cleared), 0, user, conv_id],
                |r| r.get(0),
            )?;
        c.prepare_cached(
            "UPDATE user_conversations SET last_message_id = ?4, unread = ?5, \
             read_seq = max(read_seq, cleared_seq) WHERE app = ?1 AND user_id = ?2 AND \
             conv_type = 0 AND conv_id = ?3",
        )?
        .execute(params![app, user, conv_id, last, unread])?;
        self.conversation(app, user, conv_type, conv_id)
    }

    fn append_notice(&mut self, app: u32, user: &str, notice: &Notify) -> StoreResult<u64> {
        let c = self.conn();
        let seq: i64 = c
            .prepare_cached(NEXT_INBOX_SEQ)?
            .query_row(params![app, user], |r| r.get(0))?;
        c.prepare_cached(
            "INSERT INTO inbox_notices (app, user_id, seq, notice, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![app, user, seq, notice.notice, notice.body])?;
        Ok(seq as u64)
    }
}
