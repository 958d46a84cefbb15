//! Hotline Command-Response Transaction (ethertype 0xf052, UDP port 47000): messages of a
//! 4-byte little-endian header (tag, type, addressing mode, ADL, last flag) and a body whose
//! length the type and ADL give, read until one has the last flag.
crate::declare_fields! {
    after = super::udt::END;
    PROTO = "hcrt", "Hotline Command-Response Transaction protocol", Protocol, None;
    TAG = "hcrt.tag", "Tag", U8, Hex, mask = 0x0f;
    TYPE = "hcrt.type", "Type", U8, Dec, mask = 0x30;
    AM = "hcrt.am", "Addressing Mode", U8, Dec, mask = 0x40;
    ADL = "hcrt.adl", "ADL", U16, Dec, mask = 0x0fff;
    LAST = "hcrt.last", "Last message", Boolean, None, mask = 0x8000;
}

use crate::cx::{Bytes, Cx};

/// The body length of a message: its type, whether addresses are 64-bit, its ADL.
fn body_len(kind: u8, wide: bool, adl: usize) -> usize {
    let unit = if wide { 8 } else { 4 };
    unit * match kind {
        1 => adl + 1,
        2 => 1,
        _ => adl,
    }
}

/// The messages in `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    // Bytes 0 and 2-3 are read before the protocol's item is added.
    if b.le16(off + 2).is_none() {
        cx.bounds_error(off + 4, end);
        return;
    }
    cx.proto(PROTO, "hcrt", b.span_to(off, end));
    let mut p = off;
    // Each message takes at least its 4-byte header, so the loop ends at the data's end.
    loop {
        let (Some(b0), Some(w)) = (b.u8(p), b.le16(p + 2)) else {
            cx.bounds_error(p + 4, end);
            return;
        };
        let (kind, wide, adl) = ((b0 >> 4) & 3, b0 & 0x40 != 0, (w & 0x0fff) as usize);
        cx.u(TAG, b0 & 0x0f, b.span(p, 1));
        cx.u(TYPE, kind, b.span(p, 1));
        cx.u(AM, (b0 >> 6) & 1, b.span(p, 1));
        cx.u(ADL, w & 0x0fff, b.span(p + 2, 2));
        cx.flag(LAST, w & 0x8000 != 0, b.span(p + 2, 2));
        let len = body_len(kind, wide, adl);
        // The body's items need its bytes (a response without a body adds none).
        let need = p + 4 + len;
        if need > b.len() {
            cx.bounds_error(need, end);
            return;
        }
        if w & 0x8000 != 0 {
            return;
        }
        p = need;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bodies() {
        // NOP: ADL words; write: address and ADL words; read: the address; 64-bit doubles them.
        assert_eq!(super::body_len(0, false, 2), 8);
        assert_eq!(super::body_len(1, false, 1), 8);
        assert_eq!(super::body_len(2, true, 7), 8);
        assert_eq!(super::body_len(3, false, 0), 0);
    }
}
