//! SAIA Ether-S-Bus (UDP port 5050): the Ether-S-Bus header and the telegram attribute.
//! tshark rejects a datagram whose length word is not its reported length (12 to 65535), or
//! whose version, protocol type or attribute is out of range.
crate::declare_fields! {
    after = super::doip::END;
    PROTO = "sbus", "SAIA S-Bus", Protocol, None;
    LEN = "sbus.len", "Length (bytes)", U32, Dec;
    VERS = "sbus.vers", "Version", U8, Dec;
    PROTO_TYPE = "sbus.proto", "Protocol type", U8, Dec;
    SEQ = "sbus.seq", "Sequence", U16, Dec;
    ATT = "sbus.att", "Telegram attribute", U8, Hex;
}

use crate::cx::{Bytes, Cx};

/// tshark's test of the captured payload `d` whose reported length is `reported`.
pub fn looks_like(d: &[u8], reported: usize) -> bool {
    if d.len() < 9 {
        // Byte 8 is read too: a shorter payload throws (8) or is rejected.
        return false;
    }
    let len = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as usize;
    (12..=65535).contains(&len) && len == reported && d[4] <= 1 && d[5] <= 1 && d[8] <= 2
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "sbus", b.span_to(off, end));
    let (Some(len), Some(v), Some(p), Some(seq), Some(att)) =
        (b.be32(off), b.u8(off + 4), b.u8(off + 5), b.be16(off + 6), b.u8(off + 8))
    else {
        return;
    };
    cx.u(LEN, len, b.span(off, 4));
    cx.u(VERS, v, b.span(off + 4, 1));
    cx.u(PROTO_TYPE, p, b.span(off + 5, 1));
    cx.u(SEQ, seq, b.span(off + 6, 2));
    cx.u(ATT, att, b.span(off + 8, 1));
}

#[cfg(test)]
mod tests {
    #[test]
    fn header() {
        let d = [0, 0, 0, 13, 1, 0, 0, 1, 0, 10, 0x20, 0x53, 0x18];
        assert!(super::looks_like(&d, 13));
        assert!(!super::looks_like(&d, 14));
        let mut e = d;
        e[8] = 3;
        assert!(!super::looks_like(&e, 13));
        e = d;
        e[3] = 11;
        assert!(!super::looks_like(&e, 11));
    }
}
