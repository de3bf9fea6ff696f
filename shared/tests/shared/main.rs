//! Integration tests of homeward-shared: one binary, one module per concern.

mod attachments;
mod convergence;
mod duplicates;
mod edits;
mod fuzz_replay;
mod indicators;
mod merge;
mod referrals;
mod rules;
mod schema;
mod spotcheck;
mod support;
mod synth;
