//! Novell IPX (ethertype 0x8137, LLC SAP 0xe0, raw 802.3): the 30-byte header. tshark hands
//! the payload to the dissector of the socket without naming it in `frame.protocols` (its
//! item is in the tree, so `io,phs` counts it): such layers are recorded as tree items.
crate::declare_fields! {
    after = super::msnlb::END;
    PROTO = "ipx", "Internetwork Packet eXchange", Protocol, None;
    CHECKSUM = "ipx.checksum", "Checksum", U16, Hex;
    LEN = "ipx.len", "Length", U16, Dec;
    HOPS = "ipx.hops", "Transport Control (Hops)", U8, Dec;
    PACKET_TYPE = "ipx.packet_type", "Packet Type", U8, Hex;
    DST_NODE = "ipx.dst.node", "Destination Node", Ether, None;
    DST_SOCKET = "ipx.dst.socket", "Destination Socket", U16, Hex;
    SRC_NODE = "ipx.src.node", "Source Node", Ether, None;
    SRC_SOCKET = "ipx.src.socket", "Source Socket", U16, Hex;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// The protocol tshark's IPX socket table gives a socket (as a tree item of the path).
fn socket_proto(s: u16) -> Option<&'static str> {
    Some(match s {
        0x0451 => "~ncp",
        0x0452 => "~ipxsap",
        0x0453 => "~ipxrip",
        0x0455 => "~nbipx",
        0x0456 => "~ipxdiag",
        0x0457 => "~ipxser",
        0x0550 | 0x0552 | 0x0553 | 0x0554 => "~smb",
        0x0551 => "~nmpi",
        _ => return None,
    })
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.reported);
    cx.proto(PROTO, "ipx", b.span_to(off, end));
    let (Some(ck), Some(len), Some(hops), Some(pt)) = (b.be16(off), b.be16(off + 2), b.u8(off + 4), b.u8(off + 5))
    else {
        return;
    };
    cx.u(CHECKSUM, ck, b.span(off, 2));
    cx.u(LEN, len, b.span(off + 2, 2));
    cx.u(HOPS, hops, b.span(off + 4, 1));
    cx.u(PACKET_TYPE, pt, b.span(off + 5, 1));
    let (Some(dn), Some(ds), Some(sn), Some(ss)) =
        (b.arr::<6>(off + 10), b.be16(off + 16), b.arr::<6>(off + 22), b.be16(off + 28))
    else {
        return;
    };
    cx.add(DST_NODE, Value::Ether(dn), b.span(off + 10, 6));
    cx.u(DST_SOCKET, ds, b.span(off + 16, 2));
    cx.add(SRC_NODE, Value::Ether(sn), b.span(off + 22, 6));
    cx.u(SRC_SOCKET, ss, b.span(off + 28, 2));
    let end = if (len as usize) >= 30 { (off + len as usize).min(end) } else { end };
    if off + 30 >= end {
        return;
    }
    // The lower socket first, as tshark tries them.
    let (lo, hi) = if ss < ds { (ss, ds) } else { (ds, ss) };
    match socket_proto(lo).or_else(|| socket_proto(hi)) {
        Some(p) => cx.push_name(p),
        None => crate::proto::data::dissect(cx, b, off + 30, end),
    }
}
