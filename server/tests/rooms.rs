//! Rooms on the method path, on the server: attributes that go with their owner when the
//! owner's grace period ends (and stay when they come back within it), membership rules
//! for attribute calls, and leaving every room, on `leaveAllRoom` and at logout.

mod support;

use std::time::Duration;

use support::*;
use tinyim::{Command, Event, Value};
use tinyim_bench::host::Driver;
use tinyim_protocol::rpc;
use tinyim_protocol::value::get;

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

fn map(pairs: &[(&str, &str)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

async fn login(srv: &Server, user: &str, seed: u64) -> Driver {
    let mut d = Driver::new(APP, &srv.ws_url(), seed);
    d.login(user, &token(user)).await.unwrap();
    d
}

/// `enterRoom({ roomID, roomName: '' })`.
async fn enter(d: &mut Driver, room: &str) {
    let args = Value::Struct(vec![Value::Struct(vec![s(room), s("")]), Value::Nil]);
    d.rpc("enterRoom", args).await.unwrap();
}

/// `setRoomAttributes(attrs, room, { isDeleteAfterOwnerLeft })`.
async fn set(d: &mut Driver, room: &str, attrs: Value, delete_after: bool) -> Result<Value, u32> {
    let config = Value::Struct(vec![Value::Bool(false), Value::Bool(delete_after)]);
    d.rpc(
        "setRoomAttributes",
        Value::Struct(vec![attrs, s(room), config]),
    )
    .await
    .map_err(|e| e.code)
}

async fn all_attributes(d: &mut Driver, room: &str) -> Result<Value, u32> {
    let r = d
        .rpc("queryRoomAllAttributes", Value::Struct(vec![s(room)]))
        .await
        .map_err(|e| e.code)?;
    let shape = rpc::method_named("queryRoomAllAttributes")
        .unwrap()
        .response;
    Ok(get(&r, shape, "room_attributes").cloned().unwrap())
}

#[tokio::test]
async fn an_owners_attributes_go_when_their_grace_period_ends_not_before() {
    let srv = Server::start("rooms-owner-grace");
    let mut alice = login(&srv, "alice", 1).await;
    let mut bob = login(&srv, "bob", 2).await;
    enter(&mut alice, "r").await;
    enter(&mut bob, "r").await;
    set(&mut alice, "r", map(&[("seat", "alice")]), true)
        .await
        .unwrap();
    set(&mut alice, "r", map(&[("topic", "t")]), false)
        .await
        .unwrap();

    // Alice's connection drops and she is back within the grace period (2 s): kept.
    drop(alice);
    let mut alice = login(&srv, "alice", 3).await;
    enter(&mut alice, "r").await;
    bob.run_for(Duration::from_millis(2500)).await;
    assert_eq!(
        all_attributes(&mut bob, "r").await.unwrap(),
        map(&[("seat", "alice"), ("topic", "t")])
    );

    // Gone for good: after the grace period her marked attribute goes, and bob is told.
    let before = bob.notices("roomAttributesUpdated").len();
    drop(alice);
    let told = bob
        .run_until(
            |d| d.notices("roomAttributesUpdated").len() > before,
            Duration::from_secs(6),
        )
        .await;
    assert!(told, "bob hears of the deletion");
    let shape = rpc::NOTICES
        .iter()
        .find(|n| n.name == "roomAttributesUpdated")
        .unwrap()
        .shape;
    let n = bob.notices("roomAttributesUpdated").pop().unwrap();
    assert_eq!(get(&n, shape, "infos.0.action"), Some(&Value::Uint(1)));
    assert_eq!(
        get(&n, shape, "infos.0.room_attributes"),
        Some(&map(&[("seat", "")]))
    );
    assert_eq!(
        all_attributes(&mut bob, "r").await.unwrap(),
        map(&[("topic", "t")])
    );
}

#[tokio::test]
async fn attribute_calls_need_a_room_and_membership() {
    let srv = Server::start("rooms-membership");
    let mut alice = login(&srv, "alice", 1).await;
    let mut bob = login(&srv, "bob", 2).await;
    assert_eq!(
        set(&mut bob, "none", map(&[("k", "v")]), false).await,
        Err(6_000_322)
    );
    enter(&mut alice, "r").await;
    assert_eq!(
        set(&mut bob, "r", map(&[("k", "v")]), false).await,
        Err(6_000_321)
    );
    assert_eq!(all_attributes(&mut bob, "r").await, Err(6_000_321));
    let q = Value::Struct(vec![s("r"), Value::Struct(vec![s(""), Value::Uint(10)])]);
    let e = bob
        .rpc("queryRoomMemberAttributesList", q)
        .await
        .unwrap_err();
    assert_eq!(e.code, 6_000_321);
    let q = Value::Struct(vec![s("r"), Value::Struct(vec![s(""), Value::Uint(0)])]);
    let e = alice
        .rpc("queryRoomMemberAttributesList", q)
        .await
        .unwrap_err();
    assert_eq!(e.code, 6_000_001);
}

#[tokio::test]
async fn leave_all_and_logout_leave_every_room() {
    // A long grace period, so that leaving at logout cannot be mistaken for its end.
    let dir = temp_dir("rooms-leave-all");
    let mut args = default_args();
    let grace = args
        .iter()
        .position(|a| a == "--room-grace-seconds")
        .unwrap();
    args[grace + 1] = "30".into();
    let srv = Server::start_in(&dir, &args);
    let mut alice = login(&srv, "alice", 1).await;
    let mut bob = login(&srv, "bob", 2).await;
    // One room entered by the session frame, one by the method.
    alice
        .call(Command::EnterRoom {
            room_id: "a".into(),
            room_name: String::new(),
        })
        .await
        .unwrap();
    enter(&mut alice, "b").await;
    enter(&mut bob, "a").await;
    enter(&mut bob, "b").await;
    let r = alice.rpc("leaveAllRoom", Value::Nil).await.unwrap();
    let shape = rpc::method_named("leaveAllRoom").unwrap().response;
    assert_eq!(
        get(&r, shape, "room_ids"),
        Some(&Value::List(vec![s("a"), s("b")]))
    );
    let left = |d: &Driver| {
        d.events
            .iter()
            .filter(|e| matches!(e, Event::RoomMemberLeft { .. }))
            .count()
    };
    assert!(
        bob.run_until(|d| left(d) == 2, Duration::from_secs(5))
            .await
    );

    // Logout leaves them too, at once (no grace period).
    enter(&mut alice, "a").await;
    enter(&mut alice, "b").await;
    alice.call(Command::Logout).await.unwrap();
    assert!(
        bob.run_until(|d| left(d) == 4, Duration::from_secs(10))
            .await
    );
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}
