//! Conversations: the per-user list of chats with their unread counts, last message, pin,
//! do-not-disturb, draft and marks (docs/areas/conversations.md).

use crate::codec::{wire_struct, List};
use crate::ids::{ConversationId, MessageId, Text};
use crate::Message;

wire_struct! {
    /// ZIM's `ZIMConversation`, as its owner sees it.
    pub struct Conversation {
        pub conversation_id: String,
        pub conversation_type: u8 = "type",
        /// For a peer: the peer's user name (their profile).
        pub conversation_name: String,
        pub conversation_avatar_url: String,
        pub conversation_alias: String,
        /// ZIM's `ZIMConversationNotificationStatus`: 1 notify, 2 do not disturb.
        pub notification_status: u8,
        pub unread_message_count: u32,
        /// The order key (`messageSeq`) through which the owner has read.
        pub read_message_seq: u64,
        pub last_message: Option<Message>,
        /// Sorts the list (newest first): the last message's ID.
        pub order_key: u64,
        pub is_pinned: bool,
        pub pinned_time: u64,
        pub mentioned_info_list: List<MentionedInfo>,
        pub draft: String,
        pub marks: List<u32>,
    }
}

wire_struct! {
    /// ZIM's `ZIMMessageMentionedInfo` (mentions come with groups: the list is empty).
    pub struct MentionedInfo {
        pub message_id: MessageId,
        pub message_seq: u64,
        pub from_user_id: String,
        pub mention_type: u8 = "type",
    }
}

wire_struct! {
    /// A conversation's identity: ZIM's `ZIMConversationBaseInfo`, and the result of most
    /// conversation methods (`{ conversationID, conversationType }`).
    pub struct ConversationKey {
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
    }
}

wire_struct! {
    /// Where a page of the list starts: the last conversation of the previous page (ZIM's
    /// `nextConversation`, read from that `ZIMConversation` object).
    pub struct ConversationAnchor {
        pub conversation_id: String,
        pub conversation_type: u8 = "type",
        pub order_key: u64,
        pub is_pinned: bool,
    }
}

wire_struct! {
    /// `queryConversationList(config, option?)`: ZIM's `ZIMConversationQueryConfig` and
    /// `ZIMConversationFilterOption` in one (pinned first, then newest first).
    pub struct ConversationListQuery {
        pub next_conversation: Option<ConversationAnchor>,
        pub count: u32,
        /// Empty: every type.
        pub conversation_types: List<i64>,
        /// Empty: any; else conversations with at least one of these marks.
        pub marks: List<u32>,
        pub is_only_unread_conversation: bool,
        /// ZIM's `ZIMConversationPinnedFilter`: 0 all, 1 only pinned, 2 only unpinned.
        pub pinned_filter: u8,
    }
}

wire_struct! {
    /// `queryConversationPinnedList(config)`.
    pub struct ConversationPinnedListQuery {
        pub next_conversation: Option<ConversationAnchor>,
        pub count: u32,
    }
}

wire_struct! {
    /// `{ conversationList }`.
    pub struct ConversationList {
        pub conversation_list: List<Conversation>,
    }
}

wire_struct! {
    /// `{ conversation }`.
    pub struct ConversationQueried {
        pub conversation: Conversation,
    }
}

wire_struct! {
    /// `updateConversationPinnedState(isPinned, conversationID, conversationType)`.
    pub struct ConversationPinnedStateUpdate {
        pub is_pinned: bool,
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
    }
}

wire_struct! {
    /// `deleteConversation(conversationID, conversationType, config)`.
    pub struct ConversationDelete {
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
        /// false: on this device only (docs/areas/conversations.md).
        pub is_also_delete_server_conversation: bool,
    }
}

wire_struct! {
    /// `deleteAllConversations(config)`.
    pub struct ConversationsDeleteAll {
        pub is_also_delete_server_conversation: bool,
    }
}

wire_struct! {
    /// `queryConversationTotalUnreadMessageCount(config)`.
    pub struct TotalUnreadQuery {
        pub conversation_types: List<i64>,
        pub marks: List<u32>,
    }
}

wire_struct! {
    /// `{ unreadMessageCount }`.
    pub struct TotalUnread {
        pub unread_message_count: u32,
    }
}

wire_struct! {
    /// `setConversationNotificationStatus(status, conversationID, conversationType)`.
    pub struct NotificationStatusSet {
        pub status: u8,
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
    }
}

wire_struct! {
    /// `setConversationDraft(draft, conversationID, conversationType)`.
    pub struct DraftSet {
        pub draft: Text,
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
    }
}

wire_struct! {
    /// `setConversationMark(markType, enable, conversationInfos)`.
    pub struct MarkSet {
        pub mark_type: u32,
        pub enable: bool,
        pub conversation_infos: List<ConversationKey>,
    }
}

wire_struct! {
    /// `{ failedConversationInfos }`: the conversations that do not exist.
    pub struct MarkSetResult {
        pub failed_conversation_infos: List<ConversationKey>,
    }
}

wire_struct! {
    /// ZIM's `ZIMConversationChangeInfo`; `event` is ZIM's `ZIMConversationEvent` (0 added,
    /// 1 updated, 2 disabled, 3 deleted).
    pub struct ConversationChangeInfo {
        pub event: u8,
        pub conversation: Conversation,
    }
}

wire_struct! {
    /// Notice `conversationChanged` (`{ infoList }`).
    pub struct ConversationChanged {
        pub info_list: List<ConversationChangeInfo>,
    }
}

wire_struct! {
    /// Notice `conversationTotalUnreadMessageCountUpdated`.
    pub struct TotalUnreadUpdated {
        pub total_unread_message_count: u32,
    }
}

wire_struct! {
    /// Notice `conversationsAllDeleted` (`{ count }`).
    pub struct ConversationsAllDeleted {
        pub count: u32,
    }
}

wire_struct! {
    /// Notice `conversationSyncStateChanged`: ZIM's `ZIMConversationSyncState` (0 started,
    /// 1 finished, 2 failed).
    pub struct SyncStateChanged {
        pub state: u8,
    }
}

wire_struct! {
    /// Notice `conversationSync` (the SDK's own, not a ZIM event): the user's conversations,
    /// pushed after `LoginOk` when `Login.sync_conversations` asked for them, before the
    /// inbox catch-up, and read in the same transaction as `LoginOk.inbox_seq` (so they
    /// include every inbox entry up to it). Several when they do not fit one frame; `done`
    /// on the last.
    pub struct ConversationSync {
        pub conversations: List<Conversation>,
        pub done: bool,
    }
}

/// ZIM's `ZIMConversationEvent` values.
pub mod conversation_event {
    pub const ADDED: u8 = 0;
    pub const UPDATED: u8 = 1;
    pub const DELETED: u8 = 3;
}

/// ZIM's `ZIMConversationNotificationStatus` values.
pub mod notification_status {
    pub const NOTIFY: u8 = 1;
    pub const DO_NOT_DISTURB: u8 = 2;
}
