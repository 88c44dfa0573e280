//! Users: profiles (ZIM's "user info") and the calls that read and change them.

use crate::codec::{wire_struct, List};
use crate::ids::{ExtendedData, Url, UserId, UserName};

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
    /// ZIM's `ZIMSelfUserInfo` (the rule and status parts come with presence).
    pub struct SelfUserInfoBody {
        pub user_full_info: UserFullInfo,
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
