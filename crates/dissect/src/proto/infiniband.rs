//! ERF records of InfiniBand frames (LINKTYPE_ERF, 197) and InfiniBand's headers: the local
//! route header, an optional global route header, the base transport header and the
//! extended headers its opcode implies; a SEND payload that starts like IPoIB (an ethertype
//! and two zero bytes) goes to the ethertype dispatch, as tshark's heuristic does.
//!
//! The capture reader strips ERF's record header; a record is taken as InfiniBand when the
//! local route header's packet length accounts for exactly the bytes captured.
crate::declare_fields! {
    after = super::wpan::END;
    ERF = "erf", "Extensible Record Format", Protocol, None;
    PROTO = "infiniband", "InfiniBand", Protocol, None;
    LRH_VL = "infiniband.lrh.vl", "Virtual Lane", U8, Hex, mask = 0xf0;
    LRH_LVER = "infiniband.lrh.lver", "Link Version", U8, Dec, mask = 0xf;
    LRH_SL = "infiniband.lrh.sl", "Service Level", U8, Dec, mask = 0xf0;
    LRH_LNH = "infiniband.lrh.lnh", "Link Next Header", U8, Hex, mask = 0x3;
    LRH_DLID = "infiniband.lrh.dlid", "Destination Local ID", U16, Dec;
    LRH_PKTLEN = "infiniband.lrh.pktlen", "Packet Length", U16, Dec, mask = 0x7ff;
    LRH_SLID = "infiniband.lrh.slid", "Source Local ID", U16, Dec;
    BTH_OPCODE = "infiniband.bth.opcode", "Opcode", U8, Dec;
    BTH_PADCNT = "infiniband.bth.padcnt", "Pad Count", U8, Dec, mask = 0x30;
    BTH_DESTQP = "infiniband.bth.destqp", "Destination Queue Pair", U24, Hex;
    BTH_PSN = "infiniband.bth.psn", "Packet Sequence Number", U24, Dec;
    INVARIANT_CRC = "infiniband.invariant.crc", "Invariant CRC", U32, Hex;
    VARIANT_CRC = "infiniband.variant.crc", "Variant CRC", U16, Hex;
}

use crate::cx::{Bytes, Cx};

/// True when the bytes are one InfiniBand packet: link version 0 and a packet length (in
/// words, through the invariant CRC) that leaves exactly the 2-byte variant CRC.
fn is_infiniband(b: Bytes) -> bool {
    match (b.u8(0), b.be16(4)) {
        (Some(v), Some(len)) => v & 0xf == 0 && (len & 0x7ff) as usize * 4 + 2 == b.reported && b.reported >= 20,
        _ => false,
    }
}

/// An ERF record whose header the reader stripped.
pub fn dissect_erf(cx: &mut Cx, b: Bytes) {
    if !is_infiniband(b) {
        return;
    }
    cx.proto(ERF, "erf", b.span_to(0, b.len()));
    dissect(cx, b);
}

/// Bytes of the extended transport headers before the payload of a BTH opcode, or None for
/// opcodes without a payload (or unknown).
fn ext_headers(op: u8) -> Option<usize> {
    let (class, op5) = (op >> 5, op & 0x1f);
    // The DETH of unreliable datagrams (8 bytes), the RDETH of reliable datagrams (4).
    let base = match class {
        0 | 1 => 0,
        2 => 4 + 8,
        3 => 8,
        _ => return None,
    };
    let ext = match op5 {
        0..=2 | 4 => 0,
        3 | 5 => 4,
        6 | 10 => 16,
        7 | 8 => 0,
        9 => 4,
        11 => 20,
        13 | 15 | 16 => 4,
        14 => 0,
        _ => return None,
    };
    Some(base + ext)
}

pub fn dissect(cx: &mut Cx, b: Bytes) {
    let end = b.reported.min(b.len());
    cx.proto(PROTO, "infiniband", b.span_to(0, end));
    let (Some(v), Some(s), Some(dlid), Some(len), Some(slid)) = (b.u8(0), b.u8(1), b.be16(2), b.be16(4), b.be16(6))
    else {
        return;
    };
    cx.u(LRH_VL, v >> 4, b.span(0, 1));
    cx.u(LRH_LVER, v & 0xf, b.span(0, 1));
    cx.u(LRH_SL, s >> 4, b.span(1, 1));
    cx.u(LRH_LNH, s & 3, b.span(1, 1));
    cx.u(LRH_DLID, dlid, b.span(2, 2));
    cx.u(LRH_PKTLEN, len & 0x7ff, b.span(4, 2));
    cx.u(LRH_SLID, slid, b.span(6, 2));
    let mut p = 8;
    match s & 3 {
        2 => {}
        3 => p += 40,
        _ => return,
    }
    let (Some(op), Some(f), Some(qp), Some(psn)) = (b.u8(p), b.u8(p + 1), b.be24(p + 5), b.be24(p + 9)) else {
        return;
    };
    cx.u(BTH_OPCODE, op, b.span(p, 1));
    cx.u(BTH_PADCNT, (f >> 4) & 3, b.span(p + 1, 1));
    cx.u(BTH_DESTQP, qp, b.span(p + 5, 3));
    cx.u(BTH_PSN, psn, b.span(p + 9, 3));
    // The invariant (4 bytes) and variant (2 bytes) CRCs end the packet.
    let Some(crcs) = end.checked_sub(6).filter(|&c| c >= p + 12) else { return };
    if let (Some(icrc), Some(vcrc)) = (b.be32(crcs), b.be16(crcs + 4)) {
        cx.u(INVARIANT_CRC, icrc, b.span(crcs, 4));
        cx.u(VARIANT_CRC, vcrc, b.span(crcs + 4, 2));
    }
    let Some(ext) = ext_headers(op) else { return };
    let pay = p + 12 + ext;
    let pay_end = crcs.saturating_sub(((f >> 4) & 3) as usize);
    // IPoIB: an ethertype and two reserved zero bytes.
    if pay + 4 <= pay_end && b.be16(pay + 2) == Some(0) {
        if let Some(et @ (0x0800 | 0x86dd | 0x0806 | 0x8035)) = b.be16(pay) {
            crate::dissector::ethertype(cx, b.until(pay_end), pay + 4, et);
        }
    }
}
