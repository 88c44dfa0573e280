//! The rooms the user is in, as the client remembers them.
//!
//! Room membership is live-only and belongs to the session (docs/protocol.md): when the
//! connection drops, the server keeps the user in the room for a grace period and the
//! client re-sends `RoomEnter` for every room after it logs in again. The app meanwhile
//! sees ZIM's `roomStateChanged`: Connecting/NetworkInterrupted on the drop, then
//! Connected/Success once the room is re-entered.

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
