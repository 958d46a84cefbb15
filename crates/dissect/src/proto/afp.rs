//! AFP (Apple Filing Protocol): only the Spotlight data that tshark's macOS Spotlight
//! (MDSSVC) DCE-RPC interface hands to AFP's Spotlight dissector for its `cmd` call
//! (opnum 2). The layer is dissected inside the MDSSVC item, so `frame.protocols` lists
//! `afp` and `io,phs` does not.
crate::declare_fields! {
    after = super::proxy::END;
    PROTO = "afp", "Apple Filing Protocol", Protocol, None;
}

use crate::cx::{Bytes, Cx};

/// MDSSVC's operation number whose request and response blobs carry Spotlight data.
pub const MDSSVC_CMD: u16 = 2;

/// The Spotlight data of an MDSSVC `cmd` stub at `off..end`, inside the interface's item.
pub fn spotlight(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.nested(|cx| cx.proto(PROTO, "afp", b.span_to(off, end)));
}
