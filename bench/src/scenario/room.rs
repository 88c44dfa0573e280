//! room scenario (in progress).
