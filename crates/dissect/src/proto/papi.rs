//! Aruba's PAPI (UDP port 8211): a 44-byte header starting with the magic 0x4972; what
//! follows it is data. A datagram without the magic is not PAPI.
crate::declare_fields! {
    after = super::ptp::END;
    PROTO = "papi", "Aruba PAPI", Protocol, None;
    MAGIC = "papi.hdr.magic", "Magic", U16, Hex;
    VERSION = "papi.hdr.version", "Version", U16, Dec;
    DEST_IP = "papi.hdr.dest.ip", "Destination IP", Ipv4, None;
    SRC_IP = "papi.hdr.src.ip", "Source IP", Ipv4, None;
    NAT_PORT = "papi.hdr.nat_port_number", "NAT Port Number", U16, Dec;
    GARBAGE = "papi.hdr.garbage", "Garbage", U16, Dec;
    DEST_PORT = "papi.hdr.dest.port", "Destination Port", U16, Dec;
    SRC_PORT = "papi.hdr.src.port", "Source Port", U16, Dec;
    PACKET_TYPE = "papi.hdr.packet.type", "Packet Type", U16, Oct;
    PACKET_SIZE = "papi.hdr.packet.size", "Packet Size", U16, Dec;
    SEQ_NUMBER = "papi.hdr.seq_number", "Sequence Number", U16, Dec;
    MESSAGE_CODE = "papi.hdr.message_code", "Message Code", U16, Dec;
    CHECKSUM = "papi.hdr.checksum", "Checksum", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

const HEADER: usize = 44;

/// True when the datagram at `off` starts with PAPI's magic.
pub fn looks_like(b: Bytes, off: usize) -> bool {
    b.be16(off) == Some(0x4972)
}

/// A PAPI datagram in `off..end` (`looks_like` holds).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "papi", b.span_to(off, end));
    let u16s = [(MAGIC, 0), (VERSION, 2)];
    for (f, o) in u16s {
        if let Some(v) = b.be16(off + o) {
            cx.u(f, v, b.span(off + o, 2));
        }
    }
    for (f, o) in [(DEST_IP, 4), (SRC_IP, 8)] {
        if let Some(a) = b.arr::<4>(off + o) {
            cx.add(f, Value::Ipv4(a), b.span(off + o, 4));
        }
    }
    let rest = [
        (NAT_PORT, 12),
        (GARBAGE, 14),
        (DEST_PORT, 16),
        (SRC_PORT, 18),
        (PACKET_TYPE, 20),
        (PACKET_SIZE, 22),
        (SEQ_NUMBER, 24),
        (MESSAGE_CODE, 26),
    ];
    for (f, o) in rest {
        if let Some(v) = b.be16(off + o) {
            cx.u(f, v, b.span(off + o, 2));
        }
    }
    if b.len() >= off + HEADER {
        cx.add(CHECKSUM, Value::Bytes(b.span(off + 28, 16)), b.span(off + 28, 16));
    }
    if off + HEADER < end.min(b.len()) {
        crate::proto::data::dissect(cx, b, off + HEADER, end);
    }
}
