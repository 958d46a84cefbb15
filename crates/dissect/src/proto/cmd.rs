//! Cisco MetaData (ethertype 0x8909): security group tag, then the next ethertype.
crate::declare_fields! {
    after = super::nsh::END;
    PROTO = "cmd", "Cisco MetaData", Protocol, None;
    VERSION = "cmd.version", "Version", U8, Dec;
    LENGTH = "cmd.length", "Length", U8, Dec;
    OPTIONS = "cmd.options", "Options", U16, Hex;
    SGT = "cmd.sgt", "SGT", U16, Dec;
    TYPE = "cmd.type", "Type", U16, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "cmd", b.span_to(off, off + 8));
    let (Some(v), Some(l), Some(o), Some(sgt), Some(t)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2), b.be16(off + 4), b.be16(off + 6)) else { return };
    cx.u(VERSION, v, b.span(off, 1));
    cx.u(LENGTH, l, b.span(off + 1, 1));
    cx.u(OPTIONS, o, b.span(off + 2, 2));
    cx.u(SGT, sgt, b.span(off + 4, 2));
    cx.u(TYPE, t, b.span(off + 6, 2));
    crate::dissector::ethertype(cx, b, off + 8, t);
}
