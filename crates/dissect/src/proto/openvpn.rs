//! OpenVPN over UDP (port 1194): the control and acknowledgement packets' headers, and the
//! TLS records of the control channel, reassembled from packets carrying exactly 100 bytes
//! of message (tshark's rule: such a packet is a fragment that more follow).
crate::declare_fields! {
    after = super::rfc2190::END;
    PROTO = "openvpn", "OpenVPN Protocol", Protocol, None;
    TYPE = "openvpn.type", "Type", U8, Hex;
    OPCODE = "openvpn.opcode", "Opcode", U8, Hex, mask = 0xf8, vals = OPCODES;
    KEYID = "openvpn.keyid", "Key ID", U8, Dec, mask = 0x07;
    PEERID = "openvpn.peerid", "Peer ID", U24, Dec;
    SESSIONID = "openvpn.sessionid", "Session ID", U64, Dec;
    HMAC = "openvpn.hmac", "HMAC", Bytes, None;
    PID = "openvpn.pid", "Packet-ID", U32, Dec;
    MPID_ARRAYLENGTH = "openvpn.mpidarraylength", "Message Packet-ID Array Length", U8, Dec;
    MPID_ARRAYELEMENT = "openvpn.mpidarrayelement", "Message Packet-ID Array Element", U32, Dec;
    RSESSIONID = "openvpn.rsessionid", "Remote Session ID", U64, Dec;
    MPID = "openvpn.mpid", "Message Packet-ID", U32, Dec;
    DATA = "openvpn.data", "Data", Bytes, None;
    FRAGMENT_BYTES = "openvpn.fragment_bytes", "Fragment bytes", Bytes, None;
    FRAGMENT = "openvpn.fragment", "Message fragment", FrameNum, None;
    FRAGMENT_COUNT = "openvpn.fragment.count", "Message fragment count", U32, Dec;
    REASSEMBLED_LENGTH = "openvpn.reassembled.length", "Reassembled message length", U32, Dec;
}

use crate::cx::{Bytes, ConvKey, Cx, FastMap, NetAddr};
use crate::tree::{Buf, Span, Value};

const OPCODES: &[(u64, &str)] = &[
    (1, "P_CONTROL_HARD_RESET_CLIENT_V1"),
    (2, "P_CONTROL_HARD_RESET_SERVER_V1"),
    (3, "P_CONTROL_SOFT_RESET_V1"),
    (4, "P_CONTROL_V1"),
    (5, "P_ACK_V1"),
    (6, "P_DATA_V1"),
    (7, "P_CONTROL_HARD_RESET_CLIENT_V2"),
    (8, "P_CONTROL_HARD_RESET_SERVER_V2"),
    (9, "P_DATA_V2"),
];

const P_CONTROL_V1: u8 = 4;
const P_ACK_V1: u8 = 5;
const P_DATA_V1: u8 = 6;
const P_DATA_V2: u8 = 9;

/// tshark's fixed guess of a non-final fragment's length.
const FRAGMENT_LEN: usize = 100;
/// HMAC length tshark assumes when it detects tls-auth.
const HMAC_LEN: usize = 20;
/// Most bytes of one message kept while its fragments arrive, and most pending messages.
const MAX_MESSAGE: usize = 1 << 20;
const MAX_PENDING: usize = 4096;

/// A message being reassembled: its frames and bytes.
struct Pending {
    frames: Vec<u32>,
    data: Vec<u8>,
}

/// Messages being reassembled (by addresses and session id) and the TLS state of each UDP
/// conversation.
#[derive(Default)]
pub struct Table {
    pending: FastMap<(NetAddr, NetAddr, u32), Pending>,
    tls: FastMap<ConvKey, crate::proto::tls::Conv>,
}

/// tshark's tls-auth guess: a 4-byte word with at most one zero byte looks like an HMAC.
fn looks_like_hmac(w: u32) -> bool {
    w.to_be_bytes().iter().filter(|&&x| x == 0).count() <= 1
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) {
    let end = end.min(b.reported);
    cx.proto(PROTO, "openvpn", b.span_to(off, end));
    let Some(t) = b.u8(off) else {
        cx.bounds_error(off + 1, end);
        return;
    };
    let opcode = t >> 3;
    let r = b.span(off, 1);
    cx.u(TYPE, t, r);
    cx.u(OPCODE, opcode, r);
    cx.u(KEYID, t & 7, r);
    let mut o = off + 1;
    let mut session = 0u32;
    if opcode == P_DATA_V2 {
        let Some(v) = b.be24(o) else { return cx.bounds_error(o + 3, end) };
        cx.u(PEERID, v, b.span(o, 3));
        o += 3;
    } else if opcode != P_DATA_V1 {
        let (Some(hi), Some(lo)) = (b.be32(o), b.be32(o + 4)) else { return cx.bounds_error(o + 8, end) };
        session = lo;
        cx.u(SESSIONID, (hi as u64) << 32 | lo as u64, b.span(o, 8));
        o += 8;
        let Some(alen) = b.u8(o) else { return cx.bounds_error(o + 1, end) };
        let Some(w) = b.be32(o) else { return cx.bounds_error(o + 4, end) };
        if alen > 0 && looks_like_hmac(w) {
            if o + HMAC_LEN > end.min(b.len()) {
                return cx.bounds_error(o + HMAC_LEN, end);
            }
            cx.add(HMAC, Value::Bytes(b.span(o, HMAC_LEN)), b.span(o, HMAC_LEN));
            o += HMAC_LEN;
            if end.saturating_sub(o) >= 8 {
                let Some(pid) = b.be32(o) else { return cx.bounds_error(o + 4, end) };
                cx.u(PID, pid, b.span(o, 4));
                // The net time (long format) is not kept as a field here.
                o += 8;
            }
        }
        if end > o {
            let Some(n) = b.u8(o) else { return cx.bounds_error(o + 1, end) };
            cx.u(MPID_ARRAYLENGTH, n, b.span(o, 1));
            o += 1;
            if n > 0 {
                for _ in 0..n {
                    let Some(v) = b.be32(o) else { return cx.bounds_error(o + 4, end) };
                    cx.u(MPID_ARRAYELEMENT, v, b.span(o, 4));
                    o += 4;
                }
                if end.saturating_sub(o) >= 8 {
                    let (Some(hi), Some(lo)) = (b.be32(o), b.be32(o + 4)) else { return cx.bounds_error(o + 8, end) };
                    cx.u(RSESSIONID, (hi as u64) << 32 | lo as u64, b.span(o, 8));
                    o += 8;
                }
            }
        }
        if opcode != P_ACK_V1 && end.saturating_sub(o) >= 4 {
            let Some(v) = b.be32(o) else { return cx.bounds_error(o + 4, end) };
            cx.u(MPID, v, b.span(o, 4));
            o += 4;
        }
    }
    if o >= end {
        return;
    }
    let cap = end.min(b.len());
    let rest = b.span(o, cap.saturating_sub(o));
    if opcode != P_CONTROL_V1 {
        cx.add(DATA, Value::Bytes(rest), rest);
        return;
    }
    // A message not captured whole cannot be reassembled (the fragment is added as far as
    // it goes, as tshark copies only captured bytes... here nothing is dissected from it).
    let Some(msg) = b.data.get(o..end) else {
        cx.add(FRAGMENT_BYTES, Value::Bytes(rest), rest);
        return;
    };
    let last = end - o != FRAGMENT_LEN;
    let key = (cx.src, cx.dst, session);
    let frame = cx.meta.number;
    let t = &mut cx.st.openvpn;
    let mut p = t.pending.remove(&key).unwrap_or(Pending { frames: Vec::new(), data: Vec::new() });
    if p.data.len() + msg.len() > MAX_MESSAGE {
        p = Pending { frames: Vec::new(), data: Vec::new() };
    }
    p.frames.push(frame);
    p.data.extend_from_slice(msg);
    if !last {
        if t.pending.len() >= MAX_PENDING {
            t.pending.clear();
        }
        t.pending.insert(key, p);
        cx.add(FRAGMENT_BYTES, Value::Bytes(rest), rest);
        return;
    }
    let conv_key = ConvKey::new((cx.src, ports.0), (cx.dst, ports.1));
    let mut conv = cx.st.openvpn.tls.remove(&conv_key).unwrap_or_default();
    if p.frames.len() == 1 {
        // A message of one packet is dissected where it lies.
        let _ = crate::proto::tls::dissect(cx, b.until(end), o, end, &mut conv, ports);
    } else {
        cx.add(FRAGMENT_BYTES, Value::Bytes(rest), rest);
        for f in &p.frames {
            cx.add(FRAGMENT, Value::U(*f as u64), Span::EMPTY);
        }
        cx.u(FRAGMENT_COUNT, p.frames.len() as u32, Span::EMPTY);
        cx.u(REASSEMBLED_LENGTH, p.data.len() as u32, Span::EMPTY);
        let mut reasm = std::mem::take(&mut cx.tree.reasm);
        let base = reasm.len();
        reasm.extend_from_slice(&p.data);
        let rb = Bytes::new(&reasm, Buf::Reasm);
        let _ = crate::proto::tls::dissect(cx, rb, base, reasm.len(), &mut conv, ports);
        cx.tree.reasm = reasm;
    }
    let t = &mut cx.st.openvpn;
    if t.tls.len() >= MAX_PENDING {
        t.tls.clear();
    }
    t.tls.insert(conv_key, conv);
}

#[cfg(test)]
mod tests {
    use super::looks_like_hmac;

    #[test]
    fn hmac_guess() {
        assert!(looks_like_hmac(0x12345678));
        assert!(looks_like_hmac(0x12005678));
        assert!(!looks_like_hmac(0x01000000));
        assert!(!looks_like_hmac(0));
    }
}
