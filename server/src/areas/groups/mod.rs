//! Groups: ZIM's durable groups, with owner, admin and member rights enforced here.
//!
//! Every method is one store operation: the closure given to
//! [`crate::store::StoreHandle::run`] loads what the rule needs, checks it, and writes, in a
//! savepoint ([`crate::store::groups::atomically`]), so a check and its writes see no other
//! request in between and a refusal leaves nothing behind. After the commit the handler
//! tells the members through notices ([`fanout`]). Changes to one group run one at a time
//! ([`Turns`]) from before their store operation until their notices are handed out, so
//! every member sees a group's notices in the order of its changes.
//!
//! - [`lifecycle`]: create, dismiss, join, leave, invite, kick, transfer, and the queries;
//! - [`profile`]: name, avatar, notice, alias, modes, attributes, roles, nicknames, mute;
//! - [`applications`]: join applications and invitations that need an answer;
//! - [`roster`]: who the members are (cached, for fan-out), and whether a member may send
//!   now, for group messages.
//!
//! Rights (ZEGO's table for the default roles; an app-defined role has a member's rights):
//! owner > admin > member. Name, avatar, notice, attributes: any member. Nickname: one's own,
//! an admin a regular member's, the owner anyone's. Kick and mute members: owner and admins,
//! of lower rank only. Modes, group mute: owner and admins (muting everyone: the owner).
//! Roles, transfer, dismiss: the owner. A refusal is ZIM's 6000541.

pub mod applications;
pub mod fanout;
pub mod lifecycle;
pub mod messages;
pub mod profile;
pub mod receipts;
pub mod roster;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use tinyim_protocol::areas::{
    mute_mode, role, ErrorUserInfo, GroupEnterInfo, GroupFullInfo, GroupInfo, GroupMemberInfo,
    GroupMemberInfoUpdatedEvent, GroupMemberSimpleInfo, GroupMuteInfo, GroupOperatedInfo,
    GroupVerifyInfo,
};
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, List};
use tokio::sync::{Mutex, MutexGuard};

use crate::rpc::{Ctx, Refusal};
use crate::store::groups::{atomically, GroupRow, MemberRow};
use crate::store::users::Profile;
use crate::store::{Store, StoreResult};

/// The most members a group may have (and the default of `maxMemberCount`).
pub const MAX_MEMBERS: u32 = 10_000;
/// The most user IDs one call may name (ZIM's limit for create, invite, kick, mute).
pub const MAX_USERS_PER_CALL: usize = 100;
/// The most rows one page may hold (ZIM treats a larger count as 100).
pub const MAX_PAGE: u32 = 100;
/// Longest mute, in seconds (ZIM: 30 days); `-1` is "until unmuted".
pub const MAX_MUTE_SECONDS: i64 = 30 * 24 * 3600;

/// An operation's outcome: a store failure, or the method's refusal or result.
pub(crate) type Op<T> = StoreResult<Result<T, Refusal>>;

/// `check!(op)`: the value of an [`Op`], or return its refusal (or failure) from the
/// enclosing closure.
macro_rules! check {
    ($e:expr) => {
        match $e? {
            Ok(v) => v,
            Err(r) => return Ok(Err(r)),
        }
    };
}
pub(crate) use check;

/// `deny(code, message)`: a refusal as an [`Op`].
pub(crate) fn deny<T>(code: u32, message: &str) -> Op<T> {
    Ok(Err(Refusal::new(code, message)))
}

/// The server-wide group state: the turn locks and the roster cache.
#[derive(Default)]
pub struct Groups {
    turns: Turns,
    rosters: roster::Rosters,
}

/// Holding a group's turn (see [`Turns`]).
pub type Turn<'a> = MutexGuard<'a, ()>;

/// One lock per shard of groups, held by a change from before its store operation until its
/// notices are out, so notices of one group leave in the order of its changes. Sharding
/// (rather than a lock per group) needs no map and no allocation; unrelated groups that
/// share a shard only wait for each other's few milliseconds.
pub struct Turns {
    shards: Vec<Mutex<()>>,
}

impl Default for Turns {
    fn default() -> Self {
        Turns {
            shards: (0..64).map(|_| Mutex::new(())).collect(),
        }
    }
}

impl Turns {
    async fn take(&self, app: u32, group_id: &str) -> Turn<'_> {
        let mut h = DefaultHasher::new();
        (app, group_id).hash(&mut h);
        let i = (h.finish() % self.shards.len() as u64) as usize;
        self.shards[i].lock().await
    }
}

impl Ctx {
    /// Waits for `group_id`'s turn (see [`Turns`]).
    async fn group_turn(&self, group_id: &str) -> Turn<'_> {
        self.shared.groups.turns.take(self.app, group_id).await
    }

    /// Runs `f` atomically on the store thread (see the module docs).
    async fn group_op<T, F>(&self, f: F) -> Result<T, Refusal>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Op<T> + Send + Sync + 'static,
    {
        self.shared
            .store
            .run(move |s| atomically(s, f))
            .await
            .map_err(Refusal::from)?
    }

    /// A change of `group_id`: in the group's turn, `f` runs atomically on the store thread
    /// and returns the method's result and what to tell whom, which is handed out after the
    /// commit.
    async fn group_change<T, F>(&self, group_id: &str, f: F) -> Result<T, Refusal>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Op<(T, Told)> + Send + Sync + 'static,
    {
        let turn = self.group_turn(group_id).await;
        let (result, told) = self.group_op(f).await?;
        announce(self, group_id, told, &turn).await;
        Ok(result)
    }

    /// A change of `group_id` by the caller as a member of it: `f(store, group, caller)`
    /// (6000523 if there is no such group, 6000521 if the caller is not in it).
    async fn member_change<T, F>(&self, group_id: &str, f: F) -> Result<T, Refusal>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store, &mut GroupRow, &MemberRow) -> Op<(T, Told)>
            + Send
            + Sync
            + 'static,
    {
        let (app, me, gid) = (self.app, self.user_id.clone(), group_id.to_owned());
        self.group_change(group_id, move |s| {
            let mut g = check!(group_of(s, app, &gid));
            let m = check!(member_of(s, app, &gid, &me));
            f(s, &mut g, &m)
        })
        .await
    }
}

/// Who a notice of a change goes to.
pub(crate) enum Audience {
    /// Every member after the change.
    Members,
    /// These users (members who left, the user concerned ...).
    Users(Vec<String>),
}

/// What a committed change tells whom, in order, and whether it changed the membership.
#[derive(Default)]
pub(crate) struct Told {
    pub notices: Vec<(Audience, Notice)>,
    pub membership_changed: bool,
}

impl Told {
    pub fn members(&mut self, n: Notice) {
        self.notices.push((Audience::Members, n));
    }

    pub fn users(&mut self, users: Vec<String>, n: Notice) {
        if !users.is_empty() {
            self.notices.push((Audience::Users(users), n));
        }
    }
}

impl Told {
    /// `groupMemberInfoUpdated` to every member, for the changed members `rows`.
    pub fn member_info_updated(
        &mut self,
        s: &mut dyn Store,
        app: u32,
        group_id: &str,
        rows: &[MemberRow],
        by: GroupOperatedInfo,
    ) -> StoreResult<()> {
        let infos = member_infos(s, app, group_id, rows)?;
        self.members(Notice::GroupMemberInfoUpdated(
            GroupMemberInfoUpdatedEvent {
                group_id: group_id.to_owned(),
                user_list: List(infos),
                operated_info: by,
            },
        ));
        Ok(())
    }
}

/// Hands out a committed change's notices (holding the group's turn).
pub(crate) async fn announce(ctx: &Ctx, group_id: &str, told: Told, turn: &Turn<'_>) {
    if told.membership_changed {
        ctx.shared.groups.rosters.changed(ctx.app, group_id, turn);
    }
    for (audience, notice) in &told.notices {
        match audience {
            Audience::Members => fanout::to_members(ctx, group_id, notice, turn).await,
            Audience::Users(users) => fanout::to_users(ctx, users, notice),
        }
    }
}

/// The group `group_id`, if it exists and is not dismissed (6000523 otherwise).
pub(crate) fn group_of(s: &mut dyn Store, app: u32, group_id: &str) -> Op<GroupRow> {
    match s.group(app, group_id)? {
        Some(g) if !g.dismissed => Ok(Ok(g)),
        _ => deny(code::GROUP_DOES_NOT_EXIST, "the group does not exist"),
    }
}

/// `user`'s membership of `group_id` (6000521 if they are not a member).
pub(crate) fn member_of(s: &mut dyn Store, app: u32, group_id: &str, user: &str) -> Op<MemberRow> {
    match s.member(app, group_id, user)? {
        Some(m) => Ok(Ok(m)),
        None => deny(
            code::GROUP_USER_NOT_IN_GROUP,
            "the user is not a member of the group",
        ),
    }
}

/// A role's rank: owner 2, admin 1, anything else (members, app-defined roles) 0.
pub(crate) fn rank(r: u32) -> u8 {
    match r {
        role::OWNER => 2,
        role::ADMIN => 1,
        _ => 0,
    }
}

/// 6000541 unless `m` ranks at least `min`.
pub(crate) fn require_rank(m: &MemberRow, min: u8) -> Result<(), Refusal> {
    if rank(m.role) >= min {
        Ok(())
    } else {
        Err(Refusal::new(
            code::GROUP_NO_AUTHORITY,
            if min >= 2 {
                "only the group owner may do this"
            } else {
                "only the group owner or an admin may do this"
            },
        ))
    }
}

/// The members among `users` that `op` ranks above (an admin acts on regular members, the
/// owner on anyone else), and the others as errors: 6000521 not a member, 6000541 not of
/// lower rank.
pub(crate) fn lower_ranked(
    s: &mut dyn Store,
    app: u32,
    group_id: &str,
    op: &MemberRow,
    users: &[String],
) -> StoreResult<(Vec<MemberRow>, Vec<ErrorUserInfo>)> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for u in users {
        let reason = match s.member(app, group_id, u)? {
            None => code::GROUP_USER_NOT_IN_GROUP,
            Some(t) if rank(t.role) >= rank(op.role) => code::GROUP_NO_AUTHORITY,
            Some(t) => {
                found.push(t);
                continue;
            }
        };
        errors.push(ErrorUserInfo {
            user_id: u.clone(),
            reason,
        });
    }
    Ok((found, errors))
}

/// Is a mute expiring at `expire` (Unix seconds, `-1` never) still on at `now`?
pub(crate) fn muted(expire: i64, now: i64) -> bool {
    expire == -1 || expire > now
}

/// A mute duration in seconds (`-1` or 1 to 30 days) as its expiry from `now`.
pub(crate) fn mute_until(duration: i64, now: i64) -> Result<i64, Refusal> {
    match duration {
        -1 => Ok(-1),
        1..=MAX_MUTE_SECONDS => Ok(now + duration),
        _ => Err(Refusal::new(
            code::PARAMS_INVALID,
            "duration must be -1 (until unmuted) or 1 to 2592000 seconds",
        )),
    }
}

/// A page size: 1 to 100 asked, more is treated as 100 (ZIM), 0 is refused.
pub(crate) fn page_size(count: u32) -> Result<u32, Refusal> {
    match count {
        0 => Err(Refusal::new(
            code::PARAMS_INVALID,
            "count must be at least 1",
        )),
        n => Ok(n.min(MAX_PAGE)),
    }
}

/// The unique user IDs of a call's list, 1 to 100 of them.
pub(crate) fn user_list(ids: &[tinyim_protocol::ids::UserId]) -> Result<Vec<String>, Refusal> {
    if ids.is_empty() || ids.len() > MAX_USERS_PER_CALL {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "userIDs must name 1 to 100 users",
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.iter().any(|u| u == &id.0) {
            out.push(id.0.clone());
        }
    }
    Ok(out)
}

// ---- ZIM's objects from stored rows -------------------------------------------------------

pub(crate) fn group_info(g: &GroupRow) -> GroupInfo {
    GroupInfo {
        group_id: g.group_id.clone(),
        group_name: g.name.clone(),
        group_avatar_url: g.avatar_url.clone(),
    }
}

/// The group-wide mute as it stands at `now` (an expired one reads as none).
pub(crate) fn mute_info(g: &GroupRow, now: i64) -> GroupMuteInfo {
    if g.mute_mode == mute_mode::NONE || !muted(g.mute_expire, now) {
        return GroupMuteInfo::default();
    }
    GroupMuteInfo {
        mode: g.mute_mode,
        expired_time: g.mute_expire,
        roles: List(g.mute_roles.clone()),
    }
}

pub(crate) fn verify_info(g: &GroupRow) -> GroupVerifyInfo {
    GroupVerifyInfo {
        join_mode: g.join_mode,
        invite_mode: g.invite_mode,
        be_invite_mode: g.be_invite_mode,
    }
}

/// ZIM's full group info, as `viewer` sees it (their alias).
pub(crate) fn full_info(
    s: &mut dyn Store,
    app: u32,
    g: &GroupRow,
    viewer: &str,
    now: i64,
) -> StoreResult<GroupFullInfo> {
    Ok(GroupFullInfo {
        base_info: group_info(g),
        group_notice: g.notice.clone(),
        group_attributes: s.attributes(app, &g.group_id)?.into_iter().collect(),
        group_alias: s.alias(app, viewer, &g.group_id)?,
        // Message notification settings belong to the conversation (the conversations
        // area); a group reports ZIM's default.
        notification_status: 1,
        muted_info: mute_info(g, now),
        create_time: g.create_time,
        max_member_count: g.max_members,
        verify_info: verify_info(g),
    })
}

fn profiles(s: &mut dyn Store, app: u32, users: &[String]) -> StoreResult<Vec<Profile>> {
    s.user_profiles(app, users)
}

fn profile_in<'a>(found: &'a [Profile], user: &str) -> Option<&'a Profile> {
    found.iter().find(|p| p.user_id == user)
}

fn simple_info(user: &str, p: Option<&Profile>, m: Option<&MemberRow>) -> GroupMemberSimpleInfo {
    GroupMemberSimpleInfo {
        user_id: user.to_owned(),
        user_name: p.map(|p| p.user_name.clone()).unwrap_or_default(),
        user_avatar_url: p.map(|p| p.avatar_url.clone()).unwrap_or_default(),
        user_extended_data: p.map(|p| p.extended_data.clone()).unwrap_or_default(),
        member_nickname: m.map(|m| m.nickname.clone()).unwrap_or_default(),
        member_role: m.map_or(0, |m| m.role),
    }
}

/// `user` as a member-simple info of `group_id` (their role and nickname if still a member).
pub(crate) fn simple_of(
    s: &mut dyn Store,
    app: u32,
    group_id: &str,
    user: &str,
) -> StoreResult<GroupMemberSimpleInfo> {
    let p = profiles(s, app, &[user.to_owned()])?;
    let m = s.member(app, group_id, user)?;
    Ok(simple_info(user, p.first(), m.as_ref()))
}

/// ZIM's member infos for `rows` of `group_id`, with profiles and who let each one in.
pub(crate) fn member_infos(
    s: &mut dyn Store,
    app: u32,
    group_id: &str,
    rows: &[MemberRow],
) -> StoreResult<Vec<GroupMemberInfo>> {
    let mut users: Vec<String> = rows.iter().map(|m| m.user_id.clone()).collect();
    let mut operators: Vec<String> = Vec::new();
    for m in rows {
        if !m.operated_by.is_empty() && !operators.contains(&m.operated_by) {
            operators.push(m.operated_by.clone());
        }
    }
    users.extend(operators.iter().cloned());
    let found = profiles(s, app, &users)?;
    let mut operator_rows = Vec::with_capacity(operators.len());
    for o in &operators {
        let row = match rows.iter().find(|m| &m.user_id == o) {
            Some(m) => Some(m.clone()),
            None => s.member(app, group_id, o)?,
        };
        operator_rows.push(row);
    }
    Ok(rows
        .iter()
        .map(|m| {
            let p = profile_in(&found, &m.user_id);
            let operated_user = operators.iter().position(|o| o == &m.operated_by).map(|i| {
                simple_info(
                    &operators[i],
                    profile_in(&found, &operators[i]),
                    operator_rows[i].as_ref(),
                )
            });
            let avatar = p.map(|p| p.avatar_url.clone()).unwrap_or_default();
            GroupMemberInfo {
                user_id: m.user_id.clone(),
                user_name: p.map(|p| p.user_name.clone()).unwrap_or_default(),
                user_avatar_url: avatar.clone(),
                user_extended_data: p.map(|p| p.extended_data.clone()).unwrap_or_default(),
                member_nickname: m.nickname.clone(),
                member_role: m.role,
                member_avatar_url: avatar,
                mute_expired_time: m.mute_expire,
                group_enter_info: GroupEnterInfo {
                    enter_time: m.enter_time,
                    enter_type: m.enter_type,
                    operated_user,
                },
            }
        })
        .collect())
}

/// One member's info.
pub(crate) fn member_info(
    s: &mut dyn Store,
    app: u32,
    group_id: &str,
    m: &MemberRow,
) -> StoreResult<GroupMemberInfo> {
    Ok(member_infos(s, app, group_id, std::slice::from_ref(m))?
        .pop()
        .unwrap_or_default())
}

/// ZIM's operated info for the member `m` who made a change.
pub(crate) fn operated(
    s: &mut dyn Store,
    app: u32,
    m: &MemberRow,
) -> StoreResult<GroupOperatedInfo> {
    let p = profiles(s, app, std::slice::from_ref(&m.user_id))?;
    Ok(GroupOperatedInfo {
        user_id: m.user_id.clone(),
        user_name: p.first().map(|p| p.user_name.clone()).unwrap_or_default(),
        member_nickname: m.nickname.clone(),
        member_role: m.role,
    })
}

/// Unix seconds, for mute times.
pub(crate) fn now_secs() -> i64 {
    crate::server::now_secs() as i64
}

/// Unix milliseconds, for creation, entry and application times.
pub(crate) fn now_ms() -> u64 {
    crate::server::now_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_zims_roles() {
        assert_eq!(rank(role::OWNER), 2);
        assert_eq!(rank(role::ADMIN), 1);
        assert_eq!(rank(role::MEMBER), 0);
        assert_eq!(rank(101), 0, "an app-defined role has a member's rights");
    }

    #[test]
    fn mute_durations() {
        assert_eq!(mute_until(-1, 100), Ok(-1));
        assert_eq!(mute_until(60, 100), Ok(160));
        assert!(mute_until(0, 100).is_err());
        assert!(mute_until(MAX_MUTE_SECONDS + 1, 100).is_err());
        assert!(muted(-1, 5) && muted(6, 5) && !muted(5, 5) && !muted(0, 5));
    }

    #[test]
    fn pages_and_lists() {
        assert_eq!(page_size(500), Ok(100));
        assert!(page_size(0).is_err());
        let ids: Vec<_> = ["a", "b", "a"].iter().map(|&u| u.into()).collect();
        assert_eq!(user_list(&ids).unwrap(), ["a", "b"]);
        assert!(user_list(&[]).is_err());
    }
}
