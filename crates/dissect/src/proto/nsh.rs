//! Network Service Header (ethertype 0x894f).
crate::declare_fields! {
    after = super::mpls::END;
    PROTO = "nsh", "Network Service Header", Protocol, None;
    VERSION = "nsh.version", "Version", U16, DecHex, mask = 0xc000;
    LENGTH = "nsh.length", "Length", U16, DecHex, mask = 0x3f;
    MDTYPE = "nsh.mdtype", "MD Type", U8, DecHex;
    SPI = "nsh.spi", "Service Path Identifier", U24, DecHex;
    SI = "nsh.si", "Service Index", U8, DecHex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "nsh", b.span_to(off, b.reported));
    let (Some(w), Some(md), Some(np), Some(spi), Some(si)) = (b.be16(off), b.u8(off + 2), b.u8(off + 3), b.be24(off + 4), b.u8(off + 7)) else { return };
    let r = b.span(off, 2);
    cx.u(VERSION, w >> 14, r);
    cx.u(LENGTH, w & 0x3f, r);
    cx.u(MDTYPE, md & 0x0f, b.span(off + 2, 1));
    cx.u(SPI, spi, b.span(off + 4, 3));
    cx.u(SI, si, b.span(off + 7, 1));
    let p = off + (w & 0x3f) as usize * 4;
    if p <= off {
        return;
    }
    match np {
        1 => crate::proto::ip::dissect(cx, b, p),
        2 => crate::proto::ipv6::dissect(cx, b, p),
        3 => crate::proto::eth::dissect(cx, b, p),
        _ => crate::proto::data::dissect(cx, b, p, b.reported),
    }
}
