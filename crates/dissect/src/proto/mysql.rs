//! MySQL (TCP port 3306): packets led by a 3-byte little-endian length and a sequence
//! number, several per segment and spanning segments reassembled (one `mysql` layer per
//! packet). Only the packet header is read.
crate::declare_fields! {
    after = super::nntp::END;
    PROTO = "mysql", "MySQL Protocol", Protocol, None;
    PACKET_LENGTH = "mysql.packet_length", "Packet Length", U24, Dec;
    PACKET_NUMBER = "mysql.packet_number", "Packet Number", U8, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

const HEADER: usize = 4;

fn pdu_len(h: &[u8]) -> usize {
    HEADER + (h[0] as usize | (h[1] as usize) << 8 | (h[2] as usize) << 16)
}

/// Packets in `off..end` of a TCP payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let mut first = true;
    crate::reasm::pdus(cx, b, off, end, HEADER, pdu_len, |cx, b, o, e| {
        let sp = b.span_to(o, e);
        if first {
            cx.proto(PROTO, "mysql", sp);
            first = false;
        } else {
            cx.push_name("+mysql");
            cx.add(PROTO, Value::None, sp);
        }
        if let (Some(l), Some(n)) = (b.arr::<3>(o), b.u8(o + 3)) {
            cx.u(PACKET_LENGTH, l[0] as u32 | (l[1] as u32) << 8 | (l[2] as u32) << 16, b.span(o, 3));
            cx.u(PACKET_NUMBER, n, b.span(o + 3, 1));
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn length() {
        assert_eq!(super::pdu_len(&[0x4a, 0, 0, 0]), 78);
        assert_eq!(super::pdu_len(&[0, 1, 0, 1]), 260);
        assert_eq!(super::pdu_len(&[0, 0, 1, 9]), 65540);
    }
}
