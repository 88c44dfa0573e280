//! Property tests of the codec: every frame kind round-trips with arbitrary field values,
//! arbitrary bytes never panic the decoder, a cut frame is `Truncated` and a lengthened one
//! is `TrailingBytes`.

use proptest::collection::vec;
use proptest::prelude::*;
use tinyim_protocol::codec::Wire;
use tinyim_protocol::limits::{MAX_CLIENT_FRAME_LEN, MAX_SERVER_FRAME_LEN};
use tinyim_protocol::*;

/// Integers that exercise every varint length: small values, values near the 7-bit
/// boundaries, and the whole range.
fn u64s() -> impl Strategy<Value = u64> {
    prop_oneof![
        0..=0x7f_u64,
        (0..64_u32).prop_flat_map(|bits| {
            let edge = 1_u64 << bits;
            (edge.saturating_sub(2)..=edge.saturating_add(1)).boxed()
        }),
        Just(u64::MAX),
        any::<u64>(),
    ]
}

fn u32s() -> impl Strategy<Value = u32> {
    prop_oneof![0..=0x7f_u32, Just(u32::MAX), any::<u32>()]
}

/// Any Unicode, including multi-byte characters and NUL.
fn strings() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..8).prop_map(String::from_iter)
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..16)
}

fn user() -> impl Strategy<Value = User> {
    (strings(), strings()).prop_map(|(user_id, user_name)| User { user_id, user_name })
}

fn users() -> impl Strategy<Value = List<User>> {
    vec(user(), 0..4).prop_map(List)
}

fn room() -> impl Strategy<Value = Room> {
    (strings(), strings()).prop_map(|(room_id, room_name)| Room { room_id, room_name })
}

fn message() -> impl Strategy<Value = Message> {
    (
        (
            u64s(),
            u64s(),
            any::<u8>(),
            strings(),
            strings(),
            any::<u8>(),
        ),
        (any::<u8>(), bytes(), strings(), u64s(), u64s(), ext()),
    )
        .prop_map(
            |(
                (
                    message_id,
                    client_message_id,
                    conversation_type,
                    conversation_id,
                    sender_id,
                    message_type,
                ),
                (priority, payload, extended_data, timestamp, order_key, ext),
            )| Message {
                message_id,
                client_message_id,
                conversation_type,
                conversation_id,
                sender_id,
                message_type,
                priority,
                payload,
                extended_data,
                timestamp,
                order_key,
                ext,
            },
        )
}

/// Absent, or any extension.
fn ext() -> impl Strategy<Value = Option<MessageExt>> {
    proptest::option::of(
        (
            (any::<u8>(), u64s(), u32s(), strings()),
            (u64s(), u64s(), strings(), strings(), any::<u8>()),
        )
            .prop_map(
                |(
                    (receipt_status, read_time, sub_type, searched_content),
                    (
                        edited_time,
                        revoke_time,
                        operated_user_id,
                        revoke_extended_data,
                        original_message_type,
                    ),
                )| MessageExt {
                    receipt_status,
                    read_time,
                    sub_type,
                    searched_content,
                    edited_time,
                    revoke_time,
                    operated_user_id,
                    revoke_extended_data,
                    original_message_type,
                },
            ),
    )
}

fn notify() -> impl Strategy<Value = tinyim_protocol::rpc::Notify> {
    (any::<u16>(), bytes()).prop_map(|(notice, body)| tinyim_protocol::rpc::Notify { notice, body })
}

fn empty() -> impl Strategy<Value = Empty> {
    Just(Empty {})
}

/// Every body kind. [`kinds_are_all_generated`] fails to compile when a kind is added
/// without a strategy here.
fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        (
            u32s(),
            strings(),
            strings(),
            strings(),
            u64s(),
            any::<bool>()
        )
            .prop_map(
                |(app_id, user_id, user_name, token, last_inbox_seq, sync_conversations)| {
                    Body::Login(Login {
                        app_id,
                        user_id,
                        user_name,
                        token,
                        last_inbox_seq,
                        sync_conversations,
                    })
                }
            ),
        empty().prop_map(Body::Logout),
        strings().prop_map(|token| Body::RenewToken(RenewToken { token })),
        empty().prop_map(Body::Ping),
        (
            any::<u8>(),
            strings(),
            u64s(),
            u64s(),
            any::<u8>(),
            any::<u8>(),
            bytes(),
            strings(),
            ext()
        )
            .prop_map(
                |(
                    conversation_type,
                    to,
                    client_message_id,
                    prev_client_message_id,
                    message_type,
                    priority,
                    payload,
                    extended_data,
                    ext,
                )| {
                    Body::Send(Send {
                        conversation_type,
                        to,
                        client_message_id,
                        prev_client_message_id,
                        message_type,
                        priority,
                        payload,
                        extended_data,
                        ext,
                    })
                }
            ),
        u64s().prop_map(|inbox_seq| Body::PushAck(PushAck { inbox_seq })),
        room().prop_map(Body::RoomCreate),
        room().prop_map(Body::RoomJoin),
        room().prop_map(Body::RoomEnter),
        room().prop_map(Body::RoomLeave),
        (strings(), strings(), u32s()).prop_map(|(room_id, next_flag, count)| {
            Body::RoomMembers(RoomMembersQuery {
                room_id,
                next_flag,
                count,
            })
        }),
        room().prop_map(Body::RoomOnlineCount),
        (any::<u8>(), strings(), u64s(), u32s(), any::<bool>()).prop_map(
            |(conversation_type, conversation_id, anchor_order_key, count, reverse)| {
                Body::History(HistoryQuery {
                    conversation_type,
                    conversation_id,
                    anchor_order_key,
                    count,
                    reverse,
                })
            }
        ),
        (u64s(), u64s(), u64s(), u64s()).prop_map(
            |(session_id, server_time, token_expire, inbox_seq)| Body::LoginOk(LoginOk {
                session_id,
                server_time,
                token_expire,
                inbox_seq,
            })
        ),
        empty().prop_map(Body::Ok),
        u64s().prop_map(|token_expire| Body::TokenRenewed(TokenRenewed { token_expire })),
        u64s().prop_map(|server_time| Body::Pong(Pong { server_time })),
        (u64s(), u64s(), u64s()).prop_map(|(message_id, timestamp, order_key)| {
            Body::SendAck(SendAck {
                message_id,
                timestamp,
                order_key,
            })
        }),
        room().prop_map(Body::RoomInfo),
        (strings(), users(), strings()).prop_map(|(room_id, members, next_flag)| {
            Body::RoomMemberPage(RoomMemberPage {
                room_id,
                members,
                next_flag,
            })
        }),
        (strings(), u32s())
            .prop_map(|(room_id, count)| Body::RoomCount(RoomCount { room_id, count })),
        (any::<u8>(), strings(), vec(message(), 0..3)).prop_map(
            |(conversation_type, conversation_id, messages)| Body::HistoryPage(HistoryPage {
                conversation_type,
                conversation_id,
                messages: List(messages),
            })
        ),
        (u32s(), strings()).prop_map(|(code, message)| Body::Error(Error { code, message })),
        (
            any::<bool>(),
            vec(
                (
                    u64s(),
                    proptest::option::of(message()),
                    proptest::option::of(notify())
                )
                    .prop_map(|(inbox_seq, message, notice)| Delivery {
                        inbox_seq,
                        message,
                        notice
                    }),
                0..3
            )
        )
            .prop_map(|(offline, deliveries)| Body::Push(Push {
                offline,
                deliveries: List(deliveries),
            })),
        message().prop_map(|message| Body::RoomPush(RoomPush { message })),
        (strings(), any::<bool>(), users()).prop_map(|(room_id, joined, members)| {
            Body::RoomMembersChanged(RoomMembersChanged {
                room_id,
                joined,
                members,
            })
        }),
        (u32s(), strings()).prop_map(|(code, message)| Body::Kicked(Kicked { code, message })),
        (u64s(), any::<u16>(), bytes()).prop_map(|(call_id, method, args)| Body::Call(
            tinyim_protocol::rpc::Call {
                call_id,
                method,
                args
            }
        )),
        (any::<u16>(), bytes())
            .prop_map(|(method, body)| Body::Reply(tinyim_protocol::rpc::Reply { method, body })),
        notify().prop_map(Body::Notify),
    ]
}

fn frame() -> impl Strategy<Value = Frame> {
    (u32s(), body()).prop_map(|(request_id, body)| Frame::new(request_id, body))
}

/// Compile-time reminder: a new `Body` variant makes this match non-exhaustive, and then
/// [`body`] needs a strategy for it.
#[allow(dead_code)]
fn kinds_are_all_generated(body: &Body) {
    match body {
        Body::Login(_)
        | Body::Logout(_)
        | Body::RenewToken(_)
        | Body::Ping(_)
        | Body::Send(_)
        | Body::PushAck(_)
        | Body::RoomCreate(_)
        | Body::RoomJoin(_)
        | Body::RoomEnter(_)
        | Body::RoomLeave(_)
        | Body::RoomMembers(_)
        | Body::RoomOnlineCount(_)
        | Body::History(_)
        | Body::LoginOk(_)
        | Body::Ok(_)
        | Body::TokenRenewed(_)
        | Body::Pong(_)
        | Body::SendAck(_)
        | Body::RoomInfo(_)
        | Body::RoomMemberPage(_)
        | Body::RoomCount(_)
        | Body::HistoryPage(_)
        | Body::Error(_)
        | Body::Push(_)
        | Body::RoomPush(_)
        | Body::RoomMembersChanged(_)
        | Body::Kicked(_)
        | Body::Call(_)
        | Body::Reply(_)
        | Body::Notify(_) => {}
    }
}

/// The kinds the decoder knows, for steering arbitrary bytes past the kind check.
const KINDS: &[u8] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 96,
    97, 98, 99, 100,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_frame_round_trips(frame in frame()) {
        let bytes = frame.encode();
        prop_assert_eq!(bytes[0], PROTOCOL_VERSION);
        prop_assert_eq!(bytes[1], frame.body.kind());
        prop_assert_eq!(Frame::decode(&bytes, MAX_SERVER_FRAME_LEN), Ok(frame.clone()));
        // These frames are small, so the client limit accepts them too.
        prop_assert_eq!(Frame::decode(&bytes, MAX_CLIENT_FRAME_LEN), Ok(frame));
    }

    #[test]
    fn every_cut_is_truncated(frame in frame()) {
        let bytes = frame.encode();
        for len in 0..bytes.len() {
            prop_assert_eq!(
                Frame::decode(&bytes[..len], MAX_SERVER_FRAME_LEN),
                Err(DecodeError::Truncated),
                "cut at {} of {}", len, bytes.len()
            );
        }
    }

    #[test]
    fn appended_bytes_are_trailing(frame in frame(), extra in vec(any::<u8>(), 1..8)) {
        let mut bytes = frame.encode();
        bytes.extend_from_slice(&extra);
        prop_assert_eq!(
            Frame::decode(&bytes, MAX_SERVER_FRAME_LEN),
            Err(DecodeError::TrailingBytes)
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..256)) {
        check_total(&bytes)?;
    }

    /// Arbitrary bodies behind a valid header, so the field decoders see the garbage.
    #[test]
    fn arbitrary_bodies_never_panic(
        kind in proptest::sample::select(KINDS),
        request_id in u32s(),
        body in vec(any::<u8>(), 0..256),
    ) {
        let mut bytes = vec![PROTOCOL_VERSION, kind];
        request_id.encode(&mut bytes);
        bytes.extend_from_slice(&body);
        check_total(&bytes)?;
    }

    /// Mutating one byte of a valid frame never panics; whatever still decodes re-encodes.
    #[test]
    fn corrupted_frames_never_panic(frame in frame(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = frame.encode();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        check_total(&bytes)?;
    }

    /// `MIN_ENCODED_LEN`, which bounds list counts, really is a lower bound.
    #[test]
    fn min_encoded_len_is_a_lower_bound(message in message(), user in user()) {
        prop_assert!(encoded_len(&message) >= Message::MIN_ENCODED_LEN);
        prop_assert!(encoded_len(&user) >= User::MIN_ENCODED_LEN);
        let delivery = Delivery { inbox_seq: 0, message: Some(message), notice: None };
        prop_assert!(encoded_len(&delivery) >= Delivery::MIN_ENCODED_LEN);
    }
}

/// Decoding either way yields a value or an error; a value re-encodes to no more bytes and
/// decodes to itself.
fn check_total(bytes: &[u8]) -> Result<(), TestCaseError> {
    for max_len in [MAX_CLIENT_FRAME_LEN, MAX_SERVER_FRAME_LEN] {
        if let Ok(frame) = Frame::decode(bytes, max_len) {
            let again = frame.encode();
            prop_assert!(again.len() <= bytes.len());
            prop_assert_eq!(Frame::decode(&again, max_len), Ok(frame));
        }
    }
    Ok(())
}

fn encoded_len<T: Wire>(value: &T) -> usize {
    let mut out = Vec::new();
    value.encode(&mut out);
    out.len()
}

/// The default value of every list item type is its shortest encoding, and it is exactly
/// `MIN_ENCODED_LEN` long.
#[test]
fn min_encoded_len_is_exact() {
    assert_eq!(encoded_len(&User::default()), User::MIN_ENCODED_LEN);
    assert_eq!(encoded_len(&Message::default()), Message::MIN_ENCODED_LEN);
    assert_eq!(encoded_len(&Delivery::default()), Delivery::MIN_ENCODED_LEN);
    assert_eq!(User::MIN_ENCODED_LEN, 2);
    assert_eq!(Message::MIN_ENCODED_LEN, 12);
    assert_eq!(Delivery::MIN_ENCODED_LEN, 3);
    assert_eq!(Empty::MIN_ENCODED_LEN, 0);
}

/// The decoder accepts over-long (non-canonical) varints; the encoder writes the shortest.
#[test]
fn long_varints_decode_and_re_encode_short() {
    // Ping with request_id 3 written as 0x83 0x80 0x00.
    let long = [PROTOCOL_VERSION, 4, 0x83, 0x80, 0x00];
    let frame = Frame::decode(&long, MAX_CLIENT_FRAME_LEN).unwrap();
    assert_eq!(frame, Frame::new(3, Body::Ping(Empty {})));
    assert_eq!(frame.encode(), vec![PROTOCOL_VERSION, 4, 3]);
    // request_id is a u32: 2^32 does not fit.
    assert_eq!(
        Frame::decode(&[PROTOCOL_VERSION, 4, 0x80, 0x80, 0x80, 0x80, 0x10], 100),
        Err(DecodeError::Overflow)
    );
    // An eleventh varint byte, or a tenth carrying more than the top bit, overflows.
    let mut pong = vec![PROTOCOL_VERSION, 67, 1];
    pong.extend_from_slice(&[0xff; 9]);
    pong.push(0x01);
    assert_eq!(
        Frame::decode(&pong, 100),
        Ok(Frame::new(
            1,
            Body::Pong(Pong {
                server_time: u64::MAX
            })
        ))
    );
    *pong.last_mut().unwrap() = 0x02;
    assert_eq!(Frame::decode(&pong, 100), Err(DecodeError::Overflow));
    *pong.last_mut().unwrap() = 0x81;
    pong.push(0);
    assert_eq!(Frame::decode(&pong, 100), Err(DecodeError::Overflow));
}
