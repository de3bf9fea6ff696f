//! End-to-end: the real server binary and real field clients.

mod support;
mod sync;
