//! Client-side rate limits (ZIM-API.md §6): text 10/s, command 20/s, method calls 30/s.
//!
//! ZIM refuses a send over its rate with 6000004 *before* it leaves the device, so an app
//! that loops over `sendPeerMessage` learns immediately instead of being throttled by the
//! server (6000005). A token bucket per message type allows short bursts up to the limit
//! and refills continuously, so "at most N a second" holds over any one-second window.

use crate::api::{Millis, ZimError};
use tinyim_protocol::{code, limits, message_type};

/// A token bucket holding up to `capacity` tokens, refilled at `capacity` per second.
/// Levels are kept in thousandths of a token so refill needs no floating point.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    capacity: u64,
    milli_tokens: u64,
    last: Option<Millis>,
}

impl TokenBucket {
    /// A full bucket allowing `per_second` takes a second.
    pub(crate) fn new(per_second: u32) -> Self {
        let capacity = u64::from(per_second);
        TokenBucket {
            capacity,
            milli_tokens: capacity.saturating_mul(1000),
            last: None,
        }
    }

    /// Takes one token at `now` if there is one.
    pub(crate) fn try_take(&mut self, now: Millis) -> bool {
        let full = self.capacity.saturating_mul(1000);
        if let Some(last) = self.last {
            // `capacity` tokens per 1000 ms = `capacity` milli-tokens per ms.
            let refill = now.saturating_sub(last).saturating_mul(self.capacity);
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
        let (bucket, msg) = match kind {
            message_type::TEXT => (
                &mut self.text,
                "too many text messages: at most 10 a second; wait and retry",
            ),
            message_type::COMMAND => (
                &mut self.command,
                "too many command messages: at most 20 a second; wait and retry",
            ),
            _ => return Ok(()),
        };
        if bucket.try_take(now) {
            Ok(())
        } else {
            Err(ZimError::new(code::SDK_FREQUENCY_LIMIT, msg))
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
}
