//! connect scenario (in progress).
