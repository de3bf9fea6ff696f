//! End-to-end: the real server binary and real field clients.

mod faults;
mod link;
mod support;
mod sync;
