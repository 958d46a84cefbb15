//! Dropbox LAN sync Discovery (UDP port 17500): a JSON announcement, dissected as JSON
//! inside the protocol's own item.
crate::declare_fields! {
    after = super::gquic::END;
    PROTO = "db-lsp-disc", "Dropbox LAN sync Discovery Protocol", Protocol, None;
}

use crate::cx::{Bytes, Cx};

/// The announcement in `off..end` of a datagram.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let sp = b.span_to(off, end);
    cx.proto(PROTO, "db-lsp-disc", sp);
    if off < end.min(b.len()) {
        cx.nested(|cx| cx.proto(crate::proto::media::JSON, "json", sp));
    }
}
