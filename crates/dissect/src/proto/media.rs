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
    b"application/javascript",
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
    if start >= end {
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
        // only when what it holds matters (multipart parts, a compressed body).
        let multipart = content_type.is_some_and(|ct| parse_content_type(ct).0.starts_with(b"multipart/"));
        let cap = if multipart || coding.is_some() { MULTIPART_SCAN } else { 1 };
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
    cx.proto(id, name, span);
    if id == super::x509::OCSP {
        super::x509::ocsp_body(cx, &ty, data);
        return;
    }
    if id != MIME_MULTIPART || depth >= MAX_NESTING {
        return;
    }
    let Some(boundary) = boundary.filter(|b| !b.is_empty()) else { return };
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
    use super::{header, parse_content_type};

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
