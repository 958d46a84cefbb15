//! IPsec Encapsulating Security Payload (encrypted: SPI and sequence only).
crate::declare_fields! {
    after = super::ah::END;
    PROTO = "esp", "Encapsulating Security Payload", Protocol, None;
    SPI = "esp.spi", "ESP SPI", U32, HexDec;
    SEQUENCE = "esp.sequence", "ESP Sequence", U32, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "esp", b.span_to(off, end));
    if let (Some(spi), Some(seq)) = (b.be32(off), b.be32(off + 4)) {
        cx.u(SPI, spi, b.span(off, 4));
        cx.u(SEQUENCE, seq, b.span(off + 4, 4));
    }
}
