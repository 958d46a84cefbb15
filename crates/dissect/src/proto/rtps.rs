//! RTPS (the DDS wire protocol), found by tshark's UDP heuristic: the header (magic,
//! version, vendor, GUID prefix) and the ids of its submessages.
crate::declare_fields! {
    after = super::syslog::END;
    PROTO = "rtps", "Real-Time Publish-Subscribe Wire Protocol", Protocol, None;
    MAGIC = "rtps.magic", "Magic", String, None;
    VERSION = "rtps.version", "version", U16, HexDec;
    VERSION_MAJOR = "rtps.version.major", "major", I8, Dec;
    VERSION_MINOR = "rtps.version.minor", "minor", I8, Dec;
    VENDOR_ID = "rtps.vendorId", "vendorId", U16, HexDec;
    GUID_PREFIX = "rtps.guidPrefix", "guidPrefix", Bytes, None;
    HOST_ID = "rtps.hostId", "hostId", U32, Hex;
    APP_ID = "rtps.appId", "appId", U32, Hex;
    SM_ID = "rtps.sm.id", "submessageId", U8, Hex;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// tshark's heuristic: at least a header's 16 bytes, the magic `RTPS` (or `RTPX`) and a
/// major version of 1 or 2.
pub fn looks_like(d: &[u8]) -> bool {
    d.len() >= 16 && (d.starts_with(b"RTPS") || d.starts_with(b"RTPX")) && matches!(d[4], 1 | 2)
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    cx.proto(PROTO, "rtps", b.span_to(off, end));
    let Some(magic) = b.data.get(off..off + 4) else { return };
    cx.add_ascii(MAGIC, magic, b.span(off, 4));
    let (Some(maj), Some(min)) = (b.u8(off + 4), b.u8(off + 5)) else { return };
    cx.u(VERSION, u16::from_be_bytes([maj, min]), b.span(off + 4, 2));
    cx.add(VERSION_MAJOR, Value::I(maj as i8 as i64), b.span(off + 4, 1));
    cx.add(VERSION_MINOR, Value::I(min as i8 as i64), b.span(off + 5, 1));
    let Some(vendor) = b.be16(off + 6) else { return };
    cx.u(VENDOR_ID, vendor, b.span(off + 6, 2));
    if maj < 2 || b.data.get(off + 8..off + 20).is_none() {
        return;
    }
    let sp = b.span(off + 8, 12);
    cx.add(GUID_PREFIX, Value::Bytes(sp), sp);
    if let (Some(h), Some(a)) = (b.be32(off + 8), b.be32(off + 12)) {
        cx.u(HOST_ID, h, b.span(off + 8, 4));
        cx.u(APP_ID, a, b.span(off + 12, 4));
    }
    // Submessages: id, flags (bit 0: little-endian), length to the next header.
    let mut p = off + 20;
    while p + 4 <= end {
        let (Some(id), Some(flags)) = (b.u8(p), b.u8(p + 1)) else { return };
        cx.u(SM_ID, id, b.span(p, 1));
        let Some(len) = (if flags & 1 != 0 { b.le16(p + 2) } else { b.be16(p + 2) }) else { return };
        if len == 0 {
            return;
        }
        p += 4 + len as usize;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn heuristic() {
        let mut h = *b"RTPS\x02\x01\x01\x01\x0a\x46\x01\xa7\x00\x00\x8c\x38";
        assert!(super::looks_like(&h));
        h[4] = 3;
        assert!(!super::looks_like(&h));
        assert!(!super::looks_like(b"RTPS\x02\x01"));
    }
}
