//! BIND 9's lightweight resolver protocol (UDP port 921): the 28-byte packet header. tshark
//! reads the whole header before it adds its item, so a shorter payload gives only the
//! exception.
crate::declare_fields! {
    after = super::olsr::END;
    PROTO = "lwres", "Light Weight DNS RESolver (BIND9)", Protocol, None;
    LENGTH = "lwres.length", "Length", U32, Dec;
    VERSION = "lwres.version", "Version", U16, Dec;
    FLAGS = "lwres.flags", "Packet Flags", U16, Hex;
    SERIAL = "lwres.serial", "Serial", U32, Hex;
    OPCODE = "lwres.opcode", "Operation code", U32, Dec;
    RESULT = "lwres.result", "Result", U32, Dec;
    RECVLEN = "lwres.recvlen", "Received length", U32, Dec;
    AUTHTYPE = "lwres.authtype", "Auth. type", U16, Dec;
    AUTHLEN = "lwres.authlen", "Auth. length", U16, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    if b.len() < off + 28 {
        cx.bounds_error(off + 28, end);
        return;
    }
    cx.proto(PROTO, "lwres", b.span_to(off, end));
    let (w, h) = (|o: usize| b.be32(off + o).unwrap_or(0), |o: usize| b.be16(off + o).unwrap_or(0));
    cx.u(LENGTH, w(0), b.span(off, 4));
    cx.u(VERSION, h(4), b.span(off + 4, 2));
    cx.u(FLAGS, h(6), b.span(off + 6, 2));
    cx.u(SERIAL, w(8), b.span(off + 8, 4));
    cx.u(OPCODE, w(12), b.span(off + 12, 4));
    cx.u(RESULT, w(16), b.span(off + 16, 4));
    cx.u(RECVLEN, w(20), b.span(off + 20, 4));
    cx.u(AUTHTYPE, h(24), b.span(off + 24, 2));
    cx.u(AUTHLEN, h(26), b.span(off + 26, 2));
}
