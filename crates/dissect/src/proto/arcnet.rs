//! ARCNET with Linux's header (LINKTYPE_ARCNET_LINUX, 129): source, destination, offset and
//! protocol id; RFC 1051 and RFC 1201 IP and ARP are handed on.
crate::declare_fields! {
    after = super::i2c::END;
    PROTO = "arcnet", "ARCNET", Protocol, None;
    SRC = "arcnet.src", "Source", U8, Hex;
    DST = "arcnet.dst", "Dest", U8, Hex;
    OFFSET = "arcnet.offset", "Offset", Bytes, None;
    PROTID = "arcnet.protID", "Protocol ID", U8, Hex;
    SPLIT_FLAG = "arcnet.split_flag", "Split Flag", U8, Dec;
    SEQUENCE = "arcnet.sequence", "Sequence", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect_linux(cx: &mut Cx, b: Bytes) {
    cx.proto(PROTO, "arcnet", b.span_to(0, b.len()));
    let (Some(src), Some(dst), Some(pid)) = (b.u8(0), b.u8(1), b.u8(4)) else { return };
    cx.u(SRC, src, b.span(0, 1));
    cx.u(DST, dst, b.span(1, 1));
    cx.add(OFFSET, Value::Bytes(b.span(2, 2)), b.span(2, 2));
    cx.u(PROTID, pid, b.span(4, 1));
    let mut p = 5;
    // RFC 1201 protocols carry a split flag and a sequence number.
    if matches!(pid, 0xd4..=0xd6) {
        let (Some(split), Some(seq)) = (b.u8(5), b.be16(6)) else { return };
        cx.u(SPLIT_FLAG, split, b.span(5, 1));
        cx.u(SEQUENCE, seq, b.span(6, 2));
        p = 8;
    }
    match pid {
        0xf0 | 0xd4 => crate::proto::ip::dissect(cx, b, p),
        0xf1 | 0xd5 | 0xd6 => crate::proto::arp::dissect(cx, b, p),
        _ => crate::proto::data::dissect(cx, b, p, b.len()),
    }
}
