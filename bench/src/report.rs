//! Turns results into text: one-line summaries for the terminal and BENCHMARKS.md.

use crate::scenario::chaos::{ChaosParams, ChaosResult};
use crate::scenario::connect::ConnectResult;
use crate::scenario::group::GroupResult;
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

/// tinyim / peer ratios.
pub fn ratio_line(t: &PeerResult, m: &PeerResult) -> String {
    let q = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    format!(
        "{}/{}: throughput {:.2}x, p50 {:.2}x, p99 {:.2}x, p99.9 {:.2}x",
        t.system,
        m.system,
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

pub fn group_line(r: &GroupResult) -> String {
    format!(
        "group members={} senders={} rate={} dur={}s: sent={} acked={} errs={} expected={} delivered={} lost={} dup={} | {:.0} deliveries/s | p50 {:.2} ms p99 {:.2} ms | server cpu {:.2}s ({:.1} us/delivery) | stored {:.0} B/message | peak rss {:.1} MB | setup {:.1}s {:?}",
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
        r.server_cpu_s,
        r.cpu_us_per_delivery,
        r.stored_bytes_per_message,
        mb(r.server_peak_rss),
        r.setup_s,
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

/// The command line that reproduces a chaos run.
pub fn chaos_command(p: &ChaosParams) -> String {
    format!(
        "tinyim-bench chaos --senders {} --receivers {} --duration {} --seed {}",
        p.senders,
        p.receivers,
        p.duration.as_secs(),
        p.seed
    )
}

fn codes(c: &std::collections::BTreeMap<u32, u64>) -> String {
    let v: Vec<String> = c.iter().map(|(code, n)| format!("{code}×{n}")).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

pub fn chaos_line(r: &ChaosResult) -> String {
    format!(
        "chaos senders={} receivers={} dur={}s seed={}: {} kills ({:.1}s down) | sent={} acked={} delivered={} | lost={} dup={} out-of-order={} ({}/{} pairs) false-failures={} (delivered {}, not delivered {}; codes {}) sdk-refused={} unsettled={} foreign={} | history: out-of-order={} dup={} lost={} | settled in {:.1}s {:?}",
        r.senders,
        r.receivers,
        r.duration_s,
        r.seed,
        r.outages.len(),
        r.downtime_s(),
        r.sent,
        r.acked,
        r.delivered,
        r.lost,
        r.duplicated,
        r.out_of_order,
        r.pairs_out_of_order,
        r.pairs,
        r.false_failures(),
        r.failed_delivered,
        r.failed_not_delivered,
        codes(&r.failure_codes),
        r.sdk_refused,
        r.unsettled,
        r.foreign,
        r.history_out_of_order,
        r.history_duplicated,
        r.history_lost,
        r.settle_s,
        r.errors
    )
}

// ----- BENCHMARKS.md -------------------------------------------------------------------------

use crate::chart::fmt_ms;
use crate::client_cost::{ClientCost, TIM_WX_SDK_BYTES, ZEGO_ZIM_MP_BYTES};
use crate::fsync::FsyncResult;
use crate::scenario::crash::CrashResult;
use crate::store_cost::StoreCostResult;
use crate::sweep::Sweep;

/// A scenario's outcome with the command that reproduces it.
pub struct Run<T> {
    pub command: String,
    pub result: Result<T, String>,
}

/// Everything `tinyim-bench all` measured.
#[derive(Default)]
pub struct Report {
    pub machine: Vec<(String, String)>,
    /// A smoke run (`--quick`): sizes too small for the goals to mean anything.
    pub quick: bool,
    /// Each: tinyim, Mosquitto, ejabberd on the same load.
    pub peer: Vec<Vec<Run<PeerResult>>>,
    /// tinyim, Mosquitto, ejabberd.
    pub sweeps: Vec<Sweep>,
    pub sweep_chart: Option<String>,
    /// tinyim and Mosquitto at half of Mosquitto's saturation rate.
    pub half: Option<(Run<PeerResult>, Run<PeerResult>)>,
    pub store_cost: Option<Run<StoreCostResult>>,
    pub fsync: Option<FsyncResult>,
    pub crash: Vec<Run<CrashResult>>,
    /// Things the reader must know about this run (limits that capped a scenario).
    pub notes: Vec<String>,
    pub room: Option<Run<RoomResult>>,
    pub group: Vec<Run<GroupResult>>,
    /// tinyim, then the same on Mosquitto.
    pub connect: Vec<Run<ConnectResult>>,
    pub offline: Option<Run<OfflineResult>>,
    pub chaos: Option<Run<ChaosResult>>,
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

/// Server CPU seconds per delivered message.
fn cpu_per_msg(r: &PeerResult) -> f64 {
    r.server_cpu_s / r.delivered.max(1) as f64
}

/// Seconds of a peer run's measuring window (sending, then the deliveries' tail).
fn window_s(r: &PeerResult) -> f64 {
    (r.delivered as f64 / r.throughput.max(1e-9)).max(r.params.duration.as_secs_f64())
}

fn peer_row(run: &Run<PeerResult>) -> String {
    match &run.result {
        Ok(r) => format!(
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
            1e6 * cpu_per_msg(r),
            mb(r.server_peak_rss),
            r.bench_cpu_s
        ),
        Err(e) => format!("| ? | `{}` | failed: {} |\n", run.command, e),
    }
}

fn threads_line(t: &PeerResult) -> String {
    let th: Vec<String> = t
        .server_threads
        .iter()
        .map(|(n, c)| format!("{n} {c:.2} s"))
        .collect();
    format!(
        "\ntinyim-server CPU by thread ({} users, {:.0}/s): {}.\n",
        t.params.users,
        t.params.rate,
        th.join(", ")
    )
}

/// "met" / "**not met**".
fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**not met**"
    }
}

impl Report {
    /// The goals of issue 14, each with its measured figure from this run.
    fn goals(&self) -> String {
        let mut s = String::from(
            "## Goals

",
        );
        if self.quick {
            s.push_str("A smoke run (`--quick`): the sizes are far too small for these figures to mean anything.

");
        }
        s.push_str(
            "| goal | measured | |
|---|---|---|
",
        );
        let sat = |name: &str| {
            self.sweeps
                .iter()
                .find(|w| w.system == name)
                .map(Sweep::saturation)
        };
        if let (Some(t), Some(m), Some(x)) = (sat("tinyim"), sat("mosquitto"), sat("ejabberd")) {
            // A system that passed no step has no saturation rate: no ratio can be met on it.
            let q = |a: f64, b: f64| if a > 0.0 && b > 0.0 { a / b } else { 0.0 };
            s.push_str(&format!(
                "| saturation throughput ≥ 1.0× Mosquitto QoS 1 | tinyim {t:.0} msg/s, Mosquitto {m:.0}: {:.2}× | {} |\n",
                q(t, m),
                met(q(t, m) >= 1.0)
            ));
            s.push_str(&format!(
                "| saturation throughput ≥ 3× ejabberd (SQL offline storage) | ejabberd {x:.0} msg/s: {:.2}× | {} |\n",
                q(t, x),
                met(q(t, x) >= 3.0)
            ));
        }
        if let Some((Run { result: Ok(t), .. }, Run { result: Ok(m), .. })) = &self.half {
            let cpu = cpu_per_msg(t) / cpu_per_msg(m).max(1e-12);
            s.push_str(&format!(
                "| server CPU per delivered message ≤ 1.5× Mosquitto's at the same load ({:.0} msg/s) | {:.0} µs vs {:.0} µs: {:.2}× | {} |\n",
                t.params.rate,
                cpu_per_msg(t) * 1e6,
                cpu_per_msg(m) * 1e6,
                cpu,
                met(cpu <= 1.5)
            ));
            let p99 = t.latency.p99_ms / m.latency.p99_ms.max(1e-9);
            s.push_str(&format!(
                "| end-to-end p99 at half of Mosquitto's saturation ≤ 2× Mosquitto's | {} ms vs {} ms: {:.2}× | {} |\n",
                fmt_ms(t.latency.p99_ms),
                fmt_ms(m.latency.p99_ms),
                p99,
                met(p99 <= 2.0)
            ));
        }
        if let Some(Run { result: Ok(r), .. }) = &self.store_cost {
            let q = r.store_us_per_msg() / r.engine_us_per_msg().max(1e-9);
            s.push_str(&format!(
                "| store CPU per message within 3× of the engine's own cost | {:.1} µs vs {:.1} µs: {:.2}× | {} |\n",
                r.store_us_per_msg(),
                r.engine_us_per_msg(),
                q,
                met(q <= 3.0)
            ));
        }
        let conn = |n: u32| {
            self.connect.iter().find_map(|r| {
                r.result
                    .as_ref()
                    .ok()
                    .filter(|c| c.system == "tinyim" && c.params.connections == n)
            })
        };
        let largest = |min: u32| {
            self.connect
                .iter()
                .filter_map(|r| r.result.as_ref().ok())
                .filter(|c| c.system == "tinyim" && c.params.connections >= min)
                .max_by_key(|c| c.params.connections)
        };
        if conn(50_000).is_none() {
            if let Some(c) = largest(10_000) {
                s.push_str(&format!(
                    "| idle logged-in connection ≤ 6 KB of server RSS at 50,000 | {:.1} KB at {} (capped: see the note below) | {} |\n",
                    c.rss_per_connection / 1024.0,
                    c.params.connections,
                    met(false)
                ));
            }
        }
        if conn(100_000).is_none() {
            if let Some(c) = largest(10_000) {
                s.push_str(&format!(
                    "| 100,000 idle logged-in connections held | {} held (capped: see the note below) | {} |\n",
                    c.logged_in,
                    met(false)
                ));
            }
        }
        if let Some(c) = conn(50_000) {
            s.push_str(&format!(
                "| idle logged-in connection ≤ 6 KB of server RSS at 50,000 | {:.1} KB | {} |\n",
                c.rss_per_connection / 1024.0,
                met(c.rss_per_connection <= 6.0 * 1024.0 && c.logged_in == 50_000)
            ));
        }
        if let Some(c) = conn(100_000) {
            s.push_str(&format!(
                "| 100,000 idle logged-in connections held | {} logged in and held ({:.1} KB each) | {} |\n",
                c.logged_in,
                c.rss_per_connection / 1024.0,
                met(c.logged_in == 100_000 && c.errors.is_empty())
            ));
        }
        let lost_dup: u64 = self
            .peer
            .iter()
            .flatten()
            .filter_map(|r| r.result.as_ref().ok())
            .filter(|r| r.system == "tinyim")
            .map(|r| r.lost + r.duplicates)
            .sum::<u64>()
            + self
                .crash
                .iter()
                .filter_map(|r| r.result.as_ref().ok())
                .filter(|c| c.system == "tinyim")
                .map(|c| c.lost + c.duplicates)
                .sum::<u64>();
        s.push_str(&format!(
            "| 0 lost and 0 duplicated everywhere (tinyim, including the crash audit) | {lost_dup} | {} |\n",
            met(lost_dup == 0 && self.clean())
        ));
        if let Some(f) = &self.fsync {
            s.push_str(&format!(
                "| fsync before every ack | {} acks, {} commits, {} fsync + fdatasync calls | {} |\n",
                f.acked,
                f.commits,
                f.fsync + f.fdatasync,
                met(f.acked > 0 && f.commits > 0 && f.fsync + f.fdatasync >= f.commits)
            ));
        }
        for n in &self.notes {
            s.push_str(&format!("\nNote: {n}\n"));
        }
        s.push('\n');
        s
    }

    /// Zero lost and zero duplicated everywhere, chaos counted nothing but acked, and every
    /// scenario ran.
    pub fn clean(&self) -> bool {
        let peer = self.peer.iter().flatten().all(|r| {
            r.result
                .as_ref()
                .is_ok_and(|r| r.lost == 0 && r.duplicates == 0 && r.delivered == r.sent)
        });
        // tinyim's crash audit must lose nothing it acknowledged; ejabberd's is reported.
        let crash = self.crash.iter().all(|r| {
            r.result
                .as_ref()
                .is_ok_and(|c| c.system != "tinyim" || (c.lost == 0 && c.duplicates == 0))
        });
        let room = self.room.as_ref().is_none_or(|r| {
            r.result
                .as_ref()
                .is_ok_and(|r| r.lost == 0 && r.duplicates == 0)
        });
        let group = self.group.iter().all(|r| {
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
        let chaos = self
            .chaos
            .as_ref()
            .is_none_or(|r| r.result.as_ref().is_ok_and(ChaosResult::clean));
        peer && room && group && offline && connect && crash && chaos
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

        s.push_str(&self.goals());

        // Peer.
        s.push_str(
            "## Peer messaging: tinyim vs Mosquitto (MQTT 5, QoS 1) and ejabberd (XMPP)\n\n",
        );
        s.push_str(
            "C users each send 100-byte texts to random other users; the aggregate rate is spread \
             evenly (random phase per user). Latency is end to end: the send time travels in the \
             payload and is read at the receiver after its client decoded the message. Mosquitto \
             runs with `persistence false`, `set_tcp_nodelay true`, one topic per user \
             (`inbox/<user>`), QoS 1 both ways, clients by rumqttc with Nagle off (as are tinyim's). \
             ejabberd (Debian's 23.01) runs with its SQL backend on SQLite for users and offline \
             messages, stream management on (every message is followed by an ack request, and \
             the server's `<a h>` is its ack), no shaper, no TLS, BEAM schedulers without busy \
             waiting; clients by the bench's own XMPP client (`bench/src/xmpp.rs`). What an ack \
             means: tinyim's SendAck follows a commit on disk; Mosquitto's PUBACK, the message \
             in the broker's memory; ejabberd's `<a h>`, the stanza handled (routed to the online \
             recipient's session, or stored offline in SQL).\n\n",
        );
        s.push_str("| system | command | sent | delivered | lost | dup | msg/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU s | server CPU µs/msg | server peak RSS MB | bench CPU s |\n");
        s.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for run in self.peer.iter().flatten() {
            s.push_str(&peer_row(run));
        }
        s.push_str("\n**Ratios tinyim / peer** (throughput: higher is better for tinyim; latency and CPU: lower is better):\n\n");
        s.push_str("| peer | users, rate | throughput | p50 | p99 | p99.9 | server CPU per msg |\n|---|---|---|---|---|---|---|\n");
        for runs in &self.peer {
            let Some(Ok(t)) = runs.first().map(|r| r.result.as_ref()) else {
                continue;
            };
            for m in runs.iter().skip(1).filter_map(|r| r.result.as_ref().ok()) {
                s.push_str(&format!(
                    "| {} | {} users, {:.0}/s | {} | {} | {} | {} | {} |\n",
                    m.system,
                    t.params.users,
                    t.params.rate,
                    ratio(t.throughput, m.throughput),
                    ratio(t.latency.p50_ms, m.latency.p50_ms),
                    ratio(t.latency.p99_ms, m.latency.p99_ms),
                    ratio(t.latency.p999_ms, m.latency.p999_ms),
                    ratio(cpu_per_msg(t), cpu_per_msg(m)),
                ));
            }
        }
        if let Some(chart) = &self.chart {
            s.push_str(&format!(
                "\n![peer latency percentiles, tinyim vs mosquitto vs ejabberd]({chart})\n"
            ));
        }
        for run in self.peer.iter().flatten() {
            if let Ok(t) = &run.result {
                if !t.server_threads.is_empty() {
                    s.push_str(&threads_line(t));
                }
            }
        }

        // Sweep.
        if !self.sweeps.is_empty() {
            s.push_str(&format!(
                "\n## Saturation sweep\n\nThe peer scenario at offered rates stepped up (users = rate / 5, at least 1000; \
                 each step a fresh server) until a step fails: it passes when at least {:.0}% of the offered \
                 messages arrive within the run and the end-to-end p99 is at most {:.0} ms (and nothing is \
                 lost or duplicated). Saturation throughput = the highest offered rate passed.\n\n",
                crate::sweep::MIN_DELIVERED * 100.0,
                crate::sweep::MAX_P99_MS
            ));
            s.push_str("| system | offered msg/s | users | delivered msg/s | p50 ms | p99 ms | server CPU µs/msg | bench CPU (% of 2 cores) | passed |\n|---|---|---|---|---|---|---|---|---|\n");
            for sw in &self.sweeps {
                for st in &sw.steps {
                    match &st.result {
                        Ok(r) => s.push_str(&format!(
                            "| {} | {:.0} | {} | {:.0} | {} | {} | {:.0} | {:.0}% | {} |\n",
                            sw.system,
                            st.offered(),
                            st.params.users,
                            r.throughput,
                            fmt_ms(r.latency.p50_ms),
                            fmt_ms(r.latency.p99_ms),
                            cpu_per_msg(r) * 1e6,
                            100.0 * r.bench_cpu_s / (2.0 * window_s(r)),
                            if st.passed() { "yes" } else { "**no**" }
                        )),
                        Err(e) => s.push_str(&format!(
                            "| {} | {:.0} | {} | failed: {} | | | | | **no** |\n",
                            sw.system,
                            st.offered(),
                            st.params.users,
                            e
                        )),
                    }
                }
            }
            s.push_str("\n| system | saturation msg/s |\n|---|---|\n");
            for sw in &self.sweeps {
                s.push_str(&format!("| {} | {:.0} |\n", sw.system, sw.saturation()));
            }
            if let Some(c) = &self.sweep_chart {
                s.push_str(&format!(
                    "\n![saturation sweep: delivered rate and p99 against offered rate]({c})\n"
                ));
            }
        }

        // Same load.
        if let Some((t, m)) = &self.half {
            s.push_str("\n## At half of Mosquitto's saturation rate\n\nThe same load on both: end-to-end latency and server CPU per message.\n\n");
            s.push_str("| system | command | sent | delivered | lost | dup | msg/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU s | server CPU µs/msg | server peak RSS MB | bench CPU s |\n");
            s.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            s.push_str(&peer_row(t));
            s.push_str(&peer_row(m));
            if let Ok(t) = &t.result {
                if !t.server_threads.is_empty() {
                    s.push_str(&threads_line(t));
                }
            }
        }

        // Store path.
        if let Some(run) = &self.store_cost {
            s.push_str("\n## The store path alone\n\n");
            s.push_str(
                "`tinyim store`: the server's own store thread (`StoreHandle` + `SqliteStore`: batching, \
                 counters, replies) fed by concurrent senders, each stored message followed by its \
                 recipient's ack; its thread's CPU. `engine`: the statements the same rows need, \
                 prepared once, back to back on one thread with the same pragmas (WAL, \
                 `synchronous = FULL`) and one transaction per batch of the size the store thread \
                 formed; that thread's CPU (`CLOCK_THREAD_CPUTIME_ID`). No sockets in either.\n\n",
            );
            match &run.result {
                Ok(r) => s.push_str(&format!(
                    "| command | messages | batches (mean size) | tinyim store µs/msg | engine µs/msg | store / engine |\n|---|---|---|---|---|---|\n\
                     | `{}` | {} | {} ({:.0}) | {:.1} | {:.1} | {:.2}× |\n",
                    run.command,
                    r.params.messages,
                    r.batches,
                    r.mean_batch(),
                    r.store_us_per_msg(),
                    r.engine_us_per_msg(),
                    r.store_us_per_msg() / r.engine_us_per_msg().max(1e-9)
                )),
                Err(e) => s.push_str(&format!("`{}` failed: {e}\n", run.command)),
            }
        }

        // fsync.
        if let Some(f) = &self.fsync {
            s.push_str(&format!(
                "\n## fsync before every ack\n\n{}: the clients received **{}** acks ({} messages delivered); \
                 the server committed **{}** batches with messages or acks and called fdatasync **{}** times and \
                 fsync **{}** times (the bundled SQLite syncs with fsync). Every SendAck is sent after its \
                 batch's `COMMIT` returned, and a WAL commit with `synchronous = FULL` returns after the WAL \
                 is synced: at least one sync per commit.\n",
                f.command, f.acked, f.delivered, f.commits, f.fdatasync, f.fsync
            ));
        }

        // Crash audit.
        if !self.crash.is_empty() {
            s.push_str("\n## Crash audit\n\nPeer load while the server is killed with SIGKILL several times and restarted on the same data and port; clients reconnect by themselves (tinyim's SDK; the XMPP client resends what was not acknowledged, as XEP-0198 clients do). Lost = acknowledged by the server and never delivered, after the run settled (up to 60 s).\n\n");
            s.push_str("| system | command | kills | sent | acked | delivered | lost (acked, never delivered) | dup | errors |\n|---|---|---|---|---|---|---|---|---|\n");
            for run in &self.crash {
                match &run.result {
                    Ok(c) => s.push_str(&format!(
                        "| {} | `{}` | {}/{} | {} | {} | {} | **{}** | {} | {} |\n",
                        c.system,
                        run.command,
                        c.kills_done,
                        c.params.kills,
                        c.sent,
                        c.acked,
                        c.delivered,
                        c.lost,
                        c.duplicates,
                        c.errors.len()
                    )),
                    Err(e) => s.push_str(&format!("| ? | `{}` | failed: {} |\n", run.command, e)),
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

        // Groups.
        if !self.group.is_empty() {
            s.push_str("\n## Group fan-out\n\nOne durable group; the first member creates it and invites the others, then every member logs in; S members send. Each message is stored once and written to the inbox of the other M−1 members in its transaction (fan-out on write, docs/protocol.md \"Group messages\"), then pushed. Stored bytes: the data dir's growth per acknowledged message, database and write-ahead log (so it counts the pages written, not only the rows kept).\n\n");
            s.push_str("| command | sent | expected deliveries | delivered | lost | dup | deliveries/s | p50 ms | p99 ms | server CPU µs per delivery | stored bytes per message | server peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for run in &self.group {
                match &run.result {
                    Ok(r) => s.push_str(&format!(
                        "| `{}` | {} | {} | {} | {} | {} | {:.0} | {} | {} | {:.1} | {:.0} | {:.1} |\n",
                        run.command,
                        r.sent,
                        r.expected,
                        r.delivered,
                        r.lost,
                        r.duplicates,
                        r.deliveries_per_s,
                        fmt_ms(r.latency.p50_ms),
                        fmt_ms(r.latency.p99_ms),
                        r.cpu_us_per_delivery,
                        r.stored_bytes_per_message,
                        mb(r.server_peak_rss)
                    )),
                    Err(e) => s.push_str(&format!("| `{}` | failed: {} |\n", run.command, e)),
                }
            }
        }

        // Connect.
        if !self.connect.is_empty() {
            s.push_str(&format!(
                "\n## Idle connections\n\nRamp to N logged-in users ({} logins in flight), then hold them idle: only the SDK's heartbeat (a Ping every 20 s per user). On Mosquitto: N clients connected and subscribed to their inbox topic, keep-alive 20 s. On ejabberd: N users logged in with stream management on and initial presence sent. Past 20,000 connections the bench connects from several loopback addresses (127.0.0.2, .3, ...) and raises its and the server's open-file limit.\n\n",
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

        if let Some(run) = &self.chaos {
            s.push_str(&chaos_markdown(run));
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

/// The chaos section of BENCHMARKS.md.
fn chaos_markdown(run: &Run<ChaosResult>) -> String {
    let mut s = String::from(
        "\n## Chaos: SIGKILL under load\n\nS senders each send 8 texts/s (under the SDK's 10/s) \
         to R receivers in turn, every user a full SDK session that reconnects by itself. While \
         they send, the server is SIGKILLed after a random 2-8 s up and restarted on the same \
         port and store after a random 0.1-5 s down (one seeded schedule); then it stays up until \
         every send settled. Per message, from what the apps saw: lost = acked, never delivered; \
         out of order = delivered after a later message of the same sender to the same receiver; \
         false failures = sends reported failed although the app stayed within the SDK rate \
         limit (delivered anyway, or not); and in the history each receiver pages afterwards \
         (per sender, from the oldest): out of order, twice, acked but missing. Everything but \
         acked must be 0.\n\n",
    );
    s.push_str("| command | outages | down s | sent | acked | delivered | lost | dup | out of order (pairs) | false failures: delivered / not delivered | failure codes | unsettled | history: out of order / dup / lost | settle s |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    match &run.result {
        Ok(r) => {
            s.push_str(&format!(
                "| `{}` | {} | {:.1} | {} | {} | {} | {} | {} | {} ({}/{}) | {} / {} | {} | {} | {} / {} / {} | {:.1} |\n",
                run.command,
                r.outages.len(),
                r.downtime_s(),
                r.sent,
                r.acked,
                r.delivered,
                r.lost,
                r.duplicated,
                r.out_of_order,
                r.pairs_out_of_order,
                r.pairs,
                r.failed_delivered,
                r.failed_not_delivered,
                codes(&r.failure_codes),
                r.unsettled,
                r.history_out_of_order,
                r.history_duplicated,
                r.history_lost,
                r.settle_s
            ));
            let list: Vec<String> = r
                .outages
                .iter()
                .map(|o| format!("{:.1}+{:.1}", o.at_s, o.down_s))
                .collect();
            s.push_str(&format!(
                "\nOutages (killed at s + down for s): {}.\n",
                list.join(", ")
            ));
            if r.sdk_refused + r.foreign > 0 || !r.errors.is_empty() {
                s.push_str(&format!(
                    "\nBench problems (should be none): {} sends refused by the SDK's own limit, {} foreign deliveries, errors {:?}.\n",
                    r.sdk_refused, r.foreign, r.errors
                ));
            }
            s.push_str(if r.clean() {
                "\nVerdict: clean.\n"
            } else {
                "\nVerdict: **not clean**: something besides acked is not 0.\n"
            });
        }
        Err(e) => s.push_str(&format!("| `{}` | failed: {} |\n", run.command, e)),
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chaos_run_with_anything_but_acked_makes_the_report_unclean() {
        let run = |out_of_order| Run {
            command: "tinyim-bench chaos".into(),
            result: Ok(ChaosResult {
                acked: 10,
                delivered: 10,
                out_of_order,
                ..ChaosResult::default()
            }),
        };
        let mut report = Report {
            chaos: Some(run(0)),
            ..Report::default()
        };
        assert!(report.clean());
        assert!(report.markdown().contains("Verdict: clean."));
        report.chaos = Some(run(3));
        assert!(!report.clean());
        let md = report.markdown();
        assert!(md.contains("## Chaos: SIGKILL under load"));
        assert!(md.contains("| `tinyim-bench chaos` | 0 | 0.0 | 0 | 10 | 10 | 0 | 0 | 3 (0/0) |"));
        assert!(md.contains("**not clean**"));
    }
}
