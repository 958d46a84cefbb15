//! DTLS (RFC 6347) over UDP, found by tshark's heuristic (whole records of a DTLS version
//! filling the datagram). The records' headers, the handshake messages' headers, and the
//! certificates of an unfragmented Certificate message (its X.509 layers) are read;
//! records of a later epoch are encrypted.
crate::declare_fields! {
    after = super::stun::END;
    PROTO = "dtls", "Datagram Transport Layer Security", Protocol, None;
    RECORD = "dtls.record", "Record Layer", None, None;
    RECORD_CONTENT_TYPE = "dtls.record.content_type", "Content Type", U8, Dec;
    RECORD_VERSION = "dtls.record.version", "Version", U16, Hex;
    RECORD_EPOCH = "dtls.record.epoch", "Epoch", U16, Dec;
    RECORD_SEQUENCE_NUMBER = "dtls.record.sequence_number", "Sequence Number", U64, Dec;
    RECORD_LENGTH = "dtls.record.length", "Length", U16, Dec;
    CHANGE_CIPHER_SPEC = "dtls.change_cipher_spec", "Change Cipher Spec Message", None, None;
    ALERT_MESSAGE = "dtls.alert_message", "Alert Message", None, None;
    ALERT_LEVEL = "dtls.alert_message.level", "Level", U8, Dec;
    ALERT_DESC = "dtls.alert_message.desc", "Description", U8, Dec;
    HANDSHAKE = "dtls.handshake", "Handshake Protocol", None, None;
    HANDSHAKE_TYPE = "dtls.handshake.type", "Handshake Type", U8, Dec;
    HANDSHAKE_LENGTH = "dtls.handshake.length", "Length", U24, Dec;
    HANDSHAKE_MESSAGE_SEQ = "dtls.handshake.message_seq", "Message Sequence", U16, Dec;
    HANDSHAKE_FRAGMENT_OFFSET = "dtls.handshake.fragment_offset", "Fragment Offset", U24, Dec;
    HANDSHAKE_FRAGMENT_LENGTH = "dtls.handshake.fragment_length", "Fragment Length", U24, Dec;
    HANDSHAKE_VERSION = "dtls.handshake.version", "Version", U16, Hex;
    HANDSHAKE_CERTIFICATES_LENGTH = "dtls.handshake.certificates_length", "Certificates Length", U24, Dec;
    HANDSHAKE_CERTIFICATE_LENGTH = "dtls.handshake.certificate_length", "Certificate Length", U24, Dec;
    HANDSHAKE_CERTIFICATE = "dtls.handshake.certificate", "Certificate", Bytes, None;
    APP_DATA = "dtls.app_data", "Encrypted Application Data", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

const RECORD_HDR: usize = 13;

/// A content type tshark takes (change cipher spec to the TLS 1.2 connection id type).
fn valid_content_type(t: u8) -> bool {
    (20..=25).contains(&t)
}

/// tshark's `looks_like_dtls`: a content type, then DTLS 1.0, 1.2 or OpenSSL's old 1.0.
fn record_start(d: &[u8], o: usize) -> bool {
    match d.get(o..o + 3) {
        Some(h) => valid_content_type(h[0]) && matches!(u16::from_be_bytes([h[1], h[2]]), 0xfeff | 0xfefd | 0x0100),
        None => false,
    }
}

/// tshark's DTLS heuristic over the captured payload `d` of `reported` bytes on the wire
/// (`fragmented`: the first fragment of an IP datagram).
pub fn looks_like(d: &[u8], reported: usize, fragmented: bool) -> bool {
    let len = d.len();
    let mut o = 0usize;
    if reported == len {
        while o + RECORD_HDR <= len && record_start(d, o) {
            o += u16::from_be_bytes([d[o + 11], d[o + 12]]) as usize + RECORD_HDR;
            if o == len {
                return true;
            }
        }
        return fragmented && o >= RECORD_HDR;
    }
    // Cut short by the snapshot length: as far as the records go.
    while len.saturating_sub(o) >= 3 {
        if !record_start(d, o) {
            return false;
        }
        o += 3;
        if len - o >= 10 {
            o += u16::from_be_bytes([d[o + 8], d[o + 9]]) as usize + 10;
        } else {
            return true;
        }
        if o == len {
            return true;
        }
    }
    len >= 3 && (o <= reported || fragmented)
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.reported);
    cx.proto(PROTO, "dtls", b.span_to(off, end));
    let cap = end.min(b.len());
    let mut o = off;
    while o + RECORD_HDR <= cap {
        let d = &b.data[o..o + RECORD_HDR];
        let ct = d[0];
        if !valid_content_type(ct) {
            break;
        }
        let len = u16::from_be_bytes([d[11], d[12]]) as usize;
        let epoch = u16::from_be_bytes([d[3], d[4]]);
        cx.add(RECORD, Value::None, b.span(o, (RECORD_HDR + len).min(cap - o)));
        cx.u(RECORD_CONTENT_TYPE, ct, b.span(o, 1));
        cx.u(RECORD_VERSION, u16::from_be_bytes([d[1], d[2]]), b.span(o + 1, 2));
        cx.u(RECORD_EPOCH, epoch, b.span(o + 3, 2));
        let seq = d[5..11].iter().fold(0u64, |a, &x| a << 8 | x as u64);
        cx.u(RECORD_SEQUENCE_NUMBER, seq, b.span(o + 5, 6));
        cx.u(RECORD_LENGTH, len as u32, b.span(o + 11, 2));
        let body = o + RECORD_HDR;
        if body + len > cap {
            break;
        }
        match ct {
            20 => cx.add(CHANGE_CIPHER_SPEC, Value::None, b.span(body, len)),
            21 => {
                cx.add(ALERT_MESSAGE, Value::None, b.span(body, len));
                if epoch == 0 && len == 2 {
                    cx.u(ALERT_LEVEL, b.data[body], b.span(body, 1));
                    cx.u(ALERT_DESC, b.data[body + 1], b.span(body + 1, 1));
                }
            }
            22 if epoch == 0 => handshake(cx, b, body, body + len),
            23 if len > 0 => cx.add(APP_DATA, Value::Bytes(b.span(body, len)), b.span(body, len)),
            _ => {}
        }
        o = body + len;
    }
}

/// The handshake messages of one record (`o..rend`).
fn handshake(cx: &mut Cx, b: Bytes, mut o: usize, rend: usize) {
    while o + 12 <= rend {
        let d = &b.data[o..o + 12];
        let be24 = |i: usize| (d[i] as u32) << 16 | (d[i + 1] as u32) << 8 | d[i + 2] as u32;
        let (t, len, frag_off, frag_len) = (d[0], be24(1), be24(6), be24(9));
        cx.add(HANDSHAKE, Value::None, b.span(o, (12 + frag_len as usize).min(rend - o)));
        cx.u(HANDSHAKE_TYPE, t, b.span(o, 1));
        cx.u(HANDSHAKE_LENGTH, len, b.span(o + 1, 3));
        cx.u(HANDSHAKE_MESSAGE_SEQ, u16::from_be_bytes([d[4], d[5]]), b.span(o + 4, 2));
        cx.u(HANDSHAKE_FRAGMENT_OFFSET, frag_off, b.span(o + 6, 3));
        cx.u(HANDSHAKE_FRAGMENT_LENGTH, frag_len, b.span(o + 9, 3));
        let body = o + 12;
        let bend = body + frag_len as usize;
        if bend > rend {
            return;
        }
        // A message in one piece (fragments of a larger one are not put together here).
        if frag_off == 0 && frag_len == len {
            match t {
                1 | 2 | 3 if frag_len >= 2 => {
                    cx.u(HANDSHAKE_VERSION, u16::from_be_bytes([b.data[body], b.data[body + 1]]), b.span(body, 2))
                }
                11 => certificates(cx, b, body, bend),
                _ => {}
            }
        }
        o = bend;
    }
}

/// A Certificate message's list, each certificate read as X.509.
fn certificates(cx: &mut Cx, b: Bytes, o: usize, end: usize) {
    let be24 = |p: usize| -> Option<usize> {
        let s = b.data.get(p..p + 3)?;
        Some((s[0] as usize) << 16 | (s[1] as usize) << 8 | s[2] as usize)
    };
    let Some(n) = be24(o).filter(|_| o + 3 <= end) else { return };
    cx.u(HANDSHAKE_CERTIFICATES_LENGTH, n as u32, b.span(o, 3));
    let list_end = (o + 3 + n).min(end);
    let mut p = o + 3;
    while p + 3 <= list_end {
        let Some(l) = be24(p) else { return };
        cx.u(HANDSHAKE_CERTIFICATE_LENGTH, l as u32, b.span(p, 3));
        p += 3;
        if p + l > list_end {
            return;
        }
        cx.add(HANDSHAKE_CERTIFICATE, Value::Bytes(b.span(p, l)), b.span(p, l));
        if super::x509::wanted(cx) {
            super::x509::certificate(cx, &b.data[p..p + l], b.buf, p);
        }
        p += l;
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like;

    #[test]
    fn heuristic() {
        // One record of 2 bytes: 13 + 2.
        let mut d = vec![22u8, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 9, 9];
        assert!(looks_like(&d, d.len(), false));
        // Two records back to back.
        let again = d.clone();
        d.extend_from_slice(&again);
        assert!(looks_like(&d, d.len(), false));
        // A length that does not end at the datagram's end.
        d.push(0);
        assert!(!looks_like(&d, d.len(), false));
        // TLS's version is not DTLS.
        let t = [22u8, 3, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0];
        assert!(!looks_like(&t, t.len(), false));
        assert!(!looks_like(&[23, 0xfe], 2, false));
    }
}
