//! Friends: the user's friend list (each entry with the user's own alias and attributes for
//! that friend), the friend applications sent and received, and the relation checks. The
//! server keeps them; docs/areas/friends.md says how the rules ZIM leaves open are chosen.

use std::collections::BTreeMap;

use crate::codec::{checked_strings, wire_struct, List};
use crate::ids::{ApplicationWording, UserId};
use crate::shape::Check;

use super::users::{ErrorUserInfo, UserInfo};

checked_strings! {
    /// The user's own alias for a friend (at most 256 bytes).
    FriendAlias = Check::MaxLen(256);
}

/// ZIM's error codes of the friend module (ZIMErrorCode `FriendModule...`), and the one a
/// blocked sender's peer message gets (`MessageModuleSenderInBlacklist`).
pub mod friend_code {
    pub const FRIEND_NUMS_LIMIT: u32 = 6_000_801;
    pub const APPLICATION_STATUS_ERROR: u32 = 6_000_802;
    pub const IS_ALREADY_YOUR_FRIEND: u32 = 6_000_803;
    pub const ALREADY_IN_BLACKLIST: u32 = 6_000_804;
    pub const CANNOT_ADD_SELF_TO_BLACKLIST: u32 = 6_000_805;
    pub const USER_NOT_IN_BLACKLIST: u32 = 6_000_807;
    pub const BLACKLIST_QUANTITY_LIMIT: u32 = 6_000_808;
    pub const CANNOT_ADD_SELF_TO_FRIEND_LIST: u32 = 6_000_810;
    pub const FRIEND_UNREGISTERED: u32 = 6_000_811;
    pub const NOT_YOUR_FRIEND: u32 = 6_000_812;
    pub const CANNOT_DELETE_SELF: u32 = 6_000_813;
    pub const APPLICATION_EXPIRED: u32 = 6_000_814;
    pub const SENDER_IN_BLACKLIST: u32 = 6_000_284;
}

/// ZIM's `ZIMFriendDeleteType` and `ZIMFriendRelationCheckType` (the same values).
pub mod friend_scope {
    pub const BOTH: u8 = 0;
    pub const SINGLE: u8 = 1;
}

/// ZIM's `ZIMUserRelationType`.
pub mod user_relation {
    pub const SINGLE_NO: u8 = 1;
    pub const SINGLE_HAVE: u8 = 2;
    pub const BOTH_ALL_NO: u8 = 3;
    pub const BOTH_SELF_HAVE: u8 = 4;
    pub const BOTH_OTHER_HAVE: u8 = 5;
    pub const BOTH_ALL_HAVE: u8 = 6;
}

/// ZIM's `ZIMFriendApplicationType` (as the viewer sees an application).
pub mod friend_application_type {
    pub const RECEIVED: u8 = 1;
    pub const SENT: u8 = 2;
}

/// ZIM's `ZIMFriendApplicationState`.
pub mod friend_application_state {
    pub const WAITING: u8 = 1;
    pub const ACCEPTED: u8 = 2;
    pub const REJECTED: u8 = 3;
    pub const EXPIRED: u8 = 4;
}

/// ZIM's `ZIMFriendListChangeAction`, `ZIMFriendApplicationListChangeAction` and
/// `ZIMBlacklistChangeAction` (the same values).
pub mod list_change {
    pub const ADDED: u8 = 0;
    pub const REMOVED: u8 = 1;
}

wire_struct! {
    /// ZIM's `ZIMFriendInfo`: the friend's profile and what the user keeps about them.
    pub struct FriendInfo {
        pub user_id: String,
        pub user_name: String,
        pub user_avatar_url: String,
        pub user_extended_data: String,
        pub friend_alias: String,
        pub friend_attributes: BTreeMap<String, String>,
        pub create_time: u64,
        pub wording: String,
    }
}

wire_struct! {
    /// ZIM's `ZIMFriendRelationInfo`.
    pub struct FriendRelationInfo {
        pub kind: u8 = "type",
        pub user_id: String,
    }
}

wire_struct! {
    /// ZIM's `ZIMFriendApplicationInfo`: `apply_user` is the other side (the one who sent
    /// it, for a received one; the one it went to, for a sent one).
    pub struct FriendApplicationInfo {
        pub kind: u8 = "type",
        pub state: u8,
        pub apply_user: UserInfo,
        pub wording: String,
        pub create_time: u64,
        pub update_time: u64,
    }
}

// ---- requests ---------------------------------------------------------------------------

wire_struct! {
    /// `addFriend(userID, { friendAlias, friendAttributes, wording })`.
    pub struct FriendAdd {
        pub user_id: UserId,
        pub friend_alias: FriendAlias,
        pub friend_attributes: BTreeMap<String, String>,
        pub wording: ApplicationWording,
    }
}

wire_struct! {
    /// `deleteFriends(userIDs, { type })` and `checkFriendsRelation(userIDs, { type })`
    /// (`ZIMFriendDeleteType` / `ZIMFriendRelationCheckType`).
    pub struct FriendsScoped {
        pub user_ids: List<UserId>,
        pub kind: u8 = "type",
    }
}

wire_struct! {
    /// `updateFriendAlias(friendAlias, userID)`.
    pub struct FriendAliasUpdate {
        pub friend_alias: FriendAlias,
        pub user_id: UserId,
    }
}

wire_struct! {
    /// `updateFriendAttributes(friendAttributes, userID)`.
    pub struct FriendAttributesUpdate {
        pub friend_attributes: BTreeMap<String, String>,
        pub user_id: UserId,
    }
}

wire_struct! {
    /// `queryFriendsInfo(userIDs)`.
    pub struct FriendsInfoQuery {
        pub user_ids: List<UserId>,
    }
}

wire_struct! {
    /// `queryFriendList`, `queryFriendApplicationList` and `queryBlacklist`'s
    /// `{ nextFlag, count }` (0 or no `nextFlag`: the first page).
    pub struct PageQuery {
        pub next_flag: u64,
        pub count: u32,
    }
}

wire_struct! {
    /// `sendFriendApplication(userID, { wording, friendAlias, friendAttributes })`.
    pub struct FriendApplicationSend {
        pub user_id: UserId,
        pub wording: ApplicationWording,
        pub friend_alias: FriendAlias,
        pub friend_attributes: BTreeMap<String, String>,
    }
}

wire_struct! {
    /// `acceptFriendApplication(userID, { friendAlias, friendAttributes })`.
    pub struct FriendApplicationAccept {
        pub user_id: UserId,
        pub friend_alias: FriendAlias,
        pub friend_attributes: BTreeMap<String, String>,
    }
}

wire_struct! {
    /// `rejectFriendApplication(userID, config)` (the config holds only `pushConfig`).
    pub struct FriendApplicationReject {
        pub user_id: UserId,
    }
}

// ---- results ----------------------------------------------------------------------------

wire_struct! {
    /// `{ friendInfo }`: the result of `addFriend`, `updateFriendAlias`,
    /// `updateFriendAttributes` and `acceptFriendApplication`.
    pub struct FriendInfoResult {
        pub friend_info: FriendInfo,
    }
}

wire_struct! {
    /// `checkFriendsRelation`'s result.
    pub struct FriendsRelationChecked {
        pub relation_infos: List<FriendRelationInfo>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `queryFriendsInfo`'s result: those of the users who are friends, the others in
    /// `errorUserList` with 6000812.
    pub struct FriendsInfoQueried {
        pub friend_infos: List<FriendInfo>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `queryFriendList`'s result.
    pub struct FriendListQueried {
        pub friend_list: List<FriendInfo>,
        pub next_flag: u64,
    }
}

wire_struct! {
    /// `sendFriendApplication`'s result.
    pub struct FriendApplicationSent {
        pub application_info: FriendApplicationInfo,
    }
}

wire_struct! {
    /// `rejectFriendApplication`'s result: the applicant.
    pub struct FriendApplicationRejected {
        pub user_info: UserInfo,
    }
}

wire_struct! {
    /// `queryFriendApplicationList`'s result, newest first.
    pub struct FriendApplicationListQueried {
        pub application_list: List<FriendApplicationInfo>,
        pub next_flag: u64,
    }
}

// ---- notices ----------------------------------------------------------------------------

wire_struct! {
    /// `friendListChanged`: friends added to or removed from the receiver's list.
    pub struct FriendListChanged {
        pub friend_list: List<FriendInfo>,
        pub action: u8,
    }
}

wire_struct! {
    /// `friendInfoUpdated`: the receiver changed what they keep about a friend (alias,
    /// attributes), told to their session.
    pub struct FriendInfoUpdated {
        pub friend_list: List<FriendInfo>,
    }
}

wire_struct! {
    /// `friendApplicationListChanged`: applications added to the receiver's list.
    pub struct FriendApplicationListChanged {
        pub application_list: List<FriendApplicationInfo>,
        pub action: u8,
    }
}

wire_struct! {
    /// `friendApplicationUpdated`: an application was accepted or rejected.
    pub struct FriendApplicationUpdated {
        pub application_list: List<FriendApplicationInfo>,
    }
}
