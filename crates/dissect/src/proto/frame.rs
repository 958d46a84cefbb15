//! The frame pseudo-protocol: capture metadata.
crate::declare_fields! {
    after = 0;
    PROTO = "frame", "Frame", Protocol, None;
    INTERFACE_ID = "frame.interface_id", "Interface id", U32, Dec;
    INTERFACE_NAME = "frame.interface_name", "Interface name", String, None;
    COMMENT = "frame.comment", "Comment", String, None;
    ENCAP_TYPE = "frame.encap_type", "Encapsulation type", I16, Dec;
    TIME = "frame.time", "Arrival Time", AbsTime, None;
    OFFSET_SHIFT = "frame.offset_shift", "Time shift for this packet", RelTime, None;
    TIME_EPOCH = "frame.time_epoch", "Epoch Time", RelTime, None;
    TIME_DELTA = "frame.time_delta", "Time delta from previous captured frame", RelTime, None;
    TIME_DELTA_DISPLAYED = "frame.time_delta_displayed", "Time delta from previous displayed frame", RelTime, None;
    TIME_RELATIVE = "frame.time_relative", "Time since reference or first frame", RelTime, None;
    NUMBER = "frame.number", "Frame Number", U32, Dec;
    LEN = "frame.len", "Frame Length", U32, Dec;
    CAP_LEN = "frame.cap_len", "Capture Length", U32, Dec;
    MARKED = "frame.marked", "Frame is marked", Boolean, None;
    IGNORED = "frame.ignored", "Frame is ignored", Boolean, None;
    PROTOCOLS = "frame.protocols", "Protocols in frame", String, None;
}

use crate::cx::Cx;
use crate::tree::{Span, Value};

/// Wireshark's WTAP_ENCAP number for a LINKTYPE (what `frame.encap_type` shows).
pub fn wtap_encap(linktype: u32) -> i64 {
    match linktype {
        0 => 15,
        1 => 1,
        9 => 4,
        12 | 14 | 101 => 7,
        50 => 19,
        51 => 79,
        105 => 20,
        108 => 15,
        113 => 25,
        127 => 23,
        228 => 129,
        229 => 130,
        276 => 210,
        _ => -1,
    }
}

/// The frame pseudo-protocol: numbering, times, lengths, comments.
pub fn dissect(cx: &mut Cx, data: &[u8]) {
    let m = *cx.meta;
    let all = Span::new(crate::tree::Buf::Frame, 0, data.len());
    let ts = m.ts_ns;
    let first = *cx.st.first_ts.get_or_insert(ts);
    let prev = cx.st.prev_ts.replace(ts).unwrap_or(ts);
    let prev_disp = cx.st.prev_displayed_ts.unwrap_or(ts);
    cx.proto(PROTO, "frame", all);
    // `frame.protocols` starts below the frame itself.
    cx.st.protos.clear();
    cx.label(PROTO, || {
        let (len, cap) = (m.len as u64, data.len() as u64);
        let mut l = format!("Frame {}: {} bytes on wire ({} bits), {} bytes captured ({} bits)", m.number, len, len * 8, cap, cap * 8);
        if m.has_interface {
            l.push_str(&format!(" on interface {}, id {}", m.interface_name, m.interface_id));
        }
        l
    });
    if !cx.wants_any(INTERFACE_ID, END) {
        return;
    }
    for c in m.comments {
        cx.add_str(COMMENT, c, Span::EMPTY);
    }
    if m.has_interface {
        cx.u(INTERFACE_ID, m.interface_id, Span::EMPTY);
        if !m.interface_name.is_empty() {
            cx.add_str(INTERFACE_NAME, m.interface_name, Span::EMPTY);
        }
    }
    cx.add(ENCAP_TYPE, Value::I(wtap_encap(m.linktype)), Span::EMPTY);
    cx.add(TIME, Value::Time(ts), Span::EMPTY);
    cx.add(OFFSET_SHIFT, Value::Time(0), Span::EMPTY);
    if m.ts_nsec >= 1_000_000_000 {
        cx.add_str(TIME_EPOCH, &format!("{}.{:09}", m.ts_sec, m.ts_nsec), Span::EMPTY);
    } else {
        cx.add(TIME_EPOCH, Value::Time(ts), Span::EMPTY);
    }
    cx.add(TIME_DELTA, Value::Time(ts - prev), Span::EMPTY);
    cx.add(TIME_DELTA_DISPLAYED, Value::Time(ts - prev_disp), Span::EMPTY);
    cx.add(TIME_RELATIVE, Value::Time(ts - first), Span::EMPTY);
    cx.u(NUMBER, m.number, Span::EMPTY);
    cx.u(LEN, m.len, Span::EMPTY);
    cx.u(CAP_LEN, data.len() as u32, Span::EMPTY);
    cx.flag(MARKED, false, Span::EMPTY);
    cx.flag(IGNORED, false, Span::EMPTY);
}
