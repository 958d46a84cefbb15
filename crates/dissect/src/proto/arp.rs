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

/// Most IPv4 addresses whose MAC address is remembered for duplicate detection.
const MAX_BINDINGS: usize = 1 << 20;

/// tshark's duplicate-address detection: the MAC address each IPv4 address was first seen
/// with in an ARP request or reply, and the last frame that showed that pair again.
#[derive(Default)]
pub struct Bindings {
    map: crate::cx::FastMap<[u8; 4], ([u8; 6], u32)>,
}

impl Bindings {
    /// Records `ip` at `mac` in frame `number`; returns true when `ip` is bound to another
    /// MAC address (the binding is kept: later frames are compared with the first MAC).
    fn duplicate(&mut self, ip: [u8; 4], mac: [u8; 6], number: u32) -> bool {
        match self.map.get_mut(&ip) {
            Some((seen, frame)) => {
                if number <= *frame {
                    false
                } else if *seen == mac {
                    *frame = number;
                    false
                } else {
                    true
                }
            }
            None => {
                if self.map.len() < MAX_BINDINGS {
                    self.map.insert(ip, (mac, number));
                }
                false
            }
        }
    }
}

/// The item tshark adds after the ARP item for a duplicate IPv4 address
/// (`[Duplicate IP address detected for ...]`, a text item that `io,phs` counts as `text`).
pub const DUPLICATE_ITEM: &str = "~text";

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "arp", b.span_to(off, b.len()));
    let (Some(ht), Some(pt), Some(hs), Some(ps), Some(op)) =
        (b.be16(off), b.be16(off + 2), b.u8(off + 4), b.u8(off + 5), b.be16(off + 6))
    else {
        return;
    };
    cx.u(HW_TYPE, ht, b.span(off, 2));
    cx.u(PROTO_TYPE, pt, b.span(off + 2, 2));
    cx.u(HW_SIZE, hs, b.span(off + 4, 1));
    cx.u(PROTO_SIZE, ps, b.span(off + 5, 1));
    cx.u(OPCODE, op, b.span(off + 6, 2));
    let (hs, ps) = (hs as usize, ps as usize);
    let mut p = off + 8;
    for (hw_mac, proto_v4, hw, proto) in
        [(SRC_HW_MAC, SRC_PROTO_IPV4, SRC_HW, SRC_PROTO), (DST_HW_MAC, DST_PROTO_IPV4, DST_HW, DST_PROTO)]
    {
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
    if cx.records_protocols()
        && (op == 1 || op == 2)
        && hs == 6
        && (ht == 1 || ht == 6)
        && ps == 4
        && (pt == 0x0800 || pt == 0xcc)
    {
        duplicates(cx, b, off + 8, op == 1);
    }
}

/// The duplicate-address checks of a request or reply: the sender's pair, and (in a reply)
/// the target's unless that address was just reported.
fn duplicates(cx: &mut Cx, b: Bytes, p: usize, request: bool) {
    let (Some(sha), Some(spa), Some(tha), Some(tpa)) =
        (b.arr::<6>(p), b.arr::<4>(p + 6), b.arr::<6>(p + 10), b.arr::<4>(p + 16))
    else {
        return;
    };
    let usable = |mac: [u8; 6], ip: [u8; 4]| mac[0] & 1 == 0 && mac != [0; 6] && ip != [0; 4];
    let number = cx.meta.number;
    let mut reported = None;
    if usable(sha, spa) && cx.st.arp.duplicate(spa, sha, number) {
        cx.push_name(DUPLICATE_ITEM);
        reported = Some(spa);
    }
    if !request && usable(tha, tpa) && reported != Some(tpa) && cx.st.arp.duplicate(tpa, tha, number) {
        cx.push_name(DUPLICATE_ITEM);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_compared_with_the_first_binding() {
        let (ip, a, b) = ([10, 0, 0, 1], [2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]);
        let mut t = Bindings::default();
        assert!(!t.duplicate(ip, a, 1));
        assert!(t.duplicate(ip, b, 2));
        // The first MAC address stays bound and its frame moves on.
        assert!(!t.duplicate(ip, a, 3));
        assert!(!t.duplicate(ip, b, 3), "a frame not after the binding's is not compared");
        assert!(t.duplicate(ip, b, 4));
        assert!(!t.duplicate([10, 0, 0, 2], b, 5));
    }
}
