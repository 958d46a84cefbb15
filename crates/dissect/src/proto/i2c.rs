//! I2C with the Linux pseudo-header (LINKTYPE_I2C_LINUX, 209). The capture reader strips the
//! pseudo-header; a frame without bytes is an event, one with bytes a message to the
//! target whose address is in the first byte's upper seven bits, all shown as `data`.
crate::declare_fields! {
    after = super::usb::END;
    PROTO = "i2c", "Inter-Integrated Circuit", Protocol, None;
    ADDR = "i2c.addr", "Target address", U8, Hex;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes) {
    // An event has no bytes: tshark shows its item but names no layer in frame.protocols.
    let Some(a) = b.u8(0) else {
        cx.proto(PROTO, "~i2c", b.span_to(0, 0));
        return;
    };
    cx.proto(PROTO, "i2c", b.span_to(0, b.len()));
    cx.u(ADDR, a >> 1, b.span(0, 1));
    crate::proto::data::dissect(cx, b, 0, b.len());
}
