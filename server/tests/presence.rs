//! Presence end to end through the SDK core's generic call path against the real server:
//! subscriptions, the online / offline / logout and custom status changes pushed to a
//! subscriber, what a subscriber learns when it logs in (also after a server restart), and
//! ZIM's limits.

mod support;

use std::time::Duration;

use support::*;
use tinyim::{Command, Value};
use tinyim_bench::host::Driver;
use tinyim_protocol::areas::online_status;
use tinyim_protocol::code;
use tinyim_protocol::rpc;
use tinyim_protocol::value::get;

const WAIT: Duration = Duration::from_secs(5);

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

fn ids(users: &[&str]) -> Value {
    Value::List(users.iter().map(|u| s(u)).collect())
}

fn notice_shape(name: &str) -> &'static tinyim_protocol::shape::Shape {
    rpc::NOTICES.iter().find(|n| n.name == name).unwrap().shape
}

fn response_shape(name: &str) -> &'static tinyim_protocol::shape::Shape {
    rpc::method_named(name).unwrap().response
}

/// The statuses of `user` pushed to `d` so far, as (online status, custom status).
fn pushed(d: &Driver, user: &str) -> Vec<(u64, String)> {
    let sh = notice_shape("userStatusUpdated");
    let mut out = Vec::new();
    for n in d.notices("userStatusUpdated") {
        for i in 0.. {
            let field = |f: &str| get(&n, sh, &format!("user_status_list.{i}.{f}")).cloned();
            let Some(id) = field("user_id") else { break };
            if id != s(user) {
                continue;
            }
            let online = field("online_status").and_then(|v| v.as_u64());
            let custom = match field("custom_status") {
                Some(Value::Str(c)) => c,
                _ => String::new(),
            };
            out.push((online.unwrap_or(255), custom));
        }
    }
    out
}

async fn logged_in(srv: &Server, user: &str, seed: u64) -> Driver {
    let mut d = Driver::new(APP, &srv.ws_url(), seed);
    d.login(user, &token(user)).await.unwrap();
    d
}

/// `d` waits until the last status of `user` pushed to it is `want`.
async fn sees(d: &mut Driver, user: &str, want: (u8, &str)) {
    let want = (u64::from(want.0), want.1.to_owned());
    let ok = d
        .run_until(|d| pushed(d, user).last() == Some(&want), WAIT)
        .await;
    assert!(ok, "wanted {want:?} for {user}, got {:?}", pushed(d, user));
}

#[tokio::test]
async fn a_subscriber_sees_online_offline_logout_and_custom_status() {
    let dir = temp_dir("presence-flow");
    let mut srv = Server::start_in(&dir, &default_args());
    // bob is known once he has logged in; then he logs out.
    let mut bob = logged_in(&srv, "bob", 1).await;
    bob.call(Command::Logout).await.unwrap();
    drop(bob);

    let mut alice = logged_in(&srv, "alice", 2).await;
    let r = alice
        .rpc(
            "subscribeUsersStatus",
            Value::Struct(vec![ids(&["bob"]), Value::Num(60.0)]),
        )
        .await
        .unwrap();
    assert_eq!(r, Value::Struct(vec![Value::List(vec![])]));
    let st = alice
        .rpc("queryUsersStatus", Value::Struct(vec![ids(&["bob"])]))
        .await
        .unwrap();
    let sh = response_shape("queryUsersStatus");
    assert_eq!(
        get(&st, sh, "user_status_list.0.online_status").and_then(Value::as_u64),
        Some(u64::from(online_status::LOGOUT))
    );

    // bob logs in: online; his connection drops: offline; back, a custom status, logout.
    let mut bob = logged_in(&srv, "bob", 3).await;
    sees(&mut alice, "bob", (online_status::ONLINE, "")).await;
    bob.drop_transport();
    drop(bob);
    sees(&mut alice, "bob", (online_status::OFFLINE, "")).await;
    let mut bob = logged_in(&srv, "bob", 4).await;
    sees(&mut alice, "bob", (online_status::ONLINE, "")).await;
    let r = bob
        .rpc(
            "updateUserCustomStatus",
            Value::Struct(vec![s("busy"), Value::Nil]),
        )
        .await
        .unwrap();
    assert_eq!(r, Value::Struct(vec![s("busy")]));
    sees(&mut alice, "bob", (online_status::ONLINE, "busy")).await;
    let err = bob
        .rpc(
            "updateUserCustomStatus",
            Value::Struct(vec![s("away"), Value::Nil]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code, code::SERVER_FREQUENCY_LIMIT, "once a second");
    bob.call(Command::Logout).await.unwrap();
    sees(&mut alice, "bob", (online_status::LOGOUT, "busy")).await;

    // A second login of alice is told bob's status at once, and lists the subscription.
    let mut again = logged_in(&srv, "alice", 5).await;
    sees(&mut again, "bob", (online_status::LOGOUT, "busy")).await;
    let list = again
        .rpc(
            "querySubscribedUserStatusList",
            Value::Struct(vec![Value::Nil]),
        )
        .await
        .unwrap();
    let sh = response_shape("querySubscribedUserStatusList");
    assert_eq!(
        get(
            &list,
            sh,
            "user_status_subscription_list.0.user_status.user_id"
        ),
        Some(&s("bob"))
    );
    drop((alice, again));

    // Subscriptions and custom statuses outlive a restart (online status does not: nobody
    // is online after one).
    srv.terminate();
    let srv = Server::start_in(&dir, &default_args());
    let mut alice = logged_in(&srv, "alice", 6).await;
    sees(&mut alice, "bob", (online_status::OFFLINE, "busy")).await;
    let _bob = logged_in(&srv, "bob", 7).await;
    sees(&mut alice, "bob", (online_status::ONLINE, "busy")).await;

    // Unsubscribed: nothing more.
    alice
        .rpc("unsubscribeUsersStatus", Value::Struct(vec![ids(&["bob"])]))
        .await
        .unwrap();
    let list = alice
        .rpc(
            "querySubscribedUserStatusList",
            Value::Struct(vec![Value::Nil]),
        )
        .await
        .unwrap();
    assert_eq!(list, Value::Struct(vec![Value::List(vec![])]));
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn zim_limits_and_errors() {
    let srv = Server::start("presence-limits");
    let _bob = logged_in(&srv, "bob", 1).await;
    let mut alice = logged_in(&srv, "alice", 2).await;

    // Oneself and unknown users are listed, the rest subscribed.
    let r = alice
        .rpc(
            "subscribeUsersStatus",
            Value::Struct(vec![ids(&["alice", "nobody", "bob"]), Value::Num(1.0)]),
        )
        .await
        .unwrap();
    let sh = response_shape("subscribeUsersStatus");
    let reasons: Vec<(Option<&Value>, Option<u64>)> = (0..2)
        .map(|i| {
            (
                get(&r, sh, &format!("error_user_list.{i}.user_id")),
                get(&r, sh, &format!("error_user_list.{i}.reason")).and_then(Value::as_u64),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (Some(&s("alice")), Some(u64::from(code::PARAMS_INVALID))),
            (Some(&s("nobody")), Some(u64::from(code::USER_NOT_EXIST)))
        ]
    );
    let r = alice
        .rpc(
            "queryUsersStatus",
            Value::Struct(vec![ids(&["bob", "nobody"])]),
        )
        .await
        .unwrap();
    let sh = response_shape("queryUsersStatus");
    assert_eq!(
        get(&r, sh, "user_status_list.0.online_status").and_then(Value::as_u64),
        Some(u64::from(online_status::ONLINE))
    );
    assert_eq!(get(&r, sh, "error_user_list.0.user_id"), Some(&s("nobody")));

    // The call-level limits: 6000001.
    let many: Vec<String> = (0..101).map(|i| format!("u{i}")).collect();
    let many = Value::List(many.iter().map(|u| s(u)).collect());
    for (method, args) in [
        (
            "subscribeUsersStatus",
            Value::Struct(vec![many.clone(), Value::Num(1.0)]),
        ),
        (
            "subscribeUsersStatus",
            Value::Struct(vec![ids(&["bob"]), Value::Num(0.0)]),
        ),
        (
            "subscribeUsersStatus",
            Value::Struct(vec![ids(&["bob"]), Value::Num(43_201.0)]),
        ),
        (
            "subscribeUsersStatus",
            Value::Struct(vec![ids(&[]), Value::Num(1.0)]),
        ),
        ("unsubscribeUsersStatus", Value::Struct(vec![many.clone()])),
        ("queryUsersStatus", Value::Struct(vec![ids(&[])])),
        (
            "updateUserCustomStatus",
            Value::Struct(vec![s(&"x".repeat(65)), Value::Nil]),
        ),
        (
            "updateUserOfflinePushRule",
            Value::Struct(vec![Value::Struct(vec![
                Value::List(vec![Value::Num(1.0); 17]),
                Value::Nil,
            ])]),
        ),
    ] {
        let err = alice.rpc(method, args).await.unwrap_err();
        assert_eq!(err.code, code::PARAMS_INVALID, "{method}: {}", err.message);
    }
}

#[tokio::test]
async fn settings_are_kept_returned_and_announced() {
    let srv = Server::start("presence-settings");
    let mut alice = logged_in(&srv, "alice", 1).await;
    let rule = Value::Struct(vec![
        Value::List(vec![Value::Num(6.0), Value::Num(7.0)]),
        Value::List(vec![Value::Num(2.0)]),
    ]);
    let r = alice
        .rpc("updateUserOfflinePushRule", Value::Struct(vec![rule]))
        .await
        .unwrap();
    let sh = response_shape("updateUserOfflinePushRule");
    assert_eq!(
        get(&r, sh, "offline_push_rule.online_platforms"),
        Some(&Value::List(vec![Value::Uint(6), Value::Uint(7)]))
    );
    assert!(
        alice
            .run_until(|d| d.notices("userRuleUpdated").len() == 1, WAIT)
            .await
    );
    alice
        .rpc("updateUserBadge", Value::Struct(vec![Value::Num(5.0)]))
        .await
        .unwrap();
    drop(alice);

    let mut again = logged_in(&srv, "alice", 2).await;
    let me = again.rpc("querySelfUserInfo", Value::Nil).await.unwrap();
    let sh = response_shape("querySelfUserInfo");
    assert_eq!(
        get(
            &me,
            sh,
            "self_user_info.user_rule.offline_push_rule.not_to_receive_offline_push_platforms"
        ),
        Some(&Value::List(vec![Value::Uint(2)]))
    );
    assert_eq!(
        get(&me, sh, "self_user_info.user_status.online_status").and_then(Value::as_u64),
        Some(u64::from(online_status::ONLINE))
    );
}
