//! NetBIOS Name Service (UDP port 137): the DNS-like header, questions, and resource
//! records with NetBIOS names shown as tshark 4.0 shows them (`WORKGROUP<1d>`; a record's
//! name also carries the description of its type: `WORKGROUP<1d> (Local Master Browser)`),
//! and the addresses of NB records.
crate::declare_fields! {
    after = super::dhcpv6::END;
    PROTO = "nbns", "NetBIOS Name Service", Protocol, None;
    FLAGS = "nbns.flags", "Flags", U16, Hex;
    FLAGS_RESPONSE = "nbns.flags.response", "Response", Boolean, None, mask = 0x8000, tfs = ("Message is a response", "Message is a query"), blurb = "Is the message a response?";
    FLAGS_OPCODE = "nbns.flags.opcode", "Opcode", U16, Dec, mask = 0x7800, blurb = "Operation code";
    FLAGS_AUTHORITATIVE = "nbns.flags.authoritative", "Authoritative", Boolean, None, mask = 0x0400, blurb = "Is the server is an authority for the domain?";
    FLAGS_TRUNCATED = "nbns.flags.truncated", "Truncated", Boolean, None, mask = 0x0200, blurb = "Is the message truncated?";
    FLAGS_RECDESIRED = "nbns.flags.recdesired", "Recursion desired", Boolean, None, mask = 0x0100, blurb = "Do query recursively?";
    FLAGS_RECAVAIL = "nbns.flags.recavail", "Recursion available", Boolean, None, mask = 0x0080, blurb = "Can the server do recursive queries?";
    FLAGS_BROADCAST = "nbns.flags.broadcast", "Broadcast", Boolean, None, mask = 0x0010, blurb = "Is this a broadcast packet?";
    FLAGS_RCODE = "nbns.flags.rcode", "Reply code", U16, Dec, mask = 0x000f;
    ID = "nbns.id", "Transaction ID", U16, Hex, blurb = "Identification of transaction";
    COUNT_QUERIES = "nbns.count.queries", "Questions", U16, Dec, blurb = "Number of queries in packet";
    COUNT_ANSWERS = "nbns.count.answers", "Answer RRs", U16, Dec, blurb = "Number of answers in packet";
    COUNT_AUTH_RR = "nbns.count.auth_rr", "Authority RRs", U16, Dec, blurb = "Number of authoritative records in packet";
    COUNT_ADD_RR = "nbns.count.add_rr", "Additional RRs", U16, Dec, blurb = "Number of additional records in packet";
    NB_FLAGS = "nbns.nb_flags", "Name flags", U16, Hex;
    NB_FLAGS_GROUP = "nbns.nb_flags.group", "Name type", Boolean, None, mask = 0x8000, tfs = ("Group name", "Unique name");
    NB_FLAGS_ONT = "nbns.nb_flags.ont", "ONT", U16, Dec, mask = 0x6000;
    TYPE = "nbns.type", "Type", U16, Dec;
    CLASS = "nbns.class", "Class", U16, Dec;
    NAME = "nbns.name", "Name", String, None;
    ADDR = "nbns.addr", "Addr", Ipv4, None;
    TTL = "nbns.ttl", "Time to live", U32, Dec;
    DATA_LENGTH = "nbns.data_length", "Data length", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// What tshark calls a NetBIOS name's type (its 16th byte).
pub fn name_type_descr(t: u8) -> &'static str {
    match t {
        0x00 | 0x02 => "Workstation/Redirector",
        0x01 => "Browser",
        0x03 => "Messenger service/Main name",
        0x05 => "Forwarded name",
        0x06 => "RAS Server service",
        0x1b => "Domain Master Browser",
        0x1c => "Domain Controllers",
        0x1d => "Local Master Browser",
        0x1e => "Browser Election Service",
        0x1f => "Net DDE Service",
        0x20 => "Server service",
        0x21 => "RAS client service",
        0x22 => "Exchange Interchange (MSMail Connector)",
        0x23 => "Exchange Store",
        0x24 => "Exchange Directory",
        0x2b => "Lotus Notes Server service",
        0x30 => "Modem sharing server service",
        0x31 => "Modem sharing client service",
        0x43 => "SMS Clients Remote Control",
        0x44 => "SMS Administrators Remote Control Tool",
        0x45 => "SMS Clients Remote Chat",
        0x46 => "SMS Clients Remote Transfer",
        0x4c | 0x52 => "DEC Pathworks TCP/IP Service on Windows NT",
        0x6a => "Microsoft Exchange IMC",
        0x87 => "Microsoft Exchange MTA",
        0xbe => "Network Monitor Agent",
        0xbf => "Network Monitor Analyzer",
        _ => "Unknown",
    }
}

/// Reads a DNS-style name at `off` of `m` (compression pointers followed, a bounded number
/// of times) into `raw` as `label.label...`. Returns the offset just after the name in place.
pub fn read_labels(m: &[u8], mut off: usize, raw: &mut Vec<u8>) -> Option<usize> {
    raw.clear();
    let mut end = None;
    let mut jumps = 0;
    loop {
        let len = *m.get(off)? as usize;
        match len & 0xc0 {
            0x00 => {
                if len == 0 {
                    return Some(end.unwrap_or(off + 1));
                }
                let label = m.get(off + 1..off + 1 + len)?;
                if !raw.is_empty() {
                    raw.push(b'.');
                }
                raw.extend_from_slice(label);
                off += 1 + len;
                if raw.len() > 1024 {
                    return None;
                }
            }
            0xc0 => {
                let ptr = ((len & 0x3f) << 8) | *m.get(off + 1)? as usize;
                end.get_or_insert(off + 2);
                jumps += 1;
                if jumps > 64 {
                    return None;
                }
                off = ptr;
            }
            _ => return None,
        }
    }
}

/// Decodes the first-level encoding of a NetBIOS name (`raw`, the labels read by
/// [`read_labels`]): 15 characters (unprintable ones as `<xx>`, trailing spaces dropped),
/// the type as `<xx>`, then the scope. Returns the text and the type, or None when the
/// first label is not 32 letters `A`..`P`.
pub fn decode_name(raw: &[u8]) -> Option<(String, u8)> {
    let first = raw.get(..32)?;
    if raw.len() > 32 && raw[32] != b'.' {
        return None;
    }
    let mut bytes = [0u8; 16];
    for (i, pair) in first.chunks_exact(2).enumerate() {
        let (hi, lo) = (pair[0].wrapping_sub(b'A'), pair[1].wrapping_sub(b'A'));
        if hi > 15 || lo > 15 {
            return None;
        }
        bytes[i] = hi << 4 | lo;
    }
    let mut s = String::with_capacity(40);
    for &c in &bytes[..15] {
        if (0x20..0x7f).contains(&c) {
            s.push(c as char);
        } else {
            s.push_str(&format!("<{:02x}>", c));
        }
    }
    let kept = s.trim_end_matches(' ').len();
    s.truncate(kept);
    s.push_str(&format!("<{:02x}>", bytes[15]));
    if raw.len() > 32 {
        s.push_str(&String::from_utf8_lossy(&raw[32..]));
    }
    Some((s, bytes[15]))
}

/// The name as tshark shows a name it cannot decode: the labels as they are.
fn shown_name(raw: &[u8]) -> (String, Option<u8>) {
    match decode_name(raw) {
        Some((s, t)) => (s, Some(t)),
        None => (String::from_utf8_lossy(raw).into_owned(), None),
    }
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "nbns", b.span_to(off, end));
    // tshark's `-e nbns` shows the protocol's abbreviation.
    cx.label(PROTO, || "nbns".into());
    if !cx.wants_any(crate::field::FieldId(BASE + 1), END) {
        return;
    }
    let m = &b.data[off.min(b.len())..end.min(b.len())];
    let sp = |o: usize, l: usize| b.span(off + o, l);
    let Some(id) = b.be16(off) else { return };
    cx.u(ID, id, sp(0, 2));
    let Some(flags) = b.be16(off + 2) else { return };
    let response = flags & 0x8000 != 0;
    let rf = sp(2, 2);
    cx.u(FLAGS, flags, rf);
    cx.flag(FLAGS_RESPONSE, response, rf);
    cx.u(FLAGS_OPCODE, (flags >> 11) & 0xf, rf);
    if response {
        cx.flag(FLAGS_AUTHORITATIVE, flags & 0x0400 != 0, rf);
    }
    cx.flag(FLAGS_TRUNCATED, flags & 0x0200 != 0, rf);
    cx.flag(FLAGS_RECDESIRED, flags & 0x0100 != 0, rf);
    if response {
        cx.flag(FLAGS_RECAVAIL, flags & 0x0080 != 0, rf);
    }
    cx.flag(FLAGS_BROADCAST, flags & 0x0010 != 0, rf);
    if response {
        cx.u(FLAGS_RCODE, flags & 0xf, rf);
    }
    let mut counts = [0u16; 4];
    for (i, (c, fid)) in counts.iter_mut().zip([COUNT_QUERIES, COUNT_ANSWERS, COUNT_AUTH_RR, COUNT_ADD_RR]).enumerate()
    {
        let Some(v) = b.be16(off + 4 + 2 * i) else { return };
        *c = v;
        cx.u(fid, v, sp(4 + 2 * i, 2));
    }
    let mut p = 12;
    let mut raw = Vec::new();
    for _ in 0..counts[0] {
        let Some(next) = read_labels(m, p, &mut raw) else { return };
        let (Some(t), Some(c)) = (be16(m, next), be16(m, next + 2)) else { return };
        let (name, _) = shown_name(&raw);
        cx.add_str(NAME, &name, sp(p, next - p));
        cx.u(TYPE, t, sp(next, 2));
        cx.u(CLASS, c, sp(next + 2, 2));
        p = next + 4;
    }
    let total = counts[1] as usize + counts[2] as usize + counts[3] as usize;
    for _ in 0..total {
        let Some(next) = read_labels(m, p, &mut raw) else { return };
        let Some(t) = be16(m, next) else { return };
        let (mut name, ty) = shown_name(&raw);
        // A record's name carries its type's description (not a node status's).
        if let Some(ty) = ty.filter(|_| t != 33) {
            name.push_str(" (");
            name.push_str(name_type_descr(ty));
            name.push(')');
        }
        cx.add_str(NAME, &name, sp(p, next - p));
        cx.u(TYPE, t, sp(next, 2));
        let Some(c) = be16(m, next + 2) else { return };
        cx.u(CLASS, c, sp(next + 2, 2));
        let Some(ttl) = be32(m, next + 4) else { return };
        cx.u(TTL, ttl, sp(next + 4, 4));
        let Some(len) = be16(m, next + 8) else { return };
        cx.u(DATA_LENGTH, len, sp(next + 8, 2));
        let d = next + 10;
        let dlen = len as usize;
        if t == 32 {
            // NB: (flags, address) entries.
            let mut o = d;
            while o + 6 <= d + dlen {
                let (Some(f), Some(a)) = (be16(m, o), m.get(o + 2..o + 6)) else { return };
                let fr = sp(o, 2);
                cx.u(NB_FLAGS, f, fr);
                cx.flag(NB_FLAGS_GROUP, f & 0x8000 != 0, fr);
                cx.u(NB_FLAGS_ONT, (f >> 13) & 3, fr);
                cx.add(ADDR, Value::Ipv4([a[0], a[1], a[2], a[3]]), sp(o + 2, 4));
                o += 6;
            }
        }
        if d + dlen > m.len() {
            return;
        }
        p = d + dlen;
    }
}

fn be16(m: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes(m.get(o..o + 2)?.try_into().ok()?))
}
fn be32(m: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes(m.get(o..o + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(name: &[u8; 16]) -> Vec<u8> {
        name.iter().flat_map(|&c| [b'A' + (c >> 4), b'A' + (c & 15)]).collect()
    }

    #[test]
    fn names() {
        assert_eq!(decode_name(&encode(b"WORKGROUP      \x1d")), Some(("WORKGROUP<1d>".into(), 0x1d)));
        assert_eq!(decode_name(&encode(b"\x01\x02__MSBROWSE__\x02\x01")).unwrap().0, "<01><02>__MSBROWSE__<02><01>");
        assert_eq!(
            decode_name(&encode(b"*\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")).unwrap().0,
            format!("*{}", "<00>".repeat(15))
        );
        let mut scoped = encode(b"HOST           \x20");
        scoped.extend_from_slice(b".example.org");
        assert_eq!(decode_name(&scoped).unwrap().0, "HOST<20>.example.org");
        assert_eq!(decode_name(b"short"), None);
        assert_eq!(decode_name(&[b'Z'; 32]), None);
    }

    #[test]
    fn labels_bounded() {
        let mut raw = Vec::new();
        // A pointer to itself: refused after a bounded number of jumps.
        assert_eq!(read_labels(&[0xc0, 0x00], 0, &mut raw), None);
        assert_eq!(read_labels(&[3, b'a', b'b'], 0, &mut raw), None);
        assert_eq!(read_labels(&[1, b'a', 0], 0, &mut raw), Some(3));
        assert_eq!(raw, b"a");
    }
}
