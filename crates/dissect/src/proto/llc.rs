//! IEEE 802.2 LLC with SNAP (carries an ethertype on 802.3 and 802.11).
crate::declare_fields! {
    after = super::vlan::END;
    PROTO = "llc", "Logical-Link Control", Protocol, None;
    DSAP = "llc.dsap", "DSAP", U8, Hex;
    SSAP = "llc.ssap", "SSAP", U8, Hex;
    CONTROL = "llc.control", "Control", U16, Hex;
    OUI = "llc.oui", "Organization Code", U24, Hex;
    PID = "llc.pid", "Protocol ID", U16, Hex;
    TYPE = "llc.type", "Type", U16, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "llc", b.span_to(off, end));
    let (Some(dsap), Some(ssap), Some(ctl)) = (b.u8(off), b.u8(off + 1), b.u8(off + 2)) else { return };
    cx.u(DSAP, dsap, b.span(off, 1));
    cx.u(SSAP, ssap, b.span(off + 1, 1));
    cx.u(CONTROL, ctl, b.span(off + 2, 1));
    if dsap == 0xaa && ssap == 0xaa {
        let (Some(oui), Some(pid)) = (b.be24(off + 3), b.be16(off + 6)) else { return };
        cx.u(OUI, oui, b.span(off + 3, 3));
        if oui == 0 || oui == 0xf8 {
            cx.u(TYPE, pid, b.span(off + 6, 2));
            crate::dissector::ethertype_payload(cx, b.until(end), off + 8, pid);
        } else {
            cx.u(PID, pid, b.span(off + 6, 2));
            crate::proto::data::dissect(cx, b, off + 8, end);
        }
    } else if off + 3 < end {
        crate::proto::data::dissect(cx, b, off + 3, end);
    }
}
