//! Integration tests of homeward-shared: one binary, one module per concern.

mod convergence;
mod indicators;
mod rules;
mod schema;
mod spotcheck;
mod support;
mod synth;
