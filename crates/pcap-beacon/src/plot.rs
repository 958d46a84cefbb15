//! `--plot DIR`: one SVG per candidate, the histogram of the gaps between connection starts
//! over the connection timeline. Files are named from the candidate's rank and addresses with
//! every character outside `[A-Za-z0-9._-]` replaced, created only directly inside DIR (an
//! existing file or link of that name is replaced, never followed).

use crate::candidate::Candidate;
use crate::output::utc;
use std::fmt::Write as _;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const W: f64 = 720.0;
const PLOT_X: f64 = 60.0;
const PLOT_W: f64 = 640.0;
const GAP_BINS: usize = 40;

/// A file name made only of `[A-Za-z0-9._-]`, never starting with a dot.
pub fn file_name(rank: usize, c: &Candidate) -> String {
    let target = c.name.clone().unwrap_or_else(|| c.dsts.first().map(|d| d.to_string()).unwrap_or_default());
    let raw = format!("{:03}-{}-{}", rank, c.src, target);
    let mut s: String = raw.chars().take(150).map(|ch| if ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' || ch == '_' { ch } else { '_' }).collect();
    if s.starts_with('.') {
        s.insert(0, '_');
    }
    s + ".svg"
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The SVG of one candidate.
pub fn svg(rank: usize, c: &Candidate) -> String {
    let mut o = String::new();
    let title = format!(
        "#{} {} -> {}  score {}  {} connections",
        rank,
        c.src,
        c.name.clone().unwrap_or_else(|| c.dsts.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",")),
        c.scores.as_ref().map_or("-".to_string(), |s| format!("{:.3}", s.score)),
        c.count
    );
    let _ = writeln!(o, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="420" viewBox="0 0 {W} 420" font-family="sans-serif" font-size="11">"#);
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(o, r#"<text x="10" y="18" font-size="13">{}</text>"#, esc(&title));

    // Gap histogram.
    let gaps: Vec<f64> = c.starts.windows(2).map(|w| w[1].saturating_sub(w[0]) as f64 / 1e9).collect();
    // The axis runs to the longest gap, or twice the median when that is longer, so that a
    // regular beacon's bar stands in the middle rather than at the edge.
    let max_gap = gaps.iter().copied().fold(0.0f64, f64::max).max(2.0 * c.median_interval).max(1e-9);
    let mut bins = [0u32; GAP_BINS];
    for g in &gaps {
        let i = ((g / max_gap) * GAP_BINS as f64) as usize;
        bins[i.min(GAP_BINS - 1)] += 1;
    }
    let top = bins.iter().copied().max().unwrap_or(0).max(1);
    let (y0, h) = (40.0, 200.0);
    let _ = writeln!(o, r#"<text x="10" y="{}">gaps between connection starts (s): median {:.3}, mean {:.3}, jitter {:.3}</text>"#, y0 - 6.0, c.median_interval, c.mean_interval, c.jitter);
    let bw = PLOT_W / GAP_BINS as f64;
    for (i, n) in bins.iter().enumerate() {
        let bh = f64::from(*n) / f64::from(top) * h;
        let _ = writeln!(o, r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="steelblue"><title>{}</title></rect>"#, PLOT_X + i as f64 * bw, y0 + h - bh, bw - 1.0, bh, n);
    }
    let _ = writeln!(o, r#"<line x1="{PLOT_X}" y1="{}" x2="{}" y2="{}" stroke="black"/>"#, y0 + h, PLOT_X + PLOT_W, y0 + h);
    let _ = writeln!(o, r#"<text x="{PLOT_X}" y="{}">0</text><text x="{}" y="{}" text-anchor="end">{:.1}</text>"#, y0 + h + 14.0, PLOT_X + PLOT_W, y0 + h + 14.0, max_gap);
    let _ = writeln!(o, r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#, PLOT_X - 4.0, y0 + 8.0, top);

    // Timeline over the dataset window.
    let (t0, t1) = (c.window.0 as f64 * 1e9, (c.window.1 as f64 + 1.0) * 1e9);
    let ty = 320.0;
    let _ = writeln!(o, r#"<text x="10" y="{}">connection timeline: {} .. {} UTC</text>"#, ty - 30.0, utc(c.window.0), utc(c.window.1));
    let _ = writeln!(o, r#"<line x1="{PLOT_X}" y1="{ty}" x2="{}" y2="{ty}" stroke="black"/>"#, PLOT_X + PLOT_W);
    // One tick per connection, at most one per half pixel (86,400 connections stay a small file).
    let mut path = String::new();
    let mut last = f64::NEG_INFINITY;
    for s in &c.starts {
        let x = ((PLOT_X + ((*s as f64 - t0) / (t1 - t0)).clamp(0.0, 1.0) * PLOT_W) * 2.0).round() / 2.0;
        if x != last {
            let _ = write!(path, "M{:.1} {}v-20", x, ty);
            last = x;
        }
    }
    let _ = writeln!(o, r#"<path d="{}" stroke="darkred" stroke-width="1"/>"#, path);
    o.push_str("</svg>\n");
    o
}

/// Writes the SVGs of `list` (ranked from 1) into `dir`, creating it; returns the paths.
pub fn write_all(dir: &Path, list: &[&Candidate]) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let path = dir.join(file_name(i + 1, c));
        if fs::symlink_metadata(&path).is_ok() {
            fs::remove_file(&path)?;
        }
        let mut f = OpenOptions::new().write(true).create_new(true).open(&path)?;
        f.write_all(svg(i + 1, c).as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
