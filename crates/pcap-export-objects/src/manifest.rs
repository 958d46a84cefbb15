//! The manifest: one row per exported object, as TSV or JSON.

use crate::sink::Written;
use std::io::{self, Write};

pub const COLUMNS: [&str; 12] =
    ["frame", "protocol", "src", "dst", "host", "content_type", "size", "expected", "complete", "sha256", "md5", "file"];

/// `yes`, `no`, or the percentage of an announced length that came in.
pub fn completeness(w: &Written) -> String {
    match w.expected {
        Some(len) if len > 0 => {
            let pct = (w.gathered.min(len) as f64) * 100.0 / len as f64;
            if w.gathered >= len && !w.capped {
                "yes".to_string()
            } else {
                format!("{:.2}%", pct)
            }
        }
        _ if w.capped || w.failed => "no".to_string(),
        _ => "yes".to_string(),
    }
}

fn cells(w: &Written) -> [String; 12] {
    let s = |v: &Option<Vec<u8>>| v.as_deref().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
    [
        w.frame.to_string(),
        w.proto.name().to_string(),
        w.src.clone(),
        w.dst.clone(),
        s(&w.host),
        s(&w.content_type),
        w.size.to_string(),
        w.expected.map(|e| e.to_string()).unwrap_or_default(),
        completeness(w),
        w.sha256.clone().unwrap_or_default(),
        w.md5.clone().unwrap_or_default(),
        String::from_utf8_lossy(&w.name).into_owned(),
    ]
}

/// TSV: a header line, then one row per object; tabs and newlines in values become spaces.
pub fn write_tsv(rows: &[&Written], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", COLUMNS.join("\t"))?;
    for w in rows {
        let c = cells(w).map(|v| v.replace(['\t', '\n', '\r'], " "));
        writeln!(out, "{}", c.join("\t"))?;
    }
    Ok(())
}

/// JSON: an array of objects with the TSV's columns (frame, size and expected as numbers).
pub fn write_json(rows: &[&Written], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "[")?;
    for (i, w) in rows.iter().enumerate() {
        let c = cells(w);
        let mut line = String::from("  {");
        for (j, (k, v)) in COLUMNS.iter().zip(c.iter()).enumerate() {
            if j > 0 {
                line.push_str(", ");
            }
            line.push_str(&json_str(k));
            line.push_str(": ");
            let numeric = matches!(*k, "frame" | "size") || (*k == "expected" && !v.is_empty());
            if numeric {
                line.push_str(v);
            } else if *k == "expected" {
                line.push_str("null");
            } else {
                line.push_str(&json_str(v));
            }
        }
        line.push('}');
        if i + 1 < rows.len() {
            line.push(',');
        }
        writeln!(out, "{}", line)?;
    }
    writeln!(out, "]")
}

fn json_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}
