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
    if ctl & 3 == 3 {
        cx.u(CONTROL, ctl, b.span(off + 2, 1));
    } else if let Some(c2) = b.le16(off + 2) {
        cx.u(CONTROL, c2, b.span(off + 2, 2));
    }
    if dsap == 0xaa && ssap == 0xaa {
        let (Some(oui), Some(pid)) = (b.be24(off + 3), b.be16(off + 6)) else { return };
        cx.u(OUI, oui, b.span(off + 3, 3));
        if oui == 0 || oui == 0xf8 {
            cx.u(TYPE, pid, b.span(off + 6, 2));
            crate::dissector::ethertype_payload(cx, b.until(end), off + 8, pid);
        } else {
            cx.u(PID, pid, b.span(off + 6, 2));
            match (oui, pid) {
                (0x00000c, 0x2000) => crate::proto::cdp::dissect(cx, b, off + 8, end),
                (0x00000c, 0x2004) => crate::proto::dtp::dissect(cx, b, off + 8, end),
                (0x00000c, 0x0111) => crate::proto::udld::dissect(cx, b, off + 8, end),
                (0x00000c, 0x010b) => crate::proto::stp::dissect(cx, b, off + 8, end),
                _ => crate::proto::data::dissect(cx, b, off + 8, end),
            }
        }
    } else if dsap == 0x42 && ssap == 0x42 && ctl == 0x03 {
        crate::proto::stp::dissect(cx, b, off + 3, end);
    } else {
        // I and S frames have a 2-byte control field (S frames carry nothing).
        let body = if ctl & 3 == 3 { off + 3 } else { off + 4 };
        if ctl & 3 == 1 || body >= end {
            return;
        }
        match (dsap & 0xfe, ctl & 3 == 3) {
            (0xe0, true) => crate::proto::ipx::dissect(cx, b, body, end),
            (0xf0, _) => crate::proto::netbios::dissect(cx, b, body, end),
            _ => crate::proto::data::dissect(cx, b, body, end),
        }
    }
}
