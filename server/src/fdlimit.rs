//! The open-file limit: raised to the hard limit at start, and the number every connection
//! cap is derived from.
//!
//! Each socket is a file descriptor. Linux starts most processes with a soft limit of 1024
//! although the hard limit allows far more, and a server that keeps the soft limit runs out
//! at about a thousand sockets: then `accept` fails, and `/healthz` and new logins with it.
//! So the soft limit is raised to the hard one (no privilege needed), and the caps in
//! [`crate::guard`] are derived from the result so they trigger well before it is reached.

/// The open-file limit as the server runs with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FdLimit {
    /// The soft limit the process was started with.
    pub before: u64,
    /// The soft limit now (what the caps are derived from).
    pub soft: u64,
    /// The hard limit (the ceiling for `soft`).
    pub hard: u64,
}

/// What is assumed when the limit cannot be read (the usual Linux default).
const FALLBACK: u64 = 1024;

/// Raises the soft open-file limit to the hard limit and reports both.
pub fn raise() -> FdLimit {
    let (before, hard) =
        rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap_or((FALLBACK, FALLBACK));
    // `increase_nofile_limit` also respects platform ceilings below the hard limit (macOS).
    let soft = rlimit::increase_nofile_limit(hard).unwrap_or(before);
    FdLimit { before, soft, hard }
}
