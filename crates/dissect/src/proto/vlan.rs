//! IEEE 802.1Q VLAN tags (QinQ: one layer per tag).
crate::declare_fields! {
    after = super::eth::END;
    PROTO = "vlan", "802.1Q Virtual LAN", Protocol, None;
    PRIORITY = "vlan.priority", "Priority", U16, Dec, mask = 0xe000;
    DEI = "vlan.dei", "DEI", Boolean, None, mask = 0x1000, tfs = ("Eligible", "Ineligible");
    ID = "vlan.id", "ID", U16, Dec, mask = 0x0fff;
    ETYPE = "vlan.etype", "Type", U16, Hex;
    LEN = "vlan.len", "Length", U16, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "vlan", b.span_to(off, b.len()));
    let Some(tci) = b.be16(off) else { return };
    let raw = b.span(off, 2);
    cx.label(PROTO, || format!("802.1Q Virtual LAN, PRI: {}, DEI: {}, ID: {}", tci >> 13, (tci >> 12) & 1, tci & 0xfff));
    cx.u(PRIORITY, tci >> 13, raw);
    cx.flag(DEI, tci & 0x1000 != 0, raw);
    cx.u(ID, tci & 0x0fff, raw);
    let Some(t) = b.be16(off + 2) else { return };
    if t <= 1500 {
        cx.u(LEN, t, b.span(off + 2, 2));
        let end = (off + 4 + t as usize).min(b.len());
        crate::proto::llc::dissect(cx, b, off + 4, end);
    } else {
        cx.u(ETYPE, t, b.span(off + 2, 2));
        crate::dissector::ethertype(cx, b, off + 4, t);
    }
}
