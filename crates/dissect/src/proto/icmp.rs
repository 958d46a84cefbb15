//! ICMP; error messages quote the offending IP header, dissected as tshark does.
crate::declare_fields! {
    after = super::ipv6::END;
    PROTO = "icmp", "Internet Control Message Protocol", Protocol, None;
    TYPE = "icmp.type", "Type", U8, Dec;
    CODE = "icmp.code", "Code", U8, Dec;
    CHECKSUM = "icmp.checksum", "Checksum", U16, Hex;
    CHECKSUM_STATUS = "icmp.checksum.status", "Checksum Status", U8, None;
    IDENT = "icmp.ident", "Identifier (BE)", U16, DecHex;
    IDENT_LE = "icmp.ident_le", "Identifier (LE)", U16, DecHex;
    SEQ = "icmp.seq", "Sequence Number (BE)", U16, DecHex;
    SEQ_LE = "icmp.seq_le", "Sequence Number (LE)", U16, DecHex;
    MTU = "icmp.mtu", "MTU of next hop", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Span;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "icmp", b.span_to(off, end));
    let (Some(t), Some(c)) = (b.u8(off), b.u8(off + 1)) else { return };
    cx.u(TYPE, t, b.span(off, 1));
    cx.u(CODE, c, b.span(off + 1, 1));
    let Some(ck) = b.be16(off + 2) else { return };
    cx.u(CHECKSUM, ck, b.span(off + 2, 2));
    cx.u(CHECKSUM_STATUS, 2u8, Span::EMPTY);
    match t {
        0 | 8 | 13 | 14 | 15 | 16 | 17 | 18 => {
            if let (Some(id), Some(seq)) = (b.be16(off + 4), b.be16(off + 6)) {
                cx.u(IDENT, id, b.span(off + 4, 2));
                cx.u(IDENT_LE, id.swap_bytes(), b.span(off + 4, 2));
                cx.u(SEQ, seq, b.span(off + 6, 2));
                cx.u(SEQ_LE, seq.swap_bytes(), b.span(off + 6, 2));
            }
            if matches!(t, 0 | 8) && off + 8 < end {
                crate::proto::data::dissect(cx, b, off + 8, end);
            }
        }
        3 | 4 | 5 | 11 | 12 => {
            if t == 3 && c == 4 {
                if let Some(mtu) = b.be16(off + 6) {
                    cx.u(MTU, mtu, b.span(off + 6, 2));
                }
            }
            if off + 8 < end {
                cx.quoted(|cx| crate::proto::ip::dissect(cx, b.until(end), off + 8));
            }
        }
        _ => {
            if off + 8 < end {
                crate::proto::data::dissect(cx, b, off + 8, end);
            }
        }
    }
}
