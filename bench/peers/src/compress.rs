//! Compressors, offline, on the bodies of Homeward's first sync: what the same pages would
//! weigh under deflate 9, zstd, a long window and a trained dictionary.

use super::*;

pub(crate) fn inflate(body: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let (&format, rest) = body.split_first()?;
    if format != 6 {
        return None;
    }
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(rest)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

pub(crate) fn deflate(raw: &[u8], level: u32) -> usize {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(raw).unwrap();
    e.finish().unwrap().len() + 1
}

pub(crate) fn zstd_len(raw: &[u8], level: i32, long: bool, dict: Option<&[u8]>) -> usize {
    let mut enc = match dict {
        Some(d) => zstd::stream::Encoder::with_dictionary(Vec::new(), level, d).unwrap(),
        None => zstd::stream::Encoder::new(Vec::new(), level).unwrap(),
    };
    if long {
        enc.long_distance_matching(true).unwrap();
        enc.window_log(27).unwrap();
    }
    enc.write_all(raw).unwrap();
    enc.finish().unwrap().len() + 1
}

pub(crate) fn compressors(bodies: &[Vec<u8>], training: &[Vec<u8>]) {
    let pages: Vec<Vec<u8>> = bodies.iter().filter_map(|b| inflate(b)).collect();
    let sent: usize = bodies
        .iter()
        .filter(|b| inflate(b).is_some())
        .map(Vec::len)
        .sum();
    let raw: usize = pages.iter().map(Vec::len).sum();
    let whole: Vec<u8> = pages.concat();
    println!(
        "First sync's answers: {} pages, {} bytes of bodies as sent (format byte + raw deflate), {} bytes of postcard inside.",
        pages.len(),
        sent,
        raw
    );
    let per_page = |f: &dyn Fn(&[u8]) -> usize| -> usize { pages.iter().map(|p| f(p)).sum() };
    let mut lines: Vec<(String, usize)> = vec![
        (
            "raw deflate, level 6, each page alone (today's)".into(),
            per_page(&|p| deflate(p, 6)),
        ),
        (
            "raw deflate, level 9, each page alone".into(),
            per_page(&|p| deflate(p, 9)),
        ),
        (
            "zstd 19, each page alone".into(),
            per_page(&|p| zstd_len(p, 19, false, None)),
        ),
        (
            "zstd 19, long window (2^27), all pages as one stream".into(),
            zstd_len(&whole, 19, true, None),
        ),
    ];
    let train_bytes: usize = training.iter().map(Vec::len).sum();
    for size in [16 * 1024, 64 * 1024]
        .into_iter()
        .filter(|_| !training.is_empty())
    {
        match zstd::dict::from_samples(training, size) {
            Ok(dict) => {
                lines.push((
                    format!("zstd 19 + {} KB dictionary, each page alone", size / 1024),
                    per_page(&|p| zstd_len(p, 19, false, Some(&dict))),
                ));
                lines.push((
                    format!(
                        "zstd 19 + {} KB dictionary, long window, one stream",
                        size / 1024
                    ),
                    zstd_len(&whole, 19, true, Some(&dict)),
                ));
            }
            Err(e) => println!("  (no {} KB dictionary: {e})", size / 1024),
        }
    }
    if !training.is_empty() {
        println!(
            "(dictionaries trained on {} case documents saved uncompressed, {} bytes, of another synthetic caseload: seed 99, not the one measured)",
            training.len(),
            train_bytes
        );
    }
    println!("| compressor | bytes | vs today | at 64 kbit/s |");
    println!("| --- | ---: | ---: | ---: |");
    let today = lines[0].1.max(1);
    for (name, n) in &lines {
        println!(
            "| {name} | {n} | {:.0}% | {:.1} s |",
            *n as f64 * 100.0 / today as f64,
            *n as f64 / 8000.0
        );
    }
}
