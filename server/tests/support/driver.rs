//! A small native host for the SDK's sans-IO core: runs a `tinyim::Client` over a real
//! WebSocket with a real clock, the way the JS shim does in a mini program.
//!
//! It carries out `Output::Connect` / `Transmit` / `Disconnect`, feeds `TransportOpened`,
//! `Received`, `TransportClosed` and `Timeout`, and records app events and completed calls
//! so tests can wait for them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use tinyim::{Client, Command, Config, Event, Input, Message, OpId, Output, Reply, ZimError};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One SDK client instance with its transport.
pub struct Driver {
    pub client: Client,
    start: Instant,
    ws: Option<Ws>,
    /// Every app event, in order.
    pub events: Vec<Event>,
    completed: HashMap<OpId, Result<Reply, ZimError>>,
}

impl Driver {
    pub fn new(app_id: u32, server_url: &str, seed: u64) -> Driver {
        Driver {
            client: Client::new(Config {
                app_id,
                server_url: server_url.to_owned(),
                seed,
            }),
            start: Instant::now(),
            ws: None,
            events: Vec::new(),
            completed: HashMap::new(),
        }
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// Starts an API call and drives the client until it completes.
    pub async fn call(&mut self, command: Command) -> Result<Reply, ZimError> {
        let now = self.now();
        let op = self.client.call(now, command);
        self.run_until(|d| d.completed.contains_key(&op), Duration::from_secs(15))
            .await;
        self.completed.remove(&op).unwrap()
    }

    pub async fn login(&mut self, user: &str, token: &str) -> Result<Reply, ZimError> {
        self.call(Command::Login {
            user_id: user.into(),
            user_name: user.into(),
            token: token.into(),
        })
        .await
    }

    /// Sends a peer text message.
    pub async fn send_text(&mut self, to: &str, text: &str) -> Result<Reply, ZimError> {
        self.call(Command::SendMessage {
            conversation_type: 0,
            to: to.into(),
            message_type: 1,
            priority: 1,
            payload: text.as_bytes().to_vec(),
            extended_data: String::new(),
        })
        .await
    }

    /// Sends a peer command message.
    pub async fn send_command(&mut self, to: &str, bytes: &[u8]) -> Result<Reply, ZimError> {
        self.call(Command::SendMessage {
            conversation_type: 0,
            to: to.into(),
            message_type: 2,
            priority: 1,
            payload: bytes.to_vec(),
            extended_data: String::new(),
        })
        .await
    }

    /// Every peer message received so far, in delivery order.
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

    /// Drives the client until `n` peer messages were received (panics after `limit`).
    pub async fn wait_peer_messages(&mut self, n: usize, limit: Duration) {
        self.run_until(|d| d.peer_messages().len() >= n, limit)
            .await;
    }

    /// Drives the client for `d` (to let pushes and acks settle).
    pub async fn run_for(&mut self, d: Duration) {
        let end = Instant::now() + d;
        self.run_until(|_| Instant::now() >= end, d + Duration::from_secs(5))
            .await;
    }

    /// Carries out outputs and feeds inputs until `done` holds.
    pub async fn run_until(&mut self, done: impl Fn(&Driver) -> bool, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            self.drain().await;
            if done(self) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "driver: condition not met within {limit:?}; events: {:?}",
                self.events
            );
            // Wake for the client's timer, the socket, or a short poll of `done`.
            let mut wake = Duration::from_millis(50);
            if let Some(t) = self.client.poll_timeout() {
                wake = wake.min(Duration::from_millis(t.saturating_sub(self.now())));
            }
            let input = match self.ws.as_mut() {
                Some(ws) => match tokio::time::timeout(wake, ws.next()).await {
                    Err(_) => None,
                    Ok(Some(Ok(WsMessage::Binary(b)))) => Some(Ok(b.to_vec())),
                    Ok(Some(Ok(WsMessage::Close(cf)))) => {
                        Some(Err(cf.map(|c| u16::from(c.code)).unwrap_or(1005)))
                    }
                    Ok(Some(Ok(_))) => None,
                    Ok(Some(Err(_))) | Ok(None) => Some(Err(1006)),
                },
                None => {
                    tokio::time::sleep(wake).await;
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
    }

    async fn drain(&mut self) {
        while let Some(out) = self.client.poll_output() {
            match out {
                Output::Connect { url } => {
                    if let Some(mut old) = self.ws.take() {
                        let _ = old.close(None).await;
                    }
                    let now;
                    match tokio_tungstenite::connect_async(url.as_str()).await {
                        Ok((ws, _)) => {
                            self.ws = Some(ws);
                            now = self.now();
                            self.client.handle_input(now, Input::TransportOpened);
                        }
                        Err(_) => {
                            now = self.now();
                            self.client
                                .handle_input(now, Input::TransportClosed { code: 1006 });
                        }
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
                Output::Event(e) => self.events.push(e),
                Output::Completed { op, result } => {
                    self.completed.insert(op, result);
                }
            }
        }
    }

    /// Drops the transport without telling the client (as a crashed tab would).
    pub fn drop_transport(&mut self) {
        self.ws = None;
    }
}
