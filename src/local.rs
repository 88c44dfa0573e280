//! The local message store: what ZIM keeps in its on-device database and the server does
//! not know (docs/areas/messages.md, "The local store").
//!
//! - messages the app inserted (`insertMessageToLocalDB`), shown in that conversation's
//!   history among the server's messages;
//! - `localExtendedData` of any message (`updateMessageLocalExtendedData`);
//! - what was deleted on this device only (`isAlsoDeleteServerMessage` /
//!   `isAlsoDeleteServerConversation` false): messages by ID, a conversation's messages up to
//!   a message ID, all messages up to one; conversations hidden until a newer message.
//!
//! It lives in memory, and the host keeps its encoding ([`LocalState`], at most
//! [`MAX_LOCAL_BYTES`]) in `wx` storage per user (`Output::SaveLocal`), so it survives a
//! restart of the mini program as ZIM's database does. Beyond the bound the oldest
//! inserted messages go first, then the oldest extended data, then the oldest deletions.

use tinyim_protocol::areas::{LocalExtended, LocalMark, LocalState};
use tinyim_protocol::codec::{Reader, Wire};
use tinyim_protocol::{HistoryQuery, List, Message};

/// The most bytes the store's encoding takes.
pub(crate) const MAX_LOCAL_BYTES: usize = 256 * 1024;

/// One user's local store.
#[derive(Debug, Default)]
pub(crate) struct Local {
    user: String,
    state: LocalState,
}

fn size<T: Wire>(v: &T) -> usize {
    let mut out = Vec::new();
    v.encode(&mut out);
    out.len()
}

fn mark<'a>(marks: &'a [LocalMark], kind: u8, id: &str) -> Option<&'a LocalMark> {
    marks
        .iter()
        .find(|m| m.conversation_type == kind && m.conversation_id == id)
}

fn set_mark(marks: &mut List<LocalMark>, kind: u8, id: &str, through: u64) {
    marks
        .0
        .retain(|m| !(m.conversation_type == kind && m.conversation_id == id));
    marks.0.push(LocalMark {
        conversation_type: kind,
        conversation_id: id.into(),
        through,
    });
}

impl Local {
    /// The store kept for `user` (from the host's storage); unreadable bytes start empty.
    pub(crate) fn restore(&mut self, user: &str, bytes: &[u8]) {
        self.user = user.into();
        self.state = LocalState::decode(&mut Reader::new(bytes)).unwrap_or_default();
    }

    /// Logging in as `user`: another user's store is not theirs.
    pub(crate) fn use_user(&mut self, user: &str) {
        if self.user != user {
            self.restore(user, &[]);
        }
    }

    /// Its encoding, for the host to keep.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.state.encode(&mut out);
        out
    }

    /// The `localExtendedData` of the message with key `key` (ID, or local ID).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn extended(&self, key: u64) -> &str {
        self.state
            .extended
            .iter()
            .find(|e| e.key == key)
            .map_or("", |e| e.data.as_str())
    }

    /// `m` is one the app inserted.
    pub(crate) fn inserted(&self, m: &Message) -> bool {
        self.state
            .inserted
            .iter()
            .any(|i| i.message_id == m.message_id)
    }

    /// `m` was deleted on this device.
    pub(crate) fn message_hidden(&self, m: &Message) -> bool {
        let s = &self.state;
        m.message_id <= s.cleared_all
            || s.hidden_messages.contains(&m.message_id)
            || mark(&s.cleared, m.conversation_type, &m.conversation_id)
                .is_some_and(|c| m.message_id <= c.through)
    }

    /// Conversation `(kind, id, newest message ID)` was deleted on this device, and no newer
    /// message came since.
    pub(crate) fn conversation_hidden(&self, (kind, id, last): (u8, &str, u64)) -> bool {
        let s = &self.state;
        (s.hidden_all != 0 && last <= s.hidden_all)
            || mark(&s.hidden_conversations, kind, id).is_some_and(|h| last <= h.through)
    }

    pub(crate) fn insert(&mut self, m: Message) {
        self.state.inserted.0.push(m);
        self.bound();
    }

    pub(crate) fn set_extended(&mut self, key: u64, data: String) {
        self.state.extended.0.retain(|e| e.key != key);
        if !data.is_empty() {
            self.state.extended.0.push(LocalExtended { key, data });
        }
        self.bound();
    }

    /// Deletes these messages on this device (inserted ones for good).
    pub(crate) fn hide_messages(&mut self, ids: &[u64]) {
        let s = &mut self.state;
        s.inserted.0.retain(|m| !ids.contains(&m.message_id));
        for &id in ids {
            if !s.hidden_messages.contains(&id) {
                s.hidden_messages.0.push(id);
            }
        }
        self.bound();
    }

    /// Deletes a conversation's messages up to message `through` on this device (`id` ""
    /// with kind 255: every conversation's).
    pub(crate) fn clear(&mut self, kind: u8, id: &str, through: u64) {
        let s = &mut self.state;
        if kind == u8::MAX {
            s.cleared_all = s.cleared_all.max(through);
            s.inserted.0.clear();
        } else {
            set_mark(&mut s.cleared, kind, id, through);
            s.inserted
                .0
                .retain(|m| !(m.conversation_type == kind && m.conversation_id == id));
        }
        self.bound();
    }

    /// Hides a conversation on this device until a message after `through` (kind 255: all).
    pub(crate) fn hide_conversation(&mut self, kind: u8, id: &str, through: u64) {
        let s = &mut self.state;
        if kind == u8::MAX {
            s.hidden_all = s.hidden_all.max(through);
        } else {
            set_mark(&mut s.hidden_conversations, kind, id, through);
        }
        self.bound();
    }

    /// A history page from the server for query `q` (ascending), as this device shows it:
    /// less what it deleted, with the inserted messages of the conversation that fall in
    /// the page (each sits right after the server message it was inserted behind, its
    /// `order_key`, so pages anchored on server messages neither miss nor repeat one).
    pub(crate) fn history(&self, q: &HistoryQuery, messages: &mut Vec<Message>) {
        let full = messages.len() >= q.count as usize;
        let (first, last) = (
            messages.first().map_or(0, |m| m.order_key),
            messages.last().map_or(u64::MAX, |m| m.order_key),
        );
        messages.retain(|m| !self.message_hidden(m));
        let anchor = q.anchor_order_key;
        for m in self.state.inserted.iter() {
            if m.conversation_type != q.conversation_type || m.conversation_id != q.conversation_id
            {
                continue;
            }
            let k = m.order_key;
            let inside = if q.reverse {
                (!full || k >= first) && (anchor == 0 || k < anchor)
            } else {
                k >= anchor && (!full || k < last)
            };
            if inside {
                messages.push(m.clone());
            }
        }
        // Inserted ones sort after the server message they follow. (An insertion sort: pages
        // are at most 100, and the library's sorts cost kilobytes of wasm.)
        let key = |m: &Message| (m.order_key, self.inserted(m), m.timestamp);
        for i in 1..messages.len() {
            let mut j = i;
            while j > 0 && key(&messages[j - 1]) > key(&messages[j]) {
                messages.swap(j - 1, j);
                j -= 1;
            }
        }
    }

    /// Keeps the encoding within [`MAX_LOCAL_BYTES`], dropping the oldest inserted
    /// messages first, then the oldest extended data. (Deletion marks are a few bytes each:
    /// they go only when nothing else is left.)
    fn bound(&mut self) {
        let s = &mut self.state;
        while size(s) > MAX_LOCAL_BYTES {
            if !s.inserted.is_empty() {
                s.inserted.0.remove(0);
            } else if !s.extended.is_empty() {
                s.extended.0.remove(0);
            } else if !s.hidden_messages.is_empty() {
                s.hidden_messages.0.remove(0);
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: u64, key: u64) -> Message {
        Message {
            message_id: id,
            conversation_id: "bob".into(),
            order_key: key,
            timestamp: id,
            ..Message::default()
        }
    }

    fn query(anchor: u64, count: u32, reverse: bool) -> HistoryQuery {
        HistoryQuery {
            conversation_type: 0,
            conversation_id: "bob".into(),
            anchor_order_key: anchor,
            count,
            reverse,
        }
    }

    fn keys(v: &[Message]) -> Vec<u64> {
        v.iter().map(|m| m.message_id).collect()
    }

    #[test]
    fn inserted_messages_appear_once_across_pages() {
        let mut l = Local::default();
        l.restore("me", &[]);
        l.insert(msg(1000, 2)); // after server message 2
        l.insert(msg(1001, 4)); // after the newest
                                // Paging back two at a time over server messages 1..=4 (IDs 11..14).
        let mut newest = vec![msg(13, 3), msg(14, 4)];
        l.history(&query(0, 2, true), &mut newest);
        assert_eq!(keys(&newest), [13, 14, 1001]);
        let mut older = vec![msg(11, 1), msg(12, 2)];
        l.history(&query(3, 2, true), &mut older);
        assert_eq!(keys(&older), [11, 12, 1000]);
        let mut none = vec![];
        l.history(&query(1, 2, true), &mut none);
        assert!(none.is_empty());
        // Deleted on this device: gone from the page; the bytes survive a restore.
        l.hide_messages(&[12, 1001]);
        let mut again = vec![msg(11, 1), msg(12, 2)];
        l.history(&query(3, 2, true), &mut again);
        assert_eq!(keys(&again), [11, 1000]);
        let kept = l.encode();
        let mut restored = Local::default();
        restored.restore("me", &kept);
        assert_eq!(restored.encode(), kept);
        restored.restore("me", &[0xff, 0xff]);
        assert_eq!(restored.encode(), Local::default().encode());
    }

    #[test]
    fn the_store_stays_within_its_bound() {
        let mut l = Local::default();
        for i in 0..100 {
            let mut m = msg(i, 1);
            m.payload = vec![b'x'; 8 * 1024];
            l.insert(m);
        }
        assert!(l.encode().len() <= MAX_LOCAL_BYTES);
        assert_eq!(
            l.state.inserted.last().unwrap().message_id,
            99,
            "the newest stay"
        );
    }
}
