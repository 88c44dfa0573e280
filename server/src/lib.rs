//! tinyim-server's reusable part: the Token04 format ([`token`]), for Rust back ends and
//! tools that mint or check login tokens (the load generator in `bench/` mints with it).
//! Everything else is the `tinyim-server` binary (`main.rs`).

pub mod token;
