//! Login, logout and calls outside a session, against the scripted server.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::{code, Body};

fn login_cmd(user: &str, token: &str) -> Command {
    Command::Login {
        user_id: user.into(),
        user_name: "Alice".into(),
        token: token.into(),
    }
}

#[test]
fn login_success_emits_connecting_then_connected_and_completes() {
    let mut h = Harness::new();
    h.now = 1_000;
    let op = h.call(login_cmd("alice", "04abc"));
    assert_eq!(
        h.states(),
        vec![
            (ConnectionState::Connecting, ConnectionEvent::ActiveLogin),
            (ConnectionState::Connected, ConnectionEvent::Success),
        ]
    );
    assert_eq!(h.result(op), Some(Ok(Reply::Done)));
    assert_eq!(h.connects, vec![1_000]);
    let login = &h.server.logins[0];
    assert_eq!(login.app_id, APP_ID);
    assert_eq!(login.user_id, "alice");
    assert_eq!(login.user_name, "Alice");
    assert_eq!(login.token, "04abc");
    assert_eq!(login.last_inbox_seq, 0);
    // The first frame on the connection is the login, with a non-zero request id.
    assert!(matches!(h.server.received[0].body, Body::Login(_)));
    assert_ne!(h.server.received[0].request_id, 0);
    // Order: Connecting event, Connect, Login frame, Connected event, then the promise.
    let pos = |prefix: &str| {
        h.log
            .iter()
            .position(|(_, s)| s.starts_with(prefix))
            .unwrap_or_else(|| panic!("{prefix} not in {:?}", h.log))
    };
    assert!(pos("event ConnectionStateChanged { state: Connecting") < pos("connect"));
    assert!(pos("connect") < pos("transmit"));
    assert!(pos("transmit") < pos("event ConnectionStateChanged { state: Connected"));
    assert!(pos("event ConnectionStateChanged { state: Connected") < pos("completed"));
}

#[test]
fn login_without_answer_times_out_after_10s() {
    let mut h = Harness::new();
    h.server.login_reply = LoginReply::Silent;
    let op = h.call(login_cmd("alice", "t"));
    h.advance(9_999);
    assert_eq!(h.result(op), None);
    h.advance(1);
    assert_eq!(h.error_code(op), Some(code::REQUEST_TIMEOUT));
    assert_eq!(h.completed[0].0, 10_000);
    h.assert_disconnected(ConnectionEvent::LoginTimeout);
    assert_eq!(h.disconnects, vec![10_000]);
    h.assert_never_reconnects();
    assert_eq!(h.client.poll_timeout(), None);
}

#[test]
fn login_refused_with_expired_token_fails_with_that_code_and_does_not_retry() {
    let mut h = Harness::new();
    h.server.login_reply = LoginReply::Refuse(code::TOKEN_EXPIRED);
    let op = h.call(login_cmd("alice", "t"));
    let err = h.result(op).unwrap().unwrap_err();
    assert_eq!(err.code, code::TOKEN_EXPIRED);
    assert_eq!(
        h.states(),
        vec![
            (ConnectionState::Connecting, ConnectionEvent::ActiveLogin),
            (ConnectionState::Disconnected, ConnectionEvent::TokenExpired),
        ]
    );
    h.assert_never_reconnects();
}

#[test]
fn login_refused_with_invalid_token_reports_login_interrupted() {
    let mut h = Harness::new();
    h.server.login_reply = LoginReply::Refuse(code::TOKEN_INVALID);
    let op = h.call(login_cmd("alice", "t"));
    assert_eq!(h.error_code(op), Some(code::TOKEN_INVALID));
    assert_eq!(
        h.states().last(),
        Some(&(
            ConnectionState::Disconnected,
            ConnectionEvent::LoginInterrupted
        ))
    );
    h.assert_never_reconnects();
    // A fresh login is allowed afterwards.
    h.server.login_reply = LoginReply::Accept;
    h.login();
}

#[test]
fn first_login_retries_a_failing_transport_within_its_deadline() {
    let mut h = Harness::new();
    h.net_up = false;
    let op = h.call(login_cmd("alice", "t"));
    h.advance(3_000);
    assert!(h.connects.len() >= 3, "retried: {:?}", h.connects);
    assert_eq!(h.states().len(), 1, "still Connecting");
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    assert_eq!(h.result(op), Some(Ok(Reply::Done)));
    assert_eq!(*h.connects.last().unwrap(), 3_000);
}

#[test]
fn first_login_with_network_down_fails_at_the_deadline() {
    let mut h = Harness::new();
    h.net_up = false;
    let op = h.call(login_cmd("alice", "t"));
    h.advance(20_000);
    assert_eq!(h.error_code(op), Some(code::REQUEST_TIMEOUT));
    assert!(h.connects.iter().all(|&t| t < 10_000));
    h.assert_disconnected(ConnectionEvent::LoginTimeout);
}

#[test]
fn calls_before_login_fail_with_6000121_and_send_nothing() {
    let mut h = Harness::new();
    let ops = [
        h.send_text("bob", "hi"),
        h.call(Command::RenewToken { token: "t".into() }),
        h.call(Command::EnterRoom {
            room_id: "r".into(),
            room_name: "R".into(),
        }),
        h.call(Command::QueryRoomOnlineCount {
            room_id: "r".into(),
        }),
    ];
    for op in ops {
        assert_eq!(h.error_code(op), Some(code::USER_NOT_LOGGED));
    }
    assert!(h.connects.is_empty() && h.server.received.is_empty());
    // Also while the first login is still in progress.
    h.server.login_reply = LoginReply::Silent;
    h.call(login_cmd("alice", "t"));
    let op = h.send_text("bob", "hi");
    assert_eq!(h.error_code(op), Some(code::USER_NOT_LOGGED));
    assert!(h.server.sends().is_empty());
    // Logout of a client that is not logged in is a harmless no-op... after this one ends.
}

#[test]
fn logout_before_login_is_a_no_op() {
    let mut h = Harness::new();
    let op = h.call(Command::Logout);
    assert_eq!(h.result(op), Some(Ok(Reply::Done)));
    assert!(h.events.is_empty() && h.connects.is_empty());
}

#[test]
fn second_login_fails_with_6000111() {
    let mut h = Harness::new();
    h.login();
    let op = h.call(login_cmd("alice", "t"));
    assert_eq!(h.error_code(op), Some(code::USER_ALREADY_LOGGED));
    assert_eq!(h.connects.len(), 1);
}

#[test]
fn invalid_login_arguments_fail_with_6000001_before_connecting() {
    let mut h = Harness::new();
    let op = h.call(login_cmd("al ice", "t"));
    let err = h.result(op).unwrap().unwrap_err();
    assert_eq!(err.code, code::PARAMS_INVALID);
    assert!(err.message.contains("userID"), "{}", err.message);
    let op = h.call(login_cmd("alice", ""));
    assert_eq!(h.error_code(op), Some(code::PARAMS_INVALID));
    assert!(h.connects.is_empty() && h.events.is_empty());
}

#[test]
fn logout_sends_logout_disconnects_and_never_reconnects() {
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    let send = h.send_text("bob", "pending");
    let op = h.call(Command::Logout);
    assert_eq!(h.result(op), Some(Ok(Reply::Done)));
    assert!(matches!(
        h.server.received.last().unwrap().body,
        Body::Logout(_)
    ));
    assert_eq!(h.disconnects.len(), 1);
    h.assert_disconnected(ConnectionEvent::Success);
    assert_eq!(h.error_code(send), Some(code::USER_NOT_LOGGED));
    h.assert_never_reconnects();
    assert_eq!(h.client.poll_timeout(), None);
    let op = h.send_text("bob", "after");
    assert_eq!(h.error_code(op), Some(code::USER_NOT_LOGGED));
    // Logging in again works and resumes after what was delivered.
    h.login();
    assert_eq!(h.connects.len(), 2);
}

#[test]
fn logout_during_first_login_fails_the_login_once() {
    let mut h = Harness::new();
    h.server.login_reply = LoginReply::Silent;
    let login = h.call(login_cmd("alice", "t"));
    h.advance(1_000);
    h.call(Command::Logout);
    assert_eq!(h.error_code(login), Some(code::USER_NOT_LOGGED));
    h.advance(60_000);
    assert!(h.result(login).is_some());
    h.assert_disconnected(ConnectionEvent::Success);
}
