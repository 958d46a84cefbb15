//! Spanning Tree BPDUs (IEEE 802.1D/802.1w, LLC SAP 0x42, and Cisco's PVST+ over SNAP):
//! the header, the root and bridge identifiers, cost, port and the four timers. BPDUs to
//! a GARP address (01:80:c2:00:00:2x) go to GARP's applications instead (tshark's BPDU
//! dissector hands them on; its tree then has no `stp` item).
crate::declare_fields! {
    after = super::igmp::END;
    PROTO = "stp", "Spanning Tree Protocol", Protocol, None;
    PROTOCOL = "stp.protocol", "Protocol Identifier", U16, Hex;
    VERSION = "stp.version", "Protocol Version Identifier", U8, Dec;
    TYPE = "stp.type", "BPDU Type", U8, Hex;
    FLAGS = "stp.flags", "BPDU flags", U8, Hex;
    ROOT_PRIO = "stp.root.prio", "Root Bridge Priority", U16, Dec;
    ROOT_EXT = "stp.root.ext", "Root Bridge System ID Extension", U16, Dec;
    ROOT_HW = "stp.root.hw", "Root Bridge System ID", Ether, None;
    ROOT_COST = "stp.root.cost", "Root Path Cost", U32, Dec;
    BRIDGE_PRIO = "stp.bridge.prio", "Bridge Priority", U16, Dec;
    BRIDGE_EXT = "stp.bridge.ext", "Bridge System ID Extension", U16, Dec;
    BRIDGE_HW = "stp.bridge.hw", "Bridge System ID", Ether, None;
    PORT = "stp.port", "Port identifier", U16, Hex;
    MSG_AGE = "stp.msg_age", "Message Age", Double, None;
    MAX_AGE = "stp.max_age", "Max Age", Double, None;
    HELLO = "stp.hello", "Hello Time", Double, None;
    FORWARD = "stp.forward", "Forward Delay", Double, None;
    VERSION_1_LENGTH = "stp.version_1_length", "Version 1 Length", U8, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// True for the destination addresses of GARP applications (01:80:c2:00:00:20 to 2f).
pub fn garp_address(dst: [u8; 6]) -> bool {
    dst[..5] == [0x01, 0x80, 0xc2, 0x00, 0x00] && dst[5] & 0xf0 == 0x20
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    if garp_address(cx.dl_dst) {
        // tshark's BPDU dissector is still a layer of `frame.protocols`.
        cx.push_name("stp");
        if cx.dl_dst[5] == 0x21 {
            crate::proto::gvrp::dissect(cx, b, off, end);
        } else {
            crate::proto::data::dissect(cx, b, off, end);
        }
        return;
    }
    cx.proto(PROTO, "stp", b.span_to(off, end));
    let (Some(pid), Some(ver), Some(ty)) = (b.be16(off), b.u8(off + 2), b.u8(off + 3)) else { return };
    cx.u(PROTOCOL, pid, b.span(off, 2));
    cx.u(VERSION, ver, b.span(off + 2, 1));
    cx.u(TYPE, ty, b.span(off + 3, 1));
    // Topology change notifications end here.
    if ty == 0x80 {
        return;
    }
    let Some(flags) = b.u8(off + 4) else { return };
    cx.u(FLAGS, flags, b.span(off + 4, 1));
    let id = |cx: &mut Cx, at: usize, [prio, ext, hw]: [crate::field::FieldId; 3]| -> Option<()> {
        let v = b.be16(at)?;
        cx.u(prio, v & 0xf000, b.span(at, 2));
        cx.u(ext, v & 0x0fff, b.span(at, 2));
        cx.add(hw, Value::Ether(b.arr::<6>(at + 2)?), b.span(at + 2, 6));
        Some(())
    };
    if id(cx, off + 5, [ROOT_PRIO, ROOT_EXT, ROOT_HW]).is_none() {
        return;
    }
    let Some(cost) = b.be32(off + 13) else { return };
    cx.u(ROOT_COST, cost, b.span(off + 13, 4));
    if id(cx, off + 17, [BRIDGE_PRIO, BRIDGE_EXT, BRIDGE_HW]).is_none() {
        return;
    }
    let Some(port) = b.be16(off + 25) else { return };
    cx.u(PORT, port, b.span(off + 25, 2));
    for (i, f) in [MSG_AGE, MAX_AGE, HELLO, FORWARD].into_iter().enumerate() {
        let Some(t) = b.be16(off + 27 + 2 * i) else { return };
        cx.add(f, Value::F(f64::from(t) / 256.0), b.span(off + 27 + 2 * i, 2));
    }
    if ver >= 2 {
        if let Some(l) = b.u8(off + 35) {
            cx.u(VERSION_1_LENGTH, l, b.span(off + 35, 1));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn garp_addresses() {
        assert!(super::garp_address([0x01, 0x80, 0xc2, 0, 0, 0x21]));
        assert!(super::garp_address([0x01, 0x80, 0xc2, 0, 0, 0x20]));
        assert!(!super::garp_address([0x01, 0x80, 0xc2, 0, 0, 0x00]));
    }
}
