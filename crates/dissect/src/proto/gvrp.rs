//! GVRP (GARP VLAN Registration Protocol, IEEE 802.1Q), which tshark's BPDU dissector
//! hands frames to 01:80:c2:00:00:21: the protocol identifier and the attributes. A first
//! message of another attribute type than VLAN (1) leaves the rest to `data`.
crate::declare_fields! {
    after = super::stp::END;
    PROTO = "gvrp", "GARP VLAN Registration Protocol", Protocol, None;
    PROTOCOL_ID = "gvrp.protocol_id", "Protocol Identifier", U16, Hex;
    ATTRIBUTE_TYPE = "gvrp.attribute_type", "Type", U8, Hex;
    ATTRIBUTE_LENGTH = "gvrp.attribute_length", "Length", U8, Dec;
    ATTRIBUTE_EVENT = "gvrp.attribute_event", "Event", U8, Dec;
    ATTRIBUTE_VALUE = "gvrp.attribute_value", "Value", U16, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "gvrp", b.span_to(off, end));
    let Some(pid) = b.be16(off) else { return };
    cx.u(PROTOCOL_ID, pid, b.span(off, 2));
    let mut p = off + 2;
    let Some(ty) = b.u8(p) else { return };
    if ty != 1 {
        crate::proto::data::dissect(cx, b, p, end);
        return;
    }
    cx.u(ATTRIBUTE_TYPE, ty, b.span(p, 1));
    p += 1;
    // Attributes until an end mark (a zero length byte).
    while p < end {
        let Some(len) = b.u8(p) else { return };
        if len == 0 {
            return;
        }
        cx.u(ATTRIBUTE_LENGTH, len, b.span(p, 1));
        let Some(ev) = b.u8(p + 1) else { return };
        cx.u(ATTRIBUTE_EVENT, ev, b.span(p + 1, 1));
        if len == 4 {
            let Some(v) = b.be16(p + 2) else { return };
            cx.u(ATTRIBUTE_VALUE, v, b.span(p + 2, 2));
        }
        p += (len as usize).max(2);
    }
}
