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
        b"application/json" | b"application/json-rpc" | b"application/jsonrequest" | b"application/dds-web+json" | b"application/vnd.oma.lwm2m+json" => (JSON, "json"),
        b"application/x-www-form-urlencoded" => (URLENCODED_FORM, "urlencoded-form"),
        b"image/gif" => (IMAGE_GIF, "image-gif"),
        b"image/png" => (PNG, "png"),
        b"image/jpeg" | b"image/jpg" | b"image/pjpeg" | b"image/jfif" => (IMAGE_JFIF, "image-jfif"),
        b"video/mp4" | b"audio/mp4" => (MP4, "mp4"),
        b"application/ipp" => (IPP, "ipp"),
        // tshark shows an octet stream as plain data.
        b"application/octet-stream" => (data::PROTO, "data"),
        _ if ct.starts_with(b"multipart/") => (MIME_MULTIPART, "mime_multipart"),
        _ => (MEDIA, "media"),
    }
}

/// A message body at `start..end` of `b` (as sent: still chunked when `chunked`), of media
/// type `content_type`.
pub fn body(cx: &mut Cx, b: Bytes, start: usize, end: usize, content_type: Option<&[u8]>, chunked: bool) {
    let end = end.min(b.len());
    if start >= end {
        return;
    }
    // A chunked body whose first chunk is empty carries nothing.
    if chunked && crate::decode::dechunk(&b.data[start..end], 1).is_none_or(|d| d.data.is_empty()) {
        return;
    }
    match content_type.map(by_type) {
        None | Some((data::PROTO, _)) => data::dissect(cx, b, start, end),
        Some((id, name)) => cx.proto(id, name, b.span(start, end - start)),
    }
}
