//! The SDK core fed arbitrary sequences of app calls, host inputs and server frames, on a
//! simulated clock that only moves forward (as the host contract says).
//!
//! The input is structured (`arbitrary`): each [`Step`] is an app call, a transport event, a
//! well-formed server frame (answering one of the requests the core actually sent, or with
//! any request id), raw bytes, or time passing. A small host model carries out the core's
//! outputs: it remembers the request ids of the frames the core transmitted so replies can
//! hit them.
//!
//! Checked, besides "never panics":
//! - every `Completed` names an op that was started, and no op completes twice;
//! - after a final `logout()` and letting every timer fire, every op has completed exactly
//!   once and the core wants no more timers (nothing is left pending forever);
//! - inbox entries reach the app once each, in inbox order within each conversation (pushes
//!   tag each message with its inbox sequence as its ID; a `LoginOk` may lower the core's
//!   mark, so the check restarts there).
#![no_main]

use std::collections::{HashMap, HashSet};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tinyim::{Client, Command, Config, Event, Input, Millis, OpId, Output};
use tinyim_protocol::{
    code, Body, Delivery, Empty, Error, Frame, HistoryPage, Kicked, List, LoginOk, Message, Pong,
    Push, Room, RoomCount, RoomMemberPage, RoomMembersChanged, RoomPush, SendAck, TokenRenewed,
    User,
};

/// A name from a small set (so calls, pushes and replies talk about the same users and
/// rooms), or any string.
#[derive(Arbitrary, Debug, Clone)]
enum Name {
    Alice,
    Bob,
    Room1,
    Room2,
    Empty,
    Any(String),
}

impl Name {
    fn get(&self) -> String {
        match self {
            Name::Alice => "alice".into(),
            Name::Bob => "bob".into(),
            Name::Room1 => "r1".into(),
            Name::Room2 => "r2".into(),
            Name::Empty => String::new(),
            Name::Any(s) => s.clone(),
        }
    }
}

/// A ZIM code the core gives meaning to, or any number.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Code {
    TokenInvalid,
    TokenExpired,
    AlreadyLogged,
    RateLimited,
    DatabaseError,
    ServerError,
    NotLogged,
    RoomMissing,
    Any(u32),
}

impl Code {
    fn get(self) -> u32 {
        match self {
            Code::TokenInvalid => code::TOKEN_INVALID,
            Code::TokenExpired => code::TOKEN_EXPIRED,
            Code::AlreadyLogged => code::USER_ALREADY_LOGGED,
            Code::RateLimited => code::SERVER_FREQUENCY_LIMIT,
            Code::DatabaseError => code::DATABASE_ERROR,
            Code::ServerError => code::SERVER_ERROR,
            Code::NotLogged => code::USER_NOT_LOGGED,
            Code::RoomMissing => code::ROOM_DOES_NOT_EXIST,
            Code::Any(c) => c,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Call {
    Login {
        user: Name,
        name: Name,
        token: Name,
    },
    Logout,
    RenewToken {
        token: Name,
    },
    Send {
        conversation_type: u8,
        to: Name,
        message_type: u8,
        priority: u8,
        payload: Vec<u8>,
        extended_data: String,
    },
    CreateRoom {
        room: Name,
        name: Name,
    },
    JoinRoom {
        room: Name,
    },
    EnterRoom {
        room: Name,
        name: Name,
    },
    LeaveRoom {
        room: Name,
    },
    Members {
        room: Name,
        next_flag: String,
        count: u32,
    },
    OnlineCount {
        room: Name,
    },
    History {
        conversation_type: u8,
        conversation_id: Name,
        anchor: u64,
        count: u32,
        reverse: bool,
    },
}

impl Call {
    fn command(self) -> Command {
        match self {
            Call::Login { user, name, token } => Command::Login {
                user_id: user.get(),
                user_name: name.get(),
                token: match token {
                    Name::Any(t) => t,
                    _ => "04token".into(),
                },
            },
            Call::Logout => Command::Logout,
            Call::RenewToken { token } => Command::RenewToken {
                token: match token {
                    Name::Any(t) => t,
                    _ => "04renewed".into(),
                },
            },
            Call::Send {
                conversation_type,
                to,
                message_type,
                priority,
                payload,
                extended_data,
            } => Command::SendMessage {
                conversation_type: conversation_type % 3,
                to: to.get(),
                message_type: message_type % 4,
                priority,
                payload,
                extended_data,
                ext: None,
            },
            Call::CreateRoom { room, name } => Command::CreateRoom {
                room_id: room.get(),
                room_name: name.get(),
            },
            Call::JoinRoom { room } => Command::JoinRoom {
                room_id: room.get(),
            },
            Call::EnterRoom { room, name } => Command::EnterRoom {
                room_id: room.get(),
                room_name: name.get(),
            },
            Call::LeaveRoom { room } => Command::LeaveRoom {
                room_id: room.get(),
            },
            Call::Members {
                room,
                next_flag,
                count,
            } => Command::QueryRoomMembers {
                room_id: room.get(),
                next_flag,
                count,
            },
            Call::OnlineCount { room } => Command::QueryRoomOnlineCount {
                room_id: room.get(),
            },
            Call::History {
                conversation_type,
                conversation_id,
                anchor,
                count,
                reverse,
            } => Command::QueryHistory {
                conversation_type: conversation_type % 3,
                conversation_id: conversation_id.get(),
                anchor_order_key: anchor,
                count,
                reverse,
            },
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Msg {
    message_id: u64,
    client_message_id: u64,
    conversation_type: u8,
    conversation: Name,
    sender: Name,
    message_type: u8,
    payload: Vec<u8>,
    timestamp: u64,
    order_key: u64,
}

impl Msg {
    fn get(self) -> Message {
        Message {
            message_id: self.message_id,
            client_message_id: self.client_message_id,
            conversation_type: self.conversation_type % 3,
            conversation_id: self.conversation.get(),
            sender_id: self.sender.get(),
            message_type: self.message_type % 4,
            priority: 1,
            payload: self.payload,
            extended_data: String::new(),
            timestamp: self.timestamp,
            order_key: self.order_key,
            ext: None,
        }
    }
}

/// A token expiry: near the simulated clock (where the renewal timers live) or any value.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Expire {
    InSeconds(u16),
    Raw(u64),
}

/// A frame body the server may send.
#[derive(Arbitrary, Debug)]
enum ServerBody {
    LoginOk {
        session_id: u64,
        expire: Expire,
        inbox_seq: u64,
    },
    Ok,
    TokenRenewed {
        expire: Expire,
    },
    Pong,
    SendAck {
        message_id: u64,
        order_key: u64,
    },
    RoomInfo {
        room: Name,
        name: Name,
    },
    MemberPage {
        room: Name,
        members: Vec<(Name, Name)>,
        next_flag: String,
    },
    Count {
        room: Name,
        count: u32,
    },
    History {
        conversation_type: u8,
        conversation: Name,
        messages: Vec<Msg>,
    },
    Error {
        code: Code,
        message: String,
    },
    Push {
        offline: bool,
        deliveries: Vec<(u64, Msg)>,
    },
    RoomPush(Msg),
    MembersChanged {
        room: Name,
        joined: bool,
        members: Vec<Name>,
    },
    Kicked {
        code: Code,
    },
}

impl ServerBody {
    /// The body, with server times taken from the simulated clock `now`.
    fn get(self, now: Millis) -> Body {
        let unix_ms = now;
        let expire = |e: Expire| match e {
            Expire::InSeconds(s) => unix_ms / 1000 + u64::from(s),
            Expire::Raw(r) => r,
        };
        match self {
            ServerBody::LoginOk {
                session_id,
                expire: e,
                inbox_seq,
            } => Body::LoginOk(LoginOk {
                session_id,
                server_time: unix_ms,
                token_expire: expire(e),
                inbox_seq,
            }),
            ServerBody::Ok => Body::Ok(Empty {}),
            ServerBody::TokenRenewed { expire: e } => Body::TokenRenewed(TokenRenewed {
                token_expire: expire(e),
            }),
            ServerBody::Pong => Body::Pong(Pong {
                server_time: unix_ms,
            }),
            ServerBody::SendAck {
                message_id,
                order_key,
            } => Body::SendAck(SendAck {
                message_id,
                timestamp: unix_ms,
                order_key,
            }),
            ServerBody::RoomInfo { room, name } => Body::RoomInfo(Room {
                room_id: room.get(),
                room_name: name.get(),
            }),
            ServerBody::MemberPage {
                room,
                members,
                next_flag,
            } => Body::RoomMemberPage(RoomMemberPage {
                room_id: room.get(),
                members: List(
                    members
                        .into_iter()
                        .map(|(id, name)| User {
                            user_id: id.get(),
                            user_name: name.get(),
                        })
                        .collect(),
                ),
                next_flag,
            }),
            ServerBody::Count { room, count } => Body::RoomCount(RoomCount {
                room_id: room.get(),
                count,
            }),
            ServerBody::History {
                conversation_type,
                conversation,
                messages,
            } => Body::HistoryPage(HistoryPage {
                conversation_type: conversation_type % 3,
                conversation_id: conversation.get(),
                messages: List(messages.into_iter().map(Msg::get).collect()),
            }),
            ServerBody::Error { code, message } => Body::Error(Error {
                code: code.get(),
                message,
            }),
            ServerBody::Push {
                offline,
                deliveries,
            } => Body::Push(Push {
                offline,
                deliveries: List(
                    deliveries
                        .into_iter()
                        .map(|(inbox_seq, m)| Delivery {
                            inbox_seq,
                            // Tagged with its sequence, so the host can check what the
                            // core delivers: each entry once, in inbox order.
                            message: Some(Message {
                                message_id: inbox_seq,
                                ..m.get()
                            }),
                            notice: None,
                        })
                        .collect(),
                ),
            }),
            ServerBody::RoomPush(m) => Body::RoomPush(RoomPush { message: m.get() }),
            ServerBody::MembersChanged {
                room,
                joined,
                members,
            } => Body::RoomMembersChanged(RoomMembersChanged {
                room_id: room.get(),
                joined,
                members: List(
                    members
                        .into_iter()
                        .map(|n| User {
                            user_id: n.get(),
                            user_name: String::new(),
                        })
                        .collect(),
                ),
            }),
            ServerBody::Kicked { code } => Body::Kicked(Kicked {
                code: code.get(),
                message: String::new(),
            }),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Step {
    Call(Call),
    /// The transport the core asked for opened (also sent when none was asked for).
    Opened,
    /// The transport closed with this code.
    Closed(u16),
    /// A server frame answering the request `back` places before the newest one the core
    /// sent (the newest when there are fewer).
    Reply {
        back: u8,
        body: ServerBody,
    },
    /// A server frame with request id 0 (pushes) or any id.
    Frame {
        request_id: Option<u32>,
        body: ServerBody,
    },
    /// Raw bytes as one WebSocket message.
    Bytes(Vec<u8>),
    NetworkAvailable,
    /// A spurious wake-up.
    Timeout,
    /// Time passes; whatever falls due fires (at most 65 s per step).
    Advance(u16),
    /// Straight to the core's next deadline, and fire it.
    ToDeadline,
}

/// The host: carries out outputs, remembers what the core sent, checks completions. It
/// does not enforce the transport contract (opened only after `Connect`, ...): the steps
/// decide, so contract-breaking hosts are fuzzed too.
struct Host {
    client: Client,
    now: Millis,
    /// Request ids of the frames the core transmitted, newest last (bounded).
    sent_ids: Vec<u32>,
    started: Vec<OpId>,
    completed: HashMap<OpId, u32>,
    /// Per conversation, the highest inbox sequence delivered to the app since the last
    /// `LoginOk` (which may lower the core's mark: a server whose inbox was reset), and
    /// every sequence delivered since then.
    delivered: HashMap<String, u64>,
    delivered_seqs: HashSet<u64>,
}

impl Host {
    fn call(&mut self, command: Command) {
        let op = self.client.call(self.now, command);
        assert!(!self.started.contains(&op), "op id {op} handed out twice");
        self.started.push(op);
        self.drain();
    }

    fn input(&mut self, input: Input<'_>) {
        if let Input::Received(bytes) = input {
            if let Ok(Frame {
                body: Body::LoginOk(_),
                ..
            }) = Frame::decode(bytes, usize::MAX)
            {
                self.delivered.clear();
                self.delivered_seqs.clear();
            }
        }
        self.client.handle_input(self.now, input);
        self.drain();
    }

    fn drain(&mut self) {
        // Bounded: the core must settle; a flood of outputs from one input is a bug.
        for _ in 0..100_000 {
            let Some(out) = self.client.poll_output() else {
                return;
            };
            match out {
                Output::Connect { .. } | Output::Disconnect | Output::SaveLocal(_) => {}
                Output::Transmit(bytes) => {
                    let frame = Frame::decode(&bytes, usize::MAX)
                        .expect("the core transmitted a frame it cannot decode");
                    assert!(
                        frame.body.sent_by_client(),
                        "the core sent a server frame kind"
                    );
                    if self.sent_ids.len() >= 64 {
                        self.sent_ids.remove(0);
                    }
                    self.sent_ids.push(frame.request_id);
                }
                Output::Event(
                    Event::PeerMessages {
                        from_user_id: conversation,
                        messages,
                        ..
                    }
                    | Event::GroupMessages {
                        group_id: conversation,
                        messages,
                        ..
                    },
                ) => {
                    // The message ID is the inbox sequence (see ServerBody::get). Batches
                    // are per conversation, so order holds within one conversation (a
                    // group's ID may be a user's too: the type is part of the key).
                    let kind = messages.first().map_or(0, |m| m.conversation_type);
                    let key = format!("{kind}:{conversation}");
                    let last = self.delivered.entry(key).or_insert(0);
                    for m in messages {
                        assert!(
                            m.message_id > *last,
                            "inbox entry {} delivered after {} of the same conversation",
                            m.message_id,
                            *last
                        );
                        *last = m.message_id;
                        assert!(
                            self.delivered_seqs.insert(m.message_id),
                            "inbox entry {} delivered twice",
                            m.message_id
                        );
                    }
                }
                Output::Event(_) => {}
                Output::Completed { op, .. } => {
                    assert!(
                        self.started.contains(&op),
                        "completed op {op} never started"
                    );
                    let n = self.completed.entry(op).or_insert(0);
                    *n += 1;
                    assert_eq!(*n, 1, "op {op} completed twice");
                }
            }
        }
        panic!("the core did not stop producing outputs");
    }

    fn fire_due(&mut self) {
        // Several timers may be due at once; each Timeout may arm the next.
        for _ in 0..1000 {
            match self.client.poll_timeout() {
                Some(t) if t <= self.now => self.input(Input::Timeout),
                _ => return,
            }
        }
        panic!("timers keep falling due without time passing");
    }

    fn step(&mut self, step: Step) {
        match step {
            Step::Call(c) => self.call(c.command()),
            Step::Opened => self.input(Input::TransportOpened),
            Step::Closed(code) => self.input(Input::TransportClosed { code }),
            Step::Reply { back, body } => {
                let id = match self.sent_ids.len() {
                    0 => 1,
                    n => self.sent_ids[n - 1 - (back as usize).min(n - 1)],
                };
                let bytes = Frame::new(id, body.get(self.now)).encode();
                self.input(Input::Received(&bytes));
            }
            Step::Frame { request_id, body } => {
                let bytes = Frame::new(request_id.unwrap_or(0), body.get(self.now)).encode();
                self.input(Input::Received(&bytes));
            }
            Step::Bytes(b) => self.input(Input::Received(&b)),
            Step::NetworkAvailable => self.input(Input::NetworkAvailable),
            Step::Timeout => self.input(Input::Timeout),
            Step::Advance(ms) => {
                let end = self.now.saturating_add(u64::from(ms));
                // Fire each deadline at its own time, as a host's timer would.
                // (fire_due leaves the next deadline after `now`, so this advances.)
                while let Some(t) = self.client.poll_timeout().filter(|t| *t <= end) {
                    self.now = self.now.max(t);
                    self.fire_due();
                }
                self.now = end;
                self.fire_due();
            }
            Step::ToDeadline => {
                if let Some(t) = self.client.poll_timeout() {
                    self.now = self.now.max(t);
                    self.fire_due();
                }
            }
        }
    }
}

fuzz_target!(|input: (u32, u64, Vec<Step>)| {
    let (start, seed, steps) = input;
    let mut host = Host {
        client: Client::new(Config {
            app_id: 1234,
            server_url: "ws://tinyim.test/ws".into(),
            seed,
        }),
        // Around a real Unix-milliseconds clock, as the JS shim's Date.now().
        now: 1_700_000_000_000 + u64::from(start),
        sent_ids: Vec::new(),
        started: Vec::new(),
        completed: HashMap::new(),
        delivered: HashMap::new(),
        delivered_seqs: HashSet::new(),
    };
    for step in steps.into_iter().take(400) {
        host.step(step);
    }
    // The app logs out and the host keeps serving timers: everything must settle.
    host.call(Command::Logout);
    for _ in 0..10_000 {
        let Some(t) = host.client.poll_timeout() else {
            break;
        };
        host.now = host.now.max(t);
        host.fire_due();
    }
    assert_eq!(
        host.client.poll_timeout(),
        None,
        "timers still armed after logout"
    );
    for op in &host.started {
        assert_eq!(
            host.completed.get(op),
            Some(&1),
            "op {op} never completed after logout"
        );
    }
});
