//! Rooms on the method path: creating and entering with ZIM's advanced config, switching,
//! leaving every room, member queries, and room and room-member attributes. The room state
//! and its rules are [`crate::rooms`] and [`crate::room_attributes`]; this turns ZIM's
//! arguments into calls on them and their outcome into ZIM's results and codes.
//! (`joinRoom`, `leaveRoom`, member pages and counts are the session's room frames.)

use tinyim_protocol::areas::{
    ErrorUserInfo, RoomAllLeft, RoomAttributesBatch, RoomAttributesBatchOperated,
    RoomAttributesDelete, RoomAttributesOperated, RoomAttributesQueried, RoomAttributesSet,
    RoomEntered, RoomEntry, RoomFullInfo, RoomIdArg, RoomInfo, RoomMemberAttributesInfo,
    RoomMemberAttributesListQueried, RoomMemberAttributesListQuery,
    RoomMemberAttributesOperatedInfo, RoomMembersAttributesOperated, RoomMembersAttributesQueried,
    RoomMembersAttributesSet, RoomMembersQueried, RoomSwitch, RoomUsersQuery, UserInfo,
};
use tinyim_protocol::limits::MAX_PAGE_COUNT;
use tinyim_protocol::{code, Empty, List, User};

use crate::room_attributes::{attr_code, Change, RoomAttributes, SetRules};
use crate::rooms::{JoinMode, Joiner};
use crate::rpc::{Ctx, Refusal};

/// Most users one `queryRoomMembers` asks for (ZIM's limit).
const MAX_QUERY_MEMBERS: usize = 10;
/// Most users one `queryRoomMembersAttributes` asks for (ZIM's limit).
const MAX_QUERY_MEMBER_ATTRIBUTES: usize = 100;

/// ZIM's code as a refusal that says what it means.
fn refused(c: u32) -> Refusal {
    let what = match c {
        code::USER_NOT_IN_ROOM => "not a member of this room",
        code::ROOM_DOES_NOT_EXIST => "room does not exist",
        code::ROOM_ALREADY_EXISTS => "room already exists",
        code::PARAMS_INVALID => {
            "invalid arguments (an empty key or list, or a destroy delay over 10800 s)"
        }
        attr_code::FAILED_COMPLETELY => {
            "no attribute could be changed: other users own them (use isForce)"
        }
        attr_code::TOO_MANY => "a room has at most 20 attributes",
        attr_code::KEY_TOO_LONG => "room attribute keys are at most 16 bytes",
        attr_code::VALUE_TOO_LONG => "room attribute values are at most 1024 bytes",
        attr_code::TOTAL_TOO_LONG => "a room's attributes are at most 5120 bytes in all",
        attr_code::MEMBER_TOTAL_TOO_LONG => {
            "a member has at most 30 attributes of 144 bytes in all"
        }
        attr_code::MEMBER_KEY_TOO_LONG => "member attribute keys are at most 8 bytes",
        attr_code::MEMBER_VALUE_TOO_LONG => "member attribute values are at most 64 bytes",
        attr_code::MEMBER_COUNT => "at most 500 members of a room have attributes",
        _ => "room error",
    };
    Refusal::new(c, what)
}

fn entered(room_id: String, room_name: String) -> RoomEntered {
    RoomEntered {
        room_info: RoomFullInfo {
            base_info: RoomInfo { room_id, room_name },
        },
    }
}

fn strings<T: std::ops::Deref<Target = str>>(list: &[T]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// `createRoom` / `enterRoom` with ZIM's advanced config.
pub async fn enter(ctx: &Ctx, r: RoomEntry, mode: JoinMode) -> Result<RoomEntered, Refusal> {
    let user = User {
        user_id: ctx.user_id.clone(),
        user_name: ctx.user_name.clone(),
    };
    let (id, name) = (&r.room_info.room_id, &r.room_info.room_name);
    let who = Joiner {
        user: &user,
        link: &ctx.link,
    };
    let room_name = ctx
        .shared
        .rooms
        .enter(ctx.app, id, name, mode, r.config.as_ref(), who)
        .map_err(refused)?;
    tracing::info!(app = ctx.app, user = %ctx.user_id, room_id = %id, ?mode, "room entered");
    Ok(entered(id.0.clone(), room_name))
}

pub async fn switch(ctx: &Ctx, r: RoomSwitch) -> Result<RoomEntered, Refusal> {
    let user = User {
        user_id: ctx.user_id.clone(),
        user_name: ctx.user_name.clone(),
    };
    let to = &r.to_room_info;
    let who = Joiner {
        user: &user,
        link: &ctx.link,
    };
    let room_name = ctx
        .shared
        .rooms
        .switch(
            ctx.app,
            &r.from_room_id,
            (&to.room_id, &to.room_name),
            r.is_create_when_room_not_existed,
            r.config.as_ref(),
            who,
        )
        .map_err(refused)?;
    tracing::info!(app = ctx.app, user = %ctx.user_id, from = %r.from_room_id, to = %to.room_id, "room switched");
    Ok(entered(to.room_id.0.clone(), room_name))
}

pub async fn leave_all(ctx: &Ctx, _: Empty) -> Result<RoomAllLeft, Refusal> {
    let rooms = ctx.shared.rooms.leave_all(ctx.app, &ctx.user_id);
    tracing::info!(app = ctx.app, user = %ctx.user_id, rooms = rooms.len(), "left every room");
    Ok(RoomAllLeft {
        room_ids: List(rooms),
    })
}

/// `queryRoomMembers`: names from the room, avatars and extended data from the profiles.
pub async fn query_members(ctx: &Ctx, q: RoomUsersQuery) -> Result<RoomMembersQueried, Refusal> {
    if q.user_ids.is_empty() || q.user_ids.len() > MAX_QUERY_MEMBERS {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "queryRoomMembers takes 1 to 10 user IDs a call",
        ));
    }
    let (found, missing) = ctx
        .shared
        .rooms
        .members_named(ctx.app, &q.room_id, &ctx.user_id, &strings(&q.user_ids))
        .map_err(refused)?;
    let app = ctx.app;
    let ids: Vec<String> = found.iter().map(|u| u.user_id.clone()).collect();
    let profiles = ctx
        .shared
        .store
        .run(move |s| s.user_profiles(app, &ids))
        .await?;
    let member_list = found
        .into_iter()
        .map(|u| {
            let p = profiles.iter().find(|p| p.user_id == u.user_id);
            UserInfo {
                user_avatar_url: p.map(|p| p.avatar_url.clone()).unwrap_or_default(),
                user_extended_data: p.map(|p| p.extended_data.clone()).unwrap_or_default(),
                user_id: u.user_id,
                user_name: u.user_name,
            }
        })
        .collect::<Vec<_>>();
    let error_user_list = missing
        .into_iter()
        .map(|user_id| ErrorUserInfo {
            user_id,
            reason: code::USER_NOT_IN_ROOM,
        })
        .collect::<Vec<_>>();
    Ok(RoomMembersQueried {
        room_id: q.room_id.0,
        member_list: member_list.into(),
        error_user_list: error_user_list.into(),
    })
}

/// Runs the attribute change `f` for the caller in `room_id`; returns the refused keys.
fn change(
    ctx: &Ctx,
    room_id: &str,
    batch: bool,
    f: impl FnOnce(&mut RoomAttributes, &str) -> Result<Change, u32>,
) -> Result<List<String>, Refusal> {
    let me = &ctx.user_id;
    let error_keys = ctx
        .shared
        .rooms
        .change_attributes(ctx.app, room_id, me, batch, |a| f(a, me))
        .map_err(refused)?;
    tracing::debug!(app = ctx.app, user = %me, room_id, batch, "room attributes changed");
    Ok(List(error_keys))
}

pub async fn set_attributes(
    ctx: &Ctx,
    r: RoomAttributesSet,
) -> Result<RoomAttributesOperated, Refusal> {
    let rules = SetRules::from(&r.config);
    let error_keys = change(ctx, &r.room_id, false, |a, me| {
        a.set(&r.room_attributes, me, rules)
    })?;
    Ok(RoomAttributesOperated {
        room_id: r.room_id.0,
        error_keys,
    })
}

pub async fn delete_attributes(
    ctx: &Ctx,
    r: RoomAttributesDelete,
) -> Result<RoomAttributesOperated, Refusal> {
    let error_keys = change(ctx, &r.room_id, false, |a, me| {
        a.delete(&r.keys, me, r.config.is_force)
    })?;
    Ok(RoomAttributesOperated {
        room_id: r.room_id.0,
        error_keys,
    })
}

/// `endRoomAttributesBatchOperation`: the collected operations, at once, one notice.
pub async fn batch(
    ctx: &Ctx,
    r: RoomAttributesBatch,
) -> Result<RoomAttributesBatchOperated, Refusal> {
    let rules = SetRules::from(&r.config);
    let error_keys = change(ctx, &r.room_id, true, |a, me| {
        a.apply(&r.operations, me, rules)
    })?;
    Ok(RoomAttributesBatchOperated {
        room_id: r.room_id.0,
        error_keys,
    })
}

pub async fn query_attributes(ctx: &Ctx, r: RoomIdArg) -> Result<RoomAttributesQueried, Refusal> {
    let room_attributes = ctx
        .shared
        .rooms
        .attributes(ctx.app, &r.room_id, &ctx.user_id)
        .map_err(refused)?;
    Ok(RoomAttributesQueried {
        room_id: r.room_id.0,
        room_attributes,
    })
}

fn infos(list: Vec<(String, tinyim_protocol::areas::Attributes)>) -> Vec<RoomMemberAttributesInfo> {
    list.into_iter()
        .map(|(user_id, attributes)| RoomMemberAttributesInfo {
            user_id,
            attributes,
        })
        .collect()
}

pub async fn set_member_attributes(
    ctx: &Ctx,
    r: RoomMembersAttributesSet,
) -> Result<RoomMembersAttributesOperated, Refusal> {
    let out = ctx
        .shared
        .rooms
        .set_member_attributes(
            ctx.app,
            &r.room_id,
            &ctx.user_id,
            &r.attributes,
            &strings(&r.user_ids),
            r.config.is_delete_after_owner_left.unwrap_or(true),
        )
        .map_err(refused)?;
    tracing::debug!(app = ctx.app, user = %ctx.user_id, room_id = %r.room_id, "room member attributes set");
    let infos = infos(out.set)
        .into_iter()
        .map(|attributes_info| RoomMemberAttributesOperatedInfo {
            attributes_info,
            error_keys: List::default(),
        })
        .collect::<Vec<_>>();
    Ok(RoomMembersAttributesOperated {
        room_id: r.room_id.0,
        infos: infos.into(),
        error_user_list: List(out.error_users),
    })
}

pub async fn query_member_attributes(
    ctx: &Ctx,
    q: RoomUsersQuery,
) -> Result<RoomMembersAttributesQueried, Refusal> {
    if q.user_ids.is_empty() || q.user_ids.len() > MAX_QUERY_MEMBER_ATTRIBUTES {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "queryRoomMembersAttributes takes 1 to 100 user IDs a call",
        ));
    }
    let found = ctx
        .shared
        .rooms
        .member_attributes(ctx.app, &q.room_id, &ctx.user_id, &strings(&q.user_ids))
        .map_err(refused)?;
    Ok(RoomMembersAttributesQueried {
        room_id: q.room_id.0,
        infos: infos(found).into(),
    })
}

pub async fn query_member_attributes_list(
    ctx: &Ctx,
    q: RoomMemberAttributesListQuery,
) -> Result<RoomMemberAttributesListQueried, Refusal> {
    let count = q.config.count;
    if count == 0 || count > MAX_PAGE_COUNT {
        return Err(Refusal::new(code::PARAMS_INVALID, "count must be 1 to 100"));
    }
    let (page, next_flag) = ctx
        .shared
        .rooms
        .member_attributes_page(
            ctx.app,
            &q.room_id,
            &ctx.user_id,
            &q.config.next_flag,
            count as usize,
        )
        .map_err(refused)?;
    Ok(RoomMemberAttributesListQueried {
        room_id: q.room_id.0,
        infos: infos(page).into(),
        next_flag,
    })
}
