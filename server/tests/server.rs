//! Wire-level integration tests: the real `tinyim-server` binary on an ephemeral loopback
//! port, real WebSocket clients speaking frames directly (tests/support).

mod support;

use std::time::Duration;

use support::*;
use tinyim_protocol::{
    code, Body, Empty, HistoryQuery, PushAck, RenewToken, Room, RoomMembersQuery,
};

fn deliveries(f: &tinyim_protocol::Frame) -> Vec<(u64, String, String)> {
    match &f.body {
        Body::Push(p) => p
            .deliveries
            .iter()
            .map(|d| {
                (
                    d.inbox_seq,
                    d.message.as_ref().unwrap().sender_id.clone(),
                    String::from_utf8_lossy(&d.message.as_ref().unwrap().payload).into_owned(),
                )
            })
            .collect(),
        other => panic!("expected Push, got {other:?}"),
    }
}

fn is_push(f: &tinyim_protocol::Frame) -> bool {
    matches!(f.body, Body::Push(_))
}

/// Collects pushed deliveries until `n` arrived.
async fn collect(c: &mut RawClient, n: usize) -> Vec<(u64, String, String)> {
    let mut got = Vec::new();
    while got.len() < n {
        let f = c.wait_for(is_push).await;
        got.extend(deliveries(&f));
    }
    got
}

#[tokio::test]
async fn independent_gcm_and_legacy_cbc_tokens_log_in() {
    let s = Server::start("tokens");
    let exp = now_secs() + 600;
    let gcm = node_token_gcm(APP, SECRET, "alice", exp);
    let (c, ok) = RawClient::login(&s.ws_url(), APP, "alice", &gcm, 0).await;
    assert_eq!(ok.token_expire, exp, "LoginOk carries the token's expiry");
    c.close().await;
    let cbc = node_token_cbc(APP, SECRET, "bob", exp);
    let (c, ok) = RawClient::login(&s.ws_url(), APP, "bob", &cbc, 0).await;
    assert_eq!(ok.token_expire, exp);
    c.close().await;
    // The second app with its own secret.
    let t2 = node_token_cbc(APP2, SECRET2, "carol", exp);
    RawClient::login(&s.ws_url(), APP2, "carol", &t2, 0).await;
}

#[tokio::test]
async fn token_command_output_decrypts_with_node() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tinyim-server"))
        .args(["token", "--app-id", &APP.to_string(), "--secret", SECRET])
        .args(["--user", "alice", "--ttl", "120"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let opened = node_open_token(&token, SECRET);
    let p = &opened["payload"];
    assert_eq!(p["app_id"], APP);
    assert_eq!(p["user_id"], "alice");
    assert_eq!(p["payload"], "");
    assert!(p["nonce"].is_i64());
    let ctime = p["ctime"].as_u64().unwrap();
    let expire = p["expire"].as_u64().unwrap();
    assert_eq!(expire, ctime + 120);
    assert_eq!(opened["outer_expire"].as_u64().unwrap(), expire);
    assert!(ctime.abs_diff(now_secs()) < 10);
    // And the server accepts it.
    let s = Server::start("tokencmd");
    RawClient::login(&s.ws_url(), APP, "alice", &token, 0).await;
    // A bad secret is refused by the command itself.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_tinyim-server"))
        .args(["token", "--app-id", "1", "--secret", "short", "--user", "a"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

#[tokio::test]
async fn every_token_failure_is_refused_and_closed_with_4001() {
    let s = Server::start("tokenfail");
    let exp = now_secs() + 600;
    let other_secret = "ffffffffffffffffffffffffffffffff";
    let good = node_token_gcm(APP, SECRET, "alice", exp);
    let cases: Vec<(&str, u32, &str, String, u32)> = vec![
        (
            "bad secret (gcm)",
            APP,
            "alice",
            node_token_gcm(APP, other_secret, "alice", exp),
            code::TOKEN_INVALID,
        ),
        (
            "bad secret (cbc)",
            APP,
            "alice",
            node_token_cbc(APP, other_secret, "alice", exp),
            code::TOKEN_INVALID,
        ),
        (
            "expired",
            APP,
            "alice",
            node_token_gcm(APP, SECRET, "alice", now_secs() - 5),
            code::TOKEN_EXPIRED,
        ),
        (
            "expired (cbc)",
            APP,
            "alice",
            node_token_cbc(APP, SECRET, "alice", now_secs() - 5),
            code::TOKEN_EXPIRED,
        ),
        (
            "wrong version",
            APP,
            "alice",
            format!("03{}", &good[2..]),
            code::TOKEN_VERSION_ERROR,
        ),
        (
            "wrong user",
            APP,
            "mallory",
            good.clone(),
            code::TOKEN_INVALID,
        ),
        (
            "token of another app",
            APP2,
            "alice",
            good.clone(),
            code::TOKEN_INVALID,
        ),
        (
            "not base64",
            APP,
            "alice",
            "04!!!!".into(),
            code::TOKEN_INVALID,
        ),
        (
            "truncated",
            APP,
            "alice",
            good[..good.len() / 2].to_owned(),
            code::TOKEN_INVALID,
        ),
        (
            "unknown app",
            42,
            "alice",
            good.clone(),
            code::INVALID_APP_ID,
        ),
        (
            "invalid user id",
            APP,
            "bad user!",
            good.clone(),
            code::PARAMS_INVALID,
        ),
        (
            "empty token",
            APP,
            "alice",
            String::new(),
            code::PARAMS_INVALID,
        ),
    ];
    for (what, app, user, token, want) in cases {
        let mut c = RawClient::connect(&s.ws_url()).await;
        let r = c.login_raw(app, user, &token, 0).await;
        assert_eq!(error_code(&r), want, "{what}");
        let (_, close) = c.until_closed().await;
        assert_eq!(close, 4001, "{what}");
    }
    let (_, metrics) = s.http_get("/metrics").await;
    assert!(metric_in(&metrics, "tinyim_errors_total{code=\"6000103\"}") > 0.0);
    assert_eq!(
        metric_in(&metrics, "tinyim_logins_total{result=\"failed\"}"),
        12.0
    );
}

#[tokio::test]
async fn legacy_cbc_tokens_are_no_padding_oracle() {
    // A bad PKCS#7 padding and a good padding around garbage must look the same to the
    // client: if they differ, login attempts are a padding oracle, and CBC-R forges a token
    // for any user without the secret.
    let s = Server::start("oracle");
    let exp = now_secs() + 600;
    let mut bad_padding = [b'x'; 32];
    bad_padding[31] = 0; // not a PKCS#7 pad byte
    let mut good_padding = [b'x'; 32];
    good_padding[31] = 1; // "...x" + 0x01: valid padding, then not JSON
    let mut answers = Vec::new();
    for plain in [bad_padding, good_padding] {
        let t = node_token_cbc_raw(SECRET, &plain, exp);
        let mut c = RawClient::connect(&s.ws_url()).await;
        let r = c.login_raw(APP, "alice", &t, 0).await;
        let Body::Error(e) = r.body else {
            panic!("{r:?}")
        };
        let (_, close) = c.until_closed().await;
        answers.push((e.code, e.message, close));
    }
    assert_eq!(answers[0].0, code::TOKEN_INVALID);
    assert_eq!(
        answers[0], answers[1],
        "the login answer tells the padding apart"
    );
    // The same holds for RenewToken on a live session.
    let (mut c, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let mut renewals = Vec::new();
    for plain in [bad_padding, good_padding] {
        let t = node_token_cbc_raw(SECRET, &plain, exp);
        renewals.push(
            c.request(Body::RenewToken(RenewToken { token: t }))
                .await
                .body,
        );
    }
    assert_eq!(
        renewals[0], renewals[1],
        "RenewToken tells the padding apart"
    );
}

#[tokio::test]
async fn requests_before_login_are_refused() {
    let s = Server::start("prelogin");
    let mut c = RawClient::connect(&s.ws_url()).await;
    let r = c.request(Body::Ping(Empty {})).await;
    assert_eq!(error_code(&r), code::USER_NOT_LOGGED);
    let r = c.request(text_to("bob", 1, "hi")).await;
    assert_eq!(error_code(&r), code::USER_NOT_LOGGED);
    // Still usable: log in now.
    let r = c.login_raw(APP, "alice", &token("alice"), 0).await;
    assert!(matches!(r.body, Body::LoginOk(_)));
    let r = c.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)));
}

#[tokio::test]
async fn two_users_exchange_text_and_command_messages() {
    let s = Server::start("exchange");
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;

    let r = a.request(text_to("bob", 1, "hello bob")).await;
    let Body::SendAck(ack) = r.body else {
        panic!("{r:?}")
    };
    assert_eq!(ack.order_key, 1);
    let f = b.wait_for(is_push).await;
    let Body::Push(p) = &f.body else {
        unreachable!()
    };
    assert!(!p.offline);
    let d = &p.deliveries[0];
    assert_eq!(d.inbox_seq, 1);
    assert_eq!(d.message.as_ref().unwrap().conversation_id, "alice");
    assert_eq!(d.message.as_ref().unwrap().sender_id, "alice");
    assert_eq!(d.message.as_ref().unwrap().payload, b"hello bob");
    assert_eq!(d.message.as_ref().unwrap().message_id, ack.message_id);
    assert_eq!(d.message.as_ref().unwrap().order_key, 1);
    b.send0(Body::PushAck(PushAck { inbox_seq: 1 })).await;

    let cmd = tinyim_protocol::Send {
        conversation_type: 0,
        to: "alice".into(),
        client_message_id: 7,
        prev_client_message_id: 0,
        message_type: 2,
        priority: 2,
        payload: vec![0, 1, 2, 255],
        extended_data: "x".into(),
        ext: None,
    };
    let r = b.request(Body::Send(cmd)).await;
    let Body::SendAck(ack2) = r.body else {
        panic!("{r:?}")
    };
    assert_eq!(ack2.order_key, 2, "order key is per conversation");
    let f = a.wait_for(is_push).await;
    let Body::Push(p) = &f.body else {
        unreachable!()
    };
    let m = p.deliveries[0].message.as_ref().unwrap();
    assert_eq!((m.message_type, m.payload.clone()), (2, vec![0, 1, 2, 255]));
    assert_eq!(m.conversation_id, "bob");
    assert_eq!(m.extended_data, "x");
    assert_eq!(p.deliveries[0].inbox_seq, 1, "alice's own inbox sequence");

    let (_, metrics) = s.http_get("/metrics").await;
    let peer = |ty: &str| {
        metric_in(
            &metrics,
            &format!("tinyim_messages_total{{conversation=\"peer\",type=\"{ty}\"}}"),
        )
    };
    assert_eq!(peer("text"), 1.0);
    assert_eq!(peer("command"), 1.0);
}

#[tokio::test]
async fn offline_delivery_across_logout_and_login_resumes_from_the_stored_ack() {
    let s = Server::start("offline");
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    for i in 1..=3 {
        let r = a.request(text_to("bob", i, &format!("m{i}"))).await;
        assert!(matches!(r.body, Body::SendAck(_)));
    }
    let (mut b, ok) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    assert_eq!(ok.inbox_seq, 3);
    let f = b.wait_for(is_push).await;
    let Body::Push(p) = &f.body else {
        unreachable!()
    };
    assert!(p.offline);
    assert_eq!(
        deliveries(&f),
        vec![
            (1, "alice".into(), "m1".into()),
            (2, "alice".into(), "m2".into()),
            (3, "alice".into(), "m3".into())
        ]
    );
    b.send0(Body::PushAck(PushAck { inbox_seq: 3 })).await;
    let r = b.request(Body::Logout(Empty {})).await;
    assert!(matches!(r.body, Body::Ok(_)));
    let (_, close) = b.until_closed().await;
    assert_eq!(close, 1000);

    let r = a.request(text_to("bob", 4, "m4")).await;
    assert!(matches!(r.body, Body::SendAck(_)));
    // A fresh client (last_inbox_seq 0) gets only what was not acknowledged.
    let (mut b, ok) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    assert_eq!(ok.inbox_seq, 4);
    assert_eq!(
        collect(&mut b, 1).await,
        vec![(4, "alice".into(), "m4".into())]
    );
    // And live messages follow in order.
    a.request(text_to("bob", 5, "m5")).await;
    assert_eq!(
        collect(&mut b, 1).await,
        vec![(5, "alice".into(), "m5".into())]
    );

    // Resume from the client's own last sequence when it is ahead of the stored ack.
    b.close().await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 4).await;
    assert_eq!(
        collect(&mut b, 1).await,
        vec![(5, "alice".into(), "m5".into())]
    );
}

#[tokio::test]
async fn a_client_remembering_a_higher_inbox_seq_than_the_server_still_gets_new_messages() {
    // The server's data was restored from an older backup: bob's SDK remembers seq 1000.
    let s = Server::start("seq-reset");
    let (mut b, ok) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 1000).await;
    assert_eq!(ok.inbox_seq, 0);
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let r = a.request(text_to("bob", 1, "after the reset")).await;
    assert!(matches!(r.body, Body::SendAck(_)));
    assert_eq!(
        collect(&mut b, 1).await,
        vec![(1, "alice".into(), "after the reset".into())]
    );
}

#[tokio::test]
async fn history_leaves_command_messages_out_as_zim_does() {
    let s = Server::start("history-commands");
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    a.request(text_to("bob", 1, "first")).await;
    let r = a
        .request(Body::Send(tinyim_protocol::Send {
            conversation_type: 0,
            to: "bob".into(),
            client_message_id: 2,
            prev_client_message_id: 0,
            message_type: 2,
            priority: 1,
            payload: vec![1, 2, 3],
            extended_data: String::new(),
            ext: None,
        }))
        .await;
    assert!(matches!(r.body, Body::SendAck(_)));
    a.request(text_to("bob", 3, "second")).await;
    for reverse in [true, false] {
        let h = a
            .request(Body::History(HistoryQuery {
                conversation_type: 0,
                conversation_id: "bob".into(),
                anchor_order_key: 0,
                count: 10,
                reverse,
            }))
            .await;
        let Body::HistoryPage(h) = h.body else {
            panic!("{h:?}")
        };
        let texts: Vec<&[u8]> = h.messages.iter().map(|m| &m.payload[..]).collect();
        assert_eq!(
            texts,
            vec![&b"first"[..], &b"second"[..]],
            "reverse {reverse}"
        );
    }
}

#[tokio::test]
async fn second_login_kicks_the_first() {
    let s = Server::start("kick");
    let (mut b1, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let (mut b2, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let (frames, close) = b1.until_closed().await;
    assert_eq!(close, 4002);
    let kicked = frames
        .iter()
        .find_map(|f| match &f.body {
            Body::Kicked(k) => Some(k.code),
            _ => None,
        })
        .expect("Kicked pushed before the close");
    assert_eq!(kicked, code::USER_ALREADY_LOGGED);
    // The new session works and gets the messages.
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    a.request(text_to("bob", 1, "to the new device")).await;
    assert_eq!(collect(&mut b2, 1).await[0].2, "to the new device");
    // The same user id in another app is someone else: not kicked.
    let t2 = node_token_gcm(APP2, SECRET2, "bob", now_secs() + 600);
    let (_b3, _) = RawClient::login(&s.ws_url(), APP2, "bob", &t2, 0).await;
    let r = b2.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)));
}

#[tokio::test]
async fn a_kicked_session_acks_the_sends_it_stored() {
    // The kicked device does not reconnect (4002), so it never resends: a message stored for
    // it must be acknowledged to it, or it shows as failed although bob received it, and a
    // manual resend (a new client message id) reaches bob twice.
    let mut args = default_args();
    args.push("--no-rate-limit".into());
    let s = Server::start_in(&temp_dir("kick-acks"), &args);
    let alice_token = token("alice");
    let (mut a1, _) = RawClient::login(&s.ws_url(), APP, "alice", &alice_token, 0).await;
    let big = "k".repeat(16 * 1024);
    let mut cmids = std::collections::HashMap::new(); // request id -> client message id
    for i in 1..=200u64 {
        cmids.insert(a1.send(text_to("bob", i, &big)).await, i);
    }
    let (mut a2, _) = RawClient::login(&s.ws_url(), APP, "alice", &alice_token, 0).await;
    let (frames, close) = a1.until_closed().await;
    assert_eq!(close, 4002);
    let acked: std::collections::BTreeSet<u64> = frames
        .iter()
        .filter(|f| matches!(f.body, Body::SendAck(_)))
        .map(|f| cmids[&f.request_id])
        .collect();
    // What bob's inbox holds, from alice's new session.
    let stored = a2.stored_client_message_ids("bob").await;
    let unacked: Vec<u64> = stored.difference(&acked).copied().collect();
    eprintln!("stored {}, acked {}", stored.len(), acked.len());
    assert!(
        unacked.is_empty(),
        "stored but never acknowledged: {unacked:?}"
    );
}

#[tokio::test]
async fn a_session_ended_by_token_expiry_acks_the_sends_it_stored() {
    // As with a kick: after 4001 the SDK fails its pending sends instead of resending them.
    let mut args = default_args();
    args.push("--no-rate-limit".into());
    let s = Server::start_in(&temp_dir("expiry-acks"), &args);
    let t = node_token_gcm(APP, SECRET, "alice", now_secs() + 2);
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &t, 0).await;
    let big = "e".repeat(1024);
    let mut cmids = std::collections::HashMap::new(); // request id -> client message id
    let mut acked = std::collections::BTreeSet::new();
    let mut next = 1u64;
    let close = loop {
        // Keep about 100 sends in flight until the server ends the session.
        while cmids.len() - acked.len() < 100 {
            let Some(rid) = a.try_send(text_to("bob", next, &big)).await else {
                break;
            };
            cmids.insert(rid, next);
            next += 1;
        }
        match a.next().await {
            Some(f) => {
                if matches!(f.body, Body::SendAck(_)) {
                    acked.insert(cmids[&f.request_id]);
                }
            }
            None => break a.closed,
        }
    };
    assert_eq!(close, Some(4001));
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let stored = b.stored_client_message_ids("alice").await;
    let unacked: Vec<u64> = stored.difference(&acked).copied().collect();
    eprintln!("stored {}, acked {}", stored.len(), acked.len());
    assert!(
        unacked.is_empty(),
        "stored but never acknowledged: {unacked:?}"
    );
}

#[tokio::test]
async fn apps_are_isolated() {
    let s = Server::start("apps");
    let t2 = |u: &str| node_token_gcm(APP2, SECRET2, u, now_secs() + 600);
    let (mut a1, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (mut b2, _) = RawClient::login(&s.ws_url(), APP2, "bob", &t2("bob"), 0).await;
    let (mut b1, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    a1.request(text_to("bob", 1, "app one")).await;
    assert_eq!(collect(&mut b1, 1).await[0].2, "app one");
    // Rooms too: same room id, different apps.
    a1.request(Body::RoomEnter(Room {
        room_id: "r".into(),
        room_name: "".into(),
    }))
    .await;
    let r = b2
        .request(Body::RoomOnlineCount(Room {
            room_id: "r".into(),
            room_name: "".into(),
        }))
        .await;
    assert_eq!(error_code(&r), code::ROOM_DOES_NOT_EXIST);
    // App two's bob got nothing.
    let r = b2.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)));
    assert!(b2.queued.is_empty(), "{:?}", b2.queued);
    let h = b2
        .request(Body::History(HistoryQuery {
            conversation_type: 0,
            conversation_id: "alice".into(),
            anchor_order_key: 0,
            count: 10,
            reverse: false,
        }))
        .await;
    let Body::HistoryPage(h) = h.body else {
        panic!()
    };
    assert!(h.messages.is_empty());
}

#[tokio::test]
async fn resends_are_deduplicated() {
    let s = Server::start("dedupe");
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let r1 = a.request(text_to("bob", 99, "once")).await;
    let r2 = a.request(text_to("bob", 99, "once")).await;
    let (Body::SendAck(k1), Body::SendAck(k2)) = (r1.body, r2.body) else {
        panic!()
    };
    assert_eq!(k1, k2, "the same ack again");
    // Even after a reconnect.
    a.close().await;
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let r3 = a.request(text_to("bob", 99, "once")).await;
    assert_eq!(r3.body, Body::SendAck(k1.clone()));
    a.request(text_to("bob", 100, "next")).await;
    let got = collect(&mut b, 2).await;
    assert_eq!(
        got,
        vec![
            (1, "alice".into(), "once".into()),
            (2, "alice".into(), "next".into())
        ]
    );
    // Room resends too.
    a.request(Body::RoomEnter(Room {
        room_id: "r".into(),
        room_name: "R".into(),
    }))
    .await;
    b.request(Body::RoomEnter(Room {
        room_id: "r".into(),
        room_name: "R".into(),
    }))
    .await;
    let x = a.request(room_text("r", 500, "room once")).await;
    let y = a.request(room_text("r", 500, "room once")).await;
    assert_eq!(x.body, y.body);
    b.wait_for(|f| matches!(f.body, Body::RoomPush(_))).await;
    let r = b.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)));
    assert!(!b.queued.iter().any(|f| matches!(f.body, Body::RoomPush(_))));

    // A room send whose ack was lost in a dropped connection is resent after the
    // reconnect (within the grace period): same ack, and the room does not get it twice.
    a.close().await;
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    a.request(Body::RoomEnter(Room {
        room_id: "r".into(),
        room_name: "R".into(),
    }))
    .await;
    let z = a.request(room_text("r", 500, "room once")).await;
    assert_eq!(z.body, x.body, "the first ack again after a reconnect");
    let r = b.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)));
    assert!(
        !b.queued.iter().any(|f| matches!(f.body, Body::RoomPush(_))),
        "the room got the resend a second time: {:?}",
        b.queued
    );
}

#[tokio::test]
async fn sigterm_then_restart_loses_and_duplicates_nothing() {
    let dir = temp_dir("restart");
    let mut args = default_args();
    args.push("--no-rate-limit".into());
    let mut s = Server::start_in(&dir, &args);
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    // 50 pipelined sends, all acknowledged.
    let mut ids = Vec::new();
    for i in 1..=50u64 {
        ids.push(a.send(text_to("bob", i, &format!("m{i}"))).await);
    }
    let mut acks = Vec::new();
    for id in ids {
        let f = a.answer(id).await;
        let Body::SendAck(k) = f.body else {
            panic!("{f:?}")
        };
        acks.push(k);
    }
    // Bob delivers 20 of them and acknowledges.
    let got = collect(&mut b, 20).await;
    b.send0(Body::PushAck(PushAck { inbox_seq: 20 })).await;
    let _ = b.request(Body::Ping(Empty {})).await; // the ack is in before we stop
                                                   // Pushes come in inbox order from 1 (a batch may carry more than the 20 collected).
    let seqs: Vec<u64> = got.iter().map(|d| d.0).collect();
    assert_eq!(seqs[..20], (1..=20).collect::<Vec<_>>()[..]);

    let status = s.terminate();
    assert!(status.success(), "exit 0 on SIGTERM, got {status:?}");
    let (_, code_a) = a.until_closed().await;
    assert_eq!(code_a, 1001, "clients are told the server is going away");

    let mut s = Server::start_in(&dir, &args);
    let (mut b, ok) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    assert_eq!(ok.inbox_seq, 50);
    let got = collect(&mut b, 30).await;
    let want: Vec<_> = (21..=50u64)
        .map(|i| (i, "alice".to_string(), format!("m{i}")))
        .collect();
    assert_eq!(got, want, "exactly the unacknowledged messages, in order");
    // Resending an acknowledged message after the restart: same ack, no delivery.
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let r = a.request(text_to("bob", 7, "m7")).await;
    assert_eq!(r.body, Body::SendAck(acks[6].clone()));
    // New message ids keep increasing across the restart.
    let r = a.request(text_to("bob", 51, "m51")).await;
    let Body::SendAck(k51) = r.body else { panic!() };
    assert!(k51.message_id > acks[49].message_id);
    assert_eq!(k51.order_key, 51);
    assert_eq!(
        collect(&mut b, 1).await,
        vec![(51, "alice".into(), "m51".into())]
    );
    // History has each message exactly once.
    let h = b
        .request(Body::History(HistoryQuery {
            conversation_type: 0,
            conversation_id: "alice".into(),
            anchor_order_key: 0,
            count: 100,
            reverse: true,
        }))
        .await;
    let Body::HistoryPage(h) = h.body else {
        panic!()
    };
    let keys: Vec<u64> = h.messages.iter().map(|m| m.order_key).collect();
    assert_eq!(keys, (1..=51).collect::<Vec<_>>());
    assert!(s.terminate().success());
}

#[tokio::test]
async fn malformed_frames_get_an_error_and_a_close_and_others_are_unaffected() {
    const V: u8 = tinyim_protocol::PROTOCOL_VERSION;
    let s = Server::start("malformed");
    let (mut bystander, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let cases: Vec<(&str, Vec<u8>, u32)> = vec![
        (
            "garbage",
            vec![0xde, 0xad, 0xbe, 0xef],
            code::UNSUPPORTED_REQUEST,
        ),
        ("empty", vec![], code::PARAMS_INVALID),
        ("truncated login", vec![V, 1, 1, 0x80], code::PARAMS_INVALID),
        ("unknown kind", vec![V, 50, 1], code::UNSUPPORTED_REQUEST),
        ("older version", vec![1, 4, 1], code::UNSUPPORTED_REQUEST),
        (
            "trailing bytes",
            {
                let mut v = tinyim_protocol::Frame::new(1, Body::Ping(Empty {})).encode();
                v.push(0);
                v
            },
            code::PARAMS_INVALID,
        ),
        (
            "huge length",
            vec![V, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f],
            code::PARAMS_INVALID,
        ),
        (
            "server kind from client",
            tinyim_protocol::Frame::new(1, Body::Ok(Empty {})).encode(),
            code::UNSUPPORTED_REQUEST,
        ),
    ];
    for (what, bytes, want) in cases {
        // The bystander stays inside the test server's 3 s heartbeat timeout however slowly
        // a loaded machine runs these cases.
        bystander.request(Body::Ping(Empty {})).await;
        for logged_in in [false, true] {
            let mut c = if logged_in {
                RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0)
                    .await
                    .0
            } else {
                RawClient::connect(&s.ws_url()).await
            };
            c.send_bytes(bytes.clone()).await;
            let (frames, close) = c.until_closed().await;
            let err = frames
                .iter()
                .find(|f| matches!(f.body, Body::Error(_)))
                .unwrap_or_else(|| panic!("{what}: no error"));
            assert_eq!(error_code(err), want, "{what}");
            assert_eq!(close, 1002, "{what}");
        }
    }
    // A text message is not a frame.
    let mut c = RawClient::connect(&s.ws_url()).await;
    c.send_text("hello").await;
    let (_, close) = c.until_closed().await;
    assert_eq!(close, 1002);
    // A second Login on a logged-in connection is out of order.
    let (mut c, _) = RawClient::login(&s.ws_url(), APP, "carol", &token("carol"), 0).await;
    let r = c.login_raw(APP, "carol", &token("carol"), 0).await;
    assert_eq!(error_code(&r), code::USER_ALREADY_LOGGED);
    let (_, close) = c.until_closed().await;
    assert_eq!(close, 1002);

    let r = bystander.request(Body::Ping(Empty {})).await;
    assert!(
        matches!(r.body, Body::Pong(_)),
        "the server still serves others"
    );
    let (status, _) = s.http_get("/healthz").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn oversized_frame_is_refused_before_it_is_read() {
    let s = Server::start("oversize");
    let (mut c, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    c.send_bytes(vec![1u8; 200 * 1024]).await;
    let (frames, close) = c.until_closed().await;
    let err = frames.iter().find(|f| matches!(f.body, Body::Error(_)));
    if let Some(e) = err {
        assert_eq!(error_code(e), code::PARAMS_INVALID);
    }
    assert_eq!(close, 1002, "closed as a protocol error");
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let r = b.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)));
}

#[tokio::test]
async fn server_side_limits() {
    let s = Server::start("limits");
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let big_text = "x".repeat(32 * 1024 + 1);
    let r = a.request(text_to("bob", 1, &big_text)).await;
    assert_eq!(error_code(&r), code::PARAMS_INVALID);
    let ok_text = "x".repeat(32 * 1024);
    let r = a.request(text_to("bob", 2, &ok_text)).await;
    assert!(matches!(r.body, Body::SendAck(_)));
    let cmd = |n: usize, id: u64| {
        Body::Send(tinyim_protocol::Send {
            conversation_type: 0,
            to: "bob".into(),
            client_message_id: id,
            prev_client_message_id: 0,
            message_type: 2,
            priority: 1,
            payload: vec![7; n],
            extended_data: String::new(),
            ext: None,
        })
    };
    let r = a.request(cmd(5 * 1024 + 1, 3)).await;
    assert_eq!(error_code(&r), code::PARAMS_INVALID);
    let r = a.request(text_to("not a valid id!", 4, "x")).await;
    assert_eq!(error_code(&r), code::PARAMS_INVALID);

    // Rate: 10 texts a second. Send 15 at once; some are refused with 6000005.
    let mut ids = Vec::new();
    for i in 0..15 {
        ids.push(a.send(text_to("bob", 100 + i, "r")).await);
    }
    let mut limited = 0;
    let mut acked = 0;
    for id in ids {
        match a.answer(id).await.body {
            Body::SendAck(_) => acked += 1,
            Body::Error(e) if e.code == code::SERVER_FREQUENCY_LIMIT => limited += 1,
            other => panic!("{other:?}"),
        }
    }
    assert!(
        limited >= 4 && acked >= 9,
        "acked {acked}, limited {limited}"
    );
    // Commands have their own budget.
    let r = a.request(cmd(10, 200)).await;
    assert!(matches!(r.body, Body::SendAck(_)));
    // Logging in again does not refill the text budget: a fresh budget would take 10 at
    // once, the spent one (refilled for well under a second) refuses some.
    a.close().await;
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let mut ids = Vec::new();
    for i in 0..10 {
        ids.push(a.send(text_to("bob", 300 + i, "again")).await);
    }
    let mut limited = 0;
    for id in ids {
        if matches!(a.answer(id).await.body, Body::Error(e) if e.code == code::SERVER_FREQUENCY_LIMIT)
        {
            limited += 1;
        }
    }
    assert!(limited > 0, "a re-login must not reset the rate limit");
    let (_, metrics) = s.http_get("/metrics").await;
    assert!(metric_in(&metrics, "tinyim_errors_total{code=\"6000005\"}") > 0.0);
}

#[tokio::test]
async fn history_pages_in_both_directions() {
    let s = Server::start("history");
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    for i in 1..=25u64 {
        let (c, to) = if i % 2 == 0 {
            (&mut b, "alice")
        } else {
            (&mut a, "bob")
        };
        let r = c.request(text_to(to, i, &format!("h{i}"))).await;
        assert!(matches!(r.body, Body::SendAck(_)));
        if i % 9 == 0 {
            tokio::time::sleep(Duration::from_millis(1000)).await; // stay under the rate limit
        }
    }
    let page = |anchor: u64, count: u32, reverse: bool| {
        Body::History(HistoryQuery {
            conversation_type: 0,
            conversation_id: "bob".into(),
            anchor_order_key: anchor,
            count,
            reverse,
        })
    };
    let keys = |f: tinyim_protocol::Frame| -> Vec<u64> {
        let Body::HistoryPage(p) = f.body else {
            panic!("{f:?}")
        };
        assert_eq!(p.conversation_id, "bob");
        p.messages.iter().map(|m| m.order_key).collect()
    };
    // Backwards from the newest (ZIM's `reverse: true`).
    let k = keys(a.request(page(0, 10, true)).await);
    assert_eq!(k, (16..=25).collect::<Vec<_>>());
    let k = keys(a.request(page(16, 10, true)).await);
    assert_eq!(k, (6..=15).collect::<Vec<_>>());
    let k = keys(a.request(page(6, 10, true)).await);
    assert_eq!(k, (1..=5).collect::<Vec<_>>());
    let k = keys(a.request(page(1, 10, true)).await);
    assert!(k.is_empty());
    // Forwards from the oldest.
    let k = keys(a.request(page(0, 10, false)).await);
    assert_eq!(k, (1..=10).collect::<Vec<_>>());
    let k = keys(a.request(page(10, 10, false)).await);
    assert_eq!(k, (11..=20).collect::<Vec<_>>());
    let k = keys(a.request(page(20, 10, false)).await);
    assert_eq!(k, (21..=25).collect::<Vec<_>>());
    // Seen from alice, conversation_id is bob for both directions.
    let f = a.request(page(0, 2, true)).await;
    let Body::HistoryPage(p) = f.body else {
        panic!()
    };
    assert_eq!(p.messages[0].sender_id, "bob");
    assert_eq!(p.messages[1].sender_id, "alice");
    assert!(p.messages.iter().all(|m| m.conversation_id == "bob"));
    let r = a.request(page(0, 0, true)).await;
    assert_eq!(error_code(&r), code::PARAMS_INVALID);
    let r = a.request(page(0, 101, false)).await;
    assert_eq!(error_code(&r), code::PARAMS_INVALID);
}

#[tokio::test]
async fn room_of_100_members_fans_out() {
    let s = Server::start("room100");
    let users: Vec<String> = (0..100).map(|i| format!("u{i:03}")).collect();
    let toks = tokens(APP, SECRET, &users);
    let mut clients = Vec::new();
    for (u, t) in users.iter().zip(&toks) {
        let (mut c, _) = RawClient::login(&s.ws_url(), APP, u, t, 0).await;
        let r = c
            .request(Body::RoomEnter(Room {
                room_id: "big".into(),
                room_name: "Big".into(),
            }))
            .await;
        let Body::RoomInfo(info) = r.body else {
            panic!("{r:?}")
        };
        assert_eq!(info.room_name, "Big");
        clients.push(c);
    }
    // The first member saw 99 joins.
    let mut joined = 0;
    while joined < 99 {
        let f = clients[0]
            .wait_for(|f| matches!(f.body, Body::RoomMembersChanged(_)))
            .await;
        let Body::RoomMembersChanged(ch) = f.body else {
            unreachable!()
        };
        assert!(ch.joined);
        joined += ch.members.len();
    }
    let r = clients[5]
        .request(Body::RoomOnlineCount(Room {
            room_id: "big".into(),
            room_name: String::new(),
        }))
        .await;
    assert_eq!(
        r.body,
        Body::RoomCount(tinyim_protocol::RoomCount {
            room_id: "big".into(),
            count: 100
        })
    );
    // Member pages of 30.
    let mut flag = String::new();
    let mut seen = Vec::new();
    loop {
        let r = clients[1]
            .request(Body::RoomMembers(RoomMembersQuery {
                room_id: "big".into(),
                next_flag: flag.clone(),
                count: 30,
            }))
            .await;
        let Body::RoomMemberPage(p) = r.body else {
            panic!("{r:?}")
        };
        assert!(p.members.len() <= 30);
        seen.extend(p.members.iter().map(|m| m.user_id.clone()));
        if p.next_flag.is_empty() {
            break;
        }
        flag = p.next_flag;
    }
    assert_eq!(seen, users);

    let r = clients[42].request(room_text("big", 1, "hello room")).await;
    let Body::SendAck(ack) = r.body else {
        panic!("{r:?}")
    };
    for (i, c) in clients.iter_mut().enumerate() {
        if i == 42 {
            continue;
        }
        let f = c.wait_for(|f| matches!(f.body, Body::RoomPush(_))).await;
        let Body::RoomPush(p) = f.body else {
            unreachable!()
        };
        assert_eq!(p.message.payload, b"hello room");
        assert_eq!(p.message.conversation_id, "big");
        assert_eq!(p.message.conversation_type, 1);
        assert_eq!(p.message.sender_id, "u042");
        assert_eq!(p.message.message_id, ack.message_id);
    }
    let (_, metrics) = s.http_get("/metrics").await;
    assert_eq!(
        metric_in(&metrics, "tinyim_pushes_total{kind=\"room\"}"),
        99.0,
        "{metrics}"
    );
}

#[tokio::test]
async fn room_rules_and_grace_period() {
    let s = Server::start("rooms");
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let room = |id: &str| Room {
        room_id: id.into(),
        room_name: "N".into(),
    };
    let r = a.request(Body::RoomJoin(room("r1"))).await;
    assert_eq!(error_code(&r), code::ROOM_DOES_NOT_EXIST);
    let r = a.request(Body::RoomCreate(room("r1"))).await;
    assert!(matches!(r.body, Body::RoomInfo(_)));
    let r = b.request(Body::RoomCreate(room("r1"))).await;
    assert_eq!(error_code(&r), code::ROOM_ALREADY_EXISTS);
    let r = b.request(room_text("r1", 1, "not a member")).await;
    assert_eq!(error_code(&r), code::USER_NOT_IN_ROOM);
    let r = b.request(room_text("nope", 2, "no room")).await;
    assert_eq!(error_code(&r), code::ROOM_DOES_NOT_EXIST);
    let r = b.request(Body::RoomLeave(room("r1"))).await;
    assert_eq!(error_code(&r), code::USER_NOT_IN_ROOM);
    let r = b.request(Body::RoomJoin(room("r1"))).await;
    assert!(matches!(r.body, Body::RoomInfo(_)));
    a.wait_for(|f| matches!(&f.body, Body::RoomMembersChanged(c) if c.joined && c.members[0].user_id == "bob")).await;

    // Bob drops and comes back within the grace period: no leave/join pushed.
    let bob_token = token("bob");
    b.close().await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &bob_token, 0).await;
    let r = b.request(Body::RoomEnter(room("r1"))).await;
    assert!(matches!(r.body, Body::RoomInfo(_)));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let r = a.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)));
    assert!(
        !a.queued
            .iter()
            .any(|f| matches!(f.body, Body::RoomMembersChanged(_))),
        "{:?}",
        a.queued
    );
    // Bob drops for good: after the grace period alice is told.
    b.close().await;
    let f = a
        .wait_for(|f| matches!(f.body, Body::RoomMembersChanged(_)))
        .await;
    let Body::RoomMembersChanged(ch) = f.body else {
        unreachable!()
    };
    assert!(!ch.joined);
    assert_eq!(ch.members[0].user_id, "bob");
    let r = a.request(Body::RoomOnlineCount(room("r1"))).await;
    assert_eq!(
        r.body,
        Body::RoomCount(tinyim_protocol::RoomCount {
            room_id: "r1".into(),
            count: 1
        })
    );
    // Leaving the last member deletes the room.
    let r = a.request(Body::RoomLeave(room("r1"))).await;
    assert!(matches!(r.body, Body::Ok(_)));
    let r = a.request(Body::RoomJoin(room("r1"))).await;
    assert_eq!(error_code(&r), code::ROOM_DOES_NOT_EXIST);
}

#[tokio::test]
async fn a_stale_grace_timer_does_not_end_a_later_membership() {
    // Grace is 4 s. Bob drops (timer 1 until t=4), comes back, leaves and enters again (a new
    // membership), then drops again at t=2 (timer 2 until t=6). Timer 1 belongs to the old
    // membership and must not end the new one at t=4.
    let mut args = default_args();
    let grace = args
        .iter()
        .position(|a| a == "--room-grace-seconds")
        .unwrap();
    args[grace + 1] = "4".into();
    let heartbeat = args
        .iter()
        .position(|a| a == "--heartbeat-timeout-seconds")
        .unwrap();
    args[heartbeat + 1] = "30".into();
    let s = Server::start_in(&temp_dir("stale-grace"), &args);
    let room = || Room {
        room_id: "g".into(),
        room_name: "G".into(),
    };
    let is_change = |f: &tinyim_protocol::Frame| matches!(f.body, Body::RoomMembersChanged(_));
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    a.request(Body::RoomEnter(room())).await;
    let bob_token = token("bob");
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &bob_token, 0).await;
    b.request(Body::RoomEnter(room())).await;
    a.wait_for(is_change).await; // bob joined
    b.close().await;
    let t0 = std::time::Instant::now();
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &bob_token, 0).await;
    assert!(matches!(
        b.request(Body::RoomEnter(room())).await.body,
        Body::RoomInfo(_)
    ));
    assert!(matches!(
        b.request(Body::RoomLeave(room())).await.body,
        Body::Ok(_)
    ));
    a.wait_for(is_change).await; // bob left
    tokio::time::sleep(Duration::from_millis(2000).saturating_sub(t0.elapsed())).await;
    assert!(matches!(
        b.request(Body::RoomEnter(room())).await.body,
        Body::RoomInfo(_)
    ));
    a.wait_for(is_change).await; // bob joined again
    b.close().await;
    // t=5: timer 1 has fired, bob's second grace period runs until t=6.
    tokio::time::sleep(Duration::from_millis(5000).saturating_sub(t0.elapsed())).await;
    assert!(
        t0.elapsed() < Duration::from_millis(5800),
        "test ran too slowly"
    );
    let r = a.request(Body::RoomOnlineCount(room())).await;
    assert_eq!(
        r.body,
        Body::RoomCount(tinyim_protocol::RoomCount {
            room_id: "g".into(),
            count: 2
        }),
        "bob was dropped before his grace period ended"
    );
    assert!(!a.queued.iter().any(is_change), "{:?}", a.queued);
}

#[tokio::test]
async fn heartbeat_timeout_closes_silent_connections() {
    let s = Server::start_in(&temp_dir("heartbeat"), &args_with_heartbeat(3));
    let (mut c, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let started = std::time::Instant::now();
    let (_, close) = c.until_closed().await;
    assert_eq!(close, 4004);
    assert!(started.elapsed() >= Duration::from_secs(2));
}

#[tokio::test]
async fn renew_token_on_the_live_session() {
    let s = Server::start("renew");
    let (mut c, ok) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let later = ok.token_expire + 1000;
    let t = node_token_cbc(APP, SECRET, "alice", later);
    let r = c.request(Body::RenewToken(RenewToken { token: t })).await;
    assert_eq!(
        r.body,
        Body::TokenRenewed(tinyim_protocol::TokenRenewed {
            token_expire: later
        })
    );
    let t = node_token_gcm(APP, SECRET, "bob", later);
    let r = c.request(Body::RenewToken(RenewToken { token: t })).await;
    assert_eq!(error_code(&r), code::TOKEN_INVALID);
}

#[tokio::test]
async fn dev_mode_persists_its_app_and_serves_tokens() {
    let dir = temp_dir("dev");
    let mut s = Server::start_in(&dir, &[]);
    let banner = s.banner.join("\n");
    assert!(banner.contains("DEV MODE"), "{banner}");
    let app_line = s
        .banner
        .iter()
        .find(|l| l.contains("dev app id:"))
        .unwrap()
        .clone();
    let app: u32 = app_line.split_whitespace().last().unwrap().parse().unwrap();
    let (status, resp) = s.http_get("/dev/token?user=alice").await;
    assert_eq!(status, 200);
    assert!(resp
        .to_ascii_lowercase()
        .contains("access-control-allow-origin: *"));
    let body = &resp[resp.find("\r\n\r\n").unwrap() + 4..];
    let json: serde_json::Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(json["appID"], app);
    let tok = json["token"].as_str().unwrap().to_owned();
    RawClient::login(&s.ws_url(), app, "alice", &tok, 0).await;
    let (status, _) = s.http_get("/dev/token?user=").await;
    assert_eq!(status, 400);
    assert!(s.terminate().success());
    // Restarting keeps the dev app, so minted tokens stay valid.
    let s = Server::start_in(&dir, &[]);
    assert!(s.banner.contains(&app_line));
    RawClient::login(&s.ws_url(), app, "alice", &tok, 0).await;
    // A configured server has no dev endpoint.
    let s2 = Server::start("nodev");
    let (status, _) = s2.http_get("/dev/token?user=alice").await;
    assert_eq!(status, 404);
    let (status, m) = s2.http_get("/metrics").await;
    assert_eq!(status, 200);
    assert!(m.contains("# TYPE tinyim_store_latency_seconds histogram"));
}

#[tokio::test]
async fn config_file_supplies_apps() {
    let dir = temp_dir("config");
    let path = dir.join("tinyim.toml");
    std::fs::write(
        &path,
        format!("room_grace_seconds = 1\n\n[[app]]\nid = {APP}\nsecret = \"{SECRET}\"\n"),
    )
    .unwrap();
    let s = Server::start_in(&dir, &["--config".into(), path.display().to_string()]);
    assert!(!s.banner.join("\n").contains("DEV MODE"));
    RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (status, _) = s.http_get("/dev/token?user=alice").await;
    assert_eq!(status, 404);
    // A bad secret in the file is refused at startup, with a message.
    std::fs::write(&path, "[[app]]\nid = 1\nsecret = \"short\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tinyim-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("32 characters"));
}

#[tokio::test]
async fn a_client_that_stops_reading_is_disconnected_with_4003() {
    let mut args = default_args();
    args.push("--no-rate-limit".into());
    let s = Server::start_in(&temp_dir("slow"), &args);
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    // Bob logs in and then reads nothing while alice floods him with 32 KiB messages.
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let big = "y".repeat(32 * 1024);
    let started = std::time::Instant::now();
    let mut window = std::collections::VecDeque::new();
    let mut sent = 0u64;
    let mut kicked = false;
    while started.elapsed() < Duration::from_secs(30) {
        sent += 1;
        window.push_back(a.send(text_to("bob", sent, &big)).await);
        if window.len() >= 64 {
            let id = window.pop_front().unwrap();
            assert!(matches!(a.answer(id).await.body, Body::SendAck(_)));
        }
        if sent.is_multiple_of(200) {
            let (_, m) = s.http_get("/metrics").await;
            if metric_in(&m, "tinyim_closes_total{code=\"4003\"}") > 0.0 {
                kicked = true;
                break;
            }
        }
    }
    assert!(kicked, "bob was not disconnected after {sent} messages");
    let (frames, close) = b.until_closed().await;
    assert_eq!(close, 4003);
    let got: usize = frames
        .iter()
        .filter_map(|f| match &f.body {
            Body::Push(p) => Some(p.deliveries.len()),
            _ => None,
        })
        .sum();
    assert!((got as u64) < sent, "the server buffered without bound");
    // Bob reconnects and resumes where the pushes stopped; nothing is lost.
    let (mut b, ok) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), got as u64).await;
    assert!(ok.inbox_seq >= sent - window.len() as u64);
    let f = b.wait_for(|f| matches!(f.body, Body::Push(_))).await;
    let Body::Push(p) = f.body else {
        unreachable!()
    };
    assert!(p.offline);
    assert_eq!(p.deliveries[0].inbox_seq, got as u64 + 1);
}

#[tokio::test]
async fn static_dir_is_served_and_nothing_outside_it() {
    let dir = temp_dir("static");
    let web = dir.join("web");
    std::fs::create_dir_all(web.join("js")).unwrap();
    std::fs::write(web.join("index.html"), "<h1>chat</h1>").unwrap();
    std::fs::write(web.join("js/app.js"), "console.log(1)").unwrap();
    std::fs::write(dir.join("secret.txt"), "nope").unwrap();
    let mut args = default_args();
    args.extend(["--static-dir".to_string(), web.display().to_string()]);
    let s = Server::start_in(&dir, &args);
    let (status, resp) = s.http_get("/").await;
    assert_eq!(status, 200);
    assert!(resp.contains("<h1>chat</h1>") && resp.contains("text/html"));
    let (status, resp) = s.http_get("/js/app.js").await;
    assert_eq!(status, 200);
    assert!(resp.contains("text/javascript"));
    for bad in [
        "/../secret.txt",
        "/js/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/missing.js",
    ] {
        let (status, resp) = s.http_get(bad).await;
        assert_eq!(status, 404, "{bad}: {resp}");
    }
    let (status, _) = s.http_get("/healthz").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn random_bytes_never_bring_the_server_down() {
    let s = Server::start("fuzz");
    let (mut bystander, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    // A small deterministic generator: the same inputs on every run.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let tok = token("alice");
    for round in 0..40 {
        let mut c = if round % 2 == 0 {
            RawClient::connect(&s.ws_url()).await
        } else {
            RawClient::login(&s.ws_url(), APP, "alice", &tok, 0).await.0
        };
        let len = (next() % 64) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        // Half the time start like a real frame so the body decoder gets exercised.
        if round % 4 < 2 && bytes.len() >= 2 {
            bytes[0] = 1;
            bytes[1] = (next() % 14) as u8;
        }
        c.send_bytes(bytes).await;
        // Whatever happens, the server answers or closes; it never hangs or dies.
        if let Some(id) = c.try_send(Body::Ping(Empty {})).await {
            while let Some(f) = c.next().await {
                if f.request_id == id {
                    break;
                }
            }
        }
    }
    let r = bystander.request(Body::Ping(Empty {})).await;
    assert!(matches!(r.body, Body::Pong(_)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_keeps_every_acked_message_exactly_once() {
    let dir = temp_dir("restart-load");
    let mut args = default_args();
    args.push("--no-rate-limit".into());
    let s = Server::start_in(&dir, &args);
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let mut server = Some(s);
    let mut stopping = None;
    let mut sent = std::collections::HashMap::new(); // request id -> client message id
    let mut acked = std::collections::BTreeMap::new(); // client message id -> ack
    let mut next_cmid = 1u64;
    let mut in_flight = 0;
    loop {
        while in_flight < 64 && next_cmid <= 20_000 {
            match a
                .try_send(text_to("bob", next_cmid, &next_cmid.to_string()))
                .await
            {
                Some(rid) => {
                    sent.insert(rid, next_cmid);
                    next_cmid += 1;
                    in_flight += 1;
                }
                None => break,
            }
        }
        let Some(f) = a.next().await else { break };
        if let Body::SendAck(k) = f.body {
            acked.insert(sent[&f.request_id], k);
            in_flight -= 1;
        }
        if acked.len() >= 300 && stopping.is_none() {
            let mut srv = server.take().unwrap();
            stopping = Some(tokio::task::spawn_blocking(move || srv.terminate()));
        }
    }
    assert_eq!(a.closed, Some(1001));
    assert!(stopping.unwrap().await.unwrap().success());
    let sent_count = next_cmid - 1;
    eprintln!("sent {sent_count}, acked before the stop {}", acked.len());

    let s = Server::start_in(&dir, &args);
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    // Resend what was never acknowledged (as the SDK does), and a few acknowledged ones.
    for cmid in 1..=sent_count {
        let again = !acked.contains_key(&cmid) || cmid <= 5;
        if again {
            let r = a.request(text_to("bob", cmid, &cmid.to_string())).await;
            let Body::SendAck(k) = r.body else {
                panic!("{r:?}")
            };
            if let Some(first) = acked.get(&cmid) {
                assert_eq!(&k, first, "a resend gets the original ack");
            }
            acked.insert(cmid, k);
        }
    }
    // Bob, on a fresh install, gets every message exactly once, in order.
    let (mut b, ok) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    assert_eq!(
        ok.inbox_seq, sent_count,
        "one inbox entry per distinct send"
    );
    let mut got = Vec::new();
    while (got.len() as u64) < sent_count {
        let f = b.wait_for(|f| matches!(f.body, Body::Push(_))).await;
        let Body::Push(p) = f.body else {
            unreachable!()
        };
        got.extend(p.deliveries.iter().filter_map(|d| d.message.clone()));
    }
    let mut cmids: Vec<u64> = got.iter().map(|m| m.client_message_id).collect();
    assert!(got.windows(2).all(|w| w[0].order_key < w[1].order_key));
    cmids.sort_unstable();
    assert_eq!(cmids, (1..=sent_count).collect::<Vec<_>>());
    for m in &got {
        assert_eq!(acked[&m.client_message_id].message_id, m.message_id);
        assert_eq!(
            String::from_utf8_lossy(&m.payload),
            m.client_message_id.to_string()
        );
    }
}

#[tokio::test]
async fn a_session_ends_when_its_token_expires() {
    let s = Server::start("expiry");
    let t = node_token_gcm(APP, SECRET, "alice", now_secs() + 2);
    let (mut c, _) = RawClient::login(&s.ws_url(), APP, "alice", &t, 0).await;
    // Keep the connection alive so only the token can end it.
    let mut frames = Vec::new();
    for _ in 0..40 {
        match c.try_send(Body::Ping(Empty {})).await {
            Some(_) => {}
            None => break,
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        if c.closed.is_some() {
            break;
        }
        let f = c.next().await;
        match f {
            Some(f) => frames.push(f),
            None => break,
        }
    }
    let (rest, close) = c.until_closed().await;
    frames.extend(rest);
    assert_eq!(close, 4001);
    let e = frames
        .iter()
        .find(|f| matches!(f.body, Body::Error(_)))
        .expect("an error before the close");
    assert_eq!((e.request_id, error_code(e)), (0, code::TOKEN_EXPIRED));
}

#[tokio::test]
async fn a_send_is_stored_only_after_the_message_it_follows() {
    // Bob only listens for a while: a heartbeat timeout longer than the test's 3 s.
    let mut args = default_args();
    let at = args
        .iter()
        .position(|a| a == "--heartbeat-timeout-seconds")
        .unwrap();
    args[at + 1] = "60".into();
    let s = Server::start_in(&temp_dir("sender-order"), &args);
    let (mut a, _) = RawClient::login(&s.ws_url(), APP, "alice", &token("alice"), 0).await;
    let (mut b, _) = RawClient::login(&s.ws_url(), APP, "bob", &token("bob"), 0).await;
    let ack = |f: tinyim_protocol::Frame| match f.body {
        Body::SendAck(k) => k,
        other => panic!("{other:?}"),
    };
    // 2 follows 1, which was never sent: refused, and nothing is stored or delivered.
    let r = a.request(following(1, text_to("bob", 2, "two"))).await;
    assert_eq!(error_code(&r), code::SEND_MESSAGE_FAILED);
    assert_eq!(ack(a.request(text_to("bob", 1, "one")).await).order_key, 1);
    let two = ack(a.request(following(1, text_to("bob", 2, "two"))).await);
    assert_eq!(two.order_key, 2);
    // A resend of a stored message gets its ack whatever it names.
    assert_eq!(
        ack(a.request(following(77, text_to("bob", 2, "two"))).await),
        two
    );

    // Pipelined, each naming the one before: the server's rate (10/s, 10 saved up)
    // refuses one after about ten, and every later one is refused as well, even once the
    // rate would allow it, since the one it follows is not stored.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut ids = Vec::new();
    for cmid in 10..25u64 {
        let prev = if cmid == 10 { 2 } else { cmid - 1 };
        ids.push(
            a.send(following(prev, text_to("bob", cmid, &cmid.to_string())))
                .await,
        );
    }
    let mut refused = Vec::new();
    for (cmid, id) in (10..25u64).zip(ids) {
        match a.answer(id).await.body {
            Body::SendAck(_) => assert!(refused.is_empty(), "{cmid} stored after a refusal"),
            Body::Error(e) => refused.push((cmid, e.code)),
            other => panic!("{other:?}"),
        }
    }
    let &(first_refused, why) = refused.first().expect("the rate refused one");
    assert_eq!(why, code::SERVER_FREQUENCY_LIMIT);
    assert_eq!(refused.last().map(|r| r.0), Some(24));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let r = a.request(following(24, text_to("bob", 25, "25"))).await;
    assert_eq!(
        error_code(&r),
        code::SEND_MESSAGE_FAILED,
        "24 is not stored"
    );
    // Sent again in order, within the rate: stored after the last one that was.
    for cmid in first_refused..=25u64 {
        tokio::time::sleep(Duration::from_millis(110)).await;
        let r = a.request(following(cmid - 1, text_to("bob", cmid, &cmid.to_string())));
        ack(r.await);
    }
    let mut got = Vec::new();
    while got.len() < 18 {
        let f = b.wait_for(is_push).await;
        got.extend(deliveries(&f).into_iter().map(|t| t.2));
    }
    let want: Vec<String> = ["one", "two"]
        .into_iter()
        .map(String::from)
        .chain((10..=25).map(|i| i.to_string()))
        .collect();
    assert_eq!(got, want);

    // Rooms keep the same rule, against the sender's recent room sends.
    tokio::time::sleep(Duration::from_millis(1100)).await; // a full rate budget again
    let room = Room {
        room_id: "order".into(),
        room_name: "N".into(),
    };
    assert!(matches!(
        a.request(Body::RoomCreate(room.clone())).await.body,
        Body::RoomInfo(_)
    ));
    assert!(matches!(
        b.request(Body::RoomEnter(room)).await.body,
        Body::RoomInfo(_)
    ));
    let first = ack(a.request(room_text("order", 100, "r1")).await);
    let r = a
        .request(following(555, room_text("order", 101, "r2")))
        .await;
    assert_eq!(error_code(&r), code::SEND_MESSAGE_FAILED);
    ack(a
        .request(following(100, room_text("order", 102, "r3")))
        .await);
    assert_eq!(
        ack(a.request(following(9, room_text("order", 100, "r1"))).await),
        first
    );
    let mut room_texts = Vec::new();
    while room_texts.len() < 2 {
        let f = b.wait_for(|f| matches!(f.body, Body::RoomPush(_))).await;
        if let Body::RoomPush(p) = f.body {
            room_texts.push(String::from_utf8(p.message.payload).unwrap());
        }
    }
    assert_eq!(room_texts, vec!["r1", "r3"]);
    let r = b.request(Body::Ping(Empty {})).await; // nothing else was pushed meanwhile
    assert!(matches!(r.body, Body::Pong(_)));
    assert!(!b.queued.iter().any(|f| matches!(f.body, Body::RoomPush(_))));
}
