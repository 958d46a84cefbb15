//! IPsec Authentication Header: skipped to the protocol it protects.
crate::declare_fields! {
    after = super::pppoe::END;
    PROTO = "ah", "Authentication Header", Protocol, None;
    NEXT_HEADER = "ah.next_header", "Next header", U8, Dec;
    LENGTH = "ah.length", "Length", U8, Dec;
    SPI = "ah.spi", "AH SPI", U32, Hex;
    SEQUENCE = "ah.sequence", "AH Sequence", U32, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let (Some(nh), Some(l)) = (b.u8(off), b.u8(off + 1)) else {
        cx.proto(PROTO, "ah", b.span_to(off, end));
        return;
    };
    let len = (l as usize + 2) * 4;
    cx.proto(PROTO, "ah", b.span_to(off, off + len));
    cx.u(NEXT_HEADER, nh, b.span(off, 1));
    cx.u(LENGTH, l, b.span(off + 1, 1));
    if let (Some(spi), Some(seq)) = (b.be32(off + 4), b.be32(off + 8)) {
        cx.u(SPI, spi, b.span(off + 4, 4));
        cx.u(SEQUENCE, seq, b.span(off + 8, 4));
    }
    if off + len <= end {
        crate::dissector::ip_proto(cx, b, off + len, end, nh);
    }
}
