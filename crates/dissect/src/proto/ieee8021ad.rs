//! IEEE 802.1ad service tag (ethertype 0x88a8), the outer tag of QinQ.
crate::declare_fields! {
    after = super::nflog::END;
    PROTO = "ieee8021ad", "IEEE 802.1ad", Protocol, None;
    PRIORITY = "ieee8021ad.priority", "Priority", U16, Dec, mask = 0xe000;
    DEI = "ieee8021ad.dei", "DEI", U16, Dec, mask = 0x1000;
    ID = "ieee8021ad.id", "ID", U16, Dec, mask = 0x0fff;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "ieee8021ad", b.span_to(off, b.reported));
    let (Some(tci), Some(t)) = (b.be16(off), b.be16(off + 2)) else { return };
    let r = b.span(off, 2);
    cx.u(PRIORITY, tci >> 13, r);
    cx.u(DEI, (tci >> 12) & 1, r);
    cx.u(ID, tci & 0x0fff, r);
    crate::dissector::ethertype(cx, b, off + 4, t);
}
