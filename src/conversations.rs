//! The session's conversation cache: what ZIM's conversation events need to say, kept from
//! the server's state without a second frame per message.
//!
//! At the first login of a session the client asks for its conversations
//! (`Login.sync_conversations`); the server pushes them (notice `conversationSync`) before
//! the inbox catch-up, read together with `LoginOk.inbox_seq`, so they already include every
//! inbox entry up to that sequence. From then on the cache follows the inbox alone, in its
//! order, which is the order the server changed things in:
//! - a chat message (text, custom) that arrives, or that this client sent (its `SendAck`):
//!   the conversation's last message, order key and (for the recipient) unread count, as
//!   the server's append did them ([`Conversations::on_messages`], [`Conversations::on_sent`]);
//! - a `conversationChanged` or `conversationsAllDeleted` notice: the server's snapshot
//!   after a change that no message implies (a read, a pin, a revoke, a deletion ...).
//!
//! Entries up to the sync's sequence are not applied again (the snapshot has them), and
//! their conversation notices are not shown: the sync's own `conversationChanged` said the
//! state they lead to. Each change is shown as ZIM's `conversationChanged` (event per
//! conversation: added, updated, deleted) and, when the total changes,
//! `conversationTotalUnreadMessageCountUpdated` (a do-not-disturb conversation keeps its
//! count but is left out of the total).
//!
//! Conversations are kept as the generic values the notices decode to (shape
//! [`tinyim_protocol::areas::Conversation`], fields by position: [`field`]), so the cache
//! needs no typed codec of its own in the wasm, and its events are those values as they are.

use crate::api::{Event, Value};
use tinyim_protocol::{conversation_type, message_type, Message};

/// The notices the cache raises and reads (their numbers in the protocol's table).
pub(crate) mod notice {
    pub(crate) const CHANGED: u16 = 200;
    pub(crate) const TOTAL: u16 = 201;
    pub(crate) const ALL_DELETED: u16 = 202;
    pub(crate) const SYNC_STATE: u16 = 203;
    pub(crate) const SYNC: u16 = 204;
}

/// Positions of `Conversation`'s fields (checked against its shape by a test).
pub(crate) mod field {
    pub(crate) const ID: usize = 0;
    pub(crate) const TYPE: usize = 1;
    pub(crate) const NOTIFICATION: usize = 5;
    pub(crate) const UNREAD: usize = 6;
    pub(crate) const LAST_MESSAGE: usize = 8;
    pub(crate) const ORDER_KEY: usize = 9;
    pub(crate) const COUNT: usize = 15;
}

/// ZIM's `ZIMConversationEvent`, `ZIMConversationSyncState`, notification status.
const ADDED: u64 = 0;
const UPDATED: u64 = 1;
const DELETED: u64 = 3;
const SYNC_STARTED: u64 = 0;
const SYNC_FINISHED: u64 = 1;
const DO_NOT_DISTURB: u64 = 2;

/// Field `i` of a conversation value (`Nil` if it has none).
pub(crate) fn get(c: &Value, i: usize) -> &Value {
    match c {
        Value::Struct(f) => f.get(i).unwrap_or(&Value::Nil),
        _ => &Value::Nil,
    }
}

fn num(c: &Value, i: usize) -> u64 {
    get(c, i).as_u64().unwrap_or(0)
}

fn set(c: &mut Value, i: usize, v: Value) {
    if let Value::Struct(f) = c {
        if let Some(slot) = f.get_mut(i) {
            *slot = v;
        }
    }
}

/// The conversation's last message, if it has one.
pub(crate) fn last_message(c: &Value) -> Option<&Message> {
    match get(c, field::LAST_MESSAGE) {
        Value::Message(m) => Some(m),
        _ => None,
    }
}

/// What the local store looks at: (type, ID, the newest message ID it shows).
pub(crate) fn identity(c: &Value) -> (u8, &str, u64) {
    let last = last_message(c).map_or(num(c, field::ORDER_KEY), |m| m.message_id);
    let id = get(c, field::ID).as_str().unwrap_or("");
    (num(c, field::TYPE) as u8, id, last)
}

fn same(c: &Value, kind: u8, id: &str) -> bool {
    let (k, i, _) = identity(c);
    k == kind && i == id
}

/// A notice event raised by the core.
fn event(notice: u16, fields: Vec<Value>) -> Event {
    Event::Notice {
        notice,
        value: Value::Struct(fields),
    }
}

/// `conversationChanged` for these (event, conversation) pairs.
fn changed(infos: Vec<(u64, Value)>) -> Event {
    let infos = infos
        .into_iter()
        .map(|(e, c)| Value::Struct(vec![Value::Uint(e), c]))
        .collect();
    event(notice::CHANGED, vec![Value::List(infos)])
}

/// A conversation that a message creates: nothing but its identity yet.
fn new_conversation(kind: u8, id: &str) -> Value {
    let mut f = vec![Value::Uint(0); field::COUNT];
    f[field::ID] = Value::Str(id.into());
    f[field::TYPE] = Value::Uint(u64::from(kind));
    for i in [2, 3, 4, 13] {
        f[i] = Value::Str(String::new()); // name, avatar, alias, draft
    }
    f[field::NOTIFICATION] = Value::Uint(1);
    f[field::LAST_MESSAGE] = Value::Nil;
    f[10] = Value::Bool(false); // is pinned
    f[12] = Value::List(Vec::new()); // mentions
    f[14] = Value::List(Vec::new()); // marks
    Value::Struct(f)
}

/// The cache of one session.
#[derive(Debug, Default)]
pub(crate) struct Conversations {
    list: Vec<Value>,
    /// The sync is done: later logins of the session need none.
    synced: bool,
    /// Pages of a sync being received.
    pages: Option<Vec<Value>>,
    /// Inbox entries up to this sequence are in the synced state.
    synced_through: u64,
    /// The total the app was last told.
    total: u64,
}

impl Conversations {
    /// The next login must ask for a sync.
    pub(crate) fn wants_sync(&self) -> bool {
        !self.synced
    }

    /// The session ended: forget everything.
    pub(crate) fn clear(&mut self) {
        *self = Conversations::default();
    }

    /// The conversation `id` of `kind`, if cached.
    pub(crate) fn get(&self, kind: u8, id: &str) -> Option<&Value> {
        self.list.iter().find(|c| same(c, kind, id))
    }

    /// The newest message ID the cache knows (0: none).
    pub(crate) fn newest_message(&self) -> u64 {
        self.list.iter().map(|c| identity(c).2).max().unwrap_or(0)
    }

    /// A login that asked for a sync succeeded: its pages follow, up to `inbox_seq`.
    pub(crate) fn start_sync(&mut self, inbox_seq: u64) -> Event {
        self.pages = Some(Vec::new());
        self.synced_through = inbox_seq;
        event(notice::SYNC_STATE, vec![Value::Uint(SYNC_STARTED)])
    }

    /// A notice from the server (from the inbox at `seq`, or live: 0), as the event it
    /// decoded to. Applies what it says to the cache; returns the events for the app (the
    /// notice itself unless the sync already showed its effect, and what follows from it).
    pub(crate) fn on_notice(
        &mut self,
        e: Event,
        seq: u64,
        hidden: &dyn Fn(&Value) -> bool,
    ) -> Vec<Event> {
        let Event::Notice { notice, value } = &e else {
            return vec![e];
        };
        let items = get(value, 0).items().to_vec();
        match *notice {
            notice::SYNC => return self.sync_page(items, get(value, 1), hidden),
            notice::CHANGED | notice::ALL_DELETED if seq != 0 && seq <= self.synced_through => {
                return Vec::new()
            }
            notice::CHANGED => {
                for info in &items {
                    let c = get(info, 1);
                    let (kind, id, _) = identity(c);
                    self.list.retain(|o| !same(o, kind, id));
                    if num(info, 0) != DELETED && !hidden(c) {
                        self.list.push(c.clone());
                    }
                }
            }
            notice::ALL_DELETED => self.list.clear(),
            _ => return vec![e],
        }
        let mut out = vec![e];
        out.extend(self.total_changed());
        out
    }

    /// A page of the sync; on the last, the cache becomes the synced list (less what
    /// `hidden` hides) and the app is told.
    fn sync_page(
        &mut self,
        items: Vec<Value>,
        done: &Value,
        hidden: &dyn Fn(&Value) -> bool,
    ) -> Vec<Event> {
        let Some(pages) = &mut self.pages else {
            return Vec::new();
        };
        pages.extend(items);
        if !matches!(done, Value::Bool(true)) {
            return Vec::new();
        }
        // A sync comes once per session, into an empty cache: every conversation is new.
        let mut new = self.pages.take().unwrap_or_default();
        new.retain(|c| !hidden(c));
        self.list = new;
        self.synced = true;
        let infos: Vec<(u64, Value)> = self.list.iter().map(|c| (ADDED, c.clone())).collect();
        let mut out = Vec::new();
        if !infos.is_empty() {
            out.push(changed(infos));
        }
        self.total = u64::MAX; // always tell the total after a sync
        out.extend(self.total_changed());
        out.push(event(notice::SYNC_STATE, vec![Value::Uint(SYNC_FINISHED)]));
        out
    }

    /// New messages of one peer conversation from the inbox (with their sequences);
    /// `me` is the reader.
    pub(crate) fn on_messages(&mut self, messages: &[(u64, Message)], me: &str) -> Vec<Event> {
        let mut told: Option<(u64, Value)> = None;
        for (seq, m) in messages {
            if *seq <= self.synced_through {
                continue;
            }
            if let Some((e, c)) = self.apply(m, m.sender_id != me) {
                // A batch is one conversation: "added" wins over later updates.
                let first = told.as_ref().map_or(e, |t| t.0.min(e));
                told = Some((first, c));
            }
        }
        self.told(told)
    }

    /// A message this client sent was stored.
    pub(crate) fn on_sent(&mut self, m: &Message) -> Vec<Event> {
        let told = self.apply(m, false);
        self.told(told)
    }

    /// This device deleted a conversation for itself: gone from the cache.
    pub(crate) fn remove(&mut self, kind: u8, id: &str) -> Vec<Event> {
        let Some(i) = self.list.iter().position(|c| same(c, kind, id)) else {
            return Vec::new();
        };
        let c = self.list.remove(i);
        self.told(Some((DELETED, c)))
    }

    /// This device deleted every conversation for itself: `conversationsAllDeleted`.
    pub(crate) fn remove_all(&mut self) -> Vec<Event> {
        let count = self.list.len() as u64;
        self.list.clear();
        let mut out = vec![event(notice::ALL_DELETED, vec![Value::Uint(count)])];
        out.extend(self.total_changed());
        out
    }

    /// Applies one chat message to its conversation: the change to tell, if any.
    fn apply(&mut self, m: &Message, incoming: bool) -> Option<(u64, Value)> {
        if m.conversation_type == conversation_type::ROOM || !message_type::is_chat(m.message_type)
        {
            return None;
        }
        let (kind, id) = (m.conversation_type, m.conversation_id.as_str());
        let (e, i) = match self.list.iter().position(|c| same(c, kind, id)) {
            Some(i) => (UPDATED, i),
            None => {
                self.list.push(new_conversation(kind, id));
                (ADDED, self.list.len() - 1)
            }
        };
        let c = &mut self.list[i];
        // The server keeps the message with the highest ID as the last; so does the cache.
        if last_message(c).is_none_or(|l| l.message_id <= m.message_id) {
            set(c, field::LAST_MESSAGE, Value::Message(Box::new(m.clone())));
        }
        let order = num(c, field::ORDER_KEY).max(m.message_id);
        set(c, field::ORDER_KEY, Value::Uint(order));
        if incoming && message_type::counts_unread(m.message_type) {
            let unread = num(c, field::UNREAD).saturating_add(1);
            set(c, field::UNREAD, Value::Uint(unread));
        }
        Some((e, c.clone()))
    }

    fn told(&mut self, change: Option<(u64, Value)>) -> Vec<Event> {
        let mut out: Vec<Event> = change.into_iter().map(|c| changed(vec![c])).collect();
        out.extend(self.total_changed());
        out
    }

    /// The total unread count, if it changed since the app was last told.
    fn total_changed(&mut self) -> Option<Event> {
        let total = self
            .list
            .iter()
            .filter(|c| num(c, field::NOTIFICATION) != DO_NOT_DISTURB)
            .fold(0u64, |t, c| t.saturating_add(num(c, field::UNREAD)));
        if total == self.total {
            return None;
        }
        self.total = total;
        Some(event(notice::TOTAL, vec![Value::Uint(total)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinyim_protocol::areas::Conversation;
    use tinyim_protocol::codec::Wire;
    use tinyim_protocol::shape::Shape;

    fn text(id: u64, from: &str, peer: &str) -> Message {
        Message {
            message_id: id,
            conversation_id: peer.into(),
            sender_id: from.into(),
            message_type: message_type::TEXT,
            order_key: id,
            ..Message::default()
        }
    }

    fn unread(c: &Conversations, peer: &str) -> u64 {
        c.get(0, peer).map_or(0, |c| num(c, field::UNREAD))
    }

    fn notice(notice: u16, fields: Vec<Value>) -> Event {
        event(notice, fields)
    }

    #[test]
    fn field_positions_match_the_shape() {
        let Shape::Struct(st) = Conversation::SHAPE else {
            panic!()
        };
        assert_eq!(st.fields.len(), field::COUNT);
        for (i, name) in [
            (field::ID, "conversation_id"),
            (field::TYPE, "conversation_type"),
            (2, "conversation_name"),
            (3, "conversation_avatar_url"),
            (4, "conversation_alias"),
            (field::NOTIFICATION, "notification_status"),
            (field::UNREAD, "unread_message_count"),
            (field::LAST_MESSAGE, "last_message"),
            (field::ORDER_KEY, "order_key"),
            (10, "is_pinned"),
            (12, "mentioned_info_list"),
            (13, "draft"),
            (14, "marks"),
        ] {
            assert_eq!(st.name(i), name);
        }
        // A conversation the cache makes encodes as one.
        let mut out = Vec::new();
        let c = new_conversation(0, "bob");
        tinyim_protocol::value::encode(&c, &Conversation::SHAPE, &mut out).unwrap();
    }

    #[test]
    fn messages_after_the_sync_count_and_those_before_do_not() {
        let mut c = Conversations::default();
        assert!(c.wants_sync());
        c.start_sync(5);
        let mut synced = new_conversation(0, "bob");
        set(&mut synced, field::UNREAD, Value::Uint(2));
        let page = notice(
            notice::SYNC,
            vec![Value::List(vec![synced]), Value::Bool(true)],
        );
        let told = c.on_notice(page, 0, &|_| false);
        assert_eq!(told.len(), 3, "changed, total, finished");
        assert!(!c.wants_sync());
        c.on_messages(&[(5, text(10, "bob", "bob"))], "me");
        assert_eq!(unread(&c, "bob"), 2, "in the snapshot already");
        let batch = [(6, text(11, "bob", "bob")), (7, text(12, "bob", "bob"))];
        let told = c.on_messages(&batch, "me");
        assert_eq!(unread(&c, "bob"), 4);
        assert_eq!(told.len(), 2, "one change for the batch, and the total");
        c.on_sent(&text(13, "me", "bob"));
        assert_eq!(unread(&c, "bob"), 4, "own messages are not unread");
        assert_eq!(identity(c.get(0, "bob").unwrap()).2, 13);
        // An older message does not replace a newer last message.
        c.on_messages(&[(8, text(9, "bob", "bob"))], "me");
        assert_eq!(identity(c.get(0, "bob").unwrap()).2, 13);
    }

    #[test]
    fn a_snapshot_replaces_and_do_not_disturb_leaves_the_total() {
        let mut c = Conversations::default();
        c.on_messages(
            &[(1, text(1, "bob", "bob")), (2, text(2, "bob", "bob"))],
            "me",
        );
        assert_eq!(c.total, 2);
        let mut snapshot = new_conversation(0, "bob");
        set(&mut snapshot, field::UNREAD, Value::Uint(2));
        set(
            &mut snapshot,
            field::NOTIFICATION,
            Value::Uint(DO_NOT_DISTURB),
        );
        let n = changed(vec![(UPDATED, snapshot)]);
        let told = c.on_notice(n, 3, &|_| false);
        assert_eq!(told.len(), 2, "the notice, and the total");
        assert_eq!(c.total, 0);
        assert_eq!(unread(&c, "bob"), 2);
        // A notice the sync covered is not shown again.
        c.synced_through = 9;
        assert!(c.on_notice(changed(vec![]), 4, &|_| false).is_empty());
    }
}
