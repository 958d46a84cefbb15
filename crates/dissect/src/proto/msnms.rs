//! MSN Messenger Service (port 1863): text lines, shown as one item over the payload (tshark
//! dissects no fields of it).
crate::declare_fields! {
    after = super::diameter::END;
    PROTO = "msnms", "MSN Messenger Service", Protocol, None;
}

use crate::cx::{Bytes, Cx};

/// A TCP payload at `off..end` on MSNMS's port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "msnms", b.span_to(off, end));
}
