//! ISO transport on TCP (RFC 1006, TCP port 102): TPKT headers (version 3, reserved,
//! 16-bit length of the whole packet) around COTP (X.224) TPDUs. The data of a DT TPDU
//! whose EOT bit is clear waits for the next one of its direction (`cotp.segments` in
//! the tree when one ends a reassembly); complete data goes to S7 Communication when it
//! looks like it, else it is shown as data.
crate::declare_fields! {
    after = super::kafka::END;
    PROTO = "tpkt", "TPKT - ISO on TCP - RFC1006", Protocol, None;
    VERSION = "tpkt.version", "Version", U8, Dec;
    RESERVED = "tpkt.reserved", "Reserved", U8, Dec;
    LENGTH = "tpkt.length", "Length", U16, Dec;
    CONTINUATION = "tpkt.continuation_data", "Continuation data", Bytes, None;
    COTP = "cotp", "ISO 8073/X.224 COTP Connection-Oriented Transport Protocol", Protocol, None;
    LI = "cotp.li", "Length", U8, Dec;
    TYPE = "cotp.type", "PDU Type", U8, Hex, vals = COTP_TYPES;
    DESTREF = "cotp.destref", "Destination reference", U16, Hex;
    SRCREF = "cotp.srcref", "Source reference", U16, Hex;
    TPDU_NUMBER = "cotp.tpdu-number", "TPDU number", U8, Hex, mask = 0x7f;
    EOT = "cotp.eot", "Last data unit", Boolean, None, mask = 0x80, tfs = ("Yes", "No");
    S7COMM = "s7comm", "S7 Communication", Protocol, None;
    S7_PROTID = "s7comm.header.protid", "Protocol Id", U8, Hex;
    S7_ROSCTR = "s7comm.header.rosctr", "ROSCTR", U8, Dec, vals = ROSCTR;
    S7_REDID = "s7comm.header.redid", "Redundancy Identification (Reserved)", U16, Hex;
    S7_PDUREF = "s7comm.header.pduref", "Protocol Data Unit Reference", U16, Dec;
    S7_PARLG = "s7comm.header.parlg", "Parameter length", U16, Dec;
    S7_DATLG = "s7comm.header.datlg", "Data length", U16, Dec;
    S7_ERRCLS = "s7comm.header.errcls", "Error class", U8, Hex;
    S7_ERRCOD = "s7comm.header.errcod", "Error code", U8, Hex;
}

use crate::cx::{Bytes, Cx, FastMap, NetAddr};
use crate::reasm::Deseg;
use crate::tree::Value;

static COTP_TYPES: &[(u64, &str)] = &[
    (0x01, "ED Expedited Data"),
    (0x02, "EA Expedited Data Acknowledgement"),
    (0x05, "RJ Reject"),
    (0x06, "AK Data Acknowledgement"),
    (0x07, "ER TPDU Error"),
    (0x08, "DR Disconnect Request"),
    (0x0c, "DC Disconnect Confirm"),
    (0x0d, "CC Connect Confirm"),
    (0x0e, "CR Connect Request"),
    (0x0f, "DT Data"),
];

static ROSCTR: &[(u64, &str)] = &[(1, "Job"), (2, "Ack"), (3, "Ack_Data"), (7, "Userdata")];

/// The directions (source, destination) whose last DT TPDU had its EOT bit clear.
#[derive(Default)]
pub struct Table {
    pending: FastMap<((NetAddr, u16), (NetAddr, u16)), ()>,
}

/// Most directions remembered at once.
const MAX_PENDING: usize = 65_536;

/// TPKT packets in `off..end` of a TCP payload, between `ports` (source, destination).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) -> Option<Deseg> {
    if b.u8(off).is_some_and(|v| v != 3) {
        // Not a TPKT header: the rest of a packet tshark did not reassemble.
        cx.proto(PROTO, "tpkt", b.span_to(off, end));
        let sp = b.span_to(off, end);
        cx.add(CONTINUATION, Value::Bytes(sp), sp);
        return None;
    }
    let len = |h: &[u8]| u16::from_be_bytes([h[2], h[3]]) as usize;
    crate::proto::apps::pdu_items(cx, b, off, end, 4, len, (PROTO, "tpkt", "+tpkt"), |cx, b, o, e| {
        let (Some(v), Some(r), Some(l)) = (b.u8(o), b.u8(o + 1), b.be16(o + 2)) else { return };
        cx.u(VERSION, v, b.span(o, 1));
        cx.u(RESERVED, r, b.span(o + 1, 1));
        cx.u(LENGTH, l, b.span(o + 2, 2));
        if o + 4 < e {
            cotp(cx, b, o + 4, e, ports);
        }
    })
}

/// One COTP TPDU in `off..end`.
fn cotp(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) {
    cx.proto(COTP, "cotp", b.span_to(off, end));
    let (Some(li), Some(code)) = (b.u8(off), b.u8(off + 1)) else { return cx.bounds_error(off + 2, end) };
    cx.u(LI, li, b.span(off, 1));
    let kind = code >> 4;
    cx.u(TYPE, kind, b.span(off + 1, 1));
    let data_at = off + 1 + li as usize;
    match kind {
        0x0d | 0x0e | 0x08 | 0x0c => {
            if let (Some(d), Some(s)) = (b.be16(off + 2), b.be16(off + 4)) {
                cx.u(DESTREF, d, b.span(off + 2, 2));
                cx.u(SRCREF, s, b.span(off + 4, 2));
            }
        }
        0x0f => {
            let Some(n) = b.u8(off + 2) else { return cx.bounds_error(off + 3, end) };
            cx.u(TPDU_NUMBER, n & 0x7f, b.span(off + 2, 1));
            cx.flag(EOT, n & 0x80 != 0, b.span(off + 2, 1));
            if data_at > end {
                return cx.bounds_error(data_at, end);
            }
            let key = ((cx.src, ports.0), (cx.dst, ports.1));
            let table = &mut cx.st.apps.cotp.pending;
            if n & 0x80 == 0 {
                if table.len() >= MAX_PENDING {
                    table.clear();
                }
                table.insert(key, ());
                return;
            }
            if table.remove(&key).is_some() {
                cx.push_name("~cotp.segments");
            }
            payload(cx, b, data_at, end);
        }
        _ => {}
    }
}

/// The user data of a complete DT TPDU.
fn payload(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    if off >= end {
        return;
    }
    let d = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    if looks_like_s7comm(d) {
        s7comm(cx, b, off, end);
    } else {
        crate::proto::data::dissect(cx, b, off, end.min(b.len()));
    }
}

/// tshark's S7 Communication heuristic: ten bytes or more, protocol id 0x32 and a ROSCTR
/// from 1 to 7.
pub fn looks_like_s7comm(d: &[u8]) -> bool {
    d.len() >= 10 && d[0] == 0x32 && (1..=7).contains(&d[1])
}

/// The S7 Communication header.
fn s7comm(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(S7COMM, "s7comm", b.span_to(off, end));
    let (Some(p), Some(r), Some(red), Some(pdu), Some(par), Some(dat)) =
        (b.u8(off), b.u8(off + 1), b.be16(off + 2), b.be16(off + 4), b.be16(off + 6), b.be16(off + 8))
    else {
        return;
    };
    cx.u(S7_PROTID, p, b.span(off, 1));
    cx.u(S7_ROSCTR, r, b.span(off + 1, 1));
    cx.u(S7_REDID, red, b.span(off + 2, 2));
    cx.u(S7_PDUREF, pdu, b.span(off + 4, 2));
    cx.u(S7_PARLG, par, b.span(off + 6, 2));
    cx.u(S7_DATLG, dat, b.span(off + 8, 2));
    if r == 2 || r == 3 {
        if let (Some(c), Some(e)) = (b.u8(off + 10), b.u8(off + 11)) {
            if off + 12 <= end {
                cx.u(S7_ERRCLS, c, b.span(off + 10, 1));
                cx.u(S7_ERRCOD, e, b.span(off + 11, 1));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn s7comm_heuristic() {
        assert!(super::looks_like_s7comm(&[0x32, 1, 0, 0, 0, 1, 0, 0xe, 0, 0]));
        assert!(!super::looks_like_s7comm(&[0x72, 1, 0, 0xa, 0, 0x31, 0, 0, 0, 0]));
        assert!(!super::looks_like_s7comm(&[0x32, 8, 0, 0, 0, 1, 0, 0xe, 0, 0]));
        assert!(!super::looks_like_s7comm(&[0x32]));
    }
}
