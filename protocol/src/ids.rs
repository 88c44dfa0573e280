//! Checked string types for request fields: each carries ZIM's rule for that kind of value,
//! enforced by the SDK before sending and by the server's decoder on receipt.

use crate::codec::{checked_strings, Reader, Wire};
use crate::limits::{
    MAX_GROUP_ID_LEN, MAX_ROOM_ID_LEN, MAX_ROOM_NAME_LEN, MAX_TEXT_LEN, MAX_USER_ID_LEN,
    MAX_USER_NAME_LEN,
};
use crate::shape::{Check, Shape};
use crate::DecodeError;

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
    /// A user's custom status, such as "busy" (ZIM: at most 64 bytes).
    CustomStatus = Check::MaxLen(64);
    /// A group ID (ZIM: at most 32 bytes; tinyim's ID rule, as for users).
    GroupId = id(MAX_GROUP_ID_LEN);
    /// A group ID, or empty for "let the server choose" (`createGroup`).
    GroupIdOrEmpty = Check::IdOrEmpty { max: MAX_GROUP_ID_LEN as u8 };
    /// A group name (ZIM: at most 100 bytes).
    GroupName = Check::MaxLen(100);
    /// A group notice (ZIM: at most 300 bytes).
    GroupNotice = Check::MaxLen(300);
    /// A user's own alias for a group (at most 100 bytes).
    GroupAlias = Check::MaxLen(100);
    /// A member's nickname in a group (ZIM: at most 100 bytes).
    MemberNickname = Check::MaxLen(100);
    /// The words sent with a group join or invite application (at most 300 bytes).
    ApplicationWording = Check::MaxLen(300);
    /// A room name (at most 64 bytes).
    RoomName = Check::MaxLen(MAX_ROOM_NAME_LEN as u16);
    /// A call invitation's ID (the server's are decimal numbers; at most 64 bytes).
    CallId = id(64);
    /// A conversation's ID: a peer's user ID, a group or room ID (at most 128 bytes).
    ConversationId = id(MAX_ROOM_ID_LEN);
    /// A text message's content, or a draft (at most 32 KiB).
    Text = Check::MaxLen(MAX_TEXT_LEN as u16);
}

/// A message ID (or a client's local message ID): a `u64` varint on the wire, a decimal
/// string in JS, since IDs can pass 2^53.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MessageId(pub u64);

impl Wire for MessageId {
    const SHAPE: Shape = Shape::Id;
    const MIN_ENCODED_LEN: usize = 1;
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out)
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        u64::decode(r).map(MessageId)
    }
}
