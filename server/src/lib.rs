//! `tinyim-server`: the self-hosted IM server for the tinyim SDK, as a library: the binary
//! (`main.rs`) is `cli::main`; the bench, the fuzz targets and the tests use the modules
//! directly (Token04 minting in [`token`], the store path in [`store`] ...).
//!
//! ```text
//! tinyim-server serve --listen HOST:PORT --data-dir DIR --app APPID:SECRET [--app ...]
//!                     [--tls-cert FILE --tls-key FILE] [bounds on strangers, see --help]
//! tinyim-server token --app-id APPID --secret SECRET --user USERID [--ttl SECONDS]
//! ```
//!
//! Module map (each file says why it exists):
//! - [`cli`]: the command line.
//! - [`config`]: flags, TOML file, dev app.
//! - [`server`]: wiring and the shutdown sequence; [`shutdown`]: signals.
//! - [`accept`]: accepting sockets, HTTP/1.1 limits; [`tls`]: rustls and SIGHUP reload.
//! - [`guard`]: caps, login deadline, failed-login throttle; [`fdlimit`]: the open-file limit.
//! - [`http`]: `/ws`, `/healthz`, `/metrics`, `/dev/token`.
//! - [`connection`]: one WebSocket session; [`session`]: the live-session registry.
//! - [`presence`]: online and custom statuses and their subscriptions.
//! - [`router`]: peer delivery; [`rooms`]: live rooms and fan-out; [`room_attributes`].
//! - [`rpc`]: ZIM's methods, by area in [`areas`]; [`calls`]: call invitations' rules and timers.
//! - [`store`]: the storage trait, its batching thread, and SQLite.
//! - [`token`]: Token04; [`rate_limit`]; [`metrics`].

mod accept;
mod areas;
mod calls;
pub mod cli;
pub mod config;
mod connection;
mod fdlimit;
mod files;
mod guard;
mod http;
pub mod metrics;
mod presence;
mod queue;
mod rate_limit;
mod room_attributes;
mod rooms;
mod router;
mod rpc;
mod send_state;
mod server;
mod session;
mod shutdown;
pub mod store;
mod tls;
pub mod token;
