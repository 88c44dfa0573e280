//! End-to-end tests driven by the SDK's own sans-IO core (`tinyim::Client`) over real
//! WebSockets against the real server binary (tests/support/driver.rs is the host).

mod support;

use std::time::Duration;

use support::driver::Driver;
use support::*;
use tinyim::{Command, ConnectionEvent, ConnectionState, Event, Reply};

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
    bob.wait_peer_messages(1, Duration::from_secs(10)).await;
    let got = bob.peer_messages();
    assert_eq!(text(&got[0]), "hello from the SDK");
    assert_eq!(got[0].sender_id, "alice");
    assert_eq!(got[0].conversation_id, "alice");
    assert_eq!(got[0].message_id, sent.message_id);

    let r = bob.send_command("alice", &[1, 2, 3, 0xff]).await.unwrap();
    assert!(matches!(r, Reply::Sent(_)));
    alice.wait_peer_messages(1, Duration::from_secs(10)).await;
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
    bob.wait_peer_messages(9, Duration::from_secs(10)).await;
    alice.wait_peer_messages(9, Duration::from_secs(10)).await;
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
            reverse: false,
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
    .await;
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
    bob.wait_peer_messages(5, Duration::from_secs(10)).await;
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
    bob.wait_peer_messages(7, Duration::from_secs(20)).await;
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
    bob.wait_peer_messages(1, Duration::from_secs(20)).await;
    bob.run_for(Duration::from_millis(300)).await;
    let got: Vec<String> = bob.peer_messages().iter().map(text).collect();
    assert_eq!(got, vec!["after".to_string()]);
}
