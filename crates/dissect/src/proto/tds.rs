//! MSSQL TDS (ports 1433 and 2433): the 8-byte packet header of each packet (one PDU of
//! the TCP stream, its length in the header), and inside its item the NTLMSSP token of a
//! TDS7 login's SSPI data or of an SSPI message. A packet that is not the end of its
//! message shows its body as data (inside the item; its reassembly is not done).
//!
//! The credentials tap: the LOGIN7 message's username and its password, which the client
//! only obscures (each byte's nibbles swapped, then XOR 0xA5; lengths from the message's own
//! length fields). Logins inside TLS stay unread.
crate::declare_fields! {
    after = super::brdwlk::END;
    PROTO = "tds", "Tabular Data Stream", Protocol, None;
    TYPE = "tds.type", "Type", U8, Dec, blurb = "Packet type";
    STATUS = "tds.status", "Status", U8, Hex, blurb = "Packet status";
    LENGTH = "tds.length", "Length", U16, Dec, blurb = "Packet length";
    CHANNEL = "tds.channel", "Channel", U16, Dec, blurb = "Channel Number";
    PACKET_NUMBER = "tds.packet_number", "Packet Number", U8, Dec;
    WINDOW = "tds.window", "Window", U8, Dec;
}

use crate::codec::utf16le;
use crate::cx::{Bytes, Cx};
use crate::proto::ntlmssp::Pairing;
use crate::reasm::Deseg;
use crate::tap::Credential;

/// The packet header's length.
const HEADER: usize = 8;
/// TDS7 login and SSPI message packet types.
const LOGIN7: u8 = 16;
const SSPI: u8 = 17;

/// Whether `d` starts with a TDS packet header tshark's TDS accepts (a known packet type
/// and a length that covers the header); else the payload is left to the heuristics.
pub fn looks_like(d: &[u8]) -> bool {
    d.len() >= HEADER && matches!(d[0], 1..=4 | 6 | 7 | 14..=18) && u16::from_be_bytes([d[2], d[3]]) as usize >= HEADER
}

/// The TDS packets of a TCP payload at `off..end`, each once complete.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ntlm: &mut Pairing) -> Option<Deseg> {
    let len = |d: &[u8]| u16::from_be_bytes([d[2], d[3]]) as usize;
    crate::proto::apps::pdu_items(cx, b, off, end, HEADER, len, (PROTO, "tds", "+tds"), |cx, b, o, e| {
        packet(cx, b, o, e, ntlm)
    })
}

/// One TDS packet at `off..end` (wholly captured; its item already added).
fn packet(cx: &mut Cx, b: Bytes, off: usize, end: usize, ntlm: &mut Pairing) {
    let Some(h) = b.arr::<HEADER>(off) else { return };
    let (ty, status) = (h[0], h[1]);
    cx.u(TYPE, ty, b.span(off, 1));
    cx.u(STATUS, status, b.span(off + 1, 1));
    cx.u(LENGTH, u16::from_be_bytes([h[2], h[3]]), b.span(off + 2, 2));
    cx.u(CHANNEL, u16::from_be_bytes([h[4], h[5]]), b.span(off + 4, 2));
    cx.u(PACKET_NUMBER, h[6], b.span(off + 6, 1));
    cx.u(WINDOW, h[7], b.span(off + 7, 1));
    let body = off + HEADER;
    if body >= end {
        return;
    }
    if status & 1 == 0 {
        // Not the end of its message: a fragment, shown as data.
        cx.nested(|cx| crate::proto::data::dissect(cx, b, body, end));
        return;
    }
    let token = match ty {
        LOGIN7 => sspi_of_login7(&b.data[body.min(b.len())..end.min(b.len())]).map(|(o, l)| (body + o, body + o + l)),
        SSPI => Some((body, end)),
        _ => None,
    };
    if let Some((s, e)) =
        token.filter(|&(s, e)| e <= end && b.data.get(s..e).is_some_and(|t| t.starts_with(b"NTLMSSP\0")))
    {
        cx.nested(|cx| crate::proto::ntlmssp::layer(cx, b, s, e, ntlm));
    }
}

/// (offset, length) of a LOGIN7 message's SSPI data in `body` (from the message's start),
/// when it has some.
fn sspi_of_login7(body: &[u8]) -> Option<(usize, usize)> {
    let le16 = |at: usize| body.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]) as usize);
    let (o, l) = (le16(78)?, le16(80)?);
    (l > 0).then_some((o, l))
}

/// A TDS packet (one segment's payload): a LOGIN7 gives a credential.
pub fn credentials(cx: &mut crate::cx::Cx, d: &[u8]) {
    if let Some((user, pass)) = login7(d) {
        cx.credential(Credential::cleartext("MSSQL", &user, &pass));
    }
}

/// (username, password) of a LOGIN7 packet (type 0x10).
fn login7(d: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    if *d.first()? != 0x10 {
        return None;
    }
    let body = d.get(8..)?;
    let le16 = |at: usize| body.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]) as usize);
    // OffsetLength pairs: ibUserName/cchUserName at 40, ibPassword/cchPassword at 44
    // (offsets from the start of LOGIN7, lengths in UTF-16 units).
    let field = |at: usize| -> Option<&[u8]> {
        let (off, chars) = (le16(at)?, le16(at + 2)?);
        body.get(off..off + chars * 2)
    };
    let user = field(40)?;
    let pass: Vec<u8> = field(44)?.iter().map(|&b| (b ^ 0xa5).rotate_left(4)).collect();
    if user.is_empty() {
        return None;
    }
    Some((utf16le(user), utf16le(&pass)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_check_and_sspi_offset() {
        assert!(super::looks_like(&[0x10, 1, 0, 155, 0, 0, 1, 0]));
        assert!(super::looks_like(&[0x02, 0, 2, 0, 0, 0, 1, 0]));
        assert!(!super::looks_like(&[0x05, 1, 0, 155, 0, 0, 1, 0]));
        assert!(!super::looks_like(&[0x10, 1, 0, 7, 0, 0, 1, 0]));
        assert!(!super::looks_like(&[0x10, 1, 0, 155]));
        let mut body = vec![0u8; 94];
        body[78..80].copy_from_slice(&94u16.to_le_bytes());
        body[80..82].copy_from_slice(&53u16.to_le_bytes());
        assert_eq!(super::sspi_of_login7(&body), Some((94, 53)));
        body[80..82].copy_from_slice(&0u16.to_le_bytes());
        assert_eq!(super::sspi_of_login7(&body), None);
        assert_eq!(super::sspi_of_login7(&body[..79]), None);
    }

    #[test]
    fn password_unobscured() {
        let utf16 = |s: &str| s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>();
        let (user, pass) = (utf16("sa"), utf16("Pw1!"));
        let mut body = vec![0u8; 94];
        let (uo, po) = (94u16, 94 + user.len() as u16);
        body[40..42].copy_from_slice(&uo.to_le_bytes());
        body[42..44].copy_from_slice(&2u16.to_le_bytes());
        body[44..46].copy_from_slice(&po.to_le_bytes());
        body[46..48].copy_from_slice(&4u16.to_le_bytes());
        body.extend_from_slice(&user);
        body.extend(pass.iter().map(|&b| b.rotate_left(4) ^ 0xa5));
        let mut d = vec![0x10, 1, 0, 0, 0, 0, 1, 0];
        d.extend_from_slice(&body);
        assert_eq!(super::login7(&d), Some((b"sa".to_vec(), b"Pw1!".to_vec())));
        assert_eq!(super::login7(&d[..60]), None);
    }
}
