//! ZIM's request/response methods and server notices, one table each.
//!
//! The session-level frames (login, send, push, rooms ...) are kinds of their own in
//! [`crate::frame`]. Everything else ZIM offers (conversations, users, groups, calls ...) is
//! a **method**: the client sends [`Call`] naming the method and carrying its request
//! struct; the server answers with [`Reply`] carrying the method's response struct, or with
//! `Error`. Server-initiated news that is not a message (a profile changed, a member joined
//! a group) is a **notice**, pushed live in [`Notify`].
//!
//! [`methods!`] and [`notices!`] list them: one line per method (id, name, request type,
//! response type) and per notice. From that one line come the typed `Request` / `Response`
//! / `Notice` enums the server uses and the static tables ([`METHODS`], [`NOTICES`]) of
//! shapes the SDK core uses to encode and decode generically ([`crate::value`]), so adding a
//! method to the protocol is adding its structs (in the area's module under
//! [`crate::areas`]) and its line here.
//!
//! Method and notice IDs are stable wire numbers: never reuse one. They are grouped by ZIM
//! area in hundreds (users 100-199, conversations 200-299 ...).

use crate::areas::*;
use crate::codec::{wire_struct, Wire};
use crate::shape::Shape;
use crate::{DecodeError, Empty};

wire_struct! {
    /// A method call. `call_id` is unique per client instance and kept when the call is
    /// resent after a reconnect: the server answers a repeated `call_id` of a method that
    /// changes state from its memory of the first answer instead of doing it twice.
    /// `args` is the method's request struct.
    pub struct Call {
        pub call_id: u64,
        pub method: u16,
        pub args: Vec<u8>,
    }
}

wire_struct! {
    /// A method's successful answer: `body` is its response struct.
    pub struct Reply {
        pub method: u16,
        pub body: Vec<u8>,
    }
}

wire_struct! {
    /// A live notice for the receiving user: `body` is the notice's struct.
    pub struct Notify {
        pub notice: u16,
        pub body: Vec<u8>,
    }
}

/// One method of the table.
#[derive(Debug)]
pub struct Method {
    pub id: u16,
    /// ZIM's method name (`updateUserName`), as the JS facade calls it.
    pub name: &'static str,
    pub request: &'static Shape,
    pub response: &'static Shape,
    /// It changes state, so a resend after a reconnect must not do it twice.
    pub writes: bool,
    /// The SDK answers it from its local store and never sends it; a server refuses it.
    pub local: bool,
}

/// One notice of the table.
#[derive(Debug)]
pub struct NoticeKind {
    pub id: u16,
    /// The notice's name (`userInfoUpdated`); the JS facade maps it to ZIM's event(s).
    pub name: &'static str,
    pub shape: &'static Shape,
}

macro_rules! writes {
    (write) => {
        true
    };
    ($($other:ident)?) => {
        false
    };
}

macro_rules! local {
    (local) => {
        true
    };
    ($($other:ident)?) => {
        false
    };
}

/// Defines the method table (see the module docs).
macro_rules! methods {
    ( $( $(#[$meta:meta])* $variant:ident = $id:literal, $name:literal : $req:ty => $resp:ty $(, $w:ident)? ; )* ) => {
        /// A decoded method request (the server's view of a [`Call`]).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Request {
            $( $(#[$meta])* $variant($req), )*
        }

        /// A method's response (the server's view of a [`Reply`]). Its variants differ in
        /// size as ZIM's results do; a response lives only until it is encoded, so none is
        /// boxed.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Response {
            $( $variant($resp), )*
        }

        /// Every method, in ID order.
        pub static METHODS: &[Method] = &[
            $( Method {
                id: $id,
                name: $name,
                request: &<$req as Wire>::SHAPE,
                response: &<$resp as Wire>::SHAPE,
                writes: writes!($($w)?),
                local: local!($($w)?),
            }, )*
        ];

        impl Request {
            /// The method ID.
            pub fn method(&self) -> u16 {
                match self { $( Request::$variant(_) => $id, )* }
            }

            /// The request struct's encoding (a [`Call`]'s `args`).
            pub fn encode_args(&self) -> Vec<u8> {
                let mut out = Vec::new();
                match self { $( Request::$variant(a) => a.encode(&mut out), )* }
                out
            }

            /// Decodes `args` as method `method`'s request, checking every field.
            pub fn decode(method: u16, args: &[u8]) -> Result<Request, DecodeError> {
                match method {
                    $( $id => decode_all::<$req>(args).map(Request::$variant), )*
                    _ => Err(DecodeError::UnknownMethod(method)),
                }
            }
        }

        impl Response {
            /// The method ID.
            pub fn method(&self) -> u16 {
                match self { $( Response::$variant(_) => $id, )* }
            }

            /// The response struct's encoding (a [`Reply`]'s `body`).
            pub fn encode_body(&self) -> Vec<u8> {
                let mut out = Vec::new();
                match self { $( Response::$variant(a) => a.encode(&mut out), )* }
                out
            }

            /// Decodes `body` as method `method`'s response.
            pub fn decode(method: u16, body: &[u8]) -> Result<Response, DecodeError> {
                match method {
                    $( $id => decode_all::<$resp>(body).map(Response::$variant), )*
                    _ => Err(DecodeError::UnknownMethod(method)),
                }
            }
        }
    };
}

/// Defines the notice table (see the module docs).
macro_rules! notices {
    ( $( $(#[$meta:meta])* $variant:ident = $id:literal, $name:literal : $ty:ty ; )* ) => {
        /// A notice (the server's view of a [`Notify`] body).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Notice {
            $( $(#[$meta])* $variant($ty), )*
        }

        /// Every notice, in ID order.
        pub static NOTICES: &[NoticeKind] = &[
            $( NoticeKind { id: $id, name: $name, shape: &<$ty as Wire>::SHAPE }, )*
        ];

        impl Notice {
            /// The notice ID.
            pub fn id(&self) -> u16 {
                match self { $( Notice::$variant(_) => $id, )* }
            }

            /// The notice's encoding (a [`Notify`]'s `body`).
            pub fn encode_body(&self) -> Vec<u8> {
                let mut out = Vec::new();
                match self { $( Notice::$variant(n) => n.encode(&mut out), )* }
                out
            }

            /// Decodes `body` as notice `id`.
            pub fn decode(id: u16, body: &[u8]) -> Result<Notice, DecodeError> {
                match id {
                    $( $id => decode_all::<$ty>(body).map(Notice::$variant), )*
                    _ => Err(DecodeError::UnknownMethod(id)),
                }
            }

            /// The live frame body carrying this notice.
            pub fn to_notify(&self) -> Notify {
                Notify { notice: self.id(), body: self.encode_body() }
            }
        }
    };
}

fn decode_all<T: Wire>(buf: &[u8]) -> Result<T, DecodeError> {
    let mut r = crate::codec::Reader::new(buf);
    let v = T::decode(&mut r)?;
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes);
    }
    Ok(v)
}

/// The method with ID `id`.
pub fn method(id: u16) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.id == id)
}

/// The method ZIM calls `name`.
pub fn method_named(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name == name)
}

/// The notice with ID `id`.
pub fn notice(id: u16) -> Option<&'static NoticeKind> {
    NOTICES.iter().find(|n| n.id == id)
}

methods! {
    // ---- users (100-199) ----
    QuerySelfUserInfo = 100, "querySelfUserInfo": Empty => SelfUserInfo;
    QueryUsersInfo = 101, "queryUsersInfo": UsersInfoQuery => UsersInfo;
    UpdateUserName = 102, "updateUserName": UserNameUpdate => UserNameUpdate, write;
    UpdateUserAvatarUrl = 103, "updateUserAvatarUrl": UserAvatarUrlUpdate => UserAvatarUrlUpdate, write;
    UpdateUserExtendedData = 104, "updateUserExtendedData": UserExtendedDataUpdate => UserExtendedDataUpdate, write;
    QueryUsersStatus = 105, "queryUsersStatus": UsersStatusQuery => UsersStatus;
    SubscribeUsersStatus = 106, "subscribeUsersStatus": UsersStatusSubscribe => ErrorUsers, write;
    UnsubscribeUsersStatus = 107, "unsubscribeUsersStatus": UsersStatusUnsubscribe => ErrorUsers, write;
    QuerySubscribedUserStatusList = 108, "querySubscribedUserStatusList": SubscribedUserStatusQuery => SubscribedUserStatusList;
    UpdateUserCustomStatus = 109, "updateUserCustomStatus": UserCustomStatusUpdate => UserCustomStatusUpdated, write;
    UpdateUserOfflinePushRule = 110, "updateUserOfflinePushRule": UserOfflinePushRuleUpdate => UserOfflinePushRuleUpdate, write;
    UpdateUserBadge = 111, "updateUserBadge": UserBadgeUpdate => Empty, write;

    // ---- conversations (200-299) ----
    QueryConversationList = 200, "queryConversationList": ConversationListQuery => ConversationList;
    QueryConversation = 201, "queryConversation": ConversationKey => ConversationQueried;
    QueryConversationPinnedList = 202, "queryConversationPinnedList": ConversationPinnedListQuery => ConversationList;
    UpdateConversationPinnedState = 203, "updateConversationPinnedState": ConversationPinnedStateUpdate => ConversationKey, write;
    DeleteConversation = 204, "deleteConversation": ConversationDelete => ConversationKey, write;
    DeleteAllConversations = 205, "deleteAllConversations": ConversationsDeleteAll => Empty, write;
    ClearConversationUnreadMessageCount = 206, "clearConversationUnreadMessageCount": ConversationKey => ConversationKey, write;
    ClearConversationTotalUnreadMessageCount = 207, "clearConversationTotalUnreadMessageCount": Empty => Empty, write;
    QueryConversationTotalUnreadMessageCount = 208, "queryConversationTotalUnreadMessageCount": TotalUnreadQuery => TotalUnread;
    SetConversationNotificationStatus = 209, "setConversationNotificationStatus": NotificationStatusSet => ConversationKey, write;
    SetConversationDraft = 210, "setConversationDraft": DraftSet => ConversationKey, write;
    SetConversationMark = 211, "setConversationMark": MarkSet => MarkSetResult, write;
    // ---- messages (300-399) ----
    QueryMessages = 300, "queryMessages": MessagesQuery => MessagesQueried;
    DeleteMessages = 301, "deleteMessages": MessagesDelete => ConversationKey, write;
    DeleteAllMessage = 302, "deleteAllMessage": ConversationMessagesDelete => ConversationKey, write;
    DeleteAllConversationMessages = 303, "deleteAllConversationMessages": AllMessagesDelete => Empty, write;
    SendMessageReceiptsRead = 304, "sendMessageReceiptsRead": ReceiptsQuery => ReceiptsReadSent, write;
    SendConversationMessageReceiptRead = 305, "sendConversationMessageReceiptRead": ConversationKey => ConversationKey, write;
    QueryMessageReceiptsInfo = 306, "queryMessageReceiptsInfo": ReceiptsQuery => ReceiptsInfo;
    RevokeMessage = 307, "revokeMessage": Revoke => MessageResult, write;
    EditMessage = 308, "editMessage": Edit => MessageResult, write;
    InsertMessageToLocalDb = 320, "insertMessageToLocalDB": LocalInsert => MessageResult, local;
    UpdateMessageLocalExtendedData = 321, "updateMessageLocalExtendedData": LocalExtendedDataUpdate => Empty, local;
    CancelSendingMessage = 322, "cancelSendingMessage": SendingCancel => Empty, local;

    // ---- groups (400-499) ----
    CreateGroup = 400, "createGroup": GroupCreate => GroupCreatedResult, write;
    DismissGroup = 401, "dismissGroup": GroupIdArg => GroupIdResult, write;
    JoinGroup = 402, "joinGroup": GroupIdArg => GroupInfoResult, write;
    LeaveGroup = 403, "leaveGroup": GroupIdArg => GroupIdResult, write;
    InviteUsersIntoGroup = 404, "inviteUsersIntoGroup": GroupUsersArg => GroupUsersInvitedResult, write;
    KickGroupMembers = 405, "kickGroupMembers": GroupUsersArg => GroupMemberKickedResult, write;
    TransferGroupOwner = 406, "transferGroupOwner": GroupOwnerTransfer => GroupOwnerTransferredResult, write;
    QueryGroupInfo = 407, "queryGroupInfo": GroupIdArg => GroupInfoResult;
    QueryGroupMemberInfo = 408, "queryGroupMemberInfo": GroupMemberInfoQuery => GroupMemberInfoResult;
    QueryGroupList = 409, "queryGroupList": GroupListQuery => GroupListResult;
    QueryGroupMemberList = 410, "queryGroupMemberList": GroupMemberPageQuery => GroupMemberListResult;
    QueryGroupMemberCount = 411, "queryGroupMemberCount": GroupIdArg => GroupMemberCountResult;
    UpdateGroupName = 412, "updateGroupName": GroupNameUpdate => GroupNameResult, write;
    UpdateGroupAvatarUrl = 413, "updateGroupAvatarUrl": GroupAvatarUrlUpdate => GroupAvatarUrlResult, write;
    UpdateGroupNotice = 414, "updateGroupNotice": GroupNoticeUpdate => GroupNoticeResult, write;
    UpdateGroupAlias = 415, "updateGroupAlias": GroupAliasUpdate => GroupAliasResult, write;
    UpdateGroupJoinMode = 416, "updateGroupJoinMode": GroupModeUpdate => GroupModeResult, write;
    UpdateGroupInviteMode = 417, "updateGroupInviteMode": GroupModeUpdate => GroupModeResult, write;
    UpdateGroupBeInviteMode = 418, "updateGroupBeInviteMode": GroupModeUpdate => GroupModeResult, write;
    SetGroupAttributes = 419, "setGroupAttributes": GroupAttributesSet => GroupAttributesOperatedResult, write;
    DeleteGroupAttributes = 420, "deleteGroupAttributes": GroupAttributeKeys => GroupAttributesOperatedResult, write;
    QueryGroupAttributes = 421, "queryGroupAttributes": GroupAttributeKeys => GroupAttributesResult;
    QueryGroupAllAttributes = 422, "queryGroupAllAttributes": GroupIdArg => GroupAttributesResult;
    SetGroupMemberRole = 423, "setGroupMemberRole": GroupMemberRoleSet => GroupMemberRoleResult, write;
    SetGroupMemberNickname = 424, "setGroupMemberNickname": GroupMemberNicknameSet => GroupMemberNicknameResult, write;
    MuteGroup = 425, "muteGroup": GroupMute => GroupMutedResult, write;
    MuteGroupMembers = 426, "muteGroupMembers": GroupMembersMute => GroupMembersMutedResult, write;
    QueryGroupMemberMutedList = 427, "queryGroupMemberMutedList": GroupMemberPageQuery => GroupMemberListResult;
    SendGroupJoinApplication = 428, "sendGroupJoinApplication": GroupJoinApplicationSend => GroupIdResult, write;
    AcceptGroupJoinApplication = 429, "acceptGroupJoinApplication": GroupJoinApplicationAnswer => GroupJoinApplicationResult, write;
    RejectGroupJoinApplication = 430, "rejectGroupJoinApplication": GroupJoinApplicationAnswer => GroupJoinApplicationResult, write;
    SendGroupInviteApplications = 431, "sendGroupInviteApplications": GroupInviteApplicationsSend => GroupInviteApplicationsSentResult, write;
    AcceptGroupInviteApplication = 432, "acceptGroupInviteApplication": GroupInviteApplicationAnswer => GroupInviteApplicationAcceptedResult, write;
    RejectGroupInviteApplication = 433, "rejectGroupInviteApplication": GroupInviteApplicationAnswer => GroupInviteApplicationRejectedResult, write;
    QueryGroupApplicationList = 434, "queryGroupApplicationList": GroupApplicationListQuery => GroupApplicationListResult;
    QueryGroupMessageReceiptReadMemberList = 435, "queryGroupMessageReceiptReadMemberList": GroupReceiptMembersQuery => GroupMemberListResult;
    QueryGroupMessageReceiptUnreadMemberList = 436, "queryGroupMessageReceiptUnreadMemberList": GroupReceiptMembersQuery => GroupMemberListResult;
    // ---- rooms (500-599) ----
    CreateRoom = 500, "createRoom": RoomEntry => RoomEntered, write;
    EnterRoom = 501, "enterRoom": RoomEntry => RoomEntered, write;
    SwitchRoom = 502, "switchRoom": RoomSwitch => RoomEntered, write;
    LeaveAllRoom = 503, "leaveAllRoom": Empty => RoomAllLeft, write;
    QueryRoomMembers = 504, "queryRoomMembers": RoomUsersQuery => RoomMembersQueried;
    SetRoomAttributes = 505, "setRoomAttributes": RoomAttributesSet => RoomAttributesOperated, write;
    DeleteRoomAttributes = 506, "deleteRoomAttributes": RoomAttributesDelete => RoomAttributesOperated, write;
    EndRoomAttributesBatchOperation = 507, "endRoomAttributesBatchOperation": RoomAttributesBatch => RoomAttributesBatchOperated, write;
    QueryRoomAllAttributes = 508, "queryRoomAllAttributes": RoomIdArg => RoomAttributesQueried;
    SetRoomMembersAttributes = 509, "setRoomMembersAttributes": RoomMembersAttributesSet => RoomMembersAttributesOperated, write;
    QueryRoomMembersAttributes = 510, "queryRoomMembersAttributes": RoomUsersQuery => RoomMembersAttributesQueried;
    QueryRoomMemberAttributesList = 511, "queryRoomMemberAttributesList": RoomMemberAttributesListQuery => RoomMemberAttributesListQueried;
    // ---- calls (600-699) ----
    CallInvite = 600, "callInvite": CallInvite => CallInvitationSent, write;
    CallCancel = 601, "callCancel": CallCancel => CallCancelSent, write;
    CallAccept = 602, "callAccept": CallAnswer => CallAnswered, write;
    CallReject = 603, "callReject": CallAnswer => CallAnswered, write;
    CallingInvite = 604, "callingInvite": CallingInvite => CallingInvitationSent, write;
    CallJoin = 605, "callJoin": CallAnswer => CallJoinSent, write;
    CallQuit = 606, "callQuit": CallAnswer => CallQuitSent, write;
    CallEnd = 607, "callEnd": CallAnswer => CallEndSent, write;
    QueryCallInvitationList = 608, "queryCallInvitationList": CallInvitationQuery => CallInvitationListQueried;
    // ---- friends and blacklist (700-799) ----
    AddFriend = 700, "addFriend": FriendAdd => FriendInfoResult, write;
    DeleteFriends = 701, "deleteFriends": FriendsScoped => ErrorUsers, write;
    CheckFriendsRelation = 702, "checkFriendsRelation": FriendsScoped => FriendsRelationChecked;
    UpdateFriendAlias = 703, "updateFriendAlias": FriendAliasUpdate => FriendInfoResult, write;
    UpdateFriendAttributes = 704, "updateFriendAttributes": FriendAttributesUpdate => FriendInfoResult, write;
    QueryFriendsInfo = 705, "queryFriendsInfo": FriendsInfoQuery => FriendsInfoQueried;
    QueryFriendList = 706, "queryFriendList": PageQuery => FriendListQueried;
    SendFriendApplication = 707, "sendFriendApplication": FriendApplicationSend => FriendApplicationSent, write;
    AcceptFriendApplication = 708, "acceptFriendApplication": FriendApplicationAccept => FriendInfoResult, write;
    RejectFriendApplication = 709, "rejectFriendApplication": FriendApplicationReject => FriendApplicationRejected, write;
    QueryFriendApplicationList = 710, "queryFriendApplicationList": PageQuery => FriendApplicationListQueried;
    AddUsersToBlacklist = 750, "addUsersToBlacklist": BlacklistUsers => ErrorUsers, write;
    RemoveUsersFromBlacklist = 751, "removeUsersFromBlacklist": BlacklistUsers => ErrorUsers, write;
    QueryBlacklist = 752, "queryBlacklist": PageQuery => BlacklistQueried;
    CheckUserIsInBlacklist = 753, "checkUserIsInBlacklist": BlacklistCheck => BlacklistChecked;
}

notices! {
    // ---- users (100-199) ----
    UserInfoUpdated = 100, "userInfoUpdated": UserInfoUpdated;
    UserStatusUpdated = 101, "userStatusUpdated": UserStatusUpdated;
    UserRuleUpdated = 102, "userRuleUpdated": UserRuleUpdated;

    // ---- conversations (200-299): sent by the server, or raised by the SDK itself for
    // what it derives from the messages it gets (docs/areas/conversations.md) ----
    ConversationChanged = 200, "conversationChanged": ConversationChanged;
    ConversationTotalUnreadMessageCountUpdated = 201, "conversationTotalUnreadMessageCountUpdated": TotalUnreadUpdated;
    ConversationsAllDeleted = 202, "conversationsAllDeleted": ConversationsAllDeleted;
    ConversationSyncStateChanged = 203, "conversationSyncStateChanged": SyncStateChanged;
    ConversationSync = 204, "conversationSync": ConversationSync;
    // ---- messages (300-399) ----
    MessageRevokeReceived = 300, "messageRevokeReceived": MessageListNotice;
    MessageEdited = 301, "messageEdited": MessageListNotice;
    MessageReceiptChanged = 302, "messageReceiptChanged": ReceiptsChanged;
    ConversationMessageReceiptChanged = 303, "conversationMessageReceiptChanged": ReceiptsChanged;
    MessageDeleted = 304, "messageDeleted": MessagesDeleted;

    // ---- groups (400-499) ----
    GroupStateChanged = 400, "groupStateChanged": GroupStateChangedEvent;
    GroupMemberStateChanged = 401, "groupMemberStateChanged": GroupMemberStateChangedEvent;
    GroupMemberInfoUpdated = 402, "groupMemberInfoUpdated": GroupMemberInfoUpdatedEvent;
    GroupNameUpdated = 403, "groupNameUpdated": GroupNameUpdatedEvent;
    GroupAvatarUrlUpdated = 404, "groupAvatarUrlUpdated": GroupAvatarUrlUpdatedEvent;
    GroupNoticeUpdated = 405, "groupNoticeUpdated": GroupNoticeUpdatedEvent;
    GroupAliasUpdated = 406, "groupAliasUpdated": GroupAliasUpdatedEvent;
    GroupAttributesUpdated = 407, "groupAttributesUpdated": GroupAttributesUpdatedEvent;
    GroupMutedInfoUpdated = 408, "groupMutedInfoUpdated": GroupMutedInfoUpdatedEvent;
    GroupVerifyInfoUpdated = 409, "groupVerifyInfoUpdated": GroupVerifyInfoUpdatedEvent;
    GroupApplicationListChanged = 410, "groupApplicationListChanged": GroupApplicationListChangedEvent;
    GroupApplicationUpdated = 411, "groupApplicationUpdated": GroupApplicationUpdatedEvent;
    // ---- rooms (500-599) ----
    RoomAttributesUpdated = 500, "roomAttributesUpdated": RoomAttributesUpdated;
    RoomAttributesBatchUpdated = 501, "roomAttributesBatchUpdated": RoomAttributesUpdated;
    RoomMemberAttributesUpdated = 502, "roomMemberAttributesUpdated": RoomMemberAttributesUpdated;
    // ---- calls (600-699) ----
    CallInvitationCreated = 600, "callInvitationCreated": CallInvitationCreated;
    CallInvitationReceived = 601, "callInvitationReceived": CallInvitationReceived;
    CallInvitationCancelled = 602, "callInvitationCancelled": CallInvitationCancelled;
    CallInvitationEnded = 603, "callInvitationEnded": CallInvitationEnded;
    CallInvitationTimeout = 604, "callInvitationTimeout": CallInvitationTimeout;
    CallInviteesAnsweredTimeout = 605, "callInviteesAnsweredTimeout": CallInviteesAnsweredTimeout;
    CallUserStateChanged = 606, "callUserStateChanged": CallUserStateChanged;
    CallInvitationAccepted = 607, "callInvitationAccepted": CallInvitationAnswered;
    CallInvitationRejected = 608, "callInvitationRejected": CallInvitationAnswered;
    // ---- friends and blacklist (700-799) ----
    FriendListChanged = 700, "friendListChanged": FriendListChanged;
    FriendInfoUpdated = 701, "friendInfoUpdated": FriendInfoUpdated;
    FriendApplicationListChanged = 702, "friendApplicationListChanged": FriendApplicationListChanged;
    FriendApplicationUpdated = 703, "friendApplicationUpdated": FriendApplicationUpdated;
    BlacklistChanged = 750, "blacklistChanged": BlacklistChanged;
}
