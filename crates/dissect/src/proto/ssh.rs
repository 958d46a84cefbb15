//! SSH (port 22, RFC 4253): each side's version line (`SSH-2.0-...`), then binary packets
//! (32-bit packet length, padding length, message code) until that side's NEW KEYS, after
//! which its packets are encrypted and shown as such. Unencrypted packets spanning segments
//! are reassembled; one `ssh` layer per call, however many packets it holds.
crate::declare_fields! {
    after = super::bgp::END;
    PROTO = "ssh", "SSH Protocol", Protocol, None;
    PROTOCOL = "ssh.protocol", "Protocol", String, None;
    PACKET_LENGTH = "ssh.packet_length", "Packet Length", U32, Dec;
    PADDING_LENGTH = "ssh.padding_length", "Padding Length", U8, Dec;
    MESSAGE_CODE = "ssh.message_code", "Message Code", U8, Dec;
    ENCRYPTED_PACKET = "ssh.encrypted_packet", "Encrypted Packet", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::{Deseg, Need};
use crate::tree::Value;

/// SSH_MSG_NEWKEYS: the sender's later packets are encrypted.
const NEWKEYS: u8 = 21;
/// Longest packet read as one (larger lengths are not waited for).
const MAX_PACKET: usize = 2_048_000;

/// One side of a connection.
#[derive(Default, Clone, Copy)]
struct Peer {
    version_seen: bool,
    encrypted: bool,
}

/// A connection's two sides: client (index 0) and server.
#[derive(Default)]
pub struct Conv {
    peers: [Peer; 2],
}

/// SSH data in `off..end` of a TCP payload; `client` when it goes to the server port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, client: bool, conv: &mut Conv) -> Option<Deseg> {
    let peer = &mut conv.peers[!client as usize];
    let cap_end = b.len().min(end);
    let start = off;
    let mut off = off;
    let mut shown = false;
    let mut show = |cx: &mut Cx, sp| {
        if !shown {
            cx.proto(PROTO, "ssh", sp);
            shown = true;
        } else {
            cx.add(PROTO, Value::None, sp);
        }
    };
    while off < end {
        let d = b.data.get(off..cap_end).unwrap_or(&[]);
        if d.is_empty() {
            return None;
        }
        if !peer.version_seen && !peer.encrypted {
            // The version line, up to its line feed.
            let Some(nl) = memchr::memchr(b'\n', d) else {
                return Deseg::new(off - start, Need::OneMoreSegment);
            };
            show(cx, b.span_to(off, off + nl + 1));
            let mut line = &d[..nl];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            cx.add_str(PROTOCOL, &String::from_utf8_lossy(line), b.span(off, line.len()));
            peer.version_seen = true;
            off += nl + 1;
            continue;
        }
        if peer.encrypted {
            show(cx, b.span_to(off, end));
            cx.add(ENCRYPTED_PACKET, Value::Bytes(b.span(off, d.len())), b.span(off, d.len()));
            return None;
        }
        let Some(plen) = b.be32(off) else {
            return Deseg::new(off - start, Need::OneMoreSegment);
        };
        let total = plen as usize + 4;
        if total > MAX_PACKET {
            show(cx, b.span_to(off, end));
            cx.u(PACKET_LENGTH, plen, b.span(off, 4));
            return None;
        }
        if d.len() < total {
            return Deseg::new(off - start, Need::Bytes((total - d.len()) as u32));
        }
        show(cx, b.span_to(off, off + total));
        cx.u(PACKET_LENGTH, plen, b.span(off, 4));
        if let Some(pad) = b.u8(off + 4) {
            cx.u(PADDING_LENGTH, pad, b.span(off + 4, 1));
        }
        if plen >= 2 {
            if let Some(code) = b.u8(off + 5) {
                cx.u(MESSAGE_CODE, code, b.span(off + 5, 1));
                if code == NEWKEYS {
                    peer.encrypted = true;
                }
            }
        }
        off += total;
    }
    None
}
