//! Memory stays bounded on hostile streams: a million half-open TCP connections, and one
//! connection sending endless data behind a hole that never fills.

use pcaptk_dissect::{lookup, Dissector, FrameMeta, Tree};

/// An Ethernet + IPv4 + TCP frame.
fn tcp_frame(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16, seq: u32, ack: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(54 + payload.len());
    f.extend_from_slice(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00]);
    let total = (40 + payload.len()) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&seq.to_be_bytes());
    f.extend_from_slice(&ack.to_be_bytes());
    f.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    f
}

fn meta(number: u32, len: usize) -> FrameMeta<'static> {
    FrameMeta {
        number,
        ts_ns: number as i64 * 1_000_000,
        ts_sec: number as i64 / 1000,
        ts_nsec: 0,
        len: len as u32,
        linktype: 1,
        interface_id: 0,
        has_interface: false,
        interface_name: "",
        comments: &[],
    }
}

fn dissector() -> Dissector {
    let fields = ["tcp.stream", "http.request.method", "http.host"].map(|n| lookup(n).expect("known field"));
    Dissector::new(fields)
}

#[test]
fn a_million_half_open_streams_stay_within_the_stream_cap() {
    let mut d = dissector();
    let mut tree = Tree::default();
    let n = pcaptk_dissect::proto::tcp::MAX_STREAMS as u32 + 50_000;
    for i in 0..n {
        let src = [10, (i >> 16) as u8, (i >> 8) as u8, i as u8];
        let f = tcp_frame(src, [192, 0, 2, 1], 1024 + (i % 60000) as u16, 80, i, 0, 0x02, &[]);
        d.dissect(&meta(i + 1, f.len()), &f, &mut tree);
        assert!(d.tcp_streams() <= pcaptk_dissect::proto::tcp::MAX_STREAMS);
    }
    assert!(d.tcp_streams() > 0);
}

#[test]
fn endless_data_behind_a_hole_is_capped() {
    let mut d = dissector();
    let mut tree = Tree::default();
    let (c, s) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let mut n = 0u32;
    let mut feed = |f: Vec<u8>, d: &mut Dissector| {
        n += 1;
        d.dissect(&meta(n, f.len()), &f, &mut tree);
    };
    feed(tcp_frame(c, s, 40000, 80, 1000, 0, 0x02, &[]), &mut d);
    feed(tcp_frame(s, c, 80, 40000, 5000, 1001, 0x12, &[]), &mut d);
    let head = b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n";
    feed(tcp_frame(c, s, 40000, 80, 1001, 5001, 0x18, head), &mut d);
    // The first body segment is lost; 20 MB follow it.
    let chunk = vec![b'a'; 1400];
    let mut seq = 1001 + head.len() as u32 + 1400;
    for _ in 0..15_000 {
        feed(tcp_frame(c, s, 40000, 80, seq, 5001, 0x10, &chunk), &mut d);
        seq = seq.wrapping_add(1400);
        assert!(d.reassembly_bytes() <= pcaptk_dissect::reasm::MAX_PDU as usize + 2048, "{}", d.reassembly_bytes());
    }
    assert!(d.reassembly_bytes() > 0, "the request is being reassembled");
}

#[test]
fn a_request_split_over_segments_completes_in_the_last_one() {
    let mut d = dissector();
    let mut tree = Tree::default();
    let (c, s) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let parts: [&[u8]; 3] = [b"GET /a HTTP/1.1\r\nHo", b"st: example.org\r\n", b"\r\n"];
    let mut seq = 1001;
    let method = lookup("http.request.method").unwrap();
    for (i, p) in parts.iter().enumerate() {
        let f = tcp_frame(c, s, 40000, 80, seq, 5001, 0x18, p);
        d.dissect(&meta(i as u32 + 1, f.len()), &f, &mut tree);
        let has = tree.items.iter().any(|it| it.id == method);
        assert_eq!(has, i == 2, "segment {i}");
        seq += p.len() as u32;
    }
    assert_eq!(d.reassembly_bytes(), 0);
}
