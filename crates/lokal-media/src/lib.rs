//! Photos: what an upload is ([`sniff`]: JPEG, PNG or WebP by its bytes, never by what the
//! client says), the original without its metadata ([`strip`]: EXIF with its GPS position, XMP,
//! IPTC and comments removed losslessly), the resized variants pages show ([`process`]), and
//! where the bytes live ([`store`]: the `MediaStore` port and a local directory).

pub mod process;
pub mod store;
pub mod strip;

pub use process::{Processed, Variant, process};
pub use store::{LocalDir, MediaStore};

/// The formats Lokal accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    WebP,
}

impl Format {
    /// The file extension (`jpg`, `png`, `webp`).
    pub const fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }

    /// The MIME type.
    pub const fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }

    /// The format of a stored extension.
    pub fn from_ext(ext: &str) -> Option<Format> {
        [Format::Jpeg, Format::Png, Format::WebP].into_iter().find(|f| f.ext() == ext)
    }
}

/// The format of `bytes` by their signature, if it is one Lokal accepts.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Format::WebP)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(Format::Png));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(Format::WebP));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"<svg xmlns="), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(Format::from_ext("webp"), Some(Format::WebP));
    }
}
