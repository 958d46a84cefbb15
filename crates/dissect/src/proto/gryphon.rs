//! DG Gryphon (TCP port 7000): messages with an 8-byte header (source, source channel,
//! destination, destination channel, 16-bit data length, frame type, reserved) whose data
//! is padded to a multiple of four bytes; several per segment, spanning segments
//! reassembled.
crate::declare_fields! {
    after = super::tpm::END;
    PROTO = "gryphon", "DG Gryphon Protocol", Protocol, None;
    SRC = "gryphon.src", "Source", U8, Hex, vals = ENDPOINTS;
    DEST = "gryphon.dest", "Destination", U8, Hex, vals = ENDPOINTS;
    DATA_LENGTH = "gryphon.data_length", "Data length (bytes)", U16, Dec;
    TYPE = "gryphon.type", "Frame type", U8, Dec, vals = FRAME_TYPES;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;

/// The endpoint names of the messages seen so far (tshark knows more).
static ENDPOINTS: &[(u64, &str)] = &[(0x02, "Server"), (0x03, "Client"), (0x26, "Message Responder")];

static FRAME_TYPES: &[(u64, &str)] = &[
    (1, "Command request"),
    (2, "Command response"),
    (3, "Network (vehicle) data"),
    (4, "Event"),
    (5, "Miscellaneous"),
    (6, "Text string"),
];

const HEADER: usize = 8;

/// The whole length of the message whose header starts `h`: the data length rounded up to
/// four bytes, plus the header.
pub fn pdu_len(h: &[u8]) -> usize {
    let plen = u16::from_be_bytes([h[4], h[5]]) as usize;
    plen + 3 - (plen + 3) % 4 + HEADER
}

/// Messages in `off..end` of a TCP payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    crate::proto::apps::pdu_items(cx, b, off, end, HEADER, pdu_len, (PROTO, "gryphon", "+gryphon"), |cx, b, o, _| {
        if let (Some(src), Some(dst), Some(len), Some(t)) = (b.u8(o), b.u8(o + 2), b.be16(o + 4), b.u8(o + 6)) {
            cx.u(SRC, src, b.span(o, 1));
            cx.u(DEST, dst, b.span(o + 2, 1));
            cx.u(DATA_LENGTH, len, b.span(o + 4, 2));
            cx.u(TYPE, t & 0x07, b.span(o + 6, 1));
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn padded_length() {
        assert_eq!(super::pdu_len(&[3, 0, 2, 0, 0, 52, 1, 0]), 60);
        assert_eq!(super::pdu_len(&[3, 0, 2, 0, 0, 5, 1, 0]), 16);
        assert_eq!(super::pdu_len(&[3, 0, 2, 0, 0, 0, 1, 0]), 8);
    }
}
