//! Call invitations on the server: who may do what, an invitation handed over exactly once
//! at login, a resent call run once, and calls that survive a restart with their timeouts
//! re-armed (including a deadline that passed while the server was down).

mod support;

use std::time::Duration;

use support::*;
use tinyim::Value;
use tinyim_bench::host::Driver;
use tinyim_protocol::rpc::{self, Call};
use tinyim_protocol::value::get;
use tinyim_protocol::{code, Body};

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

fn list(users: &[&str]) -> Value {
    Value::List(users.iter().map(|u| s(u)).collect())
}

/// `callInvite(invitees, { timeout, mode, extendedData })`.
fn invite(users: &[&str], timeout: u32, mode: u8) -> Value {
    Value::Struct(vec![
        list(users),
        Value::Struct(vec![
            Value::Uint(u64::from(timeout)),
            Value::Uint(u64::from(mode)),
            s("x"),
        ]),
    ])
}

/// `(callID, config)` for accept, reject, join, quit, end.
fn answer(call_id: &str) -> Value {
    Value::Struct(vec![s(call_id), Value::Struct(vec![s("")])])
}

fn field<'a>(v: &'a Value, method: &str, path: &str) -> Option<&'a Value> {
    get(v, rpc::method_named(method).unwrap().response, path)
}

fn notice_field<'a>(v: &'a Value, notice: &str, path: &str) -> Option<&'a Value> {
    let shape = rpc::NOTICES
        .iter()
        .find(|n| n.name == notice)
        .unwrap()
        .shape;
    get(v, shape, path)
}

async fn login(srv: &Server, user: &str, seed: u64) -> Driver {
    let mut d = Driver::new(APP, &srv.ws_url(), seed);
    d.login(user, &token(user)).await.unwrap();
    d
}

/// Logs `user` in (so the server knows them) and out again, then gives the server a moment
/// to close the session: an invitation must find them offline.
async fn known_offline(srv: &Server, user: &str, seed: u64) {
    let mut d = login(srv, user, seed).await;
    d.call(tinyim::Command::Logout).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
}

async fn call_id(d: &mut Driver, args: Value) -> String {
    let r = d.rpc("callInvite", args).await.unwrap();
    field(&r, "callInvite", "call_id")
        .and_then(Value::as_str)
        .unwrap()
        .to_owned()
}

/// Drives `d` until it has `n` notices `name` about call `id` (at most `limit`).
async fn wait_notices(d: &mut Driver, name: &str, id: &str, n: usize, limit: Duration) -> bool {
    let name = name.to_owned();
    let id = Value::Str(id.to_owned());
    d.run_until(
        move |d| {
            d.notices(&name)
                .iter()
                .filter(|v| notice_field(v, &name, "call_id") == Some(&id))
                .count()
                >= n
        },
        limit,
    )
    .await
}

#[tokio::test]
async fn only_the_right_users_answer_cancel_or_end() {
    let srv = Server::start("calls-rights");
    let mut alice = login(&srv, "alice", 1).await;
    let mut bob = login(&srv, "bob", 2).await;
    let mut carol = login(&srv, "carol", 3).await;
    let id = call_id(&mut alice, invite(&["bob"], 30, 0)).await;

    let err = |r: Result<Value, tinyim::ZimError>| r.unwrap_err().code;
    assert_eq!(err(carol.rpc("callAccept", answer(&id)).await), 6_000_274);
    assert_eq!(err(alice.rpc("callAccept", answer(&id)).await), 6_000_274);
    let cancel = |who: &[&str]| Value::Struct(vec![list(who), s(&id), Value::Nil]);
    assert_eq!(err(bob.rpc("callCancel", cancel(&[])).await), 6_000_273);
    assert_eq!(
        err(alice.rpc("callEnd", answer(&id)).await),
        6_000_270,
        "a general call has no end"
    );
    assert_eq!(err(bob.rpc("callJoin", answer(&id)).await), 6_000_270);
    assert_eq!(
        err(carol.rpc("callAccept", answer("not-a-call")).await),
        6_000_276
    );
    // Cancelling someone who is not an unanswered invitee of the caller's: listed, not done.
    let r = alice
        .rpc("callCancel", cancel(&["carol", "bob"]))
        .await
        .unwrap();
    assert_eq!(
        field(&r, "callCancel", "error_invitees.0"),
        Some(&s("carol"))
    );
    assert_eq!(
        err(bob.rpc("callAccept", answer(&id)).await),
        6_000_276,
        "the call ended"
    );
}

#[tokio::test]
async fn an_offline_invitee_receives_the_invitation_once_at_login() {
    let srv = Server::start("calls-login");
    let mut alice = login(&srv, "alice", 1).await;
    known_offline(&srv, "bob", 2).await;
    let id = call_id(&mut alice, invite(&["bob"], 60, 0)).await;

    let mut bob = login(&srv, "bob", 3).await;
    assert!(
        wait_notices(
            &mut bob,
            "callInvitationReceived",
            &id,
            1,
            Duration::from_secs(5)
        )
        .await
    );
    // Alice hears that bob has it now (state 5, Received).
    assert!(
        wait_notices(
            &mut alice,
            "callUserStateChanged",
            &id,
            1,
            Duration::from_secs(5)
        )
        .await
    );
    let changed = alice.notices("callUserStateChanged").pop().unwrap();
    assert_eq!(
        notice_field(&changed, "callUserStateChanged", "call_user_list.0.state"),
        Some(&Value::Uint(5))
    );
    bob.call(tinyim::Command::Logout).await.unwrap();

    // Logging in again: no second invitation, but the call's users as they are.
    let mut again = login(&srv, "bob", 4).await;
    assert!(
        wait_notices(
            &mut again,
            "callUserStateChanged",
            &id,
            1,
            Duration::from_secs(5)
        )
        .await
    );
    again.run_for(Duration::from_millis(300)).await;
    assert!(again.notices("callInvitationReceived").is_empty());
    let all = again.notices("callUserStateChanged").pop().unwrap();
    assert_eq!(
        notice_field(&all, "callUserStateChanged", "call_user_list.1.user_id"),
        Some(&s("bob"))
    );
}

#[tokio::test]
async fn a_resent_invitation_is_one_call() {
    let srv = Server::start("calls-resend");
    known_offline(&srv, "bob", 2).await;
    let (mut c, _) = RawClient::login(&srv.ws_url(), APP, "alice", &token("alice"), 0).await;
    let m = rpc::method_named("callInvite").unwrap();
    let mut args = Vec::new();
    tinyim_protocol::value::encode(&invite(&["bob"], 30, 0), m.request, &mut args).unwrap();
    let body = || {
        Body::Call(Call {
            call_id: 77,
            method: m.id,
            args: args.clone(),
        })
    };
    let first = c.request(body()).await;
    let again = c.request(body()).await;
    assert_eq!(first.body, again.body);
    let mut alice = login(&srv, "alice", 5).await;
    let q = Value::Struct(vec![Value::Uint(10), Value::Uint(0)]);
    let r = alice.rpc("queryCallInvitationList", q).await.unwrap();
    assert_eq!(
        field(&r, "queryCallInvitationList", "call_list").map(|v| v.items().len()),
        Some(1)
    );
}

#[tokio::test]
async fn calls_survive_a_restart_and_time_out_on_the_servers_clock() {
    let dir = temp_dir("calls-restart");
    let mut srv = Server::start_in(&dir, &default_args());
    let mut alice = login(&srv, "alice", 1).await;
    known_offline(&srv, "bob", 2).await;
    known_offline(&srv, "carol", 3).await;
    let ringing = call_id(&mut alice, invite(&["bob"], 4, 0)).await;
    let missed = call_id(&mut alice, invite(&["carol"], 1, 0)).await;
    drop(alice);
    srv.kill(); // a crash: the calls are stored, their timers are not
    std::thread::sleep(Duration::from_millis(1500)); // carol's deadline passes meanwhile

    let srv = Server::start_in(&dir, &default_args());
    // Bob's call still rings: he receives it, and then it times out on time.
    let mut bob = login(&srv, "bob", 4).await;
    assert!(
        wait_notices(
            &mut bob,
            "callInvitationReceived",
            &ringing,
            1,
            Duration::from_secs(5)
        )
        .await
    );
    let mut alice = login(&srv, "alice", 5).await;
    assert!(
        wait_notices(
            &mut bob,
            "callInvitationTimeout",
            &ringing,
            1,
            Duration::from_secs(8)
        )
        .await
    );
    assert!(
        wait_notices(
            &mut alice,
            "callInviteesAnsweredTimeout",
            &ringing,
            1,
            Duration::from_secs(5)
        )
        .await
    );
    // Carol's timed out while the server was down: nothing rings at her login.
    let mut carol = login(&srv, "carol", 6).await;
    carol.run_for(Duration::from_millis(300)).await;
    assert!(carol.notices("callInvitationReceived").is_empty());
    let q = Value::Struct(vec![Value::Uint(10), Value::Uint(0)]);
    let r = carol.rpc("queryCallInvitationList", q).await.unwrap();
    let path = "call_list.0.call_user_list.1.state";
    assert_eq!(
        field(&r, "queryCallInvitationList", "call_list.0.call_id"),
        Some(&s(&missed))
    );
    assert_eq!(
        field(&r, "queryCallInvitationList", path),
        Some(&Value::Uint(6))
    );
    assert_eq!(
        carol
            .rpc("callAccept", answer(&missed))
            .await
            .unwrap_err()
            .code,
        6_000_276
    );
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn raw_calls_are_checked_by_the_server() {
    let srv = Server::start("calls-raw");
    let (mut c, _) = RawClient::login(&srv.ws_url(), APP, "alice", &token("alice"), 0).await;
    let m = rpc::method_named("callInvite").unwrap();
    // Ten invitees (ZIM allows nine), each a valid ID: the server refuses them itself.
    let ten: Vec<String> = (0..10).map(|i| format!("u{i}")).collect();
    let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
    let mut args = Vec::new();
    tinyim_protocol::value::encode(&invite(&ten, 30, 0), m.request, &mut args).unwrap();
    let f = c
        .request(Body::Call(Call {
            call_id: 1,
            method: m.id,
            args,
        }))
        .await;
    assert_eq!(error_code(&f), code::PARAMS_INVALID);
}
