//! Transparent Inter Process Communication, version 2 (ethertype 0x88ca): the first header
//! word (version, user, header size, message size); a payload message's data after the
//! header is `data`.
crate::declare_fields! {
    after = super::hcrt::END;
    PROTO = "tipc", "Transparent Inter Process Communication(TIPC)", Protocol, None;
    VER = "tipc.ver", "Version", U32, Dec, mask = 0xe000_0000;
    USR = "tipc.usr", "User", U32, Dec, mask = 0x1e00_0000;
    HDR_SIZE = "tipc.hdr_size", "Header size", U32, Dec, mask = 0x01e0_0000;
    MSG_SIZE = "tipc.msg_size", "Message size", U32, Dec, mask = 0x0001_ffff;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    let end = b.reported;
    cx.proto(PROTO, "tipc", b.span_to(off, end));
    let Some(w) = b.be32(off) else {
        cx.bounds_error(off + 4, end);
        return;
    };
    let (ver, user, hsize, msize) = (w >> 29, (w >> 25) & 0xf, (w >> 21) & 0xf, w & 0x1_ffff);
    cx.u(VER, ver, b.span(off, 4));
    cx.u(USR, user, b.span(off, 4));
    cx.u(HDR_SIZE, hsize, b.span(off, 4));
    cx.u(MSG_SIZE, msize, b.span(off, 4));
    // Users 0-3 carry payload: the bytes after the header, up to the message's size.
    let (hdr, msg) = (off + 4 * hsize as usize, off + msize as usize);
    if ver == 2 && user <= 3 && msg > hdr && hdr < end.min(b.len()) {
        crate::proto::data::dissect(cx, b, hdr, msg.min(end));
    }
}
