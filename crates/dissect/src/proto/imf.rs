//! Internet Message Format: the e-mail an SMTP DATA phase carries, as tshark's IMF
//! dissector receives it (the message data reassembled up to the terminating `.` line),
//! shown as the `imf` protocol of the frame that ends it and queued for the `imf` export
//! object tap, named after its `Subject` header.
crate::declare_fields! {
    after = super::quic::END;
    PROTO = "imf", "Internet Message Format", Protocol, None;
    SUBJECT = "imf.subject", "Subject", String, None;
}

use crate::cx::{Bytes, Cx};
use crate::export::{Object, Piece, Proto};
use crate::tree::Span;

/// Message bytes the mail dissectors keep when IMF objects are not exported: enough for the
/// headers (the subject, the Content-Type) and a multipart body's first parts.
pub const HEAD_KEEP: usize = 64 << 10;

/// How much of a message a mail dissector keeps: all of it (to the per-object cap) when IMF
/// objects are exported, else its head.
pub fn keep(cx: &Cx) -> usize {
    if cx.st.export.has(Proto::Imf) {
        cx.st.export_cap
    } else {
        HEAD_KEEP
    }
}

/// The message of the frame that ends it (`message`: the reassembled data, or its first
/// [`HEAD_KEEP`] bytes when IMF objects are not exported): the protocol item, its subject,
/// the protocols of its body by Content-Type as tshark's IMF hands it on, and the export
/// record when `imf` objects are exported.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, message: Vec<u8>, capped: bool) {
    let span = b.span_to(off, end);
    let subject = message_items(cx, span, &message, 0);
    export(cx, subject, message, capped);
}

/// A mail carried as a `message/rfc822` body (in HTTP, or a part of a multipart body),
/// `depth` levels of bodies deep: the same items and export record as a mail of its own.
pub fn embedded(cx: &mut Cx, span: Span, message: &[u8], depth: u8) {
    let subject = message_items(cx, span, message, depth);
    if cx.st.export.has(Proto::Imf) {
        let cap = cx.st.export_cap;
        export(cx, subject, message[..message.len().min(cap)].to_vec(), message.len() > cap);
    }
}

/// The protocol item, the subject and the body's protocols by its Content-Type.
fn message_items(cx: &mut Cx, span: Span, message: &[u8], depth: u8) -> Option<Vec<u8>> {
    cx.proto(PROTO, "imf", span);
    let subject = subject(message);
    if let Some(s) = &subject {
        cx.add_str(SUBJECT, &String::from_utf8_lossy(s), Span::EMPTY);
    }
    let (headers, mut body) = crate::proto::media::split_headers(message);
    let mut ct = crate::proto::media::header(headers, b"content-type");
    // Header fields that run to the end without an empty line: tshark's IMF reads the
    // fields whose line ends before the data does, and hands the whole message to the
    // body's dissector.
    if headers.len() == message.len() {
        body = message;
        ct = ct.filter(|v| line_ends(message, v));
    }
    if let Some(ct) = ct {
        if depth < crate::proto::media::MAX_NESTING {
            crate::proto::media::entity(cx, span, ct, body, depth + 1);
        }
    }
    subject
}

/// True when the header value `v` (a slice of `message`) has its line break, and more
/// data after it, in `message`.
fn line_ends(message: &[u8], v: &[u8]) -> bool {
    let start = (v.as_ptr() as usize).wrapping_sub(message.as_ptr() as usize);
    let Some(rest) = message.get(start.saturating_add(v.len())..) else { return false };
    memchr::memchr(b'\n', rest).is_some_and(|n| n + 1 < rest.len())
}

/// The export record (when `imf` objects are exported), queued after the body's own, as
/// tshark's tap runs when the message is done.
fn export(cx: &mut Cx, subject: Option<Vec<u8>>, message: Vec<u8>, capped: bool) {
    if !cx.st.export.has(Proto::Imf) {
        return;
    }
    // tshark names the file "<subject>.eml" (an empty subject when there is none).
    let mut name = subject.unwrap_or_default();
    name.extend_from_slice(b".eml");
    cx.tree.objects.push(Object {
        proto: Proto::Imf,
        piece: Piece::Whole,
        filename: Some(name),
        content_type: Some(b"EML file".to_vec()),
        host: None,
        data: message,
        capped,
        range: None,
    });
}

/// The value of the first `Subject:` header (leading blanks dropped, folded lines joined
/// as they are), from the header block before the first empty line.
pub fn subject(msg: &[u8]) -> Option<Vec<u8>> {
    let mut p = 0;
    while p < msg.len() {
        let e = memchr::memchr(b'\n', &msg[p..]).map_or(msg.len(), |i| p + i);
        let line = &msg[p..e];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return None;
        }
        if line.len() >= 8 && line[..8].eq_ignore_ascii_case(b"subject:") {
            let mut v = line[8..].to_vec();
            // Continuation lines (folding) belong to the value.
            let mut q = e + 1;
            while q < msg.len() && matches!(msg[q], b' ' | b'\t') {
                let e2 = memchr::memchr(b'\n', &msg[q..]).map_or(msg.len(), |i| q + i);
                let cont = &msg[q..e2];
                v.extend_from_slice(b"\r\n");
                v.extend_from_slice(cont.strip_suffix(b"\r").unwrap_or(cont));
                q = e2 + 1;
            }
            let start = v.iter().position(|&c| c != b' ' && c != b'\t').unwrap_or(v.len());
            return Some(v[start..].to_vec());
        }
        p = e + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn subjects() {
        assert_eq!(
            super::subject(b"From: a\r\nSubject: Hello: world/test?\r\n\r\nbody").unwrap(),
            b"Hello: world/test?"
        );
        assert_eq!(super::subject(b"From: a\r\n\r\nSubject: not a header"), None);
        assert_eq!(super::subject(b"SUBJECT:x\r\n").unwrap(), b"x");
    }

    #[test]
    fn a_header_line_cut_by_the_end_is_not_read() {
        let m: &[u8] = b"Subject: a\r\nContent-Type: text/plain\r\nX: y";
        let v = crate::proto::media::header(m, b"content-type").unwrap();
        assert!(super::line_ends(m, v));
        let m: &[u8] = b"Subject: a\r\nContent-Type: text/plain\r\n";
        let v = crate::proto::media::header(m, b"content-type").unwrap();
        assert!(!super::line_ends(m, v));
    }
}
