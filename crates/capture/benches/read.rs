//! Reads capture files and prints packets/s and MB/s.
//!
//! `cargo bench -p pcaptk-capture --bench read -- [--no-mmap] FILE...`
//! (defaults to the captures under /work/shared/captures/large).

use std::time::Instant;

fn main() {
    // `--no-mmap`: read(2) into the reader's buffer instead of the memory map.
    pcaptk_capture::set_mmap(!std::env::args().any(|a| a == "--no-mmap"));
    let mut files: Vec<String> =
        std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        if let Ok(d) = std::fs::read_dir("/work/shared/captures/large") {
            files = d.filter_map(|e| e.ok()).map(|e| e.path().display().to_string()).collect();
            files.sort();
        }
    }
    for f in &files {
        let mut best = f64::MAX;
        let (mut packets, mut bytes, mut file_bytes) = (0u64, 0u64, 0u64);
        for _ in 0..5 {
            let t = Instant::now();
            let mut r = match pcaptk_capture::CaptureReader::open(f) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("{f}: {e}");
                    break;
                }
            };
            let (mut n, mut b, mut sum) = (0u64, 0u64, 0u64);
            loop {
                match r.next_packet() {
                    Ok(Some(p)) => {
                        n += 1;
                        b += p.data.len() as u64;
                        sum = sum.wrapping_add(p.ts_ns as u64 ^ p.data.first().copied().unwrap_or(0) as u64);
                    }
                    Ok(None) => break,
                    Err(e) => {
                        eprintln!("{f}: {e}");
                        break;
                    }
                }
            }
            std::hint::black_box(sum);
            best = best.min(t.elapsed().as_secs_f64());
            packets = n;
            bytes = b;
            file_bytes = r.bytes_read();
        }
        if best < f64::MAX {
            println!(
                "{f}: {packets} packets, {:.1} MB in {:.4} s: {:.2} Mpackets/s, {:.0} MB/s (file bytes), best of 5",
                file_bytes as f64 / 1e6,
                best,
                packets as f64 / best / 1e6,
                file_bytes as f64 / best / 1e6
            );
            let _ = bytes;
        }
    }
}
