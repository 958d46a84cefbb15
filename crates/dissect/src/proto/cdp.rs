//! Cisco Discovery Protocol (SNAP OUI 00:00:0c, PID 0x2000): version, TTL, checksum, and
//! the TLVs (type and length; device ID and platform as strings).
crate::declare_fields! {
    after = super::ntp::END;
    PROTO = "cdp", "Cisco Discovery Protocol", Protocol, None;
    VERSION = "cdp.version", "Version", U8, Dec;
    TTL = "cdp.ttl", "TTL", U8, Dec;
    CHECKSUM = "cdp.checksum", "Checksum", U16, Hex;
    TLV_TYPE = "cdp.tlv.type", "Type", U16, Hex;
    TLV_LEN = "cdp.tlv.len", "Length", U16, Dec;
    DEVICEID = "cdp.deviceid", "Device ID", String, None;
    PLATFORM = "cdp.platform", "Platform", String, None;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "cdp", b.span_to(off, end));
    let (Some(ver), Some(ttl)) = (b.u8(off), b.u8(off + 1)) else { return };
    cx.u(VERSION, ver, b.span(off, 1));
    cx.u(TTL, ttl, b.span(off + 1, 1));
    // tshark verifies the checksum over the whole message: a message cut short by the
    // snapshot length ends there.
    let Some(ck) = b.be16(off + 2).filter(|_| !(b.len() < b.reported && end >= b.len())) else { return };
    cx.u(CHECKSUM, ck, b.span(off + 2, 2));
    let mut p = off + 4;
    while p + 4 <= end {
        let (Some(ty), Some(len)) = (b.be16(p), b.be16(p + 2)) else { return };
        cx.u(TLV_TYPE, ty, b.span(p, 2));
        cx.u(TLV_LEN, len, b.span(p + 2, 2));
        if len < 4 {
            return;
        }
        let len = len as usize;
        if let Some(v) = b.data.get(p + 4..(p + len).min(end)) {
            match ty {
                1 => cx.add_ascii(DEVICEID, v, b.span(p + 4, v.len())),
                6 => cx.add_ascii(PLATFORM, v, b.span(p + 4, v.len())),
                _ => {}
            }
        }
        p += len;
    }
}
