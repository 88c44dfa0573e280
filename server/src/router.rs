//! Peer delivery: from a committed inbox entry to the recipient's live session.
//!
//! The store thread calls [`Router::deliver`] after each commit, in commit order, so a
//! recipient's session receives its inbox entries in sequence order. A recipient with no live
//! session simply gets nothing now: the entry waits in the store and is pushed on its next
//! login (resume). Delivery never blocks the store thread.

use std::sync::Arc;

use crate::session::{Event, Registry};
use crate::store::{InboxItem, PeerStored};

/// Routes stored peer messages to live sessions.
pub struct Router {
    registry: Arc<Registry>,
}

impl Router {
    pub fn new(registry: Arc<Registry>) -> Self {
        Router { registry }
    }

    /// Offers a newly stored message to its recipient's live session, if there is one.
    pub fn deliver(&self, stored: &PeerStored) {
        let m = &stored.message;
        if let Some(link) = self.registry.get(m.app, &m.recipient) {
            let item = InboxItem::Message(stored.message.clone());
            link.offer(Event::Inbox(stored.inbox_seq, item));
        }
    }
}
