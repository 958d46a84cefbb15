//! Where tshark 4.0 puts an HTTP body's protocol: `data` for a body without a Content-Type,
//! or one whose content coding cannot be undone, inside HTTP's own item (in
//! `frame.protocols`, not a top-level item for `io,phs`); a body with a media type at the
//! top level; lines of text that hold an XML document go to `xml`; JSON the parser leaves
//! goes on as lines of text; several messages in one segment are one `http` layer.

use pcaptk_dissect::dissector::{NESTED_CLOSE, NESTED_OPEN};
use pcaptk_dissect::{field, Dissector, FieldId, FrameMeta, Tree, Value};

/// An Ethernet/IPv4/TCP frame from port 80 carrying `payload`.
fn frame(payload: &[u8]) -> Vec<u8> {
    let tcp = [0, 80, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0];
    let ip_len = 20 + tcp.len() + payload.len();
    let ip = [0x45, 0, (ip_len >> 8) as u8, ip_len as u8, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
    f.extend_from_slice(&ip);
    f.extend_from_slice(&tcp);
    f.extend_from_slice(payload);
    f
}

fn response(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut m = format!("HTTP/1.1 200 OK\r\n{headers}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    m.extend_from_slice(body);
    m
}

fn id(name: &str) -> FieldId {
    field::lookup(name).unwrap_or_else(|| panic!("{name} not in the field table"))
}

/// `frame.protocols` and the protocol path (`io,phs`'s input) of a frame carrying `payload`.
fn protocols(payload: &[u8]) -> (String, Vec<&'static str>) {
    let data = frame(payload);
    let f = id("frame.protocols");
    let mut d = Dissector::new([f]);
    let mut tree = Tree::default();
    let meta = FrameMeta::synthetic(1, 1_700_000_000_000_000_000, data.len() as u32, 1);
    d.dissect(&meta, &data, &mut tree);
    let view = tree.view(&data);
    let protos = tree
        .items
        .iter()
        .filter(|it| it.id == f)
        .find_map(|it| match it.value {
            Value::Str(s) => Some(view.str(s).to_string()),
            _ => None,
        })
        .expect("frame.protocols");
    (protos, d.protocol_path().to_vec())
}

/// The top-level items of a path (what `io,phs` counts), without the nested layers.
fn top_level(path: &[&'static str]) -> Vec<&'static str> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for &p in path {
        match p {
            NESTED_OPEN => depth += 1,
            NESTED_CLOSE => depth -= 1,
            _ if depth == 0 => out.push(p),
            _ => {}
        }
    }
    out
}

#[test]
fn body_without_media_type_is_data_inside_http() {
    let (protos, path) = protocols(&response("", b"hello"));
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:data");
    assert_eq!(top_level(&path).last(), Some(&"http"));
}

#[test]
fn body_with_media_type_is_top_level() {
    let (protos, path) = protocols(&response("Content-Type: text/plain\r\n", b"hello\n"));
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:data-text-lines");
    assert_eq!(top_level(&path).last(), Some(&"data-text-lines"));
}

#[test]
fn failed_decompression_is_data_inside_http() {
    let (protos, path) =
        protocols(&response("Content-Type: text/plain\r\nContent-Encoding: gzip\r\n", b"not compressed at all"));
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:data");
    assert_eq!(top_level(&path).last(), Some(&"http"));
    let (protos, _) = protocols(&response("Content-Type: text/plain\r\nContent-Encoding: compress\r\n", b"x"));
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:data");
}

#[test]
fn xml_document_in_text_lines_goes_to_xml() {
    let body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>b</a>\n";
    let (protos, path) = protocols(&response("Content-Type: text/html\r\n", body));
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:data-text-lines:xml");
    assert_eq!(top_level(&path)[4..], ["http", "xml"]);
}

#[test]
fn json_left_over_is_text_lines() {
    let (protos, _) = protocols(&response("Content-Type: application/json\r\n", b"{\"a\": [1, 2]}\n"));
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:json");
    let (protos, _) = protocols(&response("Content-Type: application/json\r\n", b"{\"a\": [1, 2]} trailing"));
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:json:data-text-lines");
}

#[test]
fn two_messages_in_one_segment_are_one_layer() {
    let mut two = response("Content-Type: text/plain\r\n", b"one\n");
    two.extend_from_slice(&response("Content-Type: text/plain\r\n", b"two\n"));
    let (protos, path) = protocols(&two);
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:data-text-lines:data-text-lines");
    assert!(path.contains(&"+http"), "the second message is an item of the tree: {path:?}");
}

/// Text that is no request or response, on a connection without a request: tshark's header
/// loop still takes a first line with a colon for a header, and what follows the headers
/// for a body; a first line without colon is not HTTP at all.
#[test]
fn header_lines_without_request_line_are_http() {
    let (protos, path) = protocols(b"X-Thing: 1\r\nnot a header\r\nmore");
    assert_eq!(protos, "eth:ethertype:ip:tcp:http:data");
    assert_eq!(top_level(&path).last(), Some(&"http"));
    let (protos, _) = protocols(b"SSH-2.0-OpenSSH_5.9\r\n");
    assert_eq!(protos, "eth:ethertype:ip:tcp");
}

/// A line without colon after a header, running to the end of the data: tshark wants the
/// byte after it and throws (a malformed packet, HTTP kept in the layers).
#[test]
fn unterminated_line_after_header_is_malformed() {
    let (protos, path) = protocols(b"ab:cd\r\nxyz");
    assert_eq!(protos, "eth:ethertype:ip:tcp:http");
    assert_eq!(path.last(), Some(&"_ws.malformed"));
}

/// TLS's port declines a payload that starts with four printable characters: data.
#[test]
fn tls_port_declines_text() {
    let tcp = [0x01, 0xbb, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0];
    let payload = b"1%0#\x06\x03U\x04\x03\x13\x1cGoogle";
    let ip_len = 20 + tcp.len() + payload.len();
    let ip = [0x45, 0, (ip_len >> 8) as u8, ip_len as u8, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
    f.extend_from_slice(&ip);
    f.extend_from_slice(&tcp);
    f.extend_from_slice(payload);
    let fp = id("frame.protocols");
    let mut d = Dissector::new([fp]);
    let mut tree = Tree::default();
    let meta = FrameMeta::synthetic(1, 1_700_000_000_000_000_000, f.len() as u32, 1);
    d.dissect(&meta, &f, &mut tree);
    assert_eq!(d.protocol_path().last(), Some(&"data"));
}
