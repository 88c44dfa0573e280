//! Live sessions: the registry of who is logged in where, and the link other tasks use to
//! reach a session.
//!
//! One live session per (app, user) (docs/protocol.md "Login" 4): registering a second one
//! returns the first, which the caller kicks. Other tasks (the store thread's notifier, room
//! fan-out) never block on a session: they `try_send` into its bounded mailbox, and a full
//! mailbox means the client stopped reading, so the session is told to close with 4003.
//!
//! The registry is also where presence changes ([`crate::presence`]): a user's first
//! session makes them online, the end of their live session offline or logged out, and each
//! change goes to their subscribers; a session that starts is told the status of the users
//! its user subscribed to.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tinyim_protocol::areas::{online_status, UserStatus, UserStatusUpdated};
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{Body, Frame, List};
use tokio_util::sync::CancellationToken;

use crate::presence::Presence;
use crate::queue;
use crate::server::now_millis;
use crate::store::InboxItem;

/// Statuses per `userStatusUpdated` notice when a session is told many at once.
const STATUSES_PER_NOTICE: usize = 100;

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

/// A session's mailbox: a bounded queue that other tasks put events into without waiting,
/// and the session task takes them from (a [`queue`], which costs nothing while empty).
pub fn mailbox(capacity: usize) -> (queue::Sender<Event>, MailboxRx) {
    queue::channel(capacity)
}

/// The session task's side of its mailbox.
pub type MailboxRx = queue::Receiver<Event>;

/// How other tasks reach one session.
#[derive(Debug, Clone)]
pub struct SessionLink {
    pub id: u64,
    pub mailbox: queue::Sender<Event>,
    pub kill: Arc<Kill>,
}

impl SessionLink {
    /// Hands `event` to the session without waiting. Returns false if it was not delivered;
    /// a full mailbox also asks the session to close (slow consumer).
    pub fn offer(&self, event: Event) -> bool {
        match self.mailbox.try_send(event) {
            Ok(()) => true,
            Err(queue::SendError::Full) => {
                self.kill.kill(KillReason::SlowConsumer);
                false
            }
            Err(queue::SendError::Closed) => false,
        }
    }
}

/// How a session ended, for the user's online status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user logged out (ZIM's "logout" status).
    LoggedOut,
    /// The connection closed or failed (ZIM's "offline" status).
    Disconnected,
}

/// Who is logged in, keyed by (app, user). Apps never see each other's users.
#[derive(Default)]
pub struct Registry {
    sessions: Mutex<HashMap<(u32, String), SessionLink>>,
    /// Online and custom statuses and their subscriptions.
    pub presence: Presence,
}

impl Registry {
    /// Makes `link` the live session of (app, user); returns the one it replaces. The user
    /// is online from now (a replaced session changes nothing), and `link` is told the
    /// status of each user its user subscribed to.
    pub fn register(&self, app: u32, user: &str, link: SessionLink) -> Option<SessionLink> {
        let old = {
            let mut map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
            map.insert((app, user.to_owned()), link.clone())
        };
        let now = now_millis();
        if old.is_none() {
            self.status_changed(app, user, online_status::ONLINE, now);
        }
        let subscribed: Vec<UserStatus> = self
            .presence
            .subscriptions(app, user, now)
            .into_iter()
            .map(|(status, _)| status)
            .collect();
        for chunk in subscribed.chunks(STATUSES_PER_NOTICE) {
            link.offer(Event::Frame(status_notice(chunk)));
        }
        old
    }

    /// Removes the session `session_id` of (app, user), if it is still the live one (the
    /// user is then offline).
    pub fn unregister(&self, app: u32, user: &str, session_id: u64) {
        self.end(app, user, session_id, Ended::Disconnected);
    }

    /// Removes the session `session_id` of (app, user), if it is still the live one, which
    /// ended as `how`.
    pub fn end(&self, app: u32, user: &str, session_id: u64, how: Ended) {
        let removed = {
            let mut map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
            let key = (app, user.to_owned());
            let live = map.get(&key).is_some_and(|l| l.id == session_id);
            live && map.remove(&key).is_some()
        };
        if removed {
            let status = match how {
                Ended::LoggedOut => online_status::LOGOUT,
                Ended::Disconnected => online_status::OFFLINE,
            };
            self.status_changed(app, user, status, now_millis());
        }
    }

    /// Records `user`'s new online status and tells their subscribers.
    fn status_changed(&self, app: u32, user: &str, status: u8, now: u64) {
        if let Some(s) = self.presence.set_online_status(app, user, status, now) {
            self.tell_subscribers(app, s, now);
        }
    }

    /// Pushes `status` (of `status.user_id`) to that user's subscribers that are online.
    /// Nothing is encoded for a user nobody subscribed to.
    pub fn tell_subscribers(&self, app: u32, status: UserStatus, now: u64) {
        let subscribers = self.presence.subscribers(app, &status.user_id, now);
        if subscribers.is_empty() {
            return;
        }
        let frame = status_notice(std::slice::from_ref(&status));
        let links: Vec<SessionLink> = {
            let map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
            subscribers
                .into_iter()
                .filter_map(|s| map.get(&(app, s)).cloned())
                .collect()
        };
        for link in links {
            link.offer(Event::Frame(frame.clone()));
        }
    }

    /// The live session of (app, user), if any.
    pub fn get(&self, app: u32, user: &str) -> Option<SessionLink> {
        let map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&(app, user.to_owned())).cloned()
    }

    /// Appends to `out` the live sessions of those of `users` (of `app`) who have one, under
    /// one lock and with one key buffer for all of them: a fan-out to a large group looks
    /// its members up in chunks this way instead of locking and allocating per member.
    pub fn live_among(&self, app: u32, users: &[String], out: &mut Vec<SessionLink>) {
        let mut key = (app, String::with_capacity(64));
        let map = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        for user in users {
            key.1.clear();
            key.1.push_str(user);
            if let Some(link) = map.get(&key) {
                out.push(link.clone());
            }
        }
    }

    /// Number of live sessions.
    pub fn len(&self) -> usize {
        self.sessions.lock().map(|m| m.len()).unwrap_or(0)
    }
}

/// An encoded `userStatusUpdated` push of `statuses`.
fn status_notice(statuses: &[UserStatus]) -> Bytes {
    let notice = Notice::UserStatusUpdated(UserStatusUpdated {
        user_status_list: List(statuses.to_vec()),
    });
    Bytes::from(Frame::new(0, Body::Notify(notice.to_notify())).encode())
}
