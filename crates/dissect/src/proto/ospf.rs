//! Open Shortest Path First (IP protocol 89), versions 2 and 3: the common header
//! (OSPFv2's authentication fields, OSPFv3's instance id) and the Hello packet's fixed part.
crate::declare_fields! {
    after = super::x509::END;
    PROTO = "ospf", "Open Shortest Path First", Protocol, None;
    VERSION = "ospf.version", "Version", U8, Dec;
    MSG = "ospf.msg", "Message Type", U8, Dec;
    PACKET_LENGTH = "ospf.packet_length", "Packet Length", U16, Dec;
    SRCROUTER = "ospf.srcrouter", "Source OSPF Router", Ipv4, None;
    AREA_ID = "ospf.area_id", "Area ID", Ipv4, None;
    CHECKSUM = "ospf.checksum", "Checksum", U16, Hex;
    AUTH_TYPE = "ospf.auth.type", "Auth Type", U16, Dec;
    AUTH_NONE = "ospf.auth.none", "Auth Data (none)", Bytes, None;
    INSTANCE_ID = "ospf.instance_id", "Instance ID", U8, Dec;
    HELLO_NETWORK_MASK = "ospf.hello.network_mask", "Network Mask", Ipv4, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "ospf", b.span_to(off, end));
    let (Some(ver), Some(msg), Some(len)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2)) else { return };
    cx.u(VERSION, ver, b.span(off, 1));
    cx.u(MSG, msg, b.span(off + 1, 1));
    cx.u(PACKET_LENGTH, len, b.span(off + 2, 2));
    let (Some(rid), Some(area)) = (b.arr::<4>(off + 4), b.arr::<4>(off + 8)) else { return };
    cx.add(SRCROUTER, Value::Ipv4(rid), b.span(off + 4, 4));
    cx.add(AREA_ID, Value::Ipv4(area), b.span(off + 8, 4));
    let Some(ck) = b.be16(off + 12) else { return };
    cx.u(CHECKSUM, ck, b.span(off + 12, 2));
    let body = match ver {
        2 => {
            let Some(at) = b.be16(off + 14) else { return };
            cx.u(AUTH_TYPE, at, b.span(off + 14, 2));
            if at == 0 && b.arr::<8>(off + 16).is_some() {
                cx.add(AUTH_NONE, Value::Bytes(b.span(off + 16, 8)), b.span(off + 16, 8));
            }
            off + 24
        }
        3 => {
            let Some(inst) = b.u8(off + 14) else { return };
            cx.u(INSTANCE_ID, inst, b.span(off + 14, 1));
            off + 16
        }
        _ => return,
    };
    if ver == 2 && msg == 1 {
        if let Some(mask) = b.arr::<4>(body) {
            cx.add(HELLO_NETWORK_MASK, Value::Ipv4(mask), b.span(body, 4));
        }
    }
}
