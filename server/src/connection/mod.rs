//! One WebSocket connection: the protocol session from the first frame to the close.
//!
//! This file holds the connection's loop: reading, writing, timers and dispatch. What each
//! request does lives beside it: [`login`] (login, logout, token), [`inbox`] (pushes and
//! acks), [`messages`] (sends and history) and [`rooms`].
//!
//! Each connection is two tasks. The **session task** ([`Connection`]) reads
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

mod calls;
mod inbox;
mod login;
mod messages;
mod rooms;

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
    is_valid_group_id, is_valid_room_id, is_valid_user_id, MAX_CLIENT_FRAME_LEN, MAX_COMMAND_LEN,
    MAX_EXTENDED_DATA_LEN, MAX_PAGE_COUNT, MAX_ROOM_NAME_LEN, MAX_SERVER_FRAME_LEN, MAX_TEXT_LEN,
    MAX_TOKEN_LEN, MAX_USER_NAME_LEN,
};
use tinyim_protocol::{
    close_code, code, conversation_type, message_type, Body, Delivery, Empty, Error, Frame,
    HistoryPage, HistoryQuery, Kicked, List, Login, LoginOk, Message, MessageExt, Pong, Push, Room,
    RoomCount, RoomMemberPage, RoomMembersQuery, SendAck, TokenRenewed, User,
};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

use crate::guard::{Admission, Refusal};
use crate::queue;
use crate::rooms::JoinMode;
use crate::send_state::{self, SharedSendState};
use crate::server::{now_millis, now_secs, Shared};
use crate::session::{Ended, Event, Kill, KillReason, SessionLink};
use crate::store::{Append, InboxEntry, InboxItem, NewPeerMessage};
use crate::token;

/// Frames that may wait for the writer task.
const OUTBOUND_CAPACITY: usize = 64;
/// Bytes that may wait for the writer task. Frames run up to 1 MiB, so a count of frames
/// alone would let a client that reads a trickle pin 64 MiB of server memory.
const OUTBOUND_BYTES: usize = 2 * MAX_SERVER_FRAME_LEN;
/// Events that may wait for the session task (a peer message is at most ~33 KiB).
const MAILBOX_CAPACITY: usize = 256;
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
    /// A frame; the writer gives its share of [`OUTBOUND_BYTES`] back once it is written
    /// ([`budget_of`]).
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
/// Why a send (peer, room or group) is refused with 6000203: sender order, docs/protocol.md.
pub(crate) const PREDECESSOR_MISSING: &str =
    "not stored: the message it follows (prev_client_message_id) is not stored yet";

/// How long a session that ends waits for the answers of its sends in flight.
const FLUSH_PENDING_WAIT: Duration = Duration::from_secs(5);

type PendingAnswer = Pin<Box<dyn Future<Output = Frame> + Send + Sync>>;

/// The logged-in part of a connection.
struct Session {
    app: u32,
    user: User,
    token_expire: u64,
    link: SessionLink,
    mailbox: crate::session::MailboxRx,
    /// Highest inbox sequence pushed on this connection.
    pushed: u64,
    /// Highest inbox sequence acknowledged (and stored).
    acked: u64,
    /// The user's rate budget and recent room acks, shared with their later connections.
    sends: SharedSendState,
    logged_out: bool,
}

struct Connection {
    shared: Arc<Shared>,
    out: queue::Sender<Outgoing>,
    /// Bytes the outbound queue may still take ([`OUTBOUND_BYTES`] when empty).
    out_budget: Arc<Semaphore>,
    peer: SocketAddr,
    /// The socket's place in the guard's caps; until login it also bounds the socket's life
    /// (the login deadline, eviction), whatever frames arrive meanwhile.
    admission: Admission,
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
    /// Not logged in at the login deadline, or evicted to make room.
    Unadmitted(Refusal),
}

/// Serves one upgraded WebSocket until it closes.
pub async fn run(socket: WebSocket, shared: Arc<Shared>, peer: SocketAddr, admission: Admission) {
    let metrics = Arc::clone(&shared.metrics);
    let shutting_down = shared.shutdown.clone();
    metrics.connections.fetch_add(1, Relaxed);
    metrics.connections_total.fetch_add(1, Relaxed);
    tracing::debug!(%peer, "connection opened");

    let (sink, mut stream) = socket.split();
    let (out, out_rx) = queue::channel(OUTBOUND_CAPACITY);
    let (close_tx, close_rx) = oneshot::channel();
    let out_budget = Arc::new(Semaphore::new(OUTBOUND_BYTES));
    let writer = tokio::spawn(write_loop(sink, out_rx, close_rx, Arc::clone(&out_budget)));
    // The socket keeps its place in the caps until it is really closed (after the linger
    // below), not when the session ends.
    let place = admission.clone();
    let mut conn = Connection {
        shared,
        out,
        out_budget,
        peer,
        admission,
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
    // Sockets that never logged in are a stranger's: their ends are logged by the guard,
    // rate-limited, so a flood of them cannot fill the disk.
    let strange = who.is_empty();
    conn.finish();
    let out = conn.out.clone();
    drop(conn);
    let abort = writer.abort_handle();
    match end {
        End::Close(code, reason) => {
            metrics.close(code);
            if strange {
                tracing::debug!(%peer, code, reason, "connection closed by server");
            } else {
                tracing::info!(%peer, user = %who, code, reason, "connection closed by server");
            }
            // The close follows what is queued (an Error or Kicked frame explains it), unless
            // the queue is full: then the client stopped reading, and the close jumps the
            // queue. Then let the client answer so the handshake completes cleanly; a client
            // that reads nothing gets a few seconds before the socket is dropped.
            // (A moment's wait for room first: a client that is reading may just be behind on
            // the acks and Kicked frame queued before this close.)
            let mut close_tx = Some(close_tx);
            if let Err(queue::SendError::Full) = out
                .send_timeout(Outgoing::Close(code, reason), Duration::from_secs(1))
                .await
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
            if strange {
                tracing::debug!(%peer, "connection closed by client");
            } else {
                tracing::info!(%peer, user = %who, "connection closed by client");
            }
            drop(out);
            drop(close_tx);
            let _ = tokio::time::timeout(Duration::from_secs(1), writer).await;
        }
    }
    abort.abort();
    metrics.connections.fetch_sub(1, Relaxed);
    drop(place);
}

/// Drains the outbound queue into the socket, flushing when the queue runs dry. A close on
/// `close` jumps the queue (used when the queue is full: what is still queued is dropped).
async fn write_loop(
    mut sink: SplitSink<WebSocket, WsMessage>,
    mut rx: queue::Receiver<Outgoing>,
    mut close: oneshot::Receiver<(u16, &'static str)>,
    budget: Arc<Semaphore>,
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
                let n = budget_of(&b);
                if sink.feed(WsMessage::Binary(b)).await.is_err() {
                    return;
                }
                budget.add_permits(n as usize);
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

/// A frame's share of the outbound byte budget. (A frame larger than the whole budget waits
/// for an empty queue.)
fn budget_of(bytes: &Bytes) -> u32 {
    bytes.len().clamp(1, OUTBOUND_BYTES) as u32
}

async fn next_event(session: Option<&mut Session>) -> Option<Event> {
    match session {
        Some(s) => s.mailbox.recv().await,
        None => std::future::pending().await,
    }
}

/// The monotonic instant of a Unix-seconds expiry (just after it, so the check that runs
/// then sees it passed).
fn expiry_instant(unix_secs: u64) -> Instant {
    let left = unix_secs.saturating_sub(now_secs());
    Instant::now() + Duration::from_secs(left) + Duration::from_millis(10)
}

async fn killed(kill: Option<Arc<Kill>>) -> KillReason {
    match kill {
        Some(k) => k.killed().await,
        None => std::future::pending().await,
    }
}

impl Connection {
    async fn serve(&mut self, stream: &mut SplitStream<WebSocket>) -> End {
        // One timer per connection, armed for the next moment something can be due (the
        // heartbeat timeout, the token's expiry) instead of a periodic tick: an idle
        // connection then wakes about once per heartbeat timeout, not every second
        // (tinyim-bench connect: 5000 idle connections cost ~4% of a core in 1 s ticks).
        let timeout = self.shared.config.heartbeat_timeout;
        let deadline = tokio::time::sleep_until((self.last_heard + timeout).into());
        tokio::pin!(deadline);
        let mut armed_expire = 0u64;
        loop {
            // A new login or renewal may bring a token expiry earlier than the armed time.
            if let Some(s) = &self.session {
                if s.token_expire != armed_expire {
                    armed_expire = s.token_expire;
                    let at = tokio::time::Instant::from_std(expiry_instant(armed_expire));
                    if at < deadline.deadline() {
                        deadline.as_mut().reset(at);
                    }
                }
            }
            let kill = self.session.as_ref().map(|s| Arc::clone(&s.link.kill));
            // Not biased: a flood of pushes must not starve reading the client (its acks and
            // pings), nor a chatty client its own pushes.
            let wake = tokio::select! {
                _ = self.shared.shutdown.cancelled() => Wake::Shutdown,
                r = killed(kill) => Wake::Killed(r),
                Some(f) = self.pending.next(), if !self.pending.is_empty() => Wake::Answer(f),
                ev = next_event(self.session.as_mut()) => Wake::Event(ev),
                msg = stream.next() => Wake::Ws(msg),
                _ = &mut deadline => Wake::Tick,
                why = self.admission.expired(), if self.session.is_none() => Wake::Unadmitted(why),
            };
            // Every handler below runs boxed: an async fn's future is as large as its
            // largest state, and the handlers (login, history, rooms, pushes) would make every
            // connection's task carry several KB while it sits idle in the select above.
            // Boxed, that memory exists only while a request is being handled.
            let step = match wake {
                Wake::Shutdown => {
                    // Acks for sends already stored go out before the goodbye (briefly).
                    Box::pin(self.flush_pending()).await;
                    Err(End::Close(close_code::GOING_AWAY, "server shutting down"))
                }
                Wake::Killed(KillReason::Kicked) => {
                    // Likewise: a kicked client does not reconnect to resend, so a send stored
                    // without its ack would show as failed although it was delivered.
                    Box::pin(self.flush_pending()).await;
                    let kicked = Frame::new(
                        0,
                        Body::Kicked(Kicked {
                            code: code::USER_ALREADY_LOGGED,
                            message: "another device logged in as this user".into(),
                        }),
                    );
                    let _ = tokio::time::timeout(
                        Duration::from_secs(1),
                        Box::pin(self.queue_closing(kicked)),
                    )
                    .await;
                    Err(End::Close(close_code::KICKED_OUT, "kicked out"))
                }
                Wake::Killed(KillReason::SlowConsumer) => {
                    Err(End::Close(close_code::SLOW_CONSUMER, "client too slow"))
                }
                Wake::Answer(frame) => Box::pin(self.send_frame(frame)).await,
                Wake::Event(Some(ev)) => Box::pin(self.on_event(ev)).await,
                Wake::Event(None) => Err(End::Close(INTERNAL_ERROR, "session mailbox closed")),
                Wake::Ws(None) => Err(End::Gone),
                Wake::Ws(Some(Err(e))) => Box::pin(self.on_read_error(e)).await,
                Wake::Ws(Some(Ok(msg))) => Box::pin(self.on_message(msg)).await,
                Wake::Unadmitted(why) => {
                    self.admission.refuse(why);
                    Err(match why {
                        // Its place is already someone else's: go now, without a handshake.
                        Refusal::UnauthenticatedEvicted => End::Gone,
                        _ => End::Close(close_code::HEARTBEAT_TIMEOUT, "no login in time"),
                    })
                }
                Wake::Tick => {
                    let step = Box::pin(self.on_tick()).await;
                    // Re-arm for whatever is due next; on_tick ended the session if it was.
                    let mut next = self.last_heard + timeout;
                    if let Some(s) = &self.session {
                        next = next.min(expiry_instant(s.token_expire));
                    }
                    // Never in the past: a token that expires "now" is seen by on_tick.
                    next = next.max(Instant::now() + Duration::from_millis(10));
                    deadline.as_mut().reset(next.into());
                    step
                }
            };
            if let Err(end) = step {
                return end;
            }
        }
    }

    /// Sends the answers of pipelined sends still in flight, waiting at most
    /// [`FLUSH_PENDING_WAIT`]: a store commit takes milliseconds, but on a loaded machine a
    /// batch of them can take over a second, and an ack not sent here is a send the client
    /// reports failed although it was delivered.
    async fn flush_pending(&mut self) {
        let _ = tokio::time::timeout(FLUSH_PENDING_WAIT, async {
            while let Some(f) = self.pending.next().await {
                if !self.queue_closing(f).await {
                    break;
                }
            }
        })
        .await;
    }

    /// Queues `frame` on a session that is ending, waiting for room in the queue (the caller
    /// bounds the wait). Unlike [`Self::send_frame`] it does not give up as soon as the queue
    /// is full because the session was kicked or the server is stopping.
    async fn queue_closing(&self, frame: Frame) -> bool {
        if let Body::Error(e) = &frame.body {
            self.shared.metrics.error(e.code);
        }
        self.shared.metrics.frame_out(frame.body.kind());
        let bytes = Bytes::from(frame.encode());
        let Ok(budget) = self.reserve(&bytes).await else {
            return false;
        };
        budget.forget();
        self.out.send(Outgoing::Data(bytes)).await.is_ok()
    }

    /// Unregisters the session; its rooms keep it for the grace period.
    fn finish(&mut self) {
        let Some(s) = self.session.as_ref() else {
            return;
        };
        let how = if s.logged_out {
            Ended::LoggedOut
        } else {
            Ended::Disconnected
        };
        self.shared
            .registry
            .end(s.app, &s.user.user_id, s.link.id, how);
        if !s.logged_out {
            self.shared
                .rooms
                .disconnected(s.app, &s.user.user_id, s.link.id);
        }
    }

    // ----- sending -------------------------------------------------------------------------

    async fn send_bytes(&self, bytes: Bytes) -> Step {
        if let Some(&kind) = bytes.get(1) {
            self.shared.metrics.frame_out(kind);
        }
        let kill = self.session.as_ref().map(|s| Arc::clone(&s.link.kill));
        let send = tokio::time::timeout(SEND_TIMEOUT, async {
            let budget = self.reserve(&bytes).await?;
            self.out
                .send({
                    // The writer gives these bytes back once the frame is written.
                    budget.forget();
                    Outgoing::Data(bytes)
                })
                .await
                .map_err(|_| ())
        });
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

    /// Waits until the outbound queue has room for `bytes`' size in bytes. (A frame larger
    /// than the whole budget waits for an empty queue.)
    async fn reserve(&self, bytes: &Bytes) -> Result<OwnedSemaphorePermit, ()> {
        let n = budget_of(bytes);
        Arc::clone(&self.out_budget)
            .acquire_many_owned(n)
            .await
            .map_err(|_| ())
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
        self.log_violation(message);
        self.error(request_id, code, message).await?;
        Err(End::Close(close_code::PROTOCOL_ERROR, "protocol error"))
    }

    /// Logs a protocol violation: one line for a logged-in user; for a stranger, through the
    /// guard's rate-limited refusal log (a flood of garbage must not fill the disk).
    fn log_violation(&self, message: &str) {
        if self.session.is_some() {
            tracing::info!(peer = %self.peer, message, "protocol error");
        } else {
            self.shared
                .guard
                .refuse(Refusal::ProtocolError, Some(self.peer), message);
        }
    }

    // ----- input ---------------------------------------------------------------------------

    async fn on_read_error(&self, e: axum::Error) -> Step {
        let too_big = std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<tungstenite::Error>())
            .is_some_and(|t| matches!(t, tungstenite::Error::Capacity(_)));
        if too_big {
            self.log_violation(&format!("frame over the size cap: {e}"));
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
                // The client does not reconnect after 4001: acks of stored sends first.
                self.flush_pending().await;
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
            Body::Call(c) => self.on_call(rid, c).await,
            _ => {
                self.protocol_error(rid, code::UNSUPPORTED_REQUEST, "unexpected frame kind")
                    .await
            }
        }
    }
}
