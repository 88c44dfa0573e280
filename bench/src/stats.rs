//! Latency samples and percentiles.
//!
//! Runs here are at most a few hundred thousand messages, so every sample is kept (4 bytes
//! each, microseconds) and sorted once: exact percentiles, no histogram error to explain.

/// Latency samples in microseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies(pub Vec<u32>);

impl Latencies {
    pub fn record_us(&mut self, us: u64) {
        self.0.push(us.min(u64::from(u32::MAX)) as u32);
    }

    pub fn merge(&mut self, other: Latencies) {
        self.0.extend(other.0);
    }

    /// Percentiles of the samples (sorted in place once).
    pub fn summary(&mut self) -> Summary {
        self.0.sort_unstable();
        let v = &self.0;
        let at = |p: f64| -> f64 {
            if v.is_empty() {
                return 0.0;
            }
            // Nearest rank; the epsilon keeps 0.999 × 1000 from rounding up past 999.
            let i = ((p / 100.0) * v.len() as f64 - 1e-9).ceil() as usize;
            f64::from(v[i.clamp(1, v.len()) - 1]) / 1000.0
        };
        Summary {
            count: v.len() as u64,
            p50_ms: at(50.0),
            p99_ms: at(99.0),
            p999_ms: at(99.9),
            max_ms: at(100.0),
        }
    }
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub count: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut l = Latencies::default();
        for us in 1..=1000 {
            l.record_us(us * 1000);
        }
        let s = l.summary();
        assert_eq!(s.count, 1000);
        assert_eq!(s.p50_ms, 500.0);
        assert_eq!(s.p99_ms, 990.0);
        assert_eq!(s.p999_ms, 999.0);
        assert_eq!(s.max_ms, 1000.0);
        assert_eq!(Latencies::default().summary().p99_ms, 0.0);
    }
}
