//! The fuzz target's seeds (protocol/fuzz/seeds, one valid frame per kind) are frames of
//! this protocol version: each decodes, to the kind its file is named after. When the
//! layout changes, `cargo test -p tinyim-protocol --test fuzz_seeds -- --ignored` writes
//! them again from [`samples`].

use tinyim_protocol::limits::MAX_SERVER_FRAME_LEN;
use tinyim_protocol::rpc::{Call, Notify, Reply};
use tinyim_protocol::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds");

fn message() -> Message {
    Message {
        message_id: 1_806_336_000_000_001,
        client_message_id: 300,
        conversation_type: conversation_type::PEER,
        conversation_id: "bob".into(),
        sender_id: "alice".into(),
        message_type: message_type::TEXT,
        priority: 1,
        payload: b"hi".to_vec(),
        extended_data: "{}".into(),
        timestamp: 1_764_000_000_000,
        order_key: 5,
        ext: Some(MessageExt {
            receipt_status: 1,
            ..MessageExt::default()
        }),
    }
}

fn room() -> Room {
    Room {
        room_id: "room-1".into(),
        room_name: "Room".into(),
    }
}

fn users() -> List<User> {
    List(vec![User {
        user_id: "alice".into(),
        user_name: "Alice".into(),
    }])
}

/// One frame of every kind.
fn samples() -> Vec<Frame> {
    let bodies = vec![
        Body::Login(Login {
            app_id: 1234567,
            user_id: "alice".into(),
            user_name: "Alice".into(),
            token: "04token".into(),
            last_inbox_seq: 7,
            sync_conversations: true,
        }),
        Body::Logout(Empty {}),
        Body::RenewToken(RenewToken {
            token: "04token".into(),
        }),
        Body::Ping(Empty {}),
        Body::Send(Send {
            conversation_type: conversation_type::PEER,
            to: "bob".into(),
            client_message_id: 300,
            prev_client_message_id: 299,
            message_type: message_type::TEXT,
            priority: 1,
            payload: b"hi".to_vec(),
            extended_data: "{}".into(),
            ext: Some(MessageExt {
                receipt_status: 1,
                ..MessageExt::default()
            }),
        }),
        Body::PushAck(PushAck { inbox_seq: 7 }),
        Body::RoomCreate(room()),
        Body::RoomJoin(room()),
        Body::RoomEnter(room()),
        Body::RoomLeave(room()),
        Body::RoomMembers(RoomMembersQuery {
            room_id: "room-1".into(),
            next_flag: String::new(),
            count: 100,
        }),
        Body::RoomOnlineCount(room()),
        Body::History(HistoryQuery {
            conversation_type: conversation_type::PEER,
            conversation_id: "bob".into(),
            anchor_order_key: 0,
            count: 20,
            reverse: true,
        }),
        Body::Call(Call {
            call_id: 9,
            method: 206,
            args: vec![3, b'b', b'o', b'b', 0],
        }),
        Body::LoginOk(LoginOk {
            session_id: 1,
            server_time: 1_764_000_000_000,
            token_expire: 1_764_086_400,
            inbox_seq: 7,
        }),
        Body::Ok(Empty {}),
        Body::TokenRenewed(TokenRenewed {
            token_expire: 1_764_086_400,
        }),
        Body::Pong(Pong {
            server_time: 1_764_000_000_005,
        }),
        Body::SendAck(SendAck {
            message_id: 1_806_336_000_000_001,
            timestamp: 1_764_000_000_000,
            order_key: 5,
        }),
        Body::RoomInfo(room()),
        Body::RoomMemberPage(RoomMemberPage {
            room_id: "room-1".into(),
            members: users(),
            next_flag: String::new(),
        }),
        Body::RoomCount(RoomCount {
            room_id: "room-1".into(),
            count: 2,
        }),
        Body::HistoryPage(HistoryPage {
            conversation_type: conversation_type::PEER,
            conversation_id: "bob".into(),
            messages: List(vec![message()]),
        }),
        Body::Error(Error {
            code: code::USER_NOT_IN_ROOM,
            message: "not in the room".into(),
        }),
        Body::Reply(Reply {
            method: 206,
            body: vec![3, b'b', b'o', b'b', 0],
        }),
        Body::Push(Push {
            offline: true,
            deliveries: List(vec![
                Delivery {
                    inbox_seq: 6,
                    message: Some(message()),
                    notice: None,
                },
                Delivery {
                    inbox_seq: 7,
                    message: None,
                    notice: Some(Notify {
                        notice: 201,
                        body: vec![3],
                    }),
                },
            ]),
        }),
        Body::RoomPush(RoomPush { message: message() }),
        Body::RoomMembersChanged(RoomMembersChanged {
            room_id: "room-1".into(),
            joined: true,
            members: users(),
        }),
        Body::Kicked(Kicked {
            code: code::USER_ALREADY_LOGGED,
            message: "another device logged in".into(),
        }),
        Body::Notify(Notify {
            notice: 201,
            body: vec![3],
        }),
    ];
    bodies.into_iter().map(|b| Frame::new(1, b)).collect()
}

fn path(kind: u8) -> String {
    format!("{DIR}/kind-{kind:03}")
}

#[test]
fn every_seed_is_a_frame_of_its_kind() {
    let mut kinds = 0;
    for entry in std::fs::read_dir(DIR).expect("protocol/fuzz/seeds") {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let Some(kind) = name.strip_prefix("kind-") else {
            continue;
        };
        let kind: u8 = kind.parse().unwrap();
        let bytes = std::fs::read(entry.path()).unwrap();
        let frame = Frame::decode(&bytes, MAX_SERVER_FRAME_LEN)
            .unwrap_or_else(|e| panic!("{name}: {e} (run the ignored test to rewrite the seeds)"));
        assert_eq!(frame.body.kind(), kind, "{name}");
        kinds += 1;
    }
    assert_eq!(kinds, samples().len(), "one seed per kind");
}

#[test]
#[ignore = "writes protocol/fuzz/seeds"]
fn write_seeds() {
    for frame in samples() {
        std::fs::write(path(frame.body.kind()), frame.encode()).unwrap();
    }
}
