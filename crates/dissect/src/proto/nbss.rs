//! NetBIOS Session Service over TCP (ports 139 and 445, the latter with 24-bit lengths), the
//! framing SMB and SMB2 travel in. Messages that do not look like NBSS are shown as a
//! continuation, as tshark does.
crate::declare_fields! {
    after = super::ftp::END;
    PROTO = "nbss", "NetBIOS Session Service", Protocol, None;
    TYPE = "nbss.type", "Message Type", U8, Hex;
    LENGTH = "nbss.length", "Length", U24, Dec;
    CONTINUATION_DATA = "nbss.continuation_data", "Continuation data", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::tree::Value;

/// NBSS messages in `off..end` of a TCP payload; `cifs` for port 445 (24-bit lengths).
pub fn dissect(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    cifs: bool,
    smb2: &mut crate::proto::smb2::Conv,
    smb: &mut crate::proto::smb::Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) -> Option<Deseg> {
    let cap_end = end.min(b.len());
    if !looks_like(&b.data[off.min(cap_end)..cap_end], cifs) {
        cx.proto(PROTO, "nbss", b.span_to(off, end));
        let sp = b.span(off, cap_end.saturating_sub(off));
        cx.add(CONTINUATION_DATA, Value::Bytes(sp), sp);
        return None;
    }
    let start = off;
    let mut off = off;
    while off < end {
        let have = cap_end.saturating_sub(off);
        if have < 4 {
            return Deseg::new(off - start, Need::OneMoreSegment);
        }
        let len = length(&b.data[off..off + 4], cifs);
        let plen = 4 + len;
        if have < plen {
            if cap_end >= end {
                return Deseg::new(off - start, Need::Bytes((plen - have) as u32));
            }
        }
        let pend = (off + plen).min(end);
        // tshark's NBSS reads all the messages of a segment in one call: `nbss` appears
        // once in the protocol path, the protocols of each message after it.
        if off == start {
            cx.proto(PROTO, "nbss", b.span_to(off, pend));
        } else {
            cx.proto_quiet(PROTO, b.span_to(off, pend));
        }
        cx.u(TYPE, b.data[off], b.span(off, 1));
        cx.u(LENGTH, len as u32, b.span(off + 1, 3));
        if b.data[off] == 0 && pend > off + 4 {
            if b.data.get(off + 4..off + 8) == Some(b"\xffSMB") {
                crate::proto::smb::dissect(cx, b, off + 4, pend, Some(&mut *smb), ntlm);
            } else {
                crate::proto::smb2::dissect(cx, b, off + 4, pend, smb2, ntlm);
            }
        }
        off += plen;
    }
    None
}

fn length(h: &[u8], cifs: bool) -> usize {
    if cifs {
        (h[1] as usize) << 16 | (h[2] as usize) << 8 | h[3] as usize
    } else {
        (h[2] as usize) << 8 | h[3] as usize | if h[1] & 1 != 0 { 0x10000 } else { 0 }
    }
}

/// tshark's check that a segment starts with an NBSS header.
fn looks_like(d: &[u8], cifs: bool) -> bool {
    if d.len() < 4 {
        return false;
    }
    if !cifs && d[1] & !1 != 0 {
        return false;
    }
    let len = length(&d[..4], cifs);
    match d[0] {
        0x00 => d.len() < 8 || (matches!(d[4], 0xff | 0xfe | 0xfd | 0xfc) && &d[5..8] == b"SMB"),
        0x81 => (2..=256).contains(&len),
        0x82 | 0x85 => len == 0,
        0x83 => len == 1,
        0x84 => len == 6,
        _ => false,
    }
}
