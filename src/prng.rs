//! A tiny seedable pseudo-random generator (splitmix64).
//!
//! The core needs randomness for two things only, reconnect jitter and client message IDs,
//! and must stay deterministic under test and tiny in wasm: a `rand` dependency would cost
//! kilobytes and read OS entropy. The host passes the seed in [`crate::Config::seed`].

/// splitmix64 (Steele, Lea, Flood 2014): one `u64` of state, full period, good mixing.
#[derive(Debug, Clone)]
pub(crate) struct Prng {
    state: u64,
}

impl Prng {
    /// A generator whose sequence is fixed by `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Prng { state: seed }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..=max` (slightly biased for huge `max`; fine for jitter).
    pub(crate) fn up_to(&mut self, max: u64) -> u64 {
        match max.checked_add(1) {
            Some(n) => self.next_u64() % n,
            None => self.next_u64(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_bounds_hold() {
        let mut a = Prng::new(7);
        let mut b = Prng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
            assert!(a.up_to(10) <= 10);
            b.up_to(10);
        }
        assert_ne!(Prng::new(1).next_u64(), Prng::new(2).next_u64());
        let _ = a.up_to(u64::MAX);
    }
}
