//! ZIM error codes (ZIM-API.md §7) and the decoder's own error.
//!
//! The numbers are ZEGO ZIM's, so code written against ZIM that switches on `error.code`
//! keeps working. Both the SDK and the server use these constants; nothing else invents codes.

/// ZIM error codes, named as in ZIM's `ZIMErrorCode`.
pub mod code {
    pub const PARAMS_INVALID: u32 = 6_000_001;
    pub const NOT_INIT: u32 = 6_000_002;
    pub const INVALID_APP_ID: u32 = 6_000_003;
    pub const SDK_FREQUENCY_LIMIT: u32 = 6_000_004;
    pub const SERVER_FREQUENCY_LIMIT: u32 = 6_000_005;
    pub const SERVER_ERROR: u32 = 6_000_007;
    pub const DATABASE_ERROR: u32 = 6_000_008;
    pub const SERVER_DISCONNECT: u32 = 6_000_009;
    pub const USER_NOT_EXIST: u32 = 6_000_011;
    pub const USER_INFO_QUERIED_LIMIT: u32 = 6_000_012;
    pub const UNSUPPORTED_REQUEST: u32 = 6_000_013;
    pub const NETWORK_COMMON: u32 = 6_000_101;
    pub const TOKEN_INVALID: u32 = 6_000_103;
    pub const NETWORK_ERROR: u32 = 6_000_104;
    pub const REQUEST_TIMEOUT: u32 = 6_000_105;
    pub const TOKEN_EXPIRED: u32 = 6_000_106;
    pub const TOKEN_VERSION_ERROR: u32 = 6_000_107;
    pub const USER_ALREADY_LOGGED: u32 = 6_000_111;
    pub const USER_NOT_LOGGED: u32 = 6_000_121;
    pub const USER_ALREADY_LOGGED_OUT: u32 = 6_000_122;
    pub const USER_OFFLINE: u32 = 6_000_123;
    pub const USER_ID_ERROR: u32 = 6_000_124;
    pub const MESSAGE_COMMON: u32 = 6_000_201;
    pub const SEND_MESSAGE_FAILED: u32 = 6_000_203;
    pub const TARGET_DOES_NOT_EXIST: u32 = 6_000_204;
    pub const ROOM_COMMON: u32 = 6_000_301;
    pub const USER_NOT_IN_ROOM: u32 = 6_000_321;
    pub const ROOM_DOES_NOT_EXIST: u32 = 6_000_322;
    pub const ROOM_ALREADY_EXISTS: u32 = 6_000_323;
    pub const GROUP_COMMON: u32 = 6_000_501;
    pub const GROUP_USER_NOT_IN_GROUP: u32 = 6_000_521;
    pub const GROUP_MEMBER_ALREADY_IN_GROUP: u32 = 6_000_522;
    pub const GROUP_DOES_NOT_EXIST: u32 = 6_000_523;
    pub const GROUP_ALREADY_EXISTS: u32 = 6_000_524;
    pub const GROUP_MEMBER_LIMIT: u32 = 6_000_525;
    pub const GROUP_ATTRIBUTE_DOES_NOT_EXIST: u32 = 6_000_526;
    pub const GROUP_CREATE_WITH_DISMISSED: u32 = 6_000_527;
    pub const GROUP_ATTRIBUTES_COUNT_LIMIT: u32 = 6_000_531;
    pub const GROUP_ATTRIBUTE_KEY_LENGTH_LIMIT: u32 = 6_000_532;
    pub const GROUP_ATTRIBUTE_VALUE_LENGTH_LIMIT: u32 = 6_000_533;
    pub const GROUP_ATTRIBUTES_TOTAL_LENGTH_LIMIT: u32 = 6_000_534;
    pub const GROUP_NO_AUTHORITY: u32 = 6_000_541;
    pub const GROUP_FORBID_JOIN: u32 = 6_000_542;
    pub const GROUP_NEED_APPLY_JOIN: u32 = 6_000_543;
    pub const GROUP_NEED_APPLY_INVITE: u32 = 6_000_544;
    // Messages and conversations (ZIM's MessageModule... / ConversationModule... names).
    pub const EDIT_MESSAGE_FAILED: u32 = 6_000_205;
    pub const SEND_MESSAGE_FAILED_FOR_CANCELLED: u32 = 6_000_206;
    pub const CANCEL_SENDING_MESSAGE_FAILED: u32 = 6_000_207;
    pub const RECEIPT_READ_ERROR: u32 = 6_000_277;
    pub const MESSAGE_EXCEEDS_REVOKE_TIME: u32 = 6_000_278;
    pub const MESSAGE_HAS_BEEN_REVOKED: u32 = 6_000_279;
    pub const MESSAGE_RECEIPT_LIMIT: u32 = 6_000_282;
    pub const NO_OPERATION_AUTHORITY: u32 = 6_000_285;
    pub const MESSAGE_EXCEEDS_EDIT_TIME: u32 = 6_000_286;
    pub const CONVERSATION_DOES_NOT_EXIST: u32 = 6_000_603;
}

/// Why a frame could not be decoded. The server answers any of these with an error frame
/// (`PARAMS_INVALID`, or `UNSUPPORTED_REQUEST` for a version or kind it does not know) and
/// closes the connection; the SDK treats them as a broken connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The frame ended in the middle of a value.
    Truncated,
    /// A varint was longer than 10 bytes or did not fit its type.
    Overflow,
    /// A value broke its type's rules (the name says which).
    Invalid(&'static str),
    /// The frame is larger than the protocol allows.
    TooLarge,
    /// The first byte names a protocol version this peer does not speak.
    UnsupportedVersion(u8),
    /// The frame kind is unknown in this version.
    UnknownKind(u8),
    /// Bytes were left after the frame's last field.
    TrailingBytes,
    /// A `Call`, `Reply` or notice names a method or notice this peer does not know.
    UnknownMethod(u16),
}

impl DecodeError {
    /// The ZIM error code an error frame carries for this decode failure.
    pub fn zim_code(&self) -> u32 {
        match self {
            DecodeError::UnsupportedVersion(_)
            | DecodeError::UnknownKind(_)
            | DecodeError::UnknownMethod(_) => code::UNSUPPORTED_REQUEST,
            _ => code::PARAMS_INVALID,
        }
    }
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DecodeError::Truncated => f.write_str("frame truncated"),
            DecodeError::Overflow => f.write_str("integer overflow in frame"),
            DecodeError::Invalid(what) => write!(f, "invalid {what} in frame"),
            DecodeError::TooLarge => f.write_str("frame too large"),
            DecodeError::UnsupportedVersion(v) => write!(f, "unsupported protocol version {v}"),
            DecodeError::UnknownKind(k) => write!(f, "unknown frame kind {k}"),
            DecodeError::TrailingBytes => f.write_str("trailing bytes after frame"),
            DecodeError::UnknownMethod(m) => write!(f, "unknown method or notice {m}"),
        }
    }
}

impl std::error::Error for DecodeError {}
