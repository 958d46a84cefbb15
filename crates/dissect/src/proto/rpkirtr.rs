//! RPKI-Router protocol (RFC 8210, TCP port 323): PDUs of an 8-byte header (version, type,
//! session id or reserved, 32-bit length of the whole PDU); several per segment, spanning
//! segments reassembled.
crate::declare_fields! {
    after = super::pcp::END;
    PROTO = "rpkirtr", "RPKI-Router Protocol", Protocol, None;
    VERSION = "rpki-rtr.version", "Version", U8, Dec;
    PDU_TYPE = "rpki-rtr.pdu_type", "PDU Type", U8, Dec, vals = PDU_TYPES;
    LENGTH = "rpki-rtr.length", "Length", U32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;

static PDU_TYPES: &[(u64, &str)] = &[
    (0, "Serial Notify"),
    (1, "Serial Query"),
    (2, "Reset Query"),
    (3, "Cache Response"),
    (4, "IPv4 Prefix"),
    (6, "IPv6 Prefix"),
    (7, "End of Data"),
    (8, "Cache Reset"),
    (9, "Router Key"),
    (10, "Error Report"),
];

/// PDUs in `off..end` of a TCP payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let len = |h: &[u8]| u32::from_be_bytes([h[4], h[5], h[6], h[7]]) as usize;
    crate::proto::apps::pdu_items(cx, b, off, end, 8, len, (PROTO, "rpkirtr", "+rpkirtr"), |cx, b, o, _| {
        if let (Some(v), Some(t), Some(l)) = (b.u8(o), b.u8(o + 1), b.be32(o + 4)) {
            cx.u(VERSION, v, b.span(o, 1));
            cx.u(PDU_TYPE, t, b.span(o + 1, 1));
            cx.u(LENGTH, l, b.span(o + 4, 4));
        }
    })
}
