//! The PROXY protocol (HAProxy), found by tshark's heuristic at the start of a TCP payload:
//! version 1 is a text line `PROXY <proto> <src> <dst> <sport> <dport>\r\n` (at most 107
//! bytes), version 2 a binary header behind a 12-byte magic. The proxied connection's
//! data follows.
crate::declare_fields! {
    after = super::tns::END;
    PROTO = "proxy", "PROXY Protocol", Protocol, None;
    V1_MAGIC = "proxy.v1.magic", "PROXY v1 magic", None, None;
    V1_PROTO = "proxy.v1.proto", "Protocol", String, None;
    SRC_IPV4 = "proxy.src.ipv4", "Source Address", Ipv4, None;
    DST_IPV4 = "proxy.dst.ipv4", "Destination Address", Ipv4, None;
    SRCPORT = "proxy.srcport", "Source Port", U16, Dec;
    DSTPORT = "proxy.dstport", "Destination Port", U16, Dec;
    V2_MAGIC = "proxy.v2.magic", "Magic", Bytes, None;
    V2_LENGTH = "proxy.v2.length", "Length", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

const V2_MAGIC_BYTES: &[u8; 12] = b"\r\n\r\n\0\r\nQUIT\n";

/// Longest version 1 line tshark looks for its end in.
const V1_MAX_LINE: usize = 107;

/// The length of the PROXY header `d` starts with, when it starts with one.
pub fn header_len(d: &[u8]) -> Option<usize> {
    if d.len() >= 16 && d.starts_with(V2_MAGIC_BYTES) {
        return Some(16 + u16::from_be_bytes([d[14], d[15]]) as usize);
    }
    if d.len() < 8 || !d.starts_with(b"PROXY ") {
        return None;
    }
    let window = &d[..d.len().min(V1_MAX_LINE)];
    let lf = window.iter().skip(6).position(|&c| c == b'\n' || c == b'\r')? + 6;
    // The line must end with CR LF.
    (window.get(lf) == Some(&b'\r') && window.get(lf + 1) == Some(&b'\n')).then_some(lf + 2)
}

/// The header of `off..off + hlen` (see [`header_len`]), then the proxied data: TLS when
/// `tls`, else data. Returns the reassembly TLS asks for.
pub fn dissect(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    hlen: usize,
    tls: Option<(&mut crate::proto::tls::Conv, (u16, u16))>,
) -> Option<crate::reasm::Deseg> {
    let hend = (off + hlen).min(end);
    cx.proto(PROTO, "proxy", b.span_to(off, hend));
    let d = b.data.get(off..hend.min(b.len())).unwrap_or(&[]);
    if d.starts_with(V2_MAGIC_BYTES) {
        cx.add(V2_MAGIC, Value::Bytes(b.span(off, 12)), b.span(off, 12));
        if let Some(l) = b.be16(off + 14) {
            cx.u(V2_LENGTH, l, b.span(off + 14, 2));
        }
    } else {
        cx.add(V1_MAGIC, Value::None, b.span(off, 5));
        v1_fields(cx, b, off, d);
    }
    if hend >= end {
        return None;
    }
    match tls {
        // TLS's reassembly offset counts from the header's end.
        Some((conv, ports)) => crate::proto::tls::dissect(cx, b, hend, end, conv, ports).map(|mut d| {
            d.offset += hend - off;
            d
        }),
        None => {
            crate::proto::data::dissect(cx, b, hend, end.min(b.len()));
            None
        }
    }
}

/// The tokens of a version 1 line `d` (at `off`), as far as they parse.
fn v1_fields(cx: &mut Cx, b: Bytes, off: usize, d: &[u8]) {
    let line = &d[..d.len().saturating_sub(2)];
    let mut at = 6;
    let mut tokens = line.get(6..).unwrap_or(&[]).split(|&c| c == b' ').map(|t| {
        let start = at;
        at += t.len() + 1;
        (start, t)
    });
    let Some((p, proto)) = tokens.next() else { return };
    cx.add_ascii(V1_PROTO, proto, b.span(off + p, proto.len()));
    if proto != b"TCP4" {
        return;
    }
    let v4 = |t: &[u8]| std::str::from_utf8(t).ok()?.parse::<std::net::Ipv4Addr>().ok();
    let port = |t: &[u8]| std::str::from_utf8(t).ok()?.parse::<u16>().ok();
    let Some((p, t)) = tokens.next() else { return };
    let Some(a) = v4(t) else { return };
    cx.add(SRC_IPV4, Value::Ipv4(a.octets()), b.span(off + p, t.len()));
    let Some((p, t)) = tokens.next() else { return };
    let Some(a) = v4(t) else { return };
    cx.add(DST_IPV4, Value::Ipv4(a.octets()), b.span(off + p, t.len()));
    let Some((p, t)) = tokens.next() else { return };
    let Some(s) = port(t) else { return };
    cx.u(SRCPORT, s, b.span(off + p, t.len()));
    let Some((p, t)) = tokens.next() else { return };
    let Some(s) = port(t) else { return };
    cx.u(DSTPORT, s, b.span(off + p, t.len()));
}

#[cfg(test)]
mod tests {
    #[test]
    fn headers() {
        let v1 = b"PROXY TCP4 11.111.11.111 222.222.222.22 52176 443\r\n\x16\x03\x01";
        assert_eq!(super::header_len(v1), Some(v1.len() - 3));
        assert_eq!(super::header_len(b"PROXY TCP4 1.2.3.4\n"), None);
        assert_eq!(super::header_len(b"GET / HTTP/1.1\r\n"), None);
        let mut v2 = super::V2_MAGIC_BYTES.to_vec();
        v2.extend_from_slice(&[0x21, 0x11, 0, 12]);
        assert_eq!(super::header_len(&v2), Some(28));
    }
}
