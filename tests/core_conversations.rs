//! The conversation cache (src/conversations.rs) and the local calls (src/client/
//! local_calls.rs) with the simulated clock: a sync at the first login of a session only,
//! entries the sync covered not counted twice, the inbox keeping the cache (messages and
//! notices, in order), and cancelling a send that waits in the outbox.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::areas::{Conversation, ConversationChangeInfo, ConversationChanged};
use tinyim_protocol::rpc::{self, Notice};
use tinyim_protocol::{code, List};

const CHANGED: u16 = 200;
const TOTAL: u16 = 201;
const SYNC_STATE: u16 = 203;

/// The values of the notices `id` the app got, in order.
fn notices(h: &Harness, id: u16) -> Vec<Value> {
    h.events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Notice { notice, value } if *notice == id => Some(value.clone()),
            _ => None,
        })
        .collect()
}

/// The totals the app was told.
fn totals(h: &Harness) -> Vec<u64> {
    notices(h, TOTAL)
        .iter()
        .map(|v| match v {
            Value::Struct(f) => f[0].as_u64().unwrap(),
            _ => panic!("{v:?}"),
        })
        .collect()
}

/// (conversation ID, unread) of each conversationChanged info, in order.
fn changes(h: &Harness) -> Vec<(String, u64)> {
    let shape = rpc::notice(CHANGED).unwrap().shape;
    let mut out = Vec::new();
    for v in notices(h, CHANGED) {
        let list = tinyim_protocol::value::get(&v, shape, "info_list").unwrap();
        for info in list.items() {
            let Value::Struct(f) = info else { panic!() };
            let Value::Struct(c) = &f[1] else { panic!() };
            out.push((c[0].as_str().unwrap().to_owned(), c[6].as_u64().unwrap()));
        }
    }
    out
}

fn bob_conversation(unread: u32) -> Conversation {
    Conversation {
        conversation_id: "bob".into(),
        notification_status: 1,
        unread_message_count: unread,
        ..Conversation::default()
    }
}

#[test]
fn the_first_login_syncs_and_the_inbox_keeps_the_cache_without_counting_twice() {
    let mut h = Harness::new();
    // Bob's message waits in the inbox, and the server's conversation already counts it.
    h.server.peer_message(0, "bob", "before");
    h.server.conversations = vec![bob_conversation(1)];
    h.login();
    assert!(h.server.logins[0].sync_conversations);
    let states: Vec<Value> = notices(&h, SYNC_STATE);
    assert_eq!(states.len(), 2, "started, finished");
    assert_eq!(changes(&h), [("bob".to_string(), 1)], "the synced list");
    assert_eq!(totals(&h), [1]);
    assert_eq!(h.peer_texts(), [("bob".into(), "before".into(), true)]);

    // A live message counts once.
    let live = h.server.peer_message(h.now, "bob", "live");
    h.server_does(live);
    assert_eq!(changes(&h).last().unwrap(), &("bob".to_string(), 2));
    assert_eq!(totals(&h), [1, 2]);

    // A reconnect does not sync again: the cache follows the inbox.
    h.drop_transport(1006);
    h.advance(40_000);
    assert_eq!(h.server.logins.len(), 2);
    assert!(!h.server.logins[1].sync_conversations);
    assert_eq!(notices(&h, SYNC_STATE).len(), 2);

    // A notice in the inbox (bob's conversation read on another device, say) replaces it.
    let read = Notice::ConversationChanged(ConversationChanged {
        info_list: List(vec![ConversationChangeInfo {
            event: 1,
            conversation: bob_conversation(0),
        }]),
    });
    let pushed = h.server.inbox_notice(read.to_notify());
    h.server_does(pushed);
    assert_eq!(changes(&h).last().unwrap(), &("bob".to_string(), 0));
    assert_eq!(totals(&h), [1, 2, 0]);

    // A new session (after logout) syncs again.
    h.call(Command::Logout);
    h.login();
    assert!(h.server.logins.last().unwrap().sync_conversations);
    assert_eq!(notices(&h, SYNC_STATE).len(), 4);
}

#[test]
fn a_waiting_send_can_be_cancelled_and_one_on_its_way_cannot() {
    let mut h = Harness::new();
    h.login();
    let mut ops = Vec::new();
    let mut local_ids = Vec::new();
    for i in 0..7 {
        ops.push(h.send_text("bob", &format!("m{i}")));
        local_ids.push(h.client.last_local_id());
    }
    let cancel = |h: &mut Harness, local: u64| {
        let args = Value::Struct(vec![Value::Struct(vec![
            Value::Str("0".into()),
            Value::Str(local.to_string()),
        ])]);
        h.call(Command::Call {
            method: rpc::method_named("cancelSendingMessage").unwrap().id,
            args,
        })
    };
    // The pacer let five go at once; the sixth and seventh wait.
    let first = cancel(&mut h, local_ids[0]);
    assert_eq!(
        h.error_code(first),
        Some(code::CANCEL_SENDING_MESSAGE_FAILED)
    );
    let sixth = cancel(&mut h, local_ids[5]);
    assert!(matches!(h.result(sixth), Some(Ok(_))));
    assert_eq!(
        h.error_code(ops[5]),
        Some(code::SEND_MESSAGE_FAILED_FOR_CANCELLED)
    );
    h.advance(2_000);
    assert_eq!(
        h.server.stored_texts(),
        ["m0", "m1", "m2", "m3", "m4", "m6"]
    );
    // The seventh never named the cancelled sixth as the message it follows.
    let sends = h.server.sends();
    let seventh = sends.iter().find(|s| s.payload == b"m6").unwrap();
    assert_ne!(seventh.prev_client_message_id, local_ids[5]);
    assert!(matches!(h.result(ops[6]), Some(Ok(Reply::Sent(_)))));
}
