//! tinyim-server's reusable part: the Token04 format ([`token`]), for Rust back ends and
//! tools that mint or check login tokens (the load generator in `bench/` mints with it), and
//! the store ([`store`], with the [`metrics`] it reports to), so the bench can measure the
//! store path on its own. Everything else is the `tinyim-server` binary (`main.rs`).

pub mod metrics;
pub mod store;
pub mod token;
