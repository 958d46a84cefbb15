//! NetBIOS frames over LLC (SAP 0xf0, NetBEUI): the header; the payload of datagrams and
//! session data goes to SMB (or `data`).
crate::declare_fields! {
    after = super::ipx::END;
    PROTO = "netbios", "NetBIOS", Protocol, None;
    HDR_LEN = "netbios.hdr_len", "Length", U16, Dec;
    DELIMITER = "netbios.delimiter", "Delimiter", U16, Hex;
    COMMAND = "netbios.command", "Command", U8, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "netbios", b.span_to(off, end));
    let (Some(len), Some(delim), Some(cmd)) = (b.le16(off), b.le16(off + 2), b.u8(off + 4)) else { return };
    cx.u(HDR_LEN, len, b.span(off, 2));
    cx.u(DELIMITER, delim, b.span(off + 2, 2));
    cx.u(COMMAND, cmd, b.span(off + 4, 1));
    // DATAGRAM, DATAGRAM BROADCAST, DATA ONLY LAST (a DATA FIRST MIDDLE waits for the rest).
    if !matches!(cmd, 0x08 | 0x09 | 0x16) || (len as usize) < 5 {
        return;
    }
    let p = off + len as usize;
    let end = end.min(b.len());
    if p >= end {
        return;
    }
    if b.data.get(p..p + 4) == Some(b"\xffSMB") {
        let mut ntlm = crate::proto::ntlmssp::Pairing::default();
        crate::proto::smb::dissect(cx, b, p, end, None, &mut ntlm);
    } else {
        crate::proto::data::dissect(cx, b, p, end);
    }
}
