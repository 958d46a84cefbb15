//! Radiotap (LINKTYPE 127): the header is skipped to the 802.11 frame, honouring the
//! "FCS at end" flag; tshark shows a `wlan_radio` pseudo-layer after it.
crate::declare_fields! {
    after = super::data::END;
    PROTO = "radiotap", "Radiotap Header", Protocol, None;
    VERSION = "radiotap.version", "Header revision", U8, Dec;
    PAD = "radiotap.pad", "Header pad", U8, Dec;
    LENGTH = "radiotap.length", "Header length", U16, Dec;
    FLAGS = "radiotap.flags", "Flags", U8, Hex;
    FLAGS_FCS = "radiotap.flags.fcs", "FCS at end", Boolean, None, mask = 0x10;
    WLAN_RADIO = "wlan_radio", "802.11 radio information", Protocol, None;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes) {
    let Some(len) = b.le16(2) else {
        cx.proto(PROTO, "radiotap", b.span_to(0, b.len()));
        return;
    };
    let len = len as usize;
    cx.proto(PROTO, "radiotap", b.span_to(0, len));
    cx.u(VERSION, b.u8(0).unwrap_or(0), b.span(0, 1));
    cx.u(PAD, b.u8(1).unwrap_or(0), b.span(1, 1));
    cx.u(LENGTH, len as u64, b.span(2, 2));
    // Walk the chain of presence words; field data starts after the last one.
    let mut p = 4;
    let Some(present) = b.le32(4) else { return };
    let mut word = present;
    while word & 0x8000_0000 != 0 && p + 4 < len {
        p += 4;
        word = b.le32(p).unwrap_or(0);
    }
    let mut q = p + 4;
    let mut fcs = false;
    if present & 1 != 0 {
        q = q.next_multiple_of(8) + 8;
    }
    if present & 2 != 0 {
        if let Some(f) = b.u8(q) {
            cx.u(FLAGS, f, b.span(q, 1));
            cx.flag(FLAGS_FCS, f & 0x10 != 0, b.span(q, 1));
            fcs = f & 0x10 != 0;
        }
    }
    cx.proto(WLAN_RADIO, "wlan_radio", b.span_to(len, b.len()));
    if len <= b.len() {
        crate::proto::wlan::dissect(cx, b, len, fcs);
    }
}
