//! The blacklist: independent of friends (ZEGO: blocking a friend keeps the friendship, and
//! unfriending keeps the block). A blocked user's peer messages to the blocker are refused
//! with 6000284 in the store's append, so none is stored for the blocker; the blocker can
//! still send to them. Only the blocker's session is told (`blacklistChanged`); the blocked
//! user is not.

use tinyim_protocol::areas::*;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::List;

use super::*;

fn changed(user_list: Vec<UserInfo>, action: u8) -> Notice {
    Notice::BlacklistChanged(BlacklistChanged {
        user_list: List(user_list),
        action,
    })
}

pub async fn add(ctx: &Ctx, r: BlacklistUsers) -> Result<ErrorUsers, Refusal> {
    let users = user_list("addUsersToBlacklist", &r.user_ids)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let errors = run(ctx, move |s| {
        let known = profiles(s, app, &users)?;
        let (mut errors, mut added) = (Vec::new(), Vec::new());
        let mut room = MAX_BLACKLIST.saturating_sub(s.blacklist_count(app, &me)?);
        for u in &users {
            let reason = if *u == me {
                friend_code::CANNOT_ADD_SELF_TO_BLACKLIST
            } else if !known.contains_key(u) {
                friend_code::FRIEND_UNREGISTERED
            } else if s.is_blocked(app, &me, u)? {
                friend_code::ALREADY_IN_BLACKLIST
            } else if room == 0 {
                friend_code::BLACKLIST_QUANTITY_LIMIT
            } else {
                s.block(app, &me, u, now_ms())?;
                room -= 1;
                added.push(user_info(u, known.get(u)));
                continue;
            };
            errors.push(error_user(u, reason));
        }
        let mut told = Told::default();
        if !added.is_empty() {
            told.tell(&me, changed(added, list_change::ADDED));
        }
        Ok(Ok((errors, told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, "users added to the blacklist");
    Ok(ErrorUsers {
        error_user_list: List(errors),
    })
}

pub async fn remove(ctx: &Ctx, r: BlacklistUsers) -> Result<ErrorUsers, Refusal> {
    let users = user_list("removeUsersFromBlacklist", &r.user_ids)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let errors = run(ctx, move |s| {
        let known = profiles(s, app, &users)?;
        let (mut errors, mut removed) = (Vec::new(), Vec::new());
        for u in &users {
            if s.unblock(app, &me, u)? {
                removed.push(user_info(u, known.get(u)));
            } else {
                errors.push(error_user(u, friend_code::USER_NOT_IN_BLACKLIST));
            }
        }
        let mut told = Told::default();
        if !removed.is_empty() {
            told.tell(&me, changed(removed, list_change::REMOVED));
        }
        Ok(Ok((errors, told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, "users removed from the blacklist");
    Ok(ErrorUsers {
        error_user_list: List(errors),
    })
}

pub async fn query(ctx: &Ctx, q: PageQuery) -> Result<BlacklistQueried, Refusal> {
    let count = page_size(q.count)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    run(ctx, move |s| {
        let mut rows = s.blacklist_after(app, &me, q.next_flag, count + 1)?;
        let next_flag = page(&mut rows, count, |r| r.0);
        let ids: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
        let known = profiles(s, app, &ids)?;
        let blacklist = ids.iter().map(|u| user_info(u, known.get(u))).collect();
        Ok(Ok((
            BlacklistQueried {
                blacklist: List(blacklist),
                next_flag,
            },
            Told::default(),
        )))
    })
    .await
}

pub async fn check(ctx: &Ctx, r: BlacklistCheck) -> Result<BlacklistChecked, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let is_user_in_blacklist = ctx
        .shared
        .store
        .run(move |s| s.is_blocked(app, &me, &r.user_id))
        .await?;
    Ok(BlacklistChecked {
        is_user_in_blacklist,
    })
}
