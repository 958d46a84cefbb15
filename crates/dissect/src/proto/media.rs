//! Message bodies by media type, as tshark 4.0's `media_type` table hands an HTTP body to a
//! dissector: the protocol its Content-Type names (`data-text-lines`, `xml`, `json`, ...),
//! `media` for a type no dissector registered, `data` without a Content-Type. This gives the
//! protocol items (so `frame.protocols`, `-z io,phs` and filters such as `json` see them);
//! the fields inside those bodies are not dissected yet.
crate::declare_fields! {
    after = super::imf::END;
    XML = "xml", "eXtensible Markup Language", Protocol, None;
    JSON = "json", "JavaScript Object Notation", Protocol, None;
    URLENCODED_FORM = "urlencoded-form", "HTML Form URL Encoded", Protocol, None;
    MEDIA = "media", "Media Type", Protocol, None;
    IMAGE_GIF = "image-gif", "Compuserve GIF", Protocol, None;
    PNG = "png", "Portable Network Graphics", Protocol, None;
    IMAGE_JFIF = "image-jfif", "JPEG File Interchange Format", Protocol, None;
    MP4 = "mp4", "MP4 / ISOBMFF file format", Protocol, None;
    MIME_MULTIPART = "mime_multipart", "MIME Multipart Media Encapsulation", Protocol, None;
    IPP = "ipp", "Internet Printing Protocol", Protocol, None;
    TNEF = "tnef", "Transport-Neutral Encapsulation Format", Protocol, None;
    IEEE1609DOT2 = "ieee1609dot2", "IEEE1609dot2", Protocol, None;
}

use crate::cx::{Bytes, Cx};
use crate::field::FieldId;
use crate::proto::{data, ftp_data};
use crate::tree::Span;

/// The media types of tshark 4.0's line-based text dissector.
const TEXT_LINES: &[&[u8]] = &[
    b"text/html",
    b"text/plain",
    b"text/css",
    b"text/javascript",
    b"text/scriptlet",
    b"application/x-javascript",
    b"application/x-tia",
    b"text/vnd.sun.j2me.app-descriptor",
    b"application/vnd.poc.refer-to",
    b"application/vnd.drm.message",
    b"application/x-wms-logconnectstats",
    b"application/x-rtsp-udp-packetpair",
    b"application/x-rtsp-packetpair",
];

/// The protocol that takes a body of media type `ct` (lower case, no parameters).
fn by_type(ct: &[u8]) -> (FieldId, &'static str) {
    if TEXT_LINES.contains(&ct) {
        return (ftp_data::TEXT_LINES, "data-text-lines");
    }
    match ct {
        b"text/xml" | b"application/xml" => (XML, "xml"),
        _ if ct.ends_with(b"+xml") => (XML, "xml"),
        b"application/json"
        | b"application/json-rpc"
        | b"application/jsonrequest"
        | b"application/dds-web+json"
        | b"application/vnd.oma.lwm2m+json" => (JSON, "json"),
        b"application/x-www-form-urlencoded" => (URLENCODED_FORM, "urlencoded-form"),
        b"image/gif" => (IMAGE_GIF, "image-gif"),
        b"image/png" => (PNG, "png"),
        b"image/jpeg" | b"image/jpg" | b"image/pjpeg" | b"image/jfif" => (IMAGE_JFIF, "image-jfif"),
        b"video/mp4" | b"audio/mp4" => (MP4, "mp4"),
        b"application/ipp" => (IPP, "ipp"),
        b"application/ms-tnef" => (TNEF, "tnef"),
        b"application/x-its" | b"application/x-its-request" | b"application/x-its-response" => {
            (IEEE1609DOT2, "ieee1609dot2")
        }
        b"application/ocsp-request" | b"application/ocsp-response" => (super::x509::OCSP, "ocsp"),
        // tshark shows an octet stream as plain data.
        b"application/octet-stream" => (data::PROTO, "data"),
        _ if ct.starts_with(b"multipart/") => (MIME_MULTIPART, "mime_multipart"),
        _ => (MEDIA, "media"),
    }
}

/// The media type of a Content-Type value (lower case, parameters dropped) and its
/// `boundary` parameter.
pub fn parse_content_type(v: &[u8]) -> (Vec<u8>, Option<Vec<u8>>) {
    let v = v.trim_ascii();
    let end = v.iter().position(|&c| c == b';' || c.is_ascii_whitespace() || c == 0x0b).unwrap_or(v.len());
    let ty = v[..end].to_ascii_lowercase();
    let mut boundary = None;
    for param in v[end..].split(|&c| c == b';').skip(1) {
        let param = param.trim_ascii();
        if param.len() > 9 && param[..9].eq_ignore_ascii_case(b"boundary=") {
            let val = param[9..].trim_ascii();
            let val = val.strip_prefix(b"\"").and_then(|x| x.strip_suffix(b"\"")).unwrap_or(val);
            boundary = Some(val.to_vec());
        }
    }
    (ty, boundary)
}

/// How many levels of multipart parts and embedded mails are followed, counting both
/// (tshark has no limit: a test capture of the corpus nests 100 mails in 99 multiparts;
/// this bounds the recursion on hostile input).
pub const MAX_NESTING: u8 = 250;

/// Bytes of a body searched for multipart parts (what lies beyond is not named).
const MULTIPART_SCAN: usize = 1 << 20;

/// What a message's headers say about its body's codings.
#[derive(Clone, Copy, Default)]
pub struct Codings<'a> {
    /// `Transfer-Encoding: chunked`: the body as sent is still chunked.
    pub chunked: bool,
    /// A compressing transfer coding (gzip, deflate, compress), which tshark does not undo.
    pub te_compressed: bool,
    /// The `Content-Encoding` value.
    pub content_encoding: Option<&'a [u8]>,
}

/// A message body at `start..end` of `b` (as sent), with its Content-Type header value, as
/// tshark 4.0's HTTP dissector hands it on: de-chunked; a compressing transfer coding, a
/// content coding it cannot undo (or whose decompression fails) and a body without a
/// Content-Type are `data` inside the message's own item; a decompressed body or one with a
/// Content-Type goes to the media-type table (a top-level item).
pub fn body(cx: &mut Cx, b: Bytes, start: usize, end: usize, content_type: Option<&[u8]>, codings: Codings) {
    let end = end.min(b.len());
    // Nothing in a body can show: no field of its protocols is wanted, no object exported.
    if start >= end || (!cx.st.bodies && cx.st.export.is_empty()) {
        return;
    }
    let coding = codings
        .content_encoding
        .map(crate::decode::Coding::from_header)
        .filter(|c| *c != crate::decode::Coding::Identity);
    let raw = &b.data[start..end];
    let dechunked;
    let mut data = if codings.chunked {
        // A chunked body whose first chunk is empty carries nothing; the body is read further
        // only when what it holds matters (multipart parts, JSON, a compressed body, ...).
        let kind = content_type.map(|ct| by_type(&parse_content_type(ct).0).0);
        let cap = match kind {
            _ if coding.is_some() => MULTIPART_SCAN,
            Some(id) if id == MIME_MULTIPART || id == JSON || id == super::x509::OCSP => MULTIPART_SCAN,
            // Enough to tell an XML document in lines of text.
            Some(id) if id == ftp_data::TEXT_LINES => 64,
            _ => 1,
        };
        match crate::decode::dechunk(raw, cap) {
            Some(d) if !d.data.is_empty() => {
                dechunked = d.data;
                &dechunked[..]
            }
            _ => return,
        }
    } else {
        raw
    };
    if codings.te_compressed {
        cx.nested(|cx| data::dissect(cx, b, start, end));
        return;
    }
    let decoded;
    if let Some(coding) = coding {
        match crate::decode::decompress(coding, data, MULTIPART_SCAN) {
            Some(d) if !d.data.is_empty() => {
                decoded = d.data;
                data = &decoded;
            }
            _ => {
                cx.nested(|cx| data::dissect(cx, b, start, end));
                return;
            }
        }
    }
    match content_type {
        Some(ct) if by_type(&parse_content_type(ct).0).0 != data::PROTO => {
            entity(cx, b.span(start, end - start), ct, data, 0)
        }
        Some(_) => data::dissect(cx, b, start, end),
        None => cx.nested(|cx| data::dissect(cx, b, start, end)),
    }
}

/// A body `data` with the Content-Type value `ct` (from HTTP, IMF or a multipart part):
/// its protocol, and a multipart body's parts (a part without a Content-Type is data).
pub fn entity(cx: &mut Cx, span: Span, ct: &[u8], data: &[u8], depth: u8) {
    if data.is_empty() {
        return;
    }
    let (ty, boundary) = parse_content_type(ct);
    if ty == b"message/rfc822" {
        // A whole mail inside (tshark's media table hands it to IMF).
        crate::proto::imf::embedded(cx, span, data, depth);
        return;
    }
    let (id, name) = by_type(&ty);
    if id == ftp_data::TEXT_LINES && data.len() > 38 && data[..5].eq_ignore_ascii_case(b"<?xml") {
        // The text-lines dissector hands an XML document to the XML dissector before adding
        // its own item: a layer of `frame.protocols`, no item of the tree.
        cx.nested(|cx| cx.push_name(name));
        cx.proto(XML, "xml", span);
        return;
    }
    cx.proto(id, name, span);
    if id == IPP && ipp_rest(data) > 0 {
        // What follows the attributes (the document to print) is data inside IPP's item.
        cx.nested(|cx| cx.proto(data::PROTO, "data", span));
        return;
    }
    if id == JSON && json_parsed_len(data) < data.len() {
        // What tshark's JSON parser leaves (what is not JSON) is shown as lines of text
        // after the JSON item.
        cx.proto(ftp_data::TEXT_LINES, "data-text-lines", span);
        return;
    }
    if id == super::x509::OCSP {
        super::x509::ocsp_body(cx, &ty, data);
        return;
    }
    if id != MIME_MULTIPART || depth >= MAX_NESTING {
        return;
    }
    // tshark's multipart shows the whole body as data when it has no boundary parameter,
    // or when no delimiter line is found.
    let Some(boundary) = boundary.filter(|b| !b.is_empty()) else {
        cx.proto(data::PROTO, "data", span);
        return;
    };
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(&boundary);
    let data = &data[..data.len().min(MULTIPART_SCAN)];
    let mut starts: Vec<usize> = Vec::new();
    for at in memchr::memmem::find_iter(data, &delim) {
        // A delimiter starts the body or a line.
        if at == 0 || data[at - 1] == b'\n' {
            starts.push(at);
        }
        if starts.len() > 256 {
            break;
        }
    }
    if starts.is_empty() {
        cx.proto(data::PROTO, "data", span);
        return;
    }
    for w in starts.windows(2) {
        let part = &data[w[0] + delim.len()..w[1]];
        // The rest of the delimiter line, then the part's headers up to an empty line.
        let Some(nl) = memchr::memchr(b'\n', part) else { continue };
        let (headers, body) = split_headers(&part[nl + 1..]);
        let body = body.strip_suffix(b"\r\n").or_else(|| body.strip_suffix(b"\n")).unwrap_or(body);
        if body.is_empty() {
            continue;
        }
        match header(headers, b"content-type") {
            Some(pct) => entity(cx, span, pct, body, depth + 1),
            None => cx.proto(data::PROTO, "data", span),
        }
    }
}

/// How many bytes follow an IPP message's attributes (up to its end-of-attributes tag);
/// 0 when none do or the attributes run past the data.
fn ipp_rest(d: &[u8]) -> usize {
    let be16 = |o: usize| d.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as usize);
    let mut off = 8;
    while let Some(&tag) = d.get(off) {
        if tag & 0xf0 == 0 {
            off += 1;
            if tag == 0x03 {
                break;
            }
            continue;
        }
        let Some(nl) = be16(off + 1) else { return 0 };
        let Some(vl) = be16(off + 3 + nl) else { return 0 };
        off += 5 + nl + vl;
    }
    d.len().saturating_sub(off)
}

/// How much of `buf` tshark's JSON dissector parses: a sequence of objects and arrays (JSON
/// grammar, `NaN` allowed as a value) and the white space around them. What is left is shown
/// as lines of text.
pub fn json_parsed_len(buf: &[u8]) -> usize {
    let mut off = 0;
    loop {
        let start = skip_ws(buf, off);
        match buf.get(start) {
            Some(b'{') | Some(b'[') => match json_value(buf, start, 0) {
                Some(end) => off = end,
                None => return start,
            },
            _ => return start,
        }
    }
}

/// Nesting beyond this is not followed (the parse stops there).
const JSON_MAX_DEPTH: u32 = 256;

fn skip_ws(buf: &[u8], mut off: usize) -> usize {
    while off < buf.len() && matches!(buf[off], b' ' | b'\t' | b'\r' | b'\n') {
        off += 1;
    }
    off
}

/// The end of the JSON value at `off` (no white space before it), if one is there.
fn json_value(buf: &[u8], off: usize, depth: u32) -> Option<usize> {
    let rest = buf.get(off..)?;
    for word in [&b"false"[..], b"null", b"true", b"NaN"] {
        if rest.starts_with(word) {
            return Some(off + word.len());
        }
    }
    match *rest.first()? {
        b'{' | b'[' if depth < JSON_MAX_DEPTH => {
            let (close, object) = if rest[0] == b'{' { (b'}', true) } else { (b']', false) };
            let item = |p: usize| -> Option<usize> {
                if object {
                    let p = json_string(buf, skip_ws(buf, p))?;
                    let p = skip_ws(buf, p);
                    if buf.get(p) != Some(&b':') {
                        return None;
                    }
                    json_value(buf, skip_ws(buf, p + 1), depth + 1)
                } else {
                    json_value(buf, skip_ws(buf, p), depth + 1)
                }
            };
            let mut p = off + 1;
            if let Some(mut end) = item(p) {
                p = end;
                // Further items, each after a comma; one that fails ends the list there.
                loop {
                    let c = skip_ws(buf, p);
                    if buf.get(c) != Some(&b',') {
                        break;
                    }
                    match item(c + 1) {
                        Some(e) => {
                            end = e;
                            p = e;
                        }
                        None => break,
                    }
                }
                p = end;
            }
            let c = skip_ws(buf, p);
            (buf.get(c) == Some(&close)).then_some(c + 1)
        }
        b'"' => json_string(buf, off),
        b'-' | b'0'..=b'9' => json_number(buf, off),
        _ => None,
    }
}

fn json_string(buf: &[u8], off: usize) -> Option<usize> {
    if buf.get(off) != Some(&b'"') {
        return None;
    }
    let mut p = off + 1;
    loop {
        match *buf.get(p)? {
            b'"' => return Some(p + 1),
            b'\\' => match *buf.get(p + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => p += 2,
                b'u' if buf.get(p + 2..p + 6).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) => p += 6,
                _ => return None,
            },
            _ => p += 1,
        }
    }
}

fn json_number(buf: &[u8], off: usize) -> Option<usize> {
    let digits = |p: usize| buf.get(p..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
    let mut p = off;
    if buf.get(p) == Some(&b'-') {
        p += 1;
    }
    match *buf.get(p)? {
        b'0' => p += 1,
        b'1'..=b'9' => p += digits(p),
        _ => return None,
    }
    if buf.get(p) == Some(&b'.') && digits(p + 1) > 0 {
        p += 1 + digits(p + 1);
    }
    if matches!(buf.get(p), Some(b'e') | Some(b'E')) {
        let sign = usize::from(matches!(buf.get(p + 1), Some(b'-') | Some(b'+')));
        let n = digits(p + 1 + sign);
        if n > 0 {
            p += 1 + sign + n;
        }
    }
    Some(p)
}

/// A header block and what follows the empty line that ends it (all of it is headers when
/// no empty line comes).
pub fn split_headers(msg: &[u8]) -> (&[u8], &[u8]) {
    if let Some(rest) = msg.strip_prefix(b"\r\n").or_else(|| msg.strip_prefix(b"\n")) {
        return (&[], rest);
    }
    let crlf = memchr::memmem::find(msg, b"\n\r\n").map(|i| (i, 3));
    let lf = memchr::memmem::find(msg, b"\n\n").map(|i| (i, 2));
    match crlf.into_iter().chain(lf).min_by_key(|x| x.0) {
        Some((i, n)) => (&msg[..i + 1], &msg[i + n..]),
        None => (msg, &[]),
    }
}

/// The value of the first header `name` in a header block, with its continuation lines
/// (lines that start with a space or a tab; the line breaks stay in the value).
pub fn header<'a>(headers: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while at < headers.len() {
        let line_end = memchr::memchr(b'\n', &headers[at..]).map_or(headers.len(), |i| at + i);
        let line = &headers[at..line_end];
        if line.len() > name.len() && line[..name.len()].eq_ignore_ascii_case(name) && line[name.len()] == b':' {
            let mut end = line_end;
            while end + 1 < headers.len() && matches!(headers[end + 1], b' ' | b'\t') {
                end = memchr::memchr(b'\n', &headers[end + 1..]).map_or(headers.len(), |i| end + 1 + i);
            }
            return Some(headers[at + name.len() + 1..end].trim_ascii());
        }
        at = line_end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{header, ipp_rest, json_parsed_len, parse_content_type};

    #[test]
    fn ipp_document_after_attributes() {
        // Version, operation, request id; one attribute group with one attribute; end tag.
        let mut m = vec![1, 1, 0, 2, 0, 0, 0, 1, 0x01, 0x47, 0, 1, b'a', 0, 2, b'x', b'y', 0x03];
        assert_eq!(ipp_rest(&m), 0);
        m.extend_from_slice(b"DOC");
        assert_eq!(ipp_rest(&m), 3);
        // An attribute running past the data.
        assert_eq!(ipp_rest(&[1, 1, 0, 2, 0, 0, 0, 1, 0x47, 0, 9]), 0);
    }

    #[test]
    fn json_parsed_as_tshark_parses_it() {
        let all = |b: &[u8]| json_parsed_len(b) == b.len();
        assert!(all(b"{\"a\": [1, -0.5e+3, true, null, NaN, \"x\\u00e9\\n\"], \"b\": {}}"));
        assert!(all(b"  [ ] [{}]"));
        // Trailing white space is parsed; anything that is no object or array is left over.
        assert_eq!(json_parsed_len(b"{}\r\n"), 4);
        assert_eq!(json_parsed_len(b"123"), 0);
        assert_eq!(json_parsed_len(b"/MwZAU6J"), 0);
        // Unclosed, mismatched, bad keys, bad escapes, stray commas.
        assert_eq!(json_parsed_len(b"{\"a\": 1"), 0);
        assert_eq!(json_parsed_len(b"[}"), 0);
        assert_eq!(json_parsed_len(b"{a: 1}"), 0);
        assert_eq!(json_parsed_len(b"[\"\\x\"]"), 0);
        assert_eq!(json_parsed_len(b"[1,]"), 0);
        assert_eq!(json_parsed_len(b"[01]"), 0);
        assert_eq!(json_parsed_len(b"[1] x"), 4);
        // Deep nesting is bounded.
        let deep = [b'['; 100_000];
        assert_eq!(json_parsed_len(&deep), 0);
    }

    #[test]
    fn folded_headers_keep_their_continuation_lines() {
        let h = b"Subject: x\r\nContent-Type: multipart/alternative;\r\n\tboundary=\"b1\"\r\nMIME-Version: 1.0\r\n";
        let ct = header(h, b"content-type").unwrap();
        assert_eq!(ct, b"multipart/alternative;\r\n\tboundary=\"b1\"");
        assert_eq!(parse_content_type(ct), (b"multipart/alternative".to_vec(), Some(b"b1".to_vec())));
        assert_eq!(header(h, b"mime-version").unwrap(), b"1.0");
        assert_eq!(header(b"Content-Type: text/plain", b"content-type").unwrap(), b"text/plain");
        assert_eq!(header(h, b"content-length"), None);
    }
}
