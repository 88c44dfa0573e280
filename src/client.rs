//! The client: takes API calls and host inputs, dispatches them to the parts that own each
//! concern, and queues the outputs the host must carry out.
//!
//! This file is the only place that sees every part at once (connection, requests, outbox,
//! inbox, rooms, token clock, limits), so the cross-cutting transitions live here: what a
//! login success, a connection drop or the end of a session does to each of them. Each part
//! keeps its own rules in its own module.
//!
//! Timing (all on the host's clock, all fixed):
//!
//! | what | value | where |
//! |---|---|---|
//! | first login: overall deadline, then 6000105 + Disconnected/LoginTimeout | 10 s | [`crate::connection`] |
//! | one (re)connect attempt: transport open + `LoginOk` | 10 s | [`crate::connection`] |
//! | reconnect backoff: window doubles from 500 ms, capped at 30 s, wait in its upper half | 250 ms - 30 s | [`crate::reconnect`] |
//! | `Ping` interval / silence after a `Ping` that counts as dead | 20 s / 10 s | [`crate::heartbeat`] |
//! | probe `Ping` when the app is shown or the network is back, silence that counts as dead | 5 s | [`crate::heartbeat`] |
//! | API request answer (across reconnects), then 6000105 | 10 s | [`crate::requests`] |
//! | message send ack: no deadline while the session lasts; resent, in order, on every connection | none | [`crate::outbox`] |
//! | transmissions of sends (first and resent), paced under the server's rate | text 10/s in bursts of 5, command 20/s in bursts of 10 | [`crate::rate_limit`] |
//! | a message type after the server refused a send for its rate (6000005) | 1 s pause | [`crate::outbox`] |
//! | `tokenWillExpire` before the token's expiry | 30 s | [`crate::token`] |
//! | text / command sends | 10/s / 20/s (token buckets) | [`crate::rate_limit`] |
//!
//! Choices where ZIM-API.md is silent: the first login retries a failing transport with
//! backoff until its 10 s deadline (like ZIM's login); a session, once established,
//! reconnects indefinitely until logout, kick-out or a refused re-login; `logout()` when not
//! logged in resolves at once; `login()` while a session exists fails with 6000111; calls
//! pending when a session ends fail with the reason (6000121 after logout, the kick or
//! refusal code otherwise). While the app is in the background (`AppHidden` until
//! `AppShown`) the deadlines of the login, requests and sends are held: a phone suspends a
//! hidden mini program, and a send made just before must not fail for time the app was not
//! running. When the app is shown or the network is back, the connection is checked at once
//! (reconnect now, or probe an Online one) and a failure then retries without backoff.

mod local_calls;

use std::collections::VecDeque;

use crate::api::*;
use crate::calls;
use crate::connection::LOGIN_TIMEOUT_MS;
use crate::connection::{close_meaning, refusal_event, CloseMeaning, Connection, Phase};
use crate::conversations::Conversations;
use crate::heartbeat::Beat;
use crate::inbox::Entry;
use crate::inbox::Inbox;
use crate::local::Local;
use crate::outbox::{Outbox, Refusal};
use crate::prng::Prng;
use crate::rate_limit::RateLimits;
use crate::requests::{Purpose, Request, RequestIds, Requests, REQUEST_TIMEOUT_MS};
use crate::rooms::{self, RoomCall, Rooms};
use crate::token::TokenClock;
use crate::validate;
use tinyim_protocol::rpc::Notify;
use tinyim_protocol::{
    code, limits, Body, Empty, Frame, HistoryQuery, Login, LoginOk, Push, Room, RoomMembersQuery,
    Send,
};

/// Who is logged in (or logging in), with which token.
#[derive(Debug)]
struct Session {
    user_id: String,
    user_name: String,
    token: String,
    /// A `LoginOk` has been received at least once: API calls are allowed, and a drop
    /// means "reconnecting" rather than "still logging in".
    established: bool,
    /// The pending `login()` call and its overall deadline.
    login: Option<(OpId, Millis)>,
    /// The newest token given to `renewToken` and not (yet) confirmed or refused: the
    /// token to log in again with once `token` has expired (a renewal made while
    /// reconnecting cannot reach the server before the re-login does).
    renewed: Option<String>,
}

/// One ZIM client instance: a sans-IO state machine (see the crate docs).
///
/// Drive it with [`Client::call`] and [`Client::handle_input`], then drain
/// [`Client::poll_output`] and arm a timer for [`Client::poll_timeout`]. It never panics
/// on input: bad arguments fail their op, bad bytes from the network count as a broken
/// connection.
#[derive(Debug)]
pub struct Client {
    config: Config,
    rng: Prng,
    out: VecDeque<Output>,
    last_op: OpId,
    session: Option<Session>,
    conn: Connection,
    ids: RequestIds,
    requests: Requests,
    outbox: Outbox,
    inbox: Inbox,
    rooms: Rooms,
    token: TokenClock,
    rate: RateLimits,
    /// Since when the app has been in the background ([`Input::AppHidden`]): the deadlines
    /// of the login, requests and sends are held until [`Input::AppShown`].
    hidden_since: Option<Millis>,
    conversations: Conversations,
    local: Local,
    /// The client message ID of the newest send (`localMessageID` for the app at once).
    last_local_id: u64,
}

fn transmit(out: &mut VecDeque<Output>, request_id: u32, body: Body) {
    out.push_back(Output::Transmit(Frame::new(request_id, body).encode()));
}

fn timeout_error(message: &'static str) -> ZimError {
    ZimError::new(code::REQUEST_TIMEOUT, message)
}

/// The room a room request is about.
fn room_of(body: &Body) -> Option<&str> {
    match body {
        Body::RoomCreate(r)
        | Body::RoomJoin(r)
        | Body::RoomEnter(r)
        | Body::RoomLeave(r)
        | Body::RoomOnlineCount(r) => Some(&r.room_id),
        _ => None,
    }
}

/// The room event rooms get when the session ends with connection event `event`.
fn room_end_event(event: ConnectionEvent) -> RoomEvent {
    match event {
        ConnectionEvent::Success => RoomEvent::Success,
        ConnectionEvent::KickedOut => RoomEvent::KickedOutByOtherDevice,
        _ => RoomEvent::NetworkDisconnected,
    }
}

impl Client {
    /// A client that has not logged in yet.
    pub fn new(config: Config) -> Self {
        Client {
            rng: Prng::new(config.seed),
            config,
            out: VecDeque::new(),
            last_op: 0,
            session: None,
            conn: Connection::default(),
            ids: RequestIds::default(),
            requests: Requests::default(),
            outbox: Outbox::default(),
            inbox: Inbox::default(),
            rooms: Rooms::default(),
            token: TokenClock::default(),
            rate: RateLimits::default(),
            hidden_since: None,
            conversations: Conversations::default(),
            local: Local::default(),
            last_local_id: 0,
        }
    }

    /// Gives back what the host kept of `user_id`'s local store ([`Output::SaveLocal`]);
    /// call it before `login` as that user.
    pub fn restore_local(&mut self, user_id: &str, bytes: &[u8]) {
        self.local.restore(user_id, bytes);
    }

    /// The local store, for shaping messages as the app sees them.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn local(&self) -> &Local {
        &self.local
    }

    /// The client message ID the newest `SendMessage` got (its `localMessageID`).
    pub fn last_local_id(&self) -> u64 {
        self.last_local_id
    }

    /// Starts an API call; its result arrives as [`Output::Completed`] with the returned id
    /// (immediately, in the output queue, when the arguments are invalid, the rate limit is
    /// hit or the user is not logged in).
    pub fn call(&mut self, now: Millis, command: Command) -> OpId {
        self.last_op = self.last_op.checked_add(1).unwrap_or(1);
        let op = self.last_op;
        self.last_local_id = 0; // a send refused at once gets none
        match command {
            Command::Login {
                user_id,
                user_name,
                token,
            } => self.login(now, op, user_id, user_name, token),
            Command::Logout => self.logout(op),
            command => {
                if self.session.as_ref().is_some_and(|s| s.established) {
                    self.logged_in_call(now, op, command);
                } else {
                    self.complete(
                        op,
                        Err(ZimError::new(
                            code::USER_NOT_LOGGED,
                            "not logged in: call login and wait for it to succeed first",
                        )),
                    );
                }
            }
        }
        op
    }

    /// Feeds one host event.
    pub fn handle_input(&mut self, now: Millis, input: Input<'_>) {
        match input {
            Input::Timeout => self.on_timeout(now),
            Input::TransportOpened => self.on_opened(now),
            Input::TransportClosed { code } => {
                if !self.conn.phase.has_transport() {
                    return; // a stale close: we already gave that transport up
                }
                match close_meaning(code, self.conn.last_error) {
                    CloseMeaning::Reconnect => self.connection_lost(now, false),
                    CloseMeaning::End { event, code } => self.end_session(
                        event,
                        ZimError::new(code, "the server ended the session"),
                        false,
                    ),
                }
            }
            Input::Received(bytes) => {
                if !matches!(self.conn.phase, Phase::LoggingIn { .. } | Phase::Online) {
                    return;
                }
                // docs/protocol.md: a client kind from the server is a broken connection (the
                // decoder refuses one as an unknown kind).
                match Frame::decode_from_server(bytes, limits::MAX_SERVER_FRAME_LEN) {
                    Ok(frame) => self.on_frame(now, frame),
                    // The stream can no longer be trusted: start over on a new connection.
                    Err(_) => self.connection_lost(now, true),
                }
            }
            Input::NetworkAvailable => self.check_connection(now),
            Input::AppHidden => {
                self.hidden_since.get_or_insert(now);
            }
            Input::AppShown => {
                if let Some(since) = self.hidden_since.take() {
                    self.resume_deadlines(now.saturating_sub(since));
                }
                self.check_connection(now);
            }
        }
    }

    /// The user logged in (or logging in), if any: the reader messages are shown to.
    pub fn user_id(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.user_id.as_str())
    }

    /// The next thing the host must do, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// When the client next wants [`Input::Timeout`] (possibly already past).
    pub fn poll_timeout(&self) -> Option<Millis> {
        let session = self.session.as_ref()?;
        let mut t = self.conn.next_deadline();
        // Held deadlines wake nobody while the app is in the background.
        if self.hidden_since.is_none() {
            t = crate::min_time(t, session.login.map(|(_, deadline)| deadline));
            t = crate::min_time(t, self.requests.next_deadline());
        }
        if self.conn.phase == Phase::Online {
            t = crate::min_time(t, self.outbox.next_wake());
        }
        if session.established {
            t = crate::min_time(t, self.token.next_deadline());
        }
        t
    }

    // ----- outputs -----

    fn event(&mut self, event: Event) {
        self.out.push_back(Output::Event(event));
    }

    fn complete(&mut self, op: OpId, result: Result<Reply, ZimError>) {
        self.out.push_back(Output::Completed { op, result });
    }

    fn room_state(&mut self, room_id: String, state: RoomState, event: RoomEvent) {
        self.event(Event::RoomStateChanged {
            room_id,
            state,
            event,
        });
    }

    fn set_state(&mut self, state: ConnectionState, event: ConnectionEvent) {
        if self.conn.set_state(state) {
            self.event(Event::ConnectionStateChanged { state, event });
        }
    }

    // ----- API calls -----

    fn login(&mut self, now: Millis, op: OpId, user_id: String, user_name: String, token: String) {
        if let Err(e) = validate::login(&user_id, &user_name, &token) {
            return self.complete(op, Err(e));
        }
        if self.session.is_some() {
            return self.complete(
                op,
                Err(ZimError::new(
                    code::USER_ALREADY_LOGGED,
                    "already logged in (or logging in): call logout first",
                )),
            );
        }
        self.inbox.use_user(&user_id);
        self.local.use_user(&user_id);
        self.session = Some(Session {
            user_id,
            user_name,
            token,
            established: false,
            login: Some((op, now.saturating_add(LOGIN_TIMEOUT_MS))),
            renewed: None,
        });
        self.conn.backoff.reset();
        self.set_state(ConnectionState::Connecting, ConnectionEvent::ActiveLogin);
        self.connect(now);
    }

    fn logout(&mut self, op: OpId) {
        if self.session.is_some() {
            if self.conn.phase == Phase::Online {
                let id = self.ids.next();
                transmit(&mut self.out, id, Body::Logout(Empty {}));
            }
            self.end_session(
                ConnectionEvent::Success,
                ZimError::new(
                    code::USER_NOT_LOGGED,
                    "logout was called before this call completed",
                ),
                true,
            );
        }
        self.complete(op, Ok(Reply::Done));
    }

    /// Calls that need an established session.
    fn logged_in_call(&mut self, now: Millis, op: OpId, command: Command) {
        let checked = match &command {
            Command::SendMessage {
                conversation_type,
                to,
                message_type,
                payload,
                extended_data,
                ext,
                ..
            } => validate::send_ext(ext)
                .and_then(|()| {
                    validate::send(
                        *conversation_type,
                        to,
                        *message_type,
                        payload,
                        extended_data,
                    )
                })
                .and_then(|()| self.rate.admit(*message_type, now)),
            Command::RenewToken { token } => validate::token(token),
            Command::CreateRoom { room_id, room_name }
            | Command::EnterRoom { room_id, room_name } => {
                validate::room_id(room_id).and_then(|()| validate::room_name(room_name))
            }
            Command::JoinRoom { room_id }
            | Command::LeaveRoom { room_id }
            | Command::QueryRoomOnlineCount { room_id } => validate::room_id(room_id),
            Command::QueryRoomMembers { room_id, count, .. } => {
                validate::room_id(room_id).and_then(|()| validate::page_count(*count))
            }
            Command::QueryHistory {
                conversation_type,
                conversation_id,
                count,
                ..
            } => validate::conversation(*conversation_type, conversation_id)
                .and_then(|()| validate::page_count(*count)),
            Command::Call { .. } => self.rate.admit_call(now),
            Command::Login { .. } | Command::Logout => Ok(()),
        };
        if let Err(e) = checked {
            return self.complete(op, Err(e));
        }
        let room = |room_id: String, room_name: String| Room { room_id, room_name };
        let (purpose, body) = match command {
            Command::SendMessage {
                conversation_type,
                to,
                message_type,
                priority,
                payload,
                extended_data,
                ext,
            } => {
                self.last_local_id = self.rng.next_u64().max(1);
                let send = Send {
                    conversation_type,
                    to,
                    client_message_id: self.last_local_id,
                    prev_client_message_id: 0, // set by the outbox when it goes
                    message_type,
                    priority,
                    payload,
                    extended_data,
                    ext,
                };
                return self.send_message(now, op, send);
            }
            Command::RenewToken { token } => (
                {
                    if let Some(session) = &mut self.session {
                        session.renewed = Some(token.clone());
                    }
                    Purpose::RenewToken {
                        token: token.clone(),
                    }
                },
                Body::RenewToken(tinyim_protocol::RenewToken { token }),
            ),
            Command::CreateRoom { room_id, room_name } => (
                Purpose::CreateRoom,
                Body::RoomCreate(room(room_id, room_name)),
            ),
            Command::JoinRoom { room_id } => (
                Purpose::EnterRoom,
                Body::RoomJoin(room(room_id, String::new())),
            ),
            Command::EnterRoom { room_id, room_name } => (
                Purpose::EnterRoom,
                Body::RoomEnter(room(room_id, room_name)),
            ),
            Command::LeaveRoom { room_id } => (
                Purpose::LeaveRoom {
                    room_id: room_id.clone(),
                },
                Body::RoomLeave(room(room_id, String::new())),
            ),
            Command::QueryRoomMembers {
                room_id,
                next_flag,
                count,
            } => (
                Purpose::Query,
                Body::RoomMembers(RoomMembersQuery {
                    room_id,
                    next_flag,
                    count,
                }),
            ),
            Command::QueryRoomOnlineCount { room_id } => (
                Purpose::Query,
                Body::RoomOnlineCount(room(room_id, String::new())),
            ),
            Command::QueryHistory {
                conversation_type,
                conversation_id,
                anchor_order_key,
                count,
                reverse,
            } => (
                Purpose::Query,
                Body::History(HistoryQuery {
                    conversation_type,
                    conversation_id,
                    anchor_order_key,
                    count,
                    reverse,
                }),
            ),
            Command::Call { method, args } => {
                if let Some(result) = self.local_call(now, method, &args) {
                    return self.complete(op, result);
                }
                let call_id = self.rng.next_u64();
                match calls::prepare(method, &args, call_id) {
                    Ok(request) => request,
                    Err(e) => return self.complete(op, Err(e)),
                }
            }
            Command::Login { .. } | Command::Logout => return,
        };
        self.request(now, Some(op), purpose, body);
    }

    /// Queues a send at the end of the outbox, and puts what may go on the wire if online.
    fn send_message(&mut self, now: Millis, op: OpId, send: Send) {
        self.outbox.push(op, send);
        self.transmit_sends(now);
    }

    /// Puts the outbox's sends that may go now on the wire (in order, paced), if online.
    fn transmit_sends(&mut self, now: Millis) {
        if self.conn.phase != Phase::Online {
            return;
        }
        let (ids, out) = (&mut self.ids, &mut self.out);
        self.outbox.transmit(now, |send| {
            let id = ids.next();
            out.push_back(Output::Transmit(Frame::encode_send(id, send)));
            id
        });
    }

    /// Queues a request, and puts it on the wire if online.
    fn request(&mut self, now: Millis, op: Option<OpId>, purpose: Purpose, body: Body) {
        let mut request = Request {
            op,
            purpose,
            body,
            deadline: now.saturating_add(REQUEST_TIMEOUT_MS),
            wire_id: None,
            resent: false,
        };
        if self.conn.phase == Phase::Online {
            let id = self.ids.next();
            let bytes = Frame::encode_body(id, &request.body);
            self.out.push_back(Output::Transmit(bytes));
            request.wire_id = Some(id);
        }
        self.requests.push(request);
    }

    // ----- connection lifecycle -----

    /// The platform says the app or the network is back: make sure the connection works
    /// now rather than when the backoff or the heartbeat would have noticed. A pending
    /// reconnect goes at once; an Online connection gets a probe `Ping`; if the connection
    /// (or the attempt under way) then fails, the next attempt goes at once too.
    fn check_connection(&mut self, now: Millis) {
        if self.session.is_none() {
            return;
        }
        match self.conn.phase {
            Phase::Backoff { .. } => self.connect(now),
            Phase::Online => {
                self.conn.retry_now = true;
                if self.conn.heartbeat.probe(now) {
                    let id = self.ids.next();
                    transmit(&mut self.out, id, Body::Ping(Empty {}));
                }
            }
            Phase::Opening { .. } | Phase::LoggingIn { .. } => self.conn.retry_now = true,
            Phase::Idle => {}
        }
    }

    /// The app was in the background for `gap` ms: held deadlines move on by as much, so a
    /// call or send made just before a phone suspended the app still has the time it had.
    fn resume_deadlines(&mut self, gap: Millis) {
        if let Some((_, deadline)) = self.session.as_mut().and_then(|s| s.login.as_mut()) {
            *deadline = deadline.saturating_add(gap);
        }
        self.requests.postpone(gap);
    }

    /// Asks the host for a new transport.
    fn connect(&mut self, now: Millis) {
        self.conn.last_error = None;
        self.out.push_back(Output::Connect {
            url: self.config.server_url.clone(),
        });
        self.conn.phase = Phase::Opening {
            deadline: now.saturating_add(LOGIN_TIMEOUT_MS),
        };
    }

    /// The transport is open: log in on it.
    fn on_opened(&mut self, now: Millis) {
        let Phase::Opening { deadline } = self.conn.phase else {
            return;
        };
        let expired = self.token.expired(now);
        let Some(session) = &mut self.session else {
            return;
        };
        // Once the token has expired a login with it can only be refused: switch to the one
        // the app gave renewToken meanwhile, if any.
        if expired {
            if let Some(renewed) = session.renewed.take() {
                session.token = renewed;
            }
        }
        let request_id = self.ids.next();
        let login = Login {
            app_id: self.config.app_id,
            user_id: session.user_id.clone(),
            user_name: session.user_name.clone(),
            token: session.token.clone(),
            last_inbox_seq: self.inbox.delivered(),
            sync_conversations: self.conversations.wants_sync(),
        };
        transmit(&mut self.out, request_id, Body::Login(login));
        self.conn.phase = Phase::LoggingIn {
            request_id,
            deadline,
        };
    }

    fn on_login_ok(&mut self, now: Millis, ok: LoginOk) {
        self.conn.phase = Phase::Online;
        self.conn.backoff.reset();
        self.conn.retry_now = false;
        self.conn.heartbeat.start(now);
        self.token.sync(ok.server_time, now);
        self.token.set_expiry(ok.token_expire);
        self.inbox.server_newest(ok.inbox_seq);
        let login = match &mut self.session {
            Some(session) => {
                session.established = true;
                session.login.take()
            }
            None => None,
        };
        self.set_state(ConnectionState::Connected, ConnectionEvent::Success);
        if let Some((op, _)) = login {
            self.complete(op, Ok(Reply::Done));
        }
        if self.conversations.wants_sync() {
            let started = self.conversations.start_sync(ok.inbox_seq);
            self.event(started);
        }
        // Re-enter remembered rooms (not those the app is leaving), then resend
        // unacknowledged messages (same client message IDs), then the requests that waited
        // for a connection.
        let rooms: Vec<Room> = self
            .rooms
            .all()
            .iter()
            .filter(|r| !self.requests.leaving(&r.room_id))
            .map(|r| Room {
                room_id: r.room_id.clone(),
                room_name: r.room_name.clone(),
            })
            .collect();
        for room in rooms {
            self.request(now, None, Purpose::Reenter, Body::RoomEnter(room));
        }
        self.transmit_sends(now);
        for request in self.requests.unsent() {
            let id = self.ids.next();
            let bytes = Frame::encode_body(id, &request.body);
            self.out.push_back(Output::Transmit(bytes));
            request.wire_id = Some(id);
        }
        self.poll_token(now);
    }

    /// The connection broke (not by a terminal close): reconnect after a backoff, or, while
    /// the first login is still within its deadline, retry it the same way.
    fn connection_lost(&mut self, now: Millis, disconnect: bool) {
        if disconnect && self.conn.phase.has_transport() {
            self.out.push_back(Output::Disconnect);
        }
        self.conn.heartbeat.stop();
        self.requests.connection_lost();
        self.outbox.connection_lost();
        let Some(session) = &self.session else {
            self.conn.phase = Phase::Idle;
            return;
        };
        if session.established {
            self.set_state(
                ConnectionState::Reconnecting,
                ConnectionEvent::LoginInterrupted,
            );
            for room_id in self.rooms.interrupt() {
                self.room_state(
                    room_id,
                    RoomState::Connecting,
                    RoomEvent::NetworkInterrupted,
                );
            }
        }
        // Right after the app or the network came back the user is waiting: try again now.
        let delay = if core::mem::take(&mut self.conn.retry_now) {
            0
        } else {
            self.conn.backoff.next_delay(&mut self.rng)
        };
        self.conn.phase = Phase::Backoff {
            at: now.saturating_add(delay),
        };
    }

    /// The session is over (logout, kick-out, refused login, login timeout): tell the app,
    /// fail everything pending with `error`, forget rooms and token. No reconnect.
    fn end_session(&mut self, event: ConnectionEvent, error: ZimError, disconnect: bool) {
        if disconnect && self.conn.phase.has_transport() {
            self.out.push_back(Output::Disconnect);
        }
        self.conn.phase = Phase::Idle;
        self.conn.heartbeat.stop();
        self.conn.backoff.reset();
        self.conn.retry_now = false;
        self.token.clear();
        self.conversations.clear();
        let session = self.session.take();
        self.set_state(ConnectionState::Disconnected, event);
        if let Some((op, _)) = session.and_then(|s| s.login) {
            self.complete(op, Err(error.clone()));
        }
        for pending in self.outbox.drain() {
            self.complete(pending.op, Err(error.clone()));
        }
        for request in self.requests.drain() {
            if let Some(op) = request.op {
                self.complete(op, Err(error.clone()));
            }
        }
        for room_id in self.rooms.clear() {
            self.room_state(room_id, RoomState::Disconnected, room_end_event(event));
        }
    }

    // ----- timers -----

    fn on_timeout(&mut self, now: Millis) {
        // In the background the deadlines of calls are held (see `resume_deadlines`): `expire`
        // is the time they are judged at, none while hidden.
        let expire = self.hidden_since.is_none().then_some(now);
        let login_deadline = self.session.as_ref().and_then(|s| s.login).map(|(_, d)| d);
        if login_deadline.is_some_and(|d| expire.is_some_and(|t| t >= d)) {
            return self.end_session(
                ConnectionEvent::LoginTimeout,
                timeout_error("login timed out: the server did not answer within 10 s"),
                true,
            );
        }
        match self.conn.phase {
            Phase::Opening { deadline } | Phase::LoggingIn { deadline, .. } if now >= deadline => {
                self.connection_lost(now, true)
            }
            Phase::Backoff { at } if now >= at => self.connect(now),
            Phase::Online => match self.conn.heartbeat.poll(now) {
                Beat::Idle => {}
                Beat::Ping => {
                    let id = self.ids.next();
                    transmit(&mut self.out, id, Body::Ping(Empty {}));
                }
                Beat::Dead => self.connection_lost(now, true),
            },
            _ => {}
        }
        self.transmit_sends(now);
        while let Some(request) = expire.and_then(|t| self.requests.take_expired(t)) {
            if request.purpose == Purpose::Reenter {
                if let Some(room_id) = room_of(&request.body).map(str::to_owned) {
                    self.rooms.left(&room_id);
                    self.room_state(room_id, RoomState::Disconnected, RoomEvent::ConnectTimeout);
                }
            }
            if let Some(op) = request.op {
                self.complete(
                    op,
                    Err(timeout_error("the server did not answer within 10 s")),
                );
            }
        }
        self.poll_token(now);
    }

    fn poll_token(&mut self, now: Millis) {
        if self.session.as_ref().is_some_and(|s| s.established) {
            if let Some(second) = self.token.poll(now) {
                self.event(Event::TokenWillExpire { second });
            }
        }
    }

    // ----- frames from the server -----

    fn on_frame(&mut self, now: Millis, frame: Frame) {
        self.conn.heartbeat.on_frame();
        if self.conn.phase == Phase::Online {
            self.conn.retry_now = false; // the connection answered: it is alive
        }
        let request_id = frame.request_id;
        if let Phase::LoggingIn {
            request_id: login_id,
            ..
        } = self.conn.phase
        {
            return match frame.body {
                Body::LoginOk(ok) if request_id == login_id => self.on_login_ok(now, ok),
                Body::Error(e) if request_id == login_id => {
                    // The server failed for a reason of its own (its store): it closes
                    // with 1011, not 4001, and nothing is wrong with the session, so an
                    // established session tries again rather than ending.
                    let established = self.session.as_ref().is_some_and(|s| s.established);
                    if established && matches!(e.code, code::DATABASE_ERROR | code::SERVER_ERROR) {
                        self.conn.last_error = Some(e.code);
                        return self.connection_lost(now, true);
                    }
                    // docs/protocol.md: every refused login is closed with 4001 next; act
                    // now rather than wait for the close.
                    let event = refusal_event(e.code);
                    self.end_session(event, ZimError::new(e.code, e.message), true)
                }
                Body::Error(e) if request_id == 0 => self.server_error(e),
                Body::Kicked(k) => self.kicked(k.code, k.message),
                _ => {} // nothing else is expected before LoginOk
            };
        }
        match frame.body {
            Body::Push(push) => self.on_push(push),
            Body::RoomPush(p) => {
                let room_id = p.message.conversation_id.clone();
                self.event(Event::RoomMessages {
                    room_id,
                    messages: vec![p.message],
                });
            }
            Body::RoomMembersChanged(c) => {
                let (room_id, members) = (c.room_id, c.members.0);
                self.event(if c.joined {
                    Event::RoomMemberJoined { room_id, members }
                } else {
                    Event::RoomMemberLeft { room_id, members }
                });
            }
            Body::Kicked(k) => self.kicked(k.code, k.message),
            Body::Error(e) if request_id == 0 => self.server_error(e),
            Body::Pong(p) => self.token.sync(p.server_time, now),
            Body::Notify(n) => self.on_notice(0, n),
            body => self.on_answer(now, request_id, body),
        }
    }

    /// An `Error` not answering a request: the server says why it is about to close.
    /// Remembered for the close code's meaning, and shown as ZIM's `error` event.
    fn server_error(&mut self, e: tinyim_protocol::Error) {
        self.conn.last_error = Some(e.code);
        self.event(Event::Error(ZimError::new(e.code, e.message)));
    }

    fn kicked(&mut self, code: u32, message: String) {
        self.conn.last_error = Some(code);
        let error = if message.is_empty() {
            ZimError::new(code, "kicked out: this user logged in on another device")
        } else {
            ZimError::new(code, message)
        };
        self.end_session(ConnectionEvent::KickedOut, error, true);
    }

    /// Tells the app these events.
    fn tell(&mut self, events: Vec<Event>) {
        for e in events {
            self.event(e);
        }
    }

    /// A notice from the server: from the inbox at `seq`, or live (`seq` 0). The
    /// conversation cache applies the conversation notices first; a notice this SDK does
    /// not know (a newer server's) is dropped.
    fn on_notice(&mut self, seq: u64, n: Notify) {
        let Some(event) = calls::notice(n) else {
            return;
        };
        let local = &self.local;
        let hidden = |c: &Value| local.conversation_hidden(crate::conversations::identity(c));
        let events = self.conversations.on_notice(event, seq, &hidden);
        self.tell(events);
    }

    fn on_push(&mut self, push: Push) {
        let offline = push.offline;
        let (entries, ack) = self.inbox.accept(push);
        let me = self.user_id().unwrap_or_default().to_owned();
        for entry in entries {
            match entry {
                Entry::Messages(batch) => {
                    let told = self.conversations.on_messages(&batch.messages, &me);
                    let messages = batch.messages.into_iter().map(|(_, m)| m).collect();
                    self.event(
                        if batch.conversation_type == tinyim_protocol::conversation_type::GROUP {
                            Event::GroupMessages {
                                group_id: batch.from_user_id,
                                messages,
                                offline,
                            }
                        } else {
                            Event::PeerMessages {
                                from_user_id: batch.from_user_id,
                                messages,
                                offline,
                            }
                        },
                    );
                    self.tell(told);
                }
                Entry::Notice(seq, n) => self.on_notice(seq, n),
            }
        }
        if let Some(inbox_seq) = ack {
            transmit(
                &mut self.out,
                0,
                Body::PushAck(tinyim_protocol::PushAck { inbox_seq }),
            );
        }
    }

    /// An answer to a send or a request (unknown ids are stale answers: ignored).
    fn on_answer(&mut self, now: Millis, request_id: u32, body: Body) {
        if request_id == 0 {
            return;
        }
        if self.outbox.on_wire(request_id) {
            return self.on_send_answer(now, request_id, body);
        }
        if let Some(request) = self.requests.take(request_id) {
            self.on_request_answer(request, body);
        }
    }

    /// The server answered the send on the wire as `request_id` (the rule is in
    /// [`crate::outbox`]): an ack resolves it; 6000005 and 6000203 send it again later;
    /// any other refusal rejects it.
    fn on_send_answer(&mut self, now: Millis, request_id: u32, body: Body) {
        let (refusal, error) = match body {
            Body::SendAck(ack) => {
                let Some(pending) = self.outbox.acked(request_id) else {
                    return;
                };
                let send = pending.send;
                let sender_id = self
                    .session
                    .as_ref()
                    .map(|s| s.user_id.clone())
                    .unwrap_or_default();
                let message = Message {
                    message_id: ack.message_id,
                    client_message_id: send.client_message_id,
                    conversation_type: send.conversation_type,
                    conversation_id: send.to,
                    sender_id,
                    message_type: send.message_type,
                    priority: send.priority,
                    payload: send.payload,
                    extended_data: send.extended_data,
                    timestamp: ack.timestamp,
                    order_key: ack.order_key,
                    ext: send.ext,
                };
                let told = self.conversations.on_sent(&message);
                self.complete(pending.op, Ok(Reply::Sent(message)));
                return self.tell(told);
            }
            Body::Error(e) => {
                let refusal = match e.code {
                    code::SERVER_FREQUENCY_LIMIT => Refusal::Rate,
                    // From a server that keeps order this only answers a send naming a
                    // predecessor; anything else would be resent forever.
                    code::SEND_MESSAGE_FAILED if self.outbox.follows_another(request_id) => {
                        Refusal::Predecessor
                    }
                    _ => Refusal::Final,
                };
                (refusal, ZimError::new(e.code, e.message))
            }
            _ => (Refusal::Final, unexpected()),
        };
        if let Some(Some(failed)) = self.outbox.refused(request_id, refusal, now) {
            self.complete(failed.op, Err(error));
        }
        self.transmit_sends(now);
    }

    fn on_request_answer(&mut self, request: Request, body: Body) {
        let result = match (request.purpose, body) {
            (Purpose::RenewToken { token }, Body::TokenRenewed(t)) => {
                if let Some(session) = &mut self.session {
                    if session.renewed.as_ref() == Some(&token) {
                        session.renewed = None;
                    }
                    session.token = token;
                }
                self.token.set_expiry(t.token_expire);
                Ok(Reply::TokenRenewed {
                    token_expire: t.token_expire,
                })
            }
            (
                purpose @ (Purpose::CreateRoom | Purpose::EnterRoom | Purpose::Reenter),
                Body::RoomInfo(r),
            ) => {
                if self.rooms.entered(&r.room_id, &r.room_name) {
                    let event = match purpose {
                        Purpose::CreateRoom => RoomEvent::ActiveCreate,
                        Purpose::EnterRoom => RoomEvent::ActiveEnter,
                        _ => RoomEvent::Success,
                    };
                    self.room_state(r.room_id.clone(), RoomState::Connected, event);
                }
                Ok(Reply::Room {
                    room_id: r.room_id,
                    room_name: r.room_name,
                })
            }
            (Purpose::LeaveRoom { room_id }, Body::Ok(_)) => {
                self.rooms.left(&room_id);
                Ok(Reply::RoomLeft { room_id })
            }
            // A leave resent after a reconnect may find its first attempt already done; one
            // made during an outage may find the server's grace period over.
            (Purpose::LeaveRoom { room_id }, Body::Error(e))
                if (request.resent || self.rooms.interrupted(&room_id))
                    && e.code == code::USER_NOT_IN_ROOM =>
            {
                self.rooms.left(&room_id);
                Ok(Reply::RoomLeft { room_id })
            }
            (Purpose::Query, Body::RoomMemberPage(p)) => Ok(Reply::Members {
                room_id: p.room_id,
                members: p.members.0,
                next_flag: p.next_flag,
            }),
            (Purpose::Query, Body::RoomCount(c)) => Ok(Reply::Count {
                room_id: c.room_id,
                count: c.count,
            }),
            (Purpose::Call { method }, Body::Reply(r)) => {
                let result = calls::answer(method, r).and_then(|reply| self.local_reply(reply));
                if let Ok(Reply::Call { value, .. }) = &result {
                    self.room_call_done(method, &request.body, value);
                }
                result
            }
            (Purpose::Query, Body::HistoryPage(h)) => {
                let mut messages = h.messages.0;
                if let Body::History(q) = &request.body {
                    self.local.history(q, &mut messages);
                }
                Ok(Reply::History {
                    conversation_type: h.conversation_type,
                    conversation_id: h.conversation_id,
                    messages,
                })
            }
            (purpose, Body::Error(e)) => {
                if let (Purpose::RenewToken { token }, Some(session)) =
                    (&purpose, &mut self.session)
                {
                    if session.renewed.as_ref() == Some(token) {
                        session.renewed = None;
                    }
                }
                let room_call = match purpose {
                    Purpose::Call { method } => RoomCall::of(method),
                    _ => None,
                };
                let failed = match purpose {
                    Purpose::CreateRoom => Some(RoomEvent::CreateFailed),
                    Purpose::EnterRoom | Purpose::Reenter => Some(RoomEvent::EnterFailed),
                    _ => room_call.map(|c| c.event(false)),
                };
                let room_id = room_of(&request.body)
                    .map(str::to_owned)
                    .or_else(|| room_call.and_then(|c| c.target(&request.body)));
                if let (Some(event), Some(room_id)) = (failed, room_id) {
                    // Only a room the user is not (or no longer) in changes state.
                    let known = self.rooms.all().iter().any(|r| r.room_id == room_id);
                    if purpose == Purpose::Reenter || !known {
                        self.rooms.left(&room_id);
                        self.room_state(room_id, RoomState::Disconnected, event);
                    }
                }
                Err(ZimError::new(e.code, e.message))
            }
            _ => Err(unexpected()),
        };
        if let Some(op) = request.op {
            self.complete(op, result);
        }
    }
}

impl Client {
    /// A room method of the generic path succeeded: remember the room it entered (and
    /// forget the one it left), as the room frames' answers do.
    fn room_call_done(&mut self, method: u16, body: &Body, value: &Value) {
        let Some(call) = RoomCall::of(method) else {
            return;
        };
        if call == RoomCall::LeaveAll {
            for room_id in rooms::left_rooms(method, value) {
                self.rooms.left(&room_id);
            }
            return;
        }
        let Some((room_id, room_name)) = rooms::entered_room(method, value) else {
            return;
        };
        if let Some(from) = call.source(body).filter(|f| *f != room_id) {
            self.rooms.left(&from);
        }
        if self.rooms.entered(&room_id, &room_name) {
            self.room_state(room_id, RoomState::Connected, call.event(true));
        }
    }
}

fn unexpected() -> ZimError {
    ZimError::new(
        code::SERVER_ERROR,
        "the server answered with an unexpected frame kind",
    )
}
