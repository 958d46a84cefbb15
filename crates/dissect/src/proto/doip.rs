//! Diagnostics over IP, ISO 13400 (UDP port 13400): the generic header. tshark takes a
//! datagram of protocol version 1-3, or of the default version 0xff with a vehicle
//! identification request (types 1-3); others go on to the heuristics.
crate::declare_fields! {
    after = super::tipc::END;
    PROTO = "doip", "DoIP (ISO13400) Protocol", Protocol, None;
    VERSION = "doip.version", "Version", U8, Hex;
    INVERSE = "doip.inverse", "Inverse version", U8, Hex;
    TYPE = "doip.type", "Type", U16, Hex;
    LENGTH = "doip.length", "Length", U32, Dec;
}

use crate::cx::{Bytes, Cx};

/// Whether tshark's DoIP takes the captured datagram `d`.
pub fn looks_like(d: &[u8]) -> bool {
    match (d.first(), d.get(2..4)) {
        (Some(1..=3), _) => true,
        (Some(0xff), Some(t)) => matches!(u16::from_be_bytes([t[0], t[1]]), 1..=3),
        _ => false,
    }
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "doip", b.span_to(off, end));
    let (Some(v), Some(i), Some(t), Some(l)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2), b.be32(off + 4)) else {
        cx.bounds_error(off + 8, end);
        return;
    };
    cx.u(VERSION, v, b.span(off, 1));
    cx.u(INVERSE, i, b.span(off + 1, 1));
    cx.u(TYPE, t, b.span(off + 2, 2));
    cx.u(LENGTH, l, b.span(off + 4, 4));
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions() {
        assert!(super::looks_like(&[2, 0xfd, 0, 4, 0, 0, 0, 32]));
        assert!(super::looks_like(&[0xff, 0, 0, 1, 0, 0, 0, 0]));
        assert!(!super::looks_like(&[0xff, 0, 0, 4, 0, 0, 0, 0]));
        assert!(!super::looks_like(&[0, 0xff, 0, 1]));
    }
}

/// DoIP over TCP (port 13400): messages of the 8-byte header and the length it gives; a
/// diagnostic message (0x8001) carries UDS after its source and target addresses.
/// A stream whose first byte is no DoIP version is data, as tshark's rejection makes it.
pub fn dissect_tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<crate::reasm::Deseg> {
    let d = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    if !d.is_empty() && !looks_like(d) {
        crate::proto::data::dissect(cx, b, off, end);
        return None;
    }
    crate::reasm::pdus(
        cx,
        b,
        off,
        end,
        8,
        |h| 8 + u32::from_be_bytes([h[4], h[5], h[6], h[7]]) as usize,
        |cx, b, o, e| {
            dissect(cx, b, o, e);
            if b.be16(o + 2) == Some(0x8001) && e > o + 12 {
                crate::proto::uds::dissect(cx, b, o + 12, e);
            }
        },
    )
}
