//! The counters behind `GET /metrics`, kept in the Prometheus project's `prometheus-client`
//! crate and rendered by its Prometheus text (0.0.4) encoder.
//!
//! Every series carries a `node` label (the registry's constant label, `--node-name`), so
//! the series of several servers behind one Prometheus stay apart.
//!
//! The hot path (a frame in, a message, a frame out) is one relaxed `fetch_add` on the
//! crate's own atomic, as before: counters of a labelled family that are touched per frame
//! are resolved once here and kept (a crate counter is an `Arc` of its atomic, shared with
//! the family), so no lookup and no lock happens per message. Only the error and close-code
//! families are looked up when used (their label sets are open), and those are rare.
//!
//! The fields the rest of the server touches keep the atomic vocabulary
//! (`metrics.kicks.fetch_add(1, Relaxed)`): [`Exposed`] derefs to the crate metric's own
//! atomic, so the call sites did not change when the metrics moved onto the crate.

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::{EncodeMetric, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

use crate::guard::Refusal;

/// Upper bounds (seconds) of the store latency histogram buckets.
const LATENCY_BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
];

/// The `Content-Type` of [`Metrics::render`]'s output.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// The `node` of [`Metrics::default`] (tests and tools that run no server).
const DEFAULT_NODE: &str = "local";

/// A crate metric (counter or gauge) that derefs to its own atomic: see the module docs.
#[derive(Debug, Default)]
pub struct Exposed<M>(M);

impl Deref for Exposed<Counter> {
    type Target = AtomicU64;
    fn deref(&self) -> &AtomicU64 {
        self.0.inner()
    }
}

impl Deref for Exposed<Gauge> {
    type Target = AtomicI64;
    fn deref(&self) -> &AtomicI64 {
        self.0.inner()
    }
}

impl Deref for Exposed<Gauge<u64, AtomicU64>> {
    type Target = AtomicU64;
    fn deref(&self) -> &AtomicU64 {
        self.0.inner()
    }
}

/// A label set of one label with a fixed value.
type Label = [(&'static str, &'static str); 1];

/// Process-wide counters, registered under the `tinyim_` prefix.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub connections: Exposed<Gauge>,
    pub connections_total: Exposed<Counter>,
    pub logins_ok: Exposed<Counter>,
    pub logins_failed: Exposed<Counter>,
    pub kicks: Exposed<Counter>,
    /// By frame kind (`kind & 0x7f`); the kinds without a name share the `unknown` counter.
    frames_in: Box<[Counter]>,
    frames_out: Box<[Counter]>,
    /// [peer text, peer command, room text, room command]
    messages: [Counter; 4],
    pub pushes_inbox: Exposed<Counter>,
    pub deliveries_inbox: Exposed<Counter>,
    pub pushes_room: Exposed<Counter>,
    pub pushes_members: Exposed<Counter>,
    pub duplicates: Exposed<Counter>,
    store_latency: StoreLatency,
    pub store_batches: Exposed<Counter>,
    errors: Family<[(&'static str, u32); 1], Counter>,
    closes: Family<[(&'static str, u16); 1], Counter>,
    /// Sockets admitted and not yet closed (HTTP and WebSocket; crate::guard).
    pub open_sockets: Exposed<Gauge<u64, AtomicU64>>,
    /// Of those, the ones that have not logged in.
    pub unauthenticated: Exposed<Gauge<u64, AtomicU64>>,
    /// The open-file limit the server runs with (crate::fdlimit).
    pub open_files_limit: Exposed<Gauge<u64, AtomicU64>>,
    /// Set from the session registry when `/metrics` is rendered.
    sessions: Gauge<u64, AtomicU64>,
    /// In the order of [`Refusal::ALL`].
    refusals: Vec<Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new(DEFAULT_NODE)
    }
}

impl Metrics {
    /// The metrics of the server called `node` (the `node` label of every series).
    pub fn new(node: &str) -> Metrics {
        let node = (Cow::Borrowed("node"), Cow::Owned(node.to_owned()));
        let mut r = Registry::with_prefix_and_labels("tinyim", std::iter::once(node));
        // Help texts without the final full stop: the crate adds it.
        let connections = Exposed::<Gauge>::default();
        r.register(
            "connections",
            "Open WebSocket connections",
            connections.0.clone(),
        );
        let open_sockets = Exposed::<Gauge<u64, AtomicU64>>::default();
        r.register(
            "open_sockets",
            "Sockets admitted and not yet closed (HTTP and WebSocket)",
            open_sockets.0.clone(),
        );
        let unauthenticated = Exposed::<Gauge<u64, AtomicU64>>::default();
        r.register(
            "unauthenticated_sockets",
            "Admitted sockets that have not logged in",
            unauthenticated.0.clone(),
        );
        let open_files_limit = Exposed::<Gauge<u64, AtomicU64>>::default();
        r.register(
            "open_files_limit",
            "The open-file limit the server runs with",
            open_files_limit.0.clone(),
        );
        let refusal_family = Family::<Label, Counter>::default();
        r.register(
            "refusals",
            "Sockets, logins and requests refused or cut off by the server's bounds, by reason",
            refusal_family.clone(),
        );
        let refusals = Refusal::ALL
            .iter()
            .map(|x| refusal_family.get_or_create_owned(&[("reason", x.label())]))
            .collect();
        let sessions = Gauge::<u64, AtomicU64>::default();
        r.register("sessions", "Logged-in sessions", sessions.clone());
        let connections_total = Exposed::<Counter>::default();
        r.register(
            "connections",
            "WebSocket connections accepted",
            connections_total.0.clone(),
        );
        let logins = Family::<Label, Counter>::default();
        r.register("logins", "Login attempts by result", logins.clone());
        let logins_ok = Exposed(logins.get_or_create_owned(&[("result", "ok")]));
        let logins_failed = Exposed(logins.get_or_create_owned(&[("result", "failed")]));
        let kicks = Exposed::<Counter>::default();
        r.register(
            "kicks",
            "Sessions kicked by a second login",
            kicks.0.clone(),
        );
        let frames_in = kind_counters(&mut r, "frames_in", "Frames received, by kind");
        let frames_out = kind_counters(&mut r, "frames_out", "Frames sent, by kind");
        let message_family = Family::<[(&'static str, &'static str); 2], Counter>::default();
        r.register(
            "messages",
            "Messages accepted, by conversation and type",
            message_family.clone(),
        );
        let messages = [
            ("peer", "text"),
            ("peer", "command"),
            ("room", "text"),
            ("room", "command"),
        ]
        .map(|(c, t)| message_family.get_or_create_owned(&[("conversation", c), ("type", t)]));
        let duplicates = Exposed::<Counter>::default();
        r.register(
            "duplicate_sends",
            "Resends answered from the idempotency key",
            duplicates.0.clone(),
        );
        let pushes = Family::<Label, Counter>::default();
        r.register("pushes", "Push frames sent, by kind", pushes.clone());
        let pushes_inbox = Exposed(pushes.get_or_create_owned(&[("kind", "inbox")]));
        let pushes_room = Exposed(pushes.get_or_create_owned(&[("kind", "room")]));
        let pushes_members = Exposed(pushes.get_or_create_owned(&[("kind", "members")]));
        let deliveries_inbox = Exposed::<Counter>::default();
        r.register(
            "inbox_deliveries",
            "Inbox messages pushed",
            deliveries_inbox.0.clone(),
        );
        let store_latency = StoreLatency::default();
        r.register(
            "store_latency_seconds",
            "Store request latency, enqueue to answer",
            store_latency.clone(),
        );
        let store_batches = Exposed::<Counter>::default();
        r.register(
            "store_batches",
            "Store write transactions committed",
            store_batches.0.clone(),
        );
        let errors = Family::default();
        r.register(
            "errors",
            "Error frames sent, by ZIM error code",
            errors.clone(),
        );
        let closes = Family::default();
        r.register(
            "closes",
            "Connections closed by the server, by close code",
            closes.clone(),
        );
        Metrics {
            registry: r,
            connections,
            connections_total,
            logins_ok,
            logins_failed,
            kicks,
            frames_in,
            frames_out,
            messages,
            pushes_inbox,
            deliveries_inbox,
            pushes_room,
            pushes_members,
            duplicates,
            store_latency,
            store_batches,
            errors,
            closes,
            open_sockets,
            unauthenticated,
            open_files_limit,
            sessions,
            refusals,
        }
    }

    /// A frame of `kind` arrived from a client.
    pub fn frame_in(&self, kind: u8) {
        self.frames_in[usize::from(kind & 0x7f)].inc();
    }

    /// A frame of `kind` was queued to a client.
    pub fn frame_out(&self, kind: u8) {
        self.frames_out[usize::from(kind & 0x7f)].inc();
    }

    /// A message was accepted (stored or fanned out).
    pub fn message(&self, room: bool, command: bool) {
        self.messages[usize::from(room) * 2 + usize::from(command)].inc();
    }

    /// An error frame with ZIM `code` was sent.
    pub fn error(&self, code: u32) {
        self.errors.get_or_create(&[("code", code)]).inc();
    }

    /// The server closed a connection with `code`.
    pub fn close(&self, code: u16) {
        self.closes.get_or_create(&[("code", code)]).inc();
    }

    /// A stranger was refused or cut off (crate::guard).
    pub fn refusal(&self, reason: Refusal) {
        if let Some(c) = self.refusals.get(reason.index()) {
            c.inc();
        }
    }

    /// One store request took `d` from enqueue to answer.
    pub fn store_latency(&self, d: Duration) {
        self.store_latency.observe(d);
    }

    /// The Prometheus text exposition ([`CONTENT_TYPE`]), with `sessions` logged in.
    pub fn render(&self, sessions: usize) -> String {
        self.sessions.set(sessions as u64);
        let mut o = String::with_capacity(8192);
        // Writing into a String cannot fail; the encoder only passes on the writer's errors.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut o, &self.registry);
        o
    }
}

/// Registers the family `name` by frame kind and returns its counter for every kind
/// (`kind & 0x7f`), the nameless kinds sharing the `unknown` one.
fn kind_counters(r: &mut Registry, name: &str, help: &str) -> Box<[Counter]> {
    let family = Family::<Label, Counter>::default();
    r.register(name, help, family.clone());
    (0..128u8)
        .map(|k| family.get_or_create_owned(&[("kind", kind_name(k))]))
        .collect()
}

/// The store latency histogram: lock-free buckets (the crate's `Histogram` takes a mutex
/// per observation, and this one is observed per store request), encoded by the crate.
#[derive(Debug, Clone, Default)]
struct StoreLatency(Arc<LatencyCells>);

#[derive(Debug, Default)]
struct LatencyCells {
    /// Observations per bucket, not cumulative (the encoder adds them up); one past the last
    /// bound counts nothing: those are only in `count`.
    buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    count: AtomicU64,
    sum_us: AtomicU64,
}

impl StoreLatency {
    fn observe(&self, d: Duration) {
        let s = d.as_secs_f64();
        if let Some(i) = LATENCY_BUCKETS.iter().position(|bound| s <= *bound) {
            self.0.buckets[i].fetch_add(1, Relaxed);
        }
        self.0.count.fetch_add(1, Relaxed);
        let us = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        self.0.sum_us.fetch_add(us, Relaxed);
    }
}

impl EncodeMetric for StoreLatency {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        let c = &self.0;
        let buckets: Vec<(f64, u64)> = LATENCY_BUCKETS
            .iter()
            .zip(&c.buckets)
            .map(|(bound, n)| (*bound, n.load(Relaxed)))
            .collect();
        let sum = c.sum_us.load(Relaxed) as f64 / 1e6;
        encoder.encode_histogram::<NoLabelSet>(sum, c.count.load(Relaxed), &buckets, None)
    }

    fn metric_type(&self) -> MetricType {
        MetricType::Histogram
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_has_the_node_label_and_the_names_stay() {
        let m = Metrics::new("edge-1");
        m.message(false, false);
        m.connections_total.fetch_add(2, Relaxed);
        m.connections.fetch_add(1, Relaxed);
        m.error(6000103);
        m.store_latency(Duration::from_millis(3));
        let text = m.render(7);
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            assert!(l.contains("{node=\"edge-1\""), "{l}");
        }
        for line in [
            "tinyim_messages_total{node=\"edge-1\",conversation=\"peer\",type=\"text\"} 1",
            "tinyim_connections_total{node=\"edge-1\"} 2",
            "tinyim_connections{node=\"edge-1\"} 1",
            "tinyim_sessions{node=\"edge-1\"} 7",
            "tinyim_errors_total{node=\"edge-1\",code=\"6000103\"} 1",
            "tinyim_store_latency_seconds_bucket{node=\"edge-1\",le=\"0.0025\"} 0",
            "tinyim_store_latency_seconds_bucket{node=\"edge-1\",le=\"0.005\"} 1",
            "tinyim_store_latency_seconds_bucket{node=\"edge-1\",le=\"+Inf\"} 1",
            "tinyim_store_latency_seconds_count{node=\"edge-1\"} 1",
            "# TYPE tinyim_store_latency_seconds histogram",
            "# TYPE tinyim_connections gauge",
            "# TYPE tinyim_connections_total counter",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
    }

    #[test]
    fn the_node_label_value_is_escaped() {
        let text = Metrics::new("a\"b\\c").render(0);
        assert!(
            text.contains("tinyim_sessions{node=\"a\\\"b\\\\c\"} 0"),
            "{text}"
        );
    }
}
