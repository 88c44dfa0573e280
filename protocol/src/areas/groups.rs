//! Groups: ZIM's durable groups (lifecycle, members, profile, attributes, roles, mute, join
//! and invite applications) and the notices that tell members about changes.
//!
//! Request structs carry ZIM's parameters (a method's config object is spread into them);
//! response and notice structs are ZIM's result and event objects (`ZIMGroupCreatedResult`,
//! `ZIMEventOfGroupStateChangedResult` ...), so the SDK hands them to the app as they are.
//! Times are Unix milliseconds, except the mute expiry times, which are Unix seconds as
//! ZIM's mute durations are seconds (`0`: not muted, `-1`: muted until unmuted).

use std::collections::BTreeMap;

use crate::areas::users::{ErrorUserInfo, UserInfo};
use crate::codec::{wire_struct, List};
use crate::ids::{
    ApplicationWording, GroupAlias, GroupId, GroupIdOrEmpty, GroupName, GroupNotice,
    MemberNickname, Url, UserId,
};

/// ZIM's default member roles (`memberRole`); any other number is an app-defined role with
/// a regular member's rights.
pub mod role {
    pub const OWNER: u32 = 1;
    pub const ADMIN: u32 = 2;
    pub const MEMBER: u32 = 3;
}

/// `ZIMGroupJoinMode`: how a user outside the group gets in by themselves.
pub mod join_mode {
    pub const ANY: u8 = 0;
    pub const AUTH: u8 = 1;
    pub const FORBID: u8 = 2;
}

/// `ZIMGroupInviteMode`: who may invite.
pub mod invite_mode {
    pub const ANY: u8 = 0;
    pub const ADMIN: u8 = 1;
}

/// `ZIMGroupBeInviteMode`: whether an invitee must agree.
pub mod be_invite_mode {
    pub const NONE: u8 = 0;
    pub const AUTH: u8 = 1;
}

/// `ZIMGroupMuteMode`.
pub mod mute_mode {
    pub const NONE: u8 = 0;
    /// Regular members (every role but owner and admins).
    pub const NORMAL: u8 = 1;
    pub const ALL: u8 = 2;
    /// The roles listed in `roles`.
    pub const CUSTOM: u8 = 3;
}

/// `ZIMGroupState` (`state` of `groupStateChanged`) and `ZIMGroupMemberState`.
pub mod group_state {
    pub const QUIT: u8 = 0;
    pub const ENTER: u8 = 1;
}

/// `ZIMGroupEvent` (`event` of `groupStateChanged`).
pub mod group_event {
    pub const CREATED: u8 = 1;
    pub const DISMISSED: u8 = 2;
    pub const JOINED: u8 = 3;
    pub const INVITED: u8 = 4;
    pub const LEFT: u8 = 5;
    pub const KICKED_OUT: u8 = 6;
}

/// `ZIMGroupMemberEvent` (`event` of `groupMemberStateChanged`).
pub mod member_event {
    pub const JOINED: u8 = 1;
    pub const LEFT: u8 = 2;
    pub const KICKED_OUT: u8 = 4;
    pub const INVITED: u8 = 5;
}

/// `ZIMGroupEnterType`: how a member got in.
pub mod enter_type {
    pub const CREATED: u8 = 1;
    pub const JOIN_APPLY: u8 = 2;
    pub const JOINED: u8 = 3;
    pub const INVITED: u8 = 4;
    pub const INVITE_APPLY: u8 = 5;
}

/// `ZIMGroupApplicationType`, as the one who sees the application.
pub mod application_type {
    /// A user asks to join (seen by the applicant and the group's owner and admins).
    pub const JOIN: u8 = 1;
    /// An invitation, seen by the member who sent it.
    pub const INVITE: u8 = 2;
    /// An invitation, seen by the invitee.
    pub const BE_INVITE: u8 = 3;
}

/// `ZIMGroupApplicationState`.
pub mod application_state {
    pub const WAITING: u8 = 1;
    pub const ACCEPTED: u8 = 2;
    pub const REJECTED: u8 = 3;
    pub const EXPIRED: u8 = 4;
    pub const DISABLED: u8 = 5;
}

/// `ZIMGroupAttributesUpdateAction`.
pub mod attributes_action {
    pub const SET: u8 = 0;
    pub const DELETE: u8 = 1;
}

// ---- ZIM's group objects ----------------------------------------------------------------

wire_struct! {
    /// `ZIMGroupInfo` as the server reports it.
    pub struct GroupInfo {
        pub group_id: String,
        pub group_name: String,
        pub group_avatar_url: String,
    }
}

wire_struct! {
    /// `ZIMGroupMuteInfo`: `expired_time` in Unix seconds (`-1` until unmuted, `0` none).
    pub struct GroupMuteInfo {
        pub mode: u8,
        pub expired_time: i64,
        pub roles: List<u32>,
    }
}

wire_struct! {
    /// `ZIMGroupVerifyInfo`.
    pub struct GroupVerifyInfo {
        pub join_mode: u8,
        pub invite_mode: u8,
        pub be_invite_mode: u8,
    }
}

wire_struct! {
    /// `ZIMGroupFullInfo`. `group_alias` is the reader's own alias for the group.
    pub struct GroupFullInfo {
        pub base_info: GroupInfo,
        pub group_notice: String,
        pub group_attributes: BTreeMap<String, String>,
        pub group_alias: String,
        pub notification_status: u8,
        pub muted_info: GroupMuteInfo,
        pub create_time: u64,
        pub max_member_count: u32,
        pub verify_info: GroupVerifyInfo,
    }
}

wire_struct! {
    /// `ZIMGroup`: a group of the user's group list.
    pub struct Group {
        pub base_info: GroupInfo,
        pub group_alias: String,
        pub notification_status: u8,
    }
}

wire_struct! {
    /// `ZIMGroupMemberSimpleInfo`: who let a member in, who handled an application.
    pub struct GroupMemberSimpleInfo {
        pub user_id: String,
        pub user_name: String,
        pub user_avatar_url: String,
        pub user_extended_data: String,
        pub member_nickname: String,
        pub member_role: u32,
    }
}

wire_struct! {
    /// `ZIMGroupEnterInfo`.
    pub struct GroupEnterInfo {
        pub enter_time: u64,
        pub enter_type: u8,
        pub operated_user: Option<GroupMemberSimpleInfo>,
    }
}

wire_struct! {
    /// `ZIMGroupMemberInfo`. `mute_expired_time` in Unix seconds (`-1` until unmuted, `0`
    /// not muted); `member_avatar_url` is ZIM's deprecated copy of `user_avatar_url`.
    pub struct GroupMemberInfo {
        pub user_id: String,
        pub user_name: String,
        pub user_avatar_url: String,
        pub user_extended_data: String,
        pub member_nickname: String,
        pub member_role: u32,
        pub member_avatar_url: String,
        pub mute_expired_time: i64,
        pub group_enter_info: GroupEnterInfo,
    }
}

wire_struct! {
    /// `ZIMGroupOperatedInfo`: the member who made a change.
    pub struct GroupOperatedInfo {
        pub user_id: String,
        pub user_name: String,
        pub member_nickname: String,
        pub member_role: u32,
    }
}

wire_struct! {
    /// `ZIMGroupAttributesUpdateInfo`.
    pub struct GroupAttributesUpdateInfo {
        pub action: u8,
        pub group_attributes: BTreeMap<String, String>,
    }
}

wire_struct! {
    /// `ZIMGroupApplicationInfo`, as the one who reads it sees it (`kind` is ZIM's `type`).
    pub struct GroupApplicationInfo {
        pub kind: u8 = "type",
        pub state: u8,
        pub group_info: GroupInfo,
        pub apply_user: UserInfo,
        pub create_time: u64,
        pub update_time: u64,
        pub wording: String,
        pub operated_user: Option<GroupMemberSimpleInfo>,
    }
}

// ---- requests ---------------------------------------------------------------------------

wire_struct! {
    /// `ZIMGroupInfo` as `createGroup` takes it: an empty `group_id` lets the server choose.
    pub struct GroupInfoInput {
        pub group_id: GroupIdOrEmpty,
        pub group_name: GroupName,
        pub group_avatar_url: Url,
    }
}

wire_struct! {
    /// `ZIMGroupAdvancedConfig`. `max_member_count` 0 means the server's limit.
    pub struct GroupAdvancedConfig {
        pub group_notice: GroupNotice,
        pub group_attributes: BTreeMap<String, String>,
        pub max_member_count: u32,
        pub join_mode: u8,
        pub invite_mode: u8,
        pub be_invite_mode: u8,
    }
}

wire_struct! {
    /// `createGroup(groupInfo, userIDs, config?)`.
    pub struct GroupCreate {
        pub group_info: GroupInfoInput,
        pub user_ids: List<UserId>,
        pub config: Option<GroupAdvancedConfig>,
    }
}

wire_struct! {
    /// The methods that take only a group ID (`dismissGroup(groupID)` ...).
    pub struct GroupIdArg {
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `inviteUsersIntoGroup(userIDs, groupID)`, `kickGroupMembers(userIDs, groupID)`.
    pub struct GroupUsersArg {
        pub user_ids: List<UserId>,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `transferGroupOwner(toUserID, groupID)`.
    pub struct GroupOwnerTransfer {
        pub to_user_id: UserId,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `queryGroupMemberInfo(userID, groupID)`.
    pub struct GroupMemberInfoQuery {
        pub user_id: UserId,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `queryGroupList()` (count 0: every group) or `queryGroupList(count, { nextFlag,
    /// userIDs })`: the caller's groups that all of `user_ids` are in too.
    pub struct GroupListQuery {
        pub count: u32,
        pub next_flag: u64,
        pub user_ids: List<UserId>,
    }
}

wire_struct! {
    /// `queryGroupMemberList(groupID, { nextFlag, count })`, and the same for
    /// `queryGroupMemberMutedList`.
    pub struct GroupMemberPageQuery {
        pub group_id: GroupId,
        pub next_flag: u64,
        pub count: u32,
    }
}

wire_struct! {
    /// `queryGroupMessageReceiptReadMemberList(message, groupID, config)` and
    /// `queryGroupMessageReceiptUnreadMemberList`: a page of the members who have (not) read
    /// a group message sent with a receipt.
    pub struct GroupReceiptMembersQuery {
        pub message: crate::areas::messages::MessageRef,
        pub group_id: GroupId,
        pub next_flag: u64,
        pub count: u32,
    }
}

wire_struct! {
    /// `updateGroupName(groupName, groupID)`.
    pub struct GroupNameUpdate {
        pub group_name: GroupName,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `updateGroupAvatarUrl(groupAvatarUrl, groupID)`.
    pub struct GroupAvatarUrlUpdate {
        pub group_avatar_url: Url,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `updateGroupNotice(groupNotice, groupID)`.
    pub struct GroupNoticeUpdate {
        pub group_notice: GroupNotice,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `updateGroupAlias(groupAlias, groupID)`: the caller's own name for the group.
    pub struct GroupAliasUpdate {
        pub group_alias: GroupAlias,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `updateGroupJoinMode` / `updateGroupInviteMode` / `updateGroupBeInviteMode(mode,
    /// groupID)`, and their results `{ groupID, mode }` (as the request's fields).
    pub struct GroupModeUpdate {
        pub mode: u8,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `setGroupAttributes(groupAttributes, groupID)`.
    pub struct GroupAttributesSet {
        pub group_attributes: BTreeMap<String, String>,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `deleteGroupAttributes(keys, groupID)`, `queryGroupAttributes(keys, groupID)`.
    pub struct GroupAttributeKeys {
        pub keys: List<String>,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `setGroupMemberRole(role, forUserID, groupID)`, and its result.
    pub struct GroupMemberRoleSet {
        pub role: u32,
        pub for_user_id: UserId,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `setGroupMemberNickname(nickname, forUserID, groupID)`.
    pub struct GroupMemberNicknameSet {
        pub nickname: MemberNickname,
        pub for_user_id: UserId,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `muteGroup(isMute, groupID, { mode, duration, roles })`: `duration` in seconds, `-1`
    /// until unmuted.
    pub struct GroupMute {
        pub is_mute: bool,
        pub group_id: GroupId,
        pub mode: u8,
        pub duration: i64,
        pub roles: List<u32>,
    }
}

wire_struct! {
    /// `muteGroupMembers(isMute, userIDs, groupID, { duration })`.
    pub struct GroupMembersMute {
        pub is_mute: bool,
        pub user_ids: List<UserId>,
        pub group_id: GroupId,
        pub duration: i64,
    }
}

wire_struct! {
    /// `sendGroupJoinApplication(groupID, { wording })`.
    pub struct GroupJoinApplicationSend {
        pub group_id: GroupId,
        pub wording: ApplicationWording,
    }
}

wire_struct! {
    /// `acceptGroupJoinApplication(userID, groupID, config)` and the reject; the results
    /// are `{ groupID, userID }`.
    pub struct GroupJoinApplicationAnswer {
        pub user_id: UserId,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `sendGroupInviteApplications(userIDs, groupID, { wording })`.
    pub struct GroupInviteApplicationsSend {
        pub user_ids: List<UserId>,
        pub group_id: GroupId,
        pub wording: ApplicationWording,
    }
}

wire_struct! {
    /// `acceptGroupInviteApplication(inviterUserID, groupID, config)` and the reject.
    pub struct GroupInviteApplicationAnswer {
        pub inviter_user_id: UserId,
        pub group_id: GroupId,
    }
}

wire_struct! {
    /// `queryGroupApplicationList({ nextFlag, count })`.
    pub struct GroupApplicationListQuery {
        pub next_flag: u64,
        pub count: u32,
    }
}

// ---- results ----------------------------------------------------------------------------

wire_struct! {
    /// `ZIMGroupCreatedResult`.
    pub struct GroupCreatedResult {
        pub group_info: GroupFullInfo,
        pub user_list: List<GroupMemberInfo>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `{ groupID }`: `dismissGroup`, `leaveGroup`, `sendGroupJoinApplication`.
    pub struct GroupIdResult {
        pub group_id: String,
    }
}

wire_struct! {
    /// `{ groupInfo }`: `joinGroup`, `queryGroupInfo`.
    pub struct GroupInfoResult {
        pub group_info: GroupFullInfo,
    }
}

wire_struct! {
    /// `ZIMGroupUsersInvitedResult`.
    pub struct GroupUsersInvitedResult {
        pub group_id: String,
        pub user_list: List<GroupMemberInfo>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `ZIMGroupMemberKickedResult`.
    pub struct GroupMemberKickedResult {
        pub group_id: String,
        pub kicked_user_ids: List<String>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `ZIMGroupOwnerTransferredResult`.
    pub struct GroupOwnerTransferredResult {
        pub group_id: String,
        pub to_user_id: String,
    }
}

wire_struct! {
    /// `ZIMGroupMemberInfoQueriedResult`.
    pub struct GroupMemberInfoResult {
        pub group_id: String,
        pub user_info: GroupMemberInfo,
    }
}

wire_struct! {
    /// `ZIMGroupListQueriedResult`: `next_flag` 0 on the last page.
    pub struct GroupListResult {
        pub group_list: List<Group>,
        pub next_flag: u64,
    }
}

wire_struct! {
    /// `ZIMGroupMemberListQueriedResult` and `ZIMGroupMemberMutedListQueriedResult`:
    /// `next_flag` 0 on the last page.
    pub struct GroupMemberListResult {
        pub group_id: String,
        pub user_list: List<GroupMemberInfo>,
        pub next_flag: u64,
    }
}

wire_struct! {
    /// `ZIMGroupMemberCountQueriedResult`.
    pub struct GroupMemberCountResult {
        pub group_id: String,
        pub count: u32,
    }
}

wire_struct! {
    /// `ZIMGroupNameUpdatedResult`.
    pub struct GroupNameResult {
        pub group_id: String,
        pub group_name: String,
    }
}

wire_struct! {
    /// `ZIMGroupAvatarUrlUpdatedResult`.
    pub struct GroupAvatarUrlResult {
        pub group_id: String,
        pub group_avatar_url: String,
    }
}

wire_struct! {
    /// `ZIMGroupNoticeUpdatedResult`.
    pub struct GroupNoticeResult {
        pub group_id: String,
        pub group_notice: String,
    }
}

wire_struct! {
    /// `ZIMGroupAliasUpdatedResult`.
    pub struct GroupAliasResult {
        pub group_id: String,
        pub group_alias: String,
    }
}

wire_struct! {
    /// `ZIMGroupJoinModeUpdatedResult` (and the invite and be-invite ones).
    pub struct GroupModeResult {
        pub group_id: String,
        pub mode: u8,
    }
}

wire_struct! {
    /// `ZIMGroupAttributesOperatedResult`: keys that could not be set or deleted.
    pub struct GroupAttributesOperatedResult {
        pub group_id: String,
        pub error_keys: List<String>,
    }
}

wire_struct! {
    /// `ZIMGroupAttributesQueriedResult`.
    pub struct GroupAttributesResult {
        pub group_id: String,
        pub group_attributes: BTreeMap<String, String>,
    }
}

wire_struct! {
    /// `ZIMGroupMemberRoleUpdatedResult`.
    pub struct GroupMemberRoleResult {
        pub group_id: String,
        pub for_user_id: String,
        pub role: u32,
    }
}

wire_struct! {
    /// `ZIMGroupMemberNicknameUpdatedResult`.
    pub struct GroupMemberNicknameResult {
        pub group_id: String,
        pub for_user_id: String,
        pub nickname: String,
    }
}

wire_struct! {
    /// `ZIMGroupMutedResult`.
    pub struct GroupMutedResult {
        pub group_id: String,
        pub is_mute: bool,
        pub muted_info: GroupMuteInfo,
    }
}

wire_struct! {
    /// `ZIMGroupMembersMutedResult`.
    pub struct GroupMembersMutedResult {
        pub group_id: String,
        pub is_mute: bool,
        pub duration: i64,
        pub muted_user_ids: List<String>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `ZIMGroupJoinApplicationAcceptedResult` / `...RejectedResult`.
    pub struct GroupJoinApplicationResult {
        pub group_id: String,
        pub user_id: String,
    }
}

wire_struct! {
    /// `ZIMGroupInviteApplicationsSentResult`.
    pub struct GroupInviteApplicationsSentResult {
        pub group_id: String,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `ZIMGroupInviteApplicationAcceptedResult`.
    pub struct GroupInviteApplicationAcceptedResult {
        pub group_info: GroupFullInfo,
        pub inviter_user_id: String,
    }
}

wire_struct! {
    /// `ZIMGroupInviteApplicationRejectedResult`.
    pub struct GroupInviteApplicationRejectedResult {
        pub group_id: String,
        pub inviter_user_id: String,
    }
}

wire_struct! {
    /// `ZIMGroupApplicationListQueriedResult`: newest first, `next_flag` 0 on the last page.
    pub struct GroupApplicationListResult {
        pub application_list: List<GroupApplicationInfo>,
        pub next_flag: u64,
    }
}

// ---- notices (ZIM's event data) ---------------------------------------------------------

wire_struct! {
    /// `groupStateChanged`: the receiver entered or quit the group.
    pub struct GroupStateChangedEvent {
        pub state: u8,
        pub event: u8,
        pub operated_info: GroupOperatedInfo,
        pub group_info: GroupFullInfo,
    }
}

wire_struct! {
    /// `groupMemberStateChanged`: members entered or quit.
    pub struct GroupMemberStateChangedEvent {
        pub group_id: String,
        pub state: u8,
        pub event: u8,
        pub user_list: List<GroupMemberInfo>,
        pub operated_info: GroupOperatedInfo,
    }
}

wire_struct! {
    /// `groupMemberInfoUpdated`: roles, nicknames, mute times changed.
    pub struct GroupMemberInfoUpdatedEvent {
        pub group_id: String,
        pub user_list: List<GroupMemberInfo>,
        pub operated_info: GroupOperatedInfo,
    }
}

wire_struct! {
    /// `groupNameUpdated`.
    pub struct GroupNameUpdatedEvent {
        pub group_id: String,
        pub group_name: String,
        pub operated_info: GroupOperatedInfo,
    }
}

wire_struct! {
    /// `groupAvatarUrlUpdated`.
    pub struct GroupAvatarUrlUpdatedEvent {
        pub group_id: String,
        pub group_avatar_url: String,
        pub operated_info: GroupOperatedInfo,
    }
}

wire_struct! {
    /// `groupNoticeUpdated`.
    pub struct GroupNoticeUpdatedEvent {
        pub group_id: String,
        pub group_notice: String,
        pub operated_info: GroupOperatedInfo,
    }
}

wire_struct! {
    /// `groupAliasUpdated` (to the user who set it only: an alias is personal).
    pub struct GroupAliasUpdatedEvent {
        pub group_id: String,
        pub group_alias: String,
        pub operated_user_id: String,
    }
}

wire_struct! {
    /// `groupAttributesUpdated`.
    pub struct GroupAttributesUpdatedEvent {
        pub group_id: String,
        pub info_list: List<GroupAttributesUpdateInfo>,
        pub operated_info: GroupOperatedInfo,
    }
}

wire_struct! {
    /// `groupMutedInfoUpdated`.
    pub struct GroupMutedInfoUpdatedEvent {
        pub group_id: String,
        pub muted_info: GroupMuteInfo,
        pub operated_info: GroupOperatedInfo,
    }
}

wire_struct! {
    /// `groupVerifyInfoUpdated`.
    pub struct GroupVerifyInfoUpdatedEvent {
        pub group_id: String,
        pub verify_info: GroupVerifyInfo,
        pub operated_info: GroupOperatedInfo,
    }
}

wire_struct! {
    /// `groupApplicationListChanged`: new applications for the receiver (action 0, added).
    pub struct GroupApplicationListChangedEvent {
        pub action: u8,
        pub application_list: List<GroupApplicationInfo>,
    }
}

wire_struct! {
    /// `groupApplicationUpdated`: applications the receiver sees were accepted or rejected.
    pub struct GroupApplicationUpdatedEvent {
        pub application_list: List<GroupApplicationInfo>,
    }
}
