//! Metadata removed without touching the pixels: a phone photo carries where it was taken (EXIF
//! GPS), the phone, the time and often a thumbnail; none of it is kept, not even in the private
//! original. What decoding needs stays (JPEG's JFIF, ICC colour profile and Adobe segments; PNG's
//! image chunks; WebP's image chunks).

use crate::Format;

/// Why the bytes could not be read as their format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {0} structure is broken")]
pub struct Broken(&'static str);

/// `bytes` of format `f` without metadata.
pub fn strip(f: Format, bytes: &[u8]) -> Result<Vec<u8>, Broken> {
    match f {
        Format::Jpeg => jpeg(bytes),
        Format::Png => png(bytes),
        Format::WebP => webp(bytes),
    }
}

/// JPEG: drops APP1 (EXIF, XMP), APP13 (IPTC) and every other application segment but APP0
/// (JFIF), APP2 (ICC profile) and APP14 (Adobe colour transform), and comments; from the start
/// of scan on, the bytes are copied as they are.
fn jpeg(b: &[u8]) -> Result<Vec<u8>, Broken> {
    const BROKEN: Broken = Broken("JPEG");
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(BROKEN);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let mut i = 2;
    loop {
        // Markers may be preceded by fill bytes (0xFF).
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (b.get(i), b.get(i + 1)) else { return Err(BROKEN) };
        if marker == 0xD9 {
            out.extend_from_slice(&b[i..i + 2]);
            return Ok(out);
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&b[i..i + 2]);
            i += 2;
            continue;
        }
        let len = match (b.get(i + 2), b.get(i + 3)) {
            (Some(&h), Some(&l)) => usize::from(h) << 8 | usize::from(l),
            _ => return Err(BROKEN),
        };
        let end = i + 2 + len;
        if len < 2 || end > b.len() {
            return Err(BROKEN);
        }
        let keep = match marker {
            0xE0 | 0xE2 | 0xEE => true,
            0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
            _ => true,
        };
        if marker == 0xDA {
            // Start of scan: the entropy-coded data and everything after it, as it is.
            out.extend_from_slice(&b[i..]);
            return Ok(out);
        }
        if keep {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
    }
}

/// PNG: drops `eXIf`, the text chunks (`tEXt`, `zTXt`, `iTXt`) and `tIME`.
fn png(b: &[u8]) -> Result<Vec<u8>, Broken> {
    const BROKEN: Broken = Broken("PNG");
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIG) {
        return Err(BROKEN);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIG);
    let mut i = SIG.len();
    while i < b.len() {
        let head = b.get(i..i + 8).ok_or(BROKEN)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        let end = i.checked_add(12).and_then(|x| x.checked_add(len)).ok_or(BROKEN)?;
        if end > b.len() {
            return Err(BROKEN);
        }
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
    Err(BROKEN)
}

/// WebP: drops the `EXIF` and `XMP ` chunks and clears their flags in `VP8X`.
fn webp(b: &[u8]) -> Result<Vec<u8>, Broken> {
    const BROKEN: Broken = Broken("WebP");
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Err(BROKEN);
    }
    let riff_len = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    let end_all = riff_len.checked_add(8).ok_or(BROKEN)?.min(b.len());
    let mut body = Vec::with_capacity(b.len());
    body.extend_from_slice(b"WEBP");
    let mut i = 12;
    while i + 8 <= end_all {
        let kind = &b[i..i + 4];
        let len = u32::from_le_bytes([b[i + 4], b[i + 5], b[i + 6], b[i + 7]]) as usize;
        let padded = len + (len & 1);
        let end = i.checked_add(8).and_then(|x| x.checked_add(padded)).ok_or(BROKEN)?;
        if i + 8 + len > b.len() {
            return Err(BROKEN);
        }
        let end = end.min(b.len());
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let start = body.len();
                body.extend_from_slice(&b[i..end]);
                if let Some(flags) = body.get_mut(start + 8) {
                    *flags &= !(0x08 | 0x04);
                }
            }
            _ => body.extend_from_slice(&b[i..end]),
        }
        i = end;
    }
    if i < end_all {
        // A chunk header cut short.
        return Err(BROKEN);
    }
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&u32::try_from(body.len()).map_err(|_| BROKEN)?.to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).expect("short").to_be_bytes();
        [&[0xFF, marker], &len[..], payload].concat()
    }

    #[test]
    fn jpeg_loses_exif_and_comments_and_keeps_jfif_icc_and_the_scan() {
        let scan = [0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9];
        let b = [
            &[0xFF, 0xD8][..],
            &seg(0xE0, b"JFIF\0"),
            &seg(0xE1, b"Exif\0\0GPS 31.23N"),
            &seg(0xE2, b"ICC_PROFILE\0"),
            &seg(0xFE, b"taken at home"),
            &seg(0xDB, &[0; 4]),
            &scan,
        ]
        .concat();
        let out = strip(Format::Jpeg, &b).expect("strip");
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("GPS") && !text.contains("home"), "{text}");
        assert!(text.contains("JFIF") && text.contains("ICC_PROFILE"));
        assert!(out.ends_with(&scan));
        assert_eq!(strip(Format::Jpeg, &out).expect("again"), out, "stripping twice changes nothing");
    }

    #[test]
    fn truncated_files_are_broken() {
        assert!(strip(Format::Jpeg, &[0xFF, 0xD8, 0xFF, 0xE1, 0x40]).is_err());
        assert!(strip(Format::Jpeg, b"not a jpeg").is_err());
        assert!(strip(Format::Png, b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR").is_err());
        assert!(strip(Format::WebP, b"RIFF\x20\0\0\0WEBPVP8X\x0a\0\0").is_err());
    }

    #[test]
    fn png_loses_text_and_exif_chunks() {
        let chunk = |kind: &[u8], data: &[u8]| {
            [&u32::try_from(data.len()).expect("len").to_be_bytes()[..], kind, data, &[0, 0, 0, 0]].concat()
        };
        let b = [
            &b"\x89PNG\r\n\x1a\n"[..],
            &chunk(b"IHDR", &[0; 13]),
            &chunk(b"tEXt", b"Location\0Shanghai"),
            &chunk(b"eXIf", b"MM\0*GPS"),
            &chunk(b"IDAT", &[1, 2, 3]),
            &chunk(b"IEND", b""),
        ]
        .concat();
        let out = strip(Format::Png, &b).expect("strip");
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("Shanghai") && !text.contains("GPS"));
        assert!(text.contains("IHDR") && text.contains("IDAT") && text.contains("IEND"));
    }

    #[test]
    fn webp_loses_exif_and_xmp_and_their_flags() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = [kind, &u32::try_from(data.len()).expect("len").to_le_bytes()[..], data].concat();
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let body = [
            &b"WEBP"[..],
            &chunk(b"VP8X", &[0x0C, 0, 0, 0, 1, 0, 0, 1, 0, 0]),
            &chunk(b"VP8L", &[1, 2, 3]),
            &chunk(b"EXIF", b"GPS here"),
            &chunk(b"XMP ", b"<x/>"),
        ]
        .concat();
        let b = [&b"RIFF"[..], &u32::try_from(body.len()).expect("len").to_le_bytes(), &body].concat();
        let out = strip(Format::WebP, &b).expect("strip");
        assert!(!String::from_utf8_lossy(&out).contains("GPS"));
        assert_eq!(out[12..16], *b"VP8X");
        assert_eq!(out[20] & 0x0C, 0, "EXIF and XMP flags cleared");
        let len = u32::from_le_bytes([out[4], out[5], out[6], out[7]]) as usize;
        assert_eq!(len + 8, out.len());
    }
}
