//! The Homeward sync server.
//!
//! Contract: carries case documents between devices in one HTTP round trip, checks every change
//! against the sender's scope before storing any of a request, and serves the Core Team dashboard
//! and the CWC reports. It depends on `homeward-shared` for the domain and never on the field app.
//! Not built yet: the sync issue fills it.
