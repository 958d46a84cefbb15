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
use std::io::{self, Write};

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

/// Seconds with 9 decimals from nanoseconds, without going through floating point.
pub fn write_secs(out: &mut String, ns: i64) {
    if ns < 0 {
        out.push('-');
    }
    let a = ns.unsigned_abs();
    let _ = write!(out, "{}.{:09}", a / 1_000_000_000, a % 1_000_000_000);
}

/// Writes the whole output in the chosen format, in chunks (an io,stat table can be long).
pub fn render<W: Write>(res: &Results, format: Format, w: &mut W) -> io::Result<()> {
    let mut out = String::with_capacity(1 << 16);
    let mut flush = |out: &mut String| -> io::Result<()> {
        w.write_all(out.as_bytes())?;
        out.clear();
        Ok(())
    };
    match format {
        Format::Text => {
            // tshark prints its tables in reverse command-line order.
            for s in res.stats.iter().rev() {
                render_text(&mut out, s, res, &mut flush)?;
            }
        }
        Format::Tsv | Format::Csv => {
            let sep = if format == Format::Tsv { '\t' } else { ',' };
            for (i, s) in res.stats.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&columns(s).join(&sep.to_string()));
                out.push('\n');
                let mut cell = String::new();
                rows(s, res, &mut |r: &[Cell]| {
                    delimited_row(&mut out, &mut cell, r, sep);
                    if out.len() >= 1 << 16 {
                        flush(&mut out)?;
                    }
                    Ok(())
                })?;
            }
        }
        Format::Json => {
            out.push('[');
            for (i, s) in res.stats.iter().enumerate() {
                out.push_str(if i > 0 { ",\n  {" } else { "\n  {" });
                out.push_str("\"stat\": ");
                json_str(&mut out, &stat_name(s));
                out.push_str(", \"filter\": ");
                match &s.stat.filter {
                    Some(f) => json_str(&mut out, f),
                    None => out.push_str("null"),
                }
                out.push_str(", \"rows\": [");
                let names = columns(s);
                let mut n = 0u64;
                rows(s, res, &mut |r: &[Cell]| {
                    out.push_str(if n > 0 { ",\n    " } else { "\n    " });
                    json_row(&mut out, &names, r);
                    n += 1;
                    if out.len() >= 1 << 16 {
                        flush(&mut out)?;
                    }
                    Ok(())
                })?;
                out.push_str(if n == 0 { "]}" } else { "\n  ]}" });
            }
            out.push_str(if res.stats.is_empty() { "]\n" } else { "\n]\n" });
        }
    }
    flush(&mut out)
}

fn render_text(out: &mut String, s: &StatRun, res: &Results, flush: &mut dyn FnMut(&mut String) -> io::Result<()>) -> io::Result<()> {
    let filter = s.stat.filter.as_deref();
    match (&s.acc, &s.stat.kind) {
        (Acc::Conv(t), Kind::Conv(table)) => text::conv(out, *table, filter, t),
        (Acc::Endpoints(t), Kind::Endpoints(table)) => text::endpoints(out, *table, filter, t),
        (Acc::Phs(p), _) => text::phs(out, filter, p),
        (Acc::IoStat(cols, _), Kind::IoStat(spec)) => iostat::draw(out, spec, cols, res.duration_us, flush)?,
        _ => {}
    }
    flush(out)
}

/// The `-z` statistic's name as the machine-readable output gives it (`conv,tcp`, `io,phs`).
pub fn stat_name(s: &StatRun) -> String {
    match &s.stat.kind {
        Kind::Conv(t) => format!("conv,{}", t.name()),
        Kind::Endpoints(t) => format!("endpoints,{}", t.name()),
        Kind::Phs => "io,phs".to_string(),
        Kind::IoStat(_) => "io,stat".to_string(),
    }
}

/// The machine-readable columns of a statistic.
pub fn columns(s: &StatRun) -> Vec<&'static str> {
    match &s.stat.kind {
        Kind::Conv(table) => {
            let mut cols = if table.has_ports() {
                vec!["address_a", "port_a", "address_b", "port_b", "stream"]
            } else {
                vec!["address_a", "address_b"]
            };
            cols.extend(["frames_a_to_b", "bytes_a_to_b", "frames_b_to_a", "bytes_b_to_a", "frames", "bytes", "rel_start", "duration"]);
            cols
        }
        Kind::Endpoints(table) => {
            let mut cols = if table.has_ports() { vec!["address", "port"] } else { vec!["address"] };
            cols.extend(["frames", "bytes", "tx_frames", "tx_bytes", "rx_frames", "rx_bytes"]);
            cols
        }
        Kind::Phs => vec!["path", "depth", "protocol", "frames", "bytes"],
        Kind::IoStat(_) => vec!["column", "filter", "start", "end", "frames", "bytes"],
    }
}

fn end_cells(row: &mut Vec<Cell>, table: Table, addr: &crate::table::Addr, port: u16) {
    row.push(Cell::Str(addr.to_text()));
    if table.has_ports() {
        row.push(Cell::Int(port as u64));
    }
}

/// Calls `f` with each row of raw values of a statistic, in tshark's order.
pub fn rows(s: &StatRun, res: &Results, f: &mut dyn FnMut(&[Cell]) -> io::Result<()>) -> io::Result<()> {
    let mut r: Vec<Cell> = Vec::with_capacity(16);
    match (&s.acc, &s.stat.kind) {
        (Acc::Conv(t), Kind::Conv(table)) => {
            for c in t.sorted() {
                r.clear();
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
                f(&r)?;
            }
        }
        (Acc::Endpoints(t), Kind::Endpoints(table)) => {
            for e in t.sorted() {
                r.clear();
                end_cells(&mut r, *table, &e.end.addr, e.end.port);
                r.extend([
                    Cell::Int(e.frames()),
                    Cell::Int(e.bytes()),
                    Cell::Int(e.tx_frames),
                    Cell::Int(e.tx_bytes),
                    Cell::Int(e.rx_frames),
                    Cell::Int(e.rx_bytes),
                ]);
                f(&r)?;
            }
        }
        (Acc::Phs(p), _) => {
            let mut chain: Vec<String> = Vec::new();
            let mut all = Vec::new();
            p.walk(|n, depth| {
                chain.truncate(depth);
                chain.push(n.name.clone());
                all.push(vec![Cell::Str(chain.join(":")), Cell::Int(depth as u64), Cell::Str(n.name.clone()), Cell::Int(n.frames), Cell::Int(n.bytes)]);
            });
            for row in all {
                f(&row)?;
            }
        }
        (Acc::IoStat(cols, _), Kind::IoStat(spec)) => {
            iostat::for_each_row(spec, cols, res.duration_us, |start, end, values| {
                for (j, (frames, bytes)) in values.iter().enumerate() {
                    r.clear();
                    r.push(Cell::Int(j as u64 + 1));
                    r.push(spec.columns.get(j).cloned().flatten().map_or(Cell::Null, Cell::Str));
                    r.extend([Cell::Secs(start as i64 * 1000), Cell::Secs(end as i64 * 1000), Cell::Int(*frames), Cell::Int(*bytes)]);
                    f(&r)?;
                }
                Ok::<(), io::Error>(())
            })?;
        }
        _ => {}
    }
    Ok(())
}

fn cell_text(out: &mut String, c: &Cell) {
    match c {
        Cell::Str(s) => out.push_str(s),
        Cell::Int(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Cell::Secs(ns) => write_secs(out, *ns),
        Cell::Null => {}
    }
}

/// One TSV or CSV line. CSV quotes a value holding a comma, a quote or a line break
/// (RFC 4180); TSV replaces tabs and line breaks in text with spaces.
fn delimited_row(out: &mut String, cell: &mut String, r: &[Cell], sep: char) {
    for (i, c) in r.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        cell.clear();
        cell_text(cell, c);
        if sep == ',' && cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else if sep == '\t' {
            out.push_str(&cell.replace(['\t', '\n', '\r'], " "));
        } else {
            out.push_str(cell);
        }
    }
    out.push('\n');
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

/// One JSON row object: `{"column": value, …}`.
fn json_row(out: &mut String, names: &[&str], r: &[Cell]) {
    out.push('{');
    for (j, (name, c)) in names.iter().zip(r).enumerate() {
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
        let r = [Cell::Str("1,2".into()), Cell::Int(3), Cell::Str("a\"b".into()), Cell::Null];
        let (mut s, mut cell) = (String::new(), String::new());
        delimited_row(&mut s, &mut cell, &r, ',');
        assert_eq!(s, "\"1,2\",3,\"a\"\"b\",\n");
        let mut j = String::new();
        json_row(&mut j, &["x", "y", "z", "w"], &r);
        assert_eq!(j, "{\"x\": \"1,2\", \"y\": 3, \"z\": \"a\\\"b\", \"w\": null}");
    }
}
