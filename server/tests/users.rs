//! The users area end to end: profiles through the SDK core's generic call path against the
//! real server, and the server's own checks on raw `Call` frames.

mod support;

use support::*;
use tinyim::Value;
use tinyim_bench::host::Driver;
use tinyim_protocol::rpc::{self, Call};
use tinyim_protocol::value::get;
use tinyim_protocol::{code, Body};

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

fn shape(name: &str) -> &'static tinyim_protocol::shape::Shape {
    rpc::method_named(name).unwrap().response
}

#[tokio::test]
async fn profiles_are_kept_by_the_server_and_seen_by_others() {
    let srv = Server::start("users-profiles");
    let mut alice = Driver::new(APP, &srv.ws_url(), 1);
    let mut bob = Driver::new(APP, &srv.ws_url(), 2);
    alice.login("alice", &token("alice")).await.unwrap();
    bob.login("bob", &token("bob")).await.unwrap();

    let r = alice
        .rpc("updateUserName", Value::Struct(vec![s("Alice Liddell")]))
        .await
        .unwrap();
    assert_eq!(r, Value::Struct(vec![s("Alice Liddell")]));
    alice
        .rpc(
            "updateUserAvatarUrl",
            Value::Struct(vec![s("https://a/x.png")]),
        )
        .await
        .unwrap();
    // The update is announced to the user's own session.
    assert!(
        alice
            .run_until(
                |d| d.notices("userInfoUpdated").len() == 2,
                std::time::Duration::from_secs(5)
            )
            .await
    );
    let last = alice.notices("userInfoUpdated").pop().unwrap();
    let notice_shape = rpc::NOTICES[0].shape;
    assert_eq!(
        get(&last, notice_shape, "info.base_info.user_avatar_url"),
        Some(&s("https://a/x.png"))
    );

    // Another user reads it; unknown users are listed with 6000011.
    let q = Value::Struct(vec![
        Value::List(vec![s("alice"), s("nobody")]),
        Value::Bool(true),
    ]);
    let r = bob.rpc("queryUsersInfo", q).await.unwrap();
    let sh = shape("queryUsersInfo");
    assert_eq!(
        get(&r, sh, "user_list.0.base_info.user_name"),
        Some(&s("Alice Liddell"))
    );
    assert_eq!(
        get(&r, sh, "user_list.0.user_avatar_url"),
        Some(&s("https://a/x.png"))
    );
    assert_eq!(get(&r, sh, "error_user_list.0.user_id"), Some(&s("nobody")));
    assert_eq!(
        get(&r, sh, "error_user_list.0.reason").and_then(Value::as_u64),
        Some(u64::from(code::USER_NOT_EXIST))
    );

    // The server is the source of truth: a second device (after a restart, even) sees it.
    drop(alice);
    let mut again = Driver::new(APP, &srv.ws_url(), 3);
    again.login("alice", &token("alice")).await.unwrap();
    let me = again.rpc("querySelfUserInfo", Value::Nil).await.unwrap();
    assert_eq!(
        get(
            &me,
            shape("querySelfUserInfo"),
            "self_user_info.user_full_info.base_info.user_name"
        ),
        Some(&s("alice")),
        "logging in with a user name sets it, as ZIM's login does"
    );
}

#[tokio::test]
async fn too_many_users_in_one_query_is_refused_with_6000012() {
    let srv = Server::start("users-limit");
    let mut bob = Driver::new(APP, &srv.ws_url(), 2);
    bob.login("bob", &token("bob")).await.unwrap();
    let ids = (0..11).map(|i| s(&format!("u{i}"))).collect();
    let err = bob
        .rpc("queryUsersInfo", Value::Struct(vec![Value::List(ids)]))
        .await
        .unwrap_err();
    assert_eq!(err.code, code::USER_INFO_QUERIED_LIMIT);
}

/// A raw `Call` for `name` with `args` encoded by hand.
fn call(name: &str, call_id: u64, args: Vec<u8>) -> Body {
    Body::Call(Call {
        call_id,
        method: rpc::method_named(name).map_or(60_000, |m| m.id),
        args,
    })
}

fn string_arg(v: &str) -> Vec<u8> {
    let mut out = vec![v.len() as u8];
    out.extend_from_slice(v.as_bytes());
    out
}

#[tokio::test]
async fn the_server_checks_calls_itself_and_answers_a_repeated_call_once() {
    let srv = Server::start("users-raw");
    let (mut c, _) = RawClient::login(&srv.ws_url(), APP, "carol", &token("carol"), 0).await;

    // A name over ZIM's 32 bytes, which the SDK would have refused: the server's decoder
    // refuses it too, and the connection stays open.
    let f = c
        .request(call("updateUserName", 1, string_arg(&"x".repeat(33))))
        .await;
    assert_eq!(error_code(&f), code::PARAMS_INVALID);
    let f = c.request(call("noSuchMethod", 2, vec![])).await;
    assert_eq!(error_code(&f), code::UNSUPPORTED_REQUEST);

    // The same call ID twice: the second gets the first answer, and runs nothing.
    let first = c
        .request(call("updateUserName", 7, string_arg("first")))
        .await;
    let again = c
        .request(call("updateUserName", 7, string_arg("second")))
        .await;
    assert_eq!(first.body, again.body);
    let me = c.request(call("querySelfUserInfo", 8, vec![])).await;
    let Body::Reply(r) = me.body else {
        panic!("{me:?}")
    };
    let v = tinyim_protocol::value::decode_all(&r.body, shape("querySelfUserInfo")).unwrap();
    assert_eq!(
        get(
            &v,
            shape("querySelfUserInfo"),
            "self_user_info.user_full_info.base_info.user_name"
        ),
        Some(&s("first"))
    );
}
