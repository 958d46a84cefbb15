//! BGP-4 (port 179, RFC 4271): every message starts with a 16-byte marker of all ones, a
//! 16-bit length counting the whole message (19 to 4096 bytes, up to 65535 with the
//! extended message capability) and a type. Messages spanning segments are reassembled;
//! one `bgp` layer per call, however many messages it holds.
crate::declare_fields! {
    after = super::pgsql::END;
    PROTO = "bgp", "Border Gateway Protocol", Protocol, None;
    MARKER = "bgp.marker", "Marker", Bytes, None;
    LENGTH = "bgp.length", "Length", U16, Dec;
    TYPE = "bgp.type", "Type", U8, Dec, vals = TYPE_VALS;
    CONTINUATION = "bgp.continuation", "Continuation", None, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

pub static TYPE_VALS: &[(u64, &str)] = &[
    (1, "OPEN Message"),
    (2, "UPDATE Message"),
    (3, "NOTIFICATION Message"),
    (4, "KEEPALIVE Message"),
    (5, "ROUTE-REFRESH Message"),
    (6, "CAPABILITY Message"),
];

const HEADER: usize = 19;

/// The whole length of the message whose header is `h` (its first 19 bytes). A length
/// shorter than the header is read as the header alone.
fn pdu_len(h: &[u8]) -> usize {
    (u16::from_be_bytes([h[16], h[17]]) as usize).max(HEADER)
}

/// Messages in `off..end` of a TCP payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let mut first = true;
    crate::reasm::pdus(cx, b, off, end, HEADER, pdu_len, |cx, b, o, e| {
        let sp = b.span_to(o, e);
        if first {
            cx.proto(PROTO, "bgp", sp);
            first = false;
        } else {
            cx.push_name(crate::dissector::repeat("bgp"));
            cx.add(PROTO, Value::None, sp);
        }
        cx.add(MARKER, Value::Bytes(b.span(o, 16)), b.span(o, 16));
        if let (Some(len), Some(t)) = (b.be16(o + 16), b.u8(o + 18)) {
            cx.u(LENGTH, len, b.span(o + 16, 2));
            cx.u(TYPE, t, b.span(o + 18, 1));
        }
    })
}

/// The payload of a segment TCP cannot reassemble (the first fragment of an IP datagram
/// that was not reassembled): tshark's BGP scans it for markers, shows the bytes before one
/// as a continuation and each message at one, and stops where the captured bytes end.
pub fn dissect_unreassembled(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let cap = end.min(b.len());
    let mut o = off;
    let mut first = true;
    let mut item = |cx: &mut Cx, sp: crate::tree::Span| {
        if first {
            cx.proto(PROTO, "bgp", sp);
            first = false;
        } else {
            cx.push_name(crate::dissector::repeat("bgp"));
            cx.add(PROTO, Value::None, sp);
        }
    };
    while o < end {
        let d = b.data.get(o..cap).unwrap_or(&[]);
        let Some(i) = d.windows(16).position(|w| w.iter().all(|&x| x == 0xff)) else {
            if cap < end {
                cx.bounds_error(end, end);
            } else {
                item(cx, b.span_to(o, end));
                cx.add(CONTINUATION, Value::None, b.span_to(o, end));
            }
            return;
        };
        if i > 0 {
            item(cx, b.span(o, i));
            cx.add(CONTINUATION, Value::None, b.span(o, i));
            o += i;
        }
        let (Some(len), Some(t)) = (b.be16(o + 16), b.u8(o + 18)) else { return cx.bounds_error(o + HEADER, end) };
        let len = len as usize;
        if len < HEADER {
            return cx.malformed();
        }
        item(cx, b.span_to(o, o + len));
        cx.add(MARKER, Value::Bytes(b.span(o, 16)), b.span(o, 16));
        cx.u(LENGTH, len as u16, b.span(o + 16, 2));
        cx.u(TYPE, t, b.span(o + 18, 1));
        if o + len > cap {
            return cx.bounds_error(o + len, end);
        }
        o += len;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keepalive_length() {
        // A KEEPALIVE is the bare header: 16 x 0xff, length 19, type 4.
        let mut m = vec![0xff; 16];
        m.extend_from_slice(&[0, 19, 4]);
        assert_eq!(super::pdu_len(&m), 19);
        m[17] = 3;
        assert_eq!(super::pdu_len(&m), 19);
        m[16] = 0x10;
        m[17] = 0;
        assert_eq!(super::pdu_len(&m), 4096);
    }
}
