//! The files pcap-export-objects writes, compared with the files tshark 4.0.17 wrote from
//! the same fixture captures: every case of `cases.tsv` (name, capture in
//! `tests/fixtures`, protocol) is exported into a fresh folder and its listing
//! ("SHA-256  name" per file, sorted by name) compared with `expected/NAME.files`, which
//! `make-expected.sh` writes by running tshark.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn listing(dir: &Path) -> String {
    let mut names: Vec<Vec<u8>> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| std::os::unix::ffi::OsStrExt::as_bytes(e.unwrap().file_name().as_os_str()).to_vec()).collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let mut out = String::new();
    for n in names {
        let name = String::from_utf8_lossy(&n).into_owned();
        let data = std::fs::read(dir.join(std::ffi::OsStr::new(&name))).unwrap();
        let hash: String = Sha256::digest(&data).iter().map(|b| format!("{:02x}", b)).collect();
        out.push_str(&format!("{}  {}\n", hash, name));
    }
    out
}

#[test]
fn same_files_as_tshark() {
    let root = root();
    let cases = std::fs::read_to_string(root.join("crates/pcap-export-objects/tests/cases.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in cases.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, capture, proto) = (f[0], f[1], f[2]);
        let out = std::env::temp_dir().join(format!("peo-fixture-{}-{}", std::process::id(), name));
        let _ = std::fs::remove_dir_all(&out);
        let status = Command::new(env!("CARGO_BIN_EXE_pcap-export-objects"))
            .current_dir(&root)
            .args(["-n", "-r", &format!("tests/fixtures/{}", capture), "--export-objects"])
            .arg(format!("{},{}", proto, out.display()))
            .status()
            .unwrap();
        assert!(status.success(), "{}: exit {:?}", name, status);
        let got = listing(&out);
        let want = std::fs::read_to_string(root.join(format!("crates/pcap-export-objects/tests/expected/{}.files", name))).unwrap();
        if got != want {
            failures.push(format!("{}:\n--- tshark\n{}--- ours\n{}", name, want, got));
        }
        let _ = std::fs::remove_dir_all(&out);
        n += 1;
    }
    assert!(n >= 5, "cases.tsv lists too few cases");
    assert!(failures.is_empty(), "{} of {} cases differ (regenerate with crates/pcap-export-objects/tests/make-expected.sh):\n{}", failures.len(), n, failures.join("\n"));
}
