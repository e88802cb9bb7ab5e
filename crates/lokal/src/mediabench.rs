//! `lokal bench media`: the time to process one photo upload (check, strip metadata, decode,
//! turn upright, write the 200 and 800 px JPEG variants), by format and size, on photos drawn by
//! code. Prints a Markdown table for docs/benchmarks.md.

use image::{DynamicImage, ImageFormat, RgbImage};
use std::io::Cursor;
use std::time::Instant;

/// A photo-like picture: smooth gradients with fine noise (so it compresses like a photo).
fn picture(w: u32, h: u32, seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    RgbImage::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state % 24) as u8;
        let r = ((x * 255 / w.max(1)) as u8).saturating_add(n);
        let g = ((y * 255 / h.max(1)) as u8).saturating_add(n / 2);
        let b = (((x + y) * 127 / (w + h).max(1)) as u8).saturating_add(n);
        image::Rgb([r, g, b])
    })
}

fn encode(img: &RgbImage, format: ImageFormat) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img.clone()).write_to(&mut Cursor::new(&mut out), format)?;
    Ok(out)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len().saturating_sub(1)) as f64 * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

/// Runs `runs` uploads of each format and size and reports the processing time.
pub fn run(runs: usize) -> anyhow::Result<String> {
    let runs = runs.max(1);
    let mut out = String::from(
        "| photo | format | upload size | p50 ms | p99 ms | w200 + w800 bytes |\n| --- | --- | ---: | ---: | ---: | ---: |\n",
    );
    for (w, h, what) in
        [(1080u32, 1440u32, "1080×1440 (phone screenshot size)"), (3024, 4032, "3024×4032 (12 MP phone photo)")]
    {
        let img = picture(w, h, w ^ h);
        for (format, name) in
            [(ImageFormat::Jpeg, "JPEG"), (ImageFormat::Png, "PNG"), (ImageFormat::WebP, "WebP (lossless)")]
        {
            let bytes = encode(&img, format)?;
            if bytes.len() > lokal_app::media::MAX_BYTES {
                out.push_str(&format!(
                    "| {what} | {name} | {:.1} MiB | over the 10 MiB limit | | |\n",
                    bytes.len() as f64 / 1_048_576.0
                ));
                continue;
            }
            let mut times = Vec::with_capacity(runs);
            let mut variant_bytes = 0;
            for _ in 0..runs {
                let t = Instant::now();
                let p = lokal_media::process(&bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                variant_bytes = p.variants.iter().map(|v| v.bytes.len()).sum();
            }
            times.sort_by(f64::total_cmp);
            out.push_str(&format!(
                "| {what} | {name} | {:.2} MiB | {:.0} | {:.0} | {} |\n",
                bytes.len() as f64 / 1_048_576.0,
                percentile(&times, 0.5),
                percentile(&times, 0.99),
                variant_bytes
            ));
        }
    }
    Ok(out)
}
