//! ARP (Ethernet/IPv4 addresses decoded; other hardware types as bytes).
crate::declare_fields! {
    after = super::llc::END;
    PROTO = "arp", "Address Resolution Protocol", Protocol, None;
    HW_TYPE = "arp.hw.type", "Hardware type", U16, Dec;
    PROTO_TYPE = "arp.proto.type", "Protocol type", U16, Hex;
    HW_SIZE = "arp.hw.size", "Hardware size", U8, Dec;
    PROTO_SIZE = "arp.proto.size", "Protocol size", U8, Dec;
    OPCODE = "arp.opcode", "Opcode", U16, Dec;
    SRC_HW_MAC = "arp.src.hw_mac", "Sender MAC address", Ether, None;
    SRC_PROTO_IPV4 = "arp.src.proto_ipv4", "Sender IP address", Ipv4, None;
    DST_HW_MAC = "arp.dst.hw_mac", "Target MAC address", Ether, None;
    DST_PROTO_IPV4 = "arp.dst.proto_ipv4", "Target IP address", Ipv4, None;
    SRC_HW = "arp.src.hw", "Sender hardware address", Bytes, None;
    SRC_PROTO = "arp.src.proto", "Sender protocol address", Bytes, None;
    DST_HW = "arp.dst.hw", "Target hardware address", Bytes, None;
    DST_PROTO = "arp.dst.proto", "Target protocol address", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "arp", b.span_to(off, b.len()));
    let (Some(ht), Some(pt), Some(hs), Some(ps), Some(op)) = (b.be16(off), b.be16(off + 2), b.u8(off + 4), b.u8(off + 5), b.be16(off + 6)) else {
        return;
    };
    cx.u(HW_TYPE, ht, b.span(off, 2));
    cx.u(PROTO_TYPE, pt, b.span(off + 2, 2));
    cx.u(HW_SIZE, hs, b.span(off + 4, 1));
    cx.u(PROTO_SIZE, ps, b.span(off + 5, 1));
    cx.u(OPCODE, op, b.span(off + 6, 2));
    let (hs, ps) = (hs as usize, ps as usize);
    let mut p = off + 8;
    for (hw_mac, proto_v4, hw, proto) in [(SRC_HW_MAC, SRC_PROTO_IPV4, SRC_HW, SRC_PROTO), (DST_HW_MAC, DST_PROTO_IPV4, DST_HW, DST_PROTO)] {
        if b.len() < p + hs + ps {
            return;
        }
        if hs == 6 && (ht == 1 || ht == 6) {
            cx.add(hw_mac, Value::Ether(b.arr::<6>(p).unwrap_or_default()), b.span(p, 6));
        } else if hs > 0 {
            cx.add(hw, Value::Bytes(b.span(p, hs)), b.span(p, hs));
        }
        p += hs;
        if ps == 4 && pt == 0x0800 {
            cx.add(proto_v4, Value::Ipv4(b.arr::<4>(p).unwrap_or_default()), b.span(p, 4));
        } else if ps > 0 {
            cx.add(proto, Value::Bytes(b.span(p, ps)), b.span(p, ps));
        }
        p += ps;
    }
}
