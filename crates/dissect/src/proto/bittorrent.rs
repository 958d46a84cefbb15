//! BitTorrent peer wire protocol over TCP (ports 6881-6889, or a connection whose first
//! payload is the handshake, which binds it): the handshake, then length-prefixed messages,
//! each an item of its own, reassembled across segments. A message of a type tshark does
//! not know (encrypted streams, the middle of a message) takes the rest of the payload as
//! continuation data. An extended handshake's bencoded dictionary is bencode's layer (no
//! item of its own in the tree); bencode itself is not dissected.
crate::declare_fields! {
    after = super::synphasor::END;
    PROTO = "bittorrent", "BitTorrent", Protocol, None;
    PROT_NAME_LEN = "bittorrent.protocol.name.length", "Protocol Name Length", U8, Dec;
    PROT_NAME = "bittorrent.protocol.name", "Protocol Name", String, None;
    RESERVED = "bittorrent.reserved", "Reserved Extension Bytes", Bytes, None;
    INFO_HASH = "bittorrent.info_hash", "SHA1 Hash of info dictionary", Bytes, None;
    PEER_ID = "bittorrent.peer_id", "Peer ID", Bytes, None;
    MSG = "bittorrent.msg", "Message", None, None;
    MSG_LENGTH = "bittorrent.msg.length", "Message Length", U32, Dec;
    MSG_TYPE = "bittorrent.msg.type", "Message Type", U8, Dec, vals = MESSAGES;
    BITFIELD = "bittorrent.msg.bitfield", "Bitfield data", Bytes, None;
    PIECE_INDEX = "bittorrent.piece.index", "Piece index", U32, Hex;
    PIECE_BEGIN = "bittorrent.piece.begin", "Begin offset of piece", U32, Hex;
    PIECE_DATA = "bittorrent.piece.data", "Data in a piece", Bytes, None;
    PIECE_LENGTH = "bittorrent.piece.length", "Piece Length", U32, Hex;
    PORT = "bittorrent.port", "Port", U16, Dec;
    EXTENDED_ID = "bittorrent.extended.id", "Extended Message ID", U8, Dec;
    EXTENDED = "bittorrent.extended", "Extended Message", Bytes, None;
    CONTINUOUS_DATA = "bittorrent.continuous_data", "Extended Message", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::tree::Value;

static MESSAGES: &[(u64, &str)] = &[
    (0, "Choke"),
    (1, "Unchoke"),
    (2, "Interested"),
    (3, "Not Interested"),
    (4, "Have"),
    (5, "Bitfield"),
    (6, "Request"),
    (7, "Piece"),
    (8, "Cancel"),
    (9, "Port"),
    (13, "Suggest Piece"),
    (14, "Have All"),
    (15, "Have None"),
    (16, "Reject Request"),
    (17, "Allowed Fast"),
    (20, "Extended"),
];

/// The handshake's protocol string, after its length byte (19).
const PSTR: &[u8] = b"BitTorrent protocol";
/// A handshake's length: the string with its length, reserved bytes, info hash, peer ID.
const HANDSHAKE_LEN: usize = 1 + 19 + 8 + 20 + 20;

/// Whether `d` starts with the handshake (tshark's heuristic, and how a PDU is told apart).
pub fn is_handshake(d: &[u8]) -> bool {
    d.len() >= 20 && d[0] == 19 && &d[1..20] == PSTR
}

fn known(t: u8) -> bool {
    MESSAGES.iter().any(|&(v, _)| v == t as u64)
}

/// The length of the PDU `d` starts with (at least 4 bytes captured), `remaining` being
/// what is left of the payload: a message of an unknown type takes all of it.
fn pdu_len(d: &[u8], remaining: usize) -> usize {
    if is_handshake(d) {
        return HANDSHAKE_LEN;
    }
    let len = u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
    if len == 0 {
        return 4;
    }
    match d.get(4) {
        Some(&t) if known(t) && len < 0x100_0000 => 4 + len as usize,
        _ => remaining,
    }
}

/// The payload `off..end` (a segment or a reassembled PDU).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let start = off;
    let mut off = off;
    let mut first = true;
    while off < end {
        let cap = b.len().min(end);
        let captured = cap.saturating_sub(off);
        if captured < 4 {
            return Deseg::new(off - start, Need::OneMoreSegment);
        }
        let plen = pdu_len(&b.data[off..cap], end - off);
        if captured < plen {
            return Deseg::new(off - start, Need::Bytes((plen - captured).min(u32::MAX as usize) as u32));
        }
        let sp = b.span_to(off, off + plen);
        if first {
            cx.proto(PROTO, "bittorrent", sp);
            first = false;
        } else {
            cx.push_name("+bittorrent");
            cx.add(PROTO, Value::None, sp);
        }
        if is_handshake(&b.data[off..cap]) {
            handshake(cx, b, off);
        } else {
            message(cx, b, off, off + plen);
        }
        off += plen;
    }
    None
}

fn handshake(cx: &mut Cx, b: Bytes, off: usize) {
    cx.u(PROT_NAME_LEN, 19u8, b.span(off, 1));
    cx.add_ascii(PROT_NAME, PSTR, b.span(off + 1, 19));
    for (f, at, n) in [(RESERVED, 20, 8), (INFO_HASH, 28, 20), (PEER_ID, 48, 20)] {
        let sp = b.span(off + at, n);
        cx.add(f, Value::Bytes(sp), sp);
    }
}

/// One message `off..end` (its length field read, its type byte perhaps not captured).
fn message(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let (Some(len), Some(t)) = (b.be32(off), b.u8(off + 4).filter(|_| off + 4 < end)) else { return };
    if !known(t) {
        let sp = b.span_to(off, end);
        cx.add(CONTINUOUS_DATA, Value::Bytes(sp), sp);
        return;
    }
    let mend = off.saturating_add(4).saturating_add(len as usize);
    cx.add(MSG, Value::None, b.span_to(off, mend));
    cx.u(MSG_LENGTH, len, b.span(off, 4));
    cx.u(MSG_TYPE, t, b.span(off + 4, 1));
    let p = off + 5;
    let rest = (len as usize).saturating_sub(1);
    // A read past the message is tshark's exception (malformed).
    let need = |n: usize| p + n;
    match t {
        6 | 8 | 16 => {
            for (i, f) in [PIECE_INDEX, PIECE_BEGIN, PIECE_LENGTH].into_iter().enumerate() {
                let at = p + 4 * i;
                match b.be32(at).filter(|_| at + 4 <= end) {
                    Some(v) => cx.u(f, v, b.span(at, 4)),
                    None => return cx.bounds_error(at + 4, end),
                }
            }
        }
        9 => match b.be16(p).filter(|_| p + 2 <= end) {
            Some(v) => cx.u(PORT, v, b.span(p, 2)),
            None => cx.bounds_error(need(2), end),
        },
        20 => {
            let Some(id) = b.u8(p).filter(|_| p < end) else { return cx.bounds_error(need(1), end) };
            cx.u(EXTENDED_ID, id, b.span(p, 1));
            if id == 0 {
                // bencode: a layer of frame.protocols, no item of the tree's top level.
                let layer = cx.layer();
                cx.push_name(crate::dissector::NESTED_OPEN);
                cx.push_name("bencode");
                cx.push_name(crate::dissector::NESTED_CLOSE);
                cx.set_layer(layer);
            } else {
                let n = rest.saturating_sub(1);
                if p + 1 + n > end {
                    return cx.bounds_error(p + 1 + n, end);
                }
                let sp = b.span(p + 1, n);
                cx.add(EXTENDED, Value::Bytes(sp), sp);
            }
        }
        4 | 13 | 17 => match b.be32(p).filter(|_| p + 4 <= end) {
            Some(v) => cx.u(PIECE_INDEX, v, b.span(p, 4)),
            None => cx.bounds_error(need(4), end),
        },
        5 => {
            if p + rest > end {
                return cx.bounds_error(p + rest, end);
            }
            let sp = b.span(p, rest);
            cx.add(BITFIELD, Value::Bytes(sp), sp);
        }
        7 => {
            for (i, f) in [PIECE_INDEX, PIECE_BEGIN].into_iter().enumerate() {
                let at = p + 4 * i;
                match b.be32(at).filter(|_| at + 4 <= end) {
                    Some(v) => cx.u(f, v, b.span(at, 4)),
                    None => return cx.bounds_error(at + 4, end),
                }
            }
            let n = rest.saturating_sub(8);
            if p + 8 + n > end {
                return cx.bounds_error(p + 8 + n, end);
            }
            let sp = b.span(p + 8, n);
            cx.add(PIECE_DATA, Value::Bytes(sp), sp);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{is_handshake, pdu_len, HANDSHAKE_LEN};

    #[test]
    fn pdu_lengths() {
        let mut hs = vec![19u8];
        hs.extend_from_slice(b"BitTorrent protocol");
        assert!(is_handshake(&hs));
        assert_eq!(pdu_len(&hs, 100), HANDSHAKE_LEN);
        assert!(!is_handshake(&hs[..19]));
        // Keep-alive.
        assert_eq!(pdu_len(&[0, 0, 0, 0], 50), 4);
        // Allowed Fast (17), length 5.
        assert_eq!(pdu_len(&[0, 0, 0, 5, 17, 0, 0, 2, 0x74], 50), 9);
        // Piece (7) of 0x4009 bytes.
        assert_eq!(pdu_len(&[0, 0, 0x40, 0x09, 7], 1440), 4 + 0x4009);
        // Unknown type, or an implausible length: the rest of the payload.
        assert_eq!(pdu_len(&[0, 0, 0, 5, 11], 50), 50);
        assert_eq!(pdu_len(&[0x5a, 0x05, 0xbe, 0x68, 1], 198), 198);
        // Type byte not captured.
        assert_eq!(pdu_len(&[0, 0, 0, 5], 4), 4);
    }
}
