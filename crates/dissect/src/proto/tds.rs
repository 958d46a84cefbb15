//! MSSQL TDS (port 1433) for the credentials tap: the LOGIN7 message's username and its
//! password, which the client only obscures (each byte's nibbles swapped, then XOR 0xA5;
//! lengths from the message's own length fields). Logins inside TLS stay unread. No tree is
//! built (the payload stays data).

use crate::codec::utf16le;
use crate::tap::Credential;

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
