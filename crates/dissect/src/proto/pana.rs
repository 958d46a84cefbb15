//! Protocol for carrying Authentication for Network Access (RFC 5191), found by tshark's
//! UDP heuristic: a zero reserved field, a message length of 16 or more equal to the
//! datagram's, no reserved flag, a known message type, and a first AVP that fits. The
//! header and the AVPs' codes are shown; an EAP-Payload AVP carries EAP.
crate::declare_fields! {
    after = super::eap::END;
    PROTO = "pana", "Protocol for carrying Authentication for Network Access", Protocol, None;
    RESERVED = "pana.reserved", "PANA Reserved", Bytes, None;
    LENGTH = "pana.length", "PANA Message Length", U16, Dec;
    FLAGS = "pana.flags", "Flags", U8, Hex;
    TYPE = "pana.type", "PANA Message Type", U16, Dec;
    SID = "pana.sid", "PANA Session ID", U32, Hex;
    SEQ = "pana.seq", "PANA Sequence Number", U32, Hex;
    AVP_CODE = "pana.avp.code", "AVP Code", U16, Dec;
    AVP_FLAGS = "pana.avp.flags", "AVP Flags", U16, Hex;
    AVP_DATA_LENGTH = "pana.avp.data_length", "AVP Data Length", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

const FLAG_RESERVED: u16 = 0x03ff;
const AVP_FLAG_V: u16 = 0x8000;
const AVP_FLAG_RESERVED: u16 = 0x7fff;
const MSG_TYPE_MAX: u16 = 5;
const AVP_CODE_MAX: u16 = 13;
const EAP_PAYLOAD: u16 = 2;

/// tshark's heuristic on the datagram `d` (captured bytes) of `reported` bytes.
pub fn looks_like(d: &[u8], reported: usize) -> bool {
    let be = |o: usize| d.get(o..o + 2).map(|x| u16::from_be_bytes([x[0], x[1]]));
    if d.len() < 12 {
        return false;
    }
    let (Some(res), Some(len), Some(flags), Some(ty)) = (be(0), be(2), be(4), be(6)) else { return false };
    if len < 16 || len as usize != reported || res != 0 || flags & FLAG_RESERVED != 0 {
        return false;
    }
    if ty == 0 || ty > MSG_TYPE_MAX {
        return false;
    }
    let avps = len as usize - 16;
    if avps != 0 {
        if avps < 8 || d.len() < 24 {
            return false;
        }
        let (Some(code), Some(aflags), Some(alen)) = (be(16), be(18), be(20)) else { return false };
        if code == 0 || code > AVP_CODE_MAX || aflags & AVP_FLAG_RESERVED != 0 {
            return false;
        }
        let hdr = if aflags & AVP_FLAG_V != 0 { 12 } else { 8 };
        if hdr + alen as usize > avps {
            return false;
        }
    }
    true
}

/// A PANA message in `off..end` (`looks_like` holds).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "pana", b.span_to(off, end));
    cx.add(RESERVED, Value::Bytes(b.span(off, 2)), b.span(off, 2));
    let (Some(len), Some(flags), Some(ty)) = (b.be16(off + 2), b.be16(off + 4), b.be16(off + 6)) else { return };
    cx.u(LENGTH, len, b.span(off + 2, 2));
    cx.u(FLAGS, flags, b.span(off + 4, 2));
    cx.u(TYPE, ty, b.span(off + 6, 2));
    if let Some(sid) = b.be32(off + 8) {
        cx.u(SID, sid, b.span(off + 8, 4));
    }
    let Some(seq) = b.be32(off + 12) else { return };
    cx.u(SEQ, seq, b.span(off + 12, 4));
    // The AVPs, each padded to four bytes; the walk stops at the first that does not fit
    // (where tshark's ends in an exception).
    let avp_end = (off + len as usize).min(end);
    let mut p = off + 16;
    while p < avp_end {
        let (Some(code), Some(aflags), Some(alen)) = (b.be16(p), b.be16(p + 2), b.be16(p + 4)) else {
            return cx.bounds_error(p + 8, avp_end);
        };
        cx.u(AVP_CODE, code, b.span(p, 2));
        cx.u(AVP_FLAGS, aflags, b.span(p + 2, 2));
        cx.u(AVP_DATA_LENGTH, alen, b.span(p + 4, 2));
        let hdr = if aflags & AVP_FLAG_V != 0 { 12 } else { 8 };
        let data = p + hdr;
        let dend = data + alen as usize;
        if dend > avp_end || dend > b.len() {
            return cx.bounds_error(dend, avp_end);
        }
        if aflags & AVP_FLAG_V == 0 && code == EAP_PAYLOAD && alen > 0 {
            // EAP's item is inside the AVP's (no top-level item of the tree).
            let layer = cx.layer();
            cx.push_name(crate::dissector::NESTED_OPEN);
            crate::proto::eap::dissect(cx, b, data, dend);
            cx.push_name(crate::dissector::NESTED_CLOSE);
            cx.set_layer(layer);
        }
        let padded = hdr + alen as usize;
        p += padded + (4 - padded % 4) % 4;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn heuristic() {
        // A PANA-Client-Initiation answer: header only.
        let m = [0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        assert!(super::looks_like(&m, 16));
        assert!(!super::looks_like(&m, 17));
        let mut bad = m;
        bad[7] = 6;
        assert!(!super::looks_like(&bad, 16));
        // A first AVP longer than the message is rejected.
        let mut a = vec![0, 0, 0, 28, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        a.extend_from_slice(&[0, 1, 0, 0, 0, 28, 0, 0, 1, 2, 3, 4]);
        assert!(!super::looks_like(&a, 28));
        a[21] = 4;
        assert!(super::looks_like(&a, 28));
    }
}
