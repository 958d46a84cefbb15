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
use crate::tree::{Buf, Value};

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
    // tshark checks the header of a segment, not of data TCP reassembled; there it also
    // takes 24-bit lengths only for a session message that carries "SMB" at 5..8.
    let mut cifs = cifs;
    if b.buf != Buf::Stream {
        match looks_like(&b.data[off.min(cap_end)..cap_end]) {
            Some(c) => cifs = c,
            None => {
                cx.proto(PROTO, "nbss", b.span_to(off, end));
                let sp = b.span(off, cap_end.saturating_sub(off));
                cx.add(CONTINUATION_DATA, Value::Bytes(sp), sp);
                return None;
            }
        }
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
            cx.push_name(crate::dissector::repeat("nbss"));
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

/// tshark's check that a segment starts with an NBSS header: `None` for a continuation,
/// else whether lengths are 24 bits (a session message with "SMB" at 5..8, on any port).
fn looks_like(d: &[u8]) -> Option<bool> {
    if d.len() < 4 {
        return None;
    }
    let cifs = d.len() >= 8 && d[0] == 0 && &d[5..8] == b"SMB";
    if !cifs && d[1] & !1 != 0 {
        return None;
    }
    let len = length(&d[..4], cifs);
    let ok = match d[0] {
        0x00 => len != 0,
        0x81 => (2..=256).contains(&len),
        0x82 | 0x85 => len == 0,
        0x83 => len == 1,
        0x84 => len == 6,
        _ => false,
    };
    ok.then_some(cifs)
}

#[cfg(test)]
mod tests {
    use super::looks_like;

    #[test]
    fn session_message_needs_only_a_length() {
        // Not SMB after the header: 16-bit length with flags 0, still a session message.
        assert_eq!(looks_like(b"\x00\x00\xff\xf7BAAD\x00\x00"), Some(false));
        // SMB after the header: 24-bit length, whatever byte 1 holds.
        assert_eq!(looks_like(b"\x00\x02\x00\x10\xfeSMB"), Some(true));
        // Not SMB and a flag other than E set: a continuation.
        assert_eq!(looks_like(b"\x00\x02\x00\x10BAAD"), None);
        // Zero length, short header, unknown type: continuations.
        assert_eq!(looks_like(b"\x00\x00\x00\x00\xffSMB"), None);
        assert_eq!(looks_like(b"\x00\x00\x01"), None);
        assert_eq!(looks_like(b"\x90\x00\x00\x00"), None);
        assert_eq!(looks_like(b"\x85\x00\x00\x00"), Some(false));
        assert_eq!(looks_like(b"\x81\x00\x00\x44"), Some(false));
    }
}
