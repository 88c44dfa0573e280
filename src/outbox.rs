//! Messages sent by the app and not yet answered by the server: one strict FIFO per
//! conversation, paced under the server's rate.
//!
//! **Order.** A user's messages to one conversation are stored in the order the app sent
//! them, whatever happens to the connection. The outbox keeps every unanswered send in call
//! order and puts a send on the wire only when every earlier send of its conversation is on
//! the wire already (or answered). Sends are pipelined, so each one names the earlier send it
//! must follow, `prev_client_message_id` (the previous unanswered send of its
//! conversation, 0 if none), and the server stores it only if that one is stored
//! (docs/protocol.md, "Sender order"). When a send is refused, every later send of its
//! conversation already on the wire is refused too (each one's predecessor is missing), so
//! the outbox takes the refused send and that whole tail back and sends them again, in
//! order; their answers to the first attempt are then stale and ignored (a resend is
//! idempotent, so nothing is lost by ignoring one). A dropped connection takes everything
//! back the same way, to go again after the next login.
//!
//! **Pace.** Every transmission, first or resent, goes through a [`SendPacer`] that keeps
//! the client under the server's per-user rate, so a backlog after an outage goes out at the
//! server's rate instead of all at once. If the server still refuses one for its rate
//! (6000005), that send and its tail go back, and that message type waits
//! [`RATE_HOLD_MS`] before anything of it goes again.
//!
//! **Settling** (the rule docs/protocol.md states). A send's promise settles exactly once,
//! with the server's answer to it: resolved by its `SendAck` (the first one; a resend of a
//! stored message gets the original ack again), or rejected by a refusal that means "not
//! stored" (6000001, 6000008, 6000321, 6000322 ...). Two refusals are not answers but
//! "not yet": 6000005 (the server's rate) and 6000203 (its predecessor is not stored yet):
//! the send waits and goes again, and the app never sees either. No timer fails a send:
//! while the session lasts, a send whose ack was lost with a connection is sent again, with
//! the same `client_message_id`, on every new connection until the server answers it, so a
//! send that reached the server is always reported as sent. Only the end of the session
//! (logout, kick-out, a refused re-login) fails what is still unanswered, with its reason.

use crate::api::{Millis, OpId};
use crate::rate_limit::SendPacer;
use tinyim_protocol::{message_type, Send};

/// How long a message type waits after the server refused a send of it for its rate
/// (6000005): the server's bucket is full again after a second, whatever else was in flight.
pub(crate) const RATE_HOLD_MS: Millis = 1_000;

/// One unanswered send.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) op: OpId,
    /// The frame body; `prev_client_message_id` is set afresh at each transmission.
    pub(crate) send: Send,
    /// Its request id on the current connection; `None` while it waits to be (re)sent.
    wire_id: Option<u32>,
    /// It went on the wire and no answer said it was not stored: it may be stored, so it
    /// can no longer be cancelled.
    maybe_stored: bool,
}

/// Why the server did not take a send (yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// 6000005: over the server's rate. Goes again after [`RATE_HOLD_MS`].
    Rate,
    /// 6000203: the message it follows is not stored yet. Goes again behind it.
    Predecessor,
    /// Anything else: the send failed and leaves the outbox.
    Final,
}

fn same_conversation(a: &Send, b: &Send) -> bool {
    a.conversation_type == b.conversation_type && a.to == b.to
}

/// Index of a message type in per-type arrays.
fn type_slot(kind: u8) -> usize {
    usize::from(message_type::is_signal(kind))
}

/// Unanswered sends, in call order.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    list: Vec<Pending>,
    pacer: SendPacer,
    /// Per message type: a send that may go as far as order is concerned waits for the
    /// pacer (set by the last [`Outbox::transmit`]).
    paced: [bool; 2],
}

impl Outbox {
    /// Adds a send at the end of the queue (it goes out with the next [`Outbox::transmit`]).
    pub(crate) fn push(&mut self, op: OpId, send: Send) {
        self.list.push(Pending {
            op,
            send,
            wire_id: None,
            maybe_stored: false,
        });
    }

    /// Puts on the wire, in call order, every waiting send that may go at `now`: every
    /// earlier send of its conversation is on the wire already, and the pacer has room for
    /// its type. `put` transmits the frame body and returns its request id.
    pub(crate) fn transmit(&mut self, now: Millis, mut put: impl FnMut(&Send) -> u32) {
        self.paced = [false; 2];
        // Per conversation met so far: the index of its newest send.
        let mut newest: Vec<usize> = Vec::new();
        for i in 0..self.list.len() {
            if self.paced == [true; 2] {
                break; // nothing more can go now
            }
            let slot = newest
                .iter()
                .position(|&j| same_conversation(&self.list[j].send, &self.list[i].send));
            let prev = slot.map(|k| newest[k]);
            match slot {
                Some(k) => newest[k] = i,
                None => newest.push(i),
            }
            if self.list[i].wire_id.is_some() {
                continue;
            }
            // Behind an earlier send of its conversation that is still waiting.
            if prev.is_some_and(|j| self.list[j].wire_id.is_none()) {
                continue;
            }
            let kind = self.list[i].send.message_type;
            if self.paced[type_slot(kind)] {
                continue;
            }
            if !self.pacer.bucket(kind).try_take(now) {
                self.paced[type_slot(kind)] = true;
                continue;
            }
            let prev_id = prev.map_or(0, |j| self.list[j].send.client_message_id);
            let pending = &mut self.list[i];
            pending.send.prev_client_message_id = prev_id;
            pending.wire_id = Some(put(&pending.send));
            pending.maybe_stored = true;
        }
    }

    /// When the pacer lets a waiting send go (only meaningful while online: offline, nothing
    /// goes anyway).
    pub(crate) fn next_wake(&self) -> Option<Millis> {
        [message_type::TEXT, message_type::COMMAND]
            .into_iter()
            .filter(|&kind| self.paced[type_slot(kind)])
            .map(|kind| self.pacer.ready_at(kind))
            .min()
    }

    /// Removes and returns the send answered by `wire_id` with its `SendAck`.
    pub(crate) fn acked(&mut self, wire_id: u32) -> Option<Pending> {
        let i = self.position(wire_id)?;
        Some(self.list.remove(i))
    }

    /// The server refused the send `wire_id` (at `now`). It and every later send of its
    /// conversation on the wire go back to wait; a [`Refusal::Final`] one leaves the outbox
    /// and is returned, to fail. `None` for an unknown (stale) `wire_id`.
    pub(crate) fn refused(
        &mut self,
        wire_id: u32,
        refusal: Refusal,
        now: Millis,
    ) -> Option<Option<Pending>> {
        let i = self.position(wire_id)?;
        let (kind, to) = (
            self.list[i].send.conversation_type,
            self.list[i].send.to.clone(),
        );
        for later in &mut self.list[i..] {
            if later.send.conversation_type == kind && later.send.to == to {
                later.wire_id = None;
            }
        }
        // A refusal means "not stored" (its tail's answers are stale: they may be stored).
        self.list[i].maybe_stored = false;
        Some(match refusal {
            Refusal::Final => Some(self.list.remove(i)),
            Refusal::Rate => {
                let kind = self.list[i].send.message_type;
                self.pacer
                    .bucket(kind)
                    .empty_until(now.saturating_add(RATE_HOLD_MS));
                None
            }
            Refusal::Predecessor => None,
        })
    }

    /// Takes back the send with `client_message_id` if it was never stored and is not on
    /// its way (`cancelSendingMessage`): the sends after it simply follow its predecessor.
    pub(crate) fn cancel(&mut self, client_message_id: u64) -> Option<Pending> {
        let i = self.list.iter().position(|p| {
            p.send.client_message_id == client_message_id && p.wire_id.is_none() && !p.maybe_stored
        })?;
        Some(self.list.remove(i))
    }

    /// `wire_id` is the request id of a send on the wire now.
    pub(crate) fn on_wire(&self, wire_id: u32) -> bool {
        self.position(wire_id).is_some()
    }

    /// The send `wire_id` is on the wire and names a predecessor.
    pub(crate) fn follows_another(&self, wire_id: u32) -> bool {
        self.position(wire_id)
            .is_some_and(|i| self.list[i].send.prev_client_message_id != 0)
    }

    fn position(&self, wire_id: u32) -> Option<usize> {
        self.list.iter().position(|p| p.wire_id == Some(wire_id))
    }

    /// The connection dropped: every send must go out again, in order, after the next login.
    pub(crate) fn connection_lost(&mut self) {
        for p in &mut self.list {
            p.wire_id = None;
        }
        self.paced = [false; 2];
    }

    /// Removes every send (the session ended).
    pub(crate) fn drain(&mut self) -> Vec<Pending> {
        self.paced = [false; 2];
        core::mem::take(&mut self.list)
    }
}
