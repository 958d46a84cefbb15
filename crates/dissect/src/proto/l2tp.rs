//! L2TPv2 data messages (UDP port 1701) carrying PPP.
crate::declare_fields! {
    after = super::erspan::END;
    PROTO = "l2tp", "Layer 2 Tunneling Protocol", Protocol, None;
    TYPE = "l2tp.type", "Type", U16, Dec, mask = 0x8000;
    LENGTH_BIT = "l2tp.length_bit", "Length Bit", Boolean, None, mask = 0x4000;
    VERSION = "l2tp.version", "Version", U16, Dec, mask = 0x000f;
    LENGTH = "l2tp.length", "Length", U16, Dec;
    TUNNEL = "l2tp.tunnel", "Tunnel ID", U16, Dec;
    SESSION = "l2tp.session", "Session ID", U16, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "l2tp", b.span_to(off, end));
    let Some(f) = b.be16(off) else { return };
    let r = b.span(off, 2);
    cx.u(TYPE, f >> 15, r);
    cx.flag(LENGTH_BIT, f & 0x4000 != 0, r);
    cx.u(VERSION, f & 0xf, r);
    if f & 0xf != 2 {
        return;
    }
    let mut p = off + 2;
    if f & 0x4000 != 0 {
        let Some(l) = b.be16(p) else { return };
        cx.u(LENGTH, l, b.span(p, 2));
        p += 2;
    }
    let (Some(t), Some(s)) = (b.be16(p), b.be16(p + 2)) else { return };
    cx.u(TUNNEL, t, b.span(p, 2));
    cx.u(SESSION, s, b.span(p + 2, 2));
    p += 4;
    if f & 0x0800 != 0 {
        p += 4; // Ns, Nr
    }
    if f & 0x0200 != 0 {
        let Some(o) = b.be16(p) else { return };
        p += 2 + o as usize;
    }
    if f & 0x8000 == 0 && p < end {
        crate::proto::ppp::dissect_at(cx, b.until(end), p);
    }
}
