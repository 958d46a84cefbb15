//! Unified Diagnostic Services (ISO 14229), as DoIP's diagnostic messages carry it: the
//! service identifier.
crate::declare_fields! {
    after = super::udpencap::END;
    PROTO = "uds", "Unified Diagnostic Services", Protocol, None;
    SID = "uds.sid", "Service Identifier", U8, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "uds", b.span_to(off, end));
    match b.u8(off) {
        Some(sid) => cx.u(SID, sid, b.span(off, 1)),
        None => cx.bounds_error(off + 1, end),
    }
}
