//! POP3 (port 110): the first line of each segment as a request (to the server port) or a
//! response, as tshark 4.0 shows it; a response that is neither `+OK` nor `-ERR` is message
//! data. `USER`/`PASS` feed tshark's credentials tap; pcap-creds also reads `APOP` and
//! `AUTH` (PLAIN, LOGIN, CRAM-MD5).
crate::declare_fields! {
    after = super::ntlmssp::END;
    PROTO = "pop", "Post Office Protocol", Protocol, None;
    RESPONSE = "pop.response", "Response", String, None;
    RESPONSE_INDICATOR = "pop.response.indicator", "Response indicator", String, None;
    RESPONSE_DESCRIPTION = "pop.response.description", "Response description", String, None;
    RESPONSE_DATA = "pop.response.data", "Data", String, None, blurb = "Response Data";
    REQUEST = "pop.request", "Request", String, None;
    REQUEST_COMMAND = "pop.request.command", "Request command", String, None;
    REQUEST_PARAMETER = "pop.request.parameter", "Request parameter", String, None;
    REQUEST_DATA = "pop.request.data", "Data", String, None, blurb = "Request data";
}

use crate::codec::ascii;
use crate::cx::{Bytes, Cx};
use crate::sasl::Sasl;
use crate::tap::Credential;

/// A POP3 connection's state.
#[derive(Default)]
pub struct Conv {
    /// tshark's username: the first `USER` argument and its frame.
    tshark_user: Option<(Vec<u8>, u32)>,
    /// The latest `USER` argument.
    user: Vec<u8>,
    /// The `<...>` time stamp of the server's greeting (APOP's salt).
    timestamp: Option<Vec<u8>>,
    sasl: Sasl,
    stls_requested: bool,
    /// The server accepted `STLS`: what follows is TLS.
    pub starttls: bool,
}

/// One segment `off..end`; `request` when it goes to the server port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool, conv: &mut Conv) {
    let d = &b.data[off.min(b.len())..end.min(b.len())];
    let line_len = memchr::memchr2(b'\r', b'\n', d).unwrap_or(d.len());
    let line = &d[..line_len];
    cx.proto(PROTO, "pop", b.span_to(off, end));
    if !request && !line.starts_with(b"+OK") && !line.starts_with(b"-ERR") {
        // Message data (or a SASL challenge `+ ...`).
        if let Some(ch) = line.strip_prefix(b"+ ") {
            conv.sasl.challenge(ch);
        }
        if conv.timestamp.is_none() {
            conv.timestamp = Some(Vec::new());
        }
        return;
    }
    let next = line_len + usize::from(d.get(line_len) == Some(&b'\r') && d.get(line_len + 1) == Some(&b'\n')) + usize::from(line_len < d.len());
    let (line_id, cmd_id, arg_id, data_id) = if request {
        (REQUEST, REQUEST_COMMAND, REQUEST_PARAMETER, REQUEST_DATA)
    } else {
        (RESPONSE, RESPONSE_INDICATOR, RESPONSE_DESCRIPTION, RESPONSE_DATA)
    };
    cx.add_str(line_id, "", b.span(off, next.min(d.len())));
    let tok = line.iter().position(|&c| c == b' ').unwrap_or(line.len());
    let mut arg_at = tok;
    while arg_at < line.len() && line[arg_at] == b' ' {
        arg_at += 1;
    }
    if tok > 0 {
        cx.add_ascii(cmd_id, &line[..tok], b.span(off, tok));
    }
    // Without a command the whole line is the parameter.
    let arg: &[u8] = if tok > 0 { &line[arg_at..] } else { line };
    if !arg.is_empty() {
        cx.add_ascii(arg_id, arg, b.span(off + line.len() - arg.len(), arg.len()));
    }
    let mut p = next;
    while p < d.len() {
        let e = memchr::memchr2(b'\r', b'\n', &d[p..]).map_or(d.len(), |i| p + i);
        let n = (e + usize::from(d.get(e) == Some(&b'\r') && d.get(e + 1) == Some(&b'\n')) + 1).min(d.len());
        cx.add_str(data_id, "", b.span(off + p, n - p));
        p = n.max(p + 1);
    }
    if request {
        requested(cx, conv, line, tok, arg);
    } else {
        if conv.stls_requested && line.starts_with(b"+OK ") {
            conv.starttls = true;
        }
        conv.stls_requested = false;
        if conv.timestamp.is_none() {
            // The greeting: APOP's time stamp, if the server offers one.
            let ts = memchr::memchr(b'<', line).and_then(|s| memchr::memchr(b'>', &line[s..]).map(|e| line[s..s + e + 1].to_vec()));
            conv.timestamp = Some(ts.unwrap_or_default());
        }
        conv.sasl.end();
    }
}

fn requested(cx: &mut Cx, conv: &mut Conv, line: &[u8], tok: usize, arg: &[u8]) {
    let starts = |cmd: &[u8]| line.len() >= cmd.len() && line[..cmd.len()].eq_ignore_ascii_case(cmd);
    if starts(b"STLS") {
        conv.stls_requested = true;
    }
    // tshark's table: prefixes compared case-insensitively, arguments as ASCII.
    if !arg.is_empty() {
        if starts(b"USER") {
            if conv.tshark_user.is_none() {
                conv.tshark_user = Some((ascii(arg), cx.meta.number));
            }
        } else if starts(b"PASS") {
            let (name, frame) = match &conv.tshark_user {
                Some((n, f)) => (Some(n.clone()), *f),
                None => (None, 0),
            };
            cx.tshark_credential("POP3", name.as_deref(), Some(format!("Username in packet {}", frame)));
        }
    }
    if !cx.creds_on() {
        return;
    }
    let cmd = &line[..tok];
    if conv.sasl.active() {
        if let Some(c) = conv.sasl.client_line(line, "POP3") {
            cx.credential(c);
        }
        return;
    }
    if cmd.eq_ignore_ascii_case(b"USER") {
        conv.user = arg.to_vec();
    } else if cmd.eq_ignore_ascii_case(b"PASS") && !arg.is_empty() {
        cx.credential(Credential::cleartext("POP3", &conv.user, arg));
    } else if cmd.eq_ignore_ascii_case(b"APOP") {
        // APOP name digest: md5(timestamp . password), hashcat's md5($salt.$pass) (mode 20).
        let mut it = arg.split(|&c| c == b' ').filter(|s| !s.is_empty());
        if let (Some(name), Some(digest), Some(ts)) = (it.next(), it.next(), conv.timestamp.as_ref().filter(|t| !t.is_empty())) {
            if digest.len() == 32 && digest.iter().all(u8::is_ascii_hexdigit) {
                let line = format!("{}:{}", String::from_utf8_lossy(digest).to_ascii_lowercase(), String::from_utf8_lossy(ts));
                cx.credential(Credential::hash("POP3 APOP", name, b"", line, 20));
            }
        }
    } else if cmd.eq_ignore_ascii_case(b"AUTH") {
        let mut it = arg.split(|&c| c == b' ').filter(|s| !s.is_empty());
        if let Some(mech) = it.next() {
            if let Some(c) = conv.sasl.start(mech, it.next(), "POP3") {
                cx.credential(c);
            }
        }
    }
}
