//! IEEE 802.1ah provider backbone bridging (ethertype 0x88e7): I-tag, customer addresses,
//! then the customer frame's ethertype.
crate::declare_fields! {
    after = super::dns::END;
    PROTO = "ieee8021ah", "IEEE 802.1ah", Protocol, None;
    PRIORITY = "ieee8021ah.priority", "Priority", U32, Dec, mask = 0xe0000000;
    DROP = "ieee8021ah.drop", "DEI", U32, Dec, mask = 0x10000000;
    NCA = "ieee8021ah.nca", "NCA", U32, Dec, mask = 0x08000000;
    ISID = "ieee8021ah.isid", "I-SID", U32, Dec, mask = 0x00ffffff;
    CDST = "ieee8021ah.cdst", "C-Destination", Ether, None;
    CSRC = "ieee8021ah.csrc", "C-Source", Ether, None;
    ETYPE = "ieee8021ah.etype", "Type", U16, Hex;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "ieee8021ah", b.span_to(off, b.reported));
    let Some(tag) = b.be32(off) else { return };
    let r = b.span(off, 4);
    cx.u(PRIORITY, tag >> 29, r);
    cx.u(DROP, (tag >> 28) & 1, r);
    cx.u(NCA, (tag >> 27) & 1, r);
    cx.u(ISID, tag & 0x00ff_ffff, r);
    let (Some(dst), Some(src), Some(t)) = (b.arr::<6>(off + 4), b.arr::<6>(off + 10), b.be16(off + 16)) else { return };
    cx.add(CDST, Value::Ether(dst), b.span(off + 4, 6));
    cx.add(CSRC, Value::Ether(src), b.span(off + 10, 6));
    cx.u(ETYPE, t, b.span(off + 16, 2));
    crate::dissector::ethertype(cx, b, off + 18, t);
}
