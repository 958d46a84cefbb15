//! ICMPv6 (echo, errors quoting the offending packet, neighbour discovery basics).
crate::declare_fields! {
    after = super::icmp::END;
    PROTO = "icmpv6", "Internet Control Message Protocol v6", Protocol, None;
    TYPE = "icmpv6.type", "Type", U8, Dec;
    CODE = "icmpv6.code", "Code", U8, Dec;
    CHECKSUM = "icmpv6.checksum", "Checksum", U16, Hex;
    CHECKSUM_STATUS = "icmpv6.checksum.status", "Checksum Status", U8, None;
    ECHO_IDENTIFIER = "icmpv6.echo.identifier", "Identifier", U16, Hex;
    ECHO_SEQUENCE_NUMBER = "icmpv6.echo.sequence_number", "Sequence", U16, Dec;
    NONCE = "icmpv6.nonce", "Nonce", Bytes, None;
    MTU = "icmpv6.mtu", "MTU", U32, Dec;
    ND_NS_TARGET = "icmpv6.nd.ns.target_address", "Target Address", Ipv6, None;
    ND_NA_TARGET = "icmpv6.nd.na.target_address", "Target Address", Ipv6, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::{Span, Value};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "icmpv6", b.span_to(off, end));
    let (Some(t), Some(c)) = (b.u8(off), b.u8(off + 1)) else { return };
    cx.u(TYPE, t, b.span(off, 1));
    cx.u(CODE, c, b.span(off + 1, 1));
    let Some(ck) = b.be16(off + 2) else { return };
    cx.u(CHECKSUM, ck, b.span(off + 2, 2));
    cx.u(CHECKSUM_STATUS, 2u8, Span::EMPTY);
    match t {
        128 | 129 => {
            if let (Some(id), Some(seq)) = (b.be16(off + 4), b.be16(off + 6)) {
                cx.u(ECHO_IDENTIFIER, id, b.span(off + 4, 2));
                cx.u(ECHO_SEQUENCE_NUMBER, seq, b.span(off + 6, 2));
            }
            let data = off + 8;
            if t == 128 && cx.destport == 3544 {
                // An echo request to Teredo's UDP port is a direct connectivity test (RFC
                // 4380 5.2.9): tshark reads a 4-byte nonce and nothing after it.
                if data + 4 > b.len().min(end) {
                    cx.bounds_error(data + 4, end);
                    return;
                }
                cx.add(NONCE, Value::Bytes(b.span(data, 4)), b.span(data, 4));
            } else if data < end {
                crate::proto::data::dissect(cx, b, data, end);
            }
        }
        1..=4 => {
            if t == 2 {
                if let Some(mtu) = b.be32(off + 4) {
                    cx.u(MTU, mtu, b.span(off + 4, 4));
                }
            }
            if off + 8 < end {
                cx.quoted(|cx| crate::proto::ipv6::dissect(cx, b.until(end), off + 8));
            }
        }
        137 => {
            // A redirect's options after the target and destination addresses: the
            // redirected-header option (type 4) quotes the packet, as an error does.
            let mut o = off + 40;
            while let (Some(ot), Some(ol)) = (b.u8(o), b.u8(o + 1)) {
                let len = ol as usize * 8;
                if len == 0 || o + len > end {
                    break;
                }
                if ot == 4 && len > 8 {
                    cx.quoted(|cx| crate::proto::ipv6::dissect(cx, b.until(o + len), o + 8));
                }
                o += len;
            }
        }
        135 | 136 => {
            if let Some(a) = b.arr::<16>(off + 8) {
                cx.add(if t == 135 { ND_NS_TARGET } else { ND_NA_TARGET }, Value::Ipv6(a), b.span(off + 8, 16));
            }
        }
        _ => {}
    }
}
