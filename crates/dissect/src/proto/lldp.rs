//! Link Layer Discovery Protocol (ethertype 0x88cc): each TLV's type and length, the
//! chassis and port ID subtypes and the time to live.
crate::declare_fields! {
    after = super::udld::END;
    PROTO = "lldp", "Link Layer Discovery Protocol", Protocol, None;
    TLV_TYPE = "lldp.tlv.type", "TLV Type", U16, Dec, mask = 0xfe00;
    TLV_LEN = "lldp.tlv.len", "TLV Length", U16, Dec, mask = 0x01ff;
    CHASSIS_SUBTYPE = "lldp.chassis.subtype", "Chassis Id Subtype", U8, Dec;
    PORT_SUBTYPE = "lldp.port.subtype", "Port Id Subtype", U8, Dec;
    TIME_TO_LIVE = "lldp.time_to_live", "Seconds", U16, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    let end = b.len();
    cx.proto(PROTO, "lldp", b.span_to(off, end));
    let mut p = off;
    while let Some(h) = b.be16(p) {
        let (ty, len) = (h >> 9, (h & 0x1ff) as usize);
        cx.u(TLV_TYPE, ty, b.span(p, 2));
        cx.u(TLV_LEN, len as u16, b.span(p, 2));
        match ty {
            0 => return,
            1 | 2 => {
                if let Some(s) = b.u8(p + 2).filter(|_| len >= 1) {
                    cx.u(if ty == 1 { CHASSIS_SUBTYPE } else { PORT_SUBTYPE }, s, b.span(p + 2, 1));
                }
            }
            3 => {
                if let Some(t) = b.be16(p + 2).filter(|_| len >= 2) {
                    cx.u(TIME_TO_LIVE, t, b.span(p + 2, 2));
                }
            }
            _ => {}
        }
        p += 2 + len;
    }
}
