//! One TCP conversation made of arbitrary segments: the input's first two bytes pick the server
//! port, one of a few heuristic-only ports or any port of tshark's TCP port table (so every
//! port-registered dissector is reached directly; export objects recorded for every protocol),
//! then the input holds
//! segments as `[dir|flags][seq delta: 2 bytes][len][payload...]`. Every field is recorded,
//! so TCP analysis, desegmentation and the application dissectors all run: no panic, and
//! the reassembly buffers stay within their caps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pcaptk_dissect::Tree;

#[path = "common.rs"]
mod common;

/// Ports no dissector is registered on, where only heuristics (HTTP, TLS, SIP, ...) run.
const HEURISTIC: &[u16] = &[8000, 40001, 55555];

/// The port the selector picks: a heuristic-only one or one of the port table's.
fn port(sel: u16) -> u16 {
    static TABLE: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut v: Vec<u16> = HEURISTIC.to_vec();
        let src = include_str!("../../crates/dissect/data/tcp-ports.tsv");
        v.extend(src.lines().filter_map(|l| l.split('\t').next()?.parse::<u16>().ok()));
        v
    });
    table[sel as usize % table.len()]
}

fn frame(dir: bool, port: u16, seq: u32, ack: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let (src, dst, sport, dport) =
        if dir { ([10, 0, 0, 2], [10, 0, 0, 1], port, 40000) } else { ([10, 0, 0, 1], [10, 0, 0, 2], 40000, port) };
    let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
    let total = (40 + payload.len()).min(65535) as u16;
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

fuzz_target!(|data: &[u8]| {
    let [a, b, ref rest @ ..] = *data else { return };
    let mut rest = rest;
    let port = port(u16::from_be_bytes([a, b]));
    let mut d = common::every_field();
    let mut tree = Tree::default();
    let mut seqs = [1000u32, 5000u32];
    let mut n = 0u32;
    let mut feed = |f: Vec<u8>, d: &mut pcaptk_dissect::Dissector| {
        n += 1;
        common::feed(d, &mut tree, n, &f);
    };
    feed(frame(false, port, 999, 0, 0x02, &[]), &mut d);
    feed(frame(true, port, 4999, 1000, 0x12, &[]), &mut d);
    while rest.len() >= 4 {
        let (h, tail) = rest.split_at(4);
        let dir = h[0] & 0x80 != 0;
        let flags = (h[0] & 0x1f) | 0x10;
        let delta = i16::from_be_bytes([h[1], h[2]]) as i32;
        let len = (h[3] as usize).min(tail.len());
        let (payload, after) = tail.split_at(len);
        let i = dir as usize;
        let seq = seqs[i].wrapping_add(delta as u32);
        feed(frame(dir, port, seq, seqs[1 - i], flags, payload), &mut d);
        seqs[i] = seq.wrapping_add(len as u32);
        rest = after;
        assert!(d.reassembly_bytes() <= 256 << 20);
    }
});
