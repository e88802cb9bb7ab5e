//! Pictures for the demo city, drawn by code (nothing is downloaded): one per category — a
//! hotpot on a table, nail polish, a microphone under stars, a made bed, a fruit stand, a
//! washing machine — so that store pages and lists are not empty. They go through the same
//! upload path as a merchant's photos.

use image::{Rgb, RgbImage};
use lokal_core::store::Category;

const W: u32 = 640;
const H: u32 = 480;

type Colour = [u8; 3];

fn mix(a: Colour, b: Colour, t: f64) -> Colour {
    let t = t.clamp(0.0, 1.0);
    [0, 1, 2].map(|i| (f64::from(a[i]) * (1.0 - t) + f64::from(b[i]) * t).round() as u8)
}

/// A canvas with a vertical gradient from `top` to `bottom`.
fn canvas(top: Colour, bottom: Colour) -> RgbImage {
    RgbImage::from_fn(W, H, |_, y| Rgb(mix(top, bottom, f64::from(y) / f64::from(H))))
}

/// Paints every pixel whose centre `inside` says is covered (`0.0..=1.0`, edges soft).
fn paint(img: &mut RgbImage, colour: Colour, bounds: (f64, f64, f64, f64), inside: impl Fn(f64, f64) -> f64) {
    let (x0, y0, x1, y1) = bounds;
    let xs = (x0.floor().max(0.0) as u32)..(x1.ceil().min(f64::from(W)) as u32);
    for y in (y0.floor().max(0.0) as u32)..(y1.ceil().min(f64::from(H)) as u32) {
        for x in xs.clone() {
            let cover = inside(f64::from(x) + 0.5, f64::from(y) + 0.5);
            if cover > 0.0 {
                let p = img.get_pixel_mut(x, y);
                *p = Rgb(mix(p.0, colour, cover));
            }
        }
    }
}

fn circle(img: &mut RgbImage, cx: f64, cy: f64, r: f64, colour: Colour) {
    paint(img, colour, (cx - r - 1.0, cy - r - 1.0, cx + r + 1.0, cy + r + 1.0), |x, y| {
        (r + 0.5 - ((x - cx).powi(2) + (y - cy).powi(2)).sqrt()).clamp(0.0, 1.0)
    });
}

fn ellipse(img: &mut RgbImage, cx: f64, cy: f64, rx: f64, ry: f64, colour: Colour) {
    paint(img, colour, (cx - rx - 1.0, cy - ry - 1.0, cx + rx + 1.0, cy + ry + 1.0), |x, y| {
        let d = ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2);
        ((1.0 - d) * rx.min(ry) / 2.0 + 0.5).clamp(0.0, 1.0)
    });
}

/// A rectangle with rounded corners of radius `r`.
fn rect(img: &mut RgbImage, (x0, y0, x1, y1): (f64, f64, f64, f64), r: f64, colour: Colour) {
    paint(img, colour, (x0 - 1.0, y0 - 1.0, x1 + 1.0, y1 + 1.0), |x, y| {
        let qx = (x0 + r - x).max(x - (x1 - r)).max(0.0);
        let qy = (y0 + r - y).max(y - (y1 - r)).max(0.0);
        let outside = (qx * qx + qy * qy).sqrt() - r;
        let edge = (x - x0).min(x1 - x).min(y - y0).min(y1 - y);
        if r > 0.0 { (0.5 - outside).clamp(0.0, 1.0) } else { (edge + 0.5).clamp(0.0, 1.0) }
    });
}

/// A small deterministic generator, so the demo city is the same every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn hotpot(img: &mut RgbImage, dice: &mut Dice) {
    rect(img, (0.0, 300.0, 640.0, 480.0), 0.0, [122, 78, 52]);
    ellipse(img, 320.0, 330.0, 230.0, 120.0, [70, 70, 74]);
    ellipse(img, 320.0, 320.0, 205.0, 104.0, [186, 48, 30]);
    // The two-flavour pot: the clear half.
    paint(img, [232, 196, 120], (320.0, 210.0, 530.0, 430.0), |x, y| {
        let d = ((x - 320.0) / 205.0).powi(2) + ((y - 320.0) / 104.0).powi(2);
        if x > 322.0 && d < 1.0 { 1.0 } else { 0.0 }
    });
    for _ in 0..60 {
        let (a, d) = (dice.next() * std::f64::consts::TAU, dice.next().sqrt());
        let (x, y) = (320.0 + a.cos() * d * 180.0, 320.0 + a.sin() * d * 88.0);
        let colour = [[92, 160, 68], [240, 226, 200], [210, 120, 90], [250, 200, 60]][(dice.next() * 4.0) as usize % 4];
        circle(img, x, y, 5.0 + dice.next() * 9.0, colour);
    }
    for (x, y) in [(90.0, 420.0), (560.0, 410.0)] {
        ellipse(img, x, y, 60.0, 26.0, [245, 245, 240]);
        ellipse(img, x, y - 4.0, 40.0, 14.0, [160, 60, 40]);
    }
}

fn nails(img: &mut RgbImage, _: &mut Dice) {
    rect(img, (0.0, 360.0, 640.0, 480.0), 0.0, [240, 228, 232]);
    let colours = [[214, 40, 90], [250, 120, 150], [150, 60, 160], [240, 90, 60], [250, 200, 210]];
    for (i, c) in colours.iter().enumerate() {
        let x = 90.0 + i as f64 * 110.0;
        rect(img, (x - 38.0, 200.0, x + 38.0, 360.0), 18.0, *c);
        rect(img, (x - 14.0, 120.0, x + 14.0, 205.0), 6.0, [40, 40, 44]);
        ellipse(img, x - 14.0, 250.0, 8.0, 30.0, mix(*c, [255, 255, 255], 0.45));
    }
}

fn microphone(img: &mut RgbImage, dice: &mut Dice) {
    for _ in 0..80 {
        let (x, y) = (dice.next() * 640.0, dice.next() * 300.0);
        circle(img, x, y, 1.0 + dice.next() * 2.5, [255, 240, 200]);
    }
    rect(img, (300.0, 250.0, 340.0, 440.0), 10.0, [60, 60, 70]);
    circle(img, 320.0, 210.0, 70.0, [200, 200, 210]);
    for i in 0..6 {
        let y = 160.0 + f64::from(i) * 18.0;
        rect(img, (262.0, y, 378.0, y + 4.0), 2.0, [150, 150, 160]);
    }
    ellipse(img, 320.0, 450.0, 120.0, 18.0, [40, 20, 60]);
}

fn bed(img: &mut RgbImage, _: &mut Dice) {
    rect(img, (0.0, 380.0, 640.0, 480.0), 0.0, [150, 120, 96]);
    rect(img, (80.0, 120.0, 560.0, 300.0), 16.0, [120, 84, 60]);
    rect(img, (60.0, 270.0, 580.0, 400.0), 20.0, [250, 250, 248]);
    rect(img, (60.0, 320.0, 580.0, 400.0), 20.0, [70, 110, 160]);
    for x in [150.0, 350.0] {
        rect(img, (x, 220.0, x + 140.0, 290.0), 24.0, [255, 255, 255]);
    }
    rect(img, (480.0, 60.0, 620.0, 170.0), 8.0, [250, 220, 150]);
}

fn fruit(img: &mut RgbImage, dice: &mut Dice) {
    rect(img, (40.0, 300.0, 600.0, 460.0), 10.0, [170, 120, 70]);
    for row in 0..3 {
        for i in 0..7 {
            let x = 90.0 + f64::from(i) * 76.0 + f64::from(row % 2) * 30.0;
            let y = 300.0 - f64::from(row) * 52.0 + dice.next() * 8.0;
            let c = [[235, 120, 30], [210, 40, 40], [120, 180, 60], [250, 210, 60]][(row as usize + i as usize) % 4];
            circle(img, x, y, 30.0, c);
            circle(img, x - 9.0, y - 10.0, 7.0, mix(c, [255, 255, 255], 0.5));
            ellipse(img, x + 6.0, y - 30.0, 9.0, 4.0, [60, 130, 50]);
        }
    }
}

fn washer(img: &mut RgbImage, _: &mut Dice) {
    rect(img, (0.0, 400.0, 640.0, 480.0), 0.0, [210, 215, 222]);
    for x in [110.0, 370.0] {
        rect(img, (x, 110.0, x + 180.0, 420.0), 18.0, [248, 248, 250]);
        rect(img, (x + 14.0, 124.0, x + 166.0, 160.0), 8.0, [220, 224, 230]);
        circle(img, x + 140.0, 142.0, 9.0, [80, 170, 220]);
        circle(img, x + 90.0, 285.0, 70.0, [150, 156, 166]);
        circle(img, x + 90.0, 285.0, 56.0, [120, 190, 230]);
        ellipse(img, x + 70.0, 265.0, 18.0, 10.0, [225, 245, 255]);
    }
}

/// The demo picture of a category, as a JPEG (drawn once per process).
pub fn of(category: Category) -> anyhow::Result<Vec<u8>> {
    static DRAWN: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<Category, Vec<u8>>>> =
        std::sync::OnceLock::new();
    let drawn = DRAWN.get_or_init(Default::default);
    if let Some(bytes) = drawn.lock().ok().and_then(|d| d.get(&category).cloned()) {
        return Ok(bytes);
    }
    let bytes = draw(category)?;
    if let Ok(mut d) = drawn.lock() {
        d.insert(category, bytes.clone());
    }
    Ok(bytes)
}

fn draw(category: Category) -> anyhow::Result<Vec<u8>> {
    let (top, bottom, draw): (Colour, Colour, fn(&mut RgbImage, &mut Dice)) = match category {
        Category::Food => ([250, 214, 170], [226, 150, 100], hotpot),
        Category::Beauty => ([252, 226, 236], [240, 190, 210], nails),
        Category::Leisure => ([40, 24, 80], [120, 50, 130], microphone),
        Category::Hotel => ([220, 232, 240], [200, 214, 226], bed),
        Category::Retail => ([226, 244, 222], [190, 226, 180], fruit),
        Category::Services => ([222, 236, 250], [190, 214, 236], washer),
    };
    let mut img = canvas(top, bottom);
    draw(&mut img, &mut Dice(0x9E37_79B9_7F4A_7C15 ^ category.as_str().len() as u64));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&img)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_a_real_picture() {
        for c in Category::ALL {
            let bytes = of(c).expect("drawn");
            let img = image::load_from_memory(&bytes).expect("a JPEG").to_rgb8();
            assert_eq!(img.dimensions(), (W, H));
            // Not a flat colour: something is drawn on it.
            let colours: std::collections::HashSet<[u8; 3]> = img.pixels().step_by(97).map(|p| p.0).collect();
            assert!(colours.len() > 50, "{c:?}: {} colours", colours.len());
        }
    }
}
