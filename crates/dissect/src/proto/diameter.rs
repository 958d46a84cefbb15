//! Diameter over TCP (port 3868). A payload that does not start like a Diameter header
//! (version 1, a length of at least 20, no reserved flag, not both Request and Error) is
//! handed to data by tshark's Diameter (which names its layer but adds no item); else each
//! message is a TCP PDU (24-bit length after the version): its header fields and the codes
//! and lengths of its top-level AVPs.
crate::declare_fields! {
    after = super::ymsg::END;
    PROTO = "diameter", "Diameter Protocol", Protocol, None;
    VERSION = "diameter.version", "Version", U8, Hex;
    LENGTH = "diameter.length", "Length", U24, Dec;
    FLAGS = "diameter.flags", "Flags", U8, Hex;
    CMD_CODE = "diameter.cmd.code", "Command Code", U32, Dec;
    APPLICATION_ID = "diameter.applicationId", "ApplicationId", U32, Dec;
    HOPBYHOPID = "diameter.hopbyhopid", "Hop-by-Hop Identifier", U32, Hex;
    ENDTOENDID = "diameter.endtoendid", "End-to-End Identifier", U32, Hex;
    AVP_CODE = "diameter.avp.code", "AVP Code", U32, Dec;
    AVP_FLAGS = "diameter.avp.flags", "AVP Flags", U8, Hex;
    AVP_LEN = "diameter.avp.len", "AVP Length", U24, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;

/// The message header's length.
const HEADER: usize = 20;

/// tshark's check of a Diameter header at the start of `d`.
pub fn looks_like(d: &[u8]) -> bool {
    if d.len() < 5 || d[0] != 1 {
        return false;
    }
    let len = u32::from_be_bytes([0, d[1], d[2], d[3]]) as usize;
    let flags = d[4];
    len >= HEADER && flags & 0x0f == 0 && flags & 0xa0 != 0xa0
}

/// A TCP payload at `off..end` on Diameter's port.
pub fn dissect_tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    if !looks_like(&b.data[off.min(b.len())..end.min(b.len())]) {
        // Not the start of a message: Diameter's layer without an item, then data.
        cx.nested(|cx| cx.push_name("diameter"));
        crate::proto::data::dissect(cx, b, off, end);
        return None;
    }
    let len = |d: &[u8]| u32::from_be_bytes([0, d[1], d[2], d[3]]) as usize;
    crate::proto::apps::pdu_items(cx, b, off, end, 4, len, (PROTO, "diameter", "+diameter"), message)
}

/// One message at `off..end` (wholly captured; its item already added).
fn message(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let (Some(v), Some(len), Some(flags), Some(code), Some(app), Some(hbh), Some(e2e)) = (
        b.u8(off),
        b.be24(off + 1),
        b.u8(off + 4),
        b.be24(off + 5),
        b.be32(off + 8),
        b.be32(off + 12),
        b.be32(off + 16),
    ) else {
        return;
    };
    cx.u(VERSION, v, b.span(off, 1));
    cx.u(LENGTH, len, b.span(off + 1, 3));
    cx.u(FLAGS, flags, b.span(off + 4, 1));
    cx.u(CMD_CODE, code, b.span(off + 5, 3));
    cx.u(APPLICATION_ID, app, b.span(off + 8, 4));
    cx.u(HOPBYHOPID, hbh, b.span(off + 12, 4));
    cx.u(ENDTOENDID, e2e, b.span(off + 16, 4));
    // The AVPs: code, flags, 24-bit length (of the header and data), padded to 4 bytes.
    let mut p = off + HEADER;
    while p + 8 <= end {
        let (Some(c), Some(f), Some(l)) = (b.be32(p), b.u8(p + 4), b.be24(p + 5)) else { break };
        cx.u(AVP_CODE, c, b.span(p, 4));
        cx.u(AVP_FLAGS, f, b.span(p + 4, 1));
        cx.u(AVP_LEN, l, b.span(p + 5, 3));
        let l = l as usize;
        if l < 8 {
            break;
        }
        p += (l + 3) & !3;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_check() {
        assert!(super::looks_like(&[1, 0, 0, 168, 0x80]));
        assert!(!super::looks_like(&[0, 0, 0, 0, 0xfa]));
        assert!(!super::looks_like(&[1, 0, 0, 19, 0x80]));
        assert!(!super::looks_like(&[1, 0, 0, 168, 0x81]));
        assert!(!super::looks_like(&[1, 0, 0, 168, 0xa0]));
        assert!(!super::looks_like(&[1, 0, 0, 168]));
    }
}
