//! Conversation and endpoint tables, filled as tshark's conversation table code fills them
//! (`epan/conversation_table.c`): one row per conversation or endpoint in first-seen order,
//! looked up in a hash map. Memory grows with the number of rows only.

use pcaptk_dissect::cx::NetAddr;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

/// An address of any family the tables hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Addr {
    /// 1 Ethernet (6 bytes), 4 IPv4 (4 bytes), 6 IPv6 (16 bytes), 0 none.
    pub family: u8,
    pub bytes: [u8; 16],
}

impl Addr {
    pub fn ether(m: [u8; 6]) -> Addr {
        let mut bytes = [0; 16];
        bytes[..6].copy_from_slice(&m);
        Addr { family: 1, bytes }
    }
    pub fn v4(a: [u8; 4]) -> Addr {
        let mut bytes = [0; 16];
        bytes[..4].copy_from_slice(&a);
        Addr { family: 4, bytes }
    }
    pub fn v6(a: [u8; 16]) -> Addr {
        Addr { family: 6, bytes: a }
    }
    pub fn net(a: NetAddr) -> Addr {
        Addr { family: a.family, bytes: a.bytes }
    }

    /// The address as `tshark -n` prints it.
    pub fn write(&self, out: &mut String) {
        let b = &self.bytes;
        match self.family {
            1 => {
                let _ = write!(out, "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3], b[4], b[5]);
            }
            4 => {
                let _ = write!(out, "{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
            }
            6 => {
                let _ = write!(out, "{}", std::net::Ipv6Addr::from(*b));
            }
            _ => {}
        }
    }
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }
}

/// A small, fast hasher for the table keys (FxHash's multiply-rotate).
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut v = [0u8; 8];
            v[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(v));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64)
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(i as u64)
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64)
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i)
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64)
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// One side of a conversation: an address and, for TCP/UDP, a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct End {
    pub addr: Addr,
    pub port: u16,
}

/// One conversation. A is the source of the first packet seen; "tx" counts A → B (tshark's
/// `->` columns), "rx" B → A (`<-`).
#[derive(Clone, Debug)]
pub struct Conv {
    pub a: End,
    pub b: End,
    /// The conversation id: `tcp.stream` / `udp.stream`, 0 for the other tables.
    pub id: u32,
    pub tx_frames: u64,
    pub tx_bytes: u64,
    pub rx_frames: u64,
    pub rx_bytes: u64,
    /// First and last packet times relative to the capture's first packet (ns).
    pub start: i64,
    pub stop: i64,
    /// The frame it was first seen in (orders ties).
    pub first: u32,
}

impl Conv {
    pub fn frames(&self) -> u64 {
        self.tx_frames + self.rx_frames
    }
    pub fn bytes(&self) -> u64 {
        self.tx_bytes + self.rx_bytes
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ConvKey {
    lo: End,
    hi: End,
    id: u32,
}

impl ConvKey {
    /// The key of a conversation between `a` and `b`, either way.
    #[inline]
    fn new(a: End, b: End, id: u32) -> ConvKey {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        ConvKey { lo, hi, id }
    }
}

/// A conversation table (`-z conv,TYPE`).
#[derive(Default)]
pub struct ConvTable {
    map: FxMap<ConvKey, u32>,
    /// The last conversation looked up (consecutive packets often share one).
    last: Option<(ConvKey, u32)>,
    pub rows: Vec<Conv>,
}

impl ConvTable {
    /// Counts packet `frame`, of `len` bytes from `src` to `dst` at relative time `rel` (ns).
    #[inline]
    pub fn add(&mut self, frame: u32, src: End, dst: End, id: u32, len: u64, rel: i64) {
        let key = ConvKey::new(src, dst, id);
        let i = match self.last {
            Some((k, i)) if k == key => i as usize,
            _ => {
                let n = self.rows.len() as u32;
                let i = *self.map.entry(key).or_insert(n);
                self.last = Some((key, i));
                i as usize
            }
        };
        if i == self.rows.len() {
            self.rows.push(Conv {
                a: src,
                b: dst,
                id,
                tx_frames: 1,
                tx_bytes: len,
                rx_frames: 0,
                rx_bytes: 0,
                start: rel,
                stop: rel,
                first: frame,
            });
            return;
        }
        let c = &mut self.rows[i];
        if c.a == src && c.b == dst {
            c.tx_frames += 1;
            c.tx_bytes += len;
        } else {
            c.rx_frames += 1;
            c.rx_bytes += len;
        }
        if rel > c.stop {
            c.stop = rel;
        } else if rel < c.start {
            c.start = rel;
        }
    }

    /// One table of the rows of `parts`, tables each counted from some of the frames (a
    /// sharded run's): the table counting every frame would be the same. Rows of one key in
    /// several parts are summed, with the direction of the earliest.
    pub fn merge(parts: Vec<ConvTable>) -> ConvTable {
        let mut rows: Vec<Conv> = parts.into_iter().flat_map(|t| t.rows).collect();
        // Stable: rows first seen in one frame come from one part, in its order.
        rows.sort_by_key(|c| c.first);
        let mut out = ConvTable::default();
        for c in rows {
            let key = ConvKey::new(c.a, c.b, c.id);
            let n = out.rows.len() as u32;
            let i = *out.map.entry(key).or_insert(n) as usize;
            if i == out.rows.len() {
                out.rows.push(c);
                continue;
            }
            let r = &mut out.rows[i];
            let (tx, rx) = if r.a == c.a && r.b == c.b {
                ((c.tx_frames, c.tx_bytes), (c.rx_frames, c.rx_bytes))
            } else {
                ((c.rx_frames, c.rx_bytes), (c.tx_frames, c.tx_bytes))
            };
            r.tx_frames += tx.0;
            r.tx_bytes += tx.1;
            r.rx_frames += rx.0;
            r.rx_bytes += rx.1;
            r.start = r.start.min(c.start);
            r.stop = r.stop.max(c.stop);
        }
        out
    }

    /// Rows in tshark's order: most frames first, ties in first-seen order.
    pub fn sorted(&self) -> Vec<&Conv> {
        let mut v: Vec<&Conv> = self.rows.iter().filter(|c| c.frames() > 0 && c.frames() < u32::MAX as u64).collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.frames()));
        v
    }
}

/// One endpoint: "tx" counts packets it sent, "rx" packets sent to it.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub end: End,
    /// The frame it was first seen in (orders ties).
    pub first: u32,
    pub tx_frames: u64,
    pub tx_bytes: u64,
    pub rx_frames: u64,
    pub rx_bytes: u64,
}

impl Endpoint {
    pub fn frames(&self) -> u64 {
        self.tx_frames + self.rx_frames
    }
    pub fn bytes(&self) -> u64 {
        self.tx_bytes + self.rx_bytes
    }
}

/// An endpoint table (`-z endpoints,TYPE`).
#[derive(Default)]
pub struct EndpointTable {
    map: FxMap<End, u32>,
    pub rows: Vec<Endpoint>,
}

impl EndpointTable {
    /// Counts packet `frame`: the source first, then the destination (tshark's order, which
    /// decides the first-seen order of ties).
    #[inline]
    pub fn add(&mut self, frame: u32, src: End, dst: End, len: u64) {
        let s = self.row(src, frame);
        s.tx_frames += 1;
        s.tx_bytes += len;
        let d = self.row(dst, frame);
        d.rx_frames += 1;
        d.rx_bytes += len;
    }

    #[inline]
    fn row(&mut self, end: End, first: u32) -> &mut Endpoint {
        let n = self.rows.len() as u32;
        let i = *self.map.entry(end).or_insert(n) as usize;
        if i == self.rows.len() {
            self.rows.push(Endpoint { end, first, tx_frames: 0, tx_bytes: 0, rx_frames: 0, rx_bytes: 0 });
        }
        &mut self.rows[i]
    }

    /// One table of the rows of `parts` (see [`ConvTable::merge`]).
    pub fn merge(parts: Vec<EndpointTable>) -> EndpointTable {
        let mut rows: Vec<Endpoint> = parts.into_iter().flat_map(|t| t.rows).collect();
        rows.sort_by_key(|e| e.first);
        let mut out = EndpointTable::default();
        for e in rows {
            let r = out.row(e.end, e.first);
            r.tx_frames += e.tx_frames;
            r.tx_bytes += e.tx_bytes;
            r.rx_frames += e.rx_frames;
            r.rx_bytes += e.rx_bytes;
        }
        out
    }

    /// Rows in tshark's order: most frames first, ties in first-seen order.
    pub fn sorted(&self) -> Vec<&Endpoint> {
        let mut v: Vec<&Endpoint> =
            self.rows.iter().filter(|e| e.frames() > 0 && e.frames() < u32::MAX as u64).collect();
        v.sort_by_key(|e| std::cmp::Reverse(e.frames()));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(last: u8, port: u16) -> End {
        End { addr: Addr::v4([10, 0, 0, last]), port }
    }

    #[test]
    fn conversation_directions_and_times() {
        let mut t = ConvTable::default();
        t.add(1, e(2, 80), e(1, 5000), 0, 60, 1_000);
        t.add(2, e(1, 5000), e(2, 80), 0, 100, 500);
        t.add(3, e(2, 80), e(1, 5000), 0, 40, 3_000);
        t.add(4, e(2, 80), e(1, 5000), 1, 40, 4_000);
        assert_eq!(t.rows.len(), 2);
        let c = &t.rows[0];
        assert_eq!((c.a, c.b), (e(2, 80), e(1, 5000)));
        assert_eq!((c.tx_frames, c.tx_bytes, c.rx_frames, c.rx_bytes), (2, 100, 1, 100));
        assert_eq!((c.start, c.stop), (500, 3_000));
    }

    #[test]
    fn sorted_by_frames_ties_first_seen() {
        let mut t = EndpointTable::default();
        t.add(1, e(1, 0), e(2, 0), 10);
        t.add(2, e(3, 0), e(4, 0), 10);
        t.add(3, e(3, 0), e(3, 0), 10);
        let order: Vec<u8> = t.sorted().iter().map(|r| r.end.addr.bytes[3]).collect();
        assert_eq!(order, vec![3, 1, 2, 4]);
        let three = &t.rows[2];
        assert_eq!((three.tx_frames, three.rx_frames), (2, 1));
    }
}
