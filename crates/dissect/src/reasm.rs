//! TCP desegmentation as tshark 4.0 does it by default (`tcp.desegment_tcp_streams: TRUE`,
//! `tcp.reassemble_out_of_order: FALSE`).
//!
//! An application dissector looks at a segment's payload and either dissects it whole or
//! says where an unfinished PDU starts and how much more it needs ([`Deseg`]). The bytes
//! from there on are kept in a multi-segment PDU ("msp") of the flow; later segments that
//! fall inside it are added, and the frame whose segment completes it gets the PDU
//! dissected (its fields appear in that frame only). Segments tshark flags as
//! retransmissions, and segments starting where a kept PDU starts, are not dissected.
//!
//! Memory: one PDU holds at most [`MAX_PDU`] bytes (tshark's own limit: a longer request
//! is not reassembled); all flows together hold at most [`Limits::total`] bytes (past it
//! new PDUs are not kept and a warning is printed once). Completed PDUs keep only their
//! sequence range (to recognise retransmissions), a few per flow.

use crate::cx::{Bytes, Cx};
use crate::frag::Pending;
use crate::tree::{Buf, Span, Value};

/// What an application dissector needs beyond the bytes it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// This many more bytes.
    Bytes(u32),
    /// At least one more segment (the length is not known yet).
    OneMoreSegment,
    /// Everything up to the end of the flow (FIN).
    UntilFin,
}

/// An unfinished PDU: it starts `offset` bytes into the data the dissector was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deseg {
    pub offset: usize,
    pub need: Need,
}

impl Deseg {
    pub fn new(offset: usize, need: Need) -> Option<Deseg> {
        Some(Deseg { offset, need })
    }
}

/// What a dissector noted about a PDU it asked one more segment for, handed back with the
/// PDU when it is dissected again: the first `seen` bytes were read then, and the reading
/// can resume where it stopped instead of starting over (only HTTP notes anything:
/// [`crate::proto::http::Resume`]).
#[derive(Clone, Copy, Debug)]
pub struct Resume {
    pub seen: usize,
    pub http: crate::proto::http::Resume,
}

/// tshark's limit on one reassembled PDU.
pub const MAX_PDU: u32 = 1 << 20;
/// Completed PDUs whose range a flow remembers.
const DONE_KEPT: usize = 4;
/// Frames listed for one PDU (`tcp.segment`).
const MAX_FRAMES: usize = 4096;

/// Caps on buffered bytes, shared by every flow of a capture.
pub struct Limits {
    /// Most bytes held in unfinished PDUs at once (default 256 MiB).
    pub total: usize,
    pub held: usize,
    pub warned: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { total: 256 << 20, held: 0, warned: false }
    }
}

struct Msp {
    seq: u32,
    nxtpdu: u32,
    first_frame: u32,
    /// Take the whole of the next segment (the dissector asked for "one more segment").
    entire: bool,
    /// Reassembled and dissected: only the range is kept.
    done: bool,
    /// Length once the last piece is in (`None` while more is expected).
    total: Option<usize>,
    data: Pending,
    frames: Vec<u32>,
    /// Where the dissector stopped when it last asked for one more segment.
    resume: Option<Resume>,
}

/// One direction of a TCP conversation.
#[derive(Default)]
pub struct Flow {
    msps: Vec<Msp>,
    /// The dissector asked for everything until FIN.
    pub until_fin: bool,
    held: usize,
}

impl Flow {
    /// Bytes this flow holds (to give back to [`Limits`] when the stream is dropped).
    pub fn held(&self) -> usize {
        self.held
    }
}

fn lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}
fn le(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) <= 0
}

/// The fields TCP shows for a reassembled PDU.
#[derive(Clone, Copy)]
pub struct ReasmFields {
    pub segments: crate::field::FieldId,
    pub segment: crate::field::FieldId,
    pub count: crate::field::FieldId,
    pub length: crate::field::FieldId,
    pub data: crate::field::FieldId,
}

/// Segment facts the desegmenter needs.
pub struct Segment {
    pub seq: u32,
    /// Payload `off..end` of `b` (end = reported end).
    pub off: usize,
    pub end: usize,
    /// tshark flagged it as a retransmission (not dissected again).
    pub retransmission: bool,
    /// tshark flagged it as out of order: its bytes still go into a PDU being reassembled,
    /// but outside one it is not dissected (`tcp.no_subdissector_on_error`).
    pub out_of_order: bool,
    pub fin: bool,
}

/// Runs one segment's payload through the flow's desegmentation, calling `app` on every
/// complete piece (the segment itself, or a reassembled PDU in `cx.tree.stream`).
pub fn desegment(
    cx: &mut Cx,
    b: Bytes,
    sg: Segment,
    flow: &mut Flow,
    limits: &mut Limits,
    f: ReasmFields,
    app: &mut dyn FnMut(&mut Cx, Bytes, usize, usize) -> Option<Deseg>,
) {
    let frame = cx.meta.number;
    let mut off = sg.off;
    let mut seq = sg.seq;
    let end = sg.end;
    let cap_end = end.min(b.len());
    let nxtseq = sg.seq.wrapping_add((sg.end - sg.off) as u32);
    // A FIN without data matters only to a flow collecting until FIN.
    if sg.end <= sg.off && !flow.until_fin {
        return;
    }
    loop {
        let mut another = 0u32;
        let mut must: Option<(usize, Need)> = None;
        // What the dissector noted where it stopped (see `Resume`).
        let mut resume = None;
        // A PDU kept from another frame starts exactly here: a retransmission of its start.
        if flow.msps.iter().any(|m| m.seq == seq && m.first_frame != frame) {
            return;
        }
        if sg.retransmission {
            return;
        }
        let before = seq.wrapping_sub(1);
        let found = flow
            .msps
            .iter()
            .enumerate()
            .filter(|(_, m)| le(m.seq, before))
            .min_by_key(|(_, m)| before.wrapping_sub(m.seq))
            .map(|(i, _)| i)
            .filter(|&i| le(flow.msps[i].seq, seq) && lt(seq, flow.msps[i].nxtpdu));
        match found {
            Some(i) => {
                let until_fin_end = flow.until_fin && sg.fin;
                let m = &mut flow.msps[i];
                if m.done {
                    // Data of a PDU dissected earlier: shown as segment data only.
                    return;
                }
                if until_fin_end {
                    m.nxtpdu = nxtseq;
                }
                let len = if m.entire {
                    cap_end.saturating_sub(off) as u32
                } else {
                    m.nxtpdu.min_seq(nxtseq).wrapping_sub(seq)
                };
                let more = lt(nxtseq, m.nxtpdu);
                let at = seq.wrapping_sub(m.seq) as usize;
                let piece = &b.data[off.min(cap_end)..(off + len as usize).min(cap_end)];
                let grew = add_piece(m, at, piece, limits, &mut flow.held);
                if !grew {
                    warn(limits);
                }
                if m.frames.len() < MAX_FRAMES {
                    m.frames.push(frame);
                }
                if !more {
                    m.total = Some(at + len as usize);
                }
                if m.entire {
                    m.entire = false;
                    m.nxtpdu = nxtseq;
                }
                if lt(m.nxtpdu, nxtseq) && le(seq, m.nxtpdu) && len > 0 {
                    another = m.nxtpdu.wrapping_sub(seq);
                }
                let complete = m.total.is_some_and(|t| m.data.contiguous() >= t);
                if complete {
                    let total = m.total.unwrap_or(0);
                    // The reassembled PDU, dissected in this frame.
                    for &fr in &m.frames {
                        cx.add(f.segment, Value::U(fr as u64), Span::EMPTY);
                    }
                    cx.add(f.segments, Value::None, Span::EMPTY);
                    cx.u(f.count, m.frames.len() as u32, Span::EMPTY);
                    cx.u(f.length, total as u32, Span::EMPTY);
                    let mut stream = std::mem::take(&mut cx.tree.stream);
                    let base = stream.len();
                    // The PDU's bytes are lent to the stream buffer when it is empty and they
                    // are exactly the PDU (no copy: a PDU re-dissected segment after segment
                    // would otherwise be copied whole each time).
                    let lent = base == 0 && m.data.bytes().len() == total;
                    if lent {
                        std::mem::swap(&mut stream, m.data.data_mut());
                    } else {
                        stream.extend_from_slice(&m.data.bytes()[..total.min(m.data.bytes().len())]);
                    }
                    let rb = Bytes::new(&stream, Buf::Stream);
                    if cx.wants(f.data) {
                        cx.add(f.data, Value::Bytes(rb.span(base, total)), rb.span(base, total));
                    }
                    let items = cx.tree.items.len();
                    // tshark adds its "Reassembled TCP Segments" item after the PDU's
                    // items, or before them for data collected until FIN.
                    if until_fin_end {
                        cx.push_name(crate::dissector::SEGMENTS_ITEM);
                    }
                    cx.until_fin = until_fin_end;
                    // What the dissector noted when it last asked for more of this PDU.
                    cx.st.resume = m.resume.take();
                    cx.st.stopped = None;
                    // Completed by an out-of-order segment: tshark does not hand it on.
                    let r = if sg.out_of_order { None } else { app(cx, rb, base, base + total) };
                    cx.st.resume = None;
                    let noted = cx.st.stopped.take();
                    cx.until_fin = false;
                    let m = &mut flow.msps[i];
                    let old_len = total.saturating_sub(len as usize);
                    let partial = matches!(r, Some(d) if d.offset <= old_len);
                    if lent && partial {
                        // Still collecting: the PDU takes its bytes back, or a copy of them
                        // when this frame's tree refers to them.
                        if cx.tree.items.len() == items && !cx.wants(f.data) {
                            std::mem::swap(&mut stream, m.data.data_mut());
                        } else {
                            m.data.data_mut().clear();
                            m.data.data_mut().extend_from_slice(&stream);
                        }
                    } else if lent {
                        // Done with: the bytes stay with this frame's tree; the PDU holds
                        // none any more (what `finish` gives back to the caps).
                        limits.held -= total.min(limits.held);
                        flow.held -= total.min(flow.held);
                    }
                    cx.tree.stream = stream;
                    if !until_fin_end && !partial {
                        cx.push_name(crate::dissector::SEGMENTS_ITEM);
                    }
                    match r {
                        Some(d) if d.offset <= old_len => {
                            // Still short: keep collecting into the same PDU.
                            m.total = None;
                            if d.offset == 0 && d.need == Need::OneMoreSegment {
                                m.resume = noted;
                            }
                            match d.need {
                                Need::OneMoreSegment => {
                                    m.nxtpdu = seq.wrapping_add((end - off) as u32).wrapping_add(1);
                                    m.entire = true;
                                }
                                Need::UntilFin => {
                                    // Found out only now (headers done, no length): the PDU
                                    // takes the segments that follow, far ahead (tshark's 1 GiB).
                                    flow.until_fin = true;
                                    m.nxtpdu = m.seq.wrapping_add(0x4000_0000);
                                }
                                Need::Bytes(n) => m.nxtpdu = seq.wrapping_add(len).wrapping_add(n),
                            }
                            off += len as usize;
                            seq = seq.wrapping_add(len);
                            if off < cap_end {
                                continue;
                            }
                            return;
                        }
                        Some(d) => {
                            finish(flow, i, limits);
                            must = Some((end.saturating_sub(total.saturating_sub(d.offset)).max(off), d.need));
                            resume = noted;
                        }
                        None => finish(flow, i, limits),
                    }
                }
            }
            None => {
                if sg.out_of_order {
                    return;
                }
                cx.st.stopped = None;
                if let Some(d) = app(cx, b, off, end) {
                    must = Some((off + d.offset, d.need));
                }
                resume = cx.st.stopped.take();
            }
        }
        if let Some((doff, need)) = must {
            if need == Need::UntilFin {
                flow.until_fin = true;
            }
            let dseq = seq.wrapping_add(doff.saturating_sub(off) as u32);
            if nxtseq.wrapping_sub(dseq) <= MAX_PDU {
                let (nxtpdu, entire) = match need {
                    Need::OneMoreSegment => (nxtseq.wrapping_add(1), true),
                    Need::Bytes(n) => (nxtseq.wrapping_add(n), false),
                    Need::UntilFin => (nxtseq.wrapping_add(0x0fff_fffe), false),
                };
                let mut m = Msp {
                    seq: dseq,
                    nxtpdu,
                    first_frame: frame,
                    entire,
                    done: false,
                    total: None,
                    data: Pending::default(),
                    frames: vec![frame],
                    resume: if need == Need::OneMoreSegment { resume } else { None },
                };
                if !lt(nxtseq, nxtpdu) {
                    m.total = Some(nxtseq.wrapping_sub(dseq) as usize);
                }
                let piece = &b.data[doff.min(cap_end)..cap_end];
                if !add_piece(&mut m, 0, piece, limits, &mut flow.held) {
                    warn(limits);
                }
                flow.msps.push(m);
            }
        }
        if another > 0 {
            off += another as usize;
            seq = seq.wrapping_add(another);
            if off < end {
                continue;
            }
        }
        return;
    }
}

/// Adds bytes to a PDU within the caps; false when the total cap refused them.
fn add_piece(m: &mut Msp, at: usize, piece: &[u8], limits: &mut Limits, held: &mut usize) -> bool {
    let before = m.data.bytes().len();
    let want_end = (at + piece.len()).min(MAX_PDU as usize);
    let grow = want_end.saturating_sub(before);
    if limits.held + grow > limits.total {
        return false;
    }
    m.data.insert_capped(at, piece, MAX_PDU as usize);
    let grown = m.data.bytes().len() - before;
    limits.held += grown;
    *held += grown;
    true
}

/// A PDU was dissected: free its bytes, keep its range; forget the oldest finished ones.
fn finish(flow: &mut Flow, i: usize, limits: &mut Limits) {
    let m = &mut flow.msps[i];
    let n = m.data.bytes().len();
    limits.held -= n.min(limits.held);
    flow.held -= n.min(flow.held);
    m.data = Pending::default();
    m.frames = Vec::new();
    m.done = true;
    let done = flow.msps.iter().filter(|m| m.done).count();
    if done > DONE_KEPT {
        if let Some(pos) = flow.msps.iter().position(|m| m.done) {
            flow.msps.remove(pos);
        }
    }
}

fn warn(limits: &mut Limits) {
    if !limits.warned {
        limits.warned = true;
        eprintln!(
            "warning: TCP reassembly holds {} MiB, its limit; PDUs that span segments are not reassembled until streams finish (split the capture with editcap -c, or narrow it to the streams you need, to get them)",
            limits.total >> 20
        );
    }
}

trait MinSeq {
    fn min_seq(self, other: u32) -> u32;
}
impl MinSeq for u32 {
    fn min_seq(self, other: u32) -> u32 {
        if lt(self, other) {
            self
        } else {
            other
        }
    }
}

/// tshark's `tcp_dissect_pdus`: PDUs whose length `pdu_len` tells from their first `fixed`
/// bytes (0: not known yet), dissected one after the other while complete.
pub fn pdus(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    fixed: usize,
    pdu_len: impl Fn(&[u8]) -> usize,
    mut dissect: impl FnMut(&mut Cx, Bytes, usize, usize),
) -> Option<Deseg> {
    let start = off;
    let mut off = off;
    while off < end {
        let captured = b.len().min(end).saturating_sub(off);
        if captured < fixed {
            return Deseg::new(off - start, Need::OneMoreSegment);
        }
        let plen = pdu_len(&b.data[off..off + fixed]);
        if plen == 0 {
            return Deseg::new(off - start, Need::OneMoreSegment);
        }
        if plen < fixed {
            // A length shorter than the part it is read from: tshark reports a bounds error.
            cx.malformed();
            return None;
        }
        if captured < plen {
            return Deseg::new(off - start, Need::Bytes((plen - captured) as u32));
        }
        dissect(cx, b, off, off + plen);
        off += plen;
    }
    None
}

/// Gives back the bytes of a flow being dropped.
pub fn release(flow: &Flow, limits: &mut Limits) {
    limits.held -= flow.held.min(limits.held);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_order_wraps() {
        assert!(lt(0xffff_fff0, 5));
        assert!(le(5, 5));
        assert!(!lt(5, 0xffff_fff0));
        assert_eq!(0xffff_fff0u32.min_seq(5), 0xffff_fff0);
    }
}
