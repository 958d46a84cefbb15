//! HTTP/1.x over TCP: request and status lines, the header fields tshark names, the body's
//! length (Content-Length, chunked, or until FIN) for desegmentation as tshark 4.0 does it
//! (`http.desegment_headers` and `http.desegment_body` on).
crate::declare_fields! {
    after = super::ppi::END;
    PROTO = "http", "Hypertext Transfer Protocol", Protocol, None;
    RESPONSE = "http.response", "Response", Boolean, None;
    REQUEST = "http.request", "Request", Boolean, None;
    AUTHBASIC = "http.authbasic", "Credentials", String, None;
    RESPONSE_LINE = "http.response.line", "Response line", String, None;
    REQUEST_LINE = "http.request.line", "Request line", String, None;
    REQUEST_METHOD = "http.request.method", "Request Method", String, None;
    REQUEST_URI = "http.request.uri", "Request URI", String, None;
    REQUEST_URI_PATH = "http.request.uri.path", "Request URI Path", String, None;
    REQUEST_URI_QUERY = "http.request.uri.query", "Request URI Query", String, None;
    REQUEST_URI_QUERY_PARAMETER = "http.request.uri.query.parameter", "Request URI Query Parameter", String, None;
    REQUEST_VERSION = "http.request.version", "Request Version", String, None;
    RESPONSE_VERSION = "http.response.version", "Response Version", String, None;
    REQUEST_FULL_URI = "http.request.full_uri", "Full request URI", String, None;
    RESPONSE_CODE = "http.response.code", "Status Code", U16, Dec;
    RESPONSE_CODE_DESC = "http.response.code.desc", "Status Code Description", String, None;
    RESPONSE_PHRASE = "http.response.phrase", "Response Phrase", String, None;
    AUTHORIZATION = "http.authorization", "Authorization", String, None;
    PROXY_AUTHENTICATE = "http.proxy_authenticate", "Proxy-Authenticate", String, None;
    PROXY_AUTHORIZATION = "http.proxy_authorization", "Proxy-Authorization", String, None;
    WWW_AUTHENTICATE = "http.www_authenticate", "WWW-Authenticate", String, None;
    CONTENT_TYPE = "http.content_type", "Content-Type", String, None;
    CONTENT_LENGTH_HEADER = "http.content_length_header", "Content-Length", String, None;
    CONTENT_LENGTH = "http.content_length", "Content length", U64, Dec;
    CONTENT_ENCODING = "http.content_encoding", "Content-Encoding", String, None;
    TRANSFER_ENCODING = "http.transfer_encoding", "Transfer-Encoding", String, None;
    UPGRADE = "http.upgrade", "Upgrade", String, None;
    USER_AGENT = "http.user_agent", "User-Agent", String, None;
    HOST = "http.host", "Host", String, None;
    CONNECTION = "http.connection", "Connection", String, None;
    COOKIE = "http.cookie", "Cookie", String, None;
    COOKIE_PAIR = "http.cookie_pair", "Cookie pair", String, None;
    ACCEPT = "http.accept", "Accept", String, None;
    REFERER = "http.referer", "Referer", String, None;
    ACCEPT_LANGUAGE = "http.accept_language", "Accept-Language", String, None;
    ACCEPT_ENCODING = "http.accept_encoding", "Accept Encoding", String, None;
    DATE = "http.date", "Date", String, None;
    CACHE_CONTROL = "http.cache_control", "Cache-Control", String, None;
    SERVER = "http.server", "Server", String, None;
    LOCATION = "http.location", "Location", String, None;
    SET_COOKIE = "http.set_cookie", "Set-Cookie", String, None;
    LAST_MODIFIED = "http.last_modified", "Last-Modified", String, None;
    X_FORWARDED_FOR = "http.x_forwarded_for", "X-Forwarded-For", String, None;
    FILE_DATA = "http.file_data", "File Data", String, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::tree::{Span, Value};

/// Request methods tshark recognises at the start of a message.
const METHODS: &[&[u8]] = &[
    b"GET", b"POST", b"HEAD", b"PUT", b"DELETE", b"OPTIONS", b"TRACE", b"CONNECT", b"PATCH", b"PROPFIND",
    b"PROPPATCH", b"MKCOL", b"COPY", b"MOVE", b"LOCK", b"UNLOCK", b"SEARCH", b"NOTIFY", b"M-SEARCH",
    b"SUBSCRIBE", b"UNSUBSCRIBE", b"POLL", b"BCOPY", b"BMOVE", b"BDELETE", b"BPROPFIND", b"BPROPPATCH",
    b"MKWORKSPACE", b"CHECKIN", b"CHECKOUT", b"UNCHECKOUT", b"REPORT", b"VERSION-CONTROL", b"UPDATE",
    b"LABEL", b"MERGE", b"BASELINE-CONTROL", b"MKACTIVITY", b"ORDERPATCH", b"ACL", b"MKCALENDAR",
    b"MKREDIRECTREF", b"UPDATEREDIRECTREF", b"BIND", b"UNBIND", b"REBIND", b"RPC_IN_DATA", b"RPC_OUT_DATA",
    b"PRI", b"SSTP_DUPLEX_POST",
];

/// The end of the line starting at `off` (index of CR or LF) and the start of the next.
fn line_end(d: &[u8], off: usize) -> Option<(usize, usize)> {
    let rest = d.get(off..)?;
    let i = memchr::memchr2(b'\r', b'\n', rest)?;
    let e = off + i;
    match d[e] {
        b'\r' => match d.get(e + 1) {
            Some(b'\n') => Some((e, e + 2)),
            Some(_) => Some((e, e + 1)),
            // A CR at the very end: the LF may follow in the next segment.
            None => None,
        },
        _ => Some((e, e + 1)),
    }
}

/// What the first line of a message is.
enum First {
    Request { method: usize },
    Response,
    Other,
}

fn first_line(line: &[u8]) -> First {
    if line.len() >= 5 && &line[..5] == b"HTTP/" {
        return First::Response;
    }
    if let Some(sp) = memchr::memchr(b' ', line) {
        if METHODS.contains(&&line[..sp]) {
            return First::Request { method: sp };
        }
    }
    First::Other
}

/// tshark's HTTP heuristic over TCP: a first line that starts or ends with `HTTP/1.`.
pub fn looks_like(d: &[u8]) -> bool {
    let Some((e, _)) = line_end(d, 0) else { return false };
    if e == 8 {
        return false;
    }
    let line = &d[..e];
    let ci = |s: &[u8]| s.len() >= 7 && s[..7].eq_ignore_ascii_case(b"HTTP/1.");
    ci(line) || (line.len() >= 8 && ci(&line[line.len() - 8..]))
}

/// Per-conversation HTTP state tshark keeps.
#[derive(Default)]
pub struct Conv {}

/// Dissects the HTTP messages in `off..end`; returns where an unfinished one starts.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, _conv: &mut Conv) -> Option<Deseg> {
    let start = off;
    let mut off = off;
    let cap_end = end.min(b.len());
    while off < end {
        match message(cx, b, off, end, cap_end) {
            Msg::Used(n) => off += n.max(1),
            Msg::Need(need) => return Deseg::new(off - start, need),
            Msg::Rest => break,
        }
    }
    None
}

enum Msg {
    Used(usize),
    Need(Need),
    Rest,
}

fn message(cx: &mut Cx, b: Bytes, off: usize, end: usize, cap_end: usize) -> Msg {
    let d = &b.data[..cap_end];
    if off >= cap_end {
        // Not captured (snapshot length): nothing to look at.
        return Msg::Rest;
    }
    let first = match line_end(d, off) {
        Some((e, _)) => first_line(&d[off..e]),
        None => {
            // No complete first line: a request or response being cut? tshark checks the
            // start of what is there.
            match first_line(&d[off..]) {
                First::Other => First::Other,
                f => {
                    let _ = f;
                    return Msg::Need(Need::OneMoreSegment);
                }
            }
        }
    };
    if matches!(first, First::Other) {
        // A continuation of an earlier message (or something else): shown as data.
        cx.proto(PROTO, "http", b.span_to(off, end));
        crate::proto::data::dissect(cx, b, off, end);
        return Msg::Rest;
    }
    // Headers complete? Body complete? (req_resp_hdrs_do_reassembly)
    let mut pos = off;
    let mut content_length: Option<u64> = None;
    let mut content_type = false;
    let mut chunked = false;
    let mut keepalive = false;
    let hdr_end;
    loop {
        if pos >= end {
            return Msg::Need(Need::OneMoreSegment);
        }
        let Some((e, next)) = line_end(d, pos) else {
            if cap_end >= end {
                return Msg::Need(Need::OneMoreSegment);
            }
            return Msg::Rest;
        };
        if e == pos {
            hdr_end = next;
            break;
        }
        let line = &d[pos..e];
        if let Some(v) = header_value(line, b"content-length:") {
            content_length = parse_int(v);
        } else if header_value(line, b"content-type:").is_some() {
            content_type = true;
        } else if let Some(v) = header_value(line, b"connection:") {
            keepalive = v.len() >= 10 && v[..10].eq_ignore_ascii_case(b"keep-alive");
            keepalive |= false;
        } else if let Some(v) = header_value(line, b"transfer-encoding:") {
            let v = trim_start(v);
            chunked = v.len() >= 7 && v[..7].eq_ignore_ascii_case(b"chunked");
        }
        pos = next;
    }
    let body_start = hdr_end;
    let mut body_end = body_start;
    if chunked {
        let mut p = body_start;
        loop {
            if p >= end {
                return Msg::Need(Need::OneMoreSegment);
            }
            let Some((e, next)) = line_end(d, p) else {
                if cap_end >= end {
                    return Msg::Need(Need::OneMoreSegment);
                }
                break;
            };
            let size_txt = &d[p..e];
            let size_txt = size_txt.split(|&c| c == b';').next().unwrap_or(&[]);
            let Some(size) = parse_hex(size_txt) else { break };
            if size == 0 {
                // Trailer: up to an empty line.
                let mut t = next;
                loop {
                    match line_end(d, t) {
                        Some((e2, n2)) if e2 == t => {
                            t = n2;
                            break;
                        }
                        Some((_, n2)) => t = n2,
                        None => return Msg::Need(Need::OneMoreSegment),
                    }
                }
                body_end = t;
                break;
            }
            if end - next > size as usize {
                p = next + size as usize + 2;
                body_end = p.min(end);
            } else {
                return Msg::Need(Need::OneMoreSegment);
            }
        }
    } else if let Some(cl) = content_length {
        let have = end.saturating_sub(body_start) as u64;
        if cl > have {
            if cap_end < end {
                body_end = end;
            } else {
                return Msg::Need(Need::Bytes((cl - have).min(u32::MAX as u64) as u32));
            }
        } else {
            body_end = body_start + cl as usize;
        }
    } else if content_type && !keepalive && matches!(first, First::Response) {
        if cx_until_fin_done(cx) {
            body_end = end;
        } else {
            return Msg::Need(Need::UntilFin);
        }
    } else if matches!(first, First::Response) {
        body_end = end;
    }
    headers(cx, b, off, hdr_end, body_start, body_end.min(end), end);
    Msg::Used(body_end.max(hdr_end) - off)
}

/// Set by TCP while it hands over the data collected until FIN.
fn cx_until_fin_done(cx: &Cx) -> bool {
    cx.until_fin
}

/// Emits the message's fields: first line, headers, body.
fn headers(cx: &mut Cx, b: Bytes, off: usize, hdr_end: usize, body_start: usize, body_end: usize, end: usize) {
    let d = b.data;
    cx.proto(PROTO, "http", b.span_to(off, body_end.max(hdr_end).min(end)));
    let Some((e, next)) = line_end(d, off) else { return };
    let line = &d[off..e];
    let is_request = match first_line(line) {
        First::Request { method } => {
            cx.add(REQUEST, Value::Bool(true), Span::EMPTY);
            let m = &line[..method];
            cx.add_str(REQUEST_METHOD, lossy(m).as_ref(), b.span(off, method));
            let rest = &line[method + 1..];
            let (uri, version) = match memchr::memrchr(b' ', rest) {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &b""[..]),
            };
            let uoff = off + method + 1;
            cx.add_str(REQUEST_URI, lossy(uri).as_ref(), b.span(uoff, uri.len()));
            if cx.wants(REQUEST_URI_PATH) || cx.wants(REQUEST_URI_QUERY) || cx.wants(REQUEST_URI_QUERY_PARAMETER) {
                let (path, query) = match memchr::memchr(b'?', uri) {
                    Some(i) => (&uri[..i], Some(&uri[i + 1..])),
                    None => (uri, None),
                };
                cx.add_str(REQUEST_URI_PATH, lossy(path).as_ref(), b.span(uoff, path.len()));
                if let Some(q) = query {
                    cx.add_str(REQUEST_URI_QUERY, lossy(q).as_ref(), b.span(uoff + path.len() + 1, q.len()));
                    for p in q.split(|&c| c == b'&') {
                        cx.add_str(REQUEST_URI_QUERY_PARAMETER, lossy(p).as_ref(), Span::EMPTY);
                    }
                }
            }
            cx.add_str(REQUEST_VERSION, lossy(version).as_ref(), Span::EMPTY);
            Some(uri)
        }
        First::Response => {
            cx.add(RESPONSE, Value::Bool(true), Span::EMPTY);
            let sp = memchr::memchr(b' ', line).unwrap_or(line.len());
            cx.add_str(RESPONSE_VERSION, lossy(&line[..sp]).as_ref(), b.span(off, sp));
            let rest = line.get(sp + 1..).unwrap_or(&[]);
            let code_txt = &rest[..rest.len().min(3)];
            if let Some(code) = parse_int(code_txt) {
                cx.u(RESPONSE_CODE, code as u16, b.span(off + sp + 1, code_txt.len()));
            }
            let phrase = rest.get(4..).unwrap_or(&[]);
            cx.add_str(RESPONSE_PHRASE, lossy(phrase).as_ref(), Span::EMPTY);
            None
        }
        First::Other => None,
    };
    let mut host: Option<(usize, usize)> = None;
    let mut pos = next;
    while pos < hdr_end {
        let Some((e, next)) = line_end(d, pos) else { break };
        if e == pos {
            break;
        }
        let line = &d[pos..e];
        let line_field = if is_request.is_some() { REQUEST_LINE } else { RESPONSE_LINE };
        if cx.wants(line_field) {
            cx.add_str(line_field, lossy(&d[pos..next]).as_ref(), b.span(pos, next - pos));
        }
        if let Some(colon) = memchr::memchr(b':', line) {
            let name = &line[..colon];
            let v = trim_start(&line[colon + 1..]);
            let voff = e - v.len();
            if let Some(id) = header_field(name) {
                if id == CONTENT_LENGTH_HEADER {
                    cx.add_str(id, lossy(v).as_ref(), b.span(voff, v.len()));
                    if let Some(n) = parse_int(v) {
                        cx.u(CONTENT_LENGTH, n, b.span(voff, v.len()));
                    }
                } else {
                    cx.add_str(id, lossy(v).as_ref(), b.span(voff, v.len()));
                }
                if id == HOST {
                    host = Some((voff, v.len()));
                }
                if id == AUTHORIZATION || id == PROXY_AUTHORIZATION {
                    basic(cx, v);
                }
                if id == COOKIE && cx.wants(COOKIE_PAIR) {
                    for pair in v.split(|&c| c == b';') {
                        cx.add_str(COOKIE_PAIR, lossy(trim_start(pair)).as_ref(), Span::EMPTY);
                    }
                }
            }
        }
        pos = next;
    }
    if let (Some(uri), Some((ho, hl))) = (is_request, host) {
        if cx.wants(REQUEST_FULL_URI) {
            let h = &d[ho..ho + hl];
            let s = if uri.first() == Some(&b'/') {
                format!("http://{}{}", lossy(h).trim(), lossy(uri))
            } else {
                lossy(uri).into_owned()
            };
            cx.add_str(REQUEST_FULL_URI, &s, Span::EMPTY);
        }
    }
    if body_end > body_start && cx.wants(FILE_DATA) {
        let body = &d[body_start..body_end.min(d.len())];
        cx.add_str(FILE_DATA, lossy(body).as_ref(), b.span(body_start, body.len()));
    }
}

/// `Authorization: Basic <base64>` decoded as tshark's `http.authbasic`.
fn basic(cx: &mut Cx, v: &[u8]) {
    if !cx.wants(AUTHBASIC) || v.len() < 6 || !v[..6].eq_ignore_ascii_case(b"basic ") {
        return;
    }
    if let Some(dec) = base64(trim_start(&v[6..])) {
        cx.add_str(AUTHBASIC, lossy(&dec).as_ref(), Span::EMPTY);
    }
}

fn base64(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\t' => continue,
            _ => return None,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

fn header_field(name: &[u8]) -> Option<crate::field::FieldId> {
    const MAP: &[(&[u8], crate::field::FieldId)] = &[
        (b"host", HOST),
        (b"user-agent", USER_AGENT),
        (b"authorization", AUTHORIZATION),
        (b"proxy-authorization", PROXY_AUTHORIZATION),
        (b"proxy-authenticate", PROXY_AUTHENTICATE),
        (b"www-authenticate", WWW_AUTHENTICATE),
        (b"content-type", CONTENT_TYPE),
        (b"content-length", CONTENT_LENGTH_HEADER),
        (b"content-encoding", CONTENT_ENCODING),
        (b"transfer-encoding", TRANSFER_ENCODING),
        (b"upgrade", UPGRADE),
        (b"connection", CONNECTION),
        (b"cookie", COOKIE),
        (b"accept", ACCEPT),
        (b"referer", REFERER),
        (b"accept-language", ACCEPT_LANGUAGE),
        (b"accept-encoding", ACCEPT_ENCODING),
        (b"date", DATE),
        (b"cache-control", CACHE_CONTROL),
        (b"server", SERVER),
        (b"location", LOCATION),
        (b"set-cookie", SET_COOKIE),
        (b"last-modified", LAST_MODIFIED),
        (b"x-forwarded-for", X_FORWARDED_FOR),
    ];
    MAP.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|e| e.1)
}

fn header_value<'a>(line: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    (line.len() >= name.len() && line[..name.len()].eq_ignore_ascii_case(name)).then(|| &line[name.len()..])
}

fn trim_start(v: &[u8]) -> &[u8] {
    let n = v.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    &v[n..]
}

fn parse_int(v: &[u8]) -> Option<u64> {
    let v = trim_start(v);
    let n = v.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    std::str::from_utf8(&v[..n]).ok()?.parse().ok()
}

fn parse_hex(v: &[u8]) -> Option<u64> {
    let v = trim_start(v);
    let n = v.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    if n == 0 || n > 15 {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(&v[..n]).ok()?, 16).ok()
}

fn lossy(v: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heuristic_and_lines() {
        assert!(looks_like(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(looks_like(b"HTTP/1.0 200 OK\r\n"));
        assert!(!looks_like(b"SSH-2.0-OpenSSH\r\n"));
        assert_eq!(line_end(b"ab\r\ncd", 0), Some((2, 4)));
        assert_eq!(line_end(b"ab\r", 0), None);
        assert_eq!(base64(b"dXNlcjpwYXNz").unwrap(), b"user:pass");
        assert_eq!(parse_hex(b"1a;x"), Some(26));
    }
}
