//! IGMP (IP protocol 2), versions 0 to 3 and multicast traceroute: the version, type,
//! checksum and group addresses. tshark's IGMP dissector hands each known message type to a
//! sub-dissector of the same protocol, so `frame.protocols` shows `igmp:igmp` for them (the
//! tree has one `igmp` item); other types show `igmp` alone.
crate::declare_fields! {
    after = super::socks::END;
    PROTO = "igmp", "Internet Group Management Protocol", Protocol, None;
    VERSION = "igmp.version", "IGMP Version", U8, Dec;
    TYPE = "igmp.type", "Type", U8, Hex;
    MAX_RESP = "igmp.max_resp", "Max Resp Time", U8, Dec, blurb = "Max Response Time";
    CHECKSUM = "igmp.checksum", "Checksum", U16, Hex, blurb = "IGMP Checksum";
    CHECKSUM_STATUS = "igmp.checksum.status", "Checksum Status", U8, None;
    MADDR = "igmp.maddr", "Multicast Address", Ipv4, None;
    NUM_SRC = "igmp.num_src", "Num Src", U16, Dec, blurb = "Number Of Sources";
    SADDR = "igmp.saddr", "Source Address", Ipv4, None;
    NUM_GRP_RECS = "igmp.num_grp_recs", "Num Group Records", U16, Dec, blurb = "Number Of Group Records";
    RECORD_TYPE = "igmp.record_type", "Record Type", U8, Dec;
    AUX_DATA_LEN = "igmp.aux_data_len", "Aux Data Len", U8, Dec, blurb = "Aux Data Len, In units of 32bit words";
}

use crate::cx::{Bytes, Cx};
use crate::tree::{Span, Value};

/// The Internet checksum of `d` (0 when the data sums correctly).
pub fn in_cksum(d: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for c in d.chunks(2) {
        sum += u32::from(c[0]) << 8 | u32::from(c.get(1).copied().unwrap_or(0));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The version tshark gives a message type with a sub-dissector of its own (None: other types).
fn version(ty: u8, len: usize, max_resp: u8) -> Option<u8> {
    match ty {
        0x00..=0x0f => Some(0),
        0x11 if len >= 12 => Some(3),
        0x11 if max_resp == 0 => Some(1),
        0x11 => Some(2),
        0x12 => Some(1),
        0x16 | 0x17 => Some(2),
        0x22 => Some(3),
        0x1e | 0x1f => Some(0),
        _ => None,
    }
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let Some(ty) = b.u8(off) else {
        crate::proto::data::dissect(cx, b, off, end);
        return;
    };
    let len = end.saturating_sub(off);
    let Some(ver) = version(ty, len, b.u8(off + 1).unwrap_or(0)) else {
        cx.proto(PROTO, "igmp", b.span_to(off, end));
        cx.u(TYPE, ty, b.span(off, 1));
        return;
    };
    // The dissector of the `ip.proto` table, then the one of the `igmp.type` table.
    cx.push_name("igmp");
    cx.proto(PROTO, "igmp", b.span_to(off, end));
    if ty != 0x1e && ty != 0x1f {
        cx.u(VERSION, ver, Span::EMPTY);
    }
    cx.u(TYPE, ty, b.span(off, 1));
    if matches!(ver, 1..=3) {
        if ver == 2 || (ver == 3 && ty == 0x11) {
            if let Some(m) = b.u8(off + 1) {
                let v = if ver == 3 && m & 0x80 != 0 {
                    u32::from(m & 0x0f | 0x10) << (((m & 0x70) >> 4) + 3)
                } else {
                    m.into()
                };
                cx.u(MAX_RESP, v, b.span(off + 1, 1));
            }
        }
        let Some(ck) = b.be16(off + 2) else { return };
        cx.u(CHECKSUM, ck, b.span(off + 2, 2));
        // Versions 1 and 2 sum their 8 bytes; version 3 the whole message.
        let ck_len = if ver == 3 { b.reported.min(end).saturating_sub(off) } else { 8 };
        let status = match b.data.get(off..off + ck_len) {
            Some(d) if !cx.fragmented => (in_cksum(d) == 0) as u8,
            _ => 2,
        };
        cx.u(CHECKSUM_STATUS, status, Span::EMPTY);
        if ty == 0x22 {
            report_v3(cx, b, off);
        } else if let Some(a) = b.arr::<4>(off + 4) {
            cx.add(MADDR, Value::Ipv4(a), b.span(off + 4, 4));
            if ver == 3 {
                let Some(n) = b.be16(off + 10) else { return };
                cx.u(NUM_SRC, n, b.span(off + 10, 2));
                for i in 0..n as usize {
                    let Some(s) = b.arr::<4>(off + 12 + 4 * i) else { return };
                    cx.add(SADDR, Value::Ipv4(s), b.span(off + 12 + 4 * i, 4));
                }
            }
        }
    }
}

/// A version 3 report's group records.
fn report_v3(cx: &mut Cx, b: Bytes, off: usize) {
    let Some(n) = b.be16(off + 6) else { return };
    cx.u(NUM_GRP_RECS, n, b.span(off + 6, 2));
    let mut p = off + 8;
    for _ in 0..n {
        let (Some(rt), Some(adl), Some(ns), Some(m)) = (b.u8(p), b.u8(p + 1), b.be16(p + 2), b.arr::<4>(p + 4)) else {
            return;
        };
        cx.u(RECORD_TYPE, rt, b.span(p, 1));
        cx.u(AUX_DATA_LEN, adl, b.span(p + 1, 1));
        cx.u(NUM_SRC, ns, b.span(p + 2, 2));
        cx.add(MADDR, Value::Ipv4(m), b.span(p + 4, 4));
        p += 8;
        for _ in 0..ns {
            let Some(s) = b.arr::<4>(p) else { return };
            cx.add(SADDR, Value::Ipv4(s), b.span(p, 4));
            p += 4;
        }
        p += 4 * adl as usize;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(version(0x11, 8, 0), Some(1));
        assert_eq!(version(0x11, 8, 100), Some(2));
        assert_eq!(version(0x11, 12, 100), Some(3));
        assert_eq!(version(0x16, 8, 0), Some(2));
        assert_eq!(version(0x22, 16, 0), Some(3));
        assert_eq!(version(0x13, 8, 0), None);
    }

    #[test]
    fn checksum_of_v2_report() {
        // RFC 2236 membership report for 239.255.255.250, checksum filled in.
        let mut m = [0x16, 0x00, 0x00, 0x00, 239, 255, 255, 250];
        let ck = in_cksum(&m);
        m[2..4].copy_from_slice(&ck.to_be_bytes());
        assert_eq!(in_cksum(&m), 0);
        assert_eq!(ck, 0xfa04);
    }
}
