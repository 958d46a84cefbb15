//! RADIUS (UDP ports 1645, 1646, 1812, 1813 and 3799): code, identifier, length and
//! authenticator.
crate::declare_fields! {
    after = super::bfd::END;
    PROTO = "radius", "RADIUS Protocol", Protocol, None;
    CODE = "radius.code", "Code", U8, Dec;
    ID = "radius.id", "Identifier", U8, Dec;
    LENGTH = "radius.length", "Length", U16, Dec;
    AUTHENTICATOR = "radius.authenticator", "Authenticator", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "radius", b.span_to(off, end));
    let (Some(code), Some(id), Some(len)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2)) else { return };
    cx.u(CODE, code, b.span(off, 1));
    cx.u(ID, id, b.span(off + 1, 1));
    cx.u(LENGTH, len, b.span(off + 2, 2));
    if b.arr::<16>(off + 4).is_some() {
        let sp = b.span(off + 4, 16);
        cx.add(AUTHENTICATOR, Value::Bytes(sp), sp);
    }
}

/// Whether tshark's RADIUS dissector takes the datagram at `off..` of `b`: a header's worth
/// of bytes, a code it knows, and a length of at least the header.
pub fn looks_like(b: Bytes, off: usize) -> bool {
    const CODES: &[u8] = &[
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 40, 41, 42,
        43, 44, 45, 50, 51, 52, 250, 251, 252, 253, 254, 255,
    ];
    let (Some(code), Some(len)) = (b.u8(off), b.be16(off + 2)) else { return false };
    b.reported.saturating_sub(off) >= 20 && CODES.contains(&code) && (20..=4096).contains(&len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Buf;

    #[test]
    fn access_request_header() {
        // RFC 2865 Access-Request: code 1, id 7, length 20, a zero authenticator.
        let mut m = vec![1u8, 7, 0, 20];
        m.extend_from_slice(&[0; 16]);
        assert!(looks_like(Bytes::new(&m, Buf::Frame), 0));
        m[0] = 99;
        assert!(!looks_like(Bytes::new(&m, Buf::Frame), 0));
        assert!(!looks_like(Bytes::new(&m[..10], Buf::Frame), 0));
    }
}
