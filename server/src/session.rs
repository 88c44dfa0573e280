//! Live sessions: the registry of who is logged in where, and the link other tasks use to
//! reach a session.
//!
//! One live session per (app, user) (docs/protocol.md "Login" 4): registering a second one
//! returns the first, which the caller kicks. Other tasks (the store thread's notifier, room
//! fan-out) never block on a session: they `try_send` into its bounded mailbox, and a full
//! mailbox means the client stopped reading, so the session is told to close with 4003.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::store::InboxItem;

/// Events a session task can be given by others.
#[derive(Debug)]
pub enum Event {
    /// A peer message or a notice was stored in this user's inbox with sequence `seq`.
    Inbox(u64, InboxItem),
    /// An encoded push frame (room message, member change) to pass on as is.
    Frame(Bytes),
}

/// Why another task wants a session closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillReason {
    /// A second login for the same user: send `Kicked`, close 4002.
    Kicked,
    /// The mailbox overflowed: close 4003.
    SlowConsumer,
}

/// A one-shot "close yourself" signal; the first reason wins.
#[derive(Debug, Default)]
pub struct Kill {
    token: CancellationToken,
    reason: Mutex<Option<KillReason>>,
}

impl Kill {
    /// Asks the session to close for `reason` (ignored if already asked).
    pub fn kill(&self, reason: KillReason) {
        if let Ok(mut r) = self.reason.lock() {
            if r.is_none() {
                *r = Some(reason);
            }
        }
        self.token.cancel();
    }

    /// Resolves once the session has been asked to close, with the reason.
    pub async fn killed(&self) -> KillReason {
        self.token.cancelled().await;
        self.reason
            .lock()
            .ok()
            .and_then(|r| *r)
            .unwrap_or(KillReason::SlowConsumer)
    }
}

/// How other tasks reach one session.
#[derive(Debug, Clone)]
pub struct SessionLink {
    pub id: u64,
    pub mailbox: mpsc::Sender<Event>,
    pub kill: Arc<Kill>,
}

impl SessionLink {
    /// Hands `event` to the session without waiting. Returns false if it was not delivered;
    /// a full mailbox also asks the session to close (slow consumer).
    pub fn offer(&self, event: Event) -> bool {
        match self.mailbox.try_send(event) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.kill.kill(KillReason::SlowConsumer);
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

/// Who is logged in, keyed by (app, user). Apps never see each other's users.
#[derive(Default)]
pub struct Registry {
    sessions: Mutex<HashMap<(u32, String), SessionLink>>,
}

impl Registry {
    /// Makes `link` the live session of (app, user); returns the one it replaces.
    pub fn register(&self, app: u32, user: &str, link: SessionLink) -> Option<SessionLink> {
        let mut map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        map.insert((app, user.to_owned()), link)
    }

    /// Removes the session `session_id` of (app, user), if it is still the live one.
    pub fn unregister(&self, app: u32, user: &str, session_id: u64) {
        let mut map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let key = (app, user.to_owned());
        if map.get(&key).is_some_and(|l| l.id == session_id) {
            map.remove(&key);
        }
    }

    /// The live session of (app, user), if any.
    pub fn get(&self, app: u32, user: &str) -> Option<SessionLink> {
        let map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&(app, user.to_owned())).cloned()
    }

    /// Number of live sessions.
    pub fn len(&self) -> usize {
        self.sessions.lock().map(|m| m.len()).unwrap_or(0)
    }
}
