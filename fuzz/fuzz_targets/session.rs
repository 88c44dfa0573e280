//! The server's session fed arbitrary frames after login: a real tinyim-server runs in this
//! process (its own runtime, threads and SQLite store in a temp dir, a loopback port), and
//! each input is one WebSocket session over real loopback TCP.
//!
//! Structure, chosen for useful exec/s with reproducible inputs: the server starts once per
//! fuzzing process (starting one per input would cost ~100 ms); every input gets a fresh
//! connection and login as `alice` (about a millisecond), so what an input does to its
//! session does not leak into the next one, only into the server's shared state (stored
//! messages, rooms, rate budgets) as a real client's would. An input is a list of [`Op`]s:
//! structured requests with arbitrary field values, raw bytes, text messages, WebSocket
//! pings. Since the server runs in this process (instrumented like this crate), libFuzzer sees its
//! coverage, and a panic in any server task aborts the process (libfuzzer-sys's panic hook)
//! and is reported with the input that caused it.
//!
//! Checked, besides "the server never panics":
//! - every frame the server sends decodes and is a server kind;
//! - the server answers every request (or closes the connection) within [`ANSWER_LIMIT`]:
//!   the harness counts the requests it sent, then sends a final `Ping` and waits for as
//!   many responses (a hang is a crash, with this input);
//! - when the server closed the session, a new login (another user) still succeeds within
//!   [`ANSWER_LIMIT`]: the input did not break the server for others.
#![no_main]
#![allow(dead_code, unused_imports)]

// The server is a library (its binary is `tinyim_server::cli::main`): the target starts it
// in-process.

mod harness {
    use std::net::TcpListener;
    use std::path::PathBuf;
    use std::sync::OnceLock;
    use std::time::Duration;

    use arbitrary::Arbitrary;
    use clap::Parser;
    use futures_util::{FutureExt, SinkExt, StreamExt};
    use libfuzzer_sys::fuzz_target;
    use tinyim_protocol::limits::MAX_SERVER_FRAME_LEN;
    use tinyim_protocol::{
        Body, Empty, Frame, HistoryQuery, Login, PushAck, RenewToken, Room, RoomMembersQuery, Send,
    };
    use tokio::net::TcpStream;
    use tokio_tungstenite::tungstenite::Message as WsMessage;
    use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

    type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

    const APP: u32 = 1_234_567_890;
    const SECRET: &str = "0123456789abcdef0123456789abcdef";
    /// The user every input logs in as.
    const USER: &str = "alice";
    /// The user of the liveness check after an input that ended its session.
    const PROBE_USER: &str = "probe";
    /// Longer than any legitimate wait (a store commit, a second login's kick).
    const ANSWER_LIMIT: Duration = Duration::from_secs(20);
    /// Request id of the final `Ping`.
    const SENTINEL: u32 = 0xFFFF_FF00;

    /// The server and what inputs need to reach it.
    struct World {
        url: String,
        rt: tokio::runtime::Runtime,
        token: String,
        other_user_token: String,
        expired_token: String,
        probe_token: String,
    }

    static DATA_DIR: OnceLock<PathBuf> = OnceLock::new();

    extern "C" fn remove_data_dir() {
        if let Some(dir) = DATA_DIR.get() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    extern "C" {
        fn atexit(callback: extern "C" fn()) -> std::os::raw::c_int;
    }

    fn world() -> &'static World {
        static WORLD: OnceLock<World> = OnceLock::new();
        WORLD.get_or_init(start_server)
    }

    /// Starts tinyim-server the way `tinyim-server serve ...` does, on a free loopback
    /// port, with a data dir in /dev/shm when there is one (no disk syncs to wait for).
    fn start_server() -> World {
        let base = ["/dev/shm"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("tinyim-fuzz-session-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the data dir");
        DATA_DIR.set(dir.clone()).expect("data dir set once");
        // SAFETY: `remove_data_dir` is a plain `extern "C" fn()` that only reads a
        // initialized OnceLock; atexit runs it once when libFuzzer exits normally (a crash
        // keeps the dir for a look at the store).
        unsafe {
            atexit(remove_data_dir);
        }

        // A free port: bind port 0, note it, let it go (the server binds it right after).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let listen = format!("127.0.0.1:{port}");
        if std::env::var_os("TINYIM_FUZZ_LOG").is_none() {
            // Errors only: one log line per connection would dominate the run.
            std::env::set_var("RUST_LOG", "error");
        }
        let cli = tinyim_server::cli::Cli::try_parse_from([
            "tinyim-server".to_owned(),
            "serve".into(),
            "--listen".into(),
            listen.clone(),
            "--data-dir".into(),
            dir.display().to_string(),
            "--app".into(),
            format!("{APP}:{SECRET}"),
        ])
        .expect("serve flags");
        let Some(tinyim_server::cli::Command::Serve(args)) = cli.command else {
            panic!("not the serve command");
        };
        std::thread::spawn(move || {
            let code = tinyim_server::cli::serve_command(*args);
            // The server never stops by itself while inputs run.
            panic!("tinyim-server stopped: {code:?}");
        });

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("client runtime");
        let url = format!("ws://{listen}/ws");
        rt.block_on(async {
            for _ in 0..400 {
                if TcpStream::connect(&listen).await.is_ok() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            panic!("tinyim-server did not start listening on {listen}");
        });
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mint = |user: &str, ttl: u64, at: u64| {
            tinyim_server::token::mint(APP, SECRET, user, ttl, at, "")
        };
        World {
            url,
            rt,
            token: mint(USER, 30 * 86_400, now),
            other_user_token: mint("bob", 30 * 86_400, now),
            expired_token: mint(USER, 60, now.saturating_sub(3600)),
            probe_token: mint(PROBE_USER, 30 * 86_400, now),
        }
    }

    // ----- the input -----------------------------------------------------------------------

    #[derive(Arbitrary, Debug)]
    enum Name {
        Alice,
        Bob,
        Room1,
        Room2,
        Any(String),
    }

    impl Name {
        fn get(&self) -> String {
            match self {
                Name::Alice => "alice".into(),
                Name::Bob => "bob".into(),
                Name::Room1 => "r1".into(),
                Name::Room2 => "r2".into(),
                Name::Any(s) => s.clone(),
            }
        }
    }

    #[derive(Arbitrary, Debug)]
    enum Tok {
        Valid,
        OtherUser,
        Expired,
        Any(String),
    }

    impl Tok {
        fn get(&self, w: &World) -> String {
            match self {
                Tok::Valid => w.token.clone(),
                Tok::OtherUser => w.other_user_token.clone(),
                Tok::Expired => w.expired_token.clone(),
                Tok::Any(s) => s.clone(),
            }
        }
    }

    #[derive(Arbitrary, Debug)]
    enum Payload {
        Bytes(Vec<u8>),
        /// `n` bytes of text: around the size limits without inputs that large.
        Big(u16),
    }

    impl Payload {
        fn get(&self) -> Vec<u8> {
            match self {
                Payload::Bytes(b) => b.clone(),
                Payload::Big(n) => vec![b'x'; usize::from(*n)],
            }
        }
    }

    #[derive(Arbitrary, Debug)]
    enum Kind {
        Peer,
        Room,
        Any(u8),
    }

    impl Kind {
        fn get(&self) -> u8 {
            match self {
                Kind::Peer => 0,
                Kind::Room => 1,
                Kind::Any(k) => *k,
            }
        }
    }

    /// A client request with arbitrary field values.
    #[derive(Arbitrary, Debug)]
    enum Request {
        Login {
            other_app: Option<u32>,
            user: Name,
            user_name: String,
            token: Tok,
            last_inbox_seq: u64,
        },
        Logout,
        RenewToken(Tok),
        Ping,
        Send {
            conversation_type: Kind,
            to: Name,
            /// Small values collide: resends and idempotency.
            client_message_id: u64,
            message_type: u8,
            priority: u8,
            payload: Payload,
            extended_data: String,
            /// Small values name earlier sends: stored, unknown, or this one.
            prev_client_message_id: u8,
        },
        PushAck(u64),
        RoomCreate(Name, String),
        RoomJoin(Name),
        RoomEnter(Name, String),
        RoomLeave(Name),
        RoomMembers {
            room: Name,
            next_flag: String,
            count: u32,
        },
        RoomOnlineCount(Name),
        History {
            conversation_type: Kind,
            with: Name,
            anchor_order_key: u64,
            count: u32,
            reverse: bool,
        },
    }

    impl Request {
        fn body(&self, w: &World) -> Body {
            let room = |r: &Name, name: &str| Room {
                room_id: r.get(),
                room_name: name.to_owned(),
            };
            match self {
                Request::Login {
                    other_app,
                    user,
                    user_name,
                    token,
                    last_inbox_seq,
                } => Body::Login(Login {
                    app_id: other_app.unwrap_or(APP),
                    user_id: user.get(),
                    user_name: user_name.clone(),
                    token: token.get(w),
                    last_inbox_seq: *last_inbox_seq,
                    sync_conversations: *last_inbox_seq % 2 == 0,
                }),
                Request::Logout => Body::Logout(Empty {}),
                Request::RenewToken(t) => Body::RenewToken(RenewToken { token: t.get(w) }),
                Request::Ping => Body::Ping(Empty {}),
                Request::Send {
                    conversation_type,
                    to,
                    client_message_id,
                    message_type,
                    priority,
                    payload,
                    extended_data,
                    prev_client_message_id,
                } => Body::Send(Send {
                    conversation_type: conversation_type.get(),
                    to: to.get(),
                    client_message_id: *client_message_id,
                    message_type: *message_type,
                    priority: *priority,
                    payload: payload.get(),
                    extended_data: extended_data.clone(),
                    prev_client_message_id: u64::from(*prev_client_message_id),
                    ext: None,
                }),
                Request::PushAck(seq) => Body::PushAck(PushAck { inbox_seq: *seq }),
                Request::RoomCreate(r, name) => Body::RoomCreate(room(r, name)),
                Request::RoomJoin(r) => Body::RoomJoin(room(r, "")),
                Request::RoomEnter(r, name) => Body::RoomEnter(room(r, name)),
                Request::RoomLeave(r) => Body::RoomLeave(room(r, "")),
                Request::RoomMembers {
                    room,
                    next_flag,
                    count,
                } => Body::RoomMembers(RoomMembersQuery {
                    room_id: room.get(),
                    next_flag: next_flag.clone(),
                    count: *count,
                }),
                Request::RoomOnlineCount(r) => Body::RoomOnlineCount(room(r, "")),
                Request::History {
                    conversation_type,
                    with,
                    anchor_order_key,
                    count,
                    reverse,
                } => Body::History(HistoryQuery {
                    conversation_type: conversation_type.get(),
                    conversation_id: with.get(),
                    anchor_order_key: *anchor_order_key,
                    count: *count,
                    reverse: *reverse,
                }),
            }
        }
    }

    #[derive(Arbitrary, Debug)]
    enum Rid {
        Next,
        Zero,
        Any(u32),
    }

    #[derive(Arbitrary, Debug)]
    enum Op {
        Request(Rid, Request),
        /// One binary WebSocket message.
        Bytes(Vec<u8>),
        /// A text WebSocket message (not a frame).
        Text(String),
        /// A WebSocket-level ping.
        WsPing(Vec<u8>),
        /// `PushAck` of the newest inbox sequence pushed to this session.
        AckPushed,
        /// Wait for every answer so far before going on.
        Sync,
    }

    #[derive(Arbitrary, Debug)]
    enum Resume {
        /// After the newest (nothing replayed).
        Newest,
        /// From the beginning (the unacknowledged inbox is replayed).
        Zero,
        Any(u64),
    }

    #[derive(Arbitrary, Debug)]
    pub struct Input {
        resume: Resume,
        ops: Vec<Op>,
    }

    // ----- one session ---------------------------------------------------------------------

    /// One logged-in connection and what it has seen.
    struct Conn {
        ws: Ws,
        closed: bool,
        /// Requests sent that the server must answer (a response kind each).
        expected: u64,
        responses: u64,
        sentinel_seen: bool,
        pushed: u64,
        next_id: u32,
    }

    impl Conn {
        /// Connects and logs in as `user`; panics if the server does not let it.
        async fn login(url: &str, user: &str, token: &str, last_inbox_seq: u64) -> Conn {
            let (ws, _) = tokio::time::timeout(ANSWER_LIMIT, tokio_tungstenite::connect_async(url))
                .await
                .expect("the WebSocket upgrade hung")
                .expect("the WebSocket upgrade failed");
            let mut c = Conn {
                ws,
                closed: false,
                expected: 0,
                responses: 0,
                sentinel_seen: false,
                pushed: 0,
                next_id: 1,
            };
            let login = Frame::new(
                1,
                Body::Login(Login {
                    app_id: APP,
                    user_id: user.into(),
                    user_name: user.into(),
                    token: token.into(),
                    last_inbox_seq,
                    sync_conversations: true,
                }),
            );
            c.send(WsMessage::Binary(login.encode().into())).await;
            let ok = tokio::time::timeout(ANSWER_LIMIT, async {
                loop {
                    match c.read().await {
                        Some(Body::LoginOk(_)) => return true,
                        Some(Body::Error(e)) => panic!("login refused: {} {}", e.code, e.message),
                        Some(_) => {}
                        None => return false,
                    }
                }
            })
            .await
            .expect("no LoginOk in time: the server stopped answering");
            assert!(ok, "the server closed the connection instead of logging in");
            c.responses = 0;
            c
        }

        async fn send(&mut self, msg: WsMessage) {
            if self.closed {
                return;
            }
            if self.ws.send(msg).await.is_err() {
                self.closed = true;
            }
        }

        /// Handles one message from the server; `None` once the connection is closed.
        fn on_message(
            &mut self,
            msg: Option<Result<WsMessage, tokio_tungstenite::tungstenite::Error>>,
        ) -> Option<Body> {
            match msg {
                Some(Ok(WsMessage::Binary(bytes))) => {
                    let frame = Frame::decode(&bytes, MAX_SERVER_FRAME_LEN)
                        .unwrap_or_else(|e| panic!("the server sent an undecodable frame: {e}"));
                    assert!(
                        !frame.body.sent_by_client(),
                        "the server sent a client frame kind {}",
                        frame.body.kind()
                    );
                    let kind = frame.body.kind();
                    if (64..96).contains(&kind) {
                        self.responses += 1;
                    }
                    if frame.request_id == SENTINEL && matches!(frame.body, Body::Pong(_)) {
                        self.sentinel_seen = true;
                    }
                    if let Body::Push(p) = &frame.body {
                        for d in p.deliveries.iter() {
                            self.pushed = self.pushed.max(d.inbox_seq);
                        }
                    }
                    Some(frame.body)
                }
                Some(Ok(WsMessage::Text(_))) => panic!("the server sent a text message"),
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => {
                    self.closed = true;
                    None
                }
                // Pings, pongs: not frames.
                Some(Ok(_)) => Some(Body::Ok(Empty {})),
            }
        }

        async fn read(&mut self) -> Option<Body> {
            if self.closed {
                return None;
            }
            let msg = self.ws.next().await;
            self.on_message(msg)
        }

        /// Takes whatever has already arrived, without waiting (so the server never
        /// blocks on a client that does not read while it sends).
        fn read_ready(&mut self) {
            while !self.closed {
                match self.ws.next().now_or_never() {
                    Some(msg) => {
                        self.on_message(msg);
                    }
                    None => return,
                }
            }
        }

        /// Waits until every expected answer came (and the final Ping's, with `end`), or
        /// the connection closed. (An `Error` the server sends before closing is counted
        /// too, so the count alone can be reached early.)
        async fn sync(&mut self, what: &str, end: bool) {
            let done = tokio::time::timeout(ANSWER_LIMIT, async {
                while !self.closed
                    && (self.responses < self.expected || (end && !self.sentinel_seen))
                {
                    self.read().await;
                }
            })
            .await;
            assert!(
                done.is_ok(),
                "{what}: {} of {} answers after {ANSWER_LIMIT:?}: the server stopped answering",
                self.responses,
                self.expected
            );
        }

        fn next_id(&mut self) -> u32 {
            // From 2 (1 was the login); an input has at most 200 ops, far below SENTINEL.
            self.next_id += 1;
            self.next_id
        }
    }

    /// Whether the server must answer this client frame with a response.
    fn answered(body: &Body) -> bool {
        body.sent_by_client() && !matches!(body, Body::PushAck(_))
    }

    async fn run(w: &World, input: Input) {
        let resume = match input.resume {
            Resume::Newest => u64::MAX,
            Resume::Zero => 0,
            Resume::Any(s) => s,
        };
        let mut c = Conn::login(&w.url, USER, &w.token, resume).await;
        for op in input.ops.into_iter().take(200) {
            if c.closed {
                break;
            }
            match op {
                Op::Request(rid, req) => {
                    let id = match rid {
                        Rid::Next => c.next_id(),
                        Rid::Zero => 0,
                        Rid::Any(id) => id,
                    };
                    let body = req.body(w);
                    c.expected += u64::from(answered(&body));
                    c.send(WsMessage::Binary(Frame::new(id, body).encode().into()))
                        .await;
                }
                Op::Bytes(b) => {
                    // A frame that decodes is a request like any other; one that does not
                    // ends the session (the server's answer is counted but not awaited).
                    if let Ok(f) = Frame::decode(&b, usize::MAX) {
                        c.expected += u64::from(answered(&f.body));
                    }
                    c.send(WsMessage::Binary(b.into())).await;
                }
                Op::Text(t) => c.send(WsMessage::Text(t.into())).await,
                Op::WsPing(p) => {
                    let mut p = p;
                    p.truncate(125);
                    c.send(WsMessage::Ping(p.into())).await
                }
                Op::AckPushed => {
                    let f = Frame::new(
                        0,
                        Body::PushAck(PushAck {
                            inbox_seq: c.pushed,
                        }),
                    );
                    c.send(WsMessage::Binary(f.encode().into())).await;
                }
                Op::Sync => c.sync("sync", false).await,
            }
            c.read_ready();
        }
        // The final Ping: answered after everything before it was read.
        c.expected += 1;
        let ping = Frame::new(SENTINEL, Body::Ping(Empty {}));
        c.send(WsMessage::Binary(ping.encode().into())).await;
        c.sync("end of input", true).await;
        if !c.closed {
            // Acknowledge what was pushed, so the inbox stays short for the next inputs.
            let f = Frame::new(
                0,
                Body::PushAck(PushAck {
                    inbox_seq: c.pushed,
                }),
            );
            c.send(WsMessage::Binary(f.encode().into())).await;
            let _ = c.ws.close(None).await;
            return;
        }
        // The server ended this session: it must still log others in.
        let mut probe = Conn::login(&w.url, PROBE_USER, &w.probe_token, u64::MAX).await;
        let _ = probe.ws.close(None).await;
    }

    fuzz_target!(|input: Input| {
        let w = world();
        w.rt.block_on(run(w, input));
    });
}
