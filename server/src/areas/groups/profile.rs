//! A group's profile (name, avatar, notice, the caller's alias), its join and invite modes,
//! attributes, member roles and nicknames, and mute (the group's and its members').
//!
//! Each change is told to every member with ZIM's event for it, except the alias, which is
//! personal and told to its owner only.

use std::collections::BTreeMap;

use tinyim_protocol::areas::*;
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, List};

use super::*;

/// Most attributes a group may have (ZIM: 10).
pub const MAX_ATTRIBUTES: usize = 10;
/// Longest attribute key, in bytes.
pub const MAX_ATTRIBUTE_KEY_LEN: usize = 64;
/// Longest attribute value, in bytes.
pub const MAX_ATTRIBUTE_VALUE_LEN: usize = 1024;

/// Checks attribute keys and values against the limits (ZIM's codes 6000532 / 6000533), and
/// that a group would have at most 10 of them (`total`; 6000531).
pub(crate) fn check_attributes<'a>(
    attrs: impl Iterator<Item = (&'a String, &'a String)>,
    total: usize,
) -> Result<(), Refusal> {
    for (k, v) in attrs {
        if k.is_empty() || k.len() > MAX_ATTRIBUTE_KEY_LEN {
            return Err(Refusal::new(
                code::GROUP_ATTRIBUTE_KEY_LENGTH_LIMIT,
                "an attribute key must be 1 to 64 bytes",
            ));
        }
        if v.len() > MAX_ATTRIBUTE_VALUE_LEN {
            return Err(Refusal::new(
                code::GROUP_ATTRIBUTE_VALUE_LENGTH_LIMIT,
                "an attribute value must be at most 1024 bytes",
            ));
        }
    }
    if total > MAX_ATTRIBUTES {
        return Err(Refusal::new(
            code::GROUP_ATTRIBUTES_COUNT_LIMIT,
            "a group has at most 10 attributes",
        ));
    }
    Ok(())
}

/// `told` with one notice for the members.
fn to_members(n: Notice) -> Told {
    let mut told = Told::default();
    told.members(n);
    told
}

/// Sets one of the group's texts (`set`), and tells every member with `notice(group ID,
/// text, who)`. Any member may.
async fn update_text(
    ctx: &Ctx,
    group_id: &str,
    text: String,
    set: fn(&mut GroupRow, String),
    notice: fn(String, String, GroupOperatedInfo) -> Notice,
) -> Result<(), Refusal> {
    let app = ctx.app;
    ctx.member_change(group_id, move |s, g, m| {
        set(g, text.clone());
        s.put_group(app, g)?;
        let n = notice(g.group_id.clone(), text, operated(s, app, m)?);
        Ok(Ok(((), to_members(n))))
    })
    .await
}

pub async fn update_name(ctx: &Ctx, u: GroupNameUpdate) -> Result<GroupNameResult, Refusal> {
    let (group_id, group_name) = (u.group_id.0, u.group_name.0);
    update_text(
        ctx,
        &group_id,
        group_name.clone(),
        |g, v| g.name = v,
        |group_id, group_name, operated_info| {
            Notice::GroupNameUpdated(GroupNameUpdatedEvent {
                group_id,
                group_name,
                operated_info,
            })
        },
    )
    .await?;
    Ok(GroupNameResult {
        group_id,
        group_name,
    })
}

pub async fn update_avatar(
    ctx: &Ctx,
    u: GroupAvatarUrlUpdate,
) -> Result<GroupAvatarUrlResult, Refusal> {
    let (group_id, group_avatar_url) = (u.group_id.0, u.group_avatar_url.0);
    update_text(
        ctx,
        &group_id,
        group_avatar_url.clone(),
        |g, v| g.avatar_url = v,
        |group_id, group_avatar_url, operated_info| {
            Notice::GroupAvatarUrlUpdated(GroupAvatarUrlUpdatedEvent {
                group_id,
                group_avatar_url,
                operated_info,
            })
        },
    )
    .await?;
    Ok(GroupAvatarUrlResult {
        group_id,
        group_avatar_url,
    })
}

pub async fn update_notice(ctx: &Ctx, u: GroupNoticeUpdate) -> Result<GroupNoticeResult, Refusal> {
    let (group_id, group_notice) = (u.group_id.0, u.group_notice.0);
    update_text(
        ctx,
        &group_id,
        group_notice.clone(),
        |g, v| g.notice = v,
        |group_id, group_notice, operated_info| {
            Notice::GroupNoticeUpdated(GroupNoticeUpdatedEvent {
                group_id,
                group_notice,
                operated_info,
            })
        },
    )
    .await?;
    Ok(GroupNoticeResult {
        group_id,
        group_notice,
    })
}

pub async fn update_alias(ctx: &Ctx, u: GroupAliasUpdate) -> Result<GroupAliasResult, Refusal> {
    let (app, alias) = (ctx.app, u.group_alias.0);
    ctx.member_change(&u.group_id.0, move |s, g, m| {
        s.set_alias(app, &m.user_id, &g.group_id, &alias)?;
        let mut told = Told::default();
        told.users(
            vec![m.user_id.clone()],
            Notice::GroupAliasUpdated(GroupAliasUpdatedEvent {
                group_id: g.group_id.clone(),
                group_alias: alias.clone(),
                operated_user_id: m.user_id.clone(),
            }),
        );
        let r = GroupAliasResult {
            group_id: g.group_id.clone(),
            group_alias: alias,
        };
        Ok(Ok((r, told)))
    })
    .await
}

/// Which of the three modes a mode update sets.
#[derive(Clone, Copy)]
pub enum Mode {
    Join,
    Invite,
    BeInvite,
}

pub async fn update_mode(
    ctx: &Ctx,
    u: GroupModeUpdate,
    which: Mode,
) -> Result<GroupModeResult, Refusal> {
    let max = match which {
        Mode::Join => join_mode::FORBID,
        Mode::Invite => invite_mode::ADMIN,
        Mode::BeInvite => be_invite_mode::AUTH,
    };
    if u.mode > max {
        return Err(Refusal::new(code::PARAMS_INVALID, "mode is out of range"));
    }
    let (app, mode) = (ctx.app, u.mode);
    ctx.member_change(&u.group_id.0, move |s, g, m| {
        if let Err(r) = require_rank(m, 1) {
            return Ok(Err(r));
        }
        match which {
            Mode::Join => g.join_mode = mode,
            Mode::Invite => g.invite_mode = mode,
            Mode::BeInvite => g.be_invite_mode = mode,
        }
        s.put_group(app, g)?;
        let n = Notice::GroupVerifyInfoUpdated(GroupVerifyInfoUpdatedEvent {
            group_id: g.group_id.clone(),
            verify_info: verify_info(g),
            operated_info: operated(s, app, m)?,
        });
        let r = GroupModeResult {
            group_id: g.group_id.clone(),
            mode,
        };
        Ok(Ok((r, to_members(n))))
    })
    .await
}

pub async fn set_attributes(
    ctx: &Ctx,
    a: GroupAttributesSet,
) -> Result<GroupAttributesOperatedResult, Refusal> {
    check_attributes(a.group_attributes.iter(), 0)?;
    let (app, attrs) = (ctx.app, a.group_attributes);
    ctx.member_change(&a.group_id.0, move |s, g, m| {
        let r = GroupAttributesOperatedResult {
            group_id: g.group_id.clone(),
            error_keys: List::default(),
        };
        if attrs.is_empty() {
            return Ok(Ok((r, Told::default())));
        }
        let existing = s.attributes(app, &g.group_id)?;
        let added = attrs
            .keys()
            .filter(|k| !existing.iter().any(|(e, _)| e == *k))
            .count();
        if let Err(e) = check_attributes(std::iter::empty(), existing.len() + added) {
            return Ok(Err(e));
        }
        for (k, v) in &attrs {
            s.set_attribute(app, &g.group_id, k, v)?;
        }
        let n = Notice::GroupAttributesUpdated(GroupAttributesUpdatedEvent {
            group_id: g.group_id.clone(),
            info_list: List(vec![GroupAttributesUpdateInfo {
                action: attributes_action::SET,
                group_attributes: attrs,
            }]),
            operated_info: operated(s, app, m)?,
        });
        Ok(Ok((r, to_members(n))))
    })
    .await
}

pub async fn delete_attributes(
    ctx: &Ctx,
    a: GroupAttributeKeys,
) -> Result<GroupAttributesOperatedResult, Refusal> {
    let (app, keys) = (ctx.app, a.keys.0);
    ctx.member_change(&a.group_id.0, move |s, g, m| {
        let mut deleted = BTreeMap::new();
        let mut missing = Vec::new();
        for k in &keys {
            if s.delete_attribute(app, &g.group_id, k)? {
                deleted.insert(k.clone(), String::new());
            } else if !missing.contains(k) && !deleted.contains_key(k) {
                missing.push(k.clone());
            }
        }
        let mut told = Told::default();
        if !deleted.is_empty() {
            told.members(Notice::GroupAttributesUpdated(
                GroupAttributesUpdatedEvent {
                    group_id: g.group_id.clone(),
                    info_list: List(vec![GroupAttributesUpdateInfo {
                        action: attributes_action::DELETE,
                        group_attributes: deleted,
                    }]),
                    operated_info: operated(s, app, m)?,
                },
            ));
        }
        let r = GroupAttributesOperatedResult {
            group_id: g.group_id.clone(),
            error_keys: List(missing),
        };
        Ok(Ok((r, told)))
    })
    .await
}

/// The group's attributes (all of them, or those of `keys` that exist), for a member.
async fn attributes(
    ctx: &Ctx,
    group_id: String,
    keys: Option<Vec<String>>,
) -> Result<GroupAttributesResult, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    ctx.group_op(move |s| {
        check!(group_of(s, app, &group_id));
        check!(member_of(s, app, &group_id, &me));
        let all = s.attributes(app, &group_id)?;
        let group_attributes = all
            .into_iter()
            .filter(|(k, _)| keys.as_ref().is_none_or(|keys| keys.contains(k)))
            .collect();
        Ok(Ok(GroupAttributesResult {
            group_id,
            group_attributes,
        }))
    })
    .await
}

pub async fn query_attributes(
    ctx: &Ctx,
    a: GroupAttributeKeys,
) -> Result<GroupAttributesResult, Refusal> {
    attributes(ctx, a.group_id.0, Some(a.keys.0)).await
}

pub async fn query_all_attributes(
    ctx: &Ctx,
    a: GroupIdArg,
) -> Result<GroupAttributesResult, Refusal> {
    attributes(ctx, a.group_id.0, None).await
}

/// Runs a change of the member `target` of a group by the caller `m`, who may make it if
/// `allowed(caller, target)`; saves the target and tells every member
/// (`groupMemberInfoUpdated`).
async fn change_member<F>(
    ctx: &Ctx,
    group_id: &str,
    target: &str,
    allowed: fn(&MemberRow, &MemberRow) -> bool,
    edit: F,
) -> Result<(), Refusal>
where
    F: FnOnce(&mut MemberRow) + Send + Sync + 'static,
{
    let (app, target) = (ctx.app, target.to_owned());
    ctx.member_change(group_id, move |s, g, m| {
        let mut t = check!(member_of(s, app, &g.group_id, &target));
        if !allowed(m, &t) {
            return deny(
                code::GROUP_NO_AUTHORITY,
                "the caller's role does not allow this change of that member",
            );
        }
        edit(&mut t);
        s.put_member(app, &g.group_id, &t)?;
        let by = operated(s, app, if t.user_id == m.user_id { &t } else { m })?;
        let mut told = Told::default();
        told.member_info_updated(s, app, &g.group_id, &[t], by)?;
        Ok(Ok(((), told)))
    })
    .await
}

pub async fn set_member_role(
    ctx: &Ctx,
    r: GroupMemberRoleSet,
) -> Result<GroupMemberRoleResult, Refusal> {
    if r.role == role::OWNER || r.role == 0 {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "role must be 2 (admin), 3 (member) or an app-defined role; transferGroupOwner moves the owner",
        ));
    }
    let new_role = r.role;
    // The owner sets the roles of others.
    change_member(
        ctx,
        &r.group_id.0,
        &r.for_user_id.0,
        |op, t| rank(op.role) == 2 && t.user_id != op.user_id,
        move |t| t.role = new_role,
    )
    .await?;
    Ok(GroupMemberRoleResult {
        group_id: r.group_id.0,
        for_user_id: r.for_user_id.0,
        role: r.role,
    })
}

pub async fn set_member_nickname(
    ctx: &Ctx,
    n: GroupMemberNicknameSet,
) -> Result<GroupMemberNicknameResult, Refusal> {
    let nickname = n.nickname.0.clone();
    // One's own; an admin a regular member's; the owner anyone's.
    change_member(
        ctx,
        &n.group_id.0,
        &n.for_user_id.0,
        |op, t| t.user_id == op.user_id || rank(op.role) > rank(t.role),
        move |t| t.nickname = nickname,
    )
    .await?;
    Ok(GroupMemberNicknameResult {
        group_id: n.group_id.0,
        for_user_id: n.for_user_id.0,
        nickname: n.nickname.0,
    })
}

pub async fn mute(ctx: &Ctx, q: GroupMute) -> Result<GroupMutedResult, Refusal> {
    let now = now_secs();
    let unmute = !q.is_mute || q.mode == mute_mode::NONE;
    let (mode, expire, roles) = if unmute {
        (mute_mode::NONE, 0, Vec::new())
    } else {
        if q.mode > mute_mode::CUSTOM {
            return Err(Refusal::new(code::PARAMS_INVALID, "mode must be 0 to 3"));
        }
        let roles = if q.mode == mute_mode::CUSTOM {
            if q.roles.is_empty() || q.roles.len() > 20 {
                return Err(Refusal::new(
                    code::PARAMS_INVALID,
                    "roles must list 1 to 20 roles for the custom mode",
                ));
            }
            q.roles.0.clone()
        } else {
            Vec::new()
        };
        (q.mode, mute_until(q.duration, now)?, roles)
    };
    let app = ctx.app;
    ctx.member_change(&q.group_id.0, move |s, g, m| {
        if let Err(r) = require_rank(m, 1) {
            return Ok(Err(r));
        }
        // Muting everyone (the owner too), or the owner's role, is the owner's.
        let touches_owner = mode == mute_mode::ALL || roles.contains(&role::OWNER);
        if touches_owner {
            if let Err(r) = require_rank(m, 2) {
                return Ok(Err(r));
            }
        }
        g.mute_mode = mode;
        g.mute_expire = expire;
        g.mute_roles = roles;
        s.put_group(app, g)?;
        let muted_info = mute_info(g, now);
        let n = Notice::GroupMutedInfoUpdated(GroupMutedInfoUpdatedEvent {
            group_id: g.group_id.clone(),
            muted_info: muted_info.clone(),
            operated_info: operated(s, app, m)?,
        });
        let r = GroupMutedResult {
            group_id: g.group_id.clone(),
            is_mute: !unmute,
            muted_info,
        };
        Ok(Ok((r, to_members(n))))
    })
    .await
}

pub async fn mute_members(
    ctx: &Ctx,
    q: GroupMembersMute,
) -> Result<GroupMembersMutedResult, Refusal> {
    let users = user_list(&q.user_ids)?;
    let now = now_secs();
    let expire = if q.is_mute {
        mute_until(q.duration, now)?
    } else {
        0
    };
    let (app, is_mute, duration) = (ctx.app, q.is_mute, if q.is_mute { q.duration } else { 0 });
    ctx.member_change(&q.group_id.0, move |s, g, m| {
        if let Err(r) = require_rank(m, 1) {
            return Ok(Err(r));
        }
        let (mut changed, errors) = lower_ranked(s, app, &g.group_id, m, &users)?;
        for t in &mut changed {
            t.mute_expire = expire;
            s.put_member(app, &g.group_id, t)?;
        }
        let mut told = Told::default();
        if !changed.is_empty() {
            let by = operated(s, app, m)?;
            told.member_info_updated(s, app, &g.group_id, &changed, by)?;
        }
        let r = GroupMembersMutedResult {
            group_id: g.group_id.clone(),
            is_mute,
            duration,
            muted_user_ids: List(changed.into_iter().map(|t| t.user_id).collect()),
            error_user_list: List(errors),
        };
        Ok(Ok((r, told)))
    })
    .await
}

pub async fn query_muted_list(
    ctx: &Ctx,
    q: GroupMemberPageQuery,
) -> Result<GroupMemberListResult, Refusal> {
    super::lifecycle::member_page(ctx, q, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_limits_carry_zims_codes() {
        let ok = BTreeMap::from([("k".to_owned(), "v".to_owned())]);
        assert!(check_attributes(ok.iter(), 1).is_ok());
        let long_key = BTreeMap::from([("k".repeat(65), String::new())]);
        assert_eq!(
            check_attributes(long_key.iter(), 1).unwrap_err().code,
            code::GROUP_ATTRIBUTE_KEY_LENGTH_LIMIT
        );
        let long_value = BTreeMap::from([("k".to_owned(), "v".repeat(1025))]);
        assert_eq!(
            check_attributes(long_value.iter(), 1).unwrap_err().code,
            code::GROUP_ATTRIBUTE_VALUE_LENGTH_LIMIT
        );
        assert_eq!(
            check_attributes(std::iter::empty(), 11).unwrap_err().code,
            code::GROUP_ATTRIBUTES_COUNT_LIMIT
        );
    }
}
