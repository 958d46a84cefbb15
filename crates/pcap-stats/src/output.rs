//! Writing the statistics: tshark's text (default) or one row per conversation, endpoint,
//! protocol or interval as TSV, CSV or JSON, with raw numbers (bytes and frames as integers,
//! times in seconds).
//!
//! Machine-readable columns (`--format tsv|csv|json`):
//!
//! | statistic | columns |
//! |---|---|
//! | `conv,eth/ip/ipv6` | address_a address_b frames_a_to_b bytes_a_to_b frames_b_to_a bytes_b_to_a frames bytes rel_start duration |
//! | `conv,tcp/udp` | address_a port_a address_b port_b stream frames_a_to_b … duration (as above) |
//! | `endpoints,eth/ip/ipv6` | address frames bytes tx_frames tx_bytes rx_frames rx_bytes |
//! | `endpoints,tcp/udp` | address port frames bytes tx_frames tx_bytes rx_frames rx_bytes |
//! | `io,phs` | path depth protocol frames bytes |
//! | `io,stat` | column filter start end frames bytes |
//!
//! A is the side that sent the conversation's first packet; `stream` is `tcp.stream` /
//! `udp.stream`; `rel_start` is seconds since the capture's first packet, `duration` seconds
//! from the conversation's first packet to its last (both with 9 decimals); `path` is the
//! protocol's chain from the top, `eth:ip:tcp`. Rows come in tshark's order.

use crate::iostat;
use crate::run::{Acc, Results, StatRun};
use crate::spec::{Kind, Table};
use crate::text;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Tsv,
    Csv,
    Json,
}

/// A cell of a machine-readable row.
pub enum Cell {
    Str(String),
    Int(u64),
    /// Seconds, held as nanoseconds and written with 9 decimals.
    Secs(i64),
    Null,
}

/// One statistic as a machine-readable table.
pub struct MTable {
    /// The `-z` statistic name (`conv,tcp`, `io,phs`, …).
    pub stat: String,
    pub filter: Option<String>,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Seconds with 9 decimals from nanoseconds, without going through floating point.
pub fn write_secs(out: &mut String, ns: i64) {
    if ns < 0 {
        out.push('-');
    }
    let a = ns.unsigned_abs();
    let _ = write!(out, "{}.{:09}", a / 1_000_000_000, a % 1_000_000_000);
}

/// The whole output in the chosen format.
pub fn render(res: &Results, format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Text => {
            // tshark prints its tables in reverse command-line order.
            for s in res.stats.iter().rev() {
                render_text(&mut out, s, res);
            }
        }
        Format::Tsv | Format::Csv => {
            let sep = if format == Format::Tsv { '\t' } else { ',' };
            for (i, s) in res.stats.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let t = machine(s, res);
                delimited(&mut out, &t, sep);
            }
        }
        Format::Json => {
            let tables: Vec<MTable> = res.stats.iter().map(|s| machine(s, res)).collect();
            json(&mut out, &tables);
        }
    }
    out
}

fn render_text(out: &mut String, s: &StatRun, res: &Results) {
    let filter = s.stat.filter.as_deref();
    match (&s.acc, &s.stat.kind) {
        (Acc::Conv(t), Kind::Conv(table)) => text::conv(out, *table, filter, t),
        (Acc::Endpoints(t), Kind::Endpoints(table)) => text::endpoints(out, *table, filter, t),
        (Acc::Phs(p), _) => text::phs(out, filter, p),
        (Acc::IoStat(cols, _), Kind::IoStat(spec)) => iostat::draw(out, spec, cols, res.duration_us),
        _ => {}
    }
}

fn end_cells(row: &mut Vec<Cell>, table: Table, addr: &crate::table::Addr, port: u16) {
    row.push(Cell::Str(addr.to_text()));
    if table.has_ports() {
        row.push(Cell::Int(port as u64));
    }
}

/// A statistic as rows of raw values.
pub fn machine(s: &StatRun, res: &Results) -> MTable {
    let mut rows = Vec::new();
    let (stat, columns): (String, Vec<&'static str>) = match (&s.acc, &s.stat.kind) {
        (Acc::Conv(t), Kind::Conv(table)) => {
            let mut cols = if table.has_ports() {
                vec!["address_a", "port_a", "address_b", "port_b", "stream"]
            } else {
                vec!["address_a", "address_b"]
            };
            cols.extend(["frames_a_to_b", "bytes_a_to_b", "frames_b_to_a", "bytes_b_to_a", "frames", "bytes", "rel_start", "duration"]);
            for c in t.sorted() {
                let mut r = Vec::with_capacity(cols.len());
                end_cells(&mut r, *table, &c.a.addr, c.a.port);
                end_cells(&mut r, *table, &c.b.addr, c.b.port);
                if table.has_ports() {
                    r.push(Cell::Int(c.id as u64));
                }
                r.extend([
                    Cell::Int(c.tx_frames),
                    Cell::Int(c.tx_bytes),
                    Cell::Int(c.rx_frames),
                    Cell::Int(c.rx_bytes),
                    Cell::Int(c.frames()),
                    Cell::Int(c.bytes()),
                    Cell::Secs(c.start),
                    Cell::Secs(c.stop - c.start),
                ]);
                rows.push(r);
            }
            (format!("conv,{}", table.name()), cols)
        }
        (Acc::Endpoints(t), Kind::Endpoints(table)) => {
            let mut cols = if table.has_ports() { vec!["address", "port"] } else { vec!["address"] };
            cols.extend(["frames", "bytes", "tx_frames", "tx_bytes", "rx_frames", "rx_bytes"]);
            for e in t.sorted() {
                let mut r = Vec::with_capacity(cols.len());
                end_cells(&mut r, *table, &e.end.addr, e.end.port);
                r.extend([
                    Cell::Int(e.frames()),
                    Cell::Int(e.bytes()),
                    Cell::Int(e.tx_frames),
                    Cell::Int(e.tx_bytes),
                    Cell::Int(e.rx_frames),
                    Cell::Int(e.rx_bytes),
                ]);
                rows.push(r);
            }
            (format!("endpoints,{}", table.name()), cols)
        }
        (Acc::Phs(p), _) => {
            let mut chain: Vec<String> = Vec::new();
            p.walk(|n, depth| {
                chain.truncate(depth);
                chain.push(n.name.clone());
                rows.push(vec![
                    Cell::Str(chain.join(":")),
                    Cell::Int(depth as u64),
                    Cell::Str(n.name.clone()),
                    Cell::Int(n.frames),
                    Cell::Int(n.bytes),
                ]);
            });
            ("io,phs".to_string(), vec!["path", "depth", "protocol", "frames", "bytes"])
        }
        (Acc::IoStat(cols, _), Kind::IoStat(spec)) => {
            for (start, end, values) in iostat::rows(spec, cols, res.duration_us) {
                for (j, (frames, bytes)) in values.into_iter().enumerate() {
                    let f = spec.columns.get(j).cloned().flatten();
                    rows.push(vec![
                        Cell::Int(j as u64 + 1),
                        f.map_or(Cell::Null, Cell::Str),
                        Cell::Secs(start as i64 * 1000),
                        Cell::Secs(end as i64 * 1000),
                        Cell::Int(frames),
                        Cell::Int(bytes),
                    ]);
                }
            }
            ("io,stat".to_string(), vec!["column", "filter", "start", "end", "frames", "bytes"])
        }
        _ => (String::new(), Vec::new()),
    };
    MTable { stat, filter: s.stat.filter.clone(), columns, rows }
}

fn cell_text(out: &mut String, c: &Cell) {
    match c {
        Cell::Str(s) => out.push_str(s),
        Cell::Int(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Cell::Secs(ns) => write_secs(out, *ns),
        Cell::Null => {}
    }
}

/// TSV or CSV: a header line, then one line per row. CSV quotes a value holding a comma,
/// a quote or a line break (RFC 4180); TSV replaces tabs and line breaks in text with spaces.
fn delimited(out: &mut String, t: &MTable, sep: char) {
    out.push_str(&t.columns.join(&sep.to_string()));
    out.push('\n');
    let mut cell = String::new();
    for r in &t.rows {
        for (i, c) in r.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            cell.clear();
            cell_text(&mut cell, c);
            if sep == ',' && cell.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                out.push('"');
            } else if sep == '\t' {
                out.push_str(&cell.replace(['\t', '\n', '\r'], " "));
            } else {
                out.push_str(&cell);
            }
        }
        out.push('\n');
    }
}

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// JSON: an array with one object per statistic, `{"stat", "filter", "rows": [{column: value}]}`.
fn json(out: &mut String, tables: &[MTable]) {
    out.push('[');
    for (i, t) in tables.iter().enumerate() {
        out.push_str(if i > 0 { ",\n  {" } else { "\n  {" });
        out.push_str("\"stat\": ");
        json_str(out, &t.stat);
        out.push_str(", \"filter\": ");
        match &t.filter {
            Some(f) => json_str(out, f),
            None => out.push_str("null"),
        }
        out.push_str(", \"rows\": [");
        for (k, r) in t.rows.iter().enumerate() {
            out.push_str(if k > 0 { ",\n    {" } else { "\n    {" });
            for (j, (name, c)) in t.columns.iter().zip(r).enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                json_str(out, name);
                out.push_str(": ");
                match c {
                    Cell::Str(s) => json_str(out, s),
                    Cell::Null => out.push_str("null"),
                    c => cell_text(out, c),
                }
            }
            out.push('}');
        }
        out.push_str(if t.rows.is_empty() { "]}" } else { "\n  ]}" });
    }
    out.push_str(if tables.is_empty() { "]\n" } else { "\n]\n" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_without_floating_point() {
        let mut s = String::new();
        write_secs(&mut s, 1_500_000_001);
        s.push(' ');
        write_secs(&mut s, -52_000);
        assert_eq!(s, "1.500000001 -0.000052000");
    }

    #[test]
    fn csv_quotes_and_json_escapes() {
        let t = MTable {
            stat: "conv,ip".into(),
            filter: Some("a, \"b\"".into()),
            columns: vec!["x", "y"],
            rows: vec![vec![Cell::Str("1,2".into()), Cell::Int(3)]],
        };
        let mut s = String::new();
        delimited(&mut s, &t, ',');
        assert_eq!(s, "x,y\n\"1,2\",3\n");
        let mut j = String::new();
        json(&mut j, &[t]);
        assert!(j.contains("\"filter\": \"a, \\\"b\\\"\""));
        assert!(j.contains("{\"x\": \"1,2\", \"y\": 3}"));
    }
}
