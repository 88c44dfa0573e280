//! Friend applications: one per (applicant, target) pair, sending again renews it (waiting
//! again, at the top of both lists). Both sides get `friendApplicationListChanged` when one
//! is sent and `friendApplicationUpdated` when it is answered; an accept makes them friends
//! (`friendListChanged` to both). A waiting application expires after 7 days.
//!
//! An application to someone who still has the applicant on their list (a one-way delete
//! earlier) needs no answer (ZEGO): the applicant becomes their friend at once and the
//! application reads as accepted. So does one to someone whose own application to the
//! applicant is waiting: both asked, so both applications read as accepted.

use tinyim_protocol::areas::*;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::List;

use super::list::{make_friends, not_blocked_by, registered, room_for, Keep};
use super::*;
use crate::store::friends::FriendApplicationRow;

/// How long an application waits for an answer before it expires, in milliseconds.
pub const EXPIRY_MS: u64 = 7 * 24 * 3600 * 1000;

/// The application's state as of `now` (a waiting one past its time reads as expired).
fn state_at(a: &FriendApplicationRow, now: u64) -> u8 {
    if a.state == friend_application_state::WAITING && now.saturating_sub(a.update_time) > EXPIRY_MS
    {
        friend_application_state::EXPIRED
    } else {
        a.state
    }
}

/// ZIM's application info for `a` as `viewer` (one of its two sides) sees it.
fn info_for(
    s: &mut dyn Store,
    app: u32,
    a: &FriendApplicationRow,
    viewer: &str,
) -> StoreResult<FriendApplicationInfo> {
    let (kind, other) = if a.applicant == viewer {
        (friend_application_type::SENT, &a.target)
    } else {
        (friend_application_type::RECEIVED, &a.applicant)
    };
    let p = profile(s, app, other)?;
    Ok(FriendApplicationInfo {
        kind,
        state: state_at(a, now_ms()),
        apply_user: user_info(other, p.as_ref()),
        wording: a.wording.clone(),
        create_time: a.create_time,
        update_time: a.update_time,
    })
}

/// Tells both sides of `a` with `make(their view)`.
fn tell_both(
    s: &mut dyn Store,
    app: u32,
    a: &FriendApplicationRow,
    make: fn(FriendApplicationInfo) -> Notice,
    told: &mut Told,
) -> StoreResult<()> {
    for viewer in [&a.applicant, &a.target] {
        let info = info_for(s, app, a, viewer)?;
        told.tell(viewer, make(info));
    }
    Ok(())
}

fn listed(info: FriendApplicationInfo) -> Notice {
    Notice::FriendApplicationListChanged(FriendApplicationListChanged {
        application_list: List(vec![info]),
        action: list_change::ADDED,
    })
}

fn updated(info: FriendApplicationInfo) -> Notice {
    Notice::FriendApplicationUpdated(FriendApplicationUpdated {
        application_list: List(vec![info]),
    })
}

pub async fn send(ctx: &Ctx, r: FriendApplicationSend) -> Result<FriendApplicationSent, Refusal> {
    not_self(&ctx.user_id, &r.user_id)?;
    check_attributes(&r.friend_attributes)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let info = run(ctx, move |s| {
        let target = r.user_id.0.clone();
        check!(registered(s, app, &target));
        if s.friend(app, &me, &target)?.is_some() {
            return deny(friend_code::IS_ALREADY_YOUR_FRIEND, "already a friend");
        }
        check!(not_blocked_by(s, app, &me, &target));
        let now = now_ms();
        let mut a = FriendApplicationRow {
            id: 0,
            applicant: me.clone(),
            target: target.clone(),
            wording: r.wording.0,
            alias: r.friend_alias.0,
            attributes: r.friend_attributes,
            state: friend_application_state::WAITING,
            create_time: now,
            update_time: now,
        };
        let mut told = Told::default();
        // The target's own waiting application to the applicant: both asked.
        let theirs = s
            .friend_application(app, &target, &me)?
            .filter(|t| state_at(t, now) == friend_application_state::WAITING);
        if s.friend(app, &target, &me)?.is_some() || theirs.is_some() {
            // They still have the applicant, or asked too: no answer needed.
            check!(room_for(s, app, &me, &target));
            a.state = friend_application_state::ACCEPTED;
            let mut their_keep = Keep::default();
            if let Some(mut t) = theirs {
                t.state = friend_application_state::ACCEPTED;
                t.update_time = now;
                s.put_friend_application(app, &t)?;
                tell_both(s, app, &t, updated, &mut told)?;
                their_keep = (t.alias, t.attributes);
            }
            let mine = (a.alias.clone(), a.attributes.clone());
            make_friends(
                s,
                app,
                (&me, &target),
                (mine, their_keep),
                &a.wording,
                &mut told,
            )?;
        }
        a.id = s.put_friend_application(app, &a)?;
        tell_both(s, app, &a, listed, &mut told)?;
        let info = info_for(s, app, &a, &me)?;
        Ok(Ok((info, told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, to = %info.apply_user.user_id, "friend application sent");
    Ok(FriendApplicationSent {
        application_info: info,
    })
}

/// The waiting application from `applicant` to `me`, or ZIM's refusal.
fn waiting(s: &mut dyn Store, app: u32, applicant: &str, me: &str) -> Op<FriendApplicationRow> {
    let Some(a) = s.friend_application(app, applicant, me)? else {
        return deny(
            friend_code::APPLICATION_STATUS_ERROR,
            "no friend application from this user",
        );
    };
    match state_at(&a, now_ms()) {
        friend_application_state::WAITING => Ok(Ok(a)),
        friend_application_state::EXPIRED => deny(
            friend_code::APPLICATION_EXPIRED,
            "the friend application has expired",
        ),
        _ => deny(
            friend_code::APPLICATION_STATUS_ERROR,
            "the friend application was answered already",
        ),
    }
}

pub async fn accept(ctx: &Ctx, r: FriendApplicationAccept) -> Result<FriendInfoResult, Refusal> {
    check_attributes(&r.friend_attributes)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let info = run(ctx, move |s| {
        let applicant = r.user_id.0.as_str();
        let mut a = check!(waiting(s, app, applicant, &me));
        check!(room_for(s, app, &me, applicant));
        a.state = friend_application_state::ACCEPTED;
        a.update_time = now_ms();
        s.put_friend_application(app, &a)?;
        let mut told = Told::default();
        tell_both(s, app, &a, updated, &mut told)?;
        let mine = (r.friend_alias.0, r.friend_attributes);
        let theirs = (a.alias.clone(), a.attributes.clone());
        let info = make_friends(
            s,
            app,
            (&me, applicant),
            (mine, theirs),
            &a.wording,
            &mut told,
        )?;
        Ok(Ok((info, told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, from = %info.user_id, "friend application accepted");
    Ok(FriendInfoResult { friend_info: info })
}

pub async fn reject(
    ctx: &Ctx,
    r: FriendApplicationReject,
) -> Result<FriendApplicationRejected, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let user_info = run(ctx, move |s| {
        let applicant = r.user_id.0.as_str();
        let mut a = check!(waiting(s, app, applicant, &me));
        a.state = friend_application_state::REJECTED;
        a.update_time = now_ms();
        s.put_friend_application(app, &a)?;
        let mut told = Told::default();
        tell_both(s, app, &a, updated, &mut told)?;
        let p = profile(s, app, applicant)?;
        Ok(Ok((super::user_info(applicant, p.as_ref()), told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, from = %user_info.user_id, "friend application rejected");
    Ok(FriendApplicationRejected { user_info })
}

pub async fn query_list(ctx: &Ctx, q: PageQuery) -> Result<FriendApplicationListQueried, Refusal> {
    let count = page_size(q.count)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    run(ctx, move |s| {
        let mut rows = s.friend_applications_before(app, &me, q.next_flag, count + 1)?;
        let next_flag = page(&mut rows, count, |a| a.id);
        let mut list = Vec::with_capacity(rows.len());
        for a in &rows {
            list.push(info_for(s, app, a, &me)?);
        }
        Ok(Ok((
            FriendApplicationListQueried {
                application_list: List(list),
                next_flag,
            },
            Told::default(),
        )))
    })
    .await
}
