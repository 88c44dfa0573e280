//! The rooms the user is in, as the client remembers them.
//!
//! Room membership is live-only and belongs to the session (docs/protocol.md): when the
//! connection drops, the server keeps the user in the room for a grace period and the
//! client re-sends `RoomEnter` for every room after it logs in again. The app meanwhile
//! sees ZIM's `roomStateChanged`: Connecting/NetworkInterrupted on the drop, then
//! Connected/Success once the room is re-entered.
//!
//! Rooms are entered by the session frames (`joinRoom`, and the re-enter after a login) and
//! by methods on the generic call path (`createRoom` and `enterRoom` with ZIM's advanced
//! config, `switchRoom`, `leaveAllRoom`): [`RoomCall`] says what such a method's answer
//! does to the rooms remembered here, read from its request and result by their shapes.

use tinyim_protocol::rpc;
use tinyim_protocol::value::{self, Value};
use tinyim_protocol::Body;

use crate::api::RoomEvent;

/// A method of the generic path that enters or leaves rooms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoomCall {
    Create,
    Enter,
    Switch,
    LeaveAll,
}

impl RoomCall {
    /// The room method `method` is, if it is one.
    pub(crate) fn of(method: u16) -> Option<RoomCall> {
        Some(match rpc::method(method)?.name {
            "createRoom" => RoomCall::Create,
            "enterRoom" => RoomCall::Enter,
            "switchRoom" => RoomCall::Switch,
            "leaveAllRoom" => RoomCall::LeaveAll,
            _ => return None,
        })
    }

    /// The room event of its success (`true`) or failure, for the room it enters.
    pub(crate) fn event(self, ok: bool) -> RoomEvent {
        match (self, ok) {
            (RoomCall::Create, true) => RoomEvent::ActiveCreate,
            (RoomCall::Create, false) => RoomEvent::CreateFailed,
            (RoomCall::Switch, true) => RoomEvent::ActiveSwitch,
            (RoomCall::Switch, false) => RoomEvent::SwitchFailed,
            (_, true) => RoomEvent::ActiveEnter,
            (_, false) => RoomEvent::EnterFailed,
        }
    }

    /// The request's field at `path` (Rust names), if `body` is a call of `method`.
    fn arg(body: &Body, path: &str) -> Option<String> {
        let Body::Call(c) = body else {
            return None;
        };
        let m = rpc::method(c.method)?;
        let args = value::decode_all(&c.args, m.request).ok()?;
        value::get(&args, m.request, path)?
            .as_str()
            .map(str::to_owned)
    }

    /// The room the request enters.
    pub(crate) fn target(self, body: &Body) -> Option<String> {
        match self {
            RoomCall::Switch => Self::arg(body, "to_room_info.room_id"),
            RoomCall::LeaveAll => None,
            _ => Self::arg(body, "room_info.room_id"),
        }
    }

    /// The room a switch leaves.
    pub(crate) fn source(self, body: &Body) -> Option<String> {
        match self {
            RoomCall::Switch => Self::arg(body, "from_room_id"),
            _ => None,
        }
    }
}

/// The room (ID, name) a room method's result names.
pub(crate) fn entered_room(method: u16, result: &Value) -> Option<(String, String)> {
    let shape = rpc::method(method)?.response;
    let field = |path| value::get(result, shape, path)?.as_str().map(str::to_owned);
    Some((
        field("room_info.base_info.room_id")?,
        field("room_info.base_info.room_name").unwrap_or_default(),
    ))
}

/// The rooms `leaveAllRoom`'s result lists.
pub(crate) fn left_rooms(method: u16, result: &Value) -> Vec<String> {
    let Some(m) = rpc::method(method) else {
        return Vec::new();
    };
    value::get(result, m.response, "room_ids")
        .map(|v| {
            v.items()
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// One room the user is in.
#[derive(Debug)]
pub(crate) struct Room {
    pub(crate) room_id: String,
    pub(crate) room_name: String,
    /// `false` between a connection drop and the successful re-enter.
    pub(crate) connected: bool,
}

/// The rooms the user is in.
#[derive(Debug, Default)]
pub(crate) struct Rooms {
    list: Vec<Room>,
}

impl Rooms {
    /// The user is (again) in `room_id`. Returns `true` if that changes the room's state
    /// (it was unknown or interrupted), i.e. if the app should hear about it.
    pub(crate) fn entered(&mut self, room_id: &str, room_name: &str) -> bool {
        match self.list.iter_mut().find(|r| r.room_id == room_id) {
            Some(r) => {
                let changed = !r.connected;
                r.connected = true;
                if !room_name.is_empty() {
                    r.room_name.clear();
                    r.room_name.push_str(room_name);
                }
                changed
            }
            None => {
                self.list.push(Room {
                    room_id: room_id.into(),
                    room_name: room_name.into(),
                    connected: true,
                });
                true
            }
        }
    }

    /// The user left `room_id`. Returns `true` if it was remembered.
    pub(crate) fn left(&mut self, room_id: &str) -> bool {
        let before = self.list.len();
        self.list.retain(|r| r.room_id != room_id);
        self.list.len() != before
    }

    /// The connection dropped: returns the rooms that were connected (now interrupted).
    pub(crate) fn interrupt(&mut self) -> Vec<String> {
        let mut ids = Vec::new();
        for r in &mut self.list {
            if r.connected {
                r.connected = false;
                ids.push(r.room_id.clone());
            }
        }
        ids
    }

    /// `room_id` is remembered but not (yet) re-entered after a connection drop.
    pub(crate) fn interrupted(&self, room_id: &str) -> bool {
        self.list
            .iter()
            .any(|r| r.room_id == room_id && !r.connected)
    }

    /// Every remembered room, for re-entering after a login.
    pub(crate) fn all(&self) -> &[Room] {
        &self.list
    }

    /// Forgets every room (the session ended); returns their IDs.
    pub(crate) fn clear(&mut self) -> Vec<String> {
        core::mem::take(&mut self.list)
            .into_iter()
            .map(|r| r.room_id)
            .collect()
    }
}
