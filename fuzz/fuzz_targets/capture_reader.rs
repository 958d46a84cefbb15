//! Feeds arbitrary bytes to the capture reader: it must never panic, never
//! loop forever, and every packet it returns must be self-consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pcaptk_capture::CaptureReader;

fuzz_target!(|data: &[u8]| {
    let Ok(mut r) = CaptureReader::from_bytes(data.to_vec()) else { return };
    // Every packet consumes at least 16 bytes of (uncompressed) input; more
    // packets than that would mean a loop that does not advance.
    let gzip = data.starts_with(&[0x1f, 0x8b]);
    let mut budget = if gzip { usize::MAX } else { data.len() / 16 + 1 };
    while let Ok(Some(p)) = r.next_packet() {
        assert!(gzip || p.data.len() + p.pseudo_header.len() <= data.len());
        assert!(p.ts_digits <= 9);
        budget = budget.checked_sub(1).expect("reader does not advance");
    }
    // After the end or an error, the reader stays finished.
    assert!(matches!(r.next_packet(), Ok(None)));
});
