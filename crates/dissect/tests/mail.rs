//! Mail inside mail: a `message/rfc822` body is dissected as IMF (its own multipart parts
//! included), and a Content-Type folded over two lines still gives its boundary.

use pcaptk_dissect::tree::{render_field, Tree};
use pcaptk_dissect::{lookup, Dissector, FrameMeta};

/// An Ethernet + IPv4 + TCP frame from port 80.
fn http_frame(payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
    let total = (40 + payload.len()) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&[10, 0, 0, 2, 10, 0, 0, 1]);
    f.extend_from_slice(&80u16.to_be_bytes());
    f.extend_from_slice(&40000u16.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    f
}

fn protocols(frame: &[u8]) -> String {
    let mut d = Dissector::new([lookup("frame.protocols").unwrap(), lookup("imf.subject").unwrap()]);
    let mut tree = Tree::default();
    let meta = FrameMeta::synthetic(1, 0, frame.len() as u32, 1);
    d.dissect(&meta, frame, &mut tree);
    let v = tree.view(frame);
    let mut s = String::new();
    for item in v.items {
        s.push(' ');
        render_field(&v, item, &mut s);
    }
    s
}

#[test]
fn an_embedded_mail_is_dissected_as_imf() {
    let inner = "Subject: inner\r\nContent-Type: multipart/alternative;\r\n\tboundary=\"b1\"\r\n\r\n\
                 --b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--b1--\r\n";
    let outer = format!("Subject: outer\r\nContent-Type: message/rfc822\r\n\r\n{inner}");
    let body =
        format!("HTTP/1.1 200 OK\r\nContent-Type: message/rfc822\r\nContent-Length: {}\r\n\r\n{outer}", outer.len());
    let got = protocols(&http_frame(body.as_bytes()));
    assert_eq!(got, " outer inner eth:ethertype:ip:tcp:http:imf:imf:mime_multipart:data-text-lines:data-text-lines");
}

/// The same frame from IMAP's port 143.
fn imap_frame(payload: &[u8]) -> Vec<u8> {
    let mut f = http_frame(payload);
    f[34..36].copy_from_slice(&143u16.to_be_bytes());
    f
}

#[test]
fn an_imap_fetch_literal_is_dissected_as_imf() {
    let msg = "Subject: first\r\nContent-Type: text/plain\r\n\r\nhi\r\n";
    let body = format!("* 1 FETCH (UID 5 BODY[] {{{}}}\r\n{msg})\r\na1 OK done\r\n", msg.len());
    let got = protocols(&imap_frame(body.as_bytes()));
    assert_eq!(got, " first eth:ethertype:ip:tcp:imap:imf:data-text-lines");
    // Without a literal the line is an ordinary line.
    let got = protocols(&imap_frame(b"* 1 FETCH (FLAGS (\\Seen))\r\na1 OK done\r\n"));
    assert_eq!(got, " eth:ethertype:ip:tcp:imap");
    // A literal whose closing parenthesis has not arrived: IMAP waits for more (its item is
    // already there, as in tshark), no IMF yet.
    let got = protocols(&imap_frame(b"* 1 FETCH (BODY[] {40}\r\nSubject: x\r\n"));
    assert_eq!(got, " eth:ethertype:ip:tcp:imap");
}

#[test]
fn a_multipart_body_without_its_delimiter_is_data() {
    let part = "no delimiter here\r\n";
    let body = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\nContent-Length: {}\r\n\r\n{part}",
        part.len()
    );
    let got = protocols(&http_frame(body.as_bytes()));
    assert_eq!(got, " eth:ethertype:ip:tcp:http:mime_multipart:data");
}
