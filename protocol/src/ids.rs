//! Checked string types for request fields: each carries ZIM's rule for that kind of value,
//! enforced by the SDK before sending and by the server's decoder on receipt.

use crate::codec::checked_strings;
use crate::limits::{MAX_ROOM_ID_LEN, MAX_ROOM_NAME_LEN, MAX_USER_ID_LEN, MAX_USER_NAME_LEN};
use crate::shape::Check;

const fn id(max: usize) -> Check {
    Check::Id { max: max as u8 }
}

checked_strings! {
    /// A user ID (ZIM: at most 32 bytes of digits, letters and ID punctuation).
    UserId = id(MAX_USER_ID_LEN);
    /// A room ID (at most 128 bytes).
    RoomId = id(MAX_ROOM_ID_LEN);
    /// A user name (at most 32 bytes).
    UserName = Check::MaxLen(MAX_USER_NAME_LEN as u16);
    /// A URL ZIM keeps for the app, such as an avatar (at most 500 bytes).
    Url = Check::MaxLen(500);
    /// App-defined data on a user or a message (at most 1 KiB).
    ExtendedData = Check::MaxLen(1024);
    /// A room name (at most 64 bytes).
    RoomName = Check::MaxLen(MAX_ROOM_NAME_LEN as u16);
    /// A call invitation's ID (the server's are decimal numbers; at most 64 bytes).
    CallId = id(64);
}
