//! The blacklist: users whose peer messages the user refuses (the sender gets 6000284 and
//! nothing is stored). Independent of friends, as in ZIM: blocking a friend keeps the
//! friendship, and unfriending keeps the block.

use crate::codec::{wire_struct, List};
use crate::ids::UserId;

use super::users::UserInfo;

wire_struct! {
    /// `addUsersToBlacklist(userIDs)` and `removeUsersFromBlacklist(userIDs)`.
    pub struct BlacklistUsers {
        pub user_ids: List<UserId>,
    }
}

wire_struct! {
    /// `checkUserIsInBlacklist(userID)`.
    pub struct BlacklistCheck {
        pub user_id: UserId,
    }
}

wire_struct! {
    /// `queryBlacklist`'s result, in the order the users were blocked.
    pub struct BlacklistQueried {
        pub blacklist: List<UserInfo>,
        pub next_flag: u64,
    }
}

wire_struct! {
    /// `checkUserIsInBlacklist`'s result.
    pub struct BlacklistChecked {
        pub is_user_in_blacklist: bool,
    }
}

wire_struct! {
    /// `blacklistChanged`: users added to or removed from the receiver's blacklist.
    pub struct BlacklistChanged {
        pub user_list: List<UserInfo>,
        pub action: u8,
    }
}
