//! The saturation sweep: the peer scenario at offered rates stepped up until a system fails
//! the criteria, for each system. A step passes when at least 99% of the offered messages
//! (rate × duration) were delivered within the run and the end-to-end p99 is at most
//! 100 ms; a system's saturation throughput is the highest offered rate it passed before
//! its first failure.
//!
//! Users grow with the rate (5 messages/s each, at least 1000), the same on every system.

use std::future::Future;
use std::time::Duration;

use crate::scenario::peer::{PeerParams, PeerResult};

/// Most of the offered messages that must arrive within the run.
pub const MIN_DELIVERED: f64 = 0.99;
/// Largest end-to-end p99 of a passing step, ms.
pub const MAX_P99_MS: f64 = 100.0;

/// One step of a sweep.
#[derive(Debug, Clone)]
pub struct Step {
    pub params: PeerParams,
    pub result: Result<PeerResult, String>,
}

impl Step {
    pub fn offered(&self) -> f64 {
        self.params.rate
    }

    pub fn passed(&self) -> bool {
        self.result.as_ref().is_ok_and(passes)
    }
}

/// Whether a run meets the saturation criteria.
pub fn passes(r: &PeerResult) -> bool {
    let offered = r.params.rate * r.params.duration.as_secs_f64();
    r.delivered as f64 >= MIN_DELIVERED * offered
        && r.latency.p99_ms <= MAX_P99_MS
        && r.lost == 0
        && r.duplicates == 0
}

/// A system's sweep.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub system: &'static str,
    pub steps: Vec<Step>,
}

impl Sweep {
    /// The highest offered rate passed before the first failure (0 if the first failed).
    pub fn saturation(&self) -> f64 {
        self.steps
            .iter()
            .take_while(|s| s.passed())
            .map(Step::offered)
            .fold(0.0, f64::max)
    }

    /// The passing step at the saturation rate.
    pub fn at_saturation(&self) -> Option<&PeerResult> {
        self.steps
            .iter()
            .take_while(|s| s.passed())
            .last()
            .and_then(|s| s.result.as_ref().ok())
    }
}

/// The peer parameters of the step at `rate`.
pub fn params(rate: f64, duration: Duration) -> PeerParams {
    PeerParams {
        users: ((rate / 5.0).ceil() as u32).max(1000),
        rate,
        duration,
        payload: 100,
    }
}

/// Runs `run` at each of `rates` in turn until a step fails (that step is kept).
pub async fn sweep<F, Fut>(system: &'static str, rates: &[f64], duration: Duration, run: F) -> Sweep
where
    F: Fn(PeerParams) -> Fut,
    Fut: Future<Output = Result<PeerResult, String>>,
{
    let mut steps = Vec::new();
    for &rate in rates {
        let p = params(rate, duration);
        eprintln!("sweep {system}: {} users, {rate} msg/s offered", p.users);
        let result = run(p).await;
        match &result {
            Ok(r) => eprintln!("  {}", crate::report::peer_line(r)),
            Err(e) => eprintln!("  failed: {e}"),
        }
        let step = Step { params: p, result };
        let passed = step.passed();
        steps.push(step);
        tokio::time::sleep(Duration::from_secs(1)).await;
        if !passed {
            break;
        }
    }
    Sweep { system, steps }
}
