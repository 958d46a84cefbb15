//! Geneve (UDP port 6081) carrying an ethertype payload.
crate::declare_fields! {
    after = super::teredo::END;
    PROTO = "geneve", "Generic Network Virtualization Encapsulation", Protocol, None;
    VERSION = "geneve.version", "Version", U8, Dec;
    PROTO_TYPE = "geneve.proto_type", "Protocol Type", U16, Hex;
    VNI = "geneve.vni", "Virtual Network Identifier (VNI)", U24, HexDec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "geneve", b.span_to(off, end));
    let (Some(v), Some(pt), Some(vni)) = (b.u8(off), b.be16(off + 2), b.be24(off + 4)) else { return };
    cx.u(VERSION, v >> 6, b.span(off, 1));
    cx.u(PROTO_TYPE, pt, b.span(off + 2, 2));
    cx.u(VNI, vni, b.span(off + 4, 3));
    let opt_len = (v & 0x3f) as usize * 4;
    let p = off + 8 + opt_len;
    if p < end {
        crate::dissector::ethertype_payload(cx, b.until(end), p, pt);
    }
}
