//! Users: presence methods (ZIM's user status). Anyone may query or subscribe to a known
//! user's status; only the user sets their own custom status, which goes to their
//! subscribers as online status changes do ([`crate::presence`] keeps the state and the
//! limits, [`crate::session::Registry`] makes and pushes the changes).

use std::collections::HashSet;

use tinyim_protocol::areas::{
    ErrorUserInfo, ErrorUsers, SubscribedUserStatusList, SubscribedUserStatusQuery,
    UserCustomStatusUpdate, UserCustomStatusUpdated, UserStatusSubscription, UsersStatus,
    UsersStatusQuery, UsersStatusSubscribe, UsersStatusUnsubscribe,
};
use tinyim_protocol::ids::UserId;
use tinyim_protocol::{code, List};

use crate::presence::{
    MAX_CUSTOM_STATUS_SECONDS, MAX_QUERY_USERS, MAX_SUBSCRIBE_USERS, MAX_SUBSCRIPTIONS,
    MAX_SUBSCRIPTION_MINUTES,
};
use crate::rpc::{Ctx, Refusal};
use crate::server::now_millis;

/// `ids` without repeats, in the order given.
fn distinct(ids: &[UserId]) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.iter()
        .filter(|u| seen.insert(u.0.as_str()))
        .map(|u| u.0.clone())
        .collect()
}

/// Refuses a list of `ids` that is empty (unless `may_be_empty`) or longer than `max`.
fn check_count(
    method: &str,
    ids: &[UserId],
    max: usize,
    may_be_empty: bool,
) -> Result<(), Refusal> {
    if ids.len() > max || (ids.is_empty() && !may_be_empty) {
        let least = if may_be_empty { 0 } else { 1 };
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            format!("{method} takes {least} to {max} user IDs a call"),
        ));
    }
    Ok(())
}

fn error_user(user_id: String, reason: u32) -> ErrorUserInfo {
    ErrorUserInfo { user_id, reason }
}

/// Splits `asked` into the caller (whom ZIM's presence calls exclude) and the others, the
/// caller listed with 6000001.
fn without_self(ctx: &Ctx, asked: Vec<String>, errors: &mut Vec<ErrorUserInfo>) -> Vec<String> {
    asked
        .into_iter()
        .filter(|u| {
            let me = *u == ctx.user_id;
            if me {
                errors.push(error_user(u.clone(), code::PARAMS_INVALID));
            }
            !me
        })
        .collect()
}

/// Moves the users of `asked` the store does not know into `errors` (6000011).
fn known_only(
    asked: Vec<String>,
    known: &[String],
    errors: &mut Vec<ErrorUserInfo>,
) -> Vec<String> {
    let (known_users, unknown): (Vec<String>, Vec<String>) =
        asked.into_iter().partition(|u| known.contains(u));
    errors.extend(
        unknown
            .into_iter()
            .map(|u| error_user(u, code::USER_NOT_EXIST)),
    );
    known_users
}

pub async fn query_status(ctx: &Ctx, q: UsersStatusQuery) -> Result<UsersStatus, Refusal> {
    check_count("queryUsersStatus", &q.user_ids, MAX_QUERY_USERS, false)?;
    let mut errors = Vec::new();
    let asked = without_self(ctx, distinct(&q.user_ids), &mut errors);
    let app = ctx.app;
    let wanted = asked.clone();
    let known: Vec<String> = ctx
        .shared
        .store
        .run(move |s| s.user_profiles(app, &wanted))
        .await?
        .into_iter()
        .map(|p| p.user_id)
        .collect();
    let users = known_only(asked, &known, &mut errors);
    let now = now_millis();
    let presence = &ctx.shared.registry.presence;
    Ok(UsersStatus {
        user_status_list: List(users.iter().map(|u| presence.status(app, u, now)).collect()),
        error_user_list: List(errors),
    })
}

pub async fn subscribe(ctx: &Ctx, r: UsersStatusSubscribe) -> Result<ErrorUsers, Refusal> {
    check_count(
        "subscribeUsersStatus",
        &r.user_ids,
        MAX_SUBSCRIBE_USERS,
        false,
    )?;
    if !(1..=MAX_SUBSCRIPTION_MINUTES).contains(&r.subscription_duration) {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "subscribeUsersStatus: subscriptionDuration is 1 to 43200 minutes",
        ));
    }
    let mut errors = Vec::new();
    let asked = without_self(ctx, distinct(&r.user_ids), &mut errors);
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let now = now_millis();
    let expires = now + u64::from(r.subscription_duration) * 60_000;
    let wanted = asked.clone();
    // Known users only (ZIM subscribes to registered users), in one transaction.
    let (known, dropped) = ctx
        .shared
        .store
        .run(move |s| {
            let known: Vec<String> = s
                .user_profiles(app, &wanted)?
                .into_iter()
                .map(|p| p.user_id)
                .collect();
            let dropped =
                s.subscribe_user_status(app, &me, &known, now, expires, MAX_SUBSCRIPTIONS)?;
            Ok((known, dropped))
        })
        .await?;
    let targets = known_only(asked, &known, &mut errors);
    ctx.shared
        .registry
        .presence
        .subscribed(app, &ctx.user_id, &targets, &dropped, now, expires);
    tracing::info!(app, user = %ctx.user_id, users = targets.len(), dropped = dropped.len(),
        minutes = r.subscription_duration, "user status subscribed");
    Ok(ErrorUsers {
        error_user_list: List(errors),
    })
}

pub async fn unsubscribe(ctx: &Ctx, r: UsersStatusUnsubscribe) -> Result<ErrorUsers, Refusal> {
    check_count(
        "unsubscribeUsersStatus",
        &r.user_ids,
        MAX_SUBSCRIBE_USERS,
        false,
    )?;
    let targets = distinct(&r.user_ids);
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let gone = targets.clone();
    ctx.shared
        .store
        .run(move |s| s.unsubscribe_user_status(app, &me, &gone))
        .await?;
    ctx.shared
        .registry
        .presence
        .unsubscribed(app, &ctx.user_id, &targets);
    tracing::info!(app, user = %ctx.user_id, users = targets.len(), "user status unsubscribed");
    Ok(ErrorUsers {
        error_user_list: List(Vec::new()),
    })
}

pub async fn subscriptions(
    ctx: &Ctx,
    q: SubscribedUserStatusQuery,
) -> Result<SubscribedUserStatusList, Refusal> {
    check_count(
        "querySubscribedUserStatusList",
        &q.user_ids,
        MAX_QUERY_USERS,
        true,
    )?;
    let only = distinct(&q.user_ids);
    let list = ctx
        .shared
        .registry
        .presence
        .subscriptions(ctx.app, &ctx.user_id, now_millis())
        .into_iter()
        .filter(|(s, _)| only.is_empty() || only.contains(&s.user_id))
        .map(
            |(user_status, subscribe_expired_time)| UserStatusSubscription {
                user_status,
                subscribe_expired_time,
            },
        );
    Ok(SubscribedUserStatusList {
        user_status_subscription_list: List(list.collect()),
    })
}

pub async fn update_custom_status(
    ctx: &Ctx,
    u: UserCustomStatusUpdate,
) -> Result<UserCustomStatusUpdated, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let now = now_millis();
    let presence = &ctx.shared.registry.presence;
    if !presence.may_set_custom_status(app, &me, now) {
        return Err(Refusal::new(
            code::SERVER_FREQUENCY_LIMIT,
            "updateUserCustomStatus: at most once a second",
        ));
    }
    // ZIM keeps a custom status for a day; a shorter duration (seconds) ends it sooner.
    let seconds = match u.duration {
        0 => MAX_CUSTOM_STATUS_SECONDS,
        d => d.min(MAX_CUSTOM_STATUS_SECONDS),
    };
    let expires = now + u64::from(seconds) * 1000;
    let status = u.custom_status.0.clone();
    let stored = status.clone();
    ctx.shared
        .store
        .run(move |s| s.set_custom_status(app, &me, &stored, now, expires))
        .await?;
    let new = presence.set_custom_status(app, &ctx.user_id, &status, now, expires);
    tracing::info!(app, user = %ctx.user_id, seconds, "user custom status updated");
    ctx.shared.registry.tell_subscribers(app, new, now);
    Ok(UserCustomStatusUpdated {
        custom_status: status,
    })
}
