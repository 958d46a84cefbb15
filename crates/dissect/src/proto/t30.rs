//! T.30 fax control frames carried by T.38 (UDPTL) over UDP: the primary IFP packet's
//! data fields are read (aligned PER); HDLC data fragments are collected per direction,
//! and a field that ends the frame with a good or bad FCS hands the collected frame to
//! T.30 (tshark shows a `t30` layer only when earlier fragments were collected).
crate::declare_fields! {
    after = super::cldap::END;
    PROTO = "t30", "ITU-T Recommendation T.30", Protocol, None;
    ADDRESS = "t30.Address", "Address", U8, Hex;
    CONTROL = "t30.Control", "Control", U8, Hex;
    FACSIMILE_CONTROL = "t30.FacsimileControl", "Facsimile Control", U8, Dec, mask = 0x7f;
}

use crate::cx::{Bytes, Cx, FastMap, NetAddr};
use crate::tree::Span;

/// Most HDLC bytes collected for one frame, and most directions tracked.
const MAX_FRAME: usize = 1 << 16;
const MAX_DIRECTIONS: usize = 4096;

/// The HDLC frame being collected in each direction (by source and destination address).
#[derive(Default)]
pub struct Table {
    frames: FastMap<(NetAddr, NetAddr), Vec<u8>>,
}

/// One data field of an IFP packet: its type and data.
#[derive(Debug, PartialEq, Eq)]
struct Field<'a> {
    ftype: u8,
    data: Option<&'a [u8]>,
}

/// A PER length determinant at `p` (one or two bytes): the length and where what follows
/// starts.
fn length(d: &[u8], p: usize) -> Option<(usize, usize)> {
    let b0 = *d.get(p)?;
    if b0 & 0x80 == 0 {
        Some((b0 as usize, p + 1))
    } else if b0 & 0x40 == 0 {
        Some((((b0 & 0x3f) as usize) << 8 | *d.get(p + 1)? as usize, p + 2))
    } else {
        None
    }
}

/// The data fields of a UDPTL packet's primary IFP packet (None when it has none or the
/// encoding is not followed here): the sequence number and the fields.
fn primary(d: &[u8]) -> Option<(u16, Vec<Field<'_>>)> {
    let seq = u16::from_be_bytes([*d.first()?, *d.get(1)?]);
    let (n, p) = length(d, 2)?;
    let ifp = d.get(p..p + n)?;
    let b0 = *ifp.first()?;
    let present = b0 & 0x80 != 0;
    // The message type's bits fit in the first byte; the data field starts at the next.
    if !present {
        return Some((seq, Vec::new()));
    }
    let (count, mut q) = length(ifp, 1)?;
    let mut fields = Vec::new();
    for _ in 0..count.min(64) {
        let f = *ifp.get(q)?;
        q += 1;
        // Its optional data's presence bit, then the field type (three bits).
        let ftype = (f >> 4) & 7;
        let data = if f & 0x80 != 0 {
            let l = u16::from_be_bytes([*ifp.get(q)?, *ifp.get(q + 1)?]) as usize + 1;
            let v = ifp.get(q + 2..q + 2 + l)?;
            q += 2 + l;
            Some(v)
        } else {
            None
        };
        fields.push(Field { ftype, data });
    }
    Some((seq, fields))
}

/// The primary IFP packet of a T.38 datagram at `off..end`: collects HDLC
/// data and adds a `t30` layer for a frame it completes.
pub fn t38(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let src = (cx.src, cx.dst);
    let d = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    let Some((seq, fields)) = primary(d) else { return };
    let _ = seq;
    for f in fields {
        let t = &mut cx.st.t30;
        match f.ftype {
            // hdlc-data: one more piece of the frame.
            0 => {
                if let Some(v) = f.data {
                    if t.frames.len() >= MAX_DIRECTIONS && !t.frames.contains_key(&src) {
                        t.frames.clear();
                    }
                    let fr = t.frames.entry(src).or_default();
                    if fr.len() + v.len() <= MAX_FRAME {
                        fr.extend_from_slice(v);
                    }
                }
            }
            // The frame ends (good or bad FCS, with or without the signal's end).
            1..=5 => {
                let collected = t.frames.remove(&src).unwrap_or_default();
                if f.ftype != 1 && !collected.is_empty() {
                    let mut frame = collected;
                    if let Some(v) = f.data {
                        frame.extend_from_slice(v);
                    }
                    // T.38 calls T.30 inside its own item: no top-level item for io,phs.
                    let sp = cx.tree.push_scratch(&frame);
                    cx.nested(|cx| {
                        cx.proto(PROTO, "t30", sp);
                        if frame.len() >= 3 {
                            cx.u(ADDRESS, frame[0], Span::EMPTY);
                            cx.u(CONTROL, frame[1], Span::EMPTY);
                            cx.u(FACSIMILE_CONTROL, frame[2] & 0x7f, Span::EMPTY);
                        }
                    });
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ifp_fields() {
        // seq 24, v21 HDLC data 0x04.
        let d = [0x00, 0x18, 0x06, 0xc0, 0x01, 0x80, 0x00, 0x00, 0x04];
        let (seq, f) = primary(&d).unwrap();
        assert_eq!(seq, 24);
        assert_eq!(f, vec![Field { ftype: 0, data: Some(&[4u8][..]) }]);
        // seq 25, hdlc-fcs-OK without data.
        let d = [0x00, 0x19, 0x03, 0xc0, 0x01, 0x20];
        assert_eq!(primary(&d).unwrap().1, vec![Field { ftype: 2, data: None }]);
        // An indicator: no data field.
        assert!(primary(&[0, 1, 1, 0, 0, 0]).unwrap().1.is_empty());
        assert!(primary(&[0, 1, 9]).is_none());
    }
}
