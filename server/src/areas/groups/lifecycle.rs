//! Creating, dismissing, joining, leaving, inviting, kicking, transferring ownership, and
//! the queries of groups and members.
//!
//! Notices: the users whose own membership changes get `groupStateChanged` (with the
//! group's full info); every member after the change gets `groupMemberStateChanged` for
//! members who entered, the remaining members for members who quit; ownership moving gets
//! `groupMemberInfoUpdated`. The member who made the change is told too (their other
//! devices and views follow the same events).

use tinyim_protocol::areas::*;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, List};

use super::*;
use crate::store::groups::{GroupRow, MemberRow};

/// Adds `user` to `g` as a new member (the caller saves `g` afterwards).
pub(crate) fn add_member(
    s: &mut dyn Store,
    app: u32,
    g: &mut GroupRow,
    user: &str,
    member_role: u32,
    how: u8,
    operated_by: &str,
) -> StoreResult<MemberRow> {
    let mut m = MemberRow {
        id: 0,
        user_id: user.to_owned(),
        role: member_role,
        nickname: String::new(),
        mute_expire: 0,
        enter_time: now_ms(),
        enter_type: how,
        operated_by: operated_by.to_owned(),
        joined_seq: g.last_seq,
    };
    m.id = s.put_member(app, &g.group_id, &m)?;
    g.member_count += 1;
    Ok(m)
}

/// Removes `user` from `g`, at the group's current timeline position (the caller saves `g`).
fn remove_member(s: &mut dyn Store, app: u32, g: &mut GroupRow, user: &str) -> StoreResult<()> {
    s.remove_member(app, &g.group_id, user, g.last_seq)?;
    g.member_count = g.member_count.saturating_sub(1);
    Ok(())
}

/// The notices of users entering `g`: `groupStateChanged` to each (with their own view of
/// the group), then `groupMemberStateChanged` to every member.
pub(crate) fn tell_entered(
    s: &mut dyn Store,
    app: u32,
    g: &GroupRow,
    entered: &[MemberRow],
    group_event: u8,
    by: &GroupOperatedInfo,
    told: &mut Told,
) -> StoreResult<Vec<GroupMemberInfo>> {
    let now = now_secs();
    let infos = member_infos(s, app, &g.group_id, entered)?;
    for m in entered {
        let event = if m.enter_type == enter_type::CREATED {
            group_event::CREATED
        } else {
            group_event
        };
        told.users(
            vec![m.user_id.clone()],
            Notice::GroupStateChanged(GroupStateChangedEvent {
                state: group_state::ENTER,
                event,
                operated_info: by.clone(),
                group_info: full_info(s, app, g, &m.user_id, now)?,
            }),
        );
    }
    let member_event = match group_event {
        group_event::INVITED => member_event::INVITED,
        _ => member_event::JOINED,
    };
    let newcomers: Vec<GroupMemberInfo> = entered
        .iter()
        .zip(&infos)
        .filter(|(m, _)| m.enter_type != enter_type::CREATED)
        .map(|(_, i)| i.clone())
        .collect();
    if !newcomers.is_empty() {
        told.members(Notice::GroupMemberStateChanged(
            GroupMemberStateChangedEvent {
                group_id: g.group_id.clone(),
                state: group_state::ENTER,
                event: member_event,
                user_list: List(newcomers),
                operated_info: by.clone(),
            },
        ));
    }
    told.membership_changed = true;
    Ok(infos)
}

/// The notices of `quit` (member infos from before they left) leaving `g`.
fn tell_quit(
    s: &mut dyn Store,
    app: u32,
    g: &GroupRow,
    quit: Vec<GroupMemberInfo>,
    events: (u8, u8),
    by: &GroupOperatedInfo,
    told: &mut Told,
) -> StoreResult<()> {
    let now = now_secs();
    for m in &quit {
        told.users(
            vec![m.user_id.clone()],
            Notice::GroupStateChanged(GroupStateChangedEvent {
                state: group_state::QUIT,
                event: events.0,
                operated_info: by.clone(),
                group_info: full_info(s, app, g, &m.user_id, now)?,
            }),
        );
    }
    told.members(Notice::GroupMemberStateChanged(
        GroupMemberStateChangedEvent {
            group_id: g.group_id.clone(),
            state: group_state::QUIT,
            event: events.1,
            user_list: List(quit),
            operated_info: by.clone(),
        },
    ));
    told.membership_changed = true;
    Ok(())
}

/// Checks ZIM's advanced config (modes, attributes, member limit) of a new group.
fn check_config(c: &GroupAdvancedConfig, initial: usize) -> Result<u32, Refusal> {
    if c.join_mode > join_mode::FORBID
        || c.invite_mode > invite_mode::ADMIN
        || c.be_invite_mode > be_invite_mode::AUTH
    {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "joinMode must be 0-2, inviteMode and beInviteMode 0-1",
        ));
    }
    profile::check_attributes(c.group_attributes.iter(), c.group_attributes.len())?;
    let max = match c.max_member_count {
        0 => MAX_MEMBERS,
        n if n > MAX_MEMBERS => {
            return Err(Refusal::new(
                code::PARAMS_INVALID,
                "maxMemberCount is over the server's limit of 10000",
            ))
        }
        n => n,
    };
    if initial > max as usize {
        return Err(Refusal::new(
            code::GROUP_MEMBER_LIMIT,
            "more initial members than maxMemberCount",
        ));
    }
    Ok(max)
}

pub async fn create(ctx: &Ctx, c: GroupCreate) -> Result<GroupCreatedResult, Refusal> {
    let config = c.config.clone().unwrap_or_default();
    if c.user_ids.len() > MAX_USERS_PER_CALL {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "userIDs may name at most 100 users",
        ));
    }
    let mut invited: Vec<String> = Vec::new();
    for u in c.user_ids.iter() {
        if u.0 != ctx.user_id && !invited.contains(&u.0) {
            invited.push(u.0.clone());
        }
    }
    let max = check_config(&config, invited.len() + 1)?;
    let group_id = match c.group_info.group_id.0.as_str() {
        "" => ctx.shared.ids.next().to_string(),
        id => id.to_owned(),
    };
    let (app, me, gid) = (ctx.app, ctx.user_id.clone(), group_id.clone());
    let result = ctx
        .group_change(&group_id, move |s| {
            match s.group(app, &gid)? {
                Some(g) if g.dismissed => {
                    return deny(
                        code::GROUP_CREATE_WITH_DISMISSED,
                        "a group with this ID was dismissed; use another ID",
                    )
                }
                Some(_) => return deny(code::GROUP_ALREADY_EXISTS, "the group already exists"),
                None => {}
            }
            let mut g = GroupRow {
                group_id: gid.clone(),
                name: c.group_info.group_name.0.clone(),
                avatar_url: c.group_info.group_avatar_url.0.clone(),
                notice: config.group_notice.0.clone(),
                join_mode: config.join_mode,
                invite_mode: config.invite_mode,
                be_invite_mode: config.be_invite_mode,
                max_members: max,
                create_time: now_ms(),
                ..GroupRow::default()
            };
            for (k, v) in &config.group_attributes {
                s.set_attribute(app, &gid, k, v)?;
            }
            let how = enter_type::CREATED;
            let mut entered = vec![add_member(s, app, &mut g, &me, role::OWNER, how, "")?];
            for u in &invited {
                let how = enter_type::INVITED;
                entered.push(add_member(s, app, &mut g, u, role::MEMBER, how, &me)?);
            }
            s.put_group(app, &g)?;
            let by = operated(s, app, &entered[0])?;
            let mut told = Told::default();
            let user_list =
                tell_entered(s, app, &g, &entered, group_event::INVITED, &by, &mut told)?;
            let result = GroupCreatedResult {
                group_info: full_info(s, app, &g, &me, now_secs())?,
                user_list: List(user_list),
                error_user_list: List::default(),
            };
            Ok(Ok((result, told)))
        })
        .await?;
    tracing::info!(app, user = %ctx.user_id, group = %group_id, members = result.user_list.len(), "group created");
    Ok(result)
}

pub async fn dismiss(ctx: &Ctx, a: GroupIdArg) -> Result<GroupIdResult, Refusal> {
    let app = ctx.app;
    ctx.member_change(&a.group_id, move |s, g, owner| {
        if let Err(r) = require_rank(owner, 2) {
            return Ok(Err(r));
        }
        let members = s.member_ids(app, &g.group_id)?;
        let mut told = Told::default();
        // The group as it was, to every member in one frame (so without anyone's alias: a
        // 10,000-member group is told with one encoding).
        told.users(
            members,
            Notice::GroupStateChanged(GroupStateChangedEvent {
                state: group_state::QUIT,
                event: group_event::DISMISSED,
                operated_info: operated(s, app, owner)?,
                group_info: full_info(s, app, g, "", now_secs())?,
            }),
        );
        s.clear_group(app, &g.group_id, g.last_seq)?;
        g.dismissed = true;
        g.member_count = 0;
        s.put_group(app, g)?;
        told.membership_changed = true;
        Ok(Ok(((), told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, group = %a.group_id, "group dismissed");
    Ok(GroupIdResult {
        group_id: a.group_id.0,
    })
}

/// Lets `user` into `g` by themselves (joinGroup, or a join application where none is
/// needed), unless the join mode or the member limit forbids it.
pub(crate) fn join_by_self(s: &mut dyn Store, app: u32, g: &mut GroupRow, user: &str) -> Op<Told> {
    match g.join_mode {
        join_mode::AUTH => {
            return deny(
                code::GROUP_NEED_APPLY_JOIN,
                "the group takes members by application: sendGroupJoinApplication",
            )
        }
        join_mode::FORBID => {
            return deny(
                code::GROUP_FORBID_JOIN,
                "the group takes new members by invitation only",
            )
        }
        _ => {}
    }
    let mut told = Told::default();
    check!(admit(
        s,
        app,
        g,
        user,
        enter_type::JOINED,
        "",
        None,
        &mut told
    ));
    Ok(Ok(told))
}

/// Lets `user` into `g` as a regular member who came in `how`, let in by `operated_by`
/// (the inviter, or the admin who accepted; `""`: by themselves), unless they are in
/// already (6000522) or the group is full (6000525). Saves `g` and tells them and the
/// members, naming `by` (`None`: the newcomer) as the one who made the change.
#[allow(clippy::too_many_arguments)]
pub(crate) fn admit(
    s: &mut dyn Store,
    app: u32,
    g: &mut GroupRow,
    user: &str,
    how: u8,
    operated_by: &str,
    by: Option<&MemberRow>,
    told: &mut Told,
) -> Op<()> {
    if s.member(app, &g.group_id, user)?.is_some() {
        return deny(
            code::GROUP_MEMBER_ALREADY_IN_GROUP,
            "the user is in the group already",
        );
    }
    if g.member_count >= g.max_members {
        return deny(code::GROUP_MEMBER_LIMIT, "the group is full");
    }
    let m = add_member(s, app, g, user, role::MEMBER, how, operated_by)?;
    s.put_group(app, g)?;
    let by = operated(s, app, by.unwrap_or(&m))?;
    let event = match how {
        enter_type::INVITED | enter_type::INVITE_APPLY => group_event::INVITED,
        _ => group_event::JOINED,
    };
    tell_entered(s, app, g, &[m], event, &by, told)?;
    Ok(Ok(()))
}

pub async fn join(ctx: &Ctx, a: GroupIdArg) -> Result<GroupInfoResult, Refusal> {
    let (app, me, gid) = (ctx.app, ctx.user_id.clone(), a.group_id.0.clone());
    let group_info = ctx
        .group_change(&a.group_id, move |s| {
            let mut g = check!(group_of(s, app, &gid));
            // ZIM: joining a group one is in already succeeds.
            let told = if s.member(app, &gid, &me)?.is_some() {
                Told::default()
            } else {
                check!(join_by_self(s, app, &mut g, &me))
            };
            Ok(Ok((full_info(s, app, &g, &me, now_secs())?, told)))
        })
        .await?;
    Ok(GroupInfoResult { group_info })
}

pub async fn leave(ctx: &Ctx, a: GroupIdArg) -> Result<GroupIdResult, Refusal> {
    let app = ctx.app;
    ctx.member_change(&a.group_id, move |s, g, m| {
        let gid = g.group_id.clone();
        let by = operated(s, app, m)?;
        let info = member_info(s, app, &gid, m)?;
        remove_member(s, app, g, &m.user_id)?;
        let mut told = Told::default();
        if g.member_count == 0 {
            // ZIM: a group whose last member leaves is dismissed.
            told.users(
                vec![m.user_id.clone()],
                Notice::GroupStateChanged(GroupStateChangedEvent {
                    state: group_state::QUIT,
                    event: group_event::LEFT,
                    operated_info: by,
                    group_info: full_info(s, app, g, &m.user_id, now_secs())?,
                }),
            );
            s.clear_group(app, &gid, g.last_seq)?;
            g.dismissed = true;
            s.put_group(app, g)?;
            told.membership_changed = true;
            return Ok(Ok(((), told)));
        }
        let mut successor = None;
        if m.role == role::OWNER {
            // ZIM: the owner's role goes to the member who joined earliest.
            if let Some(mut next) = s.members_from(app, &gid, 0, 1, None)?.pop() {
                next.role = role::OWNER;
                s.put_member(app, &gid, &next)?;
                successor = Some(next);
            }
        }
        s.put_group(app, g)?;
        let events = (group_event::LEFT, member_event::LEFT);
        tell_quit(s, app, g, vec![info], events, &by, &mut told)?;
        if let Some(next) = successor {
            told.member_info_updated(s, app, &gid, &[next], by)?;
        }
        Ok(Ok(((), told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, group = %a.group_id, "left group");
    Ok(GroupIdResult {
        group_id: a.group_id.0,
    })
}

/// Adds `users` to `g` on `inviter`'s invitation; those already in, or beyond the member
/// limit, go to the error list.
pub(crate) fn add_invited(
    s: &mut dyn Store,
    app: u32,
    g: &mut GroupRow,
    inviter: &MemberRow,
    users: &[String],
    told: &mut Told,
) -> StoreResult<(Vec<GroupMemberInfo>, Vec<ErrorUserInfo>)> {
    let mut added = Vec::new();
    let mut errors = Vec::new();
    for u in users {
        if s.member(app, &g.group_id, u)?.is_some() {
            errors.push(ErrorUserInfo {
                user_id: u.clone(),
                reason: code::GROUP_MEMBER_ALREADY_IN_GROUP,
            });
        } else if g.member_count >= g.max_members {
            errors.push(ErrorUserInfo {
                user_id: u.clone(),
                reason: code::GROUP_MEMBER_LIMIT,
            });
        } else {
            added.push(add_member(
                s,
                app,
                g,
                u,
                role::MEMBER,
                enter_type::INVITED,
                &inviter.user_id,
            )?);
        }
    }
    s.put_group(app, g)?;
    let infos = if added.is_empty() {
        Vec::new()
    } else {
        let by = operated(s, app, inviter)?;
        tell_entered(s, app, g, &added, group_event::INVITED, &by, told)?
    };
    Ok((infos, errors))
}

/// 6000541 unless `m` may invite into `g` (the invite mode).
pub(crate) fn may_invite(g: &GroupRow, m: &MemberRow) -> Result<(), Refusal> {
    if g.invite_mode == invite_mode::ADMIN {
        require_rank(m, 1)
    } else {
        Ok(())
    }
}

pub async fn invite(ctx: &Ctx, a: GroupUsersArg) -> Result<GroupUsersInvitedResult, Refusal> {
    let users = user_list(&a.user_ids)?;
    let app = ctx.app;
    ctx.member_change(&a.group_id, move |s, g, m| {
        if let Err(r) = may_invite(g, m) {
            return Ok(Err(r));
        }
        if g.be_invite_mode == be_invite_mode::AUTH {
            return deny(
                code::GROUP_NEED_APPLY_INVITE,
                "invitees must agree in this group: sendGroupInviteApplications",
            );
        }
        let mut told = Told::default();
        let (added, errors) = add_invited(s, app, g, m, &users, &mut told)?;
        let result = GroupUsersInvitedResult {
            group_id: g.group_id.clone(),
            user_list: List(added),
            error_user_list: List(errors),
        };
        Ok(Ok((result, told)))
    })
    .await
}

pub async fn kick(ctx: &Ctx, a: GroupUsersArg) -> Result<GroupMemberKickedResult, Refusal> {
    let users = user_list(&a.user_ids)?;
    let app = ctx.app;
    let result = ctx
        .member_change(&a.group_id, move |s, g, op| {
            if let Err(r) = require_rank(op, 1) {
                return Ok(Err(r));
            }
            let (kicked, errors) = lower_ranked(s, app, &g.group_id, op, &users)?;
            let mut told = Told::default();
            if !kicked.is_empty() {
                let infos = member_infos(s, app, &g.group_id, &kicked)?;
                for t in &kicked {
                    remove_member(s, app, g, &t.user_id)?;
                }
                s.put_group(app, g)?;
                let by = operated(s, app, op)?;
                let events = (group_event::KICKED_OUT, member_event::KICKED_OUT);
                tell_quit(s, app, g, infos, events, &by, &mut told)?;
            }
            let result = GroupMemberKickedResult {
                group_id: g.group_id.clone(),
                kicked_user_ids: List(kicked.into_iter().map(|t| t.user_id).collect()),
                error_user_list: List(errors),
            };
            Ok(Ok((result, told)))
        })
        .await?;
    if !result.kicked_user_ids.is_empty() {
        tracing::info!(app, user = %ctx.user_id, group = %a.group_id, kicked = result.kicked_user_ids.len(), "group members kicked");
    }
    Ok(result)
}

pub async fn transfer_owner(
    ctx: &Ctx,
    a: GroupOwnerTransfer,
) -> Result<GroupOwnerTransferredResult, Refusal> {
    if a.to_user_id.0 == ctx.user_id {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "toUserID is the caller: the owner already",
        ));
    }
    let (app, to) = (ctx.app, a.to_user_id.0.clone());
    ctx.member_change(&a.group_id, move |s, g, owner| {
        if let Err(r) = require_rank(owner, 2) {
            return Ok(Err(r));
        }
        let mut next = check!(member_of(s, app, &g.group_id, &to));
        let mut owner = owner.clone();
        owner.role = role::MEMBER;
        next.role = role::OWNER;
        s.put_member(app, &g.group_id, &owner)?;
        s.put_member(app, &g.group_id, &next)?;
        let by = operated(s, app, &owner)?;
        let mut told = Told::default();
        told.member_info_updated(s, app, &g.group_id, &[next, owner], by)?;
        Ok(Ok(((), told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, group = %a.group_id, to = %a.to_user_id, "group owner transferred");
    Ok(GroupOwnerTransferredResult {
        group_id: a.group_id.0,
        to_user_id: a.to_user_id.0,
    })
}

// ---- queries --------------------------------------------------------------------------

/// The current state (anyone may read a group's info, to decide whether to join it).
pub async fn query_info(ctx: &Ctx, a: GroupIdArg) -> Result<GroupInfoResult, Refusal> {
    let (app, me, gid) = (ctx.app, ctx.user_id.clone(), a.group_id.0.clone());
    let group_info = ctx
        .group_op(move |s| {
            let g = check!(group_of(s, app, &gid));
            Ok(Ok(full_info(s, app, &g, &me, now_secs())?))
        })
        .await?;
    Ok(GroupInfoResult { group_info })
}

pub async fn query_member_info(
    ctx: &Ctx,
    q: GroupMemberInfoQuery,
) -> Result<GroupMemberInfoResult, Refusal> {
    let (app, me, gid, user) = (
        ctx.app,
        ctx.user_id.clone(),
        q.group_id.0.clone(),
        q.user_id.0.clone(),
    );
    ctx.group_op(move |s| {
        check!(group_of(s, app, &gid));
        check!(member_of(s, app, &gid, &me));
        let m = check!(member_of(s, app, &gid, &user));
        Ok(Ok(GroupMemberInfoResult {
            user_info: member_info(s, app, &gid, &m)?,
            group_id: gid,
        }))
    })
    .await
}

/// Most groups `queryGroupList()` (no paging) answers with.
const MAX_GROUP_LIST: u32 = 1000;

pub async fn query_list(ctx: &Ctx, q: GroupListQuery) -> Result<GroupListResult, Refusal> {
    let count = match q.count {
        0 => MAX_GROUP_LIST,
        n => n.min(MAX_PAGE),
    };
    let others = q.user_ids.iter().map(|u| u.0.clone()).collect::<Vec<_>>();
    if others.len() > MAX_USERS_PER_CALL {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "userIDs may name at most 100 users",
        ));
    }
    let (app, me, mut from) = (ctx.app, ctx.user_id.clone(), q.next_flag);
    ctx.group_op(move |s| {
        let mut list = Vec::new();
        loop {
            let page = s.user_groups_from(app, &me, from, count + 1)?;
            let last_page = page.len() <= count as usize;
            for (id, gid) in page {
                if list.len() == count as usize {
                    return Ok(Ok(GroupListResult {
                        group_list: List(list),
                        next_flag: id,
                    }));
                }
                from = id + 1;
                let mut shared = true;
                for u in &others {
                    if s.member(app, &gid, u)?.is_none() {
                        shared = false;
                        break;
                    }
                }
                if let (true, Some(g)) = (shared, s.group(app, &gid)?) {
                    list.push(Group {
                        base_info: group_info(&g),
                        group_alias: s.alias(app, &me, &gid)?,
                        notification_status: 1,
                    });
                }
            }
            if last_page {
                return Ok(Ok(GroupListResult {
                    group_list: List(list),
                    next_flag: 0,
                }));
            }
        }
    })
    .await
}

/// A page of members (all, or only those muted now), from join number `next_flag`.
pub(crate) async fn member_page(
    ctx: &Ctx,
    q: GroupMemberPageQuery,
    muted_only: bool,
) -> Result<GroupMemberListResult, Refusal> {
    let count = page_size(q.count)?;
    let (app, me, gid) = (ctx.app, ctx.user_id.clone(), q.group_id.0.clone());
    let from = q.next_flag;
    ctx.group_op(move |s| {
        check!(group_of(s, app, &gid));
        check!(member_of(s, app, &gid, &me));
        let muted_at = muted_only.then(now_secs);
        let mut rows = s.members_from(app, &gid, from, count + 1, muted_at)?;
        let next_flag = if rows.len() > count as usize {
            rows.pop().map_or(0, |m| m.id)
        } else {
            0
        };
        Ok(Ok(GroupMemberListResult {
            user_list: List(member_infos(s, app, &gid, &rows)?),
            group_id: gid,
            next_flag,
        }))
    })
    .await
}

pub async fn query_member_list(
    ctx: &Ctx,
    q: GroupMemberPageQuery,
) -> Result<GroupMemberListResult, Refusal> {
    member_page(ctx, q, false).await
}

pub async fn query_member_count(
    ctx: &Ctx,
    a: GroupIdArg,
) -> Result<GroupMemberCountResult, Refusal> {
    let (app, me, gid) = (ctx.app, ctx.user_id.clone(), a.group_id.0.clone());
    ctx.group_op(move |s| {
        let g = check!(group_of(s, app, &gid));
        check!(member_of(s, app, &gid, &me));
        Ok(Ok(GroupMemberCountResult {
            group_id: gid,
            count: g.member_count,
        }))
    })
    .await
}
