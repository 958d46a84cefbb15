//! ISAKMP / IKE (UDP port 500, and after UDP encapsulation's non-ESP marker on port 4500):
//! the 28-byte header. tshark rejects a datagram shorter than the header.
crate::declare_fields! {
    after = super::sbus::END;
    PROTO = "isakmp", "Internet Security Association and Key Management Protocol", Protocol, None;
    ISPI = "isakmp.ispi", "Initiator SPI", Bytes, None;
    RSPI = "isakmp.rspi", "Responder SPI", Bytes, None;
    NEXTPAYLOAD = "isakmp.nextpayload", "Next payload", U8, Dec;
    VERSION = "isakmp.version", "Version", U8, Hex;
    EXCHANGETYPE = "isakmp.exchangetype", "Exchange type", U8, Dec;
    FLAGS = "isakmp.flags", "Flags", U8, Hex;
    MESSAGEID = "isakmp.messageid", "Message ID", U32, Hex;
    LENGTH = "isakmp.length", "Length", U32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// The header's size: a shorter (reported) message is not ISAKMP's.
pub const HDR_LEN: usize = 28;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "isakmp", b.span_to(off, end));
    if b.len() < off + HDR_LEN {
        cx.bounds_error(off + HDR_LEN, end);
        return;
    }
    let (i, r) = (b.span(off, 8), b.span(off + 8, 8));
    cx.add(ISPI, Value::Bytes(i), i);
    cx.add(RSPI, Value::Bytes(r), r);
    let u = |o: usize| b.u8(off + o).unwrap_or(0);
    cx.u(NEXTPAYLOAD, u(16), b.span(off + 16, 1));
    cx.u(VERSION, u(17), b.span(off + 17, 1));
    cx.u(EXCHANGETYPE, u(18), b.span(off + 18, 1));
    cx.u(FLAGS, u(19), b.span(off + 19, 1));
    cx.u(MESSAGEID, b.be32(off + 20).unwrap_or(0), b.span(off + 20, 4));
    cx.u(LENGTH, b.be32(off + 24).unwrap_or(0), b.span(off + 24, 4));
}
