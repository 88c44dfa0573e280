//! tinyim wire protocol v1.
//!
//! One crate, two users: the SDK core (compiled to wasm) and `tinyim-server` both encode
//! and decode with it, so the two cannot drift. `docs/protocol.md` is the prose spec for
//! people writing other clients; [`frame`] is the normative list of messages.
//!
//! Decoding is total: any byte string yields a [`Frame`] or a [`DecodeError`], never a
//! panic, and never a reservation sized by an unchecked length: memory use is bounded by a
//! small constant times the input's length (see [`codec`]).

pub mod areas;
pub mod codec;
pub mod error;
pub mod frame;
pub mod ids;
pub mod limits;
pub mod rpc;
pub mod shape;
pub mod value;

pub use codec::List;
pub use error::{code, DecodeError};
pub use frame::*;
