//! Robustness: random bytes and hostile-but-valid frames in every state never panic, and
//! under random chaos every API call still completes exactly once.

mod support;

use support::*;
use tinyim::*;
use tinyim_protocol::{
    Body, Delivery, Empty, Error, Frame, Kicked, List, LoginOk, Pong, Push, Room, RoomCount,
    SendAck, TokenRenewed,
};

/// xorshift64*: the test's own deterministic randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn extreme(&mut self) -> u64 {
        match self.below(5) {
            0 => 0,
            1 => u64::MAX,
            2 => u64::MAX / 1000 + self.below(3),
            3 => self.below(10),
            _ => self.next(),
        }
    }
}

fn message(rng: &mut Rng) -> Message {
    Message {
        message_id: rng.extreme(),
        client_message_id: rng.extreme(),
        conversation_type: rng.below(3) as u8,
        conversation_id: ["bob", "", "r1"][rng.below(3) as usize].into(),
        sender_id: "bob".into(),
        message_type: rng.below(4) as u8,
        priority: 1,
        payload: vec![0xff; rng.below(4) as usize],
        extended_data: String::new(),
        timestamp: rng.extreme(),
        order_key: rng.extreme(),
        ext: (rng.below(2) == 0).then(|| MessageExt {
            receipt_status: rng.below(4) as u8,
            revoke_time: rng.extreme(),
            original_message_type: rng.below(3) as u8,
            ..MessageExt::default()
        }),
    }
}

/// A notice the client may or may not know, with a body that may not fit it.
fn notice(rng: &mut Rng) -> tinyim_protocol::rpc::Notify {
    let body = match rng.below(3) {
        0 => {
            // A well-formed conversationChanged.
            let c = tinyim_protocol::areas::ConversationChanged {
                info_list: List(vec![tinyim_protocol::areas::ConversationChangeInfo {
                    event: rng.below(4) as u8,
                    conversation: conversation(rng),
                }]),
            };
            let mut out = Vec::new();
            tinyim_protocol::codec::Wire::encode(&c, &mut out);
            out
        }
        _ => (0..rng.below(16)).map(|_| rng.next() as u8).collect(),
    };
    tinyim_protocol::rpc::Notify {
        notice: [200, 201, 202, 203, 204, 300, 302, 9999][rng.below(8) as usize],
        body,
    }
}

fn conversation(rng: &mut Rng) -> tinyim_protocol::areas::Conversation {
    tinyim_protocol::areas::Conversation {
        conversation_id: ["bob", "", "r1"][rng.below(3) as usize].into(),
        conversation_type: rng.below(3) as u8,
        unread_message_count: rng.extreme() as u32,
        notification_status: rng.below(3) as u8,
        last_message: (rng.below(2) == 0).then(|| message(rng)),
        order_key: rng.extreme(),
        ..Default::default()
    }
}

/// A valid frame with extreme field values and a request id that may match one in flight.
fn hostile_frame(rng: &mut Rng) -> Vec<u8> {
    let body = match rng.below(12) {
        0 => Body::LoginOk(LoginOk {
            session_id: rng.extreme(),
            server_time: rng.extreme(),
            token_expire: rng.extreme(),
            inbox_seq: rng.extreme(),
        }),
        1 => Body::Pong(Pong {
            server_time: rng.extreme(),
        }),
        2 => Body::TokenRenewed(TokenRenewed {
            token_expire: rng.extreme(),
        }),
        3 => Body::SendAck(SendAck {
            message_id: rng.extreme(),
            timestamp: rng.extreme(),
            order_key: rng.extreme(),
        }),
        4 => Body::Push(Push {
            offline: rng.below(2) == 0,
            deliveries: List(
                (0..rng.below(5))
                    .map(|_| {
                        let m = rng.below(3) != 0;
                        Delivery {
                            inbox_seq: rng.extreme(),
                            message: m.then(|| message(rng)),
                            notice: (!m || rng.below(4) == 0).then(|| notice(rng)),
                        }
                    })
                    .collect(),
            ),
        }),
        5 => Body::Error(Error {
            code: rng.next() as u32,
            message: String::new(),
        }),
        6 => Body::Kicked(Kicked {
            code: rng.next() as u32,
            message: String::new(),
        }),
        7 => Body::RoomInfo(Room {
            room_id: "r1".into(),
            room_name: String::new(),
        }),
        8 => Body::RoomCount(RoomCount {
            room_id: String::new(),
            count: u32::MAX,
        }),
        9 => {
            let page = tinyim_protocol::areas::ConversationSync {
                conversations: List((0..rng.below(3)).map(|_| conversation(rng)).collect()),
                done: rng.below(2) == 0,
            };
            Body::Notify(tinyim_protocol::rpc::Notice::ConversationSync(page).to_notify())
        }
        10 => Body::Notify(notice(rng)),
        _ => Body::Ok(Empty {}),
    };
    let id = match rng.below(3) {
        0 => 0,
        1 => rng.below(40) as u32,
        _ => rng.next() as u32,
    };
    Frame::new(id, body).encode()
}

fn garbage(rng: &mut Rng) -> Vec<u8> {
    match rng.below(3) {
        0 => (0..rng.below(64)).map(|_| rng.next() as u8).collect(),
        1 => {
            // A valid frame with a byte flipped, truncated or extended.
            let mut f = hostile_frame(rng);
            let i = rng.below(f.len() as u64) as usize;
            match rng.below(3) {
                0 => f[i] ^= 1 << rng.below(8),
                1 => f.truncate(i),
                _ => f.push(rng.next() as u8),
            }
            f
        }
        _ => hostile_frame(rng),
    }
}

/// Puts a harness into one of the interesting states.
fn in_state(state: u8) -> Harness {
    let mut h = Harness::new();
    match state {
        0 => {} // never logged in
        1 => {
            h.server.login_reply = LoginReply::Silent;
            h.call(Command::Login {
                user_id: "alice".into(),
                user_name: String::new(),
                token: "t".into(),
            });
        }
        2 => {
            h.login();
            h.server.ack_sends = false;
            h.server.answer_requests = false;
            h.send_text("bob", "pending");
            h.call(Command::EnterRoom {
                room_id: "r1".into(),
                room_name: String::new(),
            });
        }
        3 => {
            h.login();
            h.server.login_reply = LoginReply::Silent;
            h.drop_transport(1006);
            h.advance(600); // logging in again
        }
        _ => {
            h.login();
            let kick = h.server.kick();
            h.server_does(kick);
        }
    }
    h
}

#[test]
fn random_bytes_in_every_state_never_panic() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for state in 0..5 {
        for _ in 0..400 {
            let mut h = in_state(state);
            for _ in 0..5 {
                let bytes = garbage(&mut rng);
                // Straight into the client, whatever the transport state.
                h.client.handle_input(h.now, Input::Received(&bytes));
                h.pump();
            }
            h.advance(rng.below(120_000));
            // Every call still gets an answer eventually.
            h.call(Command::Logout);
            h.advance(3_600_000);
            assert_eq!(h.client.poll_timeout(), None);
        }
    }
}

#[test]
fn chaos_every_call_completes_exactly_once() {
    for seed in 1..=60u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut h = Harness::with_seed(seed);
        let mut ops = Vec::new();
        for _ in 0..300 {
            match rng.below(18) {
                0 => ops.push(h.call(Command::Login {
                    user_id: "alice".into(),
                    user_name: String::new(),
                    token: "t".into(),
                })),
                1 => ops.push(h.call(Command::Logout)),
                2..=4 => {
                    let to = ["bob", "bad id", "carol"][rng.below(3) as usize];
                    ops.push(h.send_text(to, "x"));
                }
                5 => ops.push(h.call(Command::EnterRoom {
                    room_id: ["r1", "r2"][rng.below(2) as usize].into(),
                    room_name: String::new(),
                })),
                6 => ops.push(h.call(Command::LeaveRoom {
                    room_id: "r1".into(),
                })),
                7 => ops.push(h.call(Command::RenewToken { token: "t2".into() })),
                8 => {
                    if h.transport_open {
                        let code = [1000, 1001, 1006, 4001, 4002, 4004][rng.below(6) as usize];
                        h.drop_transport(code);
                    }
                }
                9 => h.net_up = !h.net_up,
                10 => h.input(Input::NetworkAvailable),
                11 => {
                    let p = h.server.peer_message(h.now, "bob", "m");
                    h.server_does(p);
                }
                12 => {
                    h.server.ack_sends = rng.below(2) == 0;
                    h.server.answer_requests = rng.below(3) != 0;
                    h.server.answer_pings = rng.below(4) != 0;
                    h.server.login_reply = match rng.below(6) {
                        0 => LoginReply::Silent,
                        1 => LoginReply::Refuse(6_000_103),
                        _ => LoginReply::Accept,
                    };
                }
                13 => {
                    let g = garbage(&mut rng);
                    h.server_does(vec![ToClient::Bytes(g)]);
                }
                14 => h.blackhole = !h.blackhole,
                15 => h.input(Input::AppHidden),
                16 => h.input(Input::AppShown),
                _ => h.advance(rng.below(40_000)),
            }
        }
        ops.push(h.call(Command::Logout));
        h.advance(3_600_000);
        for op in &ops {
            let n = h.completed.iter().filter(|c| c.1 == *op).count();
            assert_eq!(n, 1, "seed {seed}: op {op} completed {n} times");
        }
        assert_eq!(h.completed.len(), ops.len(), "seed {seed}");
        assert_eq!(h.client.poll_timeout(), None, "seed {seed}");
        // Peer messages reach the app at most once.
        let mut ids: Vec<u64> = h
            .events
            .iter()
            .flat_map(|(_, e)| match e {
                // Only the scripted server's messages ("m"); hostile frames repeat ids.
                Event::PeerMessages { messages, .. } => messages
                    .iter()
                    .filter(|m| m.payload == b"m")
                    .map(|m| m.message_id)
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "seed {seed}: a message was delivered twice");
    }
}

#[test]
fn wild_clock_values_never_panic() {
    let mut rng = Rng(0xfeed_f00d_1234_5678);
    for round in 0..200 {
        let mut h = Harness::with_seed(round);
        for _ in 0..60 {
            // Jumps forward, backward, to the end of time.
            h.now = match rng.below(4) {
                0 => u64::MAX - rng.below(100_000),
                1 => h.now.saturating_sub(rng.below(50_000)),
                _ => h.now.saturating_add(rng.below(50_000)),
            };
            match rng.below(10) {
                0 => {
                    h.call(Command::Login {
                        user_id: "alice".into(),
                        user_name: String::new(),
                        token: "t".into(),
                    });
                }
                1 => {
                    h.send_text("bob", "x");
                }
                2 => h.input(Input::Timeout),
                3 => h.input(Input::NetworkAvailable),
                4 => {
                    if h.transport_open {
                        h.drop_transport(1006);
                    }
                }
                5 => {
                    let f = hostile_frame(&mut rng);
                    h.server_does(vec![ToClient::Bytes(f)]);
                }
                6 => {
                    h.call(Command::RenewToken { token: "t".into() });
                }
                7 => h.input(Input::AppHidden),
                8 => h.input(Input::AppShown),
                _ => {
                    // Fire whatever is due, whenever that is.
                    if let Some(t) = h.client.poll_timeout() {
                        h.now = h.now.max(t);
                        h.input(Input::Timeout);
                    }
                }
            }
        }
    }
}
