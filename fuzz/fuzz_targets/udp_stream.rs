//! One UDP conversation made of arbitrary datagrams: the input's first two bytes pick the
//! server port, one of a few heuristic-only ports or any port of tshark's UDP port table (so
//! every port-registered dissector is reached directly), then the input holds datagrams as
//! `[dir][len][payload...]`. Every field is recorded and export objects of every protocol
//! (TFTP, ...) are kept, so conversation state (TFTP, RTP set up by SDP, QUIC, Kerberos, ...)
//! runs across datagrams: no panic, no unbounded state.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pcaptk_dissect::Tree;

#[path = "common.rs"]
mod common;

/// Ports no dissector is registered on, where only heuristics run.
const HEURISTIC: &[u16] = &[40001, 55555, 1024];

fn port(sel: u16) -> u16 {
    static TABLE: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut v: Vec<u16> = HEURISTIC.to_vec();
        let src = include_str!("../../crates/dissect/data/udp-ports.tsv");
        v.extend(src.lines().filter_map(|l| l.split('\t').next()?.parse::<u16>().ok()));
        v
    });
    table[sel as usize % table.len()]
}

fn frame(dir: bool, port: u16, payload: &[u8]) -> Vec<u8> {
    let (src, dst, sport, dport) =
        if dir { ([10, 0, 0, 2], [10, 0, 0, 1], port, 40000) } else { ([10, 0, 0, 1], [10, 0, 0, 2], 40000, port) };
    let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
    let total = (28 + payload.len()).min(65535) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 17, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    let ulen = (8 + payload.len()).min(65535) as u16;
    f.extend_from_slice(&ulen.to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    f
}

fuzz_target!(|data: &[u8]| {
    let [a, b, ref rest @ ..] = *data else { return };
    let mut rest = rest;
    let port = port(u16::from_be_bytes([a, b]));
    let mut d = common::every_field();
    let mut tree = Tree::default();
    let mut n = 0u32;
    while rest.len() >= 2 {
        let (h, tail) = rest.split_at(2);
        let len = (h[1] as usize).min(tail.len());
        let (payload, after) = tail.split_at(len);
        let f = frame(h[0] & 0x80 != 0, port, payload);
        n += 1;
        common::feed(&mut d, &mut tree, n, &f);
        rest = after;
    }
});
