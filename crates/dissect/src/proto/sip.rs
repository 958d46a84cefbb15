//! SIP (RFC 3261) on UDP and TCP port 5060 and by tshark's heuristics: the request or status
//! line, the common headers as tshark's `sip.*` fields, and an SDP body (which sets up the
//! RTP conversations it announces). On TCP, messages are reassembled by their
//! Content-Length.
crate::declare_fields! {
    after = super::infiniband::END;
    PROTO = "sip", "Session Initiation Protocol", Protocol, None;
    REQUEST_LINE = "sip.Request-Line", "Request-Line", String, None;
    METHOD = "sip.Method", "Method", String, None;
    R_URI = "sip.r-uri", "Request-URI", String, None;
    R_URI_USER = "sip.r-uri.user", "Request-URI User Part", String, None;
    R_URI_HOST = "sip.r-uri.host", "Request-URI Host Part", String, None;
    R_URI_PORT = "sip.r-uri.port", "Request-URI Host Port", String, None;
    STATUS_LINE = "sip.Status-Line", "Status-Line", String, None;
    STATUS_CODE = "sip.Status-Code", "Status-Code", U32, Dec;
    MSG_HDR = "sip.msg_hdr", "Message Header", String, None;
    FROM_ADDR = "sip.from.addr", "SIP from address", String, None;
    FROM_USER = "sip.from.user", "SIP from address User Part", String, None;
    FROM_HOST = "sip.from.host", "SIP from address Host Part", String, None;
    FROM_TAG = "sip.from.tag", "SIP from tag", String, None;
    TO_ADDR = "sip.to.addr", "SIP to address", String, None;
    TO_USER = "sip.to.user", "SIP to address User Part", String, None;
    TO_HOST = "sip.to.host", "SIP to address Host Part", String, None;
    TO_TAG = "sip.to.tag", "SIP to tag", String, None;
    TAG = "sip.tag", "SIP tag", String, None;
    CSEQ_SEQ = "sip.CSeq.seq", "Sequence Number", U32, Dec;
    CSEQ_METHOD = "sip.CSeq.method", "Method", String, None;
    ACCEPT = "sip.Accept", "Accept", String, None;
    ALLOW = "sip.Allow", "Allow", String, None;
    AUTHORIZATION = "sip.Authorization", "Authorization", String, None;
    CALL_ID = "sip.Call-ID", "Call-ID", String, None;
    CONTACT = "sip.Contact", "Contact", String, None;
    CONTENT_LENGTH = "sip.Content-Length", "Content-Length", U32, Dec;
    CONTENT_TYPE = "sip.Content-Type", "Content-Type", String, None;
    CSEQ = "sip.CSeq", "CSeq", String, None;
    DATE = "sip.Date", "Date", String, None;
    EVENT = "sip.Event", "Event", String, None;
    EXPIRES = "sip.Expires", "Expires", U32, Dec;
    FROM = "sip.From", "From", String, None;
    MAX_FORWARDS = "sip.Max-Forwards", "Max-Forwards", U32, Dec;
    PROXY_AUTHENTICATE = "sip.Proxy-Authenticate", "Proxy-Authenticate", String, None;
    PROXY_AUTHORIZATION = "sip.Proxy-Authorization", "Proxy-Authorization", String, None;
    RECORD_ROUTE = "sip.Record-Route", "Record-Route", String, None;
    ROUTE = "sip.Route", "Route", String, None;
    SERVER = "sip.Server", "Server", String, None;
    SUBJECT = "sip.Subject", "Subject", String, None;
    SUPPORTED = "sip.Supported", "Supported", String, None;
    TO = "sip.To", "To", String, None;
    USER_AGENT = "sip.User-Agent", "User-Agent", String, None;
    VIA = "sip.Via", "Via", String, None;
    WWW_AUTHENTICATE = "sip.WWW-Authenticate", "WWW-Authenticate", String, None;
    MSG_BODY = "sip.msg_body", "Message Body", None, None;
}

use crate::cx::{Bytes, Cx};
use crate::field::FieldId;
use crate::reasm::{Deseg, Need};
use crate::tree::Value;

/// What the first line of a message is (tshark's `sip_parse_line`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    Request,
    Status,
    Other,
}

/// Classifies the first line `line`; `rest` is everything from the line's start on (tshark
/// looks for the spaces beyond the line's end).
fn parse_line(line: &[u8], rest: &[u8]) -> Line {
    let Some(sp1) = memchr::memchr(b' ', rest) else { return Line::Other };
    if sp1 == 0 {
        return Line::Other;
    }
    let Some(sp2) = memchr::memchr(b' ', &rest[sp1 + 1..]).map(|i| sp1 + 1 + i) else { return Line::Other };
    let tok1 = &rest[..sp1];
    let tok2 = &rest[sp1 + 1..sp2];
    let tok3_start = sp2 + 1;
    let tok3 = line.get(tok3_start..).unwrap_or_default();
    if tok1 == b"SIP/2.0" {
        if tok2.len() == 3 && tok2.iter().all(u8::is_ascii_digit) {
            return Line::Status;
        }
        return Line::Other;
    }
    if tok2.len() < 3 {
        return Line::Other;
    }
    match memchr::memchr(b':', &rest[sp1 + 2..]).map(|i| sp1 + 2 + i) {
        Some(colon) if colon < tok3_start => {}
        _ => return Line::Other,
    }
    if tok3 != b"SIP/2.0" {
        return Line::Other;
    }
    Line::Request
}

/// The first line of `d` (without its end of line), and where the next starts; `None` when no
/// line end is there.
fn first_line(d: &[u8]) -> Option<(&[u8], usize)> {
    let i = memchr::memchr2(b'\r', b'\n', d)?;
    let next = if d[i] == b'\r' && d.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
    Some((&d[..i], next))
}

/// tshark's quick test before its line parse: a printable first byte, a first line that is
/// not empty and holds no NUL, and a request or status line.
fn start(d: &[u8]) -> Line {
    if !d.first().is_some_and(|c| (0x20..0x7f).contains(c)) {
        return Line::Other;
    }
    let (line, _) = first_line(d).unwrap_or((d, d.len()));
    if line.is_empty() || line.contains(&0) {
        return Line::Other;
    }
    parse_line(line, d)
}

/// True when a UDP or TCP payload starts with a SIP request or status line (the heuristic).
pub fn looks_like(d: &[u8]) -> bool {
    start(d) != Line::Other
}

/// SIP in a UDP datagram: false when tshark's SIP rejects it (neither a request nor a
/// status line; the payload then goes to the heuristics and data).
pub fn dissect_udp(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> bool {
    let end = end.min(b.len());
    let d = &b.data[off.min(end)..end];
    if d.first().is_some_and(|&c| c & 0xf8 == 0xf8) {
        // SigComp: not read here.
        return false;
    }
    let kind = start(d);
    if kind == Line::Other {
        return false;
    }
    message(cx, b, off, end, kind, true);
    true
}

/// SIP on a TCP connection (port 5060): the messages of the segment, each reassembled
/// until its headers and Content-Length body are complete. Bytes that start with no
/// request or status line show as a continuation.
pub fn dissect_tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let end_cap = end.min(b.len());
    let mut pos = off;
    let mut first = true;
    while pos < end_cap {
        let d = &b.data[pos..end_cap];
        let kind = start(d);
        if kind == Line::Other {
            if first {
                cx.proto(PROTO, "sip", b.span_to(pos, end_cap));
                cx.label(PROTO, || "Session Initiation Protocol (Continuation)".to_string());
            }
            return None;
        }
        let Some(hdr_end) = memchr::memmem::find(d, b"\r\n\r\n").map(|i| i + 4) else {
            return Deseg::new(pos - off, Need::OneMoreSegment);
        };
        let body = content_length(&d[..hdr_end]).unwrap_or(0);
        let total = hdr_end.saturating_add(body);
        if total > d.len() {
            return Deseg::new(pos - off, Need::Bytes((total - d.len()).min(u32::MAX as usize) as u32));
        }
        if !first {
            cx.push_name(crate::dissector::repeat("sip"));
        }
        message(cx, b, pos, pos + total, kind, first);
        first = false;
        pos += total;
    }
    None
}

/// The Content-Length of a header block (its long or compact name).
fn content_length(hdrs: &[u8]) -> Option<usize> {
    for line in hdrs.split(|&c| c == b'\n').skip(1) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = memchr::memchr(b':', line) else { continue };
        let name = trim(&line[..colon]);
        if name.eq_ignore_ascii_case(b"content-length") || name.eq_ignore_ascii_case(b"l") {
            return std::str::from_utf8(trim(&line[colon + 1..])).ok()?.parse().ok();
        }
    }
    None
}

fn trim(s: &[u8]) -> &[u8] {
    let a = s.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(s.len());
    let z = s.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(a, |i| i + 1);
    &s[a..z.max(a)]
}

/// The header fields tshark names (long name, compact form, field).
const HEADERS: &[(&str, &str, FieldId)] = &[
    ("accept", "", ACCEPT),
    ("allow", "", ALLOW),
    ("authorization", "", AUTHORIZATION),
    ("call-id", "i", CALL_ID),
    ("contact", "m", CONTACT),
    ("content-length", "l", CONTENT_LENGTH),
    ("content-type", "c", CONTENT_TYPE),
    ("cseq", "", CSEQ),
    ("date", "", DATE),
    ("event", "o", EVENT),
    ("expires", "", EXPIRES),
    ("from", "f", FROM),
    ("max-forwards", "", MAX_FORWARDS),
    ("proxy-authenticate", "", PROXY_AUTHENTICATE),
    ("proxy-authorization", "", PROXY_AUTHORIZATION),
    ("record-route", "", RECORD_ROUTE),
    ("route", "", ROUTE),
    ("server", "", SERVER),
    ("subject", "s", SUBJECT),
    ("supported", "k", SUPPORTED),
    ("to", "t", TO),
    ("user-agent", "", USER_AGENT),
    ("via", "v", VIA),
    ("www-authenticate", "", WWW_AUTHENTICATE),
];

fn header_field(name: &[u8]) -> Option<FieldId> {
    HEADERS
        .iter()
        .find(|(long, short, _)| {
            name.eq_ignore_ascii_case(long.as_bytes())
                || (!short.is_empty() && name.eq_ignore_ascii_case(short.as_bytes()))
        })
        .map(|h| h.2)
}

/// One message `off..end` whose first line is `kind`.
fn message(cx: &mut Cx, b: Bytes, off: usize, end: usize, kind: Line, first: bool) {
    let d = &b.data[off..end];
    if first {
        cx.proto(PROTO, "sip", b.span_to(off, end));
    } else {
        cx.proto_quiet(PROTO, b.span_to(off, end));
    }
    let (line, mut pos) = first_line(d).unwrap_or((d, d.len()));
    let lsp = b.span(off, line.len());
    let mut words = line.splitn(3, |&c| c == b' ');
    let w1 = words.next().unwrap_or_default();
    let w2 = words.next().unwrap_or_default();
    let w2_off = off + w1.len() + 1;
    let mut status = 0;
    match kind {
        Line::Request => {
            let method = String::from_utf8_lossy(w1).into_owned();
            cx.label(PROTO, || format!("Session Initiation Protocol ({})", method));
            cx.add_ascii(REQUEST_LINE, line, lsp);
            cx.add_ascii(METHOD, w1, b.span(off, w1.len()));
            cx.add_ascii(R_URI, w2, b.span(w2_off, w2.len()));
            uri_parts(cx, b, w2_off, w2, R_URI_USER, R_URI_HOST, Some(R_URI_PORT));
        }
        _ => {
            let code = std::str::from_utf8(w2).ok().and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
            status = code;
            cx.label(PROTO, || format!("Session Initiation Protocol ({})", code));
            cx.add_ascii(STATUS_LINE, line, lsp);
            cx.u(STATUS_CODE, code, b.span(w2_off, w2.len()));
        }
    }
    // Headers, up to the empty line (continuation lines folded into the header before).
    let mut content_type: Option<Vec<u8>> = None;
    let mut call_id: &[u8] = b"";
    let mut cseq_no: u32 = 0;
    let mut content_len: Option<usize> = None;
    let mut body_start = d.len();
    let hdr_start = pos;
    let mut hdr_added = false;
    while pos < d.len() {
        let (l, next) = first_line(&d[pos..]).unwrap_or((&d[pos..], d.len() - pos));
        let mut lend = pos + l.len();
        let mut next = pos + next;
        if l.is_empty() {
            body_start = next;
            break;
        }
        // Folded lines.
        while next < d.len() && matches!(d[next], b' ' | b'\t') {
            let (l2, n2) = first_line(&d[next..]).unwrap_or((&d[next..], d.len() - next));
            lend = next + l2.len();
            next += n2;
        }
        if !hdr_added {
            hdr_added = true;
            cx.add_str(MSG_HDR, "", b.span(off + hdr_start, 0));
        }
        let l = &d[pos..lend];
        let hsp = off + pos;
        pos = next;
        let Some(colon) = memchr::memchr(b':', l) else { continue };
        let name = trim(&l[..colon]);
        let value = trim(&l[colon + 1..]);
        let voff = hsp + (value.as_ptr() as usize - l.as_ptr() as usize);
        let vsp = b.span(voff, value.len());
        let Some(field) = header_field(name) else { continue };
        let num = || std::str::from_utf8(value).ok().and_then(|s| s.trim().parse::<u32>().ok());
        match field {
            CONTENT_LENGTH => {
                if let Some(n) = num() {
                    cx.u(CONTENT_LENGTH, n, vsp);
                    content_len = Some(n as usize);
                }
            }
            MAX_FORWARDS | EXPIRES => {
                if let Some(n) = num() {
                    cx.u(field, n, vsp);
                }
            }
            _ => cx.add_ascii(field, value, vsp),
        }
        match field {
            CONTENT_TYPE => content_type = Some(value.to_vec()),
            CALL_ID => call_id = value,
            FROM => address(cx, b, voff, value, FROM_ADDR, FROM_USER, FROM_HOST, FROM_TAG),
            TO => address(cx, b, voff, value, TO_ADDR, TO_USER, TO_HOST, TO_TAG),
            CSEQ => {
                let mut it = value.splitn(2, |&c| c == b' ');
                let seq = it.next().unwrap_or_default();
                if let Some(n) = std::str::from_utf8(seq).ok().and_then(|s| s.parse::<u32>().ok()) {
                    cseq_no = n;
                    cx.u(CSEQ_SEQ, n, b.span(voff, seq.len()));
                }
                if let Some(m) = it.next() {
                    let m = trim(m);
                    cx.add_ascii(CSEQ_METHOD, m, b.span(voff + (value.len() - m.len()), m.len()));
                }
            }
            AUTHORIZATION | PROXY_AUTHORIZATION if kind == Line::Request && cx.creds_on() => {
                // pcap-creds: a Digest answer, the hash line HTTP's Digest gives (RFC 3261
                // computes it the same way, with the request's method).
                let sp = memchr::memchr(b' ', value).unwrap_or(value.len());
                if value[..sp].eq_ignore_ascii_case(b"digest") {
                    if let Some(c) = crate::proto::http::digest(trim(&value[sp..]), w1, "SIP Digest") {
                        cx.credential(c);
                    }
                }
            }
            _ => {}
        }
    }
    if body_start >= d.len() {
        return;
    }
    let body_end = match content_len {
        Some(n) => (body_start + n).min(d.len()),
        None => d.len(),
    };
    if body_end <= body_start {
        return;
    }
    cx.add(MSG_BODY, Value::None, b.span(off + body_start, body_end - body_start));
    let media = content_type.as_deref().map(|t| {
        let t = t.split(|&c| c == b';').next().unwrap_or_default();
        trim(t).to_ascii_lowercase()
    });
    if media.as_deref() == Some(b"application/sdp".as_slice()) {
        let layer = cx.layer();
        cx.push_name(crate::dissector::NESTED_OPEN);
        let media = crate::proto::sdp::dissect(cx, b, off + body_start, off + body_end);
        cx.push_name(crate::dissector::NESTED_CLOSE);
        cx.set_layer(layer);
        if !cx.in_error {
            offer_answer(cx, kind, status, (call_id.to_vec(), cseq_no), media);
        }
    }
}

/// Most requests remembered for matching their responses.
const MAX_REQUESTS: usize = 1 << 16;

/// tshark's SDP setup from SIP: a request's SDP and the SDP of a provisional or redirect
/// response are set up as of their own frame; a 2xx answer's as of the frame of the request
/// it answers (the latest unanswered one with its Call-ID and CSeq); a failure response's
/// not at all.
fn offer_answer(cx: &mut Cx, kind: Line, status: u32, key: (Vec<u8>, u32), media: Vec<crate::proto::sdp::Endpoint>) {
    let frame = cx.meta.number;
    let requests = &mut cx.st.rtp.requests;
    let setup = match (kind, status) {
        (Line::Request, _) => {
            if requests.len() >= MAX_REQUESTS && !requests.contains_key(&key) {
                requests.clear();
            }
            let v = requests.entry(key).or_default();
            if v.len() < 8 {
                v.push(frame);
            }
            frame
        }
        (_, 200..=299) => requests.get_mut(&key).and_then(|v| v.pop()).unwrap_or(frame),
        (_, 400..) => return,
        _ => frame,
    };
    crate::proto::sdp::apply(cx, &media, setup, "SDP");
}

/// A From or To value: `[display] <uri>;params` or `uri;params`.
#[allow(clippy::too_many_arguments)]
fn address(
    cx: &mut Cx,
    b: Bytes,
    voff: usize,
    value: &[u8],
    addr: FieldId,
    user: FieldId,
    host: FieldId,
    tag: FieldId,
) {
    let (uri_start, uri_end, params_from) = match memchr::memchr(b'<', value) {
        Some(lt) => match memchr::memchr(b'>', &value[lt..]) {
            Some(gt) => (lt + 1, lt + gt, lt + gt + 1),
            None => return,
        },
        None => {
            let e = memchr::memchr(b';', value).unwrap_or(value.len());
            (0, e, e)
        }
    };
    let uri = &value[uri_start..uri_end];
    cx.add_ascii(addr, uri, b.span(voff + uri_start, uri.len()));
    uri_parts(cx, b, voff + uri_start, uri, user, host, None);
    for p in value[params_from.min(value.len())..].split(|&c| c == b';') {
        let p = trim(p);
        if p.len() > 4 && p[..4].eq_ignore_ascii_case(b"tag=") {
            let t = &p[4..];
            let toff = voff + (t.as_ptr() as usize - value.as_ptr() as usize);
            cx.add_ascii(tag, t, b.span(toff, t.len()));
            cx.add_ascii(TAG, t, b.span(toff, t.len()));
        }
    }
}

/// The user, host and port of a SIP URI (`scheme:user@host:port;params`).
fn uri_parts(cx: &mut Cx, b: Bytes, uoff: usize, uri: &[u8], user: FieldId, host: FieldId, port: Option<FieldId>) {
    let Some(colon) = memchr::memchr(b':', uri) else { return };
    // Only SIP URIs have their parts shown (not `tel:` ones).
    if !(uri[..colon].eq_ignore_ascii_case(b"sip") || uri[..colon].eq_ignore_ascii_case(b"sips")) {
        return;
    }
    let mut s = colon + 1;
    let end = uri[s..].iter().position(|&c| matches!(c, b';' | b'?' | b'>')).map_or(uri.len(), |i| s + i);
    if let Some(at) = memchr::memchr(b'@', &uri[s..end]).map(|i| s + i) {
        let u = &uri[s..at];
        let u = &u[..memchr::memchr(b':', u).unwrap_or(u.len())];
        if !u.is_empty() {
            cx.add_ascii(user, u, b.span(uoff + s, u.len()));
        }
        s = at + 1;
    }
    let h = &uri[s..end];
    let (h, p) = match memchr::memrchr(b':', h) {
        Some(i) if !h.starts_with(b"[") || h[..i].ends_with(b"]") => (&h[..i], Some((&h[i + 1..], s + i + 1))),
        _ => (h, None),
    };
    cx.add_ascii(host, h, b.span(uoff + s, h.len()));
    if let (Some(pf), Some((p, po))) = (port, p) {
        cx.add_ascii(pf, p, b.span(uoff + po, p.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(start(b"INVITE sip:a@b SIP/2.0\r\nVia: x\r\n"), Line::Request);
        assert_eq!(start(b"SIP/2.0 200 OK\r\n"), Line::Status);
        assert_eq!(start(b"SIP/2.0 20 OK\r\n"), Line::Other);
        assert_eq!(start(b"GET / HTTP/1.1\r\n"), Line::Other);
        assert_eq!(start(b"     "), Line::Other);
        assert_eq!(start(b"INVITE sip:a@b SIP/2.1\r\n"), Line::Other);
        assert_eq!(start(b"\x80abc"), Line::Other);
        assert!(!looks_like(b""));
    }

    #[test]
    fn lengths() {
        assert_eq!(content_length(b"INVITE x SIP/2.0\r\nl: 12\r\n\r\n"), Some(12));
        assert_eq!(content_length(b"INVITE x SIP/2.0\r\nContent-Length:0\r\n\r\n"), Some(0));
        assert_eq!(content_length(b"INVITE x SIP/2.0\r\n\r\n"), None);
    }
}
