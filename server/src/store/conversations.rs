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
//! the user's messages ([`SqliteStore::next_inbox_seq`]), pushed and acknowledged the
//! same way, so a revoke, an edit, a receipt or a change to the user's conversations
//! reaches them once and in order, also when they were offline.

use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension};
use tinyim_protocol::areas::Conversation;
use tinyim_protocol::rpc::Notify;
use tinyim_protocol::{conversation_type, message_type, List};

use super::messages::MessageStore;
use super::sqlite::{sorted, SqliteStore};
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
    // Both rows in one statement (one bytecode program run): the sender's, then the
    // recipient's with one more unread.
    c.prepare_cached(
        "INSERT INTO user_conversations (app, user_id, conv_type, conv_id, last_message_id, \
         order_key, unread) VALUES (?1, ?2, 0, ?3, ?4, ?4, 0), (?1, ?3, 0, ?2, ?4, ?4, 1) \
         ON CONFLICT (app, user_id, conv_type, conv_id) DO UPDATE SET \
         last_message_id = max(last_message_id, excluded.last_message_id), \
         order_key = max(order_key, excluded.order_key), \
         unread = unread + excluded.unread, deleted = 0",
    )?
    .execute(params![m.app, m.sender, m.recipient, m.message_id as i64])?;
    Ok(())
}

/// A group chat message's share of the conversations: its extension, then each member's
/// row of the group conversation (one more unread for all but the sender).
pub(super) fn on_group_message(
    c: &Connection,
    m: &NewPeerMessage,
    members: &[String],
) -> StoreResult<()> {
    super::messages::write_ext(c, m.message_id, &m.ext)?;
    if !message_type::is_chat(m.message_type) {
        return Ok(());
    }
    let mut upsert = c.prepare_cached(
        "INSERT INTO user_conversations (app, user_id, conv_type, conv_id, last_message_id, \
         order_key, unread) VALUES (?1, ?2, 2, ?3, ?4, ?4, ?5) \
         ON CONFLICT (app, user_id, conv_type, conv_id) DO UPDATE SET \
         last_message_id = max(last_message_id, excluded.last_message_id), \
         order_key = max(order_key, excluded.order_key), \
         unread = unread + excluded.unread, deleted = 0",
    )?;
    let unread = message_type::counts_unread(m.message_type);
    for member in members {
        let one = (unread && *member != m.sender) as i64;
        upsert.execute(params![
            m.app,
            member,
            m.recipient,
            m.message_id as i64,
            one
        ])?;
    }
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

const CONVERSATION_COLUMNS: &str = "c.conv_type, c.conv_id, \
     ifnull(p.user_name, ifnull(g.name, '')), \
     c.last_message_id, c.order_key, c.unread, c.read_seq, c.pinned_time, c.notification, \
     c.draft, c.marks FROM user_conversations c LEFT JOIN user_profiles p ON p.app = c.app \
     AND p.user_id = c.conv_id AND c.conv_type = 0 LEFT JOIN groups g ON g.app = c.app \
     AND g.group_id = c.conv_id AND c.conv_type = 2";

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

    /// The last order key of a peer conversation (0: no message yet), through the store's
    /// cached counters (this batch's messages are not in the table until the commit).
    fn peer_order_key(&mut self, app: u32, user: &str, peer: &str) -> StoreResult<i64> {
        let (a, b) = sorted(user, peer);
        Ok(self.last_order_key(app, a, b)? as i64)
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
        let mut read_through = || -> StoreResult<i64> {
            match conv_type {
                conversation_type::PEER => self.peer_order_key(app, user, conv_id),
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
                 AND message_type IN (1, 11, 12, 13, 14, 31, 200) AND {visible} \
                 ORDER BY order_key DESC LIMIT 1"
            ))?
            .query_row(params![app, a, b, 0, 0, user, conv_id], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let unread: i64 = c
            .prepare_cached(&format!(
                "SELECT count(*) FROM messages WHERE app = ?1 AND conv_a = ?2 AND conv_b = ?3 \
                 AND sender = ?7 AND message_type IN (1, 11, 12, 13, 14, 200) AND order_key > ?4 AND {visible}"
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
        let seq = self.next_inbox_seq(app, user)? as i64;
        self.conn()
            .prepare_cached(
            "INSERT INTO inbox_notices (app, user_id, seq, notice, body) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![app, user, seq, notice.notice, notice.body])?;
        Ok(seq as u64)
    }
}

/// The conversation and message store operations as any backend must do them: written
/// against `dyn Store`, run here on SQLite (a PostgreSQL backend runs the same).
#[cfg(test)]
pub(super) mod suite {
    use super::*;
    use crate::store::messages::Deletion;
    use crate::store::{Append, Store};
    use tinyim_protocol::MessageExt;

    fn msg(id: u64, from: &str, to: &str, kind: u8) -> NewPeerMessage {
        NewPeerMessage {
            message_id: id,
            app: 1,
            sender: from.into(),
            recipient: to.into(),
            client_message_id: id,
            prev_client_message_id: 0,
            message_type: kind,
            priority: 1,
            payload: format!("m{id}").into_bytes(),
            extended_data: String::new(),
            timestamp: id,
            ext: id.is_multiple_of(2).then(|| MessageExt {
                receipt_status: 1,
                ..MessageExt::default()
            }),
        }
    }

    fn append(s: &mut dyn Store, m: &NewPeerMessage) -> u64 {
        match s.append_peer_message(m.clone()).unwrap() {
            Append::Stored(p) => p.inbox_seq,
            other => panic!("{other:?}"),
        }
    }

    fn get(s: &mut dyn Store, user: &str, peer: &str) -> StoredConversation {
        s.conversation(1, user, 0, peer).unwrap().unwrap()
    }

    fn ids(list: &[StoredConversation]) -> Vec<&str> {
        list.iter().map(|c| c.conv_id.as_str()).collect()
    }

    /// Messages make both users' conversations; reads, pins, deletions change them.
    pub fn conversations_follow_messages(s: &mut dyn Store) {
        s.begin().unwrap();
        append(s, &msg(10, "a", "b", message_type::TEXT));
        append(s, &msg(11, "a", "b", message_type::TEXT));
        append(s, &msg(12, "c", "b", message_type::CUSTOM));
        append(s, &msg(13, "a", "b", message_type::COMMAND)); // a signal: no conversation
        let b_a = get(s, "b", "a");
        assert_eq!(
            (b_a.unread, b_a.last_message_id, b_a.order_key),
            (2, 11, 11)
        );
        assert_eq!(b_a.last.as_ref().unwrap().payload, b"m11");
        assert_eq!(
            get(s, "a", "b").unread,
            0,
            "the sender's own messages are not unread"
        );
        let all = s.conversations(1, "b", None, 10, &mut |_| true).unwrap();
        assert_eq!(ids(&all), ["c", "a"], "newest first");
        // Pinned first; paging goes on after the anchor.
        s.change_conversation(1, "b", 0, "a", &ConversationChange::Pinned(true, 5))
            .unwrap()
            .unwrap();
        let all = s.conversations(1, "b", None, 10, &mut |_| true).unwrap();
        assert_eq!(ids(&all), ["a", "c"]);
        let anchor = ListPosition {
            pinned: true,
            order_key: all[0].order_key,
            conv_type: 0,
            conv_id: "a".into(),
        };
        let rest = s
            .conversations(1, "b", Some(&anchor), 10, &mut |_| true)
            .unwrap();
        assert_eq!(ids(&rest), ["c"]);
        // Marks, draft, do not disturb.
        let c = ConversationChange::Mark(3, true);
        assert_eq!(
            s.change_conversation(1, "b", 0, "c", &c)
                .unwrap()
                .unwrap()
                .marks,
            [3]
        );
        let d = ConversationChange::Draft("hm".into());
        assert_eq!(
            s.change_conversation(1, "b", 0, "c", &d)
                .unwrap()
                .unwrap()
                .draft,
            "hm"
        );
        let n = ConversationChange::Notification(2);
        assert_eq!(
            s.change_conversation(1, "b", 0, "c", &n)
                .unwrap()
                .unwrap()
                .notification,
            2
        );
        assert!(s
            .change_conversation(1, "b", 0, "nobody", &n)
            .unwrap()
            .is_none());
        // Reading clears the count and records how far.
        let read = s
            .change_conversation(1, "b", 0, "a", &ConversationChange::ClearUnread)
            .unwrap()
            .unwrap();
        // (through the pair's last order key: the command message took 3)
        assert_eq!((read.unread, read.read_seq), (0, 3));
        append(s, &msg(14, "a", "b", message_type::TEXT));
        assert_eq!(get(s, "b", "a").unread, 1);
        // Deleted: gone from the list until the next message, which starts afresh.
        s.change_conversation(1, "b", 0, "a", &ConversationChange::Delete)
            .unwrap()
            .unwrap();
        assert!(s.conversation(1, "b", 0, "a").unwrap().is_none());
        assert_eq!(
            ids(&s.conversations(1, "b", None, 10, &mut |_| true).unwrap()),
            ["c"]
        );
        append(s, &msg(15, "a", "b", message_type::TEXT));
        let back = get(s, "b", "a");
        assert_eq!(
            (back.unread, back.pinned_time, back.last_message_id),
            (1, 0, 15)
        );
        s.commit().unwrap();
    }

    /// A revoke or a deletion recounts the unread messages and picks the last one again.
    pub fn changed_messages_refresh_the_conversation(s: &mut dyn Store) {
        s.begin().unwrap();
        for id in 20..24 {
            append(s, &msg(id, "x", "y", message_type::TEXT));
        }
        assert_eq!(get(s, "y", "x").unread, 4);
        // Revoked: no longer unread, still the last message.
        let mut m = s.message(1, 23).unwrap().unwrap();
        m.message_type = message_type::REVOKE;
        s.rewrite_message(&m).unwrap();
        let c = s.refresh_conversation(1, "y", 0, "x").unwrap().unwrap();
        assert_eq!((c.unread, c.last_message_id), (3, 23));
        assert_eq!(c.last.unwrap().message_type, message_type::REVOKE);
        // Deleted for y: the last is the one before, and x still sees it.
        s.delete_for(
            1,
            "y",
            Deletion::Messages {
                peer: "x",
                ids: &[23, 22],
            },
        )
        .unwrap();
        let c = s.refresh_conversation(1, "y", 0, "x").unwrap().unwrap();
        assert_eq!((c.unread, c.last_message_id), (2, 21));
        assert_eq!(s.messages_at(1, "y", "x", &[1, 3, 4]).unwrap().len(), 1);
        assert_eq!(s.messages_at(1, "x", "y", &[1, 3, 4]).unwrap().len(), 3);
        assert_eq!(s.history(1, "y", "x", 0, 10, true).unwrap().len(), 2);
        // All of it, for y.
        s.delete_for(1, "y", Deletion::Conversation { peer: "x" })
            .unwrap();
        let c = s.refresh_conversation(1, "y", 0, "x").unwrap().unwrap();
        assert_eq!((c.unread, c.last_message_id), (0, 0));
        assert!(s.history(1, "y", "x", 0, 10, true).unwrap().is_empty());
        assert_eq!(s.history(1, "x", "y", 0, 10, true).unwrap().len(), 4);
        // Receipts: the even IDs asked for one.
        let pending = s.pending_receipts(1, "y", "x").unwrap();
        assert_eq!(
            pending.iter().map(|m| m.message_id).collect::<Vec<_>>(),
            [20, 22]
        );
        s.commit().unwrap();
    }

    /// Notices share the inbox's sequence with messages and come back in order.
    pub fn notices_are_inbox_entries(s: &mut dyn Store) {
        s.begin().unwrap();
        let first = append(s, &msg(30, "p", "q", message_type::TEXT));
        let n = Notify {
            notice: 300,
            body: vec![1, 2, 3],
        };
        let seq = s.append_notice(1, "q", &n).unwrap();
        let last = append(s, &msg(31, "p", "q", message_type::TEXT));
        assert_eq!((first, seq, last), (1, 2, 3));
        let entries = s.inbox_after(1, "q", 0, 10).unwrap();
        let kinds: Vec<(u64, bool)> = entries
            .iter()
            .map(|e| (e.seq, matches!(e.item, InboxItem::Notice(_))))
            .collect();
        assert_eq!(kinds, [(1, false), (2, true), (3, false)]);
        let page = s.inbox_after(1, "q", 0, 2).unwrap();
        assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(s.inbox_after(1, "q", 2, 10).unwrap()[0].seq, 3);
        assert_eq!(s.user_state(1, "q").unwrap().inbox_seq, 3);
        s.commit().unwrap();
    }

    #[test]
    fn sqlite_passes_the_suite() {
        let dir = std::env::temp_dir().join(format!("tinyim-conv-suite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        let mut s = SqliteStore::open(&path).unwrap();
        conversations_follow_messages(&mut s);
        changed_messages_refresh_the_conversation(&mut s);
        notices_are_inbox_entries(&mut s);
        drop(s);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
