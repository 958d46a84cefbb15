//! The conversation router of sharded runs (`pcaptk_dissect::shard::Router`) over arbitrary
//! frames of the link types it reads (Ethernet with VLAN tags and PPPoE, Linux SLL and SLL2,
//! BSD loopback, raw IP): no panic, and both directions of a TCP or UDP header it keys by
//! ports get one key.
//!
//! Input: frames `[link type selector][len][bytes...]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pcaptk_dissect::shard::Router;

const LINKTYPES: &[u32] = &[1, 113, 276, 0, 108, 101, 12, 14, 228, 229, 147];

fuzz_target!(|data: &[u8]| {
    let mut router = Router::new();
    let mut rest = data;
    while rest.len() >= 2 {
        let linktype = LINKTYPES[rest[0] as usize % LINKTYPES.len()];
        let len = (rest[1] as usize * 8).min(rest.len() - 2);
        let frame = &rest[2..2 + len];
        rest = &rest[2 + len..];
        router.key(linktype, frame);
        // Raw IPv4 with TCP/UDP, not a fragment: the reverse direction has the same key (fresh
        // routers: no FTP announcement seen).
        if linktype == 101 && frame.len() >= 24 && frame[0] >> 4 == 4 && matches!(frame[9], 6 | 17) {
            let hl = (frame[0] & 15) as usize * 4;
            let frag = frame[6] & 0x3f != 0 || frame[7] != 0;
            if hl >= 20 && frame.len() >= hl + 4 && !frag {
                let mut rev = frame.to_vec();
                rev[12..20].rotate_left(4);
                rev.swap(hl, hl + 2);
                rev.swap(hl + 1, hl + 3);
                assert_eq!(Router::new().key(101, &rev), Router::new().key(101, frame));
            }
        }
    }
});
