//! A sharded run (`--threads N`, frames split between dissecting threads by conversation) prints
//! exactly what one dissecting thread prints, exit status and error message included, on the
//! fixture captures (whose single-thread answers `fixtures.rs` checks against tshark's).

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pcap-fields");

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{}", env!("CARGO_MANIFEST_DIR"), name)
}

/// stdout, stderr and exit status of one run.
fn run(threads: usize, capture: &str, args: &[&str]) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let out = Command::new(BIN)
        .args(["--threads", &threads.to_string(), "-n", "-r", &fixture(capture)])
        .args(args)
        .output()
        .expect("pcap-fields runs");
    (out.stdout, out.stderr, out.status.code())
}

/// The commands of the seed playbook that a sharded run serves, and others like them.
const COMMANDS: &[&[&str]] = &[
    &["-Y", "http.request", "-T", "fields", "-e", "http.host", "-e", "http.request.uri"],
    &["-Y", "tls.handshake.type == 1", "-T", "fields", "-e", "tls.handshake.extensions_server_name"],
    &[
        "-Y",
        "ftp.request.command == USER || ftp.request.command == PASS || http.authorization",
        "-T",
        "fields",
        "-e",
        "ftp.request.arg",
        "-e",
        "http.authorization",
    ],
    &["-Y", "dns.flags.response == 0", "-T", "fields", "-e", "dns.qry.name"],
    &[
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "frame.time_relative",
        "-e",
        "frame.time_delta",
        "-e",
        "ip.src",
        "-e",
        "tcp.srcport",
        "-e",
        "http.response.code",
        "-e",
        "tls.record.content_type",
    ],
    &[
        "-T",
        "json",
        "-e",
        "frame.number",
        "-e",
        "http.request.method",
        "-e",
        "ftp.response.code",
        "-e",
        "tcp.seq",
        "-e",
        "tcp.window_size",
        "-e",
        "tcp.time_relative",
        "-e",
        "tcp.reassembled.length",
    ],
    &["-Y", "http", "-T", "ek", "-e", "http.file_data"],
];

const CAPTURES: &[&str] = &[
    "creds.pcap",
    "creds2.pcap",
    "objects.pcap",
    "lo-tls.pcap",
    "example.pcap",
    "ns-ether.pcapng",
    "ns-ether.pcap.gz",
    "udp-names.pcap",
];

#[test]
fn every_thread_count_prints_what_one_thread_prints() {
    let mut lines = 0;
    for capture in CAPTURES {
        for args in COMMANDS {
            let one = run(1, capture, args);
            assert_eq!(one.2, Some(0), "{capture} {args:?}: {}", String::from_utf8_lossy(&one.1));
            lines += one.0.iter().filter(|&&c| c == b'\n').count();
            for threads in [2, 3, 8] {
                let many = run(threads, capture, args);
                assert!(many == one, "{capture} {args:?}: --threads {threads} differs from --threads 1");
            }
        }
    }
    // The commands do print something on these captures (the comparison is not of empty runs).
    assert!(lines > 200, "only {lines} lines");
}

#[test]
fn a_cut_short_capture_ends_the_same_with_any_thread_count() {
    let args = ["-T", "fields", "-e", "frame.number", "-e", "ip.src", "-e", "tcp.dstport"];
    let one = run(1, "truncated.pcap", &args);
    assert_eq!(one.2, Some(2));
    assert!(!one.0.is_empty() && !one.1.is_empty());
    assert_eq!(run(2, "truncated.pcap", &args), one);
    // A file that cannot be opened: nothing on stdout, tshark's message, for JSON too.
    let missing = run(2, "no-such.pcap", &["-T", "json", "-e", "ip.src"]);
    assert_eq!(missing, run(1, "no-such.pcap", &["-T", "json", "-e", "ip.src"]));
    assert!(missing.0.is_empty());
}
