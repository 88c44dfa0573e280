//! Server-side send rate limits (ZIM-API.md §6): text 10/s, command 20/s per user, refused
//! with 6000005. The SDK limits itself first (6000004); this protects the server from
//! clients that do not.

use std::time::Instant;

use tinyim_protocol::limits::{CALLS_PER_SECOND, COMMAND_SENDS_PER_SECOND, TEXT_SENDS_PER_SECOND};
use tinyim_protocol::message_type;

/// A token bucket: `rate` tokens a second, at most `rate` saved up.
#[derive(Debug, Clone)]
struct Bucket {
    rate: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: u32, now: Instant) -> Self {
        Bucket {
            rate: f64::from(rate),
            tokens: f64::from(rate),
            last: now,
        }
    }

    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.rate);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// One user's send limits, and their limit on method calls (twice the SDK's own, so only
/// clients that do not use the SDK meet it).
#[derive(Debug, Clone)]
pub struct RateLimiter {
    text: Bucket,
    command: Bucket,
    calls: Bucket,
}

impl RateLimiter {
    pub fn new(now: Instant) -> Self {
        RateLimiter {
            text: Bucket::new(TEXT_SENDS_PER_SECOND, now),
            command: Bucket::new(COMMAND_SENDS_PER_SECOND, now),
            calls: Bucket::new(2 * CALLS_PER_SECOND, now),
        }
    }

    /// `true` if a method call may be made now (and counts it).
    pub fn allow_call(&mut self, now: Instant) -> bool {
        self.calls.take(now)
    }

    /// `true` if a message of `kind` may be sent now (and counts it).
    pub fn allow(&mut self, kind: u8, now: Instant) -> bool {
        if message_type::is_signal(kind) {
            self.command.take(now)
        } else {
            self.text.take(now)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn ten_texts_a_second() {
        let t0 = Instant::now();
        let mut r = RateLimiter::new(t0);
        assert!((0..10).all(|_| r.allow(message_type::TEXT, t0)));
        assert!(!r.allow(message_type::TEXT, t0));
        assert!((0..20).all(|_| r.allow(message_type::COMMAND, t0)));
        assert!(!r.allow(message_type::COMMAND, t0));
        assert!(r.allow(message_type::TEXT, t0 + Duration::from_millis(110)));
    }
}
