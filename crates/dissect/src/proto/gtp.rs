//! GTP-U (UDP port 2152): the G-PDU's inner IP packet.
crate::declare_fields! {
    after = super::geneve::END;
    PROTO = "gtp", "GPRS Tunneling Protocol", Protocol, None;
    FLAGS = "gtp.flags", "Flags", U8, Hex;
    MESSAGE = "gtp.message", "Message Type", U8, Hex;
    LENGTH = "gtp.length", "Length", U16, Dec;
    TEID = "gtp.teid", "TEID", U32, HexDec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "gtp", b.span_to(off, end));
    let (Some(f), Some(m), Some(l), Some(teid)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2), b.be32(off + 4)) else { return };
    cx.u(FLAGS, f, b.span(off, 1));
    cx.u(MESSAGE, m, b.span(off + 1, 1));
    cx.u(LENGTH, l, b.span(off + 2, 2));
    cx.u(TEID, teid, b.span(off + 4, 4));
    if f >> 5 != 1 || m != 0xff {
        return;
    }
    let mut p = off + 8;
    if f & 0x07 != 0 {
        // Sequence number, N-PDU number and the chain of extension headers.
        let mut next = b.u8(p + 3).unwrap_or(0);
        p += 4;
        while next != 0 {
            let Some(n) = b.u8(p) else { return };
            let len = n as usize * 4;
            if len == 0 {
                return;
            }
            next = b.u8(p + len - 1).unwrap_or(0);
            p += len;
        }
    }
    match b.u8(p).map(|x| x >> 4) {
        Some(4) => crate::proto::ip::dissect(cx, b.until(end), p),
        Some(6) => crate::proto::ipv6::dissect(cx, b.until(end), p),
        _ => crate::proto::data::dissect(cx, b, p, end),
    }
}
