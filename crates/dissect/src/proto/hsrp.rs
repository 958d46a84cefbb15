//! Cisco's Hot Standby Router Protocol version 0/1 (UDP port 1985): the 20-byte message.
crate::declare_fields! {
    after = super::eapol::END;
    PROTO = "hsrp", "Cisco Hot Standby Router Protocol", Protocol, None;
    VERSION = "hsrp.version", "Version", U8, Dec;
    OPCODE = "hsrp.opcode", "Op Code", U8, Dec;
    STATE = "hsrp.state", "State", U8, Dec;
    HELLOTIME = "hsrp.hellotime", "Hellotime", U8, Dec;
    HOLDTIME = "hsrp.holdtime", "Holdtime", U8, Dec;
    PRIORITY = "hsrp.priority", "Priority", U8, Dec;
    GROUP = "hsrp.group", "Group", U8, Dec;
    RESERVED = "hsrp.reserved", "Reserved", U8, Dec;
    AUTH_DATA = "hsrp.auth_data", "Authentication Data", String, None;
    VIRT_IP = "hsrp.virt_ip", "Virtual IP Address", Ipv4, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "hsrp", b.span_to(off, end));
    let (Some(ver), Some(op)) = (b.u8(off), b.u8(off + 1)) else { return };
    cx.u(VERSION, ver, b.span(off, 1));
    cx.u(OPCODE, op, b.span(off + 1, 1));
    // Advertisements (opcode 3) carry TLVs instead.
    if op == 3 {
        return;
    }
    let Some(h) = b.arr::<8>(off) else { return };
    for (i, f) in [STATE, HELLOTIME, HOLDTIME, PRIORITY, GROUP, RESERVED].into_iter().enumerate() {
        cx.u(f, h[i + 2], b.span(off + i + 2, 1));
    }
    let Some(auth) = b.arr::<8>(off + 8) else { return };
    let a = auth.split(|&c| c == 0).next().unwrap_or(&auth);
    cx.add_ascii(AUTH_DATA, a, b.span(off + 8, 8));
    if let Some(ip) = b.arr::<4>(off + 16) {
        cx.add(VIRT_IP, Value::Ipv4(ip), b.span(off + 16, 4));
    }
}
