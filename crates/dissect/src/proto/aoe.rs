//! ATA over Ethernet (ethertype 0x88a2): the common header.
crate::declare_fields! {
    after = super::epl_v1::END;
    PROTO = "aoe", "ATAoverEthernet", Protocol, None;
    VERSION = "aoe.version", "Version", U8, Dec;
    RESPONSE = "aoe.response", "Response flag", Boolean, None, mask = 0x8;
    FLAGS_ERROR = "aoe.flags_error", "Error flag", Boolean, None, mask = 0x4;
    ERROR = "aoe.error", "Error", U8, Dec;
    MAJOR = "aoe.major", "Major", U16, Hex;
    MINOR = "aoe.minor", "Minor", U8, Hex;
    CMD = "aoe.cmd", "Command", U8, Dec;
    TAG = "aoe.tag", "Tag", U32, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "aoe", b.span_to(off, b.len()));
    let Some(vf) = b.u8(off) else { return };
    let r = b.span(off, 1);
    cx.u(VERSION, vf >> 4, r);
    cx.flag(RESPONSE, vf & 8 != 0, r);
    cx.flag(FLAGS_ERROR, vf & 4 != 0, r);
    if vf & 4 != 0 {
        if let Some(e) = b.u8(off + 1) {
            cx.u(ERROR, e, b.span(off + 1, 1));
        }
    }
    let (Some(maj), Some(min), Some(cmd), Some(tag)) = (b.be16(off + 2), b.u8(off + 4), b.u8(off + 5), b.be32(off + 6))
    else {
        return;
    };
    cx.u(MAJOR, maj, b.span(off + 2, 2));
    cx.u(MINOR, min, b.span(off + 4, 1));
    cx.u(CMD, cmd, b.span(off + 5, 1));
    cx.u(TAG, tag, b.span(off + 6, 4));
}
