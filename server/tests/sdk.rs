//! End-to-end tests driven by the SDK's own sans-IO core (`tinyim::Client`) over real
//! WebSockets against the real server binary (`tinyim_bench::host` is the host).

mod support;

use std::time::Duration;

use support::*;
use tinyim::{Command, ConnectionEvent, ConnectionState, Event, Reply};
use tinyim_bench::host::Driver;

fn text(m: &tinyim::Message) -> String {
    String::from_utf8_lossy(&m.payload).into_owned()
}

#[tokio::test]
async fn sdk_clients_exchange_text_and_command_messages() {
    let s = Server::start("sdk-exchange");
    let mut alice = Driver::new(APP, &s.ws_url(), 1);
    let mut bob = Driver::new(APP, &s.ws_url(), 2);
    alice
        .login("alice", &token("alice"))
        .await
        .expect("alice logs in");
    bob.login("bob", &token("bob")).await.expect("bob logs in");
    assert!(alice.events.iter().any(|e| matches!(
        e,
        Event::ConnectionStateChanged {
            state: ConnectionState::Connected,
            ..
        }
    )));

    let sent = alice.send_text("bob", "hello from the SDK").await.unwrap();
    let Reply::Sent(sent) = sent else {
        panic!("{sent:?}")
    };
    assert!(sent.message_id > 0);
    assert_eq!(sent.order_key, 1);
    assert!(
        bob.wait_peer_messages(1, Duration::from_secs(10)).await,
        "bob did not get 1 messages in time"
    );
    let got = bob.peer_messages();
    assert_eq!(text(&got[0]), "hello from the SDK");
    assert_eq!(got[0].sender_id, "alice");
    assert_eq!(got[0].conversation_id, "alice");
    assert_eq!(got[0].message_id, sent.message_id);

    let r = bob.send_command("alice", &[1, 2, 3, 0xff]).await.unwrap();
    assert!(matches!(r, Reply::Sent(_)));
    assert!(
        alice.wait_peer_messages(1, Duration::from_secs(10)).await,
        "alice did not get 1 messages in time"
    );
    let got = alice.peer_messages();
    assert_eq!(
        (got[0].message_type, got[0].payload.clone()),
        (2, vec![1, 2, 3, 0xff])
    );
    assert_eq!(got[0].conversation_id, "bob");

    // A burst in both directions arrives complete and in order.
    for i in 0..8 {
        alice.send_text("bob", &format!("a{i}")).await.unwrap();
        bob.send_text("alice", &format!("b{i}")).await.unwrap();
    }
    assert!(
        bob.wait_peer_messages(9, Duration::from_secs(10)).await,
        "bob did not get 9 messages in time"
    );
    assert!(
        alice.wait_peer_messages(9, Duration::from_secs(10)).await,
        "alice did not get 9 messages in time"
    );
    let b: Vec<String> = bob.peer_messages()[1..].iter().map(text).collect();
    assert_eq!(b, (0..8).map(|i| format!("a{i}")).collect::<Vec<_>>());
    let a: Vec<String> = alice.peer_messages()[1..].iter().map(text).collect();
    assert_eq!(a, (0..8).map(|i| format!("b{i}")).collect::<Vec<_>>());

    // History through the SDK.
    let h = bob
        .call(Command::QueryHistory {
            conversation_type: 0,
            conversation_id: "alice".into(),
            anchor_order_key: 0,
            count: 5,
            reverse: true,
        })
        .await
        .unwrap();
    let Reply::History { messages, .. } = h else {
        panic!("{h:?}")
    };
    assert_eq!(messages.len(), 5);
    assert!(messages.windows(2).all(|w| w[0].order_key < w[1].order_key));
    assert_eq!(messages.last().unwrap().order_key, 18);

    // Second login of bob elsewhere: the first is kicked out.
    let mut bob2 = Driver::new(APP, &s.ws_url(), 3);
    bob2.login("bob", &token("bob")).await.unwrap();
    assert!(
        bob.run_until(
            |d| {
                d.events.iter().any(|e| {
                    matches!(
                        e,
                        Event::ConnectionStateChanged {
                            event: ConnectionEvent::KickedOut,
                            ..
                        }
                    )
                })
            },
            Duration::from_secs(10),
        )
        .await,
        "the awaited events did not come in time"
    );
}

#[tokio::test]
async fn sdk_survives_a_server_restart_with_nothing_lost_or_duplicated() {
    let dir = temp_dir("sdk-restart");
    let mut s = Server::start_in(&dir, &default_args());
    let port_args = default_args();
    let listen = s.addr.clone();
    let url = s.ws_url();
    let mut alice = Driver::new(APP, &url, 11);
    let mut bob = Driver::new(APP, &url, 12);
    alice.login("alice", &token("alice")).await.unwrap();
    bob.login("bob", &token("bob")).await.unwrap();

    for i in 0..5 {
        alice.send_text("bob", &format!("m{i}")).await.unwrap();
    }
    assert!(
        bob.wait_peer_messages(5, Duration::from_secs(10)).await,
        "bob did not get 5 messages in time"
    );
    bob.run_for(Duration::from_millis(300)).await; // let bob's acks reach the server

    // Restart on the same port and data dir.
    assert!(s.terminate().success());
    let restart = |dir: std::path::PathBuf, listen: String, args: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            std::thread::sleep(Duration::from_millis(300));
            let mut full = vec!["--listen".to_string(), listen];
            full.extend(args);
            Server::start_in(&dir, &full)
        })
    };
    let next = restart(dir.clone(), listen.clone(), port_args.clone());
    // Alice sends while the server is down: the SDK keeps the message and resends it.
    let r = alice.send_text("bob", "m5").await;
    assert!(r.is_ok(), "{r:?}");
    let mut s = next.await.unwrap();
    alice.send_text("bob", "m6").await.unwrap();
    assert!(
        bob.wait_peer_messages(7, Duration::from_secs(20)).await,
        "bob did not get 7 messages in time"
    );
    bob.run_for(Duration::from_millis(500)).await;
    let got: Vec<String> = bob.peer_messages().iter().map(text).collect();
    assert_eq!(got, (0..7).map(|i| format!("m{i}")).collect::<Vec<_>>());

    // A new SDK instance for bob (app restarted) after another server restart receives
    // nothing again: everything was acknowledged.
    assert!(s.terminate().success());
    let s = restart(dir.clone(), listen.clone(), port_args.clone())
        .await
        .unwrap();
    drop(bob);
    let mut bob = Driver::new(APP, &s.ws_url(), 13);
    bob.login("bob", &token("bob")).await.unwrap();
    alice.send_text("bob", "after").await.unwrap();
    assert!(
        bob.wait_peer_messages(1, Duration::from_secs(20)).await,
        "bob did not get 1 messages in time"
    );
    bob.run_for(Duration::from_millis(300)).await;
    let got: Vec<String> = bob.peer_messages().iter().map(text).collect();
    assert_eq!(got, vec!["after".to_string()]);
}

#[tokio::test]
async fn sdk_offline_delivery_across_logout_and_login() {
    let s = Server::start("sdk-offline");
    let mut alice = Driver::new(APP, &s.ws_url(), 21);
    alice.login("alice", &token("alice")).await.unwrap();
    let mut bob = Driver::new(APP, &s.ws_url(), 22);
    bob.login("bob", &token("bob")).await.unwrap();
    alice.send_text("bob", "online").await.unwrap();
    assert!(
        bob.wait_peer_messages(1, Duration::from_secs(10)).await,
        "bob did not get 1 messages in time"
    );
    bob.run_for(Duration::from_millis(200)).await;
    bob.call(Command::Logout).await.unwrap();

    for i in 0..3 {
        alice
            .send_text("bob", &format!("offline {i}"))
            .await
            .unwrap();
    }
    // The same SDK instance logs in again: only the new messages, flagged offline.
    bob.login("bob", &token("bob")).await.unwrap();
    assert!(
        bob.wait_peer_messages(4, Duration::from_secs(10)).await,
        "bob did not get 4 messages in time"
    );
    bob.run_for(Duration::from_millis(200)).await;
    let got: Vec<String> = bob.peer_messages().iter().map(text).collect();
    assert_eq!(got, vec!["online", "offline 0", "offline 1", "offline 2"]);
    assert!(bob
        .events
        .iter()
        .any(|e| matches!(e, Event::PeerMessages { offline: true, .. })));
}

#[tokio::test]
async fn sdk_room_messages_and_member_events() {
    let s = Server::start("sdk-room");
    let mut users = Vec::new();
    for (i, name) in ["ann", "ben", "cat"].iter().enumerate() {
        let mut d = Driver::new(APP, &s.ws_url(), 30 + i as u64);
        d.login(name, &token(name)).await.unwrap();
        let r = d
            .call(Command::EnterRoom {
                room_id: "lobby".into(),
                room_name: "Lobby".into(),
            })
            .await
            .unwrap();
        assert!(
            matches!(r, Reply::Room { ref room_name, .. } if room_name == "Lobby"),
            "{r:?}"
        );
        users.push(d);
    }
    let r = users[1]
        .call(Command::SendMessage {
            conversation_type: 1,
            to: "lobby".into(),
            message_type: 1,
            priority: 1,
            payload: b"hi all".to_vec(),
            extended_data: String::new(),
            ext: None,
        })
        .await
        .unwrap();
    assert!(matches!(r, Reply::Sent(_)));
    for i in [0, 2] {
        assert!(
            users[i]
                .run_until(
                    |d| {
                        d.events.iter().any(|e| {
                            matches!(e, Event::RoomMessages { room_id, messages }
                                if room_id == "lobby" && messages.iter().any(|m| m.payload == b"hi all"))
                        })
                    },
                    Duration::from_secs(10),
                )
                .await,
            "the awaited events did not come in time"
        );
    }
    // Ann saw ben and cat join.
    assert!(
        users[0]
            .run_until(
                |d| {
                    let joined: Vec<String> = d
                        .events
                        .iter()
                        .filter_map(|e| match e {
                            Event::RoomMemberJoined { members, .. } => Some(members.clone()),
                            _ => None,
                        })
                        .flatten()
                        .map(|u| u.user_id)
                        .collect();
                    joined.contains(&"ben".to_string()) && joined.contains(&"cat".to_string())
                },
                Duration::from_secs(10),
            )
            .await,
        "the awaited events did not come in time"
    );
    let r = users[0]
        .call(Command::QueryRoomOnlineCount {
            room_id: "lobby".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        r,
        Reply::Count {
            room_id: "lobby".into(),
            count: 3
        }
    );
    let r = users[2]
        .call(Command::LeaveRoom {
            room_id: "lobby".into(),
        })
        .await
        .unwrap();
    assert!(matches!(r, Reply::RoomLeft { .. }));
    assert!(
        users[0]
            .run_until(
                |d| {
                    d.events.iter().any(|e| {
                        matches!(e, Event::RoomMemberLeft { members, .. } if members.iter().any(|u| u.user_id == "cat"))
                    })
                },
                Duration::from_secs(10),
            )
            .await,
        "the awaited events did not come in time"
    );
}

/// The index `n` of a text `m{n}` (the e2e order tests number their messages).
fn index(m: &tinyim::Message) -> usize {
    text(m)[1..].parse().expect("a numbered text")
}

/// Adjacent pairs out of order, and messages seen more than once.
fn inversions_and_repeats(seen: &[usize]) -> (usize, usize) {
    let inversions = seen.windows(2).filter(|w| w[0] >= w[1]).count();
    let distinct: std::collections::BTreeSet<_> = seen.iter().collect();
    (inversions, seen.len() - distinct.len())
}

/// Drives `d` sending `count` texts `m0, m1, ...` to `to`, one every `every`, without
/// waiting for acks (as an app does), until all have settled or `limit` passes. Returns
/// each send's result in send order (`None`: never settled).
async fn send_at_rate(
    d: &mut Driver,
    to: &str,
    count: usize,
    every: Duration,
    limit: Duration,
) -> Vec<Option<Result<Reply, tinyim::ZimError>>> {
    let start = std::time::Instant::now();
    let mut ops = Vec::new();
    let mut results = std::collections::HashMap::new();
    let mut next = start;
    loop {
        if ops.len() < count && std::time::Instant::now() >= next {
            let text = format!("m{}", ops.len());
            ops.push(d.start(tinyim_bench::host::text_message(0, to, text.as_bytes())));
            next += every;
        }
        d.drain_with(|o| {
            if let tinyim_bench::host::AppOutput::Completed { op, result } = o {
                assert!(
                    results.insert(op, result).is_none(),
                    "op {op} settled twice"
                );
            }
        })
        .await;
        if (ops.len() == count && results.len() == count) || start.elapsed() > limit {
            break;
        }
        let wake = (ops.len() < count).then_some(next);
        d.step(wake).await;
    }
    ops.iter().map(|op| results.remove(op)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sender_order_survives_a_sigkill_under_load() {
    sigkill_under_load("sdk-sigkill", None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sender_order_survives_a_sigkill_under_load_over_a_200ms_round_trip() {
    // Through a relay that delays each direction by 100 ms: a send's answer comes back
    // after the app's next send went out, so sends are on the wire together, before and
    // after the restart.
    sigkill_under_load("sdk-sigkill-slow", Some(Duration::from_millis(100))).await;
}

/// Issue 16: one sender at 8 texts/s; the server is SIGKILLed 4 s in and restarted 4 s
/// later on the same port and data; 8 s more sending. Every message must reach the
/// receiver once, in send order, history must keep that order, and no send may fail.
/// With `delay`, both users reach the server through a [`SlowLink`] of that delay.
async fn sigkill_under_load(tag: &str, delay: Option<Duration>) {
    const COUNT: usize = 128; // 16 s at 8/s: 4 s before, 4 s down, 8 s after
    let dir = temp_dir(tag);
    let mut s = Server::start_in(&dir, &default_args());
    let listen = s.addr.clone();
    let link = match delay {
        Some(d) => Some(SlowLink::start(&listen, d).await),
        None => None,
    };
    let url = link.as_ref().map_or_else(|| s.ws_url(), SlowLink::ws_url);
    let mut alice = Driver::new(APP, &url, 41);
    let mut bob = Driver::new(APP, &url, 42);
    alice.login("alice", &token("alice")).await.unwrap();
    bob.login("bob", &token("bob")).await.unwrap();

    let sender = tokio::spawn(async move {
        let results = send_at_rate(
            &mut alice,
            "bob",
            COUNT,
            Duration::from_millis(125),
            Duration::from_secs(90),
        )
        .await;
        (alice, results)
    });
    let receiver = tokio::spawn(async move {
        bob.wait_peer_messages(COUNT, Duration::from_secs(90)).await;
        bob.run_for(Duration::from_millis(500)).await; // repeats would show up here
        bob
    });
    tokio::time::sleep(Duration::from_secs(4)).await;
    s.kill();
    let s = tokio::task::spawn_blocking(move || {
        std::thread::sleep(Duration::from_secs(4));
        let mut args = vec!["--listen".to_string(), listen];
        args.extend(default_args());
        Server::start_in(&dir, &args)
    })
    .await
    .unwrap();
    let (_alice, results) = sender.await.unwrap();
    let mut bob = receiver.await.unwrap();

    let rejected: Vec<String> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| !matches!(r, Some(Ok(Reply::Sent(_)))))
        .map(|(i, r)| format!("m{i}: {r:?}"))
        .collect();
    let delivered: Vec<usize> = bob.peer_messages().iter().map(index).collect();
    let (inversions, repeats) = inversions_and_repeats(&delivered);

    // History as bob sees it, paged from the oldest.
    let mut history = Vec::new();
    let mut anchor = 0;
    loop {
        let page = bob
            .call(Command::QueryHistory {
                conversation_type: 0,
                conversation_id: "alice".into(),
                anchor_order_key: anchor,
                count: 100,
                reverse: false,
            })
            .await
            .unwrap();
        let Reply::History { messages, .. } = page else {
            panic!("{page:?}")
        };
        let Some(last) = messages.last() else { break };
        anchor = last.order_key;
        history.extend(messages.iter().map(index));
    }
    let (history_inversions, history_repeats) = inversions_and_repeats(&history);
    let (_, metrics) = s.http_get("/metrics").await;
    let refusals: Vec<&str> = metrics
        .lines()
        .filter(|l| l.contains("6000005") || l.contains("6000203"))
        .collect();
    eprintln!(
        "sigkill under load ({delay:?} each way): sent {COUNT}, rejected {}, delivered {} ({} distinct), \
         delivery inversions {inversions}, repeats {repeats}; history {} messages, \
         inversions {history_inversions}, repeats {history_repeats}; \
         restarted server refusals: {refusals:?}",
        rejected.len(),
        delivered.len(),
        delivered.len() - repeats,
        history.len(),
    );
    assert!(rejected.is_empty(), "sends not resolved: {rejected:?}");
    assert_eq!(delivered, (0..COUNT).collect::<Vec<_>>(), "delivered order");
    assert_eq!(history, (0..COUNT).collect::<Vec<_>>(), "history order");
}
