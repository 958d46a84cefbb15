//! PPP over Ethernet, session stage (ethertype 0x8864), carrying PPP.
crate::declare_fields! {
    after = super::vntag::END;
    PROTO = "pppoe", "PPP-over-Ethernet", Protocol, None;
    VERSION = "pppoe.version", "Version", U8, Dec;
    TYPE = "pppoe.type", "Type", U8, Dec;
    CODE = "pppoe.code", "Code", U8, Hex;
    SESSION_ID = "pppoe.session_id", "Session ID", U16, Hex;
    PAYLOAD_LENGTH = "pppoe.payload_length", "Payload Length", U16, Dec;
    PPPOES = "pppoes", "PPP-over-Ethernet Session", Protocol, None;
}

use crate::cx::{Bytes, Cx};

pub fn dissect_session(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PPPOES, "pppoes", b.span_to(off, b.reported));
    let (Some(vt), Some(code), Some(sid), Some(len)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2), b.be16(off + 4)) else { return };
    cx.u(VERSION, vt >> 4, b.span(off, 1));
    cx.u(TYPE, vt & 0xf, b.span(off, 1));
    cx.u(CODE, code, b.span(off + 1, 1));
    cx.u(SESSION_ID, sid, b.span(off + 2, 2));
    cx.u(PAYLOAD_LENGTH, len, b.span(off + 4, 2));
    let end = (off + 6 + len as usize).min(b.reported);
    crate::proto::ppp::dissect_at(cx, b.until(end), off + 6);
}
