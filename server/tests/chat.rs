//! The chat tier's server rules on raw frames: the revoke and edit windows, what a `Send`'s
//! extension may carry, the conversation sync at login (before the catch-up, in pages), and
//! notices in the inbox (a revoke for a user who was offline: once, in order, after the
//! message it is about).

mod support;

use std::time::Duration;

use support::*;
use tinyim_protocol::areas::{
    ConversationKey, ConversationSync, Edit, MessageEdit, MessageRef, Revoke,
};
use tinyim_protocol::ids::MessageId;
use tinyim_protocol::rpc::{Call, Notice, Request};
use tinyim_protocol::value::decode_all;
use tinyim_protocol::{code, Body, Delivery, Login, MessageExt, SendAck};

/// A `Call` of `request`.
fn call(id: u64, request: Request) -> Body {
    Body::Call(Call {
        call_id: id,
        method: request.method(),
        args: request.encode_args(),
    })
}

fn revoke(message_id: u64) -> Request {
    Request::RevokeMessage(Revoke {
        message: MessageRef {
            message_id: MessageId(message_id),
            local_message_id: MessageId(0),
        },
        ..Revoke::default()
    })
}

async fn sent(c: &mut RawClient, body: Body) -> SendAck {
    match c.request(body).await.body {
        Body::SendAck(a) => a,
        other => panic!("{other:?}"),
    }
}

/// Every inbox delivery pushed to `c` until `n` arrived.
async fn deliveries(c: &mut RawClient, n: usize) -> Vec<Delivery> {
    let mut got = Vec::new();
    while got.len() < n {
        let f = c.wait_for(|f| matches!(f.body, Body::Push(_))).await;
        let Body::Push(p) = f.body else { panic!() };
        got.extend(p.deliveries.0);
    }
    got
}

#[tokio::test]
async fn revoke_and_edit_within_the_servers_windows_only() {
    let dir = temp_dir("chat-windows");
    let mut args = default_args();
    args.extend(["--revoke-window-seconds", "1", "--edit-window-seconds", "1"].map(String::from));
    let srv = Server::start_in(&dir, &args);
    let (mut alice, _) = RawClient::login(&srv.ws_url(), APP, "alice", &token("alice"), 0).await;
    let fresh = sent(&mut alice, text_to("bob", 1, "fresh")).await;
    let old = sent(&mut alice, text_to("bob", 2, "old")).await;
    let r = alice.request(call(1, revoke(fresh.message_id))).await;
    assert!(matches!(r.body, Body::Reply(_)), "{r:?}");
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let r = alice.request(call(2, revoke(old.message_id))).await;
    assert_eq!(error_code(&r), code::MESSAGE_EXCEEDS_REVOKE_TIME);
    let edit = Request::EditMessage(Edit {
        message: MessageEdit {
            message_id: MessageId(old.message_id),
            message: "new".into(),
            ..MessageEdit::default()
        },
    });
    let r = alice.request(call(3, edit)).await;
    assert_eq!(error_code(&r), code::MESSAGE_EXCEEDS_EDIT_TIME);
    // Not one's own, or no such message.
    let (mut bob, _) = RawClient::login(&srv.ws_url(), APP, "bob", &token("bob"), 0).await;
    let r = bob.request(call(4, revoke(old.message_id))).await;
    assert_eq!(error_code(&r), code::NO_OPERATION_AUTHORITY);
    let r = bob.request(call(5, revoke(12345))).await;
    assert_eq!(error_code(&r), code::MESSAGE_COMMON);
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_sends_extension_carries_only_what_a_sender_may_set() {
    let srv = Server::start("chat-ext");
    let (mut alice, _) = RawClient::login(&srv.ws_url(), APP, "alice", &token("alice"), 0).await;
    let with = |ext: MessageExt| {
        let Body::Send(mut s) = text_to("bob", 7, "hi") else {
            unreachable!()
        };
        s.ext = Some(ext);
        Body::Send(s)
    };
    for bad in [
        MessageExt {
            revoke_time: 1,
            ..MessageExt::default()
        },
        MessageExt {
            receipt_status: 2,
            ..MessageExt::default()
        },
        MessageExt {
            searched_content: "x".repeat(2000),
            ..MessageExt::default()
        },
    ] {
        let r = alice.request(with(bad)).await;
        assert_eq!(error_code(&r), code::PARAMS_INVALID);
    }
    let receipt = MessageExt {
        receipt_status: 1,
        ..MessageExt::default()
    };
    sent(&mut alice, with(receipt)).await;
    // The SDK's local methods mean nothing to a server.
    let local = Request::CancelSendingMessage(Default::default());
    let r = alice.request(call(1, local)).await;
    assert_eq!(error_code(&r), code::UNSUPPORTED_REQUEST);
}

#[tokio::test]
async fn an_offline_user_gets_a_revoke_once_in_order_after_the_message() {
    let srv = Server::start("chat-offline-revoke");
    let (mut alice, _) = RawClient::login(&srv.ws_url(), APP, "alice", &token("alice"), 0).await;
    let first = sent(&mut alice, text_to("bob", 1, "oops")).await;
    let r = alice.request(call(1, revoke(first.message_id))).await;
    assert!(matches!(r.body, Body::Reply(_)), "{r:?}");
    sent(&mut alice, following(1, text_to("bob", 2, "sorry"))).await;

    let (mut bob, ok) = RawClient::login(&srv.ws_url(), APP, "bob", &token("bob"), 0).await;
    assert_eq!(ok.inbox_seq, 4);
    let got = deliveries(&mut bob, 4).await;
    let seqs: Vec<u64> = got.iter().map(|d| d.inbox_seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    // The message (as it is now: revoked), the revoke, bob's conversation, the next message.
    let m = got[0].message.as_ref().unwrap();
    assert_eq!(m.message_type, 31);
    assert_eq!(m.ext.as_ref().unwrap().original_message_type, 1);
    let kinds: Vec<Option<u16>> = got
        .iter()
        .map(|d| d.notice.as_ref().map(|n| n.notice))
        .collect();
    assert_eq!(kinds, [None, Some(300), Some(200), None]);
    assert_eq!(got[3].message.as_ref().unwrap().payload, b"sorry");
    // Acknowledged: a new login does not get them again.
    bob.send0(Body::PushAck(tinyim_protocol::PushAck { inbox_seq: 4 }))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    bob.close().await;
    let (mut again, _) = RawClient::login(&srv.ws_url(), APP, "bob", &token("bob"), 0).await;
    let r = again
        .request(call(
            2,
            Request::ClearConversationUnreadMessageCount(ConversationKey {
                conversation_id: "alice".into(),
                conversation_type: 0,
            }),
        ))
        .await;
    assert!(matches!(r.body, Body::Reply(_)));
    // Only the clear's own notice comes: the earlier entries were acknowledged.
    let next = deliveries(&mut again, 1).await;
    assert_eq!(next[0].inbox_seq, 5);
    assert_eq!(next[0].notice.as_ref().map(|n| n.notice), Some(200));
}

#[tokio::test]
async fn login_syncs_the_conversations_in_pages_before_the_catch_up() {
    let srv = Server::start("chat-sync");
    // 40 peers, each with a 32 KB message for bob: more than one frame of conversations.
    let big = "x".repeat(32 * 1024);
    for i in 0..40 {
        let user = format!("peer{i:02}");
        let (mut c, _) = RawClient::login(&srv.ws_url(), APP, &user, &token(&user), 0).await;
        sent(&mut c, text_to("bob", 1, &big)).await;
        c.close().await;
    }
    let mut bob = RawClient::connect(&srv.ws_url()).await;
    let ok = bob
        .request(Body::Login(Login {
            app_id: APP,
            user_id: "bob".into(),
            user_name: "Bob".into(),
            token: token("bob"),
            last_inbox_seq: 0,
            sync_conversations: true,
        }))
        .await;
    assert!(matches!(ok.body, Body::LoginOk(_)), "{ok:?}");
    let mut pages = Vec::new();
    loop {
        let f = bob.next().await.unwrap();
        match f.body {
            Body::Notify(n) if n.notice == 204 => {
                let shape = tinyim_protocol::rpc::notice(204).unwrap().shape;
                assert!(decode_all(&n.body, shape).is_ok());
                let Ok(Notice::ConversationSync(page)) = Notice::decode(n.notice, &n.body) else {
                    panic!()
                };
                let done = page.done;
                pages.push(page);
                if done {
                    break;
                }
            }
            other => panic!("before the sync is done: {other:?}"),
        }
    }
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let all: Vec<&str> = pages
        .iter()
        .flat_map(|p: &ConversationSync| p.conversations.iter())
        .map(|c| c.conversation_id.as_str())
        .collect();
    assert_eq!(all.len(), 40);
    assert_eq!(all[0], "peer39", "newest first");
    assert!(pages
        .iter()
        .flat_map(|p| p.conversations.iter())
        .all(|c| c.unread_message_count == 1));
    // Then the catch-up.
    let got = deliveries(&mut bob, 40).await;
    assert_eq!(got.len(), 40);
}
