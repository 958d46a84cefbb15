//! Hostile input: random frames and extreme, backward and repeated times must neither panic
//! nor allocate without bound, in every method and span.

mod gen;

use gen::{Capture, Rng};
use pcap_beacon::candidate::{self, Span};
use pcap_beacon::run;
use pcap_beacon::score::Params;
use pcap_beacon::scope::Scope;
use std::net::Ipv4Addr;

#[test]
fn random_frames_and_extreme_times() {
    let mut rng = Rng::new(99);
    let mut cap = Capture::default();
    let times = [0i64, 1, i64::from(u32::MAX) * 1_000_000_000, 5_000_000_000, 4_000_000_000, 4_000_000_000];
    for i in 0..3000 {
        let t = times[i % times.len()] + (rng.below(1000) as i64);
        let len = rng.below(200) as usize;
        let mut frame: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        // Every third frame looks like Ethernet/IPv4 so that the deeper layers get garbage too.
        if i % 3 == 0 && frame.len() > 40 {
            frame[12] = 0x08;
            frame[13] = 0x00;
            frame[14] = 0x45;
            frame[23] = [6u8, 17, 1][rng.below(3) as usize];
        }
        cap.packets.push((t, frame, len as u32));
    }
    // Valid beacons at absurd times as well.
    for k in 0..10u16 {
        cap.tcp_session(4_294_967_000.0 + f64::from(k), Ipv4Addr::new(10, 0, 0, 1), 1000 + k, Ipv4Addr::new(8, 8, 8, 8), 443, &gen::client_hello("x.example", 0), 10);
    }
    let dir = std::env::temp_dir().join(format!("pcap-beacon-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hostile.pcap");
    // Written unsorted on purpose: times go backwards.
    let packets = std::mem::take(&mut cap.packets);
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_3c4du32.to_le_bytes());
    out.extend_from_slice(&[2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0]);
    for (t, data, len) in &packets {
        out.extend_from_slice(&((t / 1_000_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&((t % 1_000_000_000) as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(data);
    }
    std::fs::write(&path, out).unwrap();
    let input = vec![path.to_string_lossy().into_owned()];
    for scope in [Scope::default(), Scope::new(None)] {
        let (c, outcome) = run::collect(input.clone(), false, &scope);
        assert_eq!(outcome, run::Outcome::Done);
        assert_eq!(c.packets, 3000 + 80);
        for span in [Span::Rita, Span::Auto] {
            for cand in candidate::candidates(&c.agg, &c.names, &Params::default(), span) {
                if let Some(s) = &cand.scores {
                    assert!((0.0..=1.0).contains(&s.score));
                }
                let _ = pcap_beacon::output::explain(&cand, 1, 1);
                let _ = pcap_beacon::plot::svg(1, &cand);
            }
        }
    }
    let (v, _) = run::collect_variance(input, false);
    let _ = v.rows(5.0);
    let _ = std::fs::remove_dir_all(&dir);
}
