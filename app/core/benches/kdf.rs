//! The cost of one PIN guess against a copied store, before and after the device secret.
//!
//! Run: `cargo bench -p homeward-field --bench kdf`. Each figure is the median of 15 runs of
//! what one guess costs an attacker who holds the data folder: derive the key (argon2id) and
//! ask SQLCipher whether it opens the database. "Before" is version 1 of `device.json`
//! (argon2id over the PIN alone, 19 MiB, 2 passes); "after" is version 2 (64 MiB, 2 passes,
//! keyed with the 32-byte device secret from the keystore). The figure also gives the time to
//! try every 6-digit PIN on one core.

use std::time::{Duration, Instant};

use homeward_field::Store;
use homeward_field::key::DeviceFile;
use homeward_field::keystore::Keystore;
use homeward_shared::model::Author;

const RUNS: usize = 15;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort_unstable();
    xs[xs.len() / 2]
}

fn v1_key(pin: &str, salt: &[u8]) -> [u8; 32] {
    let params = argon2::Params::new(19 * 1024, 2, 1, Some(32)).expect("params");
    let kdf = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    kdf.hash_password_into(pin.as_bytes(), salt, &mut key)
        .expect("derives");
    key
}

fn report(name: &str, per_guess: Duration) {
    let all = per_guess.as_secs_f64() * 1e6;
    println!(
        "{name}: {:.0} ms per guess (median of {RUNS}); every 6-digit PIN on one core: {:.1} days",
        per_guess.as_secs_f64() * 1000.0,
        all / 86_400.0
    );
}

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let keystore = Keystore::File(tmp.path().join("keys"));
    let author = Author {
        user_id: "fw-1".into(),
        name: "Anita Kumari".into(),
    };
    drop(Store::init(&data, &keystore, "246813", &author).expect("a store"));
    let device = DeviceFile::read(&data).expect("device.json");
    println!(
        "device.json v{}: argon2id {} MiB, t={}, p={}, keyed with the device secret",
        device.version,
        device.m_kib / 1024,
        device.t,
        device.p
    );

    // Before: the key from the PIN alone, as version 1 derived it.
    let salt = [7u8; 16];
    let before = median(
        (0..RUNS)
            .map(|i| {
                let t = Instant::now();
                std::hint::black_box(v1_key(&format!("{:06}", 100_000 + i), &salt));
                t.elapsed()
            })
            .collect(),
    );
    report("before (v1, PIN only, 19 MiB t=2)", before);

    // After: a whole wrong guess through the store, with the secret in hand (the attacker who
    // also has the keystore). Without the secret there is nothing to test a guess against.
    let after = median(
        (0..RUNS)
            .map(|i| {
                let t = Instant::now();
                let r = Store::open_at(
                    &data,
                    &keystore,
                    &format!("{:06}", 300_000 + i),
                    // Each guess an hour apart, so no delay of the failed-unlock count applies
                    // (an attacker with the folder would skip it anyway).
                    homeward_field::store::now()
                        + chrono::Duration::hours(i64::try_from(i).unwrap_or(0) * 2),
                );
                assert!(r.is_err(), "a wrong PIN does not open the store");
                t.elapsed()
            })
            .collect(),
    );
    report(
        "after (v2, PIN + device secret, 64 MiB t=2, with the keystore)",
        after,
    );
    println!(
        "ratio: {:.1}x per guess; without the keystore a copied folder gives no way to test a guess at all",
        after.as_secs_f64() / before.as_secs_f64()
    );
}
