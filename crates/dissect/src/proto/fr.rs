//! Frame Relay (LINKTYPE 107) with RFC 2427 NLPID or SNAP encapsulation.
crate::declare_fields! {
    after = super::chdlc::END;
    PROTO = "fr", "Frame Relay", Protocol, None;
    DLCI = "fr.dlci", "DLCI", U32, Dec;
    CONTROL = "fr.control", "Control Field", U8, Hex;
    NLPID = "fr.nlpid", "NLPID", U8, Hex;
    SNAPTYPE = "fr.snaptype", "Type", U16, Hex;
    CHDLCTYPE = "fr.chdlctype", "Type", U16, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes) {
    cx.proto(PROTO, "fr", b.span_to(0, b.reported));
    let (Some(a0), Some(a1)) = (b.u8(0), b.u8(1)) else { return };
    cx.u(DLCI, (((a0 >> 2) as u32) << 4) | (a1 >> 4) as u32, b.span(0, 2));
    let Some(ctl) = b.u8(2) else { return };
    if ctl != 0x03 {
        // Cisco encapsulation: an ethertype straight after the address.
        let Some(t) = b.be16(2) else { return };
        cx.u(CHDLCTYPE, t, b.span(2, 2));
        crate::dissector::ethertype_payload(cx, b, 4, t);
        return;
    }
    cx.u(CONTROL, ctl, b.span(2, 1));
    let mut p = 3;
    if b.u8(p) == Some(0) {
        p += 1; // padding before the NLPID
    }
    let Some(nlpid) = b.u8(p) else { return };
    cx.u(NLPID, nlpid, b.span(p, 1));
    match nlpid {
        0xcc => crate::proto::ip::dissect(cx, b, p + 1),
        0x8e => crate::proto::ipv6::dissect(cx, b, p + 1),
        0x80 => {
            if let Some(t) = b.be16(p + 4) {
                cx.u(SNAPTYPE, t, b.span(p + 4, 2));
                crate::dissector::ethertype_payload(cx, b, p + 6, t);
            }
        }
        _ => crate::proto::data::dissect(cx, b, p + 1, b.reported),
    }
}
