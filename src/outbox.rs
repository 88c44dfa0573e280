//! Messages sent by the app and not yet acknowledged by the server.
//!
//! docs/protocol.md makes `Send` idempotent per `client_message_id`, so a message whose
//! `SendAck` was lost with a dropped connection is simply sent again, with the same id,
//! after the next login; the server answers with the original ack and does not deliver it
//! twice. The app's promise settles exactly once: with the first ack, or with 6000105 when
//! no ack has come [`SEND_TIMEOUT_MS`] after the call, however many reconnects happened.
//! A message that times out is removed, so a late ack for it is ignored (it may still have
//! been stored: the same trade-off every IM SDK makes at its send timeout).

use crate::api::{Millis, OpId};
use tinyim_protocol::Send;

/// How long a send may wait for its ack in total, across reconnects. Longer than a
/// request's timeout because a send survives reconnects and losing one is worse.
pub(crate) const SEND_TIMEOUT_MS: Millis = 30_000;

/// How long a send refused for the server's rate (6000005) in a burst waits to go again:
/// the server's text bucket (10/s) is full again after a second.
pub(crate) const RATE_RETRY_MS: Millis = 1_000;

/// One unacknowledged send.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) op: OpId,
    pub(crate) send: Send,
    pub(crate) deadline: Millis,
    /// Its request id on the current connection; `None` while unsent.
    pub(crate) wire_id: Option<u32>,
    /// Sent in the burst after a login (or queued behind such a send): the client, not the
    /// app, outran the server's rate if it is refused with 6000005, so it goes again.
    pub(crate) burst: bool,
    /// When a send refused for the server's rate goes again (while unsent).
    pub(crate) retry_at: Option<Millis>,
}

/// Unacknowledged sends, in call order (resent in that order).
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    list: Vec<Pending>,
}

impl Outbox {
    /// Adds a send.
    pub(crate) fn push(&mut self, pending: Pending) {
        self.list.push(pending);
    }

    /// Removes and returns the send answered by `wire_id`.
    pub(crate) fn take(&mut self, wire_id: u32) -> Option<Pending> {
        let i = self.list.iter().position(|p| p.wire_id == Some(wire_id))?;
        Some(self.list.remove(i))
    }

    /// Removes and returns one send whose deadline has passed.
    pub(crate) fn take_expired(&mut self, now: Millis) -> Option<Pending> {
        let i = self.list.iter().position(|p| p.deadline <= now)?;
        Some(self.list.remove(i))
    }

    /// The connection dropped: every send must go out again.
    pub(crate) fn connection_lost(&mut self) {
        for p in &mut self.list {
            p.wire_id = None;
            p.retry_at = None;
        }
    }

    /// The server refused the send `wire_id` for its rate: if it was part of a burst, keep
    /// it (in its place) to go again at `at` and return `true`.
    pub(crate) fn defer(&mut self, wire_id: u32, at: Millis) -> bool {
        match self.list.iter_mut().find(|p| p.wire_id == Some(wire_id)) {
            Some(p) if p.burst => {
                p.wire_id = None;
                p.retry_at = Some(at);
                true
            }
            _ => false,
        }
    }

    /// When the earliest deferred send goes again (new sends queue behind it, in order).
    pub(crate) fn deferred_at(&self) -> Option<Millis> {
        self.list.iter().filter_map(|p| p.retry_at).min()
    }

    /// Deferred sends due at `now`, in call order.
    pub(crate) fn due(&mut self, now: Millis) -> impl Iterator<Item = &mut Pending> {
        self.list
            .iter_mut()
            .filter(move |p| p.wire_id.is_none() && p.retry_at.is_some_and(|t| t <= now))
    }

    /// Sends not yet on the current connection, in call order.
    pub(crate) fn unsent(&mut self) -> impl Iterator<Item = &mut Pending> {
        self.list.iter_mut().filter(|p| p.wire_id.is_none())
    }

    /// The app was in the background for `by` ms, which does not count towards the sends'
    /// deadlines.
    pub(crate) fn postpone(&mut self, by: Millis) {
        for p in &mut self.list {
            p.deadline = p.deadline.saturating_add(by);
        }
    }

    /// Removes every send (the session ended).
    pub(crate) fn drain(&mut self) -> Vec<Pending> {
        core::mem::take(&mut self.list)
    }

    /// The earliest deadline.
    pub(crate) fn next_deadline(&self) -> Option<Millis> {
        let deadline = self.list.iter().map(|p| p.deadline).min();
        crate::min_time(deadline, self.deferred_at())
    }
}
