//! Performance Co-Pilot (TCP port 44321): PDUs led by a 32-bit length counting the whole
//! PDU, then a type and the sender; several per segment, spanning segments reassembled.
crate::declare_fields! {
    after = super::netsync::END;
    PROTO = "pcp", "Performance Co-Pilot", Protocol, None;
    LENGTH = "pcp.length", "PDU Length", U32, Dec;
    TYPE = "pcp.type", "Type", U32, Hex, vals = TYPES;
    FROM = "pcp.from", "From", U32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;

static TYPES: &[(u64, &str)] = &[
    (0x7000, "START/ERROR"),
    (0x7001, "RESULT"),
    (0x7002, "PROFILE"),
    (0x7003, "FETCH"),
    (0x7004, "DESC_REQ"),
    (0x7005, "DESC"),
    (0x7006, "INSTANCE_REQ"),
    (0x7007, "INSTANCE"),
    (0x7008, "TEXT_REQ"),
    (0x7009, "TEXT"),
    (0x700c, "CREDS"),
    (0x700d, "PMNS_IDS"),
    (0x700e, "PMNS_NAMES"),
    (0x7010, "PMNS_TRAVERSE"),
];

/// PDUs in `off..end` of a TCP payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let len = |h: &[u8]| u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize;
    crate::proto::apps::pdu_items(cx, b, off, end, 4, len, (PROTO, "pcp", "+pcp"), |cx, b, o, e| {
        for (i, id) in [LENGTH, TYPE, FROM].into_iter().enumerate() {
            let at = o + 4 * i;
            match b.be32(at).filter(|_| at + 4 <= e) {
                Some(v) => cx.u(id, v, b.span(at, 4)),
                None => return cx.bounds_error(at + 4, e),
            }
        }
    })
}
