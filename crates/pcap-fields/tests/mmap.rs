//! Capture files are memory-mapped. A file that shrinks while it is read cannot be read in
//! place any more (the kernel raises SIGBUS on the missing pages): the run must end with a
//! message that says what happened and what to do, exit status 2, and `--no-mmap` must read
//! the same file with read(2) instead.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

/// A classic pcap of `n` Ethernet frames of 1,400 bytes (an experimental EtherType, so the
/// payload is `data`).
fn capture(n: u32) -> Vec<u8> {
    let mut f = Vec::with_capacity(24 + n as usize * 1416);
    for x in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 262_144, 1] {
        f.extend(x.to_le_bytes());
    }
    for i in 0..n {
        for x in [1_700_000_000 + i, 0, 1400, 1400] {
            f.extend(x.to_le_bytes());
        }
        f.extend([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0xb5]);
        f.extend((0..1386u32).map(|k| (k ^ i) as u8));
    }
    f
}

/// Reads the first line of output, cuts the file to nothing, then drains the output.
fn shrink_while_reading(path: &std::path::Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pcap-fields"))
        .args(extra)
        .arg("-r")
        .arg(path)
        .args(["--threads", "1", "-T", "fields", "-e", "frame.number", "-e", "data.data"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.starts_with("1\t"), "{first:?}");
    // The reader is now blocked on the full pipe, far from the end of the file.
    std::fs::OpenOptions::new().write(true).open(path).unwrap().set_len(0).unwrap();
    std::io::copy(&mut out, &mut std::io::sink()).unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (child.wait().unwrap().code(), err)
}

#[test]
fn a_file_that_shrinks_while_mapped_ends_the_run_with_a_message() {
    let dir = std::env::temp_dir().join(format!("pcap-fields-mmap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("shrinks.pcap");
    let data = capture(40_000);

    std::fs::write(&path, &data).unwrap();
    let (code, err) = shrink_while_reading(&path, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("shrank while it was being read") && err.contains("--no-mmap"), "{err}");

    // read(2) sees the file end instead: no signal, whatever was read is printed.
    std::fs::write(&path, &data).unwrap();
    let (code, err) = shrink_while_reading(&path, &["--no-mmap"]);
    assert!(!err.contains("shrank"), "{err}");
    assert!(code == Some(0) || code == Some(2), "{code:?} {err}");

    // Untouched, both ways give the same output.
    std::fs::write(&path, &data[..24 + 300 * 1416]).unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_pcap-fields"))
            .args(extra)
            .arg("-r")
            .arg(&path)
            .args(["-T", "fields", "-e", "frame.number", "-e", "data.data"])
            .output()
            .unwrap()
    };
    let (a, b) = (run(&[]), run(&["--no-mmap"]));
    assert!(a.status.success() && a.stdout.len() > 300 * 2772);
    assert_eq!(a.stdout, b.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}
