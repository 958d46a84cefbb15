//! Stream Control Transmission Protocol (IP protocol 132): the common header and the chunks
//! (type, flags, length); each DATA chunk's user data goes to the protocol of its payload
//! protocol identifier, else of the lower port (M3UA), else to `data` — one call per chunk,
//! so `frame.protocols` names a protocol once per chunk.
crate::declare_fields! {
    after = super::nhrp::END;
    PROTO = "sctp", "Stream Control Transmission Protocol", Protocol, None;
    SRCPORT = "sctp.srcport", "Source port", U16, Dec;
    DSTPORT = "sctp.dstport", "Destination port", U16, Dec;
    PORT = "sctp.port", "Port", U16, Dec;
    VERIFICATION_TAG = "sctp.verification_tag", "Verification tag", U32, Hex;
    CHECKSUM = "sctp.checksum", "Checksum", U32, Hex;
    CHUNK_TYPE = "sctp.chunk_type", "Chunk type", U8, Dec;
    CHUNK_FLAGS = "sctp.chunk_flags", "Chunk flags", U8, Hex;
    CHUNK_LENGTH = "sctp.chunk_length", "Chunk length", U16, Dec;
    DATA_TSN_RAW = "sctp.data_tsn_raw", "Transmission sequence number (absolute)", U32, Dec;
    DATA_SID = "sctp.data_sid", "Stream identifier", U16, Hex;
    DATA_SSN = "sctp.data_ssn", "Stream sequence number", U16, Dec;
    DATA_PAYLOAD_PROTO_ID = "sctp.data_payload_proto_id", "Payload protocol identifier", U32, Dec;
}

use crate::cx::{Bytes, Cx};

/// Most chunks read from one packet (a hostile packet of empty chunks stays bounded).
const MAX_CHUNKS: usize = 256;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.reported);
    cx.proto(PROTO, "sctp", b.span_to(off, end));
    let (Some(sp), Some(dp)) = (b.be16(off), b.be16(off + 2)) else { return };
    cx.u(SRCPORT, sp, b.span(off, 2));
    cx.u(DSTPORT, dp, b.span(off + 2, 2));
    cx.u(PORT, sp, b.span(off, 2));
    cx.u(PORT, dp, b.span(off + 2, 2));
    let (Some(tag), Some(ck)) = (b.be32(off + 4), b.be32(off + 8)) else { return };
    cx.u(VERIFICATION_TAG, tag, b.span(off + 4, 4));
    cx.u(CHECKSUM, ck, b.span(off + 8, 4));
    let mut p = off + 12;
    let mut after_data = false;
    for _ in 0..MAX_CHUNKS {
        let (Some(ty), Some(fl), Some(len)) = (b.u8(p), b.u8(p + 1), b.be16(p + 2)) else { return };
        // A chunk after a DATA chunk (whose payload went to the tree's root) starts another
        // SCTP item of the tree, no layer of `frame.protocols`.
        if after_data {
            cx.push_name("+sctp");
            cx.proto_quiet(PROTO, b.span_to(p, end));
        }
        after_data = ty == 0;
        cx.u(CHUNK_TYPE, ty, b.span(p, 1));
        cx.u(CHUNK_FLAGS, fl, b.span(p + 1, 1));
        cx.u(CHUNK_LENGTH, len, b.span(p + 2, 2));
        let len = len as usize;
        if len < 4 {
            return;
        }
        let cend = (p + len).min(end);
        if ty == 0 && len >= 16 {
            data_chunk(cx, b, p, cend, fl, (sp, dp));
        }
        p += (len + 3) & !3;
        if p >= end {
            return;
        }
    }
}

fn data_chunk(cx: &mut Cx, b: Bytes, p: usize, cend: usize, flags: u8, (sp, dp): (u16, u16)) {
    let (Some(tsn), Some(sid), Some(ssn), Some(ppid)) = (b.be32(p + 4), b.be16(p + 8), b.be16(p + 10), b.be32(p + 12))
    else {
        return;
    };
    cx.u(DATA_TSN_RAW, tsn, b.span(p + 4, 4));
    cx.u(DATA_SID, sid, b.span(p + 8, 2));
    cx.u(DATA_SSN, ssn, b.span(p + 10, 2));
    cx.u(DATA_PAYLOAD_PROTO_ID, ppid, b.span(p + 12, 4));
    let data = p + 16;
    if data >= cend {
        return;
    }
    // A fragment of a message (B and E flags not both set): tshark reassembles, showing
    // nothing until the last fragment, which gets the whole message. Without reassembly
    // here, the last fragment's own bytes are data.
    match flags & 3 {
        3 => {}
        1 => return crate::proto::data::dissect(cx, b, data, cend),
        _ => return,
    }
    let m3ua = ppid == 3 || (ppid == 0 && (sp == 2905 || dp == 2905));
    let b = b.until(cend);
    if m3ua {
        crate::proto::m3ua::dissect(cx, b, data, cend);
    } else {
        crate::proto::data::dissect(cx, b, data, cend);
    }
}
