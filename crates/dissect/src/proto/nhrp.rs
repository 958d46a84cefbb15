//! NBMA Next Hop Resolution Protocol (GRE protocol type 0x2001): the fixed header.
crate::declare_fields! {
    after = super::arcnet::END;
    PROTO = "nhrp", "NBMA Next Hop Resolution Protocol", Protocol, None;
    HDR_AFN = "nhrp.hdr.afn", "Address Family Number", U16, HexDec;
    HDR_PRO_TYPE = "nhrp.hdr.pro.type", "Protocol Type (short form)", U16, HexDec;
    HDR_HOPCNT = "nhrp.hdr.hopcnt", "Hop Count", U8, Dec;
    HDR_PKTSZ = "nhrp.hdr.pktsz", "Packet Length", U16, Dec;
    HDR_CHKSUM = "nhrp.hdr.chksum", "NHRP Packet Checksum", U16, Hex;
    HDR_EXTOFF = "nhrp.hdr.extoff", "Extension Offset", U16, Dec;
    HDR_VERSION = "nhrp.hdr.version", "Version", U8, Dec;
    HDR_OP_TYPE = "nhrp.hdr.op.type", "NHRP Packet Type", U8, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "nhrp", b.span_to(off, end));
    let (Some(afn), Some(pt)) = (b.be16(off), b.be16(off + 2)) else { return };
    cx.u(HDR_AFN, afn, b.span(off, 2));
    cx.u(HDR_PRO_TYPE, pt, b.span(off + 2, 2));
    let (Some(hop), Some(sz), Some(ck), Some(ext)) =
        (b.u8(off + 9), b.be16(off + 10), b.be16(off + 12), b.be16(off + 14))
    else {
        return;
    };
    cx.u(HDR_HOPCNT, hop, b.span(off + 9, 1));
    cx.u(HDR_PKTSZ, sz, b.span(off + 10, 2));
    cx.u(HDR_CHKSUM, ck, b.span(off + 12, 2));
    cx.u(HDR_EXTOFF, ext, b.span(off + 14, 2));
    let (Some(v), Some(op)) = (b.u8(off + 16), b.u8(off + 17)) else { return };
    cx.u(HDR_VERSION, v, b.span(off + 16, 1));
    cx.u(HDR_OP_TYPE, op, b.span(off + 17, 1));
}
