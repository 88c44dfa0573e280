//! Users: profiles (ZIM's "user info"), presence (online status, custom status and their
//! subscriptions) and the user's own settings (offline push rule, badge), and the calls that
//! read and change them.

use crate::codec::{wire_struct, List};
use crate::ids::{CustomStatus, ExtendedData, Url, UserId, UserName};

wire_struct! {
    /// ZIM's `ZIMUserInfo`.
    pub struct UserInfo {
        pub user_id: String,
        pub user_name: String,
        pub user_avatar_url: String,
        pub user_extended_data: String,
    }
}

wire_struct! {
    /// ZIM's `ZIMUserFullInfo`: the base info, with the avatar and extended data again at
    /// the top level (ZIM's shape).
    pub struct UserFullInfo {
        pub base_info: UserInfo,
        pub user_avatar_url: String,
        pub extended_data: String,
    }
}

wire_struct! {
    /// ZIM's `ZIMErrorUserInfo`: a user a call could not handle, and the ZIM code why.
    pub struct ErrorUserInfo {
        pub user_id: String,
        pub reason: u32,
    }
}

wire_struct! {
    /// `querySelfUserInfo` resolves to `{ selfUserInfo: { userFullInfo } }`.
    pub struct SelfUserInfo {
        pub self_user_info: SelfUserInfoBody,
    }
}

wire_struct! {
    /// ZIM's `ZIMSelfUserInfo`: the profile, the user's rule and their own status.
    pub struct SelfUserInfoBody {
        pub user_full_info: UserFullInfo,
        pub user_rule: UserRule,
        pub user_status: UserStatus,
    }
}

wire_struct! {
    /// `queryUsersInfo(userIDs, { isQueryFromServer })`. tinyim always answers from the
    /// server (the SDK keeps no user cache to be stale), so the flag changes nothing.
    pub struct UsersInfoQuery {
        pub user_ids: List<UserId>,
        pub is_query_from_server: bool,
    }
}

wire_struct! {
    /// `queryUsersInfo`'s result: known users, and the unknown ones with 6000204... as the
    /// reason (ZIM lists users it cannot find in `errorUserList`).
    pub struct UsersInfo {
        pub user_list: List<UserFullInfo>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `updateUserName(userName)` and its result `{ userName }`.
    pub struct UserNameUpdate {
        pub user_name: UserName,
    }
}

wire_struct! {
    /// `updateUserAvatarUrl(userAvatarUrl)` and its result `{ userAvatarUrl }`.
    pub struct UserAvatarUrlUpdate {
        pub user_avatar_url: Url,
    }
}

wire_struct! {
    /// `updateUserExtendedData(extendedData)` and its result `{ extendedData }`.
    pub struct UserExtendedDataUpdate {
        pub extended_data: ExtendedData,
    }
}

wire_struct! {
    /// Notice `userInfoUpdated`: the user's own profile changed (ZIM's event data
    /// `{ info }`). Sent to the user's session after each update it makes.
    pub struct UserInfoUpdated {
        pub info: UserFullInfo,
    }
}

// ---- presence ------------------------------------------------------------------------------

/// ZIM's `ZIMUserOnlineStatus` values.
pub mod online_status {
    pub const ONLINE: u8 = 0;
    pub const OFFLINE: u8 = 1;
    pub const LOGOUT: u8 = 2;
    pub const UNKNOWN: u8 = 99;
}

wire_struct! {
    /// ZIM's `ZIMUserStatus`. Times are Unix milliseconds, 0 where unknown;
    /// `online_platforms` holds ZIM's `ZIMPlatformType` values.
    pub struct UserStatus {
        pub user_id: String,
        pub online_status: u8,
        pub online_platforms: List<u8>,
        pub custom_status: String,
        pub custom_status_expired_time: u64,
        pub last_update_time: u64,
        pub last_online_status_update_time: u64,
        pub last_custom_status_update_time: u64,
    }
}

wire_struct! {
    /// `queryUsersStatus(userIDs)`.
    pub struct UsersStatusQuery {
        pub user_ids: List<UserId>,
    }
}

wire_struct! {
    /// `queryUsersStatus`'s result (ZIM's `ZIMUsersStatusQueriedResult`).
    pub struct UsersStatus {
        pub user_status_list: List<UserStatus>,
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `subscribeUsersStatus(userIDs, { subscriptionDuration })`, the duration in minutes.
    pub struct UsersStatusSubscribe {
        pub user_ids: List<UserId>,
        pub subscription_duration: u32,
    }
}

wire_struct! {
    /// The result of `subscribeUsersStatus` and `unsubscribeUsersStatus`: the users the call
    /// could not handle.
    pub struct ErrorUsers {
        pub error_user_list: List<ErrorUserInfo>,
    }
}

wire_struct! {
    /// `unsubscribeUsersStatus(userIDs)`.
    pub struct UsersStatusUnsubscribe {
        pub user_ids: List<UserId>,
    }
}

wire_struct! {
    /// `querySubscribedUserStatusList({ userIDs })`: an empty list asks for every
    /// subscription.
    pub struct SubscribedUserStatusQuery {
        pub user_ids: List<UserId>,
    }
}

wire_struct! {
    /// ZIM's `ZIMUserStatusSubscription`: a subscribed user's status and when the
    /// subscription ends (Unix ms).
    pub struct UserStatusSubscription {
        pub user_status: UserStatus,
        pub subscribe_expired_time: u64,
    }
}

wire_struct! {
    /// `querySubscribedUserStatusList`'s result.
    pub struct SubscribedUserStatusList {
        pub user_status_subscription_list: List<UserStatusSubscription>,
    }
}

wire_struct! {
    /// `updateUserCustomStatus(customStatus, { duration })`, the duration in seconds.
    pub struct UserCustomStatusUpdate {
        pub custom_status: CustomStatus,
        pub duration: u32,
    }
}

wire_struct! {
    /// `updateUserCustomStatus`'s result `{ customStatus }`.
    pub struct UserCustomStatusUpdated {
        pub custom_status: String,
    }
}

wire_struct! {
    /// Notice `userStatusUpdated`: statuses of users the receiver subscribed to (ZIM's event
    /// data `{ userStatusList }`).
    pub struct UserStatusUpdated {
        pub user_status_list: List<UserStatus>,
    }
}

// ---- the user's own settings ---------------------------------------------------------------

wire_struct! {
    /// ZIM's `ZIMUserOfflinePushRule` (platforms as `ZIMPlatformType` values), also
    /// `updateUserOfflinePushRule(offlinePushRule)` and its result `{ offlinePushRule }`.
    pub struct UserOfflinePushRule {
        pub online_platforms: List<u8>,
        pub not_to_receive_offline_push_platforms: List<u8>,
    }
}

wire_struct! {
    /// `updateUserOfflinePushRule(offlinePushRule)` and its result.
    pub struct UserOfflinePushRuleUpdate {
        pub offline_push_rule: UserOfflinePushRule,
    }
}

wire_struct! {
    /// ZIM's `ZIMUserRule`.
    pub struct UserRule {
        pub offline_push_rule: UserOfflinePushRule,
    }
}

wire_struct! {
    /// Notice `userRuleUpdated`: the user's rule changed (ZIM's event data `{ userRule }`).
    pub struct UserRuleUpdated {
        pub user_rule: UserRule,
    }
}

wire_struct! {
    /// `updateUserBadge(badge)`; it resolves with nothing.
    pub struct UserBadgeUpdate {
        pub badge: u32,
    }
}
