//! The Tauri 2 shell of the Homeward field app.
//!
//! Contract: every Tauri command is a few lines that delegate to `homeward-field`; this crate
//! holds no business logic, reads no database directly and is depended on by nothing. Not built
//! yet: the field-app issue fills it.
