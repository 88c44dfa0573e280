//! Join applications and invitations that need an answer.
//!
//! The group's modes decide when one is needed: `joinGroup` works only under join mode
//! any; under auth a user sends a join application that the owner or an admin accepts or
//! rejects; under forbid only an invitation gets one in. `inviteUsersIntoGroup` works only
//! under be-invite mode none; under auth the member sends invitations that each invitee
//! accepts or rejects. Where no application is needed, sending one does what it asks at
//! once (a join application under join mode any joins; invitations under be-invite mode
//! none add the invitees), so an app need not know the mode first.
//!
//! One application per (group, applicant) and per (group, invitee, inviter): sending again
//! renews it (waiting again, newest first). A waiting one expires after 7 days. The
//! receivers (owner and admins for a join application; the invitee for an invitation) get
//! `groupApplicationListChanged`; an answer is told to both sides with
//! `groupApplicationUpdated`.

use tinyim_protocol::areas::*;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, List};

use super::lifecycle::{add_invited, admit, join_by_self, may_invite};
use super::*;
use crate::store::groups::ApplicationRow;

/// How long an application waits for an answer before it expires, in milliseconds.
pub const EXPIRY_MS: u64 = 7 * 24 * 3600 * 1000;

/// The application's state as of `now` (a waiting one past its time reads as expired).
fn state_at(a: &ApplicationRow, now: u64) -> u8 {
    if a.state == application_state::WAITING && now.saturating_sub(a.update_time) > EXPIRY_MS {
        application_state::EXPIRED
    } else {
        a.state
    }
}

/// ZIM's application info for `a` as `viewer` sees it.
fn application_info(
    s: &mut dyn Store,
    app: u32,
    a: &ApplicationRow,
    viewer: &str,
    now: u64,
) -> StoreResult<GroupApplicationInfo> {
    let kind = if a.inviter.is_empty() {
        application_type::JOIN
    } else if a.inviter == viewer {
        application_type::INVITE
    } else {
        application_type::BE_INVITE
    };
    // The one who asked: the applicant, or the inviter of an invitation.
    let asker = if a.inviter.is_empty() {
        &a.user_id
    } else {
        &a.inviter
    };
    let p = s.user_profiles(app, std::slice::from_ref(asker))?;
    let group_info = match s.group(app, &a.group_id)? {
        Some(g) => super::group_info(&g),
        None => GroupInfo {
            group_id: a.group_id.clone(),
            ..GroupInfo::default()
        },
    };
    let operated_user = if a.operator.is_empty() {
        None
    } else {
        Some(simple_of(s, app, &a.group_id, &a.operator)?)
    };
    Ok(GroupApplicationInfo {
        kind,
        state: state_at(a, now),
        group_info,
        apply_user: UserInfo {
            user_id: asker.clone(),
            user_name: p.first().map(|p| p.user_name.clone()).unwrap_or_default(),
            user_avatar_url: p.first().map(|p| p.avatar_url.clone()).unwrap_or_default(),
            user_extended_data: p
                .first()
                .map(|p| p.extended_data.clone())
                .unwrap_or_default(),
        },
        create_time: a.create_time,
        update_time: a.update_time,
        wording: a.wording.clone(),
        operated_user,
    })
}

/// Tells each of `viewers` about `a` with `make(info)` (each sees their own kind).
fn tell_each(
    s: &mut dyn Store,
    app: u32,
    a: &ApplicationRow,
    viewers: &[String],
    make: fn(GroupApplicationInfo) -> Notice,
    told: &mut Told,
) -> StoreResult<()> {
    let now = now_ms();
    for v in viewers {
        let info = application_info(s, app, a, v, now)?;
        told.users(vec![v.clone()], make(info));
    }
    Ok(())
}

fn added(info: GroupApplicationInfo) -> Notice {
    Notice::GroupApplicationListChanged(GroupApplicationListChangedEvent {
        action: 0,
        application_list: List(vec![info]),
    })
}

fn updated(info: GroupApplicationInfo) -> Notice {
    Notice::GroupApplicationUpdated(GroupApplicationUpdatedEvent {
        application_list: List(vec![info]),
    })
}

/// The owner and admins of a group: who answer its join applications.
fn managers(s: &mut dyn Store, app: u32, group_id: &str) -> StoreResult<Vec<String>> {
    Ok(s.managers(app, group_id)?
        .into_iter()
        .map(|m| m.user_id)
        .collect())
}

/// A new (or renewed) application, waiting.
fn new_application(group_id: &str, user: &str, inviter: &str, wording: &str) -> ApplicationRow {
    let now = now_ms();
    ApplicationRow {
        id: 0,
        group_id: group_id.to_owned(),
        user_id: user.to_owned(),
        inviter: inviter.to_owned(),
        state: application_state::WAITING,
        wording: wording.to_owned(),
        create_time: now,
        update_time: now,
        operator: String::new(),
    }
}

/// The waiting application of `user` (`inviter` `""`: a join application), or 6000501.
fn waiting(
    s: &mut dyn Store,
    app: u32,
    group_id: &str,
    user: &str,
    inviter: &str,
) -> Op<ApplicationRow> {
    match s.application(app, group_id, user, inviter)? {
        Some(a) if state_at(&a, now_ms()) == application_state::WAITING => Ok(Ok(a)),
        _ => deny(
            code::GROUP_COMMON,
            "there is no waiting application (it was answered, expired, or never sent)",
        ),
    }
}

/// Records `operator`'s answer to `a`.
fn answered(
    s: &mut dyn Store,
    app: u32,
    a: &mut ApplicationRow,
    yes: bool,
    operator: &str,
) -> StoreResult<()> {
    a.state = if yes {
        application_state::ACCEPTED
    } else {
        application_state::REJECTED
    };
    a.operator = operator.to_owned();
    a.update_time = now_ms();
    s.put_application(app, a)?;
    Ok(())
}

pub async fn send_join(ctx: &Ctx, q: GroupJoinApplicationSend) -> Result<GroupIdResult, Refusal> {
    let (app, me, gid) = (ctx.app, ctx.user_id.clone(), q.group_id.0.clone());
    let wording = q.wording.0;
    ctx.group_change(&q.group_id, move |s| {
        let mut g = check!(group_of(s, app, &gid));
        if s.member(app, &gid, &me)?.is_some() {
            return deny(
                code::GROUP_MEMBER_ALREADY_IN_GROUP,
                "the user is in the group already",
            );
        }
        if g.join_mode != join_mode::AUTH {
            // Join mode any: no application needed, the user joins; forbid: refused.
            let told = check!(join_by_self(s, app, &mut g, &me));
            return Ok(Ok(((), told)));
        }
        let mut a = new_application(&gid, &me, "", &wording);
        a.id = s.put_application(app, &a)?;
        let mut told = Told::default();
        let to = managers(s, app, &gid)?;
        tell_each(s, app, &a, &to, added, &mut told)?;
        Ok(Ok(((), told)))
    })
    .await?;
    Ok(GroupIdResult {
        group_id: q.group_id.0,
    })
}

/// Accepts (`yes`) or rejects a join application as the owner or an admin.
async fn answer_join(
    ctx: &Ctx,
    q: GroupJoinApplicationAnswer,
    yes: bool,
) -> Result<GroupJoinApplicationResult, Refusal> {
    let (app, applicant) = (ctx.app, q.user_id.0.clone());
    ctx.member_change(&q.group_id, move |s, g, op| {
        if let Err(r) = require_rank(op, 1) {
            return Ok(Err(r));
        }
        let mut a = check!(waiting(s, app, &g.group_id, &applicant, ""));
        let mut told = Told::default();
        if yes {
            let (how, me) = (enter_type::JOIN_APPLY, &op.user_id);
            check!(admit(s, app, g, &applicant, how, me, Some(op), &mut told));
        }
        answered(s, app, &mut a, yes, &op.user_id)?;
        let mut to = managers(s, app, &g.group_id)?;
        if !to.contains(&applicant) {
            to.push(applicant.clone());
        }
        tell_each(s, app, &a, &to, updated, &mut told)?;
        Ok(Ok(((), told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, group = %q.group_id, applicant = %q.user_id, accepted = yes, "group join application answered");
    Ok(GroupJoinApplicationResult {
        group_id: q.group_id.0,
        user_id: q.user_id.0,
    })
}

pub async fn accept_join(
    ctx: &Ctx,
    q: GroupJoinApplicationAnswer,
) -> Result<GroupJoinApplicationResult, Refusal> {
    answer_join(ctx, q, true).await
}

pub async fn reject_join(
    ctx: &Ctx,
    q: GroupJoinApplicationAnswer,
) -> Result<GroupJoinApplicationResult, Refusal> {
    answer_join(ctx, q, false).await
}

pub async fn send_invites(
    ctx: &Ctx,
    q: GroupInviteApplicationsSend,
) -> Result<GroupInviteApplicationsSentResult, Refusal> {
    let users = user_list(&q.user_ids)?;
    let (app, wording) = (ctx.app, q.wording.0);
    let errors = ctx
        .member_change(&q.group_id, move |s, g, m| {
            if let Err(r) = may_invite(g, m) {
                return Ok(Err(r));
            }
            let mut told = Told::default();
            if g.be_invite_mode != be_invite_mode::AUTH {
                // Invitees need not agree: they are in.
                let (_, errors) = add_invited(s, app, g, m, &users, &mut told)?;
                return Ok(Ok((errors, told)));
            }
            let mut errors = Vec::new();
            for u in &users {
                if s.member(app, &g.group_id, u)?.is_some() {
                    errors.push(ErrorUserInfo {
                        user_id: u.clone(),
                        reason: code::GROUP_MEMBER_ALREADY_IN_GROUP,
                    });
                    continue;
                }
                let mut a = new_application(&g.group_id, u, &m.user_id, &wording);
                a.id = s.put_application(app, &a)?;
                tell_each(s, app, &a, std::slice::from_ref(u), added, &mut told)?;
            }
            Ok(Ok((errors, told)))
        })
        .await?;
    Ok(GroupInviteApplicationsSentResult {
        group_id: q.group_id.0,
        error_user_list: List(errors),
    })
}

/// Accepts (`yes`) or rejects an invitation as its invitee.
async fn answer_invite(
    ctx: &Ctx,
    q: GroupInviteApplicationAnswer,
    yes: bool,
) -> Result<Option<GroupFullInfo>, Refusal> {
    let (app, me, gid) = (ctx.app, ctx.user_id.clone(), q.group_id.0.clone());
    let inviter = q.inviter_user_id.0.clone();
    ctx.group_change(&q.group_id, move |s| {
        let mut g = check!(group_of(s, app, &gid));
        let mut a = check!(waiting(s, app, &gid, &me, &inviter));
        let mut told = Told::default();
        let mut info = None;
        if yes {
            let how = enter_type::INVITE_APPLY;
            check!(admit(s, app, &mut g, &me, how, &inviter, None, &mut told));
            info = Some(full_info(s, app, &g, &me, now_secs())?);
        }
        answered(s, app, &mut a, yes, &me)?;
        let both = [inviter.clone(), me.clone()];
        tell_each(s, app, &a, &both, updated, &mut told)?;
        Ok(Ok((info, told)))
    })
    .await
}

pub async fn accept_invite(
    ctx: &Ctx,
    q: GroupInviteApplicationAnswer,
) -> Result<GroupInviteApplicationAcceptedResult, Refusal> {
    let inviter_user_id = q.inviter_user_id.0.clone();
    let group_info = answer_invite(ctx, q, true).await?.unwrap_or_default();
    Ok(GroupInviteApplicationAcceptedResult {
        group_info,
        inviter_user_id,
    })
}

pub async fn reject_invite(
    ctx: &Ctx,
    q: GroupInviteApplicationAnswer,
) -> Result<GroupInviteApplicationRejectedResult, Refusal> {
    let (group_id, inviter_user_id) = (q.group_id.0.clone(), q.inviter_user_id.0.clone());
    answer_invite(ctx, q, false).await?;
    Ok(GroupInviteApplicationRejectedResult {
        group_id,
        inviter_user_id,
    })
}

pub async fn query_list(
    ctx: &Ctx,
    q: GroupApplicationListQuery,
) -> Result<GroupApplicationListResult, Refusal> {
    let count = page_size(q.count)?;
    let (app, me, before) = (ctx.app, ctx.user_id.clone(), q.next_flag);
    ctx.group_op(move |s| {
        let mut rows = s.applications_for(app, &me, before, count + 1)?;
        let more = rows.len() > count as usize;
        rows.truncate(count as usize);
        let next_flag = if more {
            rows.last().map_or(0, |a| a.id)
        } else {
            0
        };
        let now = now_ms();
        let mut list = Vec::with_capacity(rows.len());
        for a in &rows {
            list.push(application_info(s, app, a, &me, now)?);
        }
        Ok(Ok(GroupApplicationListResult {
            application_list: List(list),
            next_flag,
        }))
    })
    .await
}
