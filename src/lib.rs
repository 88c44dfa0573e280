//! tinyim SDK core: a sans-IO instant-messaging client.
//!
//! The core reads no clock, opens no socket, sleeps never and spawns nothing: the host feeds
//! it [`Input`]s, app [`Command`]s and the current time, and carries out the [`Output`]s it
//! returns (the design of str0m and quinn-proto). That makes every timing behaviour —
//! heartbeats, reconnect backoff, request timeouts, token expiry, rate limits — testable with
//! a simulated clock, and keeps the wasm binding thin.

pub mod api;
mod client;

pub use api::*;
pub use client::Client;
