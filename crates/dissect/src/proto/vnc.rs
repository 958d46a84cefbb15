//! Virtual Network Computing (RFB, TCP ports 5500, 5501, 5900, 5901): every segment of the
//! conversation is shown as VNC; the protocol version strings of the handshake
//! (`RFB xxx.yyy\n`) are read.
crate::declare_fields! {
    after = super::mbtcp::END;
    PROTO = "vnc", "Virtual Network Computing", Protocol, None;
    SERVER_PROTO_VER = "vnc.server_proto_ver", "Server protocol version", String, None;
    CLIENT_PROTO_VER = "vnc.client_proto_ver", "Client protocol version", String, None;
}

use crate::cx::{Bytes, Cx};

/// One segment's payload `off..end`; `request` when it goes to the server's port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool) {
    cx.proto(PROTO, "vnc", b.span_to(off, end));
    let d = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    if d.len() == 12 && d.starts_with(b"RFB ") && d[11] == b'\n' {
        let id = if request { CLIENT_PROTO_VER } else { SERVER_PROTO_VER };
        cx.add_ascii(id, &d[4..11], b.span(off + 4, 7));
    }
}
