//! Turns results into text: one-line summaries for the terminal and BENCHMARKS.md.

use crate::scenario::connect::ConnectResult;
use crate::scenario::offline::OfflineResult;
use crate::scenario::peer::PeerResult;
use crate::scenario::room::RoomResult;

/// Megabytes from bytes.
pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Server CPU microseconds per delivered message (what a change to the message path costs).
pub fn cpu_per_message_us(r: &PeerResult) -> f64 {
    if r.delivered == 0 {
        return 0.0;
    }
    r.server_cpu_s * 1e6 / r.delivered as f64
}

/// One line for the terminal.
pub fn peer_line(r: &PeerResult) -> String {
    format!(
        "{} peer users={} rate={} dur={}s: sent={} acked={} errs={} delivered={} lost={} dup={} | {:.0} msg/s | p50 {:.2} ms p99 {:.2} ms p99.9 {:.2} ms max {:.2} ms | server cpu {:.2}s ({:.0} µs/msg) peak rss {:.1} MB | bench cpu {:.2}s | setup {:.1}s {:?} threads {:?}",
        r.system,
        r.params.users,
        r.params.rate,
        r.params.duration.as_secs(),
        r.sent,
        r.acked,
        r.send_errors,
        r.delivered,
        r.lost,
        r.duplicates,
        r.throughput,
        r.latency.p50_ms,
        r.latency.p99_ms,
        r.latency.p999_ms,
        r.latency.max_ms,
        r.server_cpu_s,
        cpu_per_message_us(r),
        mb(r.server_peak_rss),
        r.bench_cpu_s,
        r.setup_s,
        r.errors,
        r.server_threads
    )
}

/// tinyim / mosquitto ratios.
pub fn ratio_line(t: &PeerResult, m: &PeerResult) -> String {
    let q = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    format!(
        "tinyim/mosquitto: throughput {:.2}x, p50 {:.2}x, p99 {:.2}x, p99.9 {:.2}x",
        q(t.throughput, m.throughput),
        q(t.latency.p50_ms, m.latency.p50_ms),
        q(t.latency.p99_ms, m.latency.p99_ms),
        q(t.latency.p999_ms, m.latency.p999_ms)
    )
}

pub fn room_line(r: &RoomResult) -> String {
    format!(
        "room members={} senders={} rate={} dur={}s: sent={} acked={} errs={} expected={} delivered={} lost={} dup={} | {:.0} deliveries/s | p50 {:.2} ms p99 {:.2} ms p99.9 {:.2} ms | server cpu {:.2}s peak rss {:.1} MB | bench cpu {:.2}s {:?}",
        r.params.members,
        r.params.senders,
        r.params.rate,
        r.params.duration.as_secs(),
        r.sent,
        r.acked,
        r.send_errors,
        r.expected,
        r.delivered,
        r.lost,
        r.duplicates,
        r.deliveries_per_s,
        r.latency.p50_ms,
        r.latency.p99_ms,
        r.latency.p999_ms,
        r.server_cpu_s,
        mb(r.server_peak_rss),
        r.bench_cpu_s,
        r.errors
    )
}

pub fn connect_line(r: &ConnectResult) -> String {
    format!(
        "{} connect n={}: logged in {} in {:.1}s ({:.0}/s) | server rss {:.1} -> {:.1} MB = {:.1} KB/conn | idle cpu {:.2}% of a core (bench {:.2}%) | server cpu {:.2}s peak rss {:.1} MB {:?}",
        r.system,
        r.params.connections,
        r.logged_in,
        r.ramp_s,
        r.logins_per_s,
        mb(r.rss_before),
        mb(r.rss_after),
        r.rss_per_connection / 1024.0,
        r.idle_cpu_pct,
        r.bench_idle_cpu_pct,
        r.server_cpu_s,
        mb(r.server_peak_rss),
        r.errors
    )
}

pub fn offline_line(r: &OfflineResult) -> String {
    format!(
        "offline x={} senders={}: acked={} queued in {:.1}s | login {:.1} ms, drained in {:.1} ms ({:.0} msg/s) | received={} lost={} dup={} | server cpu {:.2}s peak rss {:.1} MB {:?}",
        r.params.messages,
        r.params.senders,
        r.acked,
        r.queue_s,
        r.login_ms,
        r.drain_ms,
        r.received as f64 / (r.drain_ms / 1000.0).max(0.001),
        r.received,
        r.lost,
        r.duplicates,
        r.server_cpu_drain_s,
        mb(r.server_peak_rss),
        r.errors
    )
}

// ----- BENCHMARKS.md -------------------------------------------------------------------------

use crate::chart::fmt_ms;
use crate::client_cost::{ClientCost, TIM_WX_SDK_BYTES, ZEGO_ZIM_MP_BYTES};

/// A scenario's outcome with the command that reproduces it.
pub struct Run<T> {
    pub command: String,
    pub result: Result<T, String>,
}

/// Everything `tinyim-bench all` measured.
#[derive(Default)]
pub struct Report {
    pub machine: Vec<(String, String)>,
    pub peer: Vec<(Run<PeerResult>, Run<PeerResult>)>,
    pub room: Option<Run<RoomResult>>,
    /// tinyim, then the same on Mosquitto.
    pub connect: Vec<Run<ConnectResult>>,
    pub offline: Option<Run<OfflineResult>>,
    pub client: Option<(String, ClientCost)>,
    pub chart: Option<String>,
    pub total_s: f64,
    /// Hand-written findings (bench/findings.md), appended verbatim.
    pub findings: Option<String>,
}

/// Describes this machine: what a reader needs to weigh the figures.
pub fn machine() -> Vec<(String, String)> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    let mem = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map(|kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    let nproc = std::thread::available_parallelism()
        .map(|n| n.get().to_string())
        .unwrap_or_default();
    let cmd = |c: &str, a: &[&str]| {
        std::process::Command::new(c)
            .args(a)
            .output()
            .ok()
            .map(|o| {
                let mut s = String::from_utf8_lossy(&o.stdout).into_owned();
                s.push_str(&String::from_utf8_lossy(&o.stderr));
                s.lines().next().unwrap_or("").trim().to_owned()
            })
            .unwrap_or_else(|| "not found".into())
    };
    let load = load_average();
    vec![
        ("nproc".into(), nproc),
        ("CPU".into(), model),
        ("memory".into(), mem),
        (
            "kernel".into(),
            read("/proc/sys/kernel/osrelease").trim().to_owned(),
        ),
        (
            "load average at start".into(),
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("mosquitto".into(), cmd("/usr/sbin/mosquitto", &["-h"])),
        ("node".into(), cmd("node", &["--version"])),
    ]
}

/// The 1, 5 and 15 minute load averages: how busy the shared machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn kb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1024.0)
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}×", a / b)
    } else {
        "–".into()
    }
}

impl Report {
    /// Zero lost and zero duplicated everywhere, and every scenario ran.
    pub fn clean(&self) -> bool {
        let peer = self.peer.iter().all(|(t, m)| {
            [t, m].iter().all(|r| {
                r.result
                    .as_ref()
                    .is_ok_and(|r| r.lost == 0 && r.duplicates == 0 && r.delivered == r.sent)
            })
        });
        let room = self.room.as_ref().is_none_or(|r| {
            r.result
                .as_ref()
                .is_ok_and(|r| r.lost == 0 && r.duplicates == 0)
        });
        let offline = self.offline.as_ref().is_none_or(|r| {
            r.result
                .as_ref()
                .is_ok_and(|r| r.lost == 0 && r.duplicates == 0)
        });
        let connect = self.connect.iter().all(|r| r.result.is_ok());
        peer && room && offline && connect
    }

    pub fn markdown(&self) -> String {
        let mut s = String::new();
        s.push_str("# tinyim benchmarks\n\n");
        s.push_str(
            "Written by `make bench` (`tinyim-bench all`, source in `bench/`). Every simulated user is a \
             full SDK core session (`tinyim::Client`: login, heartbeats, acks, de-duplication) over a \
             real WebSocket on 127.0.0.1, driven by `bench/src/host.rs`; each scenario starts a fresh \
             `tinyim-server` (release build, empty temp data dir, SQLite WAL with `synchronous = FULL`: \
             every acknowledged message is on disk) on an ephemeral loopback port. Load generator, \
             server and broker share the same cores, so CPU figures are the honest per-process ones \
             from `/proc/PID/stat` and peak RSS is `VmHWM` from `/proc/PID/status`.\n\n",
        );
        s.push_str("## Machine\n\n| | |\n|---|---|\n");
        for (k, v) in &self.machine {
            s.push_str(&format!("| {k} | {v} |\n"));
        }
        s.push_str(&format!(
            "\nThe whole run took {:.0} s; load average at the end: {}. The machine is shared \
             (see the load averages): latency tails move between runs; CPU per message moves \
             much less.\n\n",
            self.total_s,
            load_average()
        ));

        // Peer.
        s.push_str("## Peer messaging: tinyim vs Mosquitto (MQTT 5, QoS 1)\n\n");
        s.push_str(
            "C users each send 100-byte texts to random other users; the aggregate rate is spread \
             evenly (random phase per user). Latency is end to end: the send time travels in the \
             payload and is read at the receiver after its client decoded the message. Mosquitto \
             runs with `persistence false`, `set_tcp_nodelay true`, one topic per user \
             (`inbox/<user>`), QoS 1 both ways, clients by rumqttc with Nagle off (as are tinyim's). \
             So this compares tinyim's durable, de-duplicated delivery with an in-memory broker.\n\n",
        );
        s.push_str("| system | command | sent | delivered | lost | dup | msg/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU s | server CPU µs/msg | server peak RSS MB | bench CPU s |\n");
        s.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (t, m) in &self.peer {
            for run in [t, m] {
                match &run.result {
                    Ok(r) => s.push_str(&format!(
                        "| {} | `{}` | {} | {} | {} | {} | {:.0} | {} | {} | {} | {} | {:.2} | {:.0} | {:.1} | {:.2} |\n",
                        r.system,
                        run.command,
                        r.sent,
                        r.delivered,
                        r.lost,
                        r.duplicates,
                        r.throughput,
                        fmt_ms(r.latency.p50_ms),
                        fmt_ms(r.latency.p99_ms),
                        fmt_ms(r.latency.p999_ms),
                        fmt_ms(r.latency.max_ms),
                        r.server_cpu_s,
                        1e6 * r.server_cpu_s / (r.delivered.max(1) as f64),
                        mb(r.server_peak_rss),
                        r.bench_cpu_s
                    )),
                    Err(e) => s.push_str(&format!("| ? | `{}` | failed: {} |\n", run.command, e)),
                }
            }
        }
        s.push_str("\n**Ratios tinyim / mosquitto** (throughput: higher is better for tinyim; latency: lower is better):\n\n");
        s.push_str("| users, rate | throughput | p50 | p99 | p99.9 | server CPU per msg |\n|---|---|---|---|---|---|\n");
        for (t, m) in &self.peer {
            if let (Ok(t), Ok(m)) = (&t.result, &m.result) {
                s.push_str(&format!(
                    "| {} users, {:.0}/s | {} | {} | {} | {} | {} |\n",
                    t.params.users,
                    t.params.rate,
                    ratio(t.throughput, m.throughput),
                    ratio(t.latency.p50_ms, m.latency.p50_ms),
                    ratio(t.latency.p99_ms, m.latency.p99_ms),
                    ratio(t.latency.p999_ms, m.latency.p999_ms),
                    ratio(
                        t.server_cpu_s / t.delivered.max(1) as f64,
                        m.server_cpu_s / m.delivered.max(1) as f64
                    ),
                ));
            }
        }
        if let Some(chart) = &self.chart {
            s.push_str(&format!(
                "\n![peer latency percentiles, tinyim vs mosquitto]({chart})\n"
            ));
        }
        for (t, _) in &self.peer {
            if let Ok(t) = &t.result {
                if !t.server_threads.is_empty() {
                    let th: Vec<String> = t
                        .server_threads
                        .iter()
                        .map(|(n, c)| format!("{n} {c:.2} s"))
                        .collect();
                    s.push_str(&format!(
                        "\ntinyim-server CPU by thread ({} users, {:.0}/s): {}.\n",
                        t.params.users,
                        t.params.rate,
                        th.join(", ")
                    ));
                }
            }
        }

        // Room.
        if let Some(run) = &self.room {
            s.push_str("\n## Room fan-out\n\nOne room; every member entered it; S members send. Each message reaches the other M−1 members (room messages are live-only).\n\n");
            s.push_str("| command | sent | expected deliveries | delivered | lost | dup | deliveries/s | p50 ms | p99 ms | p99.9 ms | server CPU s | server peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            match &run.result {
                Ok(r) => s.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} | {} | {:.0} | {} | {} | {} | {:.2} | {:.1} |\n",
                    run.command,
                    r.sent,
                    r.expected,
                    r.delivered,
                    r.lost,
                    r.duplicates,
                    r.deliveries_per_s,
                    fmt_ms(r.latency.p50_ms),
                    fmt_ms(r.latency.p99_ms),
                    fmt_ms(r.latency.p999_ms),
                    r.server_cpu_s,
                    mb(r.server_peak_rss)
                )),
                Err(e) => s.push_str(&format!("| `{}` | failed: {} |\n", run.command, e)),
            }
        }

        // Connect.
        if !self.connect.is_empty() {
            s.push_str(&format!(
                "\n## Idle connections\n\nRamp to N logged-in users ({} logins in flight), then hold them idle: only the SDK's heartbeat (a Ping every 20 s per user). On Mosquitto: N clients connected and subscribed to their inbox topic, keep-alive 20 s.\n\n",
                crate::scenario::LOGIN_CONCURRENCY
            ));
            s.push_str("| system | command | logged in | ramp s | logins/s | server RSS before → after MB | RSS per connection KB | idle server CPU (% of a core) | idle bench CPU (% of a core) | server peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|\n");
            for run in &self.connect {
                match &run.result {
                    Ok(r) => s.push_str(&format!(
                        "| {} | `{}` | {} | {:.2} | {:.0} | {:.1} → {:.1} | {} | {:.2} | {:.2} | {:.1} |\n",
                        r.system,
                        run.command,
                        r.logged_in,
                        r.ramp_s,
                        r.logins_per_s,
                        mb(r.rss_before),
                        mb(r.rss_after),
                        kb(r.rss_per_connection as u64),
                        r.idle_cpu_pct,
                        r.bench_idle_cpu_pct,
                        mb(r.server_peak_rss)
                    )),
                    Err(e) => s.push_str(&format!("| ? | `{}` | failed: {} |\n", run.command, e)),
                }
            }
        }

        // Offline.
        if let Some(run) = &self.offline {
            s.push_str("\n## Offline inbox drain\n\nX messages are queued for a user who never logged in (from S senders, each under the SDK's 10 texts/s); then that user logs in with a fresh client. Time runs from its Login call.\n\n");
            s.push_str("| command | queued (acked) | queue time s | login ms | login-and-drain ms | drain msg/s | received | lost | dup | server CPU during drain s | server peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            match &run.result {
                Ok(r) => s.push_str(&format!(
                    "| `{}` | {} | {:.1} | {:.1} | {:.1} | {:.0} | {} | {} | {} | {:.2} | {:.1} |\n",
                    run.command,
                    r.acked,
                    r.queue_s,
                    r.login_ms,
                    r.drain_ms,
                    r.received as f64 / (r.drain_ms / 1000.0).max(0.001),
                    r.received,
                    r.lost,
                    r.duplicates,
                    r.server_cpu_drain_s,
                    mb(r.server_peak_rss)
                )),
                Err(e) => s.push_str(&format!("| `{}` | failed: {} |\n", run.command, e)),
            }
        }

        // Client cost.
        if let Some((command, c)) = &self.client {
            s.push_str(&format!("\n## Client cost\n\n`{command}`. One round = encode the `Send` frame of a 100-byte text message and decode the `Push` frame that delivers one (`bench/wasm-codec`: the protocol crate's codec behind a C ABI, timed natively and as wasm built with the SDK's `wasm-release` profile, opt-level z, in Node).\n\n"));
            s.push_str("| measure | value |\n|---|---|\n");
            s.push_str(&format!(
                "| codec rounds/s, native | {:.0} |\n",
                c.native_ops
            ));
            match c.wasm_ops {
                Some(w) => s.push_str(&format!(
                    "| codec rounds/s, wasm in Node {} | {:.0} ({:.0}% of native) |\n",
                    c.node_version.clone().unwrap_or_default(),
                    w,
                    100.0 * w / c.native_ops.max(1.0)
                )),
                None => s.push_str("| codec rounds/s, wasm in Node | not measured |\n"),
            }
            if let Some(b) = c.sdk_wasm_bytes {
                s.push_str(&format!(
                    "| SDK wasm (package `lib/tinyim_bg.wasm`) | {b} bytes |\n"
                ));
            }
            if let (Some(f), Some(m)) = (c.sdk_instantiate_first_ms, c.sdk_instantiate_median_ms) {
                s.push_str(&format!(
                    "| SDK wasm compile + instantiate in Node, first / median of 20 more | {f:.2} ms / {m:.2} ms |\n"
                ));
            }
            if let (Some(js), Some(br), Some(cost)) = (c.mp_js, c.mp_wasm_br, c.mp_cost) {
                s.push_str(&format!(
                    "| mini-program cost (JS in `miniprogram_dist/` + `.wasm.br`, as `pkg-template/build.js` computes it) | {cost} bytes ({js} JS + {br} wasm.br) |\n\
                     | zego-zim-miniprogram `index.js` | {ZEGO_ZIM_MP_BYTES} bytes (tinyim is {:.1}% of it) |\n\
                     | tim-wx-sdk `index.js` | {TIM_WX_SDK_BYTES} bytes (tinyim is {:.1}% of it) |\n",
                    100.0 * cost as f64 / ZEGO_ZIM_MP_BYTES as f64,
                    100.0 * cost as f64 / TIM_WX_SDK_BYTES as f64
                ));
            }
            for n in &c.notes {
                s.push_str(&format!("\nNote: {n}\n"));
            }
        }
        if let Some(f) = &self.findings {
            s.push('\n');
            s.push_str(f.trim_end());
            s.push('\n');
        }
        s
    }
}
