//! Group messages: `sendMessage` to a group conversation.
//!
//! One store operation checks the sender's right (a member, not muted: [`super::roster`]),
//! takes the group's next timeline position, stores the message and writes an inbox entry
//! for every other member, all in one transaction ([`crate::store::group_messages`]). The
//! `SendAck` follows the commit; then each member's live session is handed its entry. A
//! member whose session misses the hand-over (offline, or a full mailbox) gets it from the
//! inbox at their next catch-up, so each member receives each message exactly once, in the
//! group's one order.

use std::sync::Arc;

use tinyim_protocol::{code, SendAck};

use super::check;
use super::roster::{send_right, SendRight};
use crate::connection::PREDECESSOR_MISSING;
use crate::rpc::Refusal;
use crate::server::Shared;
use crate::session::Event;
use crate::store::group_messages::GroupAppend;
use crate::store::{InboxItem, NewPeerMessage};

/// Stores `m` (its `recipient` is the group) and hands it to the members' sessions; the
/// ack for the sender, or ZIM's refusal: 6000523 no such group, 6000521 not a member,
/// 6000203 muted (or out of order), 6000008 a store failure.
pub async fn send(shared: &Arc<Shared>, m: NewPeerMessage) -> Result<(SendAck, bool), Refusal> {
    let app = m.app;
    let now = super::now_secs();
    let stored = shared
        .store
        .run(move |s| {
            let mut g = check!(super::group_of(s, app, &m.recipient));
            let member = check!(super::member_of(s, app, &m.recipient, &m.sender));
            if let SendRight::Muted { until } = send_right(&g, &member, now) {
                let until = if until == -1 {
                    "until unmuted".to_owned()
                } else {
                    format!("until {until} (Unix seconds)")
                };
                return Ok(Err(Refusal::new(
                    code::SEND_MESSAGE_FAILED,
                    format!("muted in this group {until}"),
                )));
            }
            let members = s.member_ids(app, &m.recipient)?;
            let order_key = g.last_seq + 1;
            let appended = s.append_group_message(m, order_key, &members)?;
            if matches!(appended, GroupAppend::Stored { .. }) {
                g.last_seq = order_key;
                s.put_group(app, &g)?;
            }
            Ok(Ok(appended))
        })
        .await??;
    match stored {
        GroupAppend::PredecessorMissing => {
            Err(Refusal::new(code::SEND_MESSAGE_FAILED, PREDECESSOR_MISSING))
        }
        GroupAppend::Duplicate(message) => Ok((ack(&message), true)),
        GroupAppend::Stored {
            message,
            deliveries,
        } => {
            for (user, seq) in deliveries {
                if let Some(link) = shared.registry.get(app, &user) {
                    link.offer(Event::Inbox(seq, InboxItem::Message(Arc::clone(&message))));
                }
            }
            Ok((ack(&message), false))
        }
    }
}

fn ack(m: &crate::store::StoredMessage) -> SendAck {
    SendAck {
        message_id: m.message_id,
        timestamp: m.timestamp,
        order_key: m.order_key,
    }
}
