//! Argument limits (6000001), client rate limits (6000004), token expiry and renewal.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::code;

fn send(h: &mut Harness, kind: u8, to: &str, payload: Vec<u8>) -> OpId {
    h.call(Command::SendMessage {
        conversation_type: 0,
        to: to.into(),
        message_type: kind,
        priority: 1,
        payload,
        extended_data: String::new(),
        ext: None,
    })
}

#[test]
fn user_id_rules() {
    for (id, ok) in [
        ("alice", true),
        ("A-z_0.9~!@#$%^&*()+=`;',<>/\\", true),
        (&"a".repeat(32), true),
        (&"a".repeat(33), false),
        ("", false),
        ("with space", false),
        ("中文", false),
        ("quote\"", false),
    ] {
        let mut h = Harness::new();
        let op = h.call(Command::Login {
            user_id: id.into(),
            user_name: "n".into(),
            token: "t".into(),
        });
        if ok {
            assert_eq!(h.result(op), Some(Ok(Reply::Done)), "{id:?}");
        } else {
            let err = h.result(op).unwrap().unwrap_err();
            assert_eq!(err.code, code::PARAMS_INVALID, "{id:?}");
            assert!(err.message.starts_with("userID must be 1-32 bytes"));
            assert!(h.connects.is_empty());
        }
    }
    let mut h = Harness::new();
    let op = h.call(Command::Login {
        user_id: "alice".into(),
        user_name: "n".repeat(33),
        token: "t".into(),
    });
    assert!(h
        .result(op)
        .unwrap()
        .unwrap_err()
        .message
        .contains("userName"));
    // Peer targets follow the same rule.
    let mut h = Harness::new();
    h.login();
    let op = h.send_text("bad id", "x");
    assert_eq!(h.error_code(op), Some(code::PARAMS_INVALID));
}

#[test]
fn message_size_limits() {
    let mut h = Harness::new();
    h.login();
    let ok = send(&mut h, 1, "bob", vec![b'a'; 32 * 1024]);
    assert!(matches!(h.result(ok), Some(Ok(_))));
    let big = send(&mut h, 1, "bob", vec![b'a'; 32 * 1024 + 1]);
    let err = h.result(big).unwrap().unwrap_err();
    assert_eq!(err.code, code::PARAMS_INVALID);
    assert!(err.message.contains("32 KB"), "{}", err.message);
    let ok = send(&mut h, 2, "bob", vec![0; 5 * 1024]);
    assert!(matches!(h.result(ok), Some(Ok(_))));
    let big = send(&mut h, 2, "bob", vec![0; 5 * 1024 + 1]);
    let err = h.result(big).unwrap().unwrap_err();
    assert_eq!(err.code, code::PARAMS_INVALID);
    assert!(err.message.contains("5 KB"), "{}", err.message);
    let bad_type = send(&mut h, 11, "bob", b"x".to_vec());
    assert_eq!(h.error_code(bad_type), Some(code::PARAMS_INVALID));
    let ext = h.call(Command::SendMessage {
        conversation_type: 0,
        to: "bob".into(),
        message_type: 1,
        priority: 1,
        payload: b"x".to_vec(),
        extended_data: "e".repeat(1025),
        ext: None,
    });
    assert_eq!(h.error_code(ext), Some(code::PARAMS_INVALID));
    // Only the two valid sends reached the wire.
    assert_eq!(h.server.sends().len(), 2);
    // Room and page arguments.
    let op = h.call(Command::EnterRoom {
        room_id: "r".repeat(129),
        room_name: String::new(),
    });
    assert_eq!(h.error_code(op), Some(code::PARAMS_INVALID));
    let op = h.call(Command::QueryRoomMembers {
        room_id: "r".into(),
        next_flag: String::new(),
        count: 0,
    });
    assert_eq!(h.error_code(op), Some(code::PARAMS_INVALID));
}

#[test]
fn text_rate_limit_is_10_a_second_and_refills() {
    let mut h = Harness::new();
    h.login();
    h.now = 10_000;
    let ops: Vec<OpId> = (0..10)
        .map(|i| h.send_text("bob", &i.to_string()))
        .collect();
    assert!(ops.iter().all(|&op| h.result(op).is_none_or(|r| r.is_ok())));
    let eleventh = h.send_text("bob", "11");
    let err = h.result(eleventh).unwrap().unwrap_err();
    assert_eq!(err.code, code::SDK_FREQUENCY_LIMIT);
    // Admitted sends go on the wire in bursts of half the server's (src/rate_limit.rs).
    assert_eq!(h.server.sends().len(), 5);
    // Commands have their own budget (to bob, one would queue behind the texts).
    let cmd = send(&mut h, 2, "carol", vec![1]);
    assert!(matches!(h.result(cmd), Some(Ok(_))));
    // One token back every 100 ms.
    h.advance(99);
    let op = h.send_text("bob", "early");
    assert_eq!(h.error_code(op), Some(code::SDK_FREQUENCY_LIMIT));
    h.advance(1);
    let op = h.send_text("bob", "refilled");
    assert!(h.result(op).is_none_or(|r| r.is_ok()));
    h.advance(600);
    assert!(ops.iter().all(|&op| matches!(h.result(op), Some(Ok(_)))));
    assert!(matches!(h.result(op), Some(Ok(_))));
    assert_eq!(h.server.sends().len(), 12, "the refused sends never left");
    // A full second later the whole burst is available again.
    h.advance(1_000);
    let ops: Vec<OpId> = (0..10)
        .map(|i| h.send_text("bob", &format!("again {i}")))
        .collect();
    h.advance(500);
    for (i, op) in ops.into_iter().enumerate() {
        assert!(matches!(h.result(op), Some(Ok(_))), "send {i}");
    }
}

#[test]
fn command_rate_limit_is_20_a_second() {
    let mut h = Harness::new();
    h.login();
    let ops: Vec<OpId> = (0..20).map(|i| send(&mut h, 2, "bob", vec![i])).collect();
    let op = send(&mut h, 2, "bob", vec![21]);
    assert_eq!(h.error_code(op), Some(code::SDK_FREQUENCY_LIMIT));
    h.advance(50);
    let op = send(&mut h, 2, "bob", vec![22]);
    assert_eq!(h.error_code(op), None);
    h.advance(550);
    assert!(ops.iter().all(|&op| matches!(h.result(op), Some(Ok(_)))));
    assert!(matches!(h.result(op), Some(Ok(_))));
}

fn warnings(h: &Harness) -> Vec<(Millis, u32)> {
    h.events
        .iter()
        .filter_map(|(t, e)| match e {
            Event::TokenWillExpire { second } => Some((*t, *second)),
            _ => None,
        })
        .collect()
}

#[test]
fn token_will_expire_fires_30s_before_expiry_once() {
    let mut h = Harness::new();
    h.now = 3_000;
    // The token expires 100 s after login, in server time.
    h.server.token_expire = (SERVER_EPOCH_MS + 3_000) / 1000 + 100;
    h.login();
    h.advance_to(72_999);
    assert!(warnings(&h).is_empty());
    h.advance_to(73_000);
    assert_eq!(warnings(&h), vec![(73_000, 30)]);
    // A reconnect with the same token does not warn again.
    h.drop_transport(1006);
    h.advance(20_000);
    assert_eq!(warnings(&h).len(), 1);
}

#[test]
fn a_nearly_expired_token_warns_at_login() {
    let mut h = Harness::new();
    h.server.token_expire = SERVER_EPOCH_MS / 1000 + 12;
    h.login();
    assert_eq!(warnings(&h), vec![(0, 12)]);
}

#[test]
fn renew_token_moves_the_expiry_and_is_used_for_the_next_login() {
    let mut h = Harness::new();
    h.server.token_expire = SERVER_EPOCH_MS / 1000 + 60;
    h.server.renewed_expire = SERVER_EPOCH_MS / 1000 + 600;
    h.login();
    h.advance_to(30_000);
    assert_eq!(warnings(&h), vec![(30_000, 30)]);
    let op = h.call(Command::RenewToken {
        token: "04renewed".into(),
    });
    assert_eq!(
        h.result(op),
        Some(Ok(Reply::TokenRenewed {
            token_expire: SERVER_EPOCH_MS / 1000 + 600
        }))
    );
    h.advance_to(569_999);
    assert_eq!(warnings(&h).len(), 1);
    h.advance_to(570_000);
    assert_eq!(warnings(&h), vec![(30_000, 30), (570_000, 30)]);
    h.drop_transport(1001);
    h.advance(1_000);
    assert_eq!(h.server.logins.last().unwrap().token, "04renewed");
}

#[test]
fn refused_renewal_keeps_the_old_token() {
    let mut h = Harness::new();
    h.login();
    h.server.renew_error = Some(code::TOKEN_INVALID);
    let op = h.call(Command::RenewToken {
        token: "04bad".into(),
    });
    assert_eq!(h.error_code(op), Some(code::TOKEN_INVALID));
    let op = h.call(Command::RenewToken {
        token: String::new(),
    });
    assert_eq!(h.error_code(op), Some(code::PARAMS_INVALID));
    h.drop_transport(1001);
    h.advance(1_000);
    assert_eq!(h.server.logins.last().unwrap().token, "04token");
}

#[test]
fn a_token_renewed_while_reconnecting_is_used_once_the_old_one_has_expired() {
    // The network is down when tokenWillExpire fires; the app renews anyway. Once the old
    // token has expired, logging in again with it can only be refused (TokenExpired, the
    // session ends): the reconnect must carry the token the app gave.
    let mut h = Harness::new();
    h.server.token_expire = SERVER_EPOCH_MS / 1000 + 60;
    h.login();
    h.net_up = false;
    h.now = 1_000;
    h.drop_transport(1006);
    h.advance_to(30_000);
    assert_eq!(warnings(&h), vec![(30_000, 30)]);
    let op = h.call(Command::RenewToken {
        token: "04renewed".into(),
    });
    h.advance_to(61_000);
    h.server.expired_token = Some("04token".into());
    h.server.token_expire = SERVER_EPOCH_MS / 1000 + 3600; // the renewed token's
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    assert_eq!(h.server.logins.last().unwrap().token, "04renewed");
    assert_eq!(
        h.states().last(),
        Some(&(ConnectionState::Connected, ConnectionEvent::Success))
    );
    // The renewal itself timed out while offline (10 s), once; its token was still used.
    assert_eq!(h.error_code(op), Some(code::REQUEST_TIMEOUT));
    h.advance(600_000);
    assert_eq!(h.server.logins.len(), 2, "still connected");
}
