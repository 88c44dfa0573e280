//! The core's vocabulary: what the host feeds in and what it gets out.
//!
//! The host (the wasm binding driven by the JS shim, a native test driver, the bench) owns
//! every side effect. It calls [`crate::Client::handle_input`] when something happens and
//! [`crate::Client::call`] for app API calls, then drains [`crate::Client::poll_output`]
//! and arms one timer for [`crate::Client::poll_timeout`]. Time is always passed in as
//! milliseconds on a clock of the host's choosing that never goes backwards.

pub use tinyim_protocol::value::Value;
pub use tinyim_protocol::{Message, MessageExt, User};

/// Milliseconds on the host's monotonic clock (JS: `Date.now()` is fine).
pub type Millis = u64;

/// Identifies an API call so its result can be matched to the Promise that awaits it.
pub type OpId = u32;

/// Fixed settings of one client.
#[derive(Debug, Clone)]
pub struct Config {
    /// ZEGO-style numeric app ID.
    pub app_id: u32,
    /// WebSocket URL of the tinyim server, e.g. `wss://im.example.com/ws`.
    pub server_url: String,
    /// Seed for jitter and local message IDs; give each client instance a different one.
    pub seed: u64,
}

/// Something that happened in the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input<'a> {
    /// The deadline from `poll_timeout` has passed (or any wake-up: spurious ones are fine).
    Timeout,
    /// The transport requested by [`Output::Connect`] is open.
    TransportOpened,
    /// The transport closed or failed to open; `code` is the WebSocket close code
    /// (1006 when the platform gives none).
    TransportClosed { code: u16 },
    /// One binary WebSocket message arrived.
    Received(&'a [u8]),
    /// The platform says the network came back (wx.onNetworkStatusChange with
    /// `isConnected: true`, the browser's `online` event): check the connection now. A
    /// pending reconnect goes at once instead of waiting out its backoff; an Online
    /// connection is probed with an immediate `Ping` that must be answered within 5 s (the
    /// old socket may be dead without the platform saying so); a connection that then
    /// fails is retried at once.
    NetworkAvailable,
    /// The app went to the background (wx.onAppHide). A phone suspends the JS thread about
    /// 5 s later, so the time until [`Input::AppShown`] does not count towards the
    /// deadlines of API calls and sends: they are held, and run on after the app is back.
    AppHidden,
    /// The app is in the foreground again (wx.onAppShow): held deadlines resume where they
    /// stopped, then the connection is checked as for [`Input::NetworkAvailable`].
    AppShown,
}

/// An app API call (ZIM-API.md §3). Each is answered by exactly one
/// [`Output::Completed`] with the same [`OpId`].
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Login {
        user_id: String,
        user_name: String,
        token: String,
    },
    Logout,
    RenewToken {
        token: String,
    },
    /// `sendPeerMessage`, `sendRoomMessage` and `sendMessage` for peers and rooms.
    SendMessage {
        conversation_type: u8,
        to: String,
        message_type: u8,
        priority: u8,
        payload: Vec<u8>,
        extended_data: String,
        /// `hasReceipt` (`receipt_status` 1) and a custom message's `subType` /
        /// `searchedContent`.
        ext: Option<MessageExt>,
    },
    CreateRoom {
        room_id: String,
        room_name: String,
    },
    JoinRoom {
        room_id: String,
    },
    EnterRoom {
        room_id: String,
        room_name: String,
    },
    LeaveRoom {
        room_id: String,
    },
    QueryRoomMembers {
        room_id: String,
        next_flag: String,
        count: u32,
    },
    QueryRoomOnlineCount {
        room_id: String,
    },
    /// `reverse` as in ZIM: page back from the newest (older than the anchor); otherwise
    /// forward from the oldest (newer than the anchor). `anchor_order_key` 0 = no anchor.
    QueryHistory {
        conversation_type: u8,
        conversation_id: String,
        anchor_order_key: u64,
        count: u32,
        reverse: bool,
    },
    /// One of ZIM's request/response methods ([`tinyim_protocol::rpc::METHODS`]): `args` is
    /// its request struct as a [`Value`]; the reply is [`Reply::Call`].
    Call {
        method: u16,
        args: Value,
    },
}

/// What a successful [`Command`] resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Login, logout: nothing to return.
    Done,
    /// RenewToken: the new token's expiry, Unix seconds.
    TokenRenewed { token_expire: u64 },
    /// SendMessage: the message as stored by the server (IDs, timestamp, order key).
    Sent(Message),
    /// Create/join/enter room.
    Room { room_id: String, room_name: String },
    /// LeaveRoom.
    RoomLeft { room_id: String },
    /// QueryRoomMembers.
    Members {
        room_id: String,
        members: Vec<User>,
        next_flag: String,
    },
    /// QueryRoomOnlineCount.
    Count { room_id: String, count: u32 },
    /// QueryHistory, ascending order key.
    History {
        conversation_type: u8,
        conversation_id: String,
        messages: Vec<Message>,
    },
    /// A method's response struct as a [`Value`] (shape: the method's `response`).
    Call { method: u16, value: Value },
}

/// A failure the app sees as `{ code, message }`. `code` is a ZIM error code
/// ([`tinyim_protocol::code`]); `message` says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZimError {
    pub code: u32,
    pub message: String,
}

impl ZimError {
    /// An error with ZIM code `code`.
    pub fn new(code: u32, message: impl Into<String>) -> Self {
        ZimError {
            code,
            message: message.into(),
        }
    }
}

/// ZIM's connection states (`ZIMConnectionState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
    Reconnecting = 3,
}

/// ZIM's connection events (`ZIMConnectionEvent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionEvent {
    Success = 0,
    ActiveLogin = 1,
    LoginTimeout = 2,
    LoginInterrupted = 3,
    KickedOut = 4,
    TokenExpired = 5,
    Unregistered = 6,
}

/// ZIM's room states (`ZIMRoomState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomState {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
}

/// ZIM's room events (`ZIMRoomEvent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomEvent {
    Success = 0,
    NetworkInterrupted = 1,
    NetworkDisconnected = 2,
    RoomNotExist = 3,
    ActiveCreate = 4,
    CreateFailed = 5,
    ActiveEnter = 6,
    EnterFailed = 7,
    KickedOut = 8,
    ConnectTimeout = 9,
    KickedOutByOtherDevice = 10,
    ActiveSwitch = 11,
    SwitchFailed = 12,
}

/// An event for the app (the facade maps each to ZIM's event name and callback style).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    ConnectionStateChanged {
        state: ConnectionState,
        event: ConnectionEvent,
    },
    /// The token expires in `second` seconds: call renewToken.
    TokenWillExpire {
        second: u32,
    },
    /// New peer messages from one conversation, each exactly once, ascending order key.
    PeerMessages {
        from_user_id: String,
        messages: Vec<Message>,
        offline: bool,
    },
    /// New messages of one group the user is a member of, each exactly once, in the
    /// group's order.
    GroupMessages {
        group_id: String,
        messages: Vec<Message>,
        offline: bool,
    },
    /// New messages in a room the user is in.
    RoomMessages {
        room_id: String,
        messages: Vec<Message>,
    },
    RoomStateChanged {
        room_id: String,
        state: RoomState,
        event: RoomEvent,
    },
    RoomMemberJoined {
        room_id: String,
        members: Vec<User>,
    },
    RoomMemberLeft {
        room_id: String,
        members: Vec<User>,
    },
    /// A failure not tied to an API call (ZIM's `error` event).
    Error(ZimError),
    /// A notice from the server ([`tinyim_protocol::rpc::NOTICES`]): `value` has the
    /// notice's shape.
    Notice {
        notice: u16,
        value: Value,
    },
}

/// Something the host must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Open a WebSocket to `url` (closing any previous one first), then report
    /// `TransportOpened` or `TransportClosed`.
    Connect { url: String },
    /// Send these bytes as one binary WebSocket message on the open transport.
    Transmit(Vec<u8>),
    /// Close the transport; do not report `TransportClosed` for it.
    Disconnect,
    /// Tell the app.
    Event(Event),
    /// Settle the Promise of API call `op`.
    Completed {
        op: OpId,
        result: Result<Reply, ZimError>,
    },
    /// Keep these bytes on the device for the logged-in user (`wx` storage), replacing what
    /// was kept, and give them back with [`crate::Client::restore_local`] before the next
    /// login as the same user: the local message store ([`crate::Client`] docs).
    SaveLocal(Vec<u8>),
}
