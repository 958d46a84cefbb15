//! What the conversation targets share: a dissector wanting every field and keeping export
//! objects of every protocol, and one Ethernet frame dissected with every item rendered.
#![allow(dead_code)]

use pcaptk_dissect::{field, Dissector, FieldId, FrameMeta, Tree};

/// A dissector wanting every field; export objects of every protocol are recorded too
/// (HTTP bodies, SMB2 pieces, FTP-DATA, IMF, TFTP), with a small cap so decompression and
/// buffers are exercised at their limits.
pub fn every_field() -> Dissector {
    let mut d = Dissector::new((0..field::count()).map(|i| FieldId(i as u16)));
    let mut all = pcaptk_dissect::export::Protocols::default();
    for p in pcaptk_dissect::export::Proto::ALL {
        all.insert(p);
    }
    d.export(all, 1 << 16);
    d
}

/// Dissects Ethernet frame `number` (1 ms apart) and renders every item of its tree.
pub fn feed(d: &mut Dissector, tree: &mut Tree, number: u32, frame: &[u8]) {
    let meta = FrameMeta {
        number,
        ts_ns: number as i64 * 1000,
        ts_sec: 0,
        ts_nsec: number * 1000,
        len: frame.len() as u32,
        linktype: 1,
        interface_id: 0,
        has_interface: false,
        interface_name: "",
        comments: &[],
    };
    d.dissect(&meta, frame, tree);
    let v = tree.view(frame);
    let mut s = String::new();
    for item in v.items {
        pcaptk_dissect::tree::render_field(&v, item, &mut s);
    }
}
