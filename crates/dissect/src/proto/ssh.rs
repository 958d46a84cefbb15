//! SSH (port 22, RFC 4253): each side's version line (`SSH-2.0-...`), then binary packets
//! (32-bit packet length, padding length, message code) until that side's NEW KEYS, after
//! which its packets are encrypted and shown as such. Unencrypted packets spanning segments
//! are reassembled; one `ssh` item per call, however many packets it holds.
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

/// One side of a connection: the frames its version line started and ended in, and the
/// frame of its NEW KEYS (its packets in later frames are encrypted).
#[derive(Default, Clone, Copy)]
struct Peer {
    version_start: u32,
    version_end: u32,
    key_end: u32,
}

/// A connection's two sides (client, then server) and the protocol version its version
/// lines announced (0 until one was seen: the data is then taken as encrypted).
#[derive(Default)]
pub struct Conv {
    peers: [Peer; 2],
    version: u8,
}

/// SSH data in `off..end` of a TCP payload; `client` when it goes to the server port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, client: bool, conv: &mut Conv) -> Option<Deseg> {
    let frame = cx.meta.number;
    let cap_end = b.len().min(end);
    let start = off;
    let mut off = off;
    // One protocol item holds every packet of the call.
    let mut shown = false;
    let mut show = |cx: &mut Cx, sp| {
        if !shown {
            cx.proto(PROTO, "ssh", sp);
            shown = true;
        }
    };
    while off < end {
        let d = b.data.get(off..cap_end).unwrap_or(&[]);
        if d.is_empty() {
            return None;
        }
        let peer = &mut conv.peers[!client as usize];
        let after_start = peer.version_start == 0 || frame >= peer.version_start;
        let before_end = peer.version_end == 0 || frame <= peer.version_end;
        if after_start && before_end && d.len() >= 4 && d[..4].eq_ignore_ascii_case(b"SSH-") {
            if peer.version_start == 0 {
                peer.version_start = frame;
            }
            // The version line, up to its line feed.
            let Some(nl) = memchr::memchr(b'\n', d) else {
                return Deseg::new(off - start, Need::OneMoreSegment);
            };
            peer.version_end = frame;
            // Only the client's line sets the version (tshark's reading).
            if client {
                conv.version = version(d).unwrap_or(conv.version);
            }
            show(cx, b.span_to(off, off + nl + 1));
            let mut line = &d[..nl];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            cx.add_str(PROTOCOL, &String::from_utf8_lossy(line), b.span(off, line.len()));
            off += nl + 1;
            continue;
        }
        if conv.version != 2 || (peer.key_end != 0 && frame >= peer.key_end) {
            // Encrypted (or SSH-1, or a connection whose start was not captured): the rest,
            // also after NEW KEYS in the same frame.
            show(cx, b.span_to(off, end));
            cx.add(ENCRYPTED_PACKET, Value::Bytes(b.span(off, d.len())), b.span(off, d.len()));
            return None;
        }
        let Some(plen) = b.be32(off) else {
            return Deseg::new(off - start, Need::OneMoreSegment);
        };
        let total = plen as usize + 4;
        if d.len() < total {
            if total <= MAX_PACKET {
                return Deseg::new(off - start, Need::Bytes((total - d.len()) as u32));
            }
            show(cx, b.span_to(off, end));
            cx.u(PACKET_LENGTH, plen, b.span(off, 4));
            return None;
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
                    peer.key_end = frame;
                }
            }
        }
        off += total;
    }
    None
}

/// The protocol version a version line announces: 2 for `SSH-2.` and `SSH-1.99-`, 1 for
/// other `SSH-1.` lines, none otherwise (case-insensitive, as tshark compares).
fn version(line: &[u8]) -> Option<u8> {
    let starts = |p: &[u8]| line.len() >= p.len() && line[..p.len()].eq_ignore_ascii_case(p);
    if starts(b"SSH-2.") || starts(b"SSH-1.99-") {
        Some(2)
    } else if starts(b"SSH-1.") {
        Some(1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions() {
        assert_eq!(super::version(b"SSH-2.0-OpenSSH_8.9\r\n"), Some(2));
        assert_eq!(super::version(b"ssh-1.99-Cisco-1.25\r\n"), Some(2));
        assert_eq!(super::version(b"SSH-1.5-1.2.27\n"), Some(1));
        assert_eq!(super::version(b"SSH-3.0-x\n"), None);
    }
}
