//! Ethernet II and IEEE 802.3.
crate::declare_fields! {
    after = super::frame::END;
    PROTO = "eth", "Ethernet", Protocol, None;
    DST = "eth.dst", "Destination", Ether, None;
    DST_RESOLVED = "eth.dst_resolved", "Destination (resolved)", String, None;
    DST_LG = "eth.dst.lg", "LG bit", Boolean, None, mask = 0x020000, tfs = ("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
    DST_IG = "eth.dst.ig", "IG bit", Boolean, None, mask = 0x010000, tfs = ("Group address (multicast/broadcast)", "Individual address (unicast)");
    SRC = "eth.src", "Source", Ether, None;
    SRC_RESOLVED = "eth.src_resolved", "Source (resolved)", String, None;
    SRC_LG = "eth.src.lg", "LG bit", Boolean, None, mask = 0x020000, tfs = ("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
    SRC_IG = "eth.src.ig", "IG bit", Boolean, None, mask = 0x010000, tfs = ("Group address (multicast/broadcast)", "Individual address (unicast)");
    ADDR = "eth.addr", "Address", Ether, None;
    ADDR_RESOLVED = "eth.addr_resolved", "Address (resolved)", String, None;
    LG = "eth.lg", "LG bit", Boolean, None, mask = 0x020000, tfs = ("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
    IG = "eth.ig", "IG bit", Boolean, None, mask = 0x010000, tfs = ("Group address (multicast/broadcast)", "Individual address (unicast)");
    TYPE = "eth.type", "Type", U16, Hex;
    LEN = "eth.len", "Length", U16, Dec;
    PADDING = "eth.padding", "Padding", Bytes, None;
    TRAILER = "eth.trailer", "Trailer", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn fmt_mac(m: [u8; 6]) -> String {
    format!("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5])
}

/// Emits one MAC address with its `.lg`/`.ig` bits and the `eth.addr` copies.
fn addr(cx: &mut Cx, b: Bytes, off: usize, m: [u8; 6], which: [crate::field::FieldId; 4]) {
    let raw = b.span(off, 6);
    let [f, f_res, f_lg, f_ig] = which;
    cx.add(f, Value::Ether(m), raw);
    if cx.wants(f_res) || cx.wants(ADDR_RESOLVED) {
        let s = fmt_mac(m);
        cx.add_str(f_res, &s, raw);
        cx.add(ADDR, Value::Ether(m), raw);
        cx.add_str(ADDR_RESOLVED, &s, raw);
    } else {
        cx.add(ADDR, Value::Ether(m), raw);
    }
    let lg = m[0] & 0x02 != 0;
    let ig = m[0] & 0x01 != 0;
    let r3 = b.span(off, 3);
    cx.flag(f_lg, lg, r3);
    cx.flag(LG, lg, r3);
    cx.flag(f_ig, ig, r3);
    cx.flag(IG, ig, r3);
}

/// Cisco ISL: a frame to its multicast address with a length field.
fn is_isl(b: Bytes, off: usize, dst: [u8; 6]) -> bool {
    (dst[..5] == [0x01, 0, 0x0c, 0, 0] || dst[..5] == [0x0c, 0, 0x0c, 0, 0])
        && b.be16(off + 12).is_some_and(|t| t <= 1500)
}

/// Cisco ISL: tshark's Ethernet dissector hands the frame to ISL, whose item takes
/// Ethernet's place in the tree (`frame.protocols` still says `eth`); it carries the
/// encapsulated frame with its FCS after a 26-byte header.
fn isl(cx: &mut Cx, b: Bytes, off: usize) {
    cx.push_name("~isl");
    let len = b.be16(off + 12).unwrap_or(0) as usize;
    let end = (off + 14 + len).min(b.reported);
    let inner = b.until(end);
    match inner.arr::<6>(off + 26) {
        // An ISL frame inside ISL is left as data (no unbounded nesting).
        Some(d) if is_isl(inner, off + 26, d) => crate::proto::data::dissect(cx, inner, off + 26, end),
        Some(_) => dissect(cx, inner, off + 26),
        None => {}
    }
}

/// Ethernet II / 802.3 starting at `off`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    if b.arr::<6>(off + 6).is_none() {
        // tshark reads the addresses before adding its item: the layer is named, the tree
        // only holds the exception.
        cx.nested(|cx| cx.push_name("eth"));
        return cx.bounds_error(off + 14, b.reported);
    }
    // tshark's Ethernet heuristics run before its item is added: Cisco FabricPath.
    if crate::proto::cfp::looks_like(b, off) {
        return crate::proto::cfp::dissect(cx, b, off);
    }
    cx.proto(PROTO, "eth", b.span_to(off, b.len()));
    let (Some(dst), Some(src)) = (b.arr::<6>(off), b.arr::<6>(off + 6)) else {
        return;
    };
    cx.label(PROTO, || format!("Ethernet II, Src: {}, Dst: {}", fmt_mac(src), fmt_mac(dst)));
    if is_isl(b, off, dst) {
        isl(cx, b, off);
        return;
    }
    if cx.wants_any(crate::field::FieldId(BASE + 1), END) {
        addr(cx, b, off, dst, [DST, DST_RESOLVED, DST_LG, DST_IG]);
        addr(cx, b, off + 6, src, [SRC, SRC_RESOLVED, SRC_LG, SRC_IG]);
    }
    let Some(t) = b.be16(off + 12) else { return };
    cx.tap(crate::tap::Tap::Eth { src, dst });
    cx.dl_dst = dst;
    if t <= 1500 {
        cx.u(LEN, t, b.span(off + 12, 2));
        let end = (off + 14 + t as usize).min(b.len());
        // Novell's raw 802.3: IPX right after the length (its checksum is 0xffff).
        if b.be16(off + 14) == Some(0xffff) {
            crate::proto::ipx::dissect(cx, b, off + 14, end);
        } else {
            crate::proto::llc::dissect(cx, b, off + 14, end);
        }
    } else {
        cx.u(TYPE, t, b.span(off + 12, 2));
        crate::dissector::ethertype(cx, b, off + 14, t);
    }
}
