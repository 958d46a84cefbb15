//! MySQL (TCP port 3306): packets led by a 3-byte little-endian length and a sequence
//! number, several per segment and spanning segments reassembled (one `mysql` layer per
//! packet). Only the packet header is read, except for pcap-creds: the server greeting's
//! salt and the client's login (`mysql_native_password`, also after an authentication
//! switch) give hashcat's MySQL challenge-response line (mode 11200).
crate::declare_fields! {
    after = super::nntp::END;
    PROTO = "mysql", "MySQL Protocol", Protocol, None;
    PACKET_LENGTH = "mysql.packet_length", "Packet Length", U24, Dec;
    PACKET_NUMBER = "mysql.packet_number", "Packet Number", U8, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tap::Credential;
use crate::tree::Value;

/// A connection's login, for pcap-creds.
#[derive(Default)]
pub struct Conv {
    /// The 20-byte scramble of the server's greeting (or of an authentication switch).
    salt: Option<[u8; 20]>,
    /// The login's username.
    user: Vec<u8>,
    /// The login was answered with a switch to `mysql_native_password`: the client's next
    /// packet is the 20-byte answer.
    switched: bool,
    /// The login packet was seen (later client packets are commands).
    logged_in: bool,
}

const HEADER: usize = 4;

fn pdu_len(h: &[u8]) -> usize {
    HEADER + (h[0] as usize | (h[1] as usize) << 8 | (h[2] as usize) << 16)
}

/// Packets in `off..end` of a TCP payload (without a connection's state).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    dissect_conv(cx, b, off, end, true, &mut Conv::default())
}

/// Packets in `off..end` of a TCP payload; `request` when they go to the server port.
pub fn dissect_conv(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool, conv: &mut Conv) -> Option<Deseg> {
    let mut first = true;
    crate::reasm::pdus(cx, b, off, end, HEADER, pdu_len, |cx, b, o, e| {
        let sp = b.span_to(o, e);
        if first {
            cx.proto(PROTO, "mysql", sp);
            first = false;
        } else {
            cx.push_name("+mysql");
            cx.add(PROTO, Value::None, sp);
        }
        if let (Some(l), Some(n)) = (b.arr::<3>(o), b.u8(o + 3)) {
            cx.u(PACKET_LENGTH, l[0] as u32 | (l[1] as u32) << 8 | (l[2] as u32) << 16, b.span(o, 3));
            cx.u(PACKET_NUMBER, n, b.span(o + 3, 1));
        }
        if cx.creds_on() {
            if let Some(c) = login(b.data.get(o + HEADER..e.min(b.len())).unwrap_or(&[]), request, conv) {
                cx.credential(c);
            }
        }
    })
}

/// Reads one packet's payload `p` for the login exchange.
fn login(p: &[u8], request: bool, conv: &mut Conv) -> Option<Credential> {
    if !request {
        if conv.salt.is_none() && !conv.logged_in {
            conv.salt = greeting_salt(p);
        } else if conv.logged_in && p.first() == Some(&0xfe) && p.len() > 1 {
            // Authentication switch: the plugin's name, then its data.
            let rest = &p[1..];
            let z = memchr::memchr(0, rest)?;
            conv.switched = &rest[..z] == b"mysql_native_password";
            if conv.switched {
                conv.salt = rest.get(z + 1..z + 21).and_then(|s| s.try_into().ok());
            }
        }
        return None;
    }
    if conv.switched {
        conv.switched = false;
        return hash_line(&conv.user, conv.salt?, p.get(..20)?);
    }
    if conv.logged_in || conv.salt.is_none() {
        return None;
    }
    // HandshakeResponse41: capabilities (4), max packet (4), charset (1), filler (23),
    // username (NUL-terminated), the answer, database, plugin name.
    let caps = u32::from_le_bytes(p.get(..4)?.try_into().ok()?);
    if caps & 0x200 == 0 {
        return None; // protocol 4.1 only
    }
    if p.len() == 32 && caps & 0x800 != 0 {
        return None; // an SSL request: TLS follows
    }
    conv.logged_in = true;
    let at = 32;
    let z = memchr::memchr(0, p.get(at..)?)?;
    conv.user = p[at..at + z].to_vec();
    let mut q = at + z + 1;
    let n = if caps & 0x0020_0000 != 0 {
        // A length-encoded integer (answers are short: one byte, or 0xfc and two).
        match *p.get(q)? {
            0xfc => {
                let n = p.get(q + 1..q + 3)?;
                q += 3;
                u16::from_le_bytes([n[0], n[1]]) as usize
            }
            n if n < 0xfb => {
                q += 1;
                n as usize
            }
            _ => return None,
        }
    } else if caps & 0x8000 != 0 {
        q += 1;
        *p.get(q - 1)? as usize
    } else {
        memchr::memchr(0, p.get(q..)?)?
    };
    let answer = p.get(q..q + n)?;
    let mut r = q + n;
    if caps & 8 != 0 {
        r += memchr::memchr(0, p.get(r..)?).map_or(p.len(), |z| z + 1);
    }
    if caps & 0x0008_0000 != 0 {
        if let Some(plugin) = p.get(r..).map(|t| crate::codec::cstr(t)) {
            if !plugin.is_empty() && plugin != b"mysql_native_password" {
                return None;
            }
        }
    }
    if answer.len() != 20 {
        return None;
    }
    hash_line(&conv.user, conv.salt?, answer)
}

/// The 20-byte scramble of a protocol 10 greeting: 8 bytes after the thread id, 12 more
/// after the fixed part.
fn greeting_salt(p: &[u8]) -> Option<[u8; 20]> {
    if p.first() != Some(&10) {
        return None;
    }
    let v = memchr::memchr(0, &p[1..])? + 2;
    let part1 = p.get(v + 4..v + 12)?;
    // filler, capabilities (2), charset, status (2), capabilities (2), data length,
    // reserved (10).
    let part2 = p.get(v + 12 + 1 + 2 + 1 + 2 + 2 + 1 + 10..)?.get(..12)?;
    let mut salt = [0u8; 20];
    salt[..8].copy_from_slice(part1);
    salt[8..].copy_from_slice(part2);
    Some(salt)
}

fn hash_line(user: &[u8], salt: [u8; 20], answer: &[u8]) -> Option<Credential> {
    let hex = |b: &[u8]| b.iter().map(|x| format!("{:02x}", x)).collect::<String>();
    let line = format!("$mysqlna${}*{}", hex(&salt), hex(answer));
    Some(Credential::hash("MySQL", user, b"", line, 11200))
}

#[cfg(test)]
mod tests {
    #[test]
    fn native_password_login() {
        // A greeting: protocol 10, version, thread id, scramble part 1, filler,
        // capabilities, charset, status, capabilities, data length 21, reserved,
        // scramble part 2 and its NUL, plugin name.
        let mut g = vec![10];
        g.extend_from_slice(b"10.11.19-MariaDB\0");
        g.extend_from_slice(&[1, 0, 0, 0]);
        g.extend_from_slice(b"ABCDEFGH");
        g.extend_from_slice(&[0, 0xfe, 0xf7, 8, 2, 0, 0xff, 0x81, 21]);
        g.extend_from_slice(&[0; 10]);
        g.extend_from_slice(b"IJKLMNOPQRST\0mysql_native_password\0");
        let mut conv = super::Conv::default();
        assert!(super::login(&g, false, &mut conv).is_none());
        assert_eq!(&conv.salt.unwrap(), b"ABCDEFGHIJKLMNOPQRST");
        // The login: 4.1, secure connection, plugin auth with length-encoded data.
        let mut l = (0x0200u32 | 0x8000 | 0x0008_0000 | 0x0020_0000).to_le_bytes().to_vec();
        l.extend_from_slice(&[0; 28]);
        l.extend_from_slice(b"bob\0");
        l.push(20);
        l.extend_from_slice(&[0xab; 20]);
        l.extend_from_slice(b"mysql_native_password\0");
        let c = super::login(&l, true, &mut conv).expect("a hash line");
        assert_eq!(c.username, b"bob");
        assert_eq!(c.hashcat, Some(11200));
        let want = format!("$mysqlna$4142434445464748494a4b4c4d4e4f5051525354*{}", "ab".repeat(20));
        assert_eq!(String::from_utf8(c.secret).unwrap(), want);
        // Later packets are commands; truncated ones give nothing.
        assert!(super::login(&l, true, &mut conv).is_none());
        for n in 0..l.len() {
            let mut fresh = super::Conv { salt: Some([0; 20]), ..Default::default() };
            let _ = super::login(&l[..n], true, &mut fresh);
        }
        for n in 0..g.len() {
            let _ = super::greeting_salt(&g[..n]);
        }
    }

    #[test]
    fn length() {
        assert_eq!(super::pdu_len(&[0x4a, 0, 0, 0]), 78);
        assert_eq!(super::pdu_len(&[0, 1, 0, 1]), 260);
        assert_eq!(super::pdu_len(&[0, 0, 1, 9]), 65540);
    }
}
