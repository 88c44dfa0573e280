//! Frames: every message of protocol v1 (docs/protocol.md is the prose spec of this file).
//!
//! One WebSocket binary message carries one frame:
//!
//! ```text
//! frame := version:u8 (= 2) | kind:u8 | request_id:varint | body
//! ```
//!
//! A request from the client carries a non-zero `request_id` of its choosing; the server's
//! answer (the matching response kind, or `Error`) carries the same id. Server pushes and
//! the client's `PushAck` carry `request_id` 0.

use crate::codec::{wire_struct, List, Reader, Wire};
use crate::rpc::Notify;
use crate::shape::Shape;
use crate::DecodeError;

/// The protocol version this crate speaks, sent as the first byte of every frame. Version 2
/// added `Message.ext`, `Send.ext`, notices in `Delivery` and `Login.sync_conversations`.
pub const PROTOCOL_VERSION: u8 = 2;

/// `conversation_type` values (ZIM's `ZIMConversationType`).
pub mod conversation_type {
    pub const PEER: u8 = 0;
    pub const ROOM: u8 = 1;
    pub const GROUP: u8 = 2;
}

/// `message_type` values (ZIM's `ZIMMessageType`) that the protocol carries.
pub mod message_type {
    pub const TEXT: u8 = 1;
    pub const COMMAND: u8 = 2;
    /// A room's on-screen comment: delivered, never in history or a conversation.
    pub const BARRAGE: u8 = 20;
    /// Media messages (image, file, audio, video): the payload is a [`crate::Media`].
    pub const IMAGE: u8 = 11;
    pub const FILE: u8 = 12;
    pub const AUDIO: u8 = 13;
    pub const VIDEO: u8 = 14;
    /// A revoked message (its original type is in `MessageExt`).
    pub const REVOKE: u8 = 31;
    /// An app-defined message: a string payload with `MessageExt.sub_type`.
    pub const CUSTOM: u8 = 200;

    /// Kept in history and in its conversation (and counted as unread): not the signals
    /// (command, barrage).
    pub fn is_chat(kind: u8) -> bool {
        matches!(kind, TEXT | REVOKE | CUSTOM) || is_media(kind)
    }

    /// An image, file, audio or video message.
    pub fn is_media(kind: u8) -> bool {
        matches!(kind, IMAGE..=VIDEO)
    }

    /// Counts as unread in a conversation (a revoked message no longer does).
    pub fn counts_unread(kind: u8) -> bool {
        matches!(kind, TEXT | CUSTOM) || is_media(kind)
    }

    /// Paced and rate-limited with commands (20/s) rather than texts (10/s).
    pub fn is_signal(kind: u8) -> bool {
        matches!(kind, COMMAND | BARRAGE)
    }
}

/// WebSocket close codes the server uses, so the client knows whether to reconnect.
pub mod close_code {
    /// The server is shutting down or restarting: reconnect with backoff.
    pub const GOING_AWAY: u16 = 1001;
    /// The peer broke the protocol (malformed frame): reconnecting will not help by itself.
    pub const PROTOCOL_ERROR: u16 = 1002;
    /// Login failed (bad token, bad app): do not reconnect.
    pub const LOGIN_FAILED: u16 = 4001;
    /// Another device logged in as this user: do not reconnect.
    pub const KICKED_OUT: u16 = 4002;
    /// The client fell too far behind reading: reconnect and resume.
    pub const SLOW_CONSUMER: u16 = 4003;
    /// No heartbeat within the server's bound.
    pub const HEARTBEAT_TIMEOUT: u16 = 4004;
}

wire_struct! {
    /// A user as rooms list them.
    pub struct User {
        pub user_id: String,
        pub user_name: String,
    }
}

wire_struct! {
    /// First request on a connection. `last_inbox_seq` is the highest inbox sequence the
    /// client has already delivered to its app (0 on a fresh install): the server pushes
    /// everything after it.
    pub struct Login {
        pub app_id: u32,
        pub user_id: String,
        pub user_name: String,
        pub token: String,
        pub last_inbox_seq: u64,
        /// Push the user's conversations (notice `conversationSync`) before the inbox
        /// catch-up: the client has no conversation state for this session yet.
        pub sync_conversations: bool,
    }
}

wire_struct! {
    /// Successful login. Times: `server_time` in Unix milliseconds, `token_expire` in Unix
    /// seconds (the token's own expiry). `inbox_seq` is the user's newest inbox sequence.
    pub struct LoginOk {
        pub session_id: u64,
        pub server_time: u64,
        pub token_expire: u64,
        pub inbox_seq: u64,
    }
}

wire_struct! {
    /// A request or response with no fields (`Logout`, `Ping`, `Ok`).
    pub struct Empty {}
}

wire_struct! {
    /// Heartbeat reply; `server_time` in Unix milliseconds.
    pub struct Pong {
        pub server_time: u64,
    }
}

wire_struct! {
    /// Replace the session's token before it expires.
    pub struct RenewToken {
        pub token: String,
    }
}

wire_struct! {
    /// The renewed token's expiry, Unix seconds.
    pub struct TokenRenewed {
        pub token_expire: u64,
    }
}

wire_struct! {
    /// Send a message to a peer (`to` is a user ID) or a room (`to` is a room ID).
    /// `client_message_id` is unique per sender; resending with the same one is idempotent.
    ///
    /// `prev_client_message_id` keeps a sender's order: it names the sender's previous
    /// message to the same conversation that the client had not seen acknowledged when it
    /// sent this frame (0: every earlier one is acknowledged, or there is none). The server
    /// stores this message only if that one is stored (answering `SEND_MESSAGE_FAILED`
    /// otherwise), so a pipelined message can never be stored ahead of an earlier one that
    /// was refused or lost (docs/protocol.md, "Sender order").
    pub struct Send {
        pub conversation_type: u8,
        pub to: String,
        pub client_message_id: u64,
        pub prev_client_message_id: u64,
        pub message_type: u8,
        pub priority: u8,
        pub payload: Vec<u8>,
        pub extended_data: String,
        /// The receipt request (`receipt_status` 1) and a custom message's `sub_type` and
        /// `searched_content`; the rest of it must be zero.
        pub ext: Option<MessageExt>,
    }
}

wire_struct! {
    /// What only some messages carry; absent (one byte) for a plain message. Each field's
    /// zero means "none".
    pub struct MessageExt {
        /// ZIM's `ZIMMessageReceiptStatus`: 0 none, 1 processing (the sender asked for a
        /// receipt), 2 done (the recipient read it).
        pub receipt_status: u8,
        /// When the receipt became done, Unix ms.
        pub read_time: u64,
        /// A custom message's `subType` and `searchedContent`.
        pub sub_type: u32,
        pub searched_content: String,
        /// When the sender last edited it, Unix ms.
        pub edited_time: u64,
        /// Revoked (the message's type is then 31): when (Unix ms), by whom, the app's
        /// `revokeExtendedData`, and the type it had.
        pub revoke_time: u64,
        pub operated_user_id: String,
        pub revoke_extended_data: String,
        pub original_message_type: u8,
    }
}

wire_struct! {
    /// The payload of a media message (types 11-14): where the file is and what it is, by
    /// ZIM's field names. One struct for the four types: a field a type does not have is
    /// zero or empty (one byte). The download URLs are the uploader's (`POST /files`
    /// answers one) or any URL the app gives.
    pub struct Media {
        pub file_uid: String = "fileUID",
        pub file_download_url: String,
        pub file_name: String,
        pub file_size: u64,
        pub thumbnail_download_url: String,
        pub large_image_download_url: String,
        pub video_first_frame_download_url: String,
        pub original_image_width: u32,
        pub original_image_height: u32,
        pub large_image_width: u32,
        pub large_image_height: u32,
        pub thumbnail_width: u32,
        pub thumbnail_height: u32,
        pub video_first_frame_width: u32,
        pub video_first_frame_height: u32,
        /// Seconds, as ZIM's `audioDuration` / `videoDuration`.
        pub audio_duration: u32,
        pub video_duration: u32,
    }
}

impl Media {
    /// Checks a media payload as sender and server both do: it decodes as a `Media`, its
    /// strings fit [`crate::limits::MAX_MEDIA_PAYLOAD_LEN`] and it has a download URL.
    pub fn check(payload: &[u8]) -> Result<Media, &'static str> {
        if payload.len() > crate::limits::MAX_MEDIA_PAYLOAD_LEN {
            return Err("a media message's fields must be at most 4 KB in all");
        }
        let mut r = crate::codec::Reader::new(payload);
        let m = <Media as crate::codec::Wire>::decode(&mut r)
            .ok()
            .filter(|_| r.remaining() == 0)
            .ok_or("not a media message payload")?;
        if m.file_download_url.is_empty() {
            return Err("fileDownloadUrl is empty: upload the file or give its URL");
        }
        Ok(m)
    }
}

wire_struct! {
    /// The server stored the message. `timestamp` is Unix milliseconds; `order_key` is the
    /// message's sequence within its conversation.
    pub struct SendAck {
        pub message_id: u64,
        pub timestamp: u64,
        pub order_key: u64,
    }
}

wire_struct! {
    shape = Shape::Message;
    /// A stored message as a reader sees it: `conversation_id` is the other user for a peer
    /// conversation (from the viewpoint of whoever receives the frame) or the room ID.
    /// Its shape is [`Shape::Message`]: the SDK builds ZIM's message object from it by hand.
    pub struct Message {
        pub message_id: u64,
        pub client_message_id: u64,
        pub conversation_type: u8,
        pub conversation_id: String,
        pub sender_id: String,
        pub message_type: u8,
        pub priority: u8,
        pub payload: Vec<u8>,
        pub extended_data: String,
        pub timestamp: u64,
        pub order_key: u64,
        pub ext: Option<MessageExt>,
    }
}

wire_struct! {
    /// An entry of the recipient's inbox, with its inbox sequence (1, 2, 3 ... per user):
    /// a message, or a notice that must reach the user exactly once and in order even if
    /// they are offline (a revoke, an edit, a receipt, a change to their conversations).
    /// Exactly one of the two is present.
    pub struct Delivery {
        pub inbox_seq: u64,
        pub message: Option<Message>,
        pub notice: Option<Notify>,
    }
}

wire_struct! {
    /// Peer messages for the receiving user, in inbox order. `offline` is true for the
    /// catch-up batches sent after login.
    pub struct Push {
        pub offline: bool,
        pub deliveries: List<Delivery>,
    }
}

wire_struct! {
    /// The client has delivered every inbox message up to `inbox_seq` (cumulative).
    pub struct PushAck {
        pub inbox_seq: u64,
    }
}

wire_struct! {
    /// A message in a room the receiver is in. Rooms are live-only: not in the inbox.
    pub struct RoomPush {
        pub message: Message,
    }
}

wire_struct! {
    /// Room create / join / enter / leave / online count. `room_name` is used by create and
    /// enter, empty otherwise.
    pub struct Room {
        pub room_id: String,
        pub room_name: String,
    }
}

wire_struct! {
    /// Members joined (`joined`) or left a room the receiver is in.
    pub struct RoomMembersChanged {
        pub room_id: String,
        pub joined: bool,
        pub members: List<User>,
    }
}

wire_struct! {
    /// A page of a room's members: start at `next_flag` ("" for the first page).
    pub struct RoomMembersQuery {
        pub room_id: String,
        pub next_flag: String,
        pub count: u32,
    }
}

wire_struct! {
    /// One page of members; `next_flag` is "" on the last page.
    pub struct RoomMemberPage {
        pub room_id: String,
        pub members: List<User>,
        pub next_flag: String,
    }
}

wire_struct! {
    /// Members online in a room.
    pub struct RoomCount {
        pub room_id: String,
        pub count: u32,
    }
}

wire_struct! {
    /// A page of a conversation's history; `reverse` means what it means in ZIM's
    /// `queryHistoryMessage`. `reverse`: the newest messages older than the anchor
    /// (`anchor_order_key` 0 = from the newest), i.e. paging back in time. Not `reverse`:
    /// the oldest messages newer than the anchor (0 = from the oldest). The anchor itself
    /// is never in the page.
    pub struct HistoryQuery {
        pub conversation_type: u8,
        pub conversation_id: String,
        pub anchor_order_key: u64,
        pub count: u32,
        pub reverse: bool,
    }
}

wire_struct! {
    /// History, always in ascending `order_key` order.
    pub struct HistoryPage {
        pub conversation_type: u8,
        pub conversation_id: String,
        pub messages: List<Message>,
    }
}

wire_struct! {
    /// The session ends: another device logged in, or the server revoked it. `code` is a
    /// ZIM error code; the server closes the socket after sending it.
    pub struct Kicked {
        pub code: u32,
        pub message: String,
    }
}

wire_struct! {
    /// A request failed, or (with `request_id` 0) the connection is about to be closed.
    pub struct Error {
        pub code: u32,
        pub message: String,
    }
}

/// Defines [`Body`] and its kind numbers in one table, so encoding and decoding cannot
/// disagree.
macro_rules! bodies {
    ( $( $(#[$meta:meta])* $variant:ident($ty:ty) = $kind:literal, )* ) => {
        /// What a frame carries. Kinds 1-63 are client requests, 64-95 server responses,
        /// 96-127 server pushes.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Body {
            $( $(#[$meta])* $variant($ty), )*
        }

        impl Body {
            /// The frame kind byte.
            pub fn kind(&self) -> u8 {
                match self { $( Body::$variant(_) => $kind, )* }
            }

            /// `true` for the kinds a client sends (1-63: requests and `PushAck`), `false`
            /// for the server's responses and pushes (64-127). Each side must refuse a
            /// frame that travels the wrong way: the decoder accepts every kind.
            pub fn sent_by_client(&self) -> bool {
                self.kind() < 64
            }

            fn encode_fields(&self, out: &mut Vec<u8>) {
                match self { $( Body::$variant(b) => b.encode(out), )* }
            }

            /// With `SERVER_KINDS`, only the kinds a server sends (64-127) are known: the
            /// client decodes with that, so its wasm holds no decoder of a request.
            fn decode_fields<const SERVER_KINDS: bool>(
                kind: u8,
                r: &mut Reader<'_>,
            ) -> Result<Body, DecodeError> {
                match kind {
                    $( $kind if !SERVER_KINDS || $kind >= 64 => {
                        Ok(Body::$variant(<$ty>::decode(r)?))
                    } )*
                    other => Err(DecodeError::UnknownKind(other)),
                }
            }
        }
    };
}

bodies! {
    // Client requests.
    Login(Login) = 1,
    Logout(Empty) = 2,
    RenewToken(RenewToken) = 3,
    Ping(Empty) = 4,
    Send(Send) = 5,
    /// Cumulative acknowledgement of pushed inbox messages; no response.
    PushAck(PushAck) = 6,
    RoomCreate(Room) = 7,
    RoomJoin(Room) = 8,
    RoomEnter(Room) = 9,
    RoomLeave(Room) = 10,
    RoomMembers(RoomMembersQuery) = 11,
    RoomOnlineCount(Room) = 12,
    History(HistoryQuery) = 13,
    /// A method call ([`crate::rpc`]).
    Call(crate::rpc::Call) = 14,
    // Server responses.
    LoginOk(LoginOk) = 64,
    /// Success with nothing to return (logout, leave room).
    Ok(Empty) = 65,
    TokenRenewed(TokenRenewed) = 66,
    Pong(Pong) = 67,
    SendAck(SendAck) = 68,
    RoomInfo(Room) = 69,
    RoomMemberPage(RoomMemberPage) = 70,
    RoomCount(RoomCount) = 71,
    HistoryPage(HistoryPage) = 72,
    Error(Error) = 73,
    /// A method's answer ([`crate::rpc`]).
    Reply(crate::rpc::Reply) = 74,
    // Server pushes.
    Push(Push) = 96,
    RoomPush(RoomPush) = 97,
    RoomMembersChanged(RoomMembersChanged) = 98,
    Kicked(Kicked) = 99,
    /// A live notice ([`crate::rpc`]).
    Notify(crate::rpc::Notify) = 100,
}

/// One protocol frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Correlates a response with its request; 0 for pushes and acks.
    pub request_id: u32,
    /// The message.
    pub body: Body,
}

impl Frame {
    /// A frame carrying `body` for request `request_id`.
    pub fn new(request_id: u32, body: Body) -> Self {
        Frame { request_id, body }
    }

    /// Encodes the frame as one WebSocket binary message.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32);
        self.encode_into(&mut out);
        out
    }

    /// Appends the frame's encoding to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.push(PROTOCOL_VERSION);
        out.push(self.body.kind());
        self.request_id.encode(out);
        self.body.encode_fields(out);
    }

    /// The encoding of a frame of `body` for request `request_id`, without owning the body
    /// (a client sends a request again on each new connection).
    pub fn encode_body(request_id: u32, body: &Body) -> Vec<u8> {
        let mut out = vec![PROTOCOL_VERSION, body.kind()];
        request_id.encode(&mut out);
        body.encode_fields(&mut out);
        out
    }

    /// The encoding of a `Send` frame for request `request_id`.
    pub fn encode_send(request_id: u32, send: &Send) -> Vec<u8> {
        let mut out = vec![PROTOCOL_VERSION, 5];
        request_id.encode(&mut out);
        send.encode(&mut out);
        out
    }

    /// Decodes one frame of at most `max_len` bytes. Pass
    /// [`crate::limits::MAX_CLIENT_FRAME_LEN`] on the server and
    /// [`crate::limits::MAX_SERVER_FRAME_LEN`] in the client.
    pub fn decode(buf: &[u8], max_len: usize) -> Result<Frame, DecodeError> {
        Self::decode_kinds::<false>(buf, max_len)
    }

    /// [`Frame::decode`] for a client: a kind that only clients send is
    /// [`DecodeError::UnknownKind`] (it would be a protocol error anyway).
    pub fn decode_from_server(buf: &[u8], max_len: usize) -> Result<Frame, DecodeError> {
        Self::decode_kinds::<true>(buf, max_len)
    }

    fn decode_kinds<const SERVER_KINDS: bool>(
        buf: &[u8],
        max_len: usize,
    ) -> Result<Frame, DecodeError> {
        if buf.len() > max_len {
            return Err(DecodeError::TooLarge);
        }
        let mut r = Reader::new(buf);
        let version = r.byte()?;
        if version != PROTOCOL_VERSION {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let kind = r.byte()?;
        let request_id = u32::decode(&mut r)?;
        let body = Body::decode_fields::<SERVER_KINDS>(kind, &mut r)?;
        if r.remaining() != 0 {
            return Err(DecodeError::TrailingBytes);
        }
        Ok(Frame { request_id, body })
    }
}
