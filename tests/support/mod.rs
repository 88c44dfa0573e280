//! Shared test support: a scripted server speaking the real protocol, and a harness that
//! plays host for the client with a simulated clock.
#![allow(dead_code)]

pub mod harness;
pub mod scripted_server;

pub use harness::*;
#[allow(unused_imports)]
pub use scripted_server::*;
