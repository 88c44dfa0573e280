//! Turns results into text: one-line summaries for the terminal and BENCHMARKS.md.

use crate::scenario::peer::PeerResult;

/// Megabytes from bytes.
pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// One line for the terminal.
pub fn peer_line(r: &PeerResult) -> String {
    format!(
        "{} peer users={} rate={} dur={}s: sent={} acked={} errs={} delivered={} lost={} dup={} | {:.0} msg/s | p50 {:.2} ms p99 {:.2} ms p99.9 {:.2} ms max {:.2} ms | server cpu {:.2}s peak rss {:.1} MB | bench cpu {:.2}s | setup {:.1}s {:?}",
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
        r.errors
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
