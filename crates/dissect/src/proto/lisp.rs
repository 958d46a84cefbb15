//! LISP control messages (UDP port 4342). Map-Register and Map-Notify are read in full
//! (authentication data, mapping records with their locators, the xTR-ID and site-ID when
//! the I bit says so); other messages show their type. What follows the message is data
//! inside LISP's item.
crate::declare_fields! {
    after = super::openvpn::END;
    PROTO = "lisp", "Locator/ID Separation Protocol", Protocol, None;
    TYPE = "lisp.type", "Type", U24, Dec, mask = 0xf00000, vals = TYPES;
    MREG_FLAGS_PMR = "lisp.mreg.flags.pmr", "P bit (Proxy-Map-Reply)", Boolean, None, mask = 0x80000;
    MREG_FLAGS_SEC = "lisp.mreg.flags.sec", "S bit (LISP-SEC capable)", Boolean, None, mask = 0x40000;
    MREG_FLAGS_XTRID = "lisp.mreg.flags.xtrid", "I bit (xTR-ID present)", Boolean, None, mask = 0x20000;
    MREG_FLAGS_RTR = "lisp.mreg.flags.rtr", "R bit (Built for an RTR)", Boolean, None, mask = 0x10000;
    MREG_RES = "lisp.mreg.res", "Reserved bits", U24, Hex, mask = 0xfffe;
    MREG_FLAGS_WMN = "lisp.mreg.flags.wmn", "M bit (Want-Map-Notify)", Boolean, None, mask = 0x1;
    MNOT_FLAGS_XTRID = "lisp.mnot.flags.xtrid", "I bit (xTR-ID present)", Boolean, None, mask = 0x80000;
    MNOT_FLAGS_RTR = "lisp.mnot.flags.rtr", "R bit (Built for an RTR)", Boolean, None, mask = 0x40000;
    MNOT_RES = "lisp.mnot.res", "Reserved bits", U24, Hex, mask = 0x3ffff;
    RECORDS = "lisp.records", "Record Count", U8, Dec;
    NONCE = "lisp.nonce", "Nonce", U64, Hex;
    KEYID = "lisp.keyid", "Key ID", U16, Hex;
    AUTHLEN = "lisp.authlen", "Authentication Data Length", U16, Dec;
    AUTH = "lisp.auth", "Authentication Data", Bytes, None;
    MAPPING = "lisp.mapping", "Mapping Record", None, None;
    MAPPING_TTL = "lisp.mapping.ttl", "Record TTL", U32, Dec;
    MAPPING_LOCCNT = "lisp.mapping.loccnt", "Locator Count", U8, Dec;
    MAPPING_EID_MASKLEN = "lisp.mapping.eid.masklen", "EID Mask Length", U8, Dec;
    MAPPING_ACT = "lisp.mapping.act", "Action", U16, Dec, mask = 0xe000;
    MAPPING_AUTH = "lisp.mapping.auth", "Authoritative bit", Boolean, None, mask = 0x1000;
    MAPPING_VER = "lisp.mapping.ver", "Mapping Version", U16, Dec, mask = 0xfff;
    MAPPING_EID_AFI = "lisp.mapping.eid.afi", "EID Prefix AFI", U16, Dec;
    MAPPING_EID_IPV4 = "lisp.mapping.eid.ipv4", "EID Prefix", Ipv4, None;
    MAPPING_EID_IPV6 = "lisp.mapping.eid.ipv6", "EID Prefix", Ipv6, None;
    LOC = "lisp.loc", "Locator Record", None, None;
    LOC_PRIORITY = "lisp.loc.priority", "Priority", U8, Dec;
    LOC_WEIGHT = "lisp.loc.weight", "Weight", U8, Dec;
    LOC_MULTICAST_PRIORITY = "lisp.loc.multicast_priority", "Multicast Priority", U8, Dec;
    LOC_MULTICAST_WEIGHT = "lisp.loc.multicast_weight", "Multicast Weight", U8, Dec;
    LOC_FLAGS = "lisp.loc.flags", "Flags", U16, Hex;
    LOC_AFI = "lisp.loc.afi", "AFI", U16, Dec;
    LOC_LOCATOR = "lisp.loc.locator", "Locator", String, None;
    XTRID = "lisp.xtrid", "xTR-ID", Bytes, None;
    SITEID = "lisp.siteid", "Site-ID", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::{Span, Value};

const TYPES: &[(u64, &str)] = &[
    (1, "Map-Request"),
    (2, "Map-Reply"),
    (3, "Map-Register"),
    (4, "Map-Notify"),
    (6, "Map-Referral"),
    (7, "Info"),
    (8, "Encapsulated Control Message"),
];

/// Why a message's reading stopped.
enum Stop {
    /// The message ends before a field (tshark's exception): where the field would end.
    Short(usize),
    /// An address family this reader does not know (tshark gives up on the message).
    Unknown,
}

/// The address at `o` of family `afi`: its length, or Unknown.
fn afi_len(b: Bytes, o: usize, afi: u16, end: usize) -> Result<usize, Stop> {
    match afi {
        0 => Ok(0),
        1 => Ok(4),
        2 => Ok(16),
        16389 => Ok(6),
        // LCAF: a 6-byte header whose last two bytes give the length of what follows.
        16387 => match b.be16(o + 4) {
            Some(l) if o + 6 <= end => Ok(6 + l as usize),
            _ => Err(Stop::Short(o + 6)),
        },
        _ => Err(Stop::Unknown),
    }
}

fn need(b: Bytes, o: usize, n: usize, end: usize) -> Result<(), Stop> {
    if o + n > end || o + n > b.len() {
        Err(Stop::Short(o + n))
    } else {
        Ok(())
    }
}

/// One mapping record at `o`; where it ends.
fn mapping(cx: &mut Cx, b: Bytes, mut o: usize, end: usize) -> Result<usize, Stop> {
    need(b, o, 12, end)?;
    let d = &b.data[o..o + 12];
    cx.add(MAPPING, Value::None, Span::EMPTY);
    cx.u(MAPPING_TTL, u32::from_be_bytes([d[0], d[1], d[2], d[3]]), b.span(o, 4));
    let loccnt = d[4];
    cx.u(MAPPING_LOCCNT, loccnt, b.span(o + 4, 1));
    cx.u(MAPPING_EID_MASKLEN, d[5], b.span(o + 5, 1));
    let flags = u16::from_be_bytes([d[6], d[7]]);
    cx.u(MAPPING_ACT, flags >> 13, b.span(o + 6, 2));
    cx.flag(MAPPING_AUTH, flags & 0x1000 != 0, b.span(o + 6, 2));
    cx.u(MAPPING_VER, u16::from_be_bytes([d[8], d[9]]) & 0xfff, b.span(o + 8, 2));
    let afi = u16::from_be_bytes([d[10], d[11]]);
    cx.u(MAPPING_EID_AFI, afi, b.span(o + 10, 2));
    o += 12;
    let n = afi_len(b, o, afi, end)?;
    need(b, o, n, end)?;
    match afi {
        1 => cx.add(MAPPING_EID_IPV4, Value::Ipv4(b.arr::<4>(o).unwrap_or_default()), b.span(o, 4)),
        2 => cx.add(MAPPING_EID_IPV6, Value::Ipv6(b.arr::<16>(o).unwrap_or_default()), b.span(o, 16)),
        _ => {}
    }
    o += n;
    for _ in 0..loccnt {
        need(b, o, 8, end)?;
        let d = &b.data[o..o + 8];
        cx.add(LOC, Value::None, Span::EMPTY);
        cx.u(LOC_PRIORITY, d[0], b.span(o, 1));
        cx.u(LOC_WEIGHT, d[1], b.span(o + 1, 1));
        cx.u(LOC_MULTICAST_PRIORITY, d[2], b.span(o + 2, 1));
        cx.u(LOC_MULTICAST_WEIGHT, d[3], b.span(o + 3, 1));
        cx.u(LOC_FLAGS, u16::from_be_bytes([d[4], d[5]]), b.span(o + 4, 2));
        let afi = u16::from_be_bytes([d[6], d[7]]);
        cx.u(LOC_AFI, afi, b.span(o + 6, 2));
        o += 8;
        let n = afi_len(b, o, afi, end)?;
        need(b, o, n, end)?;
        match afi {
            1 => {
                let a = b.arr::<4>(o).unwrap_or_default();
                cx.add_str(LOC_LOCATOR, &format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]), b.span(o, 4));
            }
            2 => {
                let a = b.arr::<16>(o).unwrap_or_default();
                cx.add_str(LOC_LOCATOR, &std::net::Ipv6Addr::from(a).to_string(), b.span(o, 16));
            }
            _ => {}
        }
        o += n;
    }
    Ok(o)
}

/// A Map-Register or Map-Notify after its first 4 bytes; where it ends.
fn register_notify(cx: &mut Cx, b: Bytes, off: usize, end: usize, records: u8, xtrid: bool) -> Result<usize, Stop> {
    let mut o = off + 4;
    need(b, o, 12, end)?;
    let nonce = u64::from_be_bytes(b.arr::<8>(o).unwrap_or_default());
    cx.u(NONCE, nonce, b.span(o, 8));
    let keyid = b.be16(o + 8).unwrap_or(0);
    cx.u(KEYID, keyid, b.span(o + 8, 2));
    let authlen = b.be16(o + 10).unwrap_or(0) as usize;
    cx.u(AUTHLEN, authlen as u32, b.span(o + 10, 2));
    o += 12;
    need(b, o, authlen, end)?;
    if authlen > 0 {
        cx.add(AUTH, Value::Bytes(b.span(o, authlen)), b.span(o, authlen));
    }
    o += authlen;
    for _ in 0..records {
        o = mapping(cx, b, o, end)?;
    }
    if xtrid {
        need(b, o, 16, end)?;
        cx.add(XTRID, Value::Bytes(b.span(o, 16)), b.span(o, 16));
        o += 16;
        need(b, o, 8, end)?;
        cx.add(SITEID, Value::Bytes(b.span(o, 8)), b.span(o, 8));
        o += 8;
    }
    Ok(o)
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.reported);
    cx.proto(PROTO, "lisp", b.span_to(off, end));
    let Some(w) = b.be32(off).filter(|_| off + 4 <= end) else {
        cx.bounds_error(off + 4, end);
        return;
    };
    let hdr = w >> 8;
    let t = hdr >> 20;
    let r = b.span(off, 3);
    cx.u(TYPE, t, r);
    let result = match t {
        3 => {
            cx.flag(MREG_FLAGS_PMR, hdr & 0x80000 != 0, r);
            cx.flag(MREG_FLAGS_SEC, hdr & 0x40000 != 0, r);
            cx.flag(MREG_FLAGS_XTRID, hdr & 0x20000 != 0, r);
            cx.flag(MREG_FLAGS_RTR, hdr & 0x10000 != 0, r);
            cx.u(MREG_RES, (hdr & 0xfffe) >> 1, r);
            cx.flag(MREG_FLAGS_WMN, hdr & 1 != 0, r);
            cx.u(RECORDS, w as u8, b.span(off + 3, 1));
            register_notify(cx, b, off, end, w as u8, hdr & 0x20000 != 0)
        }
        4 => {
            cx.flag(MNOT_FLAGS_XTRID, hdr & 0x80000 != 0, r);
            cx.flag(MNOT_FLAGS_RTR, hdr & 0x40000 != 0, r);
            cx.u(MNOT_RES, hdr & 0x3ffff, r);
            cx.u(RECORDS, w as u8, b.span(off + 3, 1));
            register_notify(cx, b, off, end, w as u8, hdr & 0x80000 != 0)
        }
        _ => Err(Stop::Unknown),
    };
    match result {
        Ok(o) if o < end => cx.nested(|cx| crate::proto::data::dissect(cx, b, o, end)),
        Ok(_) | Err(Stop::Unknown) => {}
        Err(Stop::Short(n)) => cx.bounds_error(n, end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_lengths() {
        let d = [0u8, 0, 0, 0, 0, 9];
        let b = Bytes::new(&d, crate::tree::Buf::Frame);
        assert!(matches!(afi_len(b, 0, 1, 6), Ok(4)));
        assert!(matches!(afi_len(b, 0, 2, 6), Ok(16)));
        assert!(matches!(afi_len(b, 0, 16387, 6), Ok(15)));
        assert!(matches!(afi_len(b, 2, 16387, 6), Err(Stop::Short(8))));
        assert!(matches!(afi_len(b, 0, 99, 6), Err(Stop::Unknown)));
    }
}
