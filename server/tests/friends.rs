//! Friends and the blacklist against the real server, over raw `Call` frames: adding and
//! deleting (one way and both), relation checks, alias and attributes, applications and
//! their answers with ZIM's codes, paging, the blacklist refusing a blocked sender's peer
//! messages (6000284, nothing stored), and the state surviving a restart (what a second
//! device or a reinstall reads).

mod support;

use std::collections::BTreeMap;

use support::*;
use tinyim_protocol::areas::*;
use tinyim_protocol::rpc::{Call, Notice, Request, Response};
use tinyim_protocol::{code, Body, List};

/// A logged-in user speaking methods.
struct User {
    c: RawClient,
    next_call: u64,
}

impl User {
    async fn login(srv: &Server, id: &str) -> User {
        let (c, _) = RawClient::login(&srv.ws_url(), APP, id, &token(id), 0).await;
        User { c, next_call: 0 }
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
            other => panic!("got {other:?}"),
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

    /// The next `friendListChanged`: its action and the friends' IDs.
    async fn friend_list_changed(&mut self) -> (u8, Vec<String>) {
        self.notice(|n| match n {
            Notice::FriendListChanged(c) => Some((c.action, ids(&c.friend_list))),
            _ => None,
        })
        .await
    }
}

fn ids(list: &[FriendInfo]) -> Vec<String> {
    list.iter().map(|f| f.user_id.clone()).collect()
}

fn users(ids: &[&str]) -> List<tinyim_protocol::ids::UserId> {
    List(ids.iter().map(|&u| u.into()).collect())
}

fn add(user: &str, alias: &str) -> Request {
    Request::AddFriend(FriendAdd {
        user_id: user.into(),
        friend_alias: alias.into(),
        wording: "hi".into(),
        ..FriendAdd::default()
    })
}

fn scoped(who: &[&str], kind: u8) -> FriendsScoped {
    FriendsScoped {
        user_ids: users(who),
        kind,
    }
}

async fn relation(u: &mut User, other: &str) -> u8 {
    let Ok(Response::CheckFriendsRelation(r)) = u
        .call(Request::CheckFriendsRelation(scoped(
            &[other],
            friend_scope::BOTH,
        )))
        .await
    else {
        panic!()
    };
    r.relation_infos[0].kind
}

async fn friend_ids(u: &mut User) -> Vec<String> {
    let Ok(Response::QueryFriendList(l)) = u
        .call(Request::QueryFriendList(PageQuery {
            next_flag: 0,
            count: 100,
        }))
        .await
    else {
        panic!()
    };
    ids(&l.friend_list)
}

fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn add_check_update_and_delete_friends() {
    let srv = Server::start("friends-list");
    let mut alice = User::login(&srv, "alice").await;
    let mut bob = User::login(&srv, "bob").await;

    assert_eq!(
        alice.call(add("alice", "")).await.err(),
        Some(friend_code::CANNOT_ADD_SELF_TO_FRIEND_LIST)
    );
    assert_eq!(
        alice.call(add("nobody", "")).await.err(),
        Some(friend_code::FRIEND_UNREGISTERED)
    );

    // Added directly: both lists, both told.
    let Ok(Response::AddFriend(r)) = alice.call(add("bob", "Bobby")).await else {
        panic!()
    };
    assert_eq!(
        (
            r.friend_info.user_id.as_str(),
            r.friend_info.user_name.as_str(),
            r.friend_info.friend_alias.as_str(),
            r.friend_info.wording.as_str()
        ),
        ("bob", "bob name", "Bobby", "hi")
    );
    assert!(r.friend_info.create_time > 0);
    assert_eq!(
        alice.friend_list_changed().await,
        (list_change::ADDED, vec!["bob".into()])
    );
    assert_eq!(
        bob.friend_list_changed().await,
        (list_change::ADDED, vec!["alice".into()])
    );
    assert_eq!(
        alice.call(add("bob", "")).await.err(),
        Some(friend_code::IS_ALREADY_YOUR_FRIEND)
    );
    assert_eq!(
        relation(&mut alice, "bob").await,
        user_relation::BOTH_ALL_HAVE
    );
    let Ok(Response::CheckFriendsRelation(single)) = alice
        .call(Request::CheckFriendsRelation(scoped(
            &["bob", "carol"],
            friend_scope::SINGLE,
        )))
        .await
    else {
        panic!()
    };
    let kinds: Vec<u8> = single.relation_infos.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [user_relation::SINGLE_HAVE, user_relation::SINGLE_NO]
    );

    // Alias and attributes: the caller's own, told to their session only.
    let Ok(Response::UpdateFriendAlias(u)) = alice
        .call(Request::UpdateFriendAlias(FriendAliasUpdate {
            friend_alias: "B".into(),
            user_id: "bob".into(),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(u.friend_info.friend_alias, "B");
    let told = alice
        .notice(|n| match n {
            Notice::FriendInfoUpdated(u) => Some(u.friend_list[0].friend_alias.clone()),
            _ => None,
        })
        .await;
    assert_eq!(told, "B");
    let bad = alice
        .call(Request::UpdateFriendAttributes(FriendAttributesUpdate {
            friend_attributes: attrs(&[("color", "red")]),
            user_id: "bob".into(),
        }))
        .await;
    assert_eq!(bad.err(), Some(code::PARAMS_INVALID));
    for pairs in [&[("k0", "red")][..], &[("k1", "tall")][..]] {
        alice
            .call(Request::UpdateFriendAttributes(FriendAttributesUpdate {
                friend_attributes: attrs(pairs),
                user_id: "bob".into(),
            }))
            .await
            .unwrap();
    }
    let Ok(Response::QueryFriendsInfo(q)) = alice
        .call(Request::QueryFriendsInfo(FriendsInfoQuery {
            user_ids: users(&["bob", "carol"]),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(
        q.friend_infos[0].friend_attributes,
        attrs(&[("k0", "red"), ("k1", "tall")])
    );
    assert_eq!(q.error_user_list[0].user_id, "carol");
    assert_eq!(q.error_user_list[0].reason, friend_code::NOT_YOUR_FRIEND);
    // Bob's entry for alice is his own: untouched.
    let Ok(Response::QueryFriendsInfo(b)) = bob
        .call(Request::QueryFriendsInfo(FriendsInfoQuery {
            user_ids: users(&["alice"]),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(b.friend_infos[0].friend_alias, "");
    assert_eq!(
        alice
            .call(Request::UpdateFriendAlias(FriendAliasUpdate {
                friend_alias: "C".into(),
                user_id: "carol".into(),
            }))
            .await
            .err(),
        Some(friend_code::NOT_YOUR_FRIEND)
    );

    // One-way delete: bob keeps alice.
    let Ok(Response::DeleteFriends(d)) = alice
        .call(Request::DeleteFriends(scoped(
            &["bob", "alice", "carol"],
            friend_scope::SINGLE,
        )))
        .await
    else {
        panic!()
    };
    let errors: Vec<(String, u32)> = d
        .error_user_list
        .iter()
        .map(|e| (e.user_id.clone(), e.reason))
        .collect();
    assert_eq!(
        errors,
        [
            ("alice".into(), friend_code::CANNOT_DELETE_SELF),
            ("carol".into(), friend_code::NOT_YOUR_FRIEND)
        ]
    );
    assert_eq!(
        alice.friend_list_changed().await,
        (list_change::REMOVED, vec!["bob".into()])
    );
    assert_eq!(
        relation(&mut alice, "bob").await,
        user_relation::BOTH_OTHER_HAVE
    );
    assert_eq!(
        relation(&mut bob, "alice").await,
        user_relation::BOTH_SELF_HAVE
    );

    // Bob still has alice, so her application needs no answer (ZEGO).
    let Ok(Response::SendFriendApplication(s)) = alice
        .call(Request::SendFriendApplication(FriendApplicationSend {
            user_id: "bob".into(),
            wording: "again".into(),
            ..FriendApplicationSend::default()
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(
        (s.application_info.kind, s.application_info.state),
        (
            friend_application_type::SENT,
            friend_application_state::ACCEPTED
        )
    );
    assert_eq!(
        relation(&mut alice, "bob").await,
        user_relation::BOTH_ALL_HAVE
    );

    // Both ways: gone from both lists; bob is told.
    alice
        .call(Request::DeleteFriends(scoped(&["bob"], friend_scope::BOTH)))
        .await
        .unwrap();
    assert_eq!(
        bob.friend_list_changed().await,
        (list_change::REMOVED, vec!["alice".into()])
    );
    assert!(friend_ids(&mut alice).await.is_empty());
    assert!(friend_ids(&mut bob).await.is_empty());
    assert_eq!(
        relation(&mut alice, "bob").await,
        user_relation::BOTH_ALL_NO
    );
}

#[tokio::test]
async fn applications_are_accepted_rejected_and_paged() {
    let srv = Server::start("friends-applications");
    let mut alice = User::login(&srv, "alice").await;
    let mut carol = User::login(&srv, "carol").await;
    let mut dave = User::login(&srv, "dave").await;

    let send = |to: &str, wording: &str| {
        Request::SendFriendApplication(FriendApplicationSend {
            user_id: to.into(),
            wording: wording.into(),
            friend_alias: "my alias".into(),
            friend_attributes: attrs(&[("k0", "from alice")]),
        })
    };
    let Ok(Response::SendFriendApplication(s)) = alice.call(send("carol", "hello carol")).await
    else {
        panic!()
    };
    let a = &s.application_info;
    assert_eq!(
        (
            a.kind,
            a.state,
            a.apply_user.user_id.as_str(),
            a.wording.as_str()
        ),
        (
            friend_application_type::SENT,
            friend_application_state::WAITING,
            "carol",
            "hello carol"
        )
    );
    // Carol sees it received, from alice.
    let got = carol
        .notice(|n| match n {
            Notice::FriendApplicationListChanged(c) => Some(c.application_list[0].clone()),
            _ => None,
        })
        .await;
    assert_eq!(
        (
            got.kind,
            got.apply_user.user_id.as_str(),
            got.apply_user.user_name.as_str()
        ),
        (friend_application_type::RECEIVED, "alice", "alice name")
    );
    // Not friends until she answers.
    assert!(friend_ids(&mut alice).await.is_empty());
    assert_eq!(
        carol
            .call(Request::RejectFriendApplication(FriendApplicationReject {
                user_id: "dave".into()
            }))
            .await
            .err(),
        Some(friend_code::APPLICATION_STATUS_ERROR)
    );

    let Ok(Response::AcceptFriendApplication(acc)) = carol
        .call(Request::AcceptFriendApplication(FriendApplicationAccept {
            user_id: "alice".into(),
            friend_alias: "Al".into(),
            ..FriendApplicationAccept::default()
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(
        (
            acc.friend_info.user_id.as_str(),
            acc.friend_info.friend_alias.as_str()
        ),
        ("alice", "Al")
    );
    let updated = alice
        .notice(|n| match n {
            Notice::FriendApplicationUpdated(u) => Some(u.application_list[0].state),
            _ => None,
        })
        .await;
    assert_eq!(updated, friend_application_state::ACCEPTED);
    assert_eq!(
        alice.friend_list_changed().await,
        (list_change::ADDED, vec!["carol".into()])
    );
    // Alice's entry has what she asked for in the application.
    let Ok(Response::QueryFriendsInfo(q)) = alice
        .call(Request::QueryFriendsInfo(FriendsInfoQuery {
            user_ids: users(&["carol"]),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(q.friend_infos[0].friend_alias, "my alias");
    assert_eq!(q.friend_infos[0].wording, "hello carol");
    assert_eq!(
        carol
            .call(Request::AcceptFriendApplication(FriendApplicationAccept {
                user_id: "alice".into(),
                ..FriendApplicationAccept::default()
            }))
            .await
            .err(),
        Some(friend_code::APPLICATION_STATUS_ERROR)
    );
    assert_eq!(
        alice.call(send("carol", "")).await.err(),
        Some(friend_code::IS_ALREADY_YOUR_FRIEND)
    );

    // Rejected: both told, no friendship.
    alice.call(send("dave", "hello dave")).await.unwrap();
    let Ok(Response::RejectFriendApplication(rej)) = dave
        .call(Request::RejectFriendApplication(FriendApplicationReject {
            user_id: "alice".into(),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(rej.user_info.user_id, "alice");
    let state = dave
        .notice(|n| match n {
            Notice::FriendApplicationUpdated(u) => Some(u.application_list[0].state),
            _ => None,
        })
        .await;
    assert_eq!(state, friend_application_state::REJECTED);
    assert!(friend_ids(&mut dave).await.is_empty());

    // Both asked: dave's application to alice meets hers to him and accepts it.
    alice.call(send("dave", "once more")).await.unwrap();
    let Ok(Response::SendFriendApplication(both)) = dave
        .call(Request::SendFriendApplication(FriendApplicationSend {
            user_id: "alice".into(),
            friend_alias: "Ally".into(),
            ..FriendApplicationSend::default()
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(
        both.application_info.state,
        friend_application_state::ACCEPTED
    );
    let state = alice
        .notice(|n| match n {
            // (Her first one's rejection is queued before it.)
            Notice::FriendApplicationUpdated(u)
                if u.application_list[0].apply_user.user_id == "dave"
                    && u.application_list[0].state != friend_application_state::REJECTED =>
            {
                Some(u.application_list[0].state)
            }
            _ => None,
        })
        .await;
    assert_eq!(state, friend_application_state::ACCEPTED);
    assert_eq!(friend_ids(&mut dave).await, ["alice"]);
    let Ok(Response::QueryFriendsInfo(q)) = alice
        .call(Request::QueryFriendsInfo(FriendsInfoQuery {
            user_ids: users(&["dave"]),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(q.friend_infos[0].friend_alias, "my alias");
    alice
        .call(Request::DeleteFriends(scoped(
            &["dave"],
            friend_scope::BOTH,
        )))
        .await
        .unwrap();

    // Alice's list, newest first, in pages of one.
    let mut seen = Vec::new();
    let mut next_flag = 0;
    loop {
        let Ok(Response::QueryFriendApplicationList(l)) = alice
            .call(Request::QueryFriendApplicationList(PageQuery {
                next_flag,
                count: 1,
            }))
            .await
        else {
            panic!()
        };
        seen.extend(
            l.application_list
                .iter()
                .map(|a| (a.apply_user.user_id.clone(), a.kind, a.state)),
        );
        next_flag = l.next_flag;
        if next_flag == 0 {
            break;
        }
    }
    assert_eq!(
        seen,
        [
            (
                "dave".into(),
                friend_application_type::RECEIVED,
                friend_application_state::ACCEPTED
            ),
            (
                "dave".into(),
                friend_application_type::SENT,
                friend_application_state::ACCEPTED
            ),
            (
                "carol".into(),
                friend_application_type::SENT,
                friend_application_state::ACCEPTED
            ),
        ]
    );
    assert_eq!(
        alice
            .call(Request::QueryFriendApplicationList(PageQuery {
                next_flag: 0,
                count: 0
            }))
            .await
            .err(),
        Some(code::PARAMS_INVALID)
    );
}

#[tokio::test]
async fn a_blocked_sender_is_refused_and_nothing_is_stored() {
    let srv = Server::start("friends-blacklist");
    let mut alice = User::login(&srv, "alice").await;
    let mut bob = User::login(&srv, "bob").await;

    // Before the block, alice's message is stored.
    let ok = alice.c.request(text_to("bob", 1, "before")).await;
    assert!(matches!(ok.body, Body::SendAck(_)), "{ok:?}");

    let block = |who: &[&str]| {
        Request::AddUsersToBlacklist(BlacklistUsers {
            user_ids: users(who),
        })
    };
    let Ok(Response::AddUsersToBlacklist(r)) = bob.call(block(&["alice", "bob", "nobody"])).await
    else {
        panic!()
    };
    let errors: Vec<(String, u32)> = r
        .error_user_list
        .iter()
        .map(|e| (e.user_id.clone(), e.reason))
        .collect();
    assert_eq!(
        errors,
        [
            ("bob".into(), friend_code::CANNOT_ADD_SELF_TO_BLACKLIST),
            ("nobody".into(), friend_code::FRIEND_UNREGISTERED)
        ]
    );
    let changed = bob
        .notice(|n| match n {
            Notice::BlacklistChanged(c) => Some((c.action, c.user_list[0].user_id.clone())),
            _ => None,
        })
        .await;
    assert_eq!(changed, (list_change::ADDED, "alice".into()));
    let Ok(Response::AddUsersToBlacklist(again)) = bob.call(block(&["alice"])).await else {
        panic!()
    };
    assert_eq!(
        again.error_user_list[0].reason,
        friend_code::ALREADY_IN_BLACKLIST
    );

    // Alice's peer messages to bob are refused; a resend of the one stored before the block
    // still gets its ack.
    let refused = alice.c.request(text_to("bob", 2, "after")).await;
    assert_eq!(error_code(&refused), friend_code::SENDER_IN_BLACKLIST);
    let resend = alice.c.request(text_to("bob", 1, "before")).await;
    assert!(matches!(resend.body, Body::SendAck(_)), "{resend:?}");
    assert_eq!(
        bob.c.stored_client_message_ids("alice").await,
        [1].into_iter().collect()
    );
    // Nor may she ask him for friendship.
    assert_eq!(
        alice.call(add("bob", "")).await.err(),
        Some(friend_code::SENDER_IN_BLACKLIST)
    );
    // Bob may still write to her.
    let from_bob = bob.c.request(text_to("alice", 1, "still here")).await;
    assert!(matches!(from_bob.body, Body::SendAck(_)), "{from_bob:?}");

    let Ok(Response::CheckUserIsInBlacklist(c)) = bob
        .call(Request::CheckUserIsInBlacklist(BlacklistCheck {
            user_id: "alice".into(),
        }))
        .await
    else {
        panic!()
    };
    assert!(c.is_user_in_blacklist);
    let Ok(Response::QueryBlacklist(q)) = bob
        .call(Request::QueryBlacklist(PageQuery {
            next_flag: 0,
            count: 10,
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(q.blacklist.len(), 1);
    assert_eq!(q.blacklist[0].user_name, "alice name");

    // Unblocked: her messages go through again.
    let Ok(Response::RemoveUsersFromBlacklist(r)) = bob
        .call(Request::RemoveUsersFromBlacklist(BlacklistUsers {
            user_ids: users(&["alice", "carol"]),
        }))
        .await
    else {
        panic!()
    };
    assert_eq!(r.error_user_list[0].user_id, "carol");
    assert_eq!(
        r.error_user_list[0].reason,
        friend_code::USER_NOT_IN_BLACKLIST
    );
    let removed = bob
        .notice(|n| match n {
            Notice::BlacklistChanged(c) if c.action == list_change::REMOVED => {
                Some(c.user_list[0].user_id.clone())
            }
            _ => None,
        })
        .await;
    assert_eq!(removed, "alice");
    let ok = alice.c.request(text_to("bob", 3, "after unblock")).await;
    assert!(matches!(ok.body, Body::SendAck(_)), "{ok:?}");
}

#[tokio::test]
async fn the_lists_page_and_survive_a_restart() {
    let dir = temp_dir("friends-restart");
    let mut srv = Server::start_in(&dir, &default_args());
    let names: Vec<String> = (0..5).map(|i| format!("f{i}")).collect();
    for n in &names {
        User::login(&srv, n).await.c.close().await;
    }
    let mut me = User::login(&srv, "me").await;
    for n in &names {
        me.call(add(n, n)).await.unwrap();
    }
    me.call(Request::AddUsersToBlacklist(BlacklistUsers {
        user_ids: users(&["f4"]),
    }))
    .await
    .unwrap();
    me.c.close().await;
    srv.terminate();

    // A restarted server (or another device of the user) reads the same state.
    let srv = Server::start_in(&dir, &default_args());
    let mut me = User::login(&srv, "me").await;
    let mut seen = Vec::new();
    let mut next_flag = 0;
    loop {
        let Ok(Response::QueryFriendList(l)) = me
            .call(Request::QueryFriendList(PageQuery {
                next_flag,
                count: 2,
            }))
            .await
        else {
            panic!()
        };
        assert!(l.friend_list.len() <= 2);
        seen.extend(
            l.friend_list
                .iter()
                .map(|f| (f.user_id.clone(), f.friend_alias.clone())),
        );
        next_flag = l.next_flag;
        if next_flag == 0 {
            break;
        }
    }
    let want: Vec<(String, String)> = names.iter().map(|n| (n.clone(), n.clone())).collect();
    assert_eq!(seen, want);
    let Ok(Response::CheckUserIsInBlacklist(c)) = me
        .call(Request::CheckUserIsInBlacklist(BlacklistCheck {
            user_id: "f4".into(),
        }))
        .await
    else {
        panic!()
    };
    assert!(c.is_user_in_blacklist);
    let mut f4 = User::login(&srv, "f4").await;
    let refused = f4.c.request(text_to("me", 1, "hi")).await;
    assert_eq!(error_code(&refused), friend_code::SENDER_IN_BLACKLIST);
    let _ = std::fs::remove_dir_all(&dir);
}
