//! Small text codecs the application dissectors share: base64 the way GLib decodes it
//! (tshark's), strict base64, hex, and tshark's ASCII rendering of packet text.

/// GLib's `g_base64_decode_inplace`: characters outside the alphabet are skipped, `=`
/// counts as a zero digit, every group of four digits gives three bytes minus one per `=`
/// in its last two places, and an unfinished last group is dropped.
pub fn glib_base64(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut v, mut i, mut last) = (0u32, 0, [0u8; 2]);
    for &c in s {
        let Some(rank) = rank(c).or((c == b'=').then_some(0)) else { continue };
        last = [c, last[0]];
        v = v << 6 | rank as u32;
        i += 1;
        if i == 4 {
            out.push((v >> 16) as u8);
            if last[1] != b'=' {
                out.push((v >> 8) as u8);
            }
            if last[0] != b'=' {
                out.push(v as u8);
            }
            i = 0;
            v = 0;
        }
    }
    out
}

/// Standard base64 (RFC 4648), padding optional, spaces and tabs ignored; `None` on any
/// other character.
pub fn base64(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in s {
        let v = match c {
            b'=' => break,
            b' ' | b'\t' => continue,
            _ => rank(c)?,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Standard base64 with padding.
pub fn base64_encode(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for ch in b.chunks(3) {
        let n = (ch[0] as u32) << 16 | (*ch.get(1).unwrap_or(&0) as u32) << 8 | *ch.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= ch.len() {
                s.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn rank(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Lower-case hex.
pub fn hex(b: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(H[(x >> 4) as usize] as char);
        s.push(H[(x & 15) as usize] as char);
    }
    s
}

/// The bytes before the first NUL (what a C string of them holds).
pub fn cstr(b: &[u8]) -> &[u8] {
    &b[..memchr::memchr(0, b).unwrap_or(b.len())]
}

/// tshark's `ENC_ASCII` strings: bytes above 0x7f become U+FFFD (as UTF-8), and the string
/// ends at a NUL.
pub fn ascii(b: &[u8]) -> Vec<u8> {
    let b = cstr(b);
    let mut out = Vec::with_capacity(b.len());
    for &c in b {
        if c < 0x80 {
            out.push(c);
        } else {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
    }
    out
}

/// UTF-16LE text as UTF-8 (unpaired surrogates become U+FFFD).
pub fn utf16le(b: &[u8]) -> Vec<u8> {
    let units = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units).map(|r| r.unwrap_or('\u{fffd}')).collect::<String>().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glib_quirks() {
        assert_eq!(glib_base64(b"dXNlcjpwYXNz"), b"user:pass");
        assert_eq!(glib_base64(b"dXNlcjpwYXM="), b"user:pas");
        assert_eq!(glib_base64(b"dXNlcjpwYQ=="), b"user:pa");
        // Invalid characters are skipped, a short last group dropped.
        assert_eq!(glib_base64(b"dX*Nl!cjp"), b"use");
        assert_eq!(base64(b"dXNlcjpwYQ=="), Some(b"user:pa".to_vec()));
        assert_eq!(base64(b"d*"), None);
        assert_eq!(base64_encode(b"user:pa"), "dXNlcjpwYQ==");
        assert_eq!(base64_encode(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(hex(&[0, 0xab]), "00ab");
        assert_eq!(ascii(b"a\xffb\0c"), "a\u{fffd}b".as_bytes());
        assert_eq!(utf16le(b"a\0b\0"), b"ab");
    }
}
