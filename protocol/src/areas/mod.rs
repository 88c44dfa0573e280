//! The request, response and notice structs of ZIM's method areas, one module per area
//! (the method and notice tables that use them are in [`crate::rpc`]).
//!
//! Field names and nesting mirror ZIM's JS objects (the binding derives the JS names from
//! the Rust ones, see [`crate::shape::js_name`]), so a response struct *is* the object the
//! app's Promise resolves to. String fields that take app input carry their ZIM limit as a
//! checked type ([`crate::ids`]).

pub mod blacklist;
pub mod calls;
pub mod conversations;
pub mod friends;
pub mod groups;
pub mod messages;
pub mod rooms;
pub mod users;

pub use blacklist::*;
pub use calls::*;
pub use conversations::*;
pub use friends::*;
pub use groups::*;
pub use messages::*;
pub use rooms::*;
pub use users::*;
