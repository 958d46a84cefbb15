//! tshark 4.0's text tables (`ui/cli/tap-iousers.c`, `tap-endpoints.c`,
//! `tap-protohierstat.c`), byte for byte, as printed with `-n`.

use crate::phs::Phs;
use crate::spec::Table;
use crate::table::{ConvTable, End, EndpointTable};
use std::fmt::Write as _;

const RULE80: &str = "================================================================================\n";
const RULE67: &str = "===================================================================\n";

/// Wireshark's `format_size(n, FORMAT_SIZE_UNIT_BYTES, 0)`: SI units, truncated.
pub fn format_size(n: u64) -> String {
    let n = n as i64;
    let p = 1000i64;
    if n / p / p / p / p >= 10 {
        format!("{} TB", n / p / p / p / p)
    } else if n / p / p / p >= 10 {
        format!("{} GB", n / p / p / p)
    } else if n / p / p >= 10 {
        format!("{} MB", n / p / p)
    } else if n / p >= 10 {
        format!("{} kB", n / p)
    } else {
        format!("{} bytes", n)
    }
}

/// Wireshark's `nstime_to_sec` of a time held as nanoseconds.
pub fn secs(ns: i64) -> f64 {
    (ns / 1_000_000_000) as f64 + (ns % 1_000_000_000) as f64 / 1e9
}

fn end_text(table: Table, e: &End) -> String {
    let mut s = String::new();
    e.addr.write(&mut s);
    if table.has_ports() {
        s.push(':');
        s.push_str(itoa::Buffer::new().format(e.port));
    }
    s
}

fn filter_line(out: &mut String, filter: Option<&str>) {
    out.push_str("Filter:");
    out.push_str(filter.unwrap_or("<No Filter>"));
    out.push('\n');
}

/// `-z conv,TYPE` (default `-t r` time format).
pub fn conv(out: &mut String, table: Table, filter: Option<&str>, t: &ConvTable) {
    out.push_str(RULE80);
    let _ = writeln!(out, "{} Conversations", table.title());
    filter_line(out, filter);
    let pad = if table.has_ports() { "            " } else { "" };
    let _ = writeln!(
        out,
        "{}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |",
        pad
    );
    let _ = writeln!(
        out,
        "{}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |",
        pad
    );
    for c in t.sorted() {
        let (a, b) = (end_text(table, &c.a), end_text(table, &c.b));
        if table.has_ports() {
            let _ = write!(out, "{:<26} <-> {:<26}", a, b);
        } else {
            let _ = write!(out, "{:<20} <-> {:<20}", a, b);
        }
        let _ = write!(
            out,
            "  {:>6} {:<9}  {:>6} {:<9}  {:>6} {:<9}  ",
            c.rx_frames,
            format_size(c.rx_bytes),
            c.tx_frames,
            format_size(c.tx_bytes),
            c.frames(),
            format_size(c.bytes())
        );
        let _ = writeln!(out, "{:>14.9}   {:>12.4}", secs(c.start), secs(c.stop) - secs(c.start));
    }
    out.push_str(RULE80);
}

/// `-z endpoints,TYPE`.
pub fn endpoints(out: &mut String, table: Table, filter: Option<&str>, t: &EndpointTable) {
    out.push_str(RULE80);
    let _ = writeln!(out, "{} Endpoints", table.title());
    filter_line(out, filter);
    let _ = writeln!(
        out,
        "                       |  {}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |",
        if table.has_ports() { "Port  ||  " } else { "" }
    );
    for e in t.sorted() {
        let _ = write!(out, "{:<20}      ", e.end.addr.to_text());
        if table.has_ports() {
            let _ = write!(out, "{:>5}     ", e.end.port);
        }
        let _ = writeln!(
            out,
            "{:>6}     {:>9}     {:>6}       {:>9}      {:>6}       {:>9}   ",
            e.frames(),
            e.bytes(),
            e.tx_frames,
            e.tx_bytes,
            e.rx_frames,
            e.rx_bytes
        );
    }
    out.push_str(RULE80);
}

/// `-z io,phs`.
pub fn phs(out: &mut String, filter: Option<&str>, p: &Phs) {
    out.push('\n');
    out.push_str(RULE67);
    out.push_str("Protocol Hierarchy Statistics\n");
    let _ = write!(out, "Filter: {}\n\n", filter.unwrap_or(""));
    p.walk(|n, depth| {
        // tshark builds the name in an 80-byte buffer: two spaces a level, "..." past 16.
        let mut name = String::new();
        for i in 0..depth {
            if i > 15 {
                name.push_str("...");
                break;
            }
            name.push_str("  ");
        }
        name.push_str(&n.name);
        if name.len() > 79 {
            let mut cut = 79;
            while !name.is_char_boundary(cut) {
                cut -= 1;
            }
            name.truncate(cut);
        }
        let _ = writeln!(out, "{:<40} frames:{} bytes:{}", name, n.frames as u32, n.bytes);
    });
    out.push_str(RULE67);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_truncate_in_si_units() {
        assert_eq!(format_size(9999), "9999 bytes");
        assert_eq!(format_size(10000), "10 kB");
        assert_eq!(format_size(14648), "14 kB");
        assert_eq!(format_size(3_000_000), "3000 kB");
        assert_eq!(format_size(708_032_704), "708 MB");
        assert_eq!(format_size(12_000_000_000_000), "12 TB");
    }

    #[test]
    fn seconds_like_nstime_to_sec() {
        assert_eq!(format!("{:>14.9}", secs(426_900_000)), "   0.426900000");
        assert_eq!(format!("{:>14.9}", secs(-52_000)), "  -0.000052000");
        assert_eq!(format!("{:>12.4}", secs(31_250_000)), "      0.0312");
    }
}
