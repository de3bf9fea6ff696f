//! End-to-end: the real server binary and real field clients.

mod attachments;
mod backup;
mod bundles;
mod faults;
mod link;
mod programme;
mod referrals;
mod slow;
mod support;
mod sync;
