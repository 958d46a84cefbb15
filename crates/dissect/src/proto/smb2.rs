//! SMB2 headers inside an NBSS session message: the command and session of each message of
//! a compound chain (the commands' bodies are not dissected yet, except the security blob
//! of SESSION_SETUP, whose NTLMSSP messages feed the credentials tap).
crate::declare_fields! {
    after = super::nbss::END;
    PROTO = "smb2", "SMB2 (Server Message Block Protocol version 2)", Protocol, None;
    CMD = "smb2.cmd", "Command", U16, Dec;
    SESID = "smb2.sesid", "Session Id", U64, Hex;
}

use crate::cx::{Bytes, Cx};

/// SMB2 messages at `off..end` (the NBSS payload).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ntlm: &mut crate::proto::ntlmssp::Pairing) {
    let cap_end = end.min(b.len());
    let d = &b.data[..cap_end];
    if d.get(off + 1..off + 4) != Some(b"SMB") || !matches!(d[off], 0xfe | 0xfd | 0xfc) {
        crate::proto::data::dissect(cx, b, off, end);
        return;
    }
    let mut p = off;
    // At most 256 messages in one chain (a hostile chain cannot loop).
    for _ in 0..256 {
        cx.proto(PROTO, "smb2", b.span_to(p, end));
        if d[p] != 0xfe {
            // Transform (encrypted) or compression header: no readable command.
            return;
        }
        let le16 = |at: usize| d.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
        let le32 = |at: usize| d.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]));
        let le64 = |at: usize| d.get(at..at + 8).map(|s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8])));
        let Some(cmd) = le16(p + 12) else { return };
        cx.u(CMD, cmd, b.span(p + 12, 2));
        if let Some(sid) = le64(p + 40) {
            cx.u(SESID, sid, b.span(p + 40, 8));
        }
        if cmd == 1 && cx.creds_on() {
            // SESSION_SETUP: the security buffer's offset (from the header) and length sit
            // at body + 12 in a request, body + 4 in a response.
            let response = le32(p + 16).is_some_and(|f| f & 1 != 0);
            let at = p + 64 + if response { 4 } else { 12 };
            if let (Some(o), Some(l)) = (le16(at), le16(at + 2)) {
                let start = p + o as usize;
                if let Some(blob) = d.get(start..start + l as usize) {
                    crate::proto::ntlmssp::find(cx, blob, ntlm, "SMB2");
                }
            }
        }
        let next = le32(p + 20).unwrap_or(0) as usize;
        if next < 64 || p + next >= end || d.get(p + next..p + next + 4).is_none_or(|m| m != b"\xfeSMB") {
            return;
        }
        p += next;
    }
}
