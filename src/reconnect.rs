//! Reconnect backoff: exponential, capped, with jitter.
//!
//! After a connection drops the client must come back quickly when the blip was short, but
//! must not hammer a restarting server with every client at once. So the delay doubles per
//! failed attempt from [`BASE_MS`] up to [`CAP_MS`], and each delay is drawn from the upper
//! half of its window ("equal jitter"): delays still grow monotonically on average, but
//! clients that dropped together spread out.

use crate::api::Millis;
use crate::prng::Prng;

/// Window of the first reconnect attempt: it waits 250-500 ms.
pub(crate) const BASE_MS: Millis = 500;
/// Largest window: no attempt waits longer than 30 s.
pub(crate) const CAP_MS: Millis = 30_000;

/// Counts failed attempts since the last successful login.
#[derive(Debug, Default)]
pub(crate) struct Backoff {
    attempt: u32,
}

impl Backoff {
    /// The delay before the next attempt: uniform in `[w/2, w]` where
    /// `w = min(CAP_MS, BASE_MS * 2^attempt)`. Advances the attempt counter.
    pub(crate) fn next_delay(&mut self, rng: &mut Prng) -> Millis {
        let window = BASE_MS
            .checked_shl(self.attempt.min(32))
            .unwrap_or(CAP_MS)
            .min(CAP_MS);
        self.attempt = self.attempt.saturating_add(1);
        let half = window / 2;
        half.saturating_add(rng.up_to(window - half))
    }

    /// A login succeeded: the next drop starts from the smallest window again.
    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_double_then_cap() {
        let mut rng = Prng::new(3);
        let mut b = Backoff::default();
        let mut window = BASE_MS;
        for _ in 0..100 {
            let d = b.next_delay(&mut rng);
            assert!(d >= window / 2 && d <= window, "{d} outside {window}");
            window = (window * 2).min(CAP_MS);
        }
        b.reset();
        assert!(b.next_delay(&mut rng) <= BASE_MS);
    }
}
