//! Protocol Independent Multicast (IP protocol 103): the common header.
crate::declare_fields! {
    after = super::vrrp::END;
    PROTO = "pim", "Protocol Independent Multicast", Protocol, None;
    VERSION = "pim.version", "Version", U8, Dec, mask = 0xf0;
    TYPE = "pim.type", "Type", U8, Dec, mask = 0xf;
    RES_BYTES = "pim.res_bytes", "Reserved byte(s)", Bytes, None;
    CKSUM = "pim.cksum", "Checksum", U16, Hex;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "pim", b.span_to(off, end));
    let Some(vt) = b.u8(off) else { return };
    cx.u(VERSION, vt >> 4, b.span(off, 1));
    cx.u(TYPE, vt & 0xf, b.span(off, 1));
    if b.u8(off + 1).is_some() {
        cx.add(RES_BYTES, Value::Bytes(b.span(off + 1, 1)), b.span(off + 1, 1));
    }
    if let Some(ck) = b.be16(off + 2) {
        cx.u(CKSUM, ck, b.span(off + 2, 2));
    }
}
