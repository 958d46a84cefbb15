//! NTP (UDP port 123): the flags byte (leap indicator, version, mode) and, for the time
//! messages (modes 1 to 5), stratum, poll interval, precision and reference ID.
crate::declare_fields! {
    after = super::gvrp::END;
    PROTO = "ntp", "Network Time Protocol", Protocol, None;
    FLAGS = "ntp.flags", "Flags", U8, Hex;
    FLAGS_LI = "ntp.flags.li", "Leap Indicator", U8, Dec, mask = 0xc0;
    FLAGS_VN = "ntp.flags.vn", "Version number", U8, Dec, mask = 0x38;
    FLAGS_MODE = "ntp.flags.mode", "Mode", U8, Dec, mask = 0x07;
    STRATUM = "ntp.stratum", "Peer Clock Stratum", U8, Dec;
    PPOLL = "ntp.ppoll", "Peer Polling Interval", U8, Dec;
    PRECISION = "ntp.precision", "Peer Clock Precision", U8, Dec;
    REFID = "ntp.refid", "Reference ID", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "ntp", b.span_to(off, end));
    let Some(flags) = b.u8(off) else { return };
    let sp = b.span(off, 1);
    cx.u(FLAGS, flags, sp);
    cx.u(FLAGS_LI, flags >> 6, sp);
    cx.u(FLAGS_VN, (flags >> 3) & 7, sp);
    cx.u(FLAGS_MODE, flags & 7, sp);
    if !matches!(flags & 7, 1..=5) {
        return;
    }
    let (Some(stratum), Some(ppoll), Some(prec)) = (b.u8(off + 1), b.u8(off + 2), b.u8(off + 3)) else { return };
    cx.u(STRATUM, stratum, b.span(off + 1, 1));
    cx.u(PPOLL, ppoll, b.span(off + 2, 1));
    cx.u(PRECISION, prec, b.span(off + 3, 1));
    if b.arr::<4>(off + 12).is_some() {
        let sp = b.span(off + 12, 4);
        cx.add(REFID, Value::Bytes(sp), sp);
    }
}
