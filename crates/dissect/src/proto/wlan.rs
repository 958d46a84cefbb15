//! IEEE 802.11 MAC header: frame control, addresses by To/From-DS, then LLC for data frames.
crate::declare_fields! {
    after = super::radiotap::END;
    PROTO = "wlan", "IEEE 802.11 wireless LAN", Protocol, None;
    FC_TYPE_SUBTYPE = "wlan.fc.type_subtype", "Type/Subtype", U16, Hex;
    FC = "wlan.fc", "Frame Control Field", U16, Hex;
    FC_TYPE = "wlan.fc.type", "Type", U8, Dec, mask = 0x0c;
    FC_SUBTYPE = "wlan.fc.subtype", "Subtype", U8, Dec, mask = 0xf0;
    FLAGS = "wlan.flags", "Flags", U8, Hex;
    FC_DS = "wlan.fc.ds", "DS status", U8, Hex, mask = 0x03;
    FC_PROTECTED = "wlan.fc.protected", "Protected flag", Boolean, None, mask = 0x40;
    DURATION = "wlan.duration", "Duration", U16, Dec;
    RA = "wlan.ra", "Receiver address", Ether, None;
    DA = "wlan.da", "Destination address", Ether, None;
    TA = "wlan.ta", "Transmitter address", Ether, None;
    SA = "wlan.sa", "Source address", Ether, None;
    BSSID = "wlan.bssid", "BSS Id", Ether, None;
    ADDR = "wlan.addr", "Hardware address", Ether, None;
    FRAG = "wlan.frag", "Fragment number", U16, Dec, mask = 0x000f;
    SEQ = "wlan.seq", "Sequence number", U16, Dec, mask = 0xfff0;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, fcs: bool) {
    let end = if fcs { b.len().saturating_sub(4).max(off) } else { b.len() };
    let b = b.until(if fcs { b.reported.saturating_sub(4).max(off) } else { b.reported });
    cx.proto(PROTO, "wlan", b.span_to(off, end));
    let (Some(fc0), Some(fc1)) = (b.u8(off), b.u8(off + 1)) else { return };
    let ftype = (fc0 >> 2) & 3;
    let subtype = fc0 >> 4;
    let ts = ((ftype as u16) << 4) | subtype as u16;
    let rfc = b.span(off, 2);
    cx.u(FC_TYPE_SUBTYPE, if ftype == 1 && subtype == 6 { 0x16 } else { ts }, rfc);
    cx.u(FC, u16::from_be_bytes([fc0, fc1]), rfc);
    cx.u(FC_TYPE, ftype, b.span(off, 1));
    cx.u(FC_SUBTYPE, subtype, b.span(off, 1));
    cx.u(FLAGS, fc1, b.span(off + 1, 1));
    cx.u(FC_DS, fc1 & 3, b.span(off + 1, 1));
    cx.flag(FC_PROTECTED, fc1 & 0x40 != 0, b.span(off + 1, 1));
    let Some(dur) = b.le16(off + 2) else { return };
    cx.u(DURATION, dur, b.span(off + 2, 2));
    let a = |i: usize| b.arr::<6>(off + 4 + 6 * i);
    let ds = fc1 & 3;
    let emit = |cx: &mut Cx, id, m: Option<[u8; 6]>, i: usize| {
        if let Some(m) = m {
            let r = b.span(off + 4 + 6 * i, 6);
            cx.add(id, Value::Ether(m), r);
            cx.add(ADDR, Value::Ether(m), r);
        }
    };
    match ftype {
        0 => {
            emit(cx, DA, a(0), 0);
            emit(cx, SA, a(1), 1);
            emit(cx, BSSID, a(2), 2);
        }
        2 => {
            let (da, sa, bssid) = match ds {
                0 => (0, 1, 2),
                1 => (2, 1, 0),
                2 => (0, 2, 1),
                _ => (2, 3, 9),
            };
            emit(cx, RA, a(0), 0);
            emit(cx, TA, a(1), 1);
            if bssid != 9 {
                emit(cx, BSSID, a(bssid), bssid);
            }
            emit(cx, DA, a(da), da);
            if sa < 3 {
                emit(cx, SA, a(sa), sa);
            }
        }
        _ => {
            emit(cx, RA, a(0), 0);
            if !matches!(subtype, 12 | 13) {
                emit(cx, TA, a(1), 1);
            }
            return;
        }
    }
    let Some(sc) = b.le16(off + 22) else {
        if ftype == 0 {
            // A management header cut short: tshark's exception comes before its body's item.
            cx.bounds_error(off + 24, b.reported);
        }
        return;
    };
    cx.u(FRAG, sc & 0xf, b.span(off + 22, 2));
    cx.u(SEQ, sc >> 4, b.span(off + 22, 2));
    if ftype == 0 && fc1 & 0x40 == 0 && b.len() < b.reported {
        mgmt_cut_short(cx, b, off + 24, subtype);
    }
    if ftype != 2 || subtype & 0x4 != 0 {
        return;
    }
    let mut hl = 24;
    if ds == 3 {
        if let Some(m) = a(3) {
            let r = b.span(off + 24, 6);
            cx.add(SA, Value::Ether(m), r);
            cx.add(ADDR, Value::Ether(m), r);
        }
        hl += 6;
    }
    if subtype & 0x8 != 0 {
        hl += 2;
        if fc1 & 0x80 != 0 {
            hl += 4;
        }
    }
    if fc1 & 0x40 != 0 {
        // Protected (no keys): the payload after the WEP IV or TKIP/CCMP header is data.
        let Some(key_id) = b.u8(off + hl + 3) else { return };
        let iv = if key_id & 0x20 != 0 { 8 } else { 4 };
        if off + hl + iv < end {
            crate::proto::data::dissect(cx, b, off + hl + iv, end);
        }
        return;
    }
    if off + hl < end {
        crate::proto::llc::dissect(cx, b, off + hl, end);
    }
}

/// A management frame cut short by the snapshot length: tshark's exception when the fixed
/// parameters or a tagged parameter (within the frame on the wire) run past the captured
/// bytes. Only the frame subtypes whose body is fixed parameters and tags.
fn mgmt_cut_short(cx: &mut Cx, b: Bytes, body: usize, subtype: u8) {
    let fixed = match subtype {
        0 => 4,
        1 | 3 => 6,
        2 => 10,
        4 => 0,
        5 | 8 => 12,
        _ => return,
    };
    let mut p = body + fixed;
    if p > b.len() {
        return cx.bounds_error(p, b.reported);
    }
    while p < b.reported {
        let Some(len) = b.u8(p + 1) else { return cx.bounds_error(p + 2, b.reported) };
        let next = p + 2 + len as usize;
        if next > b.reported {
            // Longer than the frame: an expert note, no exception.
            return;
        }
        if next > b.len() {
            return cx.bounds_error(next, b.reported);
        }
        p = next;
    }
}
