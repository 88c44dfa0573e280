//! Bench-only: one client-side codec round for a 100-byte text message, behind a C ABI.
//!
//! A client's per-message codec work is encoding its `Send` and decoding the server's `Push`
//! that carries the message. [`rounds`] does both `n` times; the native bench calls it
//! directly and Node calls the `codec_rounds` export of this crate built for wasm32 (with the
//! SDK's size-tuned `wasm-release` profile), so the two figures time the same code. It is
//! separate from the SDK's wasm because that one exposes the whole client (with its send
//! rate limit and outbox), not the bare codec.

use tinyim_protocol::limits::{MAX_CLIENT_FRAME_LEN, MAX_SERVER_FRAME_LEN};
use tinyim_protocol::{
    conversation_type, message_type, Body, Delivery, Frame, List, Message, Push, Send,
};

/// Payload bytes of the message.
pub const PAYLOAD: usize = 100;

fn send_frame(i: u32) -> Frame {
    Frame::new(
        i,
        Body::Send(Send {
            conversation_type: conversation_type::PEER,
            to: "user-0042".into(),
            client_message_id: u64::from(i),
            prev_client_message_id: 0,
            message_type: message_type::TEXT,
            priority: 1,
            payload: vec![b'x'; PAYLOAD],
            extended_data: String::new(),
            ext: None,
        }),
    )
}

/// The encoded `Push` a recipient decodes for one 100-byte text message.
pub fn push_bytes() -> Vec<u8> {
    Frame::new(
        0,
        Body::Push(Push {
            offline: false,
            deliveries: List::from(vec![Delivery {
                inbox_seq: 7,
                message: Some(Message {
                    message_id: 1_234_567_890_123,
                    client_message_id: 42,
                    conversation_type: conversation_type::PEER,
                    conversation_id: "user-0007".into(),
                    sender_id: "user-0007".into(),
                    message_type: message_type::TEXT,
                    priority: 1,
                    payload: vec![b'y'; PAYLOAD],
                    extended_data: String::new(),
                    timestamp: 1_764_000_000_000,
                    order_key: 9,
                    ext: None,
                }),
                notice: None,
            }]),
        }),
    )
    .encode()
}

/// Encodes a `Send` and decodes a `Push`, `n` times; returns a checksum so nothing is
/// optimised away.
pub fn rounds(n: u32, push: &[u8]) -> u32 {
    let mut acc = 0u32;
    for i in 0..n {
        let out = send_frame(i).encode();
        acc = acc.wrapping_add(out.len() as u32);
        if let Ok(f) = Frame::decode(push, MAX_SERVER_FRAME_LEN) {
            acc = acc.wrapping_add(f.request_id).wrapping_add(1);
        }
        // The client frame must decode too (keeps the encoder honest).
        debug_assert!(Frame::decode(&out, MAX_CLIENT_FRAME_LEN).is_ok());
    }
    acc
}

/// wasm export: `n` rounds; the push frame is built once per call (outside the loop).
#[no_mangle]
pub extern "C" fn codec_rounds(n: u32) -> u32 {
    let push = push_bytes();
    rounds(n, &push)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_encodes_and_decodes() {
        let push = push_bytes();
        let f = Frame::decode(&push, MAX_SERVER_FRAME_LEN).unwrap();
        match f.body {
            Body::Push(p) => assert_eq!(
                p.deliveries.0[0].message.as_ref().unwrap().payload.len(),
                PAYLOAD
            ),
            other => panic!("not a push: {other:?}"),
        }
        // Each round adds the Send's length plus the push's request id (0) plus 1.
        let one = rounds(1, &push);
        assert!(one > PAYLOAD as u32);
    }
}
