//! Cluster TDB (Samba's clustered database), found by tshark's TCP heuristic: the magic
//! "CTDB" after the 32-bit length, in either byte order (which decides the header's). Every
//! segment that passes is one `ctdb` layer (nothing is reassembled).
crate::declare_fields! {
    after = super::resp::END;
    PROTO = "ctdb", "Cluster TDB", Protocol, None;
    LEN = "ctdb.len", "Length", U32, Dec;
    MAGIC = "ctdb.magic", "Magic", U32, Hex;
    VERSION = "ctdb.version", "Version", U32, Dec;
    GENERATION = "ctdb.generation", "Generation", U32, Dec;
    OPCODE = "ctdb.opcode", "Opcode", U32, Dec;
    DST = "ctdb.dst", "Destination", U32, Dec;
    SRC = "ctdb.src", "Source", U32, Dec;
    ID = "ctdb.id", "Id", U32, Dec;
}

use crate::cx::{Bytes, Cx};

/// tshark's heuristic on the captured payload `d`: `Some(little_endian)` when it matches.
pub fn looks_like(d: &[u8]) -> Option<bool> {
    match d.get(4..8).map(|m| u32::from_le_bytes([m[0], m[1], m[2], m[3]])) {
        Some(0x4244_5443) => Some(false),
        Some(0x4354_4442) => Some(true),
        _ => None,
    }
}

/// A segment's payload `off..end` that passed [`looks_like`].
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, le: bool) {
    cx.proto(PROTO, "ctdb", b.span_to(off, end));
    let fields = [LEN, MAGIC, VERSION, GENERATION, OPCODE, DST, SRC, ID];
    for (i, f) in fields.into_iter().enumerate() {
        let o = off + 4 * i;
        let Some(v) = (if le { b.le32(o) } else { b.be32(o) }) else { return };
        cx.u(f, v, b.span(o, 4));
    }
    if let Some(need) = overrun(b, off, le) {
        cx.bounds_error(need, end);
    }
}

/// Where tshark's reading of the message body (by the header's opcode) runs past the
/// captured bytes, if it does: the key and data it reads are as long as their length
/// fields say. (A control reply is read only when tshark matched its request; its body
/// is left alone here.)
fn overrun(b: Bytes, off: usize, le: bool) -> Option<usize> {
    let u32_at = |o: usize| if le { b.le32(o) } else { b.be32(o) };
    let opcode = u32_at(off + 16)?;
    let body = off + 32;
    // The offsets of the key and data lengths, and where the key starts.
    let (keylen_at, datalen_at, key_at) = match opcode {
        // REQ_CALL: flags, db id, call id, hop count.
        0 => (Some(body + 16), body + 20, body + 24),
        // REPLY_CALL: status.
        1 => (None, body + 4, body + 8),
        // REQ_DMASTER: db id, RSN (8-aligned), dmaster.
        2 => (Some(body + 20), body + 24, body + 28),
        // REPLY_DMASTER: db id, RSN (8-aligned).
        3 => (Some(body + 16), body + 20, body + 24),
        // REQ_CONTROL: control opcode, server id (8-aligned), client id, flags.
        7 => {
            let ctrl = u32_at(body);
            let Some(datalen) = u32_at(body + 24) else { return Some(body + 28) };
            let data = body + 28;
            let mut need = data + datalen as usize;
            // PROCESS_EXISTS: the pid at the start of the data, whatever its length.
            if ctrl == Some(0) {
                need = need.max(data + 4);
            }
            return (need > b.len()).then_some(need);
        }
        _ => return None,
    };
    let keylen = match keylen_at {
        Some(o) => match u32_at(o) {
            Some(k) => k as usize,
            None => return Some(o + 4),
        },
        None => 0,
    };
    let Some(datalen) = u32_at(datalen_at) else { return Some(datalen_at + 4) };
    let need = key_at + keylen + datalen as usize;
    (need > b.len()).then_some(need)
}

#[cfg(test)]
mod tests {
    #[test]
    fn magic() {
        assert_eq!(super::looks_like(b"\x60\0\0\0BDTC\x01\0\0\0"), Some(true));
        assert_eq!(super::looks_like(b"\0\0\0\x60CTDB"), Some(false));
        assert_eq!(super::looks_like(b"\0\0\0\x60CTD"), None);
        assert_eq!(super::looks_like(b"\0\0\0\x60XTDB"), None);
    }

    #[test]
    fn body_overrun() {
        use crate::cx::Bytes;
        use crate::tree::Buf;
        // REPLY_CALL (1), little-endian: status 0, data length 4 with only 2 bytes there.
        let mut m = vec![0u8; 32];
        m[4..8].copy_from_slice(b"BDTC");
        m[16] = 1;
        m.extend_from_slice(&[0, 0, 0, 0, 4, 0, 0, 0, 0xaa, 0xbb]);
        let b = Bytes::new(&m, Buf::Frame);
        assert_eq!(super::overrun(b, 0, true), Some(44));
        m.extend_from_slice(&[0xcc, 0xdd]);
        let b = Bytes::new(&m, Buf::Frame);
        assert_eq!(super::overrun(b, 0, true), None);
    }
}
