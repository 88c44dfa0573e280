//! ZIM's request/response methods through the generic call path (src/calls.rs): arguments
//! checked and encoded by the method's shape, answers decoded by the response shape,
//! resends keeping the call ID, limits and timeouts, and live notices.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::areas::{UserFullInfo, UserInfo, UserInfoUpdated};
use tinyim_protocol::rpc::{self, Notice};
use tinyim_protocol::{code, Frame};

fn method(name: &str) -> u16 {
    rpc::method_named(name).unwrap().id
}

fn update_name(name: &str) -> Command {
    Command::Call {
        method: method("updateUserName"),
        args: Value::Struct(vec![Value::Str(name.into())]),
    }
}

#[test]
fn a_call_resolves_with_the_decoded_answer() {
    let mut h = Harness::new();
    h.login();
    let op = h.call(update_name("Alice A."));
    assert_eq!(
        h.result(op),
        Some(Ok(Reply::Call {
            method: method("updateUserName"),
            value: Value::Struct(vec![Value::Str("Alice A.".into())]),
        }))
    );
    let op = h.call(Command::Call {
        method: method("querySelfUserInfo"),
        args: Value::Nil,
    });
    let Some(Ok(Reply::Call { value, .. })) = h.result(op) else {
        panic!("querySelfUserInfo failed: {:?}", h.result(op));
    };
    // { selfUserInfo: { userFullInfo: { baseInfo: { userID, userName, ... }, ... } } }
    let Value::Struct(outer) = value else {
        panic!()
    };
    let Value::Struct(body) = &outer[0] else {
        panic!()
    };
    let Value::Struct(full) = &body[0] else {
        panic!()
    };
    let Value::Struct(base) = &full[0] else {
        panic!()
    };
    assert_eq!(base[0], Value::Str("alice".into()));
    assert_eq!(base[1], Value::Str("Alice A.".into()));
}

#[test]
fn a_bad_argument_fails_with_6000001_naming_method_and_field_and_sends_nothing() {
    let mut h = Harness::new();
    h.login();
    let sent = h.server.received.len();
    let op = h.call(update_name(&"x".repeat(33)));
    let Some(Err(e)) = h.result(op) else { panic!() };
    assert_eq!(e.code, code::PARAMS_INVALID);
    assert!(
        e.message.starts_with("updateUserName: userName "),
        "{}",
        e.message
    );
    let op = h.call(Command::Call {
        method: method("queryUsersInfo"),
        args: Value::Struct(vec![Value::List(vec![Value::Str("no spaces".into())])]),
    });
    let Some(Err(e)) = h.result(op) else { panic!() };
    assert!(
        e.message.starts_with("queryUsersInfo: userIDs[0] "),
        "{}",
        e.message
    );
    let op = h.call(Command::Call {
        method: method("updateUserName"),
        args: Value::Struct(vec![Value::Num(5.0)]),
    });
    assert_eq!(h.error_code(op), Some(code::PARAMS_INVALID));
    assert_eq!(h.server.received.len(), sent, "nothing went to the server");
}

#[test]
fn an_unknown_method_is_unsupported() {
    let mut h = Harness::new();
    h.login();
    let op = h.call(Command::Call {
        method: 65_000,
        args: Value::Nil,
    });
    assert_eq!(h.error_code(op), Some(code::UNSUPPORTED_REQUEST));
}

#[test]
fn calls_before_login_fail_with_6000121() {
    let mut h = Harness::new();
    let op = h.call(update_name("x"));
    assert_eq!(h.error_code(op), Some(code::USER_NOT_LOGGED));
}

#[test]
fn a_call_resent_after_a_reconnect_keeps_its_call_id() {
    let mut h = Harness::new();
    h.login();
    h.lose_replies = true;
    let op = h.call(update_name("Bob"));
    assert_eq!(h.result(op), None);
    h.lose_replies = false;
    h.drop_transport(1006);
    h.advance(1_000);
    assert!(
        h.result(op).is_some_and(|r| r.is_ok()),
        "{:?}",
        h.result(op)
    );
    let ids: Vec<u64> = h.server.calls.iter().map(|c| c.call_id).collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(
        ids[0], ids[1],
        "the resend carries the first attempt's call ID"
    );
    // A new call gets a new ID.
    h.call(update_name("Carol"));
    assert_ne!(h.server.calls[2].call_id, ids[0]);
}

#[test]
fn a_call_unanswered_for_10_s_fails_with_6000105() {
    let mut h = Harness::new();
    h.login();
    h.server.answer_requests = false;
    let op = h.call(update_name("x"));
    h.advance(9_999);
    assert_eq!(h.result(op), None);
    h.advance(1);
    assert_eq!(h.error_code(op), Some(code::REQUEST_TIMEOUT));
}

#[test]
fn more_than_30_calls_a_second_fail_with_6000004() {
    let mut h = Harness::new();
    h.login();
    let ops: Vec<OpId> = (0..31).map(|_| h.call(update_name("x"))).collect();
    assert!(ops[..30]
        .iter()
        .all(|op| h.result(*op).is_some_and(|r| r.is_ok())));
    assert_eq!(h.error_code(ops[30]), Some(code::SDK_FREQUENCY_LIMIT));
    h.advance(100);
    let op = h.call(update_name("x"));
    assert!(
        h.result(op).is_some_and(|r| r.is_ok()),
        "refilled after 1/30 s"
    );
}

#[test]
fn an_answer_for_another_method_is_a_server_error() {
    let mut h = Harness::new();
    h.login();
    h.server.answer_requests = false;
    let op = h.call(update_name("x"));
    let wire_id = h.server.received.last().unwrap().request_id;
    let wrong = tinyim_protocol::rpc::Reply {
        method: method("querySelfUserInfo"),
        body: vec![],
    };
    h.server_does(vec![ToClient::Bytes(
        Frame::new(wire_id, tinyim_protocol::Body::Reply(wrong)).encode(),
    )]);
    assert_eq!(h.error_code(op), Some(code::SERVER_ERROR));
}

#[test]
fn a_notice_becomes_an_event_and_unknown_ones_are_dropped() {
    let mut h = Harness::new();
    h.login();
    let info = UserFullInfo {
        base_info: UserInfo {
            user_id: "alice".into(),
            user_name: "A".into(),
            ..UserInfo::default()
        },
        ..UserFullInfo::default()
    };
    let n = h
        .server
        .notify(Notice::UserInfoUpdated(UserInfoUpdated { info }));
    let unknown = ToClient::Bytes(
        Frame::new(
            0,
            tinyim_protocol::Body::Notify(tinyim_protocol::rpc::Notify {
                notice: 65_000,
                body: vec![1, 2],
            }),
        )
        .encode(),
    );
    let before = h.events.len(); // (the login's conversation sync raised its own notices)
    h.server_does(vec![unknown, n]);
    let notices: Vec<&Event> = h.events[before..]
        .iter()
        .map(|(_, e)| e)
        .filter(|e| matches!(e, Event::Notice { .. }))
        .collect();
    assert_eq!(notices.len(), 1);
    let Event::Notice { notice, value } = notices[0] else {
        panic!()
    };
    assert_eq!(*notice, rpc::NOTICES[0].id);
    let Value::Struct(v) = value else { panic!() };
    let Value::Struct(full) = &v[0] else { panic!() };
    let Value::Struct(base) = &full[0] else {
        panic!()
    };
    assert_eq!(base[1], Value::Str("A".into()));
    assert!(h.client.poll_timeout().is_some(), "the session is still up");
}
