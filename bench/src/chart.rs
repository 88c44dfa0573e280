//! The peer latency chart, as hand-written SVG: grouped bars (tinyim, mosquitto) for p50,
//! p99 and p99.9 on a log scale, because the two systems' figures can be orders of magnitude
//! apart. No plotting dependency: the chart is a few dozen elements.

use crate::scenario::peer::PeerResult;

const W: f64 = 720.0;
const H: f64 = 380.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 60.0;
const COLORS: [&str; 3] = ["#2b7bb9", "#e07b39", "#3a9a4a"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The SVG for `runs` (each drawn as one bar per percentile), titled `title`.
pub fn peer_latency_svg(title: &str, runs: &[&PeerResult]) -> String {
    let pcts = ["p50", "p99", "p99.9"];
    let value = |r: &PeerResult, i: usize| match i {
        0 => r.latency.p50_ms,
        1 => r.latency.p99_ms,
        _ => r.latency.p999_ms,
    };
    // Decades spanning every value (at least 0.01 ms .. 10 ms).
    let mut lo = -2i32;
    let mut hi = 1i32;
    for r in runs {
        for i in 0..pcts.len() {
            let v = value(r, i).max(0.001);
            lo = lo.min(v.log10().floor() as i32);
            hi = hi.max(v.log10().ceil() as i32);
        }
    }
    let plot_h = H - TOP - BOTTOM;
    let plot_w = W - LEFT - RIGHT;
    let y = |v: f64| {
        let l = v.max(10f64.powi(lo)).log10();
        TOP + plot_h * (1.0 - (l - f64::from(lo)) / f64::from(hi - lo))
    };
    let mut s = String::new();
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        W / 2.0,
        esc(title)
    ));
    // Grid lines and labels, one per decade.
    for d in lo..=hi {
        let v = 10f64.powi(d);
        let yy = y(v);
        let label = if d < 0 {
            format!("{v:.*}", (-d) as usize)
        } else {
            format!("{v:.0}")
        };
        s.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{yy:.1}\" x2=\"{}\" y2=\"{yy:.1}\" stroke=\"#ddd\"/>\n\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>\n",
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0
        ));
    }
    s.push_str(&format!(
        "<text x=\"18\" y=\"{:.1}\" transform=\"rotate(-90 18 {:.1})\" text-anchor=\"middle\">end-to-end latency, ms (log scale)</text>\n",
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0
    ));
    let group_w = plot_w / pcts.len() as f64;
    let bar_w = (group_w * 0.7) / runs.len().max(1) as f64;
    for (i, p) in pcts.iter().enumerate() {
        let gx = LEFT + group_w * i as f64 + group_w * 0.15;
        for (k, r) in runs.iter().enumerate() {
            let v = value(r, i);
            let x = gx + bar_w * k as f64;
            let top = y(v);
            s.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>\n\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n",
                bar_w - 4.0,
                (TOP + plot_h - top).max(0.0),
                COLORS[k % COLORS.len()],
                x + (bar_w - 4.0) / 2.0,
                top - 4.0,
                fmt_ms(v)
            ));
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"13\">{p}</text>\n",
            gx + group_w * 0.35,
            TOP + plot_h + 20.0
        ));
    }
    // Legend.
    for (k, r) in runs.iter().enumerate() {
        let lx = LEFT + 10.0 + 260.0 * k as f64;
        let ly = H - 18.0;
        s.push_str(&format!(
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n\
             <text x=\"{:.1}\" y=\"{ly:.1}\">{} ({:.0} msg/s delivered)</text>\n",
            ly - 10.0,
            COLORS[k % COLORS.len()],
            lx + 18.0,
            esc(r.system),
            r.throughput
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// Colors of the systems in the sweep chart.
fn system_color(system: &str) -> &'static str {
    match system {
        "tinyim" => "#2b7bb9",
        "mosquitto" => "#e07b39",
        _ => "#3a9a4a",
    }
}

/// The saturation sweep: delivered msg/s (left) and end-to-end p99 (right, log scale)
/// against the offered rate, one line per system; failed steps are hollow points.
pub fn sweep_svg(title: &str, sweeps: &[crate::sweep::Sweep]) -> String {
    const SW: f64 = 900.0;
    const SH: f64 = 420.0;
    const PW: f64 = 340.0;
    const PH: f64 = 260.0;
    let x0s = [80.0, 520.0];
    let y0 = 60.0;
    let max_rate = sweeps
        .iter()
        .flat_map(|s| s.steps.iter().map(|st| st.offered()))
        .fold(1000.0, f64::max);
    let max_x = nice_ceiling(max_rate);
    // p99 decades: 0.1 ms .. at least 1000 ms.
    let (lo, mut hi) = (-1i32, 3i32);
    for sw in sweeps {
        for st in &sw.steps {
            if let Ok(r) = &st.result {
                hi = hi.max(r.latency.p99_ms.max(0.001).log10().ceil() as i32);
            }
        }
    }
    let px = |panel: usize, v: f64| x0s[panel] + PW * (v / max_x);
    let py_rate = |v: f64| y0 + PH * (1.0 - v / max_x);
    let py_lat = |v: f64| {
        let l = v.max(10f64.powi(lo)).log10();
        y0 + PH * (1.0 - (l - f64::from(lo)) / f64::from(hi - lo))
    };
    let mut s = String::new();
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{SW}\" height=\"{SH}\" viewBox=\"0 0 {SW} {SH}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        SW / 2.0,
        esc(title)
    ));
    // Axes, grid and labels.
    for (panel, label) in [(0, "delivered msg/s"), (1, "end-to-end p99, ms (log)")] {
        let x0 = x0s[panel];
        s.push_str(&format!(
            "<rect x=\"{x0}\" y=\"{y0}\" width=\"{PW}\" height=\"{PH}\" fill=\"none\" stroke=\"#999\"/>\n\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">offered msg/s</text>\n\
             <text x=\"{}\" y=\"{}\" transform=\"rotate(-90 {} {})\" text-anchor=\"middle\">{label}</text>\n",
            x0 + PW / 2.0,
            y0 + PH + 36.0,
            x0 - 55.0,
            y0 + PH / 2.0,
            x0 - 55.0,
            y0 + PH / 2.0
        ));
        for k in 0..=4 {
            let v = max_x * f64::from(k) / 4.0;
            let x = px(panel, v);
            s.push_str(&format!(
                "<line x1=\"{x:.1}\" y1=\"{y0}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#eee\"/>\n\
                 <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{v:.0}</text>\n",
                y0 + PH,
                y0 + PH + 16.0
            ));
            if panel == 0 {
                let y = py_rate(v);
                s.push_str(&format!(
                    "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#eee\"/>\n\
                     <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{v:.0}</text>\n",
                    x0 + PW,
                    x0 - 4.0,
                    y + 4.0
                ));
            }
        }
        if panel == 1 {
            for d in lo..=hi {
                let v = 10f64.powi(d);
                let y = py_lat(v);
                s.push_str(&format!(
                    "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#eee\"/>\n\
                     <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
                    x0 + PW,
                    x0 - 4.0,
                    y + 4.0,
                    fmt_ms(v)
                ));
            }
            // The 100 ms criterion.
            let y = py_lat(crate::sweep::MAX_P99_MS);
            s.push_str(&format!(
                "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#c00\" stroke-dasharray=\"4 3\"/>\n",
                x0 + PW
            ));
        } else {
            // delivered = offered.
            s.push_str(&format!(
                "<line x1=\"{x0}\" y1=\"{}\" x2=\"{}\" y2=\"{y0}\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n",
                y0 + PH,
                x0 + PW
            ));
        }
    }
    // One line per system and panel.
    for (k, sw) in sweeps.iter().enumerate() {
        let color = system_color(sw.system);
        for panel in 0..2 {
            let mut pts = Vec::new();
            for st in &sw.steps {
                let Ok(r) = &st.result else { continue };
                let x = px(panel, st.offered());
                let y = if panel == 0 {
                    py_rate(r.throughput.min(max_x))
                } else {
                    py_lat(r.latency.p99_ms)
                };
                pts.push((x, y, st.passed()));
            }
            if pts.len() > 1 {
                let path: Vec<String> = pts
                    .iter()
                    .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
                    .collect();
                s.push_str(&format!(
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n",
                    path.join(" ")
                ));
            }
            for (x, y, ok) in pts {
                let fill = if ok { color } else { "white" };
                s.push_str(&format!(
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{fill}\" stroke=\"{color}\" stroke-width=\"2\"/>\n"
                ));
            }
        }
        let lx = 80.0 + 270.0 * k as f64;
        let ly = SH - 20.0;
        s.push_str(&format!(
            "<rect x=\"{lx}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{color}\"/>\n\
             <text x=\"{}\" y=\"{ly}\">{} (saturation {:.0} msg/s)</text>\n",
            ly - 10.0,
            lx + 18.0,
            esc(sw.system),
            sw.saturation()
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// A round axis maximum at or above `v` (1, 2 or 5 times a power of ten).
fn nice_ceiling(v: f64) -> f64 {
    let p = 10f64.powf(v.max(1.0).log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

/// Milliseconds with precision that suits their size.
pub fn fmt_ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::peer::{PeerParams, PeerResult};
    use crate::stats::Summary;

    #[test]
    fn chart_is_one_svg_with_a_bar_per_run_and_percentile() {
        let run = |system, p50| PeerResult {
            system,
            params: PeerParams {
                users: 2,
                rate: 1.0,
                duration: std::time::Duration::from_secs(1),
                payload: 100,
            },
            sent: 1,
            acked: 1,
            send_errors: 0,
            delivered: 1,
            duplicates: 0,
            lost: 0,
            throughput: 1.0,
            latency: Summary {
                count: 1,
                p50_ms: p50,
                p99_ms: p50 * 10.0,
                p999_ms: p50 * 20.0,
                max_ms: p50 * 30.0,
            },
            server_cpu_s: 0.0,
            server_peak_rss: 0,
            bench_cpu_s: 0.0,
            setup_s: 0.0,
            errors: vec![],
            server_threads: vec![],
        };
        let (a, b) = (run("tinyim", 1.0), run("mosquitto", 0.1));
        let svg = peer_latency_svg("t <&>", &[&a, &b]);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        // 2 runs × 3 percentiles + 2 legend swatches + the background.
        assert_eq!(svg.matches("<rect").count(), 9);
        assert!(svg.contains("t &lt;&amp;&gt;"));
    }
}
