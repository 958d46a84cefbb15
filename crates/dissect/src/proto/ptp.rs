//! Precision Time Protocol (IEEE 1588, UDP ports 319 and 320): the common header of a
//! version 2 message (the version is the low nibble of the second byte); version 1 shows
//! only its layer.
crate::declare_fields! {
    after = super::dis::END;
    PROTO = "ptp", "Precision Time Protocol (IEEE1588)", Protocol, None;
    V2_MAJORSDOID = "ptp.v2.majorsdoid", "majorSdoId", U8, Hex, mask = 0xf0;
    V2_MESSAGETYPE = "ptp.v2.messagetype", "messageType", U8, Hex, mask = 0x0f;
    V2_VERSIONPTP = "ptp.v2.versionptp", "versionPTP", U8, Dec, mask = 0x0f;
    V2_MESSAGELENGTH = "ptp.v2.messagelength", "messageLength", U16, Dec;
    V2_DOMAINNUMBER = "ptp.v2.domainnumber", "domainNumber", U8, Dec;
    V2_FLAGS = "ptp.v2.flags", "flags", U16, Hex;
    V2_CLOCKIDENTITY = "ptp.v2.clockidentity", "ClockIdentity", U64, Hex;
    V2_SOURCEPORTID = "ptp.v2.sourceportid", "SourcePortID", U16, Dec;
    V2_SEQUENCEID = "ptp.v2.sequenceid", "sequenceId", U16, Dec;
}

use crate::cx::{Bytes, Cx};

/// A PTP message in `off..end` of a datagram.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "ptp", b.span_to(off, end));
    let (Some(t), Some(v)) = (b.u8(off), b.u8(off + 1)) else { return };
    if v & 0x0f != 2 {
        return;
    }
    cx.u(V2_MAJORSDOID, t >> 4, b.span(off, 1));
    cx.u(V2_MESSAGETYPE, t & 0x0f, b.span(off, 1));
    cx.u(V2_VERSIONPTP, v & 0x0f, b.span(off + 1, 1));
    if let Some(l) = b.be16(off + 2) {
        cx.u(V2_MESSAGELENGTH, l, b.span(off + 2, 2));
    }
    if let Some(d) = b.u8(off + 4) {
        cx.u(V2_DOMAINNUMBER, d, b.span(off + 4, 1));
    }
    if let Some(f) = b.be16(off + 6) {
        cx.u(V2_FLAGS, f, b.span(off + 6, 2));
    }
    if let Some(c) = b.arr::<8>(off + 20) {
        cx.u(V2_CLOCKIDENTITY, u64::from_be_bytes(c), b.span(off + 20, 8));
    }
    if let Some(p) = b.be16(off + 28) {
        cx.u(V2_SOURCEPORTID, p, b.span(off + 28, 2));
    }
    if let Some(s) = b.be16(off + 30) {
        cx.u(V2_SEQUENCEID, s, b.span(off + 30, 2));
    }
}
