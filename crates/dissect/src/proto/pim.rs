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
    // A version 2 Register whose inner header says version 0: tshark reads a dummy header
    // of the outer family's size after the flags.
    if vt == 0x21 && b.u8(off + 8).is_some_and(|v| v >> 4 == 0) {
        let need = off + 8 + if cx.src.family == 6 { 40 } else { 20 };
        if need > b.len() {
            cx.bounds_error(need, end);
        }
    }
}
