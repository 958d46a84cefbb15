//! Hostile input: every packet of our fixtures and of the shared corpus (when present),
//! dissected whole, cut short at several points and with bits flipped, recording every
//! field of the table. Nothing may panic; the per-packet tree stays bounded.

use pcaptk_capture::CaptureReader;
use pcaptk_dissect::{field, Dissector, FieldId, FrameMeta, Tree};
use std::path::{Path, PathBuf};

fn captures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in [root.join("tests/fixtures"), root.join("../shared/captures/core")] {
        if let Ok(rd) = std::fs::read_dir(&dir) {
            let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
            v.sort();
            out.extend(v);
        }
    }
    out
}

/// A small deterministic generator (xorshift), so failures reproduce.
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
fn mutated_packets_never_panic() {
    let all: Vec<FieldId> = (0..field::count()).map(|i| FieldId(i as u16)).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut packets = 0u64;
    for path in captures() {
        let Ok(mut r) = CaptureReader::open(path.to_str().unwrap()) else { continue };
        let mut d = Dissector::new(all.iter().copied());
        let mut tree = Tree::default();
        let mut n = 0u32;
        while let Ok(Some(p)) = r.next_packet() {
            n += 1;
            if n > 3000 {
                break;
            }
            let mut meta = FrameMeta {
                number: n,
                ts_ns: p.ts_ns,
                ts_sec: p.ts_sec,
                ts_nsec: p.ts_nsec,
                len: p.len,
                linktype: p.linktype,
                interface_id: p.interface_id,
                has_interface: p.has_interface_id,
                interface_name: p.interface_name,
                comments: p.comments,
            };
            let data = p.data.to_vec();
            d.dissect(&meta, &data, &mut tree);
            assert!(tree.items.len() < 100_000, "{}: frame {} produced {} items", path.display(), n, tree.items.len());
            // Cut short (snaplen-style: the wire length stays).
            for cut in [0, 1, 13, 14, 20, 34, 40, 54, data.len() / 2] {
                if cut < data.len() {
                    d.dissect(&meta, &data[..cut], &mut tree);
                }
            }
            // Bits flipped in the headers.
            let mut m = data.clone();
            for _ in 0..8 {
                if !m.is_empty() {
                    let i = (rng.next() as usize) % m.len().min(128);
                    m[i] ^= 1 << (rng.next() % 8);
                }
            }
            d.dissect(&meta, &m, &mut tree);
            // The same bytes under another link type.
            meta.linktype = [1, 113, 276, 101, 127, 105, 0, 9, 239, 107, 104][n as usize % 11];
            d.dissect(&meta, &m, &mut tree);
            packets += 1;
        }
    }
    eprintln!("dissected {} packets with their mutations", packets);
    assert!(packets > 0, "no capture found to mutate");
}
