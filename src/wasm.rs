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
//! | 5 | `hex` | keep this (the local store, [`Output::SaveLocal`]) for the logged-in user |
//!
//! Replies: 0 done; 1 `tokenExpire`; 2 `message`; 3 `roomID, roomName`; 4 `roomID`;
//! 5 `roomID, members, nextFlag`; 6 `roomID, count`; 7 `conversationType, conversationID,
//! messages`; 8 `result` (a method's, see below). Events: 0 `state, event`; 1 `second`;
//! 2 `fromUserID, messages, offline`; 3 `roomID, messages`; 4 `roomID, state, event`;
//! 5 `roomID, members` (joined); 6 `roomID, members` (left); 7 `code, message`;
//! 8 `noticeName, data`.
//! A message is a ZIM message object (`ZIMMessage` or its type's subtype, built by
//! [`message`] alone; u64 IDs as decimal strings); a member is `[userID, userName]`.
//!
//! ZIM's request/response methods ([`tinyim_protocol::rpc`]) cross as objects with ZIM's
//! names, converted by walking the method's shapes ([`to_value`], [`to_js`]): `call(now,
//! name, args)` reads the request struct's fields from `args` by their ZIM names, and the
//! method's result (reply 8) and a notice's data (event 8) arrive as the objects the app's
//! Promise or callback gets. So a new method needs no code here.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use tinyim_protocol::shape::{Shape, Struct};
use tinyim_protocol::{rpc, value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{
    Client, Command, Config, Event, Input, Message, MessageExt, Output, Reply, User, Value,
};

/// Bytes as lowercase hex (the host keeps the local store as a string).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// The bytes of a hex string (stopping at the first non-hex pair).
fn unhex(text: &str) -> Vec<u8> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.as_bytes()
        .chunks_exact(2)
        .map_while(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

// One tinyim client instance for JS. Times are `Date.now()` milliseconds (as `f64`).
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

/// Sets `key` on `obj` (an object the binding just made: it cannot throw).
fn set(obj: &Object, key: &JsValue, value: &JsValue) {
    let _ = Reflect::set(obj, key, value);
}

thread_local! {
    /// JS property names, made once per name (a string crossing into JS is decoded in JS
    /// each time, which costs on a phone without JIT), sorted by the address of the static
    /// string they are made from: struct field names, and this file's literals. (Sorted
    /// `Vec`s, not maps: a fraction of the wasm bytes.)
    static FIELD_KEYS: RefCell<Vec<(usize, JsValue)>> = const { RefCell::new(Vec::new()) };
    static LITERAL_KEYS: RefCell<Vec<(usize, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// The cached JS string for the static at `address` in `cache`, made by `make` the first
/// time.
fn cached(
    cache: &'static std::thread::LocalKey<RefCell<Vec<(usize, JsValue)>>>,
    address: usize,
    make: impl FnOnce() -> JsValue,
) -> JsValue {
    cache.with(|keys| {
        let mut keys = keys.borrow_mut();
        match keys.binary_search_by_key(&address, |(a, _)| *a) {
            Ok(i) => keys[i].1.clone(),
            Err(i) => {
                let v = make();
                keys.insert(i, (address, v.clone()));
                v
            }
        }
    })
}

/// The JS property name of field `i` of `st`, cached by the address of its name (equal
/// addresses hold equal names: see [`Struct::token`]).
fn field_key(st: &'static Struct, i: usize) -> JsValue {
    cached(&FIELD_KEYS, st.token(i).as_ptr() as usize, || {
        s(&st.js_name(i))
    })
}

/// The JS property name `name` (a literal of this file), cached by its address.
fn key(name: &'static str) -> JsValue {
    cached(&LITERAL_KEYS, name.as_ptr() as usize, || s(name))
}

/// The payload of a message as ZIM shows it: a string for text-like types, bytes for
/// command messages.
fn payload(m: &Message) -> JsValue {
    if m.message_type == tinyim_protocol::message_type::COMMAND {
        Uint8Array::from(&m.payload[..]).into()
    } else {
        s(&String::from_utf8_lossy(&m.payload))
    }
}

/// Who is looking: the logged-in user, and this device's local store (local extended data,
/// inserted messages).
struct View<'a> {
    me: &'a str,
    local: &'a crate::local::Local,
}

/// A ZIM message object (`ZIMMessage`, or the type's subtype) as `view` sees it.
fn message(m: &Message, view: &View) -> JsValue {
    use tinyim_protocol::message_type::{self, CUSTOM, REVOKE};
    let o = Object::new();
    let order = n(m.order_key as f64);
    let ext = m.ext.clone().unwrap_or_default();
    let key_id = if m.message_id != 0 {
        m.message_id
    } else {
        m.client_message_id
    };
    for (k, v) in [
        ("type", n(m.message_type)),
        ("messageID", id(m.message_id)),
        ("localMessageID", id(m.client_message_id)),
        ("messageSeq", order.clone()),
        ("conversationSeq", order.clone()),
        ("senderUserID", s(&m.sender_id)),
        ("conversationID", s(&m.conversation_id)),
        ("conversationType", n(m.conversation_type)),
        ("direction", n(u8::from(m.sender_id != view.me))),
        ("sentStatus", n(1)),
        ("timestamp", n(m.timestamp as f64)),
        ("orderKey", order),
        ("priority", n(m.priority)),
        ("isUserInserted", JsValue::from_bool(view.local.inserted(m))),
        ("receiptStatus", n(ext.receipt_status)),
        (
            "editorUserID",
            s(if ext.edited_time != 0 {
                &m.sender_id
            } else {
                ""
            }),
        ),
        ("editedTime", n(ext.edited_time as f64)),
        ("extendedData", s(&m.extended_data)),
        ("localExtendedData", s(view.local.extended(key_id))),
    ] {
        set(&o, &key(k), &v);
    }
    let extra: &[(&'static str, JsValue)] = &match m.message_type {
        REVOKE => vec![
            ("revokeType", n(0)),
            ("revokeStatus", n(0)),
            ("revokeTimestamp", n(ext.revoke_time as f64)),
            ("operatedUserID", s(&ext.operated_user_id)),
            ("originalMessageType", n(ext.original_message_type)),
            ("originalTextMessageContent", payload(m)),
            ("revokeExtendedData", s(&ext.revoke_extended_data)),
        ],
        CUSTOM => vec![
            ("message", payload(m)),
            ("subType", n(ext.sub_type)),
            ("searchedContent", s(&ext.searched_content)),
        ],
        k if message_type::is_media(k) => vec![],
        _ => vec![("message", payload(m))],
    };
    for (k, v) in extra {
        set(&o, &key(k), v);
    }
    if message_type::is_media(m.message_type) {
        // A media message's fields are its payload ([`tinyim_protocol::Media`]), by ZIM's
        // names; a stored payload always decodes (the server checked it).
        if let (Ok(Value::Struct(values)), Shape::Struct(st)) =
            (value::decode_all(&m.payload, &MEDIA), &MEDIA)
        {
            for (i, (shape, x)) in st.fields.iter().zip(&values).enumerate() {
                set(&o, &field_key(st, i), &to_js(x, shape, view));
            }
        }
    }
    o.into()
}

/// The shape of a media message's payload.
const MEDIA: Shape = <tinyim_protocol::Media as tinyim_protocol::codec::Wire>::SHAPE;

/// `js` (the app's argument) read as a value of `shape`: struct fields by their ZIM names,
/// scalars by their JS type. Checking is the core's (an unfit value fails there with
/// 6000001 naming the field), so this only maps JS onto values.
fn to_value(js: &JsValue, shape: &'static Shape) -> Value {
    if js.is_undefined() || js.is_null() {
        return Value::Nil;
    }
    match shape {
        Shape::Option(inner) => return to_value(js, inner),
        Shape::Struct(st) => {
            if !js.is_object() {
                return Value::Invalid;
            }
            return Value::Struct(
                st.fields
                    .iter()
                    .enumerate()
                    .map(|(i, shape)| {
                        let v = Reflect::get(js, &field_key(st, i)).unwrap_or(JsValue::UNDEFINED);
                        to_value(&v, shape)
                    })
                    .collect(),
            );
        }
        Shape::List(item) => {
            return match js.dyn_ref::<Array>() {
                Some(a) => Value::List(a.iter().map(|x| to_value(&x, item)).collect()),
                None => Value::Invalid,
            }
        }
        Shape::Map => {
            if !js.is_object() {
                return Value::Invalid;
            }
            let mut pairs = Vec::new();
            for entry in Object::entries(js.unchecked_ref()).iter() {
                let entry: Array = entry.unchecked_into();
                match (entry.get(0).as_string(), entry.get(1).as_string()) {
                    (Some(k), Some(v)) => pairs.push((k, v)),
                    _ => return Value::Invalid,
                }
            }
            return Value::Map(pairs);
        }
        _ => {}
    }
    if let Some(b) = js.as_bool() {
        Value::Bool(b)
    } else if let Some(x) = js.as_f64() {
        Value::Num(x)
    } else if let Some(v) = js.as_string() {
        Value::Str(v)
    } else if let Some(bytes) = js.dyn_ref::<Uint8Array>() {
        Value::Bytes(bytes.to_vec())
    } else {
        Value::Invalid
    }
}

/// `v` (decoded from the server by `shape`) as the JS value ZIM's API gives the app; a
/// struct without fields (ZIM's `Promise<void>`) is `undefined`.
fn to_js(v: &Value, shape: &'static Shape, me: &View) -> JsValue {
    match (shape, v) {
        (Shape::Option(_), Value::Nil) => JsValue::NULL,
        (Shape::Option(inner), v) => to_js(v, inner, me),
        (Shape::Struct(st), _) if st.fields.is_empty() => JsValue::UNDEFINED,
        (Shape::Struct(st), Value::Struct(values)) => {
            let o = Object::new();
            for (i, (shape, x)) in st.fields.iter().zip(values).enumerate() {
                set(&o, &field_key(st, i), &to_js(x, shape, me));
            }
            o.into()
        }
        (Shape::List(item), Value::List(items)) => {
            let a = Array::new();
            for x in items {
                a.push(&to_js(x, item, me));
            }
            a.into()
        }
        (_, Value::Map(pairs)) => {
            let o = Object::new();
            for (k, x) in pairs {
                set(&o, &s(k), &s(x));
            }
            o.into()
        }
        (Shape::Id, Value::Uint(x)) => id(*x),
        (_, Value::Uint(x)) => n(*x as f64),
        (_, Value::Int(x)) => n(*x as f64),
        (_, Value::Num(x)) => n(*x),
        (_, Value::Bool(b)) => JsValue::from_bool(*b),
        (_, Value::Str(x)) => s(x),
        (_, Value::Bytes(b)) => Uint8Array::from(&b[..]).into(),
        (_, Value::Message(m)) => message(m, me),
        (_, Value::Nil | Value::List(_) | Value::Struct(_) | Value::Invalid) => JsValue::UNDEFINED,
    }
}

fn messages(list: &[Message], me: &View) -> JsValue {
    let a = Array::new();
    for m in list {
        a.push(&message(m, me));
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

fn reply(r: &Reply, me: &View) -> Vec<JsValue> {
    match r {
        Reply::Done => vec![n(0)],
        Reply::TokenRenewed { token_expire } => vec![n(1), n(*token_expire as f64)],
        Reply::Sent(m) => vec![n(2), message(m, me)],
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
            messages(list, me),
        ],
        Reply::Call { method, value } => match rpc::method(*method) {
            Some(m) => vec![n(8), to_js(value, m.response, me)],
            None => vec![n(8), JsValue::UNDEFINED],
        },
    }
}

fn event(e: &Event, me: &View) -> Vec<JsValue> {
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
            messages(list, me),
            JsValue::from_bool(*offline),
        ],
        Event::RoomMessages {
            room_id,
            messages: list,
        } => vec![n(3), s(room_id), messages(list, me)],
        Event::GroupMessages {
            group_id,
            messages: list,
            offline,
        } => vec![
            n(9),
            s(group_id),
            messages(list, me),
            JsValue::from_bool(*offline),
        ],
        Event::RoomStateChanged {
            room_id,
            state,
            event,
        } => vec![n(4), s(room_id), n(*state as u8), n(*event as u8)],
        Event::RoomMemberJoined { room_id, members } => vec![n(5), s(room_id), users(members)],
        Event::RoomMemberLeft { room_id, members } => vec![n(6), s(room_id), users(members)],
        Event::Error(err) => vec![n(7), n(err.code), s(&err.message)],
        Event::Notice { notice, value } => match rpc::notice(*notice) {
            Some(kind) => vec![n(8), s(kind.name), to_js(value, kind.shape, me)],
            None => vec![n(8), s(""), JsValue::UNDEFINED],
        },
    }
}

fn output(o: Output, me: &View) -> JsValue {
    let v = match o {
        Output::Connect { url } => vec![n(0), s(&url)],
        Output::Transmit(bytes) => vec![n(1), Uint8Array::from(&bytes[..]).into()],
        Output::Disconnect => vec![n(2)],
        Output::Completed { op, result } => {
            let mut v = vec![n(3), n(op)];
            match result {
                Ok(r) => {
                    v.push(n(0));
                    v.extend(reply(&r, me));
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
            v.extend(event(&e, me));
            v
        }
        Output::SaveLocal(bytes) => vec![n(5), s(&hex(&bytes))],
    };
    arr(&v)
}

// The exported methods' docs are `//` comments, not `///`: wasm-bindgen copies doc comments
// into the generated JS, which ships in the mini program's code package.
#[wasm_bindgen]
impl Core {
    // A client for app `app_id` talking to `server_url`; `seed` (any number) seeds jitter
    // and local message IDs.
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

    // The timer armed for [`Core::timeout`] fired (spurious wake-ups are fine).
    pub fn tick(&mut self, now: f64) {
        self.client.handle_input(ms(now), Input::Timeout);
    }

    // The WebSocket asked for by output 0 is open.
    pub fn opened(&mut self, now: f64) {
        self.client.handle_input(ms(now), Input::TransportOpened);
    }

    // The WebSocket closed or failed to open (`code` 1006 when the platform gives none).
    pub fn closed(&mut self, now: f64, code: u16) {
        self.client
            .handle_input(ms(now), Input::TransportClosed { code });
    }

    // One binary WebSocket message arrived.
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

    // `saved`: what output 5 last gave the host for this user (hex; "" for nothing).
    pub fn login(
        &mut self,
        now: f64,
        user_id: String,
        user_name: String,
        token: String,
        saved: &str,
    ) -> u32 {
        if !saved.is_empty() {
            self.client.restore_local(&user_id, &unhex(saved));
        }
        self.call_command(
            now,
            Command::Login {
                user_id,
                user_name,
                token,
            },
        )
    }

    pub fn logout(&mut self, now: f64) -> u32 {
        self.call_command(now, Command::Logout)
    }

    #[wasm_bindgen(js_name = renewToken)]
    pub fn renew_token(&mut self, now: f64, token: String) -> u32 {
        self.call_command(now, Command::RenewToken { token })
    }

    // `sendPeerMessage` / `sendRoomMessage` / `sendMessage`; text arrives as UTF-8 bytes, a
    // media message (11-14) as the message object, its fields encoded here as a `Media` (a
    // field of the wrong type leaves the payload empty, which the send's check refuses).
    // `receipt`: the config's `hasReceipt`; `sub_type` / `searched`: a custom message's.
    // Returns `[op, localMessageID]`.
    #[allow(clippy::too_many_arguments)]
    pub fn send(
        &mut self,
        now: f64,
        conversation_type: u8,
        to: String,
        message_type: u8,
        priority: u8,
        payload: JsValue,
        extended_data: String,
        receipt: bool,
        sub_type: u32,
        searched: String,
    ) -> JsValue {
        let payload = match payload.dyn_ref::<Uint8Array>() {
            Some(bytes) => bytes.to_vec(),
            None => {
                let mut out = Vec::new();
                let _ = value::encode(&to_value(&payload, &MEDIA), &MEDIA, &mut out);
                out
            }
        };
        let ext = (receipt || sub_type != 0 || !searched.is_empty()).then(|| MessageExt {
            receipt_status: u8::from(receipt),
            sub_type,
            searched_content: searched,
            ..MessageExt::default()
        });
        let op = self.call_command(
            now,
            Command::SendMessage {
                conversation_type,
                to,
                message_type,
                priority,
                payload,
                extended_data,
                ext,
            },
        );
        arr(&[n(op), id(self.client.last_local_id())])
    }

    // Room calls: `kind` 0 create, 1 join, 2 enter, 3 leave, 4 online count.
    pub fn room(&mut self, now: f64, kind: u8, room_id: String, room_name: String) -> u32 {
        let cmd = match kind {
            0 => Command::CreateRoom { room_id, room_name },
            1 => Command::JoinRoom { room_id },
            2 => Command::EnterRoom { room_id, room_name },
            3 => Command::LeaveRoom { room_id },
            _ => Command::QueryRoomOnlineCount { room_id },
        };
        self.call_command(now, cmd)
    }

    pub fn members(&mut self, now: f64, room_id: String, next_flag: String, count: u32) -> u32 {
        self.call_command(
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
        self.call_command(
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

    // One of ZIM's request/response methods by its ZIM name (`updateUserName`), with its
    // arguments as an object of the request struct's fields (ZIM names).
    pub fn call(&mut self, now: f64, name: &str, args: JsValue) -> u32 {
        let (method, args) = match rpc::method_named(name) {
            Some(m) => (m.id, to_value(&args, m.request)),
            None => (0, Value::Nil),
        };
        self.call_command(now, Command::Call { method, args })
    }

    // ---- outputs ------------------------------------------------------------------------

    // Everything the core wants done now, in order (see the module docs for the shapes).
    pub fn drain(&mut self) -> Array {
        let out = Array::new();
        while let Some(o) = self.client.poll_output() {
            let view = View {
                me: self.client.user_id().unwrap_or_default(),
                local: self.client.local(),
            };
            out.push(&output(o, &view));
        }
        out
    }

    // When to call [`Core::tick`] next (`Date.now()` ms), or -1 for never.
    pub fn timeout(&self) -> f64 {
        match self.client.poll_timeout() {
            Some(t) => t as f64,
            None => -1.0,
        }
    }
}

impl Core {
    fn call_command(&mut self, now: f64, command: Command) -> u32 {
        self.client.call(ms(now), command)
    }
}
