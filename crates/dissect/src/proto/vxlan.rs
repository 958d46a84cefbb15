//! VXLAN (UDP port 4789) carrying Ethernet.
crate::declare_fields! {
    after = super::udp::END;
    PROTO = "vxlan", "Virtual eXtensible Local Area Network", Protocol, None;
    FLAGS = "vxlan.flags", "Flags", U16, Hex;
    VNI = "vxlan.vni", "VXLAN Network Identifier (VNI)", U24, Dec;
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
