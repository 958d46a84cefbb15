//! PPP Link Control Protocol (PPP protocol 0xc021): code, identifier, length, and the magic
//! number of the echo and discard messages.
crate::declare_fields! {
    after = super::netbios::END;
    PROTO = "lcp", "PPP Link Control Protocol", Protocol, None;
    CODE = "ppp.code", "Code", U8, Dec;
    IDENTIFIER = "ppp.identifier", "Identifier", U8, DecHex;
    LENGTH = "ppp.length", "Length", U16, Dec;
    MAGIC_NUMBER = "lcp.magic_number", "Magic Number", U32, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "lcp", b.span_to(off, end));
    let (Some(code), Some(id), Some(len)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2)) else { return };
    cx.u(CODE, code, b.span(off, 1));
    cx.u(IDENTIFIER, id, b.span(off + 1, 1));
    cx.u(LENGTH, len, b.span(off + 2, 2));
    // Echo-Request, Echo-Reply, Discard-Request, Identification, Time-Remaining.
    if matches!(code, 9..=13) && len >= 8 {
        if let Some(m) = b.be32(off + 4) {
            cx.u(MAGIC_NUMBER, m, b.span(off + 4, 4));
        }
    }
}
