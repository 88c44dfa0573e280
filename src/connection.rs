//! The ZIM connection state machine: where the connection is, what ZIM state the app
//! sees, and what a close code means.
//!
//! Internally the connection moves through [`Phase`]s (opening the transport, logging in,
//! online, waiting out a backoff); the app sees ZIM's coarser `ConnectionState` with the
//! event that caused each change (ZIM-API.md §5). The mapping:
//!
//! | what happened | state, event |
//! |---|---|
//! | `login()` called | Connecting, ActiveLogin |
//! | `LoginOk` (first or after a reconnect) | Connected, Success |
//! | no `LoginOk` within the login timeout | Disconnected, LoginTimeout |
//! | transport lost / heartbeat lost / bad frame while logged in | Reconnecting, LoginInterrupted |
//! | login refused (`Error` answer, close 4001) with 6000106 | Disconnected, TokenExpired |
//! | login refused with any other code | Disconnected, LoginInterrupted |
//! | `Kicked` frame or close 4002 | Disconnected, KickedOut |
//! | `logout()` | Disconnected, Success (as ZIM does for an active logout) |
//!
//! Close codes (docs/protocol.md): 4001 and 4002 end the session; every other close of a
//! connection the client did not close itself (1001 restart, 1002, 4003, 4004, 1006 ...)
//! leads to a reconnect with backoff.

use crate::api::{ConnectionEvent, ConnectionState, Millis};
use crate::heartbeat::Heartbeat;
use crate::reconnect::Backoff;
use tinyim_protocol::{close_code, code};

/// How long one connection attempt (open the transport, then get `LoginOk`) may take
/// before it is abandoned and retried; also the first login's overall timeout.
pub(crate) const LOGIN_TIMEOUT_MS: Millis = 10_000;

/// Where the connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// No connection and none wanted: before login, after logout or a terminal close.
    Idle,
    /// `Output::Connect` issued; waiting for `TransportOpened` until `deadline`.
    Opening { deadline: Millis },
    /// `Login` sent with `request_id`; waiting for `LoginOk` until `deadline`.
    LoggingIn { request_id: u32, deadline: Millis },
    /// Logged in.
    Online,
    /// The transport is gone; the next attempt starts at `at`.
    Backoff { at: Millis },
}

impl Phase {
    /// `true` when a transport exists or is being opened (so leaving needs a Disconnect).
    pub(crate) fn has_transport(self) -> bool {
        matches!(
            self,
            Phase::Opening { .. } | Phase::LoggingIn { .. } | Phase::Online
        )
    }

    /// The phase's own timer.
    pub(crate) fn deadline(self) -> Option<Millis> {
        match self {
            Phase::Opening { deadline } | Phase::LoggingIn { deadline, .. } => Some(deadline),
            Phase::Backoff { at } => Some(at),
            Phase::Idle | Phase::Online => None,
        }
    }
}

/// What a transport close means for the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CloseMeaning {
    /// Reconnect with backoff and resume.
    Reconnect,
    /// The session is over: tell the app `event` and fail pending calls with `code`.
    End { event: ConnectionEvent, code: u32 },
}

/// Interprets close `close`, given the code of the last `Error`/`Kicked` frame on this
/// connection (the server announces why before it closes).
pub(crate) fn close_meaning(close: u16, last_error: Option<u32>) -> CloseMeaning {
    match close {
        close_code::LOGIN_FAILED => {
            let code = last_error.unwrap_or(code::TOKEN_INVALID);
            CloseMeaning::End {
                event: refusal_event(code),
                code,
            }
        }
        close_code::KICKED_OUT => CloseMeaning::End {
            event: ConnectionEvent::KickedOut,
            code: last_error.unwrap_or(code::USER_ALREADY_LOGGED),
        },
        _ => CloseMeaning::Reconnect,
    }
}

/// The event for a refused login with ZIM error `code`.
pub(crate) fn refusal_event(code: u32) -> ConnectionEvent {
    if code == code::TOKEN_EXPIRED {
        ConnectionEvent::TokenExpired
    } else {
        ConnectionEvent::LoginInterrupted
    }
}

/// The connection: its phase, the ZIM state shown to the app, and its timers.
#[derive(Debug)]
pub(crate) struct Connection {
    pub(crate) phase: Phase,
    pub(crate) state: ConnectionState,
    pub(crate) backoff: Backoff,
    pub(crate) heartbeat: Heartbeat,
    /// Code of the last `Error` (request id 0) or `Kicked` frame on this connection.
    pub(crate) last_error: Option<u32>,
    /// The app or the network just came back: if this connection (or the attempt under
    /// way) fails before the next login succeeds, try again at once, without a backoff.
    pub(crate) retry_now: bool,
}

impl Default for Connection {
    fn default() -> Self {
        Connection {
            phase: Phase::Idle,
            state: ConnectionState::Disconnected,
            backoff: Backoff::default(),
            heartbeat: Heartbeat::default(),
            last_error: None,
            retry_now: false,
        }
    }
}

impl Connection {
    /// Moves the app-visible state; returns `true` if it changed (then the app is told).
    pub(crate) fn set_state(&mut self, state: ConnectionState) -> bool {
        let changed = self.state != state;
        self.state = state;
        changed
    }

    /// The earliest timer of the connection.
    pub(crate) fn next_deadline(&self) -> Option<Millis> {
        crate::min_time(self.phase.deadline(), self.heartbeat.next_deadline())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_codes() {
        assert_eq!(close_meaning(1001, None), CloseMeaning::Reconnect);
        assert_eq!(close_meaning(1006, Some(1)), CloseMeaning::Reconnect);
        assert_eq!(
            close_meaning(4001, Some(code::TOKEN_EXPIRED)),
            CloseMeaning::End {
                event: ConnectionEvent::TokenExpired,
                code: code::TOKEN_EXPIRED
            }
        );
        assert!(matches!(
            close_meaning(4002, None),
            CloseMeaning::End {
                event: ConnectionEvent::KickedOut,
                ..
            }
        ));
    }
}
