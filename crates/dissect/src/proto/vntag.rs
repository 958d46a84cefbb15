//! Cisco VN-Tag (ethertype 0x8926): 4 bytes of tag, then the next ethertype.
crate::declare_fields! {
    after = super::ppp::END;
    PROTO = "vntag", "VN-Tag", Protocol, None;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "vntag", b.span_to(off, off + 6));
    let Some(t) = b.be16(off + 4) else { return };
    crate::dissector::ethertype(cx, b, off + 6, t);
}
