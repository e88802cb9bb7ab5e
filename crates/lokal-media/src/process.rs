//! An upload turned into what Lokal keeps: the original without metadata, and JPEG variants
//! 200 and 800 pixels wide (never wider than the original), turned upright by the photo's EXIF
//! orientation before that is dropped, transparency laid on white.
//!
//! Variants are JPEG rather than WebP: the maintained pure-Rust WebP encoder is lossless only,
//! which makes photos several times larger than a JPEG of the same look; every browser shows
//! JPEG. WebP is accepted as an upload like JPEG and PNG.

use crate::Format;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::Cursor;

/// The variants written for every photo: (name, width in pixels).
pub const VARIANTS: [(&str, u32); 2] = [("w200", 200), ("w800", 800)];

/// The largest side accepted, in pixels (a 100-megapixel phone photo is 12,240 wide).
pub const MAX_SIDE: u32 = 16_384;

/// JPEG quality of the variants.
const QUALITY: u8 = 82;

/// Why an upload is not a photo Lokal keeps.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcessError {
    /// Not a JPEG, PNG or WebP file.
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// Says it is one but cannot be decoded.
    #[error("the image is broken: {0}")]
    Broken(String),
    /// Larger than [`MAX_SIDE`] on a side, or too large to decode.
    #[error("the image is too large to process")]
    TooLarge,
}

/// One resized copy.
#[derive(Debug, Clone)]
pub struct Variant {
    /// `w200`, `w800`.
    pub name: &'static str,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// JPEG bytes.
    pub bytes: Vec<u8>,
}

/// What an upload became.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The uploaded format.
    pub format: Format,
    /// The upright width.
    pub width: u32,
    /// The upright height.
    pub height: u32,
    /// The EXIF orientation the original had (1 = upright), applied to the variants; the
    /// stripped original no longer says it.
    pub orientation: u8,
    /// The original's bytes without metadata.
    pub original: Vec<u8>,
    /// The variants, smallest first.
    pub variants: Vec<Variant>,
}

/// Checks, decodes, strips and resizes an upload. CPU-bound: call it off the async threads.
pub fn process(bytes: &[u8]) -> Result<Processed, ProcessError> {
    let format = crate::sniff(bytes).ok_or(ProcessError::NotAnImage)?;
    let original = crate::strip::strip(format, bytes).map_err(|e| ProcessError::Broken(e.to_string()))?;
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(match format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::WebP => image::ImageFormat::WebP,
    });
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    if width == 0 || height == 0 {
        return Err(ProcessError::Broken("no pixels".into()));
    }
    let flat = on_white(&img);
    let mut variants = Vec::with_capacity(VARIANTS.len());
    for (name, w) in VARIANTS {
        let vw = w.min(width);
        let vh = (u64::from(height) * u64::from(vw)).div_ceil(u64::from(width)).max(1);
        let vh = u32::try_from(vh).map_err(|_| ProcessError::TooLarge)?;
        let resized = if vw == width { flat.clone() } else { flat.resize_exact(vw, vh, FilterType::CatmullRom) };
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, QUALITY)
            .encode_image(&resized)
            .map_err(|e| ProcessError::Broken(e.to_string()))?;
        variants.push(Variant { name, width: vw, height: vh, bytes: out });
    }
    Ok(Processed { format, width, height, orientation: orientation.to_exif(), original, variants })
}

fn decode_error(e: image::ImageError) -> ProcessError {
    match e {
        image::ImageError::Limits(_) => ProcessError::TooLarge,
        other => ProcessError::Broken(other.to_string()),
    }
}

/// The image as RGB, transparent pixels laid on white.
fn on_white(img: &DynamicImage) -> DynamicImage {
    if !img.color().has_alpha() {
        return DynamicImage::ImageRgb8(img.to_rgb8());
    }
    let rgba = img.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = u16::from(p[3]);
        let mix = |c: u8| u8::try_from((u16::from(c) * a + 255 * (255 - a)) / 255).unwrap_or(255);
        rgb.put_pixel(x, y, image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])]));
    }
    DynamicImage::ImageRgb8(rgb)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, 200]));
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).expect("png");
        out
    }

    #[test]
    fn a_photo_gets_variants_no_wider_than_itself() {
        let p = process(&png(1000, 500)).expect("process");
        assert_eq!((p.format, p.width, p.height, p.orientation), (Format::Png, 1000, 500, 1));
        let sizes: Vec<(&str, u32, u32)> = p.variants.iter().map(|v| (v.name, v.width, v.height)).collect();
        assert_eq!(sizes, vec![("w200", 200, 100), ("w800", 800, 400)]);
        assert!(p.variants.iter().all(|v| crate::sniff(&v.bytes) == Some(Format::Jpeg)));
        let small = process(&png(120, 90)).expect("small");
        assert!(small.variants.iter().all(|v| (v.width, v.height) == (120, 90)));
    }

    #[test]
    fn other_files_and_broken_images_are_refused() {
        assert_eq!(process(b"GIF89a....").err(), Some(ProcessError::NotAnImage));
        let mut cut = png(50, 50);
        cut.truncate(cut.len() / 2);
        assert!(matches!(process(&cut), Err(ProcessError::Broken(_))));
        let garbage = [&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0][..], &[0x55; 64]].concat();
        assert!(matches!(process(&garbage), Err(ProcessError::Broken(_))));
    }
}
