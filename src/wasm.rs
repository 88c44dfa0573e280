//! The wasm binding: the sans-IO [`Client`] as a JS class, `Core`.
//!
//! The JS shim drives it (docs/bindings.md): it owns the socket and one timer, feeds every
//! happening in with one of the input methods or an API call, then calls [`Core::drain`] for
//! everything the core wants done and [`Core::timeout`] for when to wake it next.
//!
//! Outputs cross the boundary as compact arrays, not serialised objects: `[kind, ...fields]`
//! with numbers, strings and `Uint8Array`s. That keeps serde out of the wasm and leaves ZIM's
//! object shapes (which depend on who is logged in) to the facade, which is their owner.
//!
//! Output arrays (first element = kind):
//!
//! | kind | fields | meaning |
//! |---|---|---|
//! | 0 | `url` | open a WebSocket to `url` |
//! | 1 | `bytes` | send one binary message |
//! | 2 | — | close the WebSocket |
//! | 3 | `op, 0, replyKind, ...reply` | API call `op` succeeded |
//! | 3 | `op, code, message` | API call `op` failed with ZIM error `code` |
//! | 4 | `eventKind, ...event` | an event for the app |
//!
//! Replies: 0 done; 1 `tokenExpire`; 2 `message`; 3 `roomID, roomName`; 4 `roomID`;
//! 5 `roomID, members, nextFlag`; 6 `roomID, count`; 7 `conversationType, conversationID,
//! messages`. Events: 0 `state, event`; 1 `second`; 2 `fromUserID, messages, offline`;
//! 3 `roomID, messages`; 4 `roomID, state, event`; 5 `roomID, members` (joined);
//! 6 `roomID, members` (left); 7 `code, message`.
//! A message is `[messageID, localMessageID, conversationType, conversationID, senderUserID,
//! type, priority, payload, extendedData, timestamp, orderKey]` (u64 IDs as decimal strings);
//! a member is `[userID, userName]`.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::{Client, Command, Config, Event, Input, Message, Output, Reply, User};

/// One tinyim client instance for JS. Times are `Date.now()` milliseconds (as `f64`).
#[wasm_bindgen]
pub struct Core {
    client: Client,
}

fn ms(now: f64) -> u64 {
    if now > 0.0 {
        now as u64
    } else {
        0
    }
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: impl Into<f64>) -> JsValue {
    JsValue::from_f64(v.into())
}

fn id(v: u64) -> JsValue {
    // u64 IDs can pass 2^53: decimal strings, as ZIM-API.md §4 asks.
    s(&v.to_string())
}

fn arr(items: &[JsValue]) -> JsValue {
    let a = Array::new();
    for v in items {
        a.push(v);
    }
    a.into()
}

fn message(m: &Message) -> JsValue {
    arr(&[
        id(m.message_id),
        id(m.client_message_id),
        n(m.conversation_type),
        s(&m.conversation_id),
        s(&m.sender_id),
        n(m.message_type),
        n(m.priority),
        Uint8Array::from(&m.payload[..]).into(),
        s(&m.extended_data),
        n(m.timestamp as f64),
        n(m.order_key as f64),
    ])
}

fn messages(list: &[Message]) -> JsValue {
    let a = Array::new();
    for m in list {
        a.push(&message(m));
    }
    a.into()
}

fn users(list: &[User]) -> JsValue {
    let a = Array::new();
    for u in list {
        a.push(&arr(&[s(&u.user_id), s(&u.user_name)]));
    }
    a.into()
}

fn reply(r: &Reply) -> Vec<JsValue> {
    match r {
        Reply::Done => vec![n(0)],
        Reply::TokenRenewed { token_expire } => vec![n(1), n(*token_expire as f64)],
        Reply::Sent(m) => vec![n(2), message(m)],
        Reply::Room { room_id, room_name } => vec![n(3), s(room_id), s(room_name)],
        Reply::RoomLeft { room_id } => vec![n(4), s(room_id)],
        Reply::Members {
            room_id,
            members,
            next_flag,
        } => vec![n(5), s(room_id), users(members), s(next_flag)],
        Reply::Count { room_id, count } => vec![n(6), s(room_id), n(*count)],
        Reply::History {
            conversation_type,
            conversation_id,
            messages: list,
        } => vec![
            n(7),
            n(*conversation_type),
            s(conversation_id),
            messages(list),
        ],
    }
}

fn event(e: &Event) -> Vec<JsValue> {
    match e {
        Event::ConnectionStateChanged { state, event } => {
            vec![n(0), n(*state as u8), n(*event as u8)]
        }
        Event::TokenWillExpire { second } => vec![n(1), n(*second)],
        Event::PeerMessages {
            from_user_id,
            messages: list,
            offline,
        } => vec![
            n(2),
            s(from_user_id),
            messages(list),
            JsValue::from_bool(*offline),
        ],
        Event::RoomMessages {
            room_id,
            messages: list,
        } => vec![n(3), s(room_id), messages(list)],
        Event::RoomStateChanged {
            room_id,
            state,
            event,
        } => vec![n(4), s(room_id), n(*state as u8), n(*event as u8)],
        Event::RoomMemberJoined { room_id, members } => vec![n(5), s(room_id), users(members)],
        Event::RoomMemberLeft { room_id, members } => vec![n(6), s(room_id), users(members)],
        Event::Error(err) => vec![n(7), n(err.code), s(&err.message)],
    }
}

fn output(o: Output) -> JsValue {
    let v = match o {
        Output::Connect { url } => vec![n(0), s(&url)],
        Output::Transmit(bytes) => vec![n(1), Uint8Array::from(&bytes[..]).into()],
        Output::Disconnect => vec![n(2)],
        Output::Completed { op, result } => {
            let mut v = vec![n(3), n(op)];
            match result {
                Ok(r) => {
                    v.push(n(0));
                    v.extend(reply(&r));
                }
                Err(e) => {
                    v.push(n(e.code));
                    v.push(s(&e.message));
                }
            }
            v
        }
        Output::Event(e) => {
            let mut v = vec![n(4)];
            v.extend(event(&e));
            v
        }
    };
    arr(&v)
}

#[wasm_bindgen]
impl Core {
    /// A client for app `app_id` talking to `server_url`; `seed` (any number) seeds jitter
    /// and local message IDs.
    #[wasm_bindgen(constructor)]
    pub fn new(app_id: u32, server_url: String, seed: f64) -> Core {
        Core {
            client: Client::new(Config {
                app_id,
                server_url,
                seed: ms(seed),
            }),
        }
    }

    // ---- inputs -------------------------------------------------------------------------

    /// The timer armed for [`Core::timeout`] fired (spurious wake-ups are fine).
    pub fn tick(&mut self, now: f64) {
        self.client.handle_input(ms(now), Input::Timeout);
    }

    /// The WebSocket asked for by output 0 is open.
    pub fn opened(&mut self, now: f64) {
        self.client.handle_input(ms(now), Input::TransportOpened);
    }

    /// The WebSocket closed or failed to open (`code` 1006 when the platform gives none).
    pub fn closed(&mut self, now: f64, code: u16) {
        self.client
            .handle_input(ms(now), Input::TransportClosed { code });
    }

    /// One binary WebSocket message arrived.
    pub fn received(&mut self, now: f64, bytes: &[u8]) {
        self.client.handle_input(ms(now), Input::Received(bytes));
    }

    /// The platform reports the network is back: check the connection now.
    pub fn online(&mut self, now: f64) {
        self.client.handle_input(ms(now), Input::NetworkAvailable);
    }

    /// The app went to the background (`wx.onAppHide`).
    pub fn hidden(&mut self, now: f64) {
        self.client.handle_input(ms(now), Input::AppHidden);
    }

    /// The app is in the foreground again (`wx.onAppShow`): check the connection now.
    pub fn shown(&mut self, now: f64) {
        self.client.handle_input(ms(now), Input::AppShown);
    }

    // ---- API calls: each returns the op id its output 3 will carry ----------------------

    pub fn login(&mut self, now: f64, user_id: String, user_name: String, token: String) -> u32 {
        self.call(
            now,
            Command::Login {
                user_id,
                user_name,
                token,
            },
        )
    }

    pub fn logout(&mut self, now: f64) -> u32 {
        self.call(now, Command::Logout)
    }

    #[wasm_bindgen(js_name = renewToken)]
    pub fn renew_token(&mut self, now: f64, token: String) -> u32 {
        self.call(now, Command::RenewToken { token })
    }

    /// `sendPeerMessage` / `sendRoomMessage` / `sendMessage`; text arrives as UTF-8 bytes.
    #[allow(clippy::too_many_arguments)]
    pub fn send(
        &mut self,
        now: f64,
        conversation_type: u8,
        to: String,
        message_type: u8,
        priority: u8,
        payload: Vec<u8>,
        extended_data: String,
    ) -> u32 {
        self.call(
            now,
            Command::SendMessage {
                conversation_type,
                to,
                message_type,
                priority,
                payload,
                extended_data,
            },
        )
    }

    /// Room calls: `kind` 0 create, 1 join, 2 enter, 3 leave, 4 online count.
    pub fn room(&mut self, now: f64, kind: u8, room_id: String, room_name: String) -> u32 {
        let cmd = match kind {
            0 => Command::CreateRoom { room_id, room_name },
            1 => Command::JoinRoom { room_id },
            2 => Command::EnterRoom { room_id, room_name },
            3 => Command::LeaveRoom { room_id },
            _ => Command::QueryRoomOnlineCount { room_id },
        };
        self.call(now, cmd)
    }

    pub fn members(&mut self, now: f64, room_id: String, next_flag: String, count: u32) -> u32 {
        self.call(
            now,
            Command::QueryRoomMembers {
                room_id,
                next_flag,
                count,
            },
        )
    }

    pub fn history(
        &mut self,
        now: f64,
        conversation_type: u8,
        conversation_id: String,
        anchor_order_key: f64,
        count: u32,
        reverse: bool,
    ) -> u32 {
        self.call(
            now,
            Command::QueryHistory {
                conversation_type,
                conversation_id,
                anchor_order_key: ms(anchor_order_key),
                count,
                reverse,
            },
        )
    }

    // ---- outputs ------------------------------------------------------------------------

    /// Everything the core wants done now, in order (see the module docs for the shapes).
    pub fn drain(&mut self) -> Array {
        let out = Array::new();
        while let Some(o) = self.client.poll_output() {
            out.push(&output(o));
        }
        out
    }

    /// When to call [`Core::tick`] next (`Date.now()` ms), or -1 for never.
    pub fn timeout(&self) -> f64 {
        match self.client.poll_timeout() {
            Some(t) => t as f64,
            None => -1.0,
        }
    }
}

impl Core {
    fn call(&mut self, now: f64, command: Command) -> u32 {
        self.client.call(ms(now), command)
    }
}
