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
}
