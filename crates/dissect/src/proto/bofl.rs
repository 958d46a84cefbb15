//! Wellfleet Breath of Life (ethertype 0x8102).
crate::declare_fields! {
    after = super::wol::END;
    PROTO = "bofl", "Wellfleet Breath of Life", Protocol, None;
    PDU = "bofl.pdu", "PDU", U32, Hex, blurb = "PDU; normally equals 0x01010000 or 0x01011111";
    SEQUENCE = "bofl.sequence", "Sequence", U32, Dec, blurb = "incremental counter";
    PADDING = "bofl.padding", "Padding", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    let end = b.len();
    cx.proto(PROTO, "bofl", b.span_to(off, end));
    let Some(pdu) = b.be32(off) else { return };
    cx.u(PDU, pdu, b.span(off, 4));
    let Some(seq) = b.be32(off + 4) else { return };
    cx.u(SEQUENCE, seq, b.span(off + 4, 4));
    if off + 8 < end {
        cx.add(PADDING, Value::Bytes(b.span(off + 8, end - off - 8)), b.span(off + 8, end - off - 8));
    }
}
