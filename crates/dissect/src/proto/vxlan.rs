//! VXLAN (UDP port 4789) carrying Ethernet.
crate::declare_fields! {
    after = super::udp::END;
    PROTO = "vxlan", "Virtual eXtensible Local Area Network", Protocol, None;
    FLAGS = "vxlan.flags", "Flags", U16, Hex;
    VNI = "vxlan.vni", "VXLAN Network Identifier (VNI)", U24, Dec;
    NEXT_PROTO = "vxlan.next_proto", "Next Protocol", U8, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "vxlan", b.span_to(off, end));
    let (Some(flags), Some(vni)) = (b.be16(off), b.be24(off + 4)) else { return };
    cx.u(FLAGS, flags, b.span(off, 2));
    cx.u(VNI, vni, b.span(off + 4, 3));
    if off + 8 < end {
        crate::proto::eth::dissect(cx, b.until(end), off + 8);
    }
}

/// VXLAN-GPE (UDP port 4790): the next-protocol byte says what follows. tshark 4.0 does not
/// list this layer in `frame.protocols`.
pub fn dissect_gpe(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    if cx.wants(PROTO) {
        cx.add(PROTO, crate::tree::Value::None, b.span_to(off, end));
    }
    let (Some(flags), Some(np), Some(vni)) = (b.be16(off), b.u8(off + 3), b.be24(off + 4)) else { return };
    cx.u(FLAGS, flags, b.span(off, 2));
    cx.u(VNI, vni, b.span(off + 4, 3));
    cx.u(NEXT_PROTO, np, b.span(off + 3, 1));
    let p = off + 8;
    if p >= end {
        return;
    }
    let inner = b.until(end);
    match np {
        1 => crate::proto::ip::dissect(cx, inner, p),
        2 => crate::proto::ipv6::dissect(cx, inner, p),
        3 => crate::proto::eth::dissect(cx, inner, p),
        4 => crate::proto::nsh::dissect(cx, inner, p),
        _ => crate::proto::data::dissect(cx, b, p, end),
    }
}
