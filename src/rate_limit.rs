//! Client-side rate limits (ZIM-API.md §6): text 10/s, command 20/s, method calls 30/s.
//!
//! ZIM refuses a send over its rate with 6000004 *before* it leaves the device, so an app
//! that loops over `sendPeerMessage` learns immediately instead of being throttled by the
//! server (6000005). A token bucket per message type allows short bursts up to the limit
//! and refills continuously, so "at most N a second" holds over any one-second window.
//!
//! A second pair of buckets, [`SendPacer`], paces what the outbox puts on the wire (first
//! sends and resends alike), so that the server's own buckets (the same rates, bursts of
//! the full rate) never run dry for a client that uses this SDK: see [`SendPacer`].

use crate::api::{Millis, ZimError};
use tinyim_protocol::{code, limits, message_type};

/// A token bucket holding up to `capacity` tokens, refilled at `per_second` a second.
/// Levels are kept in thousandths of a token so refill needs no floating point.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    per_second: u64,
    capacity: u64,
    milli_tokens: u64,
    /// When the level was last brought up to date (refill starts here).
    last: Option<Millis>,
}

impl TokenBucket {
    /// A full bucket allowing `per_second` takes a second, in bursts of as many.
    pub(crate) fn new(per_second: u32) -> Self {
        Self::with_capacity(per_second, per_second)
    }

    /// A full bucket refilled at `per_second`, holding at most `capacity` (at least 1).
    pub(crate) fn with_capacity(per_second: u32, capacity: u32) -> Self {
        let capacity = u64::from(capacity.max(1));
        TokenBucket {
            per_second: u64::from(per_second.max(1)),
            capacity,
            milli_tokens: capacity.saturating_mul(1000),
            last: None,
        }
    }

    /// Takes one token at `now` if there is one.
    pub(crate) fn try_take(&mut self, now: Millis) -> bool {
        let full = self.capacity.saturating_mul(1000);
        if let Some(last) = self.last {
            // `per_second` tokens per 1000 ms = `per_second` milli-tokens per ms.
            let refill = now.saturating_sub(last).saturating_mul(self.per_second);
            self.milli_tokens = self.milli_tokens.saturating_add(refill).min(full);
        }
        self.last = Some(self.last.map_or(now, |l| l.max(now)));
        if self.milli_tokens >= 1000 {
            self.milli_tokens -= 1000;
            true
        } else {
            false
        }
    }

    /// When the next token is there, if nothing is taken meanwhile (possibly past).
    pub(crate) fn ready_at(&self) -> Millis {
        let Some(last) = self.last else {
            return 0; // never used: full
        };
        let missing = 1000u64.saturating_sub(self.milli_tokens);
        last.saturating_add(missing.div_ceil(self.per_second))
    }

    /// Empties the bucket; it starts refilling at `at` (not before any earlier such time).
    pub(crate) fn empty_until(&mut self, at: Millis) {
        self.milli_tokens = 0;
        self.last = Some(self.last.map_or(at, |l| l.max(at)));
    }
}

/// The per-type send limits of one client, and the limit on method calls.
#[derive(Debug)]
pub(crate) struct RateLimits {
    text: TokenBucket,
    command: TokenBucket,
    calls: TokenBucket,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            text: TokenBucket::new(limits::TEXT_SENDS_PER_SECOND),
            command: TokenBucket::new(limits::COMMAND_SENDS_PER_SECOND),
            calls: TokenBucket::new(limits::CALLS_PER_SECOND),
        }
    }
}

impl RateLimits {
    /// Admits one method call at `now`, or explains the 6000004.
    pub(crate) fn admit_call(&mut self, now: Millis) -> Result<(), ZimError> {
        if self.calls.try_take(now) {
            Ok(())
        } else {
            Err(ZimError::new(
                code::SDK_FREQUENCY_LIMIT,
                "too many calls: at most 30 a second; wait and retry",
            ))
        }
    }

    /// Admits one send of `kind` at `now`, or explains the 6000004.
    pub(crate) fn admit(&mut self, kind: u8, now: Millis) -> Result<(), ZimError> {
        let (bucket, msg) = if message_type::is_signal(kind) {
            (
                &mut self.command,
                "too many commands: at most 20 a second; wait and retry",
            )
        } else {
            (
                &mut self.text,
                "too many messages: at most 10 a second; wait and retry",
            )
        };
        if bucket.try_take(now) {
            Ok(())
        } else {
            Err(ZimError::new(code::SDK_FREQUENCY_LIMIT, msg))
        }
    }
}

/// Paces the outbox's transmissions, per message type, under the server's rate.
///
/// The server counts every `Send` that reaches it (resends too) against buckets of the same
/// rates as [`RateLimits`], holding a full second's worth (10 texts, 20 commands). The pacer
/// refills at those rates but holds only half as much. Transmissions that fit a bucket of
/// burst `b` still fit one of burst `b + rate x J` after a network that delays each by
/// anywhere within a spread of `J`; with half the server's burst kept in reserve, the
/// server refuses nothing unless the delay varies by more than half a second. Sends the
/// app makes within [`RateLimits`] wait here at most half a second; a backlog (sends made
/// during an outage, resends after a reconnect) goes out at the full rate.
#[derive(Debug)]
pub(crate) struct SendPacer {
    text: TokenBucket,
    command: TokenBucket,
}

impl Default for SendPacer {
    fn default() -> Self {
        let (text, command) = (
            limits::TEXT_SENDS_PER_SECOND,
            limits::COMMAND_SENDS_PER_SECOND,
        );
        SendPacer {
            text: TokenBucket::with_capacity(text, text / 2),
            command: TokenBucket::with_capacity(command, command / 2),
        }
    }
}

impl SendPacer {
    /// The bucket that paces messages of `kind` (anything but a command counts as text).
    pub(crate) fn bucket(&mut self, kind: u8) -> &mut TokenBucket {
        match message_type::is_signal(kind) {
            true => &mut self.command,
            false => &mut self.text,
        }
    }

    /// When a message of `kind` may go next (possibly past).
    pub(crate) fn ready_at(&self, kind: u8) -> Millis {
        match kind {
            message_type::COMMAND => self.command.ready_at(),
            _ => self.text.ready_at(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_bursts_then_refills_continuously() {
        let mut b = TokenBucket::new(10);
        for _ in 0..10 {
            assert!(b.try_take(1000));
        }
        assert!(!b.try_take(1000));
        assert!(!b.try_take(1099));
        assert!(b.try_take(1100));
        assert!(!b.try_take(1100));
        assert!(b.try_take(u64::MAX));
    }

    #[test]
    fn pacer_bursts_half_the_rate_and_can_be_held() {
        let mut p = SendPacer::default();
        let text = p.bucket(message_type::TEXT);
        assert_eq!(text.ready_at(), 0);
        for _ in 0..5 {
            assert!(text.try_take(1000));
        }
        assert!(!text.try_take(1000));
        assert_eq!(text.ready_at(), 1100);
        assert!(!text.try_take(1099));
        assert!(text.try_take(1100));
        // Held: empty, refilling only from 3000.
        text.empty_until(3000);
        assert_eq!(text.ready_at(), 3100);
        assert!(!text.try_take(3050));
        assert!(text.try_take(3100));
        assert_eq!(p.ready_at(message_type::COMMAND), 0);
        let command = p.bucket(message_type::COMMAND);
        assert!((0..10).all(|_| command.try_take(5)));
        assert!(!command.try_take(5));
        assert_eq!(command.ready_at(), 55);
    }
}
