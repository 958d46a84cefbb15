//! WebSocket after an HTTP upgrade: HTTP stays in `frame.protocols` (no item of its own for
//! `io,phs`), each frame's payload unmasked; a frame spanning segments is reassembled.

mod support;
use support::{Conn, TCP};

fn upgraded() -> Conn {
    let mut c = Conn::new(42906, 8888, &["websocket.opcode", "websocket.payload_length", "data.data"]);
    c.send(true, b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
    let s = c.send(false, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
    assert_eq!(s.protocols, format!("{TCP}:http"));
    c
}

#[test]
fn masked_binary_frame_is_unmasked_data() {
    let mut c = upgraded();
    let s = c.send(true, &[0x82, 0x83, 1, 2, 3, 4, 0x61 ^ 1, 0x62 ^ 2, 0x63 ^ 3]);
    assert_eq!(s.protocols, format!("{TCP}:http:websocket:data"));
    assert_eq!(s.values, ["2", "3", "616263"]);
    // HTTP only between the nested markers: no top-level item for `io,phs`.
    let mut depth = 0;
    let mut top = Vec::new();
    for &p in &s.path {
        match p {
            "nested.open" => depth += 1,
            "nested.close" => depth -= 1,
            _ if depth == 0 => top.push(p),
            _ => {}
        }
    }
    assert_eq!(top, ["eth", "ethertype", "ip", "tcp", "websocket", "data"]);
}

#[test]
fn frame_across_segments() {
    let mut c = upgraded();
    let s = c.send(false, &[0x82, 0x7e, 0x00, 0x04, 9, 9]);
    assert_eq!(s.protocols, TCP);
    let s = c.send(false, &[9, 9]);
    assert_eq!(s.protocols, format!("{TCP}:http:websocket:data"));
    assert_eq!(s.values[1], "126");
}

#[test]
fn text_and_close() {
    let mut c = upgraded();
    let s = c.send(false, &[0x81, 0x02, b'h', b'i', 0x88, 0x02, 0x03, 0xe8]);
    assert_eq!(s.protocols, format!("{TCP}:http:websocket:data-text-lines"));
    assert_eq!(s.values[0], "1,8");
}
