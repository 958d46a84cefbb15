//! Oracle's Transparent Network Substrate (TCP port 1521): packets led by their 16-bit
//! length and a packet checksum, then the type, a reserved byte and the header checksum; several per segment, spanning segments reassembled. What
//! follows the header of a Data packet (past its flags and data id) and of a packet of a
//! type without a body of its own is shown as data inside the TNS item.
crate::declare_fields! {
    after = super::tpkt::END;
    PROTO = "tns", "Transparent Network Substrate Protocol", Protocol, None;
    REQUEST = "tns.request", "Request", Boolean, None;
    RESPONSE = "tns.response", "Response", Boolean, None;
    LENGTH = "tns.length", "Packet Length", U16, Dec;
    PACKET_CHECKSUM = "tns.packet_checksum", "Packet Checksum", U16, Hex;
    TYPE = "tns.type", "Packet Type", U8, Dec, vals = TYPES;
    RESERVED_BYTE = "tns.reserved_byte", "Reserved Byte", Bytes, None;
    HEADER_CHECKSUM = "tns.header_checksum", "Header Checksum", U16, Hex;
    DATA_FLAG = "tns.data_flag", "Data Flag", U16, Hex;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

static TYPES: &[(u64, &str)] = &[
    (1, "Connect"),
    (2, "Accept"),
    (3, "Acknowledge"),
    (4, "Refuse"),
    (5, "Redirect"),
    (6, "Data"),
    (7, "Null"),
    (9, "Abort"),
    (11, "Resend"),
    (12, "Marker"),
    (13, "Attention"),
    (14, "Control"),
];

/// The highest packet type tshark accepts.
const TYPE_MAX: u8 = 19;

/// Types whose body TNS reads itself (no data shown after the header).
const OWN_BODY: &[u8] = &[1, 2, 4, 5, 9, 12, 13, 14];

/// The data id of the Set Protocol request, whose body TNS reads itself.
const SET_PROTOCOL: u8 = 0x01;

/// False when tshark's TNS declines the payload `d` (a known type at offset 4).
pub fn accepts(d: &[u8]) -> bool {
    d.get(4).map_or(true, |&t| (1..=TYPE_MAX).contains(&t))
}

/// Packets in `off..end` of a TCP payload (which passed [`accepts`]); `request` when it
/// goes to the server's port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool) -> Option<Deseg> {
    if off + 4 > end || b.len() < off + 4 {
        // tshark reads the packet checksum before anything else: the exception it throws
        // comes before the TNS item, which `frame.protocols` names all the same.
        cx.nested(|cx| cx.push_name("tns"));
        cx.bounds_error(off + 4, end);
        return None;
    }
    let len = |h: &[u8]| u16::from_be_bytes([h[0], h[1]]) as usize;
    crate::proto::apps::pdu_items(cx, b, off, end, 2, len, (PROTO, "tns", "+tns"), |cx, b, o, e| {
        packet(cx, b, o, e, request)
    })
}

/// One packet `o..e`.
fn packet(cx: &mut Cx, b: Bytes, o: usize, e: usize, request: bool) {
    cx.flag(if request { REQUEST } else { RESPONSE }, true, b.span(o, 0));
    let Some(ck) = b.be16(o + 2).filter(|_| o + 4 <= e) else { return cx.bounds_error(o + 4, e) };
    let mut p = o;
    cx.u(LENGTH, b.be16(o).unwrap_or(0), b.span(o, 2));
    cx.u(PACKET_CHECKSUM, ck, b.span(o + 2, 2));
    p += 4;
    let Some(t) = b.u8(p).filter(|_| p < e) else { return cx.bounds_error(p + 1, e) };
    cx.u(TYPE, t, b.span(p, 1));
    if p + 2 > e || b.len() < p + 2 {
        return cx.bounds_error(p + 2, e);
    }
    cx.add(RESERVED_BYTE, Value::Bytes(b.span(p + 1, 1)), b.span(p + 1, 1));
    let Some(hc) = b.be16(p + 2).filter(|_| p + 4 <= e) else { return cx.bounds_error(p + 4, e) };
    cx.u(HEADER_CHECKSUM, hc, b.span(p + 2, 2));
    p += 4;
    let mut body = p;
    if t == 6 {
        let Some(f) = b.be16(p).filter(|_| p + 2 <= e) else { return cx.bounds_error(p + 2, e) };
        cx.u(DATA_FLAG, f, b.span(p, 2));
        body = p + 2;
        if request && body < e && b.u8(body) == Some(SET_PROTOCOL) {
            return;
        }
    } else if OWN_BODY.contains(&t) {
        return;
    }
    if body < e && body < b.len() {
        cx.nested(|cx| crate::proto::data::dissect(cx, b, body, e.min(b.len())));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_types_only() {
        assert!(super::accepts(&[0, 221, 0, 0, 1, 0, 0, 0]));
        assert!(super::accepts(&[0, 8]));
        assert!(!super::accepts(&[0, 8, 0, 0, 0, 0, 0, 0]));
        assert!(!super::accepts(&[0, 8, 0, 0, 20, 0, 0, 0]));
    }
}
