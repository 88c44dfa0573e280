//! tinyim SDK core: a sans-IO instant-messaging client.
//!
//! The core reads no clock, opens no socket, sleeps never and spawns nothing: the host feeds
//! it [`Input`]s, app [`Command`]s and the current time, and carries out the [`Output`]s it
//! returns (the design of str0m and quinn-proto). That makes every timing behaviour —
//! heartbeats, reconnect backoff, request timeouts, token expiry, rate limits — testable with
//! a simulated clock, and keeps the wasm binding thin.

pub mod api;
mod calls;
mod client;
mod connection;
mod conversations;
mod heartbeat;
mod inbox;
mod local;
mod outbox;
mod prng;
mod rate_limit;
mod reconnect;
mod requests;
mod rooms;
mod token;
mod validate;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use api::*;
pub use client::Client;

/// The earlier of two optional times (`None` = no timer).
pub(crate) fn min_time(a: Option<api::Millis>, b: Option<api::Millis>) -> Option<api::Millis> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}
