//! BitTorrent Local Service Discovery: an HTTP-like announcement, found by tshark's UDP
//! heuristic on its destination (239.192.152.143, or any IPv6 address, port 6771).
crate::declare_fields! {
    after = super::mndp::END;
    PROTO = "lsd", "Local Service Discovery", Protocol, None;
    HEADER = "lsd.header", "Header", String, None;
    HOST = "lsd.host", "Host", String, None;
    PORT = "lsd.port", "Port", U32, Dec;
    INFOHASH = "lsd.infohash", "Infohash", String, None;
    COOKIE = "lsd.cookie", "cookie", String, None;
}

use crate::cx::{Bytes, Cx, NetAddr};

/// tshark's heuristic: where the datagram goes.
pub fn looks_like(dst: &NetAddr, dport: u16) -> bool {
    dport == 6771 && (dst.family == 6 || dst.family == 4 && dst.bytes[..4] == [239, 192, 152, 143])
}

/// The line at `p` of `d`: its length and where the next begins (tshark's line end, no
/// reassembly: the rest of the data when no end of line is found).
fn line(d: &[u8], p: usize) -> (usize, usize) {
    let rest = d.get(p..).unwrap_or(&[]);
    match rest.iter().position(|&c| c == b'\r' || c == b'\n') {
        Some(i) => {
            let eol = if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            (i, p + i + eol)
        }
        None => (rest.len(), d.len()),
    }
}

/// The value after `name:` of a `name: value` line (the whole line when it is not one).
fn value<'d>(l: &'d [u8], name: &str) -> &'d [u8] {
    if l.len() >= name.len() && l[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
        if let Some(c) = l.iter().position(|&x| x == b':') {
            let v = &l[c + 1..];
            let skip = v.iter().take_while(|x| x.is_ascii_whitespace()).count();
            return &v[skip..];
        }
    }
    l
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    cx.proto(PROTO, "lsd", b.span_to(off, end));
    if !cx.wants_any(PROTO, END) {
        return;
    }
    let d = b.data.get(off..end).unwrap_or(&[]);
    let (n, mut p) = line(d, 0);
    cx.add_ascii(HEADER, &d[..n], b.span(off, n));
    let field = |cx: &mut Cx, p: usize, id, name: &str| {
        let (n, next) = line(d, p);
        let l = &d[p.min(d.len())..(p + n).min(d.len())];
        cx.add_ascii(id, value(l, name), b.span(off + p, n));
        next
    };
    p = field(cx, p, HOST, "Host");
    let (n, next) = line(d, p);
    let l = &d[p.min(d.len())..(p + n).min(d.len())];
    let port = if l.len() >= 4 && l[..4].eq_ignore_ascii_case(b"port") {
        l.iter()
            .position(|&x| x == b':')
            .and_then(|c| std::str::from_utf8(&l[c + 1..]).ok())
            .and_then(|s| s.parse::<u16>().ok())
            .unwrap_or(0) as u32
    } else {
        0xffff
    };
    cx.u(PORT, port, b.span(off + p, n));
    p = next;
    p = field(cx, p, INFOHASH, "Infohash");
    if d.len() >= p + 6 && d[p..p + 6].eq_ignore_ascii_case(b"cookie") {
        field(cx, p, COOKIE, "cookie");
    }
}

#[cfg(test)]
mod tests {
    use crate::cx::NetAddr;
    #[test]
    fn heuristic() {
        assert!(super::looks_like(&NetAddr::v4([239, 192, 152, 143]), 6771));
        assert!(!super::looks_like(&NetAddr::v4([239, 192, 152, 143]), 6772));
        assert!(!super::looks_like(&NetAddr::v4([10, 0, 0, 1]), 6771));
        assert!(super::looks_like(&NetAddr::v6([0xff; 16]), 6771));
    }
    #[test]
    fn lines() {
        assert_eq!(super::line(b"ab\r\ncd", 0), (2, 4));
        assert_eq!(super::line(b"ab\r\ncd", 4), (2, 6));
        assert_eq!(super::value(b"Host: x:1", "Host"), b"x:1");
    }
}
