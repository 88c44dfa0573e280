//! SVG chart (in progress).
