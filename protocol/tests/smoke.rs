//! Hand-picked frames that must round-trip and malformed ones that must fail cleanly.

use tinyim_protocol::limits::MAX_SERVER_FRAME_LEN;
use tinyim_protocol::*;

#[test]
fn push_round_trips() {
    let frame = Frame::new(
        0,
        Body::Push(Push {
            offline: true,
            deliveries: vec![Delivery {
                inbox_seq: 7,
                message: Some(Message {
                    message_id: u64::MAX,
                    conversation_id: "bob".into(),
                    payload: "hello".into(),
                    ..Default::default()
                }),
                notice: None,
            }]
            .into(),
        }),
    );
    let bytes = frame.encode();
    assert_eq!(Frame::decode(&bytes, MAX_SERVER_FRAME_LEN), Ok(frame));
}

#[test]
fn malformed_frames_fail_with_typed_errors() {
    let ok = Frame::new(3, Body::Ping(Empty {})).encode();
    assert_eq!(ok, vec![2, 4, 3]);
    assert_eq!(Frame::decode(&[], 10), Err(DecodeError::Truncated));
    assert_eq!(
        Frame::decode(&[1, 4, 3], 10),
        Err(DecodeError::UnsupportedVersion(1))
    );
    assert_eq!(
        Frame::decode(&[2, 200, 3], 10),
        Err(DecodeError::UnknownKind(200))
    );
    assert_eq!(
        Frame::decode(&[2, 4, 3, 0], 10),
        Err(DecodeError::TrailingBytes)
    );
    assert_eq!(Frame::decode(&ok, 2), Err(DecodeError::TooLarge));
    // A string whose length claims far more than the frame holds.
    assert_eq!(
        Frame::decode(&[2, 3, 1, 0xff, 0xff, 0xff, 0xff, 0x0f], 100),
        Err(DecodeError::Truncated)
    );
    // Invalid UTF-8 in a string.
    assert_eq!(
        Frame::decode(&[2, 3, 1, 1, 0xff], 100),
        Err(DecodeError::Invalid("utf-8"))
    );
    // An 11-byte varint.
    assert_eq!(
        Frame::decode(
            &[2, 4, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0],
            100
        ),
        Err(DecodeError::Overflow)
    );
}

#[test]
fn frames_encode_without_owning_their_body() {
    let send = Send {
        to: "bob".into(),
        ..Send::default()
    };
    let owned = Frame::new(7, Body::Send(send.clone())).encode();
    assert_eq!(Frame::encode_send(7, &send), owned);
    assert_eq!(Frame::encode_body(7, &Body::Send(send)), owned);
}

#[test]
fn direction_follows_the_kind_ranges() {
    assert!(Body::Login(Login::default()).sent_by_client());
    assert!(Body::PushAck(PushAck::default()).sent_by_client());
    assert!(Body::History(HistoryQuery::default()).sent_by_client());
    assert!(!Body::LoginOk(LoginOk::default()).sent_by_client());
    assert!(!Body::Error(Error::default()).sent_by_client());
    assert!(!Body::Kicked(Kicked::default()).sent_by_client());
}
