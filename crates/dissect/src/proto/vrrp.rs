//! Virtual Router Redundancy Protocol (IP protocol 112), versions 2 and 3.
crate::declare_fields! {
    after = super::ospf::END;
    PROTO = "vrrp", "Virtual Router Redundancy Protocol", Protocol, None;
    VERSION = "vrrp.version", "VRRP protocol version", U8, Dec, mask = 0xf0, blurb = "VRRP version";
    TYPE = "vrrp.type", "VRRP packet type", U8, Dec, mask = 0xf, blurb = "VRRP type";
    VIRT_RTR_ID = "vrrp.virt_rtr_id", "Virtual Rtr ID", U8, Dec, blurb = "Virtual router this packet is reporting status for";
    PRIO = "vrrp.prio", "Priority", U8, Dec, blurb = "Sending VRRP router's priority for the virtual router";
    ADDR_COUNT = "vrrp.addr_count", "Addr Count", U8, Dec, blurb = "The number of addresses contained in this VRRP advertisement";
    AUTH_TYPE = "vrrp.auth_type", "Auth Type", U8, Dec, blurb = "The authentication method being utilized";
    ADVER_INT = "vrrp.adver_int", "Adver Int", U8, Dec, blurb = "Time interval (in seconds) between ADVERTISEMENTS";
    CHECKSUM = "vrrp.checksum", "Checksum", U16, Hex, blurb = "Used to detect data corruption in the VRRP message";
    IP_ADDR = "vrrp.ip_addr", "IP Address", Ipv4, None, blurb = "IP address associated with the virtual router";
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "vrrp", b.span_to(off, end));
    let Some(vt) = b.u8(off) else { return };
    cx.u(VERSION, vt >> 4, b.span(off, 1));
    cx.u(TYPE, vt & 0xf, b.span(off, 1));
    let (Some(id), Some(prio), Some(n)) = (b.u8(off + 1), b.u8(off + 2), b.u8(off + 3)) else { return };
    cx.u(VIRT_RTR_ID, id, b.span(off + 1, 1));
    cx.u(PRIO, prio, b.span(off + 2, 1));
    cx.u(ADDR_COUNT, n, b.span(off + 3, 1));
    if vt >> 4 != 2 {
        return;
    }
    let (Some(at), Some(int), Some(ck)) = (b.u8(off + 4), b.u8(off + 5), b.be16(off + 6)) else { return };
    cx.u(AUTH_TYPE, at, b.span(off + 4, 1));
    cx.u(ADVER_INT, int, b.span(off + 5, 1));
    cx.u(CHECKSUM, ck, b.span(off + 6, 2));
    for i in 0..n as usize {
        let o = off + 8 + 4 * i;
        if o + 4 > end {
            break;
        }
        let Some(a) = b.arr::<4>(o) else { break };
        cx.add(IP_ADDR, Value::Ipv4(a), b.span(o, 4));
    }
}
