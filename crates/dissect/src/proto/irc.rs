//! Internet Relay Chat (TCP ports 6667 and 57000): every line of a segment is a request
//! (to the server port) or a response, split as tshark 4.0 shows it: an optional `:prefix`,
//! the command, its parameters and a `:trailer`. No reassembly (tshark's IRC has none).
//! For pcap-creds the client's `PASS`, `OPER` and NickServ `IDENTIFY` are read.
crate::declare_fields! {
    after = super::uds::END;
    PROTO = "irc", "Internet Relay Chat", Protocol, None;
    RESPONSE = "irc.response", "Response", String, None, blurb = "Line of response message";
    REQUEST = "irc.request", "Request", String, None, blurb = "Line of request message";
    REQUEST_PREFIX = "irc.request.prefix", "Prefix", String, None, blurb = "Request prefix";
    REQUEST_COMMAND = "irc.request.command", "Command", String, None, blurb = "Request command";
    REQUEST_PARAMETER = "irc.request.command_parameter", "Parameter", String, None, blurb = "Request command parameter";
    REQUEST_TRAILER = "irc.request.trailer", "Trailer", String, None, blurb = "Request trailer";
    RESPONSE_PREFIX = "irc.response.prefix", "Prefix", String, None, blurb = "Response prefix";
    RESPONSE_COMMAND = "irc.response.command", "Command", String, None, blurb = "Response command";
    RESPONSE_NUM_COMMAND = "irc.response.num_command", "Command", U16, Dec, blurb = "Response (numeric) command";
    RESPONSE_PARAMETER = "irc.response.command_parameter", "Parameter", String, None, blurb = "Response command parameter";
    RESPONSE_TRAILER = "irc.response.trailer", "Trailer", String, None, blurb = "Response trailer";
}

use crate::cx::{Bytes, Cx};
use crate::tap::Credential;

/// A connection's state, for pcap-creds: the client's nickname.
#[derive(Default)]
pub struct Conv {
    nick: Vec<u8>,
}

/// Most parameters read from one line (RFC 2812 allows 15).
const MAX_PARAMS: usize = 32;

/// One segment `off..end`; `request` when it goes to the server port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, request: bool, conv: &mut Conv) {
    cx.proto(PROTO, "irc", b.span_to(off, end));
    let end = end.min(b.len());
    let mut p = off;
    while p < end {
        let d = &b.data[p..end];
        let n = memchr::memchr2(b'\r', b'\n', d).unwrap_or(d.len());
        let next = if n == d.len() {
            d.len()
        } else if d[n] == b'\r' && d.get(n + 1) == Some(&b'\n') {
            n + 2
        } else {
            n + 1
        };
        if n > 0 {
            line(cx, b, p, &d[..n], request, conv);
        }
        p += next;
    }
}

/// A line's parts: prefix, command and parameters (with their offsets in the line), trailer.
struct Parts<'a> {
    prefix: Option<(usize, &'a [u8])>,
    command: Option<(usize, &'a [u8])>,
    params: Vec<(usize, &'a [u8])>,
    trailer: Option<(usize, &'a [u8])>,
}

fn split(l: &[u8]) -> Parts<'_> {
    let mut parts = Parts { prefix: None, command: None, params: Vec::new(), trailer: None };
    let mut p = 0;
    if l.first() == Some(&b':') {
        // Without the space that ends it, tshark shows no prefix (an expert note).
        let Some(e) = memchr::memchr(b' ', l) else { return parts };
        parts.prefix = Some((1, &l[1..e]));
        p = e;
    }
    while p < l.len() && l[p] == b' ' {
        p += 1;
    }
    if p >= l.len() {
        return parts;
    }
    let e = memchr::memchr(b' ', &l[p..]).map_or(l.len(), |i| p + i);
    parts.command = Some((p, &l[p..e]));
    p = e;
    while p < l.len() {
        while p < l.len() && l[p] == b' ' {
            p += 1;
        }
        if p >= l.len() {
            break;
        }
        if l[p] == b':' {
            parts.trailer = Some((p + 1, &l[p + 1..]));
            break;
        }
        let e = memchr::memchr(b' ', &l[p..]).map_or(l.len(), |i| p + i);
        if parts.params.len() < MAX_PARAMS {
            parts.params.push((p, &l[p..e]));
        }
        p = e;
    }
    parts
}

fn line(cx: &mut Cx, b: Bytes, at: usize, l: &[u8], request: bool, conv: &mut Conv) {
    let (line_id, prefix_id, command_id, param_id, trailer_id) = if request {
        (REQUEST, REQUEST_PREFIX, REQUEST_COMMAND, REQUEST_PARAMETER, REQUEST_TRAILER)
    } else {
        (RESPONSE, RESPONSE_PREFIX, RESPONSE_COMMAND, RESPONSE_PARAMETER, RESPONSE_TRAILER)
    };
    cx.add_ascii(line_id, l, b.span(at, l.len()));
    let parts = split(l);
    if let Some((o, v)) = parts.prefix {
        cx.add_ascii(prefix_id, v, b.span(at + o, v.len()));
    }
    if let Some((o, v)) = parts.command {
        cx.add_ascii(command_id, v, b.span(at + o, v.len()));
        if !request && v.len() == 3 && v.iter().all(u8::is_ascii_digit) {
            let n = v.iter().fold(0u16, |a, &c| a * 10 + (c - b'0') as u16);
            cx.u(RESPONSE_NUM_COMMAND, n, b.span(at + o, 3));
        }
    }
    for &(o, v) in &parts.params {
        cx.add_ascii(param_id, v, b.span(at + o, v.len()));
    }
    if let Some((o, v)) = parts.trailer {
        cx.add_ascii(trailer_id, v, b.span(at + o, v.len()));
    }
    if request && cx.creds_on() {
        if let Some(c) = credential(&parts, conv) {
            cx.credential(c);
        }
    }
}

/// `PASS`, `OPER` and NickServ's `IDENTIFY` (as a `PRIVMSG` or the `NICKSERV`/`NS`
/// aliases); `NICK` names the user of what follows.
fn credential(parts: &Parts, conv: &mut Conv) -> Option<Credential> {
    let cmd = parts.command?.1;
    let mut args: Vec<&[u8]> = parts.params.iter().map(|p| p.1).collect();
    if let Some((_, t)) = parts.trailer {
        args.push(t);
    }
    let is = |name: &[u8]| cmd.eq_ignore_ascii_case(name);
    if is(b"NICK") {
        conv.nick = args.first()?.to_vec();
        None
    } else if is(b"PASS") {
        Some(Credential::cleartext("IRC PASS", &conv.nick, args.first().filter(|a| !a.is_empty())?))
    } else if is(b"OPER") && args.len() >= 2 {
        Some(Credential::cleartext("IRC OPER", args[0], args[1]))
    } else if is(b"PRIVMSG") && args.len() >= 2 && args[0].eq_ignore_ascii_case(b"NickServ") {
        identify(args[1], conv)
    } else if (is(b"NICKSERV") || is(b"NS")) && !args.is_empty() {
        identify(&args.join(&b' '), conv)
    } else {
        None
    }
}

/// `IDENTIFY [account] password` sent to NickServ.
fn identify(text: &[u8], conv: &Conv) -> Option<Credential> {
    let words: Vec<&[u8]> = text.split(|&c| c == b' ').filter(|w| !w.is_empty()).collect();
    if !words.first()?.eq_ignore_ascii_case(b"IDENTIFY") {
        return None;
    }
    match words.len() {
        2 => Some(Credential::cleartext("IRC NickServ", &conv.nick, words[1])),
        3 => Some(Credential::cleartext("IRC NickServ", words[1], words[2])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{credential, split, Conv};

    #[test]
    fn lines_split_as_tshark() {
        let p = split(b":sterling.freenode.net 303 vmlemon :SmileyG ");
        assert_eq!(p.prefix, Some((1, &b"sterling.freenode.net"[..])));
        assert_eq!(p.command, Some((23, &b"303"[..])));
        assert_eq!(p.params, vec![(27, &b"vmlemon"[..])]);
        assert_eq!(p.trailer, Some((36, &b"SmileyG "[..])));
        let p = split(b"ISON Thunfisch Smiley SmileyG");
        assert_eq!(p.prefix, None);
        assert_eq!(p.params.iter().map(|x| x.1).collect::<Vec<_>>(), [&b"Thunfisch"[..], b"Smiley", b"SmileyG"]);
        assert_eq!(p.trailer, None);
        assert_eq!(split(b":sterlin").prefix, None);
        for l in [&b":"[..], b":x", b"  ", b"A :", b"A  b  :"] {
            let _ = split(l);
        }
    }

    fn cred(line: &[u8], conv: &mut Conv) -> Option<(Vec<u8>, Vec<u8>, &'static str)> {
        credential(&split(line), conv).map(|c| (c.username, c.secret, c.protocol))
    }

    #[test]
    fn logins() {
        let mut conv = Conv::default();
        assert_eq!(cred(b"PASS pw0", &mut conv), Some((b"".to_vec(), b"pw0".to_vec(), "IRC PASS")));
        assert_eq!(cred(b"NICK alice", &mut conv), None);
        assert_eq!(
            cred(b"PRIVMSG NickServ :IDENTIFY pw1", &mut conv),
            Some((b"alice".to_vec(), b"pw1".to_vec(), "IRC NickServ"))
        );
        assert_eq!(
            cred(b"PRIVMSG nickserv :identify acct pw2", &mut conv),
            Some((b"acct".to_vec(), b"pw2".to_vec(), "IRC NickServ"))
        );
        assert_eq!(cred(b"NS IDENTIFY pw3", &mut conv), Some((b"alice".to_vec(), b"pw3".to_vec(), "IRC NickServ")));
        assert_eq!(cred(b"OPER op pw4", &mut conv), Some((b"op".to_vec(), b"pw4".to_vec(), "IRC OPER")));
        assert_eq!(cred(b"PRIVMSG #chan :IDENTIFY x y", &mut conv), None);
        assert_eq!(cred(b"OPER onlyone", &mut conv), None);
        assert_eq!(cred(b"PASS", &mut conv), None);
    }
}
