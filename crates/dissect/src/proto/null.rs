//! BSD loopback (LINKTYPE_NULL, host byte order) and LINKTYPE_LOOP (network byte order).
crate::declare_fields! {
    after = super::sll::END;
    PROTO = "null", "Null/Loopback", Protocol, None;
    FAMILY = "null.family", "Family", U32, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, big_endian: bool) {
    cx.proto(PROTO, "null", b.span_to(0, 4));
    let Some(raw) = b.be32(0) else { return };
    // The header is in the capturing host's byte order: a value with its high half set
    // is a little-endian one.
    let family = if big_endian || raw & 0xffff_0000 == 0 { raw } else { raw.swap_bytes() };
    cx.u(FAMILY, family, b.span(0, 4));
    match family {
        2 => crate::proto::ip::dissect(cx, b, 4),
        24 | 28 | 30 => crate::proto::ipv6::dissect(cx, b, 4),
        _ => crate::proto::data::dissect(cx, b, 4, b.len()),
    }
}
