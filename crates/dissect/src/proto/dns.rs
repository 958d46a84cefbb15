//! DNS over UDP and TCP, with mDNS (port 5353) and LLMNR (port 5355) labelled as tshark
//! labels them. Names are decompressed with a bounded number of pointer jumps.
crate::declare_fields! {
    after = super::l2tp::END;
    PROTO = "dns", "Domain Name System", Protocol, None;
    LENGTH = "dns.length", "Length", U16, Dec;
    RESPONSE_IN = "dns.response_in", "Response In", FrameNum, None;
    RESPONSE_TO = "dns.response_to", "Request In", FrameNum, None;
    TIME = "dns.time", "Time", RelTime, None;
    ID = "dns.id", "Transaction ID", U16, Hex;
    FLAGS = "dns.flags", "Flags", U16, Hex;
    FLAGS_RESPONSE = "dns.flags.response", "Response", Boolean, None, mask = 0x8000, tfs = ("Message is a response", "Message is a query");
    FLAGS_OPCODE = "dns.flags.opcode", "Opcode", U16, Dec, mask = 0x7800;
    FLAGS_AUTHORITATIVE = "dns.flags.authoritative", "Authoritative", Boolean, None, mask = 0x0400;
    FLAGS_CONFLICT = "dns.flags.conflict", "Conflict", Boolean, None, mask = 0x0400;
    FLAGS_TRUNCATED = "dns.flags.truncated", "Truncated", Boolean, None, mask = 0x0200;
    FLAGS_RECDESIRED = "dns.flags.recdesired", "Recursion desired", Boolean, None, mask = 0x0100;
    FLAGS_TENTATIVE = "dns.flags.tentative", "Tentative", Boolean, None, mask = 0x0100;
    FLAGS_RECAVAIL = "dns.flags.recavail", "Recursion available", Boolean, None, mask = 0x0080;
    FLAGS_Z = "dns.flags.z", "Z", Boolean, None, mask = 0x0040;
    FLAGS_AUTHENTICATED = "dns.flags.authenticated", "Answer authenticated", Boolean, None, mask = 0x0020;
    FLAGS_CHECKDISABLE = "dns.flags.checkdisable", "Non-authenticated data", Boolean, None, mask = 0x0010;
    FLAGS_RCODE = "dns.flags.rcode", "Reply code", U16, Dec, mask = 0x000f;
    COUNT_QUERIES = "dns.count.queries", "Questions", U16, Dec;
    COUNT_ANSWERS = "dns.count.answers", "Answer RRs", U16, Dec;
    COUNT_AUTH_RR = "dns.count.auth_rr", "Authority RRs", U16, Dec;
    COUNT_ADD_RR = "dns.count.add_rr", "Additional RRs", U16, Dec;
    QRY_NAME = "dns.qry.name", "Name", String, None;
    QRY_NAME_LEN = "dns.qry.name.len", "Name Length", U16, Dec;
    COUNT_LABELS = "dns.count.labels", "Label Count", U16, Dec;
    QRY_TYPE = "dns.qry.type", "Type", U16, Dec;
    QRY_CLASS = "dns.qry.class", "Class", U16, Hex;
    QRY_QU = "dns.qry.qu", "\"QU\" question", Boolean, None, mask = 0x8000;
    RESP_NAME = "dns.resp.name", "Name", String, None;
    RESP_TYPE = "dns.resp.type", "Type", U16, Dec;
    RESP_CLASS = "dns.resp.class", "Class", U16, Hex;
    RESP_CACHE_FLUSH = "dns.resp.cache_flush", "Cache flush", Boolean, None, mask = 0x8000;
    RESP_TTL = "dns.resp.ttl", "Time to live", U32, Dec;
    RESP_LEN = "dns.resp.len", "Data length", U16, Dec;
    A = "dns.a", "Address", Ipv4, None;
    AAAA = "dns.aaaa", "AAAA Address", Ipv6, None;
    CNAME = "dns.cname", "CNAME", String, None;
    NS = "dns.ns", "Name Server", String, None;
    PTR_DOMAIN_NAME = "dns.ptr.domain_name", "Domain Name", String, None;
    MX_PREFERENCE = "dns.mx.preference", "Preference", U16, Dec;
    MX_MAIL_EXCHANGE = "dns.mx.mail_exchange", "Mail Exchange", String, None;
    TXT_LENGTH = "dns.txt.length", "TXT Length", U8, Dec;
    TXT = "dns.txt", "TXT", String, None;
    SOA_MNAME = "dns.soa.mname", "Primary name server", String, None;
    SOA_RNAME = "dns.soa.rname", "Responsible authority's mailbox", String, None;
    SOA_SERIAL_NUMBER = "dns.soa.serial_number", "Serial Number", U32, Dec;
    SOA_REFRESH_INTERVAL = "dns.soa.refresh_interval", "Refresh Interval", U32, Dec;
    SOA_RETRY_INTERVAL = "dns.soa.retry_interval", "Retry Interval", U32, Dec;
    SOA_EXPIRE_LIMIT = "dns.soa.expire_limit", "Expire limit", U32, Dec;
    SOA_MINIMUM_TTL = "dns.soa.minimum_ttl", "Minimum TTL", U32, Dec;
    SRV_PRIORITY = "dns.srv.priority", "Priority", U16, Dec;
    SRV_WEIGHT = "dns.srv.weight", "Weight", U16, Dec;
    SRV_PORT = "dns.srv.port", "Port", U16, Dec;
    SRV_TARGET = "dns.srv.target", "Target", String, None;
    MDNS = "mdns", "Multicast Domain Name System", Protocol, None;
    LLMNR = "llmnr", "Link-local Multicast Name Resolution", Protocol, None;
}

use crate::cx::{Bytes, Cx, NetAddr};
use crate::tree::{Span, Value};
use std::collections::{HashMap, VecDeque};

/// Which flavour of DNS a port selects.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Dns,
    Mdns,
    Llmnr,
}

/// The flavour for a UDP/TCP port pair, trying the lower port first as tshark does.
pub fn flavour(sport: u16, dport: u16) -> Option<Flavour> {
    let of = |p: u16| match p {
        53 => Some(Flavour::Dns),
        5353 => Some(Flavour::Mdns),
        5355 => Some(Flavour::Llmnr),
        _ => None,
    };
    let (lo, hi) = if sport <= dport { (sport, dport) } else { (dport, sport) };
    of(lo).or_else(|| if claimed_by_other(lo) { None } else { of(hi) })
}

/// Well-known UDP ports tshark hands to another dissector before trying DNS on the higher port.
fn claimed_by_other(port: u16) -> bool {
    matches!(port, 67 | 68 | 69 | 123 | 137 | 138 | 161 | 162 | 500 | 514 | 520 | 1900)
}

/// A query's identity: transaction id, client and server addresses, client and server ports.
type QueryKey = (u16, NetAddr, NetAddr, u16, u16);

/// Requests awaiting their response (for `dns.response_to` / `dns.time`), bounded.
#[derive(Default)]
pub struct Pending {
    /// Query → (frame number, time) of its first sighting.
    map: HashMap<QueryKey, (u32, i64)>,
    order: VecDeque<QueryKey>,
}

const MAX_PENDING: usize = 65_536;

/// Renders a decoded name as tshark 4.0 does: invalid UTF-8 as U+FFFD, control characters as
/// C escapes (`\t`) or three-digit octal (`\001`).
fn format_name(raw: &[u8], out: &mut String) {
    for c in String::from_utf8_lossy(raw).chars() {
        match c {
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\{:03o}", c as u32)),
            c => out.push(c),
        }
    }
}

/// Reads a (possibly compressed) name at `off` of the message `m`. Returns the raw joined
/// name, the number of labels, and the offset just after the name in place.
fn read_name(m: &[u8], off: usize, raw: &mut Vec<u8>) -> Option<(usize, usize)> {
    read_name_or(m, off, raw).ok()
}

/// [`read_name`], telling a name that runs past the message (`Err(true)`: tshark's
/// exception) from one it gives up on (`Err(false)`: loops, bad label types).
fn read_name_or(m: &[u8], mut off: usize, raw: &mut Vec<u8>) -> Result<(usize, usize), bool> {
    raw.clear();
    let mut labels = 0;
    let mut end = None;
    let mut jumps = 0;
    loop {
        let len = *m.get(off).ok_or(true)? as usize;
        match len & 0xc0 {
            0x00 => {
                if len == 0 {
                    return Ok((labels, end.unwrap_or(off + 1)));
                }
                let label = m.get(off + 1..off + 1 + len).ok_or(true)?;
                if !raw.is_empty() {
                    raw.push(b'.');
                }
                raw.extend_from_slice(label);
                labels += 1;
                off += 1 + len;
                if raw.len() > 1024 {
                    return Err(false);
                }
            }
            0xc0 => {
                let ptr = ((len & 0x3f) << 8) | *m.get(off + 1).ok_or(true)? as usize;
                if end.is_none() {
                    end = Some(off + 2);
                }
                jumps += 1;
                if jumps > 64 {
                    return Err(false);
                }
                off = ptr;
            }
            _ => return Err(false),
        }
    }
}

fn name_str(raw: &[u8]) -> String {
    if raw.is_empty() {
        return "<Root>".into();
    }
    let mut s = String::with_capacity(raw.len());
    format_name(raw, &mut s);
    s
}

/// DNS over TCP: the 2-byte length, then the message.
pub fn dissect_tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize, fl: Flavour, ports: (u16, u16)) {
    cx.proto(PROTO, "dns", b.span_to(off, end));
    if let Some(l) = b.be16(off) {
        cx.u(LENGTH, l, b.span(off, 2));
    }
    dissect_message(cx, b, off + 2, end, fl, ports);
}

/// A DNS message over UDP occupying `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, fl: Flavour, ports: (u16, u16)) {
    let (proto, name) = match fl {
        Flavour::Dns => (PROTO, "dns"),
        Flavour::Mdns => (MDNS, "mdns"),
        Flavour::Llmnr => (LLMNR, "llmnr"),
    };
    cx.proto(proto, name, b.span_to(off, end));
    dissect_message(cx, b, off, end, fl, ports);
}

/// The message itself, after the protocol item.
fn dissect_message(cx: &mut Cx, b: Bytes, off: usize, end: usize, fl: Flavour, ports: (u16, u16)) {
    // The message body only matters when a DNS field is asked for (the protocol items
    // above are enough for `dns` as a filter and for `frame.protocols`).
    // The protocol path needs the walk too: tshark's exception for a message cut short or
    // running past its end is an item of `io,phs`.
    if !cx.wants_any(crate::field::FieldId(BASE + 1), END) && !cx.records_protocols() {
        return;
    }
    let m = &b.data[off.min(b.len())..end.min(b.len())];
    let sp = |o: usize, l: usize| b.span(off + o, l);
    // tshark's exception for a read needing the message's bytes up to `o`.
    let throw = |cx: &mut Cx, o: usize| cx.bounds_error(off + o, end);
    let (Some(id), Some(flags)) = (be16(m, 0), be16(m, 2)) else { return throw(cx, 4) };
    let response = flags & 0x8000 != 0;
    // Request/response matching (4.0 single pass: a response points back to its request).
    if fl == Flavour::Dns || fl == Flavour::Llmnr {
        let key_q = (id, cx.src, cx.dst, ports.0, ports.1);
        let key_r = (id, cx.dst, cx.src, ports.1, ports.0);
        let st = &mut cx.st.dns;
        if !response {
            if !st.map.contains_key(&key_q) {
                if st.map.len() >= MAX_PENDING {
                    if let Some(old) = st.order.pop_front() {
                        st.map.remove(&old);
                    }
                }
                st.map.insert(key_q, (cx.meta.number, cx.meta.ts_ns));
                st.order.push_back(key_q);
            }
        } else if let Some(&(frame, ts)) = st.map.get(&key_r) {
            cx.add(RESPONSE_TO, Value::U(frame as u64), Span::EMPTY);
            cx.add(TIME, Value::Time(cx.meta.ts_ns - ts), Span::EMPTY);
        }
    }
    cx.u(ID, id, sp(0, 2));
    let rf = sp(2, 2);
    cx.u(FLAGS, flags, rf);
    cx.flag(FLAGS_RESPONSE, response, rf);
    cx.u(FLAGS_OPCODE, (flags >> 11) & 0xf, rf);
    if fl == Flavour::Llmnr {
        cx.flag(FLAGS_CONFLICT, flags & 0x0400 != 0, rf);
        cx.flag(FLAGS_TRUNCATED, flags & 0x0200 != 0, rf);
        cx.flag(FLAGS_TENTATIVE, flags & 0x0100 != 0, rf);
    } else {
        if response {
            cx.flag(FLAGS_AUTHORITATIVE, flags & 0x0400 != 0, rf);
        }
        cx.flag(FLAGS_TRUNCATED, flags & 0x0200 != 0, rf);
        cx.flag(FLAGS_RECDESIRED, flags & 0x0100 != 0, rf);
        if response {
            cx.flag(FLAGS_RECAVAIL, flags & 0x0080 != 0, rf);
        }
        cx.flag(FLAGS_Z, flags & 0x0040 != 0, rf);
        if response {
            cx.flag(FLAGS_AUTHENTICATED, flags & 0x0020 != 0, rf);
        }
        cx.flag(FLAGS_CHECKDISABLE, flags & 0x0010 != 0, rf);
    }
    if response {
        cx.u(FLAGS_RCODE, flags & 0xf, rf);
    }
    let counts: Vec<u16> = (0..4).map_while(|i| b.be16(off + 4 + 2 * i)).collect();
    if counts.len() < 4 {
        return throw(cx, 12);
    }
    for (id, i) in [(COUNT_QUERIES, 0), (COUNT_ANSWERS, 1), (COUNT_AUTH_RR, 2), (COUNT_ADD_RR, 3)] {
        cx.u(id, counts[i], sp(4 + 2 * i, 2));
    }
    let mut p = 12;
    let mut raw = Vec::new();
    for _ in 0..counts[0] {
        let (labels, next) = match read_name_or(m, p, &mut raw) {
            Ok(r) => r,
            Err(oob) => {
                return if oob {
                    throw(cx, m.len() + 1)
                }
            }
        };
        // tshark adds a question only once its type and class were read.
        let (Some(t), Some(c)) = (be16(m, next), be16(m, next + 2)) else { return throw(cx, next + 4) };
        let name = name_str(&raw);
        let r = sp(p, next - p);
        cx.add_str(QRY_NAME, &name, r);
        cx.u(QRY_NAME_LEN, if raw.is_empty() { 6 } else { raw.len() as u64 }, r);
        cx.u(COUNT_LABELS, if raw.is_empty() { 1 } else { name_labels(&raw, labels) }, r);
        cx.u(QRY_TYPE, t, sp(next, 2));
        if fl == Flavour::Mdns {
            cx.flag(QRY_QU, c & 0x8000 != 0, sp(next + 2, 2));
            cx.u(QRY_CLASS, c & 0x7fff, sp(next + 2, 2));
        } else {
            cx.u(QRY_CLASS, c, sp(next + 2, 2));
        }
        p = next + 4;
    }
    let total = counts[1] as usize + counts[2] as usize + counts[3] as usize;
    for _ in 0..total {
        let next = match read_name_or(m, p, &mut raw) {
            Ok((_, next)) => next,
            Err(oob) => {
                return if oob {
                    throw(cx, m.len() + 1)
                }
            }
        };
        let name = name_str(&raw);
        cx.add_str(RESP_NAME, &name, sp(p, next - p));
        let Some(t) = be16(m, next) else { return throw(cx, next + 10) };
        cx.u(RESP_TYPE, t, sp(next, 2));
        let (Some(c), Some(ttl), Some(len)) = (be16(m, next + 2), be32(m, next + 4), be16(m, next + 8)) else {
            return throw(cx, next + 10);
        };
        if t != 41 {
            if fl == Flavour::Mdns {
                cx.u(RESP_CLASS, c & 0x7fff, sp(next + 2, 2));
                cx.flag(RESP_CACHE_FLUSH, c & 0x8000 != 0, sp(next + 2, 2));
            } else {
                cx.u(RESP_CLASS, c, sp(next + 2, 2));
            }
            cx.u(RESP_TTL, ttl, sp(next + 4, 4));
        }
        cx.u(RESP_LEN, len, sp(next + 8, 2));
        let d = next + 10;
        let dlen = len as usize;
        if d + dlen > m.len() {
            return throw(cx, d + dlen);
        }
        if matches!(t, 64 | 65) {
            if let Some(o) = svcb_overrun(m, d, dlen) {
                return throw(cx, o);
            }
        }
        rdata(cx, m, d, dlen, t, &sp, &mut raw);
        p = d + dlen;
    }
}

/// Where tshark's walk of an SVCB/HTTPS record's parameters reads past the message, if it
/// does: each parameter's value is read as its key says (a port is two bytes whatever the
/// length says, address hints whole addresses), and the walk goes on while it is inside
/// the record's data.
fn svcb_overrun(m: &[u8], d: usize, dlen: usize) -> Option<usize> {
    let end = d + dlen;
    let mut raw = Vec::new();
    let mut o = match read_name_or(m, d + 2, &mut raw) {
        Ok((_, next)) => next,
        Err(true) => return Some(m.len() + 1),
        Err(false) => return None,
    };
    let mut steps = 0;
    while o < end {
        steps += 1;
        if steps > 1024 {
            return None;
        }
        let (Some(key), Some(len)) = (be16(m, o), be16(m, o + 2)) else { return Some(o + 4) };
        let len = len as usize;
        o += 4;
        let used = match key {
            3 => 2,
            4 => len.div_ceil(4) * 4,
            6 => len.div_ceil(16) * 16,
            _ => len,
        };
        if o + used > m.len() {
            return Some(o + used);
        }
        o += used;
    }
    None
}

fn name_labels(raw: &[u8], _labels: usize) -> u64 {
    raw.iter().filter(|&&c| c == b'.').count() as u64 + 1
}

fn be16(m: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes(m.get(o..o + 2)?.try_into().ok()?))
}
fn be32(m: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes(m.get(o..o + 4)?.try_into().ok()?))
}

fn rdata(cx: &mut Cx, m: &[u8], d: usize, dlen: usize, t: u16, sp: &dyn Fn(usize, usize) -> Span, raw: &mut Vec<u8>) {
    let r = sp(d, dlen);
    let name_at = |cx: &mut Cx, id, o: usize, raw: &mut Vec<u8>| -> Option<usize> {
        let (_, next) = read_name(m, o, raw)?;
        let s = name_str(raw);
        cx.add_str(id, &s, sp(o, next - o));
        Some(next)
    };
    match t {
        1 if dlen == 4 => cx.add(A, Value::Ipv4(m[d..d + 4].try_into().unwrap_or_default()), r),
        28 if dlen == 16 => cx.add(AAAA, Value::Ipv6(m[d..d + 16].try_into().unwrap_or_default()), r),
        5 => {
            name_at(cx, CNAME, d, raw);
        }
        2 => {
            name_at(cx, NS, d, raw);
        }
        12 => {
            name_at(cx, PTR_DOMAIN_NAME, d, raw);
        }
        15 => {
            if let Some(pref) = be16(m, d) {
                cx.u(MX_PREFERENCE, pref, sp(d, 2));
                name_at(cx, MX_MAIL_EXCHANGE, d + 2, raw);
            }
        }
        16 => {
            let mut o = d;
            while o < d + dlen {
                let l = m[o] as usize;
                cx.u(TXT_LENGTH, l as u64, sp(o, 1));
                let Some(txt) = m.get(o + 1..(o + 1 + l).min(d + dlen)) else { break };
                let mut s = String::new();
                s.push_str(&String::from_utf8_lossy(txt));
                cx.add_str(TXT, &s, sp(o + 1, txt.len()));
                o += 1 + l;
            }
        }
        6 => {
            let Some(next) = name_at(cx, SOA_MNAME, d, raw) else { return };
            let Some(next) = name_at(cx, SOA_RNAME, next, raw) else { return };
            for (i, id) in
                [SOA_SERIAL_NUMBER, SOA_REFRESH_INTERVAL, SOA_RETRY_INTERVAL, SOA_EXPIRE_LIMIT, SOA_MINIMUM_TTL]
                    .into_iter()
                    .enumerate()
            {
                if let Some(v) = be32(m, next + 4 * i) {
                    cx.u(id, v, sp(next + 4 * i, 4));
                }
            }
        }
        33 => {
            if let (Some(pr), Some(w), Some(port)) = (be16(m, d), be16(m, d + 2), be16(m, d + 4)) {
                cx.u(SRV_PRIORITY, pr, sp(d, 2));
                cx.u(SRV_WEIGHT, w, sp(d + 2, 2));
                cx.u(SRV_PORT, port, sp(d + 4, 2));
                name_at(cx, SRV_TARGET, d + 6, raw);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::svcb_overrun;

    #[test]
    fn svcb_port_read_as_two_bytes() {
        // Priority 1, root target, port (key 3) with a 3-byte value: tshark reads two bytes,
        // then a next key from the last byte, past the record that ends the message.
        let rd = [0, 1, 0, 0, 3, 0, 3, 0x01, 0xbb, 0];
        assert_eq!(svcb_overrun(&rd, 0, rd.len()), Some(13));
        // The same with a 2-byte value fits.
        let rd = [0, 1, 0, 0, 3, 0, 2, 0x01, 0xbb];
        assert_eq!(svcb_overrun(&rd, 0, rd.len()), None);
        // IPv4 hints read whole addresses.
        let rd = [0, 1, 0, 0, 4, 0, 4, 10, 0, 0, 1];
        assert_eq!(svcb_overrun(&rd, 0, rd.len()), None);
    }
}
