//! Mobile IPv6 mobility header (IPv6 next header 135): the fixed part.
crate::declare_fields! {
    after = super::ipcomp::END;
    PROTO = "mipv6", "Mobile IPv6", Protocol, None;
    MIP6_PROTO = "mip6.proto", "Payload protocol", U8, Dec;
    HLEN = "mip6.hlen", "Header length", U8, Dec;
    MHTYPE = "mip6.mhtype", "Mobility Header Type", U8, Dec;
    RESERVED = "mip6.reserved", "Reserved", U8, Hex;
    CSUM = "mip6.csum", "Checksum", U16, Hex, blurb = "Header Checksum";
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "mipv6", b.span_to(off, end));
    for (i, f) in [MIP6_PROTO, HLEN, MHTYPE, RESERVED].into_iter().enumerate() {
        let Some(v) = b.u8(off + i) else { return };
        cx.u(f, v, b.span(off + i, 1));
    }
    if let Some(ck) = b.be16(off + 4) {
        cx.u(CSUM, ck, b.span(off + 4, 2));
    }
    // tshark reads the message (and its options) up to the header length.
    if let Some(hl) = b.u8(off + 1) {
        let need = off + (hl as usize + 1) * 8;
        if need > b.len() {
            cx.bounds_error(need, end);
        }
    }
}
