//! Request counts and latency by route, rendered as Prometheus text at `/metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Histogram>,
}

/// The registry. One per process; cheap to update under a short lock.
#[derive(Default)]
pub struct Metrics(Mutex<Inner>);

impl Metrics {
    /// Records one finished request. `route` is the matched route template, never the raw path,
    /// so ids do not explode the label space.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let Ok(mut m) = self.0.lock() else { return };
        *m.requests.entry((method.to_owned(), route.to_owned(), status)).or_default() += 1;
        let h = m.latency.entry((method.to_owned(), route.to_owned())).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let Ok(m) = self.0.lock() else {
            return String::new();
        };
        let mut out = String::new();
        out.push_str("# HELP lokal_http_requests_total HTTP requests by method, route and status.\n# TYPE lokal_http_requests_total counter\n");
        for ((method, route, status), n) in &m.requests {
            let _ = writeln!(
                out,
                "lokal_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        out.push_str("# HELP lokal_http_request_duration_seconds HTTP request latency by method and route.\n# TYPE lokal_http_request_duration_seconds histogram\n");
        for ((method, route), h) in &m.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "lokal_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(out, "lokal_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "lokal_http_request_duration_seconds_sum{{{labels}}} {}", h.sum);
            let _ = writeln!(out, "lokal_http_request_duration_seconds_count{{{labels}}} {}", h.count);
        }
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::Metrics;

    #[test]
    fn counts_and_buckets_accumulate_per_route() {
        let m = Metrics::default();
        m.observe("GET", "/api/v1/me", 200, 0.003);
        m.observe("GET", "/api/v1/me", 200, 0.2);
        m.observe("GET", "/api/v1/me", 401, 0.001);
        let text = m.render();
        assert!(text.contains("lokal_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 2"));
        assert!(text.contains("lokal_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"401\"} 1"));
        assert!(text.contains(
            "lokal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/me\",le=\"0.005\"} 2"
        ));
        assert!(text.contains("lokal_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/me\"} 3"));
    }
}
