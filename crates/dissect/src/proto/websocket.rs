//! WebSocket (RFC 6455) after an HTTP `Upgrade: websocket` answered with 101: frames of a
//! 2-byte header, an extended length, a masking key and the payload, reassembled across
//! segments as tshark's `tcp_dissect_pdus` does. The payload is unmasked; a whole text
//! message is lines of text, a whole binary message data, control frames carry their own
//! fields. Fragmented messages are not put together (their payload is not dissected).
crate::declare_fields! {
    after = super::t30::END;
    PROTO = "websocket", "WebSocket", Protocol, None;
    FIN = "websocket.fin", "Fin", Boolean, None, mask = 0x80;
    RSV = "websocket.rsv", "Reserved", U8, Hex, mask = 0x70;
    OPCODE = "websocket.opcode", "Opcode", U8, Dec, mask = 0x0f, vals = OPCODE_VALS;
    MASK = "websocket.mask", "Mask", Boolean, None, mask = 0x80;
    PAYLOAD_LENGTH = "websocket.payload_length", "Payload length", U8, Dec, mask = 0x7f;
    PAYLOAD_LENGTH_EXT_16 = "websocket.payload_length_ext_16", "Extended Payload length (16 bits)", U16, Dec;
    PAYLOAD_LENGTH_EXT_64 = "websocket.payload_length_ext_64", "Extended Payload length (64 bits)", U64, Dec;
    MASKING_KEY = "websocket.masking_key", "Masking-Key", Bytes, None;
    MASKED_PAYLOAD = "websocket.masked_payload", "Masked payload", None, None;
    PAYLOAD = "websocket.payload", "Payload", None, None;
    PAYLOAD_TEXT = "websocket.payload.text", "Text", String, None;
    PAYLOAD_CLOSE = "websocket.payload.close", "Close", None, None;
    CLOSE_STATUS_CODE = "websocket.payload.close.status_code", "Status code", U16, Dec;
    CLOSE_REASON = "websocket.payload.close.reason", "Reason", String, None;
    PAYLOAD_PING = "websocket.payload.ping", "Ping", Bytes, None;
    PAYLOAD_PONG = "websocket.payload.pong", "Pong", Bytes, None;
    PAYLOAD_UNKNOWN = "websocket.payload.unknown", "Unknown", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::tree::{Buf, Span, Value};

pub static OPCODE_VALS: &[(u64, &str)] =
    &[(0, "Continuation"), (1, "Text"), (2, "Binary"), (8, "Connection Close"), (9, "Ping"), (10, "Pong")];

/// The length of the frame `d` starts with (header and payload); `None` while the bytes
/// that tell it have not all arrived.
pub fn frame_len(d: &[u8]) -> Option<u64> {
    let b1 = *d.get(1)?;
    let short = (b1 & 0x7f) as u64;
    let (len, hdr) = match short {
        126 => (u16::from_be_bytes(d.get(2..4)?.try_into().ok()?) as u64, 4),
        // tshark keeps the low 32 bits of a 64-bit length.
        127 => (u64::from_be_bytes(d.get(2..10)?.try_into().ok()?) & 0xffff_ffff, 10),
        n => (n, 2),
    };
    Some(hdr + if b1 & 0x80 != 0 { 4 } else { 0 } + len)
}

/// Whether `off..end` starts with a whole frame (else the data waits for more segments).
pub fn starts_whole(b: Bytes, off: usize, end: usize) -> bool {
    let d = b.data.get(off..b.len().min(end)).unwrap_or(&[]);
    frame_len(d).is_some_and(|l| d.len() as u64 >= l)
}

/// The WebSocket frames in `off..end` of the connection's data.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    let start = off;
    let mut off = off;
    let mut first = true;
    while off < end {
        let cap_end = b.len().min(end);
        let d = b.data.get(off..cap_end).unwrap_or(&[]);
        let Some(flen) = frame_len(d) else {
            if cap_end < end {
                // Cut short by the snapshot length: nothing more to tell.
                return None;
            }
            return Deseg::new(off - start, Need::OneMoreSegment);
        };
        if (d.len() as u64) < flen {
            if cap_end < end || flen > crate::reasm::MAX_PDU as u64 {
                return None;
            }
            return Deseg::new(off - start, Need::Bytes((flen - d.len() as u64) as u32));
        }
        frame(cx, b, off, off + flen as usize, first);
        first = false;
        off += flen as usize;
    }
    None
}

/// One whole frame `off..fend`.
fn frame(cx: &mut Cx, b: Bytes, off: usize, fend: usize, first: bool) {
    let d = &b.data[off..fend];
    let (b0, b1) = (d[0], d[1]);
    let short = b1 & 0x7f;
    let mut p = 2;
    let len = match short {
        126 => {
            p += 2;
            u16::from_be_bytes([d[2], d[3]]) as usize
        }
        127 => {
            p += 8;
            (u64::from_be_bytes(d[2..10].try_into().unwrap_or_default()) & 0xffff_ffff) as usize
        }
        n => n as usize,
    };
    let masked = b1 & 0x80 != 0;
    let payload_off = p + if masked { 4 } else { 0 };
    let sp = b.span(off, payload_off);
    if first {
        cx.proto(PROTO, "websocket", sp);
    } else {
        cx.push_name(crate::dissector::repeat("websocket"));
        cx.add(PROTO, Value::None, sp);
    }
    let r0 = b.span(off, 1);
    let r1 = b.span(off + 1, 1);
    cx.flag(FIN, b0 & 0x80 != 0, r0);
    cx.u(RSV, (b0 >> 4) & 7, r0);
    let opcode = b0 & 0x0f;
    cx.u(OPCODE, opcode, r0);
    cx.flag(MASK, masked, r1);
    cx.u(PAYLOAD_LENGTH, short, r1);
    match short {
        126 => cx.u(PAYLOAD_LENGTH_EXT_16, len as u16, b.span(off + 2, 2)),
        127 => cx.u(PAYLOAD_LENGTH_EXT_64, len as u64, b.span(off + 2, 8)),
        _ => {}
    }
    let key = if masked {
        let k = [d[p], d[p + 1], d[p + 2], d[p + 3]];
        cx.add(MASKING_KEY, Value::Bytes(b.span(off + p, 4)), b.span(off + p, 4));
        Some(k)
    } else {
        None
    };
    if len == 0 {
        return;
    }
    let pl = &d[payload_off..payload_off + len];
    if masked {
        cx.add(MASKED_PAYLOAD, Value::None, b.span(off + payload_off, len));
    }
    // The payload, unmasked, in a buffer of its own.
    let mut stream = std::mem::take(&mut cx.tree.stream);
    let base = stream.len();
    match key {
        Some(k) => stream.extend(pl.iter().enumerate().map(|(i, &c)| c ^ k[i % 4])),
        None => stream.extend_from_slice(pl),
    }
    let ub = Bytes::new(&stream, Buf::Stream);
    let uspan = ub.span(base, len);
    payload(cx, ub, base, base + len, uspan, b0 & 0x80 != 0, opcode);
    cx.tree.stream = stream;
}

/// The (unmasked) payload `off..end` of `b`.
fn payload(cx: &mut Cx, b: Bytes, off: usize, end: usize, span: Span, fin: bool, opcode: u8) {
    cx.add(PAYLOAD, Value::None, span);
    let d = &b.data[off..end];
    if opcode & 8 != 0 {
        match opcode {
            8 => {
                cx.add(PAYLOAD_CLOSE, Value::None, span);
                if d.len() >= 2 {
                    cx.u(CLOSE_STATUS_CODE, u16::from_be_bytes([d[0], d[1]]), b.span(off, 2));
                    if d.len() > 2 {
                        cx.add_str(CLOSE_REASON, &String::from_utf8_lossy(&d[2..]), b.span(off + 2, d.len() - 2));
                    }
                }
            }
            9 => cx.add(PAYLOAD_PING, Value::Bytes(span), span),
            10 => cx.add(PAYLOAD_PONG, Value::Bytes(span), span),
            _ => cx.add(PAYLOAD_UNKNOWN, Value::Bytes(span), span),
        }
        return;
    }
    if !fin || opcode == 0 {
        // A fragment of a message.
        return;
    }
    match opcode {
        1 => {
            cx.add_str(PAYLOAD_TEXT, &String::from_utf8_lossy(d), span);
            cx.proto(crate::proto::ftp_data::TEXT_LINES, "data-text-lines", span);
        }
        2 => crate::proto::data::dissect(cx, b, off, end),
        _ => cx.add(PAYLOAD_UNKNOWN, Value::Bytes(span), span),
    }
}

#[cfg(test)]
mod tests {
    use super::frame_len;

    #[test]
    fn frame_lengths() {
        // Unmasked, 5 bytes of payload.
        assert_eq!(frame_len(&[0x81, 0x05]), Some(7));
        // Masked: 4 more bytes of key.
        assert_eq!(frame_len(&[0x82, 0x85]), Some(11));
        // 16-bit extended length: 1536 bytes, masked.
        assert_eq!(frame_len(&[0x82, 0xfe, 0x06, 0x00]), Some(4 + 4 + 1536));
        // The extended length not yet complete.
        assert_eq!(frame_len(&[0x82, 0xfe, 0x06]), None);
        assert_eq!(frame_len(&[0x82, 0x7f, 0, 0, 0, 0, 0, 0, 1]), None);
        assert_eq!(frame_len(&[0x82, 0x7f, 0, 0, 0, 0, 0, 0, 1, 0]), Some(10 + 256));
        assert_eq!(frame_len(&[0x82]), None);
    }
}
