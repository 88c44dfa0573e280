//! Inbox delivery (peer messages and notices): exactly once, in order, messages grouped
//! per conversation.
//!
//! The server numbers each user's inbox 1, 2, 3 ... and may push an entry more than once
//! (a reconnect that raced an ack). The client keeps the highest sequence it has handed to
//! the app (a high-water mark), drops anything at or below it, and acknowledges
//! cumulatively with `PushAck` after delivering. On login it sends the mark as
//! `last_inbox_seq`, so the server resumes right after it. ZIM delivers peer messages one
//! callback per conversation (`receivePeerMessage(list, fromUserID)`), so the messages of a
//! push are split by conversation, keeping inbox order inside each; a notice (a revoke, a
//! receipt ...) ends the groups before it, so it never overtakes a message it follows.

use tinyim_protocol::rpc::Notify;
use tinyim_protocol::{Message, Push};

/// The high-water mark of one user's inbox.
#[derive(Debug, Default)]
pub(crate) struct Inbox {
    user_id: String,
    delivered: u64,
}

/// New messages of one conversation (peer or group), with their inbox sequences.
pub(crate) struct Batch {
    pub(crate) conversation_type: u8,
    /// The peer's user ID, or the group's ID.
    pub(crate) from_user_id: String,
    pub(crate) messages: Vec<(u64, Message)>,
}

/// What a push brings, in order.
pub(crate) enum Entry {
    Messages(Batch),
    /// A notice and its inbox sequence.
    Notice(u64, Notify),
}

impl Inbox {
    /// Logging in as `user_id`: keep the mark if it is the same user, else start at 0.
    pub(crate) fn use_user(&mut self, user_id: &str) {
        if self.user_id != user_id {
            self.user_id.clear();
            self.user_id.push_str(user_id);
            self.delivered = 0;
        }
    }

    /// The highest inbox sequence handed to the app (`Login.last_inbox_seq`).
    pub(crate) fn delivered(&self) -> u64 {
        self.delivered
    }

    /// `LoginOk.inbox_seq` says the server's inbox ends at `newest`. A mark above it means
    /// the server's inbox was reset (a new data directory): follow it down, or every new
    /// message would be dropped as a duplicate.
    pub(crate) fn server_newest(&mut self, newest: u64) {
        self.delivered = self.delivered.min(newest);
    }

    /// Takes the new entries of `push`: messages grouped per conversation in order of
    /// first appearance, up to each notice. Returns them and, if the push carried anything,
    /// the cumulative ack to send (also for a push of only duplicates: the server evidently
    /// missed an ack).
    pub(crate) fn accept(&mut self, push: Push) -> (Vec<Entry>, Option<u64>) {
        let mut out: Vec<Entry> = Vec::new();
        // Where the groups since the last notice start in `out`.
        let mut groups = 0;
        let had_any = !push.deliveries.is_empty();
        for d in push.deliveries.0 {
            if d.inbox_seq <= self.delivered {
                continue;
            }
            self.delivered = d.inbox_seq;
            if let Some(n) = d.notice {
                out.push(Entry::Notice(d.inbox_seq, n));
                groups = out.len();
                continue;
            }
            let Some(message) = d.message else { continue };
            let (kind, from) = (message.conversation_type, &message.conversation_id);
            let group = out[groups..].iter_mut().find_map(|e| match e {
                Entry::Messages(b) if b.conversation_type == kind && &b.from_user_id == from => {
                    Some(b)
                }
                _ => None,
            });
            match group {
                Some(b) => b.messages.push((d.inbox_seq, message)),
                None => out.push(Entry::Messages(Batch {
                    conversation_type: kind,
                    from_user_id: from.clone(),
                    messages: vec![(d.inbox_seq, message)],
                })),
            }
        }
        let ack = if had_any { Some(self.delivered) } else { None };
        (out, ack)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tinyim_protocol::{Delivery, List};

    fn push(seqs: &[(u64, &str)]) -> Push {
        Push {
            offline: false,
            deliveries: List(
                seqs.iter()
                    .map(|&(inbox_seq, from)| Delivery {
                        inbox_seq,
                        message: (!from.is_empty()).then(|| Message {
                            conversation_id: from.into(),
                            message_id: inbox_seq,
                            ..Message::default()
                        }),
                        notice: from.is_empty().then(Notify::default),
                    })
                    .collect(),
            ),
        }
    }

    /// The entries as (conversation or "notice", sequences).
    fn shape(entries: &[Entry]) -> Vec<(String, Vec<u64>)> {
        entries
            .iter()
            .map(|e| match e {
                Entry::Messages(b) => (
                    b.from_user_id.clone(),
                    b.messages.iter().map(|(s, _)| *s).collect(),
                ),
                Entry::Notice(seq, _) => ("notice".into(), vec![*seq]),
            })
            .collect()
    }

    #[test]
    fn dedups_groups_and_acks() {
        let mut inbox = Inbox::default();
        inbox.use_user("alice");
        let (batches, ack) = inbox.accept(push(&[(1, "bob"), (2, "carol"), (3, "bob")]));
        assert_eq!(ack, Some(3));
        assert_eq!(
            shape(&batches),
            [("bob".to_string(), vec![1, 3]), ("carol".into(), vec![2])]
        );
        let (batches, ack) = inbox.accept(push(&[(2, "carol"), (3, "bob"), (4, "bob")]));
        assert_eq!(shape(&batches), [("bob".to_string(), vec![4])]);
        assert_eq!(ack, Some(4));
        let (batches, ack) = inbox.accept(push(&[(4, "bob")]));
        assert!(batches.is_empty());
        assert_eq!(ack, Some(4));
        assert_eq!(inbox.accept(push(&[])).1, None);
        inbox.use_user("alice");
        assert_eq!(inbox.delivered(), 4);
        inbox.use_user("bob");
        assert_eq!(inbox.delivered(), 0);
    }

    #[test]
    fn a_notice_ends_the_groups_before_it() {
        let mut inbox = Inbox::default();
        let (entries, _) = inbox.accept(push(&[(1, "bob"), (2, ""), (3, "bob"), (4, "carol")]));
        assert_eq!(
            shape(&entries),
            [
                ("bob".to_string(), vec![1]),
                ("notice".into(), vec![2]),
                ("bob".into(), vec![3]),
                ("carol".into(), vec![4]),
            ]
        );
    }
}
