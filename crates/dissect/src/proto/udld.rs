//! Cisco's Unidirectional Link Detection (SNAP OUI 00:00:0c, PID 0x0111): version, opcode,
//! flags, checksum, and the TLVs' types and lengths.
crate::declare_fields! {
    after = super::dtp::END;
    PROTO = "udld", "Unidirectional Link Detection", Protocol, None;
    VERSION = "udld.version", "Version", U8, Dec, mask = 0xe0;
    OPCODE = "udld.opcode", "Opcode", U8, Dec, mask = 0x1f;
    FLAGS = "udld.flags", "Flags", U8, Dec;
    CHECKSUM = "udld.checksum", "Checksum", U16, Hex;
    TLV_TYPE = "udld.tlv.type", "Type", U16, Hex;
    TLV_LEN = "udld.tlv.len", "Length", U16, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "udld", b.span_to(off, end));
    let (Some(vo), Some(flags), Some(ck)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2)) else { return };
    cx.u(VERSION, vo >> 5, b.span(off, 1));
    cx.u(OPCODE, vo & 0x1f, b.span(off, 1));
    cx.u(FLAGS, flags, b.span(off + 1, 1));
    cx.u(CHECKSUM, ck, b.span(off + 2, 2));
    let mut p = off + 4;
    while p + 4 <= end {
        let (Some(ty), Some(len)) = (b.be16(p), b.be16(p + 2)) else { return };
        cx.u(TLV_TYPE, ty, b.span(p, 2));
        cx.u(TLV_LEN, len, b.span(p + 2, 2));
        if len < 4 {
            return;
        }
        p += len as usize;
    }
}
