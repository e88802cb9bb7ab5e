//! Bar charts drawn on the server as inline SVG (no script, no library): a series of labelled
//! values with a value axis, readable without colour (each bar carries a title).

/// Escapes text for SVG/XML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A "nice" axis maximum at or above `max` (1, 2 or 5 times a power of ten).
fn nice(max: i64) -> i64 {
    if max <= 0 {
        return 1;
    }
    let mut step = 1i64;
    while step.saturating_mul(10) <= max {
        step = step.saturating_mul(10);
    }
    [1, 2, 5, 10].iter().map(|m| step.saturating_mul(*m)).find(|v| *v >= max).unwrap_or(max)
}

/// How a chart writes its words: values (axis and titles) and a bar's title from its label and
/// written value (`11月27日：¥1200`), both in the page's language.
pub struct Words<'a> {
    /// A value (`¥1200`, `12`).
    pub value: &'a dyn Fn(i64) -> String,
    /// A bar's title from its label and written value.
    pub bar: &'a dyn Fn(&str, &str) -> String,
}

/// A bar chart titled `title` of `bars` (label, value), `width`×`height` px. Long series show
/// every n-th label.
pub fn bars(title: &str, bars: &[(String, i64)], width: u32, height: u32, words: &Words<'_>) -> String {
    let fmt = words.value;
    let (w, h) = (f64::from(width), f64::from(height));
    let (left, right, top, bottom) = (64.0, 8.0, 10.0, 34.0);
    let plot_w = (w - left - right).max(1.0);
    let plot_h = (h - top - bottom).max(1.0);
    let max = nice(bars.iter().map(|b| b.1).max().unwrap_or(0));
    #[allow(clippy::cast_precision_loss)] // pixel positions
    let y = |v: i64| top + plot_h - (v.max(0) as f64 / max as f64) * plot_h;
    let n = bars.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let slot = plot_w / n as f64;
    let every = n.div_ceil(12).max(1);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" \
         aria-label=\"{}\" class=\"chart\">",
        esc(title)
    );
    for i in 0..=4 {
        let v = max * i / 4;
        let yy = y(v);
        out.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#e5e5e5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"#666\">{}</text>",
            w - right,
            left - 4.0,
            yy + 3.0,
            esc(&fmt(v))
        ));
    }
    for (i, (label, v)) in bars.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = left + slot * i as f64;
        let top_y = y(*v);
        out.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{top_y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#ff6a00\" data-value=\"{v}\">\
             <title>{}</title></rect>",
            x + slot * 0.15,
            (slot * 0.7).max(1.0),
            (top + plot_h - top_y).max(0.0),
            esc(&(words.bar)(label, &fmt(*v)))
        ));
        if i % every == 0 {
            out.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#666\">{}</text>",
                x + slot / 2.0,
                h - bottom + 14.0,
                esc(label)
            ));
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(nice(0), 1);
        assert_eq!(nice(7), 10);
        assert_eq!(nice(13), 20);
        assert_eq!(nice(41), 50);
        assert_eq!(nice(100), 100);
        assert_eq!(nice(101), 200);
    }

    #[test]
    fn a_chart_has_one_bar_per_value_and_escapes_labels() {
        let data = vec![("<a>".to_owned(), 5), ("b".to_owned(), 10), ("c".to_owned(), 0)];
        let words = Words { value: &|v| v.to_string(), bar: &|l, v| format!("{l}: {v}") };
        let svg = bars("Orders", &data, 300, 120, &words);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("&lt;a&gt;") && !svg.contains("<a>"));
        assert!(svg.contains("<title>b: 10</title>"), "{svg}");
        assert!(svg.contains("data-value=\"10\""));
        // The tallest bar reaches the top of the plot (the axis maximum is 10).
        assert!(svg.contains("y=\"10.0\""), "{svg}");
    }
}
