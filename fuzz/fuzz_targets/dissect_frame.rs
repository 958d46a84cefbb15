//! Dissects arbitrary bytes as a frame of each supported link type, recording every field
//! (the most work a command can ask for) or, when the selector's top bit is set, every
//! field of the layers a transport-only command stops at (`depth::TRANSPORT`): no panic,
//! no unbounded state.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pcaptk_dissect::{field, Dissector, FieldId, FrameMeta, Tree};

const LINKTYPES: &[u32] = &[0, 1, 9, 101, 104, 105, 107, 108, 113, 127, 228, 229, 239, 276];

/// Every field a transport-only command may ask for.
fn transport_fields() -> &'static [FieldId] {
    static FIELDS: std::sync::OnceLock<Vec<FieldId>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| {
        let mut want = vec![false; field::count()];
        for i in 0..field::count() {
            want[i] = true;
            if !pcaptk_dissect::proto::transport_only(&want) {
                want[i] = false;
            }
        }
        (0..field::count()).filter(|&i| want[i]).map(|i| FieldId(i as u16)).collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, frame)) = data.split_first() else { return };
    let linktype = LINKTYPES[sel as usize % LINKTYPES.len()];
    let all = (0..field::count()).map(|i| FieldId(i as u16));
    let mut d = if sel & 0x80 != 0 { Dissector::new(transport_fields().iter().copied()) } else { Dissector::new(all) };
    // Export objects of every protocol are recorded too (TFTP, HTTP over UDP, SMB2, …).
    let mut protos = pcaptk_dissect::export::Protocols::default();
    for p in pcaptk_dissect::export::Proto::ALL {
        protos.insert(p);
    }
    if sel & 0x80 == 0 {
        d.export(protos, 1 << 16);
    }
    let mut tree = Tree::default();
    // The same bytes twice, so stream and reassembly state is exercised.
    for number in 1..=2 {
        let meta = FrameMeta {
            number,
            ts_ns: number as i64,
            ts_sec: 0,
            ts_nsec: number,
            len: frame.len() as u32 + (sel as u32 & 0x40),
            linktype,
            interface_id: 0,
            has_interface: true,
            interface_name: "eth0",
            comments: &[],
        };
        d.dissect(&meta, frame, &mut tree);
        let v = tree.view(frame);
        let mut s = String::new();
        for item in v.items {
            pcaptk_dissect::tree::render_field(&v, item, &mut s);
        }
    }
});
