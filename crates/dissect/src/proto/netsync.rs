//! Monotone Netsync (TCP port 5253): commands of a version byte, a command byte, a ULEB128
//! data size, the data and a 32-bit checksum; several per segment, spanning segments
//! reassembled.
crate::declare_fields! {
    after = super::gryphon::END;
    PROTO = "netsync", "Monotone Netsync", Protocol, None;
    VERSION = "netsync.version", "Version", U8, Dec;
    COMMAND = "netsync.command", "Command", U8, Hex, vals = COMMANDS;
    SIZE = "netsync.size", "Size", U32, Dec;
    CHECKSUM = "netsync.checksum", "Checksum", U32, Hex;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;

static COMMANDS: &[(u64, &str)] = &[
    (0, "Error"),
    (1, "Bye"),
    (2, "Hello"),
    (3, "Anonymous"),
    (4, "Auth"),
    (5, "Confirm"),
    (6, "Refine"),
    (7, "Done"),
    (8, "Send Data"),
    (9, "Send Delta"),
    (10, "Data"),
    (11, "Delta"),
    (12, "Nonexistent"),
];

/// The fixed part tshark reads a command's length from.
const FIXED: usize = 7;

/// A ULEB128 number at the start of `d` and the bytes it takes (at most five, as a 32-bit
/// reader stops).
fn uleb128(d: &[u8]) -> (u64, usize) {
    let mut v = 0u64;
    for (i, &x) in d.iter().enumerate().take(5) {
        v |= u64::from(x & 0x7f) << (7 * i);
        if x & 0x80 == 0 {
            return (v, i + 1);
        }
    }
    (v, d.len().min(5))
}

/// The whole length of the command whose first bytes are `h`.
pub fn pdu_len(h: &[u8]) -> usize {
    let (size, n) = uleb128(h.get(2..).unwrap_or(&[]));
    (2 + n + 4).saturating_add(size.min(u32::MAX as u64) as usize)
}

/// Commands in `off..end` of a TCP payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    crate::proto::apps::pdu_items(cx, b, off, end, FIXED, pdu_len, (PROTO, "netsync", "+netsync"), |cx, b, o, e| {
        let (Some(v), Some(c)) = (b.u8(o), b.u8(o + 1)) else { return };
        cx.u(VERSION, v, b.span(o, 1));
        cx.u(COMMAND, c, b.span(o + 1, 1));
        let d = b.data.get(o + 2..e.min(b.len())).unwrap_or(&[]);
        let (size, n) = uleb128(d);
        cx.u(SIZE, size, b.span(o + 2, n));
        if let Some(sum) = b.be32(e.saturating_sub(4)).filter(|_| e >= o + 6 + n) {
            cx.u(CHECKSUM, sum, b.span(e - 4, 4));
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn length_counts_header_size_and_checksum() {
        // Version 4, Hello, size 199 (two ULEB128 bytes).
        assert_eq!(super::pdu_len(&[4, 2, 0xc7, 0x01, 0, 0, 0]), 2 + 2 + 199 + 4);
        assert_eq!(super::pdu_len(&[4, 1, 0x00, 0, 0, 0, 0]), 7);
    }
}
