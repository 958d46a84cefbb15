//! Writers: tshark's credentials table, the credential list (TSV, CSV, JSON) and the hashcat
//! files.

use crate::run::{Endpoint, Found, Results};
use pcaptk_dissect::tap::SecretKind;
use std::io::{self, Write};
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Tsv,
    Csv,
    Json,
}

const RULE: &str = "===================================================================\n";

/// tshark 4.0's `-z credentials` table (`%-10u %-16s %-16s %-16s`, padding counted in bytes,
/// a missing username printed as glibc prints a NULL string).
pub fn tshark_table(r: &Results, out: &mut impl Write) -> io::Result<()> {
    out.write_all(RULE.as_bytes())?;
    out.write_all(b"Packet     Protocol         Username         Info            \n")?;
    out.write_all(b"------     --------         --------         --------\n")?;
    for (frame, row) in &r.tshark {
        write!(out, "{:<10} {:<16} ", frame, row.proto)?;
        let user = row.username.as_deref().unwrap_or(b"(null)");
        out.write_all(user)?;
        pad(out, user.len(), 16)?;
        out.write_all(b" ")?;
        let info = row.info.as_deref().unwrap_or("");
        out.write_all(info.as_bytes())?;
        pad(out, info.len(), 16)?;
        out.write_all(b"\n")?;
    }
    out.write_all(RULE.as_bytes())
}

fn pad(out: &mut impl Write, len: usize, width: usize) -> io::Result<()> {
    for _ in len..width {
        out.write_all(b" ")?;
    }
    Ok(())
}

const COLUMNS: [&str; 10] = ["frame", "time", "protocol", "client", "server", "username", "domain", "secret", "kind", "hashcat"];

/// One row's values as text.
fn values(f: &Found, redact: bool) -> [String; 10] {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let secret = if redact {
        match f.cred.kind {
            SecretKind::Cleartext => "********".to_string(),
            SecretKind::Hash => "[hash redacted]".to_string(),
        }
    } else {
        text(&f.cred.secret)
    };
    [
        f.frame.to_string(),
        rfc3339(f.ts_ns),
        f.cred.protocol.to_string(),
        f.client.map(endpoint).unwrap_or_default(),
        f.server.map(endpoint).unwrap_or_default(),
        text(&f.cred.username),
        text(&f.cred.domain),
        secret,
        match f.cred.kind {
            SecretKind::Cleartext => "cleartext".into(),
            SecretKind::Hash => "hash".into(),
        },
        f.cred.hashcat.map(|m| m.to_string()).unwrap_or_default(),
    ]
}

/// The credential list.
pub fn list(r: &Results, format: Format, redact: bool, out: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Tsv => {
            writeln!(out, "{}", COLUMNS.join("\t"))?;
            for f in &r.found {
                let v = values(f, redact);
                let cells: Vec<String> = v.iter().map(|s| tsv_escape(s)).collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
        }
        Format::Csv => {
            writeln!(out, "{}", COLUMNS.join(","))?;
            for f in &r.found {
                let v = values(f, redact);
                let cells: Vec<String> = v.iter().map(|s| csv_escape(s)).collect();
                write!(out, "{}\r\n", cells.join(","))?;
            }
        }
        Format::Json => {
            out.write_all(b"[")?;
            for (i, f) in r.found.iter().enumerate() {
                let v = values(f, redact);
                out.write_all(if i == 0 { b"\n  {" } else { b",\n  {" })?;
                for (k, (name, value)) in COLUMNS.iter().zip(v.iter()).enumerate() {
                    if k > 0 {
                        out.write_all(b", ")?;
                    }
                    // Numbers stay numbers; an absent hashcat mode is null.
                    let numeric = (*name == "frame" || *name == "hashcat") && !value.is_empty();
                    if numeric {
                        write!(out, "\"{}\": {}", name, value)?;
                    } else if *name == "hashcat" {
                        write!(out, "\"{}\": null", name)?;
                    } else {
                        write!(out, "\"{}\": {}", name, json_string(value))?;
                    }
                }
                out.write_all(b"}")?;
            }
            out.write_all(if r.found.is_empty() { b"]\n" } else { b"\n]\n" })?;
        }
    }
    Ok(())
}

/// Writes `DIR/MODE.txt` for every hashcat mode found (each line once). Files are opened
/// without following symbolic links, so nothing is written outside `dir`.
pub fn hashcat_files(r: &Results, dir: &Path) -> io::Result<Vec<(u32, usize)>> {
    use std::collections::BTreeMap;
    let mut by_mode: BTreeMap<u32, Vec<&[u8]>> = BTreeMap::new();
    for f in &r.found {
        if let (SecretKind::Hash, Some(m)) = (f.cred.kind, f.cred.hashcat) {
            let lines = by_mode.entry(m).or_default();
            if !lines.contains(&f.cred.secret.as_slice()) {
                lines.push(&f.cred.secret);
            }
        }
    }
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (mode, lines) in by_mode {
        let path = dir.join(format!("{}.txt", mode));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.custom_flags(libc_o_nofollow());
        }
        let mut file = io::BufWriter::new(opts.open(&path)?);
        for l in &lines {
            file.write_all(l)?;
            file.write_all(b"\n")?;
        }
        file.flush()?;
        written.push((mode, lines.len()));
    }
    Ok(written)
}

#[cfg(unix)]
fn libc_o_nofollow() -> i32 {
    // O_NOFOLLOW: 0o400000 on Linux (x86, ARM); other Unixes differ.
    #[cfg(target_os = "linux")]
    {
        0o400000
    }
    #[cfg(not(target_os = "linux"))]
    {
        0x100
    }
}

fn endpoint(e: Endpoint) -> String {
    match e.addr.family {
        4 => {
            let b = &e.addr.bytes;
            format!("{}.{}.{}.{}:{}", b[0], b[1], b[2], b[3], e.port)
        }
        6 => format!("[{}]:{}", std::net::Ipv6Addr::from(e.addr.bytes), e.port),
        _ => String::new(),
    }
}

/// UTC, RFC 3339 with nanoseconds.
pub fn rfc3339(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let (y, m, d) = pcaptk_dissect::time::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", y, m, d, t / 3600, t / 60 % 60, t % 60, frac)
}

/// TSV cells: backslash, tab, CR and LF (and other control characters) escaped.
fn tsv_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\t' => o.push_str("\\t"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => o.push_str(&format!("\\x{:02x}", c as u32)),
            c => o.push(c),
        }
    }
    o
}

/// RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
fn csv_escape(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn json_string(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_time() {
        assert_eq!(tsv_escape("a\tb\\"), "a\\tb\\\\");
        assert_eq!(csv_escape("a,b\"c"), "\"a,b\"\"c\"");
        assert_eq!(json_string("a\"\u{1}"), "\"a\\\"\\u0001\"");
        assert_eq!(rfc3339(1_700_000_000_123_456_789), "2023-11-14T22:13:20.123456789Z");
    }
}
