//! Configuration Test Protocol (loopback, ethertype 0x9000): the skip count and the
//! functions (little-endian); what follows them goes to `data`.
crate::declare_fields! {
    after = super::slow::END;
    PROTO = "loop", "Configuration Test Protocol (loopback)", Protocol, None;
    SKIPCOUNT = "loop.skipcount", "skipCount", U16, Dec;
    RELEVANT_FUNCTION = "loop.relevant_function", "Relevant function", U16, Dec;
    FUNCTION = "loop.function", "Function", U16, Dec;
    RECEIPT_NUMBER = "loop.receipt_number", "Receipt number", U16, Dec;
    FORWARDING_ADDRESS = "loop.forwarding_address", "Forwarding address", Ether, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    let end = b.len();
    cx.proto(PROTO, "loop", b.span_to(off, end));
    let Some(skip) = b.le16(off) else { return };
    cx.u(SKIPCOUNT, skip, b.span(off, 2));
    let mut p = off + 2 + skip as usize;
    let Some(rel) = b.le16(p) else { return };
    cx.u(RELEVANT_FUNCTION, rel, b.span(p, 2));
    loop {
        let Some(f) = b.le16(p) else { return };
        cx.u(FUNCTION, f, b.span(p, 2));
        p += 2;
        match f {
            1 => {
                let Some(r) = b.le16(p) else { return };
                cx.u(RECEIPT_NUMBER, r, b.span(p, 2));
                p += 2;
                break;
            }
            2 => {
                let Some(a) = b.arr::<6>(p) else { return };
                cx.add(FORWARDING_ADDRESS, Value::Ether(a), b.span(p, 6));
                p += 6;
            }
            _ => break,
        }
    }
    if p < end {
        crate::proto::data::dissect(cx, b, p, end);
    }
}
