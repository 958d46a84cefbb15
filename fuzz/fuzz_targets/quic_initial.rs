//! One QUIC connection made of arbitrary datagrams to and from UDP port 443: each is either a
//! client or server Initial packet properly protected with the keys of the connection's
//! first DCID (so header protection, AES-GCM and the frame parser are passed, and the
//! frames, CRYPTO offsets and lengths are the fuzzer's), or raw bytes (coalesced packets,
//! short headers, other versions). Every field is recorded, so the connection tracking,
//! out-of-order CRYPTO reassembly and the TLS handshake parser all run: no panic.
//!
//! Input: `[version selector]` then datagrams `[flags][len][bytes...]`; flags bit 0x80: from
//! the server, bit 0x40: raw bytes, low bits: the packet number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pcaptk_dissect::{field, proto::quic, Dissector, FieldId, Tree};

#[path = "common.rs"]
mod common;

const VERSIONS: &[u32] = &[1, 0x6b33_43cf, 0xff00_001d, 0xff00_0016, 0x0a0a_0a0a, 0xfaceb002];

fn udp_frame(from_server: bool, payload: &[u8]) -> Vec<u8> {
    let (src, dst, sport, dport) = if from_server {
        ([10, 0, 0, 2], [10, 0, 0, 1], 443u16, 40000u16)
    } else {
        ([10, 0, 0, 1], [10, 0, 0, 2], 40000, 443)
    };
    let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
    let total = (28 + payload.len()).min(65535) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 17, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&((8 + payload.len()).min(65535) as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    f
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, mut rest)) = data.split_first() else { return };
    let version = VERSIONS[sel as usize % VERSIONS.len()];
    let (dcid, client_cid, server_cid) = ([0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08], [0xc1], [0x5e, 0x7e]);
    let mut d = Dissector::new((0..field::count()).map(|i| FieldId(i as u16)));
    let mut tree = Tree::default();
    let mut n = 0u32;
    while rest.len() >= 2 {
        let (flags, len) = (rest[0], rest[1] as usize * 8);
        let len = len.min(rest.len() - 2);
        let body = &rest[2..2 + len];
        rest = &rest[2 + len..];
        let from_server = flags & 0x80 != 0;
        let payload = if flags & 0x40 != 0 {
            body.to_vec()
        } else if from_server {
            quic::seal_initial(version, &dcid, &client_cid, &server_cid, true, (flags & 0x3f) as u32, body)
        } else {
            let first = n == 0 || sel & 0x80 == 0;
            let to = if first { &dcid[..] } else { &server_cid[..] };
            quic::seal_initial(version, &dcid, to, &client_cid, false, (flags & 0x3f) as u32, body)
        };
        let f = udp_frame(from_server, &payload);
        n += 1;
        common::feed(&mut d, &mut tree, n, &f);
    }
});
