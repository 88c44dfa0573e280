//! The groups area against the real server, over raw `Call` frames: the owner, admin and
//! member rights with ZIM's codes, the join and invite modes, the limits, and a group of
//! 10,000 members (paged, and told about a change).

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use support::*;
use tinyim_protocol::areas::*;
use tinyim_protocol::rpc::{Call, Notice, Request, Response};
use tinyim_protocol::{code, Body, List};

/// A logged-in user speaking methods.
struct User {
    c: RawClient,
    id: String,
    next_call: u64,
}

impl User {
    async fn login(srv: &Server, id: &str) -> User {
        let (c, _) = RawClient::login(&srv.ws_url(), APP, id, &token(id), 0).await;
        User {
            c,
            id: id.to_owned(),
            next_call: 0,
        }
    }

    /// Calls a method: its response, or the refusal's code.
    async fn call(&mut self, req: Request) -> Result<Response, u32> {
        self.next_call += 1;
        let method = req.method();
        let f = self
            .c
            .request(Body::Call(Call {
                call_id: self.next_call,
                method,
                args: req.encode_args(),
            }))
            .await;
        match f.body {
            Body::Reply(r) => Ok(Response::decode(r.method, &r.body).unwrap()),
            Body::Error(e) => Err(e.code),
            other => panic!("{} got {other:?}", self.id),
        }
    }

    /// Waits for the next notice that `pick` accepts.
    async fn notice<T>(&mut self, pick: impl Fn(&Notice) -> Option<T>) -> T {
        let f = self
            .c
            .wait_for(|f| match &f.body {
                Body::Notify(n) => pick(&Notice::decode(n.notice, &n.body).unwrap()).is_some(),
                _ => false,
            })
            .await;
        let Body::Notify(n) = f.body else {
            unreachable!()
        };
        pick(&Notice::decode(n.notice, &n.body).unwrap()).unwrap()
    }
}

fn gid(id: &str) -> GroupIdArg {
    GroupIdArg {
        group_id: id.into(),
    }
}

fn users(ids: &[&str]) -> List<tinyim_protocol::ids::UserId> {
    List(ids.iter().map(|&u| u.into()).collect())
}

async fn create(owner: &mut User, id: &str, members: &[&str], config: GroupAdvancedConfig) {
    let r = owner
        .call(Request::CreateGroup(GroupCreate {
            group_info: GroupInfoInput {
                group_id: id.into(),
                group_name: "Team".into(),
                group_avatar_url: "".into(),
            },
            user_ids: users(members),
            config: Some(config),
        }))
        .await;
    assert!(matches!(r, Ok(Response::CreateGroup(_))), "{r:?}");
}

fn role_set(role: u32, user: &str, group: &str) -> Request {
    Request::SetGroupMemberRole(GroupMemberRoleSet {
        role,
        for_user_id: user.into(),
        group_id: group.into(),
    })
}

fn kick(who: &[&str], group: &str) -> Request {
    Request::KickGroupMembers(GroupUsersArg {
        user_ids: users(who),
        group_id: group.into(),
    })
}

fn errors(r: &Response) -> Vec<(String, u32)> {
    let list = match r {
        Response::KickGroupMembers(k) => &k.error_user_list,
        Response::MuteGroupMembers(m) => &m.error_user_list,
        Response::InviteUsersIntoGroup(i) => &i.error_user_list,
        other => panic!("{other:?}"),
    };
    list.iter().map(|e| (e.user_id.clone(), e.reason)).collect()
}

#[tokio::test]
async fn owner_admin_and_member_rights() {
    let srv = Server::start("groups-rights");
    let mut owner = User::login(&srv, "owner").await;
    let mut admin = User::login(&srv, "admin").await;
    let mut member = User::login(&srv, "member").await;
    create(
        &mut owner,
        "g1",
        &["admin", "member", "m2", "m3"],
        GroupAdvancedConfig::default(),
    )
    .await;

    // Roles: the owner's alone.
    assert_eq!(
        member
            .call(role_set(role::ADMIN, "member", "g1"))
            .await
            .err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    owner
        .call(role_set(role::ADMIN, "admin", "g1"))
        .await
        .unwrap();
    assert_eq!(
        admin.call(role_set(role::ADMIN, "m2", "g1")).await.err(),
        Some(code::GROUP_NO_AUTHORITY),
        "an admin does not set roles"
    );
    assert_eq!(
        owner.call(role_set(role::OWNER, "admin", "g1")).await.err(),
        Some(code::PARAMS_INVALID),
        "the owner moves by transferGroupOwner"
    );
    // Every member hears of the new admin.
    let seen = member
        .notice(|n| match n {
            Notice::GroupMemberInfoUpdated(u) => u
                .user_list
                .iter()
                .find(|m| m.user_id == "admin")
                .map(|m| m.member_role),
            _ => None,
        })
        .await;
    assert_eq!(seen, role::ADMIN);

    // Kicking: not a member's; an admin only regular members; the owner anyone else.
    assert_eq!(
        member.call(kick(&["m2"], "g1")).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    let r = admin
        .call(kick(&["m2", "owner", "nobody"], "g1"))
        .await
        .unwrap();
    assert_eq!(
        errors(&r),
        [
            ("owner".to_owned(), code::GROUP_NO_AUTHORITY),
            ("nobody".to_owned(), code::GROUP_USER_NOT_IN_GROUP)
        ]
    );
    let Response::KickGroupMembers(k) = &r else {
        unreachable!()
    };
    assert_eq!(k.kicked_user_ids.0, ["m2"]);
    // Nicknames: one's own; an admin a regular member's; not the owner's.
    let nick = |n: &str, user: &str| {
        Request::SetGroupMemberNickname(GroupMemberNicknameSet {
            nickname: n.into(),
            for_user_id: user.into(),
            group_id: "g1".into(),
        })
    };
    member.call(nick("me", "member")).await.unwrap();
    assert_eq!(
        member.call(nick("you", "m3")).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    admin.call(nick("three", "m3")).await.unwrap();
    assert_eq!(
        admin.call(nick("boss", "owner")).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    owner.call(nick("second", "admin")).await.unwrap();

    // Modes: owner and admins.
    let mode = |m: u8| {
        Request::UpdateGroupJoinMode(GroupModeUpdate {
            mode: m,
            group_id: "g1".into(),
        })
    };
    assert_eq!(
        member.call(mode(join_mode::AUTH)).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    assert_eq!(admin.call(mode(9)).await.err(), Some(code::PARAMS_INVALID));
    admin.call(mode(join_mode::AUTH)).await.unwrap();

    // Dismissing and transferring: the owner's.
    assert_eq!(
        admin.call(Request::DismissGroup(gid("g1"))).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    let transfer = |to: &str| {
        Request::TransferGroupOwner(GroupOwnerTransfer {
            to_user_id: to.into(),
            group_id: "g1".into(),
        })
    };
    assert_eq!(
        admin.call(transfer("admin")).await.err(),
        Some(code::PARAMS_INVALID)
    );
    assert_eq!(
        admin.call(transfer("member")).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    assert_eq!(
        owner.call(transfer("m2")).await.err(),
        Some(code::GROUP_USER_NOT_IN_GROUP),
        "m2 was kicked"
    );
    owner.call(transfer("member")).await.unwrap();
    // The old owner is a regular member now: the admin may kick them; they may not dismiss.
    assert_eq!(
        owner.call(Request::DismissGroup(gid("g1"))).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    let q = Request::QueryGroupMemberInfo(GroupMemberInfoQuery {
        user_id: "owner".into(),
        group_id: "g1".into(),
    });
    let Ok(Response::QueryGroupMemberInfo(i)) = member.call(q).await else {
        panic!()
    };
    assert_eq!(i.user_info.member_role, role::MEMBER);
    let r = admin.call(kick(&["owner"], "g1")).await.unwrap();
    assert!(errors(&r).is_empty());
    member.call(Request::DismissGroup(gid("g1"))).await.unwrap();
    assert_eq!(
        member.call(Request::QueryGroupInfo(gid("g1"))).await.err(),
        Some(code::GROUP_DOES_NOT_EXIST)
    );
}

#[tokio::test]
async fn mute_rules_and_the_muted_list() {
    let srv = Server::start("groups-mute");
    let mut owner = User::login(&srv, "owner").await;
    let mut admin = User::login(&srv, "admin").await;
    let mut member = User::login(&srv, "member").await;
    create(
        &mut owner,
        "g",
        &["admin", "member", "m2"],
        GroupAdvancedConfig::default(),
    )
    .await;
    owner
        .call(role_set(role::ADMIN, "admin", "g"))
        .await
        .unwrap();
    let mute_group = |mode: u8, roles: &[u32]| {
        Request::MuteGroup(GroupMute {
            is_mute: true,
            group_id: "g".into(),
            mode,
            duration: -1,
            roles: List(roles.to_vec()),
        })
    };
    assert_eq!(
        member.call(mute_group(mute_mode::NORMAL, &[])).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    assert_eq!(
        admin.call(mute_group(mute_mode::ALL, &[])).await.err(),
        Some(code::GROUP_NO_AUTHORITY),
        "muting everyone is the owner's"
    );
    assert_eq!(
        admin
            .call(mute_group(mute_mode::CUSTOM, &[role::OWNER]))
            .await
            .err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    let Ok(Response::MuteGroup(m)) = admin.call(mute_group(mute_mode::NORMAL, &[])).await else {
        panic!()
    };
    assert_eq!(
        (m.is_mute, m.muted_info.mode, m.muted_info.expired_time),
        (true, mute_mode::NORMAL, -1)
    );
    let info = member
        .notice(|n| match n {
            Notice::GroupMutedInfoUpdated(u) => Some(u.clone()),
            _ => None,
        })
        .await;
    assert_eq!(info.muted_info.mode, mute_mode::NORMAL);
    assert_eq!(info.operated_info.user_id, "admin");
    let Ok(Response::QueryGroupInfo(i)) = member.call(Request::QueryGroupInfo(gid("g"))).await
    else {
        panic!()
    };
    assert_eq!(i.group_info.muted_info.mode, mute_mode::NORMAL);
    owner
        .call(Request::MuteGroup(GroupMute {
            is_mute: false,
            group_id: "g".into(),
            ..GroupMute::default()
        }))
        .await
        .unwrap();

    // Members: an admin mutes regular members, not the owner; durations are checked.
    let mute = |who: &[&str], duration: i64| {
        Request::MuteGroupMembers(GroupMembersMute {
            is_mute: true,
            user_ids: users(who),
            group_id: "g".into(),
            duration,
        })
    };
    assert_eq!(
        admin.call(mute(&["member"], 0)).await.err(),
        Some(code::PARAMS_INVALID)
    );
    assert_eq!(
        member.call(mute(&["m2"], 60)).await.err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    let r = admin
        .call(mute(&["member", "m2", "owner"], 600))
        .await
        .unwrap();
    assert_eq!(errors(&r), [("owner".to_owned(), code::GROUP_NO_AUTHORITY)]);
    let page = |next_flag: u64| {
        Request::QueryGroupMemberMutedList(GroupMemberPageQuery {
            group_id: "g".into(),
            next_flag,
            count: 1,
        })
    };
    let Ok(Response::QueryGroupMemberMutedList(p1)) = member.call(page(0)).await else {
        panic!()
    };
    assert_eq!(p1.user_list.len(), 1);
    assert_eq!(p1.user_list[0].user_id, "member");
    assert!(p1.user_list[0].mute_expired_time > now_secs() as i64);
    assert_ne!(p1.next_flag, 0);
    let Ok(Response::QueryGroupMemberMutedList(p2)) = member.call(page(p1.next_flag)).await else {
        panic!()
    };
    assert_eq!(p2.user_list[0].user_id, "m2");
    assert_eq!(p2.next_flag, 0);
    // Unmuting empties the list.
    owner
        .call(Request::MuteGroupMembers(GroupMembersMute {
            is_mute: false,
            user_ids: users(&["member", "m2"]),
            group_id: "g".into(),
            duration: 0,
        }))
        .await
        .unwrap();
    let Ok(Response::QueryGroupMemberMutedList(p)) = member.call(page(0)).await else {
        panic!()
    };
    assert!(p.user_list.is_empty());
}

#[tokio::test]
async fn join_and_invite_modes_decide_when_an_application_is_needed() {
    let srv = Server::start("groups-modes");
    let mut owner = User::login(&srv, "owner").await;
    let mut member = User::login(&srv, "member").await;
    let mut outsider = User::login(&srv, "outsider").await;
    create(
        &mut owner,
        "auth",
        &["member"],
        GroupAdvancedConfig {
            join_mode: join_mode::AUTH,
            invite_mode: invite_mode::ADMIN,
            be_invite_mode: be_invite_mode::AUTH,
            ..GroupAdvancedConfig::default()
        },
    )
    .await;
    assert_eq!(
        outsider.call(Request::JoinGroup(gid("auth"))).await.err(),
        Some(code::GROUP_NEED_APPLY_JOIN)
    );
    let invite = Request::InviteUsersIntoGroup(GroupUsersArg {
        user_ids: users(&["outsider"]),
        group_id: "auth".into(),
    });
    assert_eq!(
        member.call(invite.clone()).await.err(),
        Some(code::GROUP_NO_AUTHORITY),
        "invite mode admin"
    );
    assert_eq!(
        owner.call(invite).await.err(),
        Some(code::GROUP_NEED_APPLY_INVITE),
        "be-invite mode auth"
    );
    // The application: only the owner or an admin answers it.
    outsider
        .call(Request::SendGroupJoinApplication(
            GroupJoinApplicationSend {
                group_id: "auth".into(),
                wording: "let me in".into(),
            },
        ))
        .await
        .unwrap();
    let listed = owner
        .notice(|n| match n {
            Notice::GroupApplicationListChanged(c) => Some(c.application_list[0].clone()),
            _ => None,
        })
        .await;
    assert_eq!(
        (
            listed.kind,
            listed.state,
            listed.apply_user.user_id.as_str()
        ),
        (
            application_type::JOIN,
            application_state::WAITING,
            "outsider"
        )
    );
    let answer = GroupJoinApplicationAnswer {
        user_id: "outsider".into(),
        group_id: "auth".into(),
    };
    assert_eq!(
        member
            .call(Request::AcceptGroupJoinApplication(answer.clone()))
            .await
            .err(),
        Some(code::GROUP_NO_AUTHORITY)
    );
    assert_eq!(
        owner
            .call(Request::AcceptGroupJoinApplication(
                GroupJoinApplicationAnswer {
                    user_id: "member".into(),
                    group_id: "auth".into(),
                }
            ))
            .await
            .err(),
        Some(code::GROUP_COMMON),
        "no such application"
    );
    owner
        .call(Request::RejectGroupJoinApplication(answer.clone()))
        .await
        .unwrap();
    assert_eq!(
        owner
            .call(Request::AcceptGroupJoinApplication(answer))
            .await
            .err(),
        Some(code::GROUP_COMMON),
        "answered already"
    );

    // Forbid: only invitations; an owner's invitation under be-invite auth waits for consent.
    owner
        .call(Request::UpdateGroupJoinMode(GroupModeUpdate {
            mode: join_mode::FORBID,
            group_id: "auth".into(),
        }))
        .await
        .unwrap();
    assert_eq!(
        outsider.call(Request::JoinGroup(gid("auth"))).await.err(),
        Some(code::GROUP_FORBID_JOIN)
    );
    assert_eq!(
        outsider
            .call(Request::SendGroupJoinApplication(
                GroupJoinApplicationSend {
                    group_id: "auth".into(),
                    wording: "".into(),
                }
            ))
            .await
            .err(),
        Some(code::GROUP_FORBID_JOIN)
    );
    owner
        .call(Request::SendGroupInviteApplications(
            GroupInviteApplicationsSend {
                user_ids: users(&["outsider"]),
                group_id: "auth".into(),
                wording: "join us".into(),
            },
        ))
        .await
        .unwrap();
    let invited = outsider
        .notice(|n| match n {
            Notice::GroupApplicationListChanged(c) => Some(c.application_list[0].clone()),
            _ => None,
        })
        .await;
    assert_eq!(invited.kind, application_type::BE_INVITE);
    assert_eq!(invited.apply_user.user_id, "owner");
    let Ok(Response::AcceptGroupInviteApplication(a)) = outsider
        .call(Request::AcceptGroupInviteApplication(
            GroupInviteApplicationAnswer {
                inviter_user_id: "owner".into(),
                group_id: "auth".into(),
            },
        ))
        .await
    else {
        panic!()
    };
    assert_eq!(a.group_info.base_info.group_id, "auth");
    let Ok(Response::QueryGroupMemberInfo(i)) = owner
        .call(Request::QueryGroupMemberInfo(GroupMemberInfoQuery {
            user_id: "outsider".into(),
            group_id: "auth".into(),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(
        i.user_info.group_enter_info.enter_type,
        enter_type::INVITE_APPLY
    );
    assert_eq!(
        i.user_info
            .group_enter_info
            .operated_user
            .map(|o| o.user_id),
        Some("owner".to_owned())
    );
}

#[tokio::test]
async fn ids_membership_and_limits_have_zims_codes() {
    let srv = Server::start("groups-limits");
    let mut owner = User::login(&srv, "owner").await;
    let mut other = User::login(&srv, "other").await;
    create(
        &mut owner,
        "small",
        &[],
        GroupAdvancedConfig {
            max_member_count: 2,
            ..GroupAdvancedConfig::default()
        },
    )
    .await;
    let again = owner
        .call(Request::CreateGroup(GroupCreate {
            group_info: GroupInfoInput {
                group_id: "small".into(),
                ..GroupInfoInput::default()
            },
            ..GroupCreate::default()
        }))
        .await;
    assert_eq!(again.err(), Some(code::GROUP_ALREADY_EXISTS));
    // Not a member: no member queries, no changes.
    assert_eq!(
        other
            .call(Request::QueryGroupMemberCount(gid("small")))
            .await
            .err(),
        Some(code::GROUP_USER_NOT_IN_GROUP)
    );
    assert_eq!(
        other
            .call(Request::UpdateGroupName(GroupNameUpdate {
                group_name: "mine".into(),
                group_id: "small".into(),
            }))
            .await
            .err(),
        Some(code::GROUP_USER_NOT_IN_GROUP)
    );
    assert_eq!(
        other.call(Request::LeaveGroup(gid("small"))).await.err(),
        Some(code::GROUP_USER_NOT_IN_GROUP)
    );
    assert_eq!(
        other.call(Request::JoinGroup(gid("none"))).await.err(),
        Some(code::GROUP_DOES_NOT_EXIST)
    );
    // Full at 2.
    other.call(Request::JoinGroup(gid("small"))).await.unwrap();
    let mut third = User::login(&srv, "third").await;
    assert_eq!(
        third.call(Request::JoinGroup(gid("small"))).await.err(),
        Some(code::GROUP_MEMBER_LIMIT)
    );
    // Attributes: ZIM's limits and codes; deleting a missing key lists it.
    let set = |pairs: &[(&str, String)]| {
        Request::SetGroupAttributes(GroupAttributesSet {
            group_attributes: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
            group_id: "small".into(),
        })
    };
    assert_eq!(
        other
            .call(set(&[(&"k".repeat(65), "v".into())]))
            .await
            .err(),
        Some(code::GROUP_ATTRIBUTE_KEY_LENGTH_LIMIT)
    );
    assert_eq!(
        other.call(set(&[("k", "v".repeat(1025))])).await.err(),
        Some(code::GROUP_ATTRIBUTE_VALUE_LENGTH_LIMIT)
    );
    let ten: Vec<(String, String)> = (0..10).map(|i| (format!("k{i}"), "v".into())).collect();
    let ten_refs: Vec<(&str, String)> = ten.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    other.call(set(&ten_refs)).await.unwrap();
    assert_eq!(
        other.call(set(&[("eleven", "v".into())])).await.err(),
        Some(code::GROUP_ATTRIBUTES_COUNT_LIMIT)
    );
    other.call(set(&[("k0", "changed".into())])).await.unwrap();
    let Ok(Response::DeleteGroupAttributes(d)) = owner
        .call(Request::DeleteGroupAttributes(GroupAttributeKeys {
            keys: List(vec!["k1".into(), "gone".into()]),
            group_id: "small".into(),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(d.error_keys.0, ["gone"]);
    let Ok(Response::QueryGroupAttributes(q)) = owner
        .call(Request::QueryGroupAttributes(GroupAttributeKeys {
            keys: List(vec!["k0".into(), "k1".into()]),
            group_id: "small".into(),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(
        q.group_attributes,
        BTreeMap::from([("k0".to_owned(), "changed".to_owned())])
    );

    // The owner leaves: the earliest other member owns it; the last one out dismisses it,
    // and its ID cannot be used again.
    owner.call(Request::LeaveGroup(gid("small"))).await.unwrap();
    let Ok(Response::QueryGroupMemberInfo(i)) = other
        .call(Request::QueryGroupMemberInfo(GroupMemberInfoQuery {
            user_id: "other".into(),
            group_id: "small".into(),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(i.user_info.member_role, role::OWNER);
    other.call(Request::LeaveGroup(gid("small"))).await.unwrap();
    let reuse = third
        .call(Request::CreateGroup(GroupCreate {
            group_info: GroupInfoInput {
                group_id: "small".into(),
                ..GroupInfoInput::default()
            },
            ..GroupCreate::default()
        }))
        .await;
    assert_eq!(reuse.err(), Some(code::GROUP_CREATE_WITH_DISMISSED));
}

#[tokio::test]
async fn a_group_of_ten_thousand_members_pages_and_hears_a_change() {
    let dir = temp_dir("groups-10k");
    let mut args = default_args();
    args.push("--no-rate-limit".into());
    let srv = Server::start_in(&dir, &args);
    let mut owner = User::login(&srv, "owner").await;
    create(&mut owner, "big", &[], GroupAdvancedConfig::default()).await;
    let all: Vec<String> = (1..10_000).map(|i| format!("u{i:05}")).collect();
    for chunk in all.chunks(100) {
        let ids: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let Ok(Response::InviteUsersIntoGroup(r)) = owner
            .call(Request::InviteUsersIntoGroup(GroupUsersArg {
                user_ids: users(&ids),
                group_id: "big".into(),
            }))
            .await
        else {
            panic!()
        };
        assert_eq!(r.user_list.len(), chunk.len());
    }
    let Ok(Response::QueryGroupMemberCount(n)) =
        owner.call(Request::QueryGroupMemberCount(gid("big"))).await
    else {
        panic!()
    };
    assert_eq!(n.count, 10_000);
    let full = owner
        .call(Request::InviteUsersIntoGroup(GroupUsersArg {
            user_ids: users(&["one-too-many"]),
            group_id: "big".into(),
        }))
        .await
        .unwrap();
    assert_eq!(
        errors(&full),
        [("one-too-many".to_owned(), code::GROUP_MEMBER_LIMIT)]
    );

    // Every member once, in join order, 100 a page.
    let mut seen = Vec::new();
    let mut next_flag = 0;
    loop {
        let Ok(Response::QueryGroupMemberList(p)) = owner
            .call(Request::QueryGroupMemberList(GroupMemberPageQuery {
                group_id: "big".into(),
                next_flag,
                count: 100,
            }))
            .await
        else {
            panic!()
        };
        assert!(p.user_list.len() <= 100);
        seen.extend(p.user_list.iter().map(|m| m.user_id.clone()));
        next_flag = p.next_flag;
        if next_flag == 0 {
            break;
        }
    }
    let mut expected = vec!["owner".to_owned()];
    expected.extend(all.iter().cloned());
    assert_eq!(seen, expected);

    // Twenty members online (spread through the list) hear a name change.
    let online: Vec<String> = all.iter().step_by(500).cloned().collect();
    let toks = tokens(APP, SECRET, &online);
    let mut live = Vec::new();
    for (u, t) in online.iter().zip(&toks) {
        let (c, _) = RawClient::login(&srv.ws_url(), APP, u, t, 0).await;
        live.push(User {
            c,
            id: u.clone(),
            next_call: 0,
        });
    }
    owner
        .call(Request::UpdateGroupName(GroupNameUpdate {
            group_name: "Ten thousand".into(),
            group_id: "big".into(),
        }))
        .await
        .unwrap();
    for u in &mut live {
        let name = tokio::time::timeout(
            Duration::from_secs(10),
            u.notice(|n| match n {
                Notice::GroupNameUpdated(e) => Some(e.group_name.clone()),
                _ => None,
            }),
        )
        .await
        .unwrap();
        assert_eq!(name, "Ten thousand", "{}", u.id);
    }
}
