//! ETHERNET Powerlink version 1 (ethertype 0x3e3f): service, destination and source.
crate::declare_fields! {
    after = super::hsr::END;
    PROTO = "epl_v1", "ETHERNET Powerlink V1.0", Protocol, None;
    SERVICE = "epl_v1.service", "Service", U8, Dec, mask = 0x7f;
    DEST = "epl_v1.dest", "Destination", U8, Dec;
    SRC = "epl_v1.src", "Source", U8, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "epl_v1", b.span_to(off, b.len()));
    let (Some(s), Some(d), Some(src)) = (b.u8(off), b.u8(off + 1), b.u8(off + 2)) else { return };
    cx.u(SERVICE, s & 0x7f, b.span(off, 1));
    cx.u(DEST, d, b.span(off + 1, 1));
    cx.u(SRC, src, b.span(off + 2, 1));
}
