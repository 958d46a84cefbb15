//! A sharded run (`--threads N`: frames split between dissecting threads by conversation, each
//! thread's tables merged at the end) prints exactly what one thread prints: rows, their order
//! (ties in first-seen order), TCP stream numbers (JSON's `stream`), times, exit status and
//! error messages, on the fixture captures (whose single-thread answers `fixtures.rs` checks
//! against tshark's).

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pcap-stats");

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{}", env!("CARGO_MANIFEST_DIR"), name)
}

/// stdout, stderr and exit status of one run.
fn run(threads: usize, capture: &str, args: &[&str]) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let out = Command::new(BIN)
        .args(["--threads", &threads.to_string(), "-n", "-r", &fixture(capture)])
        .args(args)
        .output()
        .expect("pcap-stats runs");
    (out.stdout, out.stderr, out.status.code())
}

/// Statistics a sharded run serves.
const COMMANDS: &[&[&str]] = &[
    &["-q", "-z", "conv,tcp"],
    &["-q", "-z", "endpoints,ip"],
    &["-q", "-z", "conv,eth", "-z", "conv,ip", "-z", "conv,ipv6", "-z", "endpoints,udp", "-z", "endpoints,tcp"],
    &["-q", "-z", "conv,tcp", "--format", "json"],
    &["-q", "-z", "conv,tcp,tcp.port==21 || http", "-z", "endpoints,ipv6,tcp", "--format", "tsv"],
    &["-q", "-z", "conv,ip,tcp.len > 0", "-z", "endpoints,eth", "--format", "csv"],
];

const CAPTURES: &[&str] = &[
    "creds.pcap",
    "creds2.pcap",
    "objects.pcap",
    "lo-tls.pcap",
    "example.pcap",
    "ns-ether.pcapng",
    "ns-ether.pcap.gz",
];

#[test]
fn every_thread_count_prints_what_one_thread_prints() {
    let mut rows = 0;
    for capture in CAPTURES {
        for args in COMMANDS {
            let one = run(1, capture, args);
            assert_eq!(one.2, Some(0), "{capture} {args:?}: {}", String::from_utf8_lossy(&one.1));
            rows += one.0.iter().filter(|&&c| c == b'\n').count();
            for threads in [2, 3, 8] {
                let many = run(threads, capture, args);
                assert!(many == one, "{capture} {args:?}: --threads {threads} differs from --threads 1");
            }
        }
    }
    // The tables are not empty (the comparison is not of empty runs).
    assert!(rows > 500, "only {rows} lines");
}

#[test]
fn tcp_streams_keep_their_single_thread_numbers() {
    // creds.pcap holds dozens of TCP connections, spread over every shard.
    let args = ["-q", "-z", "conv,tcp", "--format", "tsv"];
    let one = run(1, "creds.pcap", &args);
    let streams = |out: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(out).lines().skip(1).map(|l| l.split('\t').nth(4).unwrap_or("").to_string()).collect()
    };
    let mut s = streams(&one.0);
    assert!(s.len() > 20, "{} streams", s.len());
    assert_eq!(streams(&run(4, "creds.pcap", &args).0), s);
    s.sort_by_key(|n| n.parse::<u32>().unwrap_or(u32::MAX));
    s.dedup();
    assert_eq!(s.first().map(String::as_str), Some("0"));
}

#[test]
fn a_cut_short_capture_ends_the_same_with_any_thread_count() {
    let args = ["-q", "-z", "conv,tcp", "-z", "endpoints,ip"];
    let one = run(1, "truncated.pcap", &args);
    assert_eq!(one.2, Some(2));
    assert!(!one.0.is_empty() && !one.1.is_empty());
    assert_eq!(run(2, "truncated.pcap", &args), one);
    let missing = run(2, "no-such.pcap", &args);
    assert_eq!(missing, run(1, "no-such.pcap", &args));
    assert!(missing.0.is_empty() && missing.2 == Some(2));
}
