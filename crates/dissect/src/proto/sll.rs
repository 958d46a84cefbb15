//! Linux cooked capture, v1 (LINKTYPE 113) and v2 (LINKTYPE 276, `tcpdump -i any`).
crate::declare_fields! {
    after = super::wlan::END;
    PROTO = "sll", "Linux cooked capture v1", Protocol, None;
    PKTTYPE = "sll.pkttype", "Packet type", U16, Dec;
    HATYPE = "sll.hatype", "Link-layer address type", U16, Dec;
    HALEN = "sll.halen", "Link-layer address length", U16, Dec;
    SRC_ETH = "sll.src.eth", "Source", Ether, None;
    SRC_IPV4 = "sll.src.ipv4", "Source", Ipv4, None;
    SRC_OTHER = "sll.src.other", "Source", Bytes, None;
    UNUSED = "sll.unused", "Unused", Bytes, None;
    ETYPE = "sll.etype", "Protocol", U16, Hex;
    LTYPE = "sll.ltype", "Protocol", U16, Hex;
    IFINDEX = "sll.ifindex", "Interface index", U32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

fn address(cx: &mut Cx, b: Bytes, off: usize, hatype: u16, halen: usize) {
    let n = halen.min(8);
    if halen == 6 {
        if let Some(m) = b.arr::<6>(off) {
            cx.add(SRC_ETH, Value::Ether(m), b.span(off, 6));
        }
    } else if halen == 4 && hatype == 778 {
        if let Some(a) = b.arr::<4>(off) {
            cx.add(SRC_IPV4, Value::Ipv4(a), b.span(off, 4));
        }
    } else if n > 0 && b.len() >= off + n {
        cx.add(SRC_OTHER, Value::Bytes(b.span(off, n)), b.span(off, n));
    }
    if n < 8 && b.len() >= off + 8 {
        cx.add(UNUSED, Value::Bytes(b.span(off + n, 8 - n)), b.span(off + n, 8 - n));
    }
}

fn payload(cx: &mut Cx, b: Bytes, off: usize, proto: u16, at: usize) {
    match proto {
        0x0001 | 0x0004 => {
            cx.u(LTYPE, proto, b.span(at, 2));
            if proto == 0x0004 {
                crate::proto::llc::dissect(cx, b, off, b.len());
            } else {
                crate::proto::data::dissect(cx, b, off, b.len());
            }
        }
        _ => {
            cx.u(ETYPE, proto, b.span(at, 2));
            crate::dissector::ethertype(cx, b, off, proto);
        }
    }
}

pub fn dissect_v1(cx: &mut Cx, b: Bytes) {
    cx.proto(PROTO, "sll", b.span_to(0, 16));
    let (Some(pt), Some(ha), Some(hl)) = (b.be16(0), b.be16(2), b.be16(4)) else { return };
    cx.u(PKTTYPE, pt, b.span(0, 2));
    cx.u(HATYPE, ha, b.span(2, 2));
    cx.u(HALEN, hl, b.span(4, 2));
    address(cx, b, 6, ha, hl as usize);
    let Some(proto) = b.be16(14) else { return };
    payload(cx, b, 16, proto, 14);
}

pub fn dissect_v2(cx: &mut Cx, b: Bytes) {
    cx.proto(PROTO, "sll", b.span_to(0, 20));
    let Some(proto) = b.be16(0) else { return };
    let (Some(ifx), Some(ha), Some(pt), Some(hl)) = (b.be32(4), b.be16(8), b.u8(10), b.u8(11)) else { return };
    cx.u(IFINDEX, ifx, b.span(4, 4));
    cx.u(HATYPE, ha, b.span(8, 2));
    cx.u(PKTTYPE, pt, b.span(10, 1));
    cx.u(HALEN, hl, b.span(11, 1));
    address(cx, b, 12, ha, hl as usize);
    if b.len() < 20 {
        return;
    }
    payload(cx, b, 20, proto, 0);
}
