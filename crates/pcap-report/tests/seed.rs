//! The seed's keys agree with the seed's own script (`support/seed_analyzer.py`, scapy) on the
//! project's fixtures: total_packets, the conversation pairs with their packet and byte
//! counts, and the DNS query names (`support/compare_seed.py` compares them). Needs python3
//! with scapy (`.ci/run` installs it from PyPI): without it the test fails in CI (CI set) and
//! is skipped elsewhere, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn has_scapy() -> bool {
    Command::new("python3").args(["-c", "import scapy.all"]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn seed_keys_agree_with_the_seed_script() {
    if !has_scapy() {
        assert!(std::env::var_os("CI").is_none(), "no scapy in CI: .ci/run installs it (pip install scapy)");
        eprintln!("skipped: python3 has no scapy (pip install scapy)");
        return;
    }
    let support = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support");
    let base = std::env::temp_dir().join(format!("pcap-report-seed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    // Every fixture but truncated.pcap, whose last record is cut short: scapy counts the
    // partial record as a packet, tshark (and pcap-report) stop before it with an error.
    let fixtures = [
        "beacon.pcap",
        "example.pcap",
        "creds.pcap",
        "objects.pcap",
        "ns-ether.pcap",
        "ns-ether-nsec.pcap",
        "ns-ether.pcapng",
        "ns-ether.pcap.gz",
        "lo-sll.pcap",
        "lo-sll2.pcap",
        "lo-snmp.pcap",
        "lo-tls.pcap",
    ];
    for f in fixtures {
        let capture = root().join("tests/fixtures").join(f);
        let seed_dir = base.join("seed").join(f);
        let ours_dir = base.join("ours").join(f);
        let seed = Command::new("python3").arg(support.join("seed_analyzer.py")).arg(&capture).arg(&seed_dir).output().unwrap();
        assert!(seed.status.success(), "seed script on {f}: {}", String::from_utf8_lossy(&seed.stderr));
        let ours = Command::new(env!("CARGO_BIN_EXE_pcap-report")).arg("-r").arg(&capture).arg("-o").arg(&ours_dir).output().unwrap();
        assert!(ours.status.success(), "pcap-report on {f}: {}", String::from_utf8_lossy(&ours.stderr));
        // The console lines the seed prints are the first four of ours, the same.
        let seed_out = String::from_utf8(seed.stdout).unwrap();
        let ours_out = String::from_utf8(ours.stdout).unwrap();
        assert!(ours_out.starts_with(&seed_out), "{f}: console lines\nseed:\n{seed_out}\nours:\n{ours_out}");
        let cmp = Command::new("python3")
            .arg(support.join("compare_seed.py"))
            .arg(seed_dir.join("pcap_forensic_report.json"))
            .arg(ours_dir.join("pcap_forensic_report.json"))
            .output()
            .unwrap();
        assert!(cmp.status.success(), "{f}: {}", String::from_utf8_lossy(&cmp.stdout));
    }
    let _ = std::fs::remove_dir_all(base);
}
