//! Heartbeat: notice a dead connection that the transport has not reported.
//!
//! Mobile networks drop silently (a mini program put in the background, a NAT that forgot
//! the flow): the socket looks open but nothing arrives. docs/protocol.md: the client sends
//! `Ping` every [`PING_INTERVAL_MS`] while logged in, and if *no frame at all* arrives within
//! [`PONG_TIMEOUT_MS`] of a `Ping`, it treats the connection as dead and reconnects.

use crate::api::Millis;

/// Time between two `Ping`s while logged in.
pub(crate) const PING_INTERVAL_MS: Millis = 20_000;
/// How long after a `Ping` a silent connection is declared dead.
pub(crate) const PONG_TIMEOUT_MS: Millis = 10_000;

/// What the heartbeat wants done now.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Beat {
    /// Nothing yet.
    Idle,
    /// Send a `Ping`.
    Ping,
    /// Nothing arrived since the last `Ping` in time: the connection is dead.
    Dead,
}

/// Heartbeat timers of the logged-in connection (inactive otherwise).
#[derive(Debug, Default)]
pub(crate) struct Heartbeat {
    next_ping: Option<Millis>,
    ping_sent_at: Option<Millis>,
}

impl Heartbeat {
    /// A login succeeded at `now`: first `Ping` one interval later.
    pub(crate) fn start(&mut self, now: Millis) {
        self.next_ping = Some(now.saturating_add(PING_INTERVAL_MS));
        self.ping_sent_at = None;
    }

    /// The connection is gone: no timers.
    pub(crate) fn stop(&mut self) {
        *self = Heartbeat::default();
    }

    /// A frame arrived: the connection is alive.
    pub(crate) fn on_frame(&mut self) {
        self.ping_sent_at = None;
    }

    /// Checks the timers at `now`. A returned [`Beat::Ping`] counts as sent.
    pub(crate) fn poll(&mut self, now: Millis) -> Beat {
        if let Some(sent) = self.ping_sent_at {
            if now >= sent.saturating_add(PONG_TIMEOUT_MS) {
                return Beat::Dead;
            }
        }
        match self.next_ping {
            Some(at) if now >= at => {
                self.next_ping = Some(now.saturating_add(PING_INTERVAL_MS));
                if self.ping_sent_at.is_none() {
                    self.ping_sent_at = Some(now);
                }
                Beat::Ping
            }
            _ => Beat::Idle,
        }
    }

    /// When [`Heartbeat::poll`] next has something to do.
    pub(crate) fn next_deadline(&self) -> Option<Millis> {
        let dead = self.ping_sent_at.map(|s| s.saturating_add(PONG_TIMEOUT_MS));
        crate::min_time(self.next_ping, dead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_on_interval_and_dies_after_silence() {
        let mut hb = Heartbeat::default();
        assert_eq!(hb.next_deadline(), None);
        hb.start(1_000);
        assert_eq!(hb.poll(20_999), Beat::Idle);
        assert_eq!(hb.poll(21_000), Beat::Ping);
        assert_eq!(hb.next_deadline(), Some(31_000));
        hb.on_frame();
        assert_eq!(hb.next_deadline(), Some(41_000));
        assert_eq!(hb.poll(41_000), Beat::Ping);
        assert_eq!(hb.poll(50_999), Beat::Idle);
        assert_eq!(hb.poll(51_000), Beat::Dead);
        hb.start(u64::MAX - 1);
        assert_eq!(hb.poll(u64::MAX), Beat::Ping);
    }
}
