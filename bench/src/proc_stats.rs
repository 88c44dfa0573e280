//! CPU time and memory of a process, read from /proc, so every scenario can say what the
//! server (or Mosquitto, or the bench itself) spent without any profiler attached.
//!
//! `utime + stime` come from `/proc/PID/stat` in clock ticks (USER_HZ, 100 on every Linux
//! this runs on); `VmHWM` (peak resident set) and `VmRSS` come from `/proc/PID/status` in kB.
//! The bench starts a fresh server for each scenario, so `VmHWM` is that run's peak.

/// Clock ticks per second of `/proc/PID/stat` (USER_HZ is 100 on Linux's ABI).
const TICKS_PER_SECOND: f64 = 100.0;

/// One reading of a process's counters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    /// User + system CPU seconds since the process started.
    pub cpu_seconds: f64,
    /// Current resident set, bytes.
    pub rss_bytes: u64,
    /// Peak resident set since the process started, bytes.
    pub hwm_bytes: u64,
}

/// Reads `pid`'s counters; zeros if the process is gone (the run then shows 0, not a panic).
pub fn sample(pid: u32) -> Sample {
    let mut s = Sample::default();
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The command name (field 2) may contain spaces; fields after its ')' are fixed.
        if let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) {
            let f: Vec<&str> = rest.split_whitespace().collect();
            // rest starts at field 3 (state); utime is field 14, stime field 15.
            let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
            s.cpu_seconds = (tick(11) + tick(12)) / TICKS_PER_SECOND;
        }
    }
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
        for line in status.lines() {
            let kb = |l: &str| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
                    * 1024
            };
            if line.starts_with("VmHWM:") {
                s.hwm_bytes = kb(line);
            } else if line.starts_with("VmRSS:") {
                s.rss_bytes = kb(line);
            }
        }
    }
    s
}

/// CPU seconds between two samples.
pub fn cpu_between(before: Sample, after: Sample) -> f64 {
    (after.cpu_seconds - before.cpu_seconds).max(0.0)
}

/// CPU seconds per thread name (threads of the same name added up), from
/// `/proc/PID/task/*/stat`: shows whether one thread (the store's, say) is the one saturated.
pub fn threads(pid: u32) -> std::collections::BTreeMap<String, f64> {
    let mut by_name = std::collections::BTreeMap::new();
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return by_name;
    };
    for entry in dir.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_owned();
        let f: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        *by_name.entry(name).or_insert(0.0) += (tick(11) + tick(12)) / TICKS_PER_SECOND;
    }
    by_name
}

/// Per-thread CPU seconds between two [`threads`] readings, busiest first.
pub fn threads_between(
    before: &std::collections::BTreeMap<String, f64>,
    after: &std::collections::BTreeMap<String, f64>,
) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = after
        .iter()
        .map(|(k, a)| {
            (
                k.clone(),
                (a - before.get(k).copied().unwrap_or(0.0)).max(0.0),
            )
        })
        .filter(|(_, d)| *d > 0.0)
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}
