//! The table of API requests waiting for the server's answer, and request-id allocation.
//!
//! Every request frame carries a non-zero id that the server echoes (docs/protocol.md), so
//! answers are matched to the API call, and a request that gets no answer within
//! [`REQUEST_TIMEOUT_MS`] fails with 6000105 exactly once. Requests made while the client
//! is reconnecting wait here unsent; requests in flight when the connection drops are sent
//! again on the new connection (answers are per connection). Their deadline is the one set
//! at the call, so a request never takes longer than the timeout in total.
//!
//! Message sends are not kept here: they live in the [`crate::outbox`] with a longer,
//! reconnect-spanning deadline.

use crate::api::{Millis, OpId};
use tinyim_protocol::Body;

/// How long an API request may wait for its answer, across reconnects.
pub(crate) const REQUEST_TIMEOUT_MS: Millis = 10_000;

/// Hands out request ids: non-zero, increasing, wrapping past `u32::MAX` back to 1. Ids are
/// never reused within one connection's lifetime in practice, and never across a
/// reconnect's answers since the counter keeps going.
#[derive(Debug, Default)]
pub(crate) struct RequestIds {
    last: u32,
}

impl RequestIds {
    /// The next request id (never 0).
    pub(crate) fn next(&mut self) -> u32 {
        self.last = self.last.checked_add(1).unwrap_or(1);
        self.last
    }
}

/// What an answer means to the client, beyond completing the op.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// `renewToken(token)`: on success the client logs in with `token` from now on.
    RenewToken { token: String },
    /// `createRoom`.
    CreateRoom,
    /// `joinRoom` / `enterRoom`.
    EnterRoom,
    /// The client re-entering a room it was in, after a reconnect (no API op).
    Reenter,
    /// `leaveRoom(room_id)`.
    LeaveRoom { room_id: String },
    /// Member list, online count, history: just the answer.
    Query,
    /// A method call ([`crate::calls`]): the answer is decoded by `method`'s response shape.
    Call { method: u16 },
}

/// One request waiting for its answer (or for a connection to be sent on).
#[derive(Debug)]
pub(crate) struct Request {
    /// The API call to settle, if any.
    pub(crate) op: Option<OpId>,
    pub(crate) purpose: Purpose,
    /// The frame body, kept to send it again on a new connection.
    pub(crate) body: Body,
    /// When it fails with 6000105.
    pub(crate) deadline: Millis,
    /// Its id on the current connection; `None` while unsent.
    pub(crate) wire_id: Option<u32>,
    /// It has been sent on an earlier connection that dropped.
    pub(crate) resent: bool,
}

/// Requests awaiting answers, in call order.
#[derive(Debug, Default)]
pub(crate) struct Requests {
    list: Vec<Request>,
}

impl Requests {
    /// Adds a request.
    pub(crate) fn push(&mut self, request: Request) {
        self.list.push(request);
    }

    /// Removes and returns the request the answer `wire_id` belongs to.
    pub(crate) fn take(&mut self, wire_id: u32) -> Option<Request> {
        let i = self.list.iter().position(|r| r.wire_id == Some(wire_id))?;
        Some(self.list.remove(i))
    }

    /// Removes and returns one request whose deadline has passed at `now`.
    pub(crate) fn take_expired(&mut self, now: Millis) -> Option<Request> {
        let i = self.list.iter().position(|r| r.deadline <= now)?;
        Some(self.list.remove(i))
    }

    /// The connection dropped: nothing is on the wire any more. Room re-entries are
    /// dropped (the next login issues them afresh); the rest wait for the next connection.
    pub(crate) fn connection_lost(&mut self) {
        self.list.retain(|r| r.purpose != Purpose::Reenter);
        for r in &mut self.list {
            if r.wire_id.take().is_some() {
                r.resent = true;
            }
        }
    }

    /// Requests not yet sent on the current connection, to be given wire ids and sent.
    pub(crate) fn unsent(&mut self) -> impl Iterator<Item = &mut Request> {
        self.list.iter_mut().filter(|r| r.wire_id.is_none())
    }

    /// A `leaveRoom(room_id)` or a `leaveAllRoom()` is waiting for its answer (so the room
    /// is not re-entered).
    pub(crate) fn leaving(&self, room_id: &str) -> bool {
        self.list.iter().any(|r| match &r.purpose {
            Purpose::LeaveRoom { room_id: id } => id == room_id,
            Purpose::Call { method } => {
                crate::rooms::RoomCall::of(*method) == Some(crate::rooms::RoomCall::LeaveAll)
            }
            _ => false,
        })
    }

    /// The app was in the background for `by` ms, which does not count towards the
    /// requests' deadlines.
    pub(crate) fn postpone(&mut self, by: Millis) {
        for r in &mut self.list {
            r.deadline = r.deadline.saturating_add(by);
        }
    }

    /// Removes every request (the session ended).
    pub(crate) fn drain(&mut self) -> Vec<Request> {
        core::mem::take(&mut self.list)
    }

    /// The earliest deadline.
    pub(crate) fn next_deadline(&self) -> Option<Millis> {
        self.list.iter().map(|r| r.deadline).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_skip_zero_when_wrapping() {
        let mut ids = RequestIds { last: u32::MAX - 1 };
        assert_eq!(ids.next(), u32::MAX);
        assert_eq!(ids.next(), 1);
    }
}
