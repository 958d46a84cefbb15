//! GRE (RFC 2784/2890) carrying an ethertype payload.
crate::declare_fields! {
    after = super::vxlan::END;
    PROTO = "gre", "Generic Routing Encapsulation", Protocol, None;
    FLAGS_AND_VERSION = "gre.flags_and_version", "Flags and Version", U16, Hex;
    PROTO_ = "gre.proto", "Protocol Type", U16, Hex;
    KEY = "gre.key", "Key", U32, Hex;
    SEQUENCE_NUMBER = "gre.sequence_number", "Sequence Number", U32, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "gre", b.span_to(off, end));
    let (Some(fv), Some(pt)) = (b.be16(off), b.be16(off + 2)) else { return };
    cx.u(FLAGS_AND_VERSION, fv, b.span(off, 2));
    cx.u(PROTO_, pt, b.span(off + 2, 2));
    let mut p = off + 4;
    if fv & 0x8000 != 0 || fv & 0x4000 != 0 {
        p += 4;
    }
    if fv & 0x2000 != 0 {
        if let Some(k) = b.be32(p) {
            cx.u(KEY, k, b.span(p, 4));
        }
        p += 4;
    }
    if fv & 0x1000 != 0 {
        if let Some(s) = b.be32(p) {
            cx.u(SEQUENCE_NUMBER, s, b.span(p, 4));
        }
        p += 4;
    }
    if fv & 0x7 != 0 || p > end {
        return;
    }
    if pt == 0x88be {
        crate::proto::erspan::dissect(cx, b.until(end), p, fv & 0x1000 != 0);
    } else if pt == 0x2001 {
        crate::proto::nhrp::dissect(cx, b, p, end);
    } else if (0x8200..=0x83f0).contains(&pt) && pt & 0xf == 0 {
        // Aruba's access points tunnel 802.11 frames (without FCS).
        crate::proto::wlan::dissect(cx, b.until(end), p, false);
    } else {
        crate::dissector::ethertype_payload(cx, b.until(end), p, pt);
    }
}
