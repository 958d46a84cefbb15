//! MGCP (RFC 3435) on UDP port 2427: the command or response line, and an SDP body (its own
//! top-level layer, whose media tshark sets up at once).
crate::declare_fields! {
    after = super::rtp::END;
    PROTO = "mgcp", "Media Gateway Control Protocol", Protocol, None;
    REQ = "mgcp.req", "Request", Boolean, None;
    REQ_VERB = "mgcp.req.verb", "Verb", String, None;
    TRANSID = "mgcp.transid", "Transaction ID", String, None;
    REQ_ENDPOINT = "mgcp.req.endpoint", "Endpoint", String, None;
    VERSION = "mgcp.version", "Version", String, None;
    RSP = "mgcp.rsp", "Response", Boolean, None;
    RSP_RSPCODE = "mgcp.rsp.rspcode", "Response Code", U32, Dec;
    RSP_RSPSTRING = "mgcp.rsp.rspstring", "Response String", String, None;
    PARAMS = "mgcp.params", "Parameters", None, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

const VERBS: &[&[u8]] = &[b"EPCF", b"CRCX", b"MDCX", b"DLCX", b"RQNT", b"NTFY", b"AUEP", b"AUCX", b"RSIP", b"MESG"];

fn is_sep(c: Option<&u8>) -> bool {
    matches!(c, None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// A command: a known verb (or an `X` extension verb) followed by white space.
fn is_verb(d: &[u8]) -> bool {
    d.len() >= 4
        && (VERBS.iter().any(|v| d[..4].eq_ignore_ascii_case(v))
            || (d[0].eq_ignore_ascii_case(&b'X') && d[1..4].iter().all(u8::is_ascii_alphanumeric)))
        && is_sep(d.get(4))
}

/// A response: three digits followed by white space.
fn is_rspcode(d: &[u8]) -> bool {
    d.len() >= 3 && d[..3].iter().all(u8::is_ascii_digit) && is_sep(d.get(3))
}

/// True when tshark's MGCP takes the payload.
pub fn looks_like(d: &[u8]) -> bool {
    is_verb(d) || is_rspcode(d)
}

/// One MGCP datagram (which [`looks_like`] accepted).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    let Some(d) = b.data.get(off..end) else { return };
    // The message ends at an empty line (an SDP body follows) or with the datagram.
    let mut body = None;
    let mut pos = 0;
    let mut lines: Vec<(usize, usize)> = Vec::new();
    while pos < d.len() {
        let e = memchr::memchr(b'\n', &d[pos..]).map_or(d.len(), |i| pos + i);
        let next = (e + 1).min(d.len());
        let te = if e > pos && d[e - 1] == b'\r' { e - 1 } else { e };
        if te == pos && !lines.is_empty() {
            body = Some(next);
            break;
        }
        lines.push((pos, te));
        pos = next;
    }
    let msg_end = body.map_or(d.len(), |b| b);
    cx.proto(PROTO, "mgcp", b.span_to(off, off + msg_end));
    let Some(&(ls, le)) = lines.first() else { return };
    let line = &d[ls..le];
    let mut toks = Vec::new();
    let mut i = 0;
    while i < line.len() && toks.len() < 5 {
        while i < line.len() && matches!(line[i], b' ' | b'\t') {
            i += 1;
        }
        let s = i;
        while i < line.len() && !matches!(line[i], b' ' | b'\t') {
            i += 1;
        }
        if i > s {
            toks.push((s, i));
        }
    }
    let tok = |n: usize| toks.get(n).map(|&(s, e)| (&line[s..e], b.span(off + ls + s, e - s)));
    if is_verb(d) {
        cx.add(REQ, Value::Bool(true), b.span(off, 0));
        if let Some((v, sp)) = tok(0) {
            cx.add_ascii(REQ_VERB, v, sp);
        }
        if let Some((v, sp)) = tok(1) {
            cx.add_ascii(TRANSID, v, sp);
        }
        if let Some((v, sp)) = tok(2) {
            cx.add_ascii(REQ_ENDPOINT, v, sp);
        }
        if let Some(&(s, _)) = toks.get(3) {
            let v = &line[s..];
            cx.add_ascii(VERSION, v, b.span(off + ls + s, v.len()));
        }
    } else {
        cx.add(RSP, Value::Bool(true), b.span(off, 0));
        if let Some((v, sp)) = tok(0) {
            if let Some(n) = std::str::from_utf8(v).ok().and_then(|s| s.parse::<u32>().ok()) {
                cx.u(RSP_RSPCODE, n, sp);
            }
        }
        if let Some((v, sp)) = tok(1) {
            cx.add_ascii(TRANSID, v, sp);
        }
        if let Some(&(s, _)) = toks.get(2) {
            let v = &line[s..];
            cx.add_ascii(RSP_RSPSTRING, v, b.span(off + ls + s, v.len()));
        }
    }
    if lines.len() > 1 {
        let (ps, _) = lines[1];
        let pe = lines.last().map_or(ps, |l| l.1);
        cx.add(PARAMS, Value::None, b.span(off + ps, pe - ps));
    }
    if let Some(bs) = body.filter(|&bs| bs < d.len()) {
        let media = crate::proto::sdp::dissect(cx, b, off + bs, end);
        let frame = cx.meta.number;
        crate::proto::sdp::apply(cx, &media, frame, "SDP");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_tokens() {
        assert!(looks_like(b"RQNT 1 *@gw MGCP 0.1\r\n"));
        assert!(looks_like(b"crcx 1 x MGCP 1.0\n"));
        assert!(looks_like(b"200 1 OK\n"));
        assert!(looks_like(b"510"));
        assert!(!looks_like(b"2000 1"));
        assert!(!looks_like(b"RQNTX 1"));
        assert!(!looks_like(b"GET / HTTP/1.1"));
    }
}
