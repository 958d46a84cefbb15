//! A small BER/DER reader for the ASN.1 protocols whose credentials pcap-creds reads
//! (SNMP, LDAP, Kerberos): definite lengths only, every read bounds-checked, nesting walked
//! by the caller (no recursion here).

/// One tag-length-value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// 0 universal, 1 application, 2 context-specific, 3 private.
    pub class: u8,
    pub constructed: bool,
    pub tag: u32,
    pub value: &'a [u8],
}

/// The TLV at the start of `d` and what follows it.
pub fn parse(d: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let first = *d.first()?;
    let mut p = 1;
    let mut tag = (first & 0x1f) as u32;
    if tag == 0x1f {
        tag = 0;
        loop {
            let b = *d.get(p)?;
            p += 1;
            tag = tag.checked_mul(128)? | (b & 0x7f) as u32;
            if b & 0x80 == 0 {
                break;
            }
            if p > 5 {
                return None;
            }
        }
    }
    let lb = *d.get(p)?;
    p += 1;
    let len = if lb < 0x80 {
        lb as usize
    } else {
        let n = (lb & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut l = 0usize;
        for _ in 0..n {
            l = l << 8 | *d.get(p)? as usize;
            p += 1;
        }
        l
    };
    let value = d.get(p..p.checked_add(len)?)?;
    Some((Tlv { class: first >> 6, constructed: first & 0x20 != 0, tag, value }, &d[p + len..]))
}

/// The length of the TLV at the start of `d` once its header is in (for framing a stream):
/// `Some(0)` when the header itself is not complete yet, `None` when it cannot be BER.
pub fn total_len(d: &[u8]) -> Option<usize> {
    if d.len() < 2 {
        return Some(0);
    }
    let lb = d[1];
    if lb < 0x80 {
        return Some(2 + lb as usize);
    }
    let n = (lb & 0x7f) as usize;
    if n == 0 || n > 4 {
        return None;
    }
    if d.len() < 2 + n {
        return Some(0);
    }
    let l = d[2..2 + n].iter().fold(0usize, |a, &b| a << 8 | b as usize);
    Some(2 + n + l)
}

/// The children of a constructed value, in order (stops at the first malformed one).
pub fn children(v: &[u8]) -> impl Iterator<Item = Tlv<'_>> {
    let mut rest = v;
    std::iter::from_fn(move || {
        let (t, r) = parse(rest)?;
        rest = r;
        Some(t)
    })
}

/// The context-specific child `[tag]` of a constructed value.
pub fn ctx(v: &[u8], tag: u32) -> Option<Tlv<'_>> {
    children(v).find(|t| t.class == 2 && t.tag == tag)
}

/// The single element inside an explicit tag (`[n] EXPLICIT X`).
pub fn inner(t: Tlv<'_>) -> Option<Tlv<'_>> {
    parse(t.value).map(|x| x.0)
}

/// An INTEGER's value (up to 8 bytes, two's complement).
pub fn int(v: &[u8]) -> Option<i64> {
    if v.is_empty() || v.len() > 8 {
        return None;
    }
    let mut x: i64 = if v[0] & 0x80 != 0 { -1 } else { 0 };
    for &b in v {
        x = x << 8 | b as i64;
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_children() {
        let d = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, b'x'];
        let (t, rest) = parse(&d).unwrap();
        assert!(t.constructed && t.tag == 16 && rest.is_empty());
        let kids: Vec<_> = children(t.value).collect();
        assert_eq!(kids.len(), 2);
        assert_eq!(int(kids[0].value), Some(5));
        assert_eq!(kids[1].value, b"x");
        assert_eq!(parse(&[0x30, 0x82, 0x01]), None);
        assert_eq!(parse(&[0x30, 0x05, 0x01]), None);
        assert_eq!(total_len(&[0x30, 0x82, 0x01, 0x00]), Some(260));
        assert_eq!(total_len(&[0x30]), Some(0));
        assert_eq!(int(&[0xff]), Some(-1));
    }
}
