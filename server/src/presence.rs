//! Presence: each user's online status and custom status, and who subscribed to whose.
//!
//! Online status comes from the session registry ([`crate::session::Registry`]): a login
//! makes a user online, a logout logged out, a disconnect offline (a kick-out changes
//! nothing: the user is online on the new session). Each change is pushed as
//! `userStatusUpdated` to the user's subscribers that are online, and a subscriber that
//! logs in is told the current status of everyone it subscribed to, so what it missed
//! while away is not lost (docs/users.md).
//!
//! Every login and disconnect asks "who subscribed to this user?", so the subscriptions are
//! kept in memory in both directions and that question is one hash lookup: a user nobody
//! subscribed to costs nothing more. The store holds the durable copy of subscriptions and
//! custom statuses ([`crate::store::presence`]), written before a change is answered and
//! loaded here at start; online status lives only here, as the sessions it describes do.
//!
//! The limits are ZIM's: 100 users per subscribe or unsubscribe call, 200 per status query,
//! subscriptions of 1 to 43,200 minutes, at most 3,000 per subscriber (the earliest are
//! dropped), custom statuses of at most 64 bytes valid for at most a day, changed at most
//! once a second.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use tinyim_protocol::areas::{online_status, UserStatus};
use tinyim_protocol::List;

use crate::store::presence::StoredPresence;

/// Most users one `subscribeUsersStatus` or `unsubscribeUsersStatus` names.
pub const MAX_SUBSCRIBE_USERS: usize = 100;
/// Most users one `queryUsersStatus` or `querySubscribedUserStatusList` names.
pub const MAX_QUERY_USERS: usize = 200;
/// Most subscriptions one user keeps; a newer one replaces the earliest.
pub const MAX_SUBSCRIPTIONS: usize = 3000;
/// Longest subscription, in minutes (30 days).
pub const MAX_SUBSCRIPTION_MINUTES: u32 = 43_200;
/// Longest (and default) custom status validity, in seconds (a day).
pub const MAX_CUSTOM_STATUS_SECONDS: u32 = 86_400;
/// Shortest time between two custom status changes of one user, in ms.
pub const CUSTOM_STATUS_INTERVAL_MS: u64 = 1000;

type Key = (u32, String);

/// What is known of one user's presence.
#[derive(Debug, Clone)]
struct Entry {
    online_status: u8,
    /// When `online_status` last changed (0: not since the server started).
    online_changed: u64,
    custom_status: String,
    custom_changed: u64,
    custom_expires: u64,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            online_status: online_status::OFFLINE,
            online_changed: 0,
            custom_status: String::new(),
            custom_changed: 0,
            custom_expires: 0,
        }
    }
}

/// One subscription, seen from the subscriber.
#[derive(Debug, Clone, Copy)]
struct Sub {
    since: u64,
    /// A counter that orders subscriptions made in the same millisecond.
    seq: u64,
    expires: u64,
}

#[derive(Default)]
struct State {
    users: HashMap<Key, Entry>,
    /// subscriber -> target -> subscription.
    subscriptions: HashMap<Key, HashMap<String, Sub>>,
    /// target -> subscribers (the reverse of `subscriptions`, for the fan-out).
    watchers: HashMap<Key, HashSet<String>>,
    next_seq: u64,
}

impl State {
    fn status(&self, app: u32, user: &str, now: u64) -> UserStatus {
        let e = self
            .users
            .get(&(app, user.to_owned()))
            .cloned()
            .unwrap_or_default();
        let custom_live = e.custom_expires > now && !e.custom_status.is_empty();
        UserStatus {
            user_id: user.to_owned(),
            online_status: e.online_status,
            // The login frame does not say which platform a client runs on.
            online_platforms: List(Vec::new()),
            custom_status: if custom_live {
                e.custom_status.clone()
            } else {
                String::new()
            },
            custom_status_expired_time: if custom_live { e.custom_expires } else { 0 },
            last_update_time: e.online_changed.max(e.custom_changed),
            last_online_status_update_time: e.online_changed,
            last_custom_status_update_time: e.custom_changed,
        }
    }

    /// Drops `subscriber`'s expired subscriptions.
    fn expire(&mut self, app: u32, subscriber: &str, now: u64) {
        let gone: Vec<String> = match self.subscriptions.get(&(app, subscriber.to_owned())) {
            Some(subs) => subs
                .iter()
                .filter(|(_, s)| s.expires <= now)
                .map(|(t, _)| t.clone())
                .collect(),
            None => return,
        };
        for t in gone {
            self.unsubscribe(app, subscriber, &t);
        }
    }

    fn subscribe(&mut self, app: u32, subscriber: &str, target: &str, since: u64, expires: u64) {
        self.next_seq += 1;
        let sub = Sub {
            since,
            seq: self.next_seq,
            expires,
        };
        self.subscriptions
            .entry((app, subscriber.to_owned()))
            .or_default()
            .insert(target.to_owned(), sub);
        self.watchers
            .entry((app, target.to_owned()))
            .or_default()
            .insert(subscriber.to_owned());
    }

    fn unsubscribe(&mut self, app: u32, subscriber: &str, target: &str) {
        prune(
            &mut self.subscriptions,
            (app, subscriber.to_owned()),
            |subs| {
                subs.remove(target);
                subs.is_empty()
            },
        );
        prune(&mut self.watchers, (app, target.to_owned()), |watchers| {
            watchers.remove(subscriber);
            watchers.is_empty()
        });
    }
}

/// Applies `remove` to the entry of `key` in `index` and drops the entry if `remove` says
/// it is now empty (so the indexes hold no empty sets).
fn prune<V>(index: &mut HashMap<Key, V>, key: Key, remove: impl FnOnce(&mut V) -> bool) {
    if let Some(v) = index.get_mut(&key) {
        if remove(v) {
            index.remove(&key);
        }
    }
}

/// The server's presence state (see the module docs).
#[derive(Default)]
pub struct Presence {
    state: Mutex<State>,
}

impl Presence {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes in what the store kept (at start, before any session).
    pub fn load(&self, stored: StoredPresence) {
        let mut st = self.lock();
        for s in stored.subscriptions {
            st.subscribe(
                s.app,
                &s.subscriber,
                &s.target,
                s.subscribed_at,
                s.expires_at,
            );
        }
        for c in stored.custom_statuses {
            let e = st.users.entry((c.app, c.user_id)).or_default();
            e.custom_status = c.status;
            e.custom_changed = c.updated_at;
            e.custom_expires = c.expires_at;
        }
    }

    /// `user`'s status at `now` (offline, with no times, for a user not seen since start).
    pub fn status(&self, app: u32, user: &str, now: u64) -> UserStatus {
        self.lock().status(app, user, now)
    }

    /// Sets `user`'s online status; returns the new status if it changed.
    pub fn set_online_status(
        &self,
        app: u32,
        user: &str,
        status: u8,
        now: u64,
    ) -> Option<UserStatus> {
        let mut st = self.lock();
        let e = st.users.entry((app, user.to_owned())).or_default();
        if e.online_status == status && e.online_changed != 0 {
            return None;
        }
        e.online_status = status;
        e.online_changed = now;
        Some(st.status(app, user, now))
    }

    /// Whether `user` may change their custom status at `now` (once a second).
    pub fn may_set_custom_status(&self, app: u32, user: &str, now: u64) -> bool {
        self.lock()
            .users
            .get(&(app, user.to_owned()))
            .is_none_or(|e| {
                e.custom_changed == 0 || now >= e.custom_changed + CUSTOM_STATUS_INTERVAL_MS
            })
    }

    /// Sets `user`'s custom status (stored already) and returns the new status.
    pub fn set_custom_status(
        &self,
        app: u32,
        user: &str,
        status: &str,
        now: u64,
        expires: u64,
    ) -> UserStatus {
        let mut st = self.lock();
        let e = st.users.entry((app, user.to_owned())).or_default();
        e.custom_status = status.to_owned();
        e.custom_changed = now;
        e.custom_expires = expires;
        st.status(app, user, now)
    }

    /// The users subscribed to `user` at `now`.
    pub fn subscribers(&self, app: u32, user: &str, now: u64) -> Vec<String> {
        let st = self.lock();
        let Some(watchers) = st.watchers.get(&(app, user.to_owned())) else {
            return Vec::new();
        };
        watchers
            .iter()
            .filter(|w| {
                st.subscriptions
                    .get(&(app, (*w).clone()))
                    .and_then(|subs| subs.get(user))
                    .is_some_and(|s| s.expires > now)
            })
            .cloned()
            .collect()
    }

    /// `subscriber`'s subscriptions at `now`, earliest first: each target's status and the
    /// subscription's end.
    pub fn subscriptions(&self, app: u32, subscriber: &str, now: u64) -> Vec<(UserStatus, u64)> {
        let mut st = self.lock();
        st.expire(app, subscriber, now);
        let Some(subs) = st.subscriptions.get(&(app, subscriber.to_owned())) else {
            return Vec::new();
        };
        let mut list: Vec<(&String, &Sub)> = subs.iter().collect();
        list.sort_by_key(|(_, s)| (s.since, s.seq));
        list.iter()
            .map(|(t, s)| (st.status(app, t, now), s.expires))
            .collect()
    }

    /// Records subscriptions the store has made (from `now` until `expires`) and the ones
    /// it dropped for the cap.
    pub fn subscribed(
        &self,
        app: u32,
        subscriber: &str,
        targets: &[String],
        dropped: &[String],
        now: u64,
        expires: u64,
    ) {
        let mut st = self.lock();
        st.expire(app, subscriber, now);
        for t in targets {
            st.subscribe(app, subscriber, t, now, expires);
        }
        for t in dropped {
            st.unsubscribe(app, subscriber, t);
        }
    }

    /// Records subscriptions the store has ended.
    pub fn unsubscribed(&self, app: u32, subscriber: &str, targets: &[String]) {
        let mut st = self.lock();
        for t in targets {
            st.unsubscribe(app, subscriber, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::presence::{CustomStatus, Subscription};

    fn targets(list: &[(UserStatus, u64)]) -> Vec<&str> {
        list.iter().map(|(s, _)| s.user_id.as_str()).collect()
    }

    #[test]
    fn subscriptions_are_indexed_both_ways_and_expire() {
        let p = Presence::default();
        p.subscribed(1, "alice", &["bob".into(), "carol".into()], &[], 100, 1000);
        p.subscribed(1, "dave", &["bob".into()], &[], 100, 500);
        let mut subs = p.subscribers(1, "bob", 200);
        subs.sort();
        assert_eq!(subs, ["alice", "dave"]);
        assert!(p.subscribers(2, "bob", 200).is_empty(), "apps are separate");
        assert_eq!(
            p.subscribers(1, "bob", 600),
            ["alice"],
            "dave's has expired"
        );
        assert_eq!(targets(&p.subscriptions(1, "alice", 200)), ["bob", "carol"]);
        p.unsubscribed(1, "alice", &["bob".into()]);
        assert_eq!(targets(&p.subscriptions(1, "alice", 200)), ["carol"]);
        assert!(p.subscriptions(1, "alice", 1000).is_empty());
        assert!(p.subscribers(1, "carol", 1000).is_empty());
    }

    #[test]
    fn statuses_follow_sessions_and_custom_statuses_expire() {
        let p = Presence::default();
        let s = p.status(1, "bob", 10);
        assert_eq!(
            (s.online_status, s.last_update_time),
            (online_status::OFFLINE, 0)
        );
        let s = p
            .set_online_status(1, "bob", online_status::ONLINE, 20)
            .unwrap();
        assert_eq!((s.online_status, s.last_online_status_update_time), (0, 20));
        assert!(p
            .set_online_status(1, "bob", online_status::ONLINE, 30)
            .is_none());
        assert!(p.may_set_custom_status(1, "bob", 40));
        let s = p.set_custom_status(1, "bob", "busy", 40, 100);
        assert_eq!(
            (
                s.custom_status.as_str(),
                s.custom_status_expired_time,
                s.last_update_time
            ),
            ("busy", 100, 40)
        );
        assert!(!p.may_set_custom_status(1, "bob", 500));
        assert!(p.may_set_custom_status(1, "bob", 1040));
        assert_eq!(p.status(1, "bob", 100).custom_status, "", "expired");
    }

    #[test]
    fn load_takes_what_the_store_kept() {
        let p = Presence::default();
        p.load(StoredPresence {
            subscriptions: vec![Subscription {
                app: 1,
                subscriber: "alice".into(),
                target: "bob".into(),
                subscribed_at: 5,
                expires_at: 50,
            }],
            custom_statuses: vec![CustomStatus {
                app: 1,
                user_id: "bob".into(),
                status: "away".into(),
                updated_at: 5,
                expires_at: 50,
            }],
        });
        assert_eq!(p.subscribers(1, "bob", 10), ["alice"]);
        assert_eq!(p.status(1, "bob", 10).custom_status, "away");
    }
}
