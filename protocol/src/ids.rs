//! Checked string types for request fields: each carries ZIM's rule for that kind of value,
//! enforced by the SDK before sending and by the server's decoder on receipt.

use crate::codec::{checked_strings, Reader, Wire};
use crate::limits::{MAX_ROOM_ID_LEN, MAX_TEXT_LEN, MAX_USER_ID_LEN, MAX_USER_NAME_LEN};
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
