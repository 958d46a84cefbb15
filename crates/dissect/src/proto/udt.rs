//! UDT (UDP-based Data Transfer): found by tshark's UDP heuristic on a handshake (a control
//! packet of type 0, version 4, socket type 1 or 2), which claims the conversation: every
//! later datagram of it is UDT. Control packets: the 16-byte header; data packets: the
//! header, then the payload as data.
crate::declare_fields! {
    after = super::lwres::END;
    PROTO = "udt", "UDT Protocol", Protocol, None;
    ISCONTROL = "udt.iscontrol", "Type", U32, Dec, mask = 0x8000_0000;
    TYPE = "udt.type", "Type", U32, Hex, mask = 0x7fff_0000;
    SEQNO = "udt.seqno", "Sequence Number", U32, Dec, mask = 0x7fff_ffff;
    ADDINFO = "udt.addinfo", "Additional Info", U32, Dec;
    MSGNO = "udt.msgno", "Message Number", U32, Dec, mask = 0x1fff_ffff;
    TIMESTAMP = "udt.timestamp", "Timestamp", U32, Dec;
    ID = "udt.id", "ID", U32, Hex;
}

use crate::cx::{Bytes, ConvKey, Cx};

/// Most conversations remembered (a full table is emptied).
const MAX_CONVS: usize = 65536;

/// The conversations UDT's heuristic claimed.
#[derive(Default)]
pub struct Table {
    claimed: crate::cx::FastMap<ConvKey, ()>,
}

fn key(cx: &Cx, ports: (u16, u16)) -> ConvKey {
    ConvKey::new((cx.src, ports.0), (cx.dst, ports.1))
}

/// Whether the datagram's conversation was claimed before.
pub fn in_conversation(cx: &Cx, ports: (u16, u16)) -> bool {
    let t = &cx.st.apps.udt;
    !t.claimed.is_empty() && t.claimed.contains_key(&key(cx, ports))
}

/// tshark's heuristic on the captured payload `d`: a version 4 handshake.
pub fn looks_like(d: &[u8]) -> bool {
    let w = |o: usize| d.get(o..o + 4).map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]));
    d.len() >= 24 && w(0) == Some(0x8000_0000) && w(16) == Some(4) && matches!(w(20), Some(1 | 2))
}

/// Claims the datagram's conversation (the heuristic took it).
pub fn claim(cx: &mut Cx, ports: (u16, u16)) {
    let k = key(cx, ports);
    let t = &mut cx.st.apps.udt;
    if t.claimed.len() >= MAX_CONVS {
        t.claimed.clear();
    }
    t.claimed.insert(k, ());
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "udt", b.span_to(off, end));
    let Some(w0) = b.be32(off) else {
        cx.bounds_error(off + 4, end);
        return;
    };
    let control = w0 & 0x8000_0000 != 0;
    // Both kinds of packet read the words up to offset 16.
    if b.len() < off + 16 {
        cx.bounds_error(off + 16, end);
        return;
    }
    let w = |o: usize| b.be32(off + o).unwrap_or(0);
    if control {
        cx.u(ISCONTROL, 1u32, b.span(off, 4));
        cx.u(TYPE, (w0 >> 16) & 0x7fff, b.span(off, 4));
        cx.u(ADDINFO, w(4), b.span(off + 4, 4));
    } else {
        cx.u(ISCONTROL, 0u32, b.span(off, 4));
        cx.u(SEQNO, w0 & 0x7fff_ffff, b.span(off, 4));
        cx.u(MSGNO, w(4) & 0x1fff_ffff, b.span(off + 4, 4));
    }
    cx.u(TIMESTAMP, w(8), b.span(off + 8, 4));
    cx.u(ID, w(12), b.span(off + 12, 4));
    if !control {
        crate::proto::data::dissect(cx, b, off + 16, end);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn handshake() {
        let mut d = vec![0x80, 0, 0, 0];
        d.extend_from_slice(&[0; 12]);
        d.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 1]);
        assert!(super::looks_like(&d));
        d[23] = 3;
        assert!(!super::looks_like(&d));
        d[23] = 2;
        d[19] = 5;
        assert!(!super::looks_like(&d));
        assert!(!super::looks_like(&d[..20]));
    }
}
