//! The session's conversation cache: what ZIM's conversation events need to say, kept from
//! the server's state without a second frame per message.
//!
//! At the first login of a session the client asks for its conversations
//! (`Login.sync_conversations`); the server pushes them (`ConversationSync`) before the
//! inbox catch-up, read together with `LoginOk.inbox_seq`, so they already include every
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

use tinyim_protocol::areas::{
    conversation_event as event, notification_status, Conversation, ConversationChangeInfo,
    ConversationChanged, SyncStateChanged, TotalUnreadUpdated,
};
use tinyim_protocol::codec::{Reader, Wire};
use tinyim_protocol::rpc::Notify;
use tinyim_protocol::{conversation_type, message_type, ConversationSync, List, Message};

/// The notices the cache raises and reads (their numbers in the protocol's table).
pub(crate) mod notice {
    pub(crate) const CHANGED: u16 = 200;
    pub(crate) const TOTAL: u16 = 201;
    pub(crate) const ALL_DELETED: u16 = 202;
    pub(crate) const SYNC_STATE: u16 = 203;
}

/// ZIM's `ZIMConversationSyncState`.
const SYNC_STARTED: u8 = 0;
const SYNC_FINISHED: u8 = 1;

/// The cache of one session.
#[derive(Debug, Default)]
pub(crate) struct Conversations {
    list: Vec<Conversation>,
    /// The sync is done: later logins of the session need none.
    synced: bool,
    /// Pages of a sync being received.
    pages: Option<Vec<Conversation>>,
    /// Inbox entries up to this sequence are in the synced state.
    synced_through: u64,
    /// The total the app was last told.
    total: u32,
}

/// A notice of `id` carrying `body`, as the event pipeline takes it.
pub(crate) fn note<T: Wire>(id: u16, body: &T) -> Notify {
    let mut bytes = Vec::new();
    body.encode(&mut bytes);
    Notify {
        notice: id,
        body: bytes,
    }
}

fn same(c: &Conversation, kind: u8, id: &str) -> bool {
    c.conversation_type == kind && c.conversation_id == id
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
    pub(crate) fn get(&self, kind: u8, id: &str) -> Option<&Conversation> {
        self.list.iter().find(|c| same(c, kind, id))
    }

    /// The newest message ID the cache knows (0: none).
    pub(crate) fn newest_message(&self) -> u64 {
        self.list.iter().map(|c| c.order_key).max().unwrap_or(0)
    }

    /// A login that asked for a sync succeeded: its pages follow, up to `inbox_seq`.
    pub(crate) fn start_sync(&mut self, inbox_seq: u64) -> Notify {
        self.pages = Some(Vec::new());
        self.synced_through = inbox_seq;
        note(
            notice::SYNC_STATE,
            &SyncStateChanged {
                state: SYNC_STARTED,
            },
        )
    }

    /// A page of the sync; on the last, the cache becomes the synced list (less what
    /// `hidden` hides) and the changes are told.
    pub(crate) fn sync_page(
        &mut self,
        page: ConversationSync,
        hidden: &dyn Fn(&Conversation) -> bool,
    ) -> Vec<Notify> {
        let Some(pages) = &mut self.pages else {
            return Vec::new();
        };
        pages.extend(page.conversations.0);
        if !page.done {
            return Vec::new();
        }
        let mut new = self.pages.take().unwrap_or_default();
        new.retain(|c| !hidden(c));
        let old = core::mem::replace(&mut self.list, new);
        self.synced = true;
        let mut infos: Vec<ConversationChangeInfo> = self
            .list
            .iter()
            .filter(|c| !old.contains(c))
            .map(|c| ConversationChangeInfo {
                event: match old
                    .iter()
                    .any(|o| same(o, c.conversation_type, &c.conversation_id))
                {
                    true => event::UPDATED,
                    false => event::ADDED,
                },
                conversation: c.clone(),
            })
            .collect();
        for gone in old {
            if self
                .get(gone.conversation_type, &gone.conversation_id)
                .is_none()
            {
                infos.push(ConversationChangeInfo {
                    event: event::DELETED,
                    conversation: gone,
                });
            }
        }
        let mut out = Vec::new();
        if !infos.is_empty() {
            out.push(note(
                notice::CHANGED,
                &ConversationChanged {
                    info_list: List(infos),
                },
            ));
        }
        self.total = u32::MAX; // always tell the total after a sync
        out.extend(self.total_changed());
        out.push(note(
            notice::SYNC_STATE,
            &SyncStateChanged {
                state: SYNC_FINISHED,
            },
        ));
        out
    }

    /// New messages of one peer conversation from the inbox (with their sequences);
    /// `me` is the reader.
    pub(crate) fn on_messages(&mut self, messages: &[(u64, Message)], me: &str) -> Vec<Notify> {
        let mut changed: Option<ConversationChangeInfo> = None;
        for (seq, m) in messages {
            if *seq <= self.synced_through {
                continue;
            }
            let incoming = m.sender_id != me;
            if let Some(info) = self.apply(m, incoming) {
                // A batch is one conversation: "added" wins over later updates.
                changed = Some(match changed {
                    Some(first) if first.event == event::ADDED => ConversationChangeInfo {
                        event: event::ADDED,
                        conversation: info.conversation,
                    },
                    _ => info,
                });
            }
        }
        self.told(changed)
    }

    /// A message this client sent was stored.
    pub(crate) fn on_sent(&mut self, m: &Message) -> Vec<Notify> {
        let changed = self.apply(m, false);
        self.told(changed)
    }

    /// A conversation notice (from the inbox at `seq`, or live): applies its snapshot.
    /// Returns whether the app is to see it, and what else to tell (the total).
    pub(crate) fn on_notice(
        &mut self,
        n: &Notify,
        seq: u64,
        hidden: &dyn Fn(&Conversation) -> bool,
    ) -> (bool, Vec<Notify>) {
        if !matches!(n.notice, notice::CHANGED | notice::ALL_DELETED) {
            return (true, Vec::new());
        }
        if seq != 0 && seq <= self.synced_through {
            return (false, Vec::new());
        }
        if n.notice == notice::ALL_DELETED {
            self.list.clear();
        } else if let Ok(c) = ConversationChanged::decode(&mut Reader::new(&n.body)) {
            for info in c.info_list.0 {
                let c = info.conversation;
                self.list
                    .retain(|o| !same(o, c.conversation_type, &c.conversation_id));
                if info.event != event::DELETED && !hidden(&c) {
                    self.list.push(c);
                }
            }
        }
        (true, self.total_changed().into_iter().collect())
    }

    /// This device deleted a conversation for itself: gone from the cache.
    pub(crate) fn remove(&mut self, kind: u8, id: &str) -> Vec<Notify> {
        let Some(i) = self.list.iter().position(|c| same(c, kind, id)) else {
            return Vec::new();
        };
        let c = self.list.remove(i);
        self.told(Some(ConversationChangeInfo {
            event: event::DELETED,
            conversation: c,
        }))
    }

    /// This device deleted every conversation for itself: returns how many there were.
    pub(crate) fn remove_all(&mut self) -> (u32, Vec<Notify>) {
        let count = self.list.len() as u32;
        self.list.clear();
        (count, self.total_changed().into_iter().collect())
    }

    /// Applies one chat message to its conversation: the change to tell, if any.
    fn apply(&mut self, m: &Message, incoming: bool) -> Option<ConversationChangeInfo> {
        if m.conversation_type != conversation_type::PEER || !message_type::is_chat(m.message_type)
        {
            return None;
        }
        let (kind, id) = (m.conversation_type, &m.conversation_id);
        let mut added = false;
        let i = match self.list.iter().position(|c| same(c, kind, id)) {
            Some(i) => i,
            None => {
                added = true;
                self.list.push(Conversation {
                    conversation_id: id.clone(),
                    conversation_type: kind,
                    notification_status: notification_status::NOTIFY,
                    ..Conversation::default()
                });
                self.list.len() - 1
            }
        };
        let c = &mut self.list[i];
        // The server keeps the message with the highest ID as the last; so does the cache.
        if c.last_message
            .as_ref()
            .is_none_or(|l| l.message_id <= m.message_id)
        {
            c.last_message = Some(m.clone());
        }
        c.order_key = c.order_key.max(m.message_id);
        if incoming && message_type::counts_unread(m.message_type) {
            c.unread_message_count = c.unread_message_count.saturating_add(1);
        }
        Some(ConversationChangeInfo {
            event: if added { event::ADDED } else { event::UPDATED },
            conversation: c.clone(),
        })
    }

    fn told(&mut self, changed: Option<ConversationChangeInfo>) -> Vec<Notify> {
        let mut out = Vec::new();
        if let Some(info) = changed {
            let c = ConversationChanged {
                info_list: List(vec![info]),
            };
            out.push(note(notice::CHANGED, &c));
        }
        out.extend(self.total_changed());
        out
    }

    /// The total unread count, if it changed since the app was last told.
    fn total_changed(&mut self) -> Option<Notify> {
        let total = self
            .list
            .iter()
            .filter(|c| c.notification_status != notification_status::DO_NOT_DISTURB)
            .fold(0u32, |t, c| t.saturating_add(c.unread_message_count));
        if total == self.total {
            return None;
        }
        self.total = total;
        Some(note(
            notice::TOTAL,
            &TotalUnreadUpdated {
                total_unread_message_count: total,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn unread(c: &Conversations, peer: &str) -> u32 {
        c.get(0, peer).map_or(0, |c| c.unread_message_count)
    }

    #[test]
    fn messages_after_the_sync_count_and_those_before_do_not() {
        let mut c = Conversations::default();
        assert!(c.wants_sync());
        c.start_sync(5);
        let synced = Conversation {
            conversation_id: "bob".into(),
            unread_message_count: 2,
            notification_status: 1,
            ..Conversation::default()
        };
        let page = ConversationSync {
            conversations: List(vec![synced]),
            done: true,
        };
        let told = c.sync_page(page, &|_| false);
        assert_eq!(told.len(), 3, "changed, total, finished");
        assert!(!c.wants_sync());
        c.on_messages(&[(5, text(10, "bob", "bob"))], "me");
        assert_eq!(unread(&c, "bob"), 2, "in the snapshot already");
        let told = c.on_messages(
            &[(6, text(11, "bob", "bob")), (7, text(12, "bob", "bob"))],
            "me",
        );
        assert_eq!(unread(&c, "bob"), 4);
        assert_eq!(told.len(), 2, "one change for the batch, and the total");
        c.on_sent(&text(13, "me", "bob"));
        assert_eq!(unread(&c, "bob"), 4, "own messages are not unread");
        assert_eq!(
            c.get(0, "bob")
                .unwrap()
                .last_message
                .as_ref()
                .unwrap()
                .message_id,
            13
        );
        // An older message does not replace a newer last message.
        c.on_messages(&[(8, text(9, "bob", "bob"))], "me");
        assert_eq!(
            c.get(0, "bob")
                .unwrap()
                .last_message
                .as_ref()
                .unwrap()
                .message_id,
            13
        );
    }

    #[test]
    fn a_snapshot_replaces_and_do_not_disturb_leaves_the_total() {
        let mut c = Conversations::default();
        c.on_messages(
            &[(1, text(1, "bob", "bob")), (2, text(2, "bob", "bob"))],
            "me",
        );
        assert_eq!(c.total, 2);
        let snapshot = Conversation {
            conversation_id: "bob".into(),
            unread_message_count: 2,
            notification_status: notification_status::DO_NOT_DISTURB,
            ..Conversation::default()
        };
        let n = note(
            notice::CHANGED,
            &ConversationChanged {
                info_list: List(vec![ConversationChangeInfo {
                    event: event::UPDATED,
                    conversation: snapshot,
                }]),
            },
        );
        let (show, told) = c.on_notice(&n, 3, &|_| false);
        assert!(show);
        assert_eq!(told.len(), 1);
        assert_eq!(c.total, 0);
        assert_eq!(unread(&c, "bob"), 2);
    }
}
