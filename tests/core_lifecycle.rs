//! The mini program lifecycle as phones run it: the app hidden (and the JS thread suspended
//! a few seconds later, its clock jumping on resume), the app shown again, the network back.
//! On the simulated clock: a suspension is `h.now` jumping forward with no timer fired.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::code;

const PING_KIND: u8 = 4;

/// When the client transmitted a `Ping`.
fn pings(h: &Harness) -> Vec<Millis> {
    let ping = format!("transmit {PING_KIND}");
    h.log
        .iter()
        .filter(|(_, s)| *s == ping)
        .map(|(t, _)| *t)
        .collect()
}

fn connected(h: &Harness) -> bool {
    h.states().last() == Some(&(ConnectionState::Connected, ConnectionEvent::Success))
}

#[test]
fn app_shown_during_a_backoff_reconnects_at_once() {
    let mut h = Harness::new();
    h.login();
    h.net_up = false;
    h.drop_transport(1006);
    h.advance(20_000); // several failed attempts: the next one is seconds away
    let n = h.connects.len();
    assert!(h.client.poll_timeout().unwrap() > h.now + 1_000);
    h.net_up = true;
    h.input(Input::AppShown);
    assert_eq!(h.connects.len(), n + 1);
    assert_eq!(*h.connects.last().unwrap(), h.now);
    assert!(connected(&h));
}

#[test]
fn app_shown_while_online_probes_and_a_live_connection_stays() {
    let mut h = Harness::new();
    h.login();
    h.advance(7_000);
    h.input(Input::AppShown);
    assert_eq!(pings(&h), vec![7_000], "a probe Ping at once");
    h.advance(60_000);
    assert_eq!(h.connects.len(), 1);
    assert!(h.disconnects.is_empty());
    // The regular heartbeat goes on from the probe.
    assert_eq!(pings(&h), vec![7_000, 27_000, 47_000, 67_000]);
}

#[test]
fn a_dead_connection_that_looks_online_is_replaced_5s_after_the_app_is_shown() {
    let mut h = Harness::new();
    h.login();
    h.advance(3_000);
    h.input(Input::AppHidden);
    // In the background the socket died without the platform saying so, then the phone
    // suspended the app for two minutes: no timer ran.
    h.blackhole = true;
    h.now = 123_000;
    h.input(Input::AppShown);
    assert_eq!(pings(&h), vec![123_000]);
    assert_eq!(
        h.server.sent_of_kind(PING_KIND).len(),
        1,
        "lost on the dead socket"
    );
    h.blackhole = false; // the network works, that socket does not
    h.advance(4_999);
    assert!(h.disconnects.is_empty());
    h.advance(1);
    assert_eq!(h.disconnects, vec![128_000]);
    assert_eq!(
        h.connects,
        vec![0, 128_000],
        "the new connection without a backoff"
    );
    assert!(connected(&h));
}

#[test]
fn network_back_while_online_probes_the_connection_too() {
    let mut h = Harness::new();
    h.login();
    h.advance(1_000);
    // wx.onNetworkStatusChange({ isConnected: true }) after a switch from Wi-Fi to 4G: the
    // old connection is gone, the socket does not know yet.
    h.blackhole = true;
    h.input(Input::NetworkAvailable);
    h.blackhole = false;
    assert_eq!(pings(&h), vec![1_000]);
    h.advance(5_000);
    assert_eq!(h.disconnects, vec![6_000]);
    assert_eq!(h.connects, vec![0, 6_000]);
    assert!(connected(&h));
}

#[test]
fn after_the_immediate_retry_fails_the_backoff_applies_again() {
    let mut h = Harness::new();
    h.login();
    h.advance(1_000);
    h.blackhole = true; // the probe goes unanswered, then the socket reports its close
    h.input(Input::NetworkAvailable);
    h.blackhole = false;
    h.net_up = false;
    h.drop_transport(1006);
    h.advance(0);
    assert_eq!(h.connects, vec![0, 1_000], "the first retry at once");
    h.advance(600);
    assert_eq!(h.connects.len(), 3);
    let wait = h.connects[2] - 1_000;
    assert!(
        (250..=500).contains(&wait),
        "then the backoff: waited {wait} ms"
    );
}

#[test]
fn a_send_made_just_before_suspension_is_resent_on_resume_and_stored_once() {
    // The socket's close may reach the resumed app before or after wx.onAppShow.
    for close_first in [true, false] {
        let mut h = Harness::new();
        h.login();
        h.now = 1_000;
        h.input(Input::AppHidden);
        h.now = 4_000;
        // The send reaches the server, which stores it; the phone suspends the app before
        // the ack arrives.
        h.lose_replies = true;
        let op = h.send_text("bob", "just before");
        h.lose_replies = false;
        assert_eq!(h.result(op), None);
        assert_eq!(h.server.stored.len(), 1);
        // Five minutes later, far past the 30 s send timeout on the wall clock.
        h.now = 304_000;
        if close_first {
            h.drop_transport(1006);
            h.input(Input::AppShown);
        } else {
            h.blackhole = true; // the probe Ping goes nowhere: the socket is gone
            h.input(Input::AppShown);
            h.drop_transport(1006);
            h.blackhole = false;
            h.advance(0);
        }
        assert_eq!(h.connects, vec![0, 304_000], "close_first {close_first}");
        let Some(Ok(Reply::Sent(m))) = h.result(op) else {
            panic!("close_first {close_first}: {:?}", h.result(op));
        };
        assert_eq!(m.message_id, h.server.stored[0].1.message_id);
        let sends = h.server.sends();
        assert_eq!(sends.len(), 2, "resent once");
        assert_eq!(sends[0].client_message_id, sends[1].client_message_id);
        assert_eq!(h.server.stored.len(), 1, "stored once");
        h.advance(120_000);
        assert_eq!(h.completed.iter().filter(|c| c.1 == op).count(), 1);
    }
}

#[test]
fn deadlines_are_held_while_the_app_is_hidden_and_resume_where_they_stopped() {
    let mut h = Harness::new();
    h.login();
    h.server.ack_sends = false;
    h.server.answer_requests = false;
    h.now = 1_000;
    let send = h.send_text("bob", "never acked"); // no deadline: settled only by the server
    let count = h.call(Command::QueryRoomOnlineCount {
        room_id: "r1".into(),
    }); // 10 s: due at 11 s
    h.now = 5_000;
    h.input(Input::AppHidden); // 6 s left
                               // The JS thread still runs for a while in the background (timers fire, pings are
                               // answered), then the phone suspends it until 200 s.
    h.advance(10_000);
    assert!(
        h.client.poll_timeout().unwrap() > h.now,
        "no held deadline wakes the host"
    );
    h.now = 200_000;
    h.input(Input::Timeout); // a timer the suspension delayed fires before wx.onAppShow
    assert_eq!((h.result(send), h.result(count)), (None, None));
    h.input(Input::AppShown);
    h.advance(5_999);
    assert_eq!(h.result(count), None);
    h.advance(1);
    assert_eq!(h.error_code(count), Some(code::REQUEST_TIMEOUT));
    assert_eq!(h.completed.last().unwrap().0, 206_000);
    h.advance(60_000);
    assert_eq!(h.result(send), None, "a send waits for the server's answer");
    assert_eq!(h.connects.len(), 1, "the connection answered the probe");
}

#[test]
fn a_probe_that_is_answered_leaves_later_drops_to_the_backoff() {
    let mut h = Harness::new();
    h.login();
    h.advance(1_000);
    h.input(Input::AppShown); // answered: the connection is alive
    h.drop_transport(1006);
    h.advance(0);
    assert_eq!(h.connects, vec![0]);
    h.advance(500);
    assert_eq!(h.connects.len(), 2);
}

#[test]
fn lifecycle_inputs_without_a_session_do_nothing() {
    let mut h = Harness::new();
    for input in [Input::AppHidden, Input::AppShown, Input::NetworkAvailable] {
        h.input(input);
    }
    assert!(h.log.is_empty());
    assert_eq!(h.client.poll_timeout(), None);
    // Hidden at login: the login itself still works, and its deadline is held.
    h.input(Input::AppHidden);
    h.server.login_reply = LoginReply::Silent;
    let op = h.call(Command::Login {
        user_id: "alice".into(),
        user_name: String::new(),
        token: "04token".into(),
    });
    h.advance(60_000);
    assert_eq!(h.result(op), None);
    h.server.login_reply = LoginReply::Accept;
    h.input(Input::AppShown);
    h.advance(10_000);
    assert_eq!(h.result(op), Some(Ok(Reply::Done)));
}
