//! Heartbeat: notice a dead connection that the transport has not reported.
//!
//! Mobile networks drop silently (a mini program put in the background, a NAT that forgot
//! the flow): the socket looks open but nothing arrives. docs/protocol.md: the client sends
//! `Ping` every [`PING_INTERVAL_MS`] while logged in, and if *no frame at all* arrives within
//! [`PONG_TIMEOUT_MS`] of a `Ping`, it treats the connection as dead and reconnects.
//!
//! When the platform says something changed (the app came back to the foreground, the
//! network came back) the client does not wait for the next interval: it [`Heartbeat::probe`]s
//! with a `Ping` at once, which must be answered within the shorter [`PROBE_TIMEOUT_MS`].

use crate::api::Millis;

/// Time between two `Ping`s while logged in.
pub(crate) const PING_INTERVAL_MS: Millis = 20_000;
/// How long after a `Ping` a silent connection is declared dead.
pub(crate) const PONG_TIMEOUT_MS: Millis = 10_000;
/// How long after a probe `Ping` (app shown, network back) a silent connection is declared
/// dead: the server answers a `Ping` at once, and 5 s leaves room for a phone's radio to
/// wake up, while the user looking at the app does not wait out a whole heartbeat.
pub(crate) const PROBE_TIMEOUT_MS: Millis = 5_000;

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
    /// A `Ping` is unanswered: the connection is dead if nothing arrives by then.
    dead_at: Option<Millis>,
}

impl Heartbeat {
    /// A login succeeded at `now`: first `Ping` one interval later.
    pub(crate) fn start(&mut self, now: Millis) {
        self.next_ping = Some(now.saturating_add(PING_INTERVAL_MS));
        self.dead_at = None;
    }

    /// The connection is gone: no timers.
    pub(crate) fn stop(&mut self) {
        *self = Heartbeat::default();
    }

    /// A frame arrived: the connection is alive.
    pub(crate) fn on_frame(&mut self) {
        self.dead_at = None;
    }

    /// Checks the timers at `now`. A returned [`Beat::Ping`] counts as sent.
    pub(crate) fn poll(&mut self, now: Millis) -> Beat {
        if self.dead_at.is_some_and(|t| now >= t) {
            return Beat::Dead;
        }
        match self.next_ping {
            Some(at) if now >= at => {
                self.next_ping = Some(now.saturating_add(PING_INTERVAL_MS));
                if self.dead_at.is_none() {
                    self.dead_at = Some(now.saturating_add(PONG_TIMEOUT_MS));
                }
                Beat::Ping
            }
            _ => Beat::Idle,
        }
    }

    /// Checks the connection now (while logged in): returns `true` if a `Ping` must be sent
    /// (it counts as sent); an answer is due within [`PROBE_TIMEOUT_MS`] either way.
    pub(crate) fn probe(&mut self, now: Millis) -> bool {
        if self.next_ping.is_none() {
            return false; // not logged in on this connection
        }
        let due = now.saturating_add(PROBE_TIMEOUT_MS);
        let fresh = self.dead_at.is_none();
        self.dead_at = Some(self.dead_at.map_or(due, |t| t.min(due)));
        if fresh {
            self.next_ping = Some(now.saturating_add(PING_INTERVAL_MS));
        }
        fresh
    }

    /// When [`Heartbeat::poll`] next has something to do.
    pub(crate) fn next_deadline(&self) -> Option<Millis> {
        crate::min_time(self.next_ping, self.dead_at)
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

    #[test]
    fn a_probe_pings_now_and_wants_a_quicker_answer() {
        let mut hb = Heartbeat::default();
        assert!(!hb.probe(0), "no probe without a logged-in connection");
        hb.start(0);
        assert!(hb.probe(7_000));
        assert_eq!(hb.next_deadline(), Some(12_000));
        assert_eq!(hb.poll(11_999), Beat::Idle);
        assert_eq!(hb.poll(12_000), Beat::Dead);

        // A regular Ping is out: no second Ping, but its answer is now due sooner.
        hb.start(0);
        assert_eq!(hb.poll(20_000), Beat::Ping);
        assert!(!hb.probe(21_000));
        assert_eq!(hb.next_deadline(), Some(26_000));
        hb.on_frame();
        assert_eq!(hb.next_deadline(), Some(40_000));
        assert_eq!(hb.poll(u64::MAX), Beat::Ping);
        assert!(!hb.probe(u64::MAX));
    }
}
