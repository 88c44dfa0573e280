//! The host side of a test: carries out the client's outputs against the scripted server
//! with a simulated clock, and records what the app saw.

use std::collections::VecDeque;

use tinyim::*;
use tinyim_protocol::Frame;

use super::scripted_server::{ScriptedServer, ToClient};

pub const URL: &str = "ws://tinyim.test/ws";
pub const APP_ID: u32 = 1234;

/// A client, the scripted server and the network between them.
pub struct Harness {
    pub client: Client,
    pub server: ScriptedServer,
    pub now: Millis,
    /// Connect attempts succeed (else they fail at once with close 1006).
    pub net_up: bool,
    /// Frames in both directions vanish without the transport noticing.
    pub blackhole: bool,
    /// The server processes what the client sends, but its answers are lost.
    pub lose_replies: bool,
    /// How long the server's answers take to reach the client (0: at once). The client's
    /// frames reach the server at once, so this is the round trip; sends made meanwhile
    /// are on the wire together with the ones not yet answered.
    pub reply_delay: Millis,
    pub transport_open: bool,
    pub connects: Vec<Millis>,
    pub disconnects: Vec<Millis>,
    pub events: Vec<(Millis, Event)>,
    pub completed: Vec<(Millis, OpId, Result<Reply, ZimError>)>,
    /// What the client last asked the host to keep of its local store.
    pub saved: Option<Vec<u8>>,
    /// Everything the client asked the host to do, in order (Transmit shown decoded).
    pub log: Vec<(Millis, String)>,
    to_client: VecDeque<ToClient>,
    /// Answers still travelling ([`Harness::reply_delay`]), with their arrival time.
    in_flight: VecDeque<(Millis, ToClient)>,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_seed(42)
    }

    pub fn with_seed(seed: u64) -> Self {
        Harness {
            client: Client::new(Config {
                app_id: APP_ID,
                server_url: URL.into(),
                seed,
            }),
            server: ScriptedServer::default(),
            now: 0,
            net_up: true,
            blackhole: false,
            lose_replies: false,
            reply_delay: 0,
            transport_open: false,
            connects: Vec::new(),
            disconnects: Vec::new(),
            events: Vec::new(),
            completed: Vec::new(),
            saved: None,
            log: Vec::new(),
            to_client: VecDeque::new(),
            in_flight: VecDeque::new(),
        }
    }

    /// The transport is gone: nothing more of it reaches the client.
    fn forget_in_flight(&mut self) {
        self.to_client.clear();
        self.in_flight.clear();
    }

    /// Starts an API call and carries out everything that follows at this instant.
    pub fn call(&mut self, command: Command) -> OpId {
        let op = self.client.call(self.now, command);
        self.pump();
        op
    }

    /// Feeds one input and carries out the consequences.
    pub fn input(&mut self, input: Input<'_>) {
        self.client.handle_input(self.now, input);
        self.pump();
    }

    /// Sends server actions to the client (as if the server did them now).
    pub fn server_does(&mut self, actions: Vec<ToClient>) {
        self.to_client.extend(actions);
        self.pump();
    }

    /// Logs in as `user` and asserts success.
    pub fn login_as(&mut self, user: &str) -> OpId {
        let op = self.call(Command::Login {
            user_id: user.into(),
            user_name: user.into(),
            token: "04token".into(),
        });
        assert_eq!(self.result(op), Some(Ok(Reply::Done)), "login failed");
        op
    }

    pub fn login(&mut self) -> OpId {
        self.login_as("alice")
    }

    /// The transport breaks with `code` (reported to the client).
    pub fn drop_transport(&mut self, code: u16) {
        assert!(self.transport_open, "no transport to drop");
        self.transport_open = false;
        self.server.closed();
        self.forget_in_flight();
        self.input(Input::TransportClosed { code });
    }

    /// Carries out outputs and delivers server frames until nothing is left.
    pub fn pump(&mut self) {
        for _ in 0..100_000 {
            if let Some(output) = self.client.poll_output() {
                self.carry_out(output);
                continue;
            }
            let Some(action) = self.to_client.pop_front() else {
                return;
            };
            if !self.transport_open || self.blackhole {
                continue;
            }
            match action {
                ToClient::Bytes(b) => self.client.handle_input(self.now, Input::Received(&b)),
                ToClient::Close(code) => {
                    self.transport_open = false;
                    self.server.closed();
                    self.forget_in_flight();
                    self.client
                        .handle_input(self.now, Input::TransportClosed { code });
                }
            }
        }
        panic!("pump did not settle");
    }

    fn carry_out(&mut self, output: Output) {
        match output {
            Output::Connect { url } => {
                assert_eq!(url, URL);
                self.log.push((self.now, "connect".into()));
                self.connects.push(self.now);
                self.forget_in_flight();
                if self.transport_open {
                    self.server.closed();
                }
                if self.net_up {
                    self.transport_open = true;
                    self.server.open();
                    self.client.handle_input(self.now, Input::TransportOpened);
                } else {
                    self.transport_open = false;
                    self.client
                        .handle_input(self.now, Input::TransportClosed { code: 1006 });
                }
            }
            Output::Transmit(bytes) => {
                let frame = Frame::decode(&bytes, tinyim_protocol::limits::MAX_CLIENT_FRAME_LEN)
                    .expect("client frames decode");
                self.log
                    .push((self.now, format!("transmit {:?}", frame.body.kind())));
                assert!(self.transport_open, "Transmit without an open transport");
                if self.blackhole {
                    self.server.received.push(frame);
                    return;
                }
                let replies = self.server.on_bytes(self.now, &bytes);
                if self.lose_replies {
                } else if self.reply_delay == 0 {
                    self.to_client.extend(replies);
                } else {
                    let at = self.now + self.reply_delay;
                    self.in_flight.extend(replies.into_iter().map(|r| (at, r)));
                }
            }
            Output::Disconnect => {
                self.log.push((self.now, "disconnect".into()));
                self.disconnects.push(self.now);
                self.transport_open = false;
                self.server.closed();
                self.forget_in_flight();
            }
            Output::Event(e) => {
                self.log.push((self.now, format!("event {e:?}")));
                self.events.push((self.now, e));
            }
            Output::Completed { op, result } => {
                self.log
                    .push((self.now, format!("completed {op} {result:?}")));
                self.completed.push((self.now, op, result));
            }
            Output::SaveLocal(bytes) => self.saved = Some(bytes),
        }
    }

    /// Runs the clock to `t`, firing every timer the client asks for and delivering every
    /// answer that arrives on the way.
    pub fn advance_to(&mut self, t: Millis) {
        for _ in 0..1_000_000 {
            let arrival = self.in_flight.front().map(|f| f.0);
            if let Some(a) = arrival.filter(|&a| a <= t) {
                if self.client.poll_timeout().is_none_or(|d| a <= d) {
                    self.now = self.now.max(a);
                    while self.in_flight.front().is_some_and(|f| f.0 <= self.now) {
                        let (_, action) = self.in_flight.pop_front().unwrap();
                        self.to_client.push_back(action);
                    }
                    self.pump();
                    continue;
                }
            }
            match self.client.poll_timeout() {
                Some(d) if d <= t => {
                    self.now = self.now.max(d);
                    self.client.handle_input(self.now, Input::Timeout);
                    self.pump();
                }
                _ => {
                    self.now = self.now.max(t);
                    return;
                }
            }
        }
        panic!("timers did not settle before {t}");
    }

    pub fn advance(&mut self, ms: Millis) {
        self.advance_to(self.now + ms);
    }

    /// The single result of `op` (panics if it completed more than once).
    pub fn result(&self, op: OpId) -> Option<Result<Reply, ZimError>> {
        let all: Vec<_> = self.completed.iter().filter(|c| c.1 == op).collect();
        assert!(all.len() <= 1, "op {op} completed {} times", all.len());
        all.first().map(|c| c.2.clone())
    }

    /// The error code `op` failed with.
    pub fn error_code(&self, op: OpId) -> Option<u32> {
        match self.result(op) {
            Some(Err(e)) => Some(e.code),
            _ => None,
        }
    }

    /// The session ended with `event`: the last state the app saw is Disconnected.
    pub fn assert_disconnected(&self, event: ConnectionEvent) {
        assert_eq!(
            self.states().last(),
            Some(&(ConnectionState::Disconnected, event))
        );
    }

    /// Ten simulated minutes pass without the client opening another connection.
    pub fn assert_never_reconnects(&mut self) {
        let before = self.connects.len();
        self.advance(600_000);
        assert_eq!(self.connects.len(), before, "the client reconnected");
    }

    /// Connection state changes seen by the app, in order.
    pub fn states(&self) -> Vec<(ConnectionState, ConnectionEvent)> {
        self.events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::ConnectionStateChanged { state, event } => Some((*state, *event)),
                _ => None,
            })
            .collect()
    }

    /// Room state changes seen by the app, in order.
    pub fn room_states(&self) -> Vec<(String, RoomState, RoomEvent)> {
        self.events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::RoomStateChanged {
                    room_id,
                    state,
                    event,
                } => Some((room_id.clone(), *state, *event)),
                _ => None,
            })
            .collect()
    }

    /// Peer messages delivered to the app: (from, text, offline), in delivery order.
    pub fn peer_texts(&self) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        for (_, e) in &self.events {
            if let Event::PeerMessages {
                from_user_id,
                messages,
                offline,
            } = e
            {
                for m in messages {
                    out.push((
                        from_user_id.clone(),
                        String::from_utf8(m.payload.clone()).unwrap(),
                        *offline,
                    ));
                }
            }
        }
        out
    }

    /// A text send to peer `to`.
    pub fn send_text(&mut self, to: &str, text: &str) -> OpId {
        self.call(send_text_command(to, text))
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

pub fn send_text_command(to: &str, text: &str) -> Command {
    Command::SendMessage {
        conversation_type: 0,
        to: to.into(),
        message_type: 1,
        priority: 1,
        payload: text.as_bytes().to_vec(),
        extended_data: String::new(),
        ext: None,
    }
}
