//! HTTP messages whose headers or chunked body span many segments. tshark asks TCP for one
//! more segment and reads the message again from its start each time; we resume where
//! the last reading stopped (`http::Resume`). Whatever the split, the message must show
//! exactly as when it comes in one segment, in the frame of its last segment.

mod support;
use support::{Conn, Shown};

const FIELDS: &[&str] = &[
    "http.response.code",
    "http.content_type",
    "http.content_length_header",
    "http.transfer_encoding",
    "http.server",
    "http.file_data",
    "tcp.reassembled.length",
];

/// A response whose header block runs over many segments, with one very long line.
fn long_headers() -> Vec<u8> {
    let mut m = b"HTTP/1.1 200 OK\r\nServer: resume-test\r\n".to_vec();
    for i in 0..40 {
        m.extend_from_slice(format!("X-Header-{i}: value number {i}\r\n").as_bytes());
    }
    m.extend_from_slice(b"X-Long: ");
    m.extend(std::iter::repeat_n(b'a', 6000));
    m.extend_from_slice(b"\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n");
    m
}

/// A chunked response whose chunks span segments.
fn chunked() -> Vec<u8> {
    let mut m =
        b"HTTP/1.1 200 OK\r\nServer: resume-test\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    for i in 0..30 {
        let chunk: Vec<u8> = (0..(i * 37 % 500 + 1)).map(|j| b'a' + (j % 26) as u8).collect();
        m.extend_from_slice(format!("{:x};ext=1\r\n", chunk.len()).as_bytes());
        m.extend_from_slice(&chunk);
        m.extend_from_slice(b"\r\n");
    }
    m.extend_from_slice(b"0\r\n\r\n");
    m
}

/// Sends a request, then `msg` from the server cut into segments of the sizes `sizes`
/// gives in turn; returns what the response showed (values, protocols), which must be in
/// its last segment's frame. TCP holds the bytes of the unfinished response, and none once
/// it showed.
fn split(msg: &[u8], sizes: &[usize]) -> (Vec<String>, String) {
    let mut c = Conn::new(40000, 80, FIELDS);
    c.send(true, b"GET / HTTP/1.1\r\nHost: example\r\n\r\n");
    let mut shown: Vec<(usize, Shown)> = Vec::new();
    let (mut at, mut n) = (0, 0);
    while at < msg.len() {
        let len = sizes[n % sizes.len()].min(msg.len() - at);
        let s = c.send(false, &msg[at..at + len]);
        if !s.values[0].is_empty() {
            shown.push((n, s));
        }
        at += len;
        // The unfinished message is held whole; nothing once it was dissected.
        let held = if at < msg.len() { at } else { 0 };
        assert_eq!(c.reassembly_bytes(), held, "after {at} bytes in segments of {sizes:?}");
        n += 1;
    }
    assert_eq!(shown.len(), 1, "the response shows in one frame");
    let (frame, s) = shown.pop().expect("one frame");
    assert_eq!(frame, n - 1, "the response shows in its last segment's frame");
    (s.values, s.protocols)
}

/// Checks every split of `msg` against the whole message in one segment; returns what the
/// whole message showed.
fn check_splits(msg: &[u8]) -> Vec<String> {
    let (whole, protocols) = split(msg, &[msg.len()]);
    assert_eq!(whole[0], "200");
    assert!(protocols.starts_with("eth:ethertype:ip:tcp:http"), "{protocols}");
    // Every segment size, small ones included, and sizes that change as they go (a CR at
    // the end of one segment and its LF at the start of the next, lines cut anywhere).
    for sizes in [&[1460][..], &[1], &[2], &[3], &[7, 1, 2], &[100, 1, 1, 5], &[1000, 13]] {
        let (mut values, p) = split(msg, sizes);
        // The reassembled length is the whole message either way; the whole message in
        // one segment has none.
        assert_eq!(values.pop().as_deref(), Some(msg.len().to_string().as_str()), "{sizes:?}");
        assert_eq!(values[..], whole[..whole.len() - 1], "{sizes:?}");
        assert_eq!(p, protocols, "{sizes:?}");
    }
    whole
}

#[test]
fn long_header_block_shows_the_same_however_it_is_split() {
    let whole = check_splits(&long_headers());
    assert_eq!(whole[1..4], ["text/plain", "6", ""]);
    assert_eq!(whole[5], "hello\\n");
}

#[test]
fn chunked_body_shows_the_same_however_it_is_split() {
    let whole = check_splits(&chunked());
    assert_eq!(whole[1..4], ["text/plain", "", "chunked"]);
    assert!(whole[5].contains("abcdefghijklmnopqrstuvwxyz"), "{}", &whole[5][..20]);
}
