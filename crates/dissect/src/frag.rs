//! Fragment reassembly shared by IPv4 and IPv6: fragments are kept per datagram until
//! the last one (no "more fragments") and every byte before it have arrived. Bounded:
//! at most `MAX_PENDING` datagrams in progress (oldest dropped first), each at most 64 KiB.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

pub const MAX_PENDING: usize = 4096;
pub const MAX_DATAGRAM: usize = 65_535;

#[derive(Default)]
pub struct Pending {
    frames: Vec<u32>,
    data: Vec<u8>,
    /// Byte ranges received, kept sorted and merged.
    have: Vec<(usize, usize)>,
    total: Option<usize>,
}

impl Pending {
    /// Bytes present without a gap from offset 0.
    pub(crate) fn contiguous(&self) -> usize {
        self.have.first().map_or(0, |&(a, b)| if a == 0 { b } else { 0 })
    }
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.data
    }
    /// The buffer holding the bytes, to lend them out without a copy (give it back
    /// unchanged: the received ranges still describe it).
    pub(crate) fn data_mut(&mut self) -> &mut Vec<u8> {
        &mut self.data
    }
    fn complete(&self) -> bool {
        match self.total {
            Some(t) => self.have.first().is_some_and(|&(a, b)| a == 0 && b >= t),
            None => false,
        }
    }
    fn insert(&mut self, offset: usize, data: &[u8]) {
        self.insert_capped(offset, data, MAX_DATAGRAM)
    }
    /// Copies `data` in at `offset` (bytes already present are kept: the first copy wins),
    /// ignoring anything at or past `cap`.
    pub(crate) fn insert_capped(&mut self, offset: usize, data: &[u8], cap: usize) {
        let end = (offset + data.len()).min(cap);
        if offset >= end {
            return;
        }
        // The usual case: the bytes continue those received so far, without a gap.
        if self.data.len() == offset && matches!(self.have[..], [] | [(0, _)]) && self.contiguous() == offset {
            self.data.extend_from_slice(&data[..end - offset]);
            match self.have.first_mut() {
                Some(r) => r.1 = end,
                None => self.have.push((0, end)),
            }
            return;
        }
        if self.data.len() < end {
            self.data.resize(end, 0);
        }
        // Earlier data wins where fragments overlap.
        let mut pos = offset;
        let mut gaps = Vec::new();
        for &(a, b) in &self.have {
            if b <= pos {
                continue;
            }
            if a >= end {
                break;
            }
            if a > pos {
                gaps.push((pos, a));
            }
            pos = pos.max(b);
        }
        if pos < end {
            gaps.push((pos, end));
        }
        for (a, b) in gaps {
            self.data[a..b].copy_from_slice(&data[a - offset..b - offset]);
        }
        self.have.push((offset, end));
        self.have.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(self.have.len());
        for &(a, b) in &self.have {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        self.have = merged;
    }
}

pub fn add<K: Copy + Eq + Hash>(
    pending: &mut HashMap<K, Pending>,
    order: &mut VecDeque<K>,
    key: K,
    frame: u32,
    offset: usize,
    data: &[u8],
    more: bool,
) -> Option<crate::proto::ip::Reassembled> {
    if !pending.contains_key(&key) {
        while pending.len() >= MAX_PENDING {
            match order.pop_front() {
                Some(old) => {
                    pending.remove(&old);
                }
                None => break,
            }
        }
        order.push_back(key);
    }
    let p = pending.entry(key).or_default();
    p.frames.push(frame);
    p.insert(offset, data);
    if !more {
        p.total = Some((offset + data.len()).min(MAX_DATAGRAM));
    }
    if p.complete() {
        let mut p = pending.remove(&key)?;
        order.retain(|k| *k != key);
        let total = p.total.unwrap_or(0);
        p.data.truncate(total);
        return Some(crate::proto::ip::Reassembled { frames: p.frames, data: p.data });
    }
    None
}

/// The fields of a reassembled datagram and its payload, dissected from the `Reasm`
/// buffer: `ids` are the protocol's (fragment, fragment.count, reassembled.length) fields.
pub fn dissect_reassembled(
    cx: &mut crate::cx::Cx,
    d: crate::proto::ip::Reassembled,
    ids: [crate::field::FieldId; 3],
    next_proto: u8,
) {
    use crate::tree::{Buf, Span, Value};
    let [fragment, count, length] = ids;
    for f in &d.frames {
        cx.add(fragment, Value::U(*f as u64), Span::EMPTY);
    }
    cx.u(count, d.frames.len() as u32, Span::EMPTY);
    cx.u(length, d.data.len() as u32, Span::EMPTY);
    let mut reasm = std::mem::take(&mut cx.tree.reasm);
    let base = reasm.len();
    reasm.extend_from_slice(&d.data);
    let rb = crate::cx::Bytes::new(&reasm, Buf::Reasm);
    crate::dissector::ip_proto(cx, rb, base, reasm.len(), next_proto);
    cx.tree.reasm = reasm;
}

#[cfg(test)]
mod tests {
    use super::Pending;

    fn pieces(order: &[usize], cap: usize) -> (Vec<u8>, Vec<(usize, usize)>) {
        let data: Vec<u8> = (0..100u8).collect();
        let mut p = Pending::default();
        for &i in order {
            p.insert_capped(i * 10, &data[i * 10..i * 10 + 10], cap);
        }
        (p.data, p.have)
    }

    #[test]
    fn appended_and_out_of_order_pieces_give_the_same_bytes() {
        let in_order = pieces(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 1000);
        assert_eq!(in_order.0, (0..100u8).collect::<Vec<_>>());
        assert_eq!(in_order.1, [(0, 100)]);
        assert_eq!(pieces(&[9, 8, 7, 6, 5, 4, 3, 2, 1, 0], 1000), in_order);
        assert_eq!(pieces(&[0, 2, 1, 4, 3, 3, 5, 9, 6, 7, 8], 1000), in_order);
        // A gap stays a gap; appending after it is no longer the contiguous case.
        let gap = pieces(&[0, 2, 3], 1000);
        assert_eq!(gap.1, [(0, 10), (20, 40)]);
        // The cap cuts an appended piece.
        let capped = pieces(&[0, 1, 2], 25);
        assert_eq!(capped.0.len(), 25);
        assert_eq!(capped.1, [(0, 25)]);
    }

    #[test]
    fn earlier_bytes_win_where_pieces_overlap() {
        let mut p = Pending::default();
        p.insert_capped(0, b"abcd", 100);
        p.insert_capped(2, b"XYZW", 100);
        p.insert_capped(0, b"0123456", 100);
        assert_eq!(p.data, b"abcdZW6");
        assert_eq!(p.have, [(0, 7)]);
    }
}
