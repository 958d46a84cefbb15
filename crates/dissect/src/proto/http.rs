//! HTTP/1.x over TCP: request and status lines, the header fields tshark names, the body's
//! length (Content-Length, chunked, or until FIN) for desegmentation as tshark 4.0 does it
//! (`http.desegment_headers` and `http.desegment_body` on).
crate::declare_fields! {
    after = super::ppi::END;
    PROTO = "http", "Hypertext Transfer Protocol", Protocol, None;
    NOTIFICATION = "http.notification", "Notification", Boolean, None;
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
    // SSDP is HTTP over UDP port 1900: tshark's HTTP code, under a protocol of its own.
    SSDP = "ssdp", "Simple Service Discovery Protocol", Protocol, None;
}

use crate::cx::{Bytes, Cx};
use crate::export::{Object, Piece, Proto};
use crate::reasm::{Deseg, Need};
use crate::tree::{Span, Value};

/// Request methods tshark recognises at the start of a message.
const METHODS: &[&[u8]] = &[
    b"GET",
    b"POST",
    b"HEAD",
    b"PUT",
    b"DELETE",
    b"OPTIONS",
    b"TRACE",
    b"CONNECT",
    b"PATCH",
    b"PROPFIND",
    b"PROPPATCH",
    b"MKCOL",
    b"COPY",
    b"MOVE",
    b"LOCK",
    b"UNLOCK",
    b"SEARCH",
    b"NOTIFY",
    b"M-SEARCH",
    b"SUBSCRIBE",
    b"UNSUBSCRIBE",
    b"POLL",
    b"BCOPY",
    b"BMOVE",
    b"BDELETE",
    b"BPROPFIND",
    b"BPROPPATCH",
    b"MKWORKSPACE",
    b"CHECKIN",
    b"CHECKOUT",
    b"UNCHECKOUT",
    b"REPORT",
    b"VERSION-CONTROL",
    b"UPDATE",
    b"LABEL",
    b"MERGE",
    b"BASELINE-CONTROL",
    b"MKACTIVITY",
    b"ORDERPATCH",
    b"ACL",
    b"MKCALENDAR",
    b"MKREDIRECTREF",
    b"UPDATEREDIRECTREF",
    b"BIND",
    b"UNBIND",
    b"REBIND",
    b"RPC_IN_DATA",
    b"RPC_OUT_DATA",
    b"PRI",
    b"SSTP_DUPLEX_POST",
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
#[derive(Clone, Copy, PartialEq, Eq)]
enum First {
    Request { method: usize },
    Notification { method: usize },
    Response,
    Other,
}

fn first_line(line: &[u8]) -> First {
    if line.len() >= 5 && &line[..5] == b"HTTP/" {
        return First::Response;
    }
    if let Some(sp) = memchr::memchr(b' ', line) {
        if &line[..sp] == b"NOTIFY" {
            return First::Notification { method: sp };
        }
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
pub struct Conv {
    /// A request (or notification) was seen: tshark then takes later unrecognised data for
    /// a "Continuation" (after responses alone it shows nothing).
    seen: bool,
    /// The method of the last request (a response to HEAD has no body).
    head: bool,
    connect: bool,
    /// The port a CONNECT request names (`host:port`).
    connect_port: Option<u16>,
    /// The last request's URI and `Host` (what tshark names exported objects after); kept
    /// only when HTTP objects are exported.
    request_uri: Option<Vec<u8>>,
    host: Option<Vec<u8>>,
    /// A 101 answered an Upgrade, or a 200 a CONNECT (or SSTP): what follows on the
    /// connection is another protocol, not HTTP.
    switched: bool,
    /// The end tshark takes for the tunnel's server: the destination of the first segment
    /// after the CONNECT was answered.
    tunnel_server: Option<(crate::cx::NetAddr, u16)>,
    /// The protocol switched to is WebSocket.
    websocket: bool,
    /// The NTLM challenge of this connection (`WWW-Authenticate: NTLM ...`).
    ntlm: crate::proto::ntlmssp::Pairing,
    /// The GSS-API mechanisms of the connection's Negotiate / Kerberos tokens.
    gss: crate::proto::gssapi::Conv,
}

/// Dissects the HTTP messages in `off..end`; returns where an unfinished one starts.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, conv: &mut Conv) -> Option<Deseg> {
    messages(cx, b, off, end, conv, PROTO)
}

/// The port a proxy's tunnel leads to once a CONNECT was answered with 200: tshark hands
/// what follows to that port's dissector, under an HTTP item of its own.
pub fn tunnel_port(conv: &Conv) -> Option<u16> {
    if conv.switched && conv.connect {
        conv.connect_port
    } else {
        None
    }
}

/// The ports tshark looks the tunnelled protocol up by once a CONNECT was answered with 200
/// (the port the request named takes the place of the server's port), or None.
pub fn tunnel_ports(
    conv: &mut Conv,
    src: crate::cx::NetAddr,
    dst: crate::cx::NetAddr,
    ports: (u16, u16),
) -> Option<(u16, u16)> {
    let port = tunnel_port(conv)?;
    let server = *conv.tunnel_server.get_or_insert((dst, ports.1));
    Some(if server == (src, ports.0) { (port, ports.1) } else { (ports.0, port) })
}

/// SSDP: HTTP messages in a UDP datagram (port 1900).
pub fn dissect_ssdp(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let mut conv = Conv::default();
    // One message per datagram: what follows it is not looked at.
    if off < end {
        let cap_end = end.min(b.len());
        let _ = message(cx, b, off, end, cap_end, &mut conv, SSDP, true, None);
    }
}

fn messages(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    conv: &mut Conv,
    proto: crate::field::FieldId,
) -> Option<Deseg> {
    let start = off;
    let mut off = off;
    let cap_end = end.min(b.len());
    // TCP hands back a PDU this dissector asked one more segment for.
    let mut resume = cx.st.resume.take().filter(|r| r.seen < end - start).map(|r| r.http);
    while off < end {
        if conv.switched {
            // tshark's HTTP hands the rest to the next protocol without an item of its own:
            // a layer of `frame.protocols` only, when that protocol shows something.
            if off == start && !(conv.websocket && !crate::proto::websocket::starts_whole(b, off, end)) {
                cx.nested(|cx| cx.push_name("http"));
            }
            if conv.websocket {
                return crate::proto::websocket::dissect(cx, b, off, end)
                    .map(|d| crate::reasm::Deseg { offset: d.offset + (off - start), need: d.need });
            }
            crate::proto::data::dissect(cx, b, off, end);
            break;
        }
        let first = off == start;
        let resume = if first { resume.take() } else { None };
        match message(cx, b, off, end, cap_end, conv, proto, first, resume) {
            Msg::Used(n) => off += n.max(1),
            Msg::Need(need, stopped) => {
                cx.st.stopped = stopped.map(|http| crate::reasm::Resume { seen: end - off, http });
                return Deseg::new(off - start, need);
            }
            Msg::Rest => break,
        }
    }
    None
}

enum Msg {
    Used(usize),
    /// More is needed, and where the reading stopped (when it can resume there).
    Need(Need, Option<Resume>),
    Rest,
}

/// Where the reading of a message's headers, or of its chunked body, stopped when it asked
/// TCP for one more segment. tshark reads the message again from its start once that
/// segment came, which makes a long header block or chunked body cost the square of its
/// length; the next reading starts here instead, with what the lines before said.
/// Positions count from the message's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resume {
    /// Where the first line starts (after a CRLF left over from the previous message).
    off: usize,
    /// The header line not read yet, and how far it was found to run without a line end.
    pos: usize,
    scanned: usize,
    content_length: Option<u64>,
    reasm_cl: Option<u64>,
    chunked: bool,
    te: bool,
    rpc_type: bool,
    not_header: Option<(usize, Option<u64>, bool, bool)>,
    /// Once the headers were read: where they end, and the chunk not read yet.
    body: Option<(usize, usize)>,
}

#[allow(clippy::too_many_arguments)]
fn message(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    cap_end: usize,
    conv: &mut Conv,
    proto: crate::field::FieldId,
    first_message: bool,
    resume: Option<Resume>,
) -> Msg {
    let d = &b.data[..cap_end];
    let start = off;
    let mut off = off;
    // A CRLF left over from the previous message.
    if end - off > 3 && d.get(off..off + 2) == Some(b"\r\n") {
        off += 2;
    }
    if off >= cap_end {
        return Msg::Rest;
    }
    let first = if !(0x20..0x7f).contains(&d[off]) {
        // Not text: no request or response starts here.
        First::Other
    } else {
        match line_end(d, off) {
            Some((e, _)) => first_line(&d[off..e]),
            // No complete first line: tshark asks for more, whatever the text is.
            None if cap_end >= end => return Msg::Need(Need::OneMoreSegment, None),
            None => First::Other,
        }
    };
    if first == First::Other && d[off..].starts_with(b"PRI * HTTP/2.0") {
        // The HTTP/2 connection preface: tshark hands the stream to its HTTP/2 dissector.
        return Msg::Rest;
    }
    if first == First::Other {
        let mut used = None;
        if (0x20..0x7f).contains(&d[off]) {
            // Text: read as header lines, then a body (after a request, a continuation of an
            // earlier message at least).
            used = headerless(cx, b, start, off, end, cap_end, proto, first_message, conv.seen);
        } else if conv.seen {
            // A continuation of an earlier message: shown as data under HTTP.
            message_item(cx, proto, first_message, b.span_to(off, end));
            cx.nested(|cx| crate::proto::data::dissect(cx, b, off, end));
        }
        // tshark reads text that is no request or response as header lines (while they
        // have a colon) and hands the rest to the export tap as a body; binary data is
        // only labelled.
        if cx.st.export.has(Proto::Http) && (0x20..0x7f).contains(&d[off]) {
            let mut entity = Entity::default();
            let mut p = off;
            while let Some((e, next)) = line_end(d, p) {
                if e == p {
                    p = next;
                    break;
                }
                let Some(colon) = memchr::memchr(b':', &d[p..e]) else { break };
                if let Some(id) = header_field(&d[p..p + colon]) {
                    entity.header(id, trim_start(&d[p + colon + 1..e]));
                }
                p = next;
            }
            if p < cap_end {
                export(cx, &d[p..cap_end], &entity, conv);
            }
        }
        return used.unwrap_or(Msg::Rest);
    }
    let response = first == First::Response;
    let code = if response { status_code(d, off) } else { 0 };
    // No body reassembly after a HEAD request, or in a segment that ends the stream.
    let mut desegment_body = !conv.head && !cx.seg_fin;
    if response && (conv.head || (code / 100 == 2 && conv.connect) || code / 100 == 1 || code == 204 || code == 304) {
        desegment_body = false;
    }
    // Headers complete? Body complete? (tshark's req_resp_hdrs_do_reassembly)
    // Where an earlier reading of this message stopped, if it did in the same place.
    let resume = resume.filter(|r| r.off == off - start);
    let mut r = resume.unwrap_or(Resume {
        off: off - start,
        pos: off - start,
        scanned: off - start,
        content_length: None,
        // The length the reassembly goes by: a whole 32-bit number or none (tshark ignores
        // lengths it cannot hold; a response then runs until FIN).
        reasm_cl: None,
        chunked: false,
        te: false,
        rpc_type: false,
        // The first line after the first that tshark's dissection does not take for a
        // header (no colon): its headers end there, and the body starts there (the
        // reassembly above still reads up to the empty line).
        not_header: None,
        body: None,
    });
    let need_more = |r: &mut Resume, pos: usize| {
        r.pos = pos - start;
        r.scanned = end - start;
        Msg::Need(Need::OneMoreSegment, Some(*r))
    };
    let hdr_end = match r.body {
        Some((hdr_end, _)) => start + hdr_end,
        None => {
            let mut pos = start + r.pos;
            loop {
                if pos >= end {
                    return need_more(&mut r, pos);
                }
                // (A line end is looked for where the last reading stopped looking: the
                // CR it ended with, if any, may start a CRLF.)
                let from = if pos - start == r.pos { pos.max((start + r.scanned).saturating_sub(1)) } else { pos };
                let Some((e, next)) = line_end(d, from) else {
                    if cap_end >= end {
                        return need_more(&mut r, pos);
                    }
                    break cap_end;
                };
                if e == pos {
                    break next;
                }
                let line = &d[pos..e];
                if r.not_header.is_none() && pos > off && memchr::memchr(b':', line).is_none() {
                    r.not_header = Some((pos - start, r.content_length, r.chunked, r.te));
                }
                if let Some(v) = header_value(line, b"content-length:") {
                    r.content_length = parse_int(v);
                    r.reasm_cl = parse_i32(v);
                } else if let Some(v) = header_value(line, b"content-type:") {
                    r.rpc_type = trim_start(v).starts_with(b"application/rpc");
                } else if let Some(v) = header_value(line, b"transfer-encoding:") {
                    let v = trim_start(v);
                    r.te = true;
                    r.chunked = v.len() >= 7 && v[..7].eq_ignore_ascii_case(b"chunked");
                }
                pos = next;
            }
        }
    };
    let Resume { content_length, reasm_cl, chunked, te, rpc_type, not_header, .. } = r;
    let not_header = not_header.map(|(p, cl, ch, t)| (start + p, cl, ch, t));
    let body_start = hdr_end;
    let mut chunked_end = None;
    if desegment_body {
        if chunked {
            let mut p = r.body.map_or(body_start, |(_, p)| start + p);
            let mut need_more = |p: usize| {
                r.body = Some((hdr_end - start, p - start));
                Msg::Need(Need::OneMoreSegment, Some(r))
            };
            loop {
                if p >= end {
                    return need_more(p);
                }
                let Some((e, next)) = line_end(d, p) else {
                    if cap_end >= end {
                        return need_more(p);
                    }
                    break;
                };
                let size_txt = d[p..e].split(|&c| c == b';').next().unwrap_or(&[]);
                let Some(size) = parse_hex(size_txt) else { break };
                if size > 1 << 31 {
                    break;
                }
                if size == 0 {
                    match line_end(d, next) {
                        Some((_, n2)) => chunked_end = Some(n2),
                        None if cap_end >= end => return need_more(p),
                        None => {}
                    }
                    break;
                }
                if end - next > size as usize {
                    p = next + size as usize + 2;
                } else {
                    return need_more(p);
                }
            }
        } else if let Some(cl) = reasm_cl {
            let have = end.saturating_sub(body_start) as u64;
            // MS-RPCH: the length of RPC_IN_DATA / RPC_OUT_DATA bodies is meaningless.
            let rpc = cl >= 128 * 1024
                && (rpc_type || d[off..].starts_with(b"RPC_IN_DATA") || d[off..].starts_with(b"RPC_OUT_DATA"));
            if cl > have && cap_end >= end && !rpc {
                return Msg::Need(Need::Bytes((cl - have).min(u32::MAX as u64) as u32), None);
            }
        } else if response && cap_end >= end && !cx.until_fin {
            return Msg::Need(Need::UntilFin, None);
        }
    }
    // (What the dissection knows of the body is what the headers before that line say.)
    let (hdr_end, body_start, content_length, chunked, te) = match not_header {
        Some((p, cl, ch, t)) => {
            chunked_end = None;
            (p, p, cl, ch, t)
        }
        None => (hdr_end, body_start, content_length, chunked, te),
    };
    // How much of what follows the headers is this message's body.
    let rest = end - body_start;
    let datalen = match (content_length, te) {
        (Some(cl), false) => (cl.min(rest as u64)) as usize,
        _ if chunked => match chunked_end {
            Some(e) => e - body_start,
            None if cap_end >= end => chunks_end(d, body_start, end) - body_start,
            None => rest,
        },
        _ => match first {
            First::Request { .. } => 0,
            First::Response if code / 100 == 1 || code == 204 || code == 304 => 0,
            _ => rest,
        },
    };
    let body_end = body_start + datalen;
    if matches!(first, First::Request { .. } | First::Notification { .. }) {
        conv.seen = true;
    }
    if let First::Request { method } = first {
        conv.head = &d[off..off + method] == b"HEAD";
        conv.connect = &d[off..off + method] == b"CONNECT" || &d[off..off + method] == b"SSTP_DUPLEX_POST";
        conv.connect_port = None;
        if &d[off..off + method] == b"CONNECT" {
            let uri_start = off + method + 1;
            let line = line_end(d, off).map_or(off, |(e, _)| e);
            if let Some(uri) = d.get(uri_start..line) {
                let uri = uri.split(|&c| c == b' ').next().unwrap_or_default();
                conv.connect_port = uri
                    .iter()
                    .rposition(|&c| c == b':')
                    .and_then(|i| std::str::from_utf8(&uri[i + 1..]).ok())
                    .and_then(|p| p.parse().ok());
            }
        }
    }
    headers(cx, b, off, hdr_end, body_start, body_end, end, proto, conv, first_message);
    Msg::Used(body_end - start.min(body_end))
}

/// A line from `p` as tshark's header loop takes it: up to CR, LF or CRLF, or to the end of
/// the captured data when no line end follows (then `terminated` is false).
fn any_line(d: &[u8], p: usize, cap_end: usize) -> (usize, usize, bool) {
    let rest = &d[p.min(cap_end)..cap_end];
    match memchr::memchr2(b'\r', b'\n', rest) {
        Some(i) => {
            let e = p + i;
            let next = if d[e] == b'\r' && e + 1 < cap_end && d[e + 1] == b'\n' { e + 2 } else { e + 1 };
            (e, next, true)
        }
        None => (cap_end, cap_end, false),
    }
}

/// Text that is no request or response on a connection where no request was seen yet:
/// tshark's header loop still takes it for HTTP when its first line is empty or has a colon
/// (a header); the lines with a colon that follow are headers, the rest of the data is the
/// body. A line without colon after a header that runs to the end of the data makes tshark
/// throw (it expects the rest of a header). `None` when the first line is no header and
/// `seen` (a request was seen on the connection: HTTP for sure) is false.
#[allow(clippy::too_many_arguments)]
fn headerless(
    cx: &mut Cx,
    b: Bytes,
    start: usize,
    off: usize,
    end: usize,
    cap_end: usize,
    proto: crate::field::FieldId,
    first_message: bool,
    seen: bool,
) -> Option<Msg> {
    let d = &b.data[..cap_end];
    let (e, _, _) = any_line(d, off, cap_end);
    if !seen && e > off && memchr::memchr(b':', &d[off..e]).is_none() {
        return None;
    }
    message_item(cx, proto, first_message, b.span_to(off, end));
    let mut pos = off;
    let mut entity = Entity::default();
    let mut content_length = None;
    while pos < cap_end {
        let (e, next, terminated) = any_line(d, pos, cap_end);
        if e == pos {
            pos = next;
            break;
        }
        let line = &d[pos..e];
        let Some(colon) = memchr::memchr(b':', line) else {
            if !terminated && pos > off {
                // tshark wants the byte after the line: past the data.
                cx.bounds_error(e + 1, end);
                return Some(Msg::Rest);
            }
            break;
        };
        let v = trim_start(&line[colon + 1..]);
        if let Some(id) = header_field(&line[..colon]) {
            let voff = e - v.len();
            cx.add_str(id, lossy(v).as_ref(), b.span(voff, v.len()));
            if id == CONTENT_LENGTH_HEADER {
                content_length = parse_int(v);
                if let Some(n) = content_length {
                    cx.u(CONTENT_LENGTH, n, b.span(voff, v.len()));
                }
            }
            entity.header(id, v);
        }
        pos = next;
    }
    let rest = end.saturating_sub(pos);
    let datalen = match content_length {
        Some(cl) if !entity.chunked => cl.min(rest as u64) as usize,
        _ => rest,
    };
    let body_end = pos + datalen;
    if datalen > 0 {
        if cx.wants(FILE_DATA) {
            let body = &d[pos.min(cap_end)..body_end.min(cap_end)];
            cx.add_str(FILE_DATA, lossy(body).as_ref(), b.span(pos, body.len()));
        }
        let codings = crate::proto::media::Codings {
            chunked: entity.chunked,
            te_compressed: entity.te_compressed,
            content_encoding: entity.content_encoding.as_deref(),
        };
        crate::proto::media::body(cx, b, pos, body_end, entity.content_type_value.as_deref(), codings);
    }
    Some(Msg::Used(body_end - start))
}

/// The protocol item of a message: the first one of a call is the protocol's layer; further
/// messages in the same call are items of the tree only (tshark's layer list has the protocol
/// once per call of its dissector).
fn message_item(cx: &mut Cx, proto: crate::field::FieldId, first: bool, span: Span) {
    if first {
        cx.proto(proto, proto_name(proto), span);
    } else {
        cx.push_name(crate::dissector::repeat(proto_name(proto)));
        cx.add(proto, Value::None, span);
    }
}

fn proto_name(proto: crate::field::FieldId) -> &'static str {
    if proto == SSDP {
        "ssdp"
    } else {
        "http"
    }
}

/// The status code of a response line at `off` as tshark reads it to decide on the body:
/// the second token, exactly three digits; 0 otherwise.
fn status_code(d: &[u8], off: usize) -> u64 {
    let e = line_end(d, off).map_or(d.len(), |(e, _)| e);
    let line = &d[off..e];
    let Some(sp) = memchr::memchr(b' ', line) else { return 0 };
    let rest = &line[sp + 1..];
    let tok = rest.iter().position(|&c| c == b' ').unwrap_or(rest.len());
    if tok != 3 {
        return 0;
    }
    parse_int(&rest[..3]).unwrap_or(0)
}

/// Emits the message's fields: first line, headers, body.
#[allow(clippy::too_many_arguments)]
fn headers(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    hdr_end: usize,
    body_start: usize,
    body_end: usize,
    end: usize,
    proto: crate::field::FieldId,
    conv: &mut Conv,
    first_message: bool,
) {
    let exporting = cx.st.export.has(Proto::Http);
    let d = b.data;
    message_item(cx, proto, first_message, b.span_to(off, body_end.max(hdr_end).min(end)));
    let Some((e, next)) = line_end(d, off) else { return };
    let line = &d[off..e];
    let first = first_line(line);
    // Nothing the headers say can show (no HTTP field, nothing a body holds, no credentials,
    // no export: TLS behind a CONNECT is what the command wants): only a response that may
    // switch the connection to another protocol (101, or 200 to a CONNECT) is read further.
    if !cx.st.bodies && !exporting && !cx.creds_on() && !cx.wants_any(PROTO, END) {
        let code = if first == First::Response { status_code(d, off) } else { 0 };
        if code != 101 && !(code == 200 && conv.connect) {
            return;
        }
    }
    let is_request = match first {
        First::Request { method } | First::Notification { method } => {
            let m = &line[..method];
            cx.add_str(REQUEST_METHOD, lossy(m).as_ref(), b.span(off, method));
            let rest = &line[method + 1..];
            let (uri, version) = match memchr::memchr(b' ', rest) {
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
            if exporting {
                conv.request_uri = Some(uri.to_vec());
            }
            Some((uri, &line[..method]))
        }
        First::Response => {
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
    let mut upgrade = false;
    let mut websocket = false;
    let mut entity = Entity::default();
    // A 206 response's Content-Range places its body in the resource (export only).
    let partial = exporting && first == First::Response && status_code(d, off) == 206;
    let mut form = false;
    let mut pos = next;
    // Where the body starts for tshark: after the blank line, or at a line that is not a
    // header (no colon), which ends tshark's header loop.
    let mut body_from = body_start;
    while pos < hdr_end {
        let Some((e, next)) = line_end(d, pos) else { break };
        if e == pos {
            break;
        }
        let line = &d[pos..e];
        if memchr::memchr(b':', line).is_none() {
            body_from = pos;
            break;
        }
        let line_field = if is_request.is_some() { REQUEST_LINE } else { RESPONSE_LINE };
        if cx.wants(line_field) {
            cx.add_str(line_field, lossy(&d[pos..next]).as_ref(), b.span(pos, next - pos));
        }
        if let Some(colon) = memchr::memchr(b':', line) {
            let name = &line[..colon];
            let v = trim_start(&line[colon + 1..]);
            let voff = e - v.len();
            if partial && name.eq_ignore_ascii_case(b"content-range") {
                entity.range = crate::export::ByteRange::parse(v);
            }
            if let Some(id) = header_field(name) {
                // (The value is made text only for a field the command wants.)
                if cx.wants(id) {
                    cx.add_str(id, lossy(v).as_ref(), b.span(voff, v.len()));
                }
                if id == CONTENT_LENGTH_HEADER && cx.wants(CONTENT_LENGTH) {
                    if let Some(n) = parse_int(v) {
                        cx.u(CONTENT_LENGTH, n, b.span(voff, v.len()));
                    }
                }
                upgrade |= id == UPGRADE;
                if id == UPGRADE {
                    // tshark looks the last Upgrade value up, lower-cased, whole.
                    websocket = v.eq_ignore_ascii_case(b"websocket");
                }
                if id == HOST {
                    host = Some((voff, v.len()));
                    if exporting {
                        conv.host = Some(v.to_vec());
                    }
                }
                // What the body is (its media type, its coding): for the export and for
                // the body's own protocol item.
                entity.header(id, v);
                if matches!(id, AUTHORIZATION | PROXY_AUTHORIZATION | WWW_AUTHENTICATE | PROXY_AUTHENTICATE) {
                    auth_token(cx, v, id == AUTHORIZATION || id == PROXY_AUTHORIZATION, conv);
                }
                if id == AUTHORIZATION || id == PROXY_AUTHORIZATION {
                    basic(cx, v);
                    if cx.creds_on() {
                        let method = is_request.map_or(&b""[..], |r| r.1);
                        authorization(cx, v, method, &mut conv.ntlm);
                    }
                }
                if (id == WWW_AUTHENTICATE || id == PROXY_AUTHENTICATE) && cx.creds_on() {
                    if let Some(blob) = ntlm_blob(v) {
                        crate::proto::ntlmssp::find(cx, &blob, &mut conv.ntlm, "HTTP");
                    }
                }
                if id == CONTENT_TYPE {
                    form = trim_start(v).len() >= 33
                        && trim_start(v)[..33].eq_ignore_ascii_case(b"application/x-www-form-urlencoded");
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
    if let (Some((uri, method)), Some((ho, hl))) = (is_request, host) {
        if cx.wants(REQUEST_FULL_URI) {
            let h = &d[ho..ho + hl];
            let prefix = |p: &[u8]| uri.len() >= p.len() && uri[..p.len()].eq_ignore_ascii_case(p);
            let s = if prefix(b"http://") || prefix(b"https://") || method.eq_ignore_ascii_case(b"CONNECT") {
                lossy(uri).into_owned()
            } else {
                format!("http://{}{}", lossy(h).trim(), lossy(uri))
            };
            cx.add_str(REQUEST_FULL_URI, &s, Span::EMPTY);
        }
    }
    if first == First::Response {
        let code = status_code(d, off);
        if (code == 101 && upgrade) || (code == 200 && conv.connect) {
            conv.switched = true;
            conv.websocket = code == 101 && websocket;
        }
    }
    // The hidden request / response / notification flag comes after the headers.
    match first {
        First::Request { .. } => cx.add(REQUEST, Value::Bool(true), Span::EMPTY),
        First::Notification { .. } => cx.add(NOTIFICATION, Value::Bool(true), Span::EMPTY),
        First::Response => cx.add(RESPONSE, Value::Bool(true), Span::EMPTY),
        First::Other => {}
    }
    if form && body_end > body_start && cx.creds_on() && matches!(first, First::Request { .. }) {
        let body = &d[body_start..body_end.min(d.len())];
        form_post(cx, body);
    }
    if body_end > body_start && cx.wants(FILE_DATA) {
        let body = &d[body_start..body_end.min(d.len())];
        cx.add_str(FILE_DATA, lossy(body).as_ref(), b.span(body_start, body.len()));
    }
    if body_end > body_start {
        let codings = crate::proto::media::Codings {
            chunked: entity.chunked,
            te_compressed: entity.te_compressed,
            content_encoding: entity.content_encoding.as_deref(),
        };
        crate::proto::media::body(cx, b, body_start, body_end, entity.content_type_value.as_deref(), codings);
    }
    if exporting && body_end.min(d.len()) > body_from {
        export(cx, &d[body_from..body_end.min(d.len())], &entity, conv);
    }
}

/// What the headers say about the entity body (for export).
#[derive(Default)]
struct Entity {
    /// The media type, lower case, without parameters.
    content_type: Option<Vec<u8>>,
    /// The Content-Type header's value as sent (parameters included).
    content_type_value: Option<Vec<u8>>,
    content_encoding: Option<Vec<u8>>,
    chunked: bool,
    /// A compressing transfer coding (tshark leaves such a body as data).
    te_compressed: bool,
    /// A 206 response's Content-Range.
    range: Option<crate::export::ByteRange>,
}

impl Entity {
    fn header(&mut self, id: crate::field::FieldId, v: &[u8]) {
        if id == CONTENT_TYPE {
            let end = v.iter().position(|&c| c == b';' || c.is_ascii_whitespace() || c == 0x0b).unwrap_or(v.len());
            self.content_type = Some(v[..end].to_ascii_lowercase());
            self.content_type_value = Some(v.to_vec());
        } else if id == CONTENT_ENCODING {
            // tshark keeps header values as C strings: a NUL ends them.
            let v = v.split(|&c| c == 0).next().unwrap_or(&[]);
            self.content_encoding = Some(v.to_vec());
        } else if id == TRANSFER_ENCODING {
            for t in v.split(|&c| c == b',') {
                let t = t.trim_ascii();
                if t.eq_ignore_ascii_case(b"chunked") {
                    self.chunked = true;
                } else if [&b"gzip"[..], b"x-gzip", b"deflate", b"compress", b"x-compress"]
                    .iter()
                    .any(|c| t.eq_ignore_ascii_case(c))
                {
                    self.te_compressed = true;
                }
            }
        }
    }
}

/// Queues the body as tshark's HTTP export-object tap does: de-chunked, decompressed, named
/// after the connection's last request URI; bodies tshark cannot decode are not exported.
fn export(cx: &mut Cx, body: &[u8], entity: &Entity, conv: &Conv) {
    let cap = cx.st.export_cap;
    let mut capped = false;
    let dechunked;
    let mut data: &[u8] = body;
    if entity.chunked {
        let Some(d) = crate::decode::dechunk(body, cap) else { return };
        dechunked = d;
        if dechunked.data.is_empty() {
            return;
        }
        capped |= dechunked.capped;
        data = &dechunked.data;
    }
    if entity.te_compressed {
        return;
    }
    let decoded;
    if let Some(ce) = &entity.content_encoding {
        let coding = crate::decode::Coding::from_header(ce);
        if coding != crate::decode::Coding::Identity {
            let Some(d) = crate::decode::decompress(coding, data, cap) else { return };
            capped |= d.capped;
            decoded = d.data;
            data = &decoded;
        }
    }
    let capped = capped || data.len() > cap;
    let data = data[..data.len().min(cap)].to_vec();
    cx.tree.objects.push(Object {
        proto: Proto::Http,
        piece: Piece::Whole,
        filename: conv.request_uri.as_deref().map(|u| crate::export::basename(u).to_vec()),
        content_type: entity.content_type.clone(),
        host: conv.host.clone(),
        data,
        capped,
        range: entity.range,
    });
}

/// `Authorization: Basic <base64>` decoded as tshark's `http.authbasic`.
fn basic(cx: &mut Cx, v: &[u8]) {
    if !cx.wants(AUTHBASIC) || v.len() < 6 || !v[..6].eq_ignore_ascii_case(b"basic ") {
        return;
    }
    if let Some(dec) = crate::codec::base64(trim_start(&v[6..])) {
        cx.add_str(AUTHBASIC, lossy(&dec).as_ref(), Span::EMPTY);
    }
}

/// The credentials tap for `Authorization` / `Proxy-Authorization`: tshark's rows (its
/// checks are case-sensitive prefixes, in its order), then what pcap-creds reports.
fn authorization(cx: &mut Cx, v: &[u8], method: &[u8], ntlm: &mut crate::proto::ntlmssp::Pairing) {
    use crate::codec::{cstr, glib_base64};
    use crate::tap::Credential;
    if v.starts_with(b"NTLM ") || v.starts_with(b"Negotiate ") {
        if let Some(blob) = ntlm_blob(v) {
            crate::proto::ntlmssp::find(cx, &blob, ntlm, "HTTP");
        }
    } else if let Some(rest) = v.strip_prefix(b"Basic ") {
        let text = if cstr(rest).len() > 1 { glib_base64(rest) } else { rest.to_vec() };
        let text = cstr(&text);
        if let Some(colon) = memchr::memchr(b':', text) {
            cx.tshark_credential("HTTP basic auth", Some(&text[..colon]), None);
        }
    } else if !v.starts_with(b"CitrixAGBasic ") && !v.starts_with(b"Kerberos ") && !v.starts_with(b"Digest") {
        cx.tshark_credential("HTTP header auth", Some(b"n.a."), None);
    }
    // pcap-creds: schemes compared case-insensitively, as RFC 7235 says.
    let sp = memchr::memchr(b' ', v).unwrap_or(v.len());
    let (scheme, rest) = (&v[..sp], trim_start(&v[sp..]));
    if scheme.eq_ignore_ascii_case(b"basic") {
        if let Some(dec) = crate::codec::base64(rest) {
            let colon = memchr::memchr(b':', &dec).unwrap_or(dec.len());
            let pass = dec.get(colon + 1..).unwrap_or(&[]);
            cx.credential(Credential::cleartext("HTTP Basic", &dec[..colon], pass));
        }
    } else if scheme.eq_ignore_ascii_case(b"bearer") && !rest.is_empty() {
        cx.credential(Credential::cleartext("HTTP Bearer", b"", rest));
    } else if scheme.eq_ignore_ascii_case(b"digest") {
        if let Some(c) = digest(rest, method, "HTTP Digest") {
            cx.credential(c);
        }
    }
}

/// The token of an `NTLM ` or `Negotiate ` authentication header (and, in an authorization,
/// `Kerberos `) as tshark dissects it inside the header's item: NTLMSSP when the decoded
/// token starts with its signature, GSS-API otherwise.
fn auth_token(cx: &mut Cx, v: &[u8], authorization: bool, conv: &mut Conv) {
    let (blob, kerberos) = if let Some(r) = v.strip_prefix(b"NTLM ").or_else(|| v.strip_prefix(b"Negotiate ")) {
        (r, false)
    } else if let Some(r) = v.strip_prefix(b"Kerberos ").filter(|_| authorization) {
        (r, true)
    } else {
        return;
    };
    let blob = crate::codec::glib_base64(blob);
    if blob.is_empty() {
        return;
    }
    // The decoded token lives in the packet's scratch buffer; the dissectors read it there.
    let sp = cx.tree.push_scratch(&blob);
    let all = cx.tree.scratch.clone();
    let b = Bytes::new(&all, crate::tree::Buf::Scratch);
    let (off, end) = (sp.off as usize, sp.off as usize + blob.len());
    let (mut gss, mut ntlm) = (conv.gss, std::mem::take(&mut conv.ntlm));
    cx.nested(|cx| {
        if !kerberos && blob.starts_with(b"NTLMSSP") {
            crate::proto::ntlmssp::layer(cx, b, off, end, &mut ntlm);
        } else {
            crate::proto::gssapi::dissect(cx, b, off, end, &mut gss, &mut ntlm);
        }
    });
    conv.gss = gss;
    conv.ntlm = ntlm;
}

/// The NTLMSSP token of an `NTLM` or `Negotiate` header value.
fn ntlm_blob(v: &[u8]) -> Option<Vec<u8>> {
    let rest = v.strip_prefix(b"NTLM ").or_else(|| v.strip_prefix(b"Negotiate "))?;
    let blob = crate::codec::base64(trim_start(rest))?;
    memchr::memmem::find(&blob, b"NTLMSSP\0").map(|_| blob)
}

/// A Digest answer as hashcat's SIP/HTTP digest line (mode 11400): the URI goes in the
/// "resource" part with empty prefix and suffix, so hashcat hashes `METHOD:URI` as the
/// server did. MD5 only (other algorithms have no hashcat mode). SIP's Digest (RFC 3261)
/// is the same computation: `protocol` names the carrier.
pub(crate) fn digest(params: &[u8], method: &[u8], protocol: &'static str) -> Option<crate::tap::Credential> {
    let p = |name: &str| digest_param(params, name);
    let (user, realm, nonce, uri, response) = (p("username")?, p("realm")?, p("nonce")?, p("uri")?, p("response")?);
    if let Some(alg) = p("algorithm") {
        if !alg.eq_ignore_ascii_case(b"MD5") {
            return None;
        }
    }
    let (cnonce, nc, qop) =
        (p("cnonce").unwrap_or_default(), p("nc").unwrap_or_default(), p("qop").unwrap_or_default());
    let parts = [&user, &realm, &method.to_vec(), &uri, &nonce, &cnonce, &nc, &qop, &response];
    if parts.iter().any(|x| x.contains(&b'*') || x.contains(&b'\n')) || response.len() != 32 {
        return None;
    }
    let s = |x: &[u8]| String::from_utf8_lossy(x).into_owned();
    let line = format!(
        "$sip$***{}*{}*{}**{}**{}*{}*{}*{}*MD5*{}",
        s(&user),
        s(&realm),
        s(method),
        s(&uri),
        s(&nonce),
        s(&cnonce),
        s(&nc),
        s(&qop),
        s(&response).to_ascii_lowercase()
    );
    Some(crate::tap::Credential::hash(protocol, &user, &realm, line, 11400))
}

/// One `name=value` or `name="value"` of a Digest header (names case-insensitive).
fn digest_param(params: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut rest = params;
    while !rest.is_empty() {
        rest = trim_ows(rest);
        let eq = memchr::memchr(b'=', rest)?;
        let key = trim_ows(&rest[..eq]);
        let after = trim_ows(&rest[eq + 1..]);
        let (value, next) = if after.first() == Some(&b'"') {
            let close = memchr::memchr(b'"', &after[1..])? + 1;
            (after[1..close].to_vec(), &after[close + 1..])
        } else {
            let comma = memchr::memchr(b',', after).unwrap_or(after.len());
            (trim_ows(&after[..comma]).to_vec(), &after[comma..])
        };
        if key.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(value);
        }
        rest = next.strip_prefix(b",").unwrap_or(next);
        if next.len() == rest.len() && !next.is_empty() {
            // No comma where one should be: stop.
            return None;
        }
    }
    None
}

fn trim_ows(v: &[u8]) -> &[u8] {
    let v = trim_start(v);
    let n = v.iter().rev().take_while(|&&c| c == b' ' || c == b'\t').count();
    &v[..v.len() - n]
}

/// A urlencoded POST body with a password field: the password and, when present, the
/// user field (field names from the dissector's configuration).
fn form_post(cx: &mut Cx, body: &[u8]) {
    let names = &cx.st.form_fields;
    let (mut user, mut pass): (Option<Vec<u8>>, Option<Vec<u8>>) = (None, None);
    for pair in body.split(|&c| c == b'&').take(256) {
        let eq = memchr::memchr(b'=', pair).unwrap_or(pair.len());
        let key = String::from_utf8_lossy(&url_decode(&pair[..eq])).to_ascii_lowercase();
        let value = url_decode(pair.get(eq + 1..).unwrap_or(&[]));
        if pass.is_none() && names.is_password(&key) {
            pass = Some(value);
        } else if user.is_none() && names.is_user(&key) {
            user = Some(value);
        }
    }
    if let Some(p) = pass.filter(|p| !p.is_empty()) {
        cx.credential(crate::tap::Credential::cleartext("HTTP form", &user.unwrap_or_default(), &p));
    }
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space).
fn url_decode(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        match v[i] {
            b'+' => out.push(b' '),
            b'%' if v.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && v.get(i + 2).is_some_and(u8::is_ascii_hexdigit) =>
            {
                let h = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                out.push(h(v[i + 1]) << 4 | h(v[i + 2]));
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
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
    if !(4..=19).contains(&name.len()) {
        return None;
    }
    MAP.iter().find(|(n, _)| n.len() == name.len() && n.eq_ignore_ascii_case(name)).map(|e| e.1)
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

/// A Content-Length value as tshark's reassembly reads it: the whole value, blanks around it
/// removed, a number from 0 to 2^31-1.
fn parse_i32(v: &[u8]) -> Option<u64> {
    let v = v.trim_ascii();
    let n: i32 = std::str::from_utf8(v).ok()?.parse().ok()?;
    u64::try_from(n).ok()
}

/// Where tshark's walk of a chunked body ends when the reassembly's walk found no last
/// chunk: sizes read as `strtol` reads them (no digits is a size of 0), each chunk followed
/// by two boundary bytes whatever they are, the last chunk by its trailer lines up to the
/// empty one; a size line that is empty or not ended stops the walk there. What follows
/// is another message.
fn chunks_end(d: &[u8], start: usize, end: usize) -> usize {
    let Some(d) = d.get(..end) else { return end };
    let mut p = start;
    while p < end {
        let Some((e, next)) = line_end(d, p) else { return p };
        if e == p {
            return p;
        }
        let txt = d[p..e].split(|&c| c == b';').next().unwrap_or_default();
        let size = strtol_hex(txt);
        if size == 0 {
            let mut q = next;
            while let Some((e2, n2)) = line_end(d, q) {
                let empty = e2 == q;
                q = n2;
                if empty {
                    break;
                }
            }
            return q.min(end);
        }
        let size = (size as usize).min(end - next.min(end));
        p = next + size + 2;
    }
    end
}

/// C's `strtol(s, NULL, 16)` on a chunk size line: leading blanks, an optional `0x`, the
/// hex digits that follow (none: 0).
fn strtol_hex(v: &[u8]) -> u64 {
    let v = trim_start(v);
    let v = v.strip_prefix(b"+").unwrap_or(v);
    let v = if v.len() > 2 && v[0] == b'0' && (v[1] | 0x20) == b'x' && v[2].is_ascii_hexdigit() { &v[2..] } else { v };
    v.iter()
        .take_while(|c| c.is_ascii_hexdigit())
        .fold(0u64, |a, &c| a.saturating_mul(16).saturating_add((c as char).to_digit(16).unwrap_or(0) as u64))
}

fn parse_hex(v: &[u8]) -> Option<u64> {
    let v = trim_start(v);
    let n = v.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    if n == 0 || n > 15 {
        return None;
    }
    u64::from_str_radix(std::str::from_utf8(&v[..n]).ok()?, 16).ok()
}

/// tshark reads HTTP text as ASCII: every byte above 0x7f becomes U+FFFD.
fn lossy(v: &[u8]) -> std::borrow::Cow<'_, str> {
    if v.is_ascii() {
        return std::borrow::Cow::Borrowed(std::str::from_utf8(v).unwrap_or(""));
    }
    std::borrow::Cow::Owned(v.iter().map(|&c| if c < 0x80 { c as char } else { '\u{fffd}' }).collect())
}

#[cfg(test)]
mod tests {

    #[test]
    fn chunk_walk_as_tshark() {
        // A size line without digits is a last chunk; its trailer runs to the empty line.
        let d = b"\x7f\r\nX-Trailer: 1\r\n\r\n4\r\nabcd\r\n0\r\n\r\n";
        assert_eq!(super::chunks_end(d, 0, d.len()), 19);
        // LF-only boundaries: two boundary bytes are taken, then an empty size line stops.
        let d = b"5\nX5O!P\n5\n%@AP[\n";
        assert_eq!(super::chunks_end(d, 0, d.len()), 9);
        assert_eq!(super::strtol_hex(b" 0x1a;ext"), 26);
        assert_eq!(super::strtol_hex(b"zz"), 0);
    }
    use super::*;

    #[test]
    fn heuristic_and_lines() {
        assert!(looks_like(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(looks_like(b"HTTP/1.0 200 OK\r\n"));
        assert!(!looks_like(b"SSH-2.0-OpenSSH\r\n"));
        assert_eq!(line_end(b"ab\r\ncd", 0), Some((2, 4)));
        assert_eq!(line_end(b"ab\r", 0), None);
        assert_eq!(crate::codec::base64(b"dXNlcjpwYXNz").unwrap(), b"user:pass");
        assert_eq!(parse_hex(b"1a;x"), Some(26));
    }
}
