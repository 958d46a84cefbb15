//! DHCP Failover (TCP port 647): messages led by their 16-bit length, several per segment
//! and spanning segments reassembled; the fixed header (length, type, payload offset,
//! time, xid) of each is shown.
crate::declare_fields! {
    after = super::pana::END;
    PROTO = "dhcpfo", "DHCP Failover", Protocol, None;
    LENGTH = "dhcpfo.length", "Message length", U16, Dec;
    TYPE = "dhcpfo.type", "Message Type", U8, Dec;
    POFFSET = "dhcpfo.poffset", "Payload Offset", U8, Dec;
    XID = "dhcpfo.xid", "Xid", U32, Hex;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

/// Messages in `off..end` of a TCP payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let mut first = true;
    crate::reasm::pdus(
        cx,
        b,
        off,
        end,
        2,
        |h| u16::from_be_bytes([h[0], h[1]]) as usize,
        |cx, b, o, e| {
            let sp = b.span_to(o, e);
            if first {
                cx.proto(PROTO, "dhcpfo", sp);
                first = false;
            } else {
                cx.push_name("+dhcpfo");
                cx.add(PROTO, Value::None, sp);
            }
            if let Some(len) = b.be16(o) {
                cx.u(LENGTH, len, b.span(o, 2));
            }
            if let Some(t) = b.u8(o + 2) {
                cx.u(TYPE, t, b.span(o + 2, 1));
            }
            if let Some(p) = b.u8(o + 3) {
                cx.u(POFFSET, p, b.span(o + 3, 1));
            }
            if let Some(x) = b.be32(o + 8) {
                cx.u(XID, x, b.span(o + 8, 4));
            }
        },
    )
}
