//! Yahoo Messenger (YMSG), found by tshark's heuristic: a TCP payload starting with the
//! magic `YMSG`. Each packet is a 20-byte header (magic, version, vendor, content length,
//! service, status, session id) and its content; packets are TCP PDUs (the length is read
//! from the first 10 bytes).
crate::declare_fields! {
    after = super::tds::END;
    PROTO = "ymsg", "Yahoo YMSG Messenger Protocol", Protocol, None;
    VERSION = "ymsg.version", "Version", U16, Dec, blurb = "Packet version identifier";
    VENDOR = "ymsg.vendor", "Vendor ID", U16, Dec, blurb = "Vendor identifier";
    LEN = "ymsg.len", "Packet Length", U16, Dec;
    SERVICE = "ymsg.service", "Service", U16, Dec, blurb = "Service Type";
    STATUS = "ymsg.status", "Status", U32, Dec, blurb = "Message Type Flags";
    SESSION_ID = "ymsg.session_id", "Session ID", U32, Hex, blurb = "Connection ID";
    CONTENT = "ymsg.content", "Content", Bytes, None, blurb = "Data portion of the packet";
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

/// The header's length.
const HEADER: usize = 20;

/// tshark's heuristic: the magic at the start of the payload.
pub fn looks_like(d: &[u8]) -> bool {
    d.starts_with(b"YMSG")
}

/// The length of the packet whose first 10 bytes are `d`.
fn pdu_len(d: &[u8]) -> usize {
    HEADER + u16::from_be_bytes([d[8], d[9]]) as usize
}

/// The YMSG packets of a TCP payload at `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    crate::proto::apps::pdu_items(cx, b, off, end, 10, pdu_len, (PROTO, "ymsg", "+ymsg"), packet)
}

/// One packet at `off..end` (wholly captured; its item already added).
fn packet(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let (Some(ver), Some(vendor), Some(len), Some(service), Some(status), Some(sid)) =
        (b.be16(off + 4), b.be16(off + 6), b.be16(off + 8), b.be16(off + 10), b.be32(off + 12), b.be32(off + 16))
    else {
        return;
    };
    cx.u(VERSION, ver, b.span(off + 4, 2));
    cx.u(VENDOR, vendor, b.span(off + 6, 2));
    cx.u(LEN, len, b.span(off + 8, 2));
    cx.u(SERVICE, service, b.span(off + 10, 2));
    cx.u(STATUS, status, b.span(off + 12, 4));
    cx.u(SESSION_ID, sid, b.span(off + 16, 4));
    let c = off + HEADER;
    if c < end {
        let r = b.span_to(c, end);
        cx.add(CONTENT, Value::Bytes(r), r);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn magic_and_length() {
        let p = b"YMSG\x00\x0c\x00\x00\x00\x0d\x00\x8a\x00\x00\x00\x00\xa1\x3a\x9a\x9d";
        assert!(super::looks_like(p));
        assert!(!super::looks_like(b"YMS"));
        assert!(!super::looks_like(b"GET / HTTP/1.1"));
        assert_eq!(super::pdu_len(&p[..10]), 33);
    }
}
