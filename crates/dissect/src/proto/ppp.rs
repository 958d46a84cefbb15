//! PPP (LINKTYPE_PPP and PPP in HDLC-like framing) carrying IPv4/IPv6.
crate::declare_fields! {
    after = super::raw::END;
    PROTO = "ppp", "Point-to-Point Protocol", Protocol, None;
    ADDRESS = "ppp.address", "Address", U8, Hex;
    CONTROL = "ppp.control", "Control", U8, Hex;
    PROTOCOL = "ppp.protocol", "Protocol", U16, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, _linktype: u32) {
    dissect_at(cx, b, 0)
}

/// PPP starting at `off` (PPPoE carries it after its own header).
pub fn dissect_at(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "ppp", b.span_to(off, b.len()));
    let mut p = off;
    if b.u8(p) == Some(0xff) && b.u8(p + 1) == Some(0x03) {
        cx.u(ADDRESS, 0xffu8, b.span(p, 1));
        cx.u(CONTROL, 0x03u8, b.span(p + 1, 1));
        p += 2;
    }
    // Protocol field compression: an odd first byte is a one-byte protocol.
    let Some(first) = b.u8(p) else { return };
    let (proto, n) = if first & 1 == 1 { (first as u16, 1) } else { (b.be16(p).unwrap_or(0), 2) };
    if b.len() < p + n {
        return;
    }
    cx.u(PROTOCOL, proto, b.span(p, n));
    match proto {
        0x0021 => crate::proto::ip::dissect(cx, b, p + n),
        0x0057 => crate::proto::ipv6::dissect(cx, b, p + n),
        0xc021 => crate::proto::lcp::dissect(cx, b, p + n, b.reported),
        _ => crate::proto::data::dissect(cx, b, p + n, b.reported),
    }
}
