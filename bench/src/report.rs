//! Turns results into text: one-line summaries for the terminal and BENCHMARKS.md.

use crate::scenario::connect::ConnectResult;
use crate::scenario::offline::OfflineResult;
use crate::scenario::peer::PeerResult;
use crate::scenario::room::RoomResult;

/// Megabytes from bytes.
pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// One line for the terminal.
pub fn peer_line(r: &PeerResult) -> String {
    format!(
        "{} peer users={} rate={} dur={}s: sent={} acked={} errs={} delivered={} lost={} dup={} | {:.0} msg/s | p50 {:.2} ms p99 {:.2} ms p99.9 {:.2} ms max {:.2} ms | server cpu {:.2}s peak rss {:.1} MB | bench cpu {:.2}s | setup {:.1}s {:?} threads {:?}",
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
        "connect n={}: logged in {} in {:.1}s ({:.0}/s) | server rss {:.1} -> {:.1} MB = {:.1} KB/conn | idle cpu {:.2}% of a core (bench {:.2}%) | server cpu {:.2}s peak rss {:.1} MB {:?}",
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
