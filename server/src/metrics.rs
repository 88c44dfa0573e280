//! Counters for `GET /metrics`, rendered in the Prometheus text format by hand.
//!
//! A handful of atomics is all the server needs; a metrics crate would add more code than
//! this file. Everything here is lock-free except the error-code map, which is touched only
//! on errors.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::Duration;

use crate::guard::Refusal;

/// Upper bounds (seconds) of the store latency histogram buckets.
const LATENCY_BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];

/// Process-wide counters.
#[derive(Default)]
pub struct Metrics {
    pub connections: AtomicI64,
    pub connections_total: AtomicU64,
    pub logins_ok: AtomicU64,
    pub logins_failed: AtomicU64,
    pub kicks: AtomicU64,
    frames_in: KindCounters,
    frames_out: KindCounters,
    /// [peer text, peer command, room text, room command]
    messages: [AtomicU64; 4],
    pub pushes_inbox: AtomicU64,
    pub deliveries_inbox: AtomicU64,
    pub pushes_room: AtomicU64,
    pub pushes_members: AtomicU64,
    pub duplicates: AtomicU64,
    store_buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    store_count: AtomicU64,
    store_sum_us: AtomicU64,
    pub store_batches: AtomicU64,
    errors: Mutex<BTreeMap<u32, u64>>,
    closes: Mutex<BTreeMap<u16, u64>>,
    /// Sockets admitted and not yet closed (HTTP and WebSocket; crate::guard).
    pub open_sockets: AtomicU64,
    /// Of those, the ones that have not logged in.
    pub unauthenticated: AtomicU64,
    /// The open-file limit the server runs with (crate::fdlimit).
    pub open_files_limit: AtomicU64,
    refusals: [AtomicU64; Refusal::ALL.len()],
}

impl Metrics {
    /// A frame of `kind` arrived from a client.
    pub fn frame_in(&self, kind: u8) {
        self.frames_in.0[usize::from(kind & 0x7f)].fetch_add(1, Relaxed);
    }

    /// A frame of `kind` was queued to a client.
    pub fn frame_out(&self, kind: u8) {
        self.frames_out.0[usize::from(kind & 0x7f)].fetch_add(1, Relaxed);
    }

    /// A message was accepted (stored or fanned out).
    pub fn message(&self, room: bool, command: bool) {
        self.messages[usize::from(room) * 2 + usize::from(command)].fetch_add(1, Relaxed);
    }

    /// An error frame with ZIM `code` was sent.
    pub fn error(&self, code: u32) {
        if let Ok(mut m) = self.errors.lock() {
            *m.entry(code).or_default() += 1;
        }
    }

    /// The server closed a connection with `code`.
    pub fn close(&self, code: u16) {
        if let Ok(mut m) = self.closes.lock() {
            *m.entry(code).or_default() += 1;
        }
    }

    /// A stranger was refused or cut off (crate::guard).
    pub fn refusal(&self, reason: Refusal) {
        self.refusals[reason.index()].fetch_add(1, Relaxed);
    }

    /// One store request took `d` from enqueue to answer.
    pub fn store_latency(&self, d: Duration) {
        let s = d.as_secs_f64();
        for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
            if s <= *bound {
                self.store_buckets[i].fetch_add(1, Relaxed);
            }
        }
        self.store_count.fetch_add(1, Relaxed);
        self.store_sum_us
            .fetch_add(d.as_micros().min(u128::from(u64::MAX)) as u64, Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, sessions: usize) -> String {
        let mut o = String::with_capacity(4096);
        let g = |o: &mut String, name: &str, help: &str, kind: &str| {
            let _ = writeln!(o, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        g(
            &mut o,
            "tinyim_connections",
            "Open WebSocket connections.",
            "gauge",
        );
        let _ = writeln!(o, "tinyim_connections {}", self.connections.load(Relaxed));
        g(
            &mut o,
            "tinyim_open_sockets",
            "Sockets admitted and not yet closed (HTTP and WebSocket).",
            "gauge",
        );
        let _ = writeln!(o, "tinyim_open_sockets {}", self.open_sockets.load(Relaxed));
        g(
            &mut o,
            "tinyim_unauthenticated_sockets",
            "Admitted sockets that have not logged in.",
            "gauge",
        );
        let _ = writeln!(
            o,
            "tinyim_unauthenticated_sockets {}",
            self.unauthenticated.load(Relaxed)
        );
        g(
            &mut o,
            "tinyim_open_files_limit",
            "The open-file limit the server runs with.",
            "gauge",
        );
        let _ = writeln!(
            o,
            "tinyim_open_files_limit {}",
            self.open_files_limit.load(Relaxed)
        );
        g(
            &mut o,
            "tinyim_refusals_total",
            "Sockets, logins and requests refused or cut off by the server's bounds, by reason.",
            "counter",
        );
        for r in Refusal::ALL {
            let _ = writeln!(
                o,
                "tinyim_refusals_total{{reason=\"{}\"}} {}",
                r.label(),
                self.refusals[r.index()].load(Relaxed)
            );
        }
        g(&mut o, "tinyim_sessions", "Logged-in sessions.", "gauge");
        let _ = writeln!(o, "tinyim_sessions {sessions}");
        g(
            &mut o,
            "tinyim_connections_total",
            "WebSocket connections accepted.",
            "counter",
        );
        let _ = writeln!(
            o,
            "tinyim_connections_total {}",
            self.connections_total.load(Relaxed)
        );
        g(
            &mut o,
            "tinyim_logins_total",
            "Login attempts by result.",
            "counter",
        );
        let _ = writeln!(
            o,
            "tinyim_logins_total{{result=\"ok\"}} {}",
            self.logins_ok.load(Relaxed)
        );
        let _ = writeln!(
            o,
            "tinyim_logins_total{{result=\"failed\"}} {}",
            self.logins_failed.load(Relaxed)
        );
        g(
            &mut o,
            "tinyim_kicks_total",
            "Sessions kicked by a second login.",
            "counter",
        );
        let _ = writeln!(o, "tinyim_kicks_total {}", self.kicks.load(Relaxed));

        g(
            &mut o,
            "tinyim_frames_in_total",
            "Frames received, by kind.",
            "counter",
        );
        for (k, c) in self.frames_in.0.iter().enumerate() {
            let n = c.load(Relaxed);
            if n > 0 {
                let _ = writeln!(
                    o,
                    "tinyim_frames_in_total{{kind=\"{}\"}} {n}",
                    kind_name(k as u8)
                );
            }
        }
        g(
            &mut o,
            "tinyim_frames_out_total",
            "Frames sent, by kind.",
            "counter",
        );
        for (k, c) in self.frames_out.0.iter().enumerate() {
            let n = c.load(Relaxed);
            if n > 0 {
                let _ = writeln!(
                    o,
                    "tinyim_frames_out_total{{kind=\"{}\"}} {n}",
                    kind_name(k as u8)
                );
            }
        }
        g(
            &mut o,
            "tinyim_messages_total",
            "Messages accepted, by conversation and type.",
            "counter",
        );
        for (i, (conv, ty)) in [
            ("peer", "text"),
            ("peer", "command"),
            ("room", "text"),
            ("room", "command"),
        ]
        .iter()
        .enumerate()
        {
            let _ = writeln!(
                o,
                "tinyim_messages_total{{conversation=\"{conv}\",type=\"{ty}\"}} {}",
                self.messages[i].load(Relaxed)
            );
        }
        g(
            &mut o,
            "tinyim_duplicate_sends_total",
            "Resends answered from the idempotency key.",
            "counter",
        );
        let _ = writeln!(
            o,
            "tinyim_duplicate_sends_total {}",
            self.duplicates.load(Relaxed)
        );
        g(
            &mut o,
            "tinyim_pushes_total",
            "Push frames sent, by kind.",
            "counter",
        );
        let _ = writeln!(
            o,
            "tinyim_pushes_total{{kind=\"inbox\"}} {}",
            self.pushes_inbox.load(Relaxed)
        );
        let _ = writeln!(
            o,
            "tinyim_pushes_total{{kind=\"room\"}} {}",
            self.pushes_room.load(Relaxed)
        );
        let _ = writeln!(
            o,
            "tinyim_pushes_total{{kind=\"members\"}} {}",
            self.pushes_members.load(Relaxed)
        );
        g(
            &mut o,
            "tinyim_inbox_deliveries_total",
            "Inbox messages pushed.",
            "counter",
        );
        let _ = writeln!(
            o,
            "tinyim_inbox_deliveries_total {}",
            self.deliveries_inbox.load(Relaxed)
        );

        g(
            &mut o,
            "tinyim_store_latency_seconds",
            "Store request latency, enqueue to answer.",
            "histogram",
        );
        for (i, bound) in LATENCY_BUCKETS.iter().enumerate() {
            let _ = writeln!(
                o,
                "tinyim_store_latency_seconds_bucket{{le=\"{bound}\"}} {}",
                self.store_buckets[i].load(Relaxed)
            );
        }
        let count = self.store_count.load(Relaxed);
        let _ = writeln!(
            o,
            "tinyim_store_latency_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            o,
            "tinyim_store_latency_seconds_sum {}",
            self.store_sum_us.load(Relaxed) as f64 / 1e6
        );
        let _ = writeln!(o, "tinyim_store_latency_seconds_count {count}");
        g(
            &mut o,
            "tinyim_store_batches_total",
            "Store write transactions committed.",
            "counter",
        );
        let _ = writeln!(
            o,
            "tinyim_store_batches_total {}",
            self.store_batches.load(Relaxed)
        );

        g(
            &mut o,
            "tinyim_errors_total",
            "Error frames sent, by ZIM error code.",
            "counter",
        );
        if let Ok(m) = self.errors.lock() {
            for (code, n) in m.iter() {
                let _ = writeln!(o, "tinyim_errors_total{{code=\"{code}\"}} {n}");
            }
        }
        g(
            &mut o,
            "tinyim_closes_total",
            "Connections closed by the server, by close code.",
            "counter",
        );
        if let Ok(m) = self.closes.lock() {
            for (code, n) in m.iter() {
                let _ = writeln!(o, "tinyim_closes_total{{code=\"{code}\"}} {n}");
            }
        }
        o
    }
}

/// One counter per frame kind (arrays this long have no `Default`).
struct KindCounters([AtomicU64; 128]);

impl Default for KindCounters {
    fn default() -> Self {
        KindCounters(std::array::from_fn(|_| AtomicU64::new(0)))
    }
}

/// A metric label for frame kind `kind` (the names of `tinyim_protocol::Body`).
pub fn kind_name(kind: u8) -> &'static str {
    match kind {
        1 => "login",
        2 => "logout",
        3 => "renew_token",
        4 => "ping",
        5 => "send",
        6 => "push_ack",
        7 => "room_create",
        8 => "room_join",
        9 => "room_enter",
        10 => "room_leave",
        11 => "room_members",
        12 => "room_online_count",
        13 => "history",
        64 => "login_ok",
        65 => "ok",
        66 => "token_renewed",
        67 => "pong",
        68 => "send_ack",
        69 => "room_info",
        70 => "room_member_page",
        71 => "room_count",
        72 => "history_page",
        73 => "error",
        96 => "push",
        97 => "room_push",
        98 => "room_members_changed",
        99 => "kicked",
        _ => "unknown",
    }
}
