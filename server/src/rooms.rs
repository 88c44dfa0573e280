//! Rooms (ZIM chatrooms): live-only membership held in memory, fan-out to current members.
//!
//! Nothing here is stored: a room exists while it has members (and for its destroy delay
//! after the last one leaves, if it was created with one), and its messages reach only the
//! members online when they are sent (docs/protocol.md "Rooms"). Membership belongs to the
//! user's session; when the connection drops the member stays for a grace period, so a client
//! that reconnects and re-sends `RoomEnter` keeps its place with no leave/join pushed. After
//! the grace period the member leaves and the others are told. A room's attributes and its
//! members' attributes ([`crate::room_attributes`]) live with it and go when it is destroyed,
//! as ZIM's do; their changes reach the members as notices.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use bytes::Bytes;
use tinyim_protocol::areas::{
    room_attributes_action, Attributes, RoomAdvancedConfig, RoomAttributesUpdateInfo,
    RoomAttributesUpdated, RoomMemberAttributesInfo, RoomMemberAttributesUpdateInfo,
    RoomMemberAttributesUpdated, RoomOperatedInfo,
};
use tinyim_protocol::rpc::Notice;
use tinyim_protocol::{code, Body, Frame, List, Message, RoomMembersChanged, RoomPush, User};

use crate::metrics::Metrics;
use crate::room_attributes::{Change, MemberAttributes, MembersSet, RoomAttributes};
use crate::session::{Event, SessionLink};

/// Longest `roomDestroyDelayTime` (ZIM's: 3 hours), in seconds.
const MAX_DESTROY_DELAY_SECS: u32 = 3 * 3600;

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
    attributes: RoomAttributes,
    member_attributes: MemberAttributes,
    /// How long the room outlives its last member (ZIM's `roomDestroyDelayTime`).
    destroy_delay: Duration,
    /// While the room is empty and waits out its destroy delay: the generation its
    /// destroy timer must find (a member coming back clears it).
    vacated: Option<u64>,
}

/// Every room of every app, and who is in which.
#[derive(Default)]
struct State {
    rooms: HashMap<(u32, String), Room>,
    /// The rooms each (app, user) is a member of: for a session's end and `leaveAllRoom`.
    joined: HashMap<(u32, String), BTreeSet<String>>,
}

/// All rooms of all apps, keyed by (app, room ID).
pub struct Rooms {
    state: Mutex<State>,
    grace: Duration,
    metrics: Arc<Metrics>,
    /// Never repeats, unlike a per-member counter that restarts when the user leaves and
    /// joins again while an old grace timer is still pending.
    generations: AtomicU64,
    /// Itself, for the timers it starts (grace periods, destroy delays).
    me: Weak<Rooms>,
}

/// Whoever joins: the user and the session they join on.
pub struct Joiner<'a> {
    pub user: &'a User,
    pub link: &'a SessionLink,
}

impl Rooms {
    pub fn new(grace: Duration, metrics: Arc<Metrics>) -> Arc<Self> {
        Arc::new_cyclic(|me| Rooms {
            state: Mutex::new(State::default()),
            grace,
            metrics,
            generations: AtomicU64::new(1),
            me: me.clone(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn generation(&self) -> u64 {
        self.generations.fetch_add(1, Relaxed)
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
        self.enter(app, room_id, room_name, mode, None, Joiner { user, link })
    }

    /// [`Rooms::join`] with ZIM's advanced config, which counts if this creates the room:
    /// its attributes (owned by the creator) and its destroy delay.
    pub fn enter(
        &self,
        app: u32,
        room_id: &str,
        room_name: &str,
        mode: JoinMode,
        config: Option<&RoomAdvancedConfig>,
        who: Joiner<'_>,
    ) -> Result<String, u32> {
        let mut state = self.lock();
        let key = (app, room_id.to_owned());
        let exists = state.rooms.contains_key(&key);
        match mode {
            JoinMode::Create if exists => return Err(code::ROOM_ALREADY_EXISTS),
            JoinMode::Join if !exists => return Err(code::ROOM_DOES_NOT_EXIST),
            _ => {}
        }
        if !exists {
            let (attributes, delay) = match config {
                Some(c) if c.room_destroy_delay_time > MAX_DESTROY_DELAY_SECS => {
                    return Err(code::PARAMS_INVALID)
                }
                Some(c) => (
                    RoomAttributes::created(&c.room_attributes, &who.user.user_id)?,
                    Duration::from_secs(u64::from(c.room_destroy_delay_time)),
                ),
                None => (RoomAttributes::default(), Duration::ZERO),
            };
            state.rooms.insert(
                key.clone(),
                Room {
                    name: if room_name.is_empty() {
                        room_id.to_owned()
                    } else {
                        room_name.to_owned()
                    },
                    members: BTreeMap::new(),
                    last_order_key: 0,
                    attributes,
                    member_attributes: MemberAttributes::default(),
                    destroy_delay: delay,
                    vacated: None,
                },
            );
        }
        let generation = self.generation();
        let user = who.user;
        let Some(room) = state.rooms.get_mut(&key) else {
            return Err(code::ROOM_DOES_NOT_EXIST);
        };
        room.vacated = None;
        if let Some(m) = room.members.get_mut(&user.user_id) {
            // Back within the grace period, or a repeated enter: no push.
            m.link = Some(who.link.clone());
            m.generation = generation;
            m.user_name = user.user_name.clone();
        } else {
            room.members.insert(
                user.user_id.clone(),
                Member {
                    user_name: user.user_name.clone(),
                    link: Some(who.link.clone()),
                    generation,
                },
            );
            self.push_members_changed(room_id, room, &user.user_id, true, user);
        }
        let name = room.name.clone();
        state
            .joined
            .entry((app, user.user_id.clone()))
            .or_default()
            .insert(room_id.to_owned());
        Ok(name)
    }

    /// Takes `user` out of the room (6000321 if not a member); an empty room is destroyed
    /// (after its destroy delay, if it has one).
    pub fn leave(&self, app: u32, room_id: &str, user_id: &str) -> Result<(), u32> {
        let mut state = self.lock();
        self.remove_member(&mut state, app, room_id, user_id)
    }

    /// Takes `user` out of every room they are in; returns those rooms.
    pub fn leave_all(&self, app: u32, user_id: &str) -> Vec<String> {
        let mut state = self.lock();
        let rooms: Vec<String> = state
            .joined
            .get(&(app, user_id.to_owned()))
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default();
        for room_id in &rooms {
            let _ = self.remove_member(&mut state, app, room_id, user_id);
        }
        rooms
    }

    /// ZIM's `switchRoom`: into `to` (created if `create`, else it must exist), out of
    /// `from` (which the user must be in). Nothing changes if either check fails.
    pub fn switch(
        &self,
        app: u32,
        from: &str,
        to: (&str, &str),
        create: bool,
        config: Option<&RoomAdvancedConfig>,
        who: Joiner<'_>,
    ) -> Result<String, u32> {
        let user_id = &who.user.user_id;
        {
            let state = self.lock();
            let in_from = state
                .rooms
                .get(&(app, from.to_owned()))
                .is_some_and(|r| r.members.contains_key(user_id));
            if !in_from {
                return Err(code::USER_NOT_IN_ROOM);
            }
        }
        let mode = if create {
            JoinMode::Enter
        } else {
            JoinMode::Join
        };
        let name = self.enter(app, to.0, to.1, mode, config, who)?;
        if from != to.0 {
            let _ = self.leave(app, from, user_id);
        }
        Ok(name)
    }

    /// Removes a member, tells the others, drops what the member's leaving deletes, and
    /// destroys (or schedules the destruction of) a room left empty.
    fn remove_member(
        &self,
        state: &mut State,
        app: u32,
        room_id: &str,
        user_id: &str,
    ) -> Result<(), u32> {
        let key = (app, room_id.to_owned());
        let Some(room) = state.rooms.get_mut(&key) else {
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
        let gone = room.attributes.owner_left(user_id);
        room.member_attributes.member_left(user_id);
        if !gone.is_empty() && !room.members.is_empty() {
            let notice = attributes_notice(
                room_id,
                &Change {
                    deleted: gone,
                    ..Change::default()
                },
                false,
            );
            self.notify_members(room, &notice);
        }
        if room.members.is_empty() {
            if room.destroy_delay.is_zero() {
                state.rooms.remove(&key);
            } else {
                let generation = self.generation();
                room.vacated = Some(generation);
                let delay = room.destroy_delay;
                let rooms = self.me.clone();
                let room_id = room_id.to_owned();
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    if let Some(rooms) = rooms.upgrade() {
                        rooms.destroy_if_vacant(app, &room_id, generation);
                    }
                });
            }
        }
        let user_key = (app, user_id.to_owned());
        if let Some(joined) = state.joined.get_mut(&user_key) {
            joined.remove(room_id);
            if joined.is_empty() {
                state.joined.remove(&user_key);
            }
        }
        Ok(())
    }

    fn destroy_if_vacant(&self, app: u32, room_id: &str, generation: u64) {
        let mut state = self.lock();
        let key = (app, room_id.to_owned());
        if state
            .rooms
            .get(&key)
            .is_some_and(|r| r.members.is_empty() && r.vacated == Some(generation))
        {
            tracing::info!(app, room_id, "room: destroy delay over, room destroyed");
            state.rooms.remove(&key);
        }
    }

    /// The session `session_id` of `user_id` ended: each room it is in keeps it for the
    /// grace period, then it leaves.
    pub fn disconnected(&self, app: u32, user_id: &str, session_id: u64) {
        let mut timers = Vec::new();
        {
            let mut state = self.lock();
            let state = &mut *state;
            let Some(joined) = state.joined.get(&(app, user_id.to_owned())) else {
                return;
            };
            for room_id in joined {
                let Some(room) = state.rooms.get_mut(&(app, room_id.clone())) else {
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
            let rooms = self.me.clone();
            let user_id = user_id.to_owned();
            let grace = self.grace;
            tokio::spawn(async move {
                tokio::time::sleep(grace).await;
                if let Some(rooms) = rooms.upgrade() {
                    rooms.expire(app, &room_id, &user_id, generation);
                }
            });
        }
    }

    fn expire(&self, app: u32, room_id: &str, user_id: &str, generation: u64) {
        let mut state = self.lock();
        let still_gone = state
            .rooms
            .get(&(app, room_id.to_owned()))
            .and_then(|r| r.members.get(user_id))
            .is_some_and(|m| m.link.is_none() && m.generation == generation);
        if still_gone {
            tracing::info!(
                app,
                room_id,
                user_id,
                "room: grace period over, member left"
            );
            let _ = self.remove_member(&mut state, app, room_id, user_id);
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
        let mut state = self.lock();
        let Some(room) = state.rooms.get_mut(&(app, room_id.to_owned())) else {
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
        let state = self.lock();
        let Some(room) = state.rooms.get(&(app, room_id.to_owned())) else {
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
        self.lock()
            .rooms
            .get(&(app, room_id.to_owned()))
            .map(|r| r.members.len() as u32)
            .ok_or(code::ROOM_DOES_NOT_EXIST)
    }

    /// Runs `f` on the room `room_id` if `caller` is in it (6000322: no such room; 6000321:
    /// not a member).
    fn in_room<T>(
        &self,
        app: u32,
        room_id: &str,
        caller: &str,
        f: impl FnOnce(&mut Room) -> Result<T, u32>,
    ) -> Result<T, u32> {
        let mut state = self.lock();
        let room = state
            .rooms
            .get_mut(&(app, room_id.to_owned()))
            .ok_or(code::ROOM_DOES_NOT_EXIST)?;
        if !room.members.contains_key(caller) {
            return Err(code::USER_NOT_IN_ROOM);
        }
        f(room)
    }

    /// Those of `users` who are in the room, as (ID, name), and those who are not.
    pub fn members_named(
        &self,
        app: u32,
        room_id: &str,
        caller: &str,
        users: &[String],
    ) -> Result<(Vec<User>, Vec<String>), u32> {
        self.in_room(app, room_id, caller, |room| {
            let (mut found, mut missing) = (Vec::new(), Vec::new());
            for u in users {
                match room.members.get(u) {
                    Some(m) => found.push(User {
                        user_id: u.clone(),
                        user_name: m.user_name.clone(),
                    }),
                    None => missing.push(u.clone()),
                }
            }
            Ok((found, missing))
        })
    }

    /// Changes the room's attributes with `f` (a set, a delete or a batch, see
    /// [`crate::room_attributes`]) and tells every member, the caller included, what
    /// changed (`roomAttributesBatchUpdated` for a batch). Returns the refused keys.
    pub fn change_attributes(
        &self,
        app: u32,
        room_id: &str,
        caller: &str,
        batch: bool,
        f: impl FnOnce(&mut RoomAttributes) -> Result<Change, u32>,
    ) -> Result<Vec<String>, u32> {
        self.in_room(app, room_id, caller, |room| {
            let change = f(&mut room.attributes)?;
            if !change.set.is_empty() || !change.deleted.is_empty() {
                self.notify_members(room, &attributes_notice(room_id, &change, batch));
            }
            Ok(change.error_keys)
        })
    }

    /// The room's attributes (for a member).
    pub fn attributes(&self, app: u32, room_id: &str, caller: &str) -> Result<Attributes, u32> {
        self.in_room(app, room_id, caller, |room| Ok(room.attributes.all()))
    }

    /// `setRoomMembersAttributes`: sets and tells every member.
    pub fn set_member_attributes(
        &self,
        app: u32,
        room_id: &str,
        caller: &str,
        attributes: &Attributes,
        users: &[String],
        delete_after_left: bool,
    ) -> Result<MembersSet, u32> {
        self.in_room(app, room_id, caller, |room| {
            let members = &room.members;
            let out = room.member_attributes.set(
                attributes,
                users,
                |u| members.contains_key(u),
                delete_after_left,
            )?;
            let infos = out
                .set
                .iter()
                .map(|(user_id, attributes)| RoomMemberAttributesUpdateInfo {
                    attributes_info: RoomMemberAttributesInfo {
                        user_id: user_id.clone(),
                        attributes: attributes.clone(),
                    },
                })
                .collect::<Vec<_>>();
            let notice = Notice::RoomMemberAttributesUpdated(RoomMemberAttributesUpdated {
                room_id: room_id.to_owned(),
                infos: infos.into(),
                operated_info: RoomOperatedInfo {
                    user_id: caller.to_owned(),
                },
            });
            self.notify_members(room, &notice);
            Ok(out)
        })
    }

    /// The member attributes of those of `users` who are in the room.
    pub fn member_attributes(
        &self,
        app: u32,
        room_id: &str,
        caller: &str,
        users: &[String],
    ) -> Result<Vec<(String, Attributes)>, u32> {
        self.in_room(app, room_id, caller, |room| {
            Ok(users
                .iter()
                .filter(|u| room.members.contains_key(*u))
                .map(|u| (u.clone(), room.member_attributes.of(u)))
                .collect())
        })
    }

    /// One page of the members that have attributes (see [`MemberAttributes::page`]).
    pub fn member_attributes_page(
        &self,
        app: u32,
        room_id: &str,
        caller: &str,
        next_flag: &str,
        count: usize,
    ) -> Result<(Vec<(String, Attributes)>, String), u32> {
        self.in_room(app, room_id, caller, |room| {
            Ok(room.member_attributes.page(next_flag, count))
        })
    }

    /// Offers `notice` to every member online.
    fn notify_members(&self, room: &Room, notice: &Notice) {
        let frame = Bytes::from(Frame::new(0, Body::Notify(notice.to_notify())).encode());
        for m in room.members.values() {
            if let Some(link) = &m.link {
                link.offer(Event::Frame(frame.clone()));
            }
        }
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

/// The notice telling members what `change` did to a room's attributes.
fn attributes_notice(room_id: &str, change: &Change, batch: bool) -> Notice {
    let mut infos = Vec::new();
    if !change.set.is_empty() {
        infos.push(RoomAttributesUpdateInfo {
            action: room_attributes_action::SET,
            room_attributes: change.set.clone(),
        });
    }
    if !change.deleted.is_empty() {
        infos.push(RoomAttributesUpdateInfo {
            action: room_attributes_action::DELETE,
            room_attributes: change.deleted.clone(),
        });
    }
    let updated = RoomAttributesUpdated {
        room_id: room_id.to_owned(),
        infos: infos.into(),
    };
    if batch {
        Notice::RoomAttributesBatchUpdated(updated)
    } else {
        Notice::RoomAttributesUpdated(updated)
    }
}
