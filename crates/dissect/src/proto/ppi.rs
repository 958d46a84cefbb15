//! Per-Packet Information header (LINKTYPE 192), usually in front of 802.11 frames.
crate::declare_fields! {
    after = super::ieee8021ah::END;
    PROTO = "ppi", "PPI Packet Header", Protocol, None;
    VERSION = "ppi.version", "Version", U8, Dec;
    FLAGS = "ppi.flags", "Flags", U8, Hex;
    LENGTH = "ppi.length", "Header length", U16, Dec;
    DLT = "ppi.dlt", "DLT", U32, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes) {
    let Some(len) = b.le16(2) else {
        cx.proto(PROTO, "ppi", b.span_to(0, b.reported));
        return;
    };
    let len = len as usize;
    cx.proto(PROTO, "ppi", b.span_to(0, len));
    let (Some(v), Some(f), Some(dlt)) = (b.u8(0), b.u8(1), b.le32(4)) else { return };
    cx.u(VERSION, v, b.span(0, 1));
    cx.u(FLAGS, f, b.span(1, 1));
    cx.u(LENGTH, len as u64, b.span(2, 2));
    cx.u(DLT, dlt, b.span(4, 4));
    if len < 8 || len > b.len() {
        return;
    }
    if dlt == 105 {
        cx.proto(crate::proto::radiotap::WLAN_RADIO, "wlan_radio", b.span_to(len, b.reported));
        crate::proto::wlan::dissect(cx, b, len, false);
    } else if dlt != 192 {
        // The payload under its own link type (offsets stay those of the frame).
        crate::dissector::link_at(cx, b, len, dlt);
    }
}
