//! tinyim-bench as a library: the native host for the SDK core ([`host`]) and the scenarios,
//! so other tools (and later the server tests' driver) can reuse them. The binary in
//! `main.rs` is only the command line.

pub mod all;
pub mod chart;
pub mod client_cost;
pub mod fsync;
pub mod group_cost;
pub mod guard;
pub mod host;
pub mod mqtt;
pub mod proc_stats;
pub mod report;
pub mod scenario;
pub mod server_proc;
pub mod stats;
pub mod store_cost;
pub mod sweep;
pub mod xmpp;
