//! MPLS label stack (ethertypes 0x8847/0x8848); the payload's IP version is guessed from
//! its first nibble, as tshark does by default.
crate::declare_fields! {
    after = super::ieee8021ad::END;
    PROTO = "mpls", "MultiProtocol Label Switching Header", Protocol, None;
    LABEL = "mpls.label", "MPLS Label", U32, DecHex, mask = 0xfffff000;
    EXP = "mpls.exp", "MPLS Experimental Bits", U32, Dec, mask = 0xe00;
    BOTTOM = "mpls.bottom", "MPLS Bottom Of Label Stack", U32, Dec, mask = 0x100;
    TTL = "mpls.ttl", "MPLS TTL", U32, Dec, mask = 0xff;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, mut off: usize) {
    cx.proto(PROTO, "mpls", b.span_to(off, b.reported));
    // At most 16 labels: a hostile stack cannot make us loop long.
    for _ in 0..16 {
        let Some(w) = b.be32(off) else { return };
        let r = b.span(off, 4);
        cx.u(LABEL, w >> 12, r);
        cx.u(EXP, (w >> 9) & 7, r);
        cx.u(BOTTOM, (w >> 8) & 1, r);
        cx.u(TTL, w & 0xff, r);
        off += 4;
        if w & 0x100 != 0 {
            break;
        }
    }
    match b.u8(off).map(|x| x >> 4) {
        Some(4) => crate::proto::ip::dissect(cx, b, off),
        Some(6) => crate::proto::ipv6::dissect(cx, b, off),
        _ => crate::proto::data::dissect(cx, b, off, b.reported),
    }
}
