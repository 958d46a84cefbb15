//! POP3 (port 110): the first line of each segment as a request (to the server port) or a
//! response, as tshark 4.0 shows it; a response that is neither `+OK` nor `-ERR` is message
//! data, reassembled as tshark's POP does and handed to IMF (the `imf` protocol and export
//! object): after `RETR`/`TOP`, a `+OK N` reply announces N bytes and the data segments are
//! gathered until that many have come; any other data segment is a message by itself (so
//! tshark shows a `LIST` listing as `imf` too). `USER`/`PASS` feed tshark's credentials
//! tap; pcap-creds also reads `APOP` and `AUTH` (PLAIN, LOGIN, CRAM-MD5).
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
    /// The last request was `RETR` or `TOP`: its `+OK` reply gives the message's length.
    msg_request: bool,
    /// Message bytes announced and read so far (tshark's `msg_tot_len`, `msg_read_len`).
    msg_tot_len: u64,
    msg_read_len: u64,
    /// The message's data so far (all of it when IMF objects are exported, else its head),
    /// and whether it was cut at the per-object cap.
    message: Vec<u8>,
    message_capped: bool,
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
        message_data(cx, b, off, end, conv);
        return;
    }
    if request {
        conv.msg_request = starts_with_ci(line, b"RETR") || starts_with_ci(line, b"TOP");
    } else if std::mem::take(&mut conv.msg_request) && line.starts_with(b"+OK ") && line.len() > 4 {
        // C's sscanf("%*s %u %*s"): the number after the first word, 0 without one.
        conv.msg_read_len = 0;
        conv.msg_tot_len = line[4..]
            .split(|&c| c == b' ')
            .find(|w| !w.is_empty())
            .and_then(|w| {
                let digits = w.iter().take_while(|c| c.is_ascii_digit()).count();
                std::str::from_utf8(&w[..digits]).ok()?.parse::<u32>().ok()
            })
            .unwrap_or(0) as u64;
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

fn starts_with_ci(line: &[u8], word: &[u8]) -> bool {
    line.len() >= word.len() && line[..word.len()].eq_ignore_ascii_case(word)
}

/// A data segment of the server: added to the message; when the announced length is reached
/// (or none was announced) the message goes to IMF.
fn message_data(cx: &mut Cx, b: Bytes, off: usize, end: usize, conv: &mut Conv) {
    let seg = &b.data[off.min(b.len())..end.min(b.len())];
    conv.msg_read_len += (end - off) as u64;
    let room = crate::proto::imf::keep(cx).saturating_sub(conv.message.len());
    if seg.len() > room {
        conv.message_capped = true;
    }
    conv.message.extend_from_slice(&seg[..seg.len().min(room)]);
    if conv.msg_read_len < conv.msg_tot_len {
        return;
    }
    let message = std::mem::take(&mut conv.message);
    let capped = std::mem::take(&mut conv.message_capped);
    conv.msg_read_len = 0;
    conv.msg_tot_len = 0;
    crate::proto::imf::dissect(cx, b, off, end, message, capped);
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
