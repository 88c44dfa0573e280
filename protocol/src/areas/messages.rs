//! Messages beyond sending: query, delete, receipts, revoke, edit, and the SDK's local
//! message store (docs/areas/messages.md).

use crate::codec::{wire_struct, List};
use crate::ids::{ConversationId, ExtendedData, MessageId, Text};
use crate::Message;

wire_struct! {
    /// A message the app passes back (read from its `ZIMMessage` object by name).
    pub struct MessageRef {
        pub message_id: MessageId,
        pub local_message_id: MessageId,
    }
}

wire_struct! {
    /// `queryMessages(messageSeqs, conversationID, conversationType)` (at most 100).
    pub struct MessagesQuery {
        pub message_seqs: List<u64>,
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
    }
}

wire_struct! {
    /// ZIM's `ZIMMessageQueriedResult`.
    pub struct MessagesQueried {
        pub conversation_id: String,
        pub conversation_type: u8,
        pub message_list: List<Message>,
    }
}

wire_struct! {
    /// `deleteMessages(messageList, conversationID, conversationType, config)`.
    pub struct MessagesDelete {
        pub message_list: List<MessageRef>,
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
        /// false: on this device only (the SDK's local store).
        pub is_also_delete_server_message: bool,
    }
}

wire_struct! {
    /// `deleteAllMessage(conversationID, conversationType, config)`.
    pub struct ConversationMessagesDelete {
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
        pub is_also_delete_server_message: bool,
    }
}

wire_struct! {
    /// `deleteAllConversationMessages(config)`.
    pub struct AllMessagesDelete {
        pub is_also_delete_server_message: bool,
    }
}

wire_struct! {
    /// `sendMessageReceiptsRead` and `queryMessageReceiptsInfo` (messageList,
    /// conversationID, conversationType): at most 10 messages.
    pub struct ReceiptsQuery {
        pub message_list: List<MessageRef>,
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
    }
}

wire_struct! {
    /// ZIM's `ZIMMessageReceiptsReadSentResult`: the messages that could not be set read.
    pub struct ReceiptsReadSent {
        pub conversation_id: String,
        pub conversation_type: u8,
        pub error_message_ids: List<MessageId>,
    }
}

wire_struct! {
    /// ZIM's `ZIMMessageReceiptInfo`. `status` is ZIM's `ZIMMessageReceiptStatus`.
    pub struct ReceiptInfo {
        pub status: u8,
        pub message_id: MessageId,
        pub conversation_id: String,
        pub conversation_type: u8,
        pub read_member_count: u32,
        pub unread_member_count: u32,
        pub is_self_operated: bool,
        pub read_time: u64,
    }
}

wire_struct! {
    /// ZIM's `ZIMMessageReceiptsInfoQueriedResult`.
    pub struct ReceiptsInfo {
        pub infos: List<ReceiptInfo>,
        pub error_message_ids: List<MessageId>,
    }
}

wire_struct! {
    /// `revokeMessage(message, config)`.
    pub struct Revoke {
        pub message: MessageRef,
        pub revoke_extended_data: ExtendedData,
    }
}

wire_struct! {
    /// `{ message }`: the result of revoke, edit and the local-store methods.
    pub struct MessageResult {
        pub message: Message,
    }
}

wire_struct! {
    /// The message `editMessage` takes: the stored one (by ID) with its new editable
    /// fields, as ZIM lists them (the content, a custom message's subType and
    /// searchedContent, extendedData).
    pub struct MessageEdit {
        pub message_id: MessageId,
        pub message: Text,
        pub extended_data: ExtendedData,
        pub sub_type: u32,
        pub searched_content: ExtendedData,
    }
}

wire_struct! {
    /// `editMessage(message, config, notification)`.
    pub struct Edit {
        pub message: MessageEdit,
    }
}

wire_struct! {
    /// Notices `messageRevokeReceived` and `messageEdited` (`{ messageList }`).
    pub struct MessageListNotice {
        pub message_list: List<Message>,
    }
}

wire_struct! {
    /// Notices `messageReceiptChanged` and `conversationMessageReceiptChanged`.
    pub struct ReceiptsChanged {
        pub infos: List<ReceiptInfo>,
    }
}

wire_struct! {
    /// Notice `messageDeleted`; `message_delete_type` is ZIM's `ZIMMessageDeleteType` (0
    /// these messages, 1 all of the conversation, 2 all of every conversation).
    pub struct MessagesDeleted {
        pub conversation_id: String,
        pub conversation_type: u8,
        pub is_delete_conversation_all_message: bool,
        pub message_delete_type: u8,
        pub message_list: List<Message>,
    }
}

// ---- the SDK's local store (never sent: the SDK answers these methods itself) ----

wire_struct! {
    /// The message `insertMessageToLocalDB` takes (a `ZIMMessage` the app made).
    pub struct LocalMessage {
        pub message_type: u8 = "type",
        /// A string (text, custom, barrage ...) or bytes.
        pub message: Vec<u8>,
        pub extended_data: ExtendedData,
        pub sub_type: u32,
        pub searched_content: String,
    }
}

wire_struct! {
    /// `insertMessageToLocalDB(message, conversationID, conversationType, senderUserID)`.
    pub struct LocalInsert {
        pub message: LocalMessage,
        pub conversation_id: ConversationId,
        pub conversation_type: u8,
        pub sender_user_id: ConversationId,
    }
}

wire_struct! {
    /// `updateMessageLocalExtendedData(localExtendedData, message)`.
    pub struct LocalExtendedDataUpdate {
        pub local_extended_data: Text,
        pub message: MessageRef,
    }
}

wire_struct! {
    /// `cancelSendingMessage(message, config)`.
    pub struct SendingCancel {
        pub message: MessageRef,
    }
}

wire_struct! {
    /// A conversation's mark in the local store: its messages (or itself) are hidden on this
    /// device up to message ID `through`.
    pub struct LocalMark {
        pub conversation_type: u8,
        pub conversation_id: String,
        pub through: u64,
    }
}

wire_struct! {
    /// A message's `localExtendedData` (keyed by message ID, or local ID before it has one).
    pub struct LocalExtended {
        pub key: u64,
        pub data: String,
    }
}

wire_struct! {
    /// What the SDK keeps on the device per user (its encoding is what goes into `wx`
    /// storage): inserted messages, local extended data, and what was deleted on this
    /// device only.
    pub struct LocalState {
        pub inserted: List<Message>,
        pub extended: List<LocalExtended>,
        pub hidden_messages: List<u64>,
        /// Conversations whose messages are hidden through `through`.
        pub cleared: List<LocalMark>,
        /// Conversations hidden until a message after `through`.
        pub hidden_conversations: List<LocalMark>,
        /// Every message through this ID is hidden (0: none).
        pub cleared_all: u64,
        /// Every conversation is hidden until a message after this ID (0: none).
        pub hidden_all: u64,
    }
}
