//! IEEE C37.118 synchrophasor frames (UDP port 4713, TCP port 4712): the common header
//! (sync word with frame type and version, frame size, ID code, second of century, time
//! quality and fraction of second) and the trailing CRC. The frame bodies (configuration,
//! data, command) are not dissected. tshark takes a frame of 17 bytes or more starting with
//! 0xAA; over TCP the frames are reassembled by their size field, each an item of its own.
crate::declare_fields! {
    after = super::ldp::END;
    PROTO = "synphasor", "IEEE C37.118 Synchrophasor Protocol", Protocol, None;
    SYNC = "synphasor.sync", "Synchronization word", U16, Hex;
    FRTYPE = "synphasor.frtype", "Frame Type", U16, Hex, mask = 0x70, vals = FRAME_TYPES;
    VERSION = "synphasor.version", "Version", U16, Dec, mask = 0xf, vals = VERSIONS;
    FRSIZE = "synphasor.frsize", "Framesize", U16, Dec;
    IDCODE = "synphasor.idcode_stream_source", "PMU/DC ID number (Stream source ID)", U16, Dec;
    SOC = "synphasor.soc", "SOC time stamp", AbsTime, None;
    LSDIR = "synphasor.timeqal.lsdir", "Leap second direction", Boolean, None, mask = 0x40, tfs = ("Add", "Delete");
    LSOCC = "synphasor.timeqal.lsocc", "Leap second occurred", Boolean, None, mask = 0x20;
    LSPEND = "synphasor.timeqal.lspend", "Leap second pending", Boolean, None, mask = 0x10;
    TIMEQUAL = "synphasor.timeqal.timequalindic", "Message Time Quality indicator code", U8, Hex, mask = 0xf;
    FRACSEC_RAW = "synphasor.fracsec_raw", "Fraction of second (raw)", U24, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

static FRAME_TYPES: &[(u64, &str)] = &[
    (0, "Data Frame"),
    (1, "Header Frame"),
    (2, "Configuration Frame 1"),
    (3, "Configuration Frame 2"),
    (4, "Command Frame"),
    (5, "Configuration Frame 3"),
];

static VERSIONS: &[(u64, &str)] = &[(1, "Defined in IEEE Std C37.118-2005"), (2, "Added in IEEE Std C37.118.2-2011")];

/// The shortest frame tshark accepts (a header frame with an empty text).
const MIN_LEN: usize = 17;

/// Whether a frame `d` (its whole length `len`) is one tshark takes.
pub fn accepts(d: &[u8], len: usize) -> bool {
    len >= MIN_LEN && d.first() == Some(&0xaa)
}

/// A UDP datagram `off..end`; false when it is not a frame (tshark then shows data).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> bool {
    let d = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    if !accepts(d, end - off) {
        return false;
    }
    cx.proto(PROTO, "synphasor", b.span_to(off, end));
    frame(cx, b, off, end);
    true
}

/// A TCP payload `off..end`: frames reassembled by their size field; one tshark rejects
/// shows nothing.
pub fn dissect_tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let mut first = true;
    crate::reasm::pdus(
        cx,
        b,
        off,
        end,
        4,
        |d| u16::from_be_bytes([d[2], d[3]]) as usize,
        |cx, b, o, e| {
            let d = b.data.get(o..e.min(b.len())).unwrap_or(&[]);
            if !accepts(d, e - o) {
                return;
            }
            let sp = b.span_to(o, e);
            if first {
                cx.proto(PROTO, "synphasor", sp);
                first = false;
            } else {
                cx.push_name("+synphasor");
                cx.add(PROTO, Value::None, sp);
            }
            frame(cx, b, o, e);
        },
    )
}

/// The common header of a frame `off..end`.
fn frame(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let (Some(sync), Some(size), Some(id), Some(soc), Some(fracsec)) =
        (b.be16(off), b.be16(off + 2), b.be16(off + 4), b.be32(off + 6), b.be32(off + 10))
    else {
        return cx.bounds_error(off + 14, end);
    };
    let r = b.span(off, 2);
    cx.u(SYNC, sync, r);
    cx.u(FRTYPE, (sync >> 4) & 7, r);
    cx.u(VERSION, sync & 0xf, r);
    cx.u(FRSIZE, size, b.span(off + 2, 2));
    cx.u(IDCODE, id, b.span(off + 4, 2));
    cx.add(SOC, Value::Time(soc as i64 * 1_000_000_000), b.span(off + 6, 4));
    let q = (fracsec >> 24) as u8;
    let rq = b.span(off + 10, 1);
    cx.flag(LSDIR, q & 0x40 != 0, rq);
    cx.flag(LSOCC, q & 0x20 != 0, rq);
    cx.flag(LSPEND, q & 0x10 != 0, rq);
    cx.u(TIMEQUAL, q & 0xf, rq);
    cx.u(FRACSEC_RAW, fracsec & 0xff_ffff, b.span(off + 11, 3));
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn frames_tshark_takes() {
        let cmd = [0xaa, 0x41, 0, 18, 0, 100, 0x65, 0x53, 0xf0, 0x43, 0, 0, 0, 0, 0, 5, 0xf8, 0x91];
        assert!(accepts(&cmd, cmd.len()));
        assert!(!accepts(&cmd[..16], 16));
        let mut other = cmd;
        other[0] = 0xab;
        assert!(!accepts(&other, other.len()));
        assert!(!accepts(&[], 20));
    }
}
