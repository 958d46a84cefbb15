//! High-availability Seamless Redundancy (ethertype 0x892f), whose tag is followed by the
//! frame's own ethertype, and the HSR/PRP supervision frames (ethertype 0x88fb).
crate::declare_fields! {
    after = super::macsec::END;
    PROTO = "hsr", "High-availability Seamless Redundancy (IEC62439 Part 3 Chapter 5)", Protocol, None;
    PATH = "hsr.path", "Path", U16, Dec, mask = 0xf000;
    NETID = "hsr.netid", "Network id", U16, Dec, mask = 0xe000;
    LANEID = "hsr.laneid", "Lane id", U16, Dec, mask = 0x1000;
    LSDU_SIZE = "hsr.lsdu_size", "LSDU size", U16, Dec, mask = 0xfff;
    SEQUENCE_NR = "hsr.sequence_nr", "Sequence number", U16, Dec;
    TYPE = "hsr.type", "Type", U16, Hex;
    SUP = "hsr_prp_supervision", "HSR/PRP Supervision (IEC62439 Part 3)", Protocol, None;
    SUP_PATH = "hsr_prp_supervision.path", "Path", U16, Dec, mask = 0xf000;
    SUP_VERSION = "hsr_prp_supervision.version", "Version", U16, Dec, mask = 0xfff;
    SUP_SEQNO = "hsr_prp_supervision.supervision_seqno", "Sequence number", U16, Dec;
    SUP_TLV_TYPE = "hsr_prp_supervision.tlv.type", "TLV type", U8, Dec;
    SUP_TLV_LENGTH = "hsr_prp_supervision.tlv.length", "TLV length", U8, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "hsr", b.span_to(off, b.len()));
    let (Some(w), Some(seq), Some(t)) = (b.be16(off), b.be16(off + 2), b.be16(off + 4)) else { return };
    let r = b.span(off, 2);
    cx.u(PATH, w >> 12, r);
    cx.u(NETID, w >> 13, r);
    cx.u(LANEID, (w >> 12) & 1, r);
    cx.u(LSDU_SIZE, w & 0xfff, r);
    cx.u(SEQUENCE_NR, seq, b.span(off + 2, 2));
    cx.u(TYPE, t, b.span(off + 4, 2));
    crate::dissector::ethertype_payload(cx, b, off + 6, t);
}

pub fn supervision(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(SUP, "hsr_prp_supervision", b.span_to(off, b.len()));
    let (Some(w), Some(seq)) = (b.be16(off), b.be16(off + 2)) else { return };
    cx.u(SUP_PATH, w >> 12, b.span(off, 2));
    cx.u(SUP_VERSION, w & 0xfff, b.span(off, 2));
    cx.u(SUP_SEQNO, seq, b.span(off + 2, 2));
    let mut p = off + 4;
    // TLVs up to the end TLV (type 0), a bounded number of them.
    for _ in 0..16 {
        let (Some(t), Some(l)) = (b.u8(p), b.u8(p + 1)) else { return };
        cx.u(SUP_TLV_TYPE, t, b.span(p, 1));
        cx.u(SUP_TLV_LENGTH, l, b.span(p + 1, 1));
        if t == 0 {
            return;
        }
        p += 2 + l as usize;
    }
}
