//! MikroTik Neighbor Discovery (UDP port 5678): a 4-byte header and type-length-value
//! records. A payload under 8 bytes, or whose bytes 4 and 6 (the first record's type and
//! length, high bytes) are not zero, is rejected.
crate::declare_fields! {
    after = super::tivoconnect::END;
    PROTO = "mndp", "Mikrotik Neighbor Discovery Protocol", Protocol, None;
    TLV_TYPE = "mndp.tlv.type", "TlvType", U16, Dec;
    TLV_LENGTH = "mndp.tlv.length", "TlvLength", U16, Dec;
    HEADER_UNKNOWN = "mndp.header.unknown", "Header Unknown", Bytes, None;
    HEADER_SEQNO = "mndp.header.seqno", "SeqNo", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// tshark's test of the captured payload `d`.
pub fn looks_like(d: &[u8]) -> bool {
    d.len() >= 8 && d[4] == 0 && d[6] == 0
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "mndp", b.span_to(off, end));
    let sp = b.span(off, 2);
    cx.add(HEADER_UNKNOWN, Value::Bytes(sp), sp);
    if let Some(seq) = b.be16(off + 2) {
        cx.u(HEADER_SEQNO, seq, b.span(off + 2, 2));
    }
    let mut p = off + 4;
    while p < end {
        let (Some(t), Some(l)) = (b.be16(p), b.be16(p + 2)) else {
            cx.bounds_error(p + 4, end);
            return;
        };
        cx.u(TLV_TYPE, t, b.span(p, 2));
        cx.u(TLV_LENGTH, l, b.span(p + 2, 2));
        let next = p + 4 + l as usize;
        if next > b.len() {
            cx.bounds_error(next, end);
            return;
        }
        p = next;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn test() {
        assert!(super::looks_like(&[0, 4, 0x68, 0x3f, 0, 1, 0, 6]));
        assert!(!super::looks_like(&[0, 4, 0x68, 0x3f, 1, 1, 0, 6]));
        assert!(!super::looks_like(&[0, 4, 0x68, 0x3f, 0, 1, 0]));
    }
}
