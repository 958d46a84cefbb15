//! MQTT (port 1883): the fixed header of every control packet (type and flags, then the
//! remaining length as a variable-length integer), several packets per segment and packets
//! spanning segments reassembled as tshark's `tcp_dissect_pdus` does. One `mqtt` layer per
//! call, however many packets it holds.
crate::declare_fields! {
    after = super::nbdgm::END;
    PROTO = "mqtt", "MQ Telemetry Transport Protocol", Protocol, None;
    HDRFLAGS = "mqtt.hdrflags", "Header Flags", U8, Hex;
    MSGTYPE = "mqtt.msgtype", "Message Type", U8, Dec, mask = 0xf0, vals = MSGTYPE_VALS;
    DUPFLAG = "mqtt.dupflag", "DUP Flag", Boolean, None, mask = 0x08;
    QOS = "mqtt.qos", "QoS Level", U8, Dec, mask = 0x06;
    RETAIN = "mqtt.retain", "Retain", Boolean, None, mask = 0x01;
    LEN = "mqtt.len", "Msg Len", U64, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::tree::Value;

pub static MSGTYPE_VALS: &[(u64, &str)] = &[
    (1, "Connect Command"),
    (2, "Connect Ack"),
    (3, "Publish Message"),
    (4, "Publish Ack"),
    (5, "Publish Received"),
    (6, "Publish Release"),
    (7, "Publish Complete"),
    (8, "Subscribe Request"),
    (9, "Subscribe Ack"),
    (10, "Unsubscribe Request"),
    (11, "Unsubscribe Ack"),
    (12, "Ping Request"),
    (13, "Ping Response"),
    (14, "Disconnect Req"),
    (15, "Authentication Exchange"),
];

/// The remaining-length integer at the start of `d`: (value, bytes it takes), `None` while
/// its last byte has not arrived. At most four bytes are read (the spec's limit).
fn remaining_length(d: &[u8]) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for (i, &c) in d.iter().enumerate().take(4) {
        v |= ((c & 0x7f) as u64) << (7 * i);
        if c & 0x80 == 0 || i == 3 {
            return Some((v, i + 1));
        }
    }
    None
}

/// MQTT packets in `off..end` of a TCP payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let start = off;
    let mut off = off;
    let mut first = true;
    while off < end {
        let cap_end = b.len().min(end);
        let d = b.data.get(off..cap_end).unwrap_or(&[]);
        let Some((len, n)) = d.get(1..).and_then(remaining_length) else {
            return Deseg::new(off - start, Need::OneMoreSegment);
        };
        let plen = 1 + n as u64 + len;
        if (d.len() as u64) < plen {
            if plen > crate::reasm::MAX_PDU as u64 {
                return None;
            }
            return Deseg::new(off - start, Need::Bytes((plen - d.len() as u64) as u32));
        }
        let pend = off + plen as usize;
        let sp = b.span_to(off, pend);
        if first {
            cx.proto(PROTO, "mqtt", sp);
            first = false;
        } else {
            cx.push_name(crate::dissector::repeat("mqtt"));
            cx.add(PROTO, Value::None, sp);
        }
        let h = d[0];
        let r = b.span(off, 1);
        cx.u(HDRFLAGS, h, r);
        cx.u(MSGTYPE, h >> 4, r);
        // PUBLISH shows its three flags; PUBREL, SUBSCRIBE and UNSUBSCRIBE (whose flags
        // are fixed at QoS 1) DUP and QoS.
        match h >> 4 {
            3 => {
                cx.flag(DUPFLAG, h & 0x08 != 0, r);
                cx.u(QOS, (h >> 1) & 3, r);
                cx.flag(RETAIN, h & 1 != 0, r);
            }
            6 | 8 | 10 => {
                cx.flag(DUPFLAG, h & 0x08 != 0, r);
                cx.u(QOS, (h >> 1) & 3, r);
            }
            _ => {}
        }
        cx.u(LEN, len, b.span(off + 1, n));
        off = pend;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::remaining_length;

    #[test]
    fn remaining_length_varint() {
        // The spec's examples: 0, 127, 128, 16383, 16384, 268435455.
        assert_eq!(remaining_length(&[0x00]), Some((0, 1)));
        assert_eq!(remaining_length(&[0x7f]), Some((127, 1)));
        assert_eq!(remaining_length(&[0x80, 0x01]), Some((128, 2)));
        assert_eq!(remaining_length(&[0xff, 0x7f]), Some((16383, 2)));
        assert_eq!(remaining_length(&[0x80, 0x80, 0x01]), Some((16384, 3)));
        assert_eq!(remaining_length(&[0xff, 0xff, 0xff, 0x7f]), Some((268435455, 4)));
        assert_eq!(remaining_length(&[0x80]), None);
        assert_eq!(remaining_length(&[]), None);
    }
}
