//! A small native host for the SDK's sans-IO core: one `tinyim::Client` over a real
//! WebSocket (tokio-tungstenite) with a real monotonic clock, the way the JS shim runs it in
//! a mini program.
//!
//! It has the same shape as the server tests' driver (`server/tests/support/driver.rs`:
//! `Driver::new / call / login / send_text / send_command / peer_messages /
//! wait_peer_messages / run_until / run_for / drop_transport`, `client`, `events`) so the two
//! can be unified into one shared host later. One difference on purpose: where the tests'
//! driver panics on a timeout, this one returns an error or `false`, because one slow user
//! must not abort a run of thousands. On top of that shape it adds what a
//! load generator needs and a test does not: a shared epoch so latencies can be measured
//! across users ([`Driver::with_epoch`]), calls that do not wait ([`Driver::start`]), one
//! input at a time with an extra wake-up for the scenario's own schedule ([`Driver::step`]),
//! and outputs handed to a callback instead of stored ([`Driver::drain_with`]) so a long run
//! does not accumulate every event. `wss://` URLs are opened with rustls, trusting the
//! roots given to [`Driver::with_tls`] (a test's own CA) or else the Web PKI's.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tinyim::{
    Client, Command, Config, Event, Input, Message, OpId, Output, Reply, Value, ZimError,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What the core wants the app to see: the outputs a host does not carry out itself.
#[derive(Debug)]
pub enum AppOutput {
    Event(Event),
    Completed {
        op: OpId,
        result: Result<Reply, ZimError>,
    },
}

/// How long [`Driver::step`] sleeps at most when nothing is due. Long, because thousands of
/// idle simulated users waking often would take CPU from the server being measured; callers
/// that need to react sooner pass a wake time or an interrupt.
const MAX_IDLE: Duration = Duration::from_secs(1);

/// One SDK client instance with its transport.
pub struct Driver {
    pub client: Client,
    start: Instant,
    ws: Option<Ws>,
    /// Every app event, in order (only the blocking helpers store them; see `drain_with`).
    pub events: Vec<Event>,
    /// The local address to connect from (another 127.0.0.x gives another 28,000 ephemeral
    /// ports: how the bench holds 100,000 connections to one server port).
    pub source: Option<std::net::IpAddr>,
    completed: HashMap<OpId, Result<Reply, ZimError>>,
    /// The TLS client configuration for `wss://` ([`Driver::with_tls`]).
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl Driver {
    pub fn new(app_id: u32, server_url: &str, seed: u64) -> Driver {
        Driver::with_epoch(app_id, server_url, seed, Instant::now())
    }

    /// A driver whose clock counts from `epoch`: give every simulated user the same one and
    /// a send time in one user's payload means the same thing at its receiver.
    pub fn with_epoch(app_id: u32, server_url: &str, seed: u64, epoch: Instant) -> Driver {
        Driver {
            client: Client::new(Config {
                app_id,
                server_url: server_url.to_owned(),
                seed,
            }),
            start: epoch,
            ws: None,
            events: Vec::new(),
            source: None,
            completed: HashMap::new(),
            tls: None,
        }
    }

    /// Opens `wss://` connections with `config` (for example trusting only a test CA).
    pub fn with_tls(mut self, config: Arc<rustls::ClientConfig>) -> Driver {
        self.tls = Some(config);
        self
    }

    /// Milliseconds since the epoch: the core's clock.
    pub fn now(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// Starts an API call without waiting for it; its result comes as
    /// [`AppOutput::Completed`] from a later drain.
    pub fn start(&mut self, command: Command) -> OpId {
        let now = self.now();
        self.client.call(now, command)
    }

    /// Starts an API call and drives the client until it completes (at most 15 s, like the
    /// tests' driver; an unanswered call is an error here, not a panic).
    pub async fn call(&mut self, command: Command) -> Result<Reply, ZimError> {
        self.call_within(command, Duration::from_secs(15)).await
    }

    /// [`Driver::call`] with its own time limit.
    pub async fn call_within(
        &mut self,
        command: Command,
        limit: Duration,
    ) -> Result<Reply, ZimError> {
        let op = self.start(command);
        if !self
            .run_until(|d| d.completed.contains_key(&op), limit)
            .await
        {
            return Err(ZimError::new(0, format!("no answer within {limit:?}")));
        }
        self.completed
            .remove(&op)
            .unwrap_or_else(|| Err(ZimError::new(0, "lost completion")))
    }

    /// Calls ZIM method `name` ([`tinyim_protocol::rpc::METHODS`]) with `args` (its request
    /// struct as a value) and returns its response struct as a value.
    pub async fn rpc(&mut self, name: &str, args: Value) -> Result<Value, ZimError> {
        let method = tinyim_protocol::rpc::method_named(name)
            .map(|m| m.id)
            .unwrap_or(0);
        match self.call(Command::Call { method, args }).await? {
            Reply::Call { value, .. } => Ok(value),
            other => Err(ZimError::new(0, format!("unexpected reply {other:?}"))),
        }
    }

    /// The notices received so far named `name`, oldest first.
    pub fn notices(&self, name: &str) -> Vec<Value> {
        let id = tinyim_protocol::rpc::NOTICES
            .iter()
            .find(|n| n.name == name)
            .map(|n| n.id);
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Notice { notice, value } if Some(*notice) == id => Some(value.clone()),
                _ => None,
            })
            .collect()
    }

    pub async fn login(&mut self, user: &str, token: &str) -> Result<Reply, ZimError> {
        // Longer than other calls: a ramp of thousands of logins queues behind the gate.
        self.call_within(
            Command::Login {
                user_id: user.into(),
                user_name: user.into(),
                token: token.into(),
            },
            Duration::from_secs(30),
        )
        .await
    }

    /// Sends a peer text message and waits for the server's acknowledgement.
    pub async fn send_text(&mut self, to: &str, text: &str) -> Result<Reply, ZimError> {
        self.call(text_message(0, to, text.as_bytes())).await
    }

    /// Sends a peer command message and waits for the server's acknowledgement.
    pub async fn send_command(&mut self, to: &str, bytes: &[u8]) -> Result<Reply, ZimError> {
        self.call(Command::SendMessage {
            conversation_type: tinyim_protocol::conversation_type::PEER,
            to: to.into(),
            message_type: tinyim_protocol::message_type::COMMAND,
            priority: 1,
            payload: bytes.to_vec(),
            extended_data: String::new(),
            ext: None,
        })
        .await
    }

    /// Every peer message received so far (by the blocking helpers), in delivery order.
    pub fn peer_messages(&self) -> Vec<Message> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::PeerMessages { messages, .. } => Some(messages.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// Drives the client until `n` peer messages were received; `false` after `limit`.
    pub async fn wait_peer_messages(&mut self, n: usize, limit: Duration) -> bool {
        self.run_until(|d| d.peer_messages().len() >= n, limit)
            .await
    }

    /// Drives the client for `d` (to let pushes and acks settle).
    pub async fn run_for(&mut self, d: Duration) {
        let end = Instant::now() + d;
        self.run_until(|_| Instant::now() >= end, d + Duration::from_secs(5))
            .await;
    }

    /// Carries out outputs and feeds inputs until `done` holds (`true`) or `limit` passes
    /// (`false`). Events are stored in [`Driver::events`].
    pub async fn run_until(&mut self, done: impl Fn(&Driver) -> bool, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            self.drain().await;
            if done(self) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            self.step(Some(
                deadline.min(Instant::now() + Duration::from_millis(50)),
            ))
            .await;
        }
    }

    /// Waits for one thing — a WebSocket message, the core's timer, or `wake` — and feeds it
    /// to the core. Never waits longer than [`MAX_IDLE`].
    pub async fn step(&mut self, wake: Option<Instant>) {
        self.step_or(wake, std::future::pending()).await
    }

    /// [`Driver::step`] that also returns early when `interrupt` completes (the scenario's
    /// "go" or "stop"); the core then sees a spurious `Timeout`, which it allows.
    pub async fn step_or(
        &mut self,
        wake: Option<Instant>,
        interrupt: impl std::future::Future<Output = ()>,
    ) {
        let mut deadline = Instant::now() + MAX_IDLE;
        if let Some(w) = wake {
            deadline = deadline.min(w);
        }
        if let Some(t) = self.client.poll_timeout() {
            deadline = deadline.min(self.start + Duration::from_millis(t));
        }
        let deadline = tokio::time::Instant::from_std(deadline);
        let input = match self.ws.as_mut() {
            Some(ws) => tokio::select! {
                m = ws.next() => match m {
                    Some(Ok(WsMessage::Binary(b))) => Some(Ok(b)),
                    Some(Ok(WsMessage::Close(cf))) => {
                        Some(Err(cf.map(|c| u16::from(c.code)).unwrap_or(1005)))
                    }
                    Some(Ok(_)) => None,
                    Some(Err(_)) | None => Some(Err(1006)),
                },
                _ = tokio::time::sleep_until(deadline) => None,
                _ = interrupt => None,
            },
            None => {
                tokio::select! {
                    _ = tokio::time::sleep_until(deadline) => {}
                    _ = interrupt => {}
                }
                None
            }
        };
        let now = self.now();
        match input {
            Some(Ok(bytes)) => self.client.handle_input(now, Input::Received(&bytes)),
            Some(Err(code)) => {
                self.ws = None;
                self.client
                    .handle_input(now, Input::TransportClosed { code });
            }
            None => self.client.handle_input(now, Input::Timeout),
        }
    }

    /// Carries out transport outputs; stores events and completions for the blocking helpers.
    async fn drain(&mut self) {
        let mut app = Vec::new();
        self.drain_with(|o| app.push(o)).await;
        for o in app {
            match o {
                AppOutput::Event(e) => self.events.push(e),
                AppOutput::Completed { op, result } => {
                    self.completed.insert(op, result);
                }
            }
        }
    }

    /// Carries out every pending output: transport ones here, app ones to `on_app`.
    pub async fn drain_with(&mut self, mut on_app: impl FnMut(AppOutput)) {
        while let Some(out) = self.client.poll_output() {
            match out {
                Output::Connect { url } => {
                    if let Some(mut old) = self.ws.take() {
                        let _ = old.close(None).await;
                    }
                    let opened = tokio::time::timeout(
                        Duration::from_secs(10),
                        open_ws(&url, self.source, self.tls.clone()),
                    )
                    .await;
                    let now = self.now();
                    match opened {
                        Ok(Ok(ws)) => {
                            self.ws = Some(ws);
                            self.client.handle_input(now, Input::TransportOpened);
                        }
                        _ => self
                            .client
                            .handle_input(now, Input::TransportClosed { code: 1006 }),
                    }
                }
                Output::Transmit(bytes) => {
                    let failed = match self.ws.as_mut() {
                        Some(ws) => ws.send(WsMessage::Binary(bytes.into())).await.is_err(),
                        None => false,
                    };
                    if failed {
                        self.ws = None;
                        let now = self.now();
                        self.client
                            .handle_input(now, Input::TransportClosed { code: 1006 });
                    }
                }
                Output::Disconnect => {
                    if let Some(mut ws) = self.ws.take() {
                        let _ = ws.close(None).await;
                    }
                }
                // The bench's clients keep no local store.
                Output::SaveLocal(_) => {}
                Output::Event(e) => on_app(AppOutput::Event(e)),
                Output::Completed { op, result } => on_app(AppOutput::Completed { op, result }),
            }
        }
    }

    /// Closes the transport politely (end of a run).
    pub async fn close(&mut self) {
        if let Some(mut ws) = self.ws.take() {
            let _ = ws.close(None).await;
        }
    }

    /// Drops the transport without telling the client (as a crashed tab would).
    pub fn drop_transport(&mut self) {
        self.ws = None;
    }
}

/// Opens a WebSocket to `url` (`ws://IP:PORT/PATH`), from `source` if given.
async fn open_ws(
    url: &str,
    source: Option<std::net::IpAddr>,
    tls: Option<Arc<rustls::ClientConfig>>,
) -> Result<Ws, String> {
    let Some(ip) = source else {
        // Browsers and WeChat open WebSockets with Nagle off; so does the bench.
        return tokio_tungstenite::connect_async_tls_with_config(
            url,
            Some(client_ws_config()),
            true,
            tls.map(Connector::Rustls),
        )
        .await
        .map(|(ws, _)| ws)
        .map_err(|e| e.to_string());
    };
    // A chosen source address (many loopback addresses give many ports): plain ws:// only.
    let authority = url
        .strip_prefix("ws://")
        .and_then(|r| r.split('/').next())
        .ok_or("not a ws:// URL")?;
    let addr: std::net::SocketAddr = authority.parse().map_err(|e| format!("{authority}: {e}"))?;
    let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    socket
        .bind(std::net::SocketAddr::new(ip, 0))
        .map_err(|e| e.to_string())?;
    let tcp = socket.connect(addr).await.map_err(|e| e.to_string())?;
    let _ = tcp.set_nodelay(true);
    tokio_tungstenite::client_async_with_config(
        url,
        MaybeTlsStream::Plain(tcp),
        Some(client_ws_config()),
    )
    .await
    .map(|(ws, _)| ws)
    .map_err(|e| e.to_string())
}

/// The bench's WebSocket settings. tungstenite zero-fills its whole read buffer (128 KiB by
/// default) before every read, which for 100-byte frames costs far more than the frames
/// themselves; thousands of simulated users on a 2-core machine would take CPU from the
/// server they measure. 4 KiB holds any frame of a normal run and grows when one is bigger.
pub fn client_ws_config() -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default().read_buffer_size(4096)
}

/// A text `SendMessage` to a peer (`conversation_type` 0) or a room (1).
pub fn text_message(conversation_type: u8, to: &str, payload: &[u8]) -> Command {
    Command::SendMessage {
        conversation_type,
        to: to.into(),
        message_type: tinyim_protocol::message_type::TEXT,
        priority: 1,
        payload: payload.to_vec(),
        extended_data: String::new(),
        ext: None,
    }
}
