//! IEEE 802.15.4 (LINKTYPE_IEEE802_15_4_WITHFCS, 195) and the ZigBee layers tshark's
//! heuristics find in it: the beacon payload (`zbee_beacon`), the network layer
//! (`zbee_nwk`) of data frames and, below unsecured NWK data, the application support
//! layer (`zbee_aps`). Encrypted payloads are `data` inside their layer's item.
crate::declare_fields! {
    after = super::m3ua::END;
    PROTO = "wpan", "IEEE 802.15.4 Low-Rate Wireless PAN", Protocol, None;
    FCF = "wpan.fcf", "Frame Control Field", U16, Hex;
    FRAME_TYPE = "wpan.frame_type", "Frame Type", U16, Hex, mask = 0x7;
    SECURITY = "wpan.security", "Security Enabled", Boolean, None, mask = 0x8, blurb = "Whether security operations are performed at the MAC layer or not.";
    PAN_ID_COMPRESSION = "wpan.pan_id_compression", "PAN ID Compression", Boolean, None, mask = 0x40, blurb = "Whether this packet contains the PAN ID or not.";
    DST_ADDR_MODE = "wpan.dst_addr_mode", "Destination Addressing Mode", U16, Hex, mask = 0xc00;
    VERSION = "wpan.version", "Frame Version", U16, Dec, mask = 0x3000;
    SRC_ADDR_MODE = "wpan.src_addr_mode", "Source Addressing Mode", U16, Hex, mask = 0xc000;
    SEQ_NO = "wpan.seq_no", "Sequence Number", U8, Dec;
    DST_PAN = "wpan.dst_pan", "Destination PAN", U16, Hex;
    DST16 = "wpan.dst16", "Destination", U16, Hex;
    SRC_PAN = "wpan.src_pan", "Source PAN", U16, Hex;
    SRC16 = "wpan.src16", "Source", U16, Hex;
    BEACON = "zbee_beacon", "ZigBee Beacon", Protocol, None;
    NWK = "zbee_nwk", "ZigBee Network Layer", Protocol, None;
    NWK_FRAME_TYPE = "zbee_nwk.frame_type", "Frame Type", U16, Hex, mask = 0x3;
    NWK_PROTO_VERSION = "zbee_nwk.proto_version", "Protocol Version", U16, Dec, mask = 0x3c;
    NWK_SECURITY = "zbee_nwk.security", "Security", Boolean, None, mask = 0x200, blurb = "Whether or not security operations are performed on the network payload.";
    NWK_DST = "zbee_nwk.dst", "Destination", U16, Hex;
    NWK_SRC = "zbee_nwk.src", "Source", U16, Hex;
    NWK_RADIUS = "zbee_nwk.radius", "Radius", U8, Dec, blurb = "Number of hops remaining for a range-limited broadcast packet.";
    NWK_SEQNO = "zbee_nwk.seqno", "Sequence Number", U8, Dec;
    APS = "zbee_aps", "ZigBee Application Support Layer", Protocol, None;
    APS_TYPE = "zbee_aps.type", "Frame Type", U8, Hex, mask = 0x3;
    APS_DELIVERY = "zbee_aps.delivery", "Delivery Mode", U8, Hex, mask = 0xc;
    APS_SECURITY = "zbee_aps.security", "Security", Boolean, None, mask = 0x20, blurb = "Whether security operations are performed on the APS payload.";
}

use crate::cx::{Bytes, Cx};

/// Bytes of an address of the addressing mode (none, reserved, short, extended).
fn addr_len(mode: u16) -> usize {
    match mode {
        2 => 2,
        3 => 8,
        _ => 0,
    }
}

/// A frame with its 2-byte FCS at the end.
pub fn dissect(cx: &mut Cx, b: Bytes) {
    cx.proto(PROTO, "wpan", b.span_to(0, b.len()));
    let Some(fcf) = b.le16(0) else { return };
    let r = b.span(0, 2);
    let ty = fcf & 7;
    let (dmode, smode) = ((fcf >> 10) & 3, (fcf >> 14) & 3);
    cx.u(FCF, fcf, r);
    cx.u(FRAME_TYPE, ty, r);
    cx.flag(SECURITY, fcf & 8 != 0, r);
    cx.flag(PAN_ID_COMPRESSION, fcf & 0x40 != 0, r);
    cx.u(DST_ADDR_MODE, dmode, r);
    cx.u(VERSION, (fcf >> 12) & 3, r);
    cx.u(SRC_ADDR_MODE, smode, r);
    let Some(seq) = b.u8(2) else { return };
    cx.u(SEQ_NO, seq, b.span(2, 1));
    let mut p = 3;
    if dmode != 0 {
        let Some(pan) = b.le16(p) else { return };
        cx.u(DST_PAN, pan, b.span(p, 2));
        p += 2;
        if dmode == 2 {
            let Some(a) = b.le16(p) else { return };
            cx.u(DST16, a, b.span(p, 2));
        }
        p += addr_len(dmode);
    }
    if smode != 0 {
        if fcf & 0x40 == 0 {
            let Some(pan) = b.le16(p) else { return };
            cx.u(SRC_PAN, pan, b.span(p, 2));
            p += 2;
        }
        if smode == 2 {
            let Some(a) = b.le16(p) else { return };
            cx.u(SRC16, a, b.span(p, 2));
        }
        p += addr_len(smode);
    }
    let Some(end) = b.len().checked_sub(2).filter(|&e| e >= p) else { return };
    // MAC-level security: the payload cannot be read.
    if fcf & 8 != 0 {
        return;
    }
    match ty {
        0 => {
            // Superframe specification, GTS and pending address fields, then the payload.
            let Some(gts) = b.u8(p + 2) else { return };
            let mut q = p + 3;
            let n = (gts & 7) as usize;
            if n > 0 {
                q += 1 + 3 * n;
            }
            let Some(pend) = b.u8(q) else { return };
            q += 1 + 2 * (pend & 7) as usize + 8 * ((pend >> 4) & 7) as usize;
            if q < end && b.u8(q) == Some(0) {
                cx.proto(BEACON, "zbee_beacon", b.span_to(q, end));
            }
        }
        1 if p + 8 <= end => nwk(cx, b, p, end),
        _ => {}
    }
}

fn nwk(cx: &mut Cx, b: Bytes, p: usize, end: usize) {
    let Some(fcf) = b.le16(p) else { return };
    let ver = (fcf >> 2) & 0xf;
    let ty = fcf & 3;
    // The heuristic: a ZigBee protocol version and a data or command frame.
    if !(1..=3).contains(&ver) || ty > 1 {
        crate::proto::data::dissect(cx, b, p, end);
        return;
    }
    cx.proto(NWK, "zbee_nwk", b.span_to(p, end));
    let r = b.span(p, 2);
    cx.u(NWK_FRAME_TYPE, ty, r);
    cx.u(NWK_PROTO_VERSION, ver, r);
    cx.flag(NWK_SECURITY, fcf & 0x200 != 0, r);
    let (Some(dst), Some(src), Some(radius), Some(seq)) = (b.le16(p + 2), b.le16(p + 4), b.u8(p + 6), b.u8(p + 7))
    else {
        return;
    };
    cx.u(NWK_DST, dst, b.span(p + 2, 2));
    cx.u(NWK_SRC, src, b.span(p + 4, 2));
    cx.u(NWK_RADIUS, radius, b.span(p + 6, 1));
    cx.u(NWK_SEQNO, seq, b.span(p + 7, 1));
    let mut q = p + 8;
    if fcf & 0x0800 != 0 {
        q += 8;
    }
    if fcf & 0x1000 != 0 {
        q += 8;
    }
    if fcf & 0x0100 != 0 {
        q += 1;
    }
    if fcf & 0x0400 != 0 {
        let Some(n) = b.u8(q) else { return };
        q += 2 + 2 * n as usize;
    }
    if q >= end {
        return;
    }
    if fcf & 0x200 != 0 {
        // The encrypted payload (no keys): data inside the NWK item.
        nested_data(cx, b, q, end);
    } else if ty == 0 {
        aps(cx, b, q, end);
    }
}

fn aps(cx: &mut Cx, b: Bytes, p: usize, end: usize) {
    cx.proto(APS, "zbee_aps", b.span_to(p, end));
    let Some(fcf) = b.u8(p) else { return };
    let r = b.span(p, 1);
    cx.u(APS_TYPE, fcf & 3, r);
    cx.u(APS_DELIVERY, (fcf >> 2) & 3, r);
    cx.flag(APS_SECURITY, fcf & 0x20 != 0, r);
    // A secured payload (after a command's frame control and counter) cannot be read.
    if fcf & 3 == 1 && fcf & 0x20 != 0 && p + 2 < end {
        nested_data(cx, b, p + 2, end);
    }
}

fn nested_data(cx: &mut Cx, b: Bytes, p: usize, end: usize) {
    cx.nested(|cx| crate::proto::data::dissect(cx, b, p, end));
}
