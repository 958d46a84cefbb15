//! Inline SVG charts (no script, no external resource): a column chart of a series over
//! time, a horizontal bar chart of labelled values, and a strip of events over a span. Every
//! text is escaped; labels come from the capture, which an attacker may have written.

use std::fmt::Write;

/// Escapes text for HTML and SVG content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// 1234567 → "1.2 M", with `unit` appended ("B" for bytes).
pub fn human(v: f64, unit: &str) -> String {
    let (d, p) = if v >= 1e12 {
        (1e12, "T")
    } else if v >= 1e9 {
        (1e9, "G")
    } else if v >= 1e6 {
        (1e6, "M")
    } else if v >= 1e3 {
        (1e3, "k")
    } else {
        return format!("{}{}{}", v.round(), if unit.is_empty() { "" } else { " " }, unit);
    };
    format!("{:.1} {}{}", v / d, p, unit)
}

/// A column chart of `values` (one column per interval of `interval_s` seconds).
pub fn columns(values: &[u64], interval_s: u64, unit: &str, title: &str) -> String {
    let (w, h, left, bottom, top) = (900.0, 220.0, 64.0, 28.0, 10.0);
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = values.len().max(1) as f64;
    let plot_w = w - left - 10.0;
    let plot_h = h - bottom - top;
    let bw = plot_w / n;
    let mut s = String::new();
    let _ = write!(s, r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#, esc(title));
    for k in 0..=4 {
        let y = top + plot_h * (1.0 - k as f64 / 4.0);
        let _ = write!(s, r##"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#ddd"/>"##, w - 10.0);
        let _ = write!(s, r#"<text x="{}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"#, left - 4.0, y + 4.0, esc(&human(max * k as f64 / 4.0, unit)));
    }
    for (i, v) in values.iter().enumerate() {
        let bh = plot_h * (*v as f64 / max);
        let x = left + i as f64 * bw;
        let _ = write!(
            s,
            r##"<rect x="{x:.2}" y="{:.2}" width="{:.2}" height="{bh:.2}" fill="#3b7dd8"><title>+{}s: {}</title></rect>"##,
            top + plot_h - bh,
            (bw - 0.5).max(0.5),
            i as u64 * interval_s,
            esc(&human(*v as f64, unit))
        );
    }
    let span = values.len() as u64 * interval_s;
    for k in 0..=4 {
        let x = left + plot_w * k as f64 / 4.0;
        let anchor = match k {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        let _ = write!(s, r#"<text x="{x:.1}" y="{}" text-anchor="{anchor}" font-size="11">+{}</text>"#, h - 8.0, esc(&duration(span as f64 * k as f64 / 4.0)));
    }
    s.push_str("</svg>");
    s
}

/// "90 s", "12.5 min", "3.2 h", "2.1 d".
pub fn duration(secs: f64) -> String {
    if secs < 120.0 {
        format!("{}s", secs.round())
    } else if secs < 7200.0 {
        format!("{:.1}min", secs / 60.0)
    } else if secs < 172_800.0 {
        format!("{:.1}h", secs / 3600.0)
    } else {
        format!("{:.1}d", secs / 86_400.0)
    }
}

/// A horizontal bar chart: one bar per (label, value), longest first as given.
pub fn bars(rows: &[(String, f64)], unit: &str, title: &str) -> String {
    let row_h = 20.0;
    let (w, label_w) = (900.0, 330.0);
    let h = row_h * rows.len().max(1) as f64 + 6.0;
    let max = rows.iter().map(|r| r.1).fold(0.0f64, f64::max).max(1.0);
    let mut s = String::new();
    let _ = write!(s, r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#, esc(title));
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = 3.0 + i as f64 * row_h;
        let bw = (w - label_w - 90.0) * (v / max);
        let short: String = if label.chars().count() > 48 { label.chars().take(47).chain(['…']).collect() } else { label.clone() };
        let _ = write!(s, r#"<text x="{}" y="{:.1}" text-anchor="end" font-size="12"><title>{}</title>{}</text>"#, label_w - 6.0, y + 14.0, esc(label), esc(&short));
        let _ = write!(s, r##"<rect x="{label_w}" y="{y:.1}" width="{bw:.2}" height="{}" fill="#e07b39"/>"##, row_h - 4.0);
        let _ = write!(s, r#"<text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#, label_w + bw + 4.0, y + 13.0, esc(&human(*v, unit)));
    }
    s.push_str("</svg>");
    s
}

/// A strip of events (seconds from the capture's start) over `span` seconds.
pub fn strip(times: &[f64], span: f64, title: &str) -> String {
    let (w, h, left) = (900.0, 34.0, 10.0);
    let span = if span > 0.0 { span } else { 1.0 };
    let mut s = String::new();
    let _ = write!(s, r#"<svg class="strip" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#, esc(title));
    let _ = write!(s, r##"<line x1="{left}" y1="17" x2="{}" y2="17" stroke="#bbb"/>"##, w - left);
    for t in times {
        let x = left + (w - 2.0 * left) * (t / span).clamp(0.0, 1.0);
        let _ = write!(s, r##"<line x1="{x:.2}" y1="6" x2="{x:.2}" y2="28" stroke="#c0392b" stroke-width="1.2"/>"##);
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_from_the_capture() {
        let s = bars(&[("<script>alert(1)</script>\"'&".into(), 3.0)], "", "t");
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
        assert_eq!(esc("a\u{1}b"), "a\u{fffd}b");
    }

    #[test]
    fn units() {
        assert_eq!(human(999.0, "B"), "999 B");
        assert_eq!(human(1536.0, "B"), "1.5 kB");
        assert_eq!(human(2.5e9, ""), "2.5 G");
        assert_eq!(duration(90.0), "90s");
        assert_eq!(duration(3600.0), "60.0min");
    }
}
