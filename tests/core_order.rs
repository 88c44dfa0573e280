//! Sender order (docs/protocol.md "Sender order", src/outbox.rs): a user's messages to one
//! conversation are stored in the order the app sent them across outages of any length,
//! resends, lost acks and the server's rate refusals; no send the SDK admitted fails with
//! 6000005; every send settles exactly once. The scripted server keeps tinyim-server's
//! rules: its rate buckets, de-duplication, and storing a send only after the one it
//! follows.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::code;

/// The app sends one text every 125 ms (8/s, under the SDK's 10/s).
const EVERY_MS: Millis = 125;

/// What an app sending at 8/s saw, and what the server stored.
struct Outcome {
    h: Harness,
    /// (op, text) in call order.
    sent: Vec<(OpId, String)>,
}

/// One sender texting `to` at 8/s from `start` to `stop`, adding each send to `sent` as
/// (op, its text); the server is down over `outage` (the transport dies with 1006 and the
/// server forgets its rate budget, as after a SIGKILL; what it stored stays).
fn send_through_outage(
    h: &mut Harness,
    to: &str,
    (start, stop): (Millis, Millis),
    outage: (Millis, Millis),
    sent: &mut Vec<(OpId, String)>,
) {
    let (down, up) = outage;
    let (mut is_down, mut is_up) = (false, false);
    let mut t = start;
    while t < stop {
        if !is_down && t >= down {
            h.advance_to(down);
            h.net_up = false;
            if h.transport_open {
                h.drop_transport(1006);
            }
            h.server.restart();
            is_down = true;
        }
        if is_down && !is_up && t >= up {
            h.advance_to(up);
            h.net_up = true;
            is_up = true;
        }
        h.advance_to(t);
        let text = format!("{to}-{}", sent.len());
        sent.push((h.send_text(to, &text), text));
        t += EVERY_MS;
    }
}

/// Far past any backlog: time for everything to settle.
const SETTLE_MS: Millis = 600_000;

/// Asserts the outcome of such a run: every send resolved exactly once, the server stored
/// each once in call order, and (`paced`) it never had to refuse one for its rate.
fn assert_kept_order(o: &Outcome, paced: bool) {
    let h = &o.h;
    for (op, text) in &o.sent {
        match h.result(*op) {
            Some(Ok(Reply::Sent(m))) => assert_eq!(m.payload, text.as_bytes()),
            other => panic!("{text}: {other:?}"),
        }
    }
    let want: Vec<&String> = o.sent.iter().map(|s| &s.1).collect();
    let stored = h.server.stored_texts();
    assert_eq!(stored.iter().collect::<Vec<_>>(), want, "stored order");
    let keys: Vec<u64> = h.server.stored.iter().map(|s| s.1.order_key).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "order keys: {keys:?}");
    if paced {
        assert_eq!(h.server.refusals(code::SERVER_FREQUENCY_LIMIT), 0);
    }
    // Login plus one completion per send: nothing settled twice.
    assert_eq!(h.completed.len(), o.sent.len() + 1);
}

/// A run with a server outage of `outage_ms` from 4 s, answers taking `rtt` to arrive.
fn outage_run(outage_ms: Millis, rtt: Millis) -> Outcome {
    let mut h = Harness::new();
    h.server.rate_limit = true;
    h.login();
    h.reply_delay = rtt;
    let down = 4_000;
    let up = down + outage_ms;
    let mut sent = Vec::new();
    send_through_outage(&mut h, "bob", (1_000, up + 8_000), (down, up), &mut sent);
    h.advance(SETTLE_MS);
    Outcome { h, sent }
}

#[test]
fn order_is_kept_through_a_1s_outage_at_8_texts_a_second() {
    let o = outage_run(1_000, 0);
    assert_kept_order(&o, true);
}

#[test]
fn order_is_kept_through_a_4s_outage_at_8_texts_a_second() {
    let o = outage_run(4_000, 0);
    assert_kept_order(&o, true);
}

#[test]
fn order_is_kept_through_a_30s_outage_at_8_texts_a_second() {
    let o = outage_run(30_000, 0);
    assert_kept_order(&o, true);
    // The first send made in the outage (at 4 s) waited longer than the 30 s an ack used to
    // be waited for, and still resolved.
    let (first_in_outage, _) = o.sent[(3_000 / EVERY_MS) as usize];
    let done =
        o.h.completed
            .iter()
            .find(|c| c.1 == first_in_outage)
            .unwrap();
    assert!(done.0 > 4_000 + 30_000, "resolved at {}", done.0);
}

#[test]
fn order_is_kept_through_outages_with_a_300ms_round_trip() {
    // Sends made while earlier ones wait for their acks are on the wire together: after a
    // reconnect the backlog and the app's new sends overlap with the answers in flight.
    for outage in [1_000, 4_000, 30_000] {
        let o = outage_run(outage, 300);
        assert_kept_order(&o, true);
        let pipelined = o.h.server.sends();
        assert!(pipelined.iter().any(|s| s.prev_client_message_id != 0));
    }
}

#[test]
fn acks_lost_with_the_connection_are_recovered_in_order() {
    // The server stores the last sends before it dies but their acks never arrive; the
    // resends after the restart get the original acks, in place.
    let mut h = Harness::new();
    h.server.rate_limit = true;
    h.login();
    let mut sent = Vec::new();
    for i in 0..6 {
        h.now = 1_000 + i * EVERY_MS;
        h.lose_replies = i >= 3;
        let text = format!("bob-{i}");
        sent.push((h.send_text("bob", &text), text));
    }
    h.lose_replies = false;
    assert_eq!(h.server.stored.len(), 6);
    assert_eq!(h.completed.len(), 4, "login and three acks");
    send_through_outage(&mut h, "bob", (2_000, 12_000), (2_000, 6_000), &mut sent);
    h.advance(SETTLE_MS);
    let o = Outcome { h, sent };
    assert_kept_order(&o, true);
}

#[test]
fn rate_refusals_in_the_middle_of_a_pipeline_never_reorder_or_fail_a_send() {
    // A server that sees sends bunched up by the network refuses some for its rate while
    // later ones are already on their way: those must not be stored ahead of it.
    let rate = code::SERVER_FREQUENCY_LIMIT;
    let mut h = Harness::new();
    h.server.rate_limit = true;
    // The fourth send is refused, and refused again when it goes again a second later.
    h.server.refuse = vec![(3, rate), (4, rate)];
    h.login();
    let never = (Millis::MAX, Millis::MAX);
    let mut sent = Vec::new();
    send_through_outage(&mut h, "bob", (1_000, 3_000), never, &mut sent);
    // After the outage the backlog goes out in a burst of five: refuse the second of them
    // (the three behind it are already on the wire) and two of the paced ones after.
    let n = h.server.sends_arrived;
    h.server.refuse = vec![(n + 1, rate), (n + 8, rate), (n + 9, rate)];
    send_through_outage(&mut h, "bob", (3_000, 15_000), (3_000, 7_000), &mut sent);
    h.advance(SETTLE_MS);
    let o = Outcome { h, sent };
    assert_kept_order(&o, false);
    assert_eq!(o.h.server.refusals(rate), 5);
    // The three behind the refused one failed their order check; the outbox had already
    // taken them back, and sent them again behind it.
    assert_eq!(o.h.server.refusals(code::SEND_MESSAGE_FAILED), 3);
}

#[test]
fn rate_refusals_with_a_300ms_round_trip_never_reorder_or_fail_a_send() {
    // With answers 300 ms away, a refusal comes back when several later sends (the backlog
    // and new ones) are already on the wire behind it.
    let rate = code::SERVER_FREQUENCY_LIMIT;
    let mut h = Harness::new();
    h.server.rate_limit = true;
    h.login();
    h.reply_delay = 300;
    let never = (Millis::MAX, Millis::MAX);
    let mut sent = Vec::new();
    send_through_outage(&mut h, "bob", (1_000, 3_000), never, &mut sent);
    let n = h.server.sends_arrived;
    h.server.refuse = (1..40).step_by(6).map(|i| (n + i, rate)).collect();
    send_through_outage(&mut h, "bob", (3_000, 20_000), (3_000, 7_000), &mut sent);
    h.advance(SETTLE_MS);
    let o = Outcome { h, sent };
    assert_kept_order(&o, false);
    assert!(o.h.server.refusals(rate) >= 5);
    assert!(o.h.server.refusals(code::SEND_MESSAGE_FAILED) >= 5);
}

#[test]
fn a_send_that_fails_for_good_is_skipped_and_the_rest_keep_their_order() {
    // Five sends queued during an outage go out together after the login; the third fails
    // for good (the store failed): the app is told, and the two behind it, refused for
    // their order, go again and are stored right after the second.
    let mut h = Harness::new();
    h.login();
    h.net_up = false;
    h.drop_transport(1006);
    let ops: Vec<OpId> = (0..5)
        .map(|i| h.send_text("bob", &format!("m{i}")))
        .collect();
    h.server.refuse = vec![(2, code::DATABASE_ERROR)];
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    h.advance(1_000);
    assert_eq!(h.server.stored_texts(), vec!["m0", "m1", "m3", "m4"]);
    assert_eq!(h.error_code(ops[2]), Some(code::DATABASE_ERROR));
    for i in [0, 1, 3, 4] {
        assert!(matches!(h.result(ops[i]), Some(Ok(Reply::Sent(_)))), "m{i}");
    }
    assert_eq!(h.server.refusals(code::SEND_MESSAGE_FAILED), 2);
    // First each named the one before it; sent again, "m3" follows nothing unanswered (m0
    // and m1 were acked, m2 failed).
    let sends = h.server.sends();
    let cmid = |text: &str| {
        sends
            .iter()
            .find(|s| s.payload == text.as_bytes())
            .unwrap()
            .client_message_id
    };
    let prevs: Vec<(String, u64)> = sends
        .iter()
        .map(|s| {
            (
                String::from_utf8(s.payload.clone()).unwrap(),
                s.prev_client_message_id,
            )
        })
        .collect();
    let want: Vec<(String, u64)> = [
        ("m0", 0),
        ("m1", cmid("m0")),
        ("m2", cmid("m1")),
        ("m3", cmid("m2")),
        ("m4", cmid("m3")),
        ("m3", 0),
        // The burst had spent the pacer: "m4" went after "m3" was acked.
        ("m4", 0),
    ]
    .into_iter()
    .map(|(t, p)| (t.to_owned(), p))
    .collect();
    assert_eq!(prevs, want);
}

#[test]
fn conversations_keep_their_own_order_and_room_messages_theirs() {
    // Texts to two peers and a room, interleaved, through a 4 s outage with rate refusals:
    // each conversation's messages are stored in call order.
    let mut h = Harness::new();
    h.server.rate_limit = true;
    h.server.refuse = vec![(5, code::SERVER_FREQUENCY_LIMIT)];
    h.login();
    let mut sent: Vec<(OpId, String, String)> = Vec::new();
    let targets = [(0u8, "bob"), (0, "carol"), (1, "r1")];
    let mut t = 1_000;
    while t < 14_000 {
        h.advance_to(t);
        if t == 4_000 {
            h.net_up = false;
            h.drop_transport(1006);
            h.server.restart();
        }
        if t == 8_000 {
            h.net_up = true;
        }
        let (kind, to) = targets[sent.len() % 3];
        let text = format!("{to}-{}", sent.len());
        let op = h.call(Command::SendMessage {
            conversation_type: kind,
            to: to.into(),
            message_type: 1,
            priority: 1,
            payload: text.clone().into_bytes(),
            extended_data: String::new(),
            ext: None,
        });
        sent.push((op, to.into(), text));
        t += EVERY_MS;
    }
    h.advance(120_000);
    for (op, _, text) in &sent {
        assert!(matches!(h.result(*op), Some(Ok(Reply::Sent(_)))), "{text}");
    }
    for (_, to) in targets {
        let want: Vec<&String> = sent.iter().filter(|s| s.1 == to).map(|s| &s.2).collect();
        let got: Vec<String> = h
            .server
            .stored
            .iter()
            .filter(|s| s.0.to == to)
            .map(|s| String::from_utf8(s.0.payload.clone()).unwrap())
            .collect();
        assert_eq!(got.iter().collect::<Vec<_>>(), want, "{to}");
    }
}

#[test]
fn a_new_send_waits_behind_a_held_one_of_its_conversation_only() {
    let mut h = Harness::new();
    h.server.rate_limit = true;
    h.login();
    h.now = 1_000;
    h.server.refuse = vec![(0, code::SERVER_FREQUENCY_LIMIT)];
    let a = h.call(Command::SendMessage {
        conversation_type: 0,
        to: "bob".into(),
        message_type: 2,
        priority: 1,
        payload: b"a".to_vec(),
        extended_data: String::new(),
        ext: None,
    });
    let b = h.send_text("bob", "b");
    let c = h.send_text("carol", "c");
    h.advance(500);
    // The command "a" waits a second for the server's command rate; the text "b" has
    // budget but waits behind it without going on the wire; "c" is another conversation.
    let on_wire: Vec<Vec<u8>> = h.server.sends().into_iter().map(|s| s.payload).collect();
    assert_eq!(on_wire, vec![b"a".to_vec(), b"c".to_vec()]);
    assert_eq!(h.server.stored_texts(), vec!["c"]);
    h.advance(600);
    assert_eq!(h.server.stored_texts(), vec!["c", "a", "b"]);
    for op in [a, b, c] {
        assert!(matches!(h.result(op), Some(Ok(Reply::Sent(_)))));
    }
    assert_eq!(h.server.refusals(code::SEND_MESSAGE_FAILED), 0);
}
