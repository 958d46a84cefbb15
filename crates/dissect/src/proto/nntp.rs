//! Network News Transfer Protocol (TCP port 119): every segment is one `nntp` layer, a
//! request when it goes to the server's port, a response otherwise (nothing is reassembled).
crate::declare_fields! {
    after = super::dhcpfo::END;
    PROTO = "nntp", "Network News Transfer Protocol", Protocol, None;
    RESPONSE = "nntp.response", "Response", Boolean, None;
    REQUEST = "nntp.request", "Request", Boolean, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Span;

/// The segment's payload `off..end`; `request` when it goes to the server.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool) {
    cx.proto(PROTO, "nntp", b.span_to(off, end));
    cx.flag(if request { REQUEST } else { RESPONSE }, true, Span::EMPTY);
}
