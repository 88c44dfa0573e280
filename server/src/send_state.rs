//! What the server remembers about a user's sends across connections: the rate budget, the
//! acks of recent room sends (for resends, and for sender order: a room send naming a
//! `prev_client_message_id` is taken only if that one is among them) and the answers of
//! recent state-changing method calls.
//!
//! Both must outlive one connection. A rate budget kept per connection resets on every
//! re-login, so a client could dodge the limit by reconnecting. And room messages are not
//! stored, so their de-duplication lives here: a room send whose ack was lost in a dropped
//! connection is resent by the SDK after it reconnects, and must get its first ack back
//! instead of reaching the room a second time. (Peer sends are de-duplicated by the store.)
//! A method call that changes state (`createGroup`, `updateUserName` ...) is resent the same
//! way with its call ID, and gets its first answer back instead of running twice.
//!
//! Entries of users who are gone are dropped once they have been idle for a while, so the
//! map stays the size of the recently active users.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tinyim_protocol::{Body, SendAck};

use crate::rate_limit::RateLimiter;

/// How many recent room sends a user's resends and order checks are checked against.
const ROOM_DEDUPE: usize = 256;
/// How many answers of recent state-changing method calls are remembered per user.
const CALL_DEDUPE: usize = 32;

/// How long a user's state is kept after their last send or login, at least. Longer than
/// any reconnect backoff (30 s) with room to spare; a client that comes back later than
/// that with room sends still unacknowledged may have one delivered twice.
const IDLE_KEEP: Duration = Duration::from_secs(120);

/// One user's send memory.
#[derive(Debug)]
pub struct SendState {
    pub limiter: RateLimiter,
    room_acks: HashMap<u64, SendAck>,
    room_ack_order: VecDeque<u64>,
    /// (call ID, answer body) of recent state-changing calls, oldest first.
    call_answers: VecDeque<(u64, Body)>,
    last_used: Instant,
}

impl SendState {
    fn new(now: Instant) -> Self {
        SendState {
            limiter: RateLimiter::new(now),
            room_acks: HashMap::new(),
            room_ack_order: VecDeque::new(),
            call_answers: VecDeque::new(),
            last_used: now,
        }
    }

    /// The ack of an earlier room send with this client message id, if remembered.
    pub fn room_ack(&self, client_message_id: u64) -> Option<SendAck> {
        self.room_acks.get(&client_message_id).cloned()
    }

    /// Remembers the ack of a room send, forgetting the oldest past [`ROOM_DEDUPE`].
    pub fn remember_room_ack(&mut self, client_message_id: u64, ack: SendAck) {
        if self.room_acks.insert(client_message_id, ack).is_none() {
            self.room_ack_order.push_back(client_message_id);
        }
        if self.room_ack_order.len() > ROOM_DEDUPE {
            if let Some(old) = self.room_ack_order.pop_front() {
                self.room_acks.remove(&old);
            }
        }
    }
}

impl SendState {
    /// The answer (a `Reply` or `Error` body) given to the state-changing call `call_id`,
    /// if remembered: a resend after a reconnect gets it again instead of a second run.
    pub fn call_answer(&self, call_id: u64) -> Option<Body> {
        self.call_answers
            .iter()
            .find(|(id, _)| *id == call_id)
            .map(|(_, b)| b.clone())
    }

    /// Remembers the answer of a state-changing call, forgetting the oldest past
    /// [`CALL_DEDUPE`].
    pub fn remember_call_answer(&mut self, call_id: u64, answer: Body) {
        self.call_answers.push_back((call_id, answer));
        if self.call_answers.len() > CALL_DEDUPE {
            self.call_answers.pop_front();
        }
    }
}

/// A user's [`SendState`], held by each of their connections and by [`SendStates`].
pub type SharedSendState = Arc<Mutex<SendState>>;

/// Every recently active user's [`SendState`], keyed by (app, user).
#[derive(Default)]
pub struct SendStates {
    users: Mutex<HashMap<(u32, String), SharedSendState>>,
}

impl SendStates {
    /// The state of (app, user), created if new. Called at login; also sweeps out users
    /// idle for longer than [`IDLE_KEEP`] now and then (when the map has doubled).
    pub fn get(&self, app: u32, user: &str, now: Instant) -> SharedSendState {
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        let state = Arc::clone(
            users
                .entry((app, user.to_owned()))
                .or_insert_with(|| Arc::new(Mutex::new(SendState::new(now)))),
        );
        touch(&state, now);
        if users.len() >= 1024 && users.len().is_power_of_two() {
            users.retain(|_, s| {
                Arc::strong_count(s) > 1
                    || s.lock()
                        .map(|s| now.saturating_duration_since(s.last_used) < IDLE_KEEP)
                        .unwrap_or(false)
            });
        }
        state
    }
}

/// Marks `state` as used at `now`.
pub fn touch(state: &Mutex<SendState>, now: Instant) {
    if let Ok(mut s) = state.lock() {
        s.last_used = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_outlives_a_connection_and_idle_users_are_swept() {
        let states = SendStates::default();
        let t0 = Instant::now();
        let alice = states.get(1, "alice", t0);
        alice
            .lock()
            .unwrap()
            .remember_room_ack(7, SendAck::default());
        drop(alice);
        // A re-login finds the same state: the ack and the spent rate budget.
        let again = states.get(1, "alice", t0);
        assert!(again.lock().unwrap().room_ack(7).is_some());
        assert!(states
            .get(2, "alice", t0)
            .lock()
            .unwrap()
            .room_ack(7)
            .is_none());
        drop(again);
        // Enough other users to trigger a sweep, long after alice left.
        let later = t0 + IDLE_KEEP + Duration::from_secs(1);
        for i in 0..1100 {
            states.get(1, &format!("u{i}"), later);
        }
        assert!(states
            .get(1, "alice", later)
            .lock()
            .unwrap()
            .room_ack(7)
            .is_none());
    }

    #[test]
    fn room_acks_are_bounded() {
        let mut s = SendState::new(Instant::now());
        for id in 0..(ROOM_DEDUPE as u64 + 10) {
            s.remember_room_ack(id, SendAck::default());
        }
        assert!(s.room_ack(0).is_none());
        assert!(s.room_ack(ROOM_DEDUPE as u64 + 9).is_some());
        assert_eq!(s.room_acks.len(), ROOM_DEDUPE);
    }
}
