//! offline scenario (in progress).
