//! pcap-tshark end to end: the same bytes as the dedicated tool, errors naming the flag.

use std::path::PathBuf;
use std::process::Command;

fn fixture() -> String {
    format!("{}/../../tests/fixtures/ns-ether.pcap", env!("CARGO_MANIFEST_DIR"))
}

fn sibling(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_BIN_EXE_pcap-tshark")).parent()?.join(name);
    p.is_file().then_some(p)
}

#[test]
fn a_tshark_command_line_gives_the_dedicated_tools_bytes() {
    let cases: &[(&str, &[&str])] = &[
        ("pcap-fields", &["-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-T", "fields", "-e", "frame.number", "-e", "ip.src"]),
        ("pcap-fields", &["-T", "json", "-e", "frame.number", "-e", "ip.dst"]),
        ("pcap-stats", &["-q", "-z", "conv,tcp"]),
        ("pcap-creds", &["-q", "-z", "credentials"]),
    ];
    for (tool, args) in cases {
        let Some(direct) = sibling(tool) else {
            eprintln!("SKIPPED {tool}: not built next to pcap-tshark (cargo build --release --workspace)");
            continue;
        };
        let run = |bin: &PathBuf| Command::new(bin).args(["-n", "-r", &fixture()]).args(*args).output().expect("runs");
        let (a, b) = (run(&PathBuf::from(env!("CARGO_BIN_EXE_pcap-tshark"))), run(&direct));
        assert!(a.status.success() && b.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&a.stderr));
        assert!(!a.stdout.is_empty(), "{tool} {args:?} printed something");
        assert_eq!(a.stdout, b.stdout, "{tool} {args:?}: the same bytes through pcap-tshark");
    }
}

#[test]
fn unsupported_flags_are_errors_naming_them() {
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_pcap-tshark")).args(args).output().expect("runs");
    let o = run(&["-r", &fixture(), "-V"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("pcap-tshark: -V "), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["-r", &fixture()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("default output"));
    let o = run(&["-r", &fixture(), "-T", "fields", "-e", "ip.src", "-X", "lua_script:x.lua"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("tshark flag -X is not supported"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
}
