//! Optimized Link State Routing (UDP port 698): the packet header and each message's
//! common header. tshark rejects a payload under 4 bytes, one whose packet length exceeds
//! the captured bytes, and one outside IPv4 or IPv6.
crate::declare_fields! {
    after = super::steam_ihs_discovery::END;
    PROTO = "olsr", "Optimized Link State Routing Protocol", Protocol, None;
    PACKET_LEN = "olsr.packet_len", "Packet Length", U16, Dec;
    PACKET_SEQ_NUM = "olsr.packet_seq_num", "Packet Sequence Number", U16, Dec;
    MESSAGE_TYPE = "olsr.message_type", "Message Type", U8, Dec;
    MESSAGE_SIZE = "olsr.message_size", "Message", U16, Dec;
    TTL = "olsr.ttl", "TTL", U8, Dec;
    HOP_COUNT = "olsr.hop_count", "Hop Count", U8, Dec;
    MESSAGE_SEQ_NUM = "olsr.message_seq_num", "Message Sequence Number", U16, Dec;
}

use crate::cx::{Bytes, Cx};

/// Whether tshark takes the datagram (`d` its captured payload, `family` the network layer's).
pub fn looks_like(d: &[u8], family: u8) -> bool {
    d.len() >= 4 && usize::from(u16::from_be_bytes([d[0], d[1]])) <= d.len() && matches!(family, 4 | 6)
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "olsr", b.span_to(off, end));
    let (Some(len), Some(seq)) = (b.be16(off), b.be16(off + 2)) else { return };
    cx.u(PACKET_LEN, len, b.span(off, 2));
    cx.u(PACKET_SEQ_NUM, seq, b.span(off + 2, 2));
    if !cx.wants_any(PROTO, END) {
        return;
    }
    let alen = if cx.src.family == 6 { 16 } else { 4 };
    let pend = (off + len as usize).min(end);
    let mut p = off + 4;
    // Each message: type, validity time, size, originator, TTL, hop count, sequence number.
    while p + 4 <= pend {
        let (Some(t), Some(size)) = (b.u8(p), b.be16(p + 2)) else { return };
        cx.u(MESSAGE_TYPE, t, b.span(p, 1));
        cx.u(MESSAGE_SIZE, size, b.span(p + 2, 2));
        let h = p + 4 + alen;
        if let (Some(ttl), Some(hops), Some(mseq)) = (b.u8(h), b.u8(h + 1), b.be16(h + 2)) {
            cx.u(TTL, ttl, b.span(h, 1));
            cx.u(HOP_COUNT, hops, b.span(h + 1, 1));
            cx.u(MESSAGE_SEQ_NUM, mseq, b.span(h + 2, 2));
        }
        if (size as usize) < 8 + alen {
            return;
        }
        p += size as usize;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn accept() {
        assert!(super::looks_like(&[0, 4, 1, 2], 4));
        assert!(!super::looks_like(&[0, 5, 1, 2], 4));
        assert!(!super::looks_like(&[0, 4, 1], 4));
        assert!(!super::looks_like(&[0, 4, 1, 2], 0));
    }
}
