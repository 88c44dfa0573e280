//! Sends (ack, resend with the same id, settle once, timeouts), pushes (de-dup, order,
//! grouping, cumulative acks), queries and request timeouts.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::{code, Body};

const PUSH_ACK_KIND: u8 = 6;

#[test]
fn peer_send_resolves_with_the_stored_message() {
    let mut h = Harness::new();
    h.login();
    h.now = 7_000;
    let op = h.send_text("bob", "hello");
    let Some(Ok(Reply::Sent(m))) = h.result(op) else {
        panic!("{:?}", h.result(op))
    };
    let (stored, ack) = &h.server.stored[0];
    assert_eq!(m.message_id, ack.message_id);
    assert_eq!(m.order_key, 1);
    assert_eq!(m.timestamp, SERVER_EPOCH_MS + 7_000);
    assert_eq!(m.client_message_id, stored.client_message_id);
    assert_ne!(m.client_message_id, 0);
    assert_eq!(m.sender_id, "alice");
    assert_eq!(m.conversation_id, "bob");
    assert_eq!(m.conversation_type, 0);
    assert_eq!(m.payload, b"hello");
    // Each send gets its own client message id.
    let op2 = h.send_text("bob", "again");
    let Some(Ok(Reply::Sent(m2))) = h.result(op2) else {
        panic!()
    };
    assert_ne!(m2.client_message_id, m.client_message_id);
    assert_eq!(m2.order_key, 2);
}

#[test]
fn unacked_send_is_resent_after_reconnect_with_the_same_id_and_settles_once() {
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    let op = h.send_text("bob", "hello");
    assert_eq!(h.result(op), None);
    h.drop_transport(1006);
    h.server.ack_sends = true;
    h.advance(1_000);
    let sends = h.server.sends();
    assert_eq!(sends.len(), 2);
    assert_eq!(sends[0].client_message_id, sends[1].client_message_id);
    assert!(matches!(h.result(op), Some(Ok(Reply::Sent(_)))));
    h.advance(100_000);
    assert_eq!(h.completed.iter().filter(|c| c.1 == op).count(), 1);
}

#[test]
fn lost_ack_is_recovered_by_the_servers_dedup() {
    let mut h = Harness::new();
    h.login();
    // The server stores the message but its ack is lost with the connection.
    h.lose_replies = true;
    let op = h.send_text("bob", "hello");
    h.lose_replies = false;
    h.drop_transport(1006);
    h.advance(1_000);
    assert_eq!(h.server.stored.len(), 1, "stored once");
    let Some(Ok(Reply::Sent(m))) = h.result(op) else {
        panic!("{:?}", h.result(op))
    };
    assert_eq!(m.message_id, h.server.stored[0].1.message_id);
    let ids: Vec<u64> = h
        .server
        .sends()
        .iter()
        .map(|s| s.client_message_id)
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|&i| i == ids[0]));
}

#[test]
fn a_send_without_an_ack_is_never_failed_for_time_and_resolves_once_stored() {
    // docs/protocol.md "Settling a send": no timer fails a send while the session lasts; it
    // is sent again on every connection until the server answers it.
    let mut h = Harness::new();
    h.login();
    h.now = 1_000;
    h.server.ack_sends = false;
    let op = h.send_text("bob", "hello");
    // Reconnects happen meanwhile; the message is resent on each connection, long past the
    // 30 s an ack used to be waited for.
    for _ in 0..4 {
        h.advance(20_000);
        h.drop_transport(1006);
    }
    h.advance(5_000);
    assert_eq!(h.result(op), None, "still pending, not failed");
    let resent = h.server.sends();
    assert_eq!(resent.len(), 5);
    assert!(resent
        .iter()
        .all(|s| s.client_message_id == resent[0].client_message_id));
    // The server finally stores it: resolved, once.
    h.server.ack_sends = true;
    h.drop_transport(1006);
    h.advance(60_000);
    assert!(matches!(h.result(op), Some(Ok(Reply::Sent(_)))));
    assert_eq!(h.server.stored.len(), 1);
}

#[test]
fn a_pending_send_fails_with_the_reason_when_the_session_ends() {
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    let op = h.send_text("bob", "hello");
    h.advance(45_000);
    assert_eq!(h.result(op), None);
    let kick = h.server.kick();
    h.server_does(kick);
    assert_eq!(h.error_code(op), Some(code::USER_ALREADY_LOGGED));
}

#[test]
fn sends_made_while_reconnecting_wait_for_the_connection() {
    let mut h = Harness::new();
    h.login();
    h.net_up = false;
    h.drop_transport(1006);
    let a = h.send_text("bob", "a");
    let b = h.send_text("carol", "b");
    assert!(h.server.sends().is_empty());
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    let sends = h.server.sends();
    assert_eq!(sends.len(), 2);
    assert_eq!(sends[0].payload, b"a");
    assert_eq!(sends[1].payload, b"b");
    assert!(matches!(h.result(a), Some(Ok(_))));
    assert!(matches!(h.result(b), Some(Ok(_))));
}

/// Answers the last frame the client sent with `Error { code }`, by hand.
fn refuse_last(h: &mut Harness, code: u32, message: &str) {
    let id = h.server.received.last().unwrap().request_id;
    h.server_does(vec![ToClient::Bytes(
        tinyim_protocol::Frame::new(
            id,
            Body::Error(tinyim_protocol::Error {
                code,
                message: message.into(),
            }),
        )
        .encode(),
    )]);
}

#[test]
fn a_refusal_that_means_not_stored_rejects_the_send() {
    let mut h = Harness::new();
    h.login();
    // The scripted server acks every send: answer this one with an error by hand.
    h.server.ack_sends = false;
    let op = h.send_text("bob", "x");
    refuse_last(&mut h, code::DATABASE_ERROR, "message not stored");
    let err = h.result(op).unwrap().unwrap_err();
    assert_eq!(err.code, code::DATABASE_ERROR);
    assert_eq!(err.message, "message not stored");
}

#[test]
fn the_servers_rate_refusal_is_never_shown_the_send_goes_again_after_a_second() {
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    h.now = 5_000;
    let op = h.send_text("bob", "x");
    refuse_last(&mut h, code::SERVER_FREQUENCY_LIMIT, "slow down");
    assert_eq!(h.result(op), None, "not failed");
    h.server.ack_sends = true;
    h.advance(1_099);
    assert_eq!(h.server.sends().len(), 1, "held for the server's refill");
    h.advance(1);
    assert_eq!(h.server.sends().len(), 2);
    assert!(matches!(h.result(op), Some(Ok(Reply::Sent(_)))));
    assert_eq!(h.completed.last().unwrap().0, 6_100);
}

#[test]
fn repeated_pushes_are_delivered_once_in_order_with_cumulative_acks() {
    let mut h = Harness::new();
    h.login();
    for i in 1..=5 {
        h.server.peer_message(h.now, "bob", &format!("m{i}"));
    }
    let p1 = h.server.push_seqs(&[1, 2, 3], false);
    let p2 = h.server.push_seqs(&[2, 3, 4, 5], false);
    let p3 = h.server.push_seqs(&[1, 5], false);
    h.server_does(vec![p1, p2, p3]);
    let texts: Vec<String> = h.peer_texts().into_iter().map(|t| t.1).collect();
    assert_eq!(texts, vec!["m1", "m2", "m3", "m4", "m5"]);
    assert_eq!(h.server.push_acks, vec![3, 5, 5]);
    assert!(h
        .server
        .sent_of_kind(PUSH_ACK_KIND)
        .iter()
        .all(|f| f.request_id == 0));
}

#[test]
fn a_push_is_split_per_conversation_keeping_order() {
    let mut h = Harness::new();
    h.login();
    h.server.peer_message(h.now, "bob", "b1");
    h.server.peer_message(h.now, "carol", "c1");
    h.server.peer_message(h.now, "bob", "b2");
    let p = h.server.push_seqs(&[1, 2, 3], false);
    h.server_does(vec![p]);
    let groups: Vec<(String, Vec<String>, bool)> = h
        .events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::PeerMessages {
                from_user_id,
                messages,
                offline,
            } => Some((
                from_user_id.clone(),
                messages
                    .iter()
                    .map(|m| String::from_utf8(m.payload.clone()).unwrap())
                    .collect(),
                *offline,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("bob".into(), vec!["b1".into(), "b2".into()], false),
            ("carol".into(), vec!["c1".into()], false),
        ]
    );
}

#[test]
fn offline_messages_arrive_after_login_flagged_offline_and_are_not_repeated() {
    let mut h = Harness::new();
    for i in 1..=3 {
        h.server.peer_message(0, "bob", &format!("o{i}"));
    }
    h.login();
    assert_eq!(
        h.peer_texts(),
        vec![
            ("bob".into(), "o1".into(), true),
            ("bob".into(), "o2".into(), true),
            ("bob".into(), "o3".into(), true),
        ]
    );
    assert_eq!(h.server.push_acks, vec![3]);
    let live = h.server.peer_message(h.now, "bob", "live");
    h.server_does(live);
    assert_eq!(
        h.peer_texts().last().unwrap(),
        &("bob".into(), "live".into(), false)
    );
    // A reconnect resumes after 4; a server that replays everything anyway is de-duplicated.
    h.server.acked = 0;
    h.drop_transport(1006);
    h.advance(1_000);
    assert_eq!(h.server.logins[1].last_inbox_seq, 4);
    let replay = h.server.push_range(0, true);
    h.server_does(replay);
    assert_eq!(h.peer_texts().len(), 4);
}

#[test]
fn a_reset_server_inbox_lowers_the_high_water_mark() {
    let mut h = Harness::new();
    h.login();
    for i in 1..=3 {
        let p = h.server.peer_message(h.now, "bob", &format!("m{i}"));
        h.server_does(p);
    }
    // The server lost its data: its inbox starts again at 1.
    h.server.inbox.clear();
    h.server.acked = 0;
    h.drop_transport(1001);
    h.advance(1_000);
    let p = h.server.peer_message(h.now, "bob", "fresh");
    h.server_does(p);
    assert_eq!(h.peer_texts().last().unwrap().1, "fresh");
}

#[test]
fn unanswered_request_fails_with_6000105_after_10s_once() {
    let mut h = Harness::new();
    h.login();
    h.server.answer_requests = false;
    h.now = 2_000;
    let op = h.call(Command::QueryRoomOnlineCount {
        room_id: "r1".into(),
    });
    h.advance(9_999);
    assert_eq!(h.result(op), None);
    h.advance(1);
    assert_eq!(h.error_code(op), Some(code::REQUEST_TIMEOUT));
    assert_eq!(h.completed.last().unwrap().0, 12_000);
    // A late answer is ignored.
    h.server.answer_requests = true;
    h.advance(60_000);
    assert_eq!(h.completed.iter().filter(|c| c.1 == op).count(), 1);
}

#[test]
fn request_in_flight_during_a_drop_is_sent_again_after_reconnect() {
    let mut h = Harness::new();
    h.login();
    h.server.answer_requests = false;
    let op = h.call(Command::QueryHistory {
        conversation_type: 0,
        conversation_id: "bob".into(),
        anchor_order_key: 0,
        count: 20,
        reverse: false,
    });
    h.server.answer_requests = true;
    h.drop_transport(1006);
    h.advance(1_000);
    assert!(matches!(h.result(op), Some(Ok(Reply::History { .. }))));
    assert_eq!(h.server.sent_of_kind(13).len(), 2);
}

#[test]
fn history_query_returns_the_page() {
    let mut h = Harness::new();
    h.server.peer_message(0, "bob", "old");
    h.login();
    let op = h.call(Command::QueryHistory {
        conversation_type: 0,
        conversation_id: "bob".into(),
        anchor_order_key: 0,
        count: 10,
        reverse: false,
    });
    let Some(Ok(Reply::History {
        conversation_id,
        messages,
        ..
    })) = h.result(op)
    else {
        panic!()
    };
    assert_eq!(conversation_id, "bob");
    assert_eq!(messages.len(), 1);
}

#[test]
fn large_offline_backlog_arrives_in_batches_with_cumulative_acks() {
    let mut h = Harness::new();
    for i in 1..=250 {
        let from = if i % 3 == 0 { "carol" } else { "bob" };
        h.server.peer_message(0, from, &format!("{i}"));
    }
    h.login();
    assert_eq!(h.server.push_acks, vec![100, 200, 250]);
    let texts = h.peer_texts();
    assert_eq!(texts.len(), 250);
    assert!(texts.iter().all(|t| t.2), "all offline");
    // Per conversation, inbox order is kept.
    for who in ["bob", "carol"] {
        let nums: Vec<u32> = texts
            .iter()
            .filter(|t| t.0 == who)
            .map(|t| t.1.parse().unwrap())
            .collect();
        assert!(nums.windows(2).all(|w| w[0] < w[1]), "{who}: {nums:?}");
    }
}

#[test]
fn frames_from_an_abandoned_connection_are_ignored() {
    let mut h = Harness::new();
    h.login();
    h.blackhole = true;
    h.advance(30_000); // heartbeat gives the connection up
    assert_eq!(h.disconnects.len(), 1);
    h.blackhole = false;
    h.server.peer_message(h.now, "bob", "late");
    let late = h.server.push_seqs(&[1], false);
    let ToClient::Bytes(bytes) = late else {
        panic!()
    };
    h.client.handle_input(h.now, Input::Received(&bytes));
    h.pump();
    assert!(h.peer_texts().is_empty());
    // It is delivered on the new connection instead, once.
    h.advance(1_000);
    assert_eq!(h.peer_texts(), vec![("bob".into(), "late".into(), true)]);
}

#[test]
fn sends_queued_during_an_outage_are_not_refused_by_the_servers_rate_after_reconnect() {
    // 15 texts typed during an outage, within the SDK's 10/s. On reconnect the client must
    // not burst them past the server's 10/s (6000005 for the rest, though the user broke
    // no limit): each is delivered once, in order, and every promise resolves.
    let mut h = Harness::new();
    h.login();
    h.server.rate_limit = true;
    h.net_up = false;
    h.now = 1_000;
    h.drop_transport(1006);
    let mut ops = Vec::new();
    for i in 0..15 {
        h.now = 1_000 + i * 150;
        ops.push(h.send_text("bob", &format!("m{i}")));
    }
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    // A send made while the rest wait out the server's rate goes after them.
    ops.push(h.send_text("bob", "m15"));
    h.advance(5_000);
    for (i, op) in ops.iter().enumerate() {
        assert!(
            matches!(h.result(*op), Some(Ok(Reply::Sent(_)))),
            "send {i}: {:?}",
            h.result(*op)
        );
    }
    let want: Vec<String> = (0..16).map(|i| format!("m{i}")).collect();
    assert_eq!(h.server.stored_texts(), want);
    assert_eq!(h.server.refusals(code::SERVER_FREQUENCY_LIMIT), 0, "paced");
}
