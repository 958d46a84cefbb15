//! Damaged input: the fixture captures bit-flipped and cut short, through every statistic at
//! once. pcap-stats must end by itself, without panicking, with tshark's exit status for a
//! capture (0, or 2 for a damaged one).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// A deterministic xorshift, so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn damaged_captures_never_panic() {
    let dir = std::env::temp_dir().join(format!("pcap-stats-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut failures = Vec::new();
    for name in ["ns-ether.pcap", "ns-ether.pcapng", "lo-sll2.pcap", "lo-sll.pcap"] {
        let data = std::fs::read(root().join("tests/fixtures").join(name)).unwrap();
        for round in 0..12 {
            let mut d = data.clone();
            if round % 3 == 2 {
                d.truncate((rng.next() as usize) % d.len());
            }
            // Flip bits past the file header, where packet headers live.
            for _ in 0..(1 + round * 8) {
                if d.len() > 64 {
                    let i = 32 + (rng.next() as usize) % (d.len() - 32);
                    d[i] ^= 1 << (rng.next() % 8);
                }
            }
            let path = dir.join(format!("{round}-{name}"));
            std::fs::write(&path, &d).unwrap();
            let out = Command::new(env!("CARGO_BIN_EXE_pcap-stats"))
                .arg("-r")
                .arg(&path)
                .args(["-q", "-z", "conv,eth", "-z", "conv,ip", "-z", "conv,ipv6", "-z", "conv,tcp", "-z", "conv,udp"])
                .args(["-z", "endpoints,eth", "-z", "endpoints,ip", "-z", "endpoints,ipv6", "-z", "endpoints,tcp", "-z", "endpoints,udp"])
                .args(["-z", "io,phs", "-z", "io,stat,0,tcp,udp"])
                .output()
                .unwrap();
            let code = out.status.code();
            if !matches!(code, Some(0) | Some(2)) || String::from_utf8_lossy(&out.stderr).contains("panicked") {
                failures.push(format!("{}: exit {:?}: {}", path.display(), code, String::from_utf8_lossy(&out.stderr)));
            }
        }
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
