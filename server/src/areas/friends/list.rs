//! The friend list: adding directly, deleting one way or both, the relation check, the
//! user's alias and attributes per friend, and the queries.
//!
//! `addFriend` needs no consent (ZEGO): both users get `friendListChanged`, and the other
//! side's entry for the user is made too unless it is there already. A one-way delete keeps
//! the other side's entry, so the relation reads "the other has me".

use tinyim_protocol::areas::*;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::List;

use super::*;

/// What a user keeps about a friend: the alias and the attributes.
pub(crate) type Keep = (String, BTreeMap<String, String>);

/// Adds `friend` to `owner`'s list with what the owner keeps about them, unless already
/// there; the entry, and whether it is new.
pub(crate) fn befriend(
    s: &mut dyn Store,
    app: u32,
    owner: &str,
    friend: &str,
    keep: Keep,
    wording: &str,
) -> StoreResult<(FriendRow, bool)> {
    if let Some(row) = s.friend(app, owner, friend)? {
        return Ok((row, false));
    }
    let row = FriendRow {
        id: 0,
        owner: owner.to_owned(),
        friend: friend.to_owned(),
        alias: keep.0,
        attributes: keep.1,
        wording: wording.to_owned(),
        create_time: now_ms(),
    };
    s.put_friend(app, &row)?;
    Ok((row, true))
}

/// Refuses a new friendship of `me` and `other` if either list is full (ZIM's 6000801;
/// `other`'s counts only if they do not have `me` yet).
pub(crate) fn room_for(s: &mut dyn Store, app: u32, me: &str, other: &str) -> Op<()> {
    if s.friend_count(app, me)? >= MAX_FRIENDS
        || (s.friend(app, other, me)?.is_none() && s.friend_count(app, other)? >= MAX_FRIENDS)
    {
        return deny(
            friend_code::FRIEND_NUMS_LIMIT,
            "a friend list holds at most 3000 friends",
        );
    }
    Ok(Ok(()))
}

/// Makes `me` and `other` friends (both entries, each with what `keeps` says its owner
/// keeps, unless there already) and tells both; `me`'s entry.
pub(crate) fn make_friends(
    s: &mut dyn Store,
    app: u32,
    (me, other): (&str, &str),
    (mine, theirs): (Keep, Keep),
    wording: &str,
    told: &mut Told,
) -> StoreResult<FriendInfo> {
    let (mine, mine_new) = befriend(s, app, me, other, mine, wording)?;
    let (theirs, theirs_new) = befriend(s, app, other, me, theirs, wording)?;
    let info = friend_info_of(s, app, &mine)?;
    if mine_new {
        told.tell(me, added(info.clone()));
    }
    if theirs_new {
        let their_info = friend_info_of(s, app, &theirs)?;
        told.tell(other, added(their_info));
    }
    Ok(info)
}

fn added(info: FriendInfo) -> Notice {
    Notice::FriendListChanged(FriendListChanged {
        friend_list: List(vec![info]),
        action: list_change::ADDED,
    })
}

/// A blocked user may not ask the blocker for friendship (ZIM's 6000284).
pub(crate) fn not_blocked_by(s: &mut dyn Store, app: u32, me: &str, other: &str) -> Op<()> {
    if s.is_blocked(app, other, me)? {
        return deny(
            friend_code::SENDER_IN_BLACKLIST,
            "the user has blocked the caller",
        );
    }
    Ok(Ok(()))
}

/// Refuses a user who never logged in (ZIM's 6000811).
pub(crate) fn registered(s: &mut dyn Store, app: u32, user: &str) -> Op<()> {
    if profile(s, app, user)?.is_none() {
        return deny(
            friend_code::FRIEND_UNREGISTERED,
            "the user is not registered",
        );
    }
    Ok(Ok(()))
}

pub async fn add(ctx: &Ctx, r: FriendAdd) -> Result<FriendInfoResult, Refusal> {
    not_self(&ctx.user_id, &r.user_id)?;
    check_attributes(&r.friend_attributes)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let info = run(ctx, move |s| {
        let other = r.user_id.0.as_str();
        check!(registered(s, app, other));
        if s.friend(app, &me, other)?.is_some() {
            return deny(friend_code::IS_ALREADY_YOUR_FRIEND, "already a friend");
        }
        check!(not_blocked_by(s, app, &me, other));
        check!(room_for(s, app, &me, other));
        let mut told = Told::default();
        let mine = (r.friend_alias.0, r.friend_attributes);
        let info = make_friends(
            s,
            app,
            (&me, other),
            (mine, Keep::default()),
            &r.wording.0,
            &mut told,
        )?;
        Ok(Ok((info, told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, friend = %info.user_id, "friend added");
    Ok(FriendInfoResult { friend_info: info })
}

pub async fn delete(ctx: &Ctx, r: FriendsScoped) -> Result<ErrorUsers, Refusal> {
    let users = user_list("deleteFriends", &r.user_ids)?;
    let both = both_sides(r.kind)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let errors = run(ctx, move |s| {
        let mut errors = Vec::new();
        let mut removed = Vec::new();
        let mut told = Told::default();
        for u in &users {
            if *u == me {
                errors.push(error_user(u, friend_code::CANNOT_DELETE_SELF));
                continue;
            }
            let mine = s.friend(app, &me, u)?;
            let theirs = if both { s.friend(app, u, &me)? } else { None };
            if mine.is_none() && theirs.is_none() {
                errors.push(error_user(u, friend_code::NOT_YOUR_FRIEND));
                continue;
            }
            if let Some(row) = mine {
                s.remove_friend(app, &me, u)?;
                removed.push(friend_info_of(s, app, &row)?);
            }
            if let Some(row) = theirs {
                s.remove_friend(app, u, &me)?;
                let info = friend_info_of(s, app, &row)?;
                told.tell(u, removed_notice(vec![info]));
            }
        }
        if !removed.is_empty() {
            told.tell(&me, removed_notice(removed));
        }
        Ok(Ok((errors, told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, both, "friends deleted");
    Ok(ErrorUsers {
        error_user_list: List(errors),
    })
}

fn removed_notice(list: Vec<FriendInfo>) -> Notice {
    Notice::FriendListChanged(FriendListChanged {
        friend_list: List(list),
        action: list_change::REMOVED,
    })
}

pub async fn check_relation(
    ctx: &Ctx,
    r: FriendsScoped,
) -> Result<FriendsRelationChecked, Refusal> {
    let users = user_list("checkFriendsRelation", &r.user_ids)?;
    let both = both_sides(r.kind)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let infos = run(ctx, move |s| {
        let mut infos = Vec::with_capacity(users.len());
        for u in users {
            let mine = s.friend(app, &me, &u)?.is_some();
            let kind = if both {
                let theirs = s.friend(app, &u, &me)?.is_some();
                match (mine, theirs) {
                    (true, true) => user_relation::BOTH_ALL_HAVE,
                    (true, false) => user_relation::BOTH_SELF_HAVE,
                    (false, true) => user_relation::BOTH_OTHER_HAVE,
                    (false, false) => user_relation::BOTH_ALL_NO,
                }
            } else if mine {
                user_relation::SINGLE_HAVE
            } else {
                user_relation::SINGLE_NO
            };
            infos.push(FriendRelationInfo { kind, user_id: u });
        }
        Ok(Ok((infos, Told::default())))
    })
    .await?;
    Ok(FriendsRelationChecked {
        relation_infos: List(infos),
        error_user_list: List(Vec::new()),
    })
}

/// Changes what `ctx`'s user keeps about friend `friend` and tells their session.
async fn update(
    ctx: &Ctx,
    friend: String,
    change: impl FnOnce(&mut FriendRow) + Send + Sync + 'static,
) -> Result<FriendInfoResult, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let info = run(ctx, move |s| {
        let Some(mut row) = s.friend(app, &me, &friend)? else {
            return deny(friend_code::NOT_YOUR_FRIEND, "not a friend");
        };
        change(&mut row);
        s.put_friend(app, &row)?;
        let info = friend_info_of(s, app, &row)?;
        let mut told = Told::default();
        told.tell(
            &me,
            Notice::FriendInfoUpdated(FriendInfoUpdated {
                friend_list: List(vec![info.clone()]),
            }),
        );
        Ok(Ok((info, told)))
    })
    .await?;
    tracing::info!(app, user = %ctx.user_id, friend = %info.user_id, "friend info updated");
    Ok(FriendInfoResult { friend_info: info })
}

pub async fn update_alias(ctx: &Ctx, r: FriendAliasUpdate) -> Result<FriendInfoResult, Refusal> {
    let alias = r.friend_alias.0;
    update(ctx, r.user_id.0, move |row| row.alias = alias).await
}

/// The given attributes are set; the others stay (an empty value is kept as empty).
pub async fn update_attributes(
    ctx: &Ctx,
    r: FriendAttributesUpdate,
) -> Result<FriendInfoResult, Refusal> {
    check_attributes(&r.friend_attributes)?;
    let attributes = r.friend_attributes;
    update(ctx, r.user_id.0, move |row| {
        row.attributes.extend(attributes)
    })
    .await
}

pub async fn query_info(ctx: &Ctx, q: FriendsInfoQuery) -> Result<FriendsInfoQueried, Refusal> {
    let users = user_list("queryFriendsInfo", &q.user_ids)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let (infos, errors) = run(ctx, move |s| {
        let (mut infos, mut errors) = (Vec::new(), Vec::new());
        for u in &users {
            match s.friend(app, &me, u)? {
                Some(row) => infos.push(friend_info_of(s, app, &row)?),
                None => errors.push(error_user(u, friend_code::NOT_YOUR_FRIEND)),
            }
        }
        Ok(Ok(((infos, errors), Told::default())))
    })
    .await?;
    Ok(FriendsInfoQueried {
        friend_infos: List(infos),
        error_user_list: List(errors),
    })
}

pub async fn query_list(ctx: &Ctx, q: PageQuery) -> Result<FriendListQueried, Refusal> {
    let count = page_size(q.count)?;
    let (app, me) = (ctx.app, ctx.user_id.clone());
    run(ctx, move |s| {
        let mut rows = s.friends_after(app, &me, q.next_flag, count + 1)?;
        let next_flag = page(&mut rows, count, |r| r.id);
        let ids: Vec<String> = rows.iter().map(|r| r.friend.clone()).collect();
        let found = profiles(s, app, &ids)?;
        let friend_list = rows
            .iter()
            .map(|r| friend_info(r, found.get(&r.friend)))
            .collect();
        Ok(Ok((
            FriendListQueried {
                friend_list: List(friend_list),
                next_flag,
            },
            Told::default(),
        )))
    })
    .await
}
