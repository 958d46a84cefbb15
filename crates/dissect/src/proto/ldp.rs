//! Label Distribution Protocol (RFC 5036, UDP and TCP port 646): a PDU header (version,
//! length, LDP identifier) and the messages after it (type, length, ID). The message TLVs are
//! not dissected. tshark takes a payload only when its first PDU is of version 1; over TCP
//! every PDU is an item of its own, reassembled across segments.
crate::declare_fields! {
    after = super::finger::END;
    PROTO = "ldp", "Label Distribution Protocol", Protocol, None;
    VERSION = "ldp.hdr.version", "Version", U16, Dec, blurb = "LDP Version Number";
    PDU_LEN = "ldp.hdr.pdu_len", "PDU Length", U16, Dec, blurb = "LDP PDU Length";
    LSR = "ldp.hdr.ldpid.lsr", "LSR ID", Ipv4, None, blurb = "LDP Label Space Router ID";
    LS_ID = "ldp.hdr.ldpid.lsid", "Label Space ID", U16, Dec, blurb = "LDP Label Space ID";
    MSG_UBIT = "ldp.msg.ubit", "U bit", Boolean, None, mask = 0x80, tfs = ("Unknown bit set", "Unknown bit not set"), blurb = "Unknown Message Bit";
    MSG_TYPE = "ldp.msg.type", "Message Type", U16, Hex, mask = 0x7fff, vals = MSG_TYPES, blurb = "LDP message type";
    MSG_LEN = "ldp.msg.len", "Message Length", U16, Dec, blurb = "LDP Message Length (excluding message type and len)";
    MSG_ID = "ldp.msg.id", "Message ID", U32, Hex, blurb = "LDP Message ID";
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

static MSG_TYPES: &[(u64, &str)] = &[
    (0x0001, "Notification Message"),
    (0x0100, "Hello Message"),
    (0x0200, "Initialization Message"),
    (0x0201, "Keep Alive Message"),
    (0x0300, "Address Message"),
    (0x0301, "Address Withdrawal Message"),
    (0x0400, "Label Mapping Message"),
    (0x0401, "Label Request Message"),
    (0x0402, "Label Withdrawal Message"),
    (0x0403, "Label Release Message"),
    (0x0404, "Label Abort Request Message"),
    (0x0500, "Call Setup"),
    (0x0501, "Call Release"),
];

/// Whether a payload `d` starts with a PDU of version 1 (else tshark leaves it alone).
pub fn looks_like(d: &[u8]) -> bool {
    d.len() >= 2 && d[0] == 0 && d[1] == 1
}

/// A UDP datagram `off..end`: one PDU.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "ldp", b.span_to(off, end));
    pdu(cx, b, off, end);
}

/// A TCP payload `off..end`: PDUs, each an item of its own.
pub fn dissect_tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let len = |d: &[u8]| 4 + u16::from_be_bytes([d[2], d[3]]) as usize;
    crate::proto::apps::pdu_items(cx, b, off, end, 4, len, (PROTO, "ldp", "+ldp"), pdu)
}

/// One PDU `off..end`: its header, then its messages up to its length.
fn pdu(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let (Some(ver), Some(plen)) = (b.be16(off), b.be16(off + 2)) else {
        return cx.bounds_error(off + 4, end);
    };
    cx.u(VERSION, ver, b.span(off, 2));
    cx.u(PDU_LEN, plen, b.span(off + 2, 2));
    // The PDU ends where its length says, if that is before the payload's end.
    let end = end.min(off + 4 + plen as usize);
    let Some(lsr) = b.arr::<4>(off + 4) else { return cx.bounds_error(off + 8, end) };
    cx.add(LSR, Value::Ipv4(lsr), b.span(off + 4, 4));
    let Some(lsid) = b.be16(off + 8) else { return cx.bounds_error(off + 10, end) };
    cx.u(LS_ID, lsid, b.span(off + 8, 2));
    let mut p = off + 10;
    while p < end {
        match message(cx, b, p, end) {
            Some(n) => p += n,
            None => return,
        }
    }
}

/// The message at `p` (before `end`); its length, or None when nothing more can be read.
fn message(cx: &mut Cx, b: Bytes, p: usize, end: usize) -> Option<usize> {
    if end - p < 8 {
        // tshark notes a bad message and stops.
        return None;
    }
    let t = b.be16(p)?;
    let l = b.be16(p + 2)?;
    let extra = if (0x3e00..=0x3fff).contains(&(t & 0x7fff)) { 4 } else { 0 };
    if (l as usize) < 4 + extra {
        return None;
    }
    cx.flag(MSG_UBIT, t & 0x8000 != 0, b.span(p, 1));
    cx.u(MSG_TYPE, t & 0x7fff, b.span(p, 2));
    cx.u(MSG_LEN, l, b.span(p + 2, 2));
    let id = b.be32(p + 4)?;
    cx.u(MSG_ID, id, b.span(p + 4, 4));
    Some(4 + (l as usize).min(end - p - 4))
}

#[cfg(test)]
mod tests {
    use super::looks_like;

    #[test]
    fn version_one_only() {
        assert!(looks_like(&[0, 1, 0, 30]));
        assert!(!looks_like(&[0, 2, 0, 30]));
        assert!(!looks_like(&[0]));
        assert!(!looks_like(&[]));
    }
}
