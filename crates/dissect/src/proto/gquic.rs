//! Google QUIC before its TLS versions (Q0xx up to Q046), found by tshark's heuristics: a
//! public header with the version and 8-byte connection ID flags and a version "Q02…",
//! "Q03…" or "Q04…" after the ID, or a long header (Q046) naming such a version. A match
//! claims the UDP conversation: every later datagram of it is GQUIC too.
crate::declare_fields! {
    after = super::ctdb::END;
    PROTO = "gquic", "GQUIC (Google Quick UDP Internet Connections)", Protocol, None;
    HEADER_FORM = "gquic.header_form", "Header Form", U8, Dec, mask = 0x80;
    PUFLAGS = "gquic.puflags", "Public Flags", U8, Hex;
    CID = "gquic.cid", "CID", U64, Dec;
    VERSION = "gquic.version", "Version", String, None;
}

use crate::cx::{Bytes, ConvKey, Cx};

const PUFLAGS_VRSN: u8 = 0x01;
const PUFLAGS_CID: u8 = 0x08;
/// Conversations remembered at most (the set is emptied past it).
const MAX_CONVS: usize = 100_000;

/// The UDP conversations GQUIC claimed.
#[derive(Default)]
pub struct Table {
    /// Each with whether its version reads numbers little-endian (before Q039).
    claimed: crate::cx::FastMap<ConvKey, bool>,
}

fn key(cx: &Cx, ports: (u16, u16)) -> ConvKey {
    ConvKey::new((cx.src, ports.0), (cx.dst, ports.1))
}

/// Whether the datagram's conversation was claimed before.
pub fn in_conversation(cx: &Cx, ports: (u16, u16)) -> bool {
    let t = &cx.st.apps.gquic;
    !t.claimed.is_empty() && t.claimed.contains_key(&key(cx, ports))
}

/// A gQUIC version tag below Q050 (the later ones are QUIC's).
fn old_version(v: &[u8]) -> bool {
    v.len() >= 4 && v[0] == b'Q' && v[1] == b'0' && matches!(v[2], b'2' | b'3' | b'4') && v[3].is_ascii_digit()
}

/// tshark's heuristics on the captured payload `d`.
pub fn looks_like(d: &[u8]) -> bool {
    if d.len() < 13 {
        return false;
    }
    let f = d[0];
    if f & 0x80 != 0 {
        return &d[1..5] == b"Q046" || &d[1..5] == b"Q044" || &d[1..5] == b"Q043";
    }
    f & PUFLAGS_VRSN != 0
        && f & PUFLAGS_CID != 0
        && d[9] == b'Q'
        && d[10] == b'0'
        && matches!(d[11], b'2' | b'3' | b'4')
}

/// Claims the datagram's conversation for GQUIC (`d` passed [`looks_like`]).
pub fn claim(cx: &mut Cx, d: &[u8], ports: (u16, u16)) {
    let k = key(cx, ports);
    let le = d[0] & 0x80 == 0 && little_endian(&d[9..13]);
    let t = &mut cx.st.apps.gquic;
    if t.claimed.len() >= MAX_CONVS {
        t.claimed.clear();
    }
    t.claimed.insert(k, le);
}

/// Versions before Q039 read their numbers little-endian.
fn little_endian(v: &[u8]) -> bool {
    old_version(v) && (v[2] == b'2' || v[2] == b'3' && v[3] < b'9')
}

/// A GQUIC packet in `off..end` of a datagram.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) {
    cx.proto(PROTO, "gquic", b.span_to(off, end));
    let Some(f) = b.u8(off) else { return };
    if f & 0x80 != 0 {
        cx.u(HEADER_FORM, 1u8, b.span(off, 1));
        return;
    }
    cx.u(PUFLAGS, f, b.span(off, 1));
    let mut p = off + 1;
    if f & PUFLAGS_CID != 0 {
        let Some(c) = b.arr::<8>(p) else { return };
        // The byte order is the conversation's version's.
        let le = cx.st.apps.gquic.claimed.get(&key(cx, ports)).copied().unwrap_or(false);
        cx.u(CID, if le { u64::from_le_bytes(c) } else { u64::from_be_bytes(c) }, b.span(p, 8));
        p += 8;
    }
    if f & PUFLAGS_VRSN != 0 {
        if let Some(v) = b.arr::<4>(p) {
            cx.add_ascii(VERSION, &v, b.span(p, 4));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn heuristic() {
        let mut d = vec![0x0d, 1, 2, 3, 4, 5, 6, 7, 8];
        d.extend_from_slice(b"Q025\x01");
        assert!(super::looks_like(&d));
        d[0] = 0x05;
        assert!(!super::looks_like(&d));
        d[0] = 0x0d;
        d[11] = b'5';
        assert!(!super::looks_like(&d));
        let mut l = vec![0xc3];
        l.extend_from_slice(b"Q046\x50\x01\x02\x03\x04\x05\x06\x07\x08");
        assert!(super::looks_like(&l));
        l[4] = b'8';
        assert!(!super::looks_like(&l));
    }
}
