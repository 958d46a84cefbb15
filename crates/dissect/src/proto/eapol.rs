//! 802.1X EAP over LAN (ethertype 0x888e, also in 802.11 SNAP): version, type, length, and
//! a key frame's descriptor type.
crate::declare_fields! {
    after = super::lldp::END;
    PROTO = "eapol", "802.1X Authentication", Protocol, None;
    VERSION = "eapol.version", "Version", U8, Dec;
    TYPE = "eapol.type", "Type", U8, Dec;
    LEN = "eapol.len", "Length", U16, Dec;
    KEYDES_TYPE = "eapol.keydes.type", "Key Descriptor Type", U8, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "eapol", b.span_to(off, b.len()));
    let (Some(ver), Some(ty), Some(len)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2)) else { return };
    cx.u(VERSION, ver, b.span(off, 1));
    cx.u(TYPE, ty, b.span(off + 1, 1));
    cx.u(LEN, len, b.span(off + 2, 2));
    if ty == 3 {
        if let Some(d) = b.u8(off + 4) {
            cx.u(KEYDES_TYPE, d, b.span(off + 4, 1));
        }
    }
}
