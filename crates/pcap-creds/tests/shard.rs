//! Frames split by conversation between threads (`--threads N`) give exactly what one thread
//! gives: the same credentials in the same order, duplicates collapsed the same way, tshark's
//! table and the exit status, on the fixture captures.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pcap-creds");

fn run(threads: usize, capture: &str, args: &[&str]) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let path = format!("{}/../../tests/fixtures/{}", env!("CARGO_MANIFEST_DIR"), capture);
    let out = Command::new(BIN)
        .args(["--threads", &threads.to_string(), "-r", &path])
        .args(args)
        .output()
        .expect("pcap-creds runs");
    (out.stdout, out.stderr, out.status.code())
}

#[test]
fn every_thread_count_finds_what_one_thread_finds() {
    let modes: &[&[&str]] = &[&[], &["--all"], &["--format", "json"], &["-q", "-z", "credentials"]];
    let mut lines = 0;
    for capture in ["creds.pcap", "creds2.pcap", "objects.pcap", "example.pcap", "truncated.pcap"] {
        for args in modes {
            let one = run(1, capture, args);
            lines += one.0.iter().filter(|&&c| c == b'\n').count();
            for threads in [2, 3, 8] {
                assert!(
                    run(threads, capture, args) == one,
                    "{capture} {args:?}: --threads {threads} differs from --threads 1"
                );
            }
        }
    }
    // The fixtures hold dozens of credentials (the comparison is not of empty runs).
    assert!(lines > 150, "only {lines} lines");
}
