//! Client cost (in progress).
