//! Resource ReserVation Protocol (IP protocol 46): the common header.
crate::declare_fields! {
    after = super::pim::END;
    PROTO = "rsvp", "Resource ReserVation Protocol (RSVP)", Protocol, None;
    VERSION = "rsvp.version", "RSVP Version", U8, Dec, mask = 0xf0;
    FLAGS = "rsvp.flags", "Flags", U8, Hex, mask = 0xf;
    MSG = "rsvp.msg", "Message Type", U8, Dec;
    SENDING_TTL = "rsvp.sending_ttl", "Sending TTL", U8, Dec;
    MESSAGE_LENGTH = "rsvp.message_length", "Message length", U16, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "rsvp", b.span_to(off, end));
    let (Some(vf), Some(msg)) = (b.u8(off), b.u8(off + 1)) else { return };
    cx.u(VERSION, vf >> 4, b.span(off, 1));
    cx.u(FLAGS, vf & 0xf, b.span(off, 1));
    cx.u(MSG, msg, b.span(off + 1, 1));
    if let Some(ttl) = b.u8(off + 4) {
        cx.u(SENDING_TTL, ttl, b.span(off + 4, 1));
    }
    if let Some(len) = b.be16(off + 6) {
        cx.u(MESSAGE_LENGTH, len, b.span(off + 6, 2));
    }
}
