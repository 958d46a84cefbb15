//! IP Payload Compression (IP protocol 108): the 4-byte header.
crate::declare_fields! {
    after = super::pgm::END;
    PROTO = "ipcomp", "IP Payload Compression", Protocol, None;
    NEXT_HEADER = "ipcomp.next_header", "Next Header", U8, Hex;
    FLAGS = "ipcomp.flags", "IPComp Flags", U8, Hex, blurb = "IP Payload Compression Protocol Flags";
    CPI = "ipcomp.cpi", "IPComp CPI", U16, Hex, blurb = "IP Payload Compression Protocol Compression Parameter Index";
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    if off + 4 > b.len() {
        // tshark reads the header before adding its item: the layer is named, the tree only
        // holds the exception.
        cx.nested(|cx| cx.push_name("ipcomp"));
        return cx.bounds_error(off + 4, end);
    }
    cx.proto(PROTO, "ipcomp", b.span_to(off, end));
    let (Some(nh), Some(fl), Some(cpi)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2)) else { return };
    cx.u(NEXT_HEADER, nh, b.span(off, 1));
    cx.u(FLAGS, fl, b.span(off + 1, 1));
    cx.u(CPI, cpi, b.span(off + 2, 2));
}
