//! The worked examples in docs/protocol.md: each frame here must encode to exactly the bytes
//! the page shows, and the page must show exactly these bytes, so neither can drift.

use tinyim_protocol::limits::{MAX_CLIENT_FRAME_LEN, MAX_SERVER_FRAME_LEN};
use tinyim_protocol::*;

/// Bytes as the page writes them: lowercase hex pairs separated by spaces.
fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn examples() -> Vec<(Frame, &'static str, usize)> {
    vec![
        (
            Frame::new(3, Body::Ping(Empty {})),
            "02 04 03",
            MAX_CLIENT_FRAME_LEN,
        ),
        (
            Frame::new(
                3,
                Body::Pong(Pong {
                    server_time: 1_764_000_000_005,
                }),
            ),
            "02 43 03 85 d0 df b4 ab 33",
            MAX_SERVER_FRAME_LEN,
        ),
        (
            Frame::new(
                7,
                Body::Send(Send {
                    conversation_type: conversation_type::PEER,
                    to: "bob".into(),
                    client_message_id: 300,
                    prev_client_message_id: 299,
                    message_type: message_type::TEXT,
                    priority: 1,
                    payload: b"hi".to_vec(),
                    extended_data: String::new(),
                    ext: None,
                }),
            ),
            "02 05 07 00 03 62 6f 62 ac 02 ab 02 01 01 02 68 69 00 00",
            MAX_CLIENT_FRAME_LEN,
        ),
        (
            Frame::new(
                7,
                Body::SendAck(SendAck {
                    message_id: 1,
                    timestamp: 1_764_000_000_000,
                    order_key: 1,
                }),
            ),
            "02 44 07 01 80 d0 df b4 ab 33 01",
            MAX_SERVER_FRAME_LEN,
        ),
        (
            Frame::new(
                8,
                Body::Error(Error {
                    code: code::USER_NOT_IN_ROOM,
                    message: String::new(),
                }),
            ),
            "02 49 08 c1 9d ee 02 00",
            MAX_SERVER_FRAME_LEN,
        ),
    ]
}

#[test]
fn worked_examples_encode_to_the_documented_bytes() {
    for (frame, bytes, max_len) in examples() {
        let encoded = frame.encode();
        assert_eq!(hex(&encoded), bytes, "{frame:?}");
        assert_eq!(Frame::decode(&encoded, max_len), Ok(frame));
    }
}

#[test]
fn the_page_shows_the_examples() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/protocol.md");
    let page = std::fs::read_to_string(path).expect("docs/protocol.md");
    for (_, bytes, _) in examples() {
        assert!(
            page.lines().any(|line| line.trim() == bytes),
            "docs/protocol.md lacks the example line {bytes}"
        );
    }
}
