//! iWARP over TCP: MPA (RFC 5044) found by its connection setup keys ("MPA ID Req Frame",
//! "MPA ID Rep Frame"), after which the connection carries FPDUs (a 16-bit ULPDU length,
//! the ULPDU, padding and a CRC), each holding a DDP/RDMAP segment (RFC 5041, 5040) whose
//! payload is data.
crate::declare_fields! {
    after = super::rpc::END;
    MPA = "iwarp_mpa", "iWARP Marker Protocol data unit Aligned framing", Protocol, None;
    KEY_REQ = "iwarp_mpa.key.req", "ID Req frame", Bytes, None;
    KEY_REP = "iwarp_mpa.key.rep", "ID Rep frame", Bytes, None;
    ULPDU_LENGTH = "iwarp_mpa.ulpdulength", "ULPDU length", U16, Dec;
    DDP_RDMAP = "iwarp_ddp_rdmap", "iWARP Direct Data Placement and Remote Direct Memory Access Protocol", Protocol, None;
    DV = "iwarp_ddp.dv", "DDP protocol version", U8, Dec, mask = 0x03;
    STAG = "iwarp_ddp.stag", "(Data Sink) Steering Tag", U32, Hex;
    QN = "iwarp_ddp.qn", "Queue number", U32, Dec;
    MSN = "iwarp_ddp.msn", "Message sequence number", U32, Dec;
    MO = "iwarp_ddp.mo", "Message offset", U32, Dec;
    RDMA_VERSION = "iwarp_rdma.version", "Version", U8, Dec, mask = 0xc0;
    RDMA_OPCODE = "iwarp_rdma.opcode", "OpCode", U8, Hex, mask = 0x0f;
}

use crate::cx::{Bytes, ConvKey, Cx};
use crate::tree::Value;

const KEY_LEN: usize = 16;
/// Connections remembered at most (the set is emptied past it).
const MAX_CONNS: usize = 100_000;

/// The TCP connections whose MPA setup was seen.
#[derive(Default)]
pub struct Table {
    established: crate::cx::FastMap<ConvKey, ()>,
}

fn key(cx: &Cx, ports: (u16, u16)) -> ConvKey {
    ConvKey::new((cx.src, ports.0), (cx.dst, ports.1))
}

/// What tshark's heuristic makes of a payload: `Some(Some(request))` for a setup frame,
/// `Some(None)` for an FPDU of a connection set up before.
pub fn looks_like(cx: &Cx, d: &[u8], ports: (u16, u16)) -> Option<Option<bool>> {
    if d.starts_with(b"MPA ID Req Frame") {
        return Some(Some(true));
    }
    if d.starts_with(b"MPA ID Rep Frame") {
        return Some(Some(false));
    }
    let t = &cx.st.apps.iwarp;
    (d.len() >= 2 + 14 + 4 && !t.established.is_empty() && t.established.contains_key(&key(cx, ports))).then_some(None)
}

/// A payload `off..end` [`looks_like`] took (`setup`: its answer).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, setup: Option<bool>, ports: (u16, u16)) {
    cx.proto(MPA, "iwarp_mpa", b.span_to(off, end));
    if let Some(request) = setup {
        let sp = b.span(off, KEY_LEN);
        cx.add(if request { KEY_REQ } else { KEY_REP }, Value::Bytes(sp), sp);
        if !request && !cx.in_error {
            let k = key(cx, ports);
            let t = &mut cx.st.apps.iwarp;
            if t.established.len() >= MAX_CONNS {
                t.established.clear();
            }
            t.established.insert(k, ());
        }
        return;
    }
    let Some(ulpdu) = b.be16(off) else { return };
    cx.u(ULPDU_LENGTH, ulpdu, b.span(off, 2));
    let p = off + 2;
    let ulp_end = (p + ulpdu as usize).min(end);
    let (Some(ddp), Some(rdma)) = (b.u8(p), b.u8(p + 1)) else { return };
    cx.proto(DDP_RDMAP, "iwarp_ddp_rdmap", b.span_to(p, ulp_end));
    cx.u(DV, ddp & 0x03, b.span(p, 1));
    cx.u(RDMA_VERSION, rdma >> 6, b.span(p + 1, 1));
    cx.u(RDMA_OPCODE, rdma & 0x0f, b.span(p + 1, 1));
    let hdr = if ddp & 0x80 != 0 {
        if let Some(s) = b.be32(p + 2) {
            cx.u(STAG, s, b.span(p + 2, 4));
        }
        14
    } else {
        for (i, f) in [QN, MSN, MO].into_iter().enumerate() {
            if let Some(v) = b.be32(p + 6 + 4 * i) {
                cx.u(f, v, b.span(p + 6 + 4 * i, 4));
            }
        }
        18
    };
    // Send and RDMA Write messages carry data after the headers.
    if matches!(rdma & 0x0f, 0 | 3..=7) && p + hdr < ulp_end {
        crate::proto::data::dissect(cx, b, p + hdr, ulp_end);
    }
}
