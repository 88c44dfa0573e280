//! Friends and the blacklist (ZIM's friend module): the friend list with the user's alias
//! and attributes per friend, friend applications, relation checks ([`list`],
//! [`applications`]) and the blacklist ([`blacklist`]; the peer-send path refuses a
//! blocked sender in the store's append, `Append::Blocked`).
//!
//! Every method is one store operation that checks and writes in a savepoint (a refusal
//! leaves nothing behind); after the commit the handler tells the users concerned with
//! notices. Notices are live-only, as for groups: what a user missed while offline comes
//! from the queries (`queryFriendList`, `queryFriendApplicationList`, `queryBlacklist`),
//! which read the server's state, so a second device or a reinstall sees the same lists.
//! The rules ZIM's typings leave open are in docs/areas/friends.md.

pub mod applications;
pub mod blacklist;
pub mod list;

use std::collections::{BTreeMap, HashMap};

use tinyim_protocol::areas::{friend_code, ErrorUserInfo, FriendInfo, UserInfo};
use tinyim_protocol::code;
use tinyim_protocol::ids::UserId;
use tinyim_protocol::rpc::Notice;

pub(crate) use crate::areas::groups::{check, deny, Op};
use crate::rpc::{Ctx, Refusal};
use crate::store::friends::FriendRow;
use crate::store::users::Profile;
use crate::store::{Store, StoreResult};

/// Most friends a user may have (ZEGO: 3000).
pub const MAX_FRIENDS: u32 = 3000;
/// Most users one blacklist may hold.
pub const MAX_BLACKLIST: u32 = 1000;
/// Most user IDs one call may name (ZEGO: 20 for deleting friends and for blocking).
pub const MAX_USERS_PER_CALL: usize = 20;
/// Most rows one page may hold.
pub const MAX_PAGE: u32 = 100;
/// The keys friend attributes may use (ZEGO: up to five, `k0` to `k4`).
const ATTRIBUTE_KEYS: [&str; 5] = ["k0", "k1", "k2", "k3", "k4"];
/// Longest friend attribute value, in bytes.
const MAX_ATTRIBUTE_VALUE: usize = 1024;

/// Who is told what once the operation committed.
#[derive(Default)]
pub(crate) struct Told(Vec<(String, Notice)>);

impl Told {
    pub(crate) fn tell(&mut self, user: &str, notice: Notice) {
        self.0.push((user.to_owned(), notice));
    }
}

/// Runs `op` atomically on the store and, once it committed, hands out its notices.
pub(crate) async fn run<T, F>(ctx: &Ctx, op: F) -> Result<T, Refusal>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn Store) -> Op<(T, Told)> + Send + Sync + 'static,
{
    let (value, told) = ctx
        .shared
        .store
        .run(move |s| crate::store::groups::atomically(s, op))
        .await??;
    for (user, notice) in &told.0 {
        ctx.notify(user, notice);
    }
    Ok(value)
}

/// The users a list call names, once each, in order: 1 to [`MAX_USERS_PER_CALL`].
pub(crate) fn user_list(method: &str, ids: &[UserId]) -> Result<Vec<String>, Refusal> {
    if ids.is_empty() || ids.len() > MAX_USERS_PER_CALL {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            format!("{method} takes 1 to {MAX_USERS_PER_CALL} user IDs a call"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for u in ids {
        if !out.contains(&u.0) {
            out.push(u.0.clone());
        }
    }
    Ok(out)
}

/// `ZIMFriendDeleteType` / `ZIMFriendRelationCheckType`: whether it is "both".
pub(crate) fn both_sides(kind: u8) -> Result<bool, Refusal> {
    match kind {
        tinyim_protocol::areas::friend_scope::BOTH => Ok(true),
        tinyim_protocol::areas::friend_scope::SINGLE => Ok(false),
        _ => Err(Refusal::new(
            code::PARAMS_INVALID,
            "type: 0 (both) or 1 (single)",
        )),
    }
}

/// Cuts `rows` (read with one row more than `count`) to a page; the `nextFlag` of the next
/// page (the last row's `id`), or 0 if this is the last.
pub(crate) fn page<T>(rows: &mut Vec<T>, count: u32, id: fn(&T) -> u64) -> u64 {
    let more = rows.len() > count as usize;
    rows.truncate(count as usize);
    match rows.last() {
        Some(last) if more => id(last),
        _ => 0,
    }
}

/// A page's row count: 1 to [`MAX_PAGE`] (a larger count reads as the maximum).
pub(crate) fn page_size(count: u32) -> Result<u32, Refusal> {
    if count == 0 {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "count must be at least 1",
        ));
    }
    Ok(count.min(MAX_PAGE))
}

/// Friend attributes as ZEGO allows them: keys `k0` to `k4`, values of at most 1 KiB.
pub(crate) fn check_attributes(a: &BTreeMap<String, String>) -> Result<(), Refusal> {
    for (k, v) in a {
        if !ATTRIBUTE_KEYS.contains(&k.as_str()) {
            return Err(Refusal::new(
                code::PARAMS_INVALID,
                format!("friend attribute key {k:?}: the keys are k0 to k4"),
            ));
        }
        if v.len() > MAX_ATTRIBUTE_VALUE {
            return Err(Refusal::new(
                code::PARAMS_INVALID,
                format!("friend attribute {k}: at most {MAX_ATTRIBUTE_VALUE} bytes"),
            ));
        }
    }
    Ok(())
}

/// The stored profiles of `users` (those known), by user ID.
pub(crate) fn profiles(
    s: &mut dyn Store,
    app: u32,
    users: &[String],
) -> StoreResult<HashMap<String, Profile>> {
    Ok(s.user_profiles(app, users)?
        .into_iter()
        .map(|p| (p.user_id.clone(), p))
        .collect())
}

/// `user`'s profile, if they ever logged in (ZIM's "registered").
pub(crate) fn profile(s: &mut dyn Store, app: u32, user: &str) -> StoreResult<Option<Profile>> {
    Ok(s.user_profiles(app, &[user.to_owned()])?.pop())
}

/// ZIM's user info from a profile (only the ID where there is none).
pub(crate) fn user_info(user: &str, p: Option<&Profile>) -> UserInfo {
    UserInfo {
        user_id: user.to_owned(),
        user_name: p.map(|p| p.user_name.clone()).unwrap_or_default(),
        user_avatar_url: p.map(|p| p.avatar_url.clone()).unwrap_or_default(),
        user_extended_data: p.map(|p| p.extended_data.clone()).unwrap_or_default(),
    }
}

/// ZIM's friend info for an entry of a friend list (`p`: the friend's profile).
pub(crate) fn friend_info(row: &FriendRow, p: Option<&Profile>) -> FriendInfo {
    let u = user_info(&row.friend, p);
    FriendInfo {
        user_id: u.user_id,
        user_name: u.user_name,
        user_avatar_url: u.user_avatar_url,
        user_extended_data: u.user_extended_data,
        friend_alias: row.alias.clone(),
        friend_attributes: row.attributes.clone(),
        create_time: row.create_time,
        wording: row.wording.clone(),
    }
}

/// The friend info of `row` with its friend's profile read.
pub(crate) fn friend_info_of(
    s: &mut dyn Store,
    app: u32,
    row: &FriendRow,
) -> StoreResult<FriendInfo> {
    let p = profile(s, app, &row.friend)?;
    Ok(friend_info(row, p.as_ref()))
}

/// A user a list call could not handle.
pub(crate) fn error_user(user: &str, reason: u32) -> ErrorUserInfo {
    ErrorUserInfo {
        user_id: user.to_owned(),
        reason,
    }
}

/// Refuses an operation by `me` on `other` who is `me` (ZIM's 6000810).
pub(crate) fn not_self(me: &str, other: &str) -> Result<(), Refusal> {
    if me == other {
        return Err(Refusal::new(
            friend_code::CANNOT_ADD_SELF_TO_FRIEND_LIST,
            "a user cannot be their own friend",
        ));
    }
    Ok(())
}

/// Unix milliseconds.
pub(crate) fn now_ms() -> u64 {
    crate::server::now_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_follow_zego() {
        let mut a = BTreeMap::new();
        a.insert("k0".to_owned(), "v".to_owned());
        assert!(check_attributes(&a).is_ok());
        a.insert("k5".to_owned(), "v".to_owned());
        assert_eq!(check_attributes(&a).unwrap_err().code, code::PARAMS_INVALID);
        let mut long = BTreeMap::new();
        long.insert("k1".to_owned(), "x".repeat(MAX_ATTRIBUTE_VALUE + 1));
        assert!(check_attributes(&long).is_err());
    }

    #[test]
    fn lists_and_pages() {
        let ids: Vec<UserId> = ["a", "b", "a"].iter().map(|&u| u.into()).collect();
        assert_eq!(user_list("m", &ids).unwrap(), ["a", "b"]);
        assert!(user_list("m", &[]).is_err());
        let many: Vec<UserId> = (0..21).map(|i| format!("u{i}").into()).collect();
        assert!(user_list("m", &many).is_err());
        assert_eq!(page_size(500), Ok(100));
        assert!(page_size(0).is_err());
    }
}
