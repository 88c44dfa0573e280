//! The handlers of ZIM's method areas, one module per area (the dispatcher is
//! [`crate::rpc`]; each area's storage is in [`crate::store`] under the same name).

pub mod calls;
pub mod conversations;
pub mod friends;
pub mod groups;
pub mod messages;
pub mod presence;
pub mod rooms;
pub mod users;
