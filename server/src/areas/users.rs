//! Users: profiles and the user's own settings. Anyone in the app may read a known user's
//! profile; only the user changes their own, and their session is told (`userInfoUpdated`,
//! `userRuleUpdated`) as ZIM does. The settings (offline push rule, badge) are kept and
//! returned: tinyim has no push vendor to apply them to. Presence is in
//! [`super::presence`].

use tinyim_protocol::areas::{
    ErrorUserInfo, SelfUserInfo, SelfUserInfoBody, UserAvatarUrlUpdate, UserBadgeUpdate,
    UserExtendedDataUpdate, UserFullInfo, UserInfo, UserInfoUpdated, UserNameUpdate,
    UserOfflinePushRule, UserOfflinePushRuleUpdate, UserRule, UserRuleUpdated, UsersInfo,
    UsersInfoQuery,
};
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, Empty, List};

use crate::rpc::{Ctx, Refusal};
use crate::server::now_millis;
use crate::store::users::{Profile, ProfileChange, Settings};

/// Most platforms one list of an offline push rule names (ZIM has ten platform types).
const MAX_RULE_PLATFORMS: usize = 16;

/// Most users one `queryUsersInfo` asks for (ZIM's limit).
const MAX_QUERY_USERS: usize = 10;

/// ZIM's full user info from a stored profile.
pub fn full_info(p: &Profile) -> UserFullInfo {
    UserFullInfo {
        base_info: UserInfo {
            user_id: p.user_id.clone(),
            user_name: p.user_name.clone(),
            user_avatar_url: p.avatar_url.clone(),
            user_extended_data: p.extended_data.clone(),
        },
        user_avatar_url: p.avatar_url.clone(),
        extended_data: p.extended_data.clone(),
    }
}

/// ZIM's user rule from stored settings.
fn rule(s: &Settings) -> UserOfflinePushRule {
    UserOfflinePushRule {
        online_platforms: List(s.online_platforms.clone()),
        not_to_receive_offline_push_platforms: List(s.no_push_platforms.clone()),
    }
}

pub async fn query_self(ctx: &Ctx) -> Result<SelfUserInfo, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let (mut found, settings) = ctx
        .shared
        .store
        .run(move |s| {
            Ok((
                s.user_profiles(app, std::slice::from_ref(&me))?,
                s.user_settings(app, &me)?,
            ))
        })
        .await?;
    let p = found.pop().unwrap_or_else(|| Profile {
        user_id: ctx.user_id.clone(),
        ..Profile::default()
    });
    let user_status = ctx
        .shared
        .registry
        .presence
        .status(app, &ctx.user_id, now_millis());
    Ok(SelfUserInfo {
        self_user_info: SelfUserInfoBody {
            user_full_info: full_info(&p),
            user_rule: UserRule {
                offline_push_rule: rule(&settings),
            },
            user_status,
        },
    })
}

pub async fn query(ctx: &Ctx, q: UsersInfoQuery) -> Result<UsersInfo, Refusal> {
    if q.user_ids.is_empty() || q.user_ids.len() > MAX_QUERY_USERS {
        return Err(Refusal::new(
            code::USER_INFO_QUERIED_LIMIT,
            "queryUsersInfo takes 1 to 10 user IDs a call",
        ));
    }
    let app = ctx.app;
    let asked: Vec<String> = q.user_ids.iter().map(|u| u.0.clone()).collect();
    let wanted = asked.clone();
    let found = ctx
        .shared
        .store
        .run(move |s| s.user_profiles(app, &wanted))
        .await?;
    let missing = asked
        .into_iter()
        .filter(|u| !found.iter().any(|p| &p.user_id == u))
        .map(|user_id| ErrorUserInfo {
            user_id,
            reason: code::USER_NOT_EXIST,
        });
    Ok(UsersInfo {
        user_list: List(found.iter().map(full_info).collect()),
        error_user_list: List(missing.collect()),
    })
}

/// Applies `change` to the caller's profile and tells their session.
async fn update(ctx: &Ctx, change: ProfileChange) -> Result<Profile, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let p = ctx
        .shared
        .store
        .run(move |s| s.update_user_profile(app, &me, &change))
        .await?;
    tracing::info!(app, user = %ctx.user_id, "user profile updated");
    ctx.notify(
        &ctx.user_id,
        &Notice::UserInfoUpdated(UserInfoUpdated {
            info: full_info(&p),
        }),
    );
    Ok(p)
}

pub async fn update_name(ctx: &Ctx, u: UserNameUpdate) -> Result<UserNameUpdate, Refusal> {
    update(ctx, ProfileChange::Name(u.user_name.0.clone())).await?;
    Ok(u)
}

pub async fn update_avatar(
    ctx: &Ctx,
    u: UserAvatarUrlUpdate,
) -> Result<UserAvatarUrlUpdate, Refusal> {
    update(ctx, ProfileChange::AvatarUrl(u.user_avatar_url.0.clone())).await?;
    Ok(u)
}

pub async fn update_extended_data(
    ctx: &Ctx,
    u: UserExtendedDataUpdate,
) -> Result<UserExtendedDataUpdate, Refusal> {
    update(ctx, ProfileChange::ExtendedData(u.extended_data.0.clone())).await?;
    Ok(u)
}

pub async fn update_push_rule(
    ctx: &Ctx,
    u: UserOfflinePushRuleUpdate,
) -> Result<UserOfflinePushRuleUpdate, Refusal> {
    let r = &u.offline_push_rule;
    if r.online_platforms.len() > MAX_RULE_PLATFORMS
        || r.not_to_receive_offline_push_platforms.len() > MAX_RULE_PLATFORMS
    {
        return Err(Refusal::new(
            code::PARAMS_INVALID,
            "updateUserOfflinePushRule: a platform list names at most 16 platforms",
        ));
    }
    let (app, me) = (ctx.app, ctx.user_id.clone());
    let (online, no_push) = (
        r.online_platforms.0.clone(),
        r.not_to_receive_offline_push_platforms.0.clone(),
    );
    let settings = ctx
        .shared
        .store
        .run(move |s| s.update_user_push_rule(app, &me, &online, &no_push))
        .await?;
    tracing::info!(app, user = %ctx.user_id, "user offline push rule updated");
    let offline_push_rule = rule(&settings);
    ctx.notify(
        &ctx.user_id,
        &Notice::UserRuleUpdated(UserRuleUpdated {
            user_rule: UserRule {
                offline_push_rule: offline_push_rule.clone(),
            },
        }),
    );
    Ok(UserOfflinePushRuleUpdate { offline_push_rule })
}

pub async fn update_badge(ctx: &Ctx, u: UserBadgeUpdate) -> Result<Empty, Refusal> {
    let (app, me) = (ctx.app, ctx.user_id.clone());
    ctx.shared
        .store
        .run(move |s| s.update_user_badge(app, &me, u.badge))
        .await?;
    tracing::info!(app, user = %ctx.user_id, badge = u.badge, "user badge updated");
    Ok(Empty {})
}
