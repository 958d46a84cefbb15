//! ERSPAN type II (GRE protocol 0x88be with a sequence number) carrying Ethernet.
crate::declare_fields! {
    after = super::cmd::END;
    PROTO = "erspan", "Encapsulated Remote Switch Packet ANalysis", Protocol, None;
    VERSION = "erspan.version", "Version", U16, Dec, mask = 0xf000;
    VLAN = "erspan.vlan", "Vlan", U16, Dec, mask = 0x0fff;
    COS = "erspan.cos", "COS", U16, Dec, mask = 0xe000;
    SPANID = "erspan.spanid", "SpanID", U16, Dec, mask = 0x03ff;
}

use crate::cx::{Bytes, Cx};

/// `has_seq`: the GRE header carried a sequence number (type II/III); without one the
/// frame is type I, a bare Ethernet frame.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, has_seq: bool) {
    cx.proto(PROTO, "erspan", b.span_to(off, b.reported));
    if !has_seq {
        crate::proto::eth::dissect(cx, b, off);
        return;
    }
    let (Some(w0), Some(w1)) = (b.be16(off), b.be16(off + 2)) else { return };
    cx.u(VERSION, w0 >> 12, b.span(off, 2));
    cx.u(VLAN, w0 & 0x0fff, b.span(off, 2));
    cx.u(COS, w1 >> 13, b.span(off + 2, 2));
    cx.u(SPANID, w1 & 0x3ff, b.span(off + 2, 2));
    let hdr = if w0 >> 12 == 2 { 12 } else { 8 };
    crate::proto::eth::dissect(cx, b, off + hdr);
}
