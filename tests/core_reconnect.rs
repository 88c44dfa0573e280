//! Reconnect: backoff timings, heartbeat loss, close codes, kick-out, bad frames.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::{code, Body};

const PING_KIND: u8 = 4;

/// The window of reconnect attempt `k` (0-based): min(30 s, 500 ms * 2^k).
fn window(k: u32) -> u64 {
    (500u64 << k.min(20)).min(30_000)
}

/// Logs in, then breaks the network and returns the times of the next `n` Connects
/// (each failing at once) relative to the drop.
fn backoff_delays(seed: u64, n: usize) -> Vec<u64> {
    let mut h = Harness::with_seed(seed);
    h.login();
    h.now = 5_000;
    h.net_up = false;
    h.drop_transport(1006);
    let mut last = h.now;
    let mut delays = Vec::new();
    while delays.len() < n {
        let before = h.connects.len();
        let t = h.client.poll_timeout().expect("a reconnect is scheduled");
        h.advance_to(t);
        if h.connects.len() > before {
            let at = *h.connects.last().unwrap();
            delays.push(at - last);
            last = at;
        }
    }
    // One Reconnecting event for the whole outage.
    assert_eq!(
        h.states(),
        vec![
            (ConnectionState::Connecting, ConnectionEvent::ActiveLogin),
            (ConnectionState::Connected, ConnectionEvent::Success),
            (
                ConnectionState::Reconnecting,
                ConnectionEvent::LoginInterrupted
            ),
        ]
    );
    delays
}

#[test]
fn backoff_doubles_with_bounded_jitter_and_is_capped_at_30s() {
    for seed in [1, 2, 3, 42, 0xdead_beef] {
        let delays = backoff_delays(seed, 16);
        for (k, &d) in delays.iter().enumerate() {
            let w = window(k as u32);
            assert!(
                d >= w / 2 && d <= w,
                "seed {seed}: attempt {k} waited {d} ms, outside [{}, {w}]",
                w / 2
            );
        }
        // Grows: until the cap, each window's lower half starts where the previous window
        // ends, so actual waits never shrink.
        for k in 1..6 {
            assert!(delays[k] >= delays[k - 1], "seed {seed}: {delays:?}");
        }
        assert!(delays.iter().all(|&d| d <= 30_000));
        assert!(delays[10..].iter().all(|&d| d >= 15_000), "{delays:?}");
    }
    // Jitter: different seeds spread out.
    let a = backoff_delays(1, 8);
    let b = backoff_delays(2, 8);
    assert_ne!(a, b);
}

#[test]
fn backoff_resets_after_a_successful_login() {
    let mut h = Harness::new();
    h.login();
    h.net_up = false;
    h.drop_transport(1006);
    h.advance(60_000);
    assert!(h.connects.len() >= 6);
    h.net_up = true;
    h.advance(60_000);
    assert_eq!(
        h.states().last(),
        Some(&(ConnectionState::Connected, ConnectionEvent::Success))
    );
    let n = h.connects.len();
    let dropped_at = h.now;
    h.drop_transport(1006);
    h.advance(500);
    assert_eq!(h.connects.len(), n + 1);
    assert!(h.connects[n] - dropped_at <= 500);
}

#[test]
fn network_available_retries_a_pending_reconnect_at_once() {
    let mut h = Harness::new();
    h.login();
    h.net_up = false;
    h.drop_transport(1006);
    h.advance(20_000);
    let n = h.connects.len();
    let next = h.client.poll_timeout().unwrap();
    assert!(next > h.now + 1_000, "waiting out a long backoff");
    h.net_up = true;
    h.input(Input::NetworkAvailable);
    assert_eq!(h.connects.len(), n + 1);
    assert_eq!(*h.connects.last().unwrap(), h.now);
    assert_eq!(
        h.states().last(),
        Some(&(ConnectionState::Connected, ConnectionEvent::Success))
    );
    // While online it does nothing.
    h.input(Input::NetworkAvailable);
    assert_eq!(h.connects.len(), n + 1);
}

#[test]
fn pings_every_20s_and_stays_connected_while_answered() {
    let mut h = Harness::new();
    h.login();
    h.advance(100_000);
    let pings = h.server.sent_of_kind(PING_KIND);
    assert_eq!(pings.len(), 5);
    assert!(pings.iter().all(|f| f.request_id != 0));
    let times: Vec<u64> = h
        .log
        .iter()
        .filter(|(_, s)| s == &format!("transmit {PING_KIND}"))
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(times, vec![20_000, 40_000, 60_000, 80_000, 100_000]);
    assert_eq!(h.connects.len(), 1);
}

#[test]
fn silence_for_10s_after_a_ping_reconnects() {
    let mut h = Harness::new();
    h.login();
    h.blackhole = true; // the socket looks open, nothing gets through
    h.advance(29_999);
    assert_eq!(h.disconnects.len(), 0);
    h.advance(1);
    assert_eq!(h.disconnects, vec![30_000]);
    assert_eq!(
        h.states().last(),
        Some(&(
            ConnectionState::Reconnecting,
            ConnectionEvent::LoginInterrupted
        ))
    );
    h.blackhole = false;
    h.advance(500);
    assert_eq!(h.connects.len(), 2);
    assert!(h.connects[1] >= 30_250 && h.connects[1] <= 30_500);
    assert_eq!(
        h.states().last(),
        Some(&(ConnectionState::Connected, ConnectionEvent::Success))
    );
}

#[test]
fn any_frame_after_a_ping_counts_as_alive() {
    let mut h = Harness::new();
    h.login();
    h.server.answer_pings = false;
    h.advance(25_000);
    // A push arrives instead of a pong: the connection is alive.
    let push = h.server.peer_message(h.now, "bob", "hello");
    h.server_does(push);
    h.advance(10_000);
    assert_eq!(h.disconnects.len(), 0);
    // But the next ping (at 40 s) that gets nothing kills it at 50 s.
    h.advance(15_000);
    assert_eq!(h.disconnects, vec![50_000]);
}

#[test]
fn close_1001_reconnects_and_resumes_after_the_last_delivered_message() {
    let mut h = Harness::new();
    h.login();
    let push = h.server.peer_message(h.now, "bob", "one");
    h.server_does(push);
    let actions = h.server.error_and_close(code::SERVER_DISCONNECT, 1001);
    h.server_does(actions);
    // The announcement reaches the app as ZIM's `error` event.
    assert!(h
        .events
        .iter()
        .any(|(_, e)| matches!(e, Event::Error(err) if err.code == code::SERVER_DISCONNECT)));
    assert_eq!(
        h.states().last(),
        Some(&(
            ConnectionState::Reconnecting,
            ConnectionEvent::LoginInterrupted
        ))
    );
    h.advance(1_000);
    assert_eq!(h.connects.len(), 2);
    assert_eq!(h.server.logins.len(), 2);
    assert_eq!(h.server.logins[1].last_inbox_seq, 1);
    assert_eq!(h.server.logins[1].token, "04token");
    assert_eq!(
        h.states().last(),
        Some(&(ConnectionState::Connected, ConnectionEvent::Success))
    );
}

#[test]
fn other_closes_reconnect_too() {
    for close in [1000, 1002, 1006, 4003, 4004] {
        let mut h = Harness::new();
        h.login();
        h.server_does(vec![ToClient::Close(close)]);
        h.advance(1_000);
        assert_eq!(h.connects.len(), 2, "close {close}");
        assert_eq!(h.states().len(), 4, "close {close}");
    }
}

#[test]
fn close_4001_with_expired_token_ends_the_session_without_reconnect() {
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    let send = h.send_text("bob", "x");
    let actions = h.server.error_and_close(code::TOKEN_EXPIRED, 4001);
    h.server_does(actions);
    h.assert_disconnected(ConnectionEvent::TokenExpired);
    assert_eq!(h.error_code(send), Some(code::TOKEN_EXPIRED));
    h.assert_never_reconnects();
    assert_eq!(h.client.poll_timeout(), None);
}

#[test]
fn close_4001_without_reason_reports_login_interrupted() {
    let mut h = Harness::new();
    h.login();
    h.server_does(vec![ToClient::Close(4001)]);
    assert_eq!(
        h.states().last(),
        Some(&(
            ConnectionState::Disconnected,
            ConnectionEvent::LoginInterrupted
        ))
    );
    h.assert_never_reconnects();
}

#[test]
fn relogin_refused_after_reconnect_ends_the_session() {
    let mut h = Harness::new();
    h.login();
    h.server.login_reply = LoginReply::Refuse(code::TOKEN_EXPIRED);
    h.drop_transport(1006);
    h.advance(1_000);
    assert_eq!(h.connects.len(), 2);
    h.assert_disconnected(ConnectionEvent::TokenExpired);
    h.assert_never_reconnects();
}

#[test]
fn kicked_out_disconnects_and_never_reconnects() {
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    let send = h.send_text("bob", "x");
    let kick = h.server.kick();
    h.server_does(kick);
    h.assert_disconnected(ConnectionEvent::KickedOut);
    assert_eq!(h.disconnects.len(), 1, "the client closes its side");
    let err = h.result(send).unwrap().unwrap_err();
    assert_eq!(err.code, code::USER_ALREADY_LOGGED);
    h.assert_never_reconnects();
}

#[test]
fn close_4002_alone_is_a_kick_out() {
    let mut h = Harness::new();
    h.login();
    h.server_does(vec![ToClient::Close(4002)]);
    h.assert_disconnected(ConnectionEvent::KickedOut);
    h.assert_never_reconnects();
}

#[test]
fn undecodable_frame_from_the_server_reconnects() {
    let mut h = Harness::new();
    h.login();
    h.server_does(vec![ToClient::Bytes(vec![0xff, 0x00, 0x01])]);
    assert_eq!(h.disconnects.len(), 1);
    assert_eq!(
        h.states().last(),
        Some(&(
            ConnectionState::Reconnecting,
            ConnectionEvent::LoginInterrupted
        ))
    );
    h.advance(1_000);
    assert_eq!(
        h.states().last(),
        Some(&(ConnectionState::Connected, ConnectionEvent::Success))
    );
}

#[test]
fn a_reconnect_attempt_without_login_answer_is_abandoned_after_10s() {
    let mut h = Harness::new();
    h.login();
    h.server.login_reply = LoginReply::Silent;
    h.drop_transport(1006);
    h.advance(500);
    assert_eq!(h.connects.len(), 2);
    let attempt = h.connects[1];
    h.advance(10_000);
    assert_eq!(h.disconnects, vec![attempt + 10_000]);
    h.server.login_reply = LoginReply::Accept;
    h.advance(2_000);
    assert_eq!(h.connects.len(), 3);
    assert_eq!(
        h.states().last(),
        Some(&(ConnectionState::Connected, ConnectionEvent::Success))
    );
    // The Login frames on the wire all carry the same user and token.
    let logins = h.server.sent_of_kind(1);
    assert_eq!(logins.len(), 3);
    assert!(logins
        .iter()
        .all(|f| matches!(&f.body, Body::Login(l) if l.user_id == "alice")));
}

#[test]
fn a_transient_server_failure_of_a_relogin_retries_instead_of_ending_the_session() {
    // The server answers a Login it could not serve (its store failed) with 6000008 and
    // closes with 1011, not 4001: nothing is wrong with the session, so a reconnecting
    // client must keep trying, and its pending sends must survive.
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    let send = h.send_text("bob", "x");
    h.server.ack_sends = true;
    h.server.login_reply = LoginReply::Fail(code::DATABASE_ERROR, 1011);
    h.drop_transport(1006);
    h.advance(1_000);
    assert_eq!(h.connects.len(), 2);
    assert_eq!(h.result(send), None, "the send still waits");
    assert_eq!(
        h.states().last(),
        Some(&(
            ConnectionState::Reconnecting,
            ConnectionEvent::LoginInterrupted
        ))
    );
    h.server.login_reply = LoginReply::Accept;
    h.advance(5_000);
    assert!(h.connects.len() >= 3);
    assert_eq!(
        h.states().last(),
        Some(&(ConnectionState::Connected, ConnectionEvent::Success))
    );
    assert!(matches!(h.result(send), Some(Ok(Reply::Sent(_)))));
}

#[test]
fn a_client_kind_frame_from_the_server_is_a_broken_connection() {
    // docs/protocol.md: a client kind (1-63) from the server means a broken connection;
    // it must not settle the call whose request id it happens to carry.
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    let send = h.send_text("bob", "x");
    let id = h.server.received.last().unwrap().request_id;
    h.server.ack_sends = true;
    let bogus = tinyim_protocol::Frame::new(id, Body::Ping(tinyim_protocol::Empty {}));
    h.server_does(vec![ToClient::Bytes(bogus.encode())]);
    let send_frame = tinyim_protocol::Frame::new(
        id,
        Body::Send(tinyim_protocol::Send {
            to: "alice".into(),
            ..Default::default()
        }),
    );
    h.server_does(vec![ToClient::Bytes(send_frame.encode())]);
    assert_eq!(h.disconnects.len(), 1);
    assert_eq!(h.result(send), None);
    h.advance(1_000);
    assert!(matches!(h.result(send), Some(Ok(Reply::Sent(_)))));
}
