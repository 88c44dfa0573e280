//! Rooms: create/join/enter/leave, member and message events, re-enter after reconnect.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::code;

const ROOM_ENTER_KIND: u8 = 9;

fn enter(h: &mut Harness, room: &str) -> OpId {
    h.call(Command::EnterRoom {
        room_id: room.into(),
        room_name: format!("Room {room}"),
    })
}

#[test]
fn create_join_enter_and_leave() {
    let mut h = Harness::new();
    h.login();
    let op = h.call(Command::CreateRoom {
        room_id: "r1".into(),
        room_name: "One".into(),
    });
    assert_eq!(
        h.result(op),
        Some(Ok(Reply::Room {
            room_id: "r1".into(),
            room_name: "One".into()
        }))
    );
    let again = h.call(Command::CreateRoom {
        room_id: "r1".into(),
        room_name: "One".into(),
    });
    assert_eq!(h.error_code(again), Some(code::ROOM_ALREADY_EXISTS));
    let missing = h.call(Command::JoinRoom {
        room_id: "nope".into(),
    });
    assert_eq!(h.error_code(missing), Some(code::ROOM_DOES_NOT_EXIST));
    let join = h.call(Command::JoinRoom {
        room_id: "r1".into(),
    });
    assert_eq!(
        h.result(join),
        Some(Ok(Reply::Room {
            room_id: "r1".into(),
            room_name: "One".into()
        }))
    );
    let e = enter(&mut h, "r2");
    assert!(matches!(h.result(e), Some(Ok(Reply::Room { .. }))));
    assert_eq!(
        h.room_states(),
        vec![
            ("r1".into(), RoomState::Connected, RoomEvent::ActiveCreate),
            (
                "nope".into(),
                RoomState::Disconnected,
                RoomEvent::EnterFailed
            ),
            ("r2".into(), RoomState::Connected, RoomEvent::ActiveEnter),
        ],
        "a failed create of a room we are in changes nothing"
    );
    let leave = h.call(Command::LeaveRoom {
        room_id: "r1".into(),
    });
    assert_eq!(
        h.result(leave),
        Some(Ok(Reply::RoomLeft {
            room_id: "r1".into()
        }))
    );
    let leave = h.call(Command::LeaveRoom {
        room_id: "r1".into(),
    });
    assert_eq!(h.error_code(leave), Some(code::USER_NOT_IN_ROOM));
}

#[test]
fn member_and_message_events() {
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    let joined = h.server.member_change("r1", "bob", true);
    h.server_does(joined);
    let msg = h.server.room_message(h.now, "r1", "bob", "hi all");
    h.server_does(vec![msg]);
    let left = h.server.member_change("r1", "bob", false);
    h.server_does(left);
    let kinds: Vec<String> = h
        .events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::RoomMemberJoined { room_id, members } => {
                Some(format!("joined {room_id} {}", members[0].user_id))
            }
            Event::RoomMemberLeft { room_id, members } => {
                Some(format!("left {room_id} {}", members[0].user_id))
            }
            Event::RoomMessages { room_id, messages } => Some(format!(
                "message {room_id} {}",
                String::from_utf8(messages[0].payload.clone()).unwrap()
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        vec!["joined r1 bob", "message r1 hi all", "left r1 bob"]
    );
    let members = h.call(Command::QueryRoomMembers {
        room_id: "r1".into(),
        next_flag: String::new(),
        count: 100,
    });
    let Some(Ok(Reply::Members { members, .. })) = h.result(members) else {
        panic!()
    };
    assert_eq!(members.len(), 1);
    let count = h.call(Command::QueryRoomOnlineCount {
        room_id: "r1".into(),
    });
    assert_eq!(
        h.result(count),
        Some(Ok(Reply::Count {
            room_id: "r1".into(),
            count: 1
        }))
    );
}

#[test]
fn room_send_goes_to_the_room() {
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    let op = h.call(Command::SendMessage {
        conversation_type: 1,
        to: "r1".into(),
        message_type: 1,
        priority: 2,
        payload: b"to the room".to_vec(),
        extended_data: "x".into(),
        ext: None,
    });
    let Some(Ok(Reply::Sent(m))) = h.result(op) else {
        panic!()
    };
    assert_eq!((m.conversation_type, m.conversation_id.as_str()), (1, "r1"));
    assert_eq!(h.server.sends()[0].to, "r1");
}

#[test]
fn rooms_are_re_entered_after_a_reconnect() {
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    enter(&mut h, "r2");
    h.drop_transport(1006);
    assert_eq!(
        h.room_states()[2..],
        [
            (
                "r1".into(),
                RoomState::Connecting,
                RoomEvent::NetworkInterrupted
            ),
            (
                "r2".into(),
                RoomState::Connecting,
                RoomEvent::NetworkInterrupted
            ),
        ]
    );
    h.advance(1_000);
    let enters = h.server.sent_of_kind(ROOM_ENTER_KIND);
    assert_eq!(enters.len(), 4, "two by the app, two re-enters");
    assert_eq!(
        h.room_states()[4..],
        [
            ("r1".into(), RoomState::Connected, RoomEvent::Success),
            ("r2".into(), RoomState::Connected, RoomEvent::Success),
        ]
    );
    // Re-enters are not API calls: nothing extra completed.
    assert_eq!(h.completed.len(), 3);
    // A second drop repeats the cycle; a failing reconnect does not repeat the event.
    h.net_up = false;
    h.drop_transport(1006);
    h.advance(10_000);
    assert_eq!(h.room_states().len(), 8);
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    assert_eq!(h.room_states().len(), 10);
}

#[test]
fn a_left_room_is_not_re_entered() {
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    h.call(Command::LeaveRoom {
        room_id: "r1".into(),
    });
    h.drop_transport(1006);
    h.advance(1_000);
    assert_eq!(h.server.sent_of_kind(ROOM_ENTER_KIND).len(), 1);
}

#[test]
fn re_enter_timeout_reports_connect_timeout() {
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    h.server.answer_requests = false;
    h.drop_transport(1006);
    h.advance(11_000);
    assert_eq!(
        h.room_states().last(),
        Some(&(
            "r1".to_string(),
            RoomState::Disconnected,
            RoomEvent::ConnectTimeout
        ))
    );
}

#[test]
fn logout_and_kick_out_end_rooms() {
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    h.call(Command::Logout);
    assert_eq!(
        h.room_states().last(),
        Some(&(
            "r1".to_string(),
            RoomState::Disconnected,
            RoomEvent::Success
        ))
    );
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    let kick = h.server.kick();
    h.server_does(kick);
    assert_eq!(
        h.room_states().last(),
        Some(&(
            "r1".to_string(),
            RoomState::Disconnected,
            RoomEvent::KickedOutByOtherDevice
        ))
    );
}

#[test]
fn a_room_left_while_reconnecting_is_not_re_entered() {
    // leaveRoom during an outage: after the re-login the client must not enter the room
    // again first (others would see the user join again, an emptied room would be
    // re-created, and the app would hear Connected for a room it left).
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    h.net_up = false;
    h.drop_transport(1006);
    let leave = h.call(Command::LeaveRoom {
        room_id: "r1".into(),
    });
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    assert_eq!(
        h.server.sent_of_kind(ROOM_ENTER_KIND).len(),
        1,
        "only the app's own enter"
    );
    assert_eq!(
        h.result(leave),
        Some(Ok(Reply::RoomLeft {
            room_id: "r1".into()
        }))
    );
    assert!(!h
        .room_states()
        .iter()
        .any(|s| s.1 == RoomState::Connected && s.2 == RoomEvent::Success));
    // It is forgotten: the next reconnect does not enter it either.
    h.drop_transport(1006);
    h.advance(1_000);
    assert_eq!(h.server.sent_of_kind(ROOM_ENTER_KIND).len(), 1);
}

#[test]
fn a_room_left_after_the_grace_period_is_forgotten() {
    // The outage outlasted the server's grace period: the user is no longer in the room,
    // which is what leaveRoom asked for. The room must be forgotten, not re-entered later.
    let mut h = Harness::new();
    h.login();
    enter(&mut h, "r1");
    h.net_up = false;
    h.drop_transport(1006);
    h.server.rooms.clear(); // the grace period ended on the server
    let leave = h.call(Command::LeaveRoom {
        room_id: "r1".into(),
    });
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    assert_eq!(
        h.result(leave),
        Some(Ok(Reply::RoomLeft {
            room_id: "r1".into()
        }))
    );
    h.drop_transport(1006);
    h.advance(1_000);
    assert_eq!(h.server.sent_of_kind(ROOM_ENTER_KIND).len(), 1);
}

/// A room method of the generic call path, by ZIM name, with its request as a value.
fn room_call(h: &mut Harness, name: &str, args: Value) -> OpId {
    let method = tinyim_protocol::rpc::method_named(name).unwrap().id;
    h.call(Command::Call { method, args })
}

fn room_info(room: &str, name: &str) -> Value {
    Value::Struct(vec![Value::Str(room.into()), Value::Str(name.into())])
}

#[test]
fn rooms_entered_by_methods_are_remembered_switched_and_left() {
    let mut h = Harness::new();
    h.login();
    // createRoom with ZIM's advanced config goes by the method path.
    let config = Value::Struct(vec![
        Value::Map(vec![("k".into(), "v".into())]),
        Value::Num(0.0),
    ]);
    let op = room_call(
        &mut h,
        "createRoom",
        Value::Struct(vec![room_info("r1", "One"), config]),
    );
    assert!(matches!(h.result(op), Some(Ok(Reply::Call { .. }))));
    let again = room_call(
        &mut h,
        "createRoom",
        Value::Struct(vec![room_info("r1", "One"), Value::Nil]),
    );
    assert_eq!(h.error_code(again), Some(code::ROOM_ALREADY_EXISTS));
    let missing = room_call(
        &mut h,
        "switchRoom",
        Value::Struct(vec![
            Value::Str("r1".into()),
            room_info("r9", ""),
            Value::Bool(false),
        ]),
    );
    assert_eq!(h.error_code(missing), Some(code::ROOM_DOES_NOT_EXIST));
    let switch = room_call(
        &mut h,
        "switchRoom",
        Value::Struct(vec![
            Value::Str("r1".into()),
            room_info("r2", "Two"),
            Value::Bool(true),
        ]),
    );
    assert!(matches!(h.result(switch), Some(Ok(Reply::Call { .. }))));
    assert_eq!(
        h.room_states(),
        vec![
            ("r1".into(), RoomState::Connected, RoomEvent::ActiveCreate),
            (
                "r9".into(),
                RoomState::Disconnected,
                RoomEvent::SwitchFailed
            ),
            ("r2".into(), RoomState::Connected, RoomEvent::ActiveSwitch),
        ]
    );
    // After a reconnect only r2 (where the switch put us) is entered again.
    h.drop_transport(1006);
    h.advance(1_000);
    let enters: Vec<String> = h
        .server
        .sent_of_kind(ROOM_ENTER_KIND)
        .iter()
        .map(|f| match &f.body {
            tinyim_protocol::Body::RoomEnter(r) => r.room_id.clone(),
            _ => String::new(),
        })
        .collect();
    assert_eq!(enters, ["r2"]);
    // leaveAllRoom forgets every room: the next reconnect enters none.
    let all = room_call(&mut h, "leaveAllRoom", Value::Nil);
    assert!(matches!(h.result(all), Some(Ok(Reply::Call { .. }))));
    h.drop_transport(1006);
    h.advance(1_000);
    assert_eq!(h.server.sent_of_kind(ROOM_ENTER_KIND).len(), 1);
}
