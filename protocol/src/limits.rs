//! Limits shared by the SDK (checked before sending) and the server (checked again on
//! receipt). ZIM-API.md §6 gives the user-facing ones.

/// Longest user ID, in bytes.
pub const MAX_USER_ID_LEN: usize = 32;
/// Longest user name, in bytes.
pub const MAX_USER_NAME_LEN: usize = 32;
/// Longest room ID, in bytes (ZIM's roomID limit).
pub const MAX_ROOM_ID_LEN: usize = 128;
/// Longest group ID, in bytes (ZIM's groupID limit).
pub const MAX_GROUP_ID_LEN: usize = 32;
/// Longest room name, in bytes (ZIM's roomName limit).
pub const MAX_ROOM_NAME_LEN: usize = 64;
/// Longest text message, in UTF-8 bytes.
pub const MAX_TEXT_LEN: usize = 32 * 1024;
/// Longest command message payload, in bytes.
pub const MAX_COMMAND_LEN: usize = 5 * 1024;
/// Longest media message payload (its URLs, name and sizes, [`crate::Media`]), in bytes.
pub const MAX_MEDIA_PAYLOAD_LEN: usize = 4 * 1024;
/// Longest `extendedData` on a message, in bytes.
pub const MAX_EXTENDED_DATA_LEN: usize = 1024;
/// Longest token, in bytes. Real Token04 tokens are a few hundred bytes.
pub const MAX_TOKEN_LEN: usize = 4096;

/// Text messages a user may send per second.
pub const TEXT_SENDS_PER_SECOND: u32 = 10;
/// Command messages a user may send per second.
pub const COMMAND_SENDS_PER_SECOND: u32 = 20;
/// Method calls ([`crate::rpc`]) a client may make per second (a burst of as many), in the
/// SDK; the server allows twice as many per user, so the SDK's limit is the one apps meet.
pub const CALLS_PER_SECOND: u32 = 30;

/// Largest frame a client may send. Bigger than any valid request (a 32 KiB text plus
/// headers) so that the size check on the payload, not the frame cap, produces the error.
pub const MAX_CLIENT_FRAME_LEN: usize = 64 * 1024;
/// Largest frame a server may send (history and member pages, resume batches).
pub const MAX_SERVER_FRAME_LEN: usize = 1024 * 1024;

/// Most messages in one history page or push batch.
pub const MAX_PAGE_COUNT: u32 = 100;

/// The punctuation ZIM allows in user and room IDs, besides digits and English letters.
pub const ID_PUNCTUATION: &[u8] = b"~!@#$%^&*()_+=-`;',.<>/\\";

/// `true` if `id` is 1 to `max_len` bytes of digits, English letters and
/// [`ID_PUNCTUATION`]: ZIM's rule for user and room IDs.
pub fn is_valid_id(id: &str, max_len: usize) -> bool {
    !id.is_empty()
        && id.len() <= max_len
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || ID_PUNCTUATION.contains(&b))
}

/// `true` if `id` is a valid ZIM user ID (at most [`MAX_USER_ID_LEN`] bytes).
pub fn is_valid_user_id(id: &str) -> bool {
    is_valid_id(id, MAX_USER_ID_LEN)
}

/// `true` if `id` is a valid group ID (at most [`MAX_GROUP_ID_LEN`] bytes, the user ID rule).
pub fn is_valid_group_id(id: &str) -> bool {
    is_valid_id(id, MAX_GROUP_ID_LEN)
}

/// `true` if `id` is a valid ZIM room ID (at most [`MAX_ROOM_ID_LEN`] bytes).
pub fn is_valid_room_id(id: &str) -> bool {
    is_valid_id(id, MAX_ROOM_ID_LEN)
}
