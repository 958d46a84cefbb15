//! Slow Protocols (ethertype 0x8809): the subtype, and the Organization Specific Slow
//! Protocol (subtype 10) with ITU-T's ESMC PDUs (G.8264), whose padding tshark shows as
//! `data` inside the OSSP item.
crate::declare_fields! {
    after = super::aoe::END;
    PROTO = "slow", "Slow Protocols", Protocol, None;
    SUBTYPE = "slow.subtype", "Slow Protocols subtype", U8, Hex;
    OSSP = "ossp", "OSSP", Protocol, None;
    OSSP_ITU_SUBTYPE = "ossp.itu.subtype", "ITU-T OSSP Subtype", U16, Hex;
    OSSP_ESMC_VERSION = "ossp.esmc.version", "Version", U8, Hex, mask = 0xf0;
    OSSP_ESMC_TLV_TYPE = "ossp.esmc.tlv_type", "TLV Type", U8, Hex;
    OSSP_ESMC_TLV_LENGTH = "ossp.esmc.tlv_length", "TLV Length", U16, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    let end = b.len();
    cx.proto(PROTO, "slow", b.span_to(off, end));
    let Some(st) = b.u8(off) else { return };
    cx.u(SUBTYPE, st, b.span(off, 1));
    if st != 0x0a {
        return;
    }
    cx.proto(OSSP, "ossp", b.span_to(off + 1, end));
    let Some(oui) = b.be24(off + 1) else { return };
    if oui != 0x0019a7 {
        return;
    }
    let Some(sub) = b.be16(off + 4) else { return };
    cx.u(OSSP_ITU_SUBTYPE, sub, b.span(off + 4, 2));
    if sub != 1 {
        return;
    }
    let Some(v) = b.u8(off + 6) else { return };
    cx.u(OSSP_ESMC_VERSION, v >> 4, b.span(off + 6, 1));
    // Version/flags (1), reserved (3), then TLVs: quality level (1) and extended QL (2).
    let mut p = off + 10;
    for _ in 0..4 {
        let (Some(t), Some(l)) = (b.u8(p), b.be16(p + 1)) else { return };
        if !(t == 1 || t == 2) || l < 3 {
            break;
        }
        cx.u(OSSP_ESMC_TLV_TYPE, t, b.span(p, 1));
        cx.u(OSSP_ESMC_TLV_LENGTH, l, b.span(p + 1, 2));
        p += l as usize;
    }
    if p < end {
        cx.nested(|cx| crate::proto::data::dissect(cx, b, p, end));
    }
}
