//! A photo of a paper reduced to a readable scan before the phone keeps it (issue 15).
//!
//! A phone's camera makes 3 to 12 MB photos; a page of a FIR or a passbook reads well at
//! [`MAX_LONG_SIDE`] pixels on its long side, JPEG at quality 75, typically under
//! [`TARGET_PAGE_BYTES`]: a tenth or less of the bytes to keep encrypted and to send over 2G. The
//! photo is turned upright first (its EXIF orientation), so a page photographed sideways reads
//! sideways nowhere.
//!
//! **The re-encoding drops every metadata block of the original (EXIF, XMP, ICC).** A photo's
//! EXIF carries the phone's GPS position: for a photo taken at the family's door, where a
//! trafficked child lives. Nothing of it may reach the store, the server or a CWC member's
//! screen, so a JPEG is decoded and encoded again even when it is already small enough.
//!
//! A PDF is kept as it was given (the programme's per-file limit still applies): it is a scan
//! already, and the phone has no PDF renderer to reduce it.
//!
//! What a file is comes from its first bytes ([`MediaType::sniff`]), never from its name.
//! Anything but JPEG, PNG, WebP and PDF is refused, and an image whose declared size would take
//! more memory than a phone should give ([`MAX_INPUT_SIDE`], [`MAX_DECODE_BYTES`]) is refused
//! before it is decoded.

use std::io::Cursor;

use homeward_shared::attachment::{MAX_LONG_SIDE, TARGET_PAGE_BYTES};
use homeward_shared::model::MediaType;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, GenericImageView, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The longest side of a photo this phone decodes at all (a 50 MP camera makes 8,160 px).
pub const MAX_INPUT_SIDE: u32 = 12_000;

/// The most memory one decoding may take (a 12,000 × 8,000 RGB photo is 288 MB; a 12 MP one,
/// 36 MB).
pub const MAX_DECODE_BYTES: u64 = 320 * 1024 * 1024;

/// JPEG qualities tried in turn, until the page fits [`TARGET_PAGE_BYTES`]; the last one is
/// kept whatever its size (the programme's per-file limit judges it).
const QUALITIES: [u8; 5] = [75, 65, 55, 45, 35];

/// A page ready to keep: its bytes and what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The bytes: a JPEG made here from a photo, or the PDF as given.
    pub bytes: Vec<u8>,
    /// What they are.
    pub media_type: MediaType,
}

/// Why a file cannot become a page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanProblem {
    /// Neither JPEG, PNG, WebP nor PDF (judged by its first bytes).
    #[error("not a JPEG, PNG, WebP or PDF file")]
    UnknownType,
    /// Its header says JPEG, PNG or WebP but it does not decode.
    #[error("the image does not read ({0})")]
    Unreadable(String),
    /// Larger than a phone decodes ([`MAX_INPUT_SIDE`], [`MAX_DECODE_BYTES`]).
    #[error("the image is too large to reduce on a phone")]
    TooLarge,
}

/// Reduces one file to a page: a photo (JPEG, PNG, WebP) turned upright, fitted within
/// [`MAX_LONG_SIDE`] on its long side and encoded as JPEG without any of the original's
/// metadata; a PDF as it is.
pub fn reduce(bytes: &[u8]) -> Result<Scan, ScanProblem> {
    let media_type = MediaType::sniff(bytes).ok_or(ScanProblem::UnknownType)?;
    let format = match media_type {
        MediaType::Pdf => {
            return Ok(Scan {
                bytes: bytes.to_vec(),
                media_type,
            });
        }
        MediaType::Jpeg => ImageFormat::Jpeg,
        MediaType::Png => ImageFormat::Png,
        MediaType::Webp => ImageFormat::WebP,
    };
    let image = decode_upright(bytes, format)?;
    let fitted = fit(image);
    Ok(Scan {
        bytes: encode(&fitted)?,
        media_type: MediaType::Jpeg,
    })
}

/// Decodes within the limits and applies the EXIF orientation (none for PNG and most WebP).
fn decode_upright(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, ScanProblem> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_INPUT_SIDE);
    limits.max_image_height = Some(MAX_INPUT_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(problem)?;
    // An unreadable orientation is no reason to refuse the page: it stays as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(problem)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn problem(e: image::ImageError) -> ScanProblem {
    match e {
        image::ImageError::Limits(_) => ScanProblem::TooLarge,
        other => ScanProblem::Unreadable(other.to_string()),
    }
}

/// Fits the image within [`MAX_LONG_SIDE`] on its long side, keeping its proportions, and
/// drops what JPEG cannot carry: transparency is laid on white paper, and an image without
/// colour stays grey (a third of the bytes).
fn fit(image: DynamicImage) -> DynamicImage {
    let (w, h) = image.dimensions();
    let image = if w.max(h) > MAX_LONG_SIDE {
        // Catmull-Rom keeps the strokes of small print sharp, at a fraction of Lanczos' cost.
        image.resize(MAX_LONG_SIDE, MAX_LONG_SIDE, FilterType::CatmullRom)
    } else {
        image
    };
    let colour = image.color();
    if colour.has_alpha() {
        let mut rgba = image.to_rgba8();
        for px in rgba.pixels_mut() {
            let a = u16::from(px[3]);
            for c in 0..3 {
                // Over white: c·a + 255·(1 − a), in 0..=255.
                let v = (u16::from(px[c]) * a + 255 * (255 - a)) / 255;
                px[c] = u8::try_from(v).unwrap_or(u8::MAX);
            }
            px[3] = u8::MAX;
        }
        let flat = DynamicImage::ImageRgba8(rgba);
        if colour.has_color() {
            DynamicImage::ImageRgb8(flat.to_rgb8())
        } else {
            DynamicImage::ImageLuma8(flat.to_luma8())
        }
    } else if colour.has_color() {
        DynamicImage::ImageRgb8(image.to_rgb8())
    } else {
        DynamicImage::ImageLuma8(image.to_luma8())
    }
}

/// Encodes as JPEG at the first quality of [`QUALITIES`] that fits [`TARGET_PAGE_BYTES`], else
/// at the lowest. The encoder writes no EXIF, XMP or ICC block: none is given to it.
fn encode(image: &DynamicImage) -> Result<Vec<u8>, ScanProblem> {
    let mut best = Vec::new();
    for quality in QUALITIES {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(image)
            .map_err(problem)?;
        best = out;
        if best.len() <= TARGET_PAGE_BYTES {
            break;
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("encodes");
        out
    }

    #[test]
    fn a_small_png_becomes_a_jpeg_of_the_same_size() {
        let scan = reduce(&png(300, 200)).expect("reduces");
        assert_eq!(scan.media_type, MediaType::Jpeg);
        let back = image::load_from_memory(&scan.bytes).expect("a JPEG");
        assert_eq!(
            back.dimensions(),
            (300, 200),
            "a small image is not enlarged"
        );
    }

    #[test]
    fn what_is_neither_an_image_nor_a_pdf_is_refused() {
        assert_eq!(reduce(b"GIF89a...."), Err(ScanProblem::UnknownType));
        assert!(matches!(
            reduce(b"\x89PNG\r\n\x1a\n not really"),
            Err(ScanProblem::Unreadable(_))
        ));
    }

    #[test]
    fn a_pdf_is_kept_as_given() {
        let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n".to_vec();
        let scan = reduce(&pdf).expect("kept");
        assert_eq!(scan.bytes, pdf);
        assert_eq!(scan.media_type, MediaType::Pdf);
    }

    #[test]
    fn transparency_is_laid_on_white() {
        let img = image::RgbaImage::from_pixel(10, 10, image::Rgba([0, 0, 0, 0]));
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("encodes");
        let scan = reduce(&out).expect("reduces");
        let back = image::load_from_memory(&scan.bytes).expect("a JPEG");
        let px = back.to_rgb8().get_pixel(5, 5).0;
        assert!(px.iter().all(|&c| c > 240), "white, not black: {px:?}");
    }
}
