//! Call invitations: the handlers of ZIM's nine call methods, the timer's expiry, the login
//! hook that hands pending invitations to an invitee who was offline, and the re-arming
//! of timers at start. The rules are [`crate::calls`]; each operation loads the call,
//! applies them and saves it in one store job (so operations on a call are serialised),
//! then, after the commit, sends the notices and arms the call's timer.

use std::sync::Arc;

use tinyim_protocol::areas::{
    call_mode, CallAnswer, CallAnswered, CallCancel, CallCancelSent, CallEndSent,
    CallInvitationListQueried, CallInvitationQuery, CallInvitationSent, CallInvite, CallJoinSent,
    CallQuitSent, CallingInvitationSent, CallingInvite, ErrorUserInfo,
};
use tinyim_protocol::limits::MAX_PAGE_COUNT;
use tinyim_protocol::{code, List};

use crate::calls::{
    call_code, Call, Notices, DEFAULT_TIMEOUT_SECS, MAX_INVITEES, MAX_TIMEOUT_SECS,
};
use crate::rpc::{notify, Ctx, Refusal};
use crate::server::{now_millis, Shared};
use crate::session::Registry;

/// How long ended calls stay listable (`queryCallInvitationList`): pruned at start.
const KEEP_ENDED_MS: u64 = 7 * 24 * 3600 * 1000;

fn refused(c: u32) -> Refusal {
    let what = match c {
        call_code::COMMON => "the call is not in a state that allows this (answered already, or not an advanced call)",
        call_code::CANCEL => "nothing to cancel: the invitees have answered",
        call_code::NOT_INVITER => "only an inviter of this call may do this",
        call_code::NOT_INVITEE => "not invited to this call",
        call_code::DOES_NOT_EXIST => "no such call (or it has ended)",
        call_code::INVITEES_DO_NOT_EXIST => "none of the invitees is a known user",
        call_code::ALREADY_IN_CALL => "already in this call",
        code::PARAMS_INVALID => "invalid arguments",
        _ => "call error",
    };
    Refusal::new(c, what)
}

/// Who is online: an invitee online when the store job runs receives the invitation now.
fn online(registry: Arc<Registry>, app: u32) -> impl Fn(&str) -> bool {
    move |u: &str| registry.get(app, u).is_some()
}

/// Sends `notices` (after the commit that made them true).
fn deliver(shared: &Shared, app: u32, notices: Notices) {
    for (user, notice) in notices {
        notify(shared, app, &user, &notice);
    }
}

/// `list` without repeats, in order.
fn distinct<T: std::ops::Deref<Target = str>>(list: &[T]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in list {
        if !out.iter().any(|o| o == &**u) {
            out.push(u.to_string());
        }
    }
    out
}

/// Splits `users` into the known ones and the unknown (as ZIM's error users).
async fn known(
    ctx: &Ctx,
    users: Vec<String>,
) -> Result<(Vec<String>, Vec<ErrorUserInfo>), Refusal> {
    let (app, wanted) = (ctx.app, users.clone());
    let found = ctx
        .shared
        .store
        .run(move |s| s.user_profiles(app, &wanted))
        .await?;
    let (known, unknown): (Vec<String>, Vec<String>) = users
        .into_iter()
        .partition(|u| found.iter().any(|p| &p.user_id == u));
    let errors = unknown
        .into_iter()
        .map(|user_id| ErrorUserInfo {
            user_id,
            reason: code::USER_NOT_EXIST,
        })
        .collect();
    Ok((known, errors))
}

pub async fn invite(ctx: &Ctx, r: CallInvite) -> Result<CallInvitationSent, Refusal> {
    let c = &r.config;
    let invitees = distinct(&r.invitees);
    if invitees.is_empty() || invitees.len() > MAX_INVITEES {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "callInvite takes 1 to 9 invitees",
        ));
    }
    if invitees.contains(&ctx.user_id) {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "a caller cannot invite themself",
        ));
    }
    if c.mode != call_mode::GENERAL && c.mode != call_mode::ADVANCED {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "mode must be 0 (general) or 1 (advanced)",
        ));
    }
    let timeout = match c.timeout {
        0 => DEFAULT_TIMEOUT_SECS,
        t if t > MAX_TIMEOUT_SECS => {
            return Err(Refusal::new(
                code::PARAMS_INVALID,
                "timeout is at most 600 seconds",
            ))
        }
        t => t,
    };
    let (invitees, error_user_list) = known(ctx, invitees).await?;
    if invitees.is_empty() {
        return Err(refused(call_code::INVITEES_DO_NOT_EXIST));
    }
    let (app, id, me) = (ctx.app, ctx.shared.ids.next(), ctx.user_id.clone());
    let (mode, extended_data) = (c.mode, c.extended_data.0.clone());
    let online = online(Arc::clone(&ctx.shared.registry), app);
    let (notices, deadline) = ctx
        .shared
        .store
        .run(move |s| {
            let (call, notices) = Call::new(
                app,
                id,
                &me,
                &invitees,
                mode,
                &extended_data,
                timeout,
                now_millis(),
                &online,
            );
            s.save_call(&call)?;
            Ok((notices, call.next_deadline()))
        })
        .await?;
    tracing::info!(app, caller = %ctx.user_id, call_id = id, mode, "call invitation created");
    deliver(&ctx.shared, app, notices);
    ctx.shared.calls.arm(&ctx.shared, app, id, deadline);
    Ok(CallInvitationSent {
        call_id: id.to_string(),
        timeout,
        error_user_list: List(error_user_list),
    })
}

/// What an operation on a call does: changes it (or refuses with ZIM's code), returning
/// its result and the notices it causes.
type Operation<T> = Box<
    dyn FnOnce(&mut Call, u64, &dyn Fn(&str) -> bool) -> Result<(T, Notices), u32> + Send + Sync,
>;

/// Runs `op` on call `call_id` in one store job, then notifies and re-arms the timer.
async fn change<T: Send + 'static>(
    ctx: &Ctx,
    call_id: &str,
    op: Operation<T>,
) -> Result<T, Refusal> {
    let id = call_id
        .parse::<u64>()
        .map_err(|_| refused(call_code::DOES_NOT_EXIST))?;
    let app = ctx.app;
    let online = online(Arc::clone(&ctx.shared.registry), app);
    let outcome = ctx
        .shared
        .store
        .run(move |s| {
            let Some(mut call) = s.call(app, id)? else {
                return Ok(Err(call_code::DOES_NOT_EXIST));
            };
            match op(&mut call, now_millis(), &online) {
                Ok((t, notices)) => {
                    s.save_call(&call)?;
                    Ok(Ok((t, notices, call.next_deadline())))
                }
                Err(c) => Ok(Err(c)),
            }
        })
        .await?;
    let (t, notices, deadline) = outcome.map_err(refused)?;
    deliver(&ctx.shared, app, notices);
    ctx.shared.calls.arm(&ctx.shared, app, id, deadline);
    Ok(t)
}

pub async fn cancel(ctx: &Ctx, r: CallCancel) -> Result<CallCancelSent, Refusal> {
    let (me, invitees, ext) = (
        ctx.user_id.clone(),
        distinct(&r.invitees),
        r.config.extended_data.0,
    );
    let errors = change(
        ctx,
        &r.call_id,
        Box::new(move |call, now, _| call.cancel(&me, &invitees, &ext, now)),
    )
    .await?;
    tracing::info!(app = ctx.app, user = %ctx.user_id, call_id = %r.call_id, "call cancelled");
    Ok(CallCancelSent {
        call_id: r.call_id.0,
        error_invitees: List(errors),
    })
}

/// `callAccept` (`accept`) and `callReject`.
pub async fn answer(ctx: &Ctx, r: CallAnswer, accept: bool) -> Result<CallAnswered, Refusal> {
    let (me, ext) = (ctx.user_id.clone(), r.config.extended_data.0);
    change(
        ctx,
        &r.call_id,
        Box::new(move |call, now, _| Ok(((), call.answer(&me, accept, &ext, now)?))),
    )
    .await?;
    tracing::info!(app = ctx.app, user = %ctx.user_id, call_id = %r.call_id, accept, "call answered");
    Ok(CallAnswered {
        call_id: r.call_id.0,
    })
}

pub async fn calling_invite(ctx: &Ctx, r: CallingInvite) -> Result<CallingInvitationSent, Refusal> {
    let invitees = distinct(&r.invitees);
    if invitees.is_empty() || invitees.len() > MAX_INVITEES {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "callingInvite takes 1 to 9 invitees",
        ));
    }
    let (invitees, mut error_user_list) = known(ctx, invitees).await?;
    let me = ctx.user_id.clone();
    let already = change(
        ctx,
        &r.call_id,
        Box::new(move |call, now, online| call.invite_more(&me, &invitees, now, online)),
    )
    .await?;
    error_user_list.extend(already.into_iter().map(|user_id| ErrorUserInfo {
        user_id,
        reason: call_code::ALREADY_IN_CALL,
    }));
    tracing::info!(app = ctx.app, user = %ctx.user_id, call_id = %r.call_id, "more users invited to a call");
    Ok(CallingInvitationSent {
        call_id: r.call_id.0,
        error_user_list: List(error_user_list),
    })
}

pub async fn join(ctx: &Ctx, r: CallAnswer) -> Result<CallJoinSent, Refusal> {
    let (me, ext) = (ctx.user_id.clone(), r.config.extended_data.0);
    let call = change(
        ctx,
        &r.call_id,
        Box::new(move |call, now, _| {
            let notices = call.join(&me, &ext, now)?;
            Ok(((call.clone(), now), notices))
        }),
    )
    .await?;
    let (call, now) = call;
    tracing::info!(app = ctx.app, user = %ctx.user_id, call_id = %r.call_id, "call joined");
    Ok(CallJoinSent {
        call_id: r.call_id.0,
        create_time: call.create_time,
        join_time: now,
        extended_data: call.extended_data.clone(),
        call_user_list: call.user_list(),
    })
}

/// `callQuit` (`end` false) and `callEnd`: (create time, accept time, now).
async fn leave(ctx: &Ctx, r: &CallAnswer, end: bool) -> Result<(u64, u64, u64), Refusal> {
    let (me, ext) = (ctx.user_id.clone(), r.config.extended_data.0.clone());
    let times = change(
        ctx,
        &r.call_id,
        Box::new(move |call, now, _| {
            let (accepted, notices) = if end {
                call.end(&me, &ext, now)?
            } else {
                call.quit(&me, &ext, now)?
            };
            Ok(((call.create_time, accepted, now), notices))
        }),
    )
    .await?;
    tracing::info!(app = ctx.app, user = %ctx.user_id, call_id = %r.call_id, end, "call left");
    Ok(times)
}

pub async fn quit(ctx: &Ctx, r: CallAnswer) -> Result<CallQuitSent, Refusal> {
    let (create_time, accept_time, quit_time) = leave(ctx, &r, false).await?;
    Ok(CallQuitSent {
        call_id: r.call_id.0,
        create_time,
        accept_time,
        quit_time,
    })
}

pub async fn end(ctx: &Ctx, r: CallAnswer) -> Result<CallEndSent, Refusal> {
    let (create_time, accept_time, end_time) = leave(ctx, &r, true).await?;
    Ok(CallEndSent {
        call_id: r.call_id.0,
        create_time,
        accept_time,
        end_time,
    })
}

pub async fn query_list(
    ctx: &Ctx,
    q: CallInvitationQuery,
) -> Result<CallInvitationListQueried, Refusal> {
    if q.count == 0 || q.count > MAX_PAGE_COUNT {
        return Err(Refusal::new(code::PARAMS_INVALID, "count must be 1 to 100"));
    }
    let (app, me, count) = (ctx.app, ctx.user_id.clone(), q.count);
    let calls = ctx
        .shared
        .store
        .run(move |s| s.calls_of_user(app, &me, q.next_flag, count))
        .await?;
    let next_flag = match calls.last() {
        Some(c) if calls.len() == count as usize => c.id,
        _ => 0,
    };
    Ok(CallInvitationListQueried {
        call_list: List(calls.iter().map(|c| c.info(&ctx.user_id)).collect()),
        next_flag,
    })
}

/// The timer of call `id` fired: time out who did not answer, and re-arm for the next.
pub async fn expire(shared: &Arc<Shared>, app: u32, id: u64) {
    let outcome = shared
        .store
        .run(move |s| {
            let Some(mut call) = s.call(app, id)? else {
                return Ok((Vec::new(), None));
            };
            let notices = call.expire(now_millis());
            if !notices.is_empty() {
                s.save_call(&call)?;
            }
            Ok((notices, call.next_deadline()))
        })
        .await;
    match outcome {
        Ok((notices, deadline)) => {
            if !notices.is_empty() {
                tracing::info!(app, call_id = id, "call invitation timed out");
            }
            deliver(shared, app, notices);
            shared.calls.arm(shared, app, id, deadline);
        }
        Err(e) => {
            // Try again shortly: the deadline still stands.
            tracing::error!(app, call_id = id, error = %e, "store: a call timeout failed");
            let retry = now_millis() + 1000;
            shared.calls.arm(shared, app, id, Some(retry));
        }
    }
}

/// `user` just logged in: invitations they have not received yet reach them now, and the
/// calls they are in tell them where everyone is. A store failure is logged; the calls
/// are still listable.
pub async fn logged_in(shared: &Arc<Shared>, app: u32, user: &str) {
    let me = user.to_owned();
    let outcome = shared
        .store
        .run(move |s| {
            let mut notices = Vec::new();
            for mut call in s.live_calls_of_user(app, &me)? {
                if call.logged_in(&me, now_millis(), &mut notices) {
                    s.save_call(&call)?;
                }
            }
            Ok(notices)
        })
        .await;
    match outcome {
        Ok(notices) => deliver(shared, app, notices),
        Err(e) => tracing::error!(app, user, error = %e, "store: pending calls at login failed"),
    }
}

/// At start: forget long-ended calls, and arm a timer for every call still ringing (a
/// deadline passed while the server was down fires at once).
pub async fn rearm(shared: &Arc<Shared>) -> Result<(), String> {
    let before = now_millis().saturating_sub(KEEP_ENDED_MS);
    let calls = shared
        .store
        .run(move |s| {
            s.prune_calls(before)?;
            s.started_calls()
        })
        .await
        .map_err(|e| format!("cannot read the calls: {e}"))?;
    for c in &calls {
        shared.calls.arm(shared, c.app, c.id, c.next_deadline());
    }
    tracing::info!(
        calls = calls.len(),
        timers = shared.calls.len(),
        "calls: timers re-armed"
    );
    Ok(())
}
