//! Rooms beyond the session frames: creating and entering with ZIM's advanced config,
//! switching, leaving every room, member queries, and room and room-member attributes.
//!
//! Room membership itself is live-only (docs/protocol.md "Rooms"); so are the attributes,
//! which live with the room and go when it is destroyed, as ZIM's do. Attribute keys and
//! values are checked by the server against ZIM's limits (codes 6000330-6000357), not by
//! a string check here, because ZIM answers them with their own codes.

use std::collections::BTreeMap;

use crate::codec::{wire_struct, List};
use crate::ids::{RoomId, RoomName, UserId};

use super::{ErrorUserInfo, UserInfo};

/// ZIM's attribute maps (`Record<string, string>`).
pub type Attributes = BTreeMap<String, String>;

/// `ZIMRoomAttributesUpdateAction`.
pub mod room_attributes_action {
    pub const SET: u8 = 0;
    pub const DELETE: u8 = 1;
}

wire_struct! {
    /// ZIM's `ZIMRoomInfo` as an argument.
    pub struct RoomInfoArg {
        pub room_id: RoomId,
        pub room_name: RoomName,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomAdvancedConfig`: attributes the room is created with, and how long
    /// (seconds, at most 3 hours) it outlives its last member.
    pub struct RoomAdvancedConfig {
        pub room_attributes: Attributes,
        pub room_destroy_delay_time: u32,
    }
}

wire_struct! {
    /// `createRoom(roomInfo, config?)` and `enterRoom(roomInfo, config?)`. The config
    /// counts only when the call creates the room.
    pub struct RoomEntry {
        pub room_info: RoomInfoArg,
        pub config: Option<RoomAdvancedConfig>,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomInfo` in results.
    pub struct RoomInfo {
        pub room_id: String,
        pub room_name: String,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomFullInfo`.
    pub struct RoomFullInfo {
        pub base_info: RoomInfo,
    }
}

wire_struct! {
    /// The result of `createRoom`, `enterRoom` and `switchRoom`: `{ roomInfo }`.
    pub struct RoomEntered {
        pub room_info: RoomFullInfo,
    }
}

wire_struct! {
    /// `switchRoom(fromRoomID, toRoomInfo, isCreateWhenRoomNotExisted, config?)`.
    pub struct RoomSwitch {
        pub from_room_id: RoomId,
        pub to_room_info: RoomInfoArg,
        pub is_create_when_room_not_existed: bool,
        pub config: Option<RoomAdvancedConfig>,
    }
}

wire_struct! {
    /// `leaveAllRoom()`'s result: the rooms left.
    pub struct RoomAllLeft {
        pub room_ids: List<String>,
    }
}

wire_struct! {
    /// `queryRoomMembers(userIDs, roomID)` (at most 10 users), and
    /// `queryRoomMembersAttributes(userIDs, roomID)` (at most 100).
    pub struct RoomUsersQuery {
        pub user_ids: List<UserId>,
        pub room_id: RoomId,
    }
}

wire_struct! {
    /// `queryRoomMembers`' result: the members among those asked for; the others with
    /// 6000321 (not in the room).
    pub struct RoomMembersQueried {
        pub room_id: String,
        pub member_list: List<UserInfo>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomAttributesSetConfig` (and `ZIMRoomAttributesBatchOperationConfig`).
    pub struct RoomAttributesSetConfig {
        /// Change attributes whose owner is another user.
        pub is_force: bool,
        /// Delete the attributes when their owner leaves the room.
        pub is_delete_after_owner_left: bool,
        /// Make the caller the owner of the attributes it changes.
        pub is_update_owner: bool,
    }
}

wire_struct! {
    /// `setRoomAttributes(roomAttributes, roomID, config)`.
    pub struct RoomAttributesSet {
        pub room_attributes: Attributes,
        pub room_id: RoomId,
        pub config: RoomAttributesSetConfig,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomAttributesDeleteConfig`.
    pub struct RoomAttributesDeleteConfig {
        pub is_force: bool,
    }
}

wire_struct! {
    /// `deleteRoomAttributes(keys, roomID, config)`.
    pub struct RoomAttributesDelete {
        pub keys: List<String>,
        pub room_id: RoomId,
        pub config: RoomAttributesDeleteConfig,
    }
}

wire_struct! {
    /// The result of setting or deleting attributes: the keys that could not be changed
    /// (another user owns them and the call did not force).
    pub struct RoomAttributesOperated {
        pub room_id: String,
        pub error_keys: List<String>,
    }
}

wire_struct! {
    /// One operation of a batch: `action` 0 sets `room_attributes`, 1 deletes `keys`.
    pub struct RoomAttributesOperation {
        pub action: u8,
        pub room_attributes: Attributes,
        pub keys: List<String>,
    }
}

wire_struct! {
    /// `endRoomAttributesBatchOperation(roomID)`: the operations the facade collected since
    /// `beginRoomAttributesBatchOperation(roomID, config)`, applied in order, at once.
    pub struct RoomAttributesBatch {
        pub room_id: RoomId,
        pub config: RoomAttributesSetConfig,
        pub operations: List<RoomAttributesOperation>,
    }
}

wire_struct! {
    /// The batch's result: ZIM's `{ roomID }`, and (tinyim) the keys that could not be
    /// changed, so each collected call can be settled with its own.
    pub struct RoomAttributesBatchOperated {
        pub room_id: String,
        pub error_keys: List<String>,
    }
}

wire_struct! {
    /// `queryRoomAllAttributes(roomID)`, and other calls that name only a room.
    pub struct RoomIdArg {
        pub room_id: RoomId,
    }
}

wire_struct! {
    /// `queryRoomAllAttributes`' result.
    pub struct RoomAttributesQueried {
        pub room_id: String,
        pub room_attributes: Attributes,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomMemberAttributesSetConfig`. Absent means ZIM's default, `true`.
    pub struct RoomMemberAttributesSetConfig {
        pub is_delete_after_owner_left: Option<bool>,
    }
}

wire_struct! {
    /// `setRoomMembersAttributes(attributes, userIDs, roomID, config)`.
    pub struct RoomMembersAttributesSet {
        pub attributes: Attributes,
        pub user_ids: List<UserId>,
        pub room_id: RoomId,
        pub config: RoomMemberAttributesSetConfig,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomMemberAttributesInfo`: one member's attributes.
    pub struct RoomMemberAttributesInfo {
        pub user_id: String,
        pub attributes: Attributes,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomMemberAttributesOperatedInfo`.
    pub struct RoomMemberAttributesOperatedInfo {
        pub attributes_info: RoomMemberAttributesInfo,
        pub error_keys: List<String>,
    }
}

wire_struct! {
    /// `setRoomMembersAttributes`' result; `error_user_list` names the users whose
    /// attributes were not set (not in the room, or over a limit).
    pub struct RoomMembersAttributesOperated {
        pub room_id: String,
        pub infos: List<RoomMemberAttributesOperatedInfo>,
        pub error_user_list: List<String>,
    }
}

wire_struct! {
    /// `queryRoomMembersAttributes`' result.
    pub struct RoomMembersAttributesQueried {
        pub room_id: String,
        pub infos: List<RoomMemberAttributesInfo>,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomMemberAttributesQueryConfig`.
    pub struct RoomMemberAttributesQueryConfig {
        pub next_flag: String,
        pub count: u32,
    }
}

wire_struct! {
    /// `queryRoomMemberAttributesList(roomID, config)`.
    pub struct RoomMemberAttributesListQuery {
        pub room_id: RoomId,
        pub config: RoomMemberAttributesQueryConfig,
    }
}

wire_struct! {
    /// `queryRoomMemberAttributesList`' result; `next_flag` is "" on the last page.
    pub struct RoomMemberAttributesListQueried {
        pub room_id: String,
        pub infos: List<RoomMemberAttributesInfo>,
        pub next_flag: String,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomAttributesUpdateInfo`.
    pub struct RoomAttributesUpdateInfo {
        pub action: u8,
        pub room_attributes: Attributes,
    }
}

wire_struct! {
    /// Notices `roomAttributesUpdated` and `roomAttributesBatchUpdated`, to every member.
    pub struct RoomAttributesUpdated {
        pub room_id: String,
        pub infos: List<RoomAttributesUpdateInfo>,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomMemberAttributesUpdateInfo`.
    pub struct RoomMemberAttributesUpdateInfo {
        pub attributes_info: RoomMemberAttributesInfo,
    }
}

wire_struct! {
    /// ZIM's `ZIMRoomOperatedInfo`: who made a change.
    pub struct RoomOperatedInfo {
        pub user_id: String,
    }
}

wire_struct! {
    /// Notice `roomMemberAttributesUpdated`, to every member.
    pub struct RoomMemberAttributesUpdated {
        pub room_id: String,
        pub infos: List<RoomMemberAttributesUpdateInfo>,
        pub operated_info: RoomOperatedInfo,
    }
}
