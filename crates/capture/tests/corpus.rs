//! Reads the real captures under /work/shared/captures (skipped when absent):
//! packet counts and error status against MANIFEST.tsv, per-packet framing
//! against tshark's own output (skipped when tshark is absent), and damaged
//! copies (truncated, bit-flipped) for panics, loops and error texts.

use pcaptk_capture::CaptureReader;
use std::path::{Path, PathBuf};
use std::process::Command;

const CORPUS: &str = "/work/shared/captures";

/// What tshark shows for a file: the `tests/scripts/tshark-view.sh` layout.
fn our_view(path: &str) -> (String, String) {
    let mut out = String::new();
    let mut r = match CaptureReader::open(path) {
        Ok(r) => r,
        Err(e) => return (out, format!("tshark: {e}\n")),
    };
    let mut n = 0;
    loop {
        match r.next_packet() {
            Ok(Some(p)) => {
                n += 1;
                let ts = if p.has_ts { format!("{}.{:09}", p.ts_sec, p.ts_nsec) } else { String::new() };
                let iface = if p.has_interface_id { p.interface_id.to_string() } else { String::new() };
                out += &format!("{n}\t{ts}\t{}\t{}\t{iface}\t{}\n", p.len, p.data.len(), p.comments.join(","));
            }
            Ok(None) => return (out, String::new()),
            Err(e) => return (out, format!("tshark: {e}\n")),
        }
    }
}

fn tshark_view(path: &str) -> Option<(String, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/tshark-view.sh");
    let o = Command::new("sh").arg(script).arg(path).output().ok()?;
    Some((String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned()))
}

fn have_tshark() -> bool {
    Command::new("tshark").arg("-v").output().is_ok_and(|o| o.status.success())
}

struct Entry {
    path: String,
    format: String,
    packets: Option<usize>,
    error: bool,
}

fn manifest() -> Option<Vec<Entry>> {
    let text = std::fs::read_to_string(Path::new(CORPUS).join("MANIFEST.tsv")).ok()?;
    Some(
        text.lines()
            .skip(1)
            .filter_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                (c.len() >= 8).then(|| Entry {
                    path: format!("{CORPUS}/{}", c[0]),
                    format: c[2].to_string(),
                    packets: c[4].parse().ok(),
                    error: c[7].starts_with("rc=2"),
                })
            })
            .collect(),
    )
}

#[test]
fn corpus_counts_and_errors_match_manifest() {
    let Some(entries) = manifest() else { return eprintln!("no corpus, skipped") };
    let mut failures = Vec::new();
    for e in &entries {
        let (out, err) = our_view(&e.path);
        let n = out.lines().count();
        if e.error == err.is_empty() || (!e.error && e.packets.is_some_and(|p| p != n)) {
            failures.push(format!("{}: {n} packets, error {err:?} (manifest {:?}, error {})", e.path, e.packets, e.error));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_framing_matches_tshark() {
    let Some(entries) = manifest() else { return eprintln!("no corpus, skipped") };
    if !have_tshark() {
        return eprintln!("no tshark, skipped");
    }
    // A sample (set PCAPTK_ALL_CAPTURES=1 for every file): all failing files,
    // every 3rd pcapng file, every 30th file.
    let all = std::env::var_os("PCAPTK_ALL_CAPTURES").is_some();
    let mut failures = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if !(all || e.error || (e.format == "pcapng" && i % 3 == 0) || i % 30 == 0) {
            continue;
        }
        let Some(theirs) = tshark_view(&e.path) else { continue };
        if our_view(&e.path) != theirs {
            failures.push(e.path.clone());
        }
    }
    assert!(failures.is_empty(), "differs from tshark:\n{}", failures.join("\n"));
}

/// Writes `bytes` to a scratch file and returns its path.
fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pcaptk-damaged-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn damaged_captures_never_panic_and_fail_like_tshark() {
    let Some(entries) = manifest() else { return eprintln!("no corpus, skipped") };
    let tshark = have_tshark();
    let picks: Vec<&Entry> = entries
        .iter()
        .filter(|e| !e.error && e.packets.is_some_and(|n| n > 5) && std::fs::metadata(&e.path).is_ok_and(|m| m.len() < 300_000))
        .step_by(20)
        .take(8)
        .collect();
    let mut failures = Vec::new();
    for (k, e) in picks.iter().enumerate() {
        let bytes = std::fs::read(&e.path).unwrap();
        let (intact, _) = our_view(&e.path);
        // Truncations: packets before the cut are a prefix of the intact ones.
        for (j, cut) in [bytes.len() / 3, bytes.len() / 2 + 7, bytes.len() - 1, 30, 23].into_iter().enumerate() {
            let p = scratch(&format!("t{k}_{j}"), &bytes[..cut.min(bytes.len())]);
            let path = p.to_str().unwrap();
            let (out, err) = our_view(path);
            assert!(intact.starts_with(&out), "{path}: not a prefix");
            assert!(!err.is_empty() || cut >= bytes.len(), "{path}: no error");
            if tshark && j < 3 && Some((out.clone(), err.clone())) != tshark_view(path) {
                failures.push(format!("{} cut at {cut}", e.path));
            }
        }
        // Bit flips spread over the file: must terminate without panicking.
        let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ k as u64;
        for j in 0..20 {
            let mut b = bytes.clone();
            for _ in 0..4 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let i = (rng % b.len() as u64) as usize;
                b[i] ^= 1 << (rng >> 60 & 7);
            }
            let p = scratch(&format!("f{k}_{j}"), &b);
            let path = p.to_str().unwrap();
            let ours = our_view(path);
            if tshark && j < 2 && Some(ours) != tshark_view(path) {
                failures.push(format!("{} flipped ({path})", e.path));
            }
        }
    }
    let _ = std::fs::remove_dir_all(std::env::temp_dir().join(format!("pcaptk-damaged-{}", std::process::id())));
    assert!(failures.is_empty(), "differs from tshark:\n{}", failures.join("\n"));
}
