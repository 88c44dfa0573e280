//! An in-process server peer built from `tinyim-protocol`: it decodes the frames the client
//! transmits and answers with real encoded frames, following docs/protocol.md (login,
//! resume, idempotent sends, inbox pushes, rooms). Knobs let a test make it misbehave the
//! ways real networks and servers do (silence, refusals, repeated pushes).

use std::collections::BTreeMap;

use tinyim::{Message, Millis, User};
use tinyim_protocol::areas::{
    RoomAllLeft, RoomEntered, RoomFullInfo, RoomInfo, SelfUserInfo, SelfUserInfoBody, UserFullInfo,
    UserInfo,
};
use tinyim_protocol::rpc::{Call, Notice, Reply, Request, Response};
use tinyim_protocol::{
    code, conversation_type, limits, Body, Delivery, Empty, Error, Frame, HistoryPage, Kicked,
    List, Login, LoginOk, Pong, Push, Room, RoomCount, RoomMemberPage, RoomMembersChanged,
    RoomPush, Send, SendAck, TokenRenewed,
};

/// Unix ms of the server clock when the simulated host clock reads 0.
pub const SERVER_EPOCH_MS: u64 = 1_700_000_000_000;

/// Something the server does to the client's transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToClient {
    /// One binary message.
    Bytes(Vec<u8>),
    /// Close the WebSocket with this code.
    Close(u16),
}

/// How the server answers `Login`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginReply {
    Accept,
    /// `Error { code }` then close 4001.
    Refuse(u32),
    /// `Error { code }` then a close with `close` (a server failing for a reason of its
    /// own, e.g. its store: `6000008` then 1011).
    Fail(u32, u16),
    /// No answer at all.
    Silent,
}

/// The scripted server: one user's view (the client under test), plus whatever other
/// users the test makes act.
pub struct ScriptedServer {
    /// Every method call received, in order (resends included).
    pub calls: Vec<Call>,
    /// The user's name as `updateUserName` set it.
    pub user_name: String,
    pub login_reply: LoginReply,
    pub answer_pings: bool,
    /// Answer requests other than Login/Ping/PushAck (false: requests time out).
    pub answer_requests: bool,
    /// Store and ack sends (false: ignore them).
    pub ack_sends: bool,
    /// The token's expiry reported by LoginOk, Unix s.
    pub token_expire: u64,
    /// The expiry TokenRenewed reports.
    pub renewed_expire: u64,
    /// Refuse RenewToken with this code.
    pub renew_error: Option<u32>,
    /// Enforce the server's per-user send rate as tinyim-server does: token buckets of 10
    /// texts / 20 commands a second with as many saved up, kept across connections (not
    /// across [`ScriptedServer::restart`]), checked before de-duplication: `6000005`.
    pub rate_limit: bool,
    text_bucket: Bucket,
    command_bucket: Bucket,
    /// `(n, code)`: refuse the `n`-th `Send` to arrive (counting from 0, on any connection)
    /// with `code`, storing nothing: `6000005` as a server that saw sends bunched up by the
    /// network would, `6000008` as one whose store failed.
    pub refuse: Vec<(usize, u32)>,
    /// `Send` frames that arrived while logged in.
    pub sends_arrived: usize,
    /// Every refusal of a `Send`: (code, client_message_id).
    pub send_refusals: Vec<(u32, u64)>,
    /// A token that has expired: a `Login` carrying it is refused with 6000106.
    pub expired_token: Option<String>,

    /// A transport is open.
    pub connected: bool,
    /// The current connection has logged in.
    pub logged_in: bool,
    pub user_id: String,

    /// Every frame the client sent, on any connection.
    pub received: Vec<Frame>,
    pub logins: Vec<Login>,
    pub push_acks: Vec<u64>,
    /// The user's inbox: entry `i` has inbox sequence `i + 1` (a message or a notice).
    pub inbox: Vec<Delivery>,
    /// The conversations a login that asks for a sync gets.
    pub conversations: Vec<tinyim_protocol::areas::Conversation>,
    /// Highest PushAck stored.
    pub acked: u64,
    /// Stored sends by client_message_id, with their ack.
    pub stored: Vec<(Send, SendAck)>,
    pub rooms: BTreeMap<String, (String, Vec<User>)>,
    next_message_id: u64,
    order_keys: BTreeMap<String, u64>,
    session_id: u64,
}

impl Default for ScriptedServer {
    fn default() -> Self {
        ScriptedServer {
            login_reply: LoginReply::Accept,
            answer_pings: true,
            answer_requests: true,
            ack_sends: true,
            token_expire: SERVER_EPOCH_MS / 1000 + 3600,
            renewed_expire: SERVER_EPOCH_MS / 1000 + 7200,
            renew_error: None,
            rate_limit: false,
            text_bucket: Bucket::new(limits::TEXT_SENDS_PER_SECOND),
            command_bucket: Bucket::new(limits::COMMAND_SENDS_PER_SECOND),
            refuse: Vec::new(),
            sends_arrived: 0,
            send_refusals: Vec::new(),
            expired_token: None,
            connected: false,
            logged_in: false,
            user_id: String::new(),
            received: Vec::new(),
            logins: Vec::new(),
            conversations: Vec::new(),
            push_acks: Vec::new(),
            inbox: Vec::new(),
            acked: 0,
            stored: Vec::new(),
            rooms: BTreeMap::new(),
            next_message_id: 1000,
            order_keys: BTreeMap::new(),
            session_id: 0,
            calls: Vec::new(),
            user_name: String::new(),
        }
    }
}

/// A token bucket as tinyim-server's rate limiter keeps one: `rate` a second, at most
/// `rate` saved up (in thousandths of a token).
#[derive(Debug, Clone, Copy)]
struct Bucket {
    rate: u64,
    milli: u64,
    last: Millis,
}

impl Bucket {
    fn new(rate: u32) -> Self {
        Bucket {
            rate: u64::from(rate),
            milli: u64::from(rate) * 1000,
            last: 0,
        }
    }

    fn take(&mut self, now: Millis) -> bool {
        let refill = now.saturating_sub(self.last) * self.rate;
        self.milli = (self.milli + refill).min(self.rate * 1000);
        self.last = self.last.max(now);
        if self.milli >= 1000 {
            self.milli -= 1000;
            true
        } else {
            false
        }
    }
}

fn frame(request_id: u32, body: Body) -> ToClient {
    ToClient::Bytes(Frame::new(request_id, body).encode())
}

fn error(request_id: u32, code: u32, message: &str) -> ToClient {
    frame(
        request_id,
        Body::Error(Error {
            code,
            message: message.into(),
        }),
    )
}

impl ScriptedServer {
    pub fn server_time(now: Millis) -> u64 {
        SERVER_EPOCH_MS.saturating_add(now)
    }

    /// A new transport opened.
    pub fn open(&mut self) {
        self.connected = true;
        self.logged_in = false;
    }

    /// The transport closed (either side).
    pub fn closed(&mut self) {
        self.connected = false;
        self.logged_in = false;
    }

    /// The server process died and came back: what is stored stays, what it kept in
    /// memory (the rate budget) is gone. (The harness drops the transport.)
    pub fn restart(&mut self) {
        self.text_bucket = Bucket::new(limits::TEXT_SENDS_PER_SECOND);
        self.command_bucket = Bucket::new(limits::COMMAND_SENDS_PER_SECOND);
    }

    /// The payloads of the stored sends, as text, in the order they were stored.
    pub fn stored_texts(&self) -> Vec<String> {
        self.stored
            .iter()
            .map(|(s, _)| String::from_utf8_lossy(&s.payload).into_owned())
            .collect()
    }

    /// Refusals of sends with `code`.
    pub fn refusals(&self, code: u32) -> usize {
        self.send_refusals.iter().filter(|r| r.0 == code).count()
    }

    /// Frames the client sent of one kind.
    pub fn sent_of_kind(&self, kind: u8) -> Vec<&Frame> {
        self.received
            .iter()
            .filter(|f| f.body.kind() == kind)
            .collect()
    }

    /// All `Send` frames the client transmitted, in order.
    pub fn sends(&self) -> Vec<Send> {
        self.received
            .iter()
            .filter_map(|f| match &f.body {
                Body::Send(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    /// Handles one binary message from the client.
    pub fn on_bytes(&mut self, now: Millis, bytes: &[u8]) -> Vec<ToClient> {
        let decoded = Frame::decode(bytes, limits::MAX_CLIENT_FRAME_LEN)
            .expect("the client must only send valid frames");
        self.received.push(decoded.clone());
        let id = decoded.request_id;
        let mut out = Vec::new();
        if !self.logged_in {
            match decoded.body {
                Body::Login(login) => self.login(now, id, login, &mut out),
                _ if id != 0 => out.push(error(id, code::USER_NOT_LOGGED, "not logged in")),
                _ => {}
            }
            return out;
        }
        match decoded.body {
            Body::Ping(_) if self.answer_pings => out.push(frame_pong(id, now)),
            Body::PushAck(a) => {
                self.push_acks.push(a.inbox_seq);
                self.acked = self.acked.max(a.inbox_seq);
            }
            Body::Logout(_) => {
                out.push(frame(id, Body::Ok(Empty {})));
                out.push(ToClient::Close(1000));
            }
            Body::Send(s) if self.ack_sends => {
                let n = self.sends_arrived;
                self.sends_arrived += 1;
                let refusal = match self.refuse.iter().find(|r| r.0 == n) {
                    Some(&(_, c)) => Some(c),
                    None => self
                        .over_rate(now, s.message_type)
                        .then_some(code::SERVER_FREQUENCY_LIMIT),
                };
                if let Some(c) = refusal {
                    self.send_refusals.push((c, s.client_message_id));
                    out.push(error(id, c, "refused"));
                    return out;
                }
                match self.store(now, s) {
                    Ok(ack) => out.push(frame(id, Body::SendAck(ack))),
                    Err(cmid) => {
                        self.send_refusals.push((code::SEND_MESSAGE_FAILED, cmid));
                        out.push(error(
                            id,
                            code::SEND_MESSAGE_FAILED,
                            "the message it follows is not stored",
                        ));
                    }
                }
            }
            Body::Ping(_) | Body::Send(_) => {} // told to stay silent
            body if self.answer_requests => self.request(id, body, &mut out),
            _ => {}
        }
        out
    }

    fn login(&mut self, now: Millis, id: u32, login: Login, out: &mut Vec<ToClient>) {
        self.logins.push(login.clone());
        if self.expired_token.as_ref() == Some(&login.token) {
            out.push(error(id, code::TOKEN_EXPIRED, "token expired"));
            out.push(ToClient::Close(4001));
            return;
        }
        match self.login_reply {
            LoginReply::Silent => {}
            LoginReply::Refuse(c) => {
                out.push(error(id, c, "login refused"));
                out.push(ToClient::Close(4001));
            }
            LoginReply::Fail(c, close) => {
                out.push(error(id, c, "login failed"));
                out.push(ToClient::Close(close));
            }
            LoginReply::Accept => {
                self.logged_in = true;
                self.user_id = login.user_id.clone();
                self.session_id += 1;
                out.push(frame(
                    id,
                    Body::LoginOk(LoginOk {
                        session_id: self.session_id,
                        server_time: Self::server_time(now),
                        token_expire: self.token_expire,
                        inbox_seq: self.inbox.len() as u64,
                    }),
                ));
                if login.sync_conversations {
                    let page = Notice::ConversationSync(tinyim_protocol::areas::ConversationSync {
                        conversations: List(self.conversations.clone()),
                        done: true,
                    });
                    out.push(frame(0, Body::Notify(page.to_notify())));
                }
                let from = login.last_inbox_seq.max(self.acked);
                out.extend(self.push_range(from, true));
            }
        }
    }

    /// `Push` frames (batches of at most 100) for inbox entries after `after`.
    pub fn push_range(&self, after: u64, offline: bool) -> Vec<ToClient> {
        let entries: Vec<Delivery> = self
            .inbox
            .iter()
            .enumerate()
            .map(|(i, d)| Delivery {
                inbox_seq: i as u64 + 1,
                ..d.clone()
            })
            .filter(|d| d.inbox_seq > after)
            .collect();
        entries
            .chunks(100)
            .map(|c| {
                frame(
                    0,
                    Body::Push(Push {
                        offline,
                        deliveries: List(c.to_vec()),
                    }),
                )
            })
            .collect()
    }

    /// Pushes exactly the inbox entries with sequences in `seqs` (a repeat, a replay).
    pub fn push_seqs(&self, seqs: &[u64], offline: bool) -> ToClient {
        let deliveries = seqs
            .iter()
            .map(|&s| Delivery {
                inbox_seq: s,
                ..self.inbox[(s - 1) as usize].clone()
            })
            .collect::<Vec<_>>();
        frame(
            0,
            Body::Push(Push {
                offline,
                deliveries: List(deliveries),
            }),
        )
    }

    /// Counts one send of `kind` against the rate; `true` if it is over.
    fn over_rate(&mut self, now: Millis, kind: u8) -> bool {
        if !self.rate_limit {
            return false;
        }
        let bucket = if kind == tinyim_protocol::message_type::COMMAND {
            &mut self.command_bucket
        } else {
            &mut self.text_bucket
        };
        !bucket.take(now)
    }

    /// Stores a send (de-duplicated first, then in sender order as docs/protocol.md says);
    /// `Err(client_message_id)` if the message it follows is not stored.
    fn store(&mut self, now: Millis, s: Send) -> Result<SendAck, u64> {
        let known = |cmid: u64| {
            self.stored
                .iter()
                .find(|(old, _)| old.client_message_id == cmid)
        };
        if let Some((_, ack)) = known(s.client_message_id) {
            return Ok(ack.clone());
        }
        if s.prev_client_message_id != 0 && known(s.prev_client_message_id).is_none() {
            return Err(s.client_message_id);
        }
        self.next_message_id += 1;
        let key = self.order_keys.entry(s.to.clone()).or_insert(0);
        *key += 1;
        let ack = SendAck {
            message_id: self.next_message_id,
            timestamp: Self::server_time(now),
            order_key: *key,
        };
        self.stored.push((s, ack.clone()));
        Ok(ack)
    }

    /// Another user `from` sends our user a text: stored in the inbox, pushed live if the
    /// user is online.
    pub fn peer_message(&mut self, now: Millis, from: &str, text: &str) -> Vec<ToClient> {
        self.next_message_id += 1;
        let key = self.order_keys.entry(from.to_owned()).or_insert(0);
        *key += 1;
        let message = Message {
            message_id: self.next_message_id,
            client_message_id: self.next_message_id * 7,
            conversation_type: conversation_type::PEER,
            conversation_id: from.into(),
            sender_id: from.into(),
            message_type: 1,
            priority: 1,
            payload: text.as_bytes().to_vec(),
            extended_data: String::new(),
            timestamp: Self::server_time(now),
            order_key: *key,
            ext: None,
        };
        self.inbox.push(Delivery {
            inbox_seq: 0,
            message: Some(message),
            notice: None,
        });
        if self.logged_in {
            let seq = self.inbox.len() as u64;
            vec![self.push_seqs(&[seq], false)]
        } else {
            Vec::new()
        }
    }

    /// A notice for our user, appended to the inbox and pushed live if online.
    pub fn inbox_notice(&mut self, notice: tinyim_protocol::rpc::Notify) -> Vec<ToClient> {
        self.inbox.push(Delivery {
            inbox_seq: 0,
            message: None,
            notice: Some(notice),
        });
        if self.logged_in {
            let seq = self.inbox.len() as u64;
            vec![self.push_seqs(&[seq], false)]
        } else {
            Vec::new()
        }
    }

    /// Another user joins (or leaves) room `room_id`.
    pub fn member_change(&mut self, room_id: &str, user: &str, joined: bool) -> Vec<ToClient> {
        let u = User {
            user_id: user.into(),
            user_name: user.into(),
        };
        if let Some((_, members)) = self.rooms.get_mut(room_id) {
            if joined {
                members.push(u.clone());
            } else {
                members.retain(|m| m.user_id != user);
            }
        }
        vec![frame(
            0,
            Body::RoomMembersChanged(RoomMembersChanged {
                room_id: room_id.into(),
                joined,
                members: List(vec![u]),
            }),
        )]
    }

    /// Another user says `text` in room `room_id`.
    pub fn room_message(&mut self, now: Millis, room_id: &str, from: &str, text: &str) -> ToClient {
        self.next_message_id += 1;
        frame(
            0,
            Body::RoomPush(RoomPush {
                message: Message {
                    message_id: self.next_message_id,
                    client_message_id: 1,
                    conversation_type: conversation_type::ROOM,
                    conversation_id: room_id.into(),
                    sender_id: from.into(),
                    message_type: 1,
                    priority: 1,
                    payload: text.as_bytes().to_vec(),
                    extended_data: String::new(),
                    timestamp: Self::server_time(now),
                    order_key: 0,
                    ext: None,
                },
            }),
        )
    }

    /// A second device logged in: `Kicked` then close 4002.
    pub fn kick(&mut self) -> Vec<ToClient> {
        vec![
            frame(
                0,
                Body::Kicked(Kicked {
                    code: code::USER_ALREADY_LOGGED,
                    message: "logged in on another device".into(),
                }),
            ),
            ToClient::Close(4002),
        ]
    }

    /// An `Error` announcement (request id 0) then a close.
    pub fn error_and_close(&mut self, code: u32, close: u16) -> Vec<ToClient> {
        vec![error(0, code, "closing"), ToClient::Close(close)]
    }

    fn me(&self) -> User {
        User {
            user_id: self.user_id.clone(),
            user_name: self.user_id.clone(),
        }
    }

    fn request(&mut self, id: u32, body: Body, out: &mut Vec<ToClient>) {
        let me = self.me();
        let reply = match body {
            Body::RenewToken(_) => match self.renew_error {
                Some(c) => error(id, c, "renew refused"),
                None => {
                    self.token_expire = self.renewed_expire;
                    frame(
                        id,
                        Body::TokenRenewed(TokenRenewed {
                            token_expire: self.renewed_expire,
                        }),
                    )
                }
            },
            Body::RoomCreate(r) => {
                if self.rooms.contains_key(&r.room_id) {
                    error(id, code::ROOM_ALREADY_EXISTS, "room exists")
                } else {
                    self.rooms
                        .insert(r.room_id.clone(), (r.room_name.clone(), vec![me]));
                    frame(id, Body::RoomInfo(r))
                }
            }
            Body::RoomJoin(r) => match self.rooms.get_mut(&r.room_id) {
                None => error(id, code::ROOM_DOES_NOT_EXIST, "no such room"),
                Some((name, members)) => {
                    if !members.contains(&me) {
                        members.push(me);
                    }
                    frame(
                        id,
                        Body::RoomInfo(Room {
                            room_id: r.room_id,
                            room_name: name.clone(),
                        }),
                    )
                }
            },
            Body::RoomEnter(r) => {
                let (name, members) = self
                    .rooms
                    .entry(r.room_id.clone())
                    .or_insert_with(|| (r.room_name.clone(), Vec::new()));
                if !members.contains(&me) {
                    members.push(me);
                }
                frame(
                    id,
                    Body::RoomInfo(Room {
                        room_id: r.room_id,
                        room_name: name.clone(),
                    }),
                )
            }
            Body::RoomLeave(r) => match self.rooms.get_mut(&r.room_id) {
                Some((_, members)) if members.contains(&me) => {
                    members.retain(|m| *m != me);
                    frame(id, Body::Ok(Empty {}))
                }
                _ => error(id, code::USER_NOT_IN_ROOM, "not in room"),
            },
            Body::RoomMembers(q) => {
                let members = self
                    .rooms
                    .get(&q.room_id)
                    .map(|(_, m)| m.clone())
                    .unwrap_or_default();
                frame(
                    id,
                    Body::RoomMemberPage(RoomMemberPage {
                        room_id: q.room_id,
                        members: List(members),
                        next_flag: String::new(),
                    }),
                )
            }
            Body::RoomOnlineCount(r) => {
                let count = self.rooms.get(&r.room_id).map_or(0, |(_, m)| m.len()) as u32;
                frame(
                    id,
                    Body::RoomCount(RoomCount {
                        room_id: r.room_id,
                        count,
                    }),
                )
            }
            Body::History(q) => {
                let messages: Vec<Message> = self
                    .inbox
                    .iter()
                    .filter_map(|d| d.message.clone())
                    .filter(|m| m.conversation_id == q.conversation_id)
                    .take(q.count as usize)
                    .collect();
                frame(
                    id,
                    Body::HistoryPage(HistoryPage {
                        conversation_type: q.conversation_type,
                        conversation_id: q.conversation_id,
                        messages: List(messages),
                    }),
                )
            }
            Body::Call(call) => self.call(id, call),
            _ => error(id, code::UNSUPPORTED_REQUEST, "unsupported"),
        };
        out.push(reply);
    }
}

impl ScriptedServer {
    /// The user enters `room_id` (made with `room_name` if `create` allows): the room
    /// methods' result, or the ZIM code why not.
    fn enter_room(
        &mut self,
        room_id: &str,
        room_name: &str,
        create: Option<bool>,
    ) -> Result<RoomEntered, u32> {
        let me = self.me();
        match (self.rooms.contains_key(room_id), create) {
            (true, Some(true)) => return Err(code::ROOM_ALREADY_EXISTS),
            (false, None) => return Err(code::ROOM_DOES_NOT_EXIST),
            _ => {}
        }
        let (name, members) = self
            .rooms
            .entry(room_id.to_owned())
            .or_insert_with(|| (room_name.to_owned(), Vec::new()));
        if !members.contains(&me) {
            members.push(me);
        }
        Ok(RoomEntered {
            room_info: RoomFullInfo {
                base_info: RoomInfo {
                    room_id: room_id.to_owned(),
                    room_name: name.clone(),
                },
            },
        })
    }

    /// A few users methods and the room methods, as tinyim-server answers them; others are
    /// unsupported.
    fn call(&mut self, id: u32, call: Call) -> ToClient {
        self.calls.push(call.clone());
        let response = match Request::decode(call.method, &call.args) {
            Err(_) => return error(id, code::PARAMS_INVALID, "bad arguments"),
            Ok(Request::UpdateUserName(u)) => {
                self.user_name = u.user_name.0.clone();
                Response::UpdateUserName(u)
            }
            Ok(Request::QuerySelfUserInfo(_)) => Response::QuerySelfUserInfo(SelfUserInfo {
                self_user_info: SelfUserInfoBody {
                    user_full_info: UserFullInfo {
                        base_info: UserInfo {
                            user_id: self.user_id.clone(),
                            user_name: self.user_name.clone(),
                            ..UserInfo::default()
                        },
                        ..UserFullInfo::default()
                    },
                    ..SelfUserInfoBody::default()
                },
            }),
            Ok(Request::CreateRoom(r) | Request::EnterRoom(r)) => {
                let create = Request::decode(call.method, &call.args)
                    .is_ok_and(|q| matches!(q, Request::CreateRoom(_)));
                let info = &r.room_info;
                match self.enter_room(&info.room_id, &info.room_name, Some(create)) {
                    Ok(e) if create => Response::CreateRoom(e),
                    Ok(e) => Response::EnterRoom(e),
                    Err(c) => return error(id, c, "room error"),
                }
            }
            Ok(Request::SwitchRoom(r)) => {
                let me = self.me();
                let in_from = self
                    .rooms
                    .get(&*r.from_room_id)
                    .is_some_and(|(_, m)| m.contains(&me));
                if !in_from {
                    return error(id, code::USER_NOT_IN_ROOM, "not in room");
                }
                let to = &r.to_room_info;
                let create = r.is_create_when_room_not_existed.then_some(false);
                match self.enter_room(&to.room_id, &to.room_name, create) {
                    Ok(e) => {
                        if let Some((_, m)) = self.rooms.get_mut(&*r.from_room_id) {
                            m.retain(|u| *u != me);
                        }
                        Response::SwitchRoom(e)
                    }
                    Err(c) => return error(id, c, "room error"),
                }
            }
            Ok(Request::LeaveAllRoom(_)) => {
                let me = self.me();
                let mut left = Vec::new();
                for (room_id, (_, members)) in &mut self.rooms {
                    if members.contains(&me) {
                        members.retain(|u| *u != me);
                        left.push(room_id.clone());
                    }
                }
                Response::LeaveAllRoom(RoomAllLeft {
                    room_ids: List(left),
                })
            }
            Ok(_) => return error(id, code::UNSUPPORTED_REQUEST, "unsupported"),
        };
        frame(
            id,
            Body::Reply(Reply {
                method: response.method(),
                body: response.encode_body(),
            }),
        )
    }

    /// A live notice for the client.
    pub fn notify(&self, notice: Notice) -> ToClient {
        frame(0, Body::Notify(notice.to_notify()))
    }
}

fn frame_pong(id: u32, now: Millis) -> ToClient {
    frame(
        id,
        Body::Pong(Pong {
            server_time: ScriptedServer::server_time(now),
        }),
    )
}
