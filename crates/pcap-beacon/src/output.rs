//! Writers: one row per candidate as TSV (default), CSV or JSON; the seed's variance rows; and
//! the `--explain` text for one candidate.

use crate::candidate::{Candidate, Kind};
use crate::names::Source;
use crate::stats::quartiles;
use crate::variance::{python_repr, Row};
use std::fmt::Write as _;
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Tsv,
    Csv,
    Json,
}

/// Columns of the candidate table, in order.
pub const COLUMNS: [&str; 22] = [
    "score",
    "severity",
    "ts_score",
    "ds_score",
    "hist_score",
    "dur_score",
    "type",
    "src",
    "dst",
    "ports",
    "name",
    "name_source",
    "connections",
    "mean_interval",
    "median_interval",
    "mode_interval",
    "jitter",
    "bytes",
    "orig_bytes",
    "resp_bytes",
    "median_orig_bytes",
    "strobe",
];

/// Variance rows' columns, the seed script's keys.
pub const VARIANCE_COLUMNS: [&str; 6] = ["src", "dst", "port", "avg_interval", "variance", "connection_count"];

/// A JSON-or-text cell.
enum Cell {
    Num(String),
    Text(String),
    Null,
}

fn proto_name(p: u8) -> String {
    match p {
        6 => "tcp".into(),
        17 => "udp".into(),
        1 => "icmp".into(),
        n => n.to_string(),
    }
}

pub fn source_name(s: Option<Source>) -> &'static str {
    match s {
        Some(Source::Sni) => "sni",
        Some(Source::HttpHost) => "http_host",
        Some(Source::Dns) => "dns",
        None => "",
    }
}

fn dst_text(c: &Candidate) -> String {
    let mut s = c.dsts.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",");
    if c.dst_count > c.dsts.len() {
        let _ = write!(s, ",+{}", c.dst_count - c.dsts.len());
    }
    s
}

fn ports_text(c: &Candidate) -> String {
    c.ports.iter().map(|(p, port)| format!("{}/{}", port, proto_name(*p))).collect::<Vec<_>>().join(",")
}

fn f3(v: f64) -> String {
    format!("{:.3}", v)
}

fn cells(c: &Candidate) -> Vec<Cell> {
    let s = c.scores.as_ref();
    let num = |v: Option<f64>| v.map_or(Cell::Null, |v| Cell::Num(f3(v)));
    vec![
        num(s.map(|s| s.score)),
        Cell::Text(s.map_or(if c.strobe { "high" } else { "" }, |s| s.severity.name()).to_string()),
        num(s.map(|s| s.ts.stat.score)),
        num(s.map(|s| s.ds.score)),
        num(s.map(|s| s.hist.score)),
        num(s.map(|s| s.dur)),
        Cell::Text(if c.kind == Kind::Name { "name" } else { "ip" }.into()),
        Cell::Text(c.src.to_string()),
        Cell::Text(dst_text(c)),
        Cell::Text(ports_text(c)),
        Cell::Text(c.name.clone().unwrap_or_default()),
        Cell::Text(source_name(c.name_source).into()),
        Cell::Num(c.count.to_string()),
        Cell::Num(f3(c.mean_interval)),
        Cell::Num(f3(c.median_interval)),
        Cell::Num(c.mode_interval.to_string()),
        Cell::Num(f3(c.jitter)),
        Cell::Num(c.orig_bytes.saturating_add(c.resp_bytes).to_string()),
        Cell::Num(c.orig_bytes.to_string()),
        Cell::Num(c.resp_bytes.to_string()),
        Cell::Num(format!("{}", c.median_orig_bytes)),
        Cell::Text(if c.strobe { "yes" } else { "no" }.into()),
    ]
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn csv_field(s: &str, out: &mut String) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// TSV cells never hold tabs or line breaks (names are printed with them replaced).
fn tsv_field(s: &str, out: &mut String) {
    out.extend(s.chars().map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c }));
}

fn table(header: &[&str], rows: Vec<Vec<Cell>>, format: Format, w: &mut impl Write) -> io::Result<()> {
    let mut out = String::new();
    match format {
        Format::Json => {
            out.push('[');
            for (i, row) in rows.iter().enumerate() {
                out.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
                for (j, (k, v)) in header.iter().zip(row).enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    json_string(k, &mut out);
                    out.push_str(": ");
                    match v {
                        Cell::Num(n) => out.push_str(n),
                        Cell::Text(t) => json_string(t, &mut out),
                        Cell::Null => out.push_str("null"),
                    }
                }
                out.push('}');
            }
            out.push_str(if rows.is_empty() { "]\n" } else { "\n]\n" });
        }
        Format::Tsv | Format::Csv => {
            let (sep, field): (char, fn(&str, &mut String)) = if format == Format::Tsv { ('\t', tsv_field) } else { (',', csv_field) };
            out.push_str(&header.join(&sep.to_string()));
            out.push('\n');
            for row in &rows {
                for (j, v) in row.iter().enumerate() {
                    if j > 0 {
                        out.push(sep);
                    }
                    match v {
                        Cell::Num(n) | Cell::Text(n) => field(n, &mut out),
                        Cell::Null => {}
                    }
                }
                out.push('\n');
            }
        }
    }
    w.write_all(out.as_bytes())
}

/// The candidate table.
pub fn candidates(list: &[&Candidate], format: Format, w: &mut impl Write) -> io::Result<()> {
    table(&COLUMNS, list.iter().map(|c| cells(c)).collect(), format, w)
}

/// The seed script's rows (its JSON keys; floats as Python prints them).
pub fn variance_rows(rows: &[Row], format: Format, w: &mut impl Write) -> io::Result<()> {
    let cells = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.key.src.to_string()),
                Cell::Text(r.key.dst.to_string()),
                Cell::Num(r.key.port.to_string()),
                Cell::Num(python_repr(r.avg_interval)),
                Cell::Num(python_repr(r.variance)),
                Cell::Num(r.connection_count.to_string()),
            ]
        })
        .collect();
    table(&VARIANCE_COLUMNS, cells, format, w)
}

/// `YYYY-MM-DD HH:MM:SS` UTC of seconds since the epoch.
pub fn utc(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Why a candidate scored what it did, sub-score by sub-score.
pub fn explain(c: &Candidate, rank: usize, total: usize) -> String {
    let mut o = String::new();
    let what = match (&c.kind, &c.name) {
        (Kind::Name, Some(n)) => format!("name beacon {} -> {} (name from {})", c.src, n, source_name(c.name_source)),
        _ => format!("IP beacon {} -> {}", c.src, dst_text(c)),
    };
    let _ = writeln!(o, "Candidate {} of {}: {}", rank, total, what);
    let _ = writeln!(o, "  destinations: {}; ports: {}", dst_text(c), ports_text(c));
    let (first, last) = (c.starts.first().copied().unwrap_or(0), c.starts.last().copied().unwrap_or(0));
    let _ = writeln!(
        o,
        "  connections: {} ({} distinct start seconds), first {}, last {} UTC",
        c.count,
        c.unique_ts,
        utc(first.div_euclid(1_000_000_000)),
        utc(last.div_euclid(1_000_000_000))
    );
    let _ = writeln!(
        o,
        "  intervals: mean {:.3} s, median {:.3} s, most frequent {} s; jitter (MAD/median) {:.3}",
        c.mean_interval, c.median_interval, c.mode_interval, c.jitter
    );
    let _ = writeln!(
        o,
        "  bytes: {} sent, {} received; median sent per connection {}",
        c.orig_bytes, c.resp_bytes, c.median_orig_bytes
    );
    if c.strobe {
        let _ = writeln!(o, "  strobe: {} connections (86,400 or more: one a second over a day); RITA does not score strobes as beacons", c.count);
        return o;
    }
    let Some(s) = &c.scores else {
        let _ = writeln!(o, "  not scored: RITA's scores need at least 4 distinct start seconds and 3 non-zero gaps");
        return o;
    };
    let _ = writeln!(
        o,
        "Score {:.3} ({}; RITA threat score {:.3}) = 0.25 x timestamp {:.3} + 0.25 x data size {:.3} + 0.25 x duration {:.3} + 0.25 x histogram {:.3}",
        s.score,
        s.severity.name(),
        s.threat,
        s.ts.stat.score,
        s.ds.score,
        s.dur,
        s.hist.score
    );
    let mut ts: Vec<f64> = c.starts.iter().map(|n| n.div_euclid(1_000_000_000) as f64).collect();
    ts.dedup();
    let mut gaps: Vec<f64> = ts.windows(2).map(|w| w[1] - w[0]).filter(|g| *g > 0.0).collect();
    gaps.sort_by(f64::total_cmp);
    let q = quartiles(&gaps).unwrap_or_default();
    let _ = writeln!(
        o,
        "  timestamp {:.3}: non-zero gaps in whole seconds: Q1 {} median {} Q3 {}; Bowley skewness {:.3} (counted only when Q3-Q1 >= 10 and the median differs from both) -> {:.3}; MAD {} -> {:.3}; mean of the two, rounded",
        s.ts.stat.score,
        q.0,
        q.1,
        q.2,
        s.ts.stat.skew,
        1.0 - s.ts.stat.skew.abs(),
        s.ts.stat.mad,
        if s.ts.median >= 1.0 { (s.ts.median - s.ts.stat.mad) / s.ts.median } else { 1.0 }.max(0.0)
    );
    let mut top = s.ts.intervals.values.clone();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let tops: Vec<String> = top.iter().take(5).map(|(v, n)| format!("{} s x{}", v, n)).collect();
    let _ = writeln!(o, "    most frequent gaps: {}", tops.join(", "));
    let _ = writeln!(
        o,
        "  data size {:.3}: bytes sent per connection, median {}; Bowley skewness {:.3}; MAD {} -> {:.3}",
        s.ds.score,
        c.median_orig_bytes,
        s.ds.skew,
        s.ds.mad,
        if c.median_orig_bytes >= 1.0 { ((c.median_orig_bytes - s.ds.mad) / c.median_orig_bytes).max(0.0) } else { 0.0 }
    );
    let width = (c.window.1 - c.window.0) as f64 / f64::from(s.bins);
    let _ = writeln!(
        o,
        "  histogram {:.3}: {} bins of {:.0} s over {} .. {} UTC; {} non-empty; 1 - CV {:.3}, bimodal fit {:.3}; the larger",
        s.hist.score,
        s.bins,
        width,
        utc(c.window.0),
        utc(c.window.1),
        s.hist.total_bars,
        s.hist.cv_score,
        s.hist.bimodal_score
    );
    let _ = writeln!(o, "    connections per bin: {}", s.hist.hist.iter().map(u32::to_string).collect::<Vec<_>>().join(" "));
    let _ = writeln!(
        o,
        "  duration {:.3}: coverage {:.3} (first to last connection over the window), consistency {:.3} (longest run of non-empty bins {}, wrapping); the larger, 0 when fewer bins than the minimum are non-empty",
        s.dur, s.coverage, s.consistency, s.hist.longest_run
    );
    o
}
