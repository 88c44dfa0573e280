//! One WebSocket connection: the protocol session from the first frame to the close.
//!
//! Each connection is two tasks. The **session task** (this file's [`Connection`]) reads
//! frames, answers requests, and takes events from its mailbox (inbox deliveries from the
//! store thread, room pushes). The **writer task** owns the socket's sending half and drains
//! a bounded queue. Nothing ever queues without bound:
//!
//! - the session task waits at most [`SEND_TIMEOUT`] for room in the outbound queue, then
//!   closes with 4003 (the client stopped reading);
//! - other tasks only `try_send` into the bounded mailbox; a full mailbox closes with 4003.
//!
//! Inbox pushes follow docs/protocol.md "Resume": after `LoginOk` everything after
//! `max(Login.last_inbox_seq, stored ack)` goes out in `Push { offline: true }` batches, then
//! live entries, strictly in sequence; a gap (an event that overtook a catch-up) is filled
//! from the store, so the client never sees a hole. Sends to peers are pipelined: the store
//! request is queued and the session keeps reading, so many sends share one commit; acks
//! still go out in request order, each only after its commit.

use std::collections::BTreeSet;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use bytes::Bytes;
use futures_util::stream::{FuturesOrdered, SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tinyim_protocol::limits::{
    is_valid_room_id, is_valid_user_id, MAX_CLIENT_FRAME_LEN, MAX_COMMAND_LEN,
    MAX_EXTENDED_DATA_LEN, MAX_PAGE_COUNT, MAX_ROOM_NAME_LEN, MAX_SERVER_FRAME_LEN, MAX_TEXT_LEN,
    MAX_TOKEN_LEN, MAX_USER_NAME_LEN,
};
use tinyim_protocol::{
    close_code, code, conversation_type, message_type, Body, Delivery, Empty, Error, Frame,
    HistoryPage, HistoryQuery, Kicked, List, Login, LoginOk, Message, Pong, Push, Room, RoomCount,
    RoomMemberPage, RoomMembersQuery, SendAck, TokenRenewed, User,
};
use tokio::sync::{mpsc, oneshot};

use crate::rooms::JoinMode;
use crate::send_state::{self, SharedSendState};
use crate::server::{now_millis, now_secs, Shared};
use crate::session::{Event, Kill, KillReason, SessionLink};
use crate::store::{InboxEntry, NewPeerMessage};
use crate::token;

/// Frames that may wait for the writer task.
const OUTBOUND_CAPACITY: usize = 64;
/// Events that may wait for the session task.
const MAILBOX_CAPACITY: usize = 1024;
/// How long the session task waits for room in the outbound queue before giving up on the
/// client (close 4003).
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes of messages in one push or history frame, leaving headroom under the 1 MiB cap.
const FRAME_BUDGET: usize = MAX_SERVER_FRAME_LEN - 16 * 1024;
/// How long a closing connection waits for its close frame to go out.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(3);
/// Close code for "the server failed" (RFC 6455 internal error).
const INTERNAL_ERROR: u16 = 1011;

/// What the writer task is asked to do.
enum Outgoing {
    Data(Bytes),
    Close(u16, &'static str),
    /// The session ended without a close frame to send.
    Gone,
}

/// How a session ends.
enum End {
    /// Close the WebSocket with this code and reason.
    Close(u16, &'static str),
    /// The client is gone (it closed, or the socket failed): nothing to send.
    Gone,
}

type Step = Result<(), End>;
type PendingAnswer = Pin<Box<dyn Future<Output = Frame> + Send + Sync>>;

/// The logged-in part of a connection.
struct Session {
    app: u32,
    user: User,
    token_expire: u64,
    link: SessionLink,
    mailbox: mpsc::Receiver<Event>,
    /// Highest inbox sequence pushed on this connection.
    pushed: u64,
    /// Highest inbox sequence acknowledged (and stored).
    acked: u64,
    rooms: BTreeSet<String>,
    /// The user's rate budget and recent room acks, shared with their later connections.
    sends: SharedSendState,
    logged_out: bool,
}

struct Connection {
    shared: Arc<Shared>,
    out: mpsc::Sender<Outgoing>,
    peer: SocketAddr,
    session: Option<Session>,
    last_heard: Instant,
    /// Answers to pipelined sends, in request order.
    pending: FuturesOrdered<PendingAnswer>,
}

/// What woke the session task.
enum Wake {
    Shutdown,
    Killed(KillReason),
    Answer(Frame),
    Event(Option<Event>),
    Ws(Option<Result<WsMessage, axum::Error>>),
    Tick,
}

/// Serves one upgraded WebSocket until it closes.
pub async fn run(socket: WebSocket, shared: Arc<Shared>, peer: SocketAddr) {
    let metrics = Arc::clone(&shared.metrics);
    let shutting_down = shared.shutdown.clone();
    metrics.connections.fetch_add(1, Relaxed);
    metrics.connections_total.fetch_add(1, Relaxed);
    tracing::debug!(%peer, "connection opened");

    let (sink, mut stream) = socket.split();
    let (out, out_rx) = mpsc::channel(OUTBOUND_CAPACITY);
    let (close_tx, close_rx) = oneshot::channel();
    let writer = tokio::spawn(write_loop(sink, out_rx, close_rx));
    let mut conn = Connection {
        shared,
        out,
        peer,
        session: None,
        last_heard: Instant::now(),
        pending: FuturesOrdered::new(),
    };
    let end = conn.serve(&mut stream).await;
    let who = conn
        .session
        .as_ref()
        .map(|s| format!("{}/{}", s.app, s.user.user_id))
        .unwrap_or_default();
    conn.finish();
    let out = conn.out.clone();
    drop(conn);
    let abort = writer.abort_handle();
    match end {
        End::Close(code, reason) => {
            metrics.close(code);
            tracing::info!(%peer, user = %who, code, reason, "connection closed by server");
            // The close follows what is queued (an Error or Kicked frame explains it), unless
            // the queue is full: then the client stopped reading, and the close jumps the
            // queue. Then let the client answer so the handshake completes cleanly; a client
            // that reads nothing gets a few seconds before the socket is dropped.
            let mut close_tx = Some(close_tx);
            if let Err(mpsc::error::TrySendError::Full(_)) =
                out.try_send(Outgoing::Close(code, reason))
            {
                if let Some(tx) = close_tx.take() {
                    let _ = tx.send((code, reason));
                }
            }
            drop(out);
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, writer).await;
            let linger = if shutting_down.is_cancelled() {
                Duration::from_millis(250)
            } else {
                Duration::from_secs(1)
            };
            let _ = tokio::time::timeout(linger, async {
                while let Some(Ok(_)) = stream.next().await {}
            })
            .await;
            drop(close_tx);
        }
        End::Gone => {
            tracing::info!(%peer, user = %who, "connection closed by client");
            drop(out);
            drop(close_tx);
            let _ = tokio::time::timeout(Duration::from_secs(1), writer).await;
        }
    }
    abort.abort();
    metrics.connections.fetch_sub(1, Relaxed);
}

/// Drains the outbound queue into the socket, flushing when the queue runs dry. A close on
/// `close` jumps the queue (used when the queue is full: what is still queued is dropped).
async fn write_loop(
    mut sink: SplitSink<WebSocket, WsMessage>,
    mut rx: mpsc::Receiver<Outgoing>,
    mut close: oneshot::Receiver<(u16, &'static str)>,
) {
    loop {
        let next = tokio::select! {
            biased;
            c = &mut close => match c {
                Ok((code, reason)) => Outgoing::Close(code, reason),
                Err(_) => Outgoing::Gone,
            },
            o = rx.recv() => o.unwrap_or(Outgoing::Gone),
        };
        match next {
            Outgoing::Data(b) => {
                if sink.feed(WsMessage::Binary(b)).await.is_err() {
                    return;
                }
                if rx.is_empty() && sink.flush().await.is_err() {
                    return;
                }
            }
            Outgoing::Close(code, reason) => {
                let frame = CloseFrame {
                    code,
                    reason: reason.into(),
                };
                let _ = sink.send(WsMessage::Close(Some(frame))).await;
                return;
            }
            Outgoing::Gone => {
                let _ = sink.flush().await;
                return;
            }
        }
    }
}

async fn next_event(session: Option<&mut Session>) -> Option<Event> {
    match session {
        Some(s) => s.mailbox.recv().await,
        None => std::future::pending().await,
    }
}

async fn killed(kill: Option<Arc<Kill>>) -> KillReason {
    match kill {
        Some(k) => k.killed().await,
        None => std::future::pending().await,
    }
}

impl Connection {
    async fn serve(&mut self, stream: &mut SplitStream<WebSocket>) -> End {
        let timeout = self.shared.config.heartbeat_timeout;
        let period = (timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            let kill = self.session.as_ref().map(|s| Arc::clone(&s.link.kill));
            // Not biased: a flood of pushes must not starve reading the client (its acks and
            // pings), nor a chatty client its own pushes.
            let wake = tokio::select! {
                _ = self.shared.shutdown.cancelled() => Wake::Shutdown,
                r = killed(kill) => Wake::Killed(r),
                Some(f) = self.pending.next(), if !self.pending.is_empty() => Wake::Answer(f),
                ev = next_event(self.session.as_mut()) => Wake::Event(ev),
                msg = stream.next() => Wake::Ws(msg),
                _ = tick.tick() => Wake::Tick,
            };
            let step = match wake {
                Wake::Shutdown => {
                    // Acks for sends already stored go out before the goodbye (briefly).
                    let _ = tokio::time::timeout(Duration::from_secs(1), async {
                        while let Some(f) = self.pending.next().await {
                            if self.send_frame(f).await.is_err() {
                                break;
                            }
                        }
                    })
                    .await;
                    Err(End::Close(close_code::GOING_AWAY, "server shutting down"))
                }
                Wake::Killed(KillReason::Kicked) => {
                    let _ = self
                        .send_frame(Frame::new(
                            0,
                            Body::Kicked(Kicked {
                                code: code::USER_ALREADY_LOGGED,
                                message: "another device logged in as this user".into(),
                            }),
                        ))
                        .await;
                    Err(End::Close(close_code::KICKED_OUT, "kicked out"))
                }
                Wake::Killed(KillReason::SlowConsumer) => {
                    Err(End::Close(close_code::SLOW_CONSUMER, "client too slow"))
                }
                Wake::Answer(frame) => self.send_frame(frame).await,
                Wake::Event(Some(ev)) => self.on_event(ev).await,
                Wake::Event(None) => Err(End::Close(INTERNAL_ERROR, "session mailbox closed")),
                Wake::Ws(None) => Err(End::Gone),
                Wake::Ws(Some(Err(e))) => self.on_read_error(e).await,
                Wake::Ws(Some(Ok(msg))) => self.on_message(msg).await,
                Wake::Tick => self.on_tick().await,
            };
            if let Err(end) = step {
                return end;
            }
        }
    }

    /// Unregisters the session; its rooms keep it for the grace period.
    fn finish(&mut self) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        self.shared
            .registry
            .unregister(s.app, &s.user.user_id, s.link.id);
        if !s.logged_out {
            let rooms: Vec<String> = s.rooms.iter().cloned().collect();
            self.shared
                .rooms
                .disconnected(s.app, &s.user.user_id, s.link.id, &rooms);
        }
    }

    // ----- sending -------------------------------------------------------------------------

    async fn send_bytes(&self, bytes: Bytes) -> Step {
        if let Some(&kind) = bytes.get(1) {
            self.shared.metrics.frame_out(kind);
        }
        let kill = self.session.as_ref().map(|s| Arc::clone(&s.link.kill));
        let send = tokio::time::timeout(SEND_TIMEOUT, self.out.send(Outgoing::Data(bytes)));
        tokio::select! {
            biased; // a send with room goes out even if we are being closed (Kicked)
            r = send => match r {
                Ok(Ok(())) => Ok(()),
                Ok(Err(_)) => Err(End::Gone),
                Err(_) => Err(End::Close(close_code::SLOW_CONSUMER, "client too slow")),
            },
            // While we wait for room, others may give up on us (mailbox overflow, a second
            // login) or the server may stop.
            reason = killed(kill) => Err(match reason {
                KillReason::Kicked => End::Close(close_code::KICKED_OUT, "kicked out"),
                KillReason::SlowConsumer => End::Close(close_code::SLOW_CONSUMER, "client too slow"),
            }),
            _ = self.shared.shutdown.cancelled() => {
                Err(End::Close(close_code::GOING_AWAY, "server shutting down"))
            }
        }
    }

    async fn send_frame(&self, frame: Frame) -> Step {
        if let Body::Error(e) = &frame.body {
            self.shared.metrics.error(e.code);
        }
        self.send_bytes(Bytes::from(frame.encode())).await
    }

    async fn reply(&self, request_id: u32, body: Body) -> Step {
        self.send_frame(Frame::new(request_id, body)).await
    }

    /// Answers request `request_id` with a ZIM error; the connection stays open.
    async fn error(&self, request_id: u32, code: u32, message: &str) -> Step {
        tracing::debug!(peer = %self.peer, request_id, code, message, "request failed");
        self.reply(
            request_id,
            Body::Error(Error {
                code,
                message: message.into(),
            }),
        )
        .await
    }

    /// Answers with a ZIM error, then closes with 1002.
    async fn protocol_error(&self, request_id: u32, code: u32, message: &str) -> Step {
        tracing::info!(peer = %self.peer, code, message, "protocol error");
        self.error(request_id, code, message).await?;
        Err(End::Close(close_code::PROTOCOL_ERROR, "protocol error"))
    }

    // ----- input ---------------------------------------------------------------------------

    async fn on_read_error(&self, e: axum::Error) -> Step {
        let too_big = std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<tungstenite::Error>())
            .is_some_and(|t| matches!(t, tungstenite::Error::Capacity(_)));
        if too_big {
            tracing::info!(peer = %self.peer, error = %e, "frame over the size cap");
            self.error(0, code::PARAMS_INVALID, "frame larger than 64 KiB")
                .await?;
            return Err(End::Close(close_code::PROTOCOL_ERROR, "frame too large"));
        }
        match e.into_inner().downcast::<tungstenite::Error>() {
            Ok(t)
                if matches!(
                    *t,
                    tungstenite::Error::Protocol(_) | tungstenite::Error::Utf8(_)
                ) =>
            {
                self.protocol_error(0, code::PARAMS_INVALID, "WebSocket protocol violation")
                    .await
            }
            _ => Err(End::Gone),
        }
    }

    async fn on_message(&mut self, msg: WsMessage) -> Step {
        self.last_heard = Instant::now();
        match msg {
            WsMessage::Binary(bytes) => match Frame::decode(&bytes, MAX_CLIENT_FRAME_LEN) {
                Ok(frame) => {
                    self.shared.metrics.frame_in(frame.body.kind());
                    self.on_frame(frame).await
                }
                Err(e) => {
                    self.protocol_error(0, e.zim_code(), &format!("malformed frame: {e}"))
                        .await
                }
            },
            WsMessage::Text(_) => {
                self.protocol_error(0, code::PARAMS_INVALID, "text messages are not frames")
                    .await
            }
            WsMessage::Ping(_) | WsMessage::Pong(_) => Ok(()),
            WsMessage::Close(_) => Err(End::Gone),
        }
    }

    async fn on_tick(&mut self) -> Step {
        if self.last_heard.elapsed() > self.shared.config.heartbeat_timeout {
            return Err(End::Close(
                close_code::HEARTBEAT_TIMEOUT,
                "heartbeat timeout",
            ));
        }
        if let Some(s) = &self.session {
            if now_secs() >= s.token_expire {
                self.error(0, code::TOKEN_EXPIRED, "token expired").await?;
                return Err(End::Close(close_code::LOGIN_FAILED, "token expired"));
            }
        }
        Ok(())
    }

    async fn on_frame(&mut self, frame: Frame) -> Step {
        let rid = frame.request_id;
        let body = frame.body;
        if body.kind() >= 64 {
            return self
                .protocol_error(
                    rid,
                    code::UNSUPPORTED_REQUEST,
                    "a server frame kind sent by a client",
                )
                .await;
        }
        if self.session.is_none() {
            return match body {
                Body::Login(login) => self.login(rid, login).await,
                Body::PushAck(_) => Ok(()),
                _ => self.error(rid, code::USER_NOT_LOGGED, "log in first").await,
            };
        }
        match body {
            Body::Login(_) => {
                self.protocol_error(
                    rid,
                    code::USER_ALREADY_LOGGED,
                    "already logged in on this connection",
                )
                .await
            }
            Body::Logout(_) => self.logout(rid).await,
            Body::Ping(_) => {
                self.reply(
                    rid,
                    Body::Pong(Pong {
                        server_time: now_millis(),
                    }),
                )
                .await
            }
            Body::RenewToken(r) => self.renew_token(rid, &r.token).await,
            Body::Send(s) => self.on_send(rid, s).await,
            Body::PushAck(a) => self.on_push_ack(a.inbox_seq).await,
            Body::RoomCreate(r) => self.join_room(rid, r, JoinMode::Create).await,
            Body::RoomJoin(r) => self.join_room(rid, r, JoinMode::Join).await,
            Body::RoomEnter(r) => self.join_room(rid, r, JoinMode::Enter).await,
            Body::RoomLeave(r) => self.leave_room(rid, r).await,
            Body::RoomMembers(q) => self.room_members(rid, q).await,
            Body::RoomOnlineCount(r) => self.room_count(rid, r).await,
            Body::History(q) => self.history(rid, q).await,
            _ => {
                self.protocol_error(rid, code::UNSUPPORTED_REQUEST, "unexpected frame kind")
                    .await
            }
        }
    }

    // ----- login, logout, token ------------------------------------------------------------

    async fn login_failed(&self, rid: u32, code: u32, message: &str) -> Step {
        self.shared.metrics.logins_failed.fetch_add(1, Relaxed);
        tracing::info!(peer = %self.peer, code, message, "login failed");
        self.error(rid, code, message).await?;
        Err(End::Close(close_code::LOGIN_FAILED, "login failed"))
    }

    async fn login(&mut self, rid: u32, l: Login) -> Step {
        if !is_valid_user_id(&l.user_id) {
            return self
                .login_failed(rid, code::PARAMS_INVALID, "invalid user ID")
                .await;
        }
        if l.user_name.len() > MAX_USER_NAME_LEN {
            return self
                .login_failed(rid, code::PARAMS_INVALID, "user name longer than 32 bytes")
                .await;
        }
        if l.token.is_empty() || l.token.len() > MAX_TOKEN_LEN {
            return self
                .login_failed(rid, code::PARAMS_INVALID, "token must be 1 to 4096 bytes")
                .await;
        }
        let Some(secret) = self.shared.config.apps.get(&l.app_id) else {
            return self
                .login_failed(rid, code::INVALID_APP_ID, "unknown app ID")
                .await;
        };
        let token_expire = match token::verify(&l.token, l.app_id, &l.user_id, secret, now_secs()) {
            Ok(t) => t,
            Err(e) => return self.login_failed(rid, e.code, e.reason).await,
        };

        let (tx, mailbox) = mpsc::channel(MAILBOX_CAPACITY);
        let link = SessionLink {
            id: self.shared.ids.next(),
            mailbox: tx,
            kill: Arc::new(Kill::default()),
        };
        // Register before reading the inbox: whatever commits from now on arrives in the
        // mailbox, whatever committed before is in the store read below.
        if let Some(old) = self
            .shared
            .registry
            .register(l.app_id, &l.user_id, link.clone())
        {
            self.shared.metrics.kicks.fetch_add(1, Relaxed);
            tracing::info!(app = l.app_id, user = %l.user_id, old_session = old.id, "second login: kicking the first session");
            old.kill.kill(KillReason::Kicked);
        }
        let state = match self.shared.store.user_state(l.app_id, &l.user_id).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "store: reading user state failed");
                self.shared
                    .registry
                    .unregister(l.app_id, &l.user_id, link.id);
                self.error(rid, code::DATABASE_ERROR, "database error")
                    .await?;
                return Err(End::Close(INTERNAL_ERROR, "store error"));
            }
        };
        let session_id = link.id;
        self.session = Some(Session {
            app: l.app_id,
            user: User {
                user_id: l.user_id.clone(),
                user_name: l.user_name,
            },
            token_expire,
            link,
            mailbox,
            pushed: l.last_inbox_seq.max(state.acked_seq),
            acked: state.acked_seq,
            rooms: BTreeSet::new(),
            sends: self
                .shared
                .send_states
                .get(l.app_id, &l.user_id, Instant::now()),
            logged_out: false,
        });
        self.shared.metrics.logins_ok.fetch_add(1, Relaxed);
        tracing::info!(peer = %self.peer, app = l.app_id, user = %l.user_id, session_id,
            inbox_seq = state.inbox_seq, resume_after = l.last_inbox_seq.max(state.acked_seq), "login");
        self.reply(
            rid,
            Body::LoginOk(LoginOk {
                session_id,
                server_time: now_millis(),
                token_expire,
                inbox_seq: state.inbox_seq,
            }),
        )
        .await?;
        self.catch_up(u64::MAX, true).await
    }

    async fn logout(&mut self, rid: u32) -> Step {
        // Sends queued before the logout are answered first.
        while let Some(f) = self.pending.next().await {
            self.send_frame(f).await?;
        }
        if let Some(s) = self.session.as_mut() {
            s.logged_out = true;
            for room_id in std::mem::take(&mut s.rooms) {
                let _ = self.shared.rooms.leave(s.app, &room_id, &s.user.user_id);
            }
            tracing::info!(app = s.app, user = %s.user.user_id, "logout");
        }
        self.reply(rid, Body::Ok(Empty {})).await?;
        Err(End::Close(1000, "logged out"))
    }

    async fn renew_token(&mut self, rid: u32, t: &str) -> Step {
        if t.is_empty() || t.len() > MAX_TOKEN_LEN {
            return self
                .error(rid, code::PARAMS_INVALID, "token must be 1 to 4096 bytes")
                .await;
        }
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        let secret = self
            .shared
            .config
            .apps
            .get(&s.app)
            .map(String::as_str)
            .unwrap_or("");
        match token::verify(t, s.app, &s.user.user_id, secret, now_secs()) {
            Ok(expire) => {
                s.token_expire = expire;
                self.reply(
                    rid,
                    Body::TokenRenewed(TokenRenewed {
                        token_expire: expire,
                    }),
                )
                .await
            }
            Err(e) => self.error(rid, e.code, e.reason).await,
        }
    }

    // ----- inbox ---------------------------------------------------------------------------

    /// Pushes inbox entries after `pushed` from the store until `until` is pushed or the
    /// inbox is exhausted.
    async fn catch_up(&mut self, until: u64, offline: bool) -> Step {
        loop {
            let Some(s) = self.session.as_ref() else {
                return Ok(());
            };
            if s.pushed >= until {
                return Ok(());
            }
            let entries = match self
                .shared
                .store
                .inbox_after(s.app, &s.user.user_id, s.pushed, MAX_PAGE_COUNT)
                .await
            {
                Ok(e) => e,
                Err(e) => {
                    tracing::error!(error = %e, "store: reading the inbox failed");
                    self.error(0, code::DATABASE_ERROR, "database error")
                        .await?;
                    return Err(End::Close(INTERNAL_ERROR, "store error"));
                }
            };
            let full = entries.len() == MAX_PAGE_COUNT as usize;
            if entries.is_empty() {
                return Ok(());
            }
            self.push_entries(entries, offline).await?;
            if !full {
                return Ok(());
            }
        }
    }

    /// Sends `entries` (ascending, all after `pushed`) as Push frames within the size cap.
    async fn push_entries(&mut self, entries: Vec<InboxEntry>, offline: bool) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        let viewer = s.user.user_id.clone();
        let mut batch: Vec<Delivery> = Vec::new();
        let mut size = 0;
        let mut last = s.pushed;
        for e in entries {
            if e.seq <= last {
                continue;
            }
            let n = e.message.wire_size();
            if !batch.is_empty() && size + n > FRAME_BUDGET {
                self.send_push(std::mem::take(&mut batch), offline, last)
                    .await?;
                size = 0;
            }
            size += n;
            last = e.seq;
            batch.push(Delivery {
                inbox_seq: e.seq,
                message: e.message.view_for(&viewer),
            });
        }
        if !batch.is_empty() {
            self.send_push(batch, offline, last).await?;
        }
        Ok(())
    }

    async fn send_push(&mut self, deliveries: Vec<Delivery>, offline: bool, last: u64) -> Step {
        let m = &self.shared.metrics;
        m.pushes_inbox.fetch_add(1, Relaxed);
        m.deliveries_inbox
            .fetch_add(deliveries.len() as u64, Relaxed);
        self.reply(
            0,
            Body::Push(Push {
                offline,
                deliveries: List::from(deliveries),
            }),
        )
        .await?;
        if let Some(s) = self.session.as_mut() {
            s.pushed = last;
        }
        Ok(())
    }

    async fn on_event(&mut self, first: Event) -> Step {
        let mut next = Some(first);
        while let Some(ev) = next.take() {
            match ev {
                Event::Frame(bytes) => self.send_bytes(bytes).await?,
                Event::Inbox(seq, message) => {
                    let Some(s) = self.session.as_mut() else {
                        return Ok(());
                    };
                    if seq <= s.pushed {
                        continue;
                    }
                    if seq > s.pushed + 1 {
                        // Something overtook us: fill the gap from the store.
                        self.catch_up(seq, false).await?;
                        continue;
                    }
                    // Gather what else is already waiting into one Push.
                    let mut size = message.wire_size();
                    let mut last = seq;
                    let mut batch = vec![InboxEntry { seq, message }];
                    while batch.len() < MAX_PAGE_COUNT as usize && size < FRAME_BUDGET / 2 {
                        match s.mailbox.try_recv() {
                            Ok(Event::Inbox(q, m)) if q == last + 1 => {
                                size += m.wire_size();
                                last = q;
                                batch.push(InboxEntry { seq: q, message: m });
                            }
                            Ok(Event::Inbox(q, _)) if q <= last => {}
                            Ok(other) => {
                                next = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    self.push_entries(batch, false).await?;
                }
            }
        }
        Ok(())
    }

    async fn on_push_ack(&mut self, seq: u64) -> Step {
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        let seq = seq.min(s.pushed);
        if seq > s.acked {
            s.acked = seq;
            self.shared.store.ack(s.app, &s.user.user_id, seq).await;
        }
        Ok(())
    }

    // ----- messages ------------------------------------------------------------------------

    async fn on_send(&mut self, rid: u32, m: tinyim_protocol::Send) -> Step {
        if let Err(why) = validate_send(&m) {
            return self.error(rid, code::PARAMS_INVALID, why).await;
        }
        let rate_limit = self.shared.config.rate_limit;
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        let now = Instant::now();
        let (duplicate, allowed) = {
            let mut sends = s.sends.lock().unwrap_or_else(|p| p.into_inner());
            let duplicate = (m.conversation_type == conversation_type::ROOM)
                .then(|| sends.room_ack(m.client_message_id))
                .flatten();
            let allowed =
                duplicate.is_some() || !rate_limit || sends.limiter.allow(m.message_type, now);
            (duplicate, allowed)
        };
        send_state::touch(&s.sends, now);
        if let Some(ack) = duplicate {
            self.shared.metrics.duplicates.fetch_add(1, Relaxed);
            return self.reply(rid, Body::SendAck(ack)).await;
        }
        if !allowed {
            return self
                .error(
                    rid,
                    code::SERVER_FREQUENCY_LIMIT,
                    "server send rate limit: at most 10 text or 20 command messages a second",
                )
                .await;
        }
        let command = m.message_type == message_type::COMMAND;
        let message_id = self.shared.ids.next();
        let timestamp = now_millis();
        if m.conversation_type == conversation_type::PEER {
            let rx = self
                .shared
                .store
                .submit_peer(NewPeerMessage {
                    message_id,
                    app: s.app,
                    sender: s.user.user_id.clone(),
                    recipient: m.to,
                    client_message_id: m.client_message_id,
                    message_type: m.message_type,
                    priority: m.priority,
                    payload: m.payload,
                    extended_data: m.extended_data,
                    timestamp,
                })
                .await;
            let metrics = Arc::clone(&self.shared.metrics);
            self.pending.push_back(Box::pin(async move {
                match rx.await {
                    Ok(Ok(stored)) => {
                        if stored.duplicate {
                            metrics.duplicates.fetch_add(1, Relaxed);
                        } else {
                            metrics.message(false, command);
                        }
                        let msg = &stored.message;
                        Frame::new(
                            rid,
                            Body::SendAck(SendAck {
                                message_id: msg.message_id,
                                timestamp: msg.timestamp,
                                order_key: msg.order_key,
                            }),
                        )
                    }
                    _ => Frame::new(
                        rid,
                        Body::Error(Error {
                            code: code::DATABASE_ERROR,
                            message: "message not stored".into(),
                        }),
                    ),
                }
            }));
            return Ok(());
        }

        // Room: live fan-out, no store.
        let sender = s.user.user_id.clone();
        let result = self
            .shared
            .rooms
            .send(s.app, &m.to, &sender, |order_key| Message {
                message_id,
                client_message_id: m.client_message_id,
                conversation_type: conversation_type::ROOM,
                conversation_id: m.to.clone(),
                sender_id: sender.clone(),
                message_type: m.message_type,
                priority: m.priority,
                payload: m.payload,
                extended_data: m.extended_data,
                timestamp,
                order_key,
            });
        match result {
            Ok(msg) => {
                self.shared.metrics.message(true, command);
                let ack = SendAck {
                    message_id: msg.message_id,
                    timestamp: msg.timestamp,
                    order_key: msg.order_key,
                };
                s.sends
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remember_room_ack(m.client_message_id, ack.clone());
                self.reply(rid, Body::SendAck(ack)).await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }

    async fn history(&mut self, rid: u32, q: HistoryQuery) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        if q.conversation_type != conversation_type::PEER {
            return self
                .error(
                    rid,
                    code::PARAMS_INVALID,
                    "history is kept for peer conversations only",
                )
                .await;
        }
        if !is_valid_user_id(&q.conversation_id) {
            return self
                .error(rid, code::PARAMS_INVALID, "invalid conversation ID")
                .await;
        }
        if q.count == 0 || q.count > MAX_PAGE_COUNT {
            return self
                .error(rid, code::PARAMS_INVALID, "count must be 1 to 100")
                .await;
        }
        let count = q.count;
        let viewer = s.user.user_id.clone();
        let rows = match self
            .shared
            .store
            .history(
                s.app,
                &viewer,
                &q.conversation_id,
                q.anchor_order_key,
                count,
                // ZIM's `reverse` pages back in time: older than the anchor.
                q.reverse,
            )
            .await
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "store: history failed");
                return self
                    .error(rid, code::DATABASE_ERROR, "database error")
                    .await;
            }
        };
        // Rows come nearest-to-the-anchor first; keep as many as fit one frame.
        let mut size = 0;
        let mut messages: Vec<Message> = Vec::with_capacity(rows.len());
        for r in &rows {
            size += r.wire_size();
            if !messages.is_empty() && size > FRAME_BUDGET {
                break;
            }
            messages.push(r.view_for(&viewer));
        }
        // Older pages come newest first from the store; a page is always ascending.
        if q.reverse {
            messages.reverse();
        }
        self.reply(
            rid,
            Body::HistoryPage(HistoryPage {
                conversation_type: conversation_type::PEER,
                conversation_id: q.conversation_id,
                messages: List::from(messages),
            }),
        )
        .await
    }

    // ----- rooms ---------------------------------------------------------------------------

    async fn join_room(&mut self, rid: u32, r: Room, mode: JoinMode) -> Step {
        if let Err(why) = validate_room(&r.room_id, &r.room_name) {
            return self.error(rid, code::PARAMS_INVALID, why).await;
        }
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        match self
            .shared
            .rooms
            .join(s.app, &r.room_id, &r.room_name, mode, &s.user, &s.link)
        {
            Ok(room_name) => {
                s.rooms.insert(r.room_id.clone());
                self.reply(
                    rid,
                    Body::RoomInfo(Room {
                        room_id: r.room_id,
                        room_name,
                    }),
                )
                .await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }

    async fn leave_room(&mut self, rid: u32, r: Room) -> Step {
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        match self.shared.rooms.leave(s.app, &r.room_id, &s.user.user_id) {
            Ok(()) => {
                s.rooms.remove(&r.room_id);
                self.reply(rid, Body::Ok(Empty {})).await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }

    async fn room_members(&mut self, rid: u32, q: RoomMembersQuery) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        if q.count == 0 || q.count > MAX_PAGE_COUNT {
            return self
                .error(rid, code::PARAMS_INVALID, "count must be 1 to 100")
                .await;
        }
        if let Err(why) = validate_room(&q.room_id, "") {
            return self.error(rid, code::PARAMS_INVALID, why).await;
        }
        let count = q.count;
        match self
            .shared
            .rooms
            .members_page(s.app, &q.room_id, &q.next_flag, count as usize)
        {
            Ok((members, next_flag)) => {
                self.reply(
                    rid,
                    Body::RoomMemberPage(RoomMemberPage {
                        room_id: q.room_id,
                        members: List::from(members),
                        next_flag,
                    }),
                )
                .await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }

    async fn room_count(&mut self, rid: u32, r: Room) -> Step {
        let Some(s) = self.session.as_ref() else {
            return Ok(());
        };
        match self.shared.rooms.count(s.app, &r.room_id) {
            Ok(count) => {
                self.reply(
                    rid,
                    Body::RoomCount(RoomCount {
                        room_id: r.room_id,
                        count,
                    }),
                )
                .await
            }
            Err(code) => self.error(rid, code, room_error_text(code)).await,
        }
    }
}

/// Checks a send against the limits of ZIM-API.md §6.
fn validate_send(m: &tinyim_protocol::Send) -> Result<(), &'static str> {
    match m.conversation_type {
        conversation_type::PEER => {
            if !is_valid_user_id(&m.to) {
                return Err("invalid recipient user ID");
            }
        }
        conversation_type::ROOM => validate_room(&m.to, "")?,
        _ => return Err("unsupported conversation type"),
    }
    match m.message_type {
        message_type::TEXT => {
            if m.payload.len() > MAX_TEXT_LEN {
                return Err("text message longer than 32 KB");
            }
            if std::str::from_utf8(&m.payload).is_err() {
                return Err("text message is not UTF-8");
            }
        }
        message_type::COMMAND => {
            if m.payload.len() > MAX_COMMAND_LEN {
                return Err("command message longer than 5 KB");
            }
        }
        _ => return Err("unsupported message type"),
    }
    if m.extended_data.len() > MAX_EXTENDED_DATA_LEN {
        return Err("extendedData longer than 1 KB");
    }
    if m.priority > 3 {
        return Err("invalid priority");
    }
    Ok(())
}

fn validate_room(room_id: &str, room_name: &str) -> Result<(), &'static str> {
    if !is_valid_room_id(room_id) {
        return Err(
            "room ID must be 1 to 128 bytes of digits, English letters and ZIM's punctuation",
        );
    }
    if room_name.len() > MAX_ROOM_NAME_LEN {
        return Err("room name longer than 64 bytes");
    }
    Ok(())
}

fn room_error_text(c: u32) -> &'static str {
    match c {
        code::USER_NOT_IN_ROOM => "not a member of this room",
        code::ROOM_DOES_NOT_EXIST => "room does not exist",
        code::ROOM_ALREADY_EXISTS => "room already exists",
        _ => "room error",
    }
}
