//! Rooms (ZIM chatrooms): live-only membership held in memory, fan-out to current members.
//!
//! Nothing here is stored: a room exists while it has members, and its messages reach only
//! the members online when they are sent (docs/protocol.md "Rooms"). Membership belongs to the
//! user's session; when the connection drops the member stays for a grace period, so a client
//! that reconnects and re-sends `RoomEnter` keeps its place with no leave/join pushed. After
//! the grace period the member leaves and the others are told.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use tinyim_protocol::{code, Body, Frame, List, Message, RoomMembersChanged, RoomPush, User};

use crate::metrics::Metrics;
use crate::session::{Event, SessionLink};

/// How a session asks to be in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinMode {
    /// Fails with 6000323 if the room exists.
    Create,
    /// Fails with 6000322 if the room does not exist.
    Join,
    /// Creates the room if needed.
    Enter,
}

struct Member {
    user_name: String,
    /// `None` while the member's connection is gone (grace period).
    link: Option<SessionLink>,
    /// A fresh value from [`Rooms::generations`] on every join and disconnect, so a stale
    /// grace timer does nothing (not even one from an earlier membership of the same user).
    generation: u64,
}

struct Room {
    name: String,
    members: BTreeMap<String, Member>,
    last_order_key: u64,
}

/// All rooms of all apps, keyed by (app, room ID).
pub struct Rooms {
    rooms: Mutex<HashMap<(u32, String), Room>>,
    grace: Duration,
    metrics: Arc<Metrics>,
    /// Never repeats, unlike a per-member counter that restarts when the user leaves and
    /// joins again while an old grace timer is still pending.
    generations: AtomicU64,
}

impl Rooms {
    pub fn new(grace: Duration, metrics: Arc<Metrics>) -> Self {
        Rooms {
            rooms: Mutex::new(HashMap::new()),
            grace,
            metrics,
            generations: AtomicU64::new(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(u32, String), Room>> {
        self.rooms.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts `user` (on session `link`) in the room; returns the room's name.
    pub fn join(
        &self,
        app: u32,
        room_id: &str,
        room_name: &str,
        mode: JoinMode,
        user: &User,
        link: &SessionLink,
    ) -> Result<String, u32> {
        let mut rooms = self.lock();
        let key = (app, room_id.to_owned());
        let exists = rooms.contains_key(&key);
        match mode {
            JoinMode::Create if exists => return Err(code::ROOM_ALREADY_EXISTS),
            JoinMode::Join if !exists => return Err(code::ROOM_DOES_NOT_EXIST),
            _ => {}
        }
        let room = rooms.entry(key).or_insert_with(|| Room {
            name: if room_name.is_empty() {
                room_id.to_owned()
            } else {
                room_name.to_owned()
            },
            members: BTreeMap::new(),
            last_order_key: 0,
        });
        if let Some(m) = room.members.get_mut(&user.user_id) {
            // Back within the grace period, or a repeated enter: no push.
            m.link = Some(link.clone());
            m.generation = self.generations.fetch_add(1, Relaxed);
            m.user_name = user.user_name.clone();
        } else {
            room.members.insert(
                user.user_id.clone(),
                Member {
                    user_name: user.user_name.clone(),
                    link: Some(link.clone()),
                    generation: self.generations.fetch_add(1, Relaxed),
                },
            );
            self.push_members_changed(room_id, room, &user.user_id, true, user);
        }
        Ok(room.name.clone())
    }

    /// Takes `user` out of the room (6000321 if not a member); deletes an empty room.
    pub fn leave(&self, app: u32, room_id: &str, user_id: &str) -> Result<(), u32> {
        let mut rooms = self.lock();
        let key = (app, room_id.to_owned());
        let Some(room) = rooms.get_mut(&key) else {
            return Err(code::USER_NOT_IN_ROOM);
        };
        let Some(member) = room.members.remove(user_id) else {
            return Err(code::USER_NOT_IN_ROOM);
        };
        let user = User {
            user_id: user_id.to_owned(),
            user_name: member.user_name,
        };
        self.push_members_changed(room_id, room, user_id, false, &user);
        if room.members.is_empty() {
            rooms.remove(&key);
        }
        Ok(())
    }

    /// The session `session_id` of `user_id` ended: each room it is in keeps it for the
    /// grace period, then it leaves.
    pub fn disconnected(
        self: &Arc<Self>,
        app: u32,
        user_id: &str,
        session_id: u64,
        room_ids: &[String],
    ) {
        let mut timers = Vec::new();
        {
            let mut rooms = self.lock();
            for room_id in room_ids {
                let Some(room) = rooms.get_mut(&(app, room_id.clone())) else {
                    continue;
                };
                let Some(m) = room.members.get_mut(user_id) else {
                    continue;
                };
                if m.link.as_ref().is_some_and(|l| l.id == session_id) {
                    m.link = None;
                    m.generation = self.generations.fetch_add(1, Relaxed);
                    timers.push((room_id.clone(), m.generation));
                }
            }
        }
        for (room_id, generation) in timers {
            let rooms = Arc::clone(self);
            let user_id = user_id.to_owned();
            let grace = self.grace;
            tokio::spawn(async move {
                tokio::time::sleep(grace).await;
                rooms.expire(app, &room_id, &user_id, generation);
            });
        }
    }

    fn expire(&self, app: u32, room_id: &str, user_id: &str, generation: u64) {
        let still_gone = {
            let rooms = self.lock();
            rooms
                .get(&(app, room_id.to_owned()))
                .and_then(|r| r.members.get(user_id))
                .is_some_and(|m| m.link.is_none() && m.generation == generation)
        };
        if still_gone {
            tracing::info!(
                app,
                room_id,
                user_id,
                "room: grace period over, member left"
            );
            let _ = self.leave(app, room_id, user_id);
        }
    }

    /// Fans a message out to the room's other members. `build` makes the message from its
    /// order key. Only members may send (6000321; 6000322 if there is no such room).
    pub fn send(
        &self,
        app: u32,
        room_id: &str,
        sender: &str,
        build: impl FnOnce(u64) -> Message,
    ) -> Result<Message, u32> {
        let mut rooms = self.lock();
        let Some(room) = rooms.get_mut(&(app, room_id.to_owned())) else {
            return Err(code::ROOM_DOES_NOT_EXIST);
        };
        if !room.members.contains_key(sender) {
            return Err(code::USER_NOT_IN_ROOM);
        }
        room.last_order_key += 1;
        let message = build(room.last_order_key);
        let frame = Bytes::from(
            Frame::new(
                0,
                Body::RoomPush(RoomPush {
                    message: message.clone(),
                }),
            )
            .encode(),
        );
        for (id, m) in &room.members {
            if id == sender {
                continue;
            }
            if let Some(link) = &m.link {
                if link.offer(Event::Frame(frame.clone())) {
                    self.metrics.pushes_room.fetch_add(1, Relaxed);
                }
            }
        }
        Ok(message)
    }

    /// One page of members after `next_flag` (a user ID; "" = from the start), at most
    /// `count`; the returned flag is "" on the last page.
    pub fn members_page(
        &self,
        app: u32,
        room_id: &str,
        next_flag: &str,
        count: usize,
    ) -> Result<(Vec<User>, String), u32> {
        let rooms = self.lock();
        let Some(room) = rooms.get(&(app, room_id.to_owned())) else {
            return Err(code::ROOM_DOES_NOT_EXIST);
        };
        let iter: Box<dyn Iterator<Item = (&String, &Member)>> = if next_flag.is_empty() {
            Box::new(room.members.iter())
        } else {
            Box::new(room.members.range::<str, _>((
                std::ops::Bound::Excluded(next_flag),
                std::ops::Bound::Unbounded,
            )))
        };
        let mut page: Vec<User> = Vec::new();
        let mut more = false;
        for (id, m) in iter {
            if page.len() == count {
                more = true;
                break;
            }
            page.push(User {
                user_id: id.clone(),
                user_name: m.user_name.clone(),
            });
        }
        let flag = if more {
            page.last().map(|u| u.user_id.clone()).unwrap_or_default()
        } else {
            String::new()
        };
        Ok((page, flag))
    }

    /// Members of the room (6000322 if it does not exist).
    pub fn count(&self, app: u32, room_id: &str) -> Result<u32, u32> {
        let rooms = self.lock();
        rooms
            .get(&(app, room_id.to_owned()))
            .map(|r| r.members.len() as u32)
            .ok_or(code::ROOM_DOES_NOT_EXIST)
    }

    fn push_members_changed(
        &self,
        room_id: &str,
        room: &Room,
        except: &str,
        joined: bool,
        user: &User,
    ) {
        let frame = Bytes::from(
            Frame::new(
                0,
                Body::RoomMembersChanged(RoomMembersChanged {
                    room_id: room_id.to_owned(),
                    joined,
                    members: List::from(vec![user.clone()]),
                }),
            )
            .encode(),
        );
        for (id, m) in &room.members {
            if id == except {
                continue;
            }
            if let Some(link) = &m.link {
                if link.offer(Event::Frame(frame.clone())) {
                    self.metrics.pushes_members.fetch_add(1, Relaxed);
                }
            }
        }
    }
}
