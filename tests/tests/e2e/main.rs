//! End-to-end: the real server binary and real field clients.

mod faults;
mod link;
mod programme;
mod referrals;
mod support;
mod sync;
