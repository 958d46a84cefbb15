//! Cisco HDLC (LINKTYPE 104).
crate::declare_fields! {
    after = super::gtp::END;
    PROTO = "chdlc", "Cisco HDLC", Protocol, None;
    ADDRESS = "chdlc.address", "Address", U8, Hex;
    CONTROL = "chdlc.control", "Control", U8, Hex;
    PROTOCOL = "chdlc.protocol", "Protocol", U16, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes) {
    cx.proto(PROTO, "chdlc", b.span_to(0, 4));
    let (Some(a), Some(c), Some(p)) = (b.u8(0), b.u8(1), b.be16(2)) else { return };
    cx.u(ADDRESS, a, b.span(0, 1));
    cx.u(CONTROL, c, b.span(1, 1));
    cx.u(PROTOCOL, p, b.span(2, 2));
    crate::dissector::ethertype_payload(cx, b, 4, p);
}
