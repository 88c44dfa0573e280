//! Token expiry: warn the app [`WARN_BEFORE_MS`] before its token expires.
//!
//! ZIM fires `tokenWillExpire(second)` 30 s before expiry so the app can fetch a new token
//! and call `renewToken`. The expiry is in server time (`LoginOk.token_expire`, Unix s)
//! and the host clock may be anything monotonic, so the client maps it through the offset
//! between `LoginOk.server_time` (or the latest `Pong`) and the host's `now` at receipt.

use crate::api::Millis;

/// How long before expiry `tokenWillExpire` fires.
pub(crate) const WARN_BEFORE_MS: Millis = 30_000;

/// The current token's expiry on the host clock, and whether the app was warned.
#[derive(Debug, Default)]
pub(crate) struct TokenClock {
    /// A server time (Unix ms) and the host time it was seen at.
    sync: Option<(u64, Millis)>,
    /// The token's expiry in Unix seconds, as the server reported it.
    expire_s: Option<u64>,
    warned: bool,
}

impl TokenClock {
    /// The server said it is `server_ms` (Unix ms) at host time `now`.
    pub(crate) fn sync(&mut self, server_ms: u64, now: Millis) {
        self.sync = Some((server_ms, now));
    }

    /// The current token expires at `expire_s` (Unix s). A new expiry re-arms the warning;
    /// the same one (a re-login with the same token) does not warn twice.
    pub(crate) fn set_expiry(&mut self, expire_s: u64) {
        if self.expire_s != Some(expire_s) {
            self.expire_s = Some(expire_s);
            self.warned = false;
        }
    }

    /// Forget everything (logged out).
    pub(crate) fn clear(&mut self) {
        *self = TokenClock::default();
    }

    /// The expiry on the host clock.
    fn expire_at(&self) -> Option<Millis> {
        let (server_ms, host) = self.sync?;
        let expire_ms = self.expire_s?.saturating_mul(1000);
        Some(if expire_ms >= server_ms {
            host.saturating_add(expire_ms - server_ms)
        } else {
            host.saturating_sub(server_ms - expire_ms)
        })
    }

    /// The token has expired at `now` (as far as the client knows).
    pub(crate) fn expired(&self, now: Millis) -> bool {
        self.expire_at().is_some_and(|at| now >= at)
    }

    /// When the warning is due (if not given yet).
    pub(crate) fn next_deadline(&self) -> Option<Millis> {
        if self.warned {
            return None;
        }
        Some(self.expire_at()?.saturating_sub(WARN_BEFORE_MS))
    }

    /// If the warning is due at `now`, marks it given and returns the seconds left
    /// (rounded up, 0 if already expired).
    pub(crate) fn poll(&mut self, now: Millis) -> Option<u32> {
        if now < self.next_deadline()? {
            return None;
        }
        self.warned = true;
        let left = self.expire_at()?.saturating_sub(now);
        Some(u32::try_from(left.div_ceil(1000)).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_once_thirty_seconds_before() {
        let mut t = TokenClock::default();
        t.sync(1_000_000_000, 5_000);
        t.set_expiry(1_000_100); // 100 s after server time
        assert_eq!(t.next_deadline(), Some(75_000));
        assert_eq!(t.poll(74_999), None);
        assert_eq!(t.poll(75_000), Some(30));
        assert_eq!(t.poll(80_000), None);
        t.set_expiry(1_000_100);
        assert_eq!(t.next_deadline(), None);
        t.set_expiry(0);
        assert_eq!(t.poll(80_000), Some(0));
    }
}
